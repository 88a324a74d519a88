#include "runtime/client/log_reader.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <fstream>

namespace drover::client {

std::string LogPosition::ToString() const {
  return std::to_string(index) + ":" + std::to_string(offset);
}

std::optional<LogPosition> LogPosition::Parse(const std::string& text) {
  size_t colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  LogPosition p;
  auto [a, ea] = std::from_chars(text.data(), text.data() + colon, p.index);
  auto [b, eb] = std::from_chars(text.data() + colon + 1, text.data() + text.size(), p.offset);
  if (ea != std::errc() || a != text.data() + colon || eb != std::errc() ||
      b != text.data() + text.size() || p.index < 0) {
    return std::nullopt;
  }
  return p;
}

std::vector<LogFile> ListLogFiles(const std::string& log_dir, const std::string& task,
                                  const std::string& type) {
  std::vector<LogFile> files;
  const std::string prefix = task + "." + type + ".";
  DIR* dir = ::opendir(log_dir.c_str());
  if (dir == nullptr) return files;
  while (struct dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (!name.starts_with(prefix)) continue;
    std::string rest = name.substr(prefix.size());
    int index = 0;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), index);
    if (ec != std::errc() || p != rest.data() + rest.size() || rest.empty()) continue;
    struct stat st {};
    if (::stat((log_dir + "/" + name).c_str(), &st) != 0) continue;
    files.push_back({index, static_cast<uint64_t>(st.st_size)});
  }
  ::closedir(dir);
  std::sort(files.begin(), files.end(),
            [](const LogFile& a, const LogFile& b) { return a.index < b.index; });
  return files;
}

LogChunk ReadLogsFrom(const std::string& log_dir, const std::string& task, const std::string& type,
                      LogPosition position, size_t limit) {
  LogChunk chunk;
  chunk.end = position;
  std::vector<LogFile> files = ListLogFiles(log_dir, task, type);
  if (files.empty()) return chunk;
  // A position in a file that rotation removed continues at the oldest file left.
  if (position.index < files.front().index) position = {files.front().index, 0};
  for (const LogFile& f : files) {
    if (f.index < position.index) continue;
    uint64_t from = f.index == position.index ? position.offset : 0;
    chunk.end = {f.index, std::max(from, uint64_t{0})};
    if (from >= f.size) {
      chunk.end.offset = std::min(from, f.size);
      continue;
    }
    std::ifstream in(log_dir + "/" + task + "." + type + "." + std::to_string(f.index),
                     std::ios::binary);
    if (!in) continue;
    in.seekg(static_cast<std::streamoff>(from));
    size_t want = static_cast<size_t>(std::min<uint64_t>(f.size - from, limit - chunk.data.size()));
    std::string buf(want, '\0');
    in.read(buf.data(), static_cast<std::streamsize>(want));
    buf.resize(static_cast<size_t>(in.gcount()));
    chunk.data += buf;
    chunk.end = {f.index, from + buf.size()};
    if (chunk.data.size() >= limit) break;
  }
  return chunk;
}

LogChunk ReadLogs(const std::string& log_dir, const std::string& task, const std::string& type,
                  bool from_end, uint64_t offset, size_t limit) {
  std::vector<LogFile> files = ListLogFiles(log_dir, task, type);
  if (files.empty()) return {};
  uint64_t total = 0;
  for (const LogFile& f : files) total += f.size;
  uint64_t start = from_end ? (offset >= total ? 0 : total - offset) : std::min(offset, total);
  LogPosition p{files.front().index, 0};
  for (const LogFile& f : files) {
    if (start <= f.size) {
      p = {f.index, start};
      break;
    }
    start -= f.size;
    p = {f.index, f.size};
  }
  return ReadLogsFrom(log_dir, task, type, p, limit);
}

}  // namespace drover::client
