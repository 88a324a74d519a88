// The bookkeeping every driver that runs tasks in the background keeps: one entry per task with
// the handle it was started or recovered from and its exit once a watcher thread has seen it
// (TrackedTask), and the map from task id to entry behind a mutex (TaskTable). Drivers derive
// their own task struct from TrackedTask and add what they watch (a container, a process).
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "runtime/drivers/driver.h"

namespace drover::drivers {

/// One task a driver watches. Thread-safe: `mu` guards `exit` and `completed_at`; `handle` is
/// set before the entry is shared and never changed after.
struct TrackedTask {
  TaskHandle handle;

  std::mutex mu;
  std::condition_variable cv;
  std::optional<ExitResult> exit;
  SystemTime completed_at{};

  /// Tells the watcher threads to return.
  std::atomic<bool> stop{false};

  /// Records how the task ended; the first result wins and wakes every WaitFor.
  void SetExit(ExitResult r);
  /// The exit, waiting up to `timeout` for it; nothing while the task still runs.
  std::optional<ExitResult> WaitFor(std::chrono::milliseconds timeout);
  bool Exited();
  /// InspectTask's common part: id, name, start and, once exited, the result and its time.
  /// Drivers add their own driver_attributes.
  TaskStatus Status(const std::string& task_id);
};

/// The driver's tasks by id. Thread-safe; entries are shared so that a lookup stays valid after
/// the task is erased.
template <typename Task>
class TaskTable {
 public:
  /// The task, or null when there is none with that id.
  std::shared_ptr<Task> Find(const std::string& task_id) const {
    std::lock_guard lock(mu_);
    auto it = tasks_.find(task_id);
    return it == tasks_.end() ? nullptr : it->second;
  }

  /// The task, or the driver error `<driver>: unknown task `<id>``.
  llvm::Expected<std::shared_ptr<Task>> FindOrError(std::string_view driver,
                                                    const std::string& task_id) const {
    std::shared_ptr<Task> t = Find(task_id);
    if (!t) return MakeDriverError(fmt::format("{}: unknown task `{}`", driver, task_id));
    return t;
  }

  /// Adds or replaces the task under `task_id`.
  void Put(const std::string& task_id, std::shared_ptr<Task> task) {
    std::lock_guard lock(mu_);
    tasks_[task_id] = std::move(task);
  }

  /// Adds the task unless one with that id is there already (then returns false and keeps it).
  bool Insert(const std::string& task_id, std::shared_ptr<Task> task) {
    std::lock_guard lock(mu_);
    return tasks_.try_emplace(task_id, std::move(task)).second;
  }

  void Erase(const std::string& task_id) {
    std::lock_guard lock(mu_);
    tasks_.erase(task_id);
  }

  /// Empties the table and returns what it held (for a driver's destructor).
  std::map<std::string, std::shared_ptr<Task>> TakeAll() {
    std::map<std::string, std::shared_ptr<Task>> tasks;
    std::lock_guard lock(mu_);
    tasks.swap(tasks_);
    return tasks;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Task>> tasks_;
};

}  // namespace drover::drivers
