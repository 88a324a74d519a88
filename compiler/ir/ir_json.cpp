// Encoder and decoder for the Nomad API JSON form of the IR (see ir_json.h). Each IR struct has an
// Encode/Decode pair next to each other so that the two stay in step; the property test in
// tests/compiler/ir/ir_json_test.cpp checks that they do.
//
// The decoder reports a type mismatch by throwing DecodeError inside this file only; the public
// entry point catches it (and any nlohmann::json exception) and returns an llvm::Error.
#include "compiler/ir/ir_json.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace drover::ir {
namespace {

using json = nlohmann::json;

// ---- encoding helpers ---------------------------------------------------------------------------

json Null() { return json(nullptr); }

template <typename T>
json Opt(const std::optional<T>& v) {
  return v ? json(*v) : Null();
}

json Ns(Duration d) { return json(static_cast<int64_t>(d.count())); }

json OptNs(const std::optional<Duration>& d) { return d ? Ns(*d) : Null(); }

template <typename E>
json OptEnum(const std::optional<E>& e) {
  return e ? json(std::string(ToString(*e))) : Null();
}

template <typename E>
json Enum(E e) {
  return json(std::string(ToString(e)));
}

json Strings(const std::vector<std::string>& v) { return v.empty() ? Null() : json(v); }

json Map(const StringMap& m) {
  if (m.empty()) return Null();
  json out = json::object();
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

template <typename T, typename F>
json List(const std::vector<T>& items, F encode) {
  if (items.empty()) return Null();
  json out = json::array();
  for (const T& item : items) out.push_back(encode(item));
  return out;
}

// ---- decoding helpers ---------------------------------------------------------------------------

struct DecodeError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& path, std::string_view what) {
  throw DecodeError{fmt::format("{}: {}", path, what)};
}

/// A JSON value together with its path from the root, for error messages. A missing field is a
/// Value whose json pointer is null; it reads like JSON null.
class Value {
 public:
  Value(const json* j, std::string path) : j_(j), path_(std::move(path)) {}

  bool IsNull() const { return j_ == nullptr || j_->is_null(); }
  const json& raw() const { return *j_; }
  const std::string& path() const { return path_; }

  /// A field of an object; the value itself must be an object (or null, then every field is).
  Value operator[](std::string_view key) const {
    std::string child = path_ + "." + std::string(key);
    if (IsNull()) return Value(nullptr, std::move(child));
    ExpectKind(j_->is_object(), "an object");
    auto it = j_->find(key);
    return Value(it == j_->end() ? nullptr : &*it, std::move(child));
  }

  [[noreturn]] void TypeError(std::string_view expected) const {
    Fail(path_, fmt::format("expected {}, got {}", expected, j_->type_name()));
  }
  void ExpectKind(bool ok, std::string_view expected) const {
    if (!ok) TypeError(expected);
  }

 private:
  const json* j_;
  std::string path_;
};

std::string Str(const Value& v) {
  if (v.IsNull()) return {};
  v.ExpectKind(v.raw().is_string(), "a string");
  return v.raw().get<std::string>();
}

int64_t Int64In(const Value& v, int64_t lo, int64_t hi) {
  const json& j = v.raw();
  int64_t out = 0;
  if (j.is_number_integer()) {
    if (j.is_number_unsigned()) {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        Fail(v.path(), fmt::format("number {} is out of range [{}, {}]", u, lo, hi));
      }
      out = static_cast<int64_t>(u);
    } else {
      out = j.get<int64_t>();
    }
  } else if (j.is_number_float()) {
    double d = j.get<double>();
    if (!std::isfinite(d) || d != std::trunc(d) || std::fabs(d) > 9.2e18) {
      Fail(v.path(), fmt::format("expected an integer, got {}", j.dump()));
    }
    out = static_cast<int64_t>(d);
  } else {
    v.TypeError("a number");
  }
  if (out < lo || out > hi) {
    Fail(v.path(), fmt::format("number {} is out of range [{}, {}]", out, lo, hi));
  }
  return out;
}

template <typename T>
T IntAs(const Value& v, T fallback) {
  if (v.IsNull()) return fallback;
  return static_cast<T>(Int64In(v, std::numeric_limits<T>::min(),
                                static_cast<int64_t>(std::numeric_limits<T>::max())));
}

int Int(const Value& v) { return IntAs<int>(v, 0); }

template <typename T = int>
std::optional<T> OptInt(const Value& v) {
  if (v.IsNull()) return std::nullopt;
  return IntAs<T>(v, 0);
}

bool Bool(const Value& v) {
  if (v.IsNull()) return false;
  v.ExpectKind(v.raw().is_boolean(), "a boolean");
  return v.raw().get<bool>();
}

std::optional<bool> OptBool(const Value& v) {
  if (v.IsNull()) return std::nullopt;
  return Bool(v);
}

Duration Dur(const Value& v) {
  if (v.IsNull()) return Duration(0);
  if (!v.raw().is_number()) v.TypeError("a number (nanoseconds)");
  return Duration(
      Int64In(v, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()));
}

std::optional<Duration> OptDur(const Value& v) {
  if (v.IsNull()) return std::nullopt;
  return Dur(v);
}

std::vector<std::string> Strs(const Value& v) {
  std::vector<std::string> out;
  if (v.IsNull()) return out;
  v.ExpectKind(v.raw().is_array(), "an array");
  for (size_t i = 0; i < v.raw().size(); ++i) {
    Value item(&v.raw()[i], fmt::format("{}[{}]", v.path(), i));
    item.ExpectKind(!item.IsNull() && item.raw().is_string(), "a string");
    out.push_back(item.raw().get<std::string>());
  }
  return out;
}

StringMap Map(const Value& v) {
  StringMap out;
  if (v.IsNull()) return out;
  v.ExpectKind(v.raw().is_object(), "an object");
  for (const auto& [key, val] : v.raw().items()) {
    Value item(&val, v.path() + "." + key);
    item.ExpectKind(val.is_string(), "a string");
    out[key] = val.get<std::string>();
  }
  return out;
}

/// How deep opaque JSON (driver config, scaling policy, Connect) may nest. Copying a json value
/// recurses, so an absurdly deep document from the network must be refused, not copied.
constexpr size_t kMaxOpaqueDepth = 64;

/// The nesting depth of `root`, computed without recursion; stops counting past `limit`.
size_t Depth(const json& root, size_t limit) {
  std::vector<std::pair<const json*, size_t>> stack = {{&root, 1}};
  size_t deepest = 0;
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, depth);
    if (deepest > limit) return deepest;
    if (node->is_structured()) {
      for (const json& child : *node) stack.emplace_back(&child, depth + 1);
    }
  }
  return deepest;
}

/// Arbitrary JSON kept as is (driver config, scaling policy, Connect).
json Raw(const Value& v) {
  if (v.IsNull()) return Null();
  if (Depth(v.raw(), kMaxOpaqueDepth) > kMaxOpaqueDepth) {
    Fail(v.path(), fmt::format("nested more than {} levels deep", kMaxOpaqueDepth));
  }
  return v.raw();
}

template <typename E>
std::optional<E> OptEnumOf(const Value& v, std::optional<E> (*parse)(std::string_view)) {
  std::string s = Str(v);
  if (s.empty()) return std::nullopt;
  std::optional<E> e = parse(s);
  if (!e) {
    std::string valid;
    for (std::string_view sp : Spellings(E{})) {
      valid += valid.empty() ? "" : ", ";
      valid += fmt::format("\"{}\"", sp);
    }
    Fail(v.path(), fmt::format("unknown value \"{}\"; expected one of {}", s, valid));
  }
  return e;
}

template <typename E>
E EnumOf(const Value& v, std::optional<E> (*parse)(std::string_view), E fallback) {
  return OptEnumOf(v, parse).value_or(fallback);
}

template <typename F>
auto ListOf(const Value& v, F decode) -> std::vector<decltype(decode(v))> {
  std::vector<decltype(decode(v))> out;
  if (v.IsNull()) return out;
  v.ExpectKind(v.raw().is_array(), "an array");
  for (size_t i = 0; i < v.raw().size(); ++i) {
    out.push_back(decode(Value(&v.raw()[i], fmt::format("{}[{}]", v.path(), i))));
  }
  return out;
}

/// A nested block: nullopt when null.
template <typename F>
auto OptOf(const Value& v, F decode) -> std::optional<decltype(decode(v))> {
  if (v.IsNull()) return std::nullopt;
  v.ExpectKind(v.raw().is_object(), "an object");
  return decode(v);
}

// Every Encode overload, declared up front so that the EncodeAll/OptEncode templates find them
// (argument-dependent lookup does not look into this unnamed namespace).
json Encode(const Constraint&);
json Encode(const Affinity&);
json Encode(const Spread&);
json Encode(const RestartPolicy&);
json Encode(const ReschedulePolicy&);
json Encode(const UpdateStrategy&);
json Encode(const MigrateStrategy&);
json Encode(const PeriodicConfig&);
json Encode(const ParameterizedJobConfig&);
json Encode(const Multiregion&);
json Encode(const ScalingPolicy&);
json Encode(const Vault&);
json Encode(const WorkloadIdentity&);
json Encode(const Port&);
json Encode(const NetworkResource&);
json Encode(const CheckRestart&);
json Encode(const ServiceCheck&);
json Encode(const Service&);
json Encode(const RequestedDevice&);
json Encode(const Resources&);
json Encode(const EphemeralDisk&);
json Encode(const VolumeRequest&);
json Encode(const VolumeMount&);
json Encode(const Artifact&);
json Encode(const Template&);
json Encode(const LogConfig&);
json Encode(const CsiPluginConfig&);
json Encode(const Task&);
json Encode(const TaskGroup&);

template <typename T>
json EncodeAll(const std::vector<T>& v) {
  return List(v, [](const T& x) { return Encode(x); });
}

template <typename T>
json OptEncode(const std::optional<T>& v) {
  return v ? Encode(*v) : Null();
}

// ---- placement ----------------------------------------------------------------------------------

json Encode(const Constraint& c) {
  return {{"LTarget", c.l_target}, {"RTarget", c.r_target}, {"Operand", Enum(c.op)}};
}
Constraint DecodeConstraint(const Value& v) {
  Constraint c;
  c.l_target = Str(v["LTarget"]);
  c.r_target = Str(v["RTarget"]);
  c.op = EnumOf(v["Operand"], &ParseConstraintOp, ConstraintOp::kEqual);
  return c;
}

json Encode(const Affinity& a) {
  return {{"LTarget", a.l_target},
          {"RTarget", a.r_target},
          {"Operand", Enum(a.op)},
          {"Weight", a.weight}};
}
Affinity DecodeAffinity(const Value& v) {
  Affinity a;
  a.l_target = Str(v["LTarget"]);
  a.r_target = Str(v["RTarget"]);
  a.op = EnumOf(v["Operand"], &ParseConstraintOp, ConstraintOp::kEqual);
  a.weight = IntAs<int8_t>(v["Weight"], 50);
  return a;
}

json Encode(const Spread& s) {
  return {{"Attribute", s.attribute},
          {"Weight", s.weight},
          {"SpreadTarget", List(s.targets, [](const SpreadTarget& t) -> json {
             return {{"Value", t.value}, {"Percent", t.percent}};
           })}};
}
Spread DecodeSpread(const Value& v) {
  Spread s;
  s.attribute = Str(v["Attribute"]);
  s.weight = IntAs<int8_t>(v["Weight"], 50);
  s.targets = ListOf(v["SpreadTarget"], [](const Value& t) {
    SpreadTarget st;
    st.value = Str(t["Value"]);
    st.percent = IntAs<uint8_t>(t["Percent"], 0);
    return st;
  });
  return s;
}

// ---- policies -----------------------------------------------------------------------------------

json Encode(const RestartPolicy& r) {
  return {{"Attempts", Opt(r.attempts)},
          {"Interval", OptNs(r.interval)},
          {"Delay", OptNs(r.delay)},
          {"Mode", OptEnum(r.mode)},
          {"RenderTemplates", Opt(r.render_templates)}};
}
RestartPolicy DecodeRestart(const Value& v) {
  RestartPolicy r;
  r.attempts = OptInt(v["Attempts"]);
  r.interval = OptDur(v["Interval"]);
  r.delay = OptDur(v["Delay"]);
  r.mode = OptEnumOf(v["Mode"], &ParseRestartMode);
  r.render_templates = OptBool(v["RenderTemplates"]);
  return r;
}

json Encode(const ReschedulePolicy& r) {
  return {{"Attempts", Opt(r.attempts)},    {"Interval", OptNs(r.interval)},
          {"Delay", OptNs(r.delay)},        {"DelayFunction", OptEnum(r.delay_function)},
          {"MaxDelay", OptNs(r.max_delay)}, {"Unlimited", Opt(r.unlimited)}};
}
ReschedulePolicy DecodeReschedule(const Value& v) {
  ReschedulePolicy r;
  r.attempts = OptInt(v["Attempts"]);
  r.interval = OptDur(v["Interval"]);
  r.delay = OptDur(v["Delay"]);
  r.delay_function = OptEnumOf(v["DelayFunction"], &ParseDelayFunction);
  r.max_delay = OptDur(v["MaxDelay"]);
  r.unlimited = OptBool(v["Unlimited"]);
  return r;
}

json Encode(const UpdateStrategy& u) {
  // A Nomad server keeps the job-level update as a plain struct whose health check is "" (only
  // stagger and max_parallel survive there). An IR update with every other field set and no
  // health check is that server form, so it prints "" like Nomad does; "" decodes to "not set".
  bool server_form = u.stagger && u.max_parallel && u.min_healthy_time && u.healthy_deadline &&
                     u.progress_deadline && u.canary && u.auto_revert && u.auto_promote;
  json health = OptEnum(u.health_check);
  if (!u.health_check && server_form) health = "";
  return {{"Stagger", OptNs(u.stagger)},
          {"MaxParallel", Opt(u.max_parallel)},
          {"HealthCheck", health},
          {"MinHealthyTime", OptNs(u.min_healthy_time)},
          {"HealthyDeadline", OptNs(u.healthy_deadline)},
          {"ProgressDeadline", OptNs(u.progress_deadline)},
          {"Canary", Opt(u.canary)},
          {"AutoRevert", Opt(u.auto_revert)},
          {"AutoPromote", Opt(u.auto_promote)}};
}
UpdateStrategy DecodeUpdate(const Value& v) {
  UpdateStrategy u;
  u.stagger = OptDur(v["Stagger"]);
  u.max_parallel = OptInt(v["MaxParallel"]);
  u.health_check = OptEnumOf(v["HealthCheck"], &ParseHealthCheckMode);
  u.min_healthy_time = OptDur(v["MinHealthyTime"]);
  u.healthy_deadline = OptDur(v["HealthyDeadline"]);
  u.progress_deadline = OptDur(v["ProgressDeadline"]);
  u.canary = OptInt(v["Canary"]);
  u.auto_revert = OptBool(v["AutoRevert"]);
  u.auto_promote = OptBool(v["AutoPromote"]);
  return u;
}

json Encode(const MigrateStrategy& m) {
  return {{"MaxParallel", Opt(m.max_parallel)},
          {"HealthCheck", OptEnum(m.health_check)},
          {"MinHealthyTime", OptNs(m.min_healthy_time)},
          {"HealthyDeadline", OptNs(m.healthy_deadline)}};
}
MigrateStrategy DecodeMigrate(const Value& v) {
  MigrateStrategy m;
  m.max_parallel = OptInt(v["MaxParallel"]);
  m.health_check = OptEnumOf(v["HealthCheck"], &ParseHealthCheckMode);
  m.min_healthy_time = OptDur(v["MinHealthyTime"]);
  m.healthy_deadline = OptDur(v["HealthyDeadline"]);
  return m;
}

json Encode(const PeriodicConfig& p) {
  // Nomad 1.6 has `Spec` (the single `cron`) and `Specs` (`crons`); one non-empty spec travels as
  // Spec, anything else as Specs.
  bool single = p.specs.size() == 1 && !p.specs[0].empty();
  return {{"Enabled", Opt(p.enabled)},
          {"Spec", single ? p.specs[0] : std::string()},
          {"Specs", single ? Null() : Strings(p.specs)},
          {"SpecType", p.spec_type},
          {"ProhibitOverlap", Opt(p.prohibit_overlap)},
          {"TimeZone", p.time_zone}};
}
PeriodicConfig DecodePeriodic(const Value& v) {
  PeriodicConfig p;
  p.enabled = OptBool(v["Enabled"]);
  std::string spec = Str(v["Spec"]);
  if (!spec.empty()) p.specs.push_back(spec);
  for (std::string& s : Strs(v["Specs"])) p.specs.push_back(std::move(s));
  if (!v["SpecType"].IsNull()) p.spec_type = Str(v["SpecType"]);
  p.prohibit_overlap = OptBool(v["ProhibitOverlap"]);
  p.time_zone = Str(v["TimeZone"]);
  return p;
}

json Encode(const ParameterizedJobConfig& p) {
  return {{"Payload", p.payload},
          {"MetaRequired", Strings(p.meta_required)},
          {"MetaOptional", Strings(p.meta_optional)}};
}
ParameterizedJobConfig DecodeParameterized(const Value& v) {
  ParameterizedJobConfig p;
  if (!v["Payload"].IsNull()) p.payload = Str(v["Payload"]);
  p.meta_required = Strs(v["MetaRequired"]);
  p.meta_optional = Strs(v["MetaOptional"]);
  return p;
}

json Encode(const Multiregion& m) {
  json strategy = Null();
  if (m.max_parallel || !m.on_failure.empty()) {
    strategy = {{"MaxParallel", Opt(m.max_parallel)}, {"OnFailure", m.on_failure}};
  }
  return {{"Strategy", strategy},
          {"Regions", List(m.regions, [](const MultiregionRegion& r) -> json {
             return {{"Name", r.name},
                     {"Count", Opt(r.count)},
                     {"Datacenters", Strings(r.datacenters)},
                     {"NodePool", r.node_pool},
                     {"Meta", Map(r.meta)}};
           })}};
}
Multiregion DecodeMultiregion(const Value& v) {
  Multiregion m;
  Value strategy = v["Strategy"];
  m.max_parallel = OptInt(strategy["MaxParallel"]);
  m.on_failure = Str(strategy["OnFailure"]);
  m.regions = ListOf(v["Regions"], [](const Value& r) {
    MultiregionRegion region;
    region.name = Str(r["Name"]);
    region.count = OptInt(r["Count"]);
    region.datacenters = Strs(r["Datacenters"]);
    region.node_pool = Str(r["NodePool"]);
    region.meta = Map(r["Meta"]);
    return region;
  });
  return m;
}

json Encode(const ScalingPolicy& s) {
  return {{"Type", Enum(s.type)}, {"Target", Map(s.target)},   {"Min", Opt(s.min)},
          {"Max", Opt(s.max)},    {"Enabled", Opt(s.enabled)}, {"Policy", s.policy}};
}
ScalingPolicy DecodeScaling(const Value& v) {
  ScalingPolicy s;
  s.type = EnumOf(v["Type"], &ParseScalingType, ScalingType::kHorizontal);
  s.target = Map(v["Target"]);
  s.min = OptInt<int64_t>(v["Min"]);
  s.max = OptInt<int64_t>(v["Max"]);
  s.enabled = OptBool(v["Enabled"]);
  s.policy = Raw(v["Policy"]);
  return s;
}

json Encode(const Vault& x) {
  return {{"Policies", Strings(x.policies)},
          {"Role", x.role},
          {"Namespace", x.namespace_},
          {"Cluster", x.cluster},
          {"Env", Opt(x.env)},
          {"DisableFile", Opt(x.disable_file)},
          {"ChangeMode", OptEnum(x.change_mode)},
          {"ChangeSignal", x.change_signal}};
}
Vault DecodeVault(const Value& v) {
  Vault x;
  x.policies = Strs(v["Policies"]);
  x.role = Str(v["Role"]);
  x.namespace_ = Str(v["Namespace"]);
  x.cluster = Str(v["Cluster"]);
  x.env = OptBool(v["Env"]);
  x.disable_file = OptBool(v["DisableFile"]);
  x.change_mode = OptEnumOf(v["ChangeMode"], &ParseChangeMode);
  x.change_signal = Str(v["ChangeSignal"]);
  return x;
}

json Encode(const WorkloadIdentity& w) {
  return {{"Name", w.name},
          {"Audience", Strings(w.audience)},
          {"Env", Opt(w.env)},
          {"File", Opt(w.file)},
          {"ServiceName", w.service_name},
          {"TTL", OptNs(w.ttl)},
          {"ChangeMode", w.change_mode},
          {"ChangeSignal", w.change_signal}};
}
WorkloadIdentity DecodeIdentity(const Value& v) {
  WorkloadIdentity w;
  w.name = Str(v["Name"]);
  w.audience = Strs(v["Audience"]);
  w.env = OptBool(v["Env"]);
  w.file = OptBool(v["File"]);
  w.service_name = Str(v["ServiceName"]);
  w.ttl = OptDur(v["TTL"]);
  w.change_mode = Str(v["ChangeMode"]);
  w.change_signal = Str(v["ChangeSignal"]);
  return w;
}

// ---- networking and services --------------------------------------------------------------------

json Encode(const Port& p) {
  return {{"Label", p.label}, {"Value", p.value}, {"To", p.to}, {"HostNetwork", p.host_network}};
}
Port DecodePort(const Value& v) {
  Port p;
  p.label = Str(v["Label"]);
  p.value = Int(v["Value"]);
  p.to = Int(v["To"]);
  p.host_network = Str(v["HostNetwork"]);
  return p;
}

json Encode(const NetworkResource& n) {
  json dns = Null();
  if (n.dns) {
    dns = {{"Servers", Strings(n.dns->servers)},
           {"Searches", Strings(n.dns->searches)},
           {"Options", Strings(n.dns->options)}};
  }
  return {{"Mode", n.mode},
          {"Device", n.device},
          {"CIDR", n.cidr},
          {"IP", n.ip},
          {"Hostname", n.hostname},
          {"MBits", n.mbits},
          {"DNS", dns},
          {"ReservedPorts", EncodeAll(n.reserved_ports)},
          {"DynamicPorts", EncodeAll(n.dynamic_ports)}};
}
NetworkResource DecodeNetwork(const Value& v) {
  NetworkResource n;
  n.mode = Str(v["Mode"]);
  n.device = Str(v["Device"]);
  n.cidr = Str(v["CIDR"]);
  n.ip = Str(v["IP"]);
  n.hostname = Str(v["Hostname"]);
  n.mbits = Int(v["MBits"]);
  n.dns = OptOf(v["DNS"], [](const Value& d) {
    DnsConfig dns;
    dns.servers = Strs(d["Servers"]);
    dns.searches = Strs(d["Searches"]);
    dns.options = Strs(d["Options"]);
    return dns;
  });
  n.reserved_ports = ListOf(v["ReservedPorts"], DecodePort);
  n.dynamic_ports = ListOf(v["DynamicPorts"], DecodePort);
  return n;
}

json Encode(const CheckRestart& c) {
  return {{"Limit", c.limit}, {"Grace", Ns(c.grace)}, {"IgnoreWarnings", c.ignore_warnings}};
}
CheckRestart DecodeCheckRestart(const Value& v) {
  CheckRestart c;
  c.limit = Int(v["Limit"]);
  c.grace = Dur(v["Grace"]);
  c.ignore_warnings = Bool(v["IgnoreWarnings"]);
  return c;
}

json OptCheckRestart(const std::optional<CheckRestart>& c) { return c ? Encode(*c) : Null(); }

json Encode(const ServiceCheck& c) {
  json header = Null();
  if (!c.header.empty()) {
    header = json::object();
    for (const auto& [k, vals] : c.header) header[k] = vals;
  }
  return {{"Name", c.name},
          {"Type", Enum(c.type)},
          {"Command", c.command},
          {"Args", Strings(c.args)},
          {"Path", c.path},
          {"Protocol", c.protocol},
          {"PortLabel", c.port_label},
          {"Expose", c.expose},
          {"AddressMode", OptEnum(c.address_mode)},
          {"Interval", Ns(c.interval)},
          {"Timeout", Ns(c.timeout)},
          {"InitialStatus", c.initial_status},
          {"TLSServerName", c.tls_server_name},
          {"TLSSkipVerify", c.tls_skip_verify},
          {"Method", c.method},
          {"Body", c.body},
          {"Header", header},
          {"CheckRestart", OptCheckRestart(c.check_restart)},
          {"GRPCService", c.grpc_service},
          {"GRPCUseTLS", c.grpc_use_tls},
          {"TaskName", c.task_name},
          {"SuccessBeforePassing", c.success_before_passing},
          {"FailuresBeforeCritical", c.failures_before_critical},
          {"OnUpdate", OptEnum(c.on_update)}};
}
ServiceCheck DecodeCheck(const Value& v) {
  ServiceCheck c;
  c.name = Str(v["Name"]);
  c.type = EnumOf(v["Type"], &ParseCheckType, CheckType::kHttp);
  c.command = Str(v["Command"]);
  c.args = Strs(v["Args"]);
  c.path = Str(v["Path"]);
  c.protocol = Str(v["Protocol"]);
  c.port_label = Str(v["PortLabel"]);
  c.expose = Bool(v["Expose"]);
  c.address_mode = OptEnumOf(v["AddressMode"], &ParseAddressMode);
  c.interval = Dur(v["Interval"]);
  c.timeout = Dur(v["Timeout"]);
  c.initial_status = Str(v["InitialStatus"]);
  c.tls_server_name = Str(v["TLSServerName"]);
  c.tls_server_name_set = !c.tls_server_name.empty();
  c.tls_skip_verify = Bool(v["TLSSkipVerify"]);
  c.method = Str(v["Method"]);
  c.body = Str(v["Body"]);
  Value header = v["Header"];
  if (!header.IsNull()) {
    header.ExpectKind(header.raw().is_object(), "an object");
    for (const auto& [key, val] : header.raw().items()) {
      c.header[key] = Strs(Value(&val, header.path() + "." + key));
    }
  }
  c.check_restart = OptOf(v["CheckRestart"], DecodeCheckRestart);
  c.grpc_service = Str(v["GRPCService"]);
  c.grpc_use_tls = Bool(v["GRPCUseTLS"]);
  c.task_name = Str(v["TaskName"]);
  c.success_before_passing = Int(v["SuccessBeforePassing"]);
  c.failures_before_critical = Int(v["FailuresBeforeCritical"]);
  c.on_update = OptEnumOf(v["OnUpdate"], &ParseOnUpdate);
  return c;
}

json Encode(const Service& s) {
  return {{"Name", s.name},
          {"Tags", Strings(s.tags)},
          {"CanaryTags", Strings(s.canary_tags)},
          {"EnableTagOverride", s.enable_tag_override},
          {"PortLabel", s.port_label},
          {"AddressMode", OptEnum(s.address_mode)},
          {"Address", s.address},
          {"Checks", EncodeAll(s.checks)},
          {"CheckRestart", OptCheckRestart(s.check_restart)},
          {"Connect", s.connect},
          {"Meta", Map(s.meta)},
          {"CanaryMeta", Map(s.canary_meta)},
          {"TaggedAddresses", Map(s.tagged_addresses)},
          {"TaskName", s.task_name},
          {"OnUpdate", OptEnum(s.on_update)},
          {"Provider", OptEnum(s.provider)},
          {"Cluster", s.cluster}};
}
Service DecodeService(const Value& v) {
  Service s;
  s.name = Str(v["Name"]);
  s.tags = Strs(v["Tags"]);
  s.canary_tags = Strs(v["CanaryTags"]);
  s.enable_tag_override = Bool(v["EnableTagOverride"]);
  s.port_label = Str(v["PortLabel"]);
  s.address_mode = OptEnumOf(v["AddressMode"], &ParseAddressMode);
  s.address = Str(v["Address"]);
  s.checks = ListOf(v["Checks"], DecodeCheck);
  s.check_restart = OptOf(v["CheckRestart"], DecodeCheckRestart);
  s.connect = Raw(v["Connect"]);
  s.meta = Map(v["Meta"]);
  s.canary_meta = Map(v["CanaryMeta"]);
  s.tagged_addresses = Map(v["TaggedAddresses"]);
  s.task_name = Str(v["TaskName"]);
  s.on_update = OptEnumOf(v["OnUpdate"], &ParseOnUpdate);
  s.provider = OptEnumOf(v["Provider"], &ParseServiceProvider);
  s.cluster = Str(v["Cluster"]);
  return s;
}

// ---- resources ----------------------------------------------------------------------------------

json Encode(const RequestedDevice& d) {
  return {{"Name", d.name},
          {"Count", d.count},
          {"Constraints", EncodeAll(d.constraints)},
          {"Affinities", EncodeAll(d.affinities)}};
}
RequestedDevice DecodeDevice(const Value& v) {
  RequestedDevice d;
  d.name = Str(v["Name"]);
  d.count = IntAs<int>(v["Count"], 1);
  d.constraints = ListOf(v["Constraints"], DecodeConstraint);
  d.affinities = ListOf(v["Affinities"], DecodeAffinity);
  return d;
}

json Encode(const Resources& r) {
  if (r == Resources{}) return Null();
  return {{"CPU", Opt(r.cpu)},
          {"Cores", Opt(r.cores)},
          {"MemoryMB", Opt(r.memory_mb)},
          {"MemoryMaxMB", Opt(r.memory_max_mb)},
          {"DiskMB", Opt(r.disk_mb)},
          {"IOPS", Opt(r.iops)},
          {"Networks", EncodeAll(r.networks)},
          {"Devices", EncodeAll(r.devices)}};
}
Resources DecodeResources(const Value& v) {
  Resources r;
  r.cpu = OptInt(v["CPU"]);
  r.cores = OptInt(v["Cores"]);
  r.memory_mb = OptInt(v["MemoryMB"]);
  r.memory_max_mb = OptInt(v["MemoryMaxMB"]);
  r.disk_mb = OptInt(v["DiskMB"]);
  r.iops = OptInt(v["IOPS"]);
  r.networks = ListOf(v["Networks"], DecodeNetwork);
  r.devices = ListOf(v["Devices"], DecodeDevice);
  return r;
}

json Encode(const EphemeralDisk& e) {
  return {{"Sticky", Opt(e.sticky)}, {"Migrate", Opt(e.migrate)}, {"SizeMB", Opt(e.size_mb)}};
}
EphemeralDisk DecodeDisk(const Value& v) {
  EphemeralDisk e;
  e.sticky = OptBool(v["Sticky"]);
  e.migrate = OptBool(v["Migrate"]);
  e.size_mb = OptInt(v["SizeMB"]);
  return e;
}

// ---- volumes ------------------------------------------------------------------------------------

json Encode(const VolumeRequest& r) {
  json mount = Null();
  if (!r.fs_type.empty() || !r.mount_flags.empty()) {
    mount = {{"FSType", r.fs_type}, {"MountFlags", Strings(r.mount_flags)}};
  }
  return {{"Name", r.name},
          {"Type", Enum(r.type)},
          {"Source", r.source},
          {"ReadOnly", r.read_only},
          {"PerAlloc", r.per_alloc},
          {"AccessMode", r.access_mode},
          {"AttachmentMode", r.attachment_mode},
          {"MountOptions", mount}};
}
VolumeRequest DecodeVolume(const Value& v) {
  VolumeRequest r;
  r.name = Str(v["Name"]);
  r.type = EnumOf(v["Type"], &ParseVolumeType, VolumeType::kHost);
  r.source = Str(v["Source"]);
  r.read_only = Bool(v["ReadOnly"]);
  r.per_alloc = Bool(v["PerAlloc"]);
  r.access_mode = Str(v["AccessMode"]);
  r.attachment_mode = Str(v["AttachmentMode"]);
  r.fs_type = Str(v["MountOptions"]["FSType"]);
  r.mount_flags = Strs(v["MountOptions"]["MountFlags"]);
  return r;
}

json Encode(const VolumeMount& m) {
  return {{"Volume", m.volume},
          {"Destination", m.destination},
          {"ReadOnly", m.read_only},
          {"PropagationMode", m.propagation_mode},
          {"SELinuxLabel", m.selinux_label}};
}
VolumeMount DecodeVolumeMount(const Value& v) {
  VolumeMount m;
  m.volume = Str(v["Volume"]);
  m.destination = Str(v["Destination"]);
  m.read_only = Bool(v["ReadOnly"]);
  m.propagation_mode = Str(v["PropagationMode"]);
  m.selinux_label = Str(v["SELinuxLabel"]);
  return m;
}

// ---- task pieces --------------------------------------------------------------------------------

json Encode(const Artifact& a) {
  return {{"GetterSource", a.source},
          {"GetterOptions", Map(a.options)},
          {"GetterHeaders", Map(a.headers)},
          {"GetterMode", OptEnum(a.mode)},
          {"RelativeDest", a.destination}};
}
Artifact DecodeArtifact(const Value& v) {
  Artifact a;
  a.source = Str(v["GetterSource"]);
  a.options = Map(v["GetterOptions"]);
  a.headers = Map(v["GetterHeaders"]);
  a.mode = OptEnumOf(v["GetterMode"], &ParseArtifactMode);
  a.destination = Str(v["RelativeDest"]);
  return a;
}

json Encode(const Template& t) {
  json script = Null();
  if (!t.change_script_command.empty() || !t.change_script_args.empty() ||
      t.change_script_timeout || t.change_script_fail_on_error) {
    script = {{"Command", t.change_script_command},
              {"Args", Strings(t.change_script_args)},
              {"Timeout", OptNs(t.change_script_timeout)},
              {"FailOnError", Opt(t.change_script_fail_on_error)}};
  }
  json wait = Null();
  if (t.wait) wait = {{"Min", OptNs(t.wait->min)}, {"Max", OptNs(t.wait->max)}};
  return {{"SourcePath", t.source_path},
          {"DestPath", t.dest_path},
          {"EmbeddedTmpl", t.embedded_tmpl},
          {"ChangeMode", OptEnum(t.change_mode)},
          {"ChangeSignal", t.change_signal},
          {"ChangeScript", script},
          {"Splay", OptNs(t.splay)},
          {"Perms", t.perms},
          {"Uid", Opt(t.uid)},
          {"Gid", Opt(t.gid)},
          {"LeftDelim", t.left_delim},
          {"RightDelim", t.right_delim},
          {"Envvars", t.envvars},
          {"VaultGrace", OptNs(t.vault_grace)},
          {"Wait", wait},
          {"ErrMissingKey", t.error_on_missing_key}};
}
Template DecodeTemplate(const Value& v) {
  Template t;
  t.source_path = Str(v["SourcePath"]);
  t.dest_path = Str(v["DestPath"]);
  t.embedded_tmpl = Str(v["EmbeddedTmpl"]);
  t.change_mode = OptEnumOf(v["ChangeMode"], &ParseChangeMode);
  t.change_signal = Str(v["ChangeSignal"]);
  Value script = v["ChangeScript"];
  t.change_script_command = Str(script["Command"]);
  t.change_script_args = Strs(script["Args"]);
  t.change_script_timeout = OptDur(script["Timeout"]);
  t.change_script_fail_on_error = OptBool(script["FailOnError"]);
  t.splay = OptDur(v["Splay"]);
  t.perms = Str(v["Perms"]);
  t.uid = OptInt(v["Uid"]);
  t.gid = OptInt(v["Gid"]);
  t.left_delim = Str(v["LeftDelim"]);
  t.right_delim = Str(v["RightDelim"]);
  t.envvars = Bool(v["Envvars"]);
  t.vault_grace = OptDur(v["VaultGrace"]);
  t.wait = OptOf(v["Wait"], [](const Value& w) {
    TemplateWait tw;
    tw.min = OptDur(w["Min"]);
    tw.max = OptDur(w["Max"]);
    return tw;
  });
  t.error_on_missing_key = Bool(v["ErrMissingKey"]);
  return t;
}

json Encode(const LogConfig& l) {
  return {{"MaxFiles", Opt(l.max_files)},
          {"MaxFileSizeMB", Opt(l.max_file_size_mb)},
          {"Disabled", Opt(l.disabled)}};
}
LogConfig DecodeLogConfig(const Value& v) {
  LogConfig l;
  l.max_files = OptInt(v["MaxFiles"]);
  l.max_file_size_mb = OptInt(v["MaxFileSizeMB"]);
  l.disabled = OptBool(v["Disabled"]);
  return l;
}

json Encode(const CsiPluginConfig& c) {
  return {{"ID", c.id},
          {"Type", c.type},
          {"MountDir", c.mount_dir},
          {"StagePublishBaseDir", c.stage_publish_base_dir},
          {"HealthTimeout", OptNs(c.health_timeout)}};
}
CsiPluginConfig DecodeCsi(const Value& v) {
  CsiPluginConfig c;
  c.id = Str(v["ID"]);
  c.type = Str(v["Type"]);
  c.mount_dir = Str(v["MountDir"]);
  c.stage_publish_base_dir = Str(v["StagePublishBaseDir"]);
  c.health_timeout = OptDur(v["HealthTimeout"]);
  return c;
}

json Encode(const Task& t) {
  json lifecycle = Null();
  if (t.lifecycle)
    lifecycle = {{"Hook", Enum(t.lifecycle->hook)}, {"Sidecar", t.lifecycle->sidecar}};
  json payload = Null();
  if (t.dispatch_payload) payload = {{"File", t.dispatch_payload->file}};
  bool empty_config = t.config.is_null() || (t.config.is_object() && t.config.empty());
  return {{"Name", t.name},
          {"Driver", t.driver},
          {"User", t.user},
          {"Config", empty_config ? Null() : t.config},
          {"Constraints", EncodeAll(t.constraints)},
          {"Affinities", EncodeAll(t.affinities)},
          {"Env", Map(t.env)},
          {"Services", EncodeAll(t.services)},
          {"Resources", Encode(t.resources)},
          {"RestartPolicy", OptEncode(t.restart_policy)},
          {"Meta", Map(t.meta)},
          {"KillTimeout", OptNs(t.kill_timeout)},
          {"KillSignal", t.kill_signal},
          {"LogConfig", OptEncode(t.log_config)},
          {"Artifacts", EncodeAll(t.artifacts)},
          {"Vault", OptEncode(t.vault)},
          {"Templates", EncodeAll(t.templates)},
          {"DispatchPayload", payload},
          {"VolumeMounts", EncodeAll(t.volume_mounts)},
          {"CSIPluginConfig", OptEncode(t.csi_plugin)},
          {"Lifecycle", lifecycle},
          {"Leader", t.leader},
          {"ShutdownDelay", OptNs(t.shutdown_delay)},
          {"Kind", t.kind},
          {"ScalingPolicies", EncodeAll(t.scaling_policies)},
          {"Identity", OptEncode(t.identity)},
          {"Identities", EncodeAll(t.identities)}};
}
Task DecodeTask(const Value& v) {
  Task t;
  t.name = Str(v["Name"]);
  t.driver = Str(v["Driver"]);
  t.user = Str(v["User"]);
  Value config = v["Config"];
  if (!config.IsNull()) {
    config.ExpectKind(config.raw().is_object(), "an object");
    t.config = Raw(config);
  }
  t.constraints = ListOf(v["Constraints"], DecodeConstraint);
  t.affinities = ListOf(v["Affinities"], DecodeAffinity);
  t.env = Map(v["Env"]);
  t.services = ListOf(v["Services"], DecodeService);
  if (auto r = OptOf(v["Resources"], DecodeResources)) t.resources = std::move(*r);
  t.restart_policy = OptOf(v["RestartPolicy"], DecodeRestart);
  t.meta = Map(v["Meta"]);
  t.kill_timeout = OptDur(v["KillTimeout"]);
  t.kill_signal = Str(v["KillSignal"]);
  t.log_config = OptOf(v["LogConfig"], DecodeLogConfig);
  t.artifacts = ListOf(v["Artifacts"], DecodeArtifact);
  t.vault = OptOf(v["Vault"], DecodeVault);
  t.templates = ListOf(v["Templates"], DecodeTemplate);
  t.dispatch_payload = OptOf(v["DispatchPayload"], [](const Value& p) {
    DispatchPayload d;
    d.file = Str(p["File"]);
    return d;
  });
  t.volume_mounts = ListOf(v["VolumeMounts"], DecodeVolumeMount);
  t.csi_plugin = OptOf(v["CSIPluginConfig"], DecodeCsi);
  t.lifecycle = OptOf(v["Lifecycle"], [](const Value& l) {
    Lifecycle life;
    life.hook = EnumOf(l["Hook"], &ParseLifecycleHook, LifecycleHook::kPrestart);
    life.sidecar = Bool(l["Sidecar"]);
    return life;
  });
  t.leader = Bool(v["Leader"]);
  t.shutdown_delay = OptDur(v["ShutdownDelay"]);
  t.kind = Str(v["Kind"]);
  t.scaling_policies = ListOf(v["ScalingPolicies"], DecodeScaling);
  t.identity = OptOf(v["Identity"], DecodeIdentity);
  t.identities = ListOf(v["Identities"], DecodeIdentity);
  return t;
}

json Encode(const TaskGroup& g) {
  json volumes = Null();
  if (!g.volumes.empty()) {
    volumes = json::object();
    for (const auto& [name, req] : g.volumes) volumes[name] = Encode(req);
  }
  json consul = Null();
  if (!g.consul_namespace.empty()) consul = {{"Namespace", g.consul_namespace}};
  return {{"Name", g.name},
          {"Count", Opt(g.count)},
          {"Constraints", EncodeAll(g.constraints)},
          {"Affinities", EncodeAll(g.affinities)},
          {"Spreads", EncodeAll(g.spreads)},
          {"Tasks", EncodeAll(g.tasks)},
          {"Volumes", volumes},
          {"RestartPolicy", OptEncode(g.restart_policy)},
          {"ReschedulePolicy", OptEncode(g.reschedule_policy)},
          {"EphemeralDisk", OptEncode(g.ephemeral_disk)},
          {"Update", OptEncode(g.update)},
          {"Migrate", OptEncode(g.migrate)},
          {"Networks", EncodeAll(g.networks)},
          {"Meta", Map(g.meta)},
          {"Services", EncodeAll(g.services)},
          {"ShutdownDelay", OptNs(g.shutdown_delay)},
          {"StopAfterClientDisconnect", OptNs(g.stop_after_client_disconnect)},
          {"MaxClientDisconnect", OptNs(g.max_client_disconnect)},
          {"Scaling", OptEncode(g.scaling)},
          {"Consul", consul}};
}
TaskGroup DecodeGroup(const Value& v) {
  TaskGroup g;
  g.name = Str(v["Name"]);
  g.count = OptInt(v["Count"]);
  g.constraints = ListOf(v["Constraints"], DecodeConstraint);
  g.affinities = ListOf(v["Affinities"], DecodeAffinity);
  g.spreads = ListOf(v["Spreads"], DecodeSpread);
  g.tasks = ListOf(v["Tasks"], DecodeTask);
  Value volumes = v["Volumes"];
  if (!volumes.IsNull()) {
    volumes.ExpectKind(volumes.raw().is_object(), "an object");
    for (const auto& [key, val] : volumes.raw().items()) {
      Value item(&val, volumes.path() + "." + key);
      item.ExpectKind(val.is_object(), "an object");
      g.volumes[key] = DecodeVolume(item);
    }
  }
  g.restart_policy = OptOf(v["RestartPolicy"], DecodeRestart);
  g.reschedule_policy = OptOf(v["ReschedulePolicy"], DecodeReschedule);
  g.ephemeral_disk = OptOf(v["EphemeralDisk"], DecodeDisk);
  g.update = OptOf(v["Update"], DecodeUpdate);
  g.migrate = OptOf(v["Migrate"], DecodeMigrate);
  g.networks = ListOf(v["Networks"], DecodeNetwork);
  g.meta = Map(v["Meta"]);
  g.services = ListOf(v["Services"], DecodeService);
  g.shutdown_delay = OptDur(v["ShutdownDelay"]);
  g.stop_after_client_disconnect = OptDur(v["StopAfterClientDisconnect"]);
  g.max_client_disconnect = OptDur(v["MaxClientDisconnect"]);
  g.scaling = OptOf(v["Scaling"], DecodeScaling);
  g.consul_namespace = Str(v["Consul"]["Namespace"]);
  return g;
}

Job DecodeJob(const Value& v) {
  v.ExpectKind(!v.IsNull() && v.raw().is_object(), "an object");
  Job j;
  j.region = Str(v["Region"]);
  j.namespace_ = Str(v["Namespace"]);
  j.id = Str(v["ID"]);
  j.name = Str(v["Name"]);
  j.type = OptEnumOf(v["Type"], &ParseJobType);
  j.priority = OptInt(v["Priority"]);
  j.all_at_once = Bool(v["AllAtOnce"]);
  j.datacenters = Strs(v["Datacenters"]);
  j.node_pool = Str(v["NodePool"]);
  j.constraints = ListOf(v["Constraints"], DecodeConstraint);
  j.affinities = ListOf(v["Affinities"], DecodeAffinity);
  j.spreads = ListOf(v["Spreads"], DecodeSpread);
  j.task_groups = ListOf(v["TaskGroups"], DecodeGroup);
  j.update = OptOf(v["Update"], DecodeUpdate);
  j.multiregion = OptOf(v["Multiregion"], DecodeMultiregion);
  j.periodic = OptOf(v["Periodic"], DecodePeriodic);
  j.parameterized = OptOf(v["ParameterizedJob"], DecodeParameterized);
  j.reschedule = OptOf(v["Reschedule"], DecodeReschedule);
  j.migrate = OptOf(v["Migrate"], DecodeMigrate);
  j.meta = Map(v["Meta"]);
  j.consul_token = Str(v["ConsulToken"]);
  j.vault_token = Str(v["VaultToken"]);
  j.vault_namespace = Str(v["VaultNamespace"]);
  j.consul_namespace = Str(v["ConsulNamespace"]);
  j.parent_id = Str(v["ParentID"]);
  j.dispatched = Bool(v["Dispatched"]);
  j.payload = Str(v["Payload"]);
  return j;
}

}  // namespace

json JobToApiJson(const Job& j) {
  json out = {{"Region", j.region},
              {"Namespace", j.namespace_},
              {"ID", j.id},
              {"Name", j.name},
              {"Type", OptEnum(j.type)},
              {"Priority", Opt(j.priority)},
              {"AllAtOnce", j.all_at_once},
              {"Datacenters", Strings(j.datacenters)},
              {"NodePool", j.node_pool},
              {"Constraints", EncodeAll(j.constraints)},
              {"Affinities", EncodeAll(j.affinities)},
              {"Spreads", EncodeAll(j.spreads)},
              {"TaskGroups", EncodeAll(j.task_groups)},
              {"Update", OptEncode(j.update)},
              {"Multiregion", OptEncode(j.multiregion)},
              {"Periodic", OptEncode(j.periodic)},
              {"ParameterizedJob", OptEncode(j.parameterized)},
              {"Reschedule", OptEncode(j.reschedule)},
              {"Migrate", OptEncode(j.migrate)},
              {"Meta", Map(j.meta)},
              {"VaultNamespace", j.vault_namespace},
              {"ConsulNamespace", j.consul_namespace},
              {"ParentID", j.parent_id},
              {"Dispatched", j.dispatched},
              {"Payload", j.payload.empty() ? Null() : json(j.payload)}};
  // Secrets: a server never returns them, so they appear only when the IR carries one.
  if (!j.consul_token.empty()) out["ConsulToken"] = j.consul_token;
  if (!j.vault_token.empty()) out["VaultToken"] = j.vault_token;
  return out;
}

llvm::Expected<Job> JobFromApiJson(const json& input) {
  try {
    const json* job = &input;
    if (input.is_object()) {
      auto it = input.find("Job");
      if (it != input.end() && it->is_object()) job = &*it;
    }
    return DecodeJob(Value(job, "Job"));
  } catch (const DecodeError& e) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), e.message);
  } catch (const std::exception& e) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   fmt::format("Job: invalid JSON value: {}", e.what()));
  }
}

}  // namespace drover::ir
