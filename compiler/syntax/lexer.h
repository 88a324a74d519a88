// The HCL lexer: source bytes -> tokens (see token.h for the token set) plus the comments, which
// the formatter needs and the parser does not. Lexical errors (bad characters, invalid UTF-8,
// unterminated strings, heredocs, templates and comments, bracket nesting beyond kMaxNesting) are
// reported as located diagnostics; the lexer then recovers, inserting zero-width closing tokens
// where that lets the parser carry on, so one run reports several errors.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/token.h"

namespace drover::syntax {

/// Deepest bracket / template nesting accepted; deeper input gets E0109 and lexing stops.
inline constexpr int kMaxNesting = 256;

struct LexResult {
  std::vector<Token> tokens;    ///< ends with one kEof token
  std::vector<Token> comments;  ///< kComment tokens in source order
  /// Offset of the first error that breaks the token structure (an unterminated string, heredoc,
  /// template or comment, an unclosed bracket, nesting too deep). The parser does not report
  /// errors from there on: they would only repeat it. UINT32_MAX when there is none.
  uint32_t structural_error_at = UINT32_MAX;
  /// Where the lexer reported errors, ascending. A parser error later on the same line is an
  /// echo of the lexer's (a dropped character, an unmatched closer) and is not reported.
  std::vector<uint32_t> error_offsets;
};

/// Lexes `text`, which is the content of `file`. Diagnostics go to `diags`.
LexResult Lex(std::string_view text, diag::FileId file, diag::DiagnosticEngine& diags);

/// Decodes the literal text of a quoted-string template part: backslash escapes, `$${` and `%%{`.
/// REQUIRES: `raw` was accepted by the lexer (invalid escapes are copied through).
std::string DecodeQuoted(std::string_view raw);
/// Decodes the literal text of a heredoc template part: `$${` and `%%{`.
std::string DecodeHeredoc(std::string_view raw);

}  // namespace drover::syntax
