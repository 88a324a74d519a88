// Turning the job file a user names into the API job that `plan` and `run` send, as Nomad's
// JobGetter does: the HCL is compiled on the CLI side (variables from -var, -var-file and
// NOMAD_VAR_*), a `-json` file is taken as the API object (the {"Job": ...} wrapper that
// `job inspect` and `run -output` print is accepted too), and `-` reads standard input. The
// submission (source, format, variables) travels with the job so the agent can keep it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

namespace drover::cli {

class FlagSet;
struct Io;

struct JobGetterOptions {
  bool json = false;              ///< -json: the file is API JSON, not HCL
  bool strict = true;             ///< -hcl2-strict: a -var for an undeclared variable is an error
  std::vector<std::string> vars;  ///< -var 'k=v', in order
  std::vector<std::string> var_files;  ///< -var-file=path, in order
};

/// Registers -json, -hcl2-strict, -var and -var-file.
void AddJobGetterFlags(FlagSet& flags, JobGetterOptions* target);

/// Nomad's JobGetter.Validate: the text of the first conflict between options, if any.
std::optional<std::string> ValidateJobGetter(const JobGetterOptions& opts);

struct LoadedJob {
  nlohmann::json job;         ///< the API job object
  nlohmann::json submission;  ///< {Source, Format, VariableFlags, Variables}
  std::string region;         ///< the region the file names, "" when it names none
  std::string ns;             ///< the namespace the file names, "" when it names none
};

/// Reads and compiles `path`. The error text is what Nomad prints after "Error getting job
/// struct: " (for HCL: `Error parsing job file from <path>:` and the located diagnostics).
/// `canonical`: see CompileJobFile (HCL only; a -json job is passed through as written).
llvm::Expected<LoadedJob> GetJob(const std::string& path, const JobGetterOptions& opts, Io& io,
                                 bool canonical = true);

/// The `-var="k=v" -var-file="f" ` text `plan` re-emits in its check-index hint.
std::string RunArgs(const JobGetterOptions& opts);

}  // namespace drover::cli
