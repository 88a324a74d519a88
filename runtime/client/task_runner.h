// Runs one task of an allocation through its driver, as Nomad's task runner does: builds the
// task's environment and renders its config, downloads artifacts, starts the task, waits for it,
// applies the restart policy, and kills it (kill_signal, kill_timeout, then SIGKILL) when the
// allocation stops. Every step is a task event (Received, Task Setup, Downloading Artifacts,
// Failed Artifact Download, Driver, Driver Failure, Started, Terminated, Restarting,
// Not Restarting, Killing, Killed; at most 10 kept) and every change of state, restart count or
// driver handle is written to the client's state DB before anything else sees it.
//
// After an agent restart the runner is built from that stored record: a task that was running is
// re-attached with Driver::RecoverTask (same container, same process; no new Started event).
//
// Threading: Run() blocks and runs on a thread of the allocation runner; Kill(), Shutdown(),
// State() and AddEvent() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/ir/job.h"
#include "reconciler/model/types.h"
#include "runtime/client/restart_tracker.h"
#include "runtime/drivers/driver.h"

namespace drover::client {

class StateDb;

/// What allocation and task runners share with the client.
struct RunnerContext {
  StateDb* db = nullptr;
  /// The driver called `name`, or null when this node has none.
  std::function<drivers::Driver*(const std::string& name)> driver;
  /// The node as last fingerprinted (for the environment and `${attr.*}`).
  std::function<model::Node()> node;
  std::string region = "global";
  std::string alloc_root;  ///< <data_dir>/alloc
  std::chrono::milliseconds max_kill_timeout{30'000};
  /// The agent's environment, handed to raw_exec tasks (no file system isolation).
  std::map<std::string, std::string> host_env;
  /// Called (without locks held) whenever an allocation's reportable state changed.
  std::function<void(const std::string& alloc_id)> on_change;
};

/// Nomad's task event types.
namespace event {
inline constexpr char kReceived[] = "Received";
inline constexpr char kSetup[] = "Task Setup";
inline constexpr char kSetupFailure[] = "Setup Failure";
inline constexpr char kDownloadingArtifacts[] = "Downloading Artifacts";
inline constexpr char kArtifactDownloadFailed[] = "Failed Artifact Download";
inline constexpr char kDriverMessage[] = "Driver";
inline constexpr char kDriverFailure[] = "Driver Failure";
inline constexpr char kStarted[] = "Started";
inline constexpr char kTerminated[] = "Terminated";
inline constexpr char kRestarting[] = "Restarting";
inline constexpr char kNotRestarting[] = "Not Restarting";
inline constexpr char kKilling[] = "Killing";
inline constexpr char kKilled[] = "Killed";
inline constexpr char kSiblingFailed[] = "Sibling Task Failed";
inline constexpr char kAllocUnhealthy[] = "Alloc Unhealthy";
}  // namespace event

inline constexpr size_t kMaxTaskEvents = 10;

class TaskRunner {
 public:
  /// `stored` is the task's record from the state DB (null for a new task, which gets the
  /// Received event).
  TaskRunner(const RunnerContext& ctx, std::shared_ptr<const model::Allocation> alloc,
             const ir::Task& task, const nlohmann::json& stored);

  /// Runs until the task is dead (finished, failed or killed) or Shutdown() was called.
  void Run();
  /// Asks the task to stop (Killing/Killed); `sibling` names a failed sibling task, if any.
  /// A task that has not started is marked dead without starting.
  void Kill(const std::string& sibling = "");
  /// The agent stops: Run() returns soon, leaving the task running for a later RecoverTask.
  void Shutdown();
  /// A newer version of the allocation (same job version or an in-place update).
  void UpdateAlloc(std::shared_ptr<const model::Allocation> alloc);

  /// Marks a task that will never run as dead (its allocation stopped before its turn, or its
  /// setup failed: `failed`).
  void MarkSkipped(bool failed = false);
  void AddEvent(const std::string& type, const std::string& message, bool fails_task = false,
                std::map<std::string, std::string> details = {});

  const std::string& name() const { return task_.name; }
  const ir::Task& task() const { return task_; }
  model::TaskState State() const;
  bool IsDead() const;
  /// The driver's handle of the running task (tests: container id, pid).
  std::optional<drivers::TaskHandle> Handle() const;

 private:
  enum class Next { kContinue, kStop };
  Next HandleDecision(const RestartDecision& decision);
  RestartDecision Decide(bool start_failure, bool successful, bool recoverable);
  llvm::Expected<drivers::TaskConfig> BuildConfig(drivers::Driver& driver);
  llvm::Error FetchArtifacts(const class TaskEnv& env);
  void DoKill(drivers::Driver& driver);
  void MarkDead(bool failed);
  void SetState(const std::string& state);
  void Persist();
  void Changed();
  /// Sleeps up to `d`; false when woken by Kill()/Shutdown().
  bool SleepInterruptible(std::chrono::nanoseconds d);

  const RunnerContext& ctx_;
  ir::Task task_;
  const std::string alloc_id_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const model::Allocation> alloc_;
  model::TaskState state_;
  std::optional<drivers::TaskHandle> handle_;
  RestartTracker restarts_;
  bool kill_ = false;
  std::string kill_sibling_;
  bool shutdown_ = false;
  bool running_run_ = false;
};

/// Unix nanoseconds now.
int64_t NowNanos();

}  // namespace drover::client
