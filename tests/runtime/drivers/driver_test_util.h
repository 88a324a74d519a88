// Helpers for driver tests: a scratch allocation directory laid out as the client lays it out,
// a TaskConfig builder, and file helpers. The scratch directory is removed at the end, but never
// while anything is mounted below it (an exec task's bind mounts of /usr must not be walked into).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "runtime/drivers/driver.h"

namespace drover::drivers::testing {

namespace fs = std::filesystem;

inline std::string RandomUuid() {
  std::random_device rd;
  auto hex = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "0123456789abcdef"[rd() % 16];
    return s;
  };
  return hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12);
}

inline std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// True when something is mounted at or below `dir` in this mount namespace.
inline bool HasMountsBelow(const std::string& dir) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, mount_point;
    fields >> id >> parent >> dev >> root >> mount_point;
    if (mount_point == dir || mount_point.starts_with(dir + "/")) return true;
  }
  return false;
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "drover-drivers-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~ScratchDir() {
    if (HasMountsBelow(path_)) {
      ADD_FAILURE() << "mounts left below " << path_ << "; not removing it";
      return;
    }
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// A task of a fresh allocation under `root`: <root>/<alloc_id>/{alloc/{logs,data,tmp},<task>/...}.
inline TaskConfig MakeTaskConfig(const std::string& root, const std::string& task_name,
                                 nlohmann::json config) {
  TaskConfig c;
  c.alloc_id = RandomUuid();
  c.job_name = "drover-test";
  c.group_name = "group";
  c.task_name = task_name;
  c.id = MakeTaskId(c.alloc_id, task_name);
  c.config = std::move(config);
  c.alloc_dir = root + "/" + c.alloc_id;
  c.task_dir = c.alloc_dir + "/" + task_name;
  c.logs.dir = c.alloc_dir + "/alloc/logs";
  for (const std::string& d :
       {c.logs.dir, c.alloc_dir + "/alloc/data", c.alloc_dir + "/alloc/tmp", c.task_dir + "/local",
        c.task_dir + "/secrets", c.task_dir + "/tmp"}) {
    fs::create_directories(d);
  }
  // Shared by the group's tasks, whatever their users (Nomad's allocdir does the same).
  for (const char* shared : {"/alloc/data", "/alloc/tmp"}) {
    fs::permissions(c.alloc_dir + shared, fs::perms::all);
  }
  c.env = {{"NOMAD_ALLOC_ID", c.alloc_id}, {"NOMAD_TASK_NAME", task_name}};
  c.resources.cpu_mhz = 100;
  c.resources.memory_mb = 64;
  return c;
}

inline std::string StdoutOf(const TaskConfig& c, int index = 0) {
  return Slurp(fmt::format("{}/{}.stdout.{}", c.logs.dir, c.task_name, index));
}
inline std::string StderrOf(const TaskConfig& c, int index = 0) {
  return Slurp(fmt::format("{}/{}.stderr.{}", c.logs.dir, c.task_name, index));
}

/// A TCP port on `ip` that nothing listens on right now (bound to 0, read, released).
inline int FreePort(const std::string& ip) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, ip.c_str(), &addr.sin_addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

/// Waits up to 10 s for the task to exit; fails the test when it does not.
inline ExitResult WaitExit(Driver& d, const std::string& id) {
  llvm::Expected<std::optional<ExitResult>> r = d.WaitTask(id, std::chrono::seconds(10));
  if (!r) {
    ADD_FAILURE() << llvm::toString(r.takeError());
    return {};
  }
  if (!r->has_value()) {
    ADD_FAILURE() << "task " << id << " did not exit within 10 s";
    return {};
  }
  return **r;
}

inline std::string ErrorText(llvm::Error e) { return SummarizeError(std::move(e)).message; }

}  // namespace drover::drivers::testing
