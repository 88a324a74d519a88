// The canonical HCL formatter behind `drover fmt`: the layout `terraform fmt` and `nomad fmt`
// produce (HashiCorp's hclwrite rules), computed from the lexer's tokens and comments.
//
// Formatting changes only whitespace between tokens; it never adds or removes a line break except
// to collapse runs of blank lines, so the AST of the result equals the AST of the input. The rules
// (see README.md in this folder for the full list and where drover departs from hclwrite):
//   - indentation: two spaces per level; a line whose brackets open more than they close indents
//     the lines after it by one level until a line closes them (hclwrite's per-line rule);
//   - `=` aligned across consecutive lines that each hold a complete single-line assignment, and
//     trailing `#`/`//` comments aligned across consecutive lines that have one;
//   - one space between most tokens, none inside `()`/`[]`, around `.`, before `,`, after `!`
//     and a unary `-`; one space inside braces (`{ a = 1 }`, but `{}`);
//   - quoted-string text, heredoc bodies and closing markers stay byte for byte; the expressions
//     inside `${ }` are spaced like any other expression (`${ x }` becomes `${x}`);
//   - trailing whitespace removed, runs of blank lines collapsed to one, no blank lines at the
//     start or the end, the file ends with exactly one newline.
//
// The namespace is drover::hclfmt, not drover::fmt, so that `fmt::format` (the {fmt} library)
// still resolves inside namespace drover.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source_manager.h"
#include "compiler/syntax/lexer.h"

namespace drover::hclfmt {

/// Formats `source`, whose lexing produced `lex`.
/// REQUIRES: `lex` is Lex(source) and reported no error (every byte between two tokens or
/// comments is whitespace). Parse() first to know that the file is valid.
std::string FormatTokens(std::string_view source, const syntax::LexResult& lex);

/// Parses buffer `file` of `sm` and formats it. Returns nothing when the file has syntax errors,
/// which go to `diags`.
std::optional<std::string> Format(const diag::SourceManager& sm, diag::FileId file,
                                  diag::DiagnosticEngine& diags);

}  // namespace drover::hclfmt
