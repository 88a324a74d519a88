// Agent configuration binders and the file merge (see agent_config_decoder.h).
#include "compiler/decode/agent_config_decoder.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "compiler/decode/body_decoder.h"
#include "compiler/schema/agent_schema.h"

namespace drover::decode {
namespace {

constexpr std::array<std::string_view, 6> kLogLevels = {"TRACE", "DEBUG", "INFO",
                                                        "WARN",  "ERROR", "OFF"};

ir::AgentAddresses BindAddresses(const DecodedBlock& block) {
  ir::AgentAddresses a;
  block.body.FillOrigin(a.origin);
  Assign(a.http, block.body.String("http"));
  Assign(a.rpc, block.body.String("rpc"));
  Assign(a.serf, block.body.String("serf"));
  return a;
}

ir::ServerJoinConfig BindServerJoin(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::ServerJoinConfig j;
  b.FillOrigin(j.origin);
  Assign(j.retry_join, b.StringList("retry_join"));
  j.retry_max = IntField(b, "retry_max");
  j.retry_interval = b.Duration("retry_interval");
  Assign(j.start_join, b.StringList("start_join"));
  return j;
}

ir::ServerConfig BindServer(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::ServerConfig s;
  b.FillOrigin(s.origin);
  s.enabled = b.Bool("enabled");
  s.bootstrap_expect = IntField(b, "bootstrap_expect");
  Assign(s.data_dir, b.String("data_dir"));
  s.num_schedulers = IntField(b, "num_schedulers");
  Assign(s.enabled_schedulers, b.StringList("enabled_schedulers"));
  s.heartbeat_grace = b.Duration("heartbeat_grace");
  s.min_heartbeat_ttl = b.Duration("min_heartbeat_ttl");
  Assign(s.encrypt, b.String("encrypt"));
  s.raft_protocol = IntField(b, "raft_protocol");
  s.node_gc_threshold = b.Duration("node_gc_threshold");
  s.job_gc_threshold = b.Duration("job_gc_threshold");
  s.eval_gc_threshold = b.Duration("eval_gc_threshold");
  s.deployment_gc_threshold = b.Duration("deployment_gc_threshold");
  Assign(s.retry_join, b.StringList("retry_join"));
  Assign(s.start_join, b.StringList("start_join"));
  if (const DecodedBlock* sj = b.Block("server_join")) s.server_join = BindServerJoin(*sj);
  if (auto j = b.Json("default_scheduler_config")) s.default_scheduler_config = std::move(*j);
  return s;
}

ir::ClientConfig BindClient(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::ClientConfig c;
  b.FillOrigin(c.origin);
  c.enabled = b.Bool("enabled");
  Assign(c.state_dir, b.String("state_dir"));
  Assign(c.alloc_dir, b.String("alloc_dir"));
  Assign(c.servers, b.StringList("servers"));
  Assign(c.node_class, b.String("node_class"));
  Assign(c.node_pool, b.String("node_pool"));
  Assign(c.network_interface, b.String("network_interface"));
  c.network_speed = IntField(b, "network_speed");
  c.cpu_total_compute = IntField(b, "cpu_total_compute");
  c.memory_total_mb = IntField(b, "memory_total_mb");
  c.max_kill_timeout = b.Duration("max_kill_timeout");
  c.gc_interval = b.Duration("gc_interval");
  Assign(c.options, b.StringMap("options"));
  Assign(c.meta, b.StringMap("meta"));
  Assign(c.chroot_env, b.StringMap("chroot_env"));
  c.min_dynamic_port = IntField(b, "min_dynamic_port");
  c.max_dynamic_port = IntField(b, "max_dynamic_port");
  Assign(c.cni_path, b.String("cni_path"));
  Assign(c.bridge_network_name, b.String("bridge_network_name"));
  Assign(c.bridge_network_subnet, b.String("bridge_network_subnet"));
  if (const DecodedBlock* r = b.Block("reserved")) {
    ir::ReservedResourcesConfig res;
    r->body.FillOrigin(res.origin);
    res.cpu = IntField(r->body, "cpu");
    res.cores = IntField(r->body, "cores");
    res.memory_mb = IntField(r->body, "memory");
    res.disk_mb = IntField(r->body, "disk");
    Assign(res.reserved_ports, r->body.String("reserved_ports"));
    c.reserved = std::move(res);
  }
  for (const DecodedBlock* hn : b.Blocks("host_network")) {
    ir::HostNetworkConfig n;
    hn->body.FillOrigin(n.origin);
    n.name = hn->labels[0];
    Assign(n.cidr, hn->body.String("cidr"));
    Assign(n.interface, hn->body.String("interface"));
    Assign(n.reserved_ports, hn->body.String("reserved_ports"));
    c.host_networks.push_back(std::move(n));
  }
  for (const DecodedBlock* hv : b.Blocks("host_volume")) {
    ir::HostVolumeConfig v;
    hv->body.FillOrigin(v.origin);
    v.name = hv->labels[0];
    Assign(v.path, hv->body.String("path"));
    Assign(v.read_only, hv->body.Bool("read_only"));
    c.host_volumes.push_back(std::move(v));
  }
  if (const DecodedBlock* sj = b.Block("server_join")) c.server_join = BindServerJoin(*sj);
  return c;
}

ir::ConsulConfig BindConsul(const DecodedBlock& block) {
  const DecodedBody& b = block.body;
  ir::ConsulConfig c;
  b.FillOrigin(c.origin);
  Assign(c.address, b.String("address"));
  Assign(c.grpc_address, b.String("grpc_address"));
  Assign(c.token, b.String("token"));
  Assign(c.auth, b.String("auth"));
  Assign(c.namespace_, b.String("namespace"));
  c.ssl = b.Bool("ssl");
  c.verify_ssl = b.Bool("verify_ssl");
  Assign(c.ca_file, b.String("ca_file"));
  Assign(c.cert_file, b.String("cert_file"));
  Assign(c.key_file, b.String("key_file"));
  Assign(c.server_service_name, b.String("server_service_name"));
  Assign(c.client_service_name, b.String("client_service_name"));
  Assign(c.tags, b.StringList("tags"));
  c.auto_advertise = b.Bool("auto_advertise");
  c.server_auto_join = b.Bool("server_auto_join");
  c.client_auto_join = b.Bool("client_auto_join");
  c.checks_use_advertise = b.Bool("checks_use_advertise");
  return c;
}

// ---- merging ------------------------------------------------------------------------------------

template <typename T>
void Over(std::optional<T>& base, const std::optional<T>& overlay) {
  if (overlay) base = overlay;
}
void Over(std::string& base, const std::string& overlay) {
  if (!overlay.empty()) base = overlay;
}
void Over(std::vector<std::string>& base, const std::vector<std::string>& overlay) {
  if (!overlay.empty()) base = overlay;
}
void Over(ir::StringMap& base, const ir::StringMap& overlay) {
  for (const auto& [k, v] : overlay) base[k] = v;
}
void Over(nlohmann::json& base, const nlohmann::json& overlay) {
  if (!overlay.is_null()) base = overlay;
}
void OverOrigin(ir::Origin& base, const ir::Origin& overlay) {
  if (overlay.range.IsValid()) base.range = overlay.range;
  for (const auto& [name, range] : overlay.fields) base.Set(name, range);
}

void Over(ir::AgentAddresses& base, const ir::AgentAddresses& o) {
  Over(base.http, o.http);
  Over(base.rpc, o.rpc);
  Over(base.serf, o.serf);
  OverOrigin(base.origin, o.origin);
}

void Over(ir::ServerJoinConfig& base, const ir::ServerJoinConfig& o) {
  Over(base.retry_join, o.retry_join);
  Over(base.retry_max, o.retry_max);
  Over(base.retry_interval, o.retry_interval);
  Over(base.start_join, o.start_join);
  OverOrigin(base.origin, o.origin);
}

void Over(ir::ServerConfig& b, const ir::ServerConfig& o);
void Over(ir::ReservedResourcesConfig& b, const ir::ReservedResourcesConfig& o);
void Over(ir::ClientConfig& b, const ir::ClientConfig& o);
void Over(ir::ConsulConfig& b, const ir::ConsulConfig& o);

template <typename T>
void OverBlock(std::optional<T>& base, const std::optional<T>& overlay) {
  if (!overlay) return;
  if (!base) {
    base = overlay;
    return;
  }
  Over(*base, *overlay);
}

template <typename T>
void OverNamed(std::vector<T>& base, const std::vector<T>& overlay) {
  for (const T& item : overlay) {
    auto it =
        std::find_if(base.begin(), base.end(), [&](const T& b) { return b.name == item.name; });
    if (it == base.end()) {
      base.push_back(item);
    } else {
      *it = item;
    }
  }
}

void Over(ir::ServerConfig& b, const ir::ServerConfig& o) {
  Over(b.enabled, o.enabled);
  Over(b.bootstrap_expect, o.bootstrap_expect);
  Over(b.data_dir, o.data_dir);
  Over(b.num_schedulers, o.num_schedulers);
  Over(b.enabled_schedulers, o.enabled_schedulers);
  Over(b.heartbeat_grace, o.heartbeat_grace);
  Over(b.min_heartbeat_ttl, o.min_heartbeat_ttl);
  Over(b.encrypt, o.encrypt);
  Over(b.raft_protocol, o.raft_protocol);
  Over(b.node_gc_threshold, o.node_gc_threshold);
  Over(b.job_gc_threshold, o.job_gc_threshold);
  Over(b.eval_gc_threshold, o.eval_gc_threshold);
  Over(b.deployment_gc_threshold, o.deployment_gc_threshold);
  Over(b.retry_join, o.retry_join);
  Over(b.start_join, o.start_join);
  OverBlock(b.server_join, o.server_join);
  Over(b.default_scheduler_config, o.default_scheduler_config);
  OverOrigin(b.origin, o.origin);
}

void Over(ir::ReservedResourcesConfig& b, const ir::ReservedResourcesConfig& o) {
  Over(b.cpu, o.cpu);
  Over(b.cores, o.cores);
  Over(b.memory_mb, o.memory_mb);
  Over(b.disk_mb, o.disk_mb);
  Over(b.reserved_ports, o.reserved_ports);
  OverOrigin(b.origin, o.origin);
}

void Over(ir::ClientConfig& b, const ir::ClientConfig& o) {
  Over(b.enabled, o.enabled);
  Over(b.state_dir, o.state_dir);
  Over(b.alloc_dir, o.alloc_dir);
  Over(b.servers, o.servers);
  Over(b.node_class, o.node_class);
  Over(b.node_pool, o.node_pool);
  Over(b.network_interface, o.network_interface);
  Over(b.network_speed, o.network_speed);
  Over(b.cpu_total_compute, o.cpu_total_compute);
  Over(b.memory_total_mb, o.memory_total_mb);
  Over(b.max_kill_timeout, o.max_kill_timeout);
  Over(b.gc_interval, o.gc_interval);
  Over(b.options, o.options);
  Over(b.meta, o.meta);
  Over(b.chroot_env, o.chroot_env);
  Over(b.min_dynamic_port, o.min_dynamic_port);
  Over(b.max_dynamic_port, o.max_dynamic_port);
  Over(b.cni_path, o.cni_path);
  Over(b.bridge_network_name, o.bridge_network_name);
  Over(b.bridge_network_subnet, o.bridge_network_subnet);
  OverBlock(b.reserved, o.reserved);
  OverNamed(b.host_networks, o.host_networks);
  OverNamed(b.host_volumes, o.host_volumes);
  OverBlock(b.server_join, o.server_join);
  OverOrigin(b.origin, o.origin);
}

void Over(ir::ConsulConfig& b, const ir::ConsulConfig& o) {
  Over(b.address, o.address);
  Over(b.grpc_address, o.grpc_address);
  Over(b.token, o.token);
  Over(b.auth, o.auth);
  Over(b.namespace_, o.namespace_);
  Over(b.ssl, o.ssl);
  Over(b.verify_ssl, o.verify_ssl);
  Over(b.ca_file, o.ca_file);
  Over(b.cert_file, o.cert_file);
  Over(b.key_file, o.key_file);
  Over(b.server_service_name, o.server_service_name);
  Over(b.client_service_name, o.client_service_name);
  Over(b.tags, o.tags);
  Over(b.auto_advertise, o.auto_advertise);
  Over(b.server_auto_join, o.server_auto_join);
  Over(b.client_auto_join, o.client_auto_join);
  Over(b.checks_use_advertise, o.checks_use_advertise);
  OverOrigin(b.origin, o.origin);
}

}  // namespace

ir::AgentConfig DecodeAgentConfig(const eval::EvalBody& body, diag::DiagnosticEngine& diags) {
  DecodedBody b =
      DecodeBody(body, schema::AgentConfigSchema(), "the agent configuration", {}, diags);
  ir::AgentConfig c;
  b.FillOrigin(c.origin);
  Assign(c.region, b.String("region"));
  Assign(c.datacenter, b.String("datacenter"));
  Assign(c.name, b.String("name"));
  Assign(c.data_dir, b.String("data_dir"));
  Assign(c.plugin_dir, b.String("plugin_dir"));
  if (auto level = b.String("log_level")) {
    std::string upper = *level;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (std::find(kLogLevels.begin(), kLogLevels.end(), upper) != kLogLevels.end()) {
      c.log_level = upper;
    } else {
      diags.Build(diag::DiagKind::kInvalidEnumValue, b.Range("log_level"), *level, "log_level",
                  "`TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`, `OFF`");
    }
  }
  c.log_json = b.Bool("log_json");
  Assign(c.log_file, b.String("log_file"));
  Assign(c.bind_addr, b.String("bind_addr"));
  c.enable_debug = b.Bool("enable_debug");
  c.leave_on_interrupt = b.Bool("leave_on_interrupt");
  c.leave_on_terminate = b.Bool("leave_on_terminate");
  c.disable_update_check = b.Bool("disable_update_check");
  if (const DecodedBlock* a = b.Block("addresses")) c.addresses = BindAddresses(*a);
  if (const DecodedBlock* a = b.Block("advertise")) c.advertise = BindAddresses(*a);
  if (const DecodedBlock* p = b.Block("ports")) {
    p->body.FillOrigin(c.ports.origin);
    c.ports.http = IntField(p->body, "http");
    c.ports.rpc = IntField(p->body, "rpc");
    c.ports.serf = IntField(p->body, "serf");
  }
  if (const DecodedBlock* s = b.Block("server")) c.server = BindServer(*s);
  if (const DecodedBlock* cl = b.Block("client")) c.client = BindClient(*cl);
  for (const DecodedBlock* p : b.Blocks("plugin")) {
    ir::PluginConfig plugin;
    p->body.FillOrigin(plugin.origin);
    plugin.origin.Set("name", p->source->label_ranges[0]);
    plugin.name = p->labels[0];
    Assign(plugin.args, p->body.StringList("args"));
    if (auto config = p->body.Json("config")) plugin.config = std::move(*config);
    auto same = std::find_if(c.plugins.begin(), c.plugins.end(),
                             [&](const ir::PluginConfig& q) { return q.name == plugin.name; });
    if (same != c.plugins.end()) {
      diags
          .Build(diag::DiagKind::kDuplicateLabel, p->source->label_ranges[0], "`plugin` block",
                 plugin.name)
          .Note(same->origin.Field("name"), "first defined here");
      continue;
    }
    c.plugins.push_back(std::move(plugin));
  }
  if (const DecodedBlock* cs = b.Block("consul")) c.consul = BindConsul(*cs);
  for (std::string_view name :
       {"telemetry", "acl", "tls", "ui", "vault", "autopilot", "limits", "audit"}) {
    if (auto j = b.Json(name)) c.unused[std::string(name)] = std::move(*j);
  }
  return c;
}

void MergeAgentConfig(ir::AgentConfig& b, const ir::AgentConfig& o) {
  Over(b.region, o.region);
  Over(b.datacenter, o.datacenter);
  Over(b.name, o.name);
  Over(b.data_dir, o.data_dir);
  Over(b.plugin_dir, o.plugin_dir);
  Over(b.log_level, o.log_level);
  Over(b.log_json, o.log_json);
  Over(b.log_file, o.log_file);
  Over(b.bind_addr, o.bind_addr);
  Over(b.enable_debug, o.enable_debug);
  Over(b.leave_on_interrupt, o.leave_on_interrupt);
  Over(b.leave_on_terminate, o.leave_on_terminate);
  Over(b.disable_update_check, o.disable_update_check);
  Over(b.addresses, o.addresses);
  Over(b.advertise, o.advertise);
  Over(b.ports.http, o.ports.http);
  Over(b.ports.rpc, o.ports.rpc);
  Over(b.ports.serf, o.ports.serf);
  OverOrigin(b.ports.origin, o.ports.origin);
  OverBlock(b.server, o.server);
  OverBlock(b.client, o.client);
  OverNamed(b.plugins, o.plugins);
  OverBlock(b.consul, o.consul);
  for (const auto& [k, v] : o.unused.items()) b.unused[k] = v;
  OverOrigin(b.origin, o.origin);
}

}  // namespace drover::decode
