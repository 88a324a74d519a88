// The formatter works like hclwrite's format.go, in four passes over the tokens and comments of a
// file merged in source order:
//   1. split them into lines where the whitespace between two of them holds a newline (a heredoc
//      and a block comment spanning lines stay inside the line that starts them);
//   2. indent each line by the brackets that earlier lines left open (hclwrite's indent stack);
//   3. choose 0 or 1 space between neighbouring tokens of a line (SpaceAfter, hclwrite's
//      spaceAfterToken plus the departures listed in README.md);
//   4. cut each line into cells (lead, `= value`, trailing comment) and pad the first token of
//      the assignment and comment cells so that they line up over runs of consecutive lines.
#include "compiler/fmt/format.h"

#include <algorithm>
#include <vector>

#include "compiler/base/check.h"
#include "compiler/base/strings.h"
#include "compiler/syntax/parser.h"

namespace drover::hclfmt {
namespace {

using syntax::TokenKind;

constexpr size_t kNone = static_cast<size_t>(-1);

/// A token or a comment, with what the formatter needs to know about the text before it.
struct Item {
  TokenKind kind;
  uint32_t begin;
  uint32_t end;
  int breaks_before = 0;          ///< newlines between the previous item and this one
  bool space_before = false;      ///< any whitespace between them
  bool closes_directive = false;  ///< a `}` ending `%{ ... }`
  bool in_heredoc = false;        ///< starts inside a heredoc body (between its markers)
};

struct Line {
  size_t first = 0;  ///< items [first, last)
  size_t last = 0;
  bool blank_before = false;
  bool verbatim_indent = false;  ///< starts inside a heredoc: keep the indentation as written
  std::string_view original_indent;
  int indent = 0;
  size_t assign = kNone;  ///< the item that starts the `= value` cell
  bool comment_cell = false;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsControl(TokenKind k) {
  return k == TokenKind::kCtrlIf || k == TokenKind::kCtrlElse || k == TokenKind::kCtrlEndif ||
         k == TokenKind::kCtrlFor || k == TokenKind::kCtrlEndfor;
}

// hclwrite's tokenBracketChange.
int BracketChange(TokenKind k) {
  switch (k) {
    case TokenKind::kLBrace:
    case TokenKind::kLBrack:
    case TokenKind::kLParen:
    case TokenKind::kTemplateInterp:
      return 1;
    case TokenKind::kRBrace:
    case TokenKind::kRBrack:
    case TokenKind::kRParen:
    case TokenKind::kTemplateEnd:
      return -1;
    default:
      return IsControl(k) ? 1 : 0;
  }
}

// Decodes the code point at s[i] and advances i; an invalid byte counts as one code point.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : base::Utf8SequenceLength(s.substr(i));
  if (len <= 1) {
    ++i;
    return c;
  }
  char32_t cp = c & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

bool IsRegionalIndicator(char32_t cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

// Code points that continue the grapheme cluster before them: combining marks, variation
// selectors, emoji modifiers, tags and the zero-width joiner.
bool ExtendsCluster(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200D ||
         (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F) ||
         (cp >= 0xE0100 && cp <= 0xE01EF);
}

// Columns a text takes for alignment: hclwrite counts grapheme clusters. This approximation of
// Unicode's rules (UAX #29) joins combining marks, variation selectors, emoji modifiers, ZWJ
// sequences and regional-indicator pairs (flags) to the code point before them.
size_t DisplayColumns(std::string_view s) {
  size_t n = 0;
  bool after_zwj = false;
  bool open_flag = false;  // a lone regional indicator waiting for its pair
  for (size_t i = 0; i < s.size();) {
    char32_t cp = NextCodePoint(s, i);
    bool joins =
        n > 0 && (after_zwj || ExtendsCluster(cp) || (open_flag && IsRegionalIndicator(cp)));
    if (IsRegionalIndicator(cp)) {
      open_flag = !(joins && open_flag);
    } else if (!ExtendsCluster(cp)) {
      open_flag = false;
    }
    after_zwj = cp == 0x200D;
    if (!joins) ++n;
  }
  return n;
}

class Formatter {
 public:
  Formatter(std::string_view src, const syntax::LexResult& lex) : src_(src) {
    size_t start = src.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    bom_ = start == 3;
    Collect(lex, start);
  }

  std::string Run() {
    SplitLines();
    Indent();
    for (Line& line : lines_) FindCells(line);
    spaces_.assign(items_.size(), 0);
    for (const Line& line : lines_) Space(line);
    AlignAssignments();
    AlignComments();
    return Print();
  }

 private:
  // ---- pass 0: items -------------------------------------------------------------------------
  void Collect(const syntax::LexResult& lex, size_t start) {
    items_.reserve(lex.tokens.size() + lex.comments.size());
    size_t c = 0;
    auto add_comments_before = [&](uint32_t offset) {
      while (c < lex.comments.size() && lex.comments[c].begin < offset) {
        items_.push_back({TokenKind::kComment, lex.comments[c].begin, lex.comments[c].end});
        ++c;
      }
    };
    for (const syntax::Token& t : lex.tokens) {
      if (t.kind == TokenKind::kNewline || t.kind == TokenKind::kEof ||
          (t.flags & syntax::kSynthetic) != 0) {
        continue;
      }
      add_comments_before(t.begin);
      items_.push_back({t.kind, t.begin, t.end});
    }
    add_comments_before(UINT32_MAX);

    // Gaps, directive closers and heredoc bodies.
    std::vector<TokenKind> open;  // unclosed openers
    int heredoc_depth = 0;
    uint32_t prev_end = static_cast<uint32_t>(start);
    for (Item& item : items_) {
      DROVER_CHECK(item.begin >= prev_end, "tokens and comments overlap");
      for (uint32_t i = prev_end; i < item.begin; ++i) {
        DROVER_CHECK(IsSpace(src_[i]), "FormatTokens requires a source that lexed without error");
        if (src_[i] == '\n') ++item.breaks_before;
      }
      item.space_before = item.begin > prev_end;
      item.in_heredoc = heredoc_depth > 0;
      prev_end = item.end;
      if (item.kind == TokenKind::kHeredocBegin) ++heredoc_depth;
      if (item.kind == TokenKind::kHeredocEnd) --heredoc_depth;
      int change = BracketChange(item.kind);
      if (change > 0) open.push_back(item.kind);
      if (change < 0 && !open.empty()) {
        item.closes_directive = item.kind == TokenKind::kTemplateEnd && IsControl(open.back());
        open.pop_back();
      }
    }
  }

  std::string_view Text(const Item& item) const {
    return src_.substr(item.begin, item.end - item.begin);
  }

  // ---- pass 1: lines -------------------------------------------------------------------------
  void SplitLines() {
    for (size_t i = 0; i < items_.size(); ++i) {
      const Item& item = items_[i];
      if (i == 0 || item.breaks_before > 0) {
        if (!lines_.empty()) lines_.back().last = i;
        Line line;
        line.first = i;
        line.blank_before = !lines_.empty() && item.breaks_before > 1;
        if (item.in_heredoc) {
          line.verbatim_indent = true;
          uint32_t b = item.begin;
          while (b > 0 && (src_[b - 1] == ' ' || src_[b - 1] == '\t')) --b;
          line.original_indent = src_.substr(b, item.begin - b);
        }
        lines_.push_back(line);
      }
    }
    if (!lines_.empty()) lines_.back().last = items_.size();
  }

  // ---- pass 2: indentation -------------------------------------------------------------------
  // A line that opens more brackets than it closes pushes one indent level (remembering how many
  // brackets it opened); a line that closes more pops levels until the count is used up.
  void Indent() {
    std::vector<int> levels;
    for (Line& line : lines_) {
      int net = 0;
      for (size_t i = line.first; i < line.last; ++i) net += BracketChange(items_[i].kind);
      if (net < 0) {
        int closed = -net;
        while (closed > 0 && !levels.empty()) {
          if (closed >= levels.back()) {
            closed -= levels.back();
            levels.pop_back();
          } else {
            levels.back() -= closed;
            closed = 0;
          }
        }
      }
      line.indent = line.verbatim_indent ? static_cast<int>(DisplayColumns(line.original_indent))
                                         : 2 * static_cast<int>(levels.size());
      if (net > 0) levels.push_back(net);
    }
  }

  // ---- pass 3: spaces between tokens ---------------------------------------------------------
  bool IsLineComment(const Item& item) const {
    if (item.kind != TokenKind::kComment) return false;
    std::string_view t = Text(item);
    return t.starts_with("#") || t.starts_with("//");
  }

  // hclwrite's cells: a trailing line comment after other tokens, and the `= value` of a line
  // whose first `=` (not at the start) is followed by balanced brackets.
  void FindCells(Line& line) {
    size_t end = line.last;
    if (line.last - line.first > 1 && IsLineComment(items_[line.last - 1])) {
      line.comment_cell = true;
      --end;
    }
    for (size_t i = line.first + 1; i < end; ++i) {
      if (items_[i].kind != TokenKind::kEqual) continue;
      int net = 0;
      for (size_t j = i; j < end; ++j) net += BracketChange(items_[j].kind);
      if (net == 0) line.assign = i;
      break;
    }
  }

  void Space(const Line& line) {
    size_t comment = line.comment_cell ? line.last - 1 : kNone;
    for (size_t i = line.first + 1; i < line.last; ++i) {
      if (i == line.assign || i == comment) {
        spaces_[i] = 1;  // aligned later
        continue;
      }
      // `before` is the token ahead of the subject within the same cell, as in hclwrite.
      size_t subject = i - 1;
      const Item* before = nullptr;
      if (subject > line.first && subject != line.assign) before = &items_[subject - 1];
      spaces_[i] = SpaceAfter(items_[subject], before, items_[i]) ? 1 : 0;
    }
  }

  bool IsIdent(const Item& item) const {
    return item.kind == TokenKind::kIdent || item.kind == TokenKind::kFor;
  }

  // Whether a space separates `subject` from `after`; `before` precedes the subject in its cell
  // (null at the start of a cell). hclwrite's spaceAfterToken, with drover's kString token (a
  // whole quoted string without templates) acting as a closing quote on its left side and an
  // opening quote on its right, and the departures marked below.
  bool SpaceAfter(const Item& subject, const Item* before, const Item& after) const {
    TokenKind s = subject.kind;
    TokenKind a = after.kind;
    TokenKind b = before != nullptr ? before->kind : TokenKind::kEof;

    if (IsIdent(subject) && a == TokenKind::kLParen) return false;
    // Departure: keep `1 .5` (a legacy index on a number) from becoming the number `1.5`. A
    // number after a dot is itself a legacy index and never takes a fraction: `a.0.b` is safe.
    if (s == TokenKind::kNumber && a == TokenKind::kDot && b != TokenKind::kDot) {
      return after.space_before;
    }
    if (s == TokenKind::kDot && a == TokenKind::kNumber && b == TokenKind::kNumber) {
      return after.space_before;
    }
    if (s == TokenKind::kDot || a == TokenKind::kDot) return false;
    if (a == TokenKind::kComma || a == TokenKind::kEllipsis) return false;
    if (s == TokenKind::kComma) return true;
    // Template text, quotes and heredoc markers: never a space (a space there would be text).
    if (s == TokenKind::kTemplateLit || s == TokenKind::kOQuote || s == TokenKind::kHeredocBegin ||
        a == TokenKind::kTemplateLit || a == TokenKind::kCQuote || a == TokenKind::kHeredocEnd) {
      return false;
    }
    if (IsIdent(subject) && Text(subject) == "in" && before != nullptr && IsIdent(*before)) {
      return true;  // `[for x in [a, b] : x]`, not `in[a, b]`
    }
    // Departure: hclwrite spaces `"abc" [0]`; index a string like anything else.
    if (a == TokenKind::kLBrack &&
        (IsIdent(subject) || s == TokenKind::kNumber || BracketChange(s) < 0 ||
         s == TokenKind::kString || s == TokenKind::kCQuote)) {
      return false;
    }
    if (s == TokenKind::kBang) return false;
    if (s == TokenKind::kMinus) return !IsNegation(b);
    if (s == TokenKind::kLBrace || a == TokenKind::kRBrace) {
      return !(s == TokenKind::kLBrace && a == TokenKind::kRBrace);
    }
    if ((s == TokenKind::kTemplateInterp || IsControl(s)) && a == TokenKind::kLBrace) return true;
    if (s == TokenKind::kRBrace && a == TokenKind::kTemplateEnd) return true;
    if (s == TokenKind::kTemplateEnd && (a == TokenKind::kTemplateInterp || IsControl(a))) {
      return false;
    }
    // Departure: drover's lexer keeps a directive's keyword in its opening token (`%{ if`), so
    // the directive keeps the spacing it was written with: one space after `%{ if` / `%{ for`,
    // and a space before the closing `}` only where there was one (`%{ else }`, `%{endif}`).
    if (IsControl(s)) {
      if (a == TokenKind::kTemplateEnd) return after.space_before;
      return true;
    }
    if (a == TokenKind::kTemplateEnd && after.closes_directive) return after.space_before;
    if (BracketChange(s) > 0) return false;
    if (BracketChange(a) < 0) return false;
    return true;
  }

  // A `-` after these is a negation (no space after it); after anything else, a subtraction.
  // hclwrite's list, plus `=>`, `${` and `%{` (departure: hclwrite writes `${- 1}`).
  static bool IsNegation(TokenKind before) {
    switch (before) {
      case TokenKind::kEof:  // start of a cell
      case TokenKind::kLParen:
      case TokenKind::kLBrace:
      case TokenKind::kLBrack:
      case TokenKind::kEqual:
      case TokenKind::kColon:
      case TokenKind::kComma:
      case TokenKind::kQuestion:
      case TokenKind::kFatArrow:
      case TokenKind::kTemplateInterp:
      case TokenKind::kPlus:
      case TokenKind::kStar:
      case TokenKind::kSlash:
      case TokenKind::kPercent:
      case TokenKind::kMinus:
      case TokenKind::kEqEq:
      case TokenKind::kNotEq:
      case TokenKind::kGt:
      case TokenKind::kGe:
      case TokenKind::kLt:
      case TokenKind::kLe:
      case TokenKind::kAnd:
      case TokenKind::kOr:
      case TokenKind::kBang:
        return true;
      default:
        return IsControl(before);
    }
  }

  // ---- pass 4: alignment ---------------------------------------------------------------------
  size_t Width(size_t i) const { return DisplayColumns(Printed(items_[i])); }

  // Columns taken by items [from, to) of a line, the spaces before each included; the first item
  // of a line counts its indentation instead.
  size_t Columns(const Line& line, size_t from, size_t to) const {
    size_t n = 0;
    for (size_t i = from; i < to; ++i) {
      n += i == line.first ? static_cast<size_t>(line.indent) : static_cast<size_t>(spaces_[i]);
      n += Width(i);
    }
    return n;
  }
  size_t LeadEnd(const Line& line) const {
    if (line.assign != kNone) return line.assign;
    return line.comment_cell ? line.last - 1 : line.last;
  }

  // Pads the first item of a cell over each run of consecutive lines that have that cell (a
  // blank line or a line without the cell ends the run) so that the cells start in one column.
  template <typename HasCell, typename CellStart, typename ColumnsBefore>
  void Align(HasCell has_cell, CellStart cell_start, ColumnsBefore columns_before) {
    size_t run_start = 0;
    size_t max_columns = 0;
    bool in_run = false;
    auto close = [&](size_t end) {
      for (size_t l = run_start; l < end; ++l) {
        spaces_[cell_start(lines_[l])] =
            static_cast<int>(max_columns - columns_before(lines_[l])) + 1;
      }
      in_run = false;
      max_columns = 0;
    };
    for (size_t l = 0; l < lines_.size(); ++l) {
      const Line& line = lines_[l];
      if (in_run && (line.blank_before || !has_cell(line))) close(l);
      if (!has_cell(line)) continue;
      if (!in_run) {
        in_run = true;
        run_start = l;
      }
      max_columns = std::max(max_columns, columns_before(line));
    }
    if (in_run) close(lines_.size());
  }

  void AlignAssignments() {
    Align([](const Line& line) { return line.assign != kNone; },
          [](const Line& line) { return line.assign; },
          [this](const Line& line) { return Columns(line, line.first, line.assign); });
  }

  void AlignComments() {
    Align([](const Line& line) { return line.comment_cell; },
          [](const Line& line) { return line.last - 1; },
          [this](const Line& line) { return Columns(line, line.first, line.last - 1); });
  }

  // ---- output --------------------------------------------------------------------------------
  // Comments lose trailing whitespace (on every line of a block comment); all else is verbatim.
  std::string Printed(const Item& item) const {
    std::string_view t = Text(item);
    if (item.kind != TokenKind::kComment) return std::string(t);
    std::string out;
    out.reserve(t.size());
    size_t line_start = 0;
    while (line_start <= t.size()) {
      size_t nl = t.find('\n', line_start);
      size_t stop = nl == std::string_view::npos ? t.size() : nl;
      size_t e = stop;
      while (e > line_start && IsSpace(t[e - 1])) --e;
      out.append(t.substr(line_start, e - line_start));
      if (nl == std::string_view::npos) break;
      out += '\n';
      line_start = nl + 1;
    }
    return out;
  }

  std::string Print() const {
    std::string out;
    out.reserve(src_.size() + src_.size() / 8);
    if (bom_) out += "\xEF\xBB\xBF";
    for (const Line& line : lines_) {
      if (line.blank_before) out += '\n';
      if (line.verbatim_indent) {
        out += line.original_indent;
      } else {
        out.append(static_cast<size_t>(line.indent), ' ');
      }
      for (size_t i = line.first; i < line.last; ++i) {
        if (i != line.first) out.append(static_cast<size_t>(spaces_[i]), ' ');
        if (items_[i].kind == TokenKind::kComment) {
          out += Printed(items_[i]);
        } else {
          out += Text(items_[i]);
        }
      }
      out += '\n';
    }
    return out;
  }

  std::string_view src_;
  bool bom_ = false;
  std::vector<Item> items_;
  std::vector<Line> lines_;
  std::vector<int> spaces_;  ///< spaces before each item (not used for a line's first item)
};

}  // namespace

std::string FormatTokens(std::string_view source, const syntax::LexResult& lex) {
  return Formatter(source, lex).Run();
}

std::optional<std::string> Format(const diag::SourceManager& sm, diag::FileId file,
                                  diag::DiagnosticEngine& diags) {
  size_t errors_before = diags.error_count();
  syntax::ParseResult parsed = syntax::Parse(sm, file, diags);
  if (parsed.file == nullptr || diags.error_count() > errors_before) return std::nullopt;
  return FormatTokens(sm.Text(file), parsed.lex);
}

}  // namespace drover::hclfmt
