// Loading an agent configuration from `-config` paths (for `drover agent` and
// `drover config validate`): each path is a file or a directory; a directory contributes its
// *.hcl and *.json files in name order (not recursively). Files are compiled and merged in that
// order, a later file winning (compile::CompileAgentConfig).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/agent_config.h"
#include "runtime/cli/command.h"

namespace drover::cli {

/// The files `paths` name, directories expanded. A path that does not exist is reported (E0001)
/// and skipped.
std::vector<std::string> ExpandConfigPaths(const std::vector<std::string>& paths,
                                           diag::DiagnosticEngine& diags);

/// Loads, compiles and merges the configuration. Nothing when a file is unreadable or wrong (the
/// reasons are in `diags`).
std::optional<ir::AgentConfig> LoadAgentConfig(const std::vector<std::string>& paths, Io& io,
                                               diag::SourceManager& sm,
                                               diag::DiagnosticEngine& diags);

}  // namespace drover::cli
