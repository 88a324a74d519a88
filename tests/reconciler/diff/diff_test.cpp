// Job diffs: types, Nomad field names, flattening, value formatting and order.
#include "reconciler/diff/diff.h"

#include <gtest/gtest.h>

#include "tests/support/builders.h"

namespace drover::diff {
namespace {

const TaskGroupDiff& Group(const JobDiff& d, const std::string& name) {
  for (const auto& g : d.task_groups) {
    if (g.name == name) return g;
  }
  static TaskGroupDiff none;
  ADD_FAILURE() << "no group " << name;
  return none;
}

const ObjectDiff* Object(const std::vector<ObjectDiff>& objects, const std::string& name) {
  for (const auto& o : objects) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

ir::Job Redis() {
  ir::Job job = testing::MockJob();
  job.id = "example";
  job.task_groups[0].name = "cache";
  job.task_groups[0].count = 1;
  ir::Task& t = job.task_groups[0].tasks[0];
  t.name = "redis";
  t.driver = "docker";
  t.config = {{"image", "redis:2.8"}, {"port_map", {{{"db", 6379}}}}};
  return job;
}

TEST(DiffTest, NewJobIsAddedAllTheWayDown) {
  JobDiff d = Diff(nullptr, Redis());
  EXPECT_EQ(d.type, DiffType::kAdded);
  EXPECT_EQ(d.id, "example");
  ASSERT_EQ(d.task_groups.size(), 1u);
  EXPECT_EQ(d.task_groups[0].type, DiffType::kAdded);
  ASSERT_EQ(d.task_groups[0].tasks.size(), 1u);
  EXPECT_EQ(d.task_groups[0].tasks[0].type, DiffType::kAdded);
  // Every non-empty field of the new job shows as added (the -verbose view).
  bool priority = false;
  for (const auto& f : d.fields) {
    EXPECT_EQ(f.type, DiffType::kAdded);
    if (f.name == "Priority") priority = f.new_value == "50";
  }
  EXPECT_TRUE(priority);
  const ObjectDiff* dcs = Object(d.objects, "Datacenters");
  ASSERT_NE(dcs, nullptr);
  EXPECT_EQ(dcs->type, DiffType::kAdded);
}

TEST(DiffTest, SameJobHasNoChanges) {
  ir::Job job = Redis();
  JobDiff d = Diff(&job, job);
  EXPECT_EQ(d.type, DiffType::kNone);
  EXPECT_TRUE(d.fields.empty());
  EXPECT_TRUE(d.objects.empty());
  EXPECT_EQ(Group(d, "cache").type, DiffType::kNone);
  EXPECT_EQ(Group(d, "cache").tasks[0].type, DiffType::kNone);
}

TEST(DiffTest, CountChangeIsAGroupField) {
  ir::Job a = Redis();
  ir::Job b = a;
  b.task_groups[0].count = 8;
  JobDiff d = Diff(&a, b);
  EXPECT_EQ(d.type, DiffType::kEdited);
  const TaskGroupDiff& g = Group(d, "cache");
  EXPECT_EQ(g.type, DiffType::kEdited);
  ASSERT_EQ(g.fields.size(), 1u);
  EXPECT_EQ(g.fields[0], (FieldDiff{DiffType::kEdited, "Count", "1", "8", {}}));
  EXPECT_EQ(g.tasks[0].type, DiffType::kNone);
}

TEST(DiffTest, ConfigIsFlattenedWithContext) {
  ir::Job a = Redis();
  ir::Job b = a;
  b.task_groups[0].tasks[0].config["image"] = "redis:7";
  JobDiff d = Diff(&a, b);
  const TaskDiff& t = Group(d, "cache").tasks[0];
  EXPECT_EQ(t.type, DiffType::kEdited);
  EXPECT_TRUE(t.fields.empty());
  const ObjectDiff* config = Object(t.objects, "Config");
  ASSERT_NE(config, nullptr);
  EXPECT_EQ(config->type, DiffType::kEdited);
  ASSERT_EQ(config->fields.size(), 2u);
  EXPECT_EQ(config->fields[0], (FieldDiff{DiffType::kEdited, "image", "redis:2.8", "redis:7", {}}));
  EXPECT_EQ(config->fields[1], (FieldDiff{DiffType::kNone, "port_map[0][db]", "6379", "6379", {}}));
}

TEST(DiffTest, TaskFieldsUseNomadNamesAndNanoseconds) {
  ir::Job a = Redis();
  ir::Job b = a;
  b.task_groups[0].tasks[0].kill_timeout = std::chrono::seconds(30);
  b.task_groups[0].tasks[0].env["FOO"] = "baz";
  b.task_groups[0].tasks[0].env["NEW"] = "1";
  JobDiff d = Diff(&a, b);
  const TaskDiff& t = Group(d, "cache").tasks[0];
  ASSERT_EQ(t.fields.size(), 3u);
  EXPECT_EQ(t.fields[0], (FieldDiff{DiffType::kEdited, "Env[FOO]", "bar", "baz", {}}));
  EXPECT_EQ(t.fields[1], (FieldDiff{DiffType::kAdded, "Env[NEW]", "", "1", {}}));
  EXPECT_EQ(t.fields[2],
            (FieldDiff{DiffType::kEdited, "KillTimeout", "5000000000", "30000000000", {}}));
}

TEST(DiffTest, ServiceEditListsEveryFieldAndTheTagSet) {
  ir::Job a = Redis();
  a.task_groups[0].tasks[0].services[0].tags = {"a", "v1"};
  ir::Job b = a;
  b.task_groups[0].tasks[0].services[0].tags = {"a", "v2"};
  JobDiff d = Diff(&a, b);
  const ObjectDiff* svc = Object(Group(d, "cache").tasks[0].objects, "Service");
  ASSERT_NE(svc, nullptr);
  EXPECT_EQ(svc->type, DiffType::kEdited);
  std::vector<std::string> names;
  for (const auto& f : svc->fields) {
    names.push_back(f.name);
    EXPECT_EQ(f.type, DiffType::kNone);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Address", "AddressMode", "EnableTagOverride", "Name",
                                             "Namespace", "OnUpdate", "PortLabel", "Provider",
                                             "TaskName"}));
  EXPECT_EQ(svc->fields[3].new_value, "redis-frontend");  // ${TASK} interpolated
  const ObjectDiff* tags = Object(svc->objects, "Tags");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(tags->type, DiffType::kEdited);
  ASSERT_EQ(tags->fields.size(), 3u);
  EXPECT_EQ(tags->fields[0], (FieldDiff{DiffType::kAdded, "Tags", "", "v2", {}}));
  EXPECT_EQ(tags->fields[1], (FieldDiff{DiffType::kNone, "Tags", "a", "a", {}}));
  EXPECT_EQ(tags->fields[2], (FieldDiff{DiffType::kDeleted, "Tags", "v1", "", {}}));
}

TEST(DiffTest, ChangedNetworkIsDeletedAndAdded) {
  ir::Job a = Redis();
  ir::Job b = a;
  b.task_groups[0].networks[0].dynamic_ports[0].to = 8080;
  JobDiff d = Diff(&a, b);
  const auto& objects = Group(d, "cache").objects;
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].name, "Network");
  EXPECT_EQ(objects[0].type, DiffType::kAdded);
  EXPECT_EQ(objects[1].type, DiffType::kDeleted);
  bool to = false;
  for (const ObjectDiff& port : objects[0].objects) {
    EXPECT_EQ(port.name, "Dynamic Port");
    for (const auto& f : port.fields) {
      to |= f.name == "To" && f.new_value == "8080";
      EXPECT_NE(f.name, "Value");  // dynamic ports have no Value field
    }
  }
  EXPECT_TRUE(to);
}

TEST(DiffTest, ResourcesShowEveryField) {
  ir::Job a = Redis();
  ir::Job b = a;
  b.task_groups[0].tasks[0].resources.memory_mb = 512;
  JobDiff d = Diff(&a, b);
  const ObjectDiff* r = Object(Group(d, "cache").tasks[0].objects, "Resources");
  ASSERT_NE(r, nullptr);
  std::vector<std::string> names;
  for (const auto& f : r->fields) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"CPU", "Cores", "DiskMB", "IOPS", "MemoryMB",
                                             "MemoryMaxMB"}));
  EXPECT_EQ(r->fields[4], (FieldDiff{DiffType::kEdited, "MemoryMB", "256", "512", {}}));
}

TEST(DiffTest, ConstraintChangeIsASetChange) {
  ir::Job a = Redis();
  ir::Job b = a;
  b.constraints[0].r_target = "darwin";
  JobDiff d = Diff(&a, b);
  EXPECT_EQ(d.type, DiffType::kEdited);
  ASSERT_EQ(d.objects.size(), 2u);
  EXPECT_EQ(d.objects[0].name, "Constraint");
  EXPECT_EQ(d.objects[0].type, DiffType::kAdded);
  EXPECT_EQ(d.objects[1].type, DiffType::kDeleted);
  EXPECT_EQ(d.objects[0].fields[1], (FieldDiff{DiffType::kAdded, "Operand", "", "=", {}}));
}

TEST(DiffTest, DatacentersAndStop) {
  ir::Job a = Redis();
  ir::Job b = a;
  b.datacenters = {"dc1", "dc2"};
  JobDiff d = Diff(&a, b, DiffOptions{true, false});
  ASSERT_EQ(d.fields.size(), 1u);
  EXPECT_EQ(d.fields[0], (FieldDiff{DiffType::kEdited, "Stop", "true", "false", {}}));
  const ObjectDiff* dcs = Object(d.objects, "Datacenters");
  ASSERT_NE(dcs, nullptr);
  EXPECT_EQ(dcs->type, DiffType::kAdded);
  ASSERT_EQ(dcs->fields.size(), 2u);
  EXPECT_EQ(dcs->fields[0].type, DiffType::kAdded);
  EXPECT_EQ(dcs->fields[1].type, DiffType::kNone);
}

TEST(DiffTest, GroupsAndTasksAreSortedByName) {
  ir::Job a = Redis();
  ir::Job b = a;
  ir::TaskGroup extra = b.task_groups[0];
  extra.name = "api";
  b.task_groups.push_back(extra);
  ir::Task side = b.task_groups[0].tasks[0];
  side.name = "a-sidecar";
  b.task_groups[0].tasks.push_back(side);
  JobDiff d = Diff(&a, b);
  ASSERT_EQ(d.task_groups.size(), 2u);
  EXPECT_EQ(d.task_groups[0].name, "api");
  EXPECT_EQ(d.task_groups[0].type, DiffType::kAdded);
  EXPECT_EQ(d.task_groups[1].tasks[0].name, "a-sidecar");
  EXPECT_EQ(d.task_groups[1].tasks[0].type, DiffType::kAdded);
}

TEST(DiffTest, ToJsonUsesNomadsShape) {
  ir::Job a = Redis();
  ir::Job b = a;
  b.task_groups[0].count = 2;
  nlohmann::json j = ToJson(Diff(&a, b));
  EXPECT_EQ(j["Type"], "Edited");
  EXPECT_EQ(j["ID"], "example");
  EXPECT_EQ(j["TaskGroups"][0]["Fields"][0]["Name"], "Count");
  EXPECT_EQ(j["TaskGroups"][0]["Fields"][0]["Old"], "1");
  EXPECT_TRUE(j["TaskGroups"][0]["Updates"].is_null());
}

TEST(GoFloatTest, PrintsLikeGo) {
  EXPECT_EQ(GoFloat(6379), "6379");
  EXPECT_EQ(GoFloat(123456), "123456");
  EXPECT_EQ(GoFloat(1000000), "1e+06");
  EXPECT_EQ(GoFloat(1234567), "1.234567e+06");
  EXPECT_EQ(GoFloat(0.5), "0.5");
  EXPECT_EQ(GoFloat(0.0001), "0.0001");
  EXPECT_EQ(GoFloat(0.000015), "1.5e-05");
  EXPECT_EQ(GoFloat(-2.25), "-2.25");
  EXPECT_EQ(GoFloat(0), "0");
}

}  // namespace
}  // namespace drover::diff
