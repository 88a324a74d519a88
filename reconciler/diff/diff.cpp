#include "reconciler/diff/diff.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>

#include <fmt/format.h>

namespace drover::diff {
namespace {

// A flattened struct: Nomad field name -> value as Go prints it. Null pointer = a nil struct.
using Flat = std::map<std::string, std::string>;
constexpr bool kContextual = true;  // Nomad's Plan endpoint asks for contextual diffs

std::string B(bool v) { return v ? "true" : "false"; }
std::string I(int64_t v) { return std::to_string(v); }
std::string D(ir::Duration d) { return std::to_string(d.count()); }

// ---- field and object diffs (nomad/structs/diff.go) ---------------------------------------------

int TypeRank(DiffType t) {
  // Nomad's DiffType.Less: Edited < Added < Deleted < None.
  switch (t) {
    case DiffType::kEdited:
      return 0;
    case DiffType::kAdded:
      return 1;
    case DiffType::kDeleted:
      return 2;
    case DiffType::kNone:
      return 3;
  }
  return 3;
}

bool FieldLess(const FieldDiff& a, const FieldDiff& b) {
  if (a.name != b.name) return a.name < b.name;
  if (a.old_value != b.old_value) return a.old_value < b.old_value;
  return a.new_value < b.new_value;
}

bool ObjectLess(const ObjectDiff& a, const ObjectDiff& b) {
  if (a.name != b.name) return a.name < b.name;
  if (a.type != b.type) return TypeRank(a.type) < TypeRank(b.type);
  if (a.fields.size() != b.fields.size()) return a.fields.size() < b.fields.size();
  if (a.objects.size() != b.objects.size()) return a.objects.size() < b.objects.size();
  for (size_t i = 0; i < a.fields.size(); ++i) {
    if (FieldLess(a.fields[i], b.fields[i])) return true;
    if (FieldLess(b.fields[i], a.fields[i])) return false;
  }
  for (size_t i = 0; i < a.objects.size(); ++i) {
    if (ObjectLess(a.objects[i], b.objects[i])) return true;
    if (ObjectLess(b.objects[i], a.objects[i])) return false;
  }
  return false;
}

void SortObjects(std::vector<ObjectDiff>& objects) {
  std::stable_sort(objects.begin(), objects.end(), ObjectLess);
}

std::optional<FieldDiff> FieldDiffOf(const std::string& old_v, const std::string& new_v,
                                     const std::string& name, bool contextual) {
  FieldDiff d;
  d.name = name;
  if (old_v == new_v) {
    if (!contextual) return std::nullopt;
    d.old_value = old_v;
    d.new_value = new_v;
    return d;
  }
  if (old_v.empty()) {
    d.type = DiffType::kAdded;
    d.new_value = new_v;
  } else if (new_v.empty()) {
    d.type = DiffType::kDeleted;
    d.old_value = old_v;
  } else {
    d.type = DiffType::kEdited;
    d.old_value = old_v;
    d.new_value = new_v;
  }
  return d;
}

std::vector<FieldDiff> FieldDiffs(const Flat* old_flat, const Flat* new_flat, bool contextual) {
  static const Flat kEmpty;
  const Flat& o = old_flat != nullptr ? *old_flat : kEmpty;
  const Flat& n = new_flat != nullptr ? *new_flat : kEmpty;
  std::set<std::string> keys;
  for (const auto& [k, v] : o) keys.insert(k);
  for (const auto& [k, v] : n) keys.insert(k);
  std::vector<FieldDiff> out;
  for (const std::string& k : keys) {
    auto oi = o.find(k);
    auto ni = n.find(k);
    auto d = FieldDiffOf(oi == o.end() ? "" : oi->second, ni == n.end() ? "" : ni->second, k,
                         contextual);
    if (d) out.push_back(std::move(*d));
  }
  std::sort(out.begin(), out.end(), FieldLess);
  return out;
}

// Type from the fields' changes; nullopt when nothing changed (primitiveObjectDiff).
std::optional<ObjectDiff> PrimitiveObjectDiff(const Flat* old_flat, const Flat* new_flat,
                                              const std::string& name, bool contextual) {
  ObjectDiff d;
  d.name = name;
  d.fields = FieldDiffs(old_flat, new_flat, contextual);
  bool added = false;
  bool deleted = false;
  bool edited = false;
  for (const FieldDiff& f : d.fields) {
    if (f.type == DiffType::kEdited) {
      edited = true;
      break;
    }
    added |= f.type == DiffType::kAdded;
    deleted |= f.type == DiffType::kDeleted;
  }
  if (edited || (added && deleted)) {
    d.type = DiffType::kEdited;
  } else if (added) {
    d.type = DiffType::kAdded;
  } else if (deleted) {
    d.type = DiffType::kDeleted;
  } else {
    return std::nullopt;
  }
  return d;
}

// Type from nil-ness (serviceDiff, Resources.Diff, ...): null when equal.
template <typename T>
std::optional<ObjectDiff> StructDiff(const T* old_v, const T* new_v, const std::string& name,
                                     const Flat* old_flat, const Flat* new_flat,
                                     bool contextual) {
  if ((old_v == nullptr && new_v == nullptr) ||
      (old_v != nullptr && new_v != nullptr && *old_v == *new_v)) {
    return std::nullopt;
  }
  ObjectDiff d;
  d.name = name;
  d.type = old_v == nullptr   ? DiffType::kAdded
           : new_v == nullptr ? DiffType::kDeleted
                              : DiffType::kEdited;
  d.fields = FieldDiffs(old_v == nullptr ? nullptr : old_flat,
                        new_v == nullptr ? nullptr : new_flat, contextual);
  return d;
}

std::optional<ObjectDiff> StringSetDiff(const std::vector<std::string>& old_v,
                                        const std::vector<std::string>& new_v,
                                        const std::string& name, bool contextual) {
  std::set<std::string> o(old_v.begin(), old_v.end());
  std::set<std::string> n(new_v.begin(), new_v.end());
  if (o == n && !contextual) return std::nullopt;
  ObjectDiff d;
  d.name = name;
  bool added = false;
  bool removed = false;
  for (const std::string& k : o) {
    if (!n.contains(k)) {
      d.fields.push_back(*FieldDiffOf(k, "", name, contextual));
      removed = true;
    } else if (contextual) {
      d.fields.push_back(*FieldDiffOf(k, k, name, contextual));
    }
  }
  for (const std::string& k : n) {
    if (!o.contains(k)) {
      d.fields.push_back(*FieldDiffOf("", k, name, contextual));
      added = true;
    }
  }
  std::sort(d.fields.begin(), d.fields.end(), FieldLess);
  if (added && removed) {
    d.type = DiffType::kEdited;
  } else if (added) {
    d.type = DiffType::kAdded;
  } else if (removed) {
    d.type = DiffType::kDeleted;
  } else {
    if (d.fields.empty()) return std::nullopt;
    d.type = DiffType::kNone;
  }
  return d;
}

// Set semantics: equal members match, the rest are deleted and added (primitiveObjectSetDiff,
// networkResourceDiffs).
template <typename T, typename FlattenFn>
void SetDiff(const std::vector<T>& old_v, const std::vector<T>& new_v, const std::string& name,
             FlattenFn flatten, std::vector<ObjectDiff>& out, bool primitive) {
  auto contains = [](const std::vector<T>& v, const T& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  std::vector<ObjectDiff> diffs;
  for (const T& o : old_v) {
    if (contains(new_v, o)) continue;
    Flat f = flatten(o);
    auto d = primitive ? PrimitiveObjectDiff(&f, nullptr, name, kContextual)
                       : StructDiff<T>(&o, nullptr, name, &f, nullptr, kContextual);
    if (d) diffs.push_back(std::move(*d));
  }
  for (const T& n : new_v) {
    if (contains(old_v, n)) continue;
    Flat f = flatten(n);
    auto d = primitive ? PrimitiveObjectDiff(nullptr, &f, name, kContextual)
                       : StructDiff<T>(nullptr, &n, name, nullptr, &f, kContextual);
    if (d) diffs.push_back(std::move(*d));
  }
  SortObjects(diffs);
  for (auto& d : diffs) out.push_back(std::move(d));
}

void Append(std::vector<ObjectDiff>& out, std::optional<ObjectDiff> d) {
  if (d) out.push_back(std::move(*d));
}

// ---- flattening free-form JSON (driver config, scaling policy) ----------------------------------

void FlattenJson(const std::string& prefix, const nlohmann::json& v, Flat& out) {
  auto key = [&](const std::string& k) { return prefix.empty() ? k : prefix + "[" + k + "]"; };
  switch (v.type()) {
    case nlohmann::json::value_t::object:
      for (const auto& [k, child] : v.items()) FlattenJson(key(k), child, out);
      break;
    case nlohmann::json::value_t::array:
      for (size_t i = 0; i < v.size(); ++i) {
        FlattenJson(prefix + "[" + std::to_string(i) + "]", v[i], out);
      }
      break;
    case nlohmann::json::value_t::string:
      out[prefix] = v.get<std::string>();
      break;
    case nlohmann::json::value_t::boolean:
      out[prefix] = B(v.get<bool>());
      break;
    case nlohmann::json::value_t::number_integer:
      out[prefix] = GoFloat(static_cast<double>(v.get<int64_t>()));
      break;
    case nlohmann::json::value_t::number_unsigned:
      out[prefix] = GoFloat(static_cast<double>(v.get<uint64_t>()));
      break;
    case nlohmann::json::value_t::number_float:
      out[prefix] = GoFloat(v.get<double>());
      break;
    case nlohmann::json::value_t::null:
      out[prefix] = "nil";
      break;
    default:
      break;
  }
}

Flat FlattenJson(const nlohmann::json& v) {
  Flat out;
  if (v.is_object()) FlattenJson("", v, out);
  return out;
}

void PutMap(Flat& f, const std::string& name, const ir::StringMap& m) {
  for (const auto& [k, v] : m) f[name + "[" + k + "]"] = v;
}

// ---- the job's structs, flattened with Nomad's field names ----------------------------------------

Flat FlattenJob(const ir::Job& j, bool stopped) {
  Flat f;
  f["AllAtOnce"] = B(j.all_at_once);
  f["ConsulNamespace"] = j.consul_namespace;
  f["ConsulToken"] = j.consul_token;
  f["DispatchIdempotencyToken"] = "";
  f["Dispatched"] = B(j.dispatched);
  PutMap(f, "Meta", j.meta);
  f["Name"] = j.name.empty() ? j.id : j.name;
  f["Namespace"] = j.namespace_.empty() ? "default" : j.namespace_;
  f["NodePool"] = j.node_pool.empty() ? "default" : j.node_pool;
  f["ParentID"] = j.parent_id;
  f["Priority"] = I(j.priority.value_or(50));
  f["Region"] = j.region.empty() ? "global" : j.region;
  f["Stop"] = B(stopped);
  f["Type"] = std::string(ir::ToString(j.type.value_or(ir::JobType::kService)));
  f["VaultNamespace"] = j.vault_namespace;
  return f;
}

Flat FlattenConstraint(const ir::Constraint& c) {
  return {{"LTarget", c.l_target}, {"Operand", std::string(ir::ToString(c.op))},
          {"RTarget", c.r_target}};
}

Flat FlattenAffinity(const ir::Affinity& a) {
  return {{"LTarget", a.l_target},
          {"Operand", std::string(ir::ToString(a.op))},
          {"RTarget", a.r_target},
          {"Weight", I(a.weight)}};
}

Flat FlattenSpread(const ir::Spread& s) {
  Flat f{{"Attribute", s.attribute}, {"Weight", I(s.weight)}};
  for (const ir::SpreadTarget& t : s.targets) f["SpreadTarget[" + t.value + "]"] = I(t.percent);
  return f;
}

Flat FlattenRestart(const ir::RestartPolicy& r, ir::JobType type) {
  bool batch = type == ir::JobType::kBatch || type == ir::JobType::kSysbatch;
  return {{"Attempts", I(r.attempts.value_or(batch ? 3 : 2))},
          {"Delay", D(r.delay.value_or(std::chrono::seconds(15)))},
          {"Interval", D(r.interval.value_or(batch ? std::chrono::hours(24) : std::chrono::minutes(30)))},
          {"Mode", std::string(ir::ToString(r.mode.value_or(ir::RestartMode::kFail)))},
          {"RenderTemplates", B(r.render_templates.value_or(false))}};
}

Flat FlattenReschedule(const ir::ReschedulePolicy& r, ir::JobType type) {
  bool batch = type == ir::JobType::kBatch;
  return {{"Attempts", I(r.attempts.value_or(batch ? 1 : 0))},
          {"Delay", D(r.delay.value_or(batch ? std::chrono::seconds(5) : std::chrono::seconds(30)))},
          {"DelayFunction", std::string(ir::ToString(r.delay_function.value_or(
                                batch ? ir::DelayFunction::kConstant : ir::DelayFunction::kExponential)))},
          {"Interval", D(r.interval.value_or(batch ? std::chrono::hours(24) : ir::Duration(0)))},
          {"MaxDelay", D(r.max_delay.value_or(batch ? ir::Duration(0) : std::chrono::hours(1)))},
          {"Unlimited", B(r.unlimited.value_or(!batch))}};
}

Flat FlattenDisk(const ir::EphemeralDisk& d) {
  return {{"Migrate", B(d.migrate.value_or(false))},
          {"SizeMB", I(d.size_mb.value_or(300))},
          {"Sticky", B(d.sticky.value_or(false))}};
}

Flat FlattenUpdate(const ir::UpdateStrategy& u) {
  return {{"AutoPromote", B(u.auto_promote.value_or(false))},
          {"AutoRevert", B(u.auto_revert.value_or(false))},
          {"Canary", I(u.canary.value_or(0))},
          {"HealthCheck", std::string(ir::ToString(u.health_check.value_or(ir::HealthCheckMode::kChecks)))},
          {"HealthyDeadline", D(u.healthy_deadline.value_or(std::chrono::minutes(5)))},
          {"MaxParallel", I(u.max_parallel.value_or(1))},
          {"MinHealthyTime", D(u.min_healthy_time.value_or(std::chrono::seconds(10)))},
          {"ProgressDeadline", D(u.progress_deadline.value_or(std::chrono::minutes(10)))}};
}

Flat FlattenPort(const ir::Port& p, bool dynamic) {
  Flat f{{"HostNetwork", p.host_network}, {"Label", p.label}, {"To", I(p.to)}};
  if (!dynamic) f["Value"] = I(p.value);
  return f;
}

Flat FlattenNetwork(const ir::NetworkResource& n) {
  return {{"Hostname", n.hostname}, {"MBits", I(n.mbits)}, {"Mode", n.mode}};
}

std::optional<ObjectDiff> DnsDiff(const std::optional<ir::DnsConfig>& o,
                                  const std::optional<ir::DnsConfig>& n) {
  auto flat = [](const ir::DnsConfig& d) {
    Flat f;
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
      return s;
    };
    if (!d.servers.empty()) f["Servers"] = join(d.servers);
    if (!d.searches.empty()) f["Searches"] = join(d.searches);
    if (!d.options.empty()) f["Options"] = join(d.options);
    return f;
  };
  Flat of = o ? flat(*o) : Flat();
  Flat nf = n ? flat(*n) : Flat();
  return StructDiff<ir::DnsConfig>(o ? &*o : nullptr, n ? &*n : nullptr, "DNS", &of, &nf,
                                   kContextual);
}

void PortDiffs(const std::vector<ir::Port>& o, const std::vector<ir::Port>& n, bool dynamic,
               std::vector<ObjectDiff>& out) {
  std::string name = dynamic ? "Dynamic Port" : "Static Port";
  std::map<std::string, const ir::Port*> om;
  std::map<std::string, const ir::Port*> nm;
  for (const auto& p : o) om[p.label] = &p;
  for (const auto& p : n) nm[p.label] = &p;
  std::vector<ObjectDiff> diffs;
  for (const auto& [label, op] : om) {
    Flat of = FlattenPort(*op, dynamic);
    auto it = nm.find(label);
    if (it != nm.end()) {
      Flat nf = FlattenPort(*it->second, dynamic);
      Append(diffs, PrimitiveObjectDiff(&of, &nf, name, kContextual));
    } else {
      Append(diffs, PrimitiveObjectDiff(&of, nullptr, name, kContextual));
    }
  }
  for (const auto& [label, np] : nm) {
    if (om.contains(label)) continue;
    Flat nf = FlattenPort(*np, dynamic);
    Append(diffs, PrimitiveObjectDiff(nullptr, &nf, name, kContextual));
  }
  SortObjects(diffs);
  for (auto& d : diffs) out.push_back(std::move(d));
}

std::optional<ObjectDiff> NetworkDiff(const ir::NetworkResource* o, const ir::NetworkResource* n) {
  Flat of = o ? FlattenNetwork(*o) : Flat();
  Flat nf = n ? FlattenNetwork(*n) : Flat();
  auto d = StructDiff(o, n, "Network", &of, &nf, kContextual);
  if (!d) return d;
  static const ir::NetworkResource kEmpty;
  const ir::NetworkResource& oo = o ? *o : kEmpty;
  const ir::NetworkResource& nn = n ? *n : kEmpty;
  PortDiffs(oo.reserved_ports, nn.reserved_ports, false, d->objects);
  PortDiffs(oo.dynamic_ports, nn.dynamic_ports, true, d->objects);
  Append(d->objects, DnsDiff(oo.dns, nn.dns));
  return d;
}

void NetworkDiffs(const std::vector<ir::NetworkResource>& o,
                  const std::vector<ir::NetworkResource>& n, std::vector<ObjectDiff>& out) {
  std::vector<ObjectDiff> diffs;
  for (const auto& x : o) {
    if (std::find(n.begin(), n.end(), x) == n.end()) Append(diffs, NetworkDiff(&x, nullptr));
  }
  for (const auto& x : n) {
    if (std::find(o.begin(), o.end(), x) == o.end()) Append(diffs, NetworkDiff(nullptr, &x));
  }
  SortObjects(diffs);
  for (auto& d : diffs) out.push_back(std::move(d));
}

std::string Interpolate(std::string s, const std::string& job, const std::string& group,
                        const std::string& task) {
  std::string base = job + "-" + group + (task.empty() ? "" : "-" + task);
  const std::pair<std::string, std::string> subs[] = {
      {"${JOB}", job}, {"${TASKGROUP}", group}, {"${GROUP}", group}, {"${TASK}", task},
      {"${BASE}", base}};
  for (const auto& [from, to] : subs) {
    for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
      s.replace(pos, from.size(), to);
    }
  }
  return s;
}

struct ServiceContext {
  std::string job;
  std::string group;
  std::string task;
  std::string ns;
};

Flat FlattenService(const ir::Service& s, const ServiceContext& ctx) {
  Flat f;
  f["Address"] = s.address;
  f["AddressMode"] = std::string(ir::ToString(s.address_mode.value_or(ir::AddressMode::kAuto)));
  f["EnableTagOverride"] = B(s.enable_tag_override);
  std::string name = s.name.empty() ? "${BASE}" : s.name;
  f["Name"] = Interpolate(name, ctx.job, ctx.group, ctx.task);
  f["Namespace"] = ctx.ns;
  f["OnUpdate"] = std::string(ir::ToString(s.on_update.value_or(ir::OnUpdate::kRequireHealthy)));
  f["PortLabel"] = s.port_label;
  f["Provider"] = std::string(ir::ToString(s.provider.value_or(ir::ServiceProvider::kConsul)));
  f["TaskName"] = s.task_name;
  PutMap(f, "Meta", s.meta);
  PutMap(f, "CanaryMeta", s.canary_meta);
  PutMap(f, "TaggedAddresses", s.tagged_addresses);
  return f;
}

Flat FlattenCheck(const ir::ServiceCheck& c, const std::string& service_name) {
  Flat f;
  f["AddressMode"] = c.address_mode ? std::string(ir::ToString(*c.address_mode)) : "";
  f["Body"] = c.body;
  f["Command"] = c.command;
  f["Expose"] = B(c.expose);
  f["FailuresBeforeCritical"] = I(c.failures_before_critical);
  f["GRPCService"] = c.grpc_service;
  f["GRPCUseTLS"] = B(c.grpc_use_tls);
  f["InitialStatus"] = c.initial_status;
  f["Interval"] = D(c.interval);
  f["Method"] = c.method;
  f["Name"] = c.name.empty() ? "service: \"" + service_name + "\" check" : c.name;
  f["OnUpdate"] = c.on_update ? std::string(ir::ToString(*c.on_update)) : "require_healthy";
  f["Path"] = c.path;
  f["PortLabel"] = c.port_label;
  f["Protocol"] = c.protocol;
  f["SuccessBeforePassing"] = I(c.success_before_passing);
  f["TLSServerName"] = c.tls_server_name;
  f["TLSSkipVerify"] = B(c.tls_skip_verify);
  f["TaskName"] = c.task_name;
  f["Timeout"] = D(c.timeout);
  f["Type"] = std::string(ir::ToString(c.type));
  return f;
}

std::optional<ObjectDiff> CheckDiff(const ir::ServiceCheck* o, const ir::ServiceCheck* n,
                                    const std::string& service_name) {
  Flat of = o ? FlattenCheck(*o, service_name) : Flat();
  Flat nf = n ? FlattenCheck(*n, service_name) : Flat();
  auto d = StructDiff(o, n, "Check", &of, &nf, kContextual);
  if (!d) return d;
  static const ir::ServiceCheck kEmpty;
  const ir::ServiceCheck& oo = o ? *o : kEmpty;
  const ir::ServiceCheck& nn = n ? *n : kEmpty;
  if (oo.header != nn.header) {
    Flat oh;
    Flat nh;
    for (const auto& [k, vs] : oo.header) {
      for (size_t i = 0; i < vs.size(); ++i) oh[k + "[" + std::to_string(i) + "]"] = vs[i];
    }
    for (const auto& [k, vs] : nn.header) {
      for (size_t i = 0; i < vs.size(); ++i) nh[k + "[" + std::to_string(i) + "]"] = vs[i];
    }
    ObjectDiff h;
    h.name = "Header";
    h.type = oo.header.empty() ? DiffType::kAdded
             : nn.header.empty() ? DiffType::kDeleted
                                 : DiffType::kEdited;
    h.fields = FieldDiffs(oo.header.empty() ? nullptr : &oh, nn.header.empty() ? nullptr : &nh,
                          kContextual);
    d->objects.push_back(std::move(h));
  }
  if (oo.check_restart != nn.check_restart) {
    auto flat = [](const ir::CheckRestart& r) {
      return Flat{{"Grace", D(r.grace)}, {"IgnoreWarnings", B(r.ignore_warnings)},
                  {"Limit", I(r.limit)}};
    };
    Flat of2 = oo.check_restart ? flat(*oo.check_restart) : Flat();
    Flat nf2 = nn.check_restart ? flat(*nn.check_restart) : Flat();
    Append(d->objects, StructDiff<ir::CheckRestart>(
                           oo.check_restart ? &*oo.check_restart : nullptr,
                           nn.check_restart ? &*nn.check_restart : nullptr, "CheckRestart", &of2,
                           &nf2, kContextual));
  }
  SortObjects(d->objects);
  return d;
}

std::optional<ObjectDiff> ServiceDiff(const ir::Service* o, const ir::Service* n,
                                      const ServiceContext& ctx) {
  Flat of = o ? FlattenService(*o, ctx) : Flat();
  Flat nf = n ? FlattenService(*n, ctx) : Flat();
  auto d = StructDiff(o, n, "Service", &of, &nf, kContextual);
  if (!d) return d;
  static const ir::Service kEmpty;
  const ir::Service& oo = o ? *o : kEmpty;
  const ir::Service& nn = n ? *n : kEmpty;
  Append(d->objects, StringSetDiff(oo.canary_tags, nn.canary_tags, "CanaryTags", kContextual));
  Append(d->objects, StringSetDiff(oo.tags, nn.tags, "Tags", kContextual));
  // Checks are matched by name.
  std::string svc_name = Interpolate(nn.name.empty() ? oo.name : nn.name, ctx.job, ctx.group,
                                     ctx.task);
  std::map<std::string, const ir::ServiceCheck*> oc;
  std::map<std::string, const ir::ServiceCheck*> nc;
  auto check_name = [&](const ir::ServiceCheck& c) {
    return c.name.empty() ? "service: \"" + svc_name + "\" check" : c.name;
  };
  for (const auto& c : oo.checks) oc[check_name(c)] = &c;
  for (const auto& c : nn.checks) nc[check_name(c)] = &c;
  std::vector<ObjectDiff> checks;
  for (const auto& [name, c] : oc) {
    auto it = nc.find(name);
    Append(checks, CheckDiff(c, it == nc.end() ? nullptr : it->second, svc_name));
  }
  for (const auto& [name, c] : nc) {
    if (!oc.contains(name)) Append(checks, CheckDiff(nullptr, c, svc_name));
  }
  SortObjects(checks);
  for (auto& c : checks) d->objects.push_back(std::move(c));
  if (oo.connect != nn.connect) {
    Flat oj = FlattenJson(oo.connect);
    Flat nj = FlattenJson(nn.connect);
    ObjectDiff c;
    c.name = "ConsulConnect";
    c.type = oo.connect.is_null()   ? DiffType::kAdded
             : nn.connect.is_null() ? DiffType::kDeleted
                                    : DiffType::kEdited;
    c.fields = FieldDiffs(&oj, &nj, kContextual);
    d->objects.push_back(std::move(c));
  }
  return d;
}

// Nomad's findServiceMatch: a service matches the unmatched one with the best score (same
// position +1, same port label +2, same name +3), if above 2.
void ServiceDiffs(const std::vector<ir::Service>& o, const std::vector<ir::Service>& n,
                  const ServiceContext& ctx, std::vector<ObjectDiff>& out) {
  std::vector<ObjectDiff> diffs;
  if (o.size() == 1 && n.size() == 1) {
    Append(diffs, ServiceDiff(&o[0], &n[0], ctx));
  } else {
    std::vector<int> new_match(n.size(), -1);
    for (size_t oi = 0; oi < o.size(); ++oi) {
      int best = -1;
      int best_score = 0;
      for (size_t ni = 0; ni < n.size(); ++ni) {
        if (new_match[ni] >= 0) continue;
        int score = (oi == ni ? 1 : 0) + (o[oi].port_label == n[ni].port_label ? 2 : 0) +
                    (o[oi].name == n[ni].name ? 3 : 0);
        if (score > 2 && score > best_score) {
          best_score = score;
          best = static_cast<int>(ni);
        }
      }
      if (best < 0) {
        Append(diffs, ServiceDiff(&o[oi], nullptr, ctx));
        continue;
      }
      new_match[best] = static_cast<int>(oi);
      Append(diffs, ServiceDiff(&o[oi], &n[best], ctx));
    }
    for (size_t ni = 0; ni < n.size(); ++ni) {
      if (new_match[ni] < 0) Append(diffs, ServiceDiff(nullptr, &n[ni], ctx));
    }
  }
  SortObjects(diffs);
  for (auto& d : diffs) out.push_back(std::move(d));
}

Flat FlattenResources(const ir::Resources& r) {
  return {{"CPU", I(r.cpu.value_or(100))},
          {"Cores", I(r.cores.value_or(0))},
          {"DiskMB", I(r.disk_mb.value_or(0))},
          {"IOPS", I(r.iops.value_or(0))},
          {"MemoryMB", I(r.memory_mb.value_or(300))},
          {"MemoryMaxMB", I(r.memory_max_mb.value_or(0))}};
}

std::optional<ObjectDiff> ResourcesDiff(const ir::Resources* o, const ir::Resources* n) {
  Flat of = o ? FlattenResources(*o) : Flat();
  Flat nf = n ? FlattenResources(*n) : Flat();
  auto d = StructDiff(o, n, "Resources", &of, &nf, kContextual);
  if (!d) return d;
  static const ir::Resources kEmpty;
  const ir::Resources& oo = o ? *o : kEmpty;
  const ir::Resources& nn = n ? *n : kEmpty;
  NetworkDiffs(oo.networks, nn.networks, d->objects);
  std::map<std::string, const ir::RequestedDevice*> od;
  std::map<std::string, const ir::RequestedDevice*> nd;
  for (const auto& x : oo.devices) od[x.name] = &x;
  for (const auto& x : nn.devices) nd[x.name] = &x;
  auto flat = [](const ir::RequestedDevice& x) {
    return Flat{{"Count", I(x.count)}, {"Name", x.name}};
  };
  std::vector<ObjectDiff> devices;
  for (const auto& [name, x] : od) {
    auto it = nd.find(name);
    Flat a = flat(*x);
    Flat b = it == nd.end() ? Flat() : flat(*it->second);
    Append(devices, StructDiff<ir::RequestedDevice>(x, it == nd.end() ? nullptr : it->second,
                                                    "Device", &a, &b, kContextual));
  }
  for (const auto& [name, x] : nd) {
    if (od.contains(name)) continue;
    Flat b = flat(*x);
    Append(devices, StructDiff<ir::RequestedDevice>(nullptr, x, "Device", nullptr, &b, kContextual));
  }
  SortObjects(devices);
  for (auto& x : devices) d->objects.push_back(std::move(x));
  return d;
}

Flat FlattenLog(const ir::LogConfig& l) {
  return {{"Disabled", B(l.disabled.value_or(false))},
          {"MaxFileSizeMB", I(l.max_file_size_mb.value_or(10))},
          {"MaxFiles", I(l.max_files.value_or(10))}};
}

Flat FlattenArtifact(const ir::Artifact& a) {
  Flat f{{"GetterMode", std::string(ir::ToString(a.mode.value_or(ir::ArtifactMode::kAny)))},
         {"GetterSource", a.source},
         {"RelativeDest", a.destination.empty() ? "local/" : a.destination}};
  PutMap(f, "GetterOptions", a.options);
  PutMap(f, "GetterHeaders", a.headers);
  return f;
}

Flat FlattenTemplate(const ir::Template& t) {
  return {{"ChangeMode", std::string(ir::ToString(t.change_mode.value_or(ir::ChangeMode::kRestart)))},
          {"ChangeSignal", t.change_signal},
          {"DestPath", t.dest_path},
          {"EmbeddedTmpl", t.embedded_tmpl},
          {"Envvars", B(t.envvars)},
          {"ErrMissingKey", B(t.error_on_missing_key)},
          {"LeftDelim", t.left_delim.empty() ? "{{" : t.left_delim},
          {"Perms", t.perms.empty() ? "0644" : t.perms},
          {"RightDelim", t.right_delim.empty() ? "}}" : t.right_delim},
          {"SourcePath", t.source_path},
          {"Splay", D(t.splay.value_or(std::chrono::seconds(5)))},
          {"VaultGrace", D(t.vault_grace.value_or(ir::Duration(0)))}};
}

Flat FlattenVault(const ir::Vault& v) {
  return {{"ChangeMode", std::string(ir::ToString(v.change_mode.value_or(ir::ChangeMode::kRestart)))},
          {"ChangeSignal", v.change_signal},
          {"DisableFile", B(v.disable_file.value_or(false))},
          {"Env", B(v.env.value_or(true))},
          {"Namespace", v.namespace_},
          {"Role", v.role}};
}

Flat FlattenIdentity(const ir::WorkloadIdentity& w) {
  return {{"ChangeMode", w.change_mode},
          {"ChangeSignal", w.change_signal},
          {"Env", B(w.env.value_or(false))},
          {"File", B(w.file.value_or(false))},
          {"Name", w.name},
          {"ServiceName", w.service_name},
          {"TTL", D(w.ttl.value_or(ir::Duration(0)))}};
}

Flat FlattenTask(const ir::Task& t) {
  Flat f;
  f["Driver"] = t.driver;
  PutMap(f, "Env", t.env);
  f["KillSignal"] = t.kill_signal;
  f["KillTimeout"] = D(t.kill_timeout.value_or(std::chrono::seconds(5)));
  f["Kind"] = t.kind;
  f["Leader"] = B(t.leader);
  PutMap(f, "Meta", t.meta);
  f["ShutdownDelay"] = D(t.shutdown_delay.value_or(ir::Duration(0)));
  f["User"] = t.user;
  return f;
}

template <typename T>
std::optional<ObjectDiff> OptionalPrimitive(const std::optional<T>& o, const std::optional<T>& n,
                                            const std::string& name, Flat (*flat)(const T&)) {
  Flat of = o ? flat(*o) : Flat();
  Flat nf = n ? flat(*n) : Flat();
  return PrimitiveObjectDiff(o ? &of : nullptr, n ? &nf : nullptr, name, kContextual);
}

TaskDiff DiffTask(const ir::Task* o, const ir::Task* n, const ServiceContext& ctx) {
  TaskDiff d;
  static const ir::Task kEmpty;
  const ir::Task& oo = o ? *o : kEmpty;
  const ir::Task& nn = n ? *n : kEmpty;
  d.name = n ? n->name : o->name;
  d.type = !o ? DiffType::kAdded : !n ? DiffType::kDeleted
           : *o == *n                 ? DiffType::kNone
                                      : DiffType::kEdited;
  Flat of = o ? FlattenTask(*o) : Flat();
  Flat nf = n ? FlattenTask(*n) : Flat();
  d.fields = FieldDiffs(o ? &of : nullptr, n ? &nf : nullptr, /*contextual=*/false);

  SetDiff(oo.constraints, nn.constraints, "Constraint", FlattenConstraint, d.objects, true);
  SetDiff(oo.affinities, nn.affinities, "Affinity", FlattenAffinity, d.objects, true);
  // Config: nil when equal; type from emptiness.
  bool old_config = o && !o->config.empty() && !o->config.is_null();
  bool new_config = n && !n->config.empty() && !n->config.is_null();
  if ((old_config || new_config) && (!old_config || !new_config || o->config != n->config)) {
    Flat oc = old_config ? FlattenJson(o->config) : Flat();
    Flat nc = new_config ? FlattenJson(n->config) : Flat();
    ObjectDiff c;
    c.name = "Config";
    c.type = !old_config ? DiffType::kAdded : !new_config ? DiffType::kDeleted : DiffType::kEdited;
    c.fields = FieldDiffs(&oc, &nc, kContextual);
    d.objects.push_back(std::move(c));
  }
  Append(d.objects, ResourcesDiff(o ? &o->resources : nullptr, n ? &n->resources : nullptr));
  {
    // A task always has a log config in Nomad (canonical defaults).
    std::optional<ir::LogConfig> ol;
    std::optional<ir::LogConfig> nl;
    if (o) ol = o->log_config.value_or(ir::LogConfig{});
    if (n) nl = n->log_config.value_or(ir::LogConfig{});
    Append(d.objects, OptionalPrimitive<ir::LogConfig>(ol, nl, "LogConfig", FlattenLog));
  }
  Append(d.objects, OptionalPrimitive<ir::DispatchPayload>(
                        oo.dispatch_payload, nn.dispatch_payload, "DispatchPayload",
                        +[](const ir::DispatchPayload& p) { return Flat{{"File", p.file}}; }));
  SetDiff(oo.artifacts, nn.artifacts, "Artifact", FlattenArtifact, d.objects, true);
  ServiceDiffs(oo.services, nn.services, ctx, d.objects);
  if (oo.vault != nn.vault) {
    Flat ov = oo.vault ? FlattenVault(*oo.vault) : Flat();
    Flat nv = nn.vault ? FlattenVault(*nn.vault) : Flat();
    auto v = StructDiff<ir::Vault>(oo.vault ? &*oo.vault : nullptr, nn.vault ? &*nn.vault : nullptr,
                                   "Vault", &ov, &nv, kContextual);
    if (v) {
      static const ir::Vault kNoVault;
      Append(v->objects, StringSetDiff((oo.vault ? *oo.vault : kNoVault).policies,
                                       (nn.vault ? *nn.vault : kNoVault).policies, "Policies",
                                       kContextual));
      d.objects.push_back(std::move(*v));
    }
  }
  // Templates are matched by destination.
  std::map<std::string, const ir::Template*> ot;
  std::map<std::string, const ir::Template*> nt;
  for (const auto& t : oo.templates) ot[t.dest_path] = &t;
  for (const auto& t : nn.templates) nt[t.dest_path] = &t;
  std::vector<ObjectDiff> templates;
  for (const auto& [dest, t] : ot) {
    auto it = nt.find(dest);
    Flat a = FlattenTemplate(*t);
    Flat b = it == nt.end() ? Flat() : FlattenTemplate(*it->second);
    Append(templates, StructDiff<ir::Template>(t, it == nt.end() ? nullptr : it->second,
                                               "Template", &a, &b, kContextual));
  }
  for (const auto& [dest, t] : nt) {
    if (ot.contains(dest)) continue;
    Flat b = FlattenTemplate(*t);
    Append(templates, StructDiff<ir::Template>(nullptr, t, "Template", nullptr, &b, kContextual));
  }
  SortObjects(templates);
  for (auto& t : templates) d.objects.push_back(std::move(t));
  if (oo.identity != nn.identity) {
    Flat oi = oo.identity ? FlattenIdentity(*oo.identity) : Flat();
    Flat ni = nn.identity ? FlattenIdentity(*nn.identity) : Flat();
    Append(d.objects, StructDiff<ir::WorkloadIdentity>(oo.identity ? &*oo.identity : nullptr,
                                                       nn.identity ? &*nn.identity : nullptr,
                                                       "Identity", &oi, &ni, kContextual));
  }
  SortObjects(d.objects);
  return d;
}

Flat FlattenGroup(const ir::TaskGroup& tg) {
  Flat f;
  f["Count"] = I(tg.count.value_or(1));
  PutMap(f, "Meta", tg.meta);
  return f;
}

Flat FlattenVolume(const ir::VolumeRequest& v) {
  return {{"AccessMode", v.access_mode},
          {"AttachmentMode", v.attachment_mode},
          {"Name", v.name},
          {"PerAlloc", B(v.per_alloc)},
          {"ReadOnly", B(v.read_only)},
          {"Source", v.source},
          {"Type", std::string(ir::ToString(v.type))}};
}

std::optional<ObjectDiff> ScalingDiff(const std::optional<ir::ScalingPolicy>& o,
                                      const std::optional<ir::ScalingPolicy>& n, int old_count,
                                      int new_count) {
  if (o == n) return std::nullopt;
  auto flat = [](const ir::ScalingPolicy& p, int count) {
    return Flat{{"Enabled", B(p.enabled.value_or(true))},
                {"Max", I(p.max.value_or(0))},
                {"Min", I(p.min.value_or(count))}};
  };
  ObjectDiff d;
  d.name = "Scaling";
  d.type = !o ? DiffType::kAdded : !n ? DiffType::kDeleted : DiffType::kEdited;
  Flat of = o ? flat(*o, old_count) : Flat();
  Flat nf = n ? flat(*n, new_count) : Flat();
  d.fields = FieldDiffs(o ? &of : nullptr, n ? &nf : nullptr, /*contextual=*/false);
  // The autoscaler policy: a nil and an empty map differ (as reflect.DeepEqual sees them).
  nlohmann::json op = o ? o->policy : nlohmann::json();
  nlohmann::json np = n ? n->policy : nlohmann::json();
  if (op != np) {
    ObjectDiff p;
    p.name = "Policy";
    bool old_empty = op.is_null() || op.empty();
    bool new_empty = np.is_null() || np.empty();
    p.type = old_empty ? DiffType::kAdded : new_empty ? DiffType::kDeleted : DiffType::kEdited;
    Flat a = FlattenJson(op);
    Flat b = FlattenJson(np);
    p.fields = FieldDiffs(&a, &b, /*contextual=*/false);
    d.objects.push_back(std::move(p));
  }
  return d;
}

TaskGroupDiff DiffGroup(const ir::TaskGroup* o, const ir::TaskGroup* n, const ir::Job* oj,
                        const ir::Job& nj) {
  TaskGroupDiff d;
  static const ir::TaskGroup kEmpty;
  const ir::TaskGroup& oo = o ? *o : kEmpty;
  const ir::TaskGroup& nn = n ? *n : kEmpty;
  d.name = n ? n->name : o->name;
  d.type = !o ? DiffType::kAdded : !n ? DiffType::kDeleted
           : *o == *n                 ? DiffType::kNone
                                      : DiffType::kEdited;
  Flat of = o ? FlattenGroup(*o) : Flat();
  Flat nf = n ? FlattenGroup(*n) : Flat();
  if (o && n) {
    auto opt = [](const std::optional<ir::Duration>& v) { return v ? D(*v) : std::string(); };
    of["ShutdownDelay"] = opt(o->shutdown_delay);
    nf["ShutdownDelay"] = opt(n->shutdown_delay);
    of["StopAfterClientDisconnect"] = opt(o->stop_after_client_disconnect);
    nf["StopAfterClientDisconnect"] = opt(n->stop_after_client_disconnect);
    of["MaxClientDisconnect"] = opt(o->max_client_disconnect);
    nf["MaxClientDisconnect"] = opt(n->max_client_disconnect);
  }
  d.fields = FieldDiffs(o ? &of : nullptr, n ? &nf : nullptr, /*contextual=*/false);

  ir::JobType ot = oj ? oj->type.value_or(ir::JobType::kService) : nj.type.value_or(ir::JobType::kService);
  ir::JobType nt = nj.type.value_or(ir::JobType::kService);
  SetDiff(oo.constraints, nn.constraints, "Constraint", FlattenConstraint, d.objects, true);
  SetDiff(oo.affinities, nn.affinities, "Affinity", FlattenAffinity, d.objects, true);
  SetDiff(oo.spreads, nn.spreads, "Spread", FlattenSpread, d.objects, true);
  {
    Flat a = oo.restart_policy ? FlattenRestart(*oo.restart_policy, ot) : Flat();
    Flat b = nn.restart_policy ? FlattenRestart(*nn.restart_policy, nt) : Flat();
    Append(d.objects, PrimitiveObjectDiff(oo.restart_policy ? &a : nullptr,
                                          nn.restart_policy ? &b : nullptr, "RestartPolicy",
                                          kContextual));
  }
  {
    Flat a = oo.reschedule_policy ? FlattenReschedule(*oo.reschedule_policy, ot) : Flat();
    Flat b = nn.reschedule_policy ? FlattenReschedule(*nn.reschedule_policy, nt) : Flat();
    Append(d.objects, PrimitiveObjectDiff(oo.reschedule_policy ? &a : nullptr,
                                          nn.reschedule_policy ? &b : nullptr, "ReschedulePolicy",
                                          kContextual));
  }
  Append(d.objects, OptionalPrimitive<ir::EphemeralDisk>(oo.ephemeral_disk, nn.ephemeral_disk,
                                                         "EphemeralDisk", FlattenDisk));
  {
    Flat a{{"Namespace", oo.consul_namespace}};
    Flat b{{"Namespace", nn.consul_namespace}};
    bool has_a = o && !oo.consul_namespace.empty();
    bool has_b = n && !nn.consul_namespace.empty();
    Append(d.objects, PrimitiveObjectDiff(has_a ? &a : nullptr, has_b ? &b : nullptr, "Consul",
                                          kContextual));
  }
  Append(d.objects,
         OptionalPrimitive<ir::UpdateStrategy>(oo.update, nn.update, "Update", FlattenUpdate));
  NetworkDiffs(oo.networks, nn.networks, d.objects);
  Append(d.objects, ScalingDiff(oo.scaling, nn.scaling, oo.count.value_or(1), nn.count.value_or(1)));
  ServiceContext sctx{nj.id, d.name, "", nj.namespace_.empty() ? "default" : nj.namespace_};
  ServiceDiffs(oo.services, nn.services, sctx, d.objects);
  {
    std::vector<ObjectDiff> volumes;
    for (const auto& [name, v] : oo.volumes) {
      auto it = nn.volumes.find(name);
      Flat a = FlattenVolume(v);
      Flat b = it == nn.volumes.end() ? Flat() : FlattenVolume(it->second);
      Append(volumes, StructDiff<ir::VolumeRequest>(
                          &v, it == nn.volumes.end() ? nullptr : &it->second, "Volume", &a, &b,
                          kContextual));
    }
    for (const auto& [name, v] : nn.volumes) {
      if (oo.volumes.contains(name)) continue;
      Flat b = FlattenVolume(v);
      Append(volumes,
             StructDiff<ir::VolumeRequest>(nullptr, &v, "Volume", nullptr, &b, kContextual));
    }
    for (auto& v : volumes) d.objects.push_back(std::move(v));
  }
  SortObjects(d.objects);

  std::map<std::string, const ir::Task*> otasks;
  std::map<std::string, const ir::Task*> ntasks;
  for (const auto& t : oo.tasks) otasks[t.name] = &t;
  for (const auto& t : nn.tasks) ntasks[t.name] = &t;
  std::set<std::string> names;
  for (const auto& [k, v] : otasks) names.insert(k);
  for (const auto& [k, v] : ntasks) names.insert(k);
  for (const std::string& name : names) {
    auto a = otasks.find(name);
    auto b = ntasks.find(name);
    ServiceContext tctx = sctx;
    tctx.task = name;
    d.tasks.push_back(DiffTask(a == otasks.end() ? nullptr : a->second,
                               b == ntasks.end() ? nullptr : b->second, tctx));
  }
  return d;
}

nlohmann::json FieldsJson(const std::vector<FieldDiff>& fields) {
  nlohmann::json out = nlohmann::json::array();
  for (const FieldDiff& f : fields) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& s : f.annotations) a.push_back(s);
    out.push_back({{"Type", ToString(f.type)},
                   {"Name", f.name},
                   {"Old", f.old_value},
                   {"New", f.new_value},
                   {"Annotations", f.annotations.empty() ? nlohmann::json() : a}});
  }
  return out;
}

nlohmann::json ObjectsJson(const std::vector<ObjectDiff>& objects) {
  nlohmann::json out = nlohmann::json::array();
  for (const ObjectDiff& o : objects) {
    out.push_back({{"Type", ToString(o.type)},
                   {"Name", o.name},
                   {"Fields", FieldsJson(o.fields)},
                   {"Objects", ObjectsJson(o.objects)}});
  }
  return out;
}

}  // namespace

std::string_view ToString(DiffType t) {
  switch (t) {
    case DiffType::kNone:
      return "None";
    case DiffType::kAdded:
      return "Added";
    case DiffType::kDeleted:
      return "Deleted";
    case DiffType::kEdited:
      return "Edited";
  }
  return "None";
}

std::string GoFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string sci(buf, end);  // "d.ddde+XX" with the shortest digits
  size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  int exp = std::stoi(sci.substr(e + 1));
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  std::string out;
  if (exp < -4 || exp >= 6) {
    // strconv's shortest %g switches to exponent form for exponents < -4 or >= 6.
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += fmt::format("e{}{:02d}", exp < 0 ? '-' : '+', std::abs(exp));
  } else if (exp < 0) {
    out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(exp) + 1) + "." +
          digits.substr(static_cast<size_t>(exp) + 1);
  }
  return negative ? "-" + out : out;
}

JobDiff Diff(const ir::Job* old, const ir::Job& next, const DiffOptions& options) {
  JobDiff d;
  d.id = next.id;
  Flat nf = FlattenJob(next, options.new_stopped);
  Flat of = old ? FlattenJob(*old, options.old_stopped) : Flat();
  d.type = old ? DiffType::kNone : DiffType::kAdded;
  d.fields = FieldDiffs(old ? &of : nullptr, &nf, /*contextual=*/false);

  static const ir::Job kEmpty;
  const ir::Job& oo = old ? *old : kEmpty;
  auto dcs = StringSetDiff(oo.datacenters, next.datacenters, "Datacenters", kContextual);
  if (dcs && dcs->type != DiffType::kNone) d.objects.push_back(std::move(*dcs));
  SetDiff(oo.constraints, next.constraints, "Constraint", FlattenConstraint, d.objects, true);
  SetDiff(oo.affinities, next.affinities, "Affinity", FlattenAffinity, d.objects, true);
  SetDiff(oo.spreads, next.spreads, "Spread", FlattenSpread, d.objects, true);
  Append(d.objects, OptionalPrimitive<ir::PeriodicConfig>(
                        oo.periodic, next.periodic, "Periodic", +[](const ir::PeriodicConfig& p) {
                          return Flat{{"Enabled", B(p.enabled.value_or(true))},
                                      {"ProhibitOverlap", B(p.prohibit_overlap.value_or(false))},
                                      {"Spec", p.specs.empty() ? "" : p.specs.front()},
                                      {"SpecType", p.spec_type.empty() ? "cron" : p.spec_type},
                                      {"TimeZone", p.time_zone.empty() ? "UTC" : p.time_zone}};
                        }));
  if (oo.parameterized != next.parameterized) {
    auto flat = [](const ir::ParameterizedJobConfig& p) { return Flat{{"Payload", p.payload}}; };
    Flat a = oo.parameterized ? flat(*oo.parameterized) : Flat();
    Flat b = next.parameterized ? flat(*next.parameterized) : Flat();
    auto p = StructDiff<ir::ParameterizedJobConfig>(
        oo.parameterized ? &*oo.parameterized : nullptr,
        next.parameterized ? &*next.parameterized : nullptr, "ParameterizedJob", &a, &b, kContextual);
    if (p) {
      static const ir::ParameterizedJobConfig kNone;
      const auto& x = oo.parameterized ? *oo.parameterized : kNone;
      const auto& y = next.parameterized ? *next.parameterized : kNone;
      Append(p->objects, StringSetDiff(x.meta_optional, y.meta_optional, "MetaOptional", kContextual));
      Append(p->objects, StringSetDiff(x.meta_required, y.meta_required, "MetaRequired", kContextual));
      d.objects.push_back(std::move(*p));
    }
  }
  SortObjects(d.objects);

  std::map<std::string, const ir::TaskGroup*> og;
  std::map<std::string, const ir::TaskGroup*> ng;
  for (const auto& g : oo.task_groups) og[g.name] = &g;
  for (const auto& g : next.task_groups) ng[g.name] = &g;
  std::set<std::string> names;
  for (const auto& [k, v] : og) names.insert(k);
  for (const auto& [k, v] : ng) names.insert(k);
  for (const std::string& name : names) {
    auto a = og.find(name);
    auto b = ng.find(name);
    d.task_groups.push_back(DiffGroup(a == og.end() ? nullptr : a->second,
                                      b == ng.end() ? nullptr : b->second, old, next));
  }

  if (d.type == DiffType::kNone) {
    bool changed = false;
    for (const auto& f : d.fields) changed |= f.type != DiffType::kNone;
    for (const auto& o : d.objects) changed |= o.type != DiffType::kNone;
    for (const auto& g : d.task_groups) changed |= g.type != DiffType::kNone;
    if (changed) d.type = DiffType::kEdited;
  }
  return d;
}

nlohmann::json ToJson(const JobDiff& diff) {
  nlohmann::json groups = nlohmann::json::array();
  for (const TaskGroupDiff& g : diff.task_groups) {
    nlohmann::json tasks = nlohmann::json::array();
    for (const TaskDiff& t : g.tasks) {
      tasks.push_back({{"Type", ToString(t.type)},
                       {"Name", t.name},
                       {"Fields", FieldsJson(t.fields)},
                       {"Objects", ObjectsJson(t.objects)},
                       {"Annotations", t.annotations.empty() ? nlohmann::json()
                                                             : nlohmann::json(t.annotations)}});
    }
    nlohmann::json updates = g.updates.empty() ? nlohmann::json() : nlohmann::json(g.updates);
    groups.push_back({{"Type", ToString(g.type)},
                      {"Name", g.name},
                      {"Fields", FieldsJson(g.fields)},
                      {"Objects", ObjectsJson(g.objects)},
                      {"Tasks", tasks},
                      {"Updates", updates}});
  }
  return {{"Type", ToString(diff.type)},
          {"ID", diff.id},
          {"Fields", FieldsJson(diff.fields)},
          {"Objects", ObjectsJson(diff.objects)},
          {"TaskGroups", groups}};
}

}  // namespace drover::diff
