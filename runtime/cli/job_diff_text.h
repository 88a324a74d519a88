// The text of a job diff as `nomad job history -p` prints it (`+/- Job: "example"` ...), from
// the JobDiff JSON the agent returns (GET /v1/job/:id/versions?diffs=true), rendered by
// reconciler/diff's plan renderer so that plan and history print diffs the same way.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace drover::cli {

/// Renders a JobDiff object (surrounding whitespace trimmed); `verbose` expands added/deleted
/// groups and tasks; `color` emits ANSI codes, otherwise the color tags are stripped.
std::string FormatJobDiff(const nlohmann::json& diff, bool verbose, bool color);

}  // namespace drover::cli
