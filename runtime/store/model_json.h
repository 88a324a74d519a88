// The cluster objects (reconciler/model) in Nomad's HTTP API JSON: Node, Job (a stored job
// version), Allocation, Evaluation, Deployment, AllocMetric. PascalCase keys, durations as integer
// nanoseconds, time.Time fields as RFC 3339 strings, CreateTime/ModifyTime/SubmitTime as unix
// nanoseconds, nil maps and slices as null, as Nomad's API prints them.
//
// The store persists objects in this same form (one encoding to keep right, readable with jq), and
// the API serves it. Decoding is the inverse for every field the model holds; fields the model
// does not hold are ignored. Two places lose detail by design: Node.StatusUpdatedAt is whole
// seconds (as in Nomad), and an allocation decodes without its job (see DecodeAllocation).
#pragma once

#include <functional>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "reconciler/model/types.h"

namespace drover::store {

using nlohmann::json;

json EncodeNode(const model::Node& node);
llvm::Expected<model::Node> DecodeNode(const json& value);

/// The job as Nomad's API object: the spec (compiler/ir's API encoding) plus the fields the
/// server keeps (Status, Stop, Stable, Version, SubmitTime, CreateIndex, ModifyIndex,
/// JobModifyIndex).
json EncodeJobVersion(const model::JobVersion& job);
llvm::Expected<model::JobVersion> DecodeJobVersion(const json& value);

enum class EmbedJob : uint8_t {
  kNo,   ///< "Job": null; the job is found by (Namespace, JobID, JobVersion)
  kYes,  ///< the job version in full, as Nomad's GET /v1/allocation/:id has it
};
json EncodeAllocation(const model::Allocation& alloc, EmbedJob embed = EmbedJob::kYes);
/// Decodes an allocation. Its `job` pointer comes from `resolve(namespace, job id, version)`
/// when the JSON has no embedded "Job" (or `resolve` is empty); a missing job is an error only
/// when `require_job` holds.
using JobResolver = std::function<model::JobVersionPtr(const model::JobKey& key, uint64_t version)>;
llvm::Expected<model::Allocation> DecodeAllocation(const json& value,
                                                   const JobResolver& resolve = {},
                                                   bool require_job = false);

json EncodeEvaluation(const model::Evaluation& eval);
llvm::Expected<model::Evaluation> DecodeEvaluation(const json& value);

json EncodeDeployment(const model::Deployment& deployment);
llvm::Expected<model::Deployment> DecodeDeployment(const json& value);

json EncodeAllocMetric(const model::AllocMetric& metric);
llvm::Expected<model::AllocMetric> DecodeAllocMetric(const json& value);

json EncodeTaskState(const model::TaskState& state);

}  // namespace drover::store
