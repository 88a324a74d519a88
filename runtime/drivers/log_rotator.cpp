#include "runtime/drivers/log_rotator.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "compiler/base/check.h"

namespace drover::drivers {
namespace {

namespace fs = std::filesystem;

// The N of "<base>.N", or -1 when `name` is not one of this rotator's files.
int IndexOf(std::string_view name, std::string_view base) {
  if (name.size() <= base.size() + 1 || !name.starts_with(base) || name[base.size()] != '.') {
    return -1;
  }
  std::string_view digits = name.substr(base.size() + 1);
  int value = -1;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return -1;
  return value;
}

llvm::Error Errno(const std::string& what) {
  int err = errno;
  return llvm::createStringError(std::error_code(err, std::generic_category()), "%s: %s",
                                 what.c_str(), std::strerror(err));
}

}  // namespace

LogRotator::LogRotator(std::string dir, std::string base, int max_files, uint64_t max_file_size)
    : dir_(std::move(dir)),
      base_(std::move(base)),
      max_files_(max_files),
      max_file_size_(max_file_size) {}

LogRotator::~LogRotator() {
  if (fd_ >= 0) close(fd_);
}

llvm::Expected<std::unique_ptr<LogRotator>> LogRotator::Open(std::string dir, std::string base,
                                                             int max_files,
                                                             uint64_t max_file_size) {
  DROVER_CHECK(max_files >= 1 && max_file_size >= 1, "log rotation limits must be positive");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return llvm::createStringError(ec, "cannot create log directory %s: %s", dir.c_str(),
                                   ec.message().c_str());
  }
  std::unique_ptr<LogRotator> r(
      new LogRotator(std::move(dir), std::move(base), max_files, max_file_size));
  for (const auto& entry : fs::directory_iterator(r->dir_, ec)) {
    r->index_ = std::max(r->index_, IndexOf(entry.path().filename().string(), r->base_));
  }
  if (llvm::Error e = r->OpenCurrent()) return e;
  if (r->size_ >= r->max_file_size_) {
    close(r->fd_);
    r->fd_ = -1;
    ++r->index_;
    if (llvm::Error e = r->OpenCurrent()) return e;
  }
  r->Purge();
  return r;
}

std::string LogRotator::CurrentPath() const {
  return dir_ + "/" + base_ + "." + std::to_string(index_);
}

llvm::Error LogRotator::OpenCurrent() {
  std::string path = CurrentPath();
  fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return Errno("cannot open log file " + path);
  struct stat st {};
  size_ = fstat(fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  return llvm::Error::success();
}

void LogRotator::Purge() {
  for (int i = index_ - max_files_; i >= 0; --i) {
    std::string path = dir_ + "/" + base_ + "." + std::to_string(i);
    if (unlink(path.c_str()) != 0 && errno == ENOENT && i < index_ - max_files_) break;
  }
}

llvm::Error LogRotator::Write(std::string_view data) {
  while (!data.empty()) {
    if (size_ >= max_file_size_) {
      close(fd_);
      fd_ = -1;
      ++index_;
      if (llvm::Error e = OpenCurrent()) return e;
      Purge();
    }
    size_t room = static_cast<size_t>(std::min<uint64_t>(max_file_size_ - size_, data.size()));
    ssize_t n = ::write(fd_, data.data(), room);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write log file " + CurrentPath());
    }
    size_ += static_cast<uint64_t>(n);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return llvm::Error::success();
}

}  // namespace drover::drivers
