// The expression and body evaluator behind EvaluateFile (evaluate.h), exposed for tests and for
// stages that evaluate single expressions.
//
// Errors are diagnosed through the DiagnosticEngine given at construction and yield
// Value::Unknown(any); later operations on unknown values produce unknown values without further
// messages, so one mistake is reported once.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/evaluate.h"
#include "compiler/eval/value.h"
#include "compiler/syntax/ast.h"

namespace drover::eval {

/// Names visible to an expression: `var`, `local`, for/dynamic iterators. Scopes chain to their
/// parent; a Scope must outlive the scopes made from it.
class Scope {
 public:
  explicit Scope(const Scope* parent = nullptr) : parent_(parent) {}
  void Set(std::string name, Value value) { names_[std::move(name)] = std::move(value); }
  const Value* Lookup(std::string_view name) const;

 private:
  const Scope* parent_;
  std::map<std::string, Value, std::less<>> names_;
};

class Evaluator {
 public:
  Evaluator(const diag::SourceManager& sm, diag::DiagnosticEngine& diags,
            const EvalOptions& options);

  /// Evaluates `expr`. The result carries expr's range.
  Value Evaluate(const syntax::Expr& expr, const Scope& scope);
  /// Evaluates a body: attributes, blocks, `dynamic` blocks expanded.
  EvalBody EvaluateBody(const syntax::Body& body, const Scope& scope);

  /// When false, any variable reference is an error (variable defaults, var files, CLI values).
  void set_allow_references(bool allow) { allow_references_ = allow; }
  /// When false, file() fails (validation conditions run without filesystem access, as Nomad).
  void set_allow_fs(bool allow) { allow_fs_ = allow; }

  diag::DiagnosticEngine& diags() { return *diags_; }
  const EvalOptions& options() const { return options_; }
  const diag::SourceManager& sm() const { return sm_; }
  bool allow_fs() const { return allow_fs_ && options_.allow_fs; }
  /// Counter for uuidv4(): each call draws the next value of the seeded generator.
  uint64_t NextRandom();

 private:
  Value Eval(const syntax::Expr& e, const Scope& scope);
  Value EvalTemplate(const syntax::TemplateExpr& e, const Scope& scope);
  bool EvalParts(llvm::ArrayRef<syntax::TemplatePart*> parts, const Scope& scope, std::string& out,
                 bool& runtime);
  Value EvalTraversal(const syntax::Expr& e, const Scope& scope);
  Value EvalGetAttr(const syntax::GetAttrExpr& e, const Scope& scope);
  Value EvalIndex(const syntax::IndexExpr& e, const Scope& scope);
  Value EvalSplat(const syntax::SplatExpr& e, const Scope& scope);
  Value EvalCall(const syntax::CallExpr& e, const Scope& scope);
  Value EvalTryCan(const syntax::CallExpr& e, const Scope& scope, bool is_try);
  /// convert(value, type): the second argument is a type expression, not a value.
  Value EvalConvert(const syntax::CallExpr& e, const Scope& scope);
  Value EvalObject(const syntax::ObjectExpr& e, const Scope& scope);
  Value EvalFor(const syntax::ForExpr& e, const Scope& scope);
  Value EvalConditional(const syntax::ConditionalExpr& e, const Scope& scope);
  Value EvalBinary(const syntax::BinaryExpr& e, const Scope& scope);
  Value EvalUnary(const syntax::UnaryExpr& e, const Scope& scope);
  void ExpandDynamic(const syntax::Block& block, const Scope& scope, std::vector<EvalBlock>& out);

  /// Attribute access shared by `x.name` and splats.
  Value GetAttr(const Value& v, std::string_view name, SourceRange range);
  Value Index(const Value& v, const Value& key, SourceRange range);

  const diag::SourceManager& sm_;
  diag::DiagnosticEngine* diags_;
  const EvalOptions& options_;
  bool allow_references_ = true;
  bool allow_fs_ = true;
  std::vector<Value> splat_items_;
  uint64_t rng_state_;
  int depth_ = 0;
  /// Expressions evaluated so far; a file that needs more than kMaxSteps is refused, so nested
  /// `for` expressions over `range()` cannot make evaluation run for hours.
  uint64_t steps_ = 0;
  bool budget_reported_ = false;
};

/// Every `local.NAME` referenced in `expr` (NAME, or "*" when `local` is used whole).
void CollectLocalReferences(const syntax::Expr& expr, std::vector<std::string>& out);

/// The expression's source text ("NOMAD_PORT_http", `env["X"]`).
std::string_view SourceText(const diag::SourceManager& sm, SourceRange range);

}  // namespace drover::eval
