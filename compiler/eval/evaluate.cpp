// Stub: the evaluator is being written; see evaluate.h for the contract.
#include "compiler/eval/evaluate.h"

namespace drover::eval {

const EvalAttribute* EvalBody::FindAttribute(std::string_view name) const {
  for (const auto& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<const EvalBlock*> EvalBody::BlocksOfType(std::string_view type) const {
  std::vector<const EvalBlock*> out;
  for (const auto& b : blocks) {
    if (b.type == type) out.push_back(&b);
  }
  return out;
}

std::optional<EvalBody> EvaluateFile(const syntax::File&, const diag::SourceManager&,
                                     const EvalOptions&, diag::DiagnosticEngine&) {
  return std::nullopt;
}

std::optional<Type> ParseTypeExpr(const syntax::Expr&, const diag::SourceManager&,
                                  diag::DiagnosticEngine&) {
  return std::nullopt;
}

}  // namespace drover::eval
