// JSON forms of the driver types (the client stores TaskHandles in its local state), signal names,
// and the DriverError payload.
#include "runtime/drivers/driver.h"

#include <csignal>
#include <cstring>
#include <random>

#include <fmt/format.h>

namespace drover::drivers {
namespace {

using json = nlohmann::json;

int64_t ToNanos(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

SystemTime FromNanos(int64_t n) {
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(std::chrono::nanoseconds(n)));
}

struct SignalEntry {
  int number;
  const char* name;
};

constexpr SignalEntry kSignals[] = {
    {SIGHUP, "SIGHUP"},       {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"},   {SIGILL, "SIGILL"},
    {SIGTRAP, "SIGTRAP"},     {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},     {SIGFPE, "SIGFPE"},
    {SIGKILL, "SIGKILL"},     {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"},   {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"},     {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"},   {SIGCHLD, "SIGCHLD"},
    {SIGCONT, "SIGCONT"},     {SIGSTOP, "SIGSTOP"}, {SIGTSTP, "SIGTSTP"},   {SIGTTIN, "SIGTTIN"},
    {SIGTTOU, "SIGTTOU"},     {SIGURG, "SIGURG"},   {SIGXCPU, "SIGXCPU"},   {SIGXFSZ, "SIGXFSZ"},
    {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGWINCH, "SIGWINCH"}, {SIGIO, "SIGIO"},
    {SIGPWR, "SIGPWR"},       {SIGSYS, "SIGSYS"},
};

}  // namespace

char DriverError::ID = 0;

void DriverError::log(llvm::raw_ostream& os) const { os << message_; }

std::error_code DriverError::convertToErrorCode() const { return llvm::inconvertibleErrorCode(); }

llvm::Error MakeDriverError(std::string message, bool recoverable) {
  return llvm::make_error<DriverError>(std::move(message), recoverable);
}

ErrorSummary SummarizeError(llvm::Error err) {
  ErrorSummary out;
  llvm::handleAllErrors(
      std::move(err),
      [&](const DriverError& e) {
        out.message = e.text();
        out.recoverable = e.recoverable();
      },
      [&](const llvm::ErrorInfoBase& e) { out.message = e.message(); });
  return out;
}

std::string MakeTaskId(std::string_view alloc_id, std::string_view task_name) {
  std::random_device rd;
  return fmt::format("{}/{}/{:08x}", alloc_id, task_name, rd());
}

std::string_view TaskStateName(TaskState state) {
  switch (state) {
    case TaskState::kUnknown:
      return "unknown";
    case TaskState::kRunning:
      return "running";
    case TaskState::kExited:
      return "exited";
  }
  return "unknown";
}

namespace {
TaskState ParseTaskState(std::string_view s) {
  if (s == "running") return TaskState::kRunning;
  if (s == "exited") return TaskState::kExited;
  return TaskState::kUnknown;
}
}  // namespace

json TaskConfig::ToJson() const {
  json ports_json = json::array();
  for (const PortMapping& p : ports) {
    ports_json.push_back({{"label", p.label},
                          {"host_ip", p.host_ip},
                          {"host_port", p.host_port},
                          {"container_port", p.container_port}});
  }
  return {
      {"id", id},
      {"alloc_id", alloc_id},
      {"namespace", namespace_name},
      {"job_name", job_name},
      {"group_name", group_name},
      {"task_name", task_name},
      {"config", config},
      {"env", env},
      {"user", user},
      {"resources",
       {{"cpu_mhz", resources.cpu_mhz},
        {"memory_mb", resources.memory_mb},
        {"memory_max_mb", resources.memory_max_mb}}},
      {"ports", ports_json},
      {"kill_signal", kill_signal},
      {"kill_timeout_ms", kill_timeout.count()},
      {"alloc_dir", alloc_dir},
      {"task_dir", task_dir},
      {"logs",
       {{"dir", logs.dir},
        {"max_files", logs.max_files},
        {"max_file_size_mb", logs.max_file_size_mb}}},
  };
}

llvm::Expected<TaskConfig> TaskConfig::FromJson(const json& j) {
  try {
    TaskConfig c;
    c.id = j.at("id").get<std::string>();
    c.alloc_id = j.value("alloc_id", "");
    c.namespace_name = j.value("namespace", "default");
    c.job_name = j.value("job_name", "");
    c.group_name = j.value("group_name", "");
    c.task_name = j.value("task_name", "");
    c.config = j.value("config", json::object());
    c.env = j.value("env", std::map<std::string, std::string>{});
    c.user = j.value("user", "");
    if (const auto it = j.find("resources"); it != j.end()) {
      c.resources.cpu_mhz = it->value("cpu_mhz", c.resources.cpu_mhz);
      c.resources.memory_mb = it->value("memory_mb", c.resources.memory_mb);
      c.resources.memory_max_mb = it->value("memory_max_mb", 0);
    }
    for (const json& p : j.value("ports", json::array())) {
      c.ports.push_back({p.value("label", ""), p.value("host_ip", ""), p.value("host_port", 0),
                         p.value("container_port", 0)});
    }
    c.kill_signal = j.value("kill_signal", "");
    c.kill_timeout = std::chrono::milliseconds(j.value("kill_timeout_ms", int64_t{5000}));
    c.alloc_dir = j.value("alloc_dir", "");
    c.task_dir = j.value("task_dir", "");
    if (const auto it = j.find("logs"); it != j.end()) {
      c.logs.dir = it->value("dir", "");
      c.logs.max_files = it->value("max_files", c.logs.max_files);
      c.logs.max_file_size_mb = it->value("max_file_size_mb", c.logs.max_file_size_mb);
    }
    return c;
  } catch (const json::exception& e) {
    return llvm::createStringError(std::errc::invalid_argument, "invalid task config: %s",
                                   e.what());
  }
}

json ExitResult::ToJson() const {
  return {{"exit_code", exit_code}, {"signal", signal}, {"oom_killed", oom_killed}, {"err", err}};
}

ExitResult ExitResult::FromJson(const json& j) {
  ExitResult r;
  r.exit_code = j.value("exit_code", 0);
  r.signal = j.value("signal", 0);
  r.oom_killed = j.value("oom_killed", false);
  r.err = j.value("err", "");
  return r;
}

json TaskHandle::ToJson() const {
  return {{"version", version},
          {"driver", driver},
          {"config", config.ToJson()},
          {"state", TaskStateName(state)},
          {"started_at_ns", ToNanos(started_at)},
          {"driver_state", driver_state}};
}

llvm::Expected<TaskHandle> TaskHandle::FromJson(const json& j) {
  if (!j.is_object()) {
    return llvm::createStringError(std::errc::invalid_argument,
                                   "invalid task handle: not a JSON object");
  }
  TaskHandle h;
  try {
    h.version = j.value("version", 1);
    h.driver = j.at("driver").get<std::string>();
    llvm::Expected<TaskConfig> config = TaskConfig::FromJson(j.at("config"));
    if (!config) return config.takeError();
    h.config = std::move(*config);
    h.state = ParseTaskState(j.value("state", "unknown"));
    h.started_at = FromNanos(j.value("started_at_ns", int64_t{0}));
    h.driver_state = j.value("driver_state", json::object());
  } catch (const json::exception& e) {
    return llvm::createStringError(std::errc::invalid_argument, "invalid task handle: %s",
                                   e.what());
  }
  if (h.version != 1) {
    return llvm::createStringError(std::errc::invalid_argument,
                                   "unsupported task handle version %d", h.version);
  }
  return h;
}

std::optional<int> ParseSignal(std::string_view name) {
  if (name.empty()) return std::nullopt;
  if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (name.size() > 2) return std::nullopt;
    int n = std::stoi(std::string(name));
    for (const SignalEntry& s : kSignals) {
      if (s.number == n) return n;
    }
    return std::nullopt;
  }
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!upper.starts_with("SIG")) upper = "SIG" + upper;
  for (const SignalEntry& s : kSignals) {
    if (upper == s.name) return s.number;
  }
  return std::nullopt;
}

std::string SignalName(int signal) {
  for (const SignalEntry& s : kSignals) {
    if (s.number == signal) return s.name;
  }
  return "SIG" + std::to_string(signal);
}

llvm::Expected<const json*> ConfigBlock(const json& parent, const char* key,
                                        std::string_view where) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return nullptr;
  const json* block = &*it;
  if (block->is_array() && block->size() == 1) block = &(*block)[0];
  if (!block->is_object()) {
    return MakeDriverError(fmt::format("{}: `{}` must be a block", where, key));
  }
  return block;
}

}  // namespace drover::drivers
