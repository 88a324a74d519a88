// SourceManager owns the text of every file a compilation reads and maps byte offsets to
// line:column. Ranges elsewhere are (FileId, begin, end) byte triples, cheap to copy and store in
// every AST and IR node; line and column are computed only when a diagnostic is rendered.
//
// Threading: not thread-safe; one SourceManager per compilation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace drover::diag {

/// Identifies a buffer in a SourceManager. 0 is "no file".
using FileId = uint32_t;
inline constexpr FileId kNoFile = 0;

/// A half-open byte range [begin, end) in one file.
struct SourceRange {
  FileId file = kNoFile;
  uint32_t begin = 0;
  uint32_t end = 0;

  bool IsValid() const { return file != kNoFile; }
  /// The smallest range covering both. REQUIRES: same file (or one invalid).
  SourceRange Cover(const SourceRange& other) const;
  bool operator==(const SourceRange&) const = default;
};

/// 1-based line and column; the column counts code points (a tab counts one).
struct LineColumn {
  uint32_t line = 0;
  uint32_t column = 0;
};

class SourceManager {
 public:
  SourceManager();
  SourceManager(const SourceManager&) = delete;
  SourceManager& operator=(const SourceManager&) = delete;

  /// Adds a buffer; `name` is what diagnostics print (a path, or "<stdin>").
  FileId AddBuffer(std::string name, std::string text);

  std::string_view Name(FileId file) const;
  std::string_view Text(FileId file) const;
  std::string_view Text(const SourceRange& range) const;

  LineColumn Position(FileId file, uint32_t offset) const;
  LineColumn Begin(const SourceRange& range) const { return Position(range.file, range.begin); }
  LineColumn End(const SourceRange& range) const { return Position(range.file, range.end); }

  /// The text of 1-based `line` without its line terminator.
  std::string_view LineText(FileId file, uint32_t line) const;
  /// Byte offset where 1-based `line` starts.
  uint32_t LineStart(FileId file, uint32_t line) const;
  size_t FileCount() const { return files_.size() - 1; }

 private:
  struct File {
    std::string name;
    std::string text;
    mutable std::vector<uint32_t> line_starts;  // computed on first use
  };
  const File& Get(FileId file) const;
  const std::vector<uint32_t>& LineStarts(const File& f) const;

  std::vector<std::unique_ptr<File>> files_;
};

}  // namespace drover::diag
