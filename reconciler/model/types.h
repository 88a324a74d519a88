// The cluster's objects as the server stores them and the scheduler reads them: nodes, job
// versions, allocations, evaluations and deployments. Shapes follow Nomad's structs (field names
// in comments where they differ); the API JSON lives in runtime/api.
//
// Times are unix nanoseconds from an injected clock; indexes are the store's monotonically
// increasing write index.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/ir/job.h"
#include "reconciler/model/id.h"

namespace drover::model {

using Index = uint64_t;
using Time = int64_t;  ///< unix nanoseconds
using Duration = ir::Duration;
using StringMap = std::map<std::string, std::string>;

/// A job is identified by namespace and id.
struct JobKey {
  std::string namespace_ = "default";
  std::string id;
  auto operator<=>(const JobKey&) const = default;
};

// ---- nodes ---------------------------------------------------------------------------------------

enum class NodeStatus : uint8_t { kInitializing, kReady, kDown, kDisconnected };
std::string_view ToString(NodeStatus s);
std::optional<NodeStatus> ParseNodeStatus(std::string_view s);

struct DriverInfo {
  bool detected = false;
  bool healthy = false;
  std::string health_description;
  StringMap attributes;
  Time update_time = 0;
  bool operator==(const DriverInfo&) const = default;
};

/// A network the node offers (Nomad's NodeNetworkResource / host_network).
struct NodeNetwork {
  std::string mode = "host";
  std::string device;        ///< e.g. "lo", "eth0"
  std::string cidr;
  std::string ip;            ///< the address ports are allocated on
  std::string host_network;  ///< "" = default
  int mbits = 1000;
  bool operator==(const NodeNetwork&) const = default;
};

struct NodeResources {
  int cpu_mhz = 0;  ///< total compute (cores x MHz)
  int cpu_cores = 0;
  int memory_mb = 0;
  int disk_mb = 0;
  std::vector<NodeNetwork> networks;
  int min_dynamic_port = 20000;
  int max_dynamic_port = 32000;
  bool operator==(const NodeResources&) const = default;
};

struct ReservedResources {
  int cpu_mhz = 0;
  int memory_mb = 0;
  int disk_mb = 0;
  std::vector<int> ports;  ///< reserved host ports (from "22,80,8000-8100")
  bool operator==(const ReservedResources&) const = default;
};

struct NodeEvent {
  std::string message;
  std::string subsystem;
  StringMap details;
  Time timestamp = 0;
  bool operator==(const NodeEvent&) const = default;
};

struct Node {
  Id id;
  std::string secret_id;
  std::string name;
  std::string datacenter = "dc1";
  std::string node_class;
  std::string node_pool = "default";
  std::string http_addr;  ///< "127.0.0.1:4646"
  std::string rpc_addr;   ///< where the client agent can be reached, if anywhere
  StringMap attributes;   ///< attr.* (kernel.name, cpu.arch, unique.hostname, ...)
  StringMap meta;         ///< meta.*
  NodeResources resources;
  ReservedResources reserved;
  std::map<std::string, DriverInfo> drivers;
  NodeStatus status = NodeStatus::kInitializing;
  std::string status_description;
  Time status_updated_at = 0;
  bool drain = false;
  bool eligible = true;  ///< SchedulingEligibility == "eligible"
  std::vector<NodeEvent> events;
  /// Hash of what decides feasibility (ComputeNodeClass); State::UpsertNode keeps it current.
  std::string computed_class;
  Index create_index = 0;
  Index modify_index = 0;

  bool IsReady() const { return status == NodeStatus::kReady && eligible && !drain; }
  bool operator==(const Node&) const = default;
};

// ---- jobs ----------------------------------------------------------------------------------------

/// A stored version of a job: the canonical IR plus what the server tracks about it.
struct JobVersion {
  ir::Job spec;  ///< canonical (compiler/sema has run)
  std::string status = "pending";  ///< pending | running | dead
  std::string status_description;
  bool stop = false;
  bool stable = false;
  uint64_t version = 0;
  Time submit_time = 0;
  Index create_index = 0;
  Index modify_index = 0;
  Index job_modify_index = 0;

  JobKey Key() const { return {spec.namespace_, spec.id}; }
  bool operator==(const JobVersion&) const = default;
};
using JobVersionPtr = std::shared_ptr<const JobVersion>;

// ---- allocations ---------------------------------------------------------------------------------

enum class DesiredStatus : uint8_t { kRun, kStop, kEvict };
enum class ClientStatus : uint8_t { kPending, kRunning, kComplete, kFailed, kLost, kUnknown };
std::string_view ToString(DesiredStatus s);
std::string_view ToString(ClientStatus s);
std::optional<DesiredStatus> ParseDesiredStatus(std::string_view s);
std::optional<ClientStatus> ParseClientStatus(std::string_view s);

/// A port given to an allocation (Nomad's AllocatedPortMapping).
struct AllocatedPort {
  std::string label;
  int value = 0;  ///< host port
  int to = 0;     ///< port inside the task (0 = same)
  std::string host_ip;
  bool operator==(const AllocatedPort&) const = default;
};

struct AllocatedTaskResources {
  std::string task;
  int cpu_mhz = 0;
  int cores = 0;
  int memory_mb = 0;
  int memory_max_mb = 0;
  bool operator==(const AllocatedTaskResources&) const = default;
};

struct AllocatedResources {
  std::vector<AllocatedTaskResources> tasks;
  int disk_mb = 0;
  int mbits = 0;
  std::string network_mode;  ///< "" = host
  std::vector<AllocatedPort> ports;

  int TotalCpu() const;
  int TotalMemory() const;
  bool operator==(const AllocatedResources&) const = default;
};

struct TaskEvent {
  std::string type;  ///< "Received", "Task Setup", "Started", "Terminated", "Restarting", ...
  Time time = 0;
  std::string message;          ///< DisplayMessage
  StringMap details;
  int exit_code = 0;
  int signal = 0;
  bool fails_task = false;
  bool operator==(const TaskEvent&) const = default;
};

struct TaskState {
  std::string state = "pending";  ///< pending | running | dead
  bool failed = false;
  int restarts = 0;
  Time last_restart = 0;
  Time started_at = 0;
  Time finished_at = 0;
  std::vector<TaskEvent> events;  ///< at most 10, oldest dropped
  bool operator==(const TaskState&) const = default;
};

struct AllocDeploymentStatus {
  std::optional<bool> healthy;
  Time timestamp = 0;
  bool canary = false;
  Index modify_index = 0;
  bool operator==(const AllocDeploymentStatus&) const = default;
};

struct RescheduleEvent {
  Time reschedule_time = 0;
  Id prev_alloc_id;
  Id prev_node_id;
  Duration delay{0};
  bool operator==(const RescheduleEvent&) const = default;
};

/// The scorers whose per-node results an AllocMetric records, under Nomad's names.
enum class Scorer : uint8_t {
  kBinpack,
  kJobAntiAffinity,
  kNodeReschedulePenalty,
  kNodeAffinity,
  kAllocationSpread,
};
inline constexpr size_t kScorerCount = 5;
/// "binpack", "job-anti-affinity", "node-reschedule-penalty", "node-affinity",
/// "allocation-spread".
std::string_view ToString(Scorer s);
std::optional<Scorer> ParseScorer(std::string_view name);

/// One scored node of an AllocMetric (Nomad's NodeScoreMeta). Flat on purpose: every placement
/// keeps several of these, and at a million allocations a map per node was most of the
/// server's memory.
struct NodeScoreMeta {
  Id node_id;
  double norm_score = 0;  ///< the final (normalized) score
  /// The score of scorer `s` if it applied to this node.
  std::optional<double> Get(Scorer s) const {
    if ((present_ & Bit(s)) == 0) return std::nullopt;
    return scores_[static_cast<size_t>(s)];
  }
  void Set(Scorer s, double value) {
    scores_[static_cast<size_t>(s)] = value;
    present_ |= Bit(s);
  }
  bool operator==(const NodeScoreMeta&) const = default;

 private:
  static uint8_t Bit(Scorer s) { return static_cast<uint8_t>(1u << static_cast<unsigned>(s)); }
  double scores_[kScorerCount] = {};
  uint8_t present_ = 0;
};

/// Why a placement went where it did, or failed (Nomad's AllocMetric).
struct AllocMetric {
  int nodes_evaluated = 0;
  int nodes_filtered = 0;
  int nodes_in_pool = 0;
  std::map<std::string, int> nodes_available;  ///< per datacenter
  std::map<std::string, int> class_filtered;
  std::map<std::string, int> constraint_filtered;  ///< "<l> <op> <r>" -> nodes
  int nodes_exhausted = 0;
  std::map<std::string, int> class_exhausted;
  std::map<std::string, int> dimension_exhausted;  ///< "memory", "network: reserved port collision http=8080"
  std::vector<std::string> quota_exhausted;
  /// The best few scored nodes (Nomad's ScoreMetaData), best first.
  std::vector<NodeScoreMeta> score_meta;
  Duration allocation_time{0};
  int coalesced_failures = 0;
  bool operator==(const AllocMetric&) const = default;
};

struct Allocation {
  Id id;
  std::string namespace_ = "default";
  Id eval_id;
  std::string job_id;
  std::string task_group;
  uint32_t index = 0;  ///< the [n] in the name "job.group[n]"
  Id node_id;
  std::string node_name;
  JobVersionPtr job;  ///< the job version this allocation runs
  AllocatedResources resources;
  std::shared_ptr<const AllocMetric> metrics;
  DesiredStatus desired_status = DesiredStatus::kRun;
  std::string desired_description;
  bool migrate = false;           ///< DesiredTransition.Migrate
  bool reschedule = false;        ///< DesiredTransition.Reschedule
  bool force_reschedule = false;  ///< DesiredTransition.ForceReschedule
  ClientStatus client_status = ClientStatus::kPending;
  std::string client_description;
  std::map<std::string, TaskState> task_states;
  Id deployment_id;
  std::optional<AllocDeploymentStatus> deployment_status;
  std::vector<RescheduleEvent> reschedule_tracker;
  Id previous_allocation;
  Id next_allocation;
  Id followup_eval_id;
  Index create_index = 0;
  Index modify_index = 0;
  Index alloc_modify_index = 0;
  Time create_time = 0;
  Time modify_time = 0;

  std::string Name() const;  ///< "job.group[n]"
  JobKey Job() const { return {namespace_, job_id}; }
  /// Desired to stop or evict: the server no longer wants it running.
  bool ServerTerminal() const { return desired_status != DesiredStatus::kRun; }
  /// Finished on the client: complete, failed or lost.
  bool ClientTerminal() const {
    return client_status == ClientStatus::kComplete || client_status == ClientStatus::kFailed ||
           client_status == ClientStatus::kLost;
  }
  bool IsTerminal() const { return ServerTerminal() || ClientTerminal(); }
  bool operator==(const Allocation&) const = default;
};
using AllocationPtr = std::shared_ptr<const Allocation>;

/// What the scheduler intends for one task group (Nomad's DesiredUpdates, the plan annotations
/// `job plan` prints as "(1 create, 2 in-place update)").
struct DesiredUpdates {
  uint64_t ignore = 0;
  uint64_t place = 0;
  uint64_t migrate = 0;
  uint64_t stop = 0;
  uint64_t in_place_update = 0;
  uint64_t destructive_update = 0;
  uint64_t canary = 0;
  uint64_t preemptions = 0;
  bool operator==(const DesiredUpdates&) const = default;
};

// ---- evaluations ---------------------------------------------------------------------------------

enum class EvalStatus : uint8_t { kBlocked, kPending, kComplete, kFailed, kCanceled };
std::string_view ToString(EvalStatus s);
std::optional<EvalStatus> ParseEvalStatus(std::string_view s);

/// TriggeredBy values (Nomad's spelling).
namespace trigger {
inline constexpr std::string_view kJobRegister = "job-register";
inline constexpr std::string_view kJobDeregister = "job-deregister";
inline constexpr std::string_view kPeriodicJob = "periodic-job";
inline constexpr std::string_view kNodeUpdate = "node-update";
inline constexpr std::string_view kNodeDrain = "node-drain";
inline constexpr std::string_view kAllocStop = "alloc-stop";
inline constexpr std::string_view kScheduled = "scheduled";
inline constexpr std::string_view kRollingUpdate = "rolling-update";
inline constexpr std::string_view kDeploymentWatcher = "deployment-watcher";
inline constexpr std::string_view kFailedFollowUp = "failed-follow-up";
inline constexpr std::string_view kMaxPlanAttempts = "max-plan-attempts";
inline constexpr std::string_view kRetryFailedAlloc = "alloc-failure";
inline constexpr std::string_view kQueuedAllocs = "queued-allocs";
inline constexpr std::string_view kJobScaling = "job-scaling";
}  // namespace trigger

struct Evaluation {
  Id id;
  std::string namespace_ = "default";
  int priority = 50;
  std::string type;  ///< the job type: service | batch | system | sysbatch
  std::string triggered_by;
  std::string job_id;
  Index job_modify_index = 0;
  Id node_id;
  Index node_modify_index = 0;
  Id deployment_id;
  EvalStatus status = EvalStatus::kPending;
  std::string status_description;
  Duration wait{0};
  Time wait_until = 0;
  Id next_eval;
  Id previous_eval;
  Id blocked_eval;
  std::map<std::string, AllocMetric> failed_tg_allocs;
  std::map<std::string, bool> class_eligibility;
  bool escaped_computed_class = false;
  bool annotate_plan = false;
  std::map<std::string, int> queued_allocations;
  Index snapshot_index = 0;
  Index create_index = 0;
  Index modify_index = 0;
  Time create_time = 0;
  Time modify_time = 0;

  JobKey Job() const { return {namespace_, job_id}; }
  bool IsTerminal() const {
    return status == EvalStatus::kComplete || status == EvalStatus::kFailed ||
           status == EvalStatus::kCanceled;
  }
  bool operator==(const Evaluation&) const = default;
};

// ---- deployments ---------------------------------------------------------------------------------

namespace deployment_status {
inline constexpr std::string_view kRunning = "running";
inline constexpr std::string_view kPaused = "paused";
inline constexpr std::string_view kFailed = "failed";
inline constexpr std::string_view kSuccessful = "successful";
inline constexpr std::string_view kCancelled = "cancelled";
}  // namespace deployment_status

/// StatusDescription values (Nomad's wording, nomad/structs/deployment.go).
namespace deployment_desc {
inline constexpr std::string_view kRunning = "Deployment is running";
inline constexpr std::string_view kRunningNeedsPromotion =
    "Deployment is running but requires manual promotion";
inline constexpr std::string_view kRunningAutoPromotion =
    "Deployment is running pending automatic promotion";
inline constexpr std::string_view kPaused = "Deployment is paused";
inline constexpr std::string_view kSuccessful = "Deployment completed successfully";
inline constexpr std::string_view kStoppedJob = "Cancelled because job is stopped";
inline constexpr std::string_view kNewerJob = "Cancelled due to newer version of job";
inline constexpr std::string_view kFailedAllocations = "Failed due to unhealthy allocations";
inline constexpr std::string_view kProgressDeadline = "Failed due to progress deadline";
inline constexpr std::string_view kFailedByUser = "Deployment marked as failed";
}  // namespace deployment_desc

struct DeploymentState {
  bool auto_revert = false;
  bool auto_promote = false;
  Duration progress_deadline{0};
  Time require_progress_by = 0;
  bool promoted = false;
  std::vector<Id> placed_canaries;
  int desired_canaries = 0;
  int desired_total = 0;
  int placed_allocs = 0;
  int healthy_allocs = 0;
  int unhealthy_allocs = 0;
  bool operator==(const DeploymentState&) const = default;
};

struct Deployment {
  Id id;
  std::string namespace_ = "default";
  std::string job_id;
  uint64_t job_version = 0;
  Index job_modify_index = 0;
  Index job_spec_modify_index = 0;
  Index job_create_index = 0;
  std::map<std::string, DeploymentState> task_groups;
  std::string status = "running";
  std::string status_description;
  Index create_index = 0;
  Index modify_index = 0;

  JobKey Job() const { return {namespace_, job_id}; }
  bool Active() const {
    return status == deployment_status::kRunning || status == deployment_status::kPaused;
  }
  bool RequiresPromotion() const;
  bool operator==(const Deployment&) const = default;
};

}  // namespace drover::model
