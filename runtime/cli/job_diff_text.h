// The text of a job diff as `nomad job plan` and `nomad job history -p` print it
// (`+/- Job: "example"` ...), from the JobDiff JSON the agent returns (POST /v1/job/:id/plan with
// Diff: true, GET /v1/job/:id/versions?diffs=true). The text may hold colorstring tags.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace drover::cli {

/// Renders a JobDiff object; `verbose` expands added/deleted groups and tasks.
std::string FormatJobDiff(const nlohmann::json& diff, bool verbose);

}  // namespace drover::cli
