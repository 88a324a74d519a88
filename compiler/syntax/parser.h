// The front end's entry point: HCL source -> AST (compiler/syntax/ast.h).
//
// Parse() lexes with drover's lexer, parses with the ANTLR-generated parser (grammar/), and turns
// the parse tree into the AST. No ANTLR type is visible through this header. Syntax errors become
// diagnostics (E01xx); parsing recovers so that one run reports several errors, and no input
// crashes, hangs or exhausts the stack.
#pragma once

#include <memory>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/lexer.h"

namespace drover::syntax {

struct ParseResult {
  std::unique_ptr<AstContext> context;  ///< owns the AST
  File* file = nullptr;                 ///< null when the file has syntax errors
  LexResult lex;                        ///< tokens and comments (the formatter uses them)
};

/// Parses buffer `file` of `sm`. Diagnostics go to `diags`.
ParseResult Parse(const diag::SourceManager& sm, diag::FileId file, diag::DiagnosticEngine& diags);

}  // namespace drover::syntax
