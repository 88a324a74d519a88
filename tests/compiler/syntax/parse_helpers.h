// Helpers for syntax tests: parse a string, dump its AST, collect diagnostics.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"
#include "compiler/syntax/ast_dump.h"
#include "compiler/syntax/parser.h"

namespace drover::syntax {

struct Parsed {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  ParseResult result;
  std::string Errors() const { return diag::RenderAll(diags.diagnostics(), sm, diag::DiagFormat::kGcc); }
  std::vector<std::string> Codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.diagnostics()) out.push_back(std::string(diag::Info(d.kind).code));
    return out;
  }
};

inline std::unique_ptr<Parsed> ParseText(std::string text, std::string name = "test.hcl") {
  auto p = std::make_unique<Parsed>();
  diag::FileId f = p->sm.AddBuffer(std::move(name), std::move(text));
  p->result = Parse(p->sm, f, p->diags);
  return p;
}

/// The AST of `x = <expr>`, or the diagnostics when it does not parse.
inline std::string DumpExpression(const std::string& expr) {
  auto p = ParseText("x = " + expr + "\n");
  if (p->result.file == nullptr) return "ERROR: " + p->Errors();
  const auto* attr = static_cast<const Attribute*>(p->result.file->body->items[0]);
  return DumpExpr(*attr->value);
}

inline std::string DumpFile(const std::string& text) {
  auto p = ParseText(text);
  if (p->result.file == nullptr) return "ERROR: " + p->Errors();
  return DumpBody(*p->result.file->body);
}

}  // namespace drover::syntax
