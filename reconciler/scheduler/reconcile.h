// The reconciler of the service and batch schedulers (Nomad's allocReconciler): compares a job's
// task groups with its existing allocations and decides, per group, what to place, stop, update
// in place, replace (destructive update), migrate, reschedule and ignore, with Nomad's name
// indexes ("job.group[n]", lowest free index first; stops take the highest).
//
// Deployments (Nomad's rolling updates; canaries are not implemented yet): a new version of a
// service job whose groups have an update strategy gets a deployment (created here, with each
// group's desired total); the job's running deployment of an older version (or of a stopped job)
// is cancelled; destructive updates are limited so that the deployment's allocations whose health
// is not known yet plus the new ones stay within max_parallel (none at all while one is
// unhealthy, or while the deployment is paused or failed); failed allocations of an active
// deployment wait for the deployment watcher (reconciler/deploy) to allow their replacement.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/job.h"
#include "reconciler/model/types.h"
#include "reconciler/scheduler/plan.h"
#include "reconciler/scheduler/rng.h"

namespace drover::scheduler {

/// One allocation to place (Nomad's allocPlaceResult / allocDestructiveResult).
struct PlacementRequest {
  size_t tg_index = 0;
  uint32_t name_index = 0;
  const model::Allocation* previous = nullptr;  ///< replaced allocation, if any
  bool reschedule = false;                      ///< replaces a failed allocation
  bool lost = false;                            ///< replaces an allocation on a down node
  bool migrate = false;                         ///< replaces an allocation on a draining node
  bool canary = false;
  /// Destructive updates: stop `previous` only once the replacement is placed.
  bool stop_previous = false;
  std::string stop_description;
};

struct StopDecision {
  const model::Allocation* alloc = nullptr;
  std::string description;
  std::optional<model::ClientStatus> client_status;
  model::Id followup_eval_id;
};

/// How an existing allocation relates to the job's new version.
struct UpdateDecision {
  bool ignore = false;                       ///< nothing to do
  bool destructive = false;                  ///< must be replaced
  std::optional<model::Allocation> updated;  ///< in-place: the updated allocation
};
using AllocUpdateFn = std::function<UpdateDecision(const model::Allocation&, size_t tg_index)>;

struct ReconcileResults {
  std::vector<PlacementRequest> place;
  std::vector<PlacementRequest> destructive_update;
  std::vector<model::Allocation> inplace_update;
  std::vector<StopDecision> stop;
  /// Allocations whose attributes change without a job change (their followup eval id).
  std::vector<model::Allocation> attribute_updates;
  std::map<std::string, model::DesiredUpdates> desired_tg_updates;
  /// Delayed evaluations for failed allocations that may be rescheduled later.
  std::vector<model::Evaluation> followup_evals;
  /// A deployment created for the job's version (Nomad's results.deployment).
  std::optional<model::Deployment> deployment;
  /// Cancelled deployments (an older version's, or any once the job is stopped).
  std::vector<DeploymentStatusUpdate> deployment_updates;
  /// The deployment new and in-place updated allocations join: the created one or the job's
  /// active deployment of this version; zero when there is none.
  model::Id deployment_id;
};

struct ReconcileInput {
  const ir::Job* job = nullptr;      ///< null when the job was purged
  model::JobVersionPtr job_version;  ///< the version the job runs (null when purged)
  model::JobKey job_key;
  bool stopped = false;
  bool batch = false;
  std::vector<const model::Allocation*> allocs;  ///< every allocation of the job
  /// Nodes of the job's allocations that are down, disconnected, draining or gone (null).
  std::map<model::Id, const model::Node*> tainted;
  model::Time now = 0;
  model::Id eval_id;
  int eval_priority = 50;
  bool migrate_on_drain = true;
  AllocUpdateFn update_fn;
  Rng* rng = nullptr;  ///< for the ids of follow-up evaluations
  /// The job's latest deployment (any version, any status), or null.
  const model::Deployment* deployment = nullptr;
  /// The id a deployment created by this run gets.
  model::Id new_deployment_id;
};

ReconcileResults Reconcile(const ReconcileInput& input);

// ---- rescheduling (shared with the system scheduler and tests) ----------------------------------

/// A task group's reschedule policy with Nomad's defaults for the job type filled in.
struct ReschedulePolicy {
  int attempts = 0;
  model::Duration interval{0};
  model::Duration delay{0};
  ir::DelayFunction delay_function = ir::DelayFunction::kConstant;
  model::Duration max_delay{0};
  bool unlimited = false;
};
/// The policy of `alloc`'s group in the job version it runs; nullopt for system jobs or when the
/// group is gone.
std::optional<ReschedulePolicy> PolicyOf(const model::Allocation& alloc);
/// When the allocation failed: its tasks' last finish time, else its modify time.
model::Time LastEventTime(const model::Allocation& alloc);
/// The delay before the next reschedule (constant, exponential or fibonacci, capped).
model::Duration NextDelay(const model::Allocation& alloc);
/// The time from which `alloc` may be rescheduled, and whether its policy still allows it.
std::pair<model::Time, bool> NextRescheduleTime(const model::Allocation& alloc);
/// True when every task of the allocation finished successfully.
bool RanSuccessfully(const model::Allocation& alloc);

}  // namespace drover::scheduler
