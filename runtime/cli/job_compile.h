// The bridge from a job file's HCL text to the API job JSON, on the CLI side as in Nomad: the
// compiler (compiler/compile) turns the source into a validated ir::Job, which is encoded with
// compiler/ir's JobToApiJson. Diagnostics come back as the error text, located and rendered.
#pragma once

#include <string>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "runtime/cli/job_getter.h"

namespace drover::cli {

struct Io;

/// Compiles `source` (shown as `display_path` in diagnostics) with the -var/-var-file values of
/// `opts` and NOMAD_VAR_* from the environment. With `canonical` the job is validated and has
/// Nomad's defaults filled in (what `plan` and `run` send); without, it is the job as written,
/// unset fields null (what Nomad's `run -output` prints). Warnings go to io.err.
struct CompiledJob {
  nlohmann::json job;  ///< the API job object
  std::string region;  ///< as written in the file ("" when not)
  std::string ns;      ///< as written in the file ("" when not)
};
llvm::Expected<CompiledJob> CompileJobFile(const std::string& display_path,
                                           const std::string& source, const JobGetterOptions& opts,
                                           Io& io, bool canonical = true);

/// The text of an error, consumed.
std::string ErrorTextOf(llvm::Error err);

}  // namespace drover::cli
