#include "runtime/cli/job_diff_text.h"

#include "reconciler/diff/plan_text.h"
#include "runtime/cli/plan_view.h"

namespace drover::cli {

std::string FormatJobDiff(const nlohmann::json& diff, bool verbose, bool color) {
  return diff::RenderJobDiff(JobDiffFromJson(diff), verbose, color);
}

}  // namespace drover::cli
