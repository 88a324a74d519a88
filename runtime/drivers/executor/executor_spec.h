// The contract between an executor-based driver (exec, raw_exec) and the executor process it
// starts: the spec the driver writes, the one-line handshake the executor answers with, and the
// status file it leaves when the task ends.
//
// The executor is a separate process per task (`drover executor <state_dir>/spec.json`, like
// Nomad's `nomad executor`) so that the task outlives the agent: it owns the task's namespaces and
// cgroup, copies the task's stdout/stderr into rotated log files, waits for the task and records
// how it ended in <state_dir>/status.json, where a driver, maybe one in a later agent process,
// finds it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "runtime/drivers/driver.h"
#include "runtime/drivers/executor/cgroup.h"

namespace drover::drivers {

struct ExecutorSpec {
  std::string task_id;
  std::string command;  ///< a path, or a name looked up in the task's PATH
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  std::string user;  ///< "" = the executor's own user
  std::string cwd;   ///< in the task's view of the file system

  /// exec: new mount, pid, uts and ipc namespaces, task_dir as the root.
  bool isolate = false;
  std::string task_dir;
  std::string alloc_shared_dir;         ///< mounted read-write at /alloc
  std::vector<std::string> chroot_env;  ///< host paths mounted read-only at the same place
  std::string hostname;

  bool use_cgroups = false;
  std::string cgroup_parent;
  std::string cgroup_name;
  CgroupLimits limits;

  std::string log_dir;
  std::string stdout_base;  ///< "<task>.stdout"
  std::string stderr_base;
  int max_files = 10;
  uint64_t max_file_size = 10u << 20;

  std::string state_dir;  ///< spec.json, status.json, executor.log

  std::string SpecPath() const { return state_dir + "/spec.json"; }
  std::string StatusPath() const { return state_dir + "/status.json"; }
  std::string LogPath() const { return state_dir + "/executor.log"; }

  nlohmann::json ToJson() const;
  static llvm::Expected<ExecutorSpec> FromJson(const nlohmann::json& j);
};

/// The executor's answer on its handshake pipe (fd 3), one JSON line.
struct ExecutorHandshake {
  bool ok = false;
  std::string error;
  pid_t executor_pid = 0;
  uint64_t executor_start = 0;
  pid_t task_pid = 0;  ///< the process signals go to (exec: the namespace's init)
  uint64_t task_start = 0;
  std::string cgroup_mode;
  std::vector<std::string> cgroups;

  nlohmann::json ToJson() const;
  static ExecutorHandshake FromJson(const nlohmann::json& j);
};

/// Reads status.json: how the task ended, or nullopt when the executor recorded nothing.
std::optional<ExitResult> ReadExitStatus(const std::string& status_path);

/// The executor process's main: `args` are what follows `drover executor`.
int RunExecutor(const std::vector<std::string>& args);

}  // namespace drover::drivers
