// The task driver interface, modelled on Nomad's driver plugin API (plugins/drivers). The client
// agent runs every task of an allocation through a Driver: it fingerprints the node with it, starts
// tasks from a fully rendered TaskConfig, waits for them, stops and destroys them, and after its
// own restart re-attaches to the tasks that kept running (RecoverTask with the stored TaskHandle).
//
// Threading: every Driver method may be called from any thread and concurrently for different
// tasks; implementations lock internally. A Driver owns the background threads that watch its
// tasks (exit, logs); destroying the Driver stops those threads but NEVER the tasks, exactly like
// an agent that exits: the tasks are found again with RecoverTask.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

namespace drover::drivers {

using SystemTime = std::chrono::system_clock::time_point;

/// A port the task listens on, as the scheduler assigned it.
struct PortMapping {
  std::string label;       ///< `http` in `port "http" {}`
  std::string host_ip;     ///< the address the port is reserved on, e.g. 127.0.0.2
  int host_port = 0;       ///< the reserved (static or dynamic) port
  int container_port = 0;  ///< `to`; 0 means the same as host_port

  int ContainerPort() const { return container_port > 0 ? container_port : host_port; }
};

struct TaskResources {
  int cpu_mhz = 100;      ///< `cpu`; becomes cpu shares (Nomad's rule: 1 MHz = 1 share)
  int memory_mb = 300;    ///< `memory`; the hard limit unless memory_max_mb is set
  int memory_max_mb = 0;  ///< `memory_max` (oversubscription); 0 = not set
};

/// `logs { max_files, max_file_size }`: files <dir>/<task>.stdout.N and .stderr.N.
struct LogConfig {
  std::string dir;  ///< <alloc_dir>/alloc/logs
  int max_files = 10;
  int max_file_size_mb = 10;
};

/// Everything a driver needs to start one task, already rendered: no `${...}` is left anywhere.
struct TaskConfig {
  std::string id;  ///< unique per run of a task: <alloc_id>/<task>/<8 hex> (MakeTaskId)
  std::string alloc_id;
  std::string namespace_name = "default";
  std::string job_name;
  std::string group_name;
  std::string task_name;
  nlohmann::json config = nlohmann::json::object();  ///< the task's `config` block
  std::map<std::string, std::string> env;            ///< the complete environment
  std::string user;                                  ///< "" = the driver's default
  TaskResources resources;
  std::vector<PortMapping> ports;
  std::string kill_signal;  ///< "" = the driver's default (SIGTERM for docker, SIGINT otherwise)
  std::chrono::milliseconds kill_timeout{5000};
  std::string alloc_dir;  ///< <data_dir>/alloc/<alloc_id>
  std::string task_dir;   ///< <alloc_dir>/<task>: holds local/, secrets/, tmp/
  LogConfig logs;

  /// <alloc_dir>/alloc: shared by the group's tasks, mounted at /alloc.
  std::string SharedAllocDir() const { return alloc_dir + "/alloc"; }

  nlohmann::json ToJson() const;
  static llvm::Expected<TaskConfig> FromJson(const nlohmann::json& j);
};

/// `<alloc_id>/<task>/<8 random hex digits>`, as Nomad names task runs.
std::string MakeTaskId(std::string_view alloc_id, std::string_view task_name);

/// How a task ended. Nomad's ExitResult.
struct ExitResult {
  int exit_code = 0;
  int signal = 0;  ///< the signal that killed the task, 0 if none
  bool oom_killed = false;
  std::string err;  ///< the driver could not tell how the task ended

  bool Successful() const { return exit_code == 0 && signal == 0 && err.empty(); }
  nlohmann::json ToJson() const;
  static ExitResult FromJson(const nlohmann::json& j);
  friend bool operator==(const ExitResult&, const ExitResult&) = default;
};

enum class TaskState { kUnknown, kRunning, kExited };
std::string_view TaskStateName(TaskState state);

/// What the client stores to find a task again after it restarts (also after a SIGKILL).
/// Serializable both ways; driver_state is opaque to everyone but the driver that wrote it.
struct TaskHandle {
  int version = 1;
  std::string driver;
  TaskConfig config;
  TaskState state = TaskState::kUnknown;
  SystemTime started_at{};
  nlohmann::json driver_state = nlohmann::json::object();

  nlohmann::json ToJson() const;
  static llvm::Expected<TaskHandle> FromJson(const nlohmann::json& j);
};

/// InspectTask's answer.
struct TaskStatus {
  std::string id;
  std::string name;
  TaskState state = TaskState::kUnknown;
  SystemTime started_at{};
  SystemTime completed_at{};  ///< epoch while running
  std::optional<ExitResult> exit_result;
  std::map<std::string, std::string> driver_attributes;  ///< container id, pids, ...
};

/// Node attributes and health, shown by `drover node status` (`Drivers` table).
struct DriverFingerprint {
  bool detected = false;
  bool healthy = false;
  std::string health_description;
  std::map<std::string, std::string> attributes;  ///< e.g. driver.docker.version
};

enum class FsIsolation { kNone, kChroot, kImage };

struct Capabilities {
  bool send_signals = false;
  bool exec = false;  ///< `alloc exec` into the task
  FsIsolation fs_isolation = FsIsolation::kNone;
};

/// Something the driver did that the user should see as a task event ("Downloading image").
struct TaskEvent {
  std::string task_id;
  std::string task_name;
  std::string alloc_id;
  std::string message;
  std::map<std::string, std::string> annotations;
  SystemTime time;
};

/// What every driver gets from the agent that creates it.
struct DriverContext {
  /// argv prefix that starts an executor process (exec, raw_exec). The agent re-executes itself:
  /// `/proc/self/exe executor`; tests point it at the built `drover` binary.
  std::vector<std::string> executor_command = {"/proc/self/exe", "executor"};
  /// Receives task events; may be empty. Called from driver threads.
  std::function<void(const TaskEvent&)> emit_event;
};

class Driver {
 public:
  virtual ~Driver() = default;

  /// `docker`, `exec`, `raw_exec`.
  virtual std::string_view Name() const = 0;

  /// Applies the agent's `plugin "<name>" { config { ... } }` block (JSON, blocks either as objects
  /// or as hcl2json's one-element arrays). An unknown or ill-typed option is an error.
  virtual llvm::Error SetConfig(const nlohmann::json& plugin_config) = 0;

  virtual Capabilities GetCapabilities() const = 0;

  /// Detected/healthy and attributes. Never throws and never blocks for long: an unreachable
  /// daemon is `detected = false` with a description, not an error.
  virtual DriverFingerprint Fingerprint() = 0;

  /// Starts the task and returns once it runs. The error text is what the client shows as the
  /// task event (e.g. "Failed to pull `x:1`: ..."); IsRecoverable() tells whether retrying may
  /// help.
  virtual llvm::Expected<TaskHandle> StartTask(const TaskConfig& config) = 0;

  /// Re-attaches to a task started by an earlier Driver (or an earlier agent process) without
  /// restarting it; a task that finished meanwhile is recovered as exited. Recovering a task the
  /// driver already tracks is a no-op.
  virtual llvm::Error RecoverTask(const TaskHandle& handle) = 0;

  /// Waits up to `timeout` for the task to exit: the result, or nullopt while it still runs.
  virtual llvm::Expected<std::optional<ExitResult>> WaitTask(const std::string& task_id,
                                                             std::chrono::milliseconds timeout) = 0;

  /// Sends `signal` ("" = the task's kill_signal, else the driver default), waits up to `timeout`
  /// for the task to exit, then kills it (SIGKILL). Returns once the task has exited.
  virtual llvm::Error StopTask(const std::string& task_id, std::chrono::milliseconds timeout,
                               const std::string& signal) = 0;

  /// Frees everything the task holds (container, cgroups, watcher threads) and forgets it. A
  /// running task is an error unless `force`, which kills it first.
  virtual llvm::Error DestroyTask(const std::string& task_id, bool force) = 0;

  virtual llvm::Expected<TaskStatus> InspectTask(const std::string& task_id) = 0;

  /// Delivers a signal to a running task (`alloc signal`, template change_mode = "signal").
  virtual llvm::Error SignalTask(const std::string& task_id, const std::string& signal) = 0;
};

/// An error from a driver that says whether trying again may help (Nomad's RecoverableError):
/// an unreachable daemon is recoverable, a missing `image` option is not.
class DriverError : public llvm::ErrorInfo<DriverError> {
 public:
  static char ID;
  DriverError(std::string message, bool recoverable)
      : message_(std::move(message)), recoverable_(recoverable) {}
  void log(llvm::raw_ostream& os) const override;
  std::error_code convertToErrorCode() const override;
  const std::string& text() const { return message_; }
  bool recoverable() const { return recoverable_; }

 private:
  std::string message_;
  bool recoverable_;
};

llvm::Error MakeDriverError(std::string message, bool recoverable = false);

/// The text of any error, and whether it is a DriverError marked recoverable. Consumes `err`;
/// the client turns the result into a task event and a restart decision.
struct ErrorSummary {
  std::string message;
  bool recoverable = false;
};
ErrorSummary SummarizeError(llvm::Error err);

/// "SIGINT", "INT", "sigterm" or "15" -> the number; nullopt for anything else.
std::optional<int> ParseSignal(std::string_view name);
/// 2 -> "SIGINT"; unknown numbers print as "SIG<n>".
std::string SignalName(int signal);

/// A nested block of a plugin or task config: `{...}` or hcl2json's `[{...}]`. nullptr when
/// absent; an error when it is something else.
llvm::Expected<const nlohmann::json*> ConfigBlock(const nlohmann::json& parent, const char* key,
                                                  std::string_view where);

}  // namespace drover::drivers
