#include "reconciler/scheduler/util.h"

#include "reconciler/scheduler/reconcile.h"

namespace drover::scheduler {
namespace {

bool NetworksEqual(const std::vector<ir::NetworkResource>& a,
                   const std::vector<ir::NetworkResource>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const ir::NetworkResource& x = a[i];
    const ir::NetworkResource& y = b[i];
    if (x.mode != y.mode || x.mbits != y.mbits || x.hostname != y.hostname || x.dns != y.dns ||
        x.reserved_ports != y.reserved_ports || x.dynamic_ports != y.dynamic_ports) {
      return false;
    }
  }
  return true;
}

ir::StringMap CombinedMeta(const ir::Job& job, const ir::TaskGroup& tg, const ir::Task& task) {
  ir::StringMap out = job.meta;
  for (const auto& [k, v] : tg.meta) out[k] = v;
  for (const auto& [k, v] : task.meta) out[k] = v;
  return out;
}

std::vector<ir::Affinity> AllAffinities(const ir::Job& job, const ir::TaskGroup& tg) {
  std::vector<ir::Affinity> out = job.affinities;
  out.insert(out.end(), tg.affinities.begin(), tg.affinities.end());
  for (const ir::Task& t : tg.tasks) out.insert(out.end(), t.affinities.begin(), t.affinities.end());
  return out;
}

std::vector<ir::Spread> AllSpreads(const ir::Job& job, const ir::TaskGroup& tg) {
  std::vector<ir::Spread> out = job.spreads;
  out.insert(out.end(), tg.spreads.begin(), tg.spreads.end());
  return out;
}

bool ConnectChanged(const std::vector<ir::Service>& a, const std::vector<ir::Service>& b) {
  for (const ir::Service& s : a) {
    if (s.connect.is_null()) continue;
    bool same = false;
    for (const ir::Service& t : b) {
      if (t.name == s.name) same = t.connect == s.connect;
    }
    if (!same) return true;
  }
  return false;
}

std::optional<bool> RenderTemplates(const std::optional<ir::RestartPolicy>& r) {
  return r ? r->render_templates : std::nullopt;
}

}  // namespace

std::string TasksUpdated(const ir::Job& next, const ir::Job& prev, std::string_view tg_name) {
  const ir::TaskGroup* a = next.FindGroup(tg_name);
  const ir::TaskGroup* b = prev.FindGroup(tg_name);
  if (a == nullptr || b == nullptr) return "task group missing";
  if (a->tasks.size() != b->tasks.size()) return "number of tasks";
  if (a->ephemeral_disk != b->ephemeral_disk) return "ephemeral disk";
  if (!NetworksEqual(a->networks, b->networks)) return "network";
  if (AllAffinities(next, *a) != AllAffinities(prev, *b)) return "affinities";
  if (AllSpreads(next, *a) != AllSpreads(prev, *b)) return "spreads";
  if (a->consul_namespace != b->consul_namespace) return "consul namespace";
  if (ConnectChanged(a->services, b->services) || ConnectChanged(b->services, a->services)) {
    return "connect service";
  }
  if (a->volumes != b->volumes) return "volume request";
  if (RenderTemplates(a->restart_policy) != RenderTemplates(b->restart_policy)) {
    return "group restart render_templates";
  }
  for (const ir::Task& at : a->tasks) {
    const ir::Task* bt = nullptr;
    for (const ir::Task& t : b->tasks) {
      if (t.name == at.name) bt = &t;
    }
    if (bt == nullptr) return "task deleted";
    if (at.driver != bt->driver) return "task driver";
    if (at.user != bt->user) return "task user";
    if (at.config != bt->config) return "task config";
    if (at.env != bt->env) return "task env";
    if (at.artifacts != bt->artifacts) return "task artifacts";
    if (at.vault != bt->vault) return "task vault";
    if (at.templates != bt->templates) return "task templates";
    if (at.csi_plugin != bt->csi_plugin) return "task CSI plugin";
    if (at.identity != bt->identity || at.identities != bt->identities) return "task identity";
    if (CombinedMeta(next, *a, at) != CombinedMeta(prev, *b, *bt)) return "task meta";
    if (!NetworksEqual(at.resources.networks, bt->resources.networks)) return "task network";
    const ir::Resources& x = at.resources;
    const ir::Resources& y = bt->resources;
    if (x.cpu != y.cpu || x.cores != y.cores || x.memory_mb != y.memory_mb ||
        x.memory_max_mb != y.memory_max_mb || x.devices != y.devices) {
      return "task resources";
    }
    if (at.lifecycle != bt->lifecycle) return "task lifecycle";
    if (RenderTemplates(at.restart_policy) != RenderTemplates(bt->restart_policy)) {
      return "task restart render_templates";
    }
  }
  return "";
}

bool DatacenterMatches(std::string_view pattern, std::string_view dc) {
  // ryanuber/go-glob: '*' matches any run of characters; nothing else is special.
  size_t star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == dc;
  std::string_view prefix = pattern.substr(0, star);
  if (!dc.starts_with(prefix)) return false;
  dc.remove_prefix(prefix.size());
  pattern.remove_prefix(star + 1);
  // Each remaining '*'-separated part must appear in order; the last must end the string.
  while (true) {
    size_t next = pattern.find('*');
    std::string_view part = pattern.substr(0, next);
    if (next == std::string_view::npos) return dc.ends_with(part);
    size_t at = dc.find(part);
    if (at == std::string_view::npos) return false;
    dc.remove_prefix(at + part.size());
    pattern.remove_prefix(next + 1);
  }
}

bool NodeInDatacenters(const model::Node& node, const std::vector<std::string>& patterns) {
  if (patterns.empty()) return true;  // canonical default ["*"]
  for (const std::string& p : patterns) {
    if (DatacenterMatches(p, node.datacenter)) return true;
  }
  return false;
}

bool NodeInPool(const model::Node& node, const std::string& pool) {
  if (pool == "all") return true;
  std::string want = pool.empty() ? "default" : pool;
  std::string have = node.node_pool.empty() ? "default" : node.node_pool;
  return want == have;
}

ReadyNodes ReadyNodesFor(const model::State& state, const ir::Job& job) {
  ReadyNodes out;
  for (const std::string& dc : job.datacenters) {
    if (dc.find('*') == std::string::npos) out.by_dc[dc] = 0;
  }
  for (const model::Node* n : state.Nodes()) {
    if (!NodeInPool(*n, job.node_pool)) continue;
    if (!n->IsReady()) {
      out.not_ready.push_back(n->id);
      continue;
    }
    if (!NodeInDatacenters(*n, job.datacenters)) continue;
    out.nodes.push_back(n);
    out.by_dc[n->datacenter] += 1;
  }
  return out;
}

std::map<model::Id, const model::Node*> TaintedNodes(
    const model::State& state, const std::vector<const model::Allocation*>& allocs) {
  std::map<model::Id, const model::Node*> out;
  for (const model::Allocation* a : allocs) {
    if (a->node_id.IsZero() || out.contains(a->node_id)) continue;
    const model::Node* n = state.GetNode(a->node_id);
    if (n == nullptr) {
      out[a->node_id] = nullptr;
    } else if (n->status == model::NodeStatus::kDown ||
               n->status == model::NodeStatus::kDisconnected || n->drain) {
      out[a->node_id] = n;
    }
  }
  return out;
}

void UpdateRescheduleTracker(model::Allocation& alloc, const model::Allocation& prev,
                             model::Time now) {
  constexpr size_t kMaxPastEvents = 5;
  auto policy = PolicyOf(prev);
  std::vector<model::RescheduleEvent> events;
  if (!prev.reschedule_tracker.empty()) {
    if (policy && policy->attempts > 0) {
      for (const auto& e : prev.reschedule_tracker) {
        if (policy->interval.count() > 0 && now - e.reschedule_time <= policy->interval.count()) {
          events.push_back(e);
        }
      }
    } else {
      size_t n = prev.reschedule_tracker.size();
      size_t start = n > kMaxPastEvents ? n - kMaxPastEvents : 0;
      events.assign(prev.reschedule_tracker.begin() + static_cast<ptrdiff_t>(start),
                    prev.reschedule_tracker.end());
    }
  }
  events.push_back(model::RescheduleEvent{now, prev.id, prev.node_id, NextDelay(prev)});
  alloc.reschedule_tracker = std::move(events);
}

}  // namespace drover::scheduler
