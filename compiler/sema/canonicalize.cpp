// Canonicalize (see canonicalize.h). The order follows Nomad's: job fields first, then the
// job-level update (defaulted for service jobs), then each group (count, scaling, disk, update,
// reschedule, migrate, restart, networks, services, tasks, then the Connect hook of connect.h),
// then the job-level update is reduced to the form a server stores.
#include "compiler/sema/canonicalize.h"

#include <cctype>
#include <string>

#include "compiler/sema/connect.h"

namespace drover::sema {
namespace {

using namespace std::chrono_literals;
using ir::Duration;

template <typename T>
void Default(std::optional<T>& field, T value) {
  if (!field) field = std::move(value);
}

template <typename T>
void MergeField(std::optional<T>& into, const std::optional<T>& from) {
  if (from) into = from;
}

void Merge(ir::UpdateStrategy& into, const ir::UpdateStrategy& from) {
  MergeField(into.stagger, from.stagger);
  MergeField(into.max_parallel, from.max_parallel);
  MergeField(into.health_check, from.health_check);
  MergeField(into.min_healthy_time, from.min_healthy_time);
  MergeField(into.healthy_deadline, from.healthy_deadline);
  MergeField(into.progress_deadline, from.progress_deadline);
  MergeField(into.canary, from.canary);
  MergeField(into.auto_revert, from.auto_revert);
  MergeField(into.auto_promote, from.auto_promote);
  into.origin = from.origin;
}

void FillDefaults(ir::UpdateStrategy& u) {
  ir::UpdateStrategy d = DefaultUpdateStrategy();
  Default(u.stagger, *d.stagger);
  Default(u.max_parallel, *d.max_parallel);
  Default(u.health_check, *d.health_check);
  Default(u.min_healthy_time, *d.min_healthy_time);
  Default(u.healthy_deadline, *d.healthy_deadline);
  Default(u.progress_deadline, *d.progress_deadline);
  Default(u.canary, *d.canary);
  Default(u.auto_revert, *d.auto_revert);
  Default(u.auto_promote, *d.auto_promote);
}

/// Nomad's UpdateStrategy.Empty(): nothing set to a non-zero value.
bool IsEmpty(const ir::UpdateStrategy& u) {
  auto zero = [](const auto& f) { return !f || *f == std::remove_cvref_t<decltype(*f)>{}; };
  return zero(u.stagger) && zero(u.max_parallel) && !u.health_check && zero(u.min_healthy_time) &&
         zero(u.healthy_deadline) && zero(u.progress_deadline) && zero(u.canary) &&
         zero(u.auto_revert) && zero(u.auto_promote);
}

/// The job-level update as a server keeps it: only stagger and max_parallel, and only when
/// max_parallel > 0; every other field zero (its health check "" prints from nullopt).
bool IsServerForm(const ir::UpdateStrategy& u) {
  return u.stagger && u.max_parallel && !u.health_check && u.min_healthy_time == Duration(0) &&
         u.healthy_deadline == Duration(0) && u.progress_deadline == Duration(0) && u.canary == 0 &&
         u.auto_revert == false && u.auto_promote == false;
}

ir::UpdateStrategy ServerForm(const std::optional<ir::UpdateStrategy>& u) {
  ir::UpdateStrategy out;
  bool keep = u && u->max_parallel.value_or(0) > 0;
  out.stagger = keep ? u->stagger.value_or(Duration(0)) : Duration(0);
  out.max_parallel = keep ? *u->max_parallel : 0;
  out.min_healthy_time = Duration(0);
  out.healthy_deadline = Duration(0);
  out.progress_deadline = Duration(0);
  out.canary = 0;
  out.auto_revert = false;
  out.auto_promote = false;
  if (u) out.origin = u->origin;
  return out;
}

void Merge(ir::ReschedulePolicy& into, const ir::ReschedulePolicy& from) {
  MergeField(into.attempts, from.attempts);
  MergeField(into.interval, from.interval);
  MergeField(into.delay, from.delay);
  MergeField(into.delay_function, from.delay_function);
  MergeField(into.max_delay, from.max_delay);
  MergeField(into.unlimited, from.unlimited);
  into.origin = from.origin;
}

void FillDefaults(ir::ReschedulePolicy& r, ir::JobType type) {
  // System and sysbatch jobs have no default; a policy written there is filled with zeros (and is
  // then rejected by Validate for system jobs), as Nomad's api package does.
  ir::ReschedulePolicy d = DefaultReschedulePolicy(type).value_or(
      ir::ReschedulePolicy{0, Duration(0), Duration(0), std::nullopt, Duration(0), false, {}});
  Default(r.attempts, *d.attempts);
  Default(r.interval, *d.interval);
  Default(r.delay, *d.delay);
  if (d.delay_function) Default(r.delay_function, *d.delay_function);
  Default(r.max_delay, *d.max_delay);
  Default(r.unlimited, *d.unlimited);
}

void Merge(ir::MigrateStrategy& into, const ir::MigrateStrategy& from) {
  MergeField(into.max_parallel, from.max_parallel);
  MergeField(into.health_check, from.health_check);
  MergeField(into.min_healthy_time, from.min_healthy_time);
  MergeField(into.healthy_deadline, from.healthy_deadline);
  into.origin = from.origin;
}

void FillDefaults(ir::MigrateStrategy& m) {
  ir::MigrateStrategy d = DefaultMigrateStrategy();
  Default(m.max_parallel, *d.max_parallel);
  Default(m.health_check, *d.health_check);
  Default(m.min_healthy_time, *d.min_healthy_time);
  Default(m.healthy_deadline, *d.healthy_deadline);
}

void Merge(ir::RestartPolicy& into, const ir::RestartPolicy& from) {
  MergeField(into.attempts, from.attempts);
  MergeField(into.interval, from.interval);
  MergeField(into.delay, from.delay);
  MergeField(into.mode, from.mode);
  MergeField(into.render_templates, from.render_templates);
  into.origin = from.origin;
}

/// Nomad's CheckRestart.Merge: the check's own values win where they are set (limit > 0, grace
/// non-zero, ignore_warnings true).
std::optional<ir::CheckRestart> MergeCheckRestart(const std::optional<ir::CheckRestart>& service,
                                                  const std::optional<ir::CheckRestart>& check) {
  if (!service) return check;
  ir::CheckRestart out = *service;
  if (!check) return out;
  if (check->limit > 0) out.limit = check->limit;
  if (check->grace != Duration(0)) out.grace = check->grace;
  if (check->ignore_warnings) out.ignore_warnings = true;
  out.origin = check->origin;
  return out;
}

void CanonicalizePorts(std::vector<ir::NetworkResource>& networks) {
  for (ir::NetworkResource& n : networks) {
    for (ir::Port& p : n.reserved_ports) {
      if (p.host_network.empty()) p.host_network = "default";
    }
    for (ir::Port& p : n.dynamic_ports) {
      if (p.host_network.empty()) p.host_network = "default";
    }
  }
}

/// `task` is nullptr for group services.
void CanonicalizeService(ir::Service& s, const ir::Job& job, const ir::TaskGroup& group,
                         const ir::Task* task) {
  if (s.name.empty()) {
    s.name = task ? job.name + "-" + group.name + "-" + task->name : job.name + "-" + group.name;
  }
  if (task && s.task_name.empty()) s.task_name = task->name;
  s.name = ExpandServiceName(s.name, job.name, group.name, task ? task->name : "group");
  Default(s.address_mode, ir::AddressMode::kAuto);
  Default(s.on_update, ir::OnUpdate::kRequireHealthy);
  Default(s.provider, ir::ServiceProvider::kConsul);
  for (ir::ServiceCheck& c : s.checks) {
    c.check_restart = MergeCheckRestart(s.check_restart, c.check_restart);
    if (c.check_restart && c.check_restart->grace == Duration(0)) c.check_restart->grace = 1s;
    if (c.success_before_passing < 0) c.success_before_passing = 0;
    if (c.failures_before_critical < 0) c.failures_before_critical = 0;
    Default(c.on_update, *s.on_update);
    if (c.name.empty()) c.name = "service: \"" + s.name + "\" check";
    if (c.task_name.empty()) c.task_name = s.task_name;
  }
}

std::string BaseName(std::string_view path) {
  // Go's path.Base on the getter source: the last element, ignoring trailing slashes.
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return base.empty() ? "." : std::string(base);
}

void CanonicalizeTask(ir::Task& t, const ir::Job& job, const ir::TaskGroup& group) {
  ir::Resources& r = t.resources;
  if (!r.cores) {
    r.cores = 0;
    Default(r.cpu, 100);
  }
  Default(r.cpu, 0);
  Default(r.memory_mb, 300);
  Default(r.memory_max_mb, 0);
  Default(r.disk_mb, 0);
  Default(r.iops, 0);
  CanonicalizePorts(r.networks);

  Default(t.kill_timeout, Duration(5s));
  if (!t.log_config) t.log_config = ir::LogConfig{};
  Default(t.log_config->max_files, 10);
  Default(t.log_config->max_file_size_mb, 10);
  Default(t.log_config->disabled, false);
  Default(t.shutdown_delay, Duration(0));

  for (ir::Artifact& a : t.artifacts) {
    Default(a.mode, ir::ArtifactMode::kAny);
    if (a.destination.empty()) {
      a.destination = *a.mode == ir::ArtifactMode::kFile ? "local/" + BaseName(a.source) : "local/";
    }
  }
  if (t.vault) {
    Default(t.vault->env, true);
    Default(t.vault->disable_file, false);
    Default(t.vault->change_mode, ir::ChangeMode::kRestart);
    if (t.vault->change_signal.empty()) t.vault->change_signal = "SIGHUP";
  }
  for (ir::Template& tmpl : t.templates) {
    Default(tmpl.change_mode, ir::ChangeMode::kRestart);
    if (tmpl.change_signal.empty()) {
      if (*tmpl.change_mode == ir::ChangeMode::kSignal) tmpl.change_signal = "SIGHUP";
    } else {
      for (char& ch : tmpl.change_signal) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      }
    }
    if (*tmpl.change_mode == ir::ChangeMode::kScript || !tmpl.change_script_command.empty()) {
      Default(tmpl.change_script_timeout, Duration(5s));
      Default(tmpl.change_script_fail_on_error, false);
    }
    Default(tmpl.splay, Duration(5s));
    if (tmpl.perms.empty()) tmpl.perms = "0644";
    if (tmpl.left_delim.empty()) tmpl.left_delim = "{{";
    if (tmpl.right_delim.empty()) tmpl.right_delim = "}}";
    Default(tmpl.vault_grace, Duration(0));
  }
  for (ir::Service& s : t.services) CanonicalizeService(s, job, group, &t);
  for (ir::VolumeMount& m : t.volume_mounts) {
    if (m.propagation_mode.empty()) m.propagation_mode = "private";
  }
  if (t.csi_plugin) {
    if (t.csi_plugin->mount_dir.empty()) t.csi_plugin->mount_dir = "/csi";
    if (t.csi_plugin->stage_publish_base_dir.empty()) {
      t.csi_plugin->stage_publish_base_dir = "/local/csi";
    }
    if (!t.csi_plugin->health_timeout || *t.csi_plugin->health_timeout == Duration(0)) {
      t.csi_plugin->health_timeout = Duration(30s);
    }
  }
  // The task's restart policy is the group's with the task's own fields on top.
  ir::RestartPolicy restart = *group.restart_policy;
  if (t.restart_policy) Merge(restart, *t.restart_policy);
  t.restart_policy = restart;

  for (ir::ScalingPolicy& p : t.scaling_policies) {
    Default(p.enabled, true);
    if (p.target.empty()) {
      p.target = {
          {"Namespace", job.namespace_}, {"Job", job.id}, {"Group", group.name}, {"Task", t.name}};
    }
  }
}

void CanonicalizeGroup(ir::TaskGroup& g, const ir::Job& job,
                       const std::optional<ir::UpdateStrategy>& job_update) {
  ir::JobType type = *job.type;
  if (!g.count) {
    g.count = g.scaling && g.scaling->min ? static_cast<int>(*g.scaling->min) : 1;
  }
  if (g.scaling) {
    Default(g.scaling->enabled, true);
    Default(g.scaling->min, static_cast<int64_t>(*g.count));
    if (g.scaling->target.empty()) {
      g.scaling->target = {{"Namespace", job.namespace_}, {"Job", job.id}, {"Group", g.name}};
    }
  }
  if (!g.ephemeral_disk) g.ephemeral_disk = ir::EphemeralDisk{};
  Default(g.ephemeral_disk->sticky, false);
  Default(g.ephemeral_disk->migrate, false);
  Default(g.ephemeral_disk->size_mb, 300);

  if (g.consul_namespace.empty()) g.consul_namespace = job.consul_namespace;

  // update: the job's (already defaulted) with the group's fields on top; a group inherits a
  // non-empty job-level update.
  if (job_update && g.update) {
    ir::UpdateStrategy merged = *job_update;
    Merge(merged, *g.update);
    g.update = merged;
  } else if (job_update && !IsEmpty(*job_update)) {
    g.update = job_update;
  }
  if (g.update) FillDefaults(*g.update);

  if (job.reschedule && g.reschedule_policy) {
    ir::ReschedulePolicy merged = *job.reschedule;
    Merge(merged, *g.reschedule_policy);
    g.reschedule_policy = merged;
  } else if (job.reschedule) {
    g.reschedule_policy = job.reschedule;
  }
  if (!g.reschedule_policy) g.reschedule_policy = DefaultReschedulePolicy(type);
  if (g.reschedule_policy) FillDefaults(*g.reschedule_policy, type);

  if (job.migrate && g.migrate) {
    ir::MigrateStrategy merged = *job.migrate;
    Merge(merged, *g.migrate);
    g.migrate = merged;
  } else if (job.migrate) {
    g.migrate = job.migrate;
  }
  if (!g.migrate && type == ir::JobType::kService) g.migrate = ir::MigrateStrategy{};
  if (g.migrate) FillDefaults(*g.migrate);

  ir::RestartPolicy restart = DefaultRestartPolicy(type);
  if (g.restart_policy) {
    Merge(restart, *g.restart_policy);
  }
  g.restart_policy = restart;

  CanonicalizePorts(g.networks);
  for (ir::Service& s : g.services) CanonicalizeService(s, job, g, nullptr);
  for (ir::Task& t : g.tasks) CanonicalizeTask(t, job, g);

  // Nomad's job-register Connect hook runs on the canonical job and canonicalizes what it adds.
  internal::ApplyConnectHook(g, [&](ir::Task& t) { CanonicalizeTask(t, job, g); });
}

}  // namespace

ir::RestartPolicy DefaultRestartPolicy(ir::JobType type) {
  bool batch = type == ir::JobType::kBatch || type == ir::JobType::kSysbatch;
  return ir::RestartPolicy{batch ? 3 : 2, batch ? Duration(24h) : Duration(30min),
                           Duration(15s), ir::RestartMode::kFail,
                           false,         {}};
}

std::optional<ir::ReschedulePolicy> DefaultReschedulePolicy(ir::JobType type) {
  switch (type) {
    case ir::JobType::kService:
      return ir::ReschedulePolicy{
          0, Duration(0), Duration(30s), ir::DelayFunction::kExponential, Duration(1h), true, {}};
    case ir::JobType::kBatch:
      return ir::ReschedulePolicy{
          1, Duration(24h), Duration(5s), ir::DelayFunction::kConstant, Duration(0), false, {}};
    case ir::JobType::kSystem:
    case ir::JobType::kSysbatch:
      break;
  }
  return std::nullopt;
}

ir::UpdateStrategy DefaultUpdateStrategy() {
  return ir::UpdateStrategy{.stagger = Duration(30s),
                            .max_parallel = 1,
                            .health_check = ir::HealthCheckMode::kChecks,
                            .min_healthy_time = Duration(10s),
                            .healthy_deadline = Duration(5min),
                            .progress_deadline = Duration(10min),
                            .canary = 0,
                            .auto_revert = false,
                            .auto_promote = false,
                            .origin = {}};
}

ir::MigrateStrategy DefaultMigrateStrategy() {
  return ir::MigrateStrategy{1, ir::HealthCheckMode::kChecks, Duration(10s), Duration(5min), {}};
}

std::string ExpandServiceName(std::string_view name, std::string_view job, std::string_view group,
                              std::string_view task) {
  std::string base = std::string(job) + "-" + std::string(group) + "-" + std::string(task);
  std::string out;
  size_t i = 0;
  while (i < name.size()) {
    if (name.compare(i, 2, "${") == 0) {
      size_t end = name.find('}', i + 2);
      if (end != std::string_view::npos) {
        std::string_view key = name.substr(i + 2, end - i - 2);
        std::optional<std::string_view> value;
        if (key == "JOB") value = job;
        if (key == "TASKGROUP") value = group;
        if (key == "TASK") value = task;
        if (key == "BASE") value = base;
        if (value) {
          out += *value;
          i = end + 1;
          continue;
        }
      }
    }
    out += name[i++];
  }
  return out;
}

void Canonicalize(ir::Job& job) {
  if (job.region.empty()) job.region = "global";
  if (job.namespace_.empty()) job.namespace_ = "default";
  if (job.name.empty()) job.name = job.id;
  Default(job.type, ir::JobType::kService);
  Default(job.priority, 50);
  if (job.datacenters.empty()) job.datacenters = {"*"};
  if (job.node_pool.empty()) job.node_pool = "default";

  if (job.periodic) {
    Default(job.periodic->enabled, true);
    if (job.periodic->spec_type.empty()) job.periodic->spec_type = "cron";
    Default(job.periodic->prohibit_overlap, false);
    if (job.periodic->time_zone.empty()) job.periodic->time_zone = "UTC";
  }
  if (job.parameterized && job.parameterized->payload.empty()) {
    job.parameterized->payload = "optional";
  }
  if (job.multiregion) {
    Default(job.multiregion->max_parallel, 0);
    for (ir::MultiregionRegion& r : job.multiregion->regions) Default(r.count, 1);
  }

  // The job-level update the groups inherit. A job that went through Canonicalize (or came from a
  // Nomad server) already holds the server form: its groups carry their full update strategies,
  // so there is nothing to inherit, and the job-level form stays as it is (idempotence).
  bool server_form = job.update && IsServerForm(*job.update);
  std::optional<ir::UpdateStrategy> job_update;
  if (!server_form) {
    job_update = job.update;
    if (job_update) {
      FillDefaults(*job_update);
    } else if (*job.type == ir::JobType::kService) {
      job_update = DefaultUpdateStrategy();
    }
  }

  for (ir::TaskGroup& g : job.task_groups) CanonicalizeGroup(g, job, job_update);

  if (!server_form) job.update = ServerForm(job_update);
}

}  // namespace drover::sema
