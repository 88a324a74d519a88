// The semantic pass in one call, for the CLI and the server: Canonicalize, then Validate.
//
//   ir::Job job = ...;                      // from compiler/decode, or JobFromApiJson()
//   diag::DiagnosticEngine diags;
//   bool ok = sema::Analyze(job, diags);    // job now holds Nomad's defaults
//   nlohmann::json api = ir::JobToApiJson(job);
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/job.h"
#include "compiler/sema/canonicalize.h"
#include "compiler/sema/validate.h"

namespace drover::sema {

/// Canonicalize(job), then Validate(job, diags). Returns true when no error was reported
/// (warnings do not count).
inline bool Analyze(ir::Job& job, diag::DiagnosticEngine& diags) {
  size_t errors_before = diags.error_count();
  Canonicalize(job);
  Validate(job, diags);
  return diags.error_count() == errors_before;
}

}  // namespace drover::sema
