// Turning the job file a user names into the API job that `plan` and `run` send, as Nomad's
// JobGetter does: the file is compiled on the CLI side by job_input.h (HCL with -var, -var-file
// and NOMAD_VAR_*, or API JSON with -json; `-` reads standard input), validated and given
// Nomad's defaults, and encoded as API JSON. The submission (source, format, variables) travels
// with the job so the agent can keep it.
#pragma once

#include <optional>
#include <string>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "runtime/cli/job_input.h"

namespace drover::cli {

struct Io;

/// The first problem with the job-file flags, if any (`-var` without `=`, variables with -json).
std::optional<std::string> ValidateJobInput(const JobInputFlags& flags);

struct LoadedJob {
  nlohmann::json job;         ///< the API job object, canonical
  nlohmann::json submission;  ///< {Source, Format, VariableFlags, Variables}
  std::string region;         ///< the region the file names, "" when it names none
  std::string ns;             ///< the namespace the file names, "" when it names none
};

/// Reads and compiles `path`. The error text is what follows "Error getting job struct: " (for
/// a file that does not compile: `Error parsing job file from <path>:` and the located
/// diagnostics). Warnings are printed to io.err.
llvm::Expected<LoadedJob> GetJob(const std::string& path, const JobInputFlags& flags, Io& io);

/// `job run -output` / `job inspect -local`: compiles `path` and prints {"Job": ...} indented by
/// four spaces, canonicalized the way a server stores it; returns the exit code.
int PrintCompiledJob(const std::string& path, const JobInputFlags& flags, Io& io);

/// The `-var="k=v" -var-file="f" ` text `plan` re-emits in its check-index hint.
std::string RunArgs(const JobInputFlags& flags);

}  // namespace drover::cli
