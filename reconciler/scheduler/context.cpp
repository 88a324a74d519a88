#include "reconciler/scheduler/context.h"

#include <algorithm>

#include "compiler/base/check.h"

namespace drover::scheduler {

using model::Allocation;
using model::Id;

bool NodeDelta::PortAdded(std::string_view ip, int port) const {
  for (const auto& [addr, bits] : added) {
    if (addr == ip) return bits.Test(port);
  }
  return false;
}

bool NodeDelta::PortFreed(std::string_view ip, int port) const {
  for (const auto& [addr, p] : freed) {
    if (p == port && addr == ip) return true;
  }
  return false;
}

EvalContext::EvalContext(const model::State& state, const SchedulerConfig& config, uint64_t seed,
                         model::Time now)
    : state_(state), config_(config), now_(now), rng_(seed) {
  plan_.now = now;
  plan_.snapshot_index = state.index();
}

void EvalContext::SetJob(const ir::Job* job, const model::JobKey& key) {
  job_ = job;
  job_key_ = key;
  job_allocs_.clear();
  for (const Allocation* a : state_.AllocsByJob(key)) {
    if (a->IsTerminal() || a->node_id.IsZero()) continue;
    job_allocs_[a->node_id].push_back(a);
  }
  for (auto& [node, list] : job_allocs_) {
    std::sort(list.begin(), list.end(),
              [](const Allocation* x, const Allocation* y) { return x->id < y->id; });
  }
  for (auto& [node, d] : deltas_) d.group_allocs_loaded = false;
}

int EvalContext::GroupIndex(std::string_view tg) const {
  if (job_ == nullptr) return -1;
  for (size_t i = 0; i < job_->task_groups.size(); ++i) {
    if (job_->task_groups[i].name == tg) return static_cast<int>(i);
  }
  return -1;
}

void EvalContext::LoadGroupAllocs(const Id& node, NodeDelta& d) {
  if (d.group_allocs_loaded) return;
  d.group_allocs_loaded = true;
  d.group_allocs.assign(job_ == nullptr ? 0 : job_->task_groups.size(), 0);
  auto it = job_allocs_.find(node);
  if (it == job_allocs_.end()) return;
  for (const Allocation* a : it->second) {
    int g = GroupIndex(a->task_group);
    if (g >= 0) d.group_allocs[g] += 1;
  }
}

NodeDelta& EvalContext::MutableDelta(const Id& node) {
  NodeDelta& d = deltas_[node];
  LoadGroupAllocs(node, d);
  return d;
}

const NodeDelta* EvalContext::Delta(const Id& node) const {
  auto it = deltas_.find(node);
  return it == deltas_.end() ? nullptr : &it->second;
}

int EvalContext::GroupAllocsOn(const Id& node, size_t tg_index) {
  auto it = deltas_.find(node);
  if (it != deltas_.end() && it->second.group_allocs_loaded) {
    return tg_index < it->second.group_allocs.size() ? it->second.group_allocs[tg_index] : 0;
  }
  auto ja = job_allocs_.find(node);
  if (ja == job_allocs_.end() || job_ == nullptr || tg_index >= job_->task_groups.size()) return 0;
  const std::string& name = job_->task_groups[tg_index].name;
  int n = 0;
  for (const Allocation* a : ja->second) n += a->task_group == name ? 1 : 0;
  return n;
}

int EvalContext::JobAllocsOn(const Id& node) {
  auto it = deltas_.find(node);
  if (it != deltas_.end() && it->second.group_allocs_loaded) {
    int n = 0;
    for (int c : it->second.group_allocs) n += c;
    return n;
  }
  auto ja = job_allocs_.find(node);
  return ja == job_allocs_.end() ? 0 : static_cast<int>(ja->second.size());
}

namespace {

enum class Mode { kPlace, kRemoveExisting, kRestoreExisting };

void ApplyResources(const Allocation& a, int64_t sign, NodeDelta& d) {
  d.cpu_mhz += sign * a.resources.TotalCpu();
  d.memory_mb += sign * a.resources.TotalMemory();
  d.disk_mb += sign * a.resources.disk_mb;
  d.mbits += sign * a.resources.mbits;
  for (const auto& t : a.resources.tasks) d.cores += sign * t.cores;
}

void ApplyPorts(const Allocation& a, Mode mode, NodeDelta& d) {
  for (const auto& p : a.resources.ports) {
    switch (mode) {
      case Mode::kPlace: {
        model::PortBitmap* bits = nullptr;
        for (auto& [addr, b] : d.added) {
          if (addr == p.host_ip) bits = &b;
        }
        if (bits == nullptr) bits = &d.added.emplace_back(p.host_ip, model::PortBitmap()).second;
        if (p.value >= 0 && p.value < 65536) bits->Set(p.value);
        break;
      }
      case Mode::kRemoveExisting:
        d.freed.emplace_back(p.host_ip, p.value);
        break;
      case Mode::kRestoreExisting:
        for (size_t i = d.freed.size(); i-- > 0;) {
          if (d.freed[i].second == p.value && d.freed[i].first == p.host_ip) {
            d.freed.erase(d.freed.begin() + static_cast<ptrdiff_t>(i));
            break;
          }
        }
        break;
    }
  }
}

}  // namespace

void EvalContext::AppendAlloc(Allocation alloc) {
  NodeDelta& d = MutableDelta(alloc.node_id);
  int g = alloc.job_id == job_key_.id && alloc.namespace_ == job_key_.namespace_
              ? GroupIndex(alloc.task_group)
              : -1;
  const Allocation* existing = state_.GetAlloc(alloc.id);
  if (existing != nullptr && !existing->IsTerminal() && existing->node_id == alloc.node_id &&
      !IsStopped(existing->id)) {
    // An in-place update: swap the old version's resources for the new one's.
    ApplyResources(*existing, -1, d);
    ApplyPorts(*existing, Mode::kRemoveExisting, d);
  } else if (g >= 0 && !alloc.IsTerminal()) {
    d.group_allocs[g] += 1;
  }
  if (!alloc.IsTerminal()) {
    ApplyResources(alloc, +1, d);
    ApplyPorts(alloc, Mode::kPlace, d);
  }
  plan_.node_allocation[alloc.node_id].push_back(std::move(alloc));
}

void EvalContext::AppendStop(const Allocation& alloc, std::string_view description,
                             std::optional<model::ClientStatus> client_status,
                             const Id& followup_eval) {
  StopRequest req;
  req.alloc_id = alloc.id;
  req.description = std::string(description);
  req.client_status = client_status;
  req.followup_eval_id = followup_eval;
  plan_.node_update[alloc.node_id].push_back(std::move(req));
  bool first = stopped_[alloc.id]++ == 0;
  if (!first || alloc.IsTerminal() || alloc.node_id.IsZero()) return;
  NodeDelta& d = MutableDelta(alloc.node_id);
  ApplyResources(alloc, -1, d);
  ApplyPorts(alloc, Mode::kRemoveExisting, d);
  int g = alloc.job_id == job_key_.id && alloc.namespace_ == job_key_.namespace_
              ? GroupIndex(alloc.task_group)
              : -1;
  if (g >= 0) d.group_allocs[g] -= 1;
}

void EvalContext::PopStop(const Allocation& alloc) {
  auto it = plan_.node_update.find(alloc.node_id);
  DROVER_CHECK(it != plan_.node_update.end(), "PopStop without a matching AppendStop");
  auto& stops = it->second;
  auto pos = std::find_if(stops.rbegin(), stops.rend(),
                          [&](const StopRequest& s) { return s.alloc_id == alloc.id; });
  DROVER_CHECK(pos != stops.rend(), "PopStop without a matching AppendStop");
  stops.erase(std::next(pos).base());
  if (stops.empty()) plan_.node_update.erase(it);
  bool last = --stopped_[alloc.id] == 0;
  if (last) stopped_.erase(alloc.id);
  if (!last || alloc.IsTerminal() || alloc.node_id.IsZero()) return;
  NodeDelta& d = MutableDelta(alloc.node_id);
  ApplyResources(alloc, +1, d);
  ApplyPorts(alloc, Mode::kRestoreExisting, d);
  int g = alloc.job_id == job_key_.id && alloc.namespace_ == job_key_.namespace_
              ? GroupIndex(alloc.task_group)
              : -1;
  if (g >= 0) d.group_allocs[g] += 1;
}

bool EvalContext::IsStopped(const Id& alloc_id) const { return stopped_.contains(alloc_id); }

void FilterNode(model::AllocMetric& m, const model::Node& node, std::string_view reason) {
  m.nodes_filtered += 1;
  if (!node.node_class.empty()) m.class_filtered[node.node_class] += 1;
  if (!reason.empty()) m.constraint_filtered[std::string(reason)] += 1;
}

void ExhaustedNode(model::AllocMetric& m, const model::Node& node, std::string_view dimension) {
  m.nodes_exhausted += 1;
  if (!node.node_class.empty()) m.class_exhausted[node.node_class] += 1;
  if (!dimension.empty()) m.dimension_exhausted[std::string(dimension)] += 1;
}

}  // namespace drover::scheduler
