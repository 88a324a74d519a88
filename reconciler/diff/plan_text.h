// The text `drover job plan` prints, laid out exactly as `nomad job plan` does
// (command/job_plan.go and command/monitor.go): the annotated diff, the scheduler dry-run, job
// warnings, and the Job Modify Index trailer with the `-check-index` hint (naming
// `drover job run`). Colours are mitchellh/colorstring tags, rendered as ANSI escapes when asked
// for and stripped otherwise.
//
// Deliberate differences from Nomad: metric lines within a task group are sorted (Nomad prints
// them in Go map order), and the exit code is 1 whenever allocations would be created or
// destroyed even if the job spec is unchanged (hashicorp/nomad#20502).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "reconciler/diff/diff.h"
#include "reconciler/model/types.h"

namespace drover::diff {

struct PlanView {
  JobDiff diff;  ///< annotated (Annotate())
  std::map<std::string, model::DesiredUpdates> desired_tg_updates;
  std::map<std::string, model::AllocMetric> failed_tg_allocs;
  std::string job_type = "service";  ///< "system" words the placement warning differently
  uint64_t job_modify_index = 0;
  std::vector<std::string> vars;       ///< -var arguments as given (k=v)
  std::vector<std::string> var_files;  ///< -var-file arguments
  std::string path;                    ///< the job file argument
  std::string warnings;                ///< "" or the server's warnings text
  std::string rolling_update_wait;     ///< "" or the next rolling-update evaluation's wait
  bool show_diff = true;               ///< -diff
  bool verbose = false;                ///< -verbose
  bool color = false;
};

/// The whole output, ending in a newline.
std::string RenderPlan(const PlanView& view);

/// Only the diff section (no trailing blank line), as `job history -p` shows it.
std::string RenderJobDiff(const JobDiff& diff, bool verbose, bool color);

/// `* ...` lines for one task group's failure metrics, each prefixed by `prefix`, without a
/// trailing newline (Nomad's formatAllocMetrics without scores).
std::string RenderAllocMetrics(const model::AllocMetric& metrics, const std::string& prefix);

/// 0 when no allocation would be created, destroyed, migrated, replaced or canaried, else 1.
int PlanExitCode(const std::map<std::string, model::DesiredUpdates>& desired);

/// Go's %q of a string.
std::string GoQuote(std::string_view s);

/// mitchellh/colorstring: replaces [green], [bold], [reset]... with ANSI codes (appending a
/// reset when anything was coloured) or strips them when `enabled` is false.
std::string Colorize(std::string_view text, bool enabled);

}  // namespace drover::diff
