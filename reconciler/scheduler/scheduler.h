// The scheduler's entry points: an evaluation and a snapshot in, a plan out. Pure and
// deterministic: the same state, evaluation, clock value and seed give the same plan (ids,
// shuffles and dynamic ports come from the seeded generator).
//
//   ScheduleResult r = Schedule({&state, eval, now, seed});
//   PlanResult applied = EvaluatePlan(state, r.plan);   // against the latest state
//   ApplyPlanResult(state, std::move(applied), next_index);
//
// Service and batch jobs use the generic scheduler (reconcile, then place with the stack);
// system and sysbatch jobs get one allocation per eligible node.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/model/state.h"
#include "reconciler/scheduler/config.h"
#include "reconciler/scheduler/plan.h"

namespace drover::scheduler {

struct ScheduleRequest {
  const model::State* state = nullptr;
  model::Evaluation eval;
  model::Time now = 0;
  uint64_t seed = 0;  ///< mixed with the evaluation id
  SchedulerConfig config;
  /// Dry runs (`job plan`): schedule this version instead of the stored one.
  model::JobVersionPtr job_override;
};

struct ScheduleResult {
  Plan plan;
  /// The evaluation as the scheduler leaves it: complete, with failed_tg_allocs,
  /// queued_allocations and blocked_eval set.
  model::Evaluation eval;
  /// Created when some allocations could not be placed; unblocks when capacity appears.
  std::optional<model::Evaluation> blocked_eval;
  /// Delayed evaluations for failed allocations to reschedule later.
  std::vector<model::Evaluation> followup_evals;
};

/// REQUIRES: request.state != null; request.eval names a job (it may be gone: then its
/// allocations are stopped).
ScheduleResult Schedule(const ScheduleRequest& request);

/// A `job plan` dry run of `spec` against `state` (nothing is written).
struct DryRunResult {
  ScheduleResult result;
  model::JobVersionPtr old_version;  ///< the stored version, or null for a new job
  model::Index job_modify_index = 0;  ///< the stored version's, 0 for a new job (check-index)
};
DryRunResult DryRun(const model::State& state, const ir::Job& spec, model::Time now,
                    uint64_t seed, const SchedulerConfig& config = {});

/// Runs one evaluation to completion against `state` as a server would: schedule, evaluate the
/// plan against the (same, latest) state, apply what fits, and retry the rest up to Nomad's
/// attempt limit (5 for service, 2 for batch). `next_index` hands out store indexes.
struct EvalOutcome {
  ScheduleResult last;       ///< the last scheduler run
  size_t placed = 0;         ///< allocations created or updated
  size_t stopped = 0;
  int attempts = 0;
  bool fully_committed = true;
};
EvalOutcome ProcessEvaluation(model::State& state, const model::Evaluation& eval,
                              model::Time now, uint64_t seed, const SchedulerConfig& config,
                              const std::function<model::Index()>& next_index);

}  // namespace drover::scheduler
