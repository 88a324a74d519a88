// The Consul Connect hook (see connect.h). Values follow Nomad's job_endpoint_hook_connect.go:
// the sidecar and gateway tasks it creates (Envoy via docker, 250 MHz / 128 MB, 2 x 2 MB logs,
// 5s shutdown delay, Consul version constraints), the ports it injects (`connect-proxy-<service>`,
// `connect-terminating-<service>`, `connect-mesh-<service>-lan`, all dynamic with `to = -1`) and
// gatewayProxy()'s default proxy settings. A `sidecar_task` block is merged into the created task
// as SidecarTask.MergeIntoTask() does, after the defaults Nomad's api package gives it
// (api.SidecarTask.Canonicalize: 100 MHz / 300 MB, 10 x 10 MB logs, kill_timeout 5s,
// shutdown_delay 0).
//
// Deliberate differences: Nomad interpolates `${NOMAD_*}` job variables in a Connect service
// name before naming the proxy task; drover names it from the name as written. When a task
// already has the proxy's name, Nomad appends a random 6-character suffix; drover appends one
// derived from the group and service names, so that compiling twice gives the same job.
#include "compiler/sema/connect.h"

#include <cstdint>

#include <fmt/format.h>

namespace drover::sema::internal {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr std::string_view kProxyPrefix = "connect-proxy";
constexpr std::string_view kNativePrefix = "connect-native";
constexpr std::string_view kIngressPrefix = "connect-ingress";
constexpr std::string_view kTerminatingPrefix = "connect-terminating";
constexpr std::string_view kMeshPrefix = "connect-mesh";
constexpr int64_t kDefaultGatewayConnectTimeoutNs = 5'000'000'000;

/// `j[key]` when `j` is an object holding a non-null `key`, else nullptr.
const json* Member(const json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

json* Member(json& j, std::string_view key) {
  return const_cast<json*>(Member(static_cast<const json&>(j), key));
}

bool Truthy(const json& j, std::string_view key) {
  const json* v = Member(j, key);
  return v && v->is_boolean() && v->get<bool>();
}

std::string StringOr(const json& j, std::string_view key, std::string fallback = "") {
  const json* v = Member(j, key);
  return v && v->is_string() ? v->get<std::string>() : fallback;
}

std::optional<int64_t> IntOf(const json& j, std::string_view key) {
  const json* v = Member(j, key);
  if (v && v->is_number_integer()) return v->get<int64_t>();
  if (v && v->is_number_unsigned()) return static_cast<int64_t>(v->get<uint64_t>());
  return std::nullopt;
}

std::string TaskKind(std::string_view prefix, std::string_view service) {
  return fmt::format("{}:{}", prefix, service);
}

ir::Task* FindTaskByKind(ir::TaskGroup& g, const std::string& kind) {
  for (ir::Task& t : g.tasks) {
    if (t.kind == kind) return &t;
  }
  return nullptr;
}

/// Nomad's hasGatewayTaskForService: a gateway task of any kind for `service`.
bool HasGatewayTask(const ir::TaskGroup& g, const std::string& service) {
  for (const ir::Task& t : g.tasks) {
    for (std::string_view prefix : {kIngressPrefix, kTerminatingPrefix, kMeshPrefix}) {
      if (t.kind == TaskKind(prefix, service)) return true;
    }
  }
  return false;
}

bool HasTaskNamed(const ir::TaskGroup& g, std::string_view name) {
  for (const ir::Task& t : g.tasks) {
    if (t.name == name) return true;
  }
  return false;
}

/// Six hex digits from FNV-1a of `text`: the stand-in for Nomad's random name suffix.
std::string StableSuffix(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:06x}", h & 0xffffff);
}

/// Nomad's injectPort: a dynamic port mapped to the same port inside the network namespace,
/// unless the group network already has a dynamic port with that label.
void InjectPort(ir::TaskGroup& g, const std::string& label) {
  ir::NetworkResource& n = g.networks.front();
  for (const ir::Port& p : n.dynamic_ports) {
    if (p.label == label) return;
  }
  n.dynamic_ports.push_back(ir::Port{label, 0, -1, "default", {}});
}

json EnvoyArgs() {
  return json::array({"-c", "${NOMAD_SECRETS_DIR}/envoy_bootstrap.json", "-l",
                      "${meta.connect.log_level}", "--concurrency",
                      "${meta.connect.proxy_concurrency}", "--disable-hot-restart"});
}

ir::Constraint ConsulVersionConstraint(std::string_view version) {
  return ir::Constraint{
      "${attr.consul.version}", fmt::format(">= {}", version), ir::ConstraintOp::kSemver, {}};
}

ir::Constraint ConsulGrpcConstraint() {
  return ir::Constraint{"${attr.consul.grpc}", "0", ir::ConstraintOp::kGreater, {}};
}

/// What the proxy tasks have in common (newConnectSidecarTask / newConnectGatewayTask).
ir::Task NewProxyTask(std::string_view prefix, const std::string& service,
                      const ir::Origin& origin) {
  ir::Task t;
  t.name = fmt::format("{}-{}", prefix, service);
  t.kind = TaskKind(prefix, service);
  t.shutdown_delay = ir::Duration(5s);
  t.log_config = ir::LogConfig{2, 2, std::nullopt, {}};
  t.resources.cpu = 250;
  t.resources.memory_mb = 128;
  t.origin = origin;
  return t;
}

/// Nomad's groupConnectGuessTaskDriver: podman when the group runs podman tasks and no docker
/// ones, docker otherwise.
std::string GuessProxyDriver(const ir::TaskGroup& g) {
  bool podman = false, docker = false;
  for (const ir::Task& t : g.tasks) {
    podman |= t.driver == "podman";
    docker |= t.driver == "docker";
  }
  return podman && !docker ? "podman" : "docker";
}

ir::Task NewSidecarTask(const std::string& service, const std::string& driver,
                        const ir::Origin& origin) {
  ir::Task t = NewProxyTask(kProxyPrefix, service, origin);
  t.driver = driver;
  t.config = json{{"image", "${meta.connect.sidecar_image}"}, {"args", EnvoyArgs()}};
  t.lifecycle = ir::Lifecycle{ir::LifecycleHook::kPrestart, true, {}};
  t.constraints = {ConsulVersionConstraint("1.8.0"), ConsulGrpcConstraint()};
  return t;
}

/// A gateway whose ingress TLS sets versions or cipher suites needs Consul 1.11.2.
bool HasCustomizedTls(const json& connect) {
  const json* gateway = Member(connect, "Gateway");
  const json* ingress = gateway ? Member(*gateway, "Ingress") : nullptr;
  const json* tls = ingress ? Member(*ingress, "TLS") : nullptr;
  if (!tls) return false;
  const json* suites = Member(*tls, "CipherSuites");
  return !StringOr(*tls, "TLSMinVersion").empty() || !StringOr(*tls, "TLSMaxVersion").empty() ||
         (suites && suites->is_array() && !suites->empty());
}

ir::Task NewGatewayTask(const json& connect, const std::string& service, bool host_network,
                        const ir::Origin& origin) {
  ir::Task t = NewProxyTask(GatewayPrefix(connect), service, origin);
  t.driver = "docker";
  t.config = json{{"image", "${meta.connect.gateway_image}"}, {"args", EnvoyArgs()}};
  if (host_network) t.config["network_mode"] = "host";
  t.constraints = {ConsulVersionConstraint("1.8.0"), ConsulGrpcConstraint()};
  if (HasCustomizedTls(connect)) t.constraints.push_back(ConsulVersionConstraint("1.11.2"));
  return t;
}

void MergeStringMap(ir::StringMap& into, const json* from) {
  if (!from || !from->is_object()) return;
  for (const auto& [k, v] : from->items()) {
    if (v.is_string()) into[k] = v.get<std::string>();
  }
}

/// SidecarTask.MergeIntoTask, on `connect.sidecar_task` as Nomad's api package canonicalizes it.
void MergeSidecarTask(const json& connect, ir::Task& t) {
  const json* st = Member(connect, "SidecarTask");
  if (!st || !st->is_object()) return;
  if (std::string name = StringOr(*st, "Name"); !name.empty()) t.name = name;
  const json* config = Member(*st, "Config");
  std::string driver = StringOr(*st, "Driver");
  if (!driver.empty() && driver != t.driver) {
    t.driver = driver;
    t.config = config && config->is_object() ? *config : json::object();
  } else if (config && config->is_object()) {
    for (const auto& [k, v] : config->items()) t.config[k] = v;
  }
  if (std::string user = StringOr(*st, "User"); !user.empty()) t.user = user;
  MergeStringMap(t.env, Member(*st, "Env"));
  MergeStringMap(t.meta, Member(*st, "Meta"));

  // Resources: the api defaults a sidecar_task's resources (cpu 100 unless cores is set, memory
  // 300), then the server merges every non-zero value into the proxy's.
  const json empty = json::object();
  const json* res = Member(*st, "Resources");
  if (!res) res = &empty;
  std::optional<int64_t> cores = IntOf(*res, "Cores");
  int64_t cpu = IntOf(*res, "CPU").value_or(cores ? 0 : 100);
  int64_t memory = IntOf(*res, "MemoryMB").value_or(300);
  if (cpu != 0) t.resources.cpu = static_cast<int>(cpu);
  if (cores.value_or(0) != 0) t.resources.cores = static_cast<int>(*cores);
  if (memory != 0) t.resources.memory_mb = static_cast<int>(memory);
  if (auto v = IntOf(*res, "MemoryMaxMB"); v.value_or(0) != 0) {
    t.resources.memory_max_mb = static_cast<int>(*v);
  }
  if (auto v = IntOf(*res, "DiskMB"); v.value_or(0) != 0)
    t.resources.disk_mb = static_cast<int>(*v);

  const json* logs = Member(*st, "LogConfig");
  if (!logs) logs = &empty;
  t.log_config->max_files = static_cast<int>(IntOf(*logs, "MaxFiles").value_or(10));
  t.log_config->max_file_size_mb = static_cast<int>(IntOf(*logs, "MaxFileSizeMB").value_or(10));

  t.kill_timeout = ir::Duration(IntOf(*st, "KillTimeout").value_or(5'000'000'000));
  t.shutdown_delay = ir::Duration(IntOf(*st, "ShutdownDelay").value_or(0));
  if (std::string signal = StringOr(*st, "KillSignal"); !signal.empty()) t.kill_signal = signal;
}

/// Nomad's gatewayProxy(): unless the operator customized the bind settings, the gateway proxy
/// gets a 5s connect timeout and, on a bridge network, explicit bind addresses per gateway kind.
void DefaultGatewayProxy(json& connect, const std::string& network_mode) {
  json* gateway = Member(connect, "Gateway");
  if (!gateway || !gateway->is_object()) return;
  const json* proxy = Member(*gateway, "Proxy");
  if (proxy) {
    const json* binds = Member(*proxy, "EnvoyGatewayBindAddresses");
    bool has_binds = binds && binds->is_object() && !binds->empty();
    if (Truthy(*proxy, "EnvoyGatewayNoDefaultBind") ||
        Truthy(*proxy, "EnvoyGatewayBindTaggedAddresses") || has_binds) {
      return;  // customized: used as written
    }
  }
  json out = json::object();
  if (proxy) {
    for (const char* key : {"ConnectTimeout", "EnvoyDNSDiscoveryType", "Config"}) {
      if (const json* v = Member(*proxy, key)) out[key] = *v;
    }
  }
  if (!out.contains("ConnectTimeout")) out["ConnectTimeout"] = kDefaultGatewayConnectTimeoutNs;
  if (network_mode == "bridge") {
    auto bind = [](int64_t port) { return json{{"Address", "0.0.0.0"}, {"Port", port}}; };
    json addresses = json::object();
    if (const json* ingress = Member(*gateway, "Ingress")) {
      const json* listeners = Member(*ingress, "Listeners");
      if (listeners && listeners->is_array()) {
        for (const json& l : *listeners) {
          int64_t port = IntOf(l, "Port").value_or(0);
          const json* services = Member(l, "Services");
          if (!services || !services->is_array()) continue;
          for (const json& s : *services) addresses[StringOr(s, "Name")] = bind(port);
        }
      }
    } else if (Member(*gateway, "Terminating")) {
      addresses["default"] = bind(-1);
    } else if (Member(*gateway, "Mesh")) {
      addresses["wan"] = bind(-1);
      addresses["lan"] = bind(-1);
    }
    out["EnvoyGatewayNoDefaultBind"] = true;
    out["EnvoyGatewayBindTaggedAddresses"] = false;
    out["EnvoyGatewayBindAddresses"] = std::move(addresses);
  }
  (*gateway)["Proxy"] = std::move(out);
}

}  // namespace

bool HasSidecar(const json& connect) { return Member(connect, "SidecarService") != nullptr; }

bool IsNative(const json& connect) { return Truthy(connect, "Native"); }

bool IsGateway(const json& connect) { return Member(connect, "Gateway") != nullptr; }

bool IsMeshGateway(const json& connect) {
  const json* gateway = Member(connect, "Gateway");
  return gateway && Member(*gateway, "Mesh");
}

bool IsTerminatingGateway(const json& connect) {
  const json* gateway = Member(connect, "Gateway");
  return gateway && Member(*gateway, "Terminating");
}

int GatewayKindCount(const json& connect) {
  const json* gateway = Member(connect, "Gateway");
  if (!gateway) return 0;
  return (Member(*gateway, "Ingress") != nullptr) + (Member(*gateway, "Terminating") != nullptr) +
         (Member(*gateway, "Mesh") != nullptr);
}

std::string GatewayPrefix(const json& connect) {
  const json* gateway = Member(connect, "Gateway");
  if (gateway && Member(*gateway, "Mesh")) return std::string(kMeshPrefix);
  if (gateway && Member(*gateway, "Ingress")) return std::string(kIngressPrefix);
  return std::string(kTerminatingPrefix);
}

void ApplyConnectHook(ir::TaskGroup& g, const std::function<void(ir::Task&)>& canonicalize_task) {
  if (g.networks.empty()) return;
  for (ir::Service& s : g.services) {
    if (HasSidecar(s.connect)) {
      std::string kind = TaskKind(kProxyPrefix, s.name);
      if (!FindTaskByKind(g, kind)) {
        ir::Task t = NewSidecarTask(s.name, GuessProxyDriver(g), s.origin);
        if (HasTaskNamed(g, t.name)) t.name += "-" + StableSuffix(g.name + "/" + s.name);
        MergeSidecarTask(s.connect, t);
        canonicalize_task(t);
        g.tasks.push_back(std::move(t));
      }
      std::string port = StringOr(*Member(s.connect, "SidecarService"), "Port");
      InjectPort(g, port.empty() ? fmt::format("{}-{}", kProxyPrefix, s.name) : port);
    } else if (IsNative(s.connect)) {
      ir::Task* task = nullptr;
      if (s.task_name.empty()) {
        if (g.tasks.size() == 1) task = &g.tasks.front();
      } else {
        for (ir::Task& t : g.tasks) {
          if (t.name == s.task_name) task = &t;
        }
      }
      // Nomad rejects the job when the task is ambiguous or missing; Validate reports that.
      if (task) {
        task->kind = TaskKind(kNativePrefix, s.name);
        s.task_name = task->name;
      }
    } else if (IsGateway(s.connect)) {
      const std::string& mode = g.networks.front().mode;
      DefaultGatewayProxy(s.connect, mode);
      if (IsTerminatingGateway(s.connect) && s.port_label.empty()) {
        s.port_label = fmt::format("{}-{}", kTerminatingPrefix, s.name);
        InjectPort(g, s.port_label);
      }
      if (IsMeshGateway(s.connect)) {
        // Without a port Nomad rejects the job (Validate reports it); the LAN port is added anyway.
        InjectPort(g, fmt::format("{}-{}-lan", kMeshPrefix, s.name));
      }
      if (!HasGatewayTask(g, s.name)) {
        ir::Task t = NewGatewayTask(s.connect, s.name, mode == "host", s.origin);
        MergeSidecarTask(s.connect, t);
        canonicalize_task(t);
        g.tasks.push_back(std::move(t));
      }
    }
  }
}

}  // namespace drover::sema::internal
