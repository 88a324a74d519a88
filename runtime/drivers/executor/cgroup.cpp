#include "runtime/drivers/executor/cgroup.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace drover::drivers {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

llvm::Error WriteFile(const std::string& path, const std::string& value) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    int err = errno;
    return llvm::createStringError(std::error_code(err, std::generic_category()),
                                   "cannot open %s: %s", path.c_str(), std::strerror(err));
  }
  ssize_t n = write(fd, value.data(), value.size());
  int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(value.size())) {
    return llvm::createStringError(std::error_code(err, std::generic_category()),
                                   "cannot write `%s` to %s: %s", value.c_str(), path.c_str(),
                                   std::strerror(err));
  }
  return llvm::Error::success();
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// "key N" lines (memory.events, memory.oom_control).
uint64_t KeyedCounter(const std::string& text, std::string_view key) {
  std::istringstream in(text);
  std::string k;
  uint64_t v = 0;
  while (in >> k >> v) {
    if (k == key) return v;
  }
  return 0;
}

// `parent` resolved against the hierarchy: absolute from the root, relative below `self`.
std::string ParentPath(const std::string& parent, const std::string& self) {
  if (!parent.empty() && parent.front() == '/') return parent;
  std::string base = self == "/" ? "" : self;
  return base + "/" + parent;
}

llvm::Error MakeDirs(const std::string& dir) {
  std::error_code ec;
  // A second try covers a parent removed by a task that ended at that moment (Destroy below).
  for (int attempt = 0; attempt < 2; ++attempt) {
    ec.clear();
    fs::create_directories(dir, ec);
    if (!ec) break;
  }
  if (ec) {
    return llvm::createStringError(ec, "cannot create cgroup %s: %s", dir.c_str(),
                                   ec.message().c_str());
  }
  return llvm::Error::success();
}

}  // namespace

std::string_view CgroupModeName(CgroupMode mode) {
  switch (mode) {
    case CgroupMode::kNone:
      return "none";
    case CgroupMode::kV1:
      return "v1";
    case CgroupMode::kV2:
      return "v2";
  }
  return "none";
}

uint64_t SharesToWeight(uint64_t shares) {
  if (shares == 0) return 0;
  shares = std::clamp<uint64_t>(shares, 2, 262144);
  return 1 + ((shares - 2) * 9999) / 262142;
}

CgroupLayout DetectCgroups(const std::string& mountinfo, const std::string& self_cgroup) {
  CgroupLayout layout;
  std::map<std::string, std::string> v1_mount_roots;  // controller -> root field of its mount
  std::string v2_mount_root;
  std::ifstream in(mountinfo);
  std::string line;
  while (std::getline(in, line)) {
    size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::vector<std::string> left = Split(line.substr(0, dash), ' ');
    std::vector<std::string> right = Split(line.substr(dash + 3), ' ');
    if (left.size() < 5 || right.size() < 3) continue;
    const std::string& root = left[3];
    const std::string& mount_point = left[4];
    if (right[0] == "cgroup2") {
      if (layout.v2_root.empty()) {
        layout.v2_root = mount_point;
        v2_mount_root = root;
      }
    } else if (right[0] == "cgroup") {
      for (const std::string& opt : Split(right[2], ',')) {
        if (opt == "memory" || opt == "cpu") {
          layout.v1_roots.emplace(opt, mount_point);
          v1_mount_roots.emplace(opt, root);
        }
      }
    }
  }
  // Our own position, relative to each mount's root (a container may mount a sub-tree).
  std::ifstream self(self_cgroup);
  while (std::getline(self, line)) {
    std::vector<std::string> parts = Split(line, ':');
    if (parts.size() < 3) continue;
    std::string path = line.substr(parts[0].size() + parts[1].size() + 2);
    if (parts[1].empty()) {
      if (!v2_mount_root.empty() && v2_mount_root != "/" && path.starts_with(v2_mount_root)) {
        path = path.substr(v2_mount_root.size());
      }
      layout.self[""] = path.empty() ? "/" : path;
      continue;
    }
    for (const std::string& c : Split(parts[1], ',')) {
      auto root = v1_mount_roots.find(c);
      std::string p = path;
      if (root != v1_mount_roots.end() && root->second != "/" && p.starts_with(root->second)) {
        p = p.substr(root->second.size());
      }
      layout.self[c] = p.empty() ? "/" : p;
    }
  }
  if (layout.v1_roots.count("memory") && layout.v1_roots.count("cpu")) {
    layout.mode = CgroupMode::kV1;
  } else if (!layout.v2_root.empty()) {
    std::vector<std::string> controllers =
        Split(ReadFile(layout.v2_root + "/cgroup.controllers"), ' ');
    for (std::string& c : controllers) {
      while (!c.empty() && (c.back() == '\n' || c.back() == ' ')) c.pop_back();
    }
    bool has_memory = std::count(controllers.begin(), controllers.end(), "memory") > 0;
    bool has_cpu = std::count(controllers.begin(), controllers.end(), "cpu") > 0;
    if (has_memory && has_cpu) {
      layout.mode = CgroupMode::kV2;
    } else {
      layout.why_none = "the cgroup2 hierarchy at " + layout.v2_root +
                        " does not offer the memory and cpu controllers";
    }
  } else {
    layout.why_none = "no cgroup hierarchy with the memory and cpu controllers is mounted";
  }
  if (layout.mode != CgroupMode::kV1) layout.v1_roots.clear();
  return layout;
}

llvm::Expected<TaskCgroup> TaskCgroup::Create(const CgroupLayout& layout, const std::string& parent,
                                              const std::string& name, const CgroupLimits& limits) {
  TaskCgroup cg;
  cg.mode_ = layout.mode;
  if (layout.mode == CgroupMode::kV1) {
    for (const char* controller : {"memory", "cpu"}) {
      auto self = layout.self.find(controller);
      std::string dir = layout.v1_roots.at(controller) +
                        ParentPath(parent, self == layout.self.end() ? "/" : self->second) + "/" +
                        name;
      if (llvm::Error e = MakeDirs(dir)) return e;
      cg.paths_.push_back(dir);
    }
    const std::string& mem = cg.paths_[0];
    const std::string& cpu = cg.paths_[1];
    if (limits.memory_bytes > 0) {
      std::string v = std::to_string(limits.memory_bytes);
      if (llvm::Error e = WriteFile(mem + "/memory.limit_in_bytes", v)) return e;
      // Memory+swap equal to memory: no swapping past the limit (only when swap accounting is on).
      if (fs::exists(mem + "/memory.memsw.limit_in_bytes")) {
        if (llvm::Error e = WriteFile(mem + "/memory.memsw.limit_in_bytes", v)) {
          return e;
        }
      }
    }
    if (limits.memory_soft_bytes > 0) {
      if (llvm::Error e = WriteFile(mem + "/memory.soft_limit_in_bytes",
                                    std::to_string(limits.memory_soft_bytes))) {
        return e;
      }
    }
    if (limits.cpu_shares > 0) {
      uint64_t shares = std::max<uint64_t>(limits.cpu_shares, 2);
      if (llvm::Error e = WriteFile(cpu + "/cpu.shares", std::to_string(shares))) {
        return e;
      }
    }
    return cg;
  }
  if (layout.mode == CgroupMode::kV2) {
    auto self = layout.self.find("");
    std::string parent_rel = ParentPath(parent, self == layout.self.end() ? "/" : self->second);
    // Enable the controllers on every level from the root down to the parent.
    std::string level = layout.v2_root;
    std::vector<std::string> components;
    for (const std::string& c : Split(parent_rel, '/')) {
      if (!c.empty()) components.push_back(c);
    }
    for (size_t i = 0; i <= components.size(); ++i) {
      if (i > 0) {
        level += "/" + components[i - 1];
        if (llvm::Error e = MakeDirs(level)) return e;
      }
      if (llvm::Error e = WriteFile(level + "/cgroup.subtree_control", "+cpu +memory")) {
        return llvm::joinErrors(
            std::move(e),
            llvm::createStringError(std::errc::operation_not_permitted,
                                    "cgroup v2 cannot enable controllers below a cgroup that "
                                    "holds processes; choose another cgroup_parent"));
      }
    }
    std::string dir = level + "/" + name;
    if (llvm::Error e = MakeDirs(dir)) return e;
    cg.paths_.push_back(dir);
    if (limits.memory_bytes > 0) {
      if (llvm::Error e = WriteFile(dir + "/memory.max", std::to_string(limits.memory_bytes))) {
        return e;
      }
      if (fs::exists(dir + "/memory.swap.max")) {
        if (llvm::Error e = WriteFile(dir + "/memory.swap.max", "0")) return e;
      }
    }
    if (limits.memory_soft_bytes > 0) {
      if (llvm::Error e =
              WriteFile(dir + "/memory.low", std::to_string(limits.memory_soft_bytes))) {
        return e;
      }
    }
    if (limits.cpu_shares > 0) {
      if (llvm::Error e =
              WriteFile(dir + "/cpu.weight", std::to_string(SharesToWeight(limits.cpu_shares)))) {
        return e;
      }
    }
    return cg;
  }
  return llvm::createStringError(std::errc::not_supported, "no usable cgroups: %s",
                                 layout.why_none.c_str());
}

TaskCgroup TaskCgroup::Attach(CgroupMode mode, std::vector<std::string> paths) {
  TaskCgroup cg;
  cg.mode_ = mode;
  cg.paths_ = std::move(paths);
  return cg;
}

llvm::Error TaskCgroup::AddProcess(pid_t pid) const {
  for (const std::string& dir : paths_) {
    if (llvm::Error e = WriteFile(dir + "/cgroup.procs", std::to_string(pid))) return e;
  }
  return llvm::Error::success();
}

uint64_t TaskCgroup::OomKills() const {
  if (paths_.empty()) return 0;
  if (mode_ == CgroupMode::kV1)
    return KeyedCounter(ReadFile(paths_[0] + "/memory.oom_control"), "oom_kill");
  return KeyedCounter(ReadFile(paths_[0] + "/memory.events"), "oom_kill");
}

std::vector<pid_t> TaskCgroup::Pids() const {
  std::vector<pid_t> out;
  for (const std::string& dir : paths_) {
    std::istringstream in(ReadFile(dir + "/cgroup.procs"));
    pid_t pid;
    while (in >> pid) {
      if (std::find(out.begin(), out.end(), pid) == out.end()) out.push_back(pid);
    }
  }
  return out;
}

llvm::Error TaskCgroup::Destroy() const {
  for (int attempt = 0; attempt < 100; ++attempt) {
    for (pid_t pid : Pids()) kill(pid, SIGKILL);
    bool all_gone = true;
    for (const std::string& dir : paths_) {
      if (rmdir(dir.c_str()) != 0 && errno != ENOENT) all_gone = false;
    }
    if (all_gone) {
      // The shared parent ("drover") goes with its last task; busy while other tasks run.
      for (const std::string& dir : paths_) rmdir(fs::path(dir).parent_path().c_str());
      return llvm::Error::success();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return llvm::createStringError(std::errc::device_or_resource_busy,
                                 "cgroup %s still holds processes", paths_.front().c_str());
}

}  // namespace drover::drivers
