// The Nomad HTTP API JSON form of the IR, both ways. This is the shape `nomad job run -output`
// and `nomad job inspect` print and what POST /v1/jobs accepts: PascalCase field names, durations
// as integer nanoseconds, enums with Nomad's spelling, an unset optional as `null` (Nomad's nil
// pointer), an empty list or map as `null` (Go's nil slice/map).
//
// Encoding an IR job that compiler/sema has canonicalized gives what a Nomad server stores for the
// same job file, minus the fields only a server has (Status, Version, CreateIndex, SubmitTime, ...;
// the runtime adds those). Decoding accepts the object under "Job" or the {"Job": {...}} wrapper,
// ignores fields it does not know (as Nomad does), and reports the first type mismatch with its
// JSON path (`Job.TaskGroups[0].Count: expected a number, got string`).
//
// Round trip: JobFromApiJson(JobToApiJson(j)) == j for every IR job whose checks keep the IR's
// invariant `tls_server_name_set == !tls_server_name.empty()` (the JSON has no separate "set"
// bit, as Nomad's API has none).
#pragma once

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "compiler/ir/job.h"

namespace drover::ir {

/// The job as Nomad's API object (the value under {"Job": ...}). Keys are emitted in sorted order
/// (nlohmann::json's object), which is also how the autoscaler goldens are laid out.
nlohmann::json JobToApiJson(const Job& job);

/// Decodes a Nomad API job object, or the {"Job": {...}} wrapper. Never throws. Fields absent or
/// null take the IR's "not written" value; unknown fields are ignored; a value of the wrong type
/// (or out of range for its field) is an llvm::StringError naming its JSON path.
llvm::Expected<Job> JobFromApiJson(const nlohmann::json& json);

}  // namespace drover::ir
