// Plan annotations: update counts, Count changes and what each kind of task change forces.
#include "reconciler/diff/annotate.h"

#include <functional>

#include <gtest/gtest.h>

#include "tests/support/builders.h"

namespace drover::diff {
namespace {

struct TaskCase {
  std::string name;
  std::function<void(ir::Task&)> change;
  std::string want;
};

class TaskAnnotationTest : public ::testing::TestWithParam<TaskCase> {};

TEST_P(TaskAnnotationTest, Annotates) {
  ir::Job a = testing::MockJob();
  ir::Job b = a;
  GetParam().change(b.task_groups[0].tasks[0]);
  JobDiff d = Diff(&a, b);
  Annotate(d, {});
  ASSERT_EQ(d.task_groups[0].tasks.size(), 1u);
  EXPECT_EQ(d.task_groups[0].tasks[0].annotations, (std::vector<std::string>{GetParam().want}));
}

INSTANTIATE_TEST_SUITE_P(
    Changes, TaskAnnotationTest,
    ::testing::Values(
        TaskCase{"KillTimeout", [](ir::Task& t) { t.kill_timeout = std::chrono::seconds(9); },
                 "forces in-place update"},
        TaskCase{"Env", [](ir::Task& t) { t.env["X"] = "1"; }, "forces create/destroy update"},
        TaskCase{"Driver", [](ir::Task& t) { t.driver = "docker"; },
                 "forces create/destroy update"},
        TaskCase{"Config", [](ir::Task& t) { t.config["command"] = "/bin/ls"; },
                 "forces create/destroy update"},
        TaskCase{"Resources", [](ir::Task& t) { t.resources.memory_mb = 1024; },
                 "forces create/destroy update"},
        TaskCase{"ServiceTags", [](ir::Task& t) { t.services[0].tags = {"new"}; },
                 "forces in-place update"},
        TaskCase{"Constraint",
                 [](ir::Task& t) {
                   t.constraints.push_back(
                       testing::MakeConstraint("${attr.arch}", ir::ConstraintOp::kEqual, "x86"));
                 },
                 "forces in-place update"},
        TaskCase{"Affinity",
                 [](ir::Task& t) {
                   ir::Affinity a;
                   a.l_target = "${meta.ssd}";
                   a.r_target = "true";
                   t.affinities.push_back(a);
                 },
                 "forces in-place update"},
        TaskCase{"LogConfigMaxFiles", [](ir::Task& t) { t.log_config->max_files = 3; },
                 "forces in-place update"},
        TaskCase{"LogConfigDisabled", [](ir::Task& t) { t.log_config->disabled = true; },
                 "forces create/destroy update"},
        TaskCase{"Artifact",
                 [](ir::Task& t) {
                   ir::Artifact a;
                   a.source = "https://example.com/x.tgz";
                   t.artifacts.push_back(a);
                 },
                 "forces create/destroy update"},
        TaskCase{"KillTimeoutAndService",
                 [](ir::Task& t) {
                   t.kill_timeout = std::chrono::seconds(9);
                   t.services[0].port_label = "admin";
                 },
                 "forces in-place update"}),
    [](const ::testing::TestParamInfo<TaskCase>& info) { return info.param.name; });

TEST(AnnotateTest, UpdatesAndCount) {
  ir::Job a = testing::MockJob();
  ir::Job b = a;
  b.task_groups[0].count = 12;
  JobDiff d = Diff(&a, b);
  model::DesiredUpdates u;
  u.place = 2;
  u.in_place_update = 10;
  Annotate(d, {{"web", u}});
  const TaskGroupDiff& g = d.task_groups[0];
  EXPECT_EQ(g.updates, (std::map<std::string, uint64_t>{{"create", 2}, {"in-place update", 10}}));
  ASSERT_EQ(g.fields.size(), 1u);
  EXPECT_EQ(g.fields[0].annotations, (std::vector<std::string>{"forces create"}));
  EXPECT_TRUE(g.tasks[0].annotations.empty());  // an unchanged task is not annotated

  b.task_groups[0].count = 3;
  JobDiff down = Diff(&a, b);
  model::DesiredUpdates s;
  s.stop = 7;
  s.ignore = 3;
  Annotate(down, {{"web", s}});
  EXPECT_EQ(down.task_groups[0].fields[0].annotations, (std::vector<std::string>{"forces destroy"}));
  EXPECT_EQ(down.task_groups[0].updates,
            (std::map<std::string, uint64_t>{{"destroy", 7}, {"ignore", 3}}));
}

TEST(AnnotateTest, AddedAndDeletedGroups) {
  ir::Job a = testing::MockJob();
  ir::Job b = a;
  b.task_groups[0].name = "api";
  JobDiff d = Diff(&a, b);
  Annotate(d, {});
  ASSERT_EQ(d.task_groups.size(), 2u);
  EXPECT_EQ(d.task_groups[0].tasks[0].annotations, (std::vector<std::string>{"forces create"}));
  EXPECT_EQ(d.task_groups[1].tasks[0].annotations, (std::vector<std::string>{"forces destroy"}));
}

}  // namespace
}  // namespace drover::diff
