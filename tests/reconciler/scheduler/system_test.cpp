// The system and sysbatch schedulers: one allocation per eligible node.
#include <set>

#include "tests/reconciler/scheduler/scheduler_fixture.h"

namespace drover::scheduler {
namespace {

using model::Allocation;

class SystemTest : public SchedulerFixture {};

TEST_F(SystemTest, OneAllocationPerEligibleNode) {
  std::vector<model::Node> nodes = AddNodes(4);
  AddNode([](model::Node& n) { n.attributes["kernel.name"] = "windows"; });  // filtered
  AddNode([](model::Node& n) { n.status = model::NodeStatus::kDown; });       // not ready
  ScheduleResult r = Register(testing::MockSystemJob());
  std::set<model::Id> placed_on;
  for (const Allocation& a : Placed(r.plan)) {
    placed_on.insert(a.node_id);
    EXPECT_EQ(a.Name(), "system-job.web[0]");
  }
  EXPECT_EQ(placed_on.size(), 4u);
  for (const model::Node& n : nodes) EXPECT_TRUE(placed_on.contains(n.id));
  // A node filtered by constraints is not a failure, and is not counted as a placement.
  EXPECT_TRUE(r.plan.failed_tg_allocs.empty());
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").place, 4u);
  Apply(r);
  EXPECT_TRUE(Evaluate(testing::MockSystemJob()).plan.IsNoOp());
}

TEST_F(SystemTest, NewNodeGetsAnAllocation) {
  AddNodes(2);
  RegisterAndApply(testing::MockSystemJob());
  model::Node fresh = AddNode();
  ScheduleResult r = Evaluate(testing::MockSystemJob(), "node-update");
  ASSERT_EQ(Placed(r.plan).size(), 1u);
  EXPECT_EQ(Placed(r.plan)[0].node_id, fresh.id);
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").ignore, 2u);
}

TEST_F(SystemTest, DownNodeAllocationIsLost) {
  std::vector<model::Node> nodes = AddNodes(2);
  RegisterAndApply(testing::MockSystemJob());
  UpdateNode(nodes[0].id, [](model::Node& n) { n.status = model::NodeStatus::kDown; });
  ScheduleResult r = Evaluate(testing::MockSystemJob(), "node-update");
  ASSERT_EQ(Stops(r.plan).size(), 1u);
  EXPECT_EQ(Stops(r.plan)[0].description, "alloc is lost since its node is down");
  EXPECT_EQ(Stops(r.plan)[0].client_status, model::ClientStatus::kLost);
  EXPECT_TRUE(Placed(r.plan).empty());
}

TEST_F(SystemTest, ExhaustedNodeIsAFailureForSystemJobs) {
  AddNode();
  AddNode([](model::Node& n) { n.resources.memory_mb = 300; });
  ScheduleResult r = Register(testing::MockSystemJob());
  EXPECT_EQ(Placed(r.plan).size(), 1u);
  ASSERT_EQ(r.plan.failed_tg_allocs.count("web"), 1u);
  EXPECT_EQ(r.plan.failed_tg_allocs.at("web").dimension_exhausted.at("memory"), 1);
}

TEST_F(SystemTest, UpdatesInPlaceOrDestructively) {
  AddNodes(3);
  ir::Job job = testing::MockSystemJob();
  RegisterAndApply(job);
  job.task_groups[0].tasks[0].kill_timeout = std::chrono::seconds(30);
  ScheduleResult inplace = Register(job);
  EXPECT_EQ(inplace.plan.desired_tg_updates.at("web").in_place_update, 3u);
  EXPECT_TRUE(Stops(inplace.plan).empty());
  Apply(inplace);
  job.task_groups[0].tasks[0].config = {{"command", "/bin/other"}};
  ScheduleResult destructive = Register(job);
  EXPECT_EQ(destructive.plan.desired_tg_updates.at("web").destructive_update, 3u);
  EXPECT_EQ(Stops(destructive.plan).size(), 3u);
  EXPECT_EQ(Placed(destructive.plan).size(), 3u);
  for (const Allocation& a : Placed(destructive.plan)) {
    EXPECT_EQ(a.node_id, state.GetAlloc(a.previous_allocation)->node_id);
  }
  Apply(destructive);
  EXPECT_EQ(Live("system-job").size(), 3u);
}

TEST_F(SystemTest, SysbatchDoesNotRerunFinishedAllocations) {
  AddNodes(2);
  ir::Job job = testing::MockSystemJob();
  job.id = "sysbatch-job";
  job.type = ir::JobType::kSysbatch;
  RegisterAndApply(job);
  for (const Allocation& a : Live("sysbatch-job")) {
    SetClientStatus(a.id, model::ClientStatus::kComplete, now);
  }
  ScheduleResult r = Evaluate(job);
  EXPECT_TRUE(r.plan.IsNoOp());
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").ignore, 2u);
}

TEST_F(SystemTest, StoppedJobStopsEveryAllocation) {
  AddNodes(3);
  ir::Job job = testing::MockSystemJob();
  RegisterAndApply(job);
  model::JobVersion v = *state.GetJob({"default", "system-job"});
  v.stop = true;
  v.version += 1;
  state.UpsertJobVersion(v, Next());
  ScheduleResult r = Evaluate(job, "job-deregister");
  EXPECT_EQ(Stops(r.plan).size(), 3u);
  Apply(r);
  EXPECT_TRUE(Live("system-job").empty());
}

}  // namespace
}  // namespace drover::scheduler
