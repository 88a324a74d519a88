// A node's computed class: a hash of everything the scheduler's cacheable feasibility checks read
// (datacenter, pool, class, attributes, meta, usable drivers), leaving out `unique.*` keys. Nodes
// with the same computed class pass or fail job and task-group constraints together, so the
// scheduler checks one node per class and reuses the answer (Nomad's ComputedClass).
#pragma once

#include <string>
#include <string_view>

#include "reconciler/model/types.h"

namespace drover::model {

/// "v1:<decimal 64-bit hash>"; equal for nodes that differ only in unique.* keys, ids, names,
/// status, resources or events.
std::string ComputeNodeClass(const Node& node);

/// True for attribute or meta keys excluded from the class ("unique." prefix).
bool IsUniqueKey(std::string_view key);

}  // namespace drover::model
