#include "runtime/client/task_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "runtime/client/alloc_dir.h"
#include "runtime/client/artifact.h"
#include "runtime/client/state_db.h"
#include "runtime/client/task_env.h"
#include "runtime/store/model_json.h"

namespace drover::client {
namespace {

using nlohmann::json;

bool IsBatch(const model::Allocation& alloc) {
  if (!alloc.job) return false;
  auto type = alloc.job->spec.type.value_or(ir::JobType::kService);
  return type == ir::JobType::kBatch || type == ir::JobType::kSysbatch;
}

ir::RestartPolicy PolicyOf(const model::Allocation& alloc, const ir::Task& task) {
  if (task.restart_policy) return *task.restart_policy;
  if (alloc.job) {
    if (const ir::TaskGroup* g = alloc.job->spec.FindGroup(alloc.task_group)) {
      if (g->restart_policy) return *g->restart_policy;
    }
  }
  return {};
}

std::string FormatSeconds(std::chrono::nanoseconds d) {
  // Go's time.Duration String() rounded to what a person reads ("15.2s", "5s", "1m0s").
  return ir::FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(d));
}

model::TaskState DecodeStoredState(const json& stored, const std::string& task) {
  if (!stored.is_object() || !stored.contains("State")) return {};
  json wrapper = {{"TaskStates", {{task, stored["State"]}}}};
  auto decoded = store::DecodeAllocation(wrapper);
  if (!decoded) {
    llvm::consumeError(decoded.takeError());
    return {};
  }
  auto it = decoded->task_states.find(task);
  return it == decoded->task_states.end() ? model::TaskState{} : it->second;
}

}  // namespace

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TaskRunner::TaskRunner(const RunnerContext& ctx, std::shared_ptr<const model::Allocation> alloc,
                       const ir::Task& task, const json& stored)
    : ctx_(ctx),
      task_(task),
      alloc_id_(alloc->id.ToString()),
      alloc_(alloc),
      restarts_(PolicyOf(*alloc, task), IsBatch(*alloc),
                std::hash<std::string>{}(alloc_id_ + task.name)) {
  if (stored.is_object()) {
    state_ = DecodeStoredState(stored, task.name);
    if (stored.contains("Handle") && stored["Handle"].is_object()) {
      auto h = drivers::TaskHandle::FromJson(stored["Handle"]);
      if (h) {
        handle_ = std::move(*h);
      } else {
        spdlog::warn("client: alloc {} task {}: stored handle unreadable: {}", alloc_id_, task.name,
                     llvm::toString(h.takeError()));
      }
    }
    if (stored.contains("Restarts")) restarts_.FromJson(stored["Restarts"]);
  } else {
    state_.state = "pending";
    std::lock_guard<std::mutex> lock(mu_);
    model::TaskEvent e;
    e.type = event::kReceived;
    e.time = NowNanos();
    e.message = "Task received by client";
    state_.events.push_back(e);
    Persist();
  }
}

model::TaskState TaskRunner::State() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

bool TaskRunner::IsDead() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_.state == "dead";
}

std::optional<drivers::TaskHandle> TaskRunner::Handle() const {
  std::lock_guard<std::mutex> lock(mu_);
  return handle_;
}

void TaskRunner::Persist() {
  // REQUIRES: mu_ held.
  if (ctx_.db == nullptr) return;
  json record = {{"State", store::EncodeTaskState(state_)},
                 {"Handle", handle_ ? handle_->ToJson() : json(nullptr)},
                 {"Restarts", restarts_.ToJson()}};
  if (llvm::Error err = ctx_.db->Put(StateDb::TaskKey(alloc_id_, task_.name), record)) {
    spdlog::error("client: {}", llvm::toString(std::move(err)));
  }
}

void TaskRunner::Changed() {
  if (ctx_.on_change) ctx_.on_change(alloc_id_);
}

void TaskRunner::AddEvent(const std::string& type, const std::string& message, bool fails_task,
                          std::map<std::string, std::string> details) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    model::TaskEvent e;
    e.type = type;
    e.time = NowNanos();
    e.message = message;
    e.fails_task = fails_task;
    if (auto it = details.find("exit_code"); it != details.end())
      e.exit_code = std::stoi(it->second);
    if (auto it = details.find("signal"); it != details.end()) e.signal = std::stoi(it->second);
    e.details = std::move(details);
    state_.events.push_back(std::move(e));
    while (state_.events.size() > kMaxTaskEvents) state_.events.erase(state_.events.begin());
    Persist();
  }
  spdlog::debug("client: alloc {} task {}: {}: {}", alloc_id_, task_.name, type, message);
  Changed();
}

void TaskRunner::SetState(const std::string& state) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_.state = state;
    if (state == "running" && state_.started_at == 0) state_.started_at = NowNanos();
    Persist();
  }
  Changed();
}

void TaskRunner::MarkDead(bool failed) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_.state = "dead";
    state_.failed = state_.failed || failed;
    state_.finished_at = NowNanos();
    handle_.reset();
    Persist();
  }
  Changed();
}

void TaskRunner::MarkSkipped(bool failed) {
  if (IsDead()) return;
  MarkDead(failed);
}

void TaskRunner::Kill(const std::string& sibling) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (kill_) return;
    kill_ = true;
    kill_sibling_ = sibling;
  }
  cv_.notify_all();
}

void TaskRunner::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
  }
  cv_.notify_all();
}

void TaskRunner::UpdateAlloc(std::shared_ptr<const model::Allocation> alloc) {
  std::lock_guard<std::mutex> lock(mu_);
  alloc_ = std::move(alloc);
}

bool TaskRunner::SleepInterruptible(std::chrono::nanoseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, d, [&] { return kill_ || shutdown_; });
}

llvm::Error TaskRunner::FetchArtifacts(const TaskEnv& env) {
  AddEvent(event::kDownloadingArtifacts, "Client is downloading artifacts");
  const std::string task_dir = AllocDir(ctx_.alloc_root + "/" + alloc_id_).TaskDir(task_.name);
  for (const ir::Artifact& a : task_.artifacts) {
    ir::Artifact rendered = a;
    rendered.source = env.Render(a.source);
    rendered.destination = env.Render(a.destination);
    for (auto& [k, v] : rendered.options) v = env.Render(v);
    for (auto& [k, v] : rendered.headers) v = env.Render(v);
    if (llvm::Error err = FetchArtifact(rendered, task_dir)) {
      return llvm::createStringError(std::errc::io_error, "failed to download artifact \"%s\": %s",
                                     rendered.source.c_str(),
                                     llvm::toString(std::move(err)).c_str());
    }
  }
  return llvm::Error::success();
}

llvm::Expected<drivers::TaskConfig> TaskRunner::BuildConfig(drivers::Driver& driver) {
  std::shared_ptr<const model::Allocation> alloc;
  {
    std::lock_guard<std::mutex> lock(mu_);
    alloc = alloc_;
  }
  const ir::TaskGroup* group = alloc->job ? alloc->job->spec.FindGroup(alloc->task_group) : nullptr;
  if (group == nullptr) {
    return llvm::createStringError(std::errc::invalid_argument,
                                   "allocation has no task group `%s` in its job",
                                   alloc->task_group.c_str());
  }
  AllocDir dir(ctx_.alloc_root + "/" + alloc_id_);
  TaskPaths paths;
  paths.alloc_dir = dir.root();
  paths.task_dir = dir.TaskDir(task_.name);
  paths.isolated = driver.GetCapabilities().fs_isolation != drivers::FsIsolation::kNone;
  model::Node node = ctx_.node ? ctx_.node() : model::Node{};
  static const std::map<std::string, std::string> kNoEnv;
  TaskEnv env = TaskEnv::Build(*alloc, *group, task_, node, ctx_.region, paths,
                               paths.isolated ? kNoEnv : ctx_.host_env);
  if (!task_.artifacts.empty()) {
    if (llvm::Error err = FetchArtifacts(env)) return err;
  }
  drivers::TaskConfig c;
  c.id = drivers::MakeTaskId(alloc_id_, task_.name);
  c.alloc_id = alloc_id_;
  c.namespace_name = alloc->namespace_;
  c.job_name = alloc->job_id;
  c.group_name = alloc->task_group;
  c.task_name = task_.name;
  c.config = env.RenderJson(task_.config);
  c.env = env.vars();
  c.user = task_.user;
  c.resources.cpu_mhz = task_.resources.cpu.value_or(100);
  c.resources.memory_mb = task_.resources.memory_mb.value_or(300);
  c.resources.memory_max_mb = task_.resources.memory_max_mb.value_or(0);
  for (const model::AllocatedTaskResources& r : alloc->resources.tasks) {
    if (r.task != task_.name) continue;
    c.resources.cpu_mhz = r.cpu_mhz;
    c.resources.memory_mb = r.memory_mb;
    c.resources.memory_max_mb = r.memory_max_mb;
  }
  c.ports = env.ports();
  c.kill_signal = task_.kill_signal;
  auto kill_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      task_.kill_timeout.value_or(std::chrono::seconds(5)));
  c.kill_timeout = std::min(kill_timeout, ctx_.max_kill_timeout);
  c.alloc_dir = dir.root();
  c.task_dir = paths.task_dir;
  c.logs.dir = dir.LogDir();
  if (task_.log_config) {
    c.logs.max_files = task_.log_config->max_files.value_or(10);
    c.logs.max_file_size_mb = task_.log_config->max_file_size_mb.value_or(10);
  }
  return c;
}

RestartDecision TaskRunner::Decide(bool start_failure, bool successful, bool recoverable) {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::system_clock::now();
  return start_failure ? restarts_.OnStartFailure(now, recoverable)
                       : restarts_.OnExit(now, successful);
}

TaskRunner::Next TaskRunner::HandleDecision(const RestartDecision& d) {
  using Kind = RestartDecision::Kind;
  switch (d.kind) {
    case Kind::kTerminated:
      MarkDead(false);
      return Next::kStop;
    case Kind::kNoRestart:
      AddEvent(event::kNotRestarting, d.reason, /*fails_task=*/true);
      MarkDead(true);
      return Next::kStop;
    case Kind::kRestart:
      break;
  }
  std::string message = "Task restarting in " + FormatSeconds(d.delay);
  if (d.reason != kReasonWithinPolicy) message = d.reason + " - " + message;
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_.restarts++;
    state_.last_restart = NowNanos();
    state_.state = "pending";
  }
  AddEvent(event::kRestarting, message, false, {{"restart_reason", d.reason}});
  if (!SleepInterruptible(d.delay)) {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutdown_) return Next::kStop;  // the agent stops; the next one starts the task again
  }
  bool killed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    killed = kill_;
  }
  if (killed) {
    MarkDead(false);
    return Next::kStop;
  }
  return Next::kContinue;
}

void TaskRunner::DoKill(drivers::Driver& driver) {
  std::string task_id, sibling;
  std::string signal = task_.kill_signal;
  {
    std::lock_guard<std::mutex> lock(mu_);
    task_id = handle_ ? handle_->config.id : "";
    sibling = kill_sibling_;
  }
  if (!sibling.empty()) {
    AddEvent(event::kSiblingFailed, fmt::format("Task's sibling \"{}\" failed", sibling));
  }
  auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::min<std::chrono::nanoseconds>(
          task_.kill_timeout.value_or(std::chrono::seconds(5)), ctx_.max_kill_timeout));
  AddEvent(
      event::kKilling,
      fmt::format("Sent interrupt. Waiting {} before force killing", ir::FormatDuration(timeout)),
      false, {{"kill_timeout", ir::FormatDuration(timeout)}});
  llvm::Error stop = driver.StopTask(task_id, timeout, signal);
  std::string stop_error;
  if (stop) stop_error = llvm::toString(std::move(stop));
  if (llvm::Error err = driver.DestroyTask(task_id, /*force=*/true)) {
    spdlog::warn("client: alloc {} task {}: destroy: {}", alloc_id_, task_.name,
                 llvm::toString(std::move(err)));
  }
  if (stop_error.empty()) {
    AddEvent(event::kKilled, "Task successfully killed");
  } else {
    AddEvent(event::kKilled, "Task killed: " + stop_error, false, {{"kill_error", stop_error}});
  }
  MarkDead(false);
}

void TaskRunner::Run() {
  if (IsDead()) return;
  drivers::Driver* driver = ctx_.driver ? ctx_.driver(task_.driver) : nullptr;
  bool attached = false;
  {
    std::optional<drivers::TaskHandle> stored;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (state_.state == "running") stored = handle_;
    }
    if (stored && driver != nullptr) {
      if (llvm::Error err = driver->RecoverTask(*stored)) {
        spdlog::warn("client: alloc {} task {}: could not re-attach: {}", alloc_id_, task_.name,
                     llvm::toString(std::move(err)));
        std::lock_guard<std::mutex> lock(mu_);
        handle_.reset();
      } else {
        spdlog::info("client: alloc {} task {}: re-attached to {}", alloc_id_, task_.name,
                     stored->config.id);
        attached = true;
      }
    }
  }
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (shutdown_) return;
    }
    if (!attached) {
      bool killed;
      {
        std::lock_guard<std::mutex> lock(mu_);
        killed = kill_;
      }
      if (killed) {
        MarkDead(false);
        return;
      }
      if (driver == nullptr) {
        AddEvent(event::kDriverFailure,
                 fmt::format("failed to start task: driver \"{}\" is not available on this node",
                             task_.driver),
                 true);
        if (HandleDecision(Decide(false, false, true)) == Next::kStop) return;
        continue;
      }
      AddEvent(event::kSetup, "Building Task Directory");
      auto config = BuildConfig(*driver);
      if (!config) {
        std::string message = llvm::toString(config.takeError());
        bool artifact = message.starts_with("failed to download artifact");
        AddEvent(artifact ? event::kArtifactDownloadFailed : event::kSetupFailure, message,
                 /*fails_task=*/!artifact);
        auto decision = Decide(true, false, artifact);
        if (HandleDecision(decision) == Next::kStop) return;
        continue;
      }
      auto handle = driver->StartTask(*config);
      if (!handle) {
        drivers::ErrorSummary summary = drivers::SummarizeError(handle.takeError());
        AddEvent(event::kDriverFailure, summary.message, !summary.recoverable);
        auto decision = Decide(true, false, summary.recoverable);
        if (HandleDecision(decision) == Next::kStop) return;
        continue;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        handle_ = std::move(*handle);
        Persist();
      }
      SetState("running");
      AddEvent(event::kStarted, "Task started by client");
    }
    attached = false;

    // Wait for the task to exit, or for a kill or the agent's shutdown.
    std::string task_id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      task_id = handle_ ? handle_->config.id : "";
    }
    drivers::ExitResult result;
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (shutdown_) return;  // leave the task running
        if (kill_) break;
      }
      auto waited = driver->WaitTask(task_id, std::chrono::milliseconds(250));
      if (!waited) {
        result.err = llvm::toString(waited.takeError());
        result.exit_code = -1;
        break;
      }
      if (*waited) {
        result = **waited;
        break;
      }
    }
    bool killed;
    {
      std::lock_guard<std::mutex> lock(mu_);
      killed = kill_;
    }
    if (killed && result.exit_code == 0 && result.err.empty()) {
      DoKill(*driver);
      return;
    }
    std::string message = fmt::format("Exit Code: {}", result.exit_code);
    if (result.signal != 0) message += fmt::format(", Signal: {}", result.signal);
    std::map<std::string, std::string> details = {{"exit_code", std::to_string(result.exit_code)},
                                                  {"signal", std::to_string(result.signal)}};
    if (result.oom_killed) {
      message += ", Exit Message: \"OOM Killed\"";
      details["oom_killed"] = "true";
    } else if (!result.err.empty()) {
      message += fmt::format(", Exit Message: \"{}\"", result.err);
      details["exit_message"] = result.err;
    }
    AddEvent(event::kTerminated, message, false, details);
    if (llvm::Error err = driver->DestroyTask(task_id, /*force=*/true)) {
      spdlog::debug("client: alloc {} task {}: destroy: {}", alloc_id_, task_.name,
                    llvm::toString(std::move(err)));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      handle_.reset();
      Persist();
    }
    if (killed) {
      MarkDead(false);
      return;
    }
    auto decision = Decide(false, result.Successful(), true);
    if (HandleDecision(decision) == Next::kStop) return;
  }
}

}  // namespace drover::client
