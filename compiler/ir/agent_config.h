// The typed configuration of a drover agent (`drover agent -config FILE|DIR`), after Nomad's
// agent configuration. compiler/decode fills it from one file (HCL or HCL's JSON form) and merges
// several (a directory's *.hcl and *.json in name order; a later file wins). As in the job IR,
// std::optional and empty strings mean "not written": the agent applies its own defaults, and
// Origin keeps where each block and attribute came from (excluded from equality).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/ir/job.h"
#include "compiler/ir/origin.h"

namespace drover::ir {

/// `addresses { }` / `advertise { }`: host or host:port per protocol.
struct AgentAddresses {
  std::string http;
  std::string rpc;
  std::string serf;
  Origin origin;
  bool operator==(const AgentAddresses&) const = default;
};

/// `ports { }`: defaults 4646 (HTTP), 4647 (RPC), 4648 (Serf) when unset.
struct AgentPorts {
  std::optional<int> http;
  std::optional<int> rpc;
  std::optional<int> serf;
  Origin origin;
  bool operator==(const AgentPorts&) const = default;
};

/// `server_join { }` (server and client).
struct ServerJoinConfig {
  std::vector<std::string> retry_join;
  std::optional<int> retry_max;
  std::optional<Duration> retry_interval;
  std::vector<std::string> start_join;
  Origin origin;
  bool operator==(const ServerJoinConfig&) const = default;
};

struct ServerConfig {
  std::optional<bool> enabled;
  std::optional<int> bootstrap_expect;
  std::string data_dir;
  std::optional<int> num_schedulers;
  std::vector<std::string> enabled_schedulers;
  std::optional<Duration> heartbeat_grace;
  std::optional<Duration> min_heartbeat_ttl;
  std::string encrypt;
  std::optional<int> raft_protocol;
  std::optional<Duration> node_gc_threshold;
  std::optional<Duration> job_gc_threshold;
  std::optional<Duration> eval_gc_threshold;
  std::optional<Duration> deployment_gc_threshold;
  std::vector<std::string> retry_join;
  std::vector<std::string> start_join;
  std::optional<ServerJoinConfig> server_join;
  nlohmann::json default_scheduler_config;  ///< null when absent
  Origin origin;
  bool operator==(const ServerConfig&) const = default;
};

/// `client { reserved { } }`: resources kept back from allocations.
struct ReservedResourcesConfig {
  std::optional<int> cpu;
  std::optional<int> cores;
  std::optional<int> memory_mb;
  std::optional<int> disk_mb;
  std::string reserved_ports;  ///< "22,80,8000-8100"
  Origin origin;
  bool operator==(const ReservedResourcesConfig&) const = default;
};

/// `client { host_network "<name>" { } }`.
struct HostNetworkConfig {
  std::string name;
  std::string cidr;
  std::string interface;
  std::string reserved_ports;
  Origin origin;
  bool operator==(const HostNetworkConfig&) const = default;
};

/// `client { host_volume "<name>" { } }`.
struct HostVolumeConfig {
  std::string name;
  std::string path;
  bool read_only = false;
  Origin origin;
  bool operator==(const HostVolumeConfig&) const = default;
};

struct ClientConfig {
  std::optional<bool> enabled;
  std::string state_dir;
  std::string alloc_dir;
  std::vector<std::string> servers;
  std::string node_class;
  std::string node_pool;
  std::string network_interface;
  std::optional<int> network_speed;
  std::optional<int> cpu_total_compute;
  std::optional<int> memory_total_mb;
  std::optional<Duration> max_kill_timeout;
  std::optional<Duration> gc_interval;
  StringMap options;
  StringMap meta;
  StringMap chroot_env;
  std::optional<int> min_dynamic_port;
  std::optional<int> max_dynamic_port;
  std::string cni_path;
  std::string bridge_network_name;
  std::string bridge_network_subnet;
  std::optional<ReservedResourcesConfig> reserved;
  std::vector<HostNetworkConfig> host_networks;
  std::vector<HostVolumeConfig> host_volumes;
  std::optional<ServerJoinConfig> server_join;
  Origin origin;
  bool operator==(const ClientConfig&) const = default;
};

/// `plugin "<driver>" { args = [...], config { ... } }`.
struct PluginConfig {
  std::string name;
  std::vector<std::string> args;
  nlohmann::json config;  ///< the plugin's own settings as JSON (blocks as arrays); null if absent
  Origin origin;
  bool operator==(const PluginConfig&) const = default;
};

struct ConsulConfig {
  std::string address;
  std::string grpc_address;
  std::string token;
  std::string auth;
  std::string namespace_;
  std::optional<bool> ssl;
  std::optional<bool> verify_ssl;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_service_name;
  std::string client_service_name;
  std::vector<std::string> tags;
  std::optional<bool> auto_advertise;
  std::optional<bool> server_auto_join;
  std::optional<bool> client_auto_join;
  std::optional<bool> checks_use_advertise;
  Origin origin;
  bool operator==(const ConsulConfig&) const = default;
};

struct AgentConfig {
  std::string region;
  std::string datacenter;
  std::string name;
  std::string data_dir;
  std::string plugin_dir;
  std::string log_level;  ///< upper-cased: TRACE, DEBUG, INFO, WARN, ERROR, OFF
  std::optional<bool> log_json;
  std::string log_file;
  std::string bind_addr;
  std::optional<bool> enable_debug;
  std::optional<bool> leave_on_interrupt;
  std::optional<bool> leave_on_terminate;
  std::optional<bool> disable_update_check;
  AgentAddresses addresses;
  AgentAddresses advertise;
  AgentPorts ports;
  std::optional<ServerConfig> server;
  std::optional<ClientConfig> client;
  std::vector<PluginConfig> plugins;
  std::optional<ConsulConfig> consul;
  /// Blocks accepted but not acted on yet (telemetry, acl, tls, ui, vault, autopilot, limits,
  /// audit), by name, as JSON.
  nlohmann::json unused = nlohmann::json::object();
  Origin origin;
  bool operator==(const AgentConfig&) const = default;

  const PluginConfig* FindPlugin(std::string_view plugin_name) const {
    for (const PluginConfig& p : plugins) {
      if (p.name == plugin_name) return &p;
    }
    return nullptr;
  }
};

}  // namespace drover::ir
