// From the agent's JSON to reconciler/diff's types, so that the CLI prints plans, job diffs and
// placement failures with the one renderer (reconciler/diff/plan_text.h) the rest of drover uses.
// The JSON is Nomad's: JobDiff {Type, ID, Fields, Objects, TaskGroups}, DesiredTGUpdates
// {Ignore, Place, ...}, AllocMetric {NodesEvaluated, DimensionExhausted, ...}. Decoding is
// lenient like Go's: a missing or mistyped field is its zero value.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reconciler/diff/diff.h"
#include "reconciler/diff/plan_text.h"
#include "reconciler/model/types.h"

namespace drover::cli {

diff::JobDiff JobDiffFromJson(const nlohmann::json& j);
model::DesiredUpdates DesiredUpdatesFromJson(const nlohmann::json& j);
model::AllocMetric AllocMetricFromJson(const nlohmann::json& j);

/// What `job plan` renders, from a /v1/job/:id/plan response and the submitted job.
struct PlanRequestInfo {
  std::string path;  ///< the job file argument, for the check-index hint
  std::vector<std::string> vars;
  std::vector<std::string> var_files;
  bool show_diff = true;
  bool verbose = false;
  bool color = false;
};
diff::PlanView PlanViewFromJson(const nlohmann::json& plan, const nlohmann::json& job,
                                const PlanRequestInfo& info);

}  // namespace drover::cli
