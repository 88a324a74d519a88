// The typed job IR: the contract between the compiler and everything after it. It models the whole
// Nomad 1.6 jobspec (api.Job and below). After compiler/sema has run, every field holds its
// canonical value (server defaults applied); before that, std::optional marks "not written".
//
// Conventions:
//   - value types with defaulted ==; Origin (source ranges) never takes part in equality;
//   - durations are std::chrono::nanoseconds (Nomad's JSON uses integer nanoseconds);
//   - sizes are integers in MB, CPU in MHz, bandwidth in Mbit/s;
//   - strings that may hold runtime interpolation (`${NOMAD_PORT_http}`, `${node.unique.name}`,
//     `${attr.*}`, `${meta.*}`) keep it verbatim; the client renders them (interpolate.h);
//   - free-form maps (driver `config`, scaling `policy`, connect pieces, artifact options) are
//     nlohmann::json in the shape Nomad's API uses (nested blocks become arrays of objects).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/ir/enums.h"
#include "compiler/ir/origin.h"

namespace drover::ir {

using Duration = std::chrono::nanoseconds;
using StringMap = std::map<std::string, std::string>;

// ---- placement -----------------------------------------------------------------------------------

struct Constraint {
  std::string l_target;  ///< LTarget, e.g. "${attr.kernel.name}"
  std::string r_target;  ///< RTarget
  ConstraintOp op = ConstraintOp::kEqual;  ///< Operand
  Origin origin;
  bool operator==(const Constraint&) const = default;
};

struct Affinity {
  std::string l_target;
  std::string r_target;
  ConstraintOp op = ConstraintOp::kEqual;
  int8_t weight = 50;  ///< -100..100, not 0
  Origin origin;
  bool operator==(const Affinity&) const = default;
};

struct SpreadTarget {
  std::string value;
  uint8_t percent = 0;
  Origin origin;
  bool operator==(const SpreadTarget&) const = default;
};

struct Spread {
  std::string attribute;
  int8_t weight = 50;
  std::vector<SpreadTarget> targets;
  Origin origin;
  bool operator==(const Spread&) const = default;
};

// ---- policies ------------------------------------------------------------------------------------

struct RestartPolicy {
  std::optional<int> attempts;
  std::optional<Duration> interval;
  std::optional<Duration> delay;
  std::optional<RestartMode> mode;
  std::optional<bool> render_templates;
  Origin origin;
  bool operator==(const RestartPolicy&) const = default;
};

struct ReschedulePolicy {
  std::optional<int> attempts;
  std::optional<Duration> interval;
  std::optional<Duration> delay;
  std::optional<DelayFunction> delay_function;
  std::optional<Duration> max_delay;
  std::optional<bool> unlimited;
  Origin origin;
  bool operator==(const ReschedulePolicy&) const = default;
};

struct UpdateStrategy {
  std::optional<Duration> stagger;
  std::optional<int> max_parallel;
  std::optional<HealthCheckMode> health_check;
  std::optional<Duration> min_healthy_time;
  std::optional<Duration> healthy_deadline;
  std::optional<Duration> progress_deadline;
  std::optional<int> canary;
  std::optional<bool> auto_revert;
  std::optional<bool> auto_promote;
  Origin origin;
  bool operator==(const UpdateStrategy&) const = default;
};

struct MigrateStrategy {
  std::optional<int> max_parallel;
  std::optional<HealthCheckMode> health_check;
  std::optional<Duration> min_healthy_time;
  std::optional<Duration> healthy_deadline;
  Origin origin;
  bool operator==(const MigrateStrategy&) const = default;
};

struct PeriodicConfig {
  std::optional<bool> enabled;
  std::vector<std::string> specs;  ///< `crons` (1.6) or the single legacy `cron`
  std::string spec_type = "cron";
  std::optional<bool> prohibit_overlap;
  std::string time_zone;  ///< "" = UTC
  Origin origin;
  bool operator==(const PeriodicConfig&) const = default;
};

struct ParameterizedJobConfig {
  std::string payload = "optional";  ///< optional | required | forbidden
  std::vector<std::string> meta_required;
  std::vector<std::string> meta_optional;
  Origin origin;
  bool operator==(const ParameterizedJobConfig&) const = default;
};

struct MultiregionRegion {
  std::string name;
  std::optional<int> count;
  std::vector<std::string> datacenters;
  std::string node_pool;
  StringMap meta;
  Origin origin;
  bool operator==(const MultiregionRegion&) const = default;
};

struct Multiregion {
  std::optional<int> max_parallel;
  std::string on_failure;  ///< "" | fail_all | fail_local
  std::vector<MultiregionRegion> regions;
  Origin origin;
  bool operator==(const Multiregion&) const = default;
};

struct ScalingPolicy {
  ScalingType type = ScalingType::kHorizontal;
  std::optional<int64_t> min;  ///< default: the group's count
  std::optional<int64_t> max;  ///< required for groups
  std::optional<bool> enabled;
  nlohmann::json policy;  ///< opaque to Nomad (the autoscaler's); null when absent
  /// What the policy scales: {Namespace, Job, Group[, Task]}; filled in by sema's Canonicalize.
  StringMap target;
  Origin origin;
  bool operator==(const ScalingPolicy&) const = default;
};

struct Vault {
  std::vector<std::string> policies;
  std::string role;
  std::string namespace_;
  std::string cluster;
  std::optional<bool> env;
  std::optional<bool> disable_file;
  std::optional<ChangeMode> change_mode;
  std::string change_signal;
  Origin origin;
  bool operator==(const Vault&) const = default;
};

struct WorkloadIdentity {
  std::string name;  ///< "" for the default identity
  std::vector<std::string> audience;
  std::optional<bool> env;
  std::optional<bool> file;
  std::string service_name;
  std::optional<Duration> ttl;
  std::string change_mode;
  std::string change_signal;
  Origin origin;
  bool operator==(const WorkloadIdentity&) const = default;
};

// ---- networking and services ------------------------------------------------------------------

struct Port {
  std::string label;
  int value = 0;  ///< static port; 0 = dynamic
  int to = 0;     ///< mapped port inside the task's network (0 = same as value, -1 = allocated)
  std::string host_network;  ///< "" = default
  Origin origin;
  bool operator==(const Port&) const = default;
};

struct DnsConfig {
  std::vector<std::string> servers;
  std::vector<std::string> searches;
  std::vector<std::string> options;
  Origin origin;
  bool operator==(const DnsConfig&) const = default;
};

struct NetworkResource {
  std::string mode;  ///< "" (= host) | host | bridge | none | cni/<name>
  std::string device;
  std::string cidr;
  std::string ip;
  std::string hostname;
  int mbits = 0;  ///< deprecated bandwidth request
  std::optional<DnsConfig> dns;
  std::vector<Port> reserved_ports;  ///< ports with a static value
  std::vector<Port> dynamic_ports;   ///< ports allocated from the dynamic range
  Origin origin;
  bool operator==(const NetworkResource&) const = default;
};

struct CheckRestart {
  int limit = 0;
  Duration grace{0};
  bool ignore_warnings = false;
  Origin origin;
  bool operator==(const CheckRestart&) const = default;
};

struct ServiceCheck {
  std::string name;
  CheckType type = CheckType::kHttp;
  std::string command;
  std::vector<std::string> args;
  std::string path;
  std::string protocol;
  std::string port_label;
  bool expose = false;
  std::optional<AddressMode> address_mode;
  Duration interval{0};
  Duration timeout{0};
  std::string initial_status;
  bool tls_server_name_set = false;
  std::string tls_server_name;
  bool tls_skip_verify = false;
  std::string method;
  std::string body;
  std::map<std::string, std::vector<std::string>> header;
  std::optional<CheckRestart> check_restart;
  std::string grpc_service;
  bool grpc_use_tls = false;
  std::string task_name;
  int success_before_passing = 0;
  int failures_before_critical = 0;
  std::optional<OnUpdate> on_update;
  Origin origin;
  bool operator==(const ServiceCheck&) const = default;
};

struct Service {
  std::string name;  ///< may hold ${JOB}, ${GROUP}, ${TASK}, ${BASE} and runtime references
  std::vector<std::string> tags;
  std::vector<std::string> canary_tags;
  bool enable_tag_override = false;
  std::string port_label;
  std::optional<AddressMode> address_mode;
  std::string address;
  std::vector<ServiceCheck> checks;
  std::optional<CheckRestart> check_restart;
  nlohmann::json connect;  ///< Consul Connect (sidecars, gateways, native), kept as Nomad's JSON
  StringMap meta;
  StringMap canary_meta;
  StringMap tagged_addresses;
  std::string task_name;  ///< for group services: the task that runs checks of type script
  std::optional<OnUpdate> on_update;
  std::optional<ServiceProvider> provider;
  std::string cluster;
  Origin origin;
  bool operator==(const Service&) const = default;
};

// ---- resources -----------------------------------------------------------------------------------

struct RequestedDevice {
  std::string name;  ///< "<vendor>/<type>/<name>", "<type>", ...
  int count = 1;
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
  Origin origin;
  bool operator==(const RequestedDevice&) const = default;
};

struct Resources {
  std::optional<int> cpu;            ///< MHz (default 100)
  std::optional<int> cores;          ///< exclusive cores (not with cpu)
  std::optional<int> memory_mb;      ///< default 300
  std::optional<int> memory_max_mb;  ///< oversubscription limit
  std::optional<int> disk_mb;        ///< legacy
  std::optional<int> iops;           ///< legacy
  std::vector<NetworkResource> networks;  ///< legacy task-level network (deprecated)
  std::vector<RequestedDevice> devices;
  Origin origin;
  bool operator==(const Resources&) const = default;
};

struct EphemeralDisk {
  std::optional<bool> sticky;
  std::optional<bool> migrate;
  std::optional<int> size_mb;
  Origin origin;
  bool operator==(const EphemeralDisk&) const = default;
};

// ---- volumes -------------------------------------------------------------------------------------

struct VolumeRequest {
  std::string name;  ///< the block label
  VolumeType type = VolumeType::kHost;
  std::string source;
  bool read_only = false;
  bool per_alloc = false;
  std::string access_mode;
  std::string attachment_mode;
  std::string fs_type;
  std::vector<std::string> mount_flags;
  Origin origin;
  bool operator==(const VolumeRequest&) const = default;
};

struct VolumeMount {
  std::string volume;
  std::string destination;
  bool read_only = false;
  std::string propagation_mode;  ///< "" = private
  std::string selinux_label;
  Origin origin;
  bool operator==(const VolumeMount&) const = default;
};

// ---- task pieces ---------------------------------------------------------------------------------

struct Artifact {
  std::string source;  ///< go-getter URL; may hold runtime interpolation
  std::string destination;  ///< "" = "local/"
  std::optional<ArtifactMode> mode;
  StringMap options;  ///< e.g. checksum = "sha256:..."
  StringMap headers;
  Origin origin;
  bool operator==(const Artifact&) const = default;
};

struct TemplateWait {
  std::optional<Duration> min;
  std::optional<Duration> max;
  Origin origin;
  bool operator==(const TemplateWait&) const = default;
};

struct Template {
  std::string source_path;
  std::string dest_path;
  std::string embedded_tmpl;  ///< `data`
  std::optional<ChangeMode> change_mode;
  std::string change_signal;
  std::string change_script_command;
  std::vector<std::string> change_script_args;
  std::optional<Duration> change_script_timeout;
  std::optional<bool> change_script_fail_on_error;
  std::optional<Duration> splay;
  std::string perms;  ///< octal, default "0644"
  std::optional<int> uid;
  std::optional<int> gid;
  std::string left_delim;   ///< default "{{"
  std::string right_delim;  ///< default "}}"
  bool envvars = false;     ///< `env`
  std::optional<Duration> vault_grace;
  std::optional<TemplateWait> wait;
  bool error_on_missing_key = false;
  Origin origin;
  bool operator==(const Template&) const = default;
};

struct LogConfig {
  std::optional<int> max_files;         ///< default 10
  std::optional<int> max_file_size_mb;  ///< default 10
  std::optional<bool> disabled;
  Origin origin;
  bool operator==(const LogConfig&) const = default;
};

struct Lifecycle {
  LifecycleHook hook = LifecycleHook::kPrestart;
  bool sidecar = false;
  Origin origin;
  bool operator==(const Lifecycle&) const = default;
};

struct DispatchPayload {
  std::string file;
  Origin origin;
  bool operator==(const DispatchPayload&) const = default;
};

struct CsiPluginConfig {
  std::string id;
  std::string type;  ///< controller | node | monolith
  std::string mount_dir;
  std::string stage_publish_base_dir;
  std::optional<Duration> health_timeout;
  Origin origin;
  bool operator==(const CsiPluginConfig&) const = default;
};

struct Task {
  std::string name;
  std::string driver;
  std::string user;
  nlohmann::json config = nlohmann::json::object();  ///< driver config; may hold runtime refs
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
  StringMap env;  ///< values may hold runtime interpolation
  std::vector<Service> services;
  Resources resources;
  std::optional<RestartPolicy> restart_policy;  ///< merged with the group's by sema
  StringMap meta;
  std::optional<Duration> kill_timeout;  ///< default 5s
  std::string kill_signal;
  std::optional<LogConfig> log_config;
  std::vector<Artifact> artifacts;
  std::optional<Vault> vault;
  std::vector<Template> templates;
  std::optional<DispatchPayload> dispatch_payload;
  std::vector<VolumeMount> volume_mounts;
  std::optional<CsiPluginConfig> csi_plugin;
  std::optional<Lifecycle> lifecycle;
  bool leader = false;
  std::optional<Duration> shutdown_delay;
  std::string kind;
  std::vector<ScalingPolicy> scaling_policies;  ///< `scaling "cpu"` / `scaling "mem"`
  std::optional<WorkloadIdentity> identity;
  std::vector<WorkloadIdentity> identities;
  Origin origin;
  bool operator==(const Task&) const = default;
};

struct TaskGroup {
  std::string name;
  std::optional<int> count;  ///< default 1, or scaling.min when scaling is set
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
  std::vector<Spread> spreads;
  std::vector<Task> tasks;
  std::map<std::string, VolumeRequest> volumes;
  std::optional<RestartPolicy> restart_policy;
  std::optional<ReschedulePolicy> reschedule_policy;
  std::optional<EphemeralDisk> ephemeral_disk;
  std::optional<UpdateStrategy> update;
  std::optional<MigrateStrategy> migrate;
  std::vector<NetworkResource> networks;  ///< at most one
  StringMap meta;
  std::vector<Service> services;
  std::optional<Duration> shutdown_delay;
  std::optional<Duration> stop_after_client_disconnect;
  std::optional<Duration> max_client_disconnect;
  std::optional<ScalingPolicy> scaling;
  std::string consul_namespace;
  Origin origin;
  bool operator==(const TaskGroup&) const = default;
};

struct Job {
  std::string region;     ///< "" until sema: "global"
  std::string namespace_;  ///< "" until sema: "default"
  std::string id;
  std::string name;
  std::optional<JobType> type;  ///< default service
  std::optional<int> priority;  ///< default 50
  bool all_at_once = false;
  std::vector<std::string> datacenters;  ///< default ["*"]
  std::string node_pool;  ///< default "default"
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
  std::vector<Spread> spreads;
  std::vector<TaskGroup> task_groups;
  std::optional<UpdateStrategy> update;
  std::optional<Multiregion> multiregion;
  std::optional<PeriodicConfig> periodic;
  std::optional<ParameterizedJobConfig> parameterized;
  std::optional<ReschedulePolicy> reschedule;
  std::optional<MigrateStrategy> migrate;
  StringMap meta;
  std::string consul_token;
  std::string vault_token;
  std::string vault_namespace;
  std::string consul_namespace;
  std::string parent_id;
  bool dispatched = false;
  std::string payload;  ///< base64 (dispatched jobs)
  Origin origin;
  bool operator==(const Job&) const = default;

  const TaskGroup* FindGroup(std::string_view group_name) const;
  TaskGroup* FindGroup(std::string_view group_name);
};

/// Parses a Go duration ("300ms", "10s", "1h30m", "-1.5h"; units ns us µs ms s m h).
std::optional<Duration> ParseDuration(std::string_view text);
/// Formats a duration the way Go's time.Duration.String() does ("1h30m0s", "10s", "0s").
std::string FormatDuration(Duration d);

}  // namespace drover::ir
