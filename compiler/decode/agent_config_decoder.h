// Agent configuration: an evaluated configuration body (HCL, or HCL's JSON form through
// json_body.h) -> ir::AgentConfig, checked against schema::AgentConfigSchema(), and the merge of
// several files (a configuration directory: *.hcl and *.json in name order, a later file wins).
#pragma once

#include <optional>
#include <span>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/evaluate.h"
#include "compiler/ir/agent_config.h"

namespace drover::decode {

/// Decodes one configuration file's body. Problems are diagnosed (E02xx; a `log_level` Nomad
/// does not know is E0207) and left out, so the result is always usable as a partial config.
ir::AgentConfig DecodeAgentConfig(const eval::EvalBody& body, diag::DiagnosticEngine& diags);

/// Merges `overlay` onto `base` the way Nomad merges configuration files: a value written in the
/// overlay replaces the base's (lists replace as a whole), maps merge key by key, and named blocks
/// (`plugin`, `host_network`, `host_volume`) merge by name.
void MergeAgentConfig(ir::AgentConfig& base, const ir::AgentConfig& overlay);

}  // namespace drover::decode
