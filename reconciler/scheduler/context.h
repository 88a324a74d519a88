// The state of one scheduler run: the snapshot it reads, the plan it builds, and what that plan
// does to each node (resources, ports, this job's allocations per group), so that feasibility and
// ranking see the cluster as it would be after the plan. Internal to reconciler/scheduler.
//
// Threading: one context per evaluation, used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ir/job.h"
#include "reconciler/model/state.h"
#include "reconciler/scheduler/config.h"
#include "reconciler/scheduler/constraint.h"
#include "reconciler/scheduler/plan.h"
#include "reconciler/scheduler/rng.h"

namespace drover::scheduler {

/// What the plan being built does to one node.
struct NodeDelta {
  int64_t cpu_mhz = 0;
  int64_t cores = 0;
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;
  int64_t mbits = 0;
  /// Ports taken by the plan's placements and updates, per host ip.
  std::vector<std::pair<std::string, model::PortBitmap>> added;
  /// Ports released by the plan's stops (and by in-place updates' old versions).
  std::vector<std::pair<std::string, int>> freed;
  /// This job's allocations on the node per task group index (existing, minus stops, plus
  /// placements); filled only for the job being scheduled.
  std::vector<int> group_allocs;
  bool group_allocs_loaded = false;

  bool PortAdded(std::string_view ip, int port) const;
  bool PortFreed(std::string_view ip, int port) const;
};

class EvalContext {
 public:
  EvalContext(const model::State& state, const SchedulerConfig& config, uint64_t seed,
              model::Time now);

  const model::State& state() const { return state_; }
  const SchedulerConfig& config() const { return config_; }
  model::Time now() const { return now_; }
  Rng& rng() { return rng_; }
  Plan& plan() { return plan_; }
  ConstraintCache& constraints() { return constraints_; }

  /// Metrics of the selection in progress (Nomad's ctx.Metrics()).
  model::AllocMetric& metrics() { return metrics_; }
  void ResetMetrics() { metrics_ = model::AllocMetric(); }
  model::AllocMetric TakeMetrics() { return std::move(metrics_); }

  /// Sets the job whose allocations are counted per node (anti-affinity, distinct_hosts).
  void SetJob(const ir::Job* job, const model::JobKey& key);

  /// Adds a placement or an in-place update to the plan.
  void AppendAlloc(model::Allocation alloc);
  /// Adds a stop to the plan.
  void AppendStop(const model::Allocation& alloc, std::string_view description,
                  std::optional<model::ClientStatus> client_status = std::nullopt,
                  const model::Id& followup_eval = {});
  /// Removes the last stop of `alloc` from the plan (a replacement could not be placed).
  void PopStop(const model::Allocation& alloc);
  /// True when the plan already stops `alloc_id`.
  bool IsStopped(const model::Id& alloc_id) const;

  /// The plan's effect on `node`, or null when the plan does not touch it.
  const NodeDelta* Delta(const model::Id& node) const;
  /// This job's proposed allocations of group `tg_index` on `node`.
  int GroupAllocsOn(const model::Id& node, size_t tg_index);
  /// This job's proposed allocations of any group on `node`.
  int JobAllocsOn(const model::Id& node);

 private:
  NodeDelta& MutableDelta(const model::Id& node);
  void LoadGroupAllocs(const model::Id& node, NodeDelta& d);
  int GroupIndex(std::string_view tg) const;
  void Account(const model::Allocation& a, int sign, NodeDelta& d);

  const model::State& state_;
  SchedulerConfig config_;
  model::Time now_;
  Rng rng_;
  Plan plan_;
  ConstraintCache constraints_;
  model::AllocMetric metrics_;
  std::unordered_map<model::Id, NodeDelta, model::IdHash> deltas_;
  std::unordered_map<model::Id, int, model::IdHash> stopped_;  // alloc id -> stops in the plan

  const ir::Job* job_ = nullptr;
  model::JobKey job_key_;
  /// Existing non-terminal allocations of the job per node (filled by SetJob).
  std::unordered_map<model::Id, std::vector<const model::Allocation*>, model::IdHash> job_allocs_;
};

/// Nomad's AllocMetric helpers.
void FilterNode(model::AllocMetric& m, const model::Node& node, std::string_view reason);
void ExhaustedNode(model::AllocMetric& m, const model::Node& node, std::string_view dimension);

}  // namespace drover::scheduler
