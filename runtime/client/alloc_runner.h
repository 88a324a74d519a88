// Runs one allocation: builds its directory, runs its task runners in lifecycle order (prestart
// tasks to completion and prestart sidecars alongside, then the main tasks, poststart tasks once
// the main tasks run, poststop tasks after everything else), kills the siblings when a task fails
// or the leader dies, stops everything when the server desires it, and derives what the client
// reports: ClientStatus (pending, running, complete, failed, as Nomad's getClientStatus),
// ClientDescription, TaskStates, and for allocations in a deployment the health (healthy once
// every main task has run for `min_healthy_time`, unhealthy when a task fails or
// `healthy_deadline` passes; service checks are not run by the client yet, so
// `health_check = "checks"` behaves as "task_states").
//
// Threading: one thread per allocation plus one per running task; the public methods may be
// called from any thread.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/model/types.h"
#include "runtime/client/task_runner.h"

namespace drover::client {

/// What the client sends for one allocation with Node.UpdateAlloc.
struct AllocReport {
  std::string id;
  model::ClientStatus client_status = model::ClientStatus::kPending;
  std::string client_description;
  std::map<std::string, model::TaskState> task_states;
  std::optional<model::AllocDeploymentStatus> deployment_status;
};

class AllocRunner {
 public:
  /// `stored_tasks`: task name -> the record from the state DB (empty for a new allocation).
  AllocRunner(const RunnerContext& ctx, model::Allocation alloc,
              const std::map<std::string, nlohmann::json>& stored_tasks = {});
  ~AllocRunner();
  AllocRunner(const AllocRunner&) = delete;
  AllocRunner& operator=(const AllocRunner&) = delete;

  void Start();
  /// A newer version from the server: a desired stop kills the tasks.
  void Update(model::Allocation alloc);
  /// Stops every task (as a desired stop does).
  void Kill();
  /// The agent stops: threads end, tasks keep running (unless `kill_tasks`, used by -dev agents
  /// whose state is thrown away).
  void Shutdown(bool kill_tasks);
  /// Kills the tasks, waits for them and removes the allocation's directory and stored state.
  void Destroy();

  AllocReport Report() const;
  /// Every task is dead.
  bool IsDone() const;
  const std::string& id() const { return id_; }
  std::shared_ptr<const model::Allocation> alloc() const;
  /// The task runner named `task`, or null (tests, driver events).
  TaskRunner* Task(const std::string& task);

 private:
  void Run();
  void RunTasks(const std::vector<TaskRunner*>& tasks);
  void WaitUntil(const std::function<bool()>& done);
  void CheckHealth();
  void Notify();
  bool Killing() const;
  bool ShuttingDown() const;

  const RunnerContext& ctx_;
  const std::string id_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const model::Allocation> alloc_;
  std::vector<std::unique_ptr<TaskRunner>> tasks_;
  std::map<std::string, std::thread> task_threads_;
  std::thread thread_;
  bool kill_ = false;
  bool shutdown_ = false;
  bool finished_ = false;
  std::optional<model::AllocDeploymentStatus> health_;
  int64_t all_running_since_ = 0;
  int64_t created_at_ = 0;
};

}  // namespace drover::client
