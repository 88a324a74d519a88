// Canonicalize: the defaults a Nomad 1.6 server applies to a submitted job, applied to the IR.
// It combines what the `api` package's Canonicalize() does on the client side (defaults, job ->
// group -> task merging of update/reschedule/migrate/restart) with what the server adds
// (datacenters ["*"], node pool "default", service-name interpolation, check names, the job-level
// update reduced to stagger/max_parallel) and what the server's job-register Connect hook adds
// (Envoy sidecar and gateway tasks and their ports, see connect.h). After it runs, every
// std::optional in the job that Nomad fills holds a value, and JobToApiJson() prints what
// `nomad job inspect` prints.
//
// Pure and idempotent: Canonicalize(Canonicalize(j)) == Canonicalize(j). It never reports errors;
// invalid values stay as written for Validate() to report. Origins are left untouched, so a value
// that came from a default keeps pointing at its enclosing block.
#pragma once

#include "compiler/ir/job.h"

namespace drover::sema {

/// Fills in Nomad's defaults in place. See the README for the table of defaults and where each
/// comes from.
void Canonicalize(ir::Job& job);

/// The restart policy Nomad uses for a job type when none is written (service/system: 2 attempts
/// in 30m, 15s delay, mode fail; batch/sysbatch: 3 in 24h, 15s, fail).
ir::RestartPolicy DefaultRestartPolicy(ir::JobType type);

/// The reschedule policy Nomad uses for a job type, or nullopt for system/sysbatch jobs (which
/// are never rescheduled).
std::optional<ir::ReschedulePolicy> DefaultReschedulePolicy(ir::JobType type);

/// Nomad's group update defaults (max_parallel 1, health_check checks, min_healthy_time 10s,
/// healthy_deadline 5m, progress_deadline 10m, canary 0, auto_revert/auto_promote false,
/// stagger 30s).
ir::UpdateStrategy DefaultUpdateStrategy();

/// Nomad's migrate defaults (max_parallel 1, health_check checks, 10s, 5m).
ir::MigrateStrategy DefaultMigrateStrategy();

/// Expands `${JOB}`, `${TASKGROUP}`, `${TASK}` and `${BASE}` (= job-group-task) in a service
/// name as the Nomad server does; other references stay as written. For group services `task`
/// is "group", as in Nomad.
std::string ExpandServiceName(std::string_view name, std::string_view job, std::string_view group,
                              std::string_view task);

}  // namespace drover::sema
