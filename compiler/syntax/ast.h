// drover's AST for HCL's native syntax. Nodes live in an arena owned by the AstContext that made
// them; they are plain structs, trivially destructible, linked by raw pointers and llvm::ArrayRef.
// Every node carries the byte range it came from, so that later stages (evaluation, decoding,
// diagnostics, the formatter) can point at source.
//
// The shapes follow hclsyntax: a Body holds Attributes and Blocks in source order; expressions are
// literals, templates, variables and traversals, function calls, tuple/object constructors, for
// expressions, splats, conditionals, binary and unary operations and parentheses.
#pragma once

#include <cstdint>
#include <string_view>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Allocator.h>

#include "compiler/diag/source_manager.h"

namespace drover::syntax {

using diag::SourceRange;

// ---- expressions ---------------------------------------------------------------------------------

enum class ExprKind : uint8_t {
  kLiteral,      ///< null, true, false, a number, or a string without template sequences
  kTemplate,     ///< quoted string or heredoc with template sequences
  kVariable,     ///< a root name: `var`, `local`, `NOMAD_PORT_http`, ...
  kGetAttr,      ///< `x.name`
  kIndex,        ///< `x[key]`, and the legacy `x.0`
  kSplat,        ///< `x.*.name` / `x[*].name`
  kSplatItem,    ///< the placeholder that a splat's `each` expression starts from
  kCall,         ///< `name(args...)`
  kTuple,        ///< `[a, b]`
  kObject,       ///< `{ k = v }`
  kFor,          ///< `[for ...]` / `{for ...}`
  kConditional,  ///< `c ? a : b`
  kBinary,
  kUnary,
  kParens,       ///< `(x)`: kept for formatting and source-faithful printing
};

struct Expr {
  ExprKind kind;
  SourceRange range;
};

enum class LiteralKind : uint8_t { kNull, kBool, kNumber, kString };

struct LiteralExpr : Expr {
  LiteralKind literal;
  bool bool_value;
  /// kNumber: the source text of the number; kString: the decoded string.
  std::string_view text;
};

enum class PartKind : uint8_t { kLiteral, kInterp, kIf, kFor };

struct TemplatePart {
  PartKind kind;
  SourceRange range;
};

struct LiteralPart : TemplatePart {
  std::string_view text;  ///< decoded, with strip markers already applied
  /// The same text with `$${` / `%%{` left undecoded; differs from `text` only in heredocs.
  /// HashiCorp's hcl2json (an older HCL) prints heredoc escapes this way.
  std::string_view raw;
};

struct InterpPart : TemplatePart {
  Expr* expr;
  bool strip_left;
  bool strip_right;
};

struct IfPart : TemplatePart {
  Expr* condition;
  llvm::ArrayRef<TemplatePart*> then_parts;
  llvm::ArrayRef<TemplatePart*> else_parts;
  bool has_else;
};

struct ForPart : TemplatePart {
  std::string_view key_var;  ///< empty when the directive names only a value
  std::string_view value_var;
  Expr* collection;
  llvm::ArrayRef<TemplatePart*> body;
};

struct TemplateExpr : Expr {
  llvm::ArrayRef<TemplatePart*> parts;
  bool heredoc;
  /// True when the template is one interpolation and nothing else (`"${x}"`), which HCL
  /// evaluates to the interpolated value itself, unconverted.
  bool IsWrap() const { return parts.size() == 1 && parts[0]->kind == PartKind::kInterp; }
};

struct VariableExpr : Expr {
  std::string_view name;
};

struct GetAttrExpr : Expr {
  Expr* object;
  std::string_view name;
  SourceRange name_range;
};

struct IndexExpr : Expr {
  Expr* collection;
  Expr* key;
  bool legacy;  ///< written `x.0`
};

struct SplatExpr : Expr {
  Expr* source;
  Expr* each;  ///< evaluated per element, starting from a SplatItem expression
  bool full;   ///< `[*]` (attributes and indexes continue the splat) vs `.*` (attributes only)
};

struct CallExpr : Expr {
  std::string_view name;
  SourceRange name_range;
  llvm::ArrayRef<Expr*> args;
  bool expand_final;  ///< `f(a, list...)`
};

struct TupleExpr : Expr {
  llvm::ArrayRef<Expr*> elements;
};

struct ObjectItem {
  Expr* key;
  Expr* value;
  /// The key was a bare identifier (`name = ...`): it is the string itself, not a variable.
  bool key_is_name;
  bool colon;  ///< written `k: v` instead of `k = v`
};

struct ObjectExpr : Expr {
  llvm::ArrayRef<ObjectItem> items;
};

struct ForExpr : Expr {
  std::string_view key_var;  ///< empty when only a value variable is named
  std::string_view value_var;
  Expr* collection;
  Expr* key;    ///< object form only
  Expr* value;
  Expr* condition;  ///< null when there is no `if`
  bool is_object;
  bool grouped;  ///< `...` after the value (object form)
};

struct ConditionalExpr : Expr {
  Expr* condition;
  Expr* true_result;
  Expr* false_result;
};

enum class BinaryOp : uint8_t {
  kOr, kAnd, kEq, kNotEq, kLt, kGt, kLe, kGe, kAdd, kSub, kMul, kDiv, kMod,
};
std::string_view BinaryOpSpelling(BinaryOp op);
/// HCL's precedence: 1 (`||`) to 6 (`*`, `/`, `%`).
int BinaryOpPrecedence(BinaryOp op);

enum class UnaryOp : uint8_t { kNegate, kNot };

struct BinaryExpr : Expr {
  BinaryOp op;
  Expr* lhs;
  Expr* rhs;
};

struct UnaryExpr : Expr {
  UnaryOp op;
  Expr* operand;
};

struct ParensExpr : Expr {
  Expr* inner;
};

// ---- structure -----------------------------------------------------------------------------------

enum class ItemKind : uint8_t { kAttribute, kBlock };

struct BodyItem {
  ItemKind kind;
  SourceRange range;
};

struct Attribute : BodyItem {
  std::string_view name;
  SourceRange name_range;
  Expr* value;
};

struct BlockLabel {
  std::string_view value;  ///< decoded
  SourceRange range;
  bool quoted;
};

struct Body;

struct Block : BodyItem {
  std::string_view type;
  SourceRange type_range;
  llvm::ArrayRef<BlockLabel> labels;
  Body* body;
  SourceRange open_brace;
  SourceRange close_brace;
};

struct Body {
  llvm::ArrayRef<BodyItem*> items;  ///< attributes and blocks in source order
  SourceRange range;
};

struct File {
  Body* body;
  diag::FileId file;
};

/// Owns AST nodes. Not thread-safe; one per parse.
class AstContext {
 public:
  template <typename T>
  T* New(T value) {
    return new (alloc_.Allocate<T>()) T(value);
  }
  template <typename T>
  llvm::ArrayRef<T> Copy(llvm::ArrayRef<T> items) {
    if (items.empty()) return {};
    T* mem = alloc_.Allocate<T>(items.size());
    std::uninitialized_copy(items.begin(), items.end(), mem);
    return {mem, items.size()};
  }
  std::string_view CopyString(std::string_view s) {
    if (s.empty()) return {};
    char* mem = alloc_.Allocate<char>(s.size());
    std::copy(s.begin(), s.end(), mem);
    return {mem, s.size()};
  }
  size_t BytesAllocated() const { return alloc_.getBytesAllocated(); }

 private:
  llvm::BumpPtrAllocator alloc_;
};

/// True for a variable followed only by attribute names and literal indexes (`a.b[0].c`): what
/// hclsyntax calls a static scope traversal.
bool IsStaticTraversal(const Expr& e);

}  // namespace drover::syntax
