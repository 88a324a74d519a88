// The job file schema as constant tables. Names and shapes follow Nomad 1.6's api structs (their
// `hcl:` tags) and jobspec2's special cases; API names (PascalCase) are filled in where a part is
// rendered to Nomad's JSON generically (Consul Connect, and the resources/logs of a sidecar task).
#include "compiler/schema/job_schema.h"

#include <array>
#include <cstdint>

namespace drover::schema {
namespace {

using V = ValueType;

// ---- helpers ------------------------------------------------------------------------------------

constexpr AttrSpec Str(std::string_view n, std::string_view api = {}) {
  return {.name = n, .type = V::kString, .api_name = api};
}
constexpr AttrSpec Num(std::string_view n, std::string_view api = {}) {
  return {.name = n, .type = V::kNumber, .api_name = api};
}
constexpr AttrSpec Int(std::string_view n, std::string_view api = {},
                       int64_t min = INT32_MIN, int64_t max = INT32_MAX) {
  return {.name = n, .type = V::kInt, .min = min, .max = max, .api_name = api};
}
constexpr AttrSpec Bool(std::string_view n, std::string_view api = {}) {
  return {.name = n, .type = V::kBool, .api_name = api};
}
constexpr AttrSpec Dur(std::string_view n, std::string_view api = {}) {
  return {.name = n, .type = V::kDuration, .api_name = api};
}
constexpr AttrSpec Enum(std::string_view n, std::span<const std::string_view> values,
                        std::string_view api = {}) {
  return {.name = n, .type = V::kEnum, .enum_values = values, .api_name = api};
}
constexpr AttrSpec List(std::string_view n, std::string_view api = {}) {
  return {.name = n, .type = V::kStringList, .api_name = api};
}
constexpr AttrSpec Map(std::string_view n, std::string_view api = {}) {
  return {.name = n, .type = V::kStringMap, .form = Form::kEither, .api_name = api};
}
constexpr AttrSpec Any(std::string_view n, std::string_view api = {}) {
  return {.name = n, .type = V::kAny, .form = Form::kEither, .api_name = api};
}
constexpr AttrSpec Required(AttrSpec a) {
  a.required = true;
  return a;
}

constexpr std::array<std::string_view, 1> kNameLabel = {"name"};
constexpr std::array<std::string_view, 1> kLabelLabel = {"label"};
constexpr std::array<std::string_view, 1> kValueLabel = {"value"};

constexpr BlockRef One(std::string_view type, const BlockSpec* spec, std::string_view api = {}) {
  return {.type = type, .spec = spec, .repeat = Repeat::kOne, .api_name = api};
}
constexpr BlockRef Many(std::string_view type, const BlockSpec* spec, std::string_view api = {}) {
  return {.type = type, .spec = spec, .repeat = Repeat::kMany, .api_name = api};
}
constexpr BlockRef Named(std::string_view type, const BlockSpec* spec,
                         std::span<const std::string_view> labels = kNameLabel,
                         std::string_view api = {}) {
  return {.type = type, .spec = spec, .labels = labels, .repeat = Repeat::kMany, .api_name = api};
}

// ---- enum spellings ---------------------------------------------------------------------------

constexpr std::array<std::string_view, 4> kJobType = {"service", "batch", "system", "sysbatch"};
constexpr std::array<std::string_view, 2> kRestartMode = {"fail", "delay"};
constexpr std::array<std::string_view, 3> kDelayFunction = {"constant", "exponential",
                                                             "fibonacci"};
constexpr std::array<std::string_view, 3> kHealthCheck = {"checks", "task_states", "manual"};
constexpr std::array<std::string_view, 4> kCheckType = {"http", "tcp", "script", "grpc"};
constexpr std::array<std::string_view, 4> kAddressMode = {"auto", "host", "driver", "alloc"};
constexpr std::array<std::string_view, 2> kProvider = {"consul", "nomad"};
constexpr std::array<std::string_view, 3> kOnUpdate = {"require_healthy", "ignore_warnings",
                                                        "ignore"};
constexpr std::array<std::string_view, 3> kHook = {"prestart", "poststart", "poststop"};
constexpr std::array<std::string_view, 3> kArtifactMode = {"any", "file", "dir"};
constexpr std::array<std::string_view, 4> kChangeMode = {"restart", "signal", "noop", "script"};
constexpr std::array<std::string_view, 3> kVaultChangeMode = {"restart", "signal", "noop"};
constexpr std::array<std::string_view, 2> kVolumeType = {"host", "csi"};
constexpr std::array<std::string_view, 3> kScalingType = {"horizontal", "vertical_cpu",
                                                           "vertical_mem"};
constexpr std::array<std::string_view, 3> kInitialStatus = {"passing", "warning", "critical"};
constexpr std::array<std::string_view, 3> kCsiPluginType = {"controller", "node", "monolith"};
constexpr std::array<std::string_view, 3> kPayload = {"optional", "required", "forbidden"};

// ---- placement ----------------------------------------------------------------------------------

constexpr std::array kConstraintAttrs = {
    Str("attribute"),      Str("value"),        Str("operator"),     Str("distinct_property"),
    Bool("distinct_hosts"), Str("regexp"),      Str("version"),      Str("semver"),
    Str("set_contains"),   Str("set_contains_all"), Str("set_contains_any"), Str("is_set"),
    Str("is_not_set"),
};
constexpr BlockSpec kConstraint{.name = "constraint", .attributes = kConstraintAttrs};

constexpr std::array kAffinityAttrs = {
    Str("attribute"),       Str("value"),           Str("operator"),
    Int("weight", {}, INT8_MIN, INT8_MAX), Str("regexp"), Str("version"),
    Str("semver"),          Str("set_contains"),    Str("set_contains_all"),
    Str("set_contains_any"),
};
constexpr BlockSpec kAffinity{.name = "affinity", .attributes = kAffinityAttrs};

constexpr std::array kSpreadTargetAttrs = {Int("percent", {}, 0, UINT8_MAX)};
constexpr BlockSpec kSpreadTarget{.name = "target", .attributes = kSpreadTargetAttrs};
constexpr std::array kSpreadAttrs = {Str("attribute"), Int("weight", {}, INT8_MIN, INT8_MAX)};
constexpr std::array kSpreadBlocks = {Named("target", &kSpreadTarget, kValueLabel)};
constexpr BlockSpec kSpread{.name = "spread", .attributes = kSpreadAttrs, .blocks = kSpreadBlocks};

// ---- policies -----------------------------------------------------------------------------------

constexpr std::array kRestartAttrs = {
    Int("attempts"), Dur("interval"), Dur("delay"), Enum("mode", kRestartMode),
    Bool("render_templates"),
};
constexpr BlockSpec kRestart{.name = "restart", .attributes = kRestartAttrs};

constexpr std::array kRescheduleAttrs = {
    Int("attempts"),     Dur("interval"),  Dur("delay"), Enum("delay_function", kDelayFunction),
    Dur("max_delay"),    Bool("unlimited"),
};
constexpr BlockSpec kReschedule{.name = "reschedule", .attributes = kRescheduleAttrs};

constexpr std::array kUpdateAttrs = {
    Dur("stagger"),           Int("max_parallel"),     Enum("health_check", kHealthCheck),
    Dur("min_healthy_time"),  Dur("healthy_deadline"), Dur("progress_deadline"),
    Int("canary"),            Bool("auto_revert"),     Bool("auto_promote"),
};
constexpr BlockSpec kUpdate{.name = "update", .attributes = kUpdateAttrs};

constexpr std::array kMigrateAttrs = {
    Int("max_parallel"), Enum("health_check", kHealthCheck), Dur("min_healthy_time"),
    Dur("healthy_deadline"),
};
constexpr BlockSpec kMigrate{.name = "migrate", .attributes = kMigrateAttrs};

constexpr std::array kPeriodicAttrs = {
    Bool("enabled"), Str("cron"), List("crons"), Bool("prohibit_overlap"), Str("time_zone"),
};
constexpr BlockSpec kPeriodic{.name = "periodic", .attributes = kPeriodicAttrs};

constexpr std::array kParameterizedAttrs = {
    Enum("payload", kPayload), List("meta_required"), List("meta_optional"),
};
constexpr BlockSpec kParameterized{.name = "parameterized", .attributes = kParameterizedAttrs};

constexpr std::array kMultiregionStrategyAttrs = {Int("max_parallel"), Str("on_failure")};
constexpr BlockSpec kMultiregionStrategy{.name = "strategy",
                                         .attributes = kMultiregionStrategyAttrs};
constexpr std::array kMultiregionRegionAttrs = {
    Int("count"), List("datacenters"), Str("node_pool"), Map("meta"),
};
constexpr BlockSpec kMultiregionRegion{.name = "region", .attributes = kMultiregionRegionAttrs};
constexpr std::array kMultiregionBlocks = {
    One("strategy", &kMultiregionStrategy),
    Named("region", &kMultiregionRegion),
};
constexpr BlockSpec kMultiregion{.name = "multiregion", .blocks = kMultiregionBlocks};

constexpr std::array kScalingAttrs = {
    Int("min", {}, INT64_MIN, INT64_MAX), Int("max", {}, INT64_MIN, INT64_MAX), Bool("enabled"),
    Enum("type", kScalingType),
    AttrSpec{.name = "policy", .type = V::kAny, .form = Form::kBlock},
};
constexpr BlockSpec kScaling{.name = "scaling", .attributes = kScalingAttrs};

constexpr std::array kVaultAttrs = {
    List("policies"), Str("role"),  Str("namespace"),
    Str("cluster"),   Bool("env"),  Bool("disable_file"),
    Enum("change_mode", kVaultChangeMode), Str("change_signal"),
};
constexpr BlockSpec kVault{.name = "vault", .attributes = kVaultAttrs};

constexpr std::array kIdentityAttrs = {
    Str("name"),         List("aud"),   Bool("env"), Bool("file"),
    Str("service_name"), Dur("ttl"),    Str("change_mode"), Str("change_signal"),
};
constexpr BlockSpec kIdentity{.name = "identity", .attributes = kIdentityAttrs};

constexpr std::array kConsulAttrs = {Str("namespace")};
constexpr BlockSpec kConsul{.name = "consul", .attributes = kConsulAttrs};

// ---- networking ---------------------------------------------------------------------------------

constexpr std::array kPortAttrs = {
    Int("static", "Value", 0, 65535), Int("to", "To", -1, 65535),
    Str("host_network", "HostNetwork"),
};
constexpr BlockSpec kPort{.name = "port", .attributes = kPortAttrs};

constexpr std::array kDnsAttrs = {
    List("servers", "Servers"), List("searches", "Searches"), List("options", "Options"),
};
constexpr BlockSpec kDns{.name = "dns", .attributes = kDnsAttrs};

constexpr std::array kNetworkAttrs = {
    Str("mode", "Mode"), Str("device", "Device"),     Str("cidr", "CIDR"),
    Str("ip", "IP"),     Str("hostname", "Hostname"), Int("mbits", "MBits", 0, INT32_MAX),
};
constexpr std::array kNetworkBlocks = {
    One("dns", &kDns, "DNS"),
    BlockRef{.type = "port", .spec = &kPort, .labels = kLabelLabel, .api_name = "DynamicPorts",
             .label_api_name = "Label"},
    BlockRef{.type = "reserved_ports", .spec = &kPort, .labels = kLabelLabel,
             .api_name = "ReservedPorts", .label_api_name = "Label"},
};
constexpr BlockSpec kNetwork{.name = "network", .attributes = kNetworkAttrs,
                             .blocks = kNetworkBlocks};

// ---- resources ----------------------------------------------------------------------------------

constexpr std::array kDeviceAttrs = {Int("count", "Count", 0, INT64_MAX)};
constexpr std::array kDeviceBlocks = {
    Many("constraint", &kConstraint, "Constraints"),
    Many("affinity", &kAffinity, "Affinities"),
};
constexpr BlockSpec kDevice{.name = "device", .attributes = kDeviceAttrs, .blocks = kDeviceBlocks};

constexpr std::array kResourcesAttrs = {
    Int("cpu", "CPU", 0, INT32_MAX),          Int("cores", "Cores", 0, INT32_MAX),
    Int("memory", "MemoryMB", 0, INT32_MAX),  Int("memory_max", "MemoryMaxMB", 0, INT32_MAX),
    Int("disk", "DiskMB", 0, INT32_MAX),      Int("iops", "IOPS", 0, INT32_MAX),
};
constexpr std::array kResourcesBlocks = {
    BlockRef{.type = "network", .spec = &kNetwork, .repeat = Repeat::kOne,
             .api_name = "Networks", .api_list = true},
    BlockRef{.type = "device", .spec = &kDevice, .labels = kNameLabel, .api_name = "Devices",
             .label_api_name = "Name"},
};
constexpr BlockSpec kResources{.name = "resources", .attributes = kResourcesAttrs,
                               .blocks = kResourcesBlocks};

constexpr std::array kEphemeralDiskAttrs = {
    Bool("sticky"), Bool("migrate"), Int("size", {}, 0, INT32_MAX),
};
constexpr BlockSpec kEphemeralDisk{.name = "ephemeral_disk", .attributes = kEphemeralDiskAttrs};

constexpr std::array kLogsAttrs = {
    Int("max_files", "MaxFiles", 0, INT32_MAX), Int("max_file_size", "MaxFileSizeMB", 0, INT32_MAX),
    Bool("disabled", "Disabled"), Bool("enabled", "Enabled"),
};
constexpr BlockSpec kLogs{.name = "logs", .attributes = kLogsAttrs};

// ---- volumes ------------------------------------------------------------------------------------

constexpr std::array kMountOptionsAttrs = {Str("fs_type"), List("mount_flags")};
constexpr BlockSpec kMountOptions{.name = "mount_options", .attributes = kMountOptionsAttrs};
constexpr std::array kVolumeAttrs = {
    Enum("type", kVolumeType), Str("source"),      Bool("read_only"),
    Bool("per_alloc"),         Str("access_mode"), Str("attachment_mode"),
};
constexpr std::array kVolumeBlocks = {One("mount_options", &kMountOptions)};
constexpr BlockSpec kVolume{.name = "volume", .attributes = kVolumeAttrs, .blocks = kVolumeBlocks};

constexpr std::array kVolumeMountAttrs = {
    Str("volume"), Str("destination"), Bool("read_only"), Str("propagation_mode"),
    Str("selinux_label"),
};
constexpr BlockSpec kVolumeMount{.name = "volume_mount", .attributes = kVolumeMountAttrs};

// ---- task pieces --------------------------------------------------------------------------------

constexpr std::array kArtifactAttrs = {
    Str("source"), Str("destination"), Enum("mode", kArtifactMode), Map("options"), Map("headers"),
};
constexpr BlockSpec kArtifact{.name = "artifact", .attributes = kArtifactAttrs};

constexpr std::array kChangeScriptAttrs = {
    Required(Str("command")), List("args"), Dur("timeout"), Bool("fail_on_error"),
};
constexpr BlockSpec kChangeScript{.name = "change_script", .attributes = kChangeScriptAttrs};
constexpr std::array kTemplateWaitAttrs = {Dur("min"), Dur("max")};
constexpr BlockSpec kTemplateWait{.name = "wait", .attributes = kTemplateWaitAttrs};
constexpr std::array kTemplateAttrs = {
    Str("source"),          Str("destination"),     Str("data"),
    Enum("change_mode", kChangeMode), Str("change_signal"), Dur("splay"),
    Str("perms"),           Int("uid"),             Int("gid"),
    Str("left_delimiter"),  Str("right_delimiter"), Bool("env"),
    Dur("vault_grace"),     Bool("error_on_missing_key"),
};
constexpr std::array kTemplateBlocks = {
    One("change_script", &kChangeScript),
    One("wait", &kTemplateWait),
};
constexpr BlockSpec kTemplate{.name = "template", .attributes = kTemplateAttrs,
                              .blocks = kTemplateBlocks};

constexpr std::array kLifecycleAttrs = {Enum("hook", kHook), Bool("sidecar")};
constexpr BlockSpec kLifecycle{.name = "lifecycle", .attributes = kLifecycleAttrs};

constexpr std::array kDispatchPayloadAttrs = {Str("file")};
constexpr BlockSpec kDispatchPayload{.name = "dispatch_payload",
                                     .attributes = kDispatchPayloadAttrs};

constexpr std::array kCsiPluginAttrs = {
    Str("id"), Enum("type", kCsiPluginType), Str("mount_dir"), Str("stage_publish_base_dir"),
    Dur("health_timeout"),
};
constexpr BlockSpec kCsiPlugin{.name = "csi_plugin", .attributes = kCsiPluginAttrs};

// ---- Consul Connect (rendered to Nomad's API JSON) -----------------------------------------------

constexpr std::array kMeshGatewayAttrs = {Str("mode", "Mode")};
constexpr BlockSpec kMeshGateway{.name = "mesh_gateway", .attributes = kMeshGatewayAttrs};

constexpr std::array kUpstreamAttrs = {
    Str("destination_name", "DestinationName"),
    Str("destination_namespace", "DestinationNamespace"),
    Str("destination_peer", "DestinationPeer"),
    Str("destination_type", "DestinationType"),
    Int("local_bind_port", "LocalBindPort", 0, 65535),
    Str("datacenter", "Datacenter"),
    Str("local_bind_address", "LocalBindAddress"),
    Str("local_bind_socket_path", "LocalBindSocketPath"),
    Str("local_bind_socket_mode", "LocalBindSocketMode"),
    Any("config", "Config"),
};
constexpr std::array kUpstreamBlocks = {One("mesh_gateway", &kMeshGateway, "MeshGateway")};
constexpr BlockSpec kUpstream{.name = "upstreams", .attributes = kUpstreamAttrs,
                              .blocks = kUpstreamBlocks};

constexpr std::array kExposePathAttrs = {
    Str("path", "Path"), Str("protocol", "Protocol"),
    Int("local_path_port", "LocalPathPort", 0, 65535), Str("listener_port", "ListenerPort"),
};
constexpr BlockSpec kExposePath{.name = "path", .attributes = kExposePathAttrs};
constexpr std::array kExposeBlocks = {Many("path", &kExposePath, "Paths")};
constexpr BlockSpec kExpose{.name = "expose", .blocks = kExposeBlocks};

constexpr std::array kProxyAttrs = {
    Str("local_service_address", "LocalServiceAddress"),
    Int("local_service_port", "LocalServicePort", 0, 65535),
    Any("config", "Config"),
};
constexpr std::array kProxyBlocks = {
    One("expose", &kExpose, "Expose"),
    Many("upstreams", &kUpstream, "Upstreams"),
};
constexpr BlockSpec kProxy{.name = "proxy", .attributes = kProxyAttrs, .blocks = kProxyBlocks};

constexpr std::array kSidecarServiceAttrs = {
    List("tags", "Tags"), Str("port", "Port"),
    Bool("disable_default_tcp_check", "DisableDefaultTCPCheck"), Map("meta", "Meta"),
};
constexpr std::array kSidecarServiceBlocks = {One("proxy", &kProxy, "Proxy")};
constexpr BlockSpec kSidecarService{.name = "sidecar_service", .attributes = kSidecarServiceAttrs,
                                    .blocks = kSidecarServiceBlocks};

constexpr std::array kSidecarTaskAttrs = {
    Str("name", "Name"),           Str("driver", "Driver"),       Str("user", "User"),
    Any("config", "Config"),       Map("env", "Env"),             Map("meta", "Meta"),
    Dur("kill_timeout", "KillTimeout"), Dur("shutdown_delay", "ShutdownDelay"),
    Str("kill_signal", "KillSignal"),
};
constexpr std::array kSidecarTaskBlocks = {
    One("resources", &kResources, "Resources"),
    One("logs", &kLogs, "LogConfig"),
};
constexpr BlockSpec kSidecarTask{.name = "sidecar_task", .attributes = kSidecarTaskAttrs,
                                 .blocks = kSidecarTaskBlocks};

constexpr std::array kBindAddressAttrs = {Str("address", "Address"),
                                          Int("port", "Port", 0, 65535)};
constexpr BlockSpec kBindAddress{.name = "envoy_gateway_bind_addresses",
                                 .attributes = kBindAddressAttrs};
constexpr std::array kGatewayProxyAttrs = {
    Dur("connect_timeout", "ConnectTimeout"),
    Bool("envoy_gateway_bind_tagged_addresses", "EnvoyGatewayBindTaggedAddresses"),
    Bool("envoy_gateway_no_default_bind", "EnvoyGatewayNoDefaultBind"),
    Str("envoy_dns_discovery_type", "EnvoyDNSDiscoveryType"),
    Any("config", "Config"),
};
constexpr std::array kGatewayProxyBlocks = {
    BlockRef{.type = "envoy_gateway_bind_addresses", .spec = &kBindAddress,
             .labels = kNameLabel, .api_name = "EnvoyGatewayBindAddresses",
             .keyed_by_label = true, .label_api_name = "Name"},
};
constexpr BlockSpec kGatewayProxy{.name = "proxy", .attributes = kGatewayProxyAttrs,
                                  .blocks = kGatewayProxyBlocks};

constexpr std::array kGatewayTlsAttrs = {
    Bool("enabled", "Enabled"), Str("tls_min_version", "TLSMinVersion"),
    Str("tls_max_version", "TLSMaxVersion"), List("cipher_suites", "CipherSuites"),
};
constexpr BlockSpec kGatewayTls{.name = "tls", .attributes = kGatewayTlsAttrs};
constexpr std::array kIngressServiceAttrs = {Str("name", "Name"), List("hosts", "Hosts")};
constexpr BlockSpec kIngressService{.name = "service", .attributes = kIngressServiceAttrs};
constexpr std::array kListenerAttrs = {Int("port", "Port", 0, 65535),
                                       Str("protocol", "Protocol")};
constexpr std::array kListenerBlocks = {Many("service", &kIngressService, "Services")};
constexpr BlockSpec kListener{.name = "listener", .attributes = kListenerAttrs,
                              .blocks = kListenerBlocks};
constexpr std::array kIngressBlocks = {
    One("tls", &kGatewayTls, "TLS"),
    Many("listener", &kListener, "Listeners"),
};
constexpr BlockSpec kIngress{.name = "ingress", .blocks = kIngressBlocks};

constexpr std::array kLinkedServiceAttrs = {
    Str("name", "Name"),         Str("ca_file", "CAFile"), Str("cert_file", "CertFile"),
    Str("key_file", "KeyFile"),  Str("sni", "SNI"),
};
constexpr BlockSpec kLinkedService{.name = "service", .attributes = kLinkedServiceAttrs};
constexpr std::array kTerminatingBlocks = {Many("service", &kLinkedService, "Services")};
constexpr BlockSpec kTerminating{.name = "terminating", .blocks = kTerminatingBlocks};
constexpr BlockSpec kMesh{.name = "mesh"};

constexpr std::array kGatewayBlocks = {
    One("proxy", &kGatewayProxy, "Proxy"),
    One("ingress", &kIngress, "Ingress"),
    One("terminating", &kTerminating, "Terminating"),
    One("mesh", &kMesh, "Mesh"),
};
constexpr BlockSpec kGateway{.name = "gateway", .blocks = kGatewayBlocks};

constexpr std::array kConnectAttrs = {Bool("native", "Native")};
constexpr std::array kConnectBlocks = {
    One("gateway", &kGateway, "Gateway"),
    One("sidecar_service", &kSidecarService, "SidecarService"),
    One("sidecar_task", &kSidecarTask, "SidecarTask"),
};
constexpr BlockSpec kConnect{.name = "connect", .attributes = kConnectAttrs,
                             .blocks = kConnectBlocks};

// ---- services -----------------------------------------------------------------------------------

constexpr std::array kCheckRestartAttrs = {
    Int("limit", {}, 0, INT32_MAX), Dur("grace"), Bool("ignore_warnings"),
};
constexpr BlockSpec kCheckRestart{.name = "check_restart", .attributes = kCheckRestartAttrs};

constexpr std::array kCheckAttrs = {
    Str("name"),
    AttrSpec{.name = "type", .type = V::kEnum, .required = true, .enum_values = kCheckType,
             .case_insensitive = true},
    Str("command"),
    List("args"),
    Str("path"),
    Str("protocol"),
    Str("port"),
    Bool("expose"),
    Enum("address_mode", kAddressMode),
    Dur("interval"),
    Dur("timeout"),
    Enum("initial_status", kInitialStatus),
    Str("tls_server_name"),
    Bool("tls_skip_verify"),
    AttrSpec{.name = "header", .type = V::kStringListMap, .form = Form::kEither,
             .strict_elements = true},
    Str("method"),
    Str("body"),
    Str("grpc_service"),
    Bool("grpc_use_tls"),
    Str("task"),
    Int("success_before_passing", {}, 0, INT32_MAX),
    Int("failures_before_critical", {}, 0, INT32_MAX),
    Enum("on_update", kOnUpdate),
};
constexpr std::array kCheckBlocks = {One("check_restart", &kCheckRestart)};
constexpr BlockSpec kCheck{.name = "check", .attributes = kCheckAttrs, .blocks = kCheckBlocks};

constexpr std::array kServiceAttrs = {
    Str("name"),     List("tags"),      List("canary_tags"), Bool("enable_tag_override"),
    Str("port"),     Enum("address_mode", kAddressMode), Str("address"), Str("task"),
    Enum("on_update", kOnUpdate), Enum("provider", kProvider), Str("cluster"), Map("meta"),
    Map("canary_meta"), Map("tagged_addresses"),
};
constexpr std::array kServiceBlocks = {
    Many("check", &kCheck),
    One("check_restart", &kCheckRestart),
    One("connect", &kConnect),
};
constexpr BlockSpec kService{.name = "service", .attributes = kServiceAttrs,
                             .blocks = kServiceBlocks};

// ---- task ---------------------------------------------------------------------------------------

constexpr std::array kTaskScalingLabels = {std::string_view("name")};
constexpr std::array kTaskAttrs = {
    Str("driver"),     Str("user"),          Any("config"),      Map("env"),
    Map("meta"),       Dur("kill_timeout"),  Str("kill_signal"), Bool("leader"),
    Dur("shutdown_delay"), Str("kind"),
};
constexpr std::array kTaskBlocks = {
    One("lifecycle", &kLifecycle),
    Many("constraint", &kConstraint),
    Many("affinity", &kAffinity),
    Many("service", &kService),
    One("resources", &kResources),
    One("restart", &kRestart),
    One("logs", &kLogs),
    Many("artifact", &kArtifact),
    One("vault", &kVault),
    Many("template", &kTemplate),
    One("dispatch_payload", &kDispatchPayload),
    Many("volume_mount", &kVolumeMount),
    One("csi_plugin", &kCsiPlugin),
    BlockRef{.type = "scaling", .spec = &kScaling, .labels = kTaskScalingLabels},
    Many("identity", &kIdentity),
};
constexpr BlockSpec kTask{.name = "task", .attributes = kTaskAttrs, .blocks = kTaskBlocks};

// ---- group and job ------------------------------------------------------------------------------

constexpr std::array kGroupAttrs = {
    Int("count", {}, 0, INT32_MAX), Map("meta"), Dur("shutdown_delay"),
    Dur("stop_after_client_disconnect"), Dur("max_client_disconnect"),
};
constexpr std::array kGroupBlocks = {
    Many("constraint", &kConstraint),
    Many("affinity", &kAffinity),
    Many("spread", &kSpread),
    Named("task", &kTask),
    BlockRef{.type = "volume", .spec = &kVolume, .labels = kNameLabel, .keyed_by_label = true},
    One("restart", &kRestart),
    One("reschedule", &kReschedule),
    One("ephemeral_disk", &kEphemeralDisk),
    One("update", &kUpdate),
    One("migrate", &kMigrate),
    One("network", &kNetwork),
    Many("service", &kService),
    One("scaling", &kScaling),
    One("consul", &kConsul),
    One("vault", &kVault),
};
constexpr BlockSpec kGroup{.name = "group", .attributes = kGroupAttrs, .blocks = kGroupBlocks};

constexpr std::array kJobAttrs = {
    Str("region"),          Str("namespace"),        Str("id"),
    Str("name"),            Enum("type", kJobType),  Int("priority"),
    Bool("all_at_once"),    List("datacenters"),     Str("node_pool"),
    Str("consul_token"),    Str("vault_token"),      Str("consul_namespace"),
    Str("vault_namespace"), Map("meta"),
};
constexpr std::array kJobBlocks = {
    Many("constraint", &kConstraint),
    Many("affinity", &kAffinity),
    Many("spread", &kSpread),
    Named("group", &kGroup),
    One("update", &kUpdate),
    One("multiregion", &kMultiregion),
    One("periodic", &kPeriodic),
    One("parameterized", &kParameterized),
    One("reschedule", &kReschedule),
    One("migrate", &kMigrate),
    One("vault", &kVault),
    Named("task", &kTask),
};
constexpr BlockSpec kJob{.name = "job", .attributes = kJobAttrs, .blocks = kJobBlocks};

constexpr std::array kFileBlocks = {
    BlockRef{.type = "job", .spec = &kJob, .labels = kNameLabel, .repeat = Repeat::kOne,
             .required = true},
};
constexpr BlockSpec kFile{.name = "job file", .blocks = kFileBlocks};

}  // namespace

const BlockSpec& JobFileSchema() { return kFile; }
const BlockSpec& JobSchema() { return kJob; }
const BlockSpec& GroupSchema() { return kGroup; }
const BlockSpec& TaskSchema() { return kTask; }
const BlockSpec& ServiceSchema() { return kService; }
const BlockSpec& CheckSchema() { return kCheck; }
const BlockSpec& ConnectSchema() { return kConnect; }
const BlockSpec& ResourcesSchema() { return kResources; }
const BlockSpec& NetworkSchema() { return kNetwork; }

namespace spellings {
std::span<const std::string_view> JobType() { return kJobType; }
std::span<const std::string_view> RestartMode() { return kRestartMode; }
std::span<const std::string_view> DelayFunction() { return kDelayFunction; }
std::span<const std::string_view> HealthCheck() { return kHealthCheck; }
std::span<const std::string_view> CheckType() { return kCheckType; }
std::span<const std::string_view> AddressMode() { return kAddressMode; }
std::span<const std::string_view> ServiceProvider() { return kProvider; }
std::span<const std::string_view> OnUpdate() { return kOnUpdate; }
std::span<const std::string_view> LifecycleHook() { return kHook; }
std::span<const std::string_view> ArtifactMode() { return kArtifactMode; }
std::span<const std::string_view> ChangeMode() { return kChangeMode; }
std::span<const std::string_view> VaultChangeMode() { return kVaultChangeMode; }
std::span<const std::string_view> VolumeType() { return kVolumeType; }
std::span<const std::string_view> ScalingType() { return kScalingType; }
std::span<const std::string_view> InitialStatus() { return kInitialStatus; }
std::span<const std::string_view> CsiPluginType() { return kCsiPluginType; }
std::span<const std::string_view> PayloadMode() { return kPayload; }
}  // namespace spellings

}  // namespace drover::schema
