#include "compiler/diag/source_manager.h"

#include <algorithm>

#include "compiler/base/check.h"
#include "compiler/base/strings.h"

namespace drover::diag {

SourceRange SourceRange::Cover(const SourceRange& other) const {
  if (!IsValid()) return other;
  if (!other.IsValid()) return *this;
  DROVER_CHECK(file == other.file, "Cover across files");
  return {file, std::min(begin, other.begin), std::max(end, other.end)};
}

SourceManager::SourceManager() { files_.push_back(nullptr); }

FileId SourceManager::AddBuffer(std::string name, std::string text) {
  auto f = std::make_unique<File>();
  f->name = std::move(name);
  f->text = std::move(text);
  files_.push_back(std::move(f));
  return static_cast<FileId>(files_.size() - 1);
}

const SourceManager::File& SourceManager::Get(FileId file) const {
  DROVER_CHECK(file != kNoFile && file < files_.size(), "unknown FileId");
  return *files_[file];
}

std::string_view SourceManager::Name(FileId file) const { return Get(file).name; }
std::string_view SourceManager::Text(FileId file) const { return Get(file).text; }

std::string_view SourceManager::Text(const SourceRange& range) const {
  std::string_view text = Get(range.file).text;
  uint32_t b = std::min<uint32_t>(range.begin, text.size());
  uint32_t e = std::min<uint32_t>(std::max(range.end, b), text.size());
  return text.substr(b, e - b);
}

const std::vector<uint32_t>& SourceManager::LineStarts(const File& f) const {
  if (f.line_starts.empty()) {
    f.line_starts.push_back(0);
    for (uint32_t i = 0; i < f.text.size(); ++i) {
      if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
    }
  }
  return f.line_starts;
}

LineColumn SourceManager::Position(FileId file, uint32_t offset) const {
  const File& f = Get(file);
  const auto& starts = LineStarts(f);
  offset = std::min<uint32_t>(offset, f.text.size());
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts.begin());
  uint32_t start = starts[line - 1];
  std::string_view prefix(f.text.data() + start, offset - start);
  return {line, static_cast<uint32_t>(base::Utf8Length(prefix)) + 1};
}

uint32_t SourceManager::LineStart(FileId file, uint32_t line) const {
  const auto& starts = LineStarts(Get(file));
  DROVER_CHECK(line >= 1 && line <= starts.size(), "line out of range");
  return starts[line - 1];
}

std::string_view SourceManager::LineText(FileId file, uint32_t line) const {
  const File& f = Get(file);
  const auto& starts = LineStarts(f);
  if (line < 1 || line > starts.size()) return {};
  uint32_t b = starts[line - 1];
  uint32_t e = line < starts.size() ? starts[line] : f.text.size();
  std::string_view s(f.text.data() + b, e - b);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace drover::diag
