// `drover config validate <config_file_or_dir>...`: checks agent configuration files the way
// `drover agent -config` reads them (directories: *.hcl and *.json in name order, merged, a later
// file winning). Prints "Configuration is valid!" and exits 0, or prints the diagnostics on
// stderr and exits 1, as `nomad config validate` does.
#include <ostream>

#include "runtime/cli/agent_config_input.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {

int RunConfigValidate(std::span<const std::string> args, Io& io) {
  FlagSet flags("drover config validate <config_file_or_dir>...",
                "Checks agent configuration files (HCL or JSON) without starting an agent.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().empty()) {
    io.err << "This command takes at least one argument: <config_file_or_dir>\n";
    flags.PrintUsage(io.err);
    return 1;
  }
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  std::optional<ir::AgentConfig> config = LoadAgentConfig(flags.args(), io, sm, diags);
  diags.SortByLocation();
  PrintDiagnostics(io.err, diags, sm);
  if (!config) return 1;
  io.out << "Configuration is valid!\n";
  return 0;
}

}  // namespace drover::cli
