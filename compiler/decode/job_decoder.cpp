// The job binders (see job_decoder.h): one function per jobspec block, each filling an IR node
// and its Origin from a DecodedBody, plus the jobspec2 rules the schema cannot express.
#include "compiler/decode/job_decoder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <span>

#include <fmt/format.h>

#include "compiler/base/check.h"
#include "compiler/base/strings.h"
#include "compiler/decode/body_decoder.h"
#include "compiler/ir/enums.h"
#include "compiler/schema/job_schema.h"

namespace drover::decode {
namespace {

using diag::DiagKind;

template <typename E>
std::optional<E> EnumField(const DecodedBody& b, std::string_view name,
                           std::optional<E> (*parse)(std::string_view)) {
  auto s = b.String(name);
  if (!s) return std::nullopt;
  std::optional<E> e = parse(*s);
  DROVER_CHECK(e.has_value(), "a schema enum spelling is unknown to the IR");
  return e;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// A shorthand attribute of constraint/affinity (`version = ">= 1.2"` is operator `version` with
/// that value).
struct OpShorthand {
  std::string_view name;
  ir::ConstraintOp op;
};

/// Applies the shorthands in the order given, as Nomad's decoder does (a later one wins).
void ApplyOpShorthands(const DecodedBody& b, std::span<const OpShorthand> shorthands,
                       ir::ConstraintOp& op, std::string& r_target) {
  for (const OpShorthand& s : shorthands) {
    if (auto v = b.String(s.name); v && !v->empty()) {
      op = s.op;
      r_target = *v;
    }
  }
}

class JobBinder {
 public:
  explicit JobBinder(diag::DiagnosticEngine& diags) : diags_(diags) {}

  ir::Job BindJob(const DecodedBlock& block);

 private:
  /// `operator` into `op`; an unknown spelling is a kInvalidEnumValue listing `expected`.
  void BindOperator(const DecodedBody& b, std::string_view expected, ir::ConstraintOp& op);
  ir::Constraint BindConstraint(const DecodedBlock& block);
  ir::Affinity BindAffinity(const DecodedBlock& block);
  ir::Spread BindSpread(const DecodedBlock& block);
  ir::RestartPolicy BindRestart(const DecodedBlock& block);
  ir::ReschedulePolicy BindReschedule(const DecodedBlock& block);
  ir::UpdateStrategy BindUpdate(const DecodedBlock& block);
  ir::MigrateStrategy BindMigrate(const DecodedBlock& block);
  ir::PeriodicConfig BindPeriodic(const DecodedBlock& block);
  ir::ParameterizedJobConfig BindParameterized(const DecodedBlock& block);
  ir::Multiregion BindMultiregion(const DecodedBlock& block);
  ir::ScalingPolicy BindScaling(const DecodedBlock& block, ir::ScalingType type);
  std::optional<ir::ScalingPolicy> BindGroupScaling(const DecodedBlock& block);
  void BindTaskScaling(const DecodedBody& task_body, ir::Task& task);
  ir::Vault BindVault(const DecodedBlock& block);
  ir::WorkloadIdentity BindIdentity(const DecodedBlock& block);
  std::optional<ir::NetworkResource> BindNetwork(const DecodedBlock& block);
  ir::Resources BindResources(const DecodedBlock& block);
  ir::EphemeralDisk BindEphemeralDisk(const DecodedBlock& block);
  ir::LogConfig BindLogs(const DecodedBlock& block);
  ir::Artifact BindArtifact(const DecodedBlock& block);
  ir::Template BindTemplate(const DecodedBlock& block);
  ir::VolumeRequest BindVolume(const DecodedBlock& block);
  ir::VolumeMount BindVolumeMount(const DecodedBlock& block);
  ir::CsiPluginConfig BindCsiPlugin(const DecodedBlock& block);
  ir::CheckRestart BindCheckRestart(const DecodedBlock& block);
  ir::ServiceCheck BindCheck(const DecodedBlock& block);
  ir::Service BindService(const DecodedBlock& block);
  ir::Task BindTask(const DecodedBlock& block);
  ir::TaskGroup BindGroup(const DecodedBlock& block);

  template <typename T>
  std::vector<T> BindAll(const DecodedBody& body, std::string_view type,
                         T (JobBinder::*bind)(const DecodedBlock&)) {
    std::vector<T> out;
    for (const DecodedBlock* b : body.Blocks(type)) out.push_back((this->*bind)(*b));
    return out;
  }
  template <typename T>
  std::optional<T> BindOne(const DecodedBody& body, std::string_view type,
                           T (JobBinder::*bind)(const DecodedBlock&)) {
    const DecodedBlock* b = body.Block(type);
    if (b == nullptr) return std::nullopt;
    return (this->*bind)(*b);
  }

  diag::DiagnosticEngine& diags_;
};

// ---- placement
// ------------------------------------------------------------------------------------

void JobBinder::BindOperator(const DecodedBody& b, std::string_view expected,
                             ir::ConstraintOp& op) {
  auto spelling = b.String("operator");
  if (!spelling) return;
  if (auto parsed = ir::ParseConstraintOp(*spelling)) {
    op = *parsed;
    return;
  }
  auto d = diags_.Build(DiagKind::kInvalidEnumValue, b.Range("operator"), *spelling, "operator",
                        expected);
  if (auto hint = base::Suggest(*spelling, ir::Spellings(ir::ConstraintOp{}))) {
    std::move(d).Help(fmt::format("did you mean `{}`?", *hint));
  }
}

ir::Constraint JobBinder::BindConstraint(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Constraint c;
  b.FillOrigin(c.origin);
  Assign(c.l_target, b.String("attribute"));
  Assign(c.r_target, b.String("value"));
  BindOperator(b,
               "`=`, `!=`, `>`, `>=`, `<`, `<=`, `distinct_hosts`, `distinct_property`, `regexp`, "
               "`set_contains`, `set_contains_any`, `version`, `semver`, `is_set`, `is_not_set`",
               c.op);
  // The shorthands, in the order Nomad's decoder applies them (a later one wins).
  static constexpr OpShorthand kShorthands[] = {
      {"version", ir::ConstraintOp::kVersion},
      {"semver", ir::ConstraintOp::kSemver},
      {"regexp", ir::ConstraintOp::kRegexp},
      {"set_contains", ir::ConstraintOp::kSetContains},
      {"set_contains_all", ir::ConstraintOp::kSetContains},
      {"set_contains_any", ir::ConstraintOp::kSetContainsAny},
  };
  ApplyOpShorthands(b, kShorthands, c.op, c.r_target);
  if (auto hosts = b.Bool("distinct_hosts")) {
    c.op = ir::ConstraintOp::kDistinctHosts;
    c.r_target = *hosts ? "true" : "false";
  }
  if (auto property = b.String("distinct_property"); property && !property->empty()) {
    c.op = ir::ConstraintOp::kDistinctProperty;
    c.l_target = *property;
  }
  if (auto v = b.String("is_set"); v && !v->empty()) {
    c.op = ir::ConstraintOp::kIsSet;
    c.l_target = *v;
  }
  if (auto v = b.String("is_not_set"); v && !v->empty()) {
    c.op = ir::ConstraintOp::kIsNotSet;
    c.l_target = *v;
  }
  return c;
}

ir::Affinity JobBinder::BindAffinity(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Affinity a;
  b.FillOrigin(a.origin);
  Assign(a.l_target, b.String("attribute"));
  Assign(a.r_target, b.String("value"));
  Assign(a.weight, b.Int("weight"));
  BindOperator(b,
               "`=`, `!=`, `>`, `>=`, `<`, `<=`, `regexp`, `set_contains_all`, `set_contains`, "
               "`set_contains_any`, `version`",
               a.op);
  static constexpr OpShorthand kShorthands[] = {
      {"version", ir::ConstraintOp::kVersion},
      {"semver", ir::ConstraintOp::kSemver},
      {"regexp", ir::ConstraintOp::kRegexp},
      {"set_contains_any", ir::ConstraintOp::kSetContainsAny},
      {"set_contains_all", ir::ConstraintOp::kSetContains},
      {"set_contains", ir::ConstraintOp::kSetContains},
  };
  ApplyOpShorthands(b, kShorthands, a.op, a.r_target);
  return a;
}

ir::Spread JobBinder::BindSpread(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Spread s;
  b.FillOrigin(s.origin);
  Assign(s.attribute, b.String("attribute"));
  Assign(s.weight, b.Int("weight"));
  for (const DecodedBlock* t : b.Blocks("target")) {
    ir::SpreadTarget target;
    t->body.FillOrigin(target.origin);
    target.value = t->labels[0];
    Assign(target.percent, t->body.Int("percent"));
    s.targets.push_back(std::move(target));
  }
  return s;
}

// ---- policies
// -------------------------------------------------------------------------------------

ir::RestartPolicy JobBinder::BindRestart(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::RestartPolicy r;
  b.FillOrigin(r.origin);
  r.attempts = IntField(b, "attempts");
  r.interval = b.Duration("interval");
  r.delay = b.Duration("delay");
  r.mode = EnumField(b, "mode", &ir::ParseRestartMode);
  r.render_templates = b.Bool("render_templates");
  return r;
}

ir::ReschedulePolicy JobBinder::BindReschedule(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::ReschedulePolicy r;
  b.FillOrigin(r.origin);
  r.attempts = IntField(b, "attempts");
  r.interval = b.Duration("interval");
  r.delay = b.Duration("delay");
  r.delay_function = EnumField(b, "delay_function", &ir::ParseDelayFunction);
  r.max_delay = b.Duration("max_delay");
  r.unlimited = b.Bool("unlimited");
  return r;
}

ir::UpdateStrategy JobBinder::BindUpdate(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::UpdateStrategy u;
  b.FillOrigin(u.origin);
  u.stagger = b.Duration("stagger");
  u.max_parallel = IntField(b, "max_parallel");
  u.health_check = EnumField(b, "health_check", &ir::ParseHealthCheckMode);
  u.min_healthy_time = b.Duration("min_healthy_time");
  u.healthy_deadline = b.Duration("healthy_deadline");
  u.progress_deadline = b.Duration("progress_deadline");
  u.canary = IntField(b, "canary");
  u.auto_revert = b.Bool("auto_revert");
  u.auto_promote = b.Bool("auto_promote");
  return u;
}

ir::MigrateStrategy JobBinder::BindMigrate(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::MigrateStrategy m;
  b.FillOrigin(m.origin);
  m.max_parallel = IntField(b, "max_parallel");
  m.health_check = EnumField(b, "health_check", &ir::ParseHealthCheckMode);
  m.min_healthy_time = b.Duration("min_healthy_time");
  m.healthy_deadline = b.Duration("healthy_deadline");
  return m;
}

ir::PeriodicConfig JobBinder::BindPeriodic(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::PeriodicConfig p;
  b.FillOrigin(p.origin);
  p.enabled = b.Bool("enabled");
  auto cron = b.String("cron");
  auto crons = b.StringList("crons");
  if (cron && crons) {
    diags_.Build(DiagKind::kConflictingAttributes, b.Range("crons"), "crons", "cron")
        .Note(b.Range("cron"), "`cron` is set here");
  }
  if (crons) {
    p.specs = *crons;
  } else if (cron) {
    p.specs = {*cron};
  }
  p.prohibit_overlap = b.Bool("prohibit_overlap");
  Assign(p.time_zone, b.String("time_zone"));
  return p;
}

ir::ParameterizedJobConfig JobBinder::BindParameterized(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::ParameterizedJobConfig p;
  b.FillOrigin(p.origin);
  Assign(p.payload, b.String("payload"));
  Assign(p.meta_required, b.StringList("meta_required"));
  Assign(p.meta_optional, b.StringList("meta_optional"));
  return p;
}

ir::Multiregion JobBinder::BindMultiregion(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Multiregion m;
  b.FillOrigin(m.origin);
  if (const DecodedBlock* s = b.Block("strategy")) {
    m.max_parallel = IntField(s->body, "max_parallel");
    Assign(m.on_failure, s->body.String("on_failure"));
    for (const DecodedAttribute& a : s->body.attributes) m.origin.Set(a.name, a.range);
  }
  for (const DecodedBlock* r : b.Blocks("region")) {
    ir::MultiregionRegion region;
    r->body.FillOrigin(region.origin);
    region.name = r->labels[0];
    region.count = IntField(r->body, "count");
    Assign(region.datacenters, r->body.StringList("datacenters"));
    Assign(region.node_pool, r->body.String("node_pool"));
    Assign(region.meta, r->body.StringMap("meta"));
    m.regions.push_back(std::move(region));
  }
  return m;
}

ir::ScalingPolicy JobBinder::BindScaling(const DecodedBlock& block, ir::ScalingType type) {
  const DecodedBody& b = block.body;
  ir::ScalingPolicy p;
  b.FillOrigin(p.origin);
  p.type = type;
  p.min = b.Int("min");
  p.max = b.Int("max");
  p.enabled = b.Bool("enabled");
  if (auto policy = b.Json("policy")) p.policy = std::move(*policy);
  return p;
}

std::optional<ir::ScalingPolicy> JobBinder::BindGroupScaling(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  bool ok = true;
  if (auto type = b.String("type"); type && *type != "horizontal") {
    diags_.Build(DiagKind::kInvalidScalingType, b.Range("type"), *type, "a group `scaling` block",
                 "horizontal");
    ok = false;
  }
  bool max_unknown = std::find(b.unknown.begin(), b.unknown.end(), "max") != b.unknown.end();
  if (!b.Has("max") && !max_unknown) {
    diags_.Build(DiagKind::kMissingRequiredAttribute, block.header, "max",
                 "a group `scaling` block");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return BindScaling(block, ir::ScalingType::kHorizontal);
}

void JobBinder::BindTaskScaling(const DecodedBody& task_body, ir::Task& task) {
  std::map<std::string, const DecodedBlock*> seen;
  for (const DecodedBlock* b : task_body.Blocks("scaling")) {
    std::string label = ToLower(b->labels[0]);
    ir::ScalingType type;
    if (label == "cpu") {
      type = ir::ScalingType::kVerticalCpu;
    } else if (label == "mem") {
      type = ir::ScalingType::kVerticalMem;
    } else {
      diags_.Build(DiagKind::kInvalidLabel, b->source->label_ranges[0], "scaling policy name",
                   b->labels[0], "a task's `scaling` block is named \"cpu\" or \"mem\"");
      continue;
    }
    if (auto it = seen.find(label); it != seen.end()) {
      diags_.Build(DiagKind::kDuplicateLabel, b->header, "task `scaling` block", label)
          .Note(it->second->header, fmt::format("the first `scaling \"{}\"` block is here", label));
      continue;
    }
    seen.emplace(label, b);
    if (auto written = b->body.String("type"); written && *written != ir::ToString(type)) {
      diags_.Build(DiagKind::kInvalidScalingType, b->body.Range("type"), *written,
                   fmt::format("`scaling \"{}\"`", label), ir::ToString(type));
      continue;
    }
    task.scaling_policies.push_back(BindScaling(*b, type));
  }
}

ir::Vault JobBinder::BindVault(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Vault v;
  b.FillOrigin(v.origin);
  Assign(v.policies, b.StringList("policies"));
  Assign(v.role, b.String("role"));
  Assign(v.namespace_, b.String("namespace"));
  Assign(v.cluster, b.String("cluster"));
  v.env = b.Bool("env");
  v.disable_file = b.Bool("disable_file");
  v.change_mode = EnumField(b, "change_mode", &ir::ParseChangeMode);
  Assign(v.change_signal, b.String("change_signal"));
  return v;
}

ir::WorkloadIdentity JobBinder::BindIdentity(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::WorkloadIdentity w;
  b.FillOrigin(w.origin);
  Assign(w.name, b.String("name"));
  Assign(w.audience, b.StringList("aud"));
  w.env = b.Bool("env");
  w.file = b.Bool("file");
  Assign(w.service_name, b.String("service_name"));
  w.ttl = b.Duration("ttl");
  Assign(w.change_mode, b.String("change_mode"));
  Assign(w.change_signal, b.String("change_signal"));
  return w;
}

// ---- networking
// -----------------------------------------------------------------------------------

bool IsValidPortLabel(std::string_view label) {
  if (label.empty()) return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::optional<ir::NetworkResource> JobBinder::BindNetwork(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::NetworkResource n;
  b.FillOrigin(n.origin);
  Assign(n.mode, b.String("mode"));
  Assign(n.device, b.String("device"));
  Assign(n.cidr, b.String("cidr"));
  Assign(n.ip, b.String("ip"));
  Assign(n.hostname, b.String("hostname"));
  Assign(n.mbits, b.Int("mbits"));
  if (const DecodedBlock* dns = b.Block("dns")) {
    ir::DnsConfig d;
    dns->body.FillOrigin(d.origin);
    Assign(d.servers, dns->body.StringList("servers"));
    Assign(d.searches, dns->body.StringList("searches"));
    Assign(d.options, dns->body.StringList("options"));
    n.dns = std::move(d);
  }
  std::map<std::string, const DecodedBlock*> seen;  // lower-cased label -> first block
  for (const DecodedBlock& p : b.blocks) {
    if (p.ref->type != "port" && p.ref->type != "reserved_ports") continue;
    const std::string& label = p.labels[0];
    if (!IsValidPortLabel(label)) {
      diags_.Build(DiagKind::kInvalidLabel, p.source->label_ranges[0], "port label", label,
                   "a port label is a non-empty run of letters, digits, `_` and `-`");
      continue;
    }
    std::string key = ToLower(label);
    if (auto it = seen.find(key); it != seen.end()) {
      diags_.Build(DiagKind::kDuplicateLabel, p.source->label_ranges[0], "port label", label)
          .Note(it->second->source->label_ranges[0],
                fmt::format("`{}` is first defined here (labels are compared ignoring case)",
                            it->second->labels[0]));
      continue;
    }
    seen.emplace(key, &p);
    ir::Port port;
    p.body.FillOrigin(port.origin);
    port.label = label;
    Assign(port.value, p.body.Int("static"));
    Assign(port.to, p.body.Int("to"));
    Assign(port.host_network, p.body.String("host_network"));
    if (port.value > 0) {
      n.reserved_ports.push_back(std::move(port));
    } else {
      n.dynamic_ports.push_back(std::move(port));
    }
  }
  return n;
}

ir::Resources JobBinder::BindResources(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Resources r;
  b.FillOrigin(r.origin);
  r.cpu = IntField(b, "cpu");
  r.cores = IntField(b, "cores");
  r.memory_mb = IntField(b, "memory");
  r.memory_max_mb = IntField(b, "memory_max");
  r.disk_mb = IntField(b, "disk");
  r.iops = IntField(b, "iops");
  if (const DecodedBlock* n = b.Block("network")) {
    if (auto net = BindNetwork(*n)) r.networks.push_back(std::move(*net));
  }
  for (const DecodedBlock* d : b.Blocks("device")) {
    ir::RequestedDevice dev;
    d->body.FillOrigin(dev.origin);
    dev.name = d->labels[0];
    Assign(dev.count, d->body.Int("count"));
    dev.constraints = BindAll(d->body, "constraint", &JobBinder::BindConstraint);
    dev.affinities = BindAll(d->body, "affinity", &JobBinder::BindAffinity);
    r.devices.push_back(std::move(dev));
  }
  return r;
}

ir::EphemeralDisk JobBinder::BindEphemeralDisk(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::EphemeralDisk e;
  b.FillOrigin(e.origin);
  e.sticky = b.Bool("sticky");
  e.migrate = b.Bool("migrate");
  e.size_mb = IntField(b, "size");
  return e;
}

ir::LogConfig JobBinder::BindLogs(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::LogConfig l;
  b.FillOrigin(l.origin);
  l.max_files = IntField(b, "max_files");
  l.max_file_size_mb = IntField(b, "max_file_size");
  l.disabled = b.Bool("disabled");
  if (!l.disabled) {
    if (auto enabled = b.Bool("enabled")) l.disabled = !*enabled;  // pre-1.5.4 spelling
  }
  return l;
}

// ---- task pieces
// ----------------------------------------------------------------------------------

ir::Artifact JobBinder::BindArtifact(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Artifact a;
  b.FillOrigin(a.origin);
  Assign(a.source, b.String("source"));
  Assign(a.destination, b.String("destination"));
  a.mode = EnumField(b, "mode", &ir::ParseArtifactMode);
  Assign(a.options, b.StringMap("options"));
  Assign(a.headers, b.StringMap("headers"));
  return a;
}

ir::Template JobBinder::BindTemplate(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Template t;
  b.FillOrigin(t.origin);
  Assign(t.source_path, b.String("source"));
  Assign(t.dest_path, b.String("destination"));
  Assign(t.embedded_tmpl, b.String("data"));
  t.change_mode = EnumField(b, "change_mode", &ir::ParseChangeMode);
  Assign(t.change_signal, b.String("change_signal"));
  if (const DecodedBlock* cs = b.Block("change_script")) {
    Assign(t.change_script_command, cs->body.String("command"));
    Assign(t.change_script_args, cs->body.StringList("args"));
    t.change_script_timeout = cs->body.Duration("timeout");
    t.change_script_fail_on_error = cs->body.Bool("fail_on_error");
    for (const DecodedAttribute& a : cs->body.attributes) {
      t.origin.Set("change_script." + a.name, a.range);
    }
  }
  t.splay = b.Duration("splay");
  Assign(t.perms, b.String("perms"));
  t.uid = IntField(b, "uid");
  t.gid = IntField(b, "gid");
  Assign(t.left_delim, b.String("left_delimiter"));
  Assign(t.right_delim, b.String("right_delimiter"));
  Assign(t.envvars, b.Bool("env"));
  t.vault_grace = b.Duration("vault_grace");
  if (const DecodedBlock* w = b.Block("wait")) {
    ir::TemplateWait wait;
    w->body.FillOrigin(wait.origin);
    wait.min = w->body.Duration("min");
    wait.max = w->body.Duration("max");
    t.wait = std::move(wait);
  }
  Assign(t.error_on_missing_key, b.Bool("error_on_missing_key"));
  return t;
}

ir::VolumeRequest JobBinder::BindVolume(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::VolumeRequest v;
  b.FillOrigin(v.origin);
  v.name = block.labels[0];
  if (auto type = EnumField(b, "type", &ir::ParseVolumeType)) v.type = *type;
  Assign(v.source, b.String("source"));
  Assign(v.read_only, b.Bool("read_only"));
  Assign(v.per_alloc, b.Bool("per_alloc"));
  Assign(v.access_mode, b.String("access_mode"));
  Assign(v.attachment_mode, b.String("attachment_mode"));
  if (const DecodedBlock* mo = b.Block("mount_options")) {
    Assign(v.fs_type, mo->body.String("fs_type"));
    Assign(v.mount_flags, mo->body.StringList("mount_flags"));
    for (const DecodedAttribute& a : mo->body.attributes) {
      v.origin.Set("mount_options." + a.name, a.range);
    }
  }
  return v;
}

ir::VolumeMount JobBinder::BindVolumeMount(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::VolumeMount m;
  b.FillOrigin(m.origin);
  Assign(m.volume, b.String("volume"));
  Assign(m.destination, b.String("destination"));
  Assign(m.read_only, b.Bool("read_only"));
  Assign(m.propagation_mode, b.String("propagation_mode"));
  Assign(m.selinux_label, b.String("selinux_label"));
  return m;
}

ir::CsiPluginConfig JobBinder::BindCsiPlugin(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::CsiPluginConfig c;
  b.FillOrigin(c.origin);
  Assign(c.id, b.String("id"));
  Assign(c.type, b.String("type"));
  Assign(c.mount_dir, b.String("mount_dir"));
  Assign(c.stage_publish_base_dir, b.String("stage_publish_base_dir"));
  c.health_timeout = b.Duration("health_timeout");
  return c;
}

// ---- services
// -------------------------------------------------------------------------------------

ir::CheckRestart JobBinder::BindCheckRestart(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::CheckRestart c;
  b.FillOrigin(c.origin);
  Assign(c.limit, b.Int("limit"));
  Assign(c.grace, b.Duration("grace"));
  Assign(c.ignore_warnings, b.Bool("ignore_warnings"));
  return c;
}

ir::ServiceCheck JobBinder::BindCheck(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::ServiceCheck c;
  b.FillOrigin(c.origin);
  Assign(c.name, b.String("name"));
  if (auto type = EnumField(b, "type", &ir::ParseCheckType)) c.type = *type;
  Assign(c.command, b.String("command"));
  Assign(c.args, b.StringList("args"));
  Assign(c.path, b.String("path"));
  Assign(c.protocol, b.String("protocol"));
  Assign(c.port_label, b.String("port"));
  Assign(c.expose, b.Bool("expose"));
  c.address_mode = EnumField(b, "address_mode", &ir::ParseAddressMode);
  Assign(c.interval, b.Duration("interval"));
  Assign(c.timeout, b.Duration("timeout"));
  Assign(c.initial_status, b.String("initial_status"));
  if (auto sni = b.String("tls_server_name")) {
    c.tls_server_name_set = true;
    c.tls_server_name = *sni;
  }
  Assign(c.tls_skip_verify, b.Bool("tls_skip_verify"));
  Assign(c.method, b.String("method"));
  Assign(c.body, b.String("body"));
  Assign(c.header, b.StringListMap("header"));
  c.check_restart = BindOne(b, "check_restart", &JobBinder::BindCheckRestart);
  Assign(c.grpc_service, b.String("grpc_service"));
  Assign(c.grpc_use_tls, b.Bool("grpc_use_tls"));
  Assign(c.task_name, b.String("task"));
  Assign(c.success_before_passing, b.Int("success_before_passing"));
  Assign(c.failures_before_critical, b.Int("failures_before_critical"));
  c.on_update = EnumField(b, "on_update", &ir::ParseOnUpdate);
  return c;
}

ir::Service JobBinder::BindService(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Service s;
  b.FillOrigin(s.origin);
  Assign(s.name, b.String("name"));
  Assign(s.tags, b.StringList("tags"));
  Assign(s.canary_tags, b.StringList("canary_tags"));
  Assign(s.enable_tag_override, b.Bool("enable_tag_override"));
  Assign(s.port_label, b.String("port"));
  s.address_mode = EnumField(b, "address_mode", &ir::ParseAddressMode);
  Assign(s.address, b.String("address"));
  s.checks = BindAll(b, "check", &JobBinder::BindCheck);
  s.check_restart = BindOne(b, "check_restart", &JobBinder::BindCheckRestart);
  if (const DecodedBlock* connect = b.Block("connect")) {
    s.connect = RenderApiJson(connect->body);
    s.origin.Set("connect", connect->body.range);
  }
  Assign(s.meta, b.StringMap("meta"));
  Assign(s.canary_meta, b.StringMap("canary_meta"));
  Assign(s.tagged_addresses, b.StringMap("tagged_addresses"));
  Assign(s.task_name, b.String("task"));
  s.on_update = EnumField(b, "on_update", &ir::ParseOnUpdate);
  s.provider = EnumField(b, "provider", &ir::ParseServiceProvider);
  Assign(s.cluster, b.String("cluster"));
  return s;
}

// ---- task, group, job
// -----------------------------------------------------------------------------

/// Records an origin for every value of a driver config under its JSON path: "config.image",
/// "config.args[1]", "config.mount[0].target" (lint points at single elements this way).
void ValueOrigins(const eval::Value& v, const std::string& path, ir::Origin& origin) {
  origin.Set(path, v.range());
  if (v.IsSequence()) {
    size_t i = 0;
    for (const eval::Value& e : v.elements()) {
      ValueOrigins(e, path + "[" + std::to_string(i++) + "]", origin);
    }
  } else if (v.IsMapping()) {
    // An object attribute value is wrapped in a one-element list in the JSON (see
    // FreeFormToJson); its members live under "[0]".
    std::string base = v.kind() == eval::ValueKind::kObject ? path + "[0]" : path;
    for (const auto& [key, member] : v.members()) ValueOrigins(member, base + "." + key, origin);
  }
}

void BodyOrigins(const eval::EvalBody& body, const std::string& path, ir::Origin& origin) {
  for (const eval::EvalAttribute& a : body.attributes) {
    ValueOrigins(a.value, path + "." + a.name, origin);
  }
  std::map<std::string, size_t> index;
  for (const eval::EvalBlock& b : body.blocks) {
    std::string p = path + "." + b.type;
    if (!origin.HasField(p)) origin.Set(p, b.range);
    p += "[" + std::to_string(index[b.type]++) + "]";
    for (const std::string& label : b.labels) p += "." + label + "[0]";
    origin.Set(p, b.range);
    BodyOrigins(b.body, p, origin);
  }
}

void ConfigOrigins(const DecodedAttribute& config, ir::Origin& origin) {
  if (config.block != nullptr) {
    BodyOrigins(config.block->body, "config", origin);
  } else if (config.raw.IsMapping()) {
    for (const auto& [key, value] : config.raw.members()) {
      ValueOrigins(value, "config." + key, origin);
    }
  }
}

ir::Task JobBinder::BindTask(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Task t;
  b.FillOrigin(t.origin);
  t.origin.Set("name", block.source->label_ranges[0]);
  t.name = block.labels[0];
  Assign(t.driver, b.String("driver"));
  Assign(t.user, b.String("user"));
  if (const DecodedAttribute* config = b.Find("config")) {
    if (const auto* json = std::get_if<nlohmann::json>(&config->value)) {
      t.config = json->is_object() ? *json : nlohmann::json::object();
      ConfigOrigins(*config, t.origin);
    }
  }
  t.constraints = BindAll(b, "constraint", &JobBinder::BindConstraint);
  t.affinities = BindAll(b, "affinity", &JobBinder::BindAffinity);
  Assign(t.env, b.StringMap("env"));
  t.services = BindAll(b, "service", &JobBinder::BindService);
  if (auto r = BindOne(b, "resources", &JobBinder::BindResources)) t.resources = std::move(*r);
  t.restart_policy = BindOne(b, "restart", &JobBinder::BindRestart);
  Assign(t.meta, b.StringMap("meta"));
  t.kill_timeout = b.Duration("kill_timeout");
  Assign(t.kill_signal, b.String("kill_signal"));
  t.log_config = BindOne(b, "logs", &JobBinder::BindLogs);
  t.artifacts = BindAll(b, "artifact", &JobBinder::BindArtifact);
  t.vault = BindOne(b, "vault", &JobBinder::BindVault);
  t.templates = BindAll(b, "template", &JobBinder::BindTemplate);
  if (const DecodedBlock* dp = b.Block("dispatch_payload")) {
    ir::DispatchPayload payload;
    dp->body.FillOrigin(payload.origin);
    Assign(payload.file, dp->body.String("file"));
    t.dispatch_payload = std::move(payload);
  }
  t.volume_mounts = BindAll(b, "volume_mount", &JobBinder::BindVolumeMount);
  t.csi_plugin = BindOne(b, "csi_plugin", &JobBinder::BindCsiPlugin);
  if (const DecodedBlock* lc = b.Block("lifecycle")) {
    // Nomad drops a lifecycle block without a hook.
    if (auto hook = EnumField(lc->body, "hook", &ir::ParseLifecycleHook)) {
      ir::Lifecycle lifecycle;
      lc->body.FillOrigin(lifecycle.origin);
      lifecycle.hook = *hook;
      Assign(lifecycle.sidecar, lc->body.Bool("sidecar"));
      t.lifecycle = std::move(lifecycle);
    }
  }
  Assign(t.leader, b.Bool("leader"));
  t.shutdown_delay = b.Duration("shutdown_delay");
  Assign(t.kind, b.String("kind"));
  BindTaskScaling(b, t);
  for (const DecodedBlock* id : b.Blocks("identity")) {
    ir::WorkloadIdentity w = BindIdentity(*id);
    if (w.name.empty() || w.name == "default") {
      if (t.identity) {
        diags_
            .Build(DiagKind::kDuplicateBlock, id->source->type_range, "identity",
                   "a task (for the default identity)")
            .Note(t.identity->origin.range, "the default identity is first defined here");
        continue;
      }
      t.identity = std::move(w);
    } else {
      t.identities.push_back(std::move(w));
    }
  }
  return t;
}

ir::TaskGroup JobBinder::BindGroup(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::TaskGroup g;
  b.FillOrigin(g.origin);
  g.origin.Set("name", block.source->label_ranges[0]);
  g.name = block.labels[0];
  g.count = IntField(b, "count");
  g.constraints = BindAll(b, "constraint", &JobBinder::BindConstraint);
  g.affinities = BindAll(b, "affinity", &JobBinder::BindAffinity);
  g.spreads = BindAll(b, "spread", &JobBinder::BindSpread);
  g.tasks = BindAll(b, "task", &JobBinder::BindTask);
  for (const DecodedBlock* v : b.Blocks("volume")) g.volumes.emplace(v->labels[0], BindVolume(*v));
  g.restart_policy = BindOne(b, "restart", &JobBinder::BindRestart);
  g.reschedule_policy = BindOne(b, "reschedule", &JobBinder::BindReschedule);
  g.ephemeral_disk = BindOne(b, "ephemeral_disk", &JobBinder::BindEphemeralDisk);
  g.update = BindOne(b, "update", &JobBinder::BindUpdate);
  g.migrate = BindOne(b, "migrate", &JobBinder::BindMigrate);
  if (const DecodedBlock* n = b.Block("network")) {
    if (auto net = BindNetwork(*n)) g.networks.push_back(std::move(*net));
  }
  Assign(g.meta, b.StringMap("meta"));
  g.services = BindAll(b, "service", &JobBinder::BindService);
  g.shutdown_delay = b.Duration("shutdown_delay");
  g.stop_after_client_disconnect = b.Duration("stop_after_client_disconnect");
  g.max_client_disconnect = b.Duration("max_client_disconnect");
  if (const DecodedBlock* s = b.Block("scaling")) g.scaling = BindGroupScaling(*s);
  if (const DecodedBlock* c = b.Block("consul")) {
    Assign(g.consul_namespace, c->body.String("namespace"));
    if (c->body.Has("namespace")) g.origin.Set("consul.namespace", c->body.Range("namespace"));
  }
  if (auto vault = BindOne(b, "vault", &JobBinder::BindVault)) {
    for (ir::Task& t : g.tasks) {
      if (!t.vault) t.vault = *vault;
    }
  }
  return g;
}

ir::Job JobBinder::BindJob(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::Job j;
  b.FillOrigin(j.origin);
  j.origin.Set("id", block.source->label_ranges[0]);
  j.id = block.labels[0];
  j.name = block.labels[0];
  Assign(j.id, b.String("id"));
  Assign(j.name, b.String("name"));
  Assign(j.region, b.String("region"));
  Assign(j.namespace_, b.String("namespace"));
  j.type = EnumField(b, "type", &ir::ParseJobType);
  j.priority = IntField(b, "priority");
  Assign(j.all_at_once, b.Bool("all_at_once"));
  Assign(j.datacenters, b.StringList("datacenters"));
  Assign(j.node_pool, b.String("node_pool"));
  j.constraints = BindAll(b, "constraint", &JobBinder::BindConstraint);
  j.affinities = BindAll(b, "affinity", &JobBinder::BindAffinity);
  j.spreads = BindAll(b, "spread", &JobBinder::BindSpread);
  // Job-level tasks (an HCL1 form) become groups of one task, ahead of the declared groups.
  for (const DecodedBlock* t : b.Blocks("task")) {
    ir::TaskGroup g;
    g.name = t->labels[0];
    g.origin.range = t->body.range;
    g.origin.Set("name", t->source->label_ranges[0]);
    g.tasks.push_back(BindTask(*t));
    j.task_groups.push_back(std::move(g));
  }
  for (const DecodedBlock* g : b.Blocks("group")) j.task_groups.push_back(BindGroup(*g));
  j.update = BindOne(b, "update", &JobBinder::BindUpdate);
  j.multiregion = BindOne(b, "multiregion", &JobBinder::BindMultiregion);
  j.periodic = BindOne(b, "periodic", &JobBinder::BindPeriodic);
  j.parameterized = BindOne(b, "parameterized", &JobBinder::BindParameterized);
  j.reschedule = BindOne(b, "reschedule", &JobBinder::BindReschedule);
  j.migrate = BindOne(b, "migrate", &JobBinder::BindMigrate);
  Assign(j.meta, b.StringMap("meta"));
  Assign(j.consul_token, b.String("consul_token"));
  Assign(j.vault_token, b.String("vault_token"));
  Assign(j.consul_namespace, b.String("consul_namespace"));
  Assign(j.vault_namespace, b.String("vault_namespace"));
  if (auto vault = BindOne(b, "vault", &JobBinder::BindVault)) {
    for (ir::TaskGroup& g : j.task_groups) {
      for (ir::Task& t : g.tasks) {
        if (!t.vault) t.vault = *vault;
      }
    }
  }
  return j;
}

}  // namespace

std::optional<ir::Job> DecodeJob(const eval::EvalBody& file, diag::DiagnosticEngine& diags) {
  DecodedBody decoded =
      DecodeBody(file, schema::JobFileSchema(), "the job file", SourceRange{}, diags);
  const DecodedBlock* job = decoded.Block("job");
  if (job == nullptr) {
    bool had_job = !file.BlocksOfType("job").empty();  // e.g. a job block with no label
    if (!had_job) {
      SourceRange start{file.range.file, file.range.begin, file.range.begin};
      diags.Build(DiagKind::kMissingJobBlock, start);
    }
    return std::nullopt;
  }
  return JobBinder(diags).BindJob(*job);
}

}  // namespace drover::decode
