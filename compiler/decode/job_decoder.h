// The typed half of decoding a job file: the evaluated file body (compiler/eval) -> ir::Job.
//
// The body is first checked against schema::JobFileSchema() by the generic body decoder; the
// functions here then bind each decoded block to its IR node, set every node's Origin (the
// block's range and the range of each attribute written), and apply the rules Nomad's jobspec2
// decoder adds on top of its schema:
//   - the job label is the job's ID and (unless `name` is set) its name;
//   - job-level `task` blocks become groups of one task, placed before the other groups;
//   - a `vault` block at job or group level applies to every task below without its own;
//   - constraint shorthands (`distinct_hosts = true`, `distinct_property = "..."`, `regexp`,
//     `version`, `semver`, `set_contains*`, `is_set`, `is_not_set`) set the operator;
//   - task `scaling "cpu"|"mem"` blocks get type vertical_cpu/vertical_mem; group `scaling` is
//     horizontal and needs `max`;
//   - network ports with a static value are reserved ports, the others dynamic; port labels must
//     match [a-zA-Z0-9_]+ and be unique (case-insensitively) within a network;
//   - `identity` blocks without a name (or named "default") are the task's default identity.
// Defaults are not applied here: fields not written stay unset (compiler/sema canonicalizes).
#pragma once

#include <optional>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/evaluate.h"
#include "compiler/ir/job.h"

namespace drover::decode {

/// Decodes an evaluated job file. Returns the job (possibly partial: what failed to decode is
/// left out and diagnosed) when the file has a `job` block, nothing otherwise.
std::optional<ir::Job> DecodeJob(const eval::EvalBody& file, diag::DiagnosticEngine& diags);

}  // namespace drover::decode
