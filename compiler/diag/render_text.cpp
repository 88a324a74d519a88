// Text and gcc-style rendering. The text form shows the source line under the message with a
// `^~~~` underline. The line is printed as display cells so that the underline stays aligned:
// a tab is kTabWidth columns, East Asian wide characters and most emoji two, combining marks
// none, and bytes that would upset a terminal (control characters, invalid UTF-8) print as `?`.
// A line wider than kMaxLineWidth columns is cut to a window around the range, marked `...`.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/base/strings.h"
#include "compiler/diag/render.h"

namespace drover::diag {
namespace {

constexpr size_t kTabWidth = 4;
constexpr size_t kMaxLineWidth = 120;
// Columns of context kept before the range when a long line is cut.
constexpr size_t kContextBefore = 40;
// Longer lines are first cut to kMaxLineBytes bytes, kBytesBefore of them before the range.
constexpr size_t kMaxLineBytes = 1024;
constexpr size_t kBytesBefore = 256;

// Terminal width of code point `cp`: a close approximation of wcwidth() that does not depend on
// the locale, so that output is the same everywhere.
size_t CodePointWidth(char32_t cp) {
  struct Range {
    char32_t first, last;
  };
  static constexpr Range kZero[] = {
      {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
      {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064},
      {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF}};
  static constexpr Range kWide[] = {
      {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
      {0x2614, 0x2615},   {0x2648, 0x2653},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},
      {0x2705, 0x2705},   {0x270A, 0x270B},   {0x274C, 0x274C},   {0x2753, 0x2755},
      {0x2795, 0x2797},   {0x2B1B, 0x2B1C},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
      {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},
      {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
      {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x18CFF}, {0x1B000, 0x1B2FF},
      {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A},
      {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB},
      {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};
  for (const Range& r : kZero) {
    if (cp >= r.first && cp <= r.last) return 0;
  }
  for (const Range& r : kWide) {
    if (cp >= r.first && cp <= r.last) return 2;
  }
  return 1;
}

char32_t DecodeUtf8(std::string_view s, size_t len) {
  auto b0 = static_cast<unsigned char>(s[0]);
  char32_t cp = len == 1 ? b0 : b0 & (0x7F >> len);
  for (size_t i = 1; i < len; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
  return cp;
}

// One character of a source line as it is printed.
struct Cell {
  uint32_t byte;     // offset of the character in the line
  std::string text;  // what is printed
  size_t width;      // display columns
};

std::vector<Cell> Cells(std::string_view line) {
  std::vector<Cell> cells;
  for (size_t i = 0; i < line.size();) {
    auto c = static_cast<unsigned char>(line[i]);
    auto at = static_cast<uint32_t>(i);
    if (c == '\t') {
      cells.push_back({at, std::string(kTabWidth, ' '), kTabWidth});
      ++i;
      continue;
    }
    size_t len = c < 0x80 ? 1 : base::Utf8SequenceLength(line.substr(i));
    if (len == 0 || c < 0x20 || c == 0x7F) {
      cells.push_back({at, "?", 1});
      ++i;
      continue;
    }
    cells.push_back(
        {at, std::string(line.substr(i, len)), CodePointWidth(DecodeUtf8(line.substr(i), len))});
    i += len;
  }
  return cells;
}

std::string Location(const SourceManager& sm, const SourceRange& r) {
  if (!r.IsValid()) return "drover";
  LineColumn lc = sm.Begin(r);
  return fmt::format("{}:{}:{}", sm.Name(r.file), lc.line, lc.column);
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The source line of `r`'s start and an underline of the part of `r` on that line (a range that
// continues on later lines is underlined to the end of its first line). Returns the width of
// the line-number gutter, which `= help:` lines line up with.
size_t AppendSnippet(std::string& out, const SourceManager& sm, const SourceRange& r) {
  LineColumn begin = sm.Begin(r);
  std::string_view line = sm.LineText(r.file, begin.line);
  uint32_t line_start = sm.LineStart(r.file, begin.line);
  size_t b = std::min<size_t>(r.begin - line_start, line.size());
  size_t e = std::clamp<size_t>(r.end > line_start ? r.end - line_start : 0, b, line.size());

  // A very long line (minified or binary input) is first cut to bytes around the range, so that
  // rendering costs the same for every line.
  bool cut_left = false, cut_right = false;
  if (line.size() > kMaxLineBytes) {
    size_t from = b > kBytesBefore ? b - kBytesBefore : 0;
    while (from < b && IsContinuationByte(line[from])) ++from;
    size_t to = std::min(line.size(), from + kMaxLineBytes);
    while (to > e && to < line.size() && IsContinuationByte(line[to])) --to;
    cut_left = from > 0;
    cut_right = to < line.size();
    line = line.substr(from, to - from);
    b -= from;
    e = std::min(e - from, line.size());
  }

  std::vector<Cell> cells = Cells(line);
  // Display columns: where the range starts and ends, and the whole line.
  size_t col_b = 0, col_e = 0, width = 0;
  for (const Cell& c : cells) {
    if (c.byte < b) col_b += c.width;
    if (c.byte < e) col_e += c.width;
    width += c.width;
  }
  // The window shown, [from, to) in display columns.
  size_t from = 0, to = width;
  if (width > kMaxLineWidth) {
    from = col_b > kContextBefore ? col_b - kContextBefore : 0;
    to = std::min(width, from + kMaxLineWidth);
    if (to - from < kMaxLineWidth) from = to - kMaxLineWidth;
  }
  bool dots_left = cut_left || from > 0;
  std::string text = dots_left ? "..." : "";
  size_t col = 0, shown_from = from;
  bool started = false;
  for (const Cell& c : cells) {
    if (col >= from && col + c.width <= to) {
      if (!started) shown_from = col;
      started = true;
      text += c.text;
    }
    col += c.width;
  }
  if (cut_right || to < width) text += "...";
  size_t caret = (dots_left ? 3 : 0) + (col_b > shown_from ? col_b - shown_from : 0);
  size_t end_col = std::min(col_e, to);
  size_t tildes = end_col > col_b + 1 ? end_col - col_b - 1 : 0;

  std::string gutter = fmt::format("{:>5}", begin.line);
  std::string blank(gutter.size(), ' ');
  out += fmt::format("{} | {}\n", gutter, text);
  out += fmt::format("{} | {}^{}\n", blank, std::string(caret, ' '), std::string(tildes, '~'));
  return gutter.size();
}

}  // namespace

std::string RenderText(const Diagnostic& d, const SourceManager& sm) {
  const DiagKindInfo& info = Info(d.kind);
  std::string out = fmt::format("{}: {}[{}]: {}\n", Location(sm, d.range), SeverityName(d.severity),
                                info.code, d.message);
  size_t gutter = 5;
  if (d.range.IsValid()) gutter = AppendSnippet(out, sm, d.range);
  if (!d.help.empty()) out += fmt::format("{} = help: {}\n", std::string(gutter, ' '), d.help);
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
