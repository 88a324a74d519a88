#include "reconciler/model/state.h"

#include <gtest/gtest.h>

namespace drover::model {
namespace {

Node MakeNode(uint64_t n) {
  Node node;
  node.id = Id{1, n};
  node.name = "node-" + std::to_string(n);
  node.resources.cpu_mhz = 4000;
  node.resources.memory_mb = 8192;
  node.status = NodeStatus::kReady;
  return node;
}

Allocation MakeAlloc(uint64_t n, const Id& node, int cpu, int port) {
  Allocation a;
  a.id = Id{2, n};
  a.job_id = "web";
  a.task_group = "web";
  a.node_id = node;
  a.resources.tasks.push_back({"t", cpu, 0, 256, 0});
  a.resources.ports.push_back({"http", port, 0, "10.0.0.1"});
  return a;
}

TEST(StateTest, TracksUsageThroughTheAllocationLifecycle) {
  State s;
  s.UpsertNode(MakeNode(1), 1);
  s.UpsertAlloc(MakeAlloc(1, Id{1, 1}, 500, 8080), 2);
  s.UpsertAlloc(MakeAlloc(2, Id{1, 1}, 300, 8081), 3);
  EXPECT_EQ(s.Usage(Id{1, 1}).cpu_mhz, 800);
  EXPECT_EQ(s.Usage(Id{1, 1}).memory_mb, 512);
  EXPECT_EQ(s.Usage(Id{1, 1}).ports.size(), 2u);

  Allocation stopped = *s.GetAlloc(Id{2, 1});
  stopped.desired_status = DesiredStatus::kStop;
  s.UpsertAlloc(stopped, 4);
  EXPECT_EQ(s.Usage(Id{1, 1}).cpu_mhz, 300);
  EXPECT_EQ(s.Usage(Id{1, 1}).ports, (std::vector<std::pair<std::string, int>>{{"10.0.0.1", 8081}}));
  EXPECT_EQ(s.AllocsByNode(Id{1, 1}).size(), 2u);  // terminal allocs stay listed

  s.DeleteAlloc(Id{2, 2}, 5);
  EXPECT_EQ(s.Usage(Id{1, 1}), NodeUsage{});
  EXPECT_EQ(s.AllocsByJob({"default", "web"}).size(), 1u);
}

TEST(StateTest, AssignsIndexes) {
  State s;
  s.UpsertNode(MakeNode(1), 7);
  Node n = *s.GetNode(Id{1, 1});
  EXPECT_EQ(n.create_index, 7u);
  n.name = "renamed";
  s.UpsertNode(n, 9);
  EXPECT_EQ(s.GetNode(Id{1, 1})->create_index, 7u);
  EXPECT_EQ(s.GetNode(Id{1, 1})->modify_index, 9u);
  EXPECT_EQ(s.TableIndex(Table::kNodes), 9u);
  EXPECT_EQ(s.TableIndex(Table::kAllocs), 0u);
  EXPECT_EQ(s.index(), 9u);
}

TEST(StateTest, KeepsEveryJobVersion) {
  State s;
  JobVersion v0;
  v0.spec.id = "web";
  v0.spec.namespace_ = "default";
  s.UpsertJobVersion(v0, 1);
  JobVersion v1 = v0;
  v1.version = 1;
  v1.spec.priority = 70;
  s.UpsertJobVersion(v1, 2);
  EXPECT_EQ(s.GetJob({"default", "web"})->version, 1u);
  EXPECT_EQ(s.GetJob({"default", "web"})->create_index, 1u);
  ASSERT_EQ(s.GetJobVersions({"default", "web"}).size(), 2u);
  EXPECT_EQ(s.GetJobVersions({"default", "web"})[0]->version, 1u);
  EXPECT_EQ(s.GetJobVersion({"default", "web"}, 0)->spec.priority, std::nullopt);
  s.DeleteJob({"default", "web"}, 3);
  EXPECT_EQ(s.GetJob({"default", "web"}), nullptr);
}

TEST(StateTest, LatestDeploymentIsTheNewest) {
  State s;
  Deployment d1;
  d1.id = Id{3, 1};
  d1.job_id = "web";
  s.UpsertDeployment(d1, 1);
  Deployment d2 = d1;
  d2.id = Id{3, 0};  // smaller id, newer index
  s.UpsertDeployment(d2, 2);
  EXPECT_EQ(s.LatestDeployment({"default", "web"})->id, (Id{3, 0}));
}

}  // namespace
}  // namespace drover::model
