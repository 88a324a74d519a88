// The service and batch schedulers: placement, names, counts, updates, lost and draining nodes,
// rescheduling, failures and their metrics.
#include <cmath>
#include <set>

#include "reconciler/scheduler/reconcile.h"
#include "tests/reconciler/scheduler/scheduler_fixture.h"

namespace drover::scheduler {
namespace {

using model::Allocation;
using model::ClientStatus;

class GenericTest : public SchedulerFixture {};

TEST_F(GenericTest, PlacesANewJobWithNamesAndPorts) {
  AddNodes(10);
  ScheduleResult r = Register(testing::MockJob());
  EXPECT_TRUE(r.plan.failed_tg_allocs.empty());
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").place, 10u);
  EXPECT_EQ(r.eval.status, model::EvalStatus::kComplete);
  EXPECT_FALSE(r.blocked_eval.has_value());
  std::vector<Allocation> placed = Placed(r.plan);
  ASSERT_EQ(placed.size(), 10u);
  std::set<uint32_t> indexes;
  for (const Allocation& a : placed) {
    indexes.insert(a.index);
    EXPECT_EQ(a.Name(), "my-job.web[" + std::to_string(a.index) + "]");
    EXPECT_EQ(a.desired_status, model::DesiredStatus::kRun);
    EXPECT_EQ(a.client_status, ClientStatus::kPending);
    ASSERT_EQ(a.resources.tasks.size(), 1u);
    EXPECT_EQ(a.resources.tasks[0].cpu_mhz, 500);
    EXPECT_EQ(a.resources.tasks[0].memory_mb, 256);
    EXPECT_EQ(a.resources.disk_mb, 150);
    ASSERT_EQ(a.resources.ports.size(), 2u);
    for (const auto& p : a.resources.ports) {
      EXPECT_GE(p.value, 20000);
      EXPECT_LE(p.value, 32000);
      EXPECT_EQ(p.host_ip, "192.168.0.100");
    }
    ASSERT_NE(a.metrics, nullptr);
    EXPECT_GT(a.metrics->nodes_evaluated, 0);
    EXPECT_FALSE(a.metrics->score_meta.empty());
    EXPECT_TRUE(a.metrics->score_meta[0].Get(model::Scorer::kBinpack).has_value());
  }
  EXPECT_EQ(indexes.size(), 10u);
  EXPECT_EQ(*indexes.rbegin(), 9u);
  Apply(r);
  EXPECT_EQ(Live("my-job").size(), 10u);
}

TEST_F(GenericTest, SecondRunWithoutChangesIsANoOp) {
  AddNodes(5);
  RegisterAndApply(testing::MockJob());
  ScheduleResult again = Evaluate(testing::MockJob());
  EXPECT_TRUE(again.plan.IsNoOp());
  EXPECT_EQ(again.plan.desired_tg_updates.at("web").ignore, 10u);
  EXPECT_EQ(again.plan.desired_tg_updates.at("web").place, 0u);
}

TEST_F(GenericTest, ScalingDownStopsTheHighestNames) {
  AddNodes(5);
  ir::Job job = testing::MockJob();
  RegisterAndApply(job);
  job.task_groups[0].count = 7;
  ScheduleResult r = Register(job);
  const auto& d = r.plan.desired_tg_updates.at("web");
  EXPECT_EQ(d.stop, 3u);
  EXPECT_EQ(d.in_place_update, 7u);  // the count change alone updates the rest in place
  std::set<uint32_t> stopped;
  for (const StopRequest& s : Stops(r.plan)) {
    EXPECT_EQ(s.description, "alloc not needed due to job update");
    EXPECT_FALSE(s.client_status.has_value());
    stopped.insert(state.GetAlloc(s.alloc_id)->index);
  }
  EXPECT_EQ(stopped, (std::set<uint32_t>{7, 8, 9}));
  Apply(r);
  ASSERT_EQ(Live("my-job").size(), 7u);
  EXPECT_EQ(Live("my-job").back().index, 6u);
}

TEST_F(GenericTest, ScalingUpReusesTheLowestFreeNames) {
  AddNodes(5);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 3;
  RegisterAndApply(job);
  // Stop web[1] by hand: the next placement takes index 1, then 3 and 4.
  Allocation a1;
  for (const Allocation& a : Live("my-job")) {
    if (a.index == 1) a1 = a;
  }
  a1.desired_status = model::DesiredStatus::kStop;
  state.UpsertAlloc(a1, Next());
  job.task_groups[0].count = 5;
  ScheduleResult r = Register(job);
  std::set<uint32_t> placed;
  for (const Allocation& a : Placed(r.plan)) {
    if (state.GetAlloc(a.id) == nullptr) placed.insert(a.index);
  }
  EXPECT_EQ(placed, (std::set<uint32_t>{1, 3, 4}));
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").place, 3u);
}

TEST_F(GenericTest, StoppingTheJobStopsEverything) {
  AddNodes(3);
  ir::Job job = testing::MockJob();
  RegisterAndApply(job);
  model::JobVersion stopped = *state.GetJob({"default", "my-job"});
  stopped.stop = true;
  stopped.version += 1;
  state.UpsertJobVersion(stopped, Next());
  ScheduleResult r = Evaluate(job, "job-deregister");
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").stop, 10u);
  EXPECT_EQ(Stops(r.plan).size(), 10u);
  EXPECT_TRUE(Placed(r.plan).empty());
  Apply(r);
  EXPECT_TRUE(Live("my-job").empty());
}

TEST_F(GenericTest, AllocationsOnADownNodeAreLostAndReplaced) {
  std::vector<model::Node> nodes = AddNodes(2);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 4;
  RegisterAndApply(job);
  std::vector<Allocation> before = Live("my-job");
  model::Id down = before[0].node_id;
  size_t on_down = 0;
  for (const Allocation& a : before) on_down += a.node_id == down ? 1 : 0;
  UpdateNode(down, [](model::Node& n) { n.status = model::NodeStatus::kDown; });
  ScheduleResult r = Evaluate(job, "node-update");
  std::vector<StopRequest> stops = Stops(r.plan);
  ASSERT_EQ(stops.size(), on_down);
  for (const StopRequest& s : stops) {
    EXPECT_EQ(s.description, "alloc is lost since its node is down");
    EXPECT_EQ(s.client_status, ClientStatus::kLost);
  }
  std::vector<Allocation> placed = Placed(r.plan);
  ASSERT_EQ(placed.size(), on_down);
  for (const Allocation& a : placed) {
    EXPECT_NE(a.node_id, down);
    EXPECT_FALSE(a.previous_allocation.IsZero());
    EXPECT_EQ(a.index, state.GetAlloc(a.previous_allocation)->index);  // same name
  }
  Apply(r);
  EXPECT_EQ(Live("my-job").size(), 4u);
  for (const Allocation& a : Live("my-job")) EXPECT_NE(a.node_id, down);
  for (const StopRequest& s : stops) {
    EXPECT_EQ(state.GetAlloc(s.alloc_id)->client_status, ClientStatus::kLost);
    EXPECT_FALSE(state.GetAlloc(s.alloc_id)->next_allocation.IsZero());
  }
}

TEST_F(GenericTest, AllocationsOnADrainingNodeMigrate) {
  AddNodes(3);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 6;
  RegisterAndApply(job);
  model::Id draining = Live("my-job")[0].node_id;
  size_t on_node = 0;
  for (const Allocation& a : Live("my-job")) on_node += a.node_id == draining ? 1 : 0;
  UpdateNode(draining, [](model::Node& n) {
    n.drain = true;
    n.eligible = false;
  });
  ScheduleResult r = Evaluate(job, "node-drain");
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").migrate, on_node);
  for (const StopRequest& s : Stops(r.plan)) EXPECT_EQ(s.description, "alloc is being migrated");
  for (const Allocation& a : Placed(r.plan)) EXPECT_NE(a.node_id, draining);
  Apply(r);
  for (const Allocation& a : Live("my-job")) EXPECT_NE(a.node_id, draining);
  EXPECT_EQ(Live("my-job").size(), 6u);
}

TEST_F(GenericTest, ServiceTagChangeUpdatesInPlace) {
  AddNodes(3);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 3;
  RegisterAndApply(job);
  std::vector<Allocation> before = Live("my-job");
  job.task_groups[0].tasks[0].services[0].tags = {"v2"};
  ScheduleResult r = Register(job);
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").in_place_update, 3u);
  EXPECT_TRUE(Stops(r.plan).empty());
  std::vector<Allocation> updated = Placed(r.plan);
  ASSERT_EQ(updated.size(), 3u);
  for (const Allocation& a : updated) {
    const Allocation* old = state.GetAlloc(a.id);
    ASSERT_NE(old, nullptr);  // same allocation, new job version
    EXPECT_EQ(a.node_id, old->node_id);
    EXPECT_EQ(a.resources.ports, old->resources.ports);
    EXPECT_EQ(a.job->version, old->job->version + 1);
  }
  Apply(r);
  EXPECT_EQ(Live("my-job").size(), 3u);
}

TEST_F(GenericTest, ImageChangeIsDestructiveWithinMaxParallel) {
  AddNodes(3);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 3;
  job.task_groups[0].tasks[0].driver = "mock_driver";
  job.task_groups[0].tasks[0].config = {{"image", "redis:2.8"}};
  ir::UpdateStrategy update;
  update.max_parallel = 1;
  job.task_groups[0].update = update;
  RegisterAndApply(job);
  job.task_groups[0].tasks[0].config = {{"image", "redis:7"}};
  ScheduleResult r = Register(job);
  const auto& d = r.plan.desired_tg_updates.at("web");
  EXPECT_EQ(d.destructive_update, 1u);
  EXPECT_EQ(d.ignore, 2u);
  ASSERT_EQ(Stops(r.plan).size(), 1u);
  EXPECT_EQ(Stops(r.plan)[0].description, "alloc is being updated due to job update");
  ASSERT_EQ(Placed(r.plan).size(), 1u);
  EXPECT_EQ(Placed(r.plan)[0].index, 0u);  // the lowest name goes first

  // Without an update strategy every allocation is replaced at once.
  job.task_groups[0].update.reset();
  job.task_groups[0].tasks[0].config = {{"image", "redis:8"}};
  ScheduleResult all = Register(job);
  EXPECT_EQ(all.plan.desired_tg_updates.at("web").destructive_update, 3u);
}

TEST_F(GenericTest, StaticPortCollisionFailsWithNomadsDimension) {
  AddNode();
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 5;
  job.task_groups[0].networks.clear();
  ir::NetworkResource net;
  net.reserved_ports.push_back(ir::Port{"http", 8080, 0, "", {}});
  job.task_groups[0].tasks[0].resources.networks.push_back(net);
  ScheduleResult r = Register(job);
  EXPECT_EQ(Placed(r.plan).size(), 1u);
  ASSERT_EQ(r.plan.failed_tg_allocs.size(), 1u);
  const model::AllocMetric& m = r.plan.failed_tg_allocs.at("web");
  EXPECT_EQ(m.coalesced_failures, 3);  // "failed to place 4 allocations"
  EXPECT_EQ(m.nodes_evaluated, 1);
  EXPECT_EQ(m.nodes_exhausted, 1);
  EXPECT_EQ(m.dimension_exhausted,
            (std::map<std::string, int>{{"network: reserved port collision http=8080", 1}}));
  EXPECT_EQ(m.class_exhausted, (std::map<std::string, int>{{"linux-medium-pci", 1}}));
  ASSERT_TRUE(r.blocked_eval.has_value());
  EXPECT_EQ(r.blocked_eval->status, model::EvalStatus::kBlocked);
  EXPECT_EQ(r.eval.blocked_eval, r.blocked_eval->id);
  EXPECT_EQ(r.eval.queued_allocations.at("web"), 4);
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").place, 5u);
}

TEST_F(GenericTest, NodeReservedPortsCollide) {
  AddNode();
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 1;
  job.task_groups[0].networks[0].reserved_ports.push_back(ir::Port{"ssh", 22, 0, "", {}});
  ScheduleResult r = Register(job);
  ASSERT_EQ(r.plan.failed_tg_allocs.count("web"), 1u);
  EXPECT_EQ(r.plan.failed_tg_allocs.at("web").dimension_exhausted.begin()->first,
            "network: reserved port collision ssh=22");
}

TEST_F(GenericTest, ConstraintFailuresAreCountedPerConstraintAndClass) {
  AddNode([](model::Node& n) {
    n.attributes["kernel.name"] = "darwin";
    n.node_class = "mac";
  });
  AddNode([](model::Node& n) {
    n.attributes["kernel.name"] = "darwin";
    n.node_class = "mac-2";
  });
  // A third node in the same computed class as the first is skipped by the class cache.
  AddNode([](model::Node& n) {
    n.attributes["kernel.name"] = "darwin";
    n.node_class = "mac";
  });
  ScheduleResult r = Register(testing::MockJob());
  ASSERT_EQ(r.plan.failed_tg_allocs.count("web"), 1u);
  const model::AllocMetric& m = r.plan.failed_tg_allocs.at("web");
  EXPECT_EQ(m.nodes_evaluated, 3);
  EXPECT_EQ(m.nodes_filtered, 3);
  EXPECT_EQ(m.constraint_filtered, (std::map<std::string, int>{{"${attr.kernel.name} = linux", 2},
                                                               {"computed class ineligible", 1}}));
  EXPECT_EQ(m.class_filtered, (std::map<std::string, int>{{"mac", 2}, {"mac-2", 1}}));
  EXPECT_EQ(m.coalesced_failures, 9);
}

TEST_F(GenericTest, MissingDriverAndExhaustedMemory) {
  AddNode([](model::Node& n) { n.drivers.erase("exec"), n.attributes.erase("driver.exec"); });
  ScheduleResult r = Register(testing::MockJob());
  EXPECT_EQ(r.plan.failed_tg_allocs.at("web").constraint_filtered.at("missing drivers"), 1);

  model::State empty;
  state = empty;
  AddNode();
  ir::Job big = testing::MockJob();
  big.task_groups[0].count = 1;
  big.task_groups[0].tasks[0].resources.memory_mb = 9000;
  ScheduleResult r2 = Register(big);
  EXPECT_EQ(r2.plan.failed_tg_allocs.at("web").dimension_exhausted,
            (std::map<std::string, int>{{"memory", 1}}));
}

TEST_F(GenericTest, NoNodesInTheDatacenter) {
  AddNode([](model::Node& n) { n.datacenter = "dc2"; });
  ScheduleResult r = Register(testing::MockJob());
  const model::AllocMetric& m = r.plan.failed_tg_allocs.at("web");
  EXPECT_EQ(m.nodes_evaluated, 0);
  EXPECT_EQ(m.nodes_available, (std::map<std::string, int>{{"dc1", 0}}));
}

TEST_F(GenericTest, DatacenterGlobsAndNodePools) {
  AddNode([](model::Node& n) { n.datacenter = "eu-west-1"; });
  AddNode([](model::Node& n) { n.datacenter = "us-east-1"; });
  AddNode([](model::Node& n) {
    n.datacenter = "eu-north-1";
    n.node_pool = "gpu";
  });
  ir::Job job = testing::MockJob();
  job.datacenters = {"eu-*"};
  job.task_groups[0].count = 4;
  ScheduleResult r = Register(job);
  for (const Allocation& a : Placed(r.plan)) {
    EXPECT_EQ(state.GetNode(a.node_id)->datacenter, "eu-west-1");
  }
  job.node_pool = "gpu";
  ScheduleResult gpu = Register(job);
  for (const Allocation& a : Placed(gpu.plan)) {
    EXPECT_EQ(state.GetNode(a.node_id)->node_pool, "gpu");
  }
  EXPECT_EQ(Placed(gpu.plan).size(), 4u);
}

TEST_F(GenericTest, DistinctHostsPutsOneAllocationPerNode) {
  AddNodes(3);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 4;
  job.constraints.push_back(testing::MakeConstraint("", ir::ConstraintOp::kDistinctHosts, "true"));
  ScheduleResult r = Register(job);
  std::set<model::Id> nodes;
  for (const Allocation& a : Placed(r.plan)) nodes.insert(a.node_id);
  EXPECT_EQ(Placed(r.plan).size(), 3u);
  EXPECT_EQ(nodes.size(), 3u);
  EXPECT_EQ(r.plan.failed_tg_allocs.at("web").constraint_filtered.at("distinct_hosts"), 3);
}

TEST_F(GenericTest, DistinctPropertyLimitsAllocationsPerValue) {
  AddNodes(6, [](model::Node& n, int i) { n.meta["rack"] = "r" + std::to_string(i % 2); });
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 5;
  job.task_groups[0].constraints.push_back(
      testing::MakeConstraint("${meta.rack}", ir::ConstraintOp::kDistinctProperty, "2"));
  ScheduleResult r = Register(job);
  std::map<std::string, int> per_rack;
  for (const Allocation& a : Placed(r.plan)) per_rack[state.GetNode(a.node_id)->meta.at("rack")]++;
  EXPECT_EQ(per_rack, (std::map<std::string, int>{{"r0", 2}, {"r1", 2}}));
  const auto& reasons = r.plan.failed_tg_allocs.at("web").constraint_filtered;
  ASSERT_FALSE(reasons.empty());
  EXPECT_TRUE(reasons.begin()->first.starts_with("distinct_property: ${meta.rack}=r"));
}

TEST_F(GenericTest, AntiAffinitySpreadsAServiceUnderNomadRanking) {
  AddNodes(10);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 10;
  ScheduleResult r = Register(job);
  std::map<model::Id, int> per_node;
  for (const Allocation& a : Placed(r.plan)) per_node[a.node_id]++;
  // Empty identical nodes: round-robin sampling and anti-affinity put them on many nodes.
  EXPECT_GE(per_node.size(), 5u);
}

TEST_F(GenericTest, DroverRankingPacksTighter) {
  AddNodes(10);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 10;
  config.algorithm = Algorithm::kDrover;
  ScheduleResult r = Register(job);
  std::map<model::Id, int> per_node;
  for (const Allocation& a : Placed(r.plan)) per_node[a.node_id]++;
  EXPECT_EQ(Placed(r.plan).size(), 10u);
  EXPECT_LE(per_node.size(), 2u);  // 7 of these fit one node (3900 MHz / 500)
}

TEST_F(GenericTest, AffinityPrefersMatchingNodes) {
  AddNodes(8, [](model::Node& n, int i) { n.meta["ssd"] = i < 2 ? "true" : "false"; });
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 4;
  ir::Affinity aff;
  aff.l_target = "${meta.ssd}";
  aff.r_target = "true";
  aff.weight = 100;
  job.task_groups[0].affinities.push_back(aff);
  ScheduleResult r = Register(job);
  for (const Allocation& a : Placed(r.plan)) {
    EXPECT_EQ(state.GetNode(a.node_id)->meta.at("ssd"), "true");
    EXPECT_EQ(a.metrics->score_meta[0].Get(model::Scorer::kNodeAffinity), 1.0);
  }
}

TEST_F(GenericTest, SpreadWithTargetsSplitsByPercent) {
  AddNodes(8, [](model::Node& n, int i) { n.datacenter = i % 2 == 0 ? "dc1" : "dc2"; });
  ir::Job job = testing::MockJob();
  job.datacenters = {"dc1", "dc2"};
  job.task_groups[0].count = 10;
  ir::Spread spread;
  spread.attribute = "${node.datacenter}";
  spread.weight = 100;
  spread.targets = {ir::SpreadTarget{"dc1", 70, {}}, ir::SpreadTarget{"dc2", 30, {}}};
  job.task_groups[0].spreads.push_back(spread);
  ScheduleResult r = Register(job);
  std::map<std::string, int> per_dc;
  for (const Allocation& a : Placed(r.plan)) per_dc[state.GetNode(a.node_id)->datacenter]++;
  EXPECT_EQ(per_dc, (std::map<std::string, int>{{"dc1", 7}, {"dc2", 3}}));
}

TEST_F(GenericTest, EvenSpreadWithoutTargets) {
  AddNodes(9, [](model::Node& n, int i) { n.meta["zone"] = "z" + std::to_string(i % 3); });
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 9;
  ir::Spread spread;
  spread.attribute = "${meta.zone}";
  spread.weight = 50;
  job.task_groups[0].spreads.push_back(spread);
  ScheduleResult r = Register(job);
  std::map<std::string, int> per_zone;
  for (const Allocation& a : Placed(r.plan)) per_zone[state.GetNode(a.node_id)->meta.at("zone")]++;
  EXPECT_EQ(per_zone, (std::map<std::string, int>{{"z0", 3}, {"z1", 3}, {"z2", 3}}));
}

TEST_F(GenericTest, NomadSamplingEvaluatesLog2NodesForServices) {
  AddNodes(100);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 1;
  job.task_groups[0].networks.clear();
  ScheduleResult r = Register(job);
  const Allocation& a = Placed(r.plan).at(0);
  // ceil(log2(100)) = 7 ranked nodes, all feasible: 7 evaluated, 5 scores kept.
  EXPECT_EQ(a.metrics->nodes_evaluated, 7);
  EXPECT_EQ(a.metrics->score_meta.size(), 5u);

  ir::Job batch = testing::MockBatchJob();
  batch.task_groups[0].count = 1;
  ScheduleResult b = Register(batch);
  EXPECT_EQ(Placed(b.plan).at(0).metrics->nodes_evaluated, 2);  // power of two choices
}

TEST_F(GenericTest, FailedAllocationIsRescheduledAfterItsDelay) {
  AddNodes(3);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 2;
  RegisterAndApply(job);
  Allocation failing = Live("my-job")[0];
  SetClientStatus(failing.id, ClientStatus::kFailed, now - 2'000'000'000);  // failed 2s ago

  // MockJob's policy: constant 5s delay, 2 attempts in 10m. Not yet due: a follow-up eval.
  ScheduleResult later = Evaluate(job, "alloc-failure");
  EXPECT_TRUE(Placed(later.plan).size() == 1);  // the attribute update only
  ASSERT_EQ(later.followup_evals.size(), 1u);
  EXPECT_EQ(later.followup_evals[0].wait_until, now + 3'000'000'000);
  EXPECT_EQ(later.followup_evals[0].triggered_by, "alloc-failure");
  EXPECT_EQ(Placed(later.plan)[0].followup_eval_id, later.followup_evals[0].id);
  EXPECT_EQ(later.plan.desired_tg_updates.at("web").place, 0u);

  now += 4'000'000'000;  // within the 1s window of the reschedule time
  ScheduleResult r = Evaluate(job, "alloc-failure");
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").place, 1u);
  ASSERT_EQ(Stops(r.plan).size(), 1u);
  EXPECT_EQ(Stops(r.plan)[0].description, "alloc was rescheduled because it failed");
  std::vector<Allocation> placed = Placed(r.plan);
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].previous_allocation, failing.id);
  EXPECT_EQ(placed[0].index, failing.index);
  ASSERT_EQ(placed[0].reschedule_tracker.size(), 1u);
  EXPECT_EQ(placed[0].reschedule_tracker[0].prev_node_id, failing.node_id);
  EXPECT_EQ(placed[0].reschedule_tracker[0].delay, std::chrono::seconds(5));
  // The failed node carries the reschedule penalty.
  bool penalized = false;
  for (const model::NodeScoreMeta& node : placed[0].metrics->score_meta) {
    if (node.node_id == failing.node_id) {
      penalized = node.Get(model::Scorer::kNodeReschedulePenalty) == -1.0;
    }
  }
  EXPECT_TRUE(penalized || placed[0].metrics->score_meta.size() < 3);
  EXPECT_NE(placed[0].node_id, failing.node_id);
}

TEST_F(GenericTest, RescheduleAttemptsRunOut) {
  AddNodes(2);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 1;
  RegisterAndApply(job);
  Allocation a = Live("my-job")[0];
  a.client_status = ClientStatus::kFailed;
  a.modify_time = now - 60'000'000'000LL;
  a.reschedule_tracker = {{now - 120'000'000'000LL, {}, {}, std::chrono::seconds(5)},
                          {now - 90'000'000'000LL, {}, {}, std::chrono::seconds(5)}};
  state.UpsertAlloc(a, Next());
  ScheduleResult r = Evaluate(job, "alloc-failure");
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").place, 0u);
  EXPECT_TRUE(r.plan.IsNoOp());
}

TEST_F(GenericTest, ExponentialDelayDoubles) {
  ir::Job job = testing::MockJob();
  job.task_groups[0].reschedule_policy->delay_function = ir::DelayFunction::kExponential;
  job.task_groups[0].reschedule_policy->max_delay = std::chrono::seconds(60);
  Allocation a = testing::MockAlloc(testing::MockVersion(job), testing::NextTestId());
  EXPECT_EQ(NextDelay(a), std::chrono::seconds(5));
  a.reschedule_tracker = {{0, {}, {}, std::chrono::seconds(20)}};
  EXPECT_EQ(NextDelay(a), std::chrono::seconds(40));
  a.reschedule_tracker = {{0, {}, {}, std::chrono::seconds(40)}};
  a.modify_time = 1;
  EXPECT_EQ(NextDelay(a), std::chrono::seconds(60));  // capped
  job.task_groups[0].reschedule_policy->delay_function = ir::DelayFunction::kFibonacci;
  a.job = testing::MockVersion(job);
  a.reschedule_tracker = {{0, {}, {}, std::chrono::seconds(5)},
                          {0, {}, {}, std::chrono::seconds(8)}};
  EXPECT_EQ(NextDelay(a), std::chrono::seconds(13));
}

TEST_F(GenericTest, BatchKeepsCompletedAllocations) {
  AddNodes(2);
  ir::Job job = testing::MockBatchJob();
  job.task_groups[0].count = 3;
  RegisterAndApply(job);
  std::vector<Allocation> live = Live("batch-job");
  SetClientStatus(live[0].id, ClientStatus::kComplete, now - 1);
  ScheduleResult r = Evaluate(job);
  EXPECT_TRUE(Placed(r.plan).empty());
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").place, 0u);
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").ignore, 3u);
}

TEST_F(GenericTest, RemovedGroupIsStopped) {
  AddNodes(2);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 2;
  ir::TaskGroup cache = job.task_groups[0];
  cache.name = "cache";
  job.task_groups.push_back(cache);
  RegisterAndApply(job);
  job.task_groups.pop_back();
  ScheduleResult r = Register(job);
  EXPECT_EQ(r.plan.desired_tg_updates.at("cache").stop, 2u);
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").in_place_update, 2u);
}

TEST_F(GenericTest, PlanIsDeterministicForASeed) {
  AddNodes(20);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 15;
  testing::UpsertJob(state, job, Next());
  model::Evaluation e = testing::RegisterEval(job);
  ScheduleResult a = Schedule({&state, e, now, 7, config, nullptr});
  ScheduleResult b = Schedule({&state, e, now, 7, config, nullptr});
  ScheduleResult c = Schedule({&state, e, now, 8, config, nullptr});
  EXPECT_EQ(Fingerprint(a.plan), Fingerprint(b.plan));
  EXPECT_NE(Fingerprint(a.plan), Fingerprint(c.plan));
}

TEST_F(GenericTest, EvaluatePlanRejectsNodesThatFilledUp) {
  model::Node node = AddNode();
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 7;
  job.task_groups[0].networks.clear();
  testing::UpsertJob(state, job, Next());
  ScheduleResult r = Evaluate(job);
  ASSERT_EQ(Placed(r.plan).size(), 7u);
  // Another job takes most of the node in the meantime.
  ir::Job other = testing::MockJob();
  other.id = "other";
  other.task_groups[0].count = 1;
  other.task_groups[0].networks.clear();
  other.task_groups[0].tasks[0].resources.cpu = 3000;
  RegisterAndApply(other);
  PlanResult pr = EvaluatePlan(state, r.plan);
  EXPECT_FALSE(pr.FullyCommitted());
  ASSERT_EQ(pr.rejected_nodes.size(), 1u);
  EXPECT_EQ(pr.rejected_nodes[0].first, node.id);
  EXPECT_EQ(pr.rejected_nodes[0].second, "cpu");
  EXPECT_EQ(pr.refresh_index, state.index());
  EXPECT_TRUE(pr.node_allocation.empty());

  // The server re-runs the scheduler against the refreshed state: what fits is placed.
  EvalOutcome out =
      ProcessEvaluation(state, testing::RegisterEval(job), now, 3, config, [&] { return Next(); });
  EXPECT_EQ(Live("my-job").size(), 1u);
  EXPECT_EQ(out.last.plan.failed_tg_allocs.at("web").coalesced_failures, 5);
}

TEST_F(GenericTest, EvaluatePlanRejectsPortCollisionsAndDownNodes) {
  model::Node node = AddNode();
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 1;
  job.task_groups[0].networks[0].dynamic_ports.clear();
  job.task_groups[0].networks[0].reserved_ports.push_back(ir::Port{"http", 8080, 0, "", {}});
  testing::UpsertJob(state, job, Next());
  ScheduleResult first = Evaluate(job);
  ir::Job other = job;
  other.id = "other";
  RegisterAndApply(other);
  PlanResult pr = EvaluatePlan(state, first.plan);
  ASSERT_EQ(pr.rejected_nodes.size(), 1u);
  EXPECT_EQ(pr.rejected_nodes[0].second, "reserved port collision http=8080");

  UpdateNode(node.id, [](model::Node& n) { n.status = model::NodeStatus::kDown; });
  ir::Job third = job;
  third.id = "third";
  third.task_groups[0].networks.clear();
  testing::UpsertJob(state, third, Next());
  UpdateNode(node.id, [](model::Node& n) { n.status = model::NodeStatus::kReady; });
  ScheduleResult r3 = Evaluate(third);
  UpdateNode(node.id, [](model::Node& n) { n.status = model::NodeStatus::kDown; });
  PlanResult pr3 = EvaluatePlan(state, r3.plan);
  ASSERT_EQ(pr3.rejected_nodes.size(), 1u);
  EXPECT_EQ(pr3.rejected_nodes[0].second, "node is not ready for placements");
}

TEST_F(GenericTest, DryRunReportsTheStoredModifyIndex) {
  AddNodes(2);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 2;
  DryRunResult fresh = DryRun(state, job, now, 1);
  EXPECT_EQ(fresh.job_modify_index, 0u);
  EXPECT_EQ(fresh.old_version, nullptr);
  EXPECT_EQ(fresh.result.plan.desired_tg_updates.at("web").place, 2u);
  RegisterAndApply(job);
  DryRunResult same = DryRun(state, job, now, 1);
  EXPECT_EQ(same.job_modify_index, state.GetJob({"default", "my-job"})->job_modify_index);
  EXPECT_EQ(same.result.plan.desired_tg_updates.at("web").ignore, 2u);
  EXPECT_TRUE(same.result.plan.IsNoOp());
  EXPECT_EQ(state.GetJob({"default", "my-job"})->version, 0u);  // nothing written
}

}  // namespace
}  // namespace drover::scheduler

namespace drover::scheduler {
namespace {

class PortTest : public SchedulerFixture {};

TEST_F(PortTest, DynamicPortsComeFromTheNodeRangeAndRunOut) {
  AddNode([](model::Node& n) {
    n.resources.min_dynamic_port = 30000;
    n.resources.max_dynamic_port = 30003;
  });
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 3;  // 2 ports each: 6 ports, 4 in the range
  ScheduleResult r = Register(job);
  std::set<int> ports;
  for (const model::Allocation& a : Placed(r.plan)) {
    for (const auto& p : a.resources.ports) {
      EXPECT_GE(p.value, 30000);
      EXPECT_LE(p.value, 30003);
      EXPECT_TRUE(ports.insert(p.value).second) << "port " << p.value << " given twice";
    }
  }
  EXPECT_EQ(Placed(r.plan).size(), 2u);
  EXPECT_EQ(r.plan.failed_tg_allocs.at("web").dimension_exhausted.begin()->first,
            "network: dynamic port selection failed");
}

TEST_F(PortTest, MappedPortsKeepTheirTarget) {
  AddNode();
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 1;
  job.task_groups[0].networks[0].dynamic_ports = {ir::Port{"http", 0, 8080, "", {}},
                                                  ir::Port{"admin", 0, -1, "", {}}};
  ScheduleResult r = Register(job);
  const auto& ports = Placed(r.plan).at(0).resources.ports;
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[0].to, 8080);
  EXPECT_EQ(ports[1].to, ports[1].value);  // to = -1: the allocated port
}

TEST_F(PortTest, BinPackScoreFollowsBestFitV3) {
  AddNode();
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 1;
  job.task_groups[0].networks.clear();
  ScheduleResult r = Register(job);
  const auto& meta = Placed(r.plan).at(0).metrics->score_meta;
  ASSERT_EQ(meta.size(), 1u);
  // 500 of 3900 MHz, 256 of 7936 MB used: 20 - (10^(1-500/3900) + 10^(1-256/7936)), over 18.
  double expected =
      (20.0 - (std::pow(10.0, 1.0 - 500.0 / 3900.0) + std::pow(10.0, 1.0 - 256.0 / 7936.0))) / 18.0;
  EXPECT_NEAR(meta[0].Get(model::Scorer::kBinpack).value_or(-1), expected, 1e-12);
  EXPECT_NEAR(meta[0].norm_score, expected, 1e-12);  // the only score: the mean
}

}  // namespace
}  // namespace drover::scheduler

namespace drover::scheduler {
namespace {

class UpdateTest : public SchedulerFixture {};

TEST_F(UpdateTest, ConstraintThatExcludesTheNodeMakesTheUpdateDestructive) {
  AddNodes(2, [](model::Node& n, int i) { n.meta["tier"] = i == 0 ? "a" : "b"; });
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 1;
  job.task_groups[0].constraints.push_back(
      testing::MakeConstraint("${meta.tier}", ir::ConstraintOp::kEqual, "a"));
  RegisterAndApply(job);
  // A constraint change alone could be in place, but the running node no longer fits it.
  job.task_groups[0].constraints[0].r_target = "b";
  ScheduleResult r = Register(job);
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").destructive_update, 1u);
  ASSERT_EQ(Placed(r.plan).size(), 1u);
  EXPECT_EQ(state.GetNode(Placed(r.plan)[0].node_id)->meta.at("tier"), "b");
}

TEST_F(UpdateTest, StickyDiskPrefersThePreviousNode) {
  AddNodes(6);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 3;
  job.task_groups[0].ephemeral_disk->sticky = true;
  RegisterAndApply(job);
  std::map<uint32_t, model::Id> before;
  for (const model::Allocation& a : Live("my-job")) before[a.index] = a.node_id;
  job.task_groups[0].tasks[0].config["command"] = "/bin/true";  // destructive
  ScheduleResult r = Register(job);
  ASSERT_EQ(Placed(r.plan).size(), 3u);
  for (const model::Allocation& a : Placed(r.plan)) EXPECT_EQ(a.node_id, before.at(a.index));
}

TEST_F(UpdateTest, FollowUpEvaluationReschedulesItsAllocation) {
  AddNodes(2);
  ir::Job job = testing::MockJob();
  job.task_groups[0].count = 1;
  RegisterAndApply(job);
  model::Allocation a = Live("my-job")[0];
  SetClientStatus(a.id, model::ClientStatus::kFailed, now);  // failed just now: due in 5s
  ScheduleResult later = Evaluate(job, "alloc-failure");
  ASSERT_EQ(later.followup_evals.size(), 1u);
  Apply(later);
  EXPECT_EQ(state.GetAlloc(a.id)->followup_eval_id, later.followup_evals[0].id);
  // The follow-up evaluation itself reschedules the allocation, even a little early.
  model::Evaluation followup = later.followup_evals[0];
  ScheduleResult r = Schedule({&state, followup, now + 1, seed, config, nullptr});
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").place, 1u);
  ASSERT_EQ(Placed(r.plan).size(), 1u);
  EXPECT_EQ(Placed(r.plan)[0].previous_allocation, a.id);
}

}  // namespace
}  // namespace drover::scheduler
