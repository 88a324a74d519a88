#include "runtime/client/alloc_runner.h"

#include <spdlog/spdlog.h>

#include "runtime/client/alloc_dir.h"
#include "runtime/client/state_db.h"
#include "runtime/store/model_json.h"

namespace drover::client {
namespace {

enum class Phase { kPrestart, kPrestartSidecar, kMain, kPoststart, kPoststop };

Phase PhaseOf(const ir::Task& t) {
  if (!t.lifecycle) return Phase::kMain;
  switch (t.lifecycle->hook) {
    case ir::LifecycleHook::kPrestart:
      return t.lifecycle->sidecar ? Phase::kPrestartSidecar : Phase::kPrestart;
    case ir::LifecycleHook::kPoststart:
      return Phase::kPoststart;
    case ir::LifecycleHook::kPoststop:
      return Phase::kPoststop;
  }
  return Phase::kMain;
}

}  // namespace

AllocRunner::AllocRunner(const RunnerContext& ctx, model::Allocation alloc,
                         const std::map<std::string, nlohmann::json>& stored_tasks)
    : ctx_(ctx), id_(alloc.id.ToString()) {
  alloc_ = std::make_shared<const model::Allocation>(std::move(alloc));
  created_at_ = NowNanos();
  const ir::TaskGroup* group =
      alloc_->job ? alloc_->job->spec.FindGroup(alloc_->task_group) : nullptr;
  if (group != nullptr) {
    for (const ir::Task& t : group->tasks) {
      auto it = stored_tasks.find(t.name);
      tasks_.push_back(std::make_unique<TaskRunner>(
          ctx_, alloc_, t, it == stored_tasks.end() ? nlohmann::json(nullptr) : it->second));
    }
  }
  if (alloc_->deployment_status && alloc_->deployment_status->healthy) {
    health_ = alloc_->deployment_status;
  }
  if (ctx_.db != nullptr) {
    if (llvm::Error err = ctx_.db->Put(StateDb::AllocKey(id_), store::EncodeAllocation(*alloc_))) {
      spdlog::error("client: {}", llvm::toString(std::move(err)));
    }
  }
}

AllocRunner::~AllocRunner() { Shutdown(false); }

std::shared_ptr<const model::Allocation> AllocRunner::alloc() const {
  std::lock_guard<std::mutex> lock(mu_);
  return alloc_;
}

TaskRunner* AllocRunner::Task(const std::string& task) {
  for (auto& t : tasks_) {
    if (t->name() == task) return t.get();
  }
  return nullptr;
}

void AllocRunner::Start() {
  thread_ = std::thread([this] { Run(); });
}

void AllocRunner::Notify() {
  cv_.notify_all();
  if (ctx_.on_change) ctx_.on_change(id_);
}

bool AllocRunner::Killing() const {
  std::lock_guard<std::mutex> lock(mu_);
  return kill_;
}

bool AllocRunner::ShuttingDown() const {
  std::lock_guard<std::mutex> lock(mu_);
  return shutdown_;
}

void AllocRunner::Update(model::Allocation alloc) {
  auto next = std::make_shared<const model::Allocation>(std::move(alloc));
  bool stop = next->ServerTerminal();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (next->deployment_id != alloc_->deployment_id) {
      health_.reset();
      all_running_since_ = 0;
      created_at_ = NowNanos();
    }
    alloc_ = next;
  }
  for (auto& t : tasks_) t->UpdateAlloc(next);
  if (ctx_.db != nullptr) {
    if (llvm::Error err = ctx_.db->Put(StateDb::AllocKey(id_), store::EncodeAllocation(*next))) {
      spdlog::error("client: {}", llvm::toString(std::move(err)));
    }
  }
  if (stop) Kill();
  Notify();
}

void AllocRunner::Kill() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (kill_) return;
    kill_ = true;
  }
  // Poststop tasks still run after the others are gone (the allocation's Run does that).
  for (auto& t : tasks_) {
    if (PhaseOf(t->task()) != Phase::kPoststop) t->Kill();
  }
  cv_.notify_all();
}

void AllocRunner::Shutdown(bool kill_tasks) {
  if (kill_tasks) {
    Kill();
    for (auto& t : tasks_) t->Kill();
    if (thread_.joinable()) thread_.join();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
  }
  for (auto& t : tasks_) t->Shutdown();
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& [name, th] : task_threads_) {
    if (th.joinable()) th.join();
  }
}

void AllocRunner::Destroy() {
  Kill();
  for (auto& t : tasks_) t->Kill();  // poststop tasks too
  if (thread_.joinable()) thread_.join();
  Shutdown(false);
  AllocDir dir(ctx_.alloc_root + "/" + id_);
  if (llvm::Error err = dir.Destroy()) {
    spdlog::warn("client: alloc {}: {}", id_, llvm::toString(std::move(err)));
  }
  if (ctx_.db != nullptr) {
    llvm::consumeError(ctx_.db->Delete(StateDb::AllocKey(id_)));
    llvm::consumeError(ctx_.db->DeletePrefix("task/" + id_ + "/"));
  }
}

void AllocRunner::RunTasks(const std::vector<TaskRunner*>& tasks) {
  for (TaskRunner* t : tasks) {
    if (task_threads_.count(t->name())) continue;
    task_threads_[t->name()] = std::thread([this, t] {
      t->Run();
      cv_.notify_all();
    });
  }
}

void AllocRunner::WaitUntil(const std::function<bool()>& done) {
  for (;;) {
    CheckHealth();
    if (ShuttingDown() || done()) return;
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(200));
  }
}

void AllocRunner::Run() {
  std::vector<std::string> names;
  for (auto& t : tasks_) names.push_back(t->name());
  AllocDir dir(ctx_.alloc_root + "/" + id_);
  if (llvm::Error err = dir.Build(names)) {
    std::string message = llvm::toString(std::move(err));
    for (auto& t : tasks_) {
      if (t->IsDead()) continue;
      t->AddEvent(event::kSetupFailure, "failed to build alloc dir: " + message, true);
      t->MarkSkipped(/*failed=*/true);
    }
    Notify();
    return;
  }
  std::map<Phase, std::vector<TaskRunner*>> phases;
  for (auto& t : tasks_) phases[PhaseOf(t->task())].push_back(t.get());
  auto all_dead = [](const std::vector<TaskRunner*>& ts) {
    for (TaskRunner* t : ts) {
      if (!t->IsDead()) return false;
    }
    return true;
  };
  auto any_failed = [](const std::vector<TaskRunner*>& ts) -> TaskRunner* {
    for (TaskRunner* t : ts) {
      if (t->State().failed) return t;
    }
    return nullptr;
  };
  auto kill_all_but_poststop = [&](const std::string& sibling) {
    for (auto& t : tasks_) {
      if (PhaseOf(t->task()) != Phase::kPoststop && !t->IsDead()) t->Kill(sibling);
    }
  };

  // Prestart: init tasks run to completion, sidecars keep running alongside the main tasks.
  RunTasks(phases[Phase::kPrestartSidecar]);
  RunTasks(phases[Phase::kPrestart]);
  WaitUntil([&] { return all_dead(phases[Phase::kPrestart]) || Killing(); });
  if (ShuttingDown()) return;
  if (Killing()) kill_all_but_poststop("");
  TaskRunner* failed = any_failed(phases[Phase::kPrestart]);
  if (failed != nullptr) kill_all_but_poststop(failed->name());

  if (!Killing() && failed == nullptr) {
    RunTasks(phases[Phase::kMain]);
    // Poststart tasks start once every main task runs (or has run).
    bool poststart_started = false;
    WaitUntil([&] {
      if (!poststart_started) {
        bool all_started = true;
        for (TaskRunner* t : phases[Phase::kMain]) {
          model::TaskState s = t->State();
          if (s.state == "pending" && s.started_at == 0) all_started = false;
        }
        if (all_started && !Killing()) {
          RunTasks(phases[Phase::kPoststart]);
          poststart_started = true;
        }
      }
      // A failed task takes its siblings down; so does the leader when it ends.
      if (TaskRunner* f = any_failed(phases[Phase::kMain])) {
        kill_all_but_poststop(f->name());
      } else {
        for (TaskRunner* t : phases[Phase::kMain]) {
          if (t->task().leader && t->IsDead()) kill_all_but_poststop("");
        }
      }
      if (Killing()) kill_all_but_poststop("");
      return all_dead(phases[Phase::kMain]);
    });
    if (ShuttingDown()) return;
    if (!poststart_started) {
      for (TaskRunner* t : phases[Phase::kPoststart]) t->MarkSkipped();
    }
  } else {
    for (TaskRunner* t : phases[Phase::kMain]) t->MarkSkipped();
    for (TaskRunner* t : phases[Phase::kPoststart]) t->MarkSkipped();
  }
  if (ShuttingDown()) return;
  // The main tasks are gone: stop the sidecars, then run the poststop tasks.
  for (Phase p : {Phase::kPrestartSidecar, Phase::kPoststart}) {
    for (TaskRunner* t : phases[p]) {
      if (!t->IsDead()) t->Kill();
    }
  }
  WaitUntil([&] {
    return all_dead(phases[Phase::kPrestartSidecar]) && all_dead(phases[Phase::kPoststart]) &&
           all_dead(phases[Phase::kPrestart]);
  });
  if (ShuttingDown()) return;
  RunTasks(phases[Phase::kPoststop]);
  WaitUntil([&] { return all_dead(phases[Phase::kPoststop]); });
  if (ShuttingDown()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
  }
  Notify();
}

void AllocRunner::CheckHealth() {
  std::shared_ptr<const model::Allocation> alloc;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (health_ || shutdown_) return;
    alloc = alloc_;
  }
  if (alloc->deployment_id.IsZero() || !alloc->job) return;
  const ir::TaskGroup* group = alloc->job->spec.FindGroup(alloc->task_group);
  if (group == nullptr || !group->update) return;
  const ir::UpdateStrategy& u = *group->update;
  if (u.health_check == ir::HealthCheckMode::kManual) return;
  if (u.max_parallel && *u.max_parallel == 0) return;
  const int64_t min_healthy =
      std::chrono::nanoseconds(u.min_healthy_time.value_or(std::chrono::seconds(10))).count();
  const int64_t deadline =
      std::chrono::nanoseconds(u.healthy_deadline.value_or(std::chrono::minutes(5))).count();
  const int64_t now = NowNanos();
  bool all_running = true, failed = false;
  for (auto& t : tasks_) {
    if (PhaseOf(t->task()) != Phase::kMain) continue;
    model::TaskState s = t->State();
    if (s.failed) failed = true;
    // A batch task that finished successfully counts as healthy.
    bool ok = s.state == "running" || (s.state == "dead" && !s.failed && s.started_at != 0);
    if (!ok) all_running = false;
  }
  std::optional<model::AllocDeploymentStatus> decided;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!all_running || failed) {
      all_running_since_ = 0;
    } else if (all_running_since_ == 0) {
      all_running_since_ = now;
    }
    if (failed) {
      decided = model::AllocDeploymentStatus{false, now, false, 0};
    } else if (all_running_since_ != 0 && now - all_running_since_ >= min_healthy) {
      decided = model::AllocDeploymentStatus{true, now, false, 0};
    } else if (now - created_at_ > deadline) {
      decided = model::AllocDeploymentStatus{false, now, false, 0};
    }
    if (decided) {
      if (alloc->deployment_status) decided->canary = alloc->deployment_status->canary;
      health_ = decided;
    }
  }
  if (!decided) return;
  if (!*decided->healthy && !failed) {
    std::string msg = "Task not running for min_healthy_time of " +
                      ir::FormatDuration(std::chrono::nanoseconds(min_healthy)) + " by deadline";
    for (auto& t : tasks_) {
      if (PhaseOf(t->task()) == Phase::kMain) t->AddEvent(event::kAllocUnhealthy, msg);
    }
  }
  Notify();
}

AllocReport AllocRunner::Report() const {
  AllocReport r;
  r.id = id_;
  bool pending = false, running = false, failed = false, dead = false;
  for (const auto& t : tasks_) {
    model::TaskState s = t->State();
    if (s.state == "running") {
      running = true;
    } else if (s.state == "pending") {
      pending = true;
    } else if (s.failed) {
      failed = true;
    } else {
      dead = true;
    }
    r.task_states[t->name()] = std::move(s);
  }
  if (failed) {
    r.client_status = model::ClientStatus::kFailed;
    r.client_description = "Failed tasks";
  } else if (running) {
    r.client_status = model::ClientStatus::kRunning;
    r.client_description = "Tasks are running";
  } else if (pending) {
    r.client_status = model::ClientStatus::kPending;
    r.client_description = "No tasks have started";
  } else if (dead) {
    r.client_status = model::ClientStatus::kComplete;
    r.client_description = "All tasks have completed";
  }
  std::lock_guard<std::mutex> lock(mu_);
  r.deployment_status = health_;
  return r;
}

bool AllocRunner::IsDone() const {
  for (const auto& t : tasks_) {
    if (!t->IsDead()) return false;
  }
  return true;
}

}  // namespace drover::client
