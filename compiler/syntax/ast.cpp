#include "compiler/syntax/ast.h"

namespace drover::syntax {

std::string_view BinaryOpSpelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "||";
    case BinaryOp::kAnd:
      return "&&";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNotEq:
      return "!=";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
  }
  return "?";
}

int BinaryOpPrecedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return 1;
    case BinaryOp::kAnd:
      return 2;
    case BinaryOp::kEq:
    case BinaryOp::kNotEq:
      return 3;
    case BinaryOp::kLt:
    case BinaryOp::kGt:
    case BinaryOp::kLe:
    case BinaryOp::kGe:
      return 4;
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      return 5;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      return 6;
  }
  return 0;
}

bool IsStaticTraversal(const Expr& e) {
  const Expr* cur = &e;
  while (true) {
    switch (cur->kind) {
      case ExprKind::kVariable:
        return true;
      case ExprKind::kGetAttr:
        cur = static_cast<const GetAttrExpr*>(cur)->object;
        continue;
      case ExprKind::kIndex: {
        const auto* idx = static_cast<const IndexExpr*>(cur);
        if (idx->key->kind != ExprKind::kLiteral) return false;
        cur = idx->collection;
        continue;
      }
      default:
        return false;
    }
  }
}

}  // namespace drover::syntax
