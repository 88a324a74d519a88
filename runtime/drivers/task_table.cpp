// TrackedTask: the exit a watcher records and the waits and status reads that see it.
#include "runtime/drivers/task_table.h"

namespace drover::drivers {

void TrackedTask::SetExit(ExitResult r) {
  std::lock_guard lock(mu);
  if (exit) return;
  exit = std::move(r);
  completed_at = std::chrono::system_clock::now();
  cv.notify_all();
}

std::optional<ExitResult> TrackedTask::WaitFor(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu);
  cv.wait_for(lock, timeout, [&] { return exit.has_value(); });
  return exit;
}

bool TrackedTask::Exited() {
  std::lock_guard lock(mu);
  return exit.has_value();
}

TaskStatus TrackedTask::Status(const std::string& task_id) {
  TaskStatus s;
  s.id = task_id;
  s.name = handle.config.task_name;
  s.started_at = handle.started_at;
  std::lock_guard lock(mu);
  s.state = exit ? TaskState::kExited : TaskState::kRunning;
  s.exit_result = exit;
  s.completed_at = completed_at;
  return s;
}

}  // namespace drover::drivers
