// The job spec's API JSON as the store persists it: compiler/ir/ir_json.h's JobToApiJson /
// JobFromApiJson behind one seam, so that the store's encoding of a job has one place to change.
#pragma once

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "compiler/ir/job.h"

namespace drover::store {

/// The job spec as Nomad's API object (the value under {"Job": ...}).
nlohmann::json JobSpecToJson(const ir::Job& job);
/// Decodes a Nomad API job object (or the {"Job": {...}} wrapper); a type mismatch is an error
/// naming its JSON path. Never throws.
llvm::Expected<ir::Job> JobSpecFromJson(const nlohmann::json& value);

}  // namespace drover::store
