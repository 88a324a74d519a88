#include "reconciler/scheduler/resources.h"

namespace drover::scheduler {

Capacity NodeCapacity(const model::Node& node) {
  Capacity c;
  c.cpu_mhz = node.resources.cpu_mhz - node.reserved.cpu_mhz;
  c.cores = node.resources.cpu_cores;
  c.memory_mb = node.resources.memory_mb - node.reserved.memory_mb;
  c.disk_mb = node.resources.disk_mb - node.reserved.disk_mb;
  if (const model::NodeNetwork* n = NodeNetworkFor(node, ""); n != nullptr &&
                                                              !node.resources.networks.empty()) {
    c.mbits = n->mbits;
  }
  return c;
}

const model::NodeNetwork* NodeNetworkFor(const model::Node& node,
                                         const std::string& requested) {
  static const model::NodeNetwork kImplicit;
  // Canonical jobs name the default network "default" (compiler/sema writes Nomad's value);
  // nodes keep it as "" (runtime/store decodes the "default" alias to "").
  static const std::string kDefault;
  const std::string& host_network = requested == "default" ? kDefault : requested;
  const auto& nets = node.resources.networks;
  if (nets.empty()) return host_network.empty() ? &kImplicit : nullptr;
  for (const model::NodeNetwork& n : nets) {
    if (n.host_network == host_network && (n.mode.empty() || n.mode == "host")) return &n;
  }
  if (host_network.empty()) return &nets.front();
  return nullptr;
}

namespace {

NetworkAsk ToAsk(const ir::NetworkResource& n, bool task_level) {
  NetworkAsk ask;
  ask.mode = n.mode;
  ask.mbits = n.mbits;
  ask.task_level = task_level;
  for (const ir::Port& p : n.reserved_ports) {
    ask.reserved.push_back({p.label, p.value, p.to, p.host_network});
  }
  for (const ir::Port& p : n.dynamic_ports) {
    ask.dynamic.push_back({p.label, 0, p.to, p.host_network});
  }
  return ask;
}

}  // namespace

GroupAsk ComputeGroupAsk(const ir::TaskGroup& tg) {
  GroupAsk ask;
  if (tg.ephemeral_disk && tg.ephemeral_disk->size_mb) ask.disk_mb = *tg.ephemeral_disk->size_mb;
  if (!tg.networks.empty()) {
    ask.networks.push_back(ToAsk(tg.networks.front(), /*task_level=*/false));
    ask.network_mode = tg.networks.front().mode;
    ask.mbits += tg.networks.front().mbits;
  }
  for (const ir::Task& t : tg.tasks) {
    model::AllocatedTaskResources r;
    r.task = t.name;
    r.cores = t.resources.cores.value_or(0);
    r.cpu_mhz = r.cores > 0 ? 0 : t.resources.cpu.value_or(kDefaultTaskCpu);
    r.memory_mb = t.resources.memory_mb.value_or(kDefaultTaskMemory);
    r.memory_max_mb = t.resources.memory_max_mb.value_or(0);
    ask.cpu_mhz += r.cpu_mhz;
    ask.memory_mb += r.memory_mb;
    ask.cores += r.cores;
    ask.tasks.push_back(std::move(r));
    if (!t.resources.networks.empty()) {
      ask.networks.push_back(ToAsk(t.resources.networks.front(), /*task_level=*/true));
      ask.mbits += t.resources.networks.front().mbits;
    }
  }
  return ask;
}

}  // namespace drover::scheduler
