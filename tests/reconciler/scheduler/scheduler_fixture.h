// A cluster in memory for scheduler tests: nodes and jobs go into a model::State, evaluations
// run through the real scheduler, plans through EvaluatePlan and ApplyPlanResult.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reconciler/scheduler/scheduler.h"
#include "tests/support/builders.h"

namespace drover::scheduler {

class SchedulerFixture : public ::testing::Test {
 protected:
  model::State state;
  model::Index index = 1000;
  model::Time now = 1'700'000'000'000'000'000;
  SchedulerConfig config;
  uint64_t seed = 42;

  model::Index Next() { return ++index; }

  model::Node AddNode(const std::function<void(model::Node&)>& customize = nullptr) {
    model::Node n = testing::MockNode();
    if (customize) customize(n);
    state.UpsertNode(n, Next());
    return *state.GetNode(n.id);
  }
  std::vector<model::Node> AddNodes(int count,
                                    const std::function<void(model::Node&, int)>& customize = nullptr) {
    std::vector<model::Node> out;
    for (int i = 0; i < count; ++i) {
      out.push_back(AddNode([&](model::Node& n) {
        n.name = "node-" + std::to_string(i);
        if (customize) customize(n, i);
      }));
    }
    return out;
  }
  void UpdateNode(const model::Id& id, const std::function<void(model::Node&)>& change) {
    model::Node n = *state.GetNode(id);
    change(n);
    state.UpsertNode(n, Next());
  }

  /// Registers `spec` (a new version) and schedules it without applying.
  ScheduleResult Register(const ir::Job& spec) {
    testing::UpsertJob(state, spec, Next());
    return Evaluate(spec);
  }
  /// Schedules the stored version of `spec`'s job.
  ScheduleResult Evaluate(const ir::Job& spec, const std::string& trigger = "job-register") {
    model::Evaluation e = testing::RegisterEval(spec);
    e.triggered_by = trigger;
    last_eval = e;
    return Schedule(ScheduleRequest{&state, e, now, seed, config, nullptr});
  }
  /// Evaluates the plan against the state and applies it; expects a full commit.
  PlanResult Apply(const ScheduleResult& r) {
    PlanResult pr = EvaluatePlan(state, r.plan);
    EXPECT_TRUE(pr.FullyCommitted()) << (pr.rejected_nodes.empty() ? "" : pr.rejected_nodes[0].second);
    PlanResult copy = pr;
    ApplyPlanResult(state, std::move(pr), Next());
    return copy;
  }
  ScheduleResult RegisterAndApply(const ir::Job& spec) {
    ScheduleResult r = Register(spec);
    Apply(r);
    return r;
  }

  /// Non-terminal allocations of `job_id`, ordered by name index then id.
  std::vector<model::Allocation> Live(const std::string& job_id) const {
    std::vector<model::Allocation> out;
    for (const model::Allocation* a : state.AllocsByJob({"default", job_id})) {
      if (!a->IsTerminal()) out.push_back(*a);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.task_group != b.task_group ? a.task_group < b.task_group
             : a.index != b.index          ? a.index < b.index
                                           : a.id < b.id;
    });
    return out;
  }
  /// Allocations in the plan, in node order.
  static std::vector<model::Allocation> Placed(const Plan& plan) {
    std::vector<model::Allocation> out;
    for (const auto& [node, allocs] : plan.node_allocation) {
      out.insert(out.end(), allocs.begin(), allocs.end());
    }
    return out;
  }
  static std::vector<StopRequest> Stops(const Plan& plan) {
    std::vector<StopRequest> out;
    for (const auto& [node, stops] : plan.node_update) out.insert(out.end(), stops.begin(), stops.end());
    return out;
  }
  /// Everything a plan decides, as text (allocations hold metrics by pointer, so == on plans
  /// compares identity).
  static std::string Fingerprint(const Plan& plan) {
    std::string out;
    for (const auto& [node, stops] : plan.node_update) {
      for (const StopRequest& s : stops) {
        out += "stop " + node.ToString() + " " + s.alloc_id.ToString() + " " + s.description + "\n";
      }
    }
    for (const auto& [node, allocs] : plan.node_allocation) {
      for (const model::Allocation& a : allocs) {
        out += "alloc " + node.ToString() + " " + a.id.ToString() + " " + a.Name();
        for (const auto& p : a.resources.ports) {
          out += " " + p.label + "=" + p.host_ip + ":" + std::to_string(p.value);
        }
        out += "\n";
      }
    }
    for (const auto& [tg, m] : plan.failed_tg_allocs) {
      out += "failed " + tg + " " + std::to_string(m.coalesced_failures) + "\n";
    }
    return out;
  }
  /// Marks an allocation's client status.
  void SetClientStatus(const model::Id& alloc, model::ClientStatus status, model::Time finished = 0) {
    model::Allocation a = *state.GetAlloc(alloc);
    a.client_status = status;
    for (const auto& r : a.resources.tasks) {
      model::TaskState ts;
      ts.state = status == model::ClientStatus::kRunning ? "running" : "dead";
      ts.failed = status == model::ClientStatus::kFailed;
      ts.finished_at = finished;
      a.task_states[r.task] = ts;
    }
    a.modify_time = finished;
    state.UpsertAlloc(a, Next());
  }

  model::Evaluation last_eval;
};

}  // namespace drover::scheduler
