// Helpers shared by the service/batch and system schedulers: which job changes need new
// allocations (Nomad's tasksUpdated), which nodes are usable or tainted, datacenter globs.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/job.h"
#include "reconciler/model/state.h"

namespace drover::scheduler {

/// Why group `tg` of `next` cannot update allocations of `prev` in place ("" when it can):
/// task count, ephemeral disk, networks, affinities, spreads, volumes, Consul namespace, Connect,
/// and per task: driver, user, config, env, artifacts, vault, templates, CSI plugin, identities,
/// combined meta, task networks, cpu/cores/memory/devices, lifecycle. Count, services, constraints,
/// restart/reschedule/update policies, kill timeout and log config can change in place.
std::string TasksUpdated(const ir::Job& next, const ir::Job& prev, std::string_view tg);

/// `*` glob match of a datacenter pattern (as Nomad's job datacenters).
bool DatacenterMatches(std::string_view pattern, std::string_view dc);
bool NodeInDatacenters(const model::Node& node, const std::vector<std::string>& patterns);
/// The job's node pool accepts the node ("" and "default" are the default pool; "all" any).
bool NodeInPool(const model::Node& node, const std::string& pool);

struct ReadyNodes {
  std::vector<const model::Node*> nodes;  ///< ready, eligible, not draining; in the job's DCs and pool
  std::map<std::string, int> by_dc;       ///< Nomad's NodesAvailable
  std::vector<model::Id> not_ready;       ///< in the job's pool (any DC) but not usable
};
ReadyNodes ReadyNodesFor(const model::State& state, const ir::Job& job);

/// Nodes of `allocs` that are down, disconnected, draining or gone (mapped to null).
std::map<model::Id, const model::Node*> TaintedNodes(
    const model::State& state, const std::vector<const model::Allocation*>& allocs);

/// Nomad's updateRescheduleTracker: the new allocation inherits the recent reschedule events of
/// the one it replaces plus one for this reschedule.
void UpdateRescheduleTracker(model::Allocation& alloc, const model::Allocation& prev,
                             model::Time now);

}  // namespace drover::scheduler
