#include "reconciler/scheduler/plan.h"

#include <algorithm>
#include <set>
#include <utility>

#include "reconciler/scheduler/resources.h"

namespace drover::scheduler {
namespace {

using model::Allocation;
using model::Id;
using model::State;

struct PortKey {
  std::string_view ip;
  int port;
  bool operator==(const PortKey&) const = default;
};

// Whether the node can hold what the plan leaves and adds there; `reason` says why not.
bool NodeFits(const State& latest, const model::Node& node, const std::vector<StopRequest>* stops,
              const std::vector<Allocation>& allocs, std::string* reason) {
  // An allocation without a create index is new (the store has not seen it): no lookup.
  auto stored = [&](const Allocation& a) {
    return a.create_index == 0 ? nullptr : latest.GetAlloc(a.id);
  };
  bool places_new = false;
  for (const Allocation& a : allocs) {
    const Allocation* existing = stored(a);
    if (existing == nullptr || existing->node_id != node.id) places_new = true;
  }
  if (places_new) {
    if (node.status != model::NodeStatus::kReady) {
      *reason = "node is not ready for placements";
      return false;
    }
    if (!node.eligible || node.drain) {
      *reason = "node is not eligible";
      return false;
    }
  }

  const model::NodeUsage& base = latest.Usage(node.id);
  int64_t cpu = base.cpu_mhz;
  int64_t mem = base.memory_mb;
  int64_t disk = base.disk_mb;
  int64_t mbits = base.mbits;
  int64_t cores = base.cores;
  std::vector<PortKey> removed;
  auto remove = [&](const Allocation& a) {
    if (a.IsTerminal() || a.node_id != node.id) return;
    cpu -= a.resources.TotalCpu();
    mem -= a.resources.TotalMemory();
    disk -= a.resources.disk_mb;
    mbits -= a.resources.mbits;
    for (const auto& t : a.resources.tasks) cores -= t.cores;
    for (const auto& p : a.resources.ports) removed.push_back({p.host_ip, p.value});
  };
  if (stops != nullptr) {
    for (const StopRequest& s : *stops) {
      if (const Allocation* a = latest.GetAlloc(s.alloc_id)) remove(*a);
    }
  }
  for (const Allocation& a : allocs) {
    if (const Allocation* existing = stored(a)) {
      // Only discount it once, even if the plan also stops it.
      bool stopped =
          stops != nullptr && std::any_of(stops->begin(), stops->end(),
                                          [&](const StopRequest& s) { return s.alloc_id == a.id; });
      if (!stopped) remove(*existing);
    }
  }
  // Ports the plan adds, one bitmap per address (a plan may put hundreds of ports on a node).
  std::vector<std::pair<std::string_view, model::PortBitmap>> added;
  auto added_on = [&](std::string_view ip) -> model::PortBitmap& {
    for (auto& [addr, bits] : added) {
      if (addr == ip) return bits;
    }
    return added.emplace_back(ip, model::PortBitmap()).second;
  };
  for (const Allocation& a : allocs) {
    if (a.IsTerminal()) continue;
    cpu += a.resources.TotalCpu();
    mem += a.resources.TotalMemory();
    disk += a.resources.disk_mb;
    mbits += a.resources.mbits;
    for (const auto& t : a.resources.tasks) cores += t.cores;
    for (const auto& p : a.resources.ports) {
      if (p.value < 0 || p.value >= 65536) {
        *reason = "invalid port " + std::to_string(p.value);
        return false;
      }
      PortKey key{p.host_ip, p.value};
      bool reserved = std::find(node.reserved.ports.begin(), node.reserved.ports.end(), p.value) !=
                      node.reserved.ports.end();
      bool held = base.PortUsed(p.host_ip, p.value) &&
                  std::find(removed.begin(), removed.end(), key) == removed.end();
      model::PortBitmap& bits = added_on(p.host_ip);
      if (reserved || held || bits.Test(p.value)) {
        *reason = "reserved port collision " + p.label + "=" + std::to_string(p.value);
        return false;
      }
      bits.Set(p.value);
    }
  }
  Capacity cap = NodeCapacity(node);
  if (cpu > cap.cpu_mhz) {
    *reason = "cpu";
    return false;
  }
  if (cap.cores > 0 && cores > cap.cores) {
    *reason = "cores";
    return false;
  }
  if (mem > cap.memory_mb) {
    *reason = "memory";
    return false;
  }
  if (disk > cap.disk_mb) {
    *reason = "disk";
    return false;
  }
  if (mbits > cap.mbits) {
    *reason = "bandwidth exceeded";
    return false;
  }
  return true;
}

// The plan's deployment changes: the created deployment, then status updates of deployments that
// are still active (one that finished meanwhile keeps its status).
void ApplyDeployments(State& state, const PlanResult& result, model::Index index) {
  if (result.deployment) state.UpsertDeployment(*result.deployment, index);
  for (const DeploymentStatusUpdate& u : result.deployment_updates) {
    const model::Deployment* existing = state.GetDeployment(u.deployment_id);
    if (existing == nullptr || !existing->Active()) continue;
    model::Deployment d = *existing;
    d.status = u.status;
    d.status_description = u.status_description;
    state.UpsertDeployment(d, index);
    if (u.status != model::deployment_status::kSuccessful) continue;
    model::JobVersionPtr version = state.GetJobVersion(d.Job(), d.job_version);
    if (version != nullptr && !version->stable) {
      model::JobVersion stable = *version;
      stable.stable = true;
      state.UpsertJobVersion(std::move(stable), index);
    }
  }
}

template <typename R>
void Apply(State& state, R&& result, model::Index index) {
  ApplyDeployments(state, result, index);
  for (auto& [node_id, stops] : result.node_update) {
    for (const StopRequest& s : stops) {
      const Allocation* existing = state.GetAlloc(s.alloc_id);
      if (existing == nullptr) continue;
      Allocation a = *existing;
      a.desired_status = model::DesiredStatus::kStop;
      a.desired_description = s.description;
      if (s.client_status) a.client_status = *s.client_status;
      if (!s.followup_eval_id.IsZero()) a.followup_eval_id = s.followup_eval_id;
      a.modify_time = result.now;
      state.UpsertAlloc(std::move(a), index);
    }
  }
  // The replaced allocation points at its replacement (Nomad's NextAllocation).
  for (const auto& [node_id, allocs] : result.node_allocation) {
    for (const Allocation& a : allocs) {
      if (a.previous_allocation.IsZero()) continue;
      const Allocation* prev = state.GetAlloc(a.previous_allocation);
      if (prev == nullptr || prev->next_allocation == a.id) continue;
      Allocation linked = *prev;
      linked.next_allocation = a.id;
      linked.modify_time = result.now;
      state.UpsertAlloc(std::move(linked), index);
    }
  }
  for (auto& [node_id, allocs] : result.node_allocation) {
    for (auto& a : allocs) {
      if constexpr (std::is_rvalue_reference_v<R&&> &&
                    !std::is_const_v<std::remove_reference_t<R>>) {
        Allocation moved = std::move(a);
        if (moved.create_time == 0) moved.create_time = result.now;
        moved.modify_time = result.now;
        state.UpsertAlloc(std::move(moved), index);
      } else {
        Allocation copy = a;
        if (copy.create_time == 0) copy.create_time = result.now;
        copy.modify_time = result.now;
        state.UpsertAlloc(std::move(copy), index);
      }
    }
  }
}

}  // namespace

size_t Plan::StopCount() const {
  size_t n = 0;
  for (const auto& [node, stops] : node_update) n += stops.size();
  return n;
}

size_t Plan::AllocationCount() const {
  size_t n = 0;
  for (const auto& [node, allocs] : node_allocation) n += allocs.size();
  return n;
}

namespace {

template <typename P>
PlanResult Evaluate(const State& latest, P&& plan) {
  PlanResult result;
  result.now = plan.now;
  result.deployment = plan.deployment;
  result.deployment_updates = plan.deployment_updates;
  std::set<Id> nodes;
  for (const auto& [id, stops] : plan.node_update) nodes.insert(id);
  for (const auto& [id, allocs] : plan.node_allocation) nodes.insert(id);

  for (const Id& node_id : nodes) {
    auto upd = plan.node_update.find(node_id);
    auto add = plan.node_allocation.find(node_id);
    const std::vector<StopRequest>* stops = upd == plan.node_update.end() ? nullptr : &upd->second;
    if (add != plan.node_allocation.end() && !add->second.empty()) {
      std::string reason;
      const model::Node* node = latest.GetNode(node_id);
      if (node == nullptr) {
        reason = "node does not exist";
      } else if (NodeFits(latest, *node, stops, add->second, &reason)) {
        reason.clear();
      }
      if (!reason.empty()) {
        result.rejected_nodes.emplace_back(node_id, std::move(reason));
        continue;
      }
      if constexpr (std::is_const_v<std::remove_reference_t<P>>) {
        result.node_allocation[node_id] = add->second;
      } else {
        result.node_allocation[node_id] = std::move(add->second);
      }
    }
    if (stops != nullptr && !stops->empty()) result.node_update[node_id] = *stops;
  }

  if (!result.rejected_nodes.empty()) {
    result.refresh_index = latest.index();
    if (plan.all_at_once) {
      result.node_update.clear();
      result.node_allocation.clear();
    }
  }
  return result;
}

}  // namespace

PlanResult EvaluatePlan(const State& latest, const Plan& plan) { return Evaluate(latest, plan); }

PlanResult EvaluatePlan(const State& latest, Plan&& plan) {
  return Evaluate(latest, std::move(plan));
}

void ApplyPlanResult(State& state, const PlanResult& result, model::Index index) {
  Apply(state, result, index);
}

void ApplyPlanResult(State& state, PlanResult&& result, model::Index index) {
  Apply(state, std::move(result), index);
}

}  // namespace drover::scheduler
