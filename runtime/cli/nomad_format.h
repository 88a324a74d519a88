// The blocks several commands share, laid out as Nomad lays them out, from the API's JSON:
// allocation tables, placement-failure metrics, deployment blocks and the job list. Text may hold
// colorstring tags (`[bold]`); callers pass it through a Colorizer. (The plan text itself is
// reconciler/diff's renderer, see plan_view.h.)
//
// Where Nomad iterates a Go map (metric lines, deployment groups) the order here is the sorted
// key order, so the same response always prints the same text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace drover::cli {

/// The `* Resources exhausted on 1 nodes` lines of an AllocMetric (reconciler/diff's renderer),
/// each prefixed with `prefix`, joined by newlines (no trailing newline). With `scores`, the
/// placement score table follows.
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

/// `ID  Job ID  Job Version  Status  Description` for deployments, in the order given, or
/// "No deployments found" (deployment list, job deployments, ambiguous prefixes).
std::string FormatDeploymentList(const std::vector<nlohmann::json>& deployments, size_t id_length);

/// `ID  Type  Priority  Status  Submit Date` for a JobListStub array.
std::string FormatJobList(const std::vector<nlohmann::json>& jobs, bool show_namespace);

/// `dead (stopped)` for a stopped job, else the status.
std::string JobStatusString(const nlohmann::json& job);

/// `true`/`false`, or `N/A - In Progress` for a blocked evaluation.
std::string EvalFailureStatus(const nlohmann::json& eval);

}  // namespace drover::cli
