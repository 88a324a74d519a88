#include "compiler/syntax/ast_dump.h"

#include <fmt/format.h>

namespace drover::syntax {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

std::string DumpParts(llvm::ArrayRef<TemplatePart*> parts);

std::string DumpPart(const TemplatePart& p) {
  switch (p.kind) {
    case PartKind::kLiteral:
      return Quote(static_cast<const LiteralPart&>(p).text);
    case PartKind::kInterp: {
      const auto& i = static_cast<const InterpPart&>(p);
      return fmt::format("(interp{}{} {})", i.strip_left ? " ~<" : "", i.strip_right ? " ~>" : "",
                         DumpExpr(*i.expr));
    }
    case PartKind::kIf: {
      const auto& i = static_cast<const IfPart&>(p);
      std::string out = "(if " + DumpExpr(*i.condition) + " (then" + DumpParts(i.then_parts) + ")";
      if (i.has_else) out += " (else" + DumpParts(i.else_parts) + ")";
      return out + ")";
    }
    case PartKind::kFor: {
      const auto& f = static_cast<const ForPart&>(p);
      return fmt::format("(for {}{} {}{})", f.key_var.empty() ? "" : std::string(f.key_var) + ",",
                         f.value_var, DumpExpr(*f.collection), DumpParts(f.body));
    }
  }
  return "?";
}

std::string DumpParts(llvm::ArrayRef<TemplatePart*> parts) {
  std::string out;
  for (const TemplatePart* p : parts) out += " " + DumpPart(*p);
  return out;
}

}  // namespace

std::string DumpExpr(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral: {
      const auto& l = static_cast<const LiteralExpr&>(e);
      switch (l.literal) {
        case LiteralKind::kNull:
          return "null";
        case LiteralKind::kBool:
          return l.bool_value ? "true" : "false";
        case LiteralKind::kNumber:
          return std::string(l.text);
        case LiteralKind::kString:
          return Quote(l.text);
      }
      return "?";
    }
    case ExprKind::kTemplate: {
      const auto& t = static_cast<const TemplateExpr&>(e);
      return std::string(t.heredoc ? "(heredoc" : "(template") + DumpParts(t.parts) + ")";
    }
    case ExprKind::kVariable:
      return fmt::format("(var {})", static_cast<const VariableExpr&>(e).name);
    case ExprKind::kGetAttr: {
      const auto& g = static_cast<const GetAttrExpr&>(e);
      return fmt::format("(attr {} {})", DumpExpr(*g.object), g.name);
    }
    case ExprKind::kIndex: {
      const auto& i = static_cast<const IndexExpr&>(e);
      return fmt::format("({} {} {})", i.legacy ? "legacy-index" : "index", DumpExpr(*i.collection),
                         DumpExpr(*i.key));
    }
    case ExprKind::kSplat: {
      const auto& s = static_cast<const SplatExpr&>(e);
      return fmt::format("({} {} {})", s.full ? "splat[*]" : "splat.*", DumpExpr(*s.source),
                         DumpExpr(*s.each));
    }
    case ExprKind::kSplatItem:
      return "(item)";
    case ExprKind::kCall: {
      const auto& c = static_cast<const CallExpr&>(e);
      std::string out = fmt::format("(call {}", c.name);
      for (const Expr* a : c.args) out += " " + DumpExpr(*a);
      if (c.expand_final) out += " ...";
      return out + ")";
    }
    case ExprKind::kTuple: {
      std::string out = "(tuple";
      for (const Expr* a : static_cast<const TupleExpr&>(e).elements) out += " " + DumpExpr(*a);
      return out + ")";
    }
    case ExprKind::kObject: {
      std::string out = "(object";
      for (const ObjectItem& i : static_cast<const ObjectExpr&>(e).items) {
        out += fmt::format(" ({}{} {})", i.key_is_name ? "name " : "", DumpExpr(*i.key),
                           DumpExpr(*i.value));
      }
      return out + ")";
    }
    case ExprKind::kFor: {
      const auto& f = static_cast<const ForExpr&>(e);
      std::string out = fmt::format("({} {}{} {}", f.is_object ? "for-object" : "for-tuple",
                                    f.key_var.empty() ? "" : std::string(f.key_var) + ",",
                                    f.value_var, DumpExpr(*f.collection));
      if (f.key != nullptr) out += " " + DumpExpr(*f.key);
      out += " " + DumpExpr(*f.value);
      if (f.grouped) out += " ...";
      if (f.condition != nullptr) out += " (if " + DumpExpr(*f.condition) + ")";
      return out + ")";
    }
    case ExprKind::kConditional: {
      const auto& c = static_cast<const ConditionalExpr&>(e);
      return fmt::format("(? {} {} {})", DumpExpr(*c.condition), DumpExpr(*c.true_result),
                         DumpExpr(*c.false_result));
    }
    case ExprKind::kBinary: {
      const auto& b = static_cast<const BinaryExpr&>(e);
      return fmt::format("({} {} {})", BinaryOpSpelling(b.op), DumpExpr(*b.lhs), DumpExpr(*b.rhs));
    }
    case ExprKind::kUnary: {
      const auto& u = static_cast<const UnaryExpr&>(e);
      return fmt::format("({} {})", u.op == UnaryOp::kNegate ? "neg" : "not", DumpExpr(*u.operand));
    }
    case ExprKind::kParens:
      return fmt::format("(paren {})", DumpExpr(*static_cast<const ParensExpr&>(e).inner));
  }
  return "?";
}

std::string DumpBody(const Body& b) {
  std::string out = "{";
  bool first = true;
  for (const BodyItem* item : b.items) {
    out += first ? "" : " ";
    first = false;
    if (item->kind == ItemKind::kAttribute) {
      const auto* a = static_cast<const Attribute*>(item);
      out += fmt::format("{}={}", a->name, DumpExpr(*a->value));
    } else {
      const auto* blk = static_cast<const Block*>(item);
      out += std::string(blk->type);
      for (const BlockLabel& l : blk->labels) out += " " + Quote(l.value);
      out += " " + DumpBody(*blk->body);
    }
  }
  return out + "}";
}

}  // namespace drover::syntax
