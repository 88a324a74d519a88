// The blocks several commands share, laid out as Nomad lays them out, from the API's JSON:
// allocation tables, placement-failure metrics, deployment blocks, the job list, and the
// `plan` dry-run block, exit code and check-index trailer. Text may hold colorstring tags
// (`[bold]`); callers pass it through a Colorizer.
//
// Where Nomad iterates a Go map (metric lines, deployment groups) the order here is the sorted
// key order, so the same response always prints the same text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace drover::cli {

/// The `* Resources exhausted on 1 nodes` lines of an AllocMetric, each prefixed with `prefix`,
/// joined by newlines (no trailing newline). With `scores`, the placement score table.
std::string FormatAllocMetrics(const nlohmann::json& metric, bool scores,
                               const std::string& prefix);

/// `ID  Node ID  Task Group  Version  Desired  Status  Created  Modified` (relative times), or the
/// -verbose form with Eval ID, Node Name and absolute times; "No allocations placed" if empty.
std::string FormatAllocListStubs(const std::vector<nlohmann::json>& stubs, bool verbose,
                                 size_t id_length, int64_t now_ns);

/// The `Deployed` table of a deployment (Task Group, [Auto Revert], [Promoted], Desired,
/// [Canaries], Placed, Healthy, Unhealthy, [Progress Deadline]).
std::string FormatDeploymentGroups(const nlohmann::json& deployment);

/// `ID/Job ID/Job Version/Status/Description` and the Deployed table (deployment status, monitor).
std::string FormatDeployment(const nlohmann::json& deployment, size_t id_length);

/// `ID  Type  Priority  Status  Submit Date` for a JobListStub array.
std::string FormatJobList(const std::vector<nlohmann::json>& jobs, bool show_namespace);

/// `dead (stopped)` for a stopped job, else the status.
std::string JobStatusString(const nlohmann::json& job);

/// `true`/`false`, or `N/A - In Progress` for a blocked evaluation.
std::string EvalFailureStatus(const nlohmann::json& eval);

/// The lines under `Scheduler dry-run:` for a plan response (no trailing newline).
std::string FormatDryRun(const nlohmann::json& plan, const nlohmann::json& job, int64_t now_ns);

/// The `Preemptions:` block of a plan response, or "" when nothing is preempted.
std::string FormatPreemptions(const nlohmann::json& plan);

/// The `Job Modify Index: N` trailer with the `drover job run -check-index N ...` hint.
/// `run_args` is the re-emitted `-var="k=v" -var-file="f" ` text (each with a trailing space).
std::string FormatJobModifyIndex(uint64_t job_modify_index, const std::string& run_args,
                                 const std::string& path);

/// 1 when the plan creates, destroys, migrates, canaries or destructively updates allocations
/// (also for an unchanged spec whose allocations still need placing), else 0.
int PlanExitCode(const nlohmann::json& plan);

}  // namespace drover::cli
