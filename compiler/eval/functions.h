// The function library available to job files: what Nomad's jobspec offers (cty's stdlib plus
// Terraform-style additions), implemented natively. `try` and `can` are handled by the evaluator
// because they take unevaluated arguments.
//
// A function receives evaluated, known arguments (unknown arguments short-circuit to an unknown
// result before the call) and reports mistakes through FunctionCall, which points a diagnostic
// at the argument at fault: "invalid argument 2 of `substr`: offset must be a number".
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/eval/value.h"
#include "compiler/syntax/ast.h"

namespace drover::eval {

class Evaluator;
class FunctionCall;

/// Returns the result, or nothing after reporting an error through the FunctionCall.
using FunctionImpl = std::optional<Value> (*)(FunctionCall& call);

struct FunctionDef {
  std::string_view name;
  size_t min_args;
  int max_args;  ///< -1: variadic
  FunctionImpl impl;
};

/// The function called `name`, or null.
const FunctionDef* FindFunction(std::string_view name);
/// Every function name, sorted (for "did you mean").
std::vector<std::string_view> FunctionNames();

/// One call in progress: its arguments, their ranges, and ways to report a bad one.
class FunctionCall {
 public:
  FunctionCall(Evaluator& ev, const FunctionDef& def, const syntax::CallExpr& expr,
               std::span<const Value> args, std::span<const SourceRange> ranges)
      : ev_(ev), def_(def), expr_(expr), args_(args), ranges_(ranges) {}

  size_t size() const { return args_.size(); }
  const Value& arg(size_t i) const { return args_[i]; }
  std::span<const Value> args() const { return args_; }
  SourceRange arg_range(size_t i) const { return ranges_[i]; }
  SourceRange range() const { return expr_.range; }
  std::string_view name() const { return def_.name; }
  Evaluator& evaluator() { return ev_; }

  /// E0412 "invalid argument {i+1} of `name`: message", at argument i. Always returns nothing.
  std::nullopt_t ArgError(size_t i, std::string message);
  /// E0413 "call to `name` failed: message", at the call.
  std::nullopt_t Error(std::string message);

  // Typed accessors: convert argument i with HCL's rules, or report why not (null included).
  std::optional<std::string> String(size_t i);
  std::optional<Number> Num(size_t i);
  /// A whole number in the int64 range.
  std::optional<int64_t> Int(size_t i);
  std::optional<bool> Bool(size_t i);
  /// A list, set or tuple (the elements), or report.
  std::optional<std::vector<Value>> Sequence(size_t i);
  /// A map or object, or report.
  std::optional<std::vector<Value::Member>> Mapping(size_t i);
  /// Argument i must not be null.
  bool NotNull(size_t i);

 private:
  Evaluator& ev_;
  const FunctionDef& def_;
  const syntax::CallExpr& expr_;
  std::span<const Value> args_;
  std::span<const SourceRange> ranges_;
};

// Registration tables, one per family (functions_*.cpp).
std::span<const FunctionDef> NumericFunctions();
std::span<const FunctionDef> StringFunctions();
std::span<const FunctionDef> CollectionFunctions();
std::span<const FunctionDef> EncodingFunctions();
std::span<const FunctionDef> MiscFunctions();

// Shared helpers for function families.

/// A list of `elems` with their unified element type, or nothing when they do not unify.
std::optional<Value> MakeList(std::vector<Value> elems);
/// A set of `elems` with their unified element type, or nothing when they do not unify.
std::optional<Value> MakeSet(std::vector<Value> elems);
/// Go's %v-like rendering of a primitive for format(): strings bare, numbers in decimal.
std::string PrimitiveText(const Value& v);

}  // namespace drover::eval
