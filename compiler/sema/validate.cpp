// Validate: job, group and task rules, policies, resources and task pieces. Placement rules are in
// validate_placement.cpp, networks and services in validate_services.cpp. Rule texts follow
// Nomad's (nomad/structs Validate(), Nomad 1.6), reworded to drover's diagnostic style.
#include "compiler/sema/validate.h"

#include <algorithm>
#include <map>
#include <set>

#include "compiler/ir/interpolate.h"
#include "compiler/sema/patterns.h"
#include "compiler/sema/validate_internal.h"

namespace drover::sema {
namespace internal {
namespace {

using namespace std::chrono_literals;

constexpr int kMinPriority = 1;
constexpr int kMaxPriority = 100;
constexpr Duration kRestartMinInterval = 5s;
constexpr Duration kRescheduleMinInterval = 15s;
constexpr Duration kRescheduleMinDelay = 5s;
constexpr int kMinMemoryMb = 10;
constexpr int kMinCpuMhz = 1;
constexpr int kMinDiskMb = 10;

bool IsBatchLike(ir::JobType t) { return t == ir::JobType::kBatch || t == ir::JobType::kSysbatch; }

std::string Ordinal(size_t index) { return fmt::format("#{}", index + 1); }

/// `s` with control characters written as escapes (`\x00`), for names quoted in messages.
std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

/// Saturating int64 nanosecond arithmetic for the reschedule cross-check.
int64_t SatAdd(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_add_overflow(a, b, &out)) return a > 0 ? INT64_MAX : INT64_MIN;
  return out;
}
int64_t SatMul(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_mul_overflow(a, b, &out)) return (a > 0) == (b > 0) ? INT64_MAX : INT64_MIN;
  return out;
}

struct Viability {
  bool ok = true;
  int64_t possible_attempts = 0;
  int64_t recommended_ns = 0;
};

/// Nomad's ReschedulePolicy.viableAttempts: can `attempts` reschedules fit in `interval` with
/// this delay progression? Long progressions are summed in closed form once they reach the
/// delay ceiling, so huge attempt counts stay cheap.
Viability ViableAttempts(int64_t attempts, int64_t interval, int64_t delay, int64_t max_delay,
                         ir::DelayFunction fn) {
  Viability v;
  switch (fn) {
    case ir::DelayFunction::kConstant:
      v.recommended_ns = SatMul(attempts, delay);
      if (interval < v.recommended_ns) {
        v.ok = false;
        v.possible_attempts = delay > 0 ? interval / delay : 0;
      }
      break;
    case ir::DelayFunction::kExponential: {
      int64_t i = 0;
      for (; i < attempts; ++i) {
        int64_t next = i < 62 ? SatMul(int64_t{1} << i, delay) : INT64_MAX;
        if (next > max_delay) break;
        v.recommended_ns = next;
        if (v.recommended_ns < interval) ++v.possible_attempts;
      }
      // From here on every attempt waits max_delay: the total grows linearly.
      for (; i < attempts; ++i) {
        v.recommended_ns = SatAdd(v.recommended_ns, max_delay);
        if (v.recommended_ns < interval) {
          ++v.possible_attempts;
        } else {
          v.recommended_ns = SatAdd(v.recommended_ns, SatMul(attempts - i - 1, max_delay));
          break;
        }
      }
      v.ok = v.possible_attempts >= attempts;
      break;
    }
    case ir::DelayFunction::kFibonacci: {
      std::vector<int64_t> slots = {delay, delay};
      bool ceiling = false;
      int64_t i = 2;
      for (; i < attempts && slots.size() < 100000; ++i) {
        int64_t next;
        if (ceiling) {
          next = SatAdd(slots[i - 1], max_delay);
        } else {
          next = SatAdd(slots[i - 1], slots[i - 2]);
          if (next > max_delay) {
            next = max_delay;
            ceiling = true;
          }
        }
        slots.push_back(next);
      }
      v.recommended_ns = slots.back();
      if (i < attempts)
        v.recommended_ns = SatAdd(v.recommended_ns, SatMul(attempts - i, max_delay));
      if (interval < v.recommended_ns) {
        v.ok = false;
        for (size_t k = 0; k < slots.size(); ++k) {
          if (slots[k] > interval) {
            v.possible_attempts = static_cast<int64_t>(k);
            break;
          }
        }
      }
      break;
    }
  }
  if (v.possible_attempts < 0) v.possible_attempts = 0;
  return v;
}

bool IsOctalPerms(std::string_view s) {
  // Go's strconv.ParseUint(s, 8, 12): octal digits (an optional 0o/0 prefix is fine) and at
  // most 0o7777.
  std::string_view d = s;
  if (d.starts_with("0o") || d.starts_with("0O")) d.remove_prefix(2);
  if (d.empty()) return false;
  uint64_t v = 0;
  for (char c : d) {
    if (c < '0' || c > '7') return false;
    v = v * 8 + static_cast<uint64_t>(c - '0');
    if (v > 07777) return false;
  }
  return true;
}

std::optional<std::string> CheckChecksum(std::string_view raw) {
  std::string check(raw);
  check.erase(0, check.find_first_not_of(" \t\n"));
  check.erase(check.find_last_not_of(" \t\n") + 1);
  if (check.empty()) return "checksum value cannot be empty";
  size_t colon = check.find(':');
  if (colon == std::string::npos || check.find(':', colon + 1) != std::string::npos) {
    return fmt::format("checksum must be given as \"type:value\"; got \"{}\"", check);
  }
  std::string type = check.substr(0, colon);
  std::string value = check.substr(colon + 1);
  size_t expected = 0;
  if (type == "md5") expected = 16;
  if (type == "sha1") expected = 20;
  if (type == "sha256") expected = 32;
  if (type == "sha512") expected = 64;
  if (expected == 0) return fmt::format("unsupported checksum type `{}`", type);
  bool hex = value.size() % 2 == 0 &&
             std::all_of(value.begin(), value.end(), [](char c) { return std::isxdigit(c); });
  if (!hex) return fmt::format("invalid checksum `{}`: not a hex string", value);
  if (value.size() / 2 != expected) return fmt::format("invalid {} checksum `{}`", type, value);
  return std::nullopt;
}

}  // namespace

std::string Dur(Duration d) { return ir::FormatDuration(d); }

Validator::Validator(const ir::Job& job, diag::DiagnosticEngine& diags)
    : job_(job), diags_(diags), type_(job.type.value_or(ir::JobType::kService)) {}

void Validator::NotAllowed(std::string_view block, diag::SourceRange range) {
  Report(DiagKind::kNotAllowedForJobType, range, block, type_name());
}

void Validator::Run() {
  ValidateJob();
  for (const ir::TaskGroup& g : job_.task_groups) ValidateGroup(g);
}

void Validator::ValidateJob() {
  const ir::Job& j = job_;
  const ir::Origin& o = j.origin;
  if (j.id.empty()) {
    Report(DiagKind::kMissingJobId, o.Field("id"));
  } else if (j.id.find(' ') != std::string::npos) {
    Report(DiagKind::kInvalidJobId, o.Field("id"), j.id, "contains a space");
  } else if (j.id.find('\0') != std::string::npos) {
    Report(DiagKind::kInvalidJobId, o.Field("id"), Printable(j.id), "contains a null character");
  }
  if (j.name.find('\0') != std::string::npos) {
    Report(DiagKind::kInvalidJobName, o.Field("name"), Printable(j.name),
           "contains a null character");
  }
  bool multiregion = j.multiregion && !j.multiregion->regions.empty();
  if (j.datacenters.empty() && !multiregion) {
    Report(DiagKind::kMissingDatacenters, o.Field("datacenters"))
        .Help("set `datacenters = [\"*\"]` to run in every datacenter");
  }
  for (size_t i = 0; i < j.datacenters.size(); ++i) {
    if (j.datacenters[i].empty()) {
      Report(DiagKind::kEmptyDatacenter, o.Field("datacenters"), Ordinal(i));
    }
  }
  int priority = j.priority.value_or(50);
  if (priority < kMinPriority || priority > kMaxPriority) {
    Report(DiagKind::kPriorityOutOfRange, o.Field("priority"), priority, kMinPriority,
           kMaxPriority);
  }
  if (j.task_groups.empty()) Report(DiagKind::kMissingTaskGroups, o.range);

  ValidateConstraints(j.constraints, /*task_level=*/false);
  if (type_ == ir::JobType::kSystem) {
    if (!j.affinities.empty()) NotAllowed("`affinity`", j.affinities.front().origin.range);
    if (!j.spreads.empty()) NotAllowed("`spread`", j.spreads.front().origin.range);
  } else {
    ValidateAffinities(j.affinities);
    ValidateSpreads(j.spreads);
  }

  std::map<std::string, const ir::TaskGroup*> seen;
  for (size_t i = 0; i < j.task_groups.size(); ++i) {
    const ir::TaskGroup& g = j.task_groups[i];
    if (g.name.empty()) {
      Report(DiagKind::kInvalidGroupName, g.origin.range, Ordinal(i), "has no name");
    } else if (g.name.find('\0') != std::string::npos) {
      Report(DiagKind::kInvalidGroupName, g.origin.range, fmt::format("`{}`", Printable(g.name)),
             "has a null character in its name");
    } else if (auto [it, inserted] = seen.emplace(g.name, &g); !inserted) {
      Report(DiagKind::kDuplicateGroup, g.origin.range, g.name)
          .Note(it->second->origin.range, "first defined here");
    }
  }

  if (j.periodic && j.periodic->enabled.value_or(true)) {
    if (!IsBatchLike(type_)) NotAllowed("`periodic`", j.periodic->origin.range);
    ValidatePeriodic(*j.periodic);
  }
  if (j.parameterized && !j.dispatched) {
    const ir::ParameterizedJobConfig& p = *j.parameterized;
    if (!IsBatchLike(type_)) NotAllowed("`parameterized`", p.origin.range);
    if (p.payload != "optional" && p.payload != "required" && p.payload != "forbidden") {
      Report(DiagKind::kInvalidParameterized, p.origin.Field("payload"),
             fmt::format("unknown payload requirement `{}`; expected `optional`, `required` or "
                         "`forbidden`",
                         p.payload));
    }
    std::set<std::string> required(p.meta_required.begin(), p.meta_required.end());
    std::vector<std::string> both;
    for (const std::string& k : p.meta_optional) {
      if (required.count(k)) both.push_back("`" + k + "`");
    }
    if (!both.empty()) {
      Report(DiagKind::kInvalidParameterized, p.origin.Field("meta_optional"),
             fmt::format("meta keys must be either required or optional; {} {} both",
                         fmt::join(both, ", "), both.size() == 1 ? "is" : "are"));
    }
  }
  if (multiregion) ValidateMultiregion(*j.multiregion);
}

void Validator::ValidatePeriodic(const ir::PeriodicConfig& p) {
  if (p.specs.empty()) {
    Report(DiagKind::kInvalidPeriodic, p.origin.range, "must specify a `cron` or `crons` spec");
    return;
  }
  if (p.spec_type != "cron" && p.spec_type != "_internal_test") {
    Report(DiagKind::kInvalidPeriodic, p.origin.range,
           fmt::format("unknown periodic specification type `{}`", p.spec_type));
    return;
  }
  if (p.spec_type != "cron") return;
  diag::SourceRange where =
      p.origin.HasField("crons") ? p.origin.Field("crons") : p.origin.Field("cron");
  for (const std::string& spec : p.specs) {
    if (auto err = CheckCronSpec(spec)) Report(DiagKind::kInvalidCron, where, spec, *err);
  }
}

void Validator::ValidateMultiregion(const ir::Multiregion& m) {
  std::set<std::string> seen;
  for (const ir::MultiregionRegion& r : m.regions) {
    if (r.name.empty()) {
      Report(DiagKind::kInvalidMultiregion, r.origin.range, "a region must have a name");
    } else if (!seen.insert(r.name).second) {
      Report(DiagKind::kInvalidMultiregion, r.origin.range,
             fmt::format("region `{}` can't be listed twice", r.name));
    }
    if (r.datacenters.empty() && job_.datacenters.empty()) {
      Report(DiagKind::kInvalidMultiregion, r.origin.range,
             fmt::format("region `{}` must have at least one datacenter", r.name));
    }
    if (r.count && *r.count < 0) {
      Report(DiagKind::kInvalidMultiregion, r.origin.Field("count"),
             fmt::format("region `{}` has a negative count {}", r.name, *r.count));
    }
  }
  bool has_strategy = m.max_parallel.value_or(0) != 0 || !m.on_failure.empty();
  if (!has_strategy) return;
  switch (type_) {
    case ir::JobType::kBatch:
    case ir::JobType::kSysbatch:
      Report(DiagKind::kInvalidMultiregion, m.origin.range,
             "multiregion batch jobs can't have a strategy");
      break;
    case ir::JobType::kSystem:
      if (!m.on_failure.empty()) {
        Report(DiagKind::kInvalidMultiregion, m.origin.Field("on_failure"),
               "multiregion system jobs can't have an `on_failure` setting");
      }
      break;
    case ir::JobType::kService:
      if (!m.on_failure.empty() && m.on_failure != "fail_all" && m.on_failure != "fail_local") {
        Report(
            DiagKind::kInvalidMultiregion, m.origin.Field("on_failure"),
            fmt::format("on_failure `{}` must be `fail_all`, `fail_local` or unset", m.on_failure));
      }
      break;
  }
  if (m.max_parallel.value_or(0) < 0) {
    Report(DiagKind::kInvalidMultiregion, m.origin.Field("max_parallel"),
           fmt::format("max_parallel must not be negative (got {})", *m.max_parallel));
  }
}

void Validator::ValidateGroup(const ir::TaskGroup& g) {
  const ir::Origin& o = g.origin;
  int count = g.count.value_or(1);
  if (count < 0) Report(DiagKind::kNegativeCount, o.Field("count"), g.name, count);
  if (type_ == ir::JobType::kSystem && count > 1) {
    Report(DiagKind::kSystemCountAboveOne, o.Field("count"), g.name, count);
  }
  if (g.tasks.empty()) Report(DiagKind::kMissingTasks, o.range, g.name);

  if (g.shutdown_delay && *g.shutdown_delay < Duration(0)) {
    Report(DiagKind::kNegativeDuration, o.Field("shutdown_delay"), "`shutdown_delay`",
           Dur(*g.shutdown_delay));
  }
  if (g.stop_after_client_disconnect && *g.stop_after_client_disconnect != Duration(0)) {
    if (*g.stop_after_client_disconnect < Duration(0)) {
      Report(DiagKind::kNegativeDuration, o.Field("stop_after_client_disconnect"),
             "`stop_after_client_disconnect`", Dur(*g.stop_after_client_disconnect));
    } else if (type_ != ir::JobType::kBatch && type_ != ir::JobType::kService) {
      NotAllowed("`stop_after_client_disconnect`", o.Field("stop_after_client_disconnect"));
    }
  }
  if (g.max_client_disconnect && *g.max_client_disconnect < Duration(0)) {
    Report(DiagKind::kNegativeDuration, o.Field("max_client_disconnect"), "`max_client_disconnect`",
           Dur(*g.max_client_disconnect));
  }

  ValidateConstraints(g.constraints, /*task_level=*/false);
  if (type_ == ir::JobType::kSystem) {
    if (!g.affinities.empty()) NotAllowed("`affinity`", g.affinities.front().origin.range);
    if (!g.spreads.empty()) NotAllowed("`spread`", g.spreads.front().origin.range);
  } else {
    ValidateAffinities(g.affinities);
    ValidateSpreads(g.spreads);
  }

  if (g.restart_policy) ValidateRestart(*g.restart_policy);
  if (g.reschedule_policy) {
    if (type_ == ir::JobType::kSystem) {
      NotAllowed("`reschedule`", g.reschedule_policy->origin.range);
    } else {
      ValidateReschedule(*g.reschedule_policy);
    }
  }
  if (g.ephemeral_disk) {
    int size = g.ephemeral_disk->size_mb.value_or(300);
    if (size < kMinDiskMb) {
      Report(DiagKind::kResourceTooSmall, g.ephemeral_disk->origin.Field("size"),
             "ephemeral_disk size", fmt::format("{} MB", size), fmt::format("{} MB", kMinDiskMb));
    }
  }
  if (g.update) {
    if (IsBatchLike(type_)) NotAllowed("`update`", g.update->origin.range);
    if (type_ == ir::JobType::kSystem && g.update->canary.value_or(0) > 0) {
      NotAllowed("`canary`", g.update->origin.Field("canary"));
    }
    ValidateUpdate(*g.update);
    int max_parallel = g.update->max_parallel.value_or(1);
    bool multiregion = job_.multiregion && !job_.multiregion->regions.empty();
    // (A negative count is an error of its own; no warning on top.)
    if (max_parallel > count && count >= 0 && !(multiregion && count == 0)) {
      Report(DiagKind::kMaxParallelAboveCount, g.update->origin.Field("max_parallel"), max_parallel,
             count)
          .Note(o.Field("count"), fmt::format("group `{}` has count {}", g.name, count));
    }
  }
  if (g.migrate) {
    if (type_ != ir::JobType::kService) {
      NotAllowed("`migrate`", g.migrate->origin.range);
    } else {
      ValidateMigrate(*g.migrate);
    }
  }

  // Tasks: names, leaders, lifecycle shape.
  std::map<std::string, const ir::Task*> tasks;
  int leaders = 0;
  bool has_main = g.tasks.empty();
  for (size_t i = 0; i < g.tasks.size(); ++i) {
    const ir::Task& t = g.tasks[i];
    if (t.name.empty()) {
      Report(DiagKind::kInvalidTaskName, t.origin.range, Ordinal(i), "has no name");
    } else if (auto [it, inserted] = tasks.emplace(t.name, &t); !inserted) {
      Report(DiagKind::kDuplicateTask, t.origin.range, t.name, g.name)
          .Note(it->second->origin.range, "first defined here");
    }
    if (t.leader) ++leaders;
    if (!t.lifecycle) has_main = true;
  }
  if (leaders > 1) {
    auto b = Report(DiagKind::kMultipleLeaders, o.range, g.name, leaders);
    for (const ir::Task& t : g.tasks) {
      if (t.leader) b.Note(t.origin.Field("leader"), fmt::format("task `{}` is a leader", t.name));
    }
  }
  if (!has_main) Report(DiagKind::kNoMainTask, o.range, g.name);

  for (const auto& [name, v] : g.volumes) {
    if (v.source.empty()) {
      Report(DiagKind::kInvalidVolume, v.origin.Field("source"), name, "`source` is required");
    }
  }

  if (g.networks.size() > 1) {
    Report(DiagKind::kMultipleGroupNetworks, g.networks[1].origin.range, g.name, g.networks.size());
  }
  ValidateNetworks(g);
  ValidateGroupServices(g);
  ValidateScaling(g);

  for (const ir::Task& t : g.tasks) {
    for (const ir::VolumeMount& m : t.volume_mounts) {
      if (m.volume.empty()) {
        Report(DiagKind::kInvalidVolumeMount, m.origin.Field("volume"),
               fmt::format("task `{}` mounts an empty volume name", t.name));
      } else if (!g.volumes.count(m.volume)) {
        Report(DiagKind::kInvalidVolumeMount, m.origin.Field("volume"),
               fmt::format("task `{}` mounts volume `{}`, which group `{}` does not define", t.name,
                           m.volume, g.name));
      }
    }
    ValidateTask(g, t);
  }
}

void Validator::ValidateScaling(const ir::TaskGroup& g) {
  if (!g.scaling) return;
  const ir::ScalingPolicy& s = *g.scaling;
  const ir::Origin& o = s.origin;
  if (type_ == ir::JobType::kSystem) NotAllowed("`scaling`", o.range);
  int64_t min = s.min.value_or(0);
  if (!s.max || *s.max < 0) {
    Report(DiagKind::kScalingMaxMissing, o.Field("max"));
  } else if (*s.max < min) {
    Report(DiagKind::kScalingMaxBelowMin, o.Field("max"), *s.max, min);
  }
  if (min < 0) Report(DiagKind::kScalingMinNegative, o.Field("min"));
  int64_t count = g.count.value_or(1);
  if (s.max && *s.max >= 0 && *s.max < count) {
    Report(DiagKind::kCountOutsideScaling, g.origin.Field("count"), count, "greater", "maximum",
           *s.max)
        .Note(o.Field("max"), "maximum set here");
  }
  bool multiregion_global = job_.multiregion && !job_.multiregion->regions.empty() && count == 0 &&
                            job_.region == "global";
  if (count < min && !multiregion_global) {
    Report(DiagKind::kCountOutsideScaling, g.origin.Field("count"), count, "less", "minimum", min)
        .Note(o.Field("min"), "minimum set here");
  }
}

void Validator::ValidateUpdate(const ir::UpdateStrategy& u) {
  const ir::Origin& o = u.origin;
  int max_parallel = u.max_parallel.value_or(1);
  int canary = u.canary.value_or(0);
  Duration min_healthy = u.min_healthy_time.value_or(10s);
  Duration healthy_deadline = u.healthy_deadline.value_or(5min);
  Duration progress = u.progress_deadline.value_or(10min);
  Duration stagger = u.stagger.value_or(30s);
  if (max_parallel < 0) {
    Report(DiagKind::kInvalidUpdate, o.Field("max_parallel"),
           fmt::format("max_parallel can not be less than zero ({} < 0)", max_parallel));
  }
  if (canary < 0) {
    Report(DiagKind::kInvalidUpdate, o.Field("canary"),
           fmt::format("canary count can not be less than zero ({} < 0)", canary));
  }
  if (canary == 0 && u.auto_promote.value_or(false)) {
    Report(DiagKind::kInvalidUpdate, o.Field("auto_promote"),
           "auto_promote requires a canary count greater than zero");
  }
  if (min_healthy < Duration(0)) {
    Report(DiagKind::kInvalidUpdate, o.Field("min_healthy_time"),
           fmt::format("min_healthy_time may not be less than zero ({})", Dur(min_healthy)));
  }
  if (healthy_deadline <= Duration(0)) {
    Report(DiagKind::kInvalidUpdate, o.Field("healthy_deadline"),
           fmt::format("healthy_deadline must be greater than zero ({})", Dur(healthy_deadline)));
  }
  if (progress < Duration(0)) {
    Report(DiagKind::kInvalidUpdate, o.Field("progress_deadline"),
           fmt::format("progress_deadline must be zero or greater ({})", Dur(progress)));
  }
  if (min_healthy >= healthy_deadline) {
    Report(DiagKind::kInvalidUpdate, o.Field("min_healthy_time"),
           fmt::format("min_healthy_time must be less than healthy_deadline ({} >= {})",
                       Dur(min_healthy), Dur(healthy_deadline)));
  }
  if (progress != Duration(0) && healthy_deadline >= progress) {
    Report(DiagKind::kInvalidUpdate, o.Field("healthy_deadline"),
           fmt::format("healthy_deadline must be less than progress_deadline ({} >= {})",
                       Dur(healthy_deadline), Dur(progress)));
  }
  if (stagger <= Duration(0)) {
    Report(DiagKind::kInvalidUpdate, o.Field("stagger"),
           fmt::format("stagger must be greater than zero ({})", Dur(stagger)));
  }
}

void Validator::ValidateMigrate(const ir::MigrateStrategy& m) {
  const ir::Origin& o = m.origin;
  int max_parallel = m.max_parallel.value_or(1);
  Duration min_healthy = m.min_healthy_time.value_or(10s);
  Duration deadline = m.healthy_deadline.value_or(5min);
  if (max_parallel < 0) {
    Report(DiagKind::kInvalidMigrate, o.Field("max_parallel"),
           fmt::format("max_parallel must be >= 0 (got {})", max_parallel));
  }
  if (min_healthy < Duration(0)) {
    Report(DiagKind::kInvalidMigrate, o.Field("min_healthy_time"),
           fmt::format("min_healthy_time is {} and must be >= 0", Dur(min_healthy)));
  }
  if (deadline < Duration(0)) {
    Report(DiagKind::kInvalidMigrate, o.Field("healthy_deadline"),
           fmt::format("healthy_deadline is {} and must be >= 0", Dur(deadline)));
  }
  if (min_healthy > deadline) {
    Report(DiagKind::kInvalidMigrate, o.Field("min_healthy_time"),
           fmt::format("min_healthy_time must be less than healthy_deadline ({} > {})",
                       Dur(min_healthy), Dur(deadline)));
  }
}

void Validator::ValidateRestart(const ir::RestartPolicy& r) {
  const ir::Origin& o = r.origin;
  int attempts = r.attempts.value_or(0);
  Duration interval = r.interval.value_or(Duration(0));
  Duration delay = r.delay.value_or(Duration(0));
  ir::RestartMode mode = r.mode.value_or(ir::RestartMode::kFail);
  if (attempts == 0 && mode != ir::RestartMode::kFail) {
    Report(DiagKind::kInvalidRestart, o.Field("attempts"),
           fmt::format("restart policy `{}` with 0 attempts is ambiguous", ir::ToString(mode)))
        .Help("use `mode = \"fail\"` to never restart, or set `attempts`");
  }
  if (interval < kRestartMinInterval) {
    Report(DiagKind::kInvalidRestart, o.Field("interval"),
           fmt::format("interval can not be less than {} (got {})", Dur(kRestartMinInterval),
                       Dur(interval)));
  }
  long double needed = static_cast<long double>(attempts) * delay.count();
  if (needed > static_cast<long double>(interval.count())) {
    Report(DiagKind::kInvalidRestart, o.Field("attempts"),
           fmt::format("Nomad can't restart the task group {} times in an interval of {} with a "
                       "delay of {}",
                       attempts, Dur(interval), Dur(delay)));
  }
}

void Validator::ValidateReschedule(const ir::ReschedulePolicy& r) {
  const ir::Origin& o = r.origin;
  int attempts = r.attempts.value_or(0);
  bool unlimited = r.unlimited.value_or(false);
  if (!(attempts > 0 || unlimited)) return;  // rescheduling is off
  Duration interval = r.interval.value_or(Duration(0));
  Duration delay = r.delay.value_or(Duration(0));
  Duration max_delay = r.max_delay.value_or(Duration(0));
  bool delay_ok = true;
  if (attempts > 0) {
    if (interval <= Duration(0)) {
      Report(DiagKind::kInvalidReschedule, o.Field("interval"),
             "interval must be a non-zero value if attempts > 0");
    }
    if (unlimited) {
      Report(DiagKind::kInvalidReschedule, o.Field("unlimited"),
             fmt::format("attempts = {} with unlimited = true is ambiguous; if attempts > 0, "
                         "unlimited cannot also be true",
                         attempts));
    }
  }
  if (delay < kRescheduleMinDelay) {
    Report(
        DiagKind::kInvalidReschedule, o.Field("delay"),
        fmt::format("delay cannot be less than {} (got {})", Dur(kRescheduleMinDelay), Dur(delay)));
    delay_ok = false;
  }
  if (!r.delay_function) {
    Report(DiagKind::kInvalidReschedule, o.Field("delay_function"),
           "a delay function is required; use `constant`, `exponential` or `fibonacci`");
    return;
  }
  if (*r.delay_function != ir::DelayFunction::kConstant) {
    if (max_delay < kRescheduleMinDelay) {
      Report(DiagKind::kInvalidReschedule, o.Field("max_delay"),
             fmt::format("max_delay cannot be less than {} (got {})", Dur(kRescheduleMinDelay),
                         Dur(max_delay)));
      delay_ok = false;
    } else if (max_delay < delay) {
      Report(DiagKind::kInvalidReschedule, o.Field("max_delay"),
             fmt::format("max_delay cannot be less than delay {} (got {})", Dur(delay),
                         Dur(max_delay)));
      delay_ok = false;
    }
  }
  if (unlimited) return;
  if (interval < kRescheduleMinInterval) {
    Report(DiagKind::kInvalidReschedule, o.Field("interval"),
           fmt::format("interval cannot be less than {} (got {})", Dur(kRescheduleMinInterval),
                       Dur(interval)));
  }
  if (!delay_ok) return;
  Viability v = ViableAttempts(attempts, interval.count(), delay.count(), max_delay.count(),
                               *r.delay_function);
  if (v.ok) return;
  std::string what =
      *r.delay_function == ir::DelayFunction::kConstant
          ? fmt::format(
                "Nomad can only make {} attempts in {} with initial delay {} and delay "
                "function `constant`",
                v.possible_attempts, Dur(interval), Dur(delay))
          : fmt::format(
                "Nomad can only make {} attempts in {} with initial delay {}, delay "
                "function `{}` and delay ceiling {}",
                v.possible_attempts, Dur(interval), Dur(delay), ir::ToString(*r.delay_function),
                Dur(max_delay));
  Report(DiagKind::kInvalidReschedule, o.Field("attempts"), what)
      .Help(fmt::format("set the interval to at least {} to accommodate {} attempts",
                        Dur(std::chrono::round<std::chrono::seconds>(Duration(v.recommended_ns))),
                        attempts));
}

void Validator::ValidateTask(const ir::TaskGroup& g, const ir::Task& t) {
  const ir::Origin& o = t.origin;
  if (t.name.find_first_of("/\\") != std::string::npos) {
    Report(DiagKind::kInvalidTaskName, o.range, fmt::format("`{}`", t.name),
           "has a slash in its name; task names cannot include `/` or `\\`");
  } else if (t.name.find('\0') != std::string::npos) {
    Report(DiagKind::kInvalidTaskName, o.range, fmt::format("`{}`", Printable(t.name)),
           "has a null character in its name");
  }
  if (t.driver.empty()) Report(DiagKind::kMissingDriver, o.Field("driver"), t.name);
  if (t.kill_timeout && *t.kill_timeout < Duration(0)) {
    Report(DiagKind::kNegativeDuration, o.Field("kill_timeout"), "`kill_timeout`",
           Dur(*t.kill_timeout));
  }
  if (t.shutdown_delay && *t.shutdown_delay < Duration(0)) {
    Report(DiagKind::kNegativeDuration, o.Field("shutdown_delay"), "`shutdown_delay`",
           Dur(*t.shutdown_delay));
  }

  ValidateResources(t);

  int max_files = 10;
  int file_size = 10;
  if (t.log_config) {
    max_files = t.log_config->max_files.value_or(10);
    file_size = t.log_config->max_file_size_mb.value_or(10);
    if (max_files < 1) {
      Report(DiagKind::kInvalidLogConfig, t.log_config->origin.Field("max_files"),
             fmt::format("minimum number of files is 1; got {}", max_files));
    }
    if (file_size < 1) {
      Report(DiagKind::kInvalidLogConfig, t.log_config->origin.Field("max_file_size"),
             fmt::format("minimum file size is 1 MB; got {}", file_size));
    }
  }
  if (g.ephemeral_disk) {
    int disk = g.ephemeral_disk->size_mb.value_or(300);
    long long usage = static_cast<long long>(max_files) * file_size;
    if (disk <= usage) {
      diag::SourceRange where = t.log_config ? t.log_config->origin.range : o.range;
      Report(DiagKind::kLogsExceedDisk, where, t.name, usage, max_files, file_size, disk)
          .Note(g.ephemeral_disk->origin.Field("size"),
                fmt::format("group `{}` requests {} MB of ephemeral disk", g.name, disk));
    }
  }

  ValidateConstraints(t.constraints, /*task_level=*/true);
  if (type_ == ir::JobType::kSystem) {
    if (!t.affinities.empty()) NotAllowed("`affinity`", t.affinities.front().origin.range);
  } else {
    ValidateAffinities(t.affinities);
  }
  ValidateTaskServices(g, t);

  for (const ir::Artifact& a : t.artifacts) ValidateArtifact(a);

  if (t.vault) {
    const ir::Vault& v = *t.vault;
    if (v.policies.empty() && v.role.empty()) {
      Report(DiagKind::kInvalidVault, v.origin.Field("policies"),
             "the policy list cannot be empty");
    }
    for (const std::string& p : v.policies) {
      if (p == "root") {
        Report(DiagKind::kInvalidVault, v.origin.Field("policies"),
               "the `root` policy cannot be requested");
      }
    }
    if (v.change_mode == ir::ChangeMode::kSignal && v.change_signal.empty()) {
      Report(DiagKind::kInvalidVault, v.origin.Field("change_mode"),
             "a `change_signal` is required when `change_mode` is `signal`");
    }
  }

  ValidateTemplates(t);

  if (t.dispatch_payload && PathEscapesAllocDir("task/local/", t.dispatch_payload->file)) {
    Report(DiagKind::kEscapesAllocDir, t.dispatch_payload->origin.Field("file"),
           "dispatch_payload file", t.dispatch_payload->file);
  }
  for (const ir::VolumeMount& m : t.volume_mounts) {
    const std::string& mode = m.propagation_mode;
    if (!mode.empty() && mode != "private" && mode != "host-to-task" && mode != "bidirectional") {
      Report(DiagKind::kInvalidVolumeMount, m.origin.Field("propagation_mode"),
             fmt::format("invalid propagation mode `{}`; expected `private`, `host-to-task` or "
                         "`bidirectional`",
                         mode));
    }
  }
  if (t.csi_plugin) {
    const ir::CsiPluginConfig& c = *t.csi_plugin;
    if (c.id.empty()) Report(DiagKind::kInvalidCsiPlugin, c.origin.Field("id"), "`id` is required");
    if (c.type != "node" && c.type != "controller" && c.type != "monolith") {
      Report(DiagKind::kInvalidCsiPlugin, c.origin.Field("type"),
             fmt::format("type must be `node`, `controller` or `monolith`, not `{}`", c.type));
    }
  }
  if (t.lifecycle && t.lifecycle->hook == ir::LifecycleHook::kPoststop && t.lifecycle->sidecar) {
    Report(DiagKind::kPoststopSidecar, t.lifecycle->origin.Field("sidecar"));
  }
}

void Validator::ValidateResources(const ir::Task& t) {
  const ir::Resources& r = t.resources;
  const ir::Origin& o = r.origin;
  int cores = r.cores.value_or(0);
  int cpu = r.cpu.value_or(cores > 0 ? 0 : 100);
  int memory = r.memory_mb.value_or(300);
  if (cores > 0 && cpu > 0) {
    Report(DiagKind::kCpuAndCores, o.Field("cores"), t.name)
        .Note(o.Field("cpu"), fmt::format("`cpu = {}` set here", cpu));
  }
  if (cores == 0 && cpu < kMinCpuMhz) {
    Report(DiagKind::kResourceTooSmall, o.Field("cpu"), "cpu", fmt::format("{} MHz", cpu),
           fmt::format("{} MHz", kMinCpuMhz));
  }
  if (cores < 0) {
    Report(DiagKind::kResourceTooSmall, o.Field("cores"), "cores", cores, "0");
  }
  if (memory < kMinMemoryMb) {
    Report(DiagKind::kResourceTooSmall, o.Field("memory"), "memory", fmt::format("{} MB", memory),
           fmt::format("{} MB", kMinMemoryMb));
  }
  int memory_max = r.memory_max_mb.value_or(0);
  if (memory_max != 0 && memory_max < memory) {
    Report(DiagKind::kMemoryMaxBelowMemory, o.Field("memory_max"), memory_max, memory);
  }
  for (size_t i = 0; i < r.devices.size(); ++i) {
    const ir::RequestedDevice& d = r.devices[i];
    size_t parts = d.name.empty() ? 0 : std::count(d.name.begin(), d.name.end(), '/') + 1;
    if (d.name.empty() || parts > 3) {
      Report(DiagKind::kInvalidDevice, d.origin.range, Ordinal(i),
             "the name must be given as one of: type, vendor/type, or vendor/type/name");
    }
    if (d.count < 0) {
      Report(DiagKind::kInvalidDevice, d.origin.Field("count"), Ordinal(i),
             fmt::format("count must not be negative (got {})", d.count));
    }
    ValidateConstraints(d.constraints, /*task_level=*/true);
    ValidateAffinities(d.affinities);
  }
  if (r.iops.value_or(0) != 0) Report(DiagKind::kDeprecatedIops, o.Field("iops"));
  for (const ir::NetworkResource& n : r.networks) {
    Report(DiagKind::kDeprecatedTaskNetwork, n.origin.range);
    if (n.mbits != 0) Report(DiagKind::kDeprecatedMbits, n.origin.Field("mbits"));
  }
}

void Validator::ValidateArtifact(const ir::Artifact& a) {
  const ir::Origin& o = a.origin;
  if (a.source.empty()) {
    Report(DiagKind::kInvalidArtifact, o.Field("source"), "`source` must be specified");
  }
  if (PathEscapesAllocDir("task", a.destination)) {
    Report(DiagKind::kEscapesAllocDir, o.Field("destination"), "artifact destination",
           a.destination);
  }
  auto checksum = a.options.find("checksum");
  if (checksum != a.options.end() && !ir::HasRuntimeReferences(checksum->second)) {
    if (auto err = CheckChecksum(checksum->second)) {
      Report(DiagKind::kInvalidArtifact,
             o.HasField("options.checksum") ? o.Field("options.checksum") : o.Field("options"),
             *err);
    }
  }
}

void Validator::ValidateTemplates(const ir::Task& t) {
  std::map<std::string, const ir::Template*> destinations;
  for (const ir::Template& tmpl : t.templates) {
    const ir::Origin& o = tmpl.origin;
    if (tmpl.source_path.empty() && tmpl.embedded_tmpl.empty()) {
      Report(DiagKind::kInvalidTemplate, o.range, "set `source` or `data`");
    }
    if (tmpl.dest_path.empty()) {
      Report(DiagKind::kInvalidTemplate, o.range, "`destination` is required");
    } else if (PathEscapesAllocDir("task", tmpl.dest_path)) {
      Report(DiagKind::kEscapesAllocDir, o.Field("destination"), "template destination",
             tmpl.dest_path);
    }
    ir::ChangeMode mode = tmpl.change_mode.value_or(ir::ChangeMode::kRestart);
    if (mode == ir::ChangeMode::kSignal) {
      if (tmpl.change_signal.empty()) {
        Report(DiagKind::kInvalidTemplate, o.Field("change_mode"),
               "a `change_signal` is required when `change_mode` is `signal`");
      }
      if (tmpl.envvars) {
        Report(DiagKind::kInvalidTemplate, o.Field("env"),
               "signals cannot be used with environment-variable templates (`env = true`)");
      }
    }
    if (mode == ir::ChangeMode::kScript && tmpl.change_script_command.empty()) {
      Report(DiagKind::kInvalidTemplate, o.Field("change_mode"),
             "a `change_script` with a `command` is required when `change_mode` is `script`");
    }
    if (tmpl.splay && *tmpl.splay < Duration(0)) {
      Report(DiagKind::kNegativeDuration, o.Field("splay"), "`splay`", Dur(*tmpl.splay));
    }
    if (!tmpl.perms.empty() && !IsOctalPerms(tmpl.perms)) {
      Report(DiagKind::kInvalidTemplate, o.Field("perms"),
             fmt::format("failed to parse `{}` as octal permissions", tmpl.perms));
    }
    if (tmpl.wait && tmpl.wait->min && tmpl.wait->max && *tmpl.wait->min > *tmpl.wait->max) {
      Report(DiagKind::kInvalidTemplate, tmpl.wait->origin.Field("min"),
             fmt::format("wait min {} is greater than max {}", Dur(*tmpl.wait->min),
                         Dur(*tmpl.wait->max)));
    }
    if (tmpl.vault_grace.value_or(Duration(0)) != Duration(0)) {
      Report(DiagKind::kDeprecatedVaultGrace, o.Field("vault_grace"));
    }
    if (!tmpl.dest_path.empty()) {
      auto [it, inserted] = destinations.emplace(tmpl.dest_path, &tmpl);
      if (!inserted) {
        Report(DiagKind::kDuplicateTemplateDestination, o.Field("destination"), tmpl.dest_path,
               t.name)
            .Note(it->second->origin.Field("destination"), "first used here");
      }
    }
  }
}

}  // namespace internal

void Validate(const ir::Job& job, diag::DiagnosticEngine& diags) {
  internal::Validator(job, diags).Run();
}

}  // namespace drover::sema
