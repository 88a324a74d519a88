// The bridge to the job IR's API JSON (compiler/ir/ir_json.h: JobToApiJson / JobFromApiJson,
// written on another branch). When that header is in the build, these two functions are exactly
// those; until then job_codec.cpp holds a stand-in that covers the fields the server and its tests
// use (ids, type, priority, datacenters, groups, tasks, resources, ports, constraints, meta).
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
/// True when the full IR codec (compiler/ir/ir_json.h) is linked in, not the stand-in.
bool HasFullJobCodec();

}  // namespace drover::store
