// A hand-written lexer for HCL's native syntax, modelled on hclsyntax's scanner: a stack of open
// contexts (brackets, template strings, heredocs, interpolations, directives) decides how each
// byte is read and whether a newline is a token.
#include "compiler/syntax/lexer.h"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/base/strings.h"

namespace drover::syntax {
namespace {

using diag::DiagKind;

enum class Ctx : uint8_t {
  kParen,
  kBracket,
  kBlockBrace,
  kObjectBrace,
  kForBrace,
  kInterp,
  kControl,
  kQuote,
  kHeredoc,
};

struct Frame {
  Ctx ctx;
  uint32_t open_begin;
  uint32_t open_end;
  std::string_view marker;  // heredoc closing marker
};

constexpr int kMaxLexErrors = 50;

bool IsAsciiIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsAsciiIdentContinue(unsigned char c) {
  return IsAsciiIdentStart(c) || (c >= '0' && c <= '9') || c == '-';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char32_t HexValue(char h) { return IsDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10; }
bool IsScalarValue(char32_t cp) { return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF); }

// Source text quoted in a message: control characters and bytes that are not UTF-8 become
// `<0xNN>`, so that every message is valid UTF-8 (JSON and SARIF output need it).
std::string ForMessage(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : base::Utf8SequenceLength(text.substr(i));
    if (len == 0 || c < 0x20 || c == 0x7F) {
      out += fmt::format("<0x{:02X}>", c);
      ++i;
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

class Lexer {
 public:
  Lexer(std::string_view text, diag::FileId file, diag::DiagnosticEngine& diags)
      : s_(text), file_(file), diags_(diags) {
    out_.tokens.reserve(text.size() / 4 + 16);
  }

  LexResult Run() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (!stopped_ && pos_ < s_.size()) {
      Ctx top = stack_.empty() ? Ctx::kBlockBrace : stack_.back().ctx;
      if (top == Ctx::kQuote) {
        LexQuoted();
      } else if (top == Ctx::kHeredoc) {
        LexHeredoc();
      } else {
        LexExpression();
      }
    }
    FinishAtEof();
    std::sort(out_.error_offsets.begin(), out_.error_offsets.end());
    return std::move(out_);
  }

 private:
  // ---- helpers ------------------------------------------------------------------------------
  char At(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }
  bool HasMore(size_t i) const { return i < s_.size(); }

  diag::SourceRange Range(size_t b, size_t e) const {
    return {file_, static_cast<uint32_t>(b), static_cast<uint32_t>(e)};
  }

  template <typename... Args>
  void Error(DiagKind kind, size_t b, size_t e, Args&&... args) {
    if (++errors_ > kMaxLexErrors) return;
    out_.error_offsets.push_back(static_cast<uint32_t>(b));
    diags_.Build(kind, Range(b, e), std::forward<Args>(args)...).Emit();
  }

  void Structural(size_t at) {
    out_.structural_error_at = std::min<uint32_t>(out_.structural_error_at, static_cast<uint32_t>(at));
  }

  void Emit(TokenKind k, size_t b, size_t e, uint8_t flags = 0) {
    out_.tokens.push_back({k, flags, static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
  }
  TokenKind LastKind() const {
    return out_.tokens.empty() ? TokenKind::kNewline : out_.tokens.back().kind;
  }

  bool Push(Ctx ctx, size_t b, size_t e, std::string_view marker = {}) {
    if (stack_.size() >= static_cast<size_t>(kMaxNesting)) {
      Error(DiagKind::kNestingTooDeep, b, e, kMaxNesting);
      stopped_ = true;
      Structural(b);
      return false;
    }
    stack_.push_back({ctx, static_cast<uint32_t>(b), static_cast<uint32_t>(e), marker});
    return true;
  }

  bool NewlineSignificant() const {
    if (stack_.empty()) return true;
    Ctx c = stack_.back().ctx;
    return c == Ctx::kBlockBrace || c == Ctx::kObjectBrace;
  }

  bool IdentStartAt(size_t i) const {
    auto c = static_cast<unsigned char>(At(i));
    if (IsAsciiIdentStart(c)) return true;
    return c >= 0x80 && base::Utf8SequenceLength(s_.substr(i)) > 1;
  }
  // Length of the identifier character at i, or 0.
  size_t IdentContinueAt(size_t i) const {
    if (!HasMore(i)) return 0;
    auto c = static_cast<unsigned char>(s_[i]);
    if (IsAsciiIdentContinue(c)) return 1;
    if (c < 0x80) return 0;
    size_t len = base::Utf8SequenceLength(s_.substr(i));
    return len > 1 ? len : 0;
  }
  size_t IdentEnd(size_t i) const {
    while (size_t len = IdentContinueAt(i)) i += len;
    return i;
  }

  // ---- expressions ----------------------------------------------------------------------------
  void LexExpression() {
    size_t b = pos_;
    char c = s_[pos_];
    switch (c) {
      case ' ':
      case '\t':
      case '\r':
        ++pos_;
        return;
      case '\n':
        if (NewlineSignificant() && LastKind() != TokenKind::kNewline) {
          Emit(TokenKind::kNewline, b, b + 1);
        }
        ++pos_;
        return;
      case '#':
        LineComment();
        return;
      case '/':
        if (At(pos_ + 1) == '/') return LineComment();
        if (At(pos_ + 1) == '*') return BlockComment();
        return Simple(TokenKind::kSlash, 1);
      case '"':
        return StringStart();
      case '<':
        if (At(pos_ + 1) == '<') return HeredocStart();
        if (At(pos_ + 1) == '=') return Simple(TokenKind::kLe, 2);
        return Simple(TokenKind::kLt, 1);
      case '>':
        if (At(pos_ + 1) == '=') return Simple(TokenKind::kGe, 2);
        return Simple(TokenKind::kGt, 1);
      case '=':
        if (At(pos_ + 1) == '=') return Simple(TokenKind::kEqEq, 2);
        if (At(pos_ + 1) == '>') return Simple(TokenKind::kFatArrow, 2);
        return Simple(TokenKind::kEqual, 1);
      case '!':
        if (At(pos_ + 1) == '=') return Simple(TokenKind::kNotEq, 2);
        return Simple(TokenKind::kBang, 1);
      case '&':
        if (At(pos_ + 1) == '&') return Simple(TokenKind::kAnd, 2);
        return Invalid();
      case '|':
        if (At(pos_ + 1) == '|') return Simple(TokenKind::kOr, 2);
        return Invalid();
      case '.':
        if (At(pos_ + 1) == '.' && At(pos_ + 2) == '.') return Simple(TokenKind::kEllipsis, 3);
        return Simple(TokenKind::kDot, 1);
      case ',':
        return Simple(TokenKind::kComma, 1);
      case ':':
        return Simple(TokenKind::kColon, 1);
      case '?':
        return Simple(TokenKind::kQuestion, 1);
      case '*':
        return Simple(TokenKind::kStar, 1);
      case '+':
        return Simple(TokenKind::kPlus, 1);
      case '-':
        return Simple(TokenKind::kMinus, 1);
      case '%':
        return Simple(TokenKind::kPercent, 1);
      case '(':
        if (!Push(Ctx::kParen, b, b + 1)) return;
        return Simple(TokenKind::kLParen, 1);
      case '[':
        if (!Push(Ctx::kBracket, b, b + 1)) return;
        return Simple(TokenKind::kLBrack, 1);
      case '{':
        return OpenBrace();
      case ')':
        if (!Close(Ctx::kParen, b, b + 1)) return Skip(1);
        return Simple(TokenKind::kRParen, 1);
      case ']':
        if (!Close(Ctx::kBracket, b, b + 1)) return Skip(1);
        return Simple(TokenKind::kRBrack, 1);
      case '}':
        return CloseBrace(0);
      case '~':
        if (At(pos_ + 1) == '}' && InTemplateSequence()) return CloseBrace(1);
        return Invalid();
      default:
        break;
    }
    if (IsDigit(c)) return Number();
    if (IdentStartAt(pos_)) return Identifier();
    Invalid();
  }

  void Skip(size_t len) { pos_ += len; }

  void Simple(TokenKind k, size_t len) {
    Emit(k, pos_, pos_ + len);
    pos_ += len;
  }

  void Invalid() {
    size_t b = pos_;
    auto c = static_cast<unsigned char>(s_[pos_]);
    size_t len = c >= 0x80 ? base::Utf8SequenceLength(s_.substr(pos_)) : 1;
    bool bad_utf8 = len == 0;
    if (len == 0) len = 1;
    pos_ += len;
    if (b == last_invalid_end_) {  // one report per run of bad bytes
      last_invalid_end_ = pos_;
      return;
    }
    last_invalid_end_ = pos_;
    if (bad_utf8) {
      Error(DiagKind::kInvalidUtf8, b, pos_);
    } else if (c < 0x20 || c == 0x7F) {
      Error(DiagKind::kInvalidCharacter, b, pos_, fmt::format("U+{:04X}", c));
    } else {
      Error(DiagKind::kInvalidCharacter, b, pos_, fmt::format("`{}`", s_.substr(b, len)));
    }
  }

  void LineComment() {
    size_t b = pos_;
    while (HasMore(pos_) && s_[pos_] != '\n') ++pos_;
    size_t e = pos_;
    if (e > b && s_[e - 1] == '\r') --e;
    CheckUtf8(b, e);
    out_.comments.push_back({TokenKind::kComment, 0, static_cast<uint32_t>(b),
                             static_cast<uint32_t>(e)});
  }

  void BlockComment() {
    size_t b = pos_;
    size_t close = s_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) {
      Error(DiagKind::kUnterminatedComment, b, b + 2);
      Structural(b);
      ran_to_eof_ = true;
      pos_ = s_.size();
    } else {
      pos_ = close + 2;
    }
    CheckUtf8(b, pos_);
    out_.comments.push_back({TokenKind::kComment, 0, static_cast<uint32_t>(b),
                             static_cast<uint32_t>(pos_)});
  }

  void CheckUtf8(size_t b, size_t e) {
    for (size_t i = b; i < e;) {
      auto c = static_cast<unsigned char>(s_[i]);
      if (c < 0x80) {
        ++i;
        continue;
      }
      size_t len = base::Utf8SequenceLength(s_.substr(i, e - i));
      if (len == 0) {
        Error(DiagKind::kInvalidUtf8, i, i + 1);
        return;
      }
      i += len;
    }
  }

  void Number() {
    size_t b = pos_;
    while (IsDigit(At(pos_))) ++pos_;
    // After `.`, digits are a legacy index (`foo.0.1` is two steps), never a fraction.
    bool legacy_index = LastKind() == TokenKind::kDot;
    if (!legacy_index) {
      if (At(pos_) == '.' && IsDigit(At(pos_ + 1))) {
        ++pos_;
        while (IsDigit(At(pos_))) ++pos_;
      }
      if (At(pos_) == 'e' || At(pos_) == 'E') {
        size_t i = pos_ + 1;
        if (At(i) == '+' || At(i) == '-') ++i;
        if (IsDigit(At(i))) {
          while (IsDigit(At(i))) ++i;
          pos_ = i;
        }
      }
    }
    Emit(TokenKind::kNumber, b, pos_);
  }

  void Identifier() {
    size_t b = pos_;
    pos_ = IdentEnd(pos_);
    TokenKind kind = TokenKind::kIdent;
    if (s_.substr(b, pos_ - b) == "for") {
      TokenKind last = LastKind();
      bool after_bracket = last == TokenKind::kLBrack;
      bool after_for_brace =
          last == TokenKind::kLBrace && !stack_.empty() && stack_.back().ctx == Ctx::kForBrace;
      if (after_bracket || after_for_brace) kind = TokenKind::kFor;
    }
    Emit(kind, b, pos_);
  }

  void OpenBrace() {
    size_t b = pos_;
    TokenKind last = LastKind();
    bool in_body = stack_.empty() || stack_.back().ctx == Ctx::kBlockBrace;
    bool block = in_body && !out_.tokens.empty() &&
                 (last == TokenKind::kIdent || last == TokenKind::kString ||
                  last == TokenKind::kCQuote);
    Ctx ctx = block ? Ctx::kBlockBrace : Ctx::kObjectBrace;
    if (!block && StartsForExpression(b + 1)) ctx = Ctx::kForBrace;
    if (!Push(ctx, b, b + 1)) return;
    Emit(TokenKind::kLBrace, b, b + 1, block ? kBlockBrace : 0);
    ++pos_;
  }

  // True when `for` follows at i, after whitespace, newlines and comments (hclsyntax looks past
  // newlines for the `for` of an object for expression).
  bool StartsForExpression(size_t i) const {
    while (HasMore(i)) {
      char c = s_[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '#' || (c == '/' && At(i + 1) == '/')) {
        while (HasMore(i) && s_[i] != '\n') ++i;
      } else if (c == '/' && At(i + 1) == '*') {
        size_t close = s_.find("*/", i + 2);
        if (close == std::string_view::npos) return false;
        i = close + 2;
      } else {
        break;
      }
    }
    return s_.substr(i, 3) == "for" && IdentContinueAt(i + 3) == 0;
  }

  bool InTemplateSequence() const {
    return !stack_.empty() &&
           (stack_.back().ctx == Ctx::kInterp || stack_.back().ctx == Ctx::kControl);
  }

  static bool IsBrace(Ctx c) {
    return c == Ctx::kBlockBrace || c == Ctx::kObjectBrace || c == Ctx::kForBrace;
  }
  static bool IsTemplateBoundary(Ctx c) {
    return c == Ctx::kInterp || c == Ctx::kControl || c == Ctx::kQuote || c == Ctx::kHeredoc;
  }

  // Pops the innermost frame matching `want`, and any unclosed frames above it within the
  // current template sequence, and returns true. A closer with no opener there is reported
  // (E0118) and left out of the token stream, like an invalid character: the parser then reads
  // the rest of the file as if it were not there, instead of losing its place (a stray `}` at
  // the top level would end the file for it).
  bool Close(Ctx want, size_t b, size_t e) {
    for (size_t i = stack_.size(); i-- > 0;) {
      Ctx c = stack_[i].ctx;
      bool match = want == Ctx::kBlockBrace ? IsBrace(c) : c == want;
      if (match) {
        stack_.resize(i);
        return true;
      }
      if (IsTemplateBoundary(c)) break;
    }
    Error(DiagKind::kUnmatchedClosing, b, e, s_.substr(b, e - b));
    return false;
  }

  // `}` or `~}` (strip_len 1).
  void CloseBrace(size_t strip_len) {
    size_t b = pos_;
    size_t e = pos_ + strip_len + 1;
    if (InTemplateSequence()) {
      stack_.pop_back();
      Emit(TokenKind::kTemplateEnd, b, e, strip_len ? kStripRight : 0);
      pos_ = e;
      return;
    }
    if (Close(Ctx::kBlockBrace, b, e)) Emit(TokenKind::kRBrace, b, e);
    pos_ = e;
  }

  // ---- quoted strings -----------------------------------------------------------------------
  void StringStart() {
    size_t b = pos_;
    size_t i = pos_ + 1;
    bool simple = true;
    while (HasMore(i)) {
      char c = s_[i];
      if (c == '"' || c == '\n') break;
      if (c == '\\') {
        i += At(i + 1) == '\n' || !HasMore(i + 1) ? 1 : 2;
        continue;
      }
      if (c == '$' || c == '%') {
        if (At(i + 1) == c && At(i + 2) == '{') {
          i += 3;
          continue;
        }
        if (At(i + 1) == '{') {
          simple = false;
          break;
        }
      }
      ++i;
    }
    if (simple && At(i) == '"' && HasMore(i)) {
      ValidateLiteral(b + 1, i, /*quoted=*/true);
      Emit(TokenKind::kString, b, i + 1);
      pos_ = i + 1;
      return;
    }
    if (!Push(Ctx::kQuote, b, b + 1)) return;
    Emit(TokenKind::kOQuote, b, b + 1);
    pos_ = b + 1;
  }

  void FlushLiteral(size_t b, size_t e, bool quoted) {
    if (e <= b) return;
    ValidateLiteral(b, e, quoted);
    Emit(TokenKind::kTemplateLit, b, e);
  }

  void ValidateLiteral(size_t b, size_t e, bool quoted) {
    bool utf8_reported = false;
    for (size_t i = b; i < e;) {
      auto c = static_cast<unsigned char>(s_[i]);
      if (quoted && c == '\\') {
        i = ValidateEscape(i, e);
        continue;
      }
      if (c < 0x80) {
        ++i;
        continue;
      }
      size_t len = base::Utf8SequenceLength(s_.substr(i, e - i));
      if (len == 0) {
        if (!utf8_reported) Error(DiagKind::kInvalidUtf8, i, i + 1);
        utf8_reported = true;
        ++i;
        continue;
      }
      i += len;
    }
  }

  // Validates the escape at i (a backslash); returns the index after it.
  size_t ValidateEscape(size_t i, size_t e) {
    char c = i + 1 < e ? s_[i + 1] : '\0';
    switch (c) {
      case 'n':
      case 'r':
      case 't':
      case '"':
      case '\\':
        return i + 2;
      case 'u':
      case 'U': {
        size_t want = c == 'u' ? 4 : 8;
        size_t j = i + 2;
        char32_t cp = 0;
        while (j < e && j < i + 2 + want && IsHex(s_[j])) cp = cp * 16 + HexValue(s_[j++]);
        // Like hclsyntax: the digits must name a Unicode scalar value (no surrogates), or the
        // decoded string would not be UTF-8.
        if (j - (i + 2) != want || !IsScalarValue(cp)) {
          Error(DiagKind::kInvalidEscape, i, j, s_.substr(i, j - i));
        }
        return j;
      }
      default: {
        // The escaped character is a whole code point, so that the message stays UTF-8 and the
        // rest of a multi-byte character is not reported again as invalid UTF-8.
        size_t j = i + 1;
        if (j < e) {
          size_t len = base::Utf8SequenceLength(s_.substr(j, e - j));
          j += len == 0 ? 1 : len;
        }
        Error(DiagKind::kInvalidEscape, i, j, ForMessage(s_.substr(i, j - i)));
        return j;
      }
    }
  }

  void LexQuoted() {
    size_t b = pos_;
    while (HasMore(pos_)) {
      char c = s_[pos_];
      if (c == '"') {
        FlushLiteral(b, pos_, true);
        Emit(TokenKind::kCQuote, pos_, pos_ + 1);
        stack_.pop_back();
        ++pos_;
        return;
      }
      if (c == '\n') {
        FlushLiteral(b, pos_, true);
        const Frame& f = stack_.back();
        Error(DiagKind::kUnterminatedString, f.open_begin, pos_);
        Structural(f.open_begin);
        Emit(TokenKind::kCQuote, pos_, pos_, kSynthetic);
        stack_.pop_back();
        return;
      }
      if (c == '\\') {
        pos_ += At(pos_ + 1) == '\n' || !HasMore(pos_ + 1) ? 1 : 2;
        continue;
      }
      if ((c == '$' || c == '%') && At(pos_ + 1) == c && At(pos_ + 2) == '{') {
        pos_ += 3;
        continue;
      }
      if ((c == '$' || c == '%') && At(pos_ + 1) == '{') {
        FlushLiteral(b, pos_, true);
        TemplateOpen(c);
        return;
      }
      ++pos_;
    }
    FlushLiteral(b, pos_, true);
  }

  // At `${` or `%{`.
  void TemplateOpen(char c) {
    size_t b = pos_;
    pos_ += 2;
    uint8_t flags = 0;
    if (At(pos_) == '~') {
      flags |= kStripLeft;
      ++pos_;
    }
    if (c == '$') {
      if (!Push(Ctx::kInterp, b, pos_)) return;
      Emit(TokenKind::kTemplateInterp, b, pos_, flags);
      return;
    }
    size_t i = pos_;
    while (At(i) == ' ' || At(i) == '\t') ++i;
    size_t word_end = IdentStartAt(i) ? IdentEnd(i) : i;
    std::string_view word = s_.substr(i, word_end - i);
    TokenKind kind;
    if (word == "if") {
      kind = TokenKind::kCtrlIf;
    } else if (word == "else") {
      kind = TokenKind::kCtrlElse;
    } else if (word == "endif") {
      kind = TokenKind::kCtrlEndif;
    } else if (word == "for") {
      kind = TokenKind::kCtrlFor;
    } else if (word == "endfor") {
      kind = TokenKind::kCtrlEndfor;
    } else {
      Error(DiagKind::kInvalidDirective, b, std::max(word_end, pos_));
      // Skip the directive up to its `}` so that the template carries on.
      while (HasMore(pos_) && s_[pos_] != '}' && s_[pos_] != '\n' && s_[pos_] != '"') ++pos_;
      if (At(pos_) == '}') ++pos_;
      return;
    }
    if (!Push(Ctx::kControl, b, word_end)) return;
    Emit(kind, b, word_end, flags);
    pos_ = word_end;
  }

  // ---- heredocs ------------------------------------------------------------------------------
  void HeredocStart() {
    size_t b = pos_;
    size_t i = pos_ + 2;
    uint8_t flags = 0;
    if (At(i) == '-') {
      flags = kHeredocFlush;
      ++i;
    }
    size_t id_b = i;
    if (IdentStartAt(i)) i = IdentEnd(i);
    size_t id_e = i;
    size_t nl_end = 0;
    if (At(i) == '\n') {
      nl_end = i + 1;
    } else if (At(i) == '\r' && At(i + 1) == '\n') {
      nl_end = i + 2;
    }
    if (id_e == id_b || nl_end == 0) {
      Error(DiagKind::kInvalidHeredoc, b, std::max(id_e, b + 2), s_.substr(b, id_b - b));
      // What follows was meant as heredoc text, and there is no telling where it ends.
      Structural(b);
      pos_ = id_e > id_b ? id_e : b + 2;
      return;
    }
    if (!Push(Ctx::kHeredoc, b, id_e, s_.substr(id_b, id_e - id_b))) return;
    Emit(TokenKind::kHeredocBegin, b, nl_end, flags);
    pos_ = nl_end;
  }

  void LexHeredoc() {
    const Frame& f = stack_.back();
    bool line_start = pos_ == 0 || s_[pos_ - 1] == '\n';
    if (line_start) {
      size_t i = pos_;
      while (At(i) == ' ' || At(i) == '\t') ++i;
      if (s_.substr(i, f.marker.size()) == f.marker) {
        size_t j = i + f.marker.size();
        if (!HasMore(j) || s_[j] == '\n' || (s_[j] == '\r' && At(j + 1) == '\n')) {
          Emit(TokenKind::kHeredocEnd, pos_, j);
          stack_.pop_back();
          pos_ = j;
          return;
        }
      }
    }
    size_t b = pos_;
    while (HasMore(pos_)) {
      char c = s_[pos_];
      if (c == '\n') {
        ++pos_;
        FlushLiteral(b, pos_, false);
        return;
      }
      if ((c == '$' || c == '%') && At(pos_ + 1) == c && At(pos_ + 2) == '{') {
        pos_ += 3;
        continue;
      }
      if ((c == '$' || c == '%') && At(pos_ + 1) == '{') {
        FlushLiteral(b, pos_, false);
        TemplateOpen(c);
        return;
      }
      ++pos_;
    }
    FlushLiteral(b, pos_, false);
  }

  // ---- end of input ---------------------------------------------------------------------------
  void FinishAtEof() {
    size_t n = s_.size();
    if (stopped_) {
      stack_.clear();
    }
    std::vector<Frame> unclosed;
    while (!stack_.empty()) {
      Frame f = stack_.back();
      stack_.pop_back();
      Structural(f.open_begin);
      switch (f.ctx) {
        // Only the innermost construct that runs to the end is reported: the others are
        // unterminated because it is.
        case Ctx::kQuote:
          if (!ran_to_eof_) Error(DiagKind::kUnterminatedString, f.open_begin, n);
          ran_to_eof_ = true;
          Emit(TokenKind::kCQuote, n, n, kSynthetic);
          break;
        case Ctx::kHeredoc:
          if (!ran_to_eof_) {
            Error(DiagKind::kUnterminatedHeredoc, f.open_begin, f.open_end, f.marker);
          }
          ran_to_eof_ = true;
          Emit(TokenKind::kHeredocEnd, n, n, kSynthetic);
          break;
        case Ctx::kInterp:
        case Ctx::kControl:
          if (!ran_to_eof_) {
            Error(DiagKind::kUnterminatedTemplate, f.open_begin, f.open_end,
                  s_.substr(f.open_begin, 2));
          }
          ran_to_eof_ = true;
          Emit(TokenKind::kTemplateEnd, n, n, kSynthetic);
          break;
        default:
          unclosed.push_back(f);
          break;
      }
    }
    // When a comment, heredoc, string or template ran to the end of the file, it swallowed the
    // closing brackets: reporting them as unclosed would bury the one real error.
    for (auto it = unclosed.rbegin(); it != unclosed.rend() && !ran_to_eof_; ++it) {
      Error(DiagKind::kUnclosedBracket, it->open_begin, it->open_end,
            s_.substr(it->open_begin, it->open_end - it->open_begin));
    }
    if (LastKind() != TokenKind::kNewline || out_.tokens.empty()) {
      Emit(TokenKind::kNewline, n, n, kSynthetic);
    }
    Emit(TokenKind::kEof, n, n);
  }

  std::string_view s_;
  size_t pos_ = 0;
  diag::FileId file_;
  diag::DiagnosticEngine& diags_;
  std::vector<Frame> stack_;
  LexResult out_;
  int errors_ = 0;
  bool stopped_ = false;
  bool ran_to_eof_ = false;  // an unterminated comment, heredoc, string or template
  size_t last_invalid_end_ = static_cast<size_t>(-1);
};

void AppendEscape(std::string& out, std::string_view raw, size_t& i) {
  char c = i + 1 < raw.size() ? raw[i + 1] : '\0';
  switch (c) {
    case 'n':
      out += '\n';
      i += 2;
      return;
    case 'r':
      out += '\r';
      i += 2;
      return;
    case 't':
      out += '\t';
      i += 2;
      return;
    case '"':
      out += '"';
      i += 2;
      return;
    case '\\':
      out += '\\';
      i += 2;
      return;
    case 'u':
    case 'U': {
      size_t want = c == 'u' ? 4 : 8;
      if (i + 2 + want <= raw.size()) {
        char32_t cp = 0;
        bool ok = true;
        for (size_t k = 0; k < want; ++k) {
          char h = raw[i + 2 + k];
          if (!IsHex(h)) {
            ok = false;
            break;
          }
          cp = cp * 16 + HexValue(h);
        }
        if (ok && IsScalarValue(cp)) {
          base::AppendUtf8(out, cp);
          i += 2 + want;
          return;
        }
      }
      break;
    }
    default:
      break;
  }
  out += raw[i];
  i += 1;
}

std::string Decode(std::string_view raw, bool quoted) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    char c = raw[i];
    if (quoted && c == '\\') {
      AppendEscape(out, raw, i);
      continue;
    }
    if ((c == '$' || c == '%') && i + 2 < raw.size() && raw[i + 1] == c && raw[i + 2] == '{') {
      out += c;
      out += '{';
      i += 3;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace

LexResult Lex(std::string_view text, diag::FileId file, diag::DiagnosticEngine& diags) {
  return Lexer(text, file, diags).Run();
}

std::string DecodeQuoted(std::string_view raw) { return Decode(raw, true); }
std::string DecodeHeredoc(std::string_view raw) { return Decode(raw, false); }

std::string_view DescribeTokenKind(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEof:
      return "end of file";
    case TokenKind::kNewline:
      return "newline";
    case TokenKind::kIdent:
      return "identifier";
    case TokenKind::kNumber:
      return "number";
    case TokenKind::kString:
    case TokenKind::kOQuote:
      return "string";
    case TokenKind::kCQuote:
      return "`\"`";
    case TokenKind::kTemplateLit:
      return "template text";
    case TokenKind::kTemplateInterp:
      return "`${`";
    case TokenKind::kTemplateEnd:
      return "`}`";
    case TokenKind::kCtrlIf:
      return "`%{ if`";
    case TokenKind::kCtrlElse:
      return "`%{ else`";
    case TokenKind::kCtrlEndif:
      return "`%{ endif`";
    case TokenKind::kCtrlFor:
      return "`%{ for`";
    case TokenKind::kCtrlEndfor:
      return "`%{ endfor`";
    case TokenKind::kHeredocBegin:
      return "heredoc";
    case TokenKind::kHeredocEnd:
      return "heredoc end marker";
    case TokenKind::kFor:
      return "`for`";
    case TokenKind::kLBrace:
      return "`{`";
    case TokenKind::kRBrace:
      return "`}`";
    case TokenKind::kLBrack:
      return "`[`";
    case TokenKind::kRBrack:
      return "`]`";
    case TokenKind::kLParen:
      return "`(`";
    case TokenKind::kRParen:
      return "`)`";
    case TokenKind::kEqual:
      return "`=`";
    case TokenKind::kColon:
      return "`:`";
    case TokenKind::kComma:
      return "`,`";
    case TokenKind::kDot:
      return "`.`";
    case TokenKind::kEllipsis:
      return "`...`";
    case TokenKind::kQuestion:
      return "`?`";
    case TokenKind::kFatArrow:
      return "`=>`";
    case TokenKind::kStar:
      return "`*`";
    case TokenKind::kSlash:
      return "`/`";
    case TokenKind::kPercent:
      return "`%`";
    case TokenKind::kPlus:
      return "`+`";
    case TokenKind::kMinus:
      return "`-`";
    case TokenKind::kBang:
      return "`!`";
    case TokenKind::kEqEq:
      return "`==`";
    case TokenKind::kNotEq:
      return "`!=`";
    case TokenKind::kLt:
      return "`<`";
    case TokenKind::kGt:
      return "`>`";
    case TokenKind::kLe:
      return "`<=`";
    case TokenKind::kGe:
      return "`>=`";
    case TokenKind::kAnd:
      return "`&&`";
    case TokenKind::kOr:
      return "`||`";
    case TokenKind::kComment:
      return "comment";
  }
  return "token";
}

}  // namespace drover::syntax
