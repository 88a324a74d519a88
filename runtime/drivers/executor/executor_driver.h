// What the exec and raw_exec drivers share: a task is an executor process (executor_spec.h) that
// the driver starts, hands a spec, and then watches through a pidfd; how the task ended is read
// from the status file the executor leaves, so a driver created after an agent restart reads it
// the same way. Subclasses decide the isolation (PrepareSpec) and their plugin config.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "runtime/drivers/driver.h"
#include "runtime/drivers/executor/executor_spec.h"
#include "runtime/drivers/task_table.h"

namespace drover::drivers {

class ExecutorDriver : public Driver {
 public:
  ~ExecutorDriver() override;

  llvm::Expected<TaskHandle> StartTask(const TaskConfig& config) override;
  llvm::Error RecoverTask(const TaskHandle& handle) override;
  llvm::Expected<std::optional<ExitResult>> WaitTask(const std::string& task_id,
                                                     std::chrono::milliseconds timeout) override;
  llvm::Error StopTask(const std::string& task_id, std::chrono::milliseconds timeout,
                       const std::string& signal) override;
  llvm::Error DestroyTask(const std::string& task_id, bool force) override;
  llvm::Expected<TaskStatus> InspectTask(const std::string& task_id) override;
  llvm::Error SignalTask(const std::string& task_id, const std::string& signal) override;

 protected:
  explicit ExecutorDriver(DriverContext context) : context_(std::move(context)) {}

  /// Refuses to start anything (raw_exec when not enabled); success by default.
  virtual llvm::Error CheckCanStart() const { return llvm::Error::success(); }
  /// Fills the driver-specific part of `spec` (isolation, user, cgroups, cwd).
  virtual llvm::Error PrepareSpec(const TaskConfig& config, ExecutorSpec& spec) const = 0;

 private:
  struct Task;
  void StartWatcher(const std::shared_ptr<Task>& task);
  static void Watch(const std::shared_ptr<Task>& task);
  int ResolveKillSignal(const Task& task, const std::string& signal, llvm::Error& err) const;

  DriverContext context_;
  TaskTable<Task> tasks_;
};

/// Starts `drover executor <spec>` detached from the caller (own session, stdio to the executor
/// log) and waits up to `timeout` for its handshake. Exposed for tests.
llvm::Expected<ExecutorHandshake> SpawnExecutor(const std::vector<std::string>& command_prefix,
                                                const ExecutorSpec& spec,
                                                std::chrono::milliseconds timeout);

}  // namespace drover::drivers
