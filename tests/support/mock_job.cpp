// MockJob() and RandomJob() (see mock_job.h).
#include "tests/support/mock_job.h"

#include <array>
#include <random>
#include <string>
#include <string_view>

namespace drover::testing {
namespace {

using namespace std::chrono_literals;
using ir::Duration;
using json = nlohmann::json;

}  // namespace

ir::Job MockJob() {
  ir::Job job;
  job.region = "global";
  job.namespace_ = "default";
  job.id = "web";
  job.name = "web";
  job.type = ir::JobType::kService;
  job.priority = 50;
  job.datacenters = {"dc1"};
  job.node_pool = "default";
  job.update = ir::UpdateStrategy{.stagger = Duration(30s),
                                  .max_parallel = 1,
                                  .health_check = std::nullopt,
                                  .min_healthy_time = Duration(0),
                                  .healthy_deadline = Duration(0),
                                  .progress_deadline = Duration(0),
                                  .canary = 0,
                                  .auto_revert = false,
                                  .auto_promote = false,
                                  .origin = {}};

  ir::TaskGroup group;
  group.name = "web";
  group.count = 2;
  group.restart_policy =
      ir::RestartPolicy{2, Duration(30min), Duration(15s), ir::RestartMode::kFail, false, {}};
  group.reschedule_policy = ir::ReschedulePolicy{
      0, Duration(0), Duration(30s), ir::DelayFunction::kExponential, Duration(1h), true, {}};
  group.ephemeral_disk = ir::EphemeralDisk{false, false, 300, {}};
  group.update = ir::UpdateStrategy{.stagger = Duration(30s),
                                    .max_parallel = 1,
                                    .health_check = ir::HealthCheckMode::kChecks,
                                    .min_healthy_time = Duration(10s),
                                    .healthy_deadline = Duration(5min),
                                    .progress_deadline = Duration(10min),
                                    .canary = 0,
                                    .auto_revert = false,
                                    .auto_promote = false,
                                    .origin = {}};
  group.migrate =
      ir::MigrateStrategy{1, ir::HealthCheckMode::kChecks, Duration(10s), Duration(5min), {}};

  ir::NetworkResource net;
  net.mode = "bridge";
  net.dynamic_ports.push_back(ir::Port{"http", 0, 8080, "default", {}});
  net.reserved_ports.push_back(ir::Port{"admin", 9000, 0, "default", {}});
  group.networks.push_back(net);

  ir::Service service;
  service.name = "web";
  service.port_label = "http";
  service.address_mode = ir::AddressMode::kAuto;
  service.on_update = ir::OnUpdate::kRequireHealthy;
  service.provider = ir::ServiceProvider::kConsul;
  ir::ServiceCheck check;
  check.name = "alive";
  check.type = ir::CheckType::kHttp;
  check.path = "/health";
  check.interval = Duration(10s);
  check.timeout = Duration(2s);
  check.on_update = ir::OnUpdate::kRequireHealthy;
  service.checks.push_back(check);
  group.services.push_back(service);

  ir::Task task;
  task.name = "server";
  task.driver = "docker";
  task.config = json{{"image", "nginx:1.25"}, {"ports", json::array({"http"})}};
  task.resources.cpu = 100;
  task.resources.cores = 0;
  task.resources.memory_mb = 300;
  task.resources.memory_max_mb = 0;
  task.resources.disk_mb = 0;
  task.resources.iops = 0;
  task.restart_policy = group.restart_policy;
  task.kill_timeout = Duration(5s);
  task.log_config = ir::LogConfig{10, 10, false, {}};
  task.shutdown_delay = Duration(0);
  group.tasks.push_back(task);

  job.task_groups.push_back(group);
  return job;
}

namespace {

/// The random source for RandomJob: small helpers so that the builder below reads like the IR.
class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}

  bool Coin(int percent_true = 50) { return Int(1, 100) <= percent_true; }
  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  int SmallInt() {
    switch (Int(0, 3)) {
      case 0:
        return 0;
      case 1:
        return static_cast<int>(Int(1, 10));
      case 2:
        return static_cast<int>(Int(-100, 100000));
      default:
        return static_cast<int>(Int(INT32_MIN, INT32_MAX));
    }
  }
  Duration Dur() {
    switch (Int(0, 3)) {
      case 0:
        return Duration(0);
      case 1:
        return Duration(Int(1, 3600) * 1'000'000'000LL);
      case 2:
        return Duration(Int(-1'000'000'000'000LL, 1'000'000'000'000LL));
      default:
        return Duration(Int(INT64_MIN, INT64_MAX));
    }
  }
  std::string Str() {
    static constexpr std::array<std::string_view, 12> kPieces = {
        "a",        "web",          "-",  "_", "\"", "\\", "${NOMAD_PORT_http}", " ",
        "\xC3\xA9", "\xE2\x9C\x93", "\n", "/"};
    if (Coin(20)) return "";
    std::string out;
    int64_t n = Int(1, 4);
    for (int64_t i = 0; i < n; ++i) out += kPieces[static_cast<size_t>(Int(0, kPieces.size() - 1))];
    return out;
  }
  std::vector<std::string> Strs() {
    std::vector<std::string> out(static_cast<size_t>(Int(0, 3)));
    for (auto& s : out) s = Str();
    return out;
  }
  ir::StringMap Map() {
    ir::StringMap out;
    int64_t n = Int(0, 3);
    for (int64_t i = 0; i < n; ++i) out[Str() + std::to_string(i)] = Str();
    return out;
  }
  template <typename E>
  E Enum() {
    auto spellings = ir::Spellings(E{});
    return static_cast<E>(Int(0, static_cast<int64_t>(spellings.size()) - 1));
  }
  ir::ConstraintOp Op() {
    auto spellings = ir::Spellings(ir::ConstraintOp{});
    return *ir::ParseConstraintOp(spellings[static_cast<size_t>(Int(0, spellings.size() - 1))]);
  }
  template <typename T, typename F>
  std::optional<T> Maybe(F make) {
    if (Coin()) return std::nullopt;
    return make();
  }
  template <typename F>
  auto Vec(F make) -> std::vector<decltype(make())> {
    std::vector<decltype(make())> out;
    int64_t n = Int(0, 3);
    for (int64_t i = 0; i < n; ++i) out.push_back(make());
    return out;
  }
  json Json(int depth = 0) {
    switch (Int(0, depth >= 2 ? 4 : 6)) {
      case 0:
        return nullptr;
      case 1:
        return Coin();
      case 2:
        return Int(-1000000, 1000000);
      case 3:
        return static_cast<double>(Int(-1000, 1000)) / 8.0;
      case 4:
        return Str();
      case 5: {
        json arr = json::array();
        for (int64_t i = Int(0, 3); i > 0; --i) arr.push_back(Json(depth + 1));
        return arr;
      }
      default: {
        json obj = json::object();
        for (int64_t i = Int(0, 3); i > 0; --i) obj[Str() + std::to_string(i)] = Json(depth + 1);
        return obj;
      }
    }
  }

 private:
  std::mt19937_64 rng_;
};

ir::Constraint RandomConstraint(Gen& g) { return ir::Constraint{g.Str(), g.Str(), g.Op(), {}}; }

ir::Affinity RandomAffinity(Gen& g) {
  return ir::Affinity{g.Str(), g.Str(), g.Op(), static_cast<int8_t>(g.Int(-128, 127)), {}};
}

ir::Spread RandomSpread(Gen& g) {
  ir::Spread s;
  s.attribute = g.Str();
  s.weight = static_cast<int8_t>(g.Int(-128, 127));
  s.targets = g.Vec([&] {
    return ir::SpreadTarget{g.Str(), static_cast<uint8_t>(g.Int(0, 255)), {}};
  });
  return s;
}

ir::RestartPolicy RandomRestart(Gen& g) {
  ir::RestartPolicy r;
  r.attempts = g.Maybe<int>([&] { return g.SmallInt(); });
  r.interval = g.Maybe<Duration>([&] { return g.Dur(); });
  r.delay = g.Maybe<Duration>([&] { return g.Dur(); });
  r.mode = g.Maybe<ir::RestartMode>([&] { return g.Enum<ir::RestartMode>(); });
  r.render_templates = g.Maybe<bool>([&] { return g.Coin(); });
  return r;
}

ir::ReschedulePolicy RandomReschedule(Gen& g) {
  ir::ReschedulePolicy r;
  r.attempts = g.Maybe<int>([&] { return g.SmallInt(); });
  r.interval = g.Maybe<Duration>([&] { return g.Dur(); });
  r.delay = g.Maybe<Duration>([&] { return g.Dur(); });
  r.delay_function = g.Maybe<ir::DelayFunction>([&] { return g.Enum<ir::DelayFunction>(); });
  r.max_delay = g.Maybe<Duration>([&] { return g.Dur(); });
  r.unlimited = g.Maybe<bool>([&] { return g.Coin(); });
  return r;
}

ir::UpdateStrategy RandomUpdate(Gen& g) {
  ir::UpdateStrategy u;
  u.stagger = g.Maybe<Duration>([&] { return g.Dur(); });
  u.max_parallel = g.Maybe<int>([&] { return g.SmallInt(); });
  u.health_check = g.Maybe<ir::HealthCheckMode>([&] { return g.Enum<ir::HealthCheckMode>(); });
  u.min_healthy_time = g.Maybe<Duration>([&] { return g.Dur(); });
  u.healthy_deadline = g.Maybe<Duration>([&] { return g.Dur(); });
  u.progress_deadline = g.Maybe<Duration>([&] { return g.Dur(); });
  u.canary = g.Maybe<int>([&] { return g.SmallInt(); });
  u.auto_revert = g.Maybe<bool>([&] { return g.Coin(); });
  u.auto_promote = g.Maybe<bool>([&] { return g.Coin(); });
  return u;
}

ir::MigrateStrategy RandomMigrate(Gen& g) {
  ir::MigrateStrategy m;
  m.max_parallel = g.Maybe<int>([&] { return g.SmallInt(); });
  m.health_check = g.Maybe<ir::HealthCheckMode>([&] { return g.Enum<ir::HealthCheckMode>(); });
  m.min_healthy_time = g.Maybe<Duration>([&] { return g.Dur(); });
  m.healthy_deadline = g.Maybe<Duration>([&] { return g.Dur(); });
  return m;
}

ir::ScalingPolicy RandomScaling(Gen& g) {
  ir::ScalingPolicy s;
  s.type = g.Enum<ir::ScalingType>();
  s.min = g.Maybe<int64_t>([&] { return g.Int(-5, 1LL << 40); });
  s.max = g.Maybe<int64_t>([&] { return g.Int(-5, 1LL << 40); });
  s.enabled = g.Maybe<bool>([&] { return g.Coin(); });
  if (g.Coin()) s.policy = g.Json();
  s.target = g.Map();
  return s;
}

ir::WorkloadIdentity RandomIdentity(Gen& g) {
  ir::WorkloadIdentity w;
  w.name = g.Str();
  w.audience = g.Strs();
  w.env = g.Maybe<bool>([&] { return g.Coin(); });
  w.file = g.Maybe<bool>([&] { return g.Coin(); });
  w.service_name = g.Str();
  w.ttl = g.Maybe<Duration>([&] { return g.Dur(); });
  w.change_mode = g.Str();
  w.change_signal = g.Str();
  return w;
}

ir::Port RandomPort(Gen& g) { return ir::Port{g.Str(), g.SmallInt(), g.SmallInt(), g.Str(), {}}; }

ir::NetworkResource RandomNetwork(Gen& g) {
  ir::NetworkResource n;
  n.mode = g.Str();
  n.device = g.Str();
  n.cidr = g.Str();
  n.ip = g.Str();
  n.hostname = g.Str();
  n.mbits = g.SmallInt();
  n.dns = g.Maybe<ir::DnsConfig>([&] { return ir::DnsConfig{g.Strs(), g.Strs(), g.Strs(), {}}; });
  n.reserved_ports = g.Vec([&] { return RandomPort(g); });
  n.dynamic_ports = g.Vec([&] { return RandomPort(g); });
  return n;
}

ir::CheckRestart RandomCheckRestart(Gen& g) {
  return ir::CheckRestart{g.SmallInt(), g.Dur(), g.Coin(), {}};
}

ir::ServiceCheck RandomCheck(Gen& g) {
  ir::ServiceCheck c;
  c.name = g.Str();
  c.type = g.Enum<ir::CheckType>();
  c.command = g.Str();
  c.args = g.Strs();
  c.path = g.Str();
  c.protocol = g.Str();
  c.port_label = g.Str();
  c.expose = g.Coin();
  c.address_mode = g.Maybe<ir::AddressMode>([&] { return g.Enum<ir::AddressMode>(); });
  c.interval = g.Dur();
  c.timeout = g.Dur();
  c.initial_status = g.Str();
  c.tls_server_name = g.Str();
  c.tls_server_name_set = !c.tls_server_name.empty();
  c.tls_skip_verify = g.Coin();
  c.method = g.Str();
  c.body = g.Str();
  for (int64_t i = g.Int(0, 2); i > 0; --i) c.header[g.Str() + std::to_string(i)] = g.Strs();
  c.check_restart = g.Maybe<ir::CheckRestart>([&] { return RandomCheckRestart(g); });
  c.grpc_service = g.Str();
  c.grpc_use_tls = g.Coin();
  c.task_name = g.Str();
  c.success_before_passing = g.SmallInt();
  c.failures_before_critical = g.SmallInt();
  c.on_update = g.Maybe<ir::OnUpdate>([&] { return g.Enum<ir::OnUpdate>(); });
  return c;
}

ir::Service RandomService(Gen& g) {
  ir::Service s;
  s.name = g.Str();
  s.tags = g.Strs();
  s.canary_tags = g.Strs();
  s.enable_tag_override = g.Coin();
  s.port_label = g.Str();
  s.address_mode = g.Maybe<ir::AddressMode>([&] { return g.Enum<ir::AddressMode>(); });
  s.address = g.Str();
  s.checks = g.Vec([&] { return RandomCheck(g); });
  s.check_restart = g.Maybe<ir::CheckRestart>([&] { return RandomCheckRestart(g); });
  if (g.Coin(30)) s.connect = g.Json();
  s.meta = g.Map();
  s.canary_meta = g.Map();
  s.tagged_addresses = g.Map();
  s.task_name = g.Str();
  s.on_update = g.Maybe<ir::OnUpdate>([&] { return g.Enum<ir::OnUpdate>(); });
  s.provider = g.Maybe<ir::ServiceProvider>([&] { return g.Enum<ir::ServiceProvider>(); });
  s.cluster = g.Str();
  return s;
}

ir::Resources RandomResources(Gen& g) {
  ir::Resources r;
  r.cpu = g.Maybe<int>([&] { return g.SmallInt(); });
  r.cores = g.Maybe<int>([&] { return g.SmallInt(); });
  r.memory_mb = g.Maybe<int>([&] { return g.SmallInt(); });
  r.memory_max_mb = g.Maybe<int>([&] { return g.SmallInt(); });
  r.disk_mb = g.Maybe<int>([&] { return g.SmallInt(); });
  r.iops = g.Maybe<int>([&] { return g.SmallInt(); });
  r.networks = g.Vec([&] { return RandomNetwork(g); });
  r.devices = g.Vec([&] {
    ir::RequestedDevice d;
    d.name = g.Str();
    d.count = g.SmallInt();
    d.constraints = g.Vec([&] { return RandomConstraint(g); });
    d.affinities = g.Vec([&] { return RandomAffinity(g); });
    return d;
  });
  return r;
}

ir::Template RandomTemplate(Gen& g) {
  ir::Template t;
  t.source_path = g.Str();
  t.dest_path = g.Str();
  t.embedded_tmpl = g.Str();
  t.change_mode = g.Maybe<ir::ChangeMode>([&] { return g.Enum<ir::ChangeMode>(); });
  t.change_signal = g.Str();
  if (g.Coin()) {
    t.change_script_command = g.Str();
    t.change_script_args = g.Strs();
    t.change_script_timeout = g.Maybe<Duration>([&] { return g.Dur(); });
    t.change_script_fail_on_error = g.Maybe<bool>([&] { return g.Coin(); });
  }
  t.splay = g.Maybe<Duration>([&] { return g.Dur(); });
  t.perms = g.Str();
  t.uid = g.Maybe<int>([&] { return g.SmallInt(); });
  t.gid = g.Maybe<int>([&] { return g.SmallInt(); });
  t.left_delim = g.Str();
  t.right_delim = g.Str();
  t.envvars = g.Coin();
  t.vault_grace = g.Maybe<Duration>([&] { return g.Dur(); });
  t.wait = g.Maybe<ir::TemplateWait>([&] {
    return ir::TemplateWait{
        g.Maybe<Duration>([&] { return g.Dur(); }), g.Maybe<Duration>([&] { return g.Dur(); }), {}};
  });
  t.error_on_missing_key = g.Coin();
  return t;
}

ir::Task RandomTask(Gen& g) {
  ir::Task t;
  t.name = g.Str();
  t.driver = g.Str();
  t.user = g.Str();
  if (g.Coin(70)) {
    t.config = nlohmann::json::object();
    for (int64_t i = g.Int(0, 3); i > 0; --i) t.config[g.Str() + std::to_string(i)] = g.Json();
  }
  t.constraints = g.Vec([&] { return RandomConstraint(g); });
  t.affinities = g.Vec([&] { return RandomAffinity(g); });
  t.env = g.Map();
  t.services = g.Vec([&] { return RandomService(g); });
  if (g.Coin(70)) t.resources = RandomResources(g);
  t.restart_policy = g.Maybe<ir::RestartPolicy>([&] { return RandomRestart(g); });
  t.meta = g.Map();
  t.kill_timeout = g.Maybe<Duration>([&] { return g.Dur(); });
  t.kill_signal = g.Str();
  t.log_config = g.Maybe<ir::LogConfig>([&] {
    return ir::LogConfig{g.Maybe<int>([&] { return g.SmallInt(); }),
                         g.Maybe<int>([&] { return g.SmallInt(); }),
                         g.Maybe<bool>([&] { return g.Coin(); }),
                         {}};
  });
  t.artifacts = g.Vec([&] {
    return ir::Artifact{
        g.Str(), g.Str(), g.Maybe<ir::ArtifactMode>([&] { return g.Enum<ir::ArtifactMode>(); }),
        g.Map(), g.Map(), {}};
  });
  t.vault = g.Maybe<ir::Vault>([&] {
    ir::Vault v;
    v.policies = g.Strs();
    v.role = g.Str();
    v.namespace_ = g.Str();
    v.cluster = g.Str();
    v.env = g.Maybe<bool>([&] { return g.Coin(); });
    v.disable_file = g.Maybe<bool>([&] { return g.Coin(); });
    v.change_mode = g.Maybe<ir::ChangeMode>([&] { return g.Enum<ir::ChangeMode>(); });
    v.change_signal = g.Str();
    return v;
  });
  t.templates = g.Vec([&] { return RandomTemplate(g); });
  t.dispatch_payload = g.Maybe<ir::DispatchPayload>([&] {
    return ir::DispatchPayload{g.Str(), {}};
  });
  t.volume_mounts =
      g.Vec([&] { return ir::VolumeMount{g.Str(), g.Str(), g.Coin(), g.Str(), g.Str(), {}}; });
  t.csi_plugin = g.Maybe<ir::CsiPluginConfig>([&] {
    return ir::CsiPluginConfig{
        g.Str(), g.Str(), g.Str(), g.Str(), g.Maybe<Duration>([&] { return g.Dur(); }), {}};
  });
  t.lifecycle = g.Maybe<ir::Lifecycle>([&] {
    return ir::Lifecycle{g.Enum<ir::LifecycleHook>(), g.Coin(), {}};
  });
  t.leader = g.Coin();
  t.shutdown_delay = g.Maybe<Duration>([&] { return g.Dur(); });
  t.kind = g.Str();
  t.scaling_policies = g.Vec([&] { return RandomScaling(g); });
  t.identity = g.Maybe<ir::WorkloadIdentity>([&] { return RandomIdentity(g); });
  t.identities = g.Vec([&] { return RandomIdentity(g); });
  return t;
}

ir::TaskGroup RandomGroup(Gen& g) {
  ir::TaskGroup tg;
  tg.name = g.Str();
  tg.count = g.Maybe<int>([&] { return g.SmallInt(); });
  tg.constraints = g.Vec([&] { return RandomConstraint(g); });
  tg.affinities = g.Vec([&] { return RandomAffinity(g); });
  tg.spreads = g.Vec([&] { return RandomSpread(g); });
  tg.tasks = g.Vec([&] { return RandomTask(g); });
  for (int64_t i = g.Int(0, 2); i > 0; --i) {
    ir::VolumeRequest v;
    v.name = g.Str();
    v.type = g.Enum<ir::VolumeType>();
    v.source = g.Str();
    v.read_only = g.Coin();
    v.per_alloc = g.Coin();
    v.access_mode = g.Str();
    v.attachment_mode = g.Str();
    if (g.Coin()) {
      v.fs_type = g.Str();
      v.mount_flags = g.Strs();
    }
    tg.volumes[g.Str() + std::to_string(i)] = v;
  }
  tg.restart_policy = g.Maybe<ir::RestartPolicy>([&] { return RandomRestart(g); });
  tg.reschedule_policy = g.Maybe<ir::ReschedulePolicy>([&] { return RandomReschedule(g); });
  tg.ephemeral_disk = g.Maybe<ir::EphemeralDisk>([&] {
    return ir::EphemeralDisk{g.Maybe<bool>([&] { return g.Coin(); }),
                             g.Maybe<bool>([&] { return g.Coin(); }),
                             g.Maybe<int>([&] { return g.SmallInt(); }),
                             {}};
  });
  tg.update = g.Maybe<ir::UpdateStrategy>([&] { return RandomUpdate(g); });
  tg.migrate = g.Maybe<ir::MigrateStrategy>([&] { return RandomMigrate(g); });
  tg.networks = g.Vec([&] { return RandomNetwork(g); });
  tg.meta = g.Map();
  tg.services = g.Vec([&] { return RandomService(g); });
  tg.shutdown_delay = g.Maybe<Duration>([&] { return g.Dur(); });
  tg.stop_after_client_disconnect = g.Maybe<Duration>([&] { return g.Dur(); });
  tg.max_client_disconnect = g.Maybe<Duration>([&] { return g.Dur(); });
  tg.scaling = g.Maybe<ir::ScalingPolicy>([&] { return RandomScaling(g); });
  tg.consul_namespace = g.Str();
  return tg;
}

}  // namespace

ir::Job RandomJob(uint64_t seed) {
  Gen g(seed);
  ir::Job j;
  j.region = g.Str();
  j.namespace_ = g.Str();
  j.id = g.Str();
  j.name = g.Str();
  j.type = g.Maybe<ir::JobType>([&] { return g.Enum<ir::JobType>(); });
  j.priority = g.Maybe<int>([&] { return g.SmallInt(); });
  j.all_at_once = g.Coin();
  j.datacenters = g.Strs();
  j.node_pool = g.Str();
  j.constraints = g.Vec([&] { return RandomConstraint(g); });
  j.affinities = g.Vec([&] { return RandomAffinity(g); });
  j.spreads = g.Vec([&] { return RandomSpread(g); });
  j.task_groups = g.Vec([&] { return RandomGroup(g); });
  j.update = g.Maybe<ir::UpdateStrategy>([&] { return RandomUpdate(g); });
  j.multiregion = g.Maybe<ir::Multiregion>([&] {
    ir::Multiregion m;
    m.max_parallel = g.Maybe<int>([&] { return g.SmallInt(); });
    m.on_failure = g.Str();
    m.regions = g.Vec([&] {
      return ir::MultiregionRegion{
          g.Str(), g.Maybe<int>([&] { return g.SmallInt(); }), g.Strs(), g.Str(), g.Map(), {}};
    });
    return m;
  });
  j.periodic = g.Maybe<ir::PeriodicConfig>([&] {
    ir::PeriodicConfig p;
    p.enabled = g.Maybe<bool>([&] { return g.Coin(); });
    p.specs = g.Strs();
    p.spec_type = g.Str();
    p.prohibit_overlap = g.Maybe<bool>([&] { return g.Coin(); });
    p.time_zone = g.Str();
    return p;
  });
  j.parameterized = g.Maybe<ir::ParameterizedJobConfig>([&] {
    return ir::ParameterizedJobConfig{g.Str(), g.Strs(), g.Strs(), {}};
  });
  j.reschedule = g.Maybe<ir::ReschedulePolicy>([&] { return RandomReschedule(g); });
  j.migrate = g.Maybe<ir::MigrateStrategy>([&] { return RandomMigrate(g); });
  j.meta = g.Map();
  j.consul_token = g.Str();
  j.vault_token = g.Str();
  j.vault_namespace = g.Str();
  j.consul_namespace = g.Str();
  j.parent_id = g.Str();
  j.dispatched = g.Coin();
  j.payload = g.Str();
  return j;
}

}  // namespace drover::testing
