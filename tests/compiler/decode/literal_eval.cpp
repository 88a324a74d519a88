#include "tests/compiler/decode/literal_eval.h"

#include <string>

namespace drover::testing {
namespace {

using namespace drover::syntax;

class LiteralEvaluator {
 public:
  explicit LiteralEvaluator(const diag::SourceManager& sm) : sm_(sm) {}

  eval::Value Expr(const syntax::Expr& e) {
    return ExprNoRange(e).WithRange(e.range);
  }

  eval::EvalBody Body(const syntax::Body& body, bool top) {
    eval::EvalBody out;
    out.range = body.range;
    for (const BodyItem* item : body.items) {
      if (item->kind == ItemKind::kAttribute) {
        const auto& a = static_cast<const Attribute&>(*item);
        out.attributes.push_back({std::string(a.name), Expr(*a.value), a.name_range, a.range});
      } else {
        const auto& b = static_cast<const Block&>(*item);
        if (top && (b.type == "variable" || b.type == "variables" || b.type == "locals")) continue;
        eval::EvalBlock eb;
        eb.type = std::string(b.type);
        for (const BlockLabel& l : b.labels) {
          eb.labels.emplace_back(l.value);
          eb.label_ranges.push_back(l.range);
        }
        eb.type_range = b.type_range;
        eb.range = b.range;
        eb.body = Body(*b.body, false);
        out.blocks.push_back(std::move(eb));
      }
    }
    return out;
  }

 private:
  eval::Value Runtime(const syntax::Expr& e) {
    return eval::Value::String("${" + std::string(sm_.Text(e.range)) + "}", true);
  }

  eval::Value ExprNoRange(const syntax::Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: {
        const auto& l = static_cast<const LiteralExpr&>(e);
        switch (l.literal) {
          case LiteralKind::kNull:
            return eval::Value::Null();
          case LiteralKind::kBool:
            return eval::Value::Bool(l.bool_value);
          case LiteralKind::kNumber:
            if (auto n = eval::Number::Parse(l.text)) return eval::Value::Num(*n);
            return eval::Value::Unknown();
          case LiteralKind::kString:
            return eval::Value::String(std::string(l.text));
        }
        return eval::Value::Unknown();
      }
      case ExprKind::kTemplate: {
        const auto& t = static_cast<const TemplateExpr&>(e);
        if (t.IsWrap()) {
          const syntax::Expr& inner = *static_cast<const InterpPart*>(t.parts[0])->expr;
          eval::Value v = Expr(inner);
          return v;
        }
        std::string text;
        bool runtime = false;
        for (const TemplatePart* p : t.parts) {
          if (p->kind == PartKind::kLiteral) {
            text += static_cast<const LiteralPart*>(p)->text;
          } else if (p->kind == PartKind::kInterp) {
            eval::Value v = Expr(*static_cast<const InterpPart*>(p)->expr);
            if (v.kind() != eval::ValueKind::kString) {
              if (v.kind() == eval::ValueKind::kNumber) {
                text += v.AsNumber().ToString();
                continue;
              }
              return eval::Value::Unknown(eval::Type::String());
            }
            text += v.AsString();
            runtime = runtime || v.IsRuntime();
          } else {
            return eval::Value::Unknown(eval::Type::String());
          }
        }
        return eval::Value::String(std::move(text), runtime);
      }
      case ExprKind::kVariable:
      case ExprKind::kGetAttr:
      case ExprKind::kIndex:
        return Runtime(e);
      case ExprKind::kTuple: {
        std::vector<eval::Value> elems;
        for (const syntax::Expr* x : static_cast<const TupleExpr&>(e).elements) {
          elems.push_back(Expr(*x));
        }
        return eval::Value::Tuple(std::move(elems));
      }
      case ExprKind::kObject: {
        std::vector<eval::Value::Member> members;
        for (const ObjectItem& item : static_cast<const ObjectExpr&>(e).items) {
          std::string key;
          if (item.key_is_name) {
            key = std::string(sm_.Text(item.key->range));
          } else {
            eval::Value k = Expr(*item.key);
            if (k.kind() != eval::ValueKind::kString) return eval::Value::Unknown();
            key = k.AsString();
          }
          members.emplace_back(std::move(key), Expr(*item.value));
        }
        return eval::Value::Object(std::move(members));
      }
      case ExprKind::kUnary: {
        const auto& u = static_cast<const UnaryExpr&>(e);
        eval::Value v = Expr(*u.operand);
        if (u.op == UnaryOp::kNegate && v.kind() == eval::ValueKind::kNumber) {
          return eval::Value::Num(v.AsNumber().Neg());
        }
        return eval::Value::Unknown();
      }
      case ExprKind::kParens:
        return ExprNoRange(*static_cast<const ParensExpr&>(e).inner);
      default:
        return eval::Value::Unknown();
    }
  }

  const diag::SourceManager& sm_;
};

}  // namespace

eval::EvalBody LiteralEval(const syntax::File& file, const diag::SourceManager& sm) {
  return LiteralEvaluator(sm).Body(*file.body, true);
}

}  // namespace drover::testing
