#include "runtime/store/job_codec.h"

#include "compiler/ir/ir_json.h"

namespace drover::store {

nlohmann::json JobSpecToJson(const ir::Job& job) { return ir::JobToApiJson(job); }

llvm::Expected<ir::Job> JobSpecFromJson(const nlohmann::json& value) {
  return ir::JobFromApiJson(value);
}

}  // namespace drover::store
