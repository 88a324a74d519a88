#include "runtime/drivers/executor/executor_driver.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "runtime/drivers/process.h"

namespace drover::drivers {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kHandshakeTimeout = 10s;
constexpr auto kKillGrace = 10s;  // after SIGKILL, for the executor to record the exit

std::string LastLines(const std::string& path, size_t max_lines) {
  std::ifstream f(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty()) continue;
    lines.push_back(line);
    if (lines.size() > max_lines) lines.erase(lines.begin());
  }
  std::string out;
  for (const std::string& l : lines) out += (out.empty() ? "" : "; ") + l;
  return out;
}

llvm::Error ValidateTaskConfig(const TaskConfig& config, std::string_view driver) {
  for (const auto& [key, value] : config.config.items()) {
    if (key != "command" && key != "args") {
      return MakeDriverError(fmt::format("{}: unsupported config option `{}`", driver, key));
    }
  }
  auto cmd = config.config.find("command");
  if (cmd == config.config.end() || !cmd->is_string() || cmd->get<std::string>().empty()) {
    return MakeDriverError(fmt::format("{}: config option `command` is required", driver));
  }
  if (auto args = config.config.find("args"); args != config.config.end()) {
    bool ok = args->is_array() &&
              std::all_of(args->begin(), args->end(), [](const json& a) { return a.is_string(); });
    if (!ok) {
      return MakeDriverError(fmt::format("{}: `args` must be a list of strings", driver));
    }
  }
  if (config.alloc_dir.empty() || config.task_dir.empty() || config.logs.dir.empty()) {
    return MakeDriverError(fmt::format("{}: the task has no alloc, task or log directory", driver));
  }
  return llvm::Error::success();
}

}  // namespace

struct ExecutorDriver::Task : TrackedTask {
  ProcessRef executor;
  ProcessRef task;
  std::string state_dir;
  CgroupMode cgroup_mode = CgroupMode::kNone;
  std::vector<std::string> cgroups;

  std::thread watcher;

  std::string StatusPath() const { return state_dir + "/status.json"; }
};

llvm::Expected<ExecutorHandshake> SpawnExecutor(const std::vector<std::string>& command_prefix,
                                                const ExecutorSpec& spec,
                                                std::chrono::milliseconds timeout) {
  auto sys_error = [](const std::string& what) {
    return MakeDriverError(what + ": " + std::strerror(errno), /*recoverable=*/true);
  };
  std::vector<std::string> args = command_prefix;
  args.push_back(spec.SpecPath());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int hs[2];
  if (pipe2(hs, O_CLOEXEC) != 0) return sys_error("pipe");
  int log_fd = open(spec.LogPath().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) {
    close(hs[0]);
    close(hs[1]);
    return sys_error("cannot open " + spec.LogPath());
  }
  pid_t pid = fork();
  if (pid < 0) return sys_error("fork");
  if (pid == 0) {
    // Async-signal-safe calls only: the parent has other threads.
    setsid();  // out of the agent's session and process group: its signals are not ours
    int targets[4] = {null_fd, log_fd, log_fd, hs[1]};
    for (int fd = 0; fd < 4; ++fd) {
      if (targets[fd] == fd) {
        fcntl(fd, F_SETFD, 0);
      } else {
        dup2(targets[fd], fd);
      }
    }
    close_range(4, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; ++s) {
      if (s != SIGKILL && s != SIGSTOP) sigaction(s, &dfl, nullptr);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(hs[1]);
  close(log_fd);
  close(null_fd);

  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool eof = false;
  while (line.find('\n') == std::string::npos && !eof) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{hs[0], POLLIN, 0};
    int rc = poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;
    char buf[4096];
    ssize_t n = read(hs[0], buf, sizeof buf);
    if (n > 0) {
      line.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      eof = true;
    }
  }
  close(hs[0]);
  if (line.find('\n') == std::string::npos) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    std::string log = LastLines(spec.LogPath(), 3);
    if (!eof) {
      return MakeDriverError(fmt::format("executor did not start within {} ms{}", timeout.count(),
                                         log.empty() ? "" : ": " + log),
                             true);
    }
    return MakeDriverError(
        "executor exited before starting the task" + (log.empty() ? "" : ": " + log), true);
  }
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  ExecutorHandshake h = ExecutorHandshake::FromJson(j.is_object() ? j : json::object());
  if (!h.ok) {
    waitpid(pid, nullptr, 0);  // it exits right after a failed handshake
    return MakeDriverError(h.error.empty() ? "executor failed: " + line : h.error);
  }
  return h;
}

ExecutorDriver::~ExecutorDriver() {
  std::map<std::string, std::shared_ptr<Task>> tasks = tasks_.TakeAll();
  // The tasks keep running: only the watchers stop, as when the agent exits.
  for (auto& [id, task] : tasks) task->stop = true;
  for (auto& [id, task] : tasks) {
    if (task->watcher.joinable()) task->watcher.join();
  }
}

void ExecutorDriver::Watch(const std::shared_ptr<Task>& t) {
  int pfd = OpenPidfd(t->executor);
  if (pfd >= 0) {
    while (!t->stop) {
      pollfd p{pfd, POLLIN, 0};
      if (poll(&p, 1, 100) > 0) break;
    }
    close(pfd);
    if (t->stop && IsRunning(t->executor)) return;  // the driver goes away; the task stays
  }
  ReapIfChild(t->executor.pid);
  std::optional<ExitResult> r = ReadExitStatus(t->StatusPath());
  if (!r) {
    r = ExitResult{};
    r->err = "executor exited without recording the task's exit status";
    std::string log = LastLines(t->state_dir + "/executor.log", 3);
    if (!log.empty()) r->err += ": " + log;
  }
  t->SetExit(std::move(*r));
}

void ExecutorDriver::StartWatcher(const std::shared_ptr<Task>& task) {
  task->watcher = std::thread([task] {
    try {
      Watch(task);
    } catch (const std::exception& e) {  // never let a thread end the agent
      ExitResult r;
      r.err = std::string("lost track of the executor: ") + e.what();
      task->SetExit(r);
    }
  });
}

llvm::Expected<TaskHandle> ExecutorDriver::StartTask(const TaskConfig& config) {
  if (llvm::Error e = CheckCanStart()) return e;
  if (llvm::Error e = ValidateTaskConfig(config, Name())) return e;
  if (tasks_.Find(config.id)) {
    return MakeDriverError(fmt::format("{}: task `{}` is already running", Name(), config.id));
  }

  ExecutorSpec spec;
  spec.task_id = config.id;
  spec.command = config.config["command"].get<std::string>();
  spec.args = config.config.value("args", std::vector<std::string>{});
  spec.env = config.env;
  spec.task_dir = config.task_dir;
  spec.alloc_shared_dir = config.SharedAllocDir();
  spec.log_dir = config.logs.dir;
  spec.stdout_base = config.task_name + ".stdout";
  spec.stderr_base = config.task_name + ".stderr";
  spec.max_files = std::max(1, config.logs.max_files);
  spec.max_file_size = static_cast<uint64_t>(std::max(1, config.logs.max_file_size_mb)) << 20;
  spec.state_dir = config.alloc_dir + "/.drover/" + config.task_name;
  if (llvm::Error e = PrepareSpec(config, spec)) return e;

  std::error_code ec;
  fs::create_directories(spec.state_dir, ec);
  if (ec) {
    return MakeDriverError(fmt::format("cannot create {}: {}", spec.state_dir, ec.message()));
  }
  chmod(spec.state_dir.c_str(), 0700);
  chmod((config.alloc_dir + "/.drover").c_str(), 0700);
  {
    std::ofstream f(spec.SpecPath(), std::ios::trunc);
    f << spec.ToJson().dump(2) << "\n";
    if (!f) return MakeDriverError("cannot write " + spec.SpecPath());
  }

  llvm::Expected<ExecutorHandshake> hs =
      SpawnExecutor(context_.executor_command, spec, kHandshakeTimeout);
  if (!hs) return hs.takeError();

  auto task = std::make_shared<Task>();
  task->executor = {hs->executor_pid, hs->executor_start};
  task->task = {hs->task_pid, hs->task_start};
  task->state_dir = spec.state_dir;
  task->cgroups = hs->cgroups;
  task->cgroup_mode = hs->cgroup_mode == "v1"   ? CgroupMode::kV1
                      : hs->cgroup_mode == "v2" ? CgroupMode::kV2
                                                : CgroupMode::kNone;
  TaskHandle& h = task->handle;
  h.driver = std::string(Name());
  h.config = config;
  h.state = TaskState::kRunning;
  h.started_at = std::chrono::system_clock::now();
  h.driver_state = {{"executor_pid", hs->executor_pid},
                    {"executor_start", hs->executor_start},
                    {"task_pid", hs->task_pid},
                    {"task_start", hs->task_start},
                    {"state_dir", spec.state_dir},
                    {"cgroup_mode", hs->cgroup_mode},
                    {"cgroups", hs->cgroups}};
  tasks_.Put(config.id, task);
  StartWatcher(task);
  return h;
}

llvm::Error ExecutorDriver::RecoverTask(const TaskHandle& handle) {
  if (handle.driver != Name()) {
    return MakeDriverError(
        fmt::format("{}: cannot recover a task of driver `{}`", Name(), handle.driver));
  }
  if (tasks_.Find(handle.config.id)) return llvm::Error::success();
  const json& s = handle.driver_state;
  auto task = std::make_shared<Task>();
  task->handle = handle;
  std::string mode;
  try {
    task->executor = {s.value("executor_pid", 0), s.value("executor_start", uint64_t{0})};
    task->task = {s.value("task_pid", 0), s.value("task_start", uint64_t{0})};
    task->state_dir = s.value("state_dir", "");
    task->cgroups = s.value("cgroups", std::vector<std::string>{});
    mode = s.value("cgroup_mode", "");
  } catch (const json::exception& e) {
    return MakeDriverError(
        fmt::format("{}: task handle `{}` is damaged: {}", Name(), handle.config.id, e.what()));
  }
  task->cgroup_mode = mode == "v1"   ? CgroupMode::kV1
                      : mode == "v2" ? CgroupMode::kV2
                                     : CgroupMode::kNone;
  if (task->executor.pid <= 0 || task->state_dir.empty()) {
    return MakeDriverError(
        fmt::format("{}: task handle `{}` has no executor", Name(), handle.config.id));
  }
  if (!IsRunning(task->executor) && !ReadExitStatus(task->StatusPath())) {
    return MakeDriverError(fmt::format(
        "{}: cannot reattach to task `{}`: its executor (pid {}) is gone and recorded no exit "
        "status",
        Name(), handle.config.id, task->executor.pid));
  }
  if (!tasks_.Insert(handle.config.id, task)) return llvm::Error::success();
  StartWatcher(task);
  return llvm::Error::success();
}

llvm::Expected<std::optional<ExitResult>> ExecutorDriver::WaitTask(
    const std::string& task_id, std::chrono::milliseconds timeout) {
  llvm::Expected<std::shared_ptr<Task>> t = tasks_.FindOrError(Name(), task_id);
  if (!t) return t.takeError();
  return (*t)->WaitFor(timeout);
}

int ExecutorDriver::ResolveKillSignal(const Task& task, const std::string& signal,
                                      llvm::Error& err) const {
  std::string name = !signal.empty()                           ? signal
                     : !task.handle.config.kill_signal.empty() ? task.handle.config.kill_signal
                                                               : "SIGINT";
  std::optional<int> sig = ParseSignal(name);
  if (!sig) {
    err = MakeDriverError(fmt::format("{}: unknown signal `{}`", Name(), name));
    return 0;
  }
  return *sig;
}

llvm::Error ExecutorDriver::StopTask(const std::string& task_id, std::chrono::milliseconds timeout,
                                     const std::string& signal) {
  llvm::Expected<std::shared_ptr<Task>> found = tasks_.FindOrError(Name(), task_id);
  if (!found) return found.takeError();
  std::shared_ptr<Task> t = *found;
  llvm::Error err = llvm::Error::success();
  int sig = ResolveKillSignal(*t, signal, err);
  if (err) return err;
  if (t->Exited()) return llvm::Error::success();
  llvm::consumeError(SignalProcess(t->task, sig));  // gone already: the wait below sees it
  if (t->WaitFor(timeout)) return llvm::Error::success();
  llvm::consumeError(SignalProcess(t->task, SIGKILL));
  if (t->WaitFor(kKillGrace)) return llvm::Error::success();
  return MakeDriverError(fmt::format("{}: task `{}` did not exit after SIGKILL", Name(), task_id),
                         true);
}

llvm::Error ExecutorDriver::DestroyTask(const std::string& task_id, bool force) {
  llvm::Expected<std::shared_ptr<Task>> found = tasks_.FindOrError(Name(), task_id);
  if (!found) return found.takeError();
  std::shared_ptr<Task> t = *found;
  if (!t->Exited()) {
    if (!force) {
      return MakeDriverError(
          fmt::format("{}: cannot destroy task `{}`: it is still running", Name(), task_id));
    }
    llvm::consumeError(SignalProcess(t->task, SIGKILL));
    if (!t->WaitFor(kKillGrace)) {
      return MakeDriverError(
          fmt::format("{}: task `{}` did not exit after SIGKILL", Name(), task_id), true);
    }
  }
  t->stop = true;
  if (t->watcher.joinable()) t->watcher.join();
  // The executor removes its cgroup itself; this covers an executor that was killed.
  if (!t->cgroups.empty()) {
    if (llvm::Error e = TaskCgroup::Attach(t->cgroup_mode, t->cgroups).Destroy()) return e;
  }
  for (const char* f : {"spec.json", "status.json", "executor.log"}) {
    unlink((t->state_dir + "/" + f).c_str());
  }
  rmdir(t->state_dir.c_str());
  rmdir(fs::path(t->state_dir).parent_path().c_str());  // <alloc>/.drover when it is empty
  tasks_.Erase(task_id);
  return llvm::Error::success();
}

llvm::Expected<TaskStatus> ExecutorDriver::InspectTask(const std::string& task_id) {
  llvm::Expected<std::shared_ptr<Task>> found = tasks_.FindOrError(Name(), task_id);
  if (!found) return found.takeError();
  std::shared_ptr<Task> t = *found;
  TaskStatus s = t->Status(task_id);
  s.driver_attributes["executor_pid"] = std::to_string(t->executor.pid);
  s.driver_attributes["pid"] = std::to_string(t->task.pid);
  if (!t->cgroups.empty()) s.driver_attributes["cgroup"] = t->cgroups.front();
  return s;
}

llvm::Error ExecutorDriver::SignalTask(const std::string& task_id, const std::string& signal) {
  llvm::Expected<std::shared_ptr<Task>> found = tasks_.FindOrError(Name(), task_id);
  if (!found) return found.takeError();
  std::optional<int> sig = ParseSignal(signal);
  if (!sig) return MakeDriverError(fmt::format("{}: unknown signal `{}`", Name(), signal));
  if ((*found)->Exited()) {
    return MakeDriverError(fmt::format("{}: task `{}` is not running", Name(), task_id));
  }
  return SignalProcess((*found)->task, *sig);
}

}  // namespace drover::drivers
