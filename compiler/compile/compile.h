// The compiler's front door: a job file in, a canonical, validated ir::Job out.
//
//   source --syntax::Parse--> AST --eval::EvaluateFile--> values --decode::DecodeJob--> IR
//          --sema::Canonicalize + Validate--> job
//
// and, for jobs given as Nomad API JSON (`{"Job": {...}}`, what `nomad job run -json`, the HTTP
// API and `-output` use), JSON text --ir::JobFromApiJson--> IR --sema--> job.
//
// Every problem is reported to the DiagnosticEngine; the stages after one that reported an error
// do not run (a partial job would only produce misleading follow-up errors), except that decoding
// still runs after expression errors so that one run reports as much as it can. No I/O happens
// here beyond what EvalOptions' FileReader does for `file()`.
#pragma once

#include <optional>
#include <span>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/evaluate.h"
#include "compiler/ir/agent_config.h"
#include "compiler/ir/job.h"

namespace drover::compile {

struct CompileOptions {
  /// -var, -var-file, NOMAD_VAR_ environment, base directory, file reader, clock and seed.
  eval::EvalOptions eval;
  /// Run compiler/sema (Canonicalize then Validate). Off: the job is returned as decoded, with
  /// only the fields the file sets.
  bool analyze = true;
};

struct CompileResult {
  /// The compiled job; set only when no error was reported.
  std::optional<ir::Job> job;
  /// The job as far as it decoded, also when errors were reported (for lint and editors).
  std::optional<ir::Job> partial;

  bool ok() const { return job.has_value(); }
};

/// Compiles the HCL job file `file` (already in `sm`).
CompileResult Compile(diag::SourceManager& sm, diag::FileId file, const CompileOptions& options,
                      diag::DiagnosticEngine& diags);

/// Compiles a job given as Nomad API JSON text (the job object or the {"Job": {...}} wrapper).
CompileResult CompileJson(diag::SourceManager& sm, diag::FileId file,
                          const CompileOptions& options, diag::DiagnosticEngine& diags);

/// Compiles an already-parsed API JSON job (HTTP handlers have the JSON in hand). `where` is
/// where a type mismatch is reported (may be an invalid range).
CompileResult CompileApiJob(const nlohmann::json& json, diag::SourceRange where,
                            const CompileOptions& options, diag::DiagnosticEngine& diags);

/// Compiles agent configuration files (already in `sm`) in order and merges them, a later file
/// winning (decode::MergeAgentConfig). A file whose name ends in ".json" is HCL's JSON form.
/// Returns nothing when any file has an error.
std::optional<ir::AgentConfig> CompileAgentConfig(diag::SourceManager& sm,
                                                  std::span<const diag::FileId> files,
                                                  diag::DiagnosticEngine& diags);

}  // namespace drover::compile
