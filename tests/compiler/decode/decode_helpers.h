// Helpers for decoder tests: parse a job file, turn it into an EvalBody with the literal
// evaluator, decode it, and look at the result and the diagnostics.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/decode/job_decoder.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"
#include "compiler/syntax/parser.h"
#include "tests/compiler/decode/literal_eval.h"

namespace drover::testing {

struct Decoded {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  std::optional<ir::Job> job;

  std::string Errors() const {
    return diag::RenderAll(diags.diagnostics(), sm, diag::DiagFormat::kGcc);
  }
  std::string Text() const {
    return diag::RenderAll(diags.diagnostics(), sm, diag::DiagFormat::kText);
  }
  std::vector<std::string> Codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.diagnostics()) out.push_back(std::string(diag::Info(d.kind).code));
    return out;
  }
  /// 1-based line of the i-th diagnostic.
  uint32_t Line(size_t i = 0) const { return sm.Begin(diags.diagnostics().at(i).range).line; }
  uint32_t Column(size_t i = 0) const {
    return sm.Begin(diags.diagnostics().at(i).range).column;
  }
  const ir::TaskGroup& Group(size_t i = 0) const { return job->task_groups.at(i); }
  const ir::Task& Task(size_t g = 0, size_t t = 0) const { return job->task_groups.at(g).tasks.at(t); }
};

inline std::unique_ptr<Decoded> DecodeText(std::string text, std::string name = "job.hcl") {
  auto d = std::make_unique<Decoded>();
  diag::FileId f = d->sm.AddBuffer(std::move(name), std::move(text));
  syntax::ParseResult parsed = syntax::Parse(d->sm, f, d->diags);
  if (parsed.file == nullptr) return d;
  eval::EvalBody body = LiteralEval(*parsed.file, d->sm);
  d->job = decode::DecodeJob(body, d->diags);
  return d;
}

/// Wraps `task_body` in job "j" { group "g" { task "t" { ... } } }.
inline std::string InTask(const std::string& task_body) {
  return "job \"j\" {\n  group \"g\" {\n    task \"t\" {\n" + task_body + "\n    }\n  }\n}\n";
}
inline std::string InGroup(const std::string& group_body) {
  return "job \"j\" {\n  group \"g\" {\n" + group_body + "\n  }\n}\n";
}
inline std::string InJob(const std::string& job_body) {
  return "job \"j\" {\n" + job_body + "\n}\n";
}

}  // namespace drover::testing
