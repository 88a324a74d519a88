// Size-rotated task log files, the layout Nomad's logmon writes and `alloc logs` reads:
// <dir>/<base>.0, <base>.1, ... (base = "<task>.stdout" / "<task>.stderr"). Each file holds at most
// max_file_size bytes; a full file is closed and the next index opened; only the newest max_files
// files are kept. A rotator opened on a directory that already has files continues after the
// highest index, so a restarted task or a re-attached log stream appends instead of overwriting.
//
// Not thread-safe: one writer per stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

namespace drover::drivers {

class LogRotator {
 public:
  /// Opens (creating `dir` if needed) for appending. REQUIRES: max_files >= 1, max_file_size >= 1.
  static llvm::Expected<std::unique_ptr<LogRotator>> Open(std::string dir, std::string base,
                                                          int max_files, uint64_t max_file_size);
  ~LogRotator();
  LogRotator(const LogRotator&) = delete;
  LogRotator& operator=(const LogRotator&) = delete;

  /// Appends `data`, splitting it across files at the size limit.
  llvm::Error Write(std::string_view data);

  /// Index of the file being written.
  int current_index() const { return index_; }
  std::string CurrentPath() const;

 private:
  LogRotator(std::string dir, std::string base, int max_files, uint64_t max_file_size);
  llvm::Error OpenCurrent();
  void Purge();

  std::string dir_;
  std::string base_;
  int max_files_;
  uint64_t max_file_size_;
  int index_ = 0;
  uint64_t size_ = 0;  ///< bytes in the current file
  int fd_ = -1;
};

}  // namespace drover::drivers
