#include <fmt/format.h>

#include "compiler/base/strings.h"
#include "compiler/diag/render.h"

namespace drover::diag {
namespace {

constexpr int kTabWidth = 4;

// Expands tabs and returns the display width of each byte boundary we need.
std::string ExpandTabs(std::string_view line) {
  std::string out;
  for (char c : line) {
    if (c == '\t') {
      out.append(kTabWidth, ' ');
    } else {
      out += c;
    }
  }
  return out;
}

// Display columns (0-based) of the byte offset `off` inside `line`.
size_t DisplayColumn(std::string_view line, size_t off) {
  size_t col = 0;
  for (size_t i = 0; i < off && i < line.size();) {
    if (line[i] == '\t') {
      col += kTabWidth;
      ++i;
      continue;
    }
    size_t len = base::Utf8SequenceLength(line.substr(i));
    i += len == 0 ? 1 : len;
    ++col;
  }
  return col;
}

// Replaces bytes that would corrupt a terminal (control characters, invalid UTF-8) by '?'.
std::string Printable(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size();) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c == '\t') {
      out += '\t';
      ++i;
      continue;
    }
    if (c < 0x20 || c == 0x7F) {
      out += '?';
      ++i;
      continue;
    }
    size_t len = base::Utf8SequenceLength(line.substr(i));
    if (len == 0) {
      out += '?';
      ++i;
      continue;
    }
    out.append(line.substr(i, len));
    i += len;
  }
  return out;
}

std::string Location(const SourceManager& sm, const SourceRange& r) {
  if (!r.IsValid()) return "drover";
  LineColumn lc = sm.Begin(r);
  return fmt::format("{}:{}:{}", sm.Name(r.file), lc.line, lc.column);
}

void AppendSnippet(std::string& out, const SourceManager& sm, const SourceRange& r) {
  LineColumn begin = sm.Begin(r);
  std::string_view raw = sm.LineText(r.file, begin.line);
  std::string line = Printable(raw);
  std::string gutter = fmt::format("{:>5}", begin.line);
  std::string blank(gutter.size(), ' ');
  out += fmt::format("{} | {}\n", gutter, ExpandTabs(line));
  uint32_t line_start = sm.LineStart(r.file, begin.line);
  size_t b = r.begin - line_start;
  size_t e = std::min<size_t>(r.end > r.begin ? r.end - line_start : b, raw.size());
  size_t col_b = DisplayColumn(line, std::min(b, line.size()));
  size_t col_e = std::max(DisplayColumn(line, std::min(e, line.size())), col_b + 1);
  out += fmt::format("{} | {}^{}\n", blank, std::string(col_b, ' '),
                     std::string(col_e - col_b - 1, '~'));
}

}  // namespace

std::string RenderText(const Diagnostic& d, const SourceManager& sm) {
  const DiagKindInfo& info = Info(d.kind);
  std::string out = fmt::format("{}: {}[{}]: {}\n", Location(sm, d.range),
                                SeverityName(d.severity), info.code, d.message);
  if (d.range.IsValid()) AppendSnippet(out, sm, d.range);
  if (!d.help.empty()) out += fmt::format("      = help: {}\n", d.help);
  for (const Note& n : d.notes) {
    out += fmt::format("{}: note: {}\n", Location(sm, n.range), n.message);
  }
  return out;
}

std::string RenderGcc(const Diagnostic& d, const SourceManager& sm) {
  const DiagKindInfo& info = Info(d.kind);
  std::string out = fmt::format("{}: {}: {} [{}]\n", Location(sm, d.range),
                                SeverityName(d.severity), d.message, info.code);
  for (const Note& n : d.notes) {
    out += fmt::format("{}: note: {}\n", Location(sm, n.range), n.message);
  }
  return out;
}

}  // namespace drover::diag
