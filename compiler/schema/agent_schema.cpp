// The agent configuration schema as constant tables (names after Nomad's command/agent config).
#include "compiler/schema/agent_schema.h"

#include <array>
#include <cstdint>

namespace drover::schema {
namespace {

using V = ValueType;

constexpr AttrSpec Str(std::string_view n) { return {.name = n, .type = V::kString}; }
constexpr AttrSpec Int(std::string_view n, int64_t min = 0, int64_t max = INT32_MAX) {
  return {.name = n, .type = V::kInt, .min = min, .max = max};
}
constexpr AttrSpec Bool(std::string_view n) { return {.name = n, .type = V::kBool}; }
constexpr AttrSpec Dur(std::string_view n) { return {.name = n, .type = V::kDuration}; }
constexpr AttrSpec List(std::string_view n) { return {.name = n, .type = V::kStringList}; }
constexpr AttrSpec Map(std::string_view n) {
  return {.name = n, .type = V::kStringMap, .form = Form::kEither};
}
constexpr AttrSpec Any(std::string_view n) {
  return {.name = n, .type = V::kAny, .form = Form::kEither};
}

constexpr std::array<std::string_view, 1> kNameLabel = {"name"};
constexpr BlockRef One(std::string_view type, const BlockSpec* spec) {
  return {.type = type, .spec = spec, .repeat = Repeat::kOne};
}
constexpr BlockRef Named(std::string_view type, const BlockSpec* spec) {
  return {.type = type, .spec = spec, .labels = kNameLabel, .repeat = Repeat::kMany};
}

constexpr std::array kAddressAttrs = {Str("http"), Str("rpc"), Str("serf")};
constexpr BlockSpec kAddresses{.name = "addresses", .attributes = kAddressAttrs};
constexpr BlockSpec kAdvertise{.name = "advertise", .attributes = kAddressAttrs};
constexpr std::array kPortsAttrs = {Int("http", 0, 65535), Int("rpc", 0, 65535),
                                    Int("serf", 0, 65535)};
constexpr BlockSpec kPorts{.name = "ports", .attributes = kPortsAttrs};

constexpr std::array kServerJoinAttrs = {
    List("retry_join"), Int("retry_max"), Dur("retry_interval"), List("start_join"),
};
constexpr BlockSpec kServerJoin{.name = "server_join", .attributes = kServerJoinAttrs};

constexpr std::array kServerAttrs = {
    Bool("enabled"),            Int("bootstrap_expect"),     Str("data_dir"),
    Int("num_schedulers"),      List("enabled_schedulers"),  Dur("heartbeat_grace"),
    Dur("min_heartbeat_ttl"),   Str("encrypt"),              Int("raft_protocol"),
    Dur("node_gc_threshold"),   Dur("job_gc_threshold"),     Dur("eval_gc_threshold"),
    Dur("deployment_gc_threshold"), List("retry_join"),      List("start_join"),
    Str("node_gc_interval"),    Any("default_scheduler_config"),
};
constexpr std::array kServerBlocks = {One("server_join", &kServerJoin)};
constexpr BlockSpec kServer{.name = "server", .attributes = kServerAttrs, .blocks = kServerBlocks};

constexpr std::array kReservedAttrs = {
    Int("cpu"), Int("cores"), Int("memory"), Int("disk"), Str("reserved_ports"),
};
constexpr BlockSpec kReserved{.name = "reserved", .attributes = kReservedAttrs};

constexpr std::array kHostNetworkAttrs = {Str("cidr"), Str("interface"), Str("reserved_ports")};
constexpr BlockSpec kHostNetwork{.name = "host_network", .attributes = kHostNetworkAttrs};

constexpr std::array kHostVolumeAttrs = {Str("path"), Bool("read_only")};
constexpr BlockSpec kHostVolume{.name = "host_volume", .attributes = kHostVolumeAttrs};

constexpr std::array kClientAttrs = {
    Bool("enabled"),           Str("state_dir"),          Str("alloc_dir"),
    List("servers"),           Str("node_class"),         Str("node_pool"),
    Str("network_interface"),  Int("network_speed"),      Int("cpu_total_compute"),
    Int("memory_total_mb"),    Dur("max_kill_timeout"),   Map("options"),
    Map("meta"),               Int("min_dynamic_port", 0, 65535),
    Int("max_dynamic_port", 0, 65535), Dur("gc_interval"), Map("chroot_env"),
    Str("cni_path"),           Str("bridge_network_name"), Str("bridge_network_subnet"),
};
constexpr std::array kClientBlocks = {
    One("reserved", &kReserved),
    Named("host_network", &kHostNetwork),
    Named("host_volume", &kHostVolume),
    One("server_join", &kServerJoin),
};
constexpr BlockSpec kClient{.name = "client", .attributes = kClientAttrs, .blocks = kClientBlocks};

constexpr std::array kPluginAttrs = {List("args"), Any("config")};
constexpr BlockSpec kPlugin{.name = "plugin", .attributes = kPluginAttrs};

constexpr std::array kConsulAttrs = {
    Str("address"),              Str("token"),           Bool("ssl"),
    Bool("verify_ssl"),          Str("ca_file"),         Str("cert_file"),
    Str("key_file"),             Str("auth"),            Str("server_service_name"),
    Str("client_service_name"),  List("tags"),           Bool("auto_advertise"),
    Bool("server_auto_join"),    Bool("client_auto_join"), Bool("checks_use_advertise"),
    Str("grpc_address"),         Str("namespace"),
};
constexpr BlockSpec kConsul{.name = "consul", .attributes = kConsulAttrs};

constexpr std::array kAgentAttrs = {
    Str("region"),         Str("datacenter"),        Str("name"),
    Str("data_dir"),       Str("plugin_dir"),        Str("log_level"),
    Bool("log_json"),      Str("log_file"),          Str("bind_addr"),
    Bool("enable_debug"),  Bool("leave_on_interrupt"), Bool("leave_on_terminate"),
    Bool("disable_update_check"),
    // Accepted and kept as JSON; drover does not act on them yet.
    Any("telemetry"), Any("acl"), Any("tls"), Any("ui"), Any("vault"), Any("autopilot"),
    Any("limits"), Any("audit"),
};
constexpr std::array kAgentBlocks = {
    One("addresses", &kAddresses), One("advertise", &kAdvertise), One("ports", &kPorts),
    One("server", &kServer),       One("client", &kClient),       Named("plugin", &kPlugin),
    One("consul", &kConsul),
};
constexpr BlockSpec kAgent{.name = "agent configuration", .attributes = kAgentAttrs,
                           .blocks = kAgentBlocks};

}  // namespace

const BlockSpec& AgentConfigSchema() { return kAgent; }

}  // namespace drover::schema
