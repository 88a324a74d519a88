// Reads a task's rotated log files (<alloc>/alloc/logs/<task>.<stdout|stderr>.<N>, written by
// the drivers' LogRotator) as one stream, for `GET /v1/client/fs/logs/<alloc>` and so for
// `drover alloc logs`.
//
// A place in the stream is a LogPosition: the file index and the offset in that file. It stays
// valid while files rotate (a position in a file that rotation removed continues at the oldest
// file left), which is what following needs; `origin`/`offset` count bytes over the files that
// exist now, as Nomad's API does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace drover::client {

struct LogPosition {
  int index = 0;
  uint64_t offset = 0;
  /// "N:offset", the form the HTTP API hands out and accepts.
  std::string ToString() const;
  static std::optional<LogPosition> Parse(const std::string& text);
};

struct LogFile {
  int index = 0;
  uint64_t size = 0;
};

/// The files of one stream, oldest first.
std::vector<LogFile> ListLogFiles(const std::string& log_dir, const std::string& task,
                                  const std::string& type);

struct LogChunk {
  std::string data;
  LogPosition end;  ///< where the next read continues
};

/// Up to `limit` bytes from `offset` bytes after the start (origin "start") or before the end
/// (origin "end") of the stream.
LogChunk ReadLogs(const std::string& log_dir, const std::string& task, const std::string& type,
                  bool from_end, uint64_t offset, size_t limit);

/// Up to `limit` bytes from `position`.
LogChunk ReadLogsFrom(const std::string& log_dir, const std::string& task, const std::string& type,
                      LogPosition position, size_t limit);

}  // namespace drover::client
