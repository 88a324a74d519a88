#include "reconciler/scheduler/stack.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "compiler/base/check.h"
#include "reconciler/model/node_class.h"

namespace drover::scheduler {

using model::Allocation;
using model::Node;

namespace {

constexpr int8_t kUnknown = 0;
constexpr int8_t kEligible = 1;
constexpr int8_t kIneligible = 2;
constexpr double kSkipScoreThreshold = 0.0;
constexpr size_t kMaxSkip = 3;
constexpr int kMaxRandomPortAttempts = 20;

bool ParseBool(std::string_view s, bool* out) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") {
    *out = true;
    return true;
  }
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") {
    *out = false;
    return true;
  }
  return false;
}

// A distinct_hosts constraint applies unless its value parses as false.
bool HasDistinctHosts(const std::vector<ir::Constraint>& cs) {
  for (const ir::Constraint& c : cs) {
    if (c.op != ir::ConstraintOp::kDistinctHosts) continue;
    if (c.r_target.empty()) return true;
    bool enabled = true;
    return !ParseBool(c.r_target, &enabled) || enabled;
  }
  return false;
}

bool ConstraintEscapes(const ir::Constraint& c) {
  return TargetEscapesClass(c.l_target) || TargetEscapesClass(c.r_target);
}

bool IsSelectionConstraint(const ir::Constraint& c) {
  return c.op == ir::ConstraintOp::kDistinctHosts || c.op == ir::ConstraintOp::kDistinctProperty;
}

bool HasDriver(const Node& node, const std::string& driver) {
  auto it = node.drivers.find(driver);
  if (it != node.drivers.end()) return it->second.detected && it->second.healthy;
  auto attr = node.attributes.find("driver." + driver);
  if (attr == node.attributes.end()) return false;
  bool enabled = false;
  return ParseBool(attr->second, &enabled) && enabled;
}

}  // namespace

// ---- property sets (distinct_property and spread) -----------------------------------------------

/// Counts this job's allocations per value of one node property, existing and proposed by the
/// plan (Nomad's propertySet).
class PropertySet {
 public:
  PropertySet(EvalContext& ctx, const ir::Job& job, std::string attribute, const std::string* tg)
      : ctx_(ctx),
        key_{job.namespace_.empty() ? "default" : job.namespace_, job.id},
        attribute_(std::move(attribute)),
        tg_(tg != nullptr ? *tg : std::string()),
        tg_scoped_(tg != nullptr) {
    for (const Allocation* a : ctx_.state().AllocsByJob(key_)) {
      if (a->IsTerminal() || !InScope(*a)) continue;
      if (auto v = ValueOf(a->node_id)) existing_[*v] += 1;
    }
  }

  void SetAllowed(const std::string& rtarget) {
    if (rtarget.empty()) return;
    char* end = nullptr;
    errno = 0;
    unsigned long long v = std::strtoull(rtarget.c_str(), &end, 10);
    if (errno != 0 || end != rtarget.c_str() + rtarget.size() || rtarget[0] == '-') {
      error_ = fmt::format("failed to convert RTarget {:?} to uint64", rtarget);
      return;
    }
    allowed_ = v;
  }
  void SetTargets(const std::vector<ir::SpreadTarget>& targets) {
    for (const auto& t : targets) targets_.insert(t.value);
  }
  const std::string& attribute() const { return attribute_; }

  void PopulateProposed() {
    proposed_.clear();
    cleared_.clear();
    const model::State& state = ctx_.state();
    for (const auto& [node, stops] : ctx_.plan().node_update) {
      for (const StopRequest& s : stops) {
        const Allocation* a = state.GetAlloc(s.alloc_id);
        if (a == nullptr || a->IsTerminal() || !InScope(*a)) continue;
        if (auto v = ValueOf(a->node_id)) cleared_[*v] += 1;
      }
    }
    for (const auto& [node, allocs] : ctx_.plan().node_allocation) {
      for (const Allocation& a : allocs) {
        if (a.IsTerminal() || !InScope(a)) continue;
        const Allocation* existing = a.create_index != 0 ? state.GetAlloc(a.id) : nullptr;
        if (existing != nullptr && !existing->IsTerminal() && !ctx_.IsStopped(a.id)) continue;
        if (auto v = ValueOf(a.node_id)) proposed_[*v] += 1;
      }
    }
    for (const auto& [value, n] : proposed_) {
      auto it = cleared_.find(value);
      if (it == cleared_.end()) continue;
      if (it->second == 0) {
        cleared_.erase(it);
      } else if (it->second > 1) {
        it->second -= 1;
      }
    }
  }

  std::map<std::string, uint64_t> CombinedUse() const {
    std::map<std::string, uint64_t> combined;
    for (const auto* m : {&existing_, &proposed_}) {
      for (const auto& [v, n] : *m) combined[Targeted(v)] += n;
    }
    for (const auto& [v, n] : cleared_) {
      auto it = combined.find(Targeted(v));
      if (it == combined.end()) continue;
      it->second = it->second >= n ? it->second - n : 0;
    }
    return combined;
  }

  struct Used {
    std::string value;
    std::string error;
    uint64_t count = 0;
  };
  Used UsedCount(const Node& node) const {
    Used u;
    if (!error_.empty()) {
      u.error = error_;
      return u;
    }
    std::string scratch;
    auto v = attribute_.empty() ? std::nullopt : ResolveTarget(attribute_, node, scratch);
    if (!v) {
      u.error = fmt::format("missing property {:?}", attribute_);
      return u;
    }
    u.value = Targeted(std::string(*v));
    auto combined = CombinedUse();
    auto it = combined.find(u.value);
    u.count = it == combined.end() ? 0 : it->second;
    return u;
  }

  bool Satisfies(const Node& node, std::string* reason) const {
    Used u = UsedCount(node);
    if (!u.error.empty()) {
      *reason = u.error;
      return false;
    }
    if (u.count < allowed_) return true;
    *reason =
        fmt::format("distinct_property: {}={} used by {} allocs", attribute_, u.value, u.count);
    return false;
  }

 private:
  bool InScope(const Allocation& a) const {
    return a.job_id == key_.id && a.namespace_ == key_.namespace_ &&
           (!tg_scoped_ || a.task_group == tg_);
  }
  std::optional<std::string> ValueOf(const model::Id& node_id) const {
    const Node* node = ctx_.state().GetNode(node_id);
    if (node == nullptr) return std::nullopt;
    std::string scratch;
    auto v = ResolveTarget(attribute_, *node, scratch);
    if (!v) return std::nullopt;
    return std::string(*v);
  }
  std::string Targeted(const std::string& v) const {
    if (targets_.empty() || targets_.contains(v)) return v;
    return "*";
  }

  EvalContext& ctx_;
  model::JobKey key_;
  std::string attribute_;
  std::string tg_;
  bool tg_scoped_;
  uint64_t allowed_ = 1;
  std::string error_;
  std::set<std::string> targets_;
  std::map<std::string, uint64_t> existing_;
  std::map<std::string, uint64_t> proposed_;
  std::map<std::string, uint64_t> cleared_;
};

namespace {

// Nomad's evenSpreadScoreBoost: favour values with the fewest allocations when a spread has no
// targets.
double EvenSpreadBoost(const PropertySet& ps, const Node& node) {
  std::map<std::string, uint64_t> combined = ps.CombinedUse();
  if (combined.empty()) return 0.0;
  std::string scratch;
  auto v = ResolveTarget(ps.attribute(), node, scratch);
  if (!v) return -1.0;
  auto it = combined.find(std::string(*v));
  uint64_t current = it == combined.end() ? 0 : it->second;
  uint64_t min_count = 0;
  uint64_t max_count = 0;
  for (const auto& [value, count] : combined) {
    if (min_count == 0 || count < min_count) min_count = count;
    if (max_count == 0 || count > max_count) max_count = count;
  }
  double delta_boost = -1.0;
  if (min_count != 0) {
    delta_boost = static_cast<double>(static_cast<int64_t>(min_count - current)) /
                  static_cast<double>(min_count);
  }
  if (current != min_count) return delta_boost;
  if (min_count == max_count) return -1.0;
  if (min_count == 0) return 1.0;
  return static_cast<double>(static_cast<int64_t>(max_count - min_count)) /
         static_cast<double>(min_count);
}

}  // namespace

struct Stack::GroupInfo {
  const ir::TaskGroup* tg = nullptr;
  GroupAsk ask;
  int count = 1;
  std::vector<const ir::Constraint*> constraints;
  std::vector<std::string> drivers;
  std::string network_mode;
  std::vector<std::pair<std::string, std::string>> host_networks;  // (alias, port label)
  bool escaped = false;
  bool distinct_hosts = false;
  std::vector<int8_t> class_status;
  std::vector<std::unique_ptr<PropertySet>> distinct_sets;
  std::vector<const ir::Affinity*> affinities;
  double affinity_weight_sum = 0;
  struct SpreadDetail {
    int8_t weight = 0;
    std::map<std::string, double> desired;
  };
  std::vector<std::unique_ptr<PropertySet>> spread_sets;
  std::map<std::string, SpreadDetail> spread_details;
};

Stack::Stack(EvalContext& ctx, StackKind kind) : ctx_(ctx), kind_(kind) {}
Stack::~Stack() = default;

void Stack::SetJob(const ir::Job* job) {
  job_ = job;
  groups_.clear();
  job_constraints_.clear();
  job_property_sets_.clear();
  job_class_status_.clear();
  job_escaped_ = false;
  job_distinct_hosts_ = false;
  sum_spread_weights_ = 0;
  lowest_spread_boost_ = -1.0;
  group_cursor_.clear();
  if (job == nullptr) return;
  for (const ir::Constraint& c : job->constraints) {
    if (ConstraintEscapes(c)) job_escaped_ = true;
    if (IsSelectionConstraint(c)) {
      if (c.op == ir::ConstraintOp::kDistinctProperty && kind_ != StackKind::kSystem) {
        auto ps = std::make_unique<PropertySet>(ctx_, *job, c.l_target, nullptr);
        ps->SetAllowed(c.r_target);
        job_property_sets_.push_back(std::move(ps));
      }
      continue;
    }
    job_constraints_.push_back(&c);
  }
  if (kind_ == StackKind::kSystem) {
    // The system stack has no distinct_hosts iterator, but it does check distinct_property.
    for (const ir::Constraint& c : job->constraints) {
      if (c.op == ir::ConstraintOp::kDistinctProperty) {
        auto ps = std::make_unique<PropertySet>(ctx_, *job, c.l_target, nullptr);
        ps->SetAllowed(c.r_target);
        job_property_sets_.push_back(std::move(ps));
      }
    }
  } else {
    job_distinct_hosts_ = HasDistinctHosts(job->constraints);
  }
  groups_.resize(job->task_groups.size());
  group_cursor_.assign(job->task_groups.size(), 0);
}

void Stack::SetNodes(std::vector<const Node*> nodes) {
  nodes_.clear();
  nodes_.reserve(nodes.size());
  for (const Node* n : nodes) nodes_.push_back(Slot{n, nullptr, nullptr, -1, -1});
  ResetLimit();
}

void Stack::SetNodes(const std::vector<const model::NodeDirectory::Entry*>& nodes) {
  nodes_.clear();
  nodes_.reserve(nodes.size());
  for (const model::NodeDirectory::Entry* e : nodes) {
    nodes_.push_back(Slot{e->node, e, e->usage, -1, -1});
  }
  ResetLimit();
}

void Stack::ResetLimit() {
  offset_ = 0;
  capacities_.clear();
  size_t limit = 2;
  if (kind_ == StackKind::kService && !nodes_.empty()) {
    size_t log_limit =
        static_cast<size_t>(std::ceil(std::log2(static_cast<double>(nodes_.size()))));
    limit = std::max(limit, log_limit);
  }
  base_limit_ = limit;
  std::fill(group_cursor_.begin(), group_cursor_.end(), 0);
}

Stack::GroupInfo& Stack::Group(size_t tg_index) {
  DROVER_CHECK(job_ != nullptr && tg_index < groups_.size(), "Select before SetJob");
  if (groups_[tg_index]) return *groups_[tg_index];
  auto g = std::make_unique<GroupInfo>();
  const ir::TaskGroup& tg = job_->task_groups[tg_index];
  g->tg = &tg;
  g->ask = ComputeGroupAsk(tg);
  g->count = tg.count.value_or(1);
  std::set<std::string> drivers;
  auto add_constraints = [&](const std::vector<ir::Constraint>& cs) {
    for (const ir::Constraint& c : cs) {
      if (ConstraintEscapes(c)) g->escaped = true;
      if (IsSelectionConstraint(c)) continue;
      g->constraints.push_back(&c);
    }
  };
  add_constraints(tg.constraints);
  for (const ir::Task& t : tg.tasks) {
    add_constraints(t.constraints);
    if (!t.driver.empty()) drivers.insert(t.driver);
  }
  g->drivers.assign(drivers.begin(), drivers.end());
  if (!tg.networks.empty()) {
    g->network_mode = tg.networks.front().mode;
    for (const auto* ports :
         {&tg.networks.front().reserved_ports, &tg.networks.front().dynamic_ports}) {
      for (const ir::Port& p : *ports) {
        if (!p.host_network.empty()) g->host_networks.emplace_back(p.host_network, p.label);
      }
    }
  }
  if (kind_ != StackKind::kSystem) g->distinct_hosts = HasDistinctHosts(tg.constraints);
  for (const ir::Constraint& c : tg.constraints) {
    if (c.op != ir::ConstraintOp::kDistinctProperty) continue;
    auto ps = std::make_unique<PropertySet>(ctx_, *job_, c.l_target, &tg.name);
    ps->SetAllowed(c.r_target);
    g->distinct_sets.push_back(std::move(ps));
  }
  if (kind_ != StackKind::kSystem) {
    for (const ir::Affinity& a : job_->affinities) g->affinities.push_back(&a);
    for (const ir::Affinity& a : tg.affinities) g->affinities.push_back(&a);
    for (const ir::Task& t : tg.tasks) {
      for (const ir::Affinity& a : t.affinities) g->affinities.push_back(&a);
    }
    for (const ir::Affinity* a : g->affinities) g->affinity_weight_sum += std::abs(a->weight);
    // Property sets: job spreads, then group spreads; details: group spreads, then job spreads
    // (a job spread on the same attribute overrides the group's, as in Nomad).
    for (const auto* spreads : {&job_->spreads, &tg.spreads}) {
      for (const ir::Spread& s : *spreads) {
        auto ps = std::make_unique<PropertySet>(ctx_, *job_, s.attribute, &tg.name);
        ps->SetTargets(s.targets);
        g->spread_sets.push_back(std::move(ps));
      }
    }
    for (const auto* spreads : {&tg.spreads, &job_->spreads}) {
      for (const ir::Spread& s : *spreads) {
        GroupInfo::SpreadDetail d;
        d.weight = s.weight;
        double sum = 0;
        for (const ir::SpreadTarget& t : s.targets) {
          double want = (static_cast<double>(t.percent) / 100.0) * g->count;
          d.desired[t.value] = want;
          sum += want;
        }
        if (sum > 0 && sum < g->count) d.desired["*"] = g->count - sum;
        g->spread_details[s.attribute] = std::move(d);
        sum_spread_weights_ += s.weight;
      }
    }
  }
  groups_[tg_index] = std::move(g);
  return *groups_[tg_index];
}

int Stack::ClassOf(Slot& slot) {
  if (slot.class_id >= 0) return slot.class_id;
  if (slot.entry != nullptr) {
    uint32_t dc = slot.entry->computed_class;
    if (directory_classes_.size() <= dc) directory_classes_.resize(dc + 1, -1);
    if (directory_classes_[dc] < 0) {
      const std::string& name = ctx_.state().Directory().classes[dc];
      auto [it, inserted] = class_ids_.emplace(name, static_cast<int>(class_ids_.size()));
      directory_classes_[dc] = it->second;
    }
    slot.class_id = directory_classes_[dc];
    return slot.class_id;
  }
  std::string cls = slot.node->computed_class.empty() ? model::ComputeNodeClass(*slot.node)
                                                      : slot.node->computed_class;
  auto [it, inserted] = class_ids_.emplace(std::move(cls), static_cast<int>(class_ids_.size()));
  slot.class_id = it->second;
  return slot.class_id;
}

const Stack::SlotCapacity& Stack::CapacityOf(Slot& slot) {
  if (slot.capacity < 0) {
    slot.capacity = static_cast<int32_t>(capacities_.size());
    capacities_.push_back({NodeCapacity(*slot.node), NodeNetworkFor(*slot.node, "")});
  }
  return capacities_[static_cast<size_t>(slot.capacity)];
}

const model::NodeUsage& Stack::UsageOf(Slot& slot) {
  if (slot.usage == nullptr) slot.usage = &ctx_.state().Usage(slot.node->id);
  return *slot.usage;
}

bool Stack::JobChecks(const Node& node) {
  for (const ir::Constraint* c : job_constraints_) {
    if (!MeetsConstraint(*c, node, ctx_.constraints())) {
      FilterNode(ctx_.metrics(), node, ConstraintString(*c));
      return false;
    }
  }
  return true;
}

bool Stack::GroupChecks(const Node& node, GroupInfo& g) {
  for (const std::string& d : g.drivers) {
    if (!HasDriver(node, d)) {
      FilterNode(ctx_.metrics(), node, "missing drivers");
      return false;
    }
  }
  for (const ir::Constraint* c : g.constraints) {
    if (!MeetsConstraint(*c, node, ctx_.constraints())) {
      FilterNode(ctx_.metrics(), node, ConstraintString(*c));
      return false;
    }
  }
  const std::string& mode = g.network_mode;
  if (!mode.empty() && mode != "host") {
    bool found = false;
    for (const model::NodeNetwork& n : node.resources.networks) found |= n.mode == mode;
    if (!found) {
      FilterNode(ctx_.metrics(), node, "missing network");
      return false;
    }
  }
  for (const auto& [alias, label] : g.host_networks) {
    if (NodeNetworkFor(node, alias) == nullptr) {
      FilterNode(ctx_.metrics(), node,
                 fmt::format("missing host network {:?} for port {:?}", alias, label));
      return false;
    }
  }
  return true;
}

bool Stack::Feasible(Slot& slot, GroupInfo& g) {
  const Node& node = *slot.node;
  int cls = ClassOf(slot);
  // Job checks, cached per computed class unless a constraint reads unique attributes.
  if (!job_escaped_) {
    if (job_class_status_.size() <= static_cast<size_t>(cls)) {
      job_class_status_.resize(cls + 1, kUnknown);
    }
    int8_t& st = job_class_status_[cls];
    if (st == kIneligible) {
      FilterNode(ctx_.metrics(), node, "computed class ineligible");
      return false;
    }
    if (st == kUnknown) st = JobChecks(node) ? kEligible : kIneligible;
    if (st == kIneligible) return false;
  } else if (!JobChecks(node)) {
    return false;
  }
  if (!g.escaped) {
    if (g.class_status.size() <= static_cast<size_t>(cls)) g.class_status.resize(cls + 1, kUnknown);
    int8_t& st = g.class_status[cls];
    if (st == kIneligible) {
      FilterNode(ctx_.metrics(), node, "computed class ineligible");
      return false;
    }
    if (st == kUnknown) st = GroupChecks(node, g) ? kEligible : kIneligible;
    return st == kEligible;
  }
  return GroupChecks(node, g);
}

bool Stack::DistinctOk(Slot& slot, GroupInfo& g) {
  const Node& node = *slot.node;
  if (job_distinct_hosts_ || g.distinct_hosts) {
    size_t tg_index = static_cast<size_t>(g.tg - job_->task_groups.data());
    bool collision = job_distinct_hosts_ ? ctx_.JobAllocsOn(node.id) > 0
                                         : ctx_.GroupAllocsOn(node.id, tg_index) > 0;
    if (collision) {
      FilterNode(ctx_.metrics(), node, "distinct_hosts");
      return false;
    }
  }
  std::string reason;
  for (const auto* sets : {&job_property_sets_, &g.distinct_sets}) {
    for (const auto& ps : *sets) {
      if (!ps->Satisfies(node, &reason)) {
        FilterNode(ctx_.metrics(), node, reason);
        return false;
      }
    }
  }
  return true;
}

bool Stack::AssignNetworks(Slot& slot, GroupInfo& g, model::AllocatedResources& res,
                           std::string* error) {
  if (g.ask.networks.empty()) return true;
  const Node& node = *slot.node;
  const model::NodeUsage& usage = UsageOf(slot);
  const NodeDelta* d = ctx_.Delta(node.id);
  const auto& reserved = node.reserved.ports;
  auto used = [&](const std::string& ip, int port) {
    if (std::find(reserved.begin(), reserved.end(), port) != reserved.end()) return true;
    if (usage.PortUsed(ip, port) && (d == nullptr || !d->PortFreed(ip, port))) return true;
    if (d != nullptr && d->PortAdded(ip, port)) return true;
    for (const model::AllocatedPort& p : res.ports) {
      if (p.value == port && p.host_ip == ip) return true;
    }
    return false;
  };
  int64_t mbits_used = usage.mbits + (d != nullptr ? d->mbits : 0);
  const SlotCapacity& sc = CapacityOf(slot);
  const Capacity& cap = sc.capacity;
  const model::NodeNetwork* default_net = sc.default_net;
  auto network_for = [&](const std::string& host_network) {
    return host_network.empty() ? default_net : NodeNetworkFor(node, host_network);
  };
  for (const NetworkAsk& ask : g.ask.networks) {
    if (ask.task_level && ask.mbits > 0) {
      if (mbits_used + ask.mbits > cap.mbits) {
        *error = "bandwidth exceeded";
        return false;
      }
      mbits_used += ask.mbits;
    }
    for (const PortAsk& p : ask.reserved) {
      if (p.value < 0 || p.value >= 65536) {
        *error = fmt::format("invalid port {} (out of range)", p.value);
        return false;
      }
      const model::NodeNetwork* net = network_for(p.host_network);
      if (net == nullptr) {
        *error = fmt::format("no addresses available for {} network", p.host_network);
        return false;
      }
      if (used(net->ip, p.value)) {
        *error = fmt::format("reserved port collision {}={}", p.label, p.value);
        return false;
      }
      res.ports.push_back({p.label, p.value, p.to == -1 ? p.value : p.to, net->ip});
    }
    for (const PortAsk& p : ask.dynamic) {
      const model::NodeNetwork* net = network_for(p.host_network);
      if (net == nullptr) {
        *error = fmt::format("no addresses available for {} network", p.host_network);
        return false;
      }
      int lo = node.resources.min_dynamic_port;
      int hi = node.resources.max_dynamic_port;
      int chosen = -1;
      for (int attempt = 0; attempt < kMaxRandomPortAttempts && hi > lo; ++attempt) {
        int candidate = lo + static_cast<int>(ctx_.rng().Below(static_cast<uint64_t>(hi - lo)));
        if (!used(net->ip, candidate)) {
          chosen = candidate;
          break;
        }
      }
      if (chosen < 0) {
        // The precise pass: every free port in the range, one picked at random.
        std::vector<int> free_ports;
        for (int port = lo; port <= hi; ++port) {
          if (!used(net->ip, port)) free_ports.push_back(port);
        }
        if (!free_ports.empty()) chosen = free_ports[ctx_.rng().Below(free_ports.size())];
      }
      if (chosen < 0) {
        *error = "dynamic port selection failed";
        return false;
      }
      res.ports.push_back({p.label, chosen, p.to == -1 ? chosen : p.to, net->ip});
    }
  }
  return true;
}

bool Stack::Rank(Slot& slot, GroupInfo& g, const SelectOptions& options, Candidate& out) {
  const Node& node = *slot.node;
  model::AllocMetric& metrics = ctx_.metrics();
  out.resources.ports.clear();
  std::string error;
  if (!AssignNetworks(slot, g, out.resources, &error)) {
    ExhaustedNode(metrics, node, "network: " + error);
    return false;
  }
  const model::NodeUsage& usage = UsageOf(slot);
  const NodeDelta* d = ctx_.Delta(node.id);
  const Capacity& cap = CapacityOf(slot).capacity;
  int64_t per_core =
      node.resources.cpu_cores > 0 ? node.resources.cpu_mhz / node.resources.cpu_cores : 0;
  if (g.ask.cores > 0) {
    int64_t used_cores = usage.cores + (d != nullptr ? d->cores : 0);
    if (used_cores + g.ask.cores > cap.cores) {
      ExhaustedNode(metrics, node, "cores");
      return false;
    }
  }
  int64_t cpu =
      usage.cpu_mhz + (d != nullptr ? d->cpu_mhz : 0) + g.ask.cpu_mhz + g.ask.cores * per_core;
  int64_t mem = usage.memory_mb + (d != nullptr ? d->memory_mb : 0) + g.ask.memory_mb;
  int64_t disk = usage.disk_mb + (d != nullptr ? d->disk_mb : 0) + g.ask.disk_mb;
  if (cpu > cap.cpu_mhz) {
    ExhaustedNode(metrics, node, "cpu");
    return false;
  }
  if (mem > cap.memory_mb) {
    ExhaustedNode(metrics, node, "memory");
    return false;
  }
  if (disk > cap.disk_mb) {
    ExhaustedNode(metrics, node, "disk");
    return false;
  }

  // Bin-packing fitness (BestFit v3), normalized by its maximum 18.
  double free_cpu = cap.cpu_mhz > 0 ? 1.0 - static_cast<double>(cpu) / cap.cpu_mhz : 0.0;
  double free_mem = cap.memory_mb > 0 ? 1.0 - static_cast<double>(mem) / cap.memory_mb : 0.0;
  double total = std::pow(10.0, free_cpu) + std::pow(10.0, free_mem);
  double fit = ctx_.config().spread_fit ? total - 2.0 : 20.0 - total;
  fit = std::clamp(fit, 0.0, 18.0);
  Scores& s = out.scores;
  s = Scores();
  s.binpack = fit / 18.0;
  double sum = s.binpack;
  int n = 1;

  if (kind_ != StackKind::kSystem) {
    size_t tg_index = static_cast<size_t>(g.tg - job_->task_groups.data());
    int collisions = ctx_.GroupAllocsOn(node.id, tg_index);
    if (collisions > 0) {
      s.anti_affinity = -static_cast<double>(collisions + 1) / std::max(g.count, 1);
      // drover sums the scores and gives anti-affinity half weight, so packing wins unless a
      // group would crowd one node.
      if (ctx_.config().algorithm == Algorithm::kDrover) s.anti_affinity *= 0.5;
      sum += s.anti_affinity;
      ++n;
    }
    if (std::find(options.penalty_nodes.begin(), options.penalty_nodes.end(), node.id) !=
        options.penalty_nodes.end()) {
      s.penalty = -1.0;
      sum += s.penalty;
      ++n;
    }
    if (!g.affinities.empty()) {
      double matched = 0;
      for (const ir::Affinity* a : g.affinities) {
        if (MatchesAffinity(*a, node, ctx_.constraints())) matched += a->weight;
      }
      if (matched != 0.0) {
        s.affinity = matched / g.affinity_weight_sum;
        sum += s.affinity;
        ++n;
      }
    }
    if (!g.spread_sets.empty()) {
      double spread = 0;
      for (const auto& ps : g.spread_sets) {
        PropertySet::Used u = ps->UsedCount(node);
        u.count += 1;
        if (!u.error.empty()) {
          spread -= 1.0;
          continue;
        }
        auto detail = g.spread_details.find(ps->attribute());
        if (detail == g.spread_details.end()) continue;
        const auto& desired = detail->second.desired;
        if (desired.empty()) {
          spread += EvenSpreadBoost(*ps, node);
          continue;
        }
        auto want = desired.find(u.value);
        if (want == desired.end()) want = desired.find("*");
        if (want == desired.end()) {
          spread -= 1.0;
          continue;
        }
        double weight = sum_spread_weights_ != 0
                            ? static_cast<double>(detail->second.weight) / sum_spread_weights_
                            : 0.0;
        if (want->second == 0) {
          spread += lowest_spread_boost_;
          continue;
        }
        double boost = ((want->second - static_cast<double>(u.count)) / want->second) * weight;
        spread += boost;
        lowest_spread_boost_ = std::min(lowest_spread_boost_, boost);
      }
      if (spread != 0.0) {
        s.spread = spread;
        s.has_spread = true;
        sum += spread;
        ++n;
      }
    }
  }
  bool drover = ctx_.config().algorithm == Algorithm::kDrover && kind_ != StackKind::kSystem;
  out.final_score = drover ? sum : sum / n;

  out.resources.tasks = g.ask.tasks;
  if (g.ask.cores > 0) {
    for (auto& t : out.resources.tasks) {
      if (t.cores > 0) t.cpu_mhz = static_cast<int>(t.cores * per_core);
    }
  }
  out.resources.disk_mb = static_cast<int>(g.ask.disk_mb);
  out.resources.mbits = static_cast<int>(g.ask.mbits);
  out.resources.network_mode = g.ask.network_mode;
  return true;
}

std::optional<RankedNode> Stack::Select(size_t tg_index, const SelectOptions& options) {
  if (options.preferred_node != nullptr) {
    std::vector<Slot> original = std::move(nodes_);
    nodes_ = {Slot{options.preferred_node, nullptr, nullptr, -1, -1}};
    offset_ = 0;
    SelectOptions rest = options;
    rest.preferred_node = nullptr;
    std::optional<RankedNode> picked = SelectFrom(tg_index, rest);
    nodes_ = std::move(original);
    offset_ = 0;  // Nomad's SetNodes resets the source
    if (picked) return picked;
    return SelectFrom(tg_index, rest);
  }
  return SelectFrom(tg_index, options);
}

std::optional<RankedNode> Stack::SelectFrom(size_t tg_index, const SelectOptions& options) {
  ctx_.ResetMetrics();
  GroupInfo& g = Group(tg_index);
  for (const auto* sets : {&job_property_sets_, &g.distinct_sets, &g.spread_sets}) {
    for (const auto& ps : *sets) ps->PopulateProposed();
  }
  const bool system = kind_ == StackKind::kSystem;
  const bool drover = ctx_.config().algorithm == Algorithm::kDrover && !system;
  size_t limit = system ? 1 : base_limit_;
  if (!system && (!g.affinities.empty() || !g.spread_sets.empty())) {
    size_t cap = static_cast<size_t>(ctx_.config().node_limit_for_affinity);
    limit = static_cast<size_t>(g.count) < cap ? cap : static_cast<size_t>(g.count);
  } else if (drover) {
    limit = 2;
  }
  if (drover && group_cursor_[tg_index] < nodes_.size()) offset_ = group_cursor_[tg_index];

  const size_t n = nodes_.size();
  size_t seen_source = 0;
  auto next_source = [&]() -> Slot* {
    if (offset_ >= n || seen_source == n) {
      if (seen_source == n) return nullptr;
      offset_ = 0;
    }
    Slot* s = &nodes_[offset_];
    ++offset_;
    ++seen_source;
    ctx_.metrics().nodes_evaluated += 1;
    return s;
  };
  size_t used = 0;
  scored_.clear();
  scored_final_.clear();
  auto next_ranked = [&]() -> int {
    while (Slot* s = next_source()) {
      if (!Feasible(*s, g)) continue;
      if (!DistinctOk(*s, g)) continue;
      if (pool_.size() <= used) pool_.emplace_back();
      Candidate& c = pool_[used];
      if (!Rank(*s, g, options, c)) continue;
      c.slot = static_cast<size_t>(s - nodes_.data());
      scored_.emplace_back(s->node->id, c.scores);
      scored_final_.push_back(c.final_score);
      return static_cast<int>(used++);
    }
    return -1;
  };

  // Nomad's LimitIterator (with skips of non-positive scores) feeding the MaxScoreIterator.
  size_t seen_limit = 0;
  std::vector<int> skipped;
  size_t skipped_index = 0;
  auto next_option = [&]() -> int {
    int c = next_ranked();
    if (c < 0 && skipped_index < skipped.size()) return skipped[skipped_index++];
    return c;
  };
  auto limited_next = [&]() -> int {
    if (seen_limit == limit) return -1;
    int option = next_option();
    if (option < 0) return -1;
    if (!system && skipped.size() < kMaxSkip) {
      while (option >= 0 && pool_[option].final_score <= kSkipScoreThreshold &&
             skipped.size() < kMaxSkip) {
        skipped.push_back(option);
        option = next_ranked();
      }
    }
    ++seen_limit;
    if (option < 0) return next_option();
    return option;
  };
  int best = -1;
  while (true) {
    int option = limited_next();
    if (option < 0) break;
    if (best < 0 || pool_[option].final_score > pool_[best].final_score) best = option;
  }

  std::vector<size_t> order(scored_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  RecordScoreMeta(order);
  if (best < 0) return std::nullopt;
  Candidate& c = pool_[best];
  if (drover) group_cursor_[tg_index] = c.slot;
  RankedNode out;
  out.node = nodes_[c.slot].node;
  out.final_score = c.final_score;
  out.resources = std::move(c.resources);
  c.resources = model::AllocatedResources();
  return out;
}

void Stack::RecordScoreMeta(const std::vector<size_t>& scored) {
  int keep = ctx_.config().max_score_meta;
  if (keep <= 0 || scored.empty()) return;
  std::vector<size_t> top = scored;
  std::stable_sort(top.begin(), top.end(),
                   [&](size_t a, size_t b) { return scored_final_[a] > scored_final_[b]; });
  if (top.size() > static_cast<size_t>(keep)) top.resize(keep);
  auto& meta = ctx_.metrics().score_meta;
  meta.reserve(top.size());
  for (size_t i : top) {
    const Scores& s = scored_[i].second;
    // Scorers that did not apply are left out: `alloc status -verbose` prints a missing score
    // as 0, exactly as the explicit 0 Nomad stores.
    model::NodeScoreMeta m;
    m.node_id = scored_[i].first;
    m.Set(model::Scorer::kBinpack, s.binpack);
    if (s.anti_affinity != 0) m.Set(model::Scorer::kJobAntiAffinity, s.anti_affinity);
    if (s.penalty != 0) m.Set(model::Scorer::kNodeReschedulePenalty, s.penalty);
    if (s.affinity != 0) m.Set(model::Scorer::kNodeAffinity, s.affinity);
    if (s.has_spread) m.Set(model::Scorer::kAllocationSpread, s.spread);
    m.norm_score = scored_final_[i];
    meta.push_back(m);
  }
}

}  // namespace drover::scheduler
