#include "runtime/client/alloc_dir.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

namespace drover::client {
namespace fs = std::filesystem;

namespace {

llvm::Error MakeDir(const std::string& path, mode_t mode) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) {
    return llvm::createStringError(ec, "cannot create %s: %s", path.c_str(), ec.message().c_str());
  }
  ::chmod(path.c_str(), mode);  // create_directories honours the umask; set what Nomad sets
  return llvm::Error::success();
}

}  // namespace

llvm::Error AllocDir::Build(const std::vector<std::string>& tasks) const {
  struct Dir {
    std::string path;
    mode_t mode;
  };
  std::vector<Dir> dirs = {{root_, 0755},
                           {SharedDir(), 0777},
                           {LogDir(), 0777},
                           {SharedDir() + "/data", 0777},
                           {SharedDir() + "/tmp", 01777}};
  for (const std::string& task : tasks) {
    dirs.push_back({TaskDir(task), 0777});
    dirs.push_back({TaskDir(task) + "/local", 0777});
    dirs.push_back({TaskDir(task) + "/secrets", 0700});
    dirs.push_back({TaskDir(task) + "/tmp", 01777});
  }
  for (const Dir& d : dirs) {
    if (llvm::Error err = MakeDir(d.path, d.mode)) return err;
  }
  return llvm::Error::success();
}

llvm::Error AllocDir::Destroy() const {
  std::error_code ec;
  fs::remove_all(root_, ec);  // remove_all does not follow symlinks
  if (ec) {
    return llvm::createStringError(ec, "cannot remove %s: %s", root_.c_str(), ec.message().c_str());
  }
  return llvm::Error::success();
}

}  // namespace drover::client
