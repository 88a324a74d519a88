// Helpers for evaluation tests: evaluate an expression or a whole file from text, and look at the
// diagnostics (codes, messages, the source text a diagnostic points at).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"
#include "compiler/eval/evaluate.h"
#include "compiler/eval/evaluator.h"
#include "compiler/syntax/parser.h"

namespace drover::eval {

/// An in-memory FileReader.
class MemoryFiles : public FileReader {
 public:
  std::map<std::string, std::string> files;
  std::vector<std::string> reads;
  bool Read(const std::string& path, std::string* content, std::string* error) override {
    reads.push_back(path);
    auto it = files.find(path);
    if (it == files.end()) {
      *error = "no such file";
      return false;
    }
    *content = it->second;
    return true;
  }
};

struct EvalFixture {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  EvalOptions options;
  MemoryFiles files;
  std::vector<syntax::ParseResult> parsed;
  Scope scope;

  EvalFixture() { options.file_reader = &files; }

  /// Parses `x = <text>` and evaluates the expression in `scope`. Fails the test on syntax errors.
  Value Eval(const std::string& text) {
    diag::FileId f = sm.AddBuffer("test.hcl", "x = " + text + "\n");
    parsed.push_back(syntax::Parse(sm, f, diags));
    const syntax::ParseResult& pr = parsed.back();
    if (pr.file == nullptr) {
      ADD_FAILURE() << "does not parse: " << text << "\n" << Errors();
      return Value::Unknown();
    }
    const auto* attr = static_cast<const syntax::Attribute*>(pr.file->body->items[0]);
    Evaluator ev(sm, diags, options);
    return ev.Evaluate(*attr->value, scope);
  }

  /// Evaluates a whole file.
  std::optional<EvalBody> File(const std::string& text, const std::string& name = "job.hcl") {
    diag::FileId f = sm.AddBuffer(name, text);
    parsed.push_back(syntax::Parse(sm, f, diags));
    const syntax::ParseResult& pr = parsed.back();
    if (pr.file == nullptr) {
      ADD_FAILURE() << "does not parse:\n" << Errors();
      return std::nullopt;
    }
    return EvaluateFile(*pr.file, sm, options, diags);
  }

  diag::FileId AddVarFile(const std::string& name, const std::string& text) {
    diag::FileId f = sm.AddBuffer(name, text);
    options.var_files.push_back(f);
    return f;
  }

  std::string Errors() const {
    return diag::RenderAll(diags.diagnostics(), sm, diag::DiagFormat::kGcc);
  }
  std::vector<std::string> Codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.diagnostics()) out.emplace_back(diag::Info(d.kind).code);
    return out;
  }
  /// The code of the only diagnostic, or a failure.
  std::string OnlyCode() const {
    if (diags.diagnostics().size() != 1) {
      ADD_FAILURE() << "expected one diagnostic, got:\n" << Errors();
      return "";
    }
    return std::string(diag::Info(diags.diagnostics()[0].kind).code);
  }
  /// The source text the first diagnostic points at.
  std::string PointsAt() const {
    if (diags.diagnostics().empty()) return "<no diagnostic>";
    return std::string(sm.Text(diags.diagnostics()[0].range));
  }
  std::string Message() const {
    if (diags.diagnostics().empty()) return "<no diagnostic>";
    return diags.diagnostics()[0].message;
  }
};

/// Evaluates `expr` and renders the result (ToString), or "ERROR <code>: <message> @ <text>".
inline std::string Show(const std::string& expr) {
  EvalFixture f;
  Value v = f.Eval(expr);
  if (f.diags.HasErrors()) {
    const auto& d = f.diags.diagnostics()[0];
    return "ERROR " + std::string(diag::Info(d.kind).code) + ": " + d.message + " @ " +
           std::string(f.sm.Text(d.range));
  }
  return v.ToString();
}

}  // namespace drover::eval
