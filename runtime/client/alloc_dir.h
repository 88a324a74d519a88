// The directory tree of one allocation, laid out as Nomad's client does:
//
//   <alloc_dir>/alloc/{logs,data,tmp}        shared by the group's tasks, mounted at /alloc
//   <alloc_dir>/<task>/{local,secrets,tmp}   one per task; local/ is the artifact default
//
// Shared folders are world-writable (tmp/ sticky) because exec tasks run as `nobody`; secrets/ is
// 0700 until the driver hands it to the task's user.
#pragma once

#include <string>
#include <vector>

#include <llvm/Support/Error.h>

namespace drover::client {

class AllocDir {
 public:
  explicit AllocDir(std::string root) : root_(std::move(root)) {}

  /// Creates the shared folders and one folder per task (idempotent).
  llvm::Error Build(const std::vector<std::string>& tasks) const;
  /// Removes the whole tree (nothing outside it: symlinks are not followed).
  llvm::Error Destroy() const;

  const std::string& root() const { return root_; }
  std::string SharedDir() const { return root_ + "/alloc"; }
  std::string LogDir() const { return root_ + "/alloc/logs"; }
  std::string TaskDir(const std::string& task) const { return root_ + "/" + task; }

 private:
  std::string root_;
};

}  // namespace drover::client
