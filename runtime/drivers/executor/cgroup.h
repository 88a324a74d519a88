// Cgroups for executor tasks, on cgroup v1 (one hierarchy per controller: the memory and cpu
// controllers) or on the v2 unified hierarchy, whichever holds the controllers on this machine.
// A controller is in at most one hierarchy, so the choice is made per machine by reading
// /proc/self/mountinfo: v1 when `memory` and `cpu` are mounted as v1 hierarchies, v2 when a cgroup2
// mount offers both in its cgroup.controllers.
//
// Where task cgroups go (`parent`): a relative parent is taken under the agent's own cgroup, so
// tasks stay inside whatever limits the agent runs under; an absolute one ("/drover") starts at
// the hierarchy root (what Nomad does). On v2 the agent's own cgroup usually holds processes and
// the "no internal processes" rule forbids enabling controllers below it, so the exec driver's
// default parent there is "/drover.slice".
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

namespace drover::drivers {

enum class CgroupMode { kNone, kV1, kV2 };
std::string_view CgroupModeName(CgroupMode mode);

/// Where the hierarchies are mounted and where this process sits in them.
struct CgroupLayout {
  CgroupMode mode = CgroupMode::kNone;
  std::string why_none;                         ///< kNone: what is missing
  std::string v2_root;                          ///< kV2: the cgroup2 mount point
  std::map<std::string, std::string> v1_roots;  ///< kV1: controller -> mount point
  std::map<std::string, std::string> self;      ///< controller ("" for v2) -> own cgroup path
};

/// Reads the mount table and /proc/self/cgroup (paths overridable for tests).
CgroupLayout DetectCgroups(const std::string& mountinfo = "/proc/self/mountinfo",
                           const std::string& self_cgroup = "/proc/self/cgroup");

struct CgroupLimits {
  uint64_t cpu_shares = 0;         ///< v1 cpu.shares; v2 cpu.weight is derived from it; 0 = none
  uint64_t memory_bytes = 0;       ///< hard limit (OOM kill above it); 0 = none
  uint64_t memory_soft_bytes = 0;  ///< v1 soft limit / v2 memory.low; 0 = none
};

/// v2 weight for v1 shares (the mapping runc and Nomad use): 2..262144 -> 1..10000.
uint64_t SharesToWeight(uint64_t shares);

/// One task's cgroup: a directory per v1 controller, or one v2 directory.
class TaskCgroup {
 public:
  /// Creates `<parent>/<name>` and writes the limits.
  static llvm::Expected<TaskCgroup> Create(const CgroupLayout& layout, const std::string& parent,
                                           const std::string& name, const CgroupLimits& limits);
  /// A handle on existing directories (from Paths()), to read counters and destroy.
  static TaskCgroup Attach(CgroupMode mode, std::vector<std::string> paths);

  /// Moves `pid` (and later its children) into the cgroup.
  llvm::Error AddProcess(pid_t pid) const;
  /// Times the kernel OOM-killed a process of this cgroup.
  uint64_t OomKills() const;
  /// Pids still in the cgroup.
  std::vector<pid_t> Pids() const;
  /// SIGKILLs what is left and removes the directories (retrying while processes exit), then
  /// the parent directories when no other task uses them.
  llvm::Error Destroy() const;

  CgroupMode mode() const { return mode_; }
  const std::vector<std::string>& Paths() const { return paths_; }

 private:
  CgroupMode mode_ = CgroupMode::kNone;
  std::vector<std::string> paths_;  ///< v1: memory dir first, then cpu; v2: the one dir
};

}  // namespace drover::drivers
