// The tokens of HCL's native syntax as drover's lexer produces them. The numeric values are the
// token types of the ANTLR grammar (grammar/HCLParser.g4); lexer.cpp checks that they agree.
#pragma once

#include <cstdint>
#include <string_view>

namespace drover::syntax {

enum class TokenKind : uint8_t {
  kEof = 0,
  kNewline = 1,
  kIdent,
  kNumber,
  kString,          ///< a quoted string without template sequences, quotes included
  kOQuote,          ///< `"` opening a template string
  kCQuote,          ///< `"` closing a template string
  kTemplateLit,     ///< literal text inside a template (escapes not yet decoded)
  kTemplateInterp,  ///< `${` or `${~`
  kTemplateEnd,     ///< `}` or `~}` closing an interpolation or directive
  kCtrlIf,          ///< `%{ if`
  kCtrlElse,        ///< `%{ else`
  kCtrlEndif,       ///< `%{ endif`
  kCtrlFor,         ///< `%{ for`
  kCtrlEndfor,      ///< `%{ endfor`
  kHeredocBegin,    ///< `<<EOF` or `<<-EOF` and its newline
  kHeredocEnd,      ///< the closing marker (with its leading whitespace)
  kFor,             ///< `for` opening a for expression
  kLBrace,
  kRBrace,
  kLBrack,
  kRBrack,
  kLParen,
  kRParen,
  kEqual,
  kColon,
  kComma,
  kDot,
  kEllipsis,
  kQuestion,
  kFatArrow,
  kStar,
  kSlash,
  kPercent,
  kPlus,
  kMinus,
  kBang,
  kEqEq,
  kNotEq,
  kLt,
  kGt,
  kLe,
  kGe,
  kAnd,
  kOr,
  kComment,  ///< only in LexResult::comments
};
inline constexpr int kTokenKindCount = static_cast<int>(TokenKind::kComment) + 1;

/// Token flags.
enum TokenFlag : uint8_t {
  kStripLeft = 1 << 0,     ///< `${~` / `%{~`: strip whitespace before
  kStripRight = 1 << 1,    ///< `~}`: strip whitespace after
  kHeredocFlush = 1 << 2,  ///< `<<-`: indented heredoc
  kSynthetic = 1 << 3,     ///< inserted by the lexer to recover from an error (zero width)
  kBlockBrace = 1 << 4,    ///< `{` opening a block body (not an object)
};

struct Token {
  TokenKind kind;
  uint8_t flags;
  uint32_t begin;  ///< byte offset
  uint32_t end;    ///< byte offset, exclusive
};

/// A short human name for diagnostics: "newline", "`{`", "identifier", ...
std::string_view DescribeTokenKind(TokenKind kind);

}  // namespace drover::syntax
