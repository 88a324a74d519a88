// The scheduler's output and the plan applier: a Plan says, node by node, which allocations to
// add or update and which to stop; EvaluatePlan re-checks it against the latest state (the
// scheduler worked on a snapshot, so another plan may have taken the room since) and keeps what
// still fits; ApplyPlanResult writes the accepted part into a State. This is Nomad's optimistic
// concurrency: the server commits the result and re-runs the scheduler for what was rejected.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/model/state.h"
#include "reconciler/model/types.h"

namespace drover::scheduler {

/// Descriptions the scheduler gives stopped allocations (Nomad's wording).
namespace desc {
inline constexpr std::string_view kNotNeeded = "alloc not needed due to job update";
inline constexpr std::string_view kMigrating = "alloc is being migrated";
inline constexpr std::string_view kUpdating = "alloc is being updated due to job update";
inline constexpr std::string_view kLost = "alloc is lost since its node is down";
inline constexpr std::string_view kInPlace = "alloc updating in-place";
inline constexpr std::string_view kNodeTainted = "alloc not needed as node is tainted";
inline constexpr std::string_view kRescheduled = "alloc was rescheduled because it failed";
inline constexpr std::string_view kBlockedFailedPlacements =
    "created to place remaining allocations";
inline constexpr std::string_view kBlockedMaxPlan = "created due to placement conflicts";
inline constexpr std::string_view kReschedulingFollowup = "created for delayed rescheduling";
}  // namespace desc

/// A request to stop one allocation (an entry of Nomad's Plan.NodeUpdate).
struct StopRequest {
  model::Id alloc_id;
  std::string description;                           ///< becomes DesiredDescription
  std::optional<model::ClientStatus> client_status;  ///< kLost for allocations on down nodes
  model::Id followup_eval_id;
  bool operator==(const StopRequest&) const = default;
};

/// A status change of an existing deployment (Nomad's DeploymentStatusUpdate): the scheduler
/// cancels the running deployment of an older job version, or of a stopped job.
struct DeploymentStatusUpdate {
  model::Id deployment_id;
  std::string status;
  std::string status_description;
  bool operator==(const DeploymentStatusUpdate&) const = default;
};

/// What one evaluation wants done.
struct Plan {
  model::Id eval_id;
  int priority = 50;
  model::JobKey job;
  model::JobVersionPtr job_version;  ///< the version placed allocations run; null if purged
  bool all_at_once = false;          ///< reject everything if any node does not fit
  model::Time now = 0;               ///< the scheduler's clock, stamped on written allocations
  model::Index snapshot_index = 0;   ///< the state index the scheduler read

  /// Stops, per node (ordered by node id, then in the order the scheduler decided them).
  std::map<model::Id, std::vector<StopRequest>> node_update;
  /// New allocations and in-place updates of existing ones, per node.
  std::map<model::Id, std::vector<model::Allocation>> node_allocation;
  /// Task groups that could not be fully placed, with the metrics of the first failure.
  std::map<std::string, model::AllocMetric> failed_tg_allocs;
  /// Per task group: what the reconciler decided (the `job plan` annotations).
  std::map<std::string, model::DesiredUpdates> desired_tg_updates;
  /// A deployment created for the job's version (its placements carry its id).
  std::optional<model::Deployment> deployment;
  /// Status changes of existing deployments.
  std::vector<DeploymentStatusUpdate> deployment_updates;

  /// True when nothing would change in the cluster.
  bool IsNoOp() const {
    return node_update.empty() && node_allocation.empty() && !deployment &&
           deployment_updates.empty();
  }
  size_t StopCount() const;
  size_t AllocationCount() const;
};

/// The part of a plan that still fits the latest state.
struct PlanResult {
  std::map<model::Id, std::vector<StopRequest>> node_update;
  std::map<model::Id, std::vector<model::Allocation>> node_allocation;
  /// Nodes whose changes were refused, ordered by id, each with the reason.
  std::vector<std::pair<model::Id, std::string>> rejected_nodes;
  /// When something was refused: the state index the scheduler must refresh to before retrying.
  model::Index refresh_index = 0;
  model::Time now = 0;
  /// The plan's deployment and deployment updates: always accepted (they claim no resources;
  /// a retry after a partial commit finds the deployment and keeps using it).
  std::optional<model::Deployment> deployment;
  std::vector<DeploymentStatusUpdate> deployment_updates;

  bool IsNoOp() const {
    return node_update.empty() && node_allocation.empty() && !deployment &&
           deployment_updates.empty();
  }
  bool FullyCommitted() const { return rejected_nodes.empty(); }
};

/// Re-checks every node the plan touches against `latest`: the node must exist (and be ready,
/// eligible and not draining when the plan places something new there) and hold what it would
/// run after the plan (cpu, memory, disk, bandwidth, no port used twice on one address nor a
/// node-reserved port). Stops always fit. A node that does not fit is rejected as a whole; with
/// `all_at_once` any rejection rejects the plan.
PlanResult EvaluatePlan(const model::State& latest, const Plan& plan);
/// Same, moving the accepted allocations out of `plan` instead of copying them.
PlanResult EvaluatePlan(const model::State& latest, Plan&& plan);

/// Writes `result` into `state` at `index`: stopped allocations get DesiredStatus stop, their
/// description and client status; placed and updated allocations are upserted; the created
/// deployment is stored and status updates change deployments that are still active (a
/// deployment marked successful makes its job version stable).
void ApplyPlanResult(model::State& state, const PlanResult& result, model::Index index);
/// Same, moving the allocations out of `result` (no copies: what the server and bench use).
void ApplyPlanResult(model::State& state, PlanResult&& result, model::Index index);

}  // namespace drover::scheduler
