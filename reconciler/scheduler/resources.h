// What a node offers and what a task group asks for, in the units the scheduler compares: CPU in
// MHz, memory and disk in MB, bandwidth in Mbit/s. Defaults follow Nomad (task cpu 100 MHz and
// memory 300 MB, ephemeral disk 300 MB, dynamic ports 20000-32000).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "compiler/ir/job.h"
#include "reconciler/model/types.h"

namespace drover::scheduler {

inline constexpr int kDefaultTaskCpu = 100;
inline constexpr int kDefaultTaskMemory = 300;
inline constexpr int kDefaultDiskMb = 300;

/// Node resources minus what the node reserves for itself.
struct Capacity {
  int64_t cpu_mhz = 0;
  int64_t cores = 0;
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;
  int64_t mbits = std::numeric_limits<int32_t>::max();  ///< unlimited without a network
};
Capacity NodeCapacity(const model::Node& node);

/// The node network ports of `host_network` are allocated on ("" = the default network), or
/// null when the node has no such network. A node without any network yields a host network
/// with an empty address (test and bench nodes often omit it).
const model::NodeNetwork* NodeNetworkFor(const model::Node& node, const std::string& host_network);

/// One port a task group asks for.
struct PortAsk {
  std::string label;
  int value = 0;  ///< static port, 0 for dynamic
  int to = 0;
  std::string host_network;
};

/// One network block: the group's, or a task's legacy `resources { network {} }`.
struct NetworkAsk {
  std::string mode;  ///< "" or host, bridge, none, cni/...
  int mbits = 0;
  bool task_level = false;
  std::vector<PortAsk> reserved;
  std::vector<PortAsk> dynamic;
};

/// Everything one allocation of a task group needs, computed once per task group.
struct GroupAsk {
  int64_t cpu_mhz = 0;  ///< sum over tasks (cores counted separately)
  int64_t memory_mb = 0;
  int64_t disk_mb = kDefaultDiskMb;
  int64_t cores = 0;
  int64_t mbits = 0;
  std::vector<model::AllocatedTaskResources> tasks;  ///< cpu_mhz excludes reserved cores' share
  std::vector<NetworkAsk> networks;  ///< group network first, then task networks in task order
  std::string network_mode;          ///< the group network's mode ("" = host)
};
GroupAsk ComputeGroupAsk(const ir::TaskGroup& tg);

}  // namespace drover::scheduler
