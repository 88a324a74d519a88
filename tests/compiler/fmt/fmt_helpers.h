// Helpers for formatter tests: format a string, and compare the ASTs of two sources.
#pragma once

#include <optional>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"
#include "compiler/fmt/format.h"
#include "compiler/syntax/ast_dump.h"
#include "compiler/syntax/parser.h"

namespace drover::hclfmt {

/// The formatted text, or nothing when `text` does not parse (`errors` gets the diagnostics).
inline std::optional<std::string> FormatText(const std::string& text, std::string* errors = nullptr,
                                             const std::string& name = "test.hcl") {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  diag::FileId f = sm.AddBuffer(name, text);
  std::optional<std::string> out = Format(sm, f, diags);
  if (errors != nullptr) *errors = diag::RenderAll(diags.diagnostics(), sm, diag::DiagFormat::kGcc);
  return out;
}

/// syntax::DumpBody of the parsed text, or nothing when it does not parse.
inline std::optional<std::string> DumpAst(const std::string& text) {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  diag::FileId f = sm.AddBuffer("test.hcl", text);
  syntax::ParseResult r = syntax::Parse(sm, f, diags);
  if (r.file == nullptr) return std::nullopt;
  return syntax::DumpBody(*r.file->body);
}

}  // namespace drover::hclfmt
