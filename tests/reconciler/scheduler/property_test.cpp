// Properties of the scheduler on seeded random clusters and jobs. Every failure prints its seed;
// re-run one with DROVER_PROPERTY_SEED=<seed>.
#include <cstdlib>
#include <random>
#include <set>

#include "reconciler/scheduler/resources.h"
#include "tests/reconciler/scheduler/scheduler_fixture.h"

namespace drover::scheduler {
namespace {

using model::Allocation;

class PropertyTest : public SchedulerFixture {
 protected:
  std::mt19937_64 rng;

  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

  void RandomCluster() {
    int n = Pick(3, 30);
    AddNodes(n, [&](model::Node& node, int i) {
      node.datacenter = Chance(0.7) ? "dc1" : "dc2";
      node.node_class = "class-" + std::to_string(Pick(0, 3));
      node.resources.cpu_mhz = 1000 * Pick(1, 8);
      node.resources.memory_mb = 1024 * Pick(1, 16);
      node.resources.disk_mb = 1024 * Pick(5, 50);
      node.meta["rack"] = "r" + std::to_string(Pick(0, 4));
      if (Chance(0.1)) node.attributes["kernel.name"] = "windows";
      if (Chance(0.2)) node.reserved.ports = {22, 8080};
      if (Chance(0.1)) {
        node.resources.min_dynamic_port = 20000;
        node.resources.max_dynamic_port = 20000 + Pick(1, 6);  // a tiny range to exhaust
      }
      node.resources.networks[0].ip = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    });
  }

  ir::Job RandomJob(int k) {
    ir::Job job = testing::MockJob();
    job.id = "job-" + std::to_string(k);
    job.type = Chance(0.2) ? ir::JobType::kBatch : ir::JobType::kService;
    job.datacenters = Chance(0.8) ? std::vector<std::string>{"dc*"} : std::vector<std::string>{"dc1"};
    int groups = Pick(1, 3);
    ir::TaskGroup proto = job.task_groups[0];
    job.task_groups.clear();
    for (int g = 0; g < groups; ++g) {
      ir::TaskGroup tg = proto;
      tg.name = "g" + std::to_string(g);
      tg.count = Pick(0, 12);
      tg.tasks[0].resources.cpu = 100 * Pick(1, 10);
      tg.tasks[0].resources.memory_mb = 64 * Pick(1, 16);
      tg.networks.clear();
      ir::NetworkResource net;
      if (Chance(0.3)) net.reserved_ports.push_back(ir::Port{"static", 9000 + Pick(0, 3), 0, "", {}});
      for (int p = Pick(0, 2); p > 0; --p) {
        net.dynamic_ports.push_back(ir::Port{"dyn" + std::to_string(p), 0, 0, "", {}});
      }
      if (Chance(0.6)) tg.networks.push_back(net);
      if (Chance(0.2)) {
        tg.constraints.push_back(
            testing::MakeConstraint("${meta.rack}", ir::ConstraintOp::kNotEqual, "r0"));
      }
      if (Chance(0.1)) {
        tg.constraints.push_back(testing::MakeConstraint("", ir::ConstraintOp::kDistinctHosts, ""));
      }
      if (Chance(0.3)) {
        ir::UpdateStrategy u;
        u.max_parallel = Pick(0, 3);
        tg.update = u;
      }
      job.task_groups.push_back(tg);
    }
    return job;
  }

  void CheckInvariants(const std::string& when) {
    SCOPED_TRACE(when);
    for (const model::Node* node : state.Nodes()) {
      int64_t cpu = 0, mem = 0, disk = 0;
      std::set<std::pair<std::string, int>> ports;
      for (int p : node->reserved.ports) {
        for (const auto& net : node->resources.networks) ports.insert({net.ip, p});
      }
      for (const Allocation* a : state.AllocsByNode(node->id)) {
        if (a->IsTerminal()) continue;
        cpu += a->resources.TotalCpu();
        mem += a->resources.TotalMemory();
        disk += a->resources.disk_mb;
        for (const auto& p : a->resources.ports) {
          EXPECT_TRUE(ports.insert({p.host_ip, p.value}).second)
              << "port " << p.host_ip << ":" << p.value << " used twice on " << node->name;
          if (p.value >= node->resources.min_dynamic_port && p.value <= node->resources.max_dynamic_port) {
            SUCCEED();
          }
        }
      }
      Capacity cap = NodeCapacity(*node);
      EXPECT_LE(cpu, cap.cpu_mhz) << node->name;
      EXPECT_LE(mem, cap.memory_mb) << node->name;
      EXPECT_LE(disk, cap.disk_mb) << node->name;
    }
  }

  // The plan's allocation changes agree with its DesiredTGUpdates annotations.
  void CheckAccounting(const ScheduleResult& r) {
    const Plan& plan = r.plan;
    uint64_t place = 0, destructive = 0, migrate = 0, stop = 0;
    for (const auto& [tg, d] : plan.desired_tg_updates) {
      place += d.place;
      destructive += d.destructive_update;
      migrate += d.migrate;
      stop += d.stop;
    }
    size_t created = 0, updated = 0;
    std::set<model::Id> touched;
    for (const auto& [node, allocs] : plan.node_allocation) {
      for (const Allocation& a : allocs) {
        EXPECT_TRUE(touched.insert(a.id).second) << "allocation in the plan twice";
        (state.GetAlloc(a.id) == nullptr ? created : updated) += 1;
      }
    }
    size_t stops = 0, lost_marks = 0, placed_destructive = 0;
    std::set<model::Id> stopped;
    for (const auto& [node, list] : plan.node_update) {
      for (const StopRequest& s : list) {
        EXPECT_TRUE(stopped.insert(s.alloc_id).second) << "stopped twice";
        EXPECT_FALSE(touched.contains(s.alloc_id)) << "stopped and updated";
        const Allocation* a = state.GetAlloc(s.alloc_id);
        ASSERT_NE(a, nullptr);
        ++stops;
        if (a->ServerTerminal()) ++lost_marks;
        if (s.description == desc::kUpdating) ++placed_destructive;
      }
    }
    uint64_t failed = 0;
    for (const auto& [tg, m] : plan.failed_tg_allocs) failed += m.coalesced_failures + 1;
    bool system = r.eval.type == "system" || r.eval.type == "sysbatch";
    if (!system) {
      EXPECT_EQ(created + failed, place + destructive + migrate);
      EXPECT_EQ(stops, stop + placed_destructive + migrate + lost_marks);
    }
  }

  // Runs evaluations of `job` until one changes nothing (rolling updates take one evaluation per
  // max_parallel batch), checking every plan and the cluster after each.
  void Converge(const ir::Job& job, const std::string& why) {
    for (int round = 0; round < 20; ++round) {
      model::Evaluation eval = testing::RegisterEval(job);
      ScheduleResult r = Schedule({&state, eval, now, seed, config, nullptr});
      CheckAccounting(r);
      EXPECT_EQ(Fingerprint(r.plan),
                Fingerprint(Schedule({&state, eval, now, seed, config, nullptr}).plan))
          << "same seed, same plan";
      if (r.plan.IsNoOp()) return;  // converged: a run without changes is a no-op
      PlanResult pr = EvaluatePlan(state, r.plan);
      EXPECT_TRUE(pr.FullyCommitted());
      ApplyPlanResult(state, std::move(pr), Next());
      CheckInvariants(why + " " + job.id);
    }
    ADD_FAILURE() << job.id << " did not converge after " << why << ":\n"
                  << Fingerprint(Evaluate(job).plan);
  }

  void RunScenario(uint64_t scenario_seed) {
    rng.seed(scenario_seed);
    seed = scenario_seed;
    RandomCluster();
    std::vector<ir::Job> jobs;
    for (int k = Pick(1, 5); k > 0; --k) {
      jobs.push_back(RandomJob(k));
      testing::UpsertJob(state, jobs.back(), Next());
      Converge(jobs.back(), "register");
    }
    for (int step = 0; step < 6; ++step) {
      ir::Job& job = jobs[Pick(0, static_cast<int>(jobs.size()) - 1)];
      std::string what;
      switch (Pick(0, 5)) {
        case 0:
          what = "count change";
          job.task_groups[0].count = Pick(0, 15);
          break;
        case 1:
          what = "config change";
          job.task_groups[0].tasks[0].config["command"] = "/bin/v" + std::to_string(step);
          break;
        case 2:
          what = "service tags";
          job.task_groups[0].tasks[0].services[0].tags = {"t" + std::to_string(step)};
          break;
        case 3: {
          what = "node down";
          std::vector<const model::Node*> nodes = state.Nodes();
          UpdateNode(nodes[Pick(0, static_cast<int>(nodes.size()) - 1)]->id,
                     [](model::Node& n) { n.status = model::NodeStatus::kDown; });
          break;
        }
        case 4: {
          what = "node drain";
          std::vector<const model::Node*> nodes = state.Nodes();
          UpdateNode(nodes[Pick(0, static_cast<int>(nodes.size()) - 1)]->id, [](model::Node& n) {
            n.drain = true;
            n.eligible = false;
          });
          break;
        }
        default:
          what = "new node";
          AddNode();
          break;
      }
      if (what.starts_with("node") || what == "new node") {
        for (ir::Job& j : jobs) Converge(j, what);
      } else {
        testing::UpsertJob(state, job, Next());
        Converge(job, what);
      }
      // Drained nodes have been emptied: clear the allocations' migrate marks for the next step.
    }
  }
};

TEST_F(PropertyTest, RandomClustersKeepTheInvariants) {
  std::vector<uint64_t> seeds;
  if (const char* one = std::getenv("DROVER_PROPERTY_SEED")) {
    seeds.push_back(std::strtoull(one, nullptr, 10));
  } else {
    for (uint64_t s = 1; s <= 60; ++s) seeds.push_back(s * 7919);
  }
  for (uint64_t s : seeds) {
    SCOPED_TRACE("seed " + std::to_string(s) + " (DROVER_PROPERTY_SEED=" + std::to_string(s) + ")");
    state = model::State();
    RunScenario(s);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace drover::scheduler
