// The deployment watcher's decisions (Nomad's nomad/deploymentwatcher), as one pure function:
// given a deployment, its job versions, its allocations and the time, what changes.
//
//   WatchInput in = InputFromState(state, deployment, now, pending_allocs);
//   WatchResult r = Watch(in);   // the server writes r atomically, with an evaluation if asked
//
// What it decides, per task group of the deployment:
//   - counts: PlacedAllocs, HealthyAllocs, UnhealthyAllocs, recounted from the allocations that
//     carry the deployment's id (so running it twice changes nothing);
//   - progress: RequireProgressBy starts at the first placement (now + progress_deadline) and
//     moves to (health time + progress_deadline) with every allocation that becomes healthy;
//   - failure: an unhealthy allocation fails the deployment ("Failed due to unhealthy
//     allocations") when the group has no progress deadline or the allocation may not be
//     rescheduled any more; otherwise it is allowed a replacement (Reschedule) and the deployment
//     goes on. Passing the earliest RequireProgressBy of an unfinished group fails it ("Failed due
//     to progress deadline");
//   - auto revert: a failure in a group with auto_revert registers the latest stable job version
//     again, as a new version (unless it has the same specification, or there is none);
//   - success: every group has desired_total healthy allocations that still run: the deployment
//     is "successful" and its job version becomes stable;
//   - evaluations: a follow-up evaluation (TriggeredBy deployment-watcher) when an allocation
//     became healthy after the job's latest evaluation looked (so the next batch goes), when a
//     replacement is allowed, and when the deployment fails.
// Only an active deployment of the job's latest version gets status decisions; any deployment
// gets its counts recounted.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "reconciler/model/state.h"
#include "reconciler/model/types.h"

namespace drover::deploy {

struct WatchInput {
  const model::Deployment* deployment = nullptr;  ///< REQUIRES: not null
  model::JobVersionPtr job;                       ///< the deployment's job version (null when gone)
  model::JobVersionPtr latest;                    ///< the job's latest version (null when purged)
  /// Every stored version of the job, newest first (auto revert looks for the stable one).
  std::vector<model::JobVersionPtr> versions;
  /// The allocations of the deployment (any status); others are ignored.
  std::vector<const model::Allocation*> allocs;
  /// The highest index the job's evaluations have seen (LatestEvalIndex): health reported at a
  /// later index has not been seen by any scheduler run yet.
  model::Index latest_eval_index = 0;
  model::Time now = 0;
};

struct WatchResult {
  /// The deployment, when anything about it changed (counts, progress, status).
  std::optional<model::Deployment> deployment;
  /// Allocations allowed a replacement (DesiredTransition.Reschedule set).
  std::vector<model::Allocation> allocs;
  /// Whether to create a follow-up evaluation (TriggeredBy deployment-watcher).
  bool create_eval = false;
  /// The deployment's job version, marked stable (the deployment succeeded).
  std::optional<model::JobVersion> stable;
  /// A new job version to register: the latest stable specification (auto revert).
  std::optional<model::JobVersion> revert;

  bool empty() const { return !deployment && allocs.empty() && !create_eval && !stable && !revert; }
};

/// Decides what the deployment needs now. Pure and deterministic.
WatchResult Watch(const WatchInput& in);

/// The input for `deployment` from `state`, with `pending` allocations (about to be written in
/// the same write) taking the place of the stored ones.
WatchInput InputFromState(const model::State& state, const model::Deployment& deployment,
                          model::Time now, std::span<const model::Allocation> pending = {});

/// Nomad's jobEvalStatus: the highest snapshot index (or create index, before the evaluation
/// ran) among the job's evaluations that were not canceled.
model::Index LatestEvalIndex(const model::State& state, const model::JobKey& job);

/// True when some group's RequireProgressBy is set and has passed: a cheap test of which active
/// deployments a timer should watch.
bool ProgressDeadlinePassed(const model::Deployment& deployment, model::Time now);

/// Nomad's Allocation.RescheduleEligible: the group's reschedule policy allows another attempt.
bool RescheduleEligible(const model::Allocation& alloc, model::Time now);

}  // namespace drover::deploy
