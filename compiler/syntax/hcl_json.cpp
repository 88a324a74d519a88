// Mirrors tmccombs/hcl2json's convert.go rule for rule (behaviour, not code) as of the version the
// corpus was made with (@cdktf/hcl2json 0.21): which expressions become JSON values, which become
// "${source}", and its quirks (a ")" right after an expression's range is included, template conditionals and for
// directives are re-spelled as %{if}/%{for}).
#include "compiler/syntax/hcl_json.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace drover::syntax {
namespace {

using nlohmann::json;

json NumberJson(std::string_view text) {
  bool integral = text.find_first_of(".eE") == std::string_view::npos;
  if (integral) {
    uint64_t u;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), u);
    if (ec == std::errc() && p == text.data() + text.size()) return json(u);
  }
  return json(std::strtod(std::string(text).c_str(), nullptr));
}

std::string NumberString(std::string_view text) {
  double d = std::strtod(std::string(text).c_str(), nullptr);
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
    return fmt::format("{}", static_cast<int64_t>(d));
  }
  return fmt::format("{}", d);
}

class Converter {
 public:
  Converter(std::string_view source, bool merge) : src_(source), merge_(merge) {}

  llvm::Expected<json> Body(const syntax::Body& body) {
    json out = json::object();
    for (const BodyItem* item : body.items) {
      if (item->kind != ItemKind::kBlock) continue;
      if (llvm::Error err = Block(*static_cast<const syntax::Block*>(item), out)) {
        return err;
      }
    }
    for (const BodyItem* item : body.items) {
      if (item->kind != ItemKind::kAttribute) continue;
      const auto* attr = static_cast<const Attribute*>(item);
      out[std::string(attr->name)] = Expression(*attr->value);
    }
    return out;
  }

 private:
  llvm::Error Block(const syntax::Block& block, json& root) {
    json* out = &root;
    std::string key(block.type);
    std::string path(block.type);
    for (const BlockLabel& label : block.labels) {
      path += "." + std::string(label.value);
      auto it = out->find(key);
      if (it == out->end()) {
        (*out)[key] = json::object();
        out = &(*out)[key];
      } else if (it->is_object()) {
        out = &*it;
      } else if (merge_ && it->is_array()) {
        it->push_back(json::object());
        out = &it->back();
      } else {
        return llvm::createStringError(std::errc::invalid_argument,
                                       "Unable to convert Block to JSON: %s", path.c_str());
      }
      key = std::string(label.value);
    }
    llvm::Expected<json> value = Body(*block.body);
    if (!value) return value.takeError();
    auto it = out->find(key);
    if (it == out->end()) {
      (*out)[key] = json::array({std::move(*value)});
    } else if (it->is_array()) {
      it->push_back(std::move(*value));
    } else if (merge_) {
      json prev = std::move(*it);
      *it = json::array({std::move(prev), std::move(*value)});
    } else {
      return llvm::createStringError(std::errc::invalid_argument,
                                     "Unable to convert Block to JSON: %s", path.c_str());
    }
    return llvm::Error::success();
  }

  std::string Source(const SourceRange& r) const {
    uint32_t end = r.end;
    if (end < src_.size() && src_[end] == ')') ++end;
    return std::string(src_.substr(r.begin, end - r.begin));
  }
  std::string Wrap(const Expr& e) const { return "${" + Source(e.range) + "}"; }

  // hclsyntax's LiteralValueExpr: numbers, bools and null (a quoted string is a template there).
  static bool IsLiteralValue(const Expr& e) {
    return e.kind == ExprKind::kLiteral &&
           static_cast<const LiteralExpr&>(e).literal != LiteralKind::kString;
  }

  static json LiteralJson(const LiteralExpr& lit) {
    switch (lit.literal) {
      case LiteralKind::kNull:
        return nullptr;
      case LiteralKind::kBool:
        return lit.bool_value;
      case LiteralKind::kNumber:
        return NumberJson(lit.text);
      case LiteralKind::kString:
        return std::string(lit.text);
    }
    return nullptr;
  }

  json Expression(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral:
        return LiteralJson(static_cast<const LiteralExpr&>(e));
      case ExprKind::kUnary: {
        const auto& u = static_cast<const UnaryExpr&>(e);
        if (!IsLiteralValue(*u.operand)) return Wrap(e);
        const auto& lit = static_cast<const LiteralExpr&>(*u.operand);
        if (u.op == UnaryOp::kNegate && lit.literal == LiteralKind::kNumber) {
          json v = NumberJson(lit.text);
          if (v.is_number_unsigned()) {
            uint64_t n = v.get<uint64_t>();
            if (n <= static_cast<uint64_t>(INT64_MAX)) return json(-static_cast<int64_t>(n));
            return json(-static_cast<double>(n));
          }
          return json(-v.get<double>());
        }
        if (u.op == UnaryOp::kNot && lit.literal == LiteralKind::kBool) return !lit.bool_value;
        return Wrap(e);
      }
      case ExprKind::kTemplate: {
        const auto& t = static_cast<const TemplateExpr&>(e);
        if (t.IsWrap()) return Expression(*static_cast<const InterpPart*>(t.parts[0])->expr);
        return Parts(t.parts);
      }
      case ExprKind::kTuple: {
        json arr = json::array();
        for (const Expr* el : static_cast<const TupleExpr&>(e).elements) {
          arr.push_back(Expression(*el));
        }
        return arr;
      }
      case ExprKind::kObject: {
        json obj = json::object();
        for (const ObjectItem& item : static_cast<const ObjectExpr&>(e).items) {
          obj[Key(item)] = Expression(*item.value);
        }
        return obj;
      }
      default:
        return Wrap(e);
    }
  }

  std::string Key(const ObjectItem& item) {
    if (item.key_is_name || IsStaticTraversal(*item.key)) return Source(item.key->range);
    return StringPart(*item.key);
  }

  std::string Parts(llvm::ArrayRef<TemplatePart*> parts) {
    std::string out;
    for (const TemplatePart* p : parts) out += Part(*p);
    return out;
  }

  std::string Part(const TemplatePart& p) {
    switch (p.kind) {
      case PartKind::kLiteral:
        return std::string(static_cast<const LiteralPart&>(p).raw);
      case PartKind::kInterp:
        return StringPart(*static_cast<const InterpPart&>(p).expr);
      case PartKind::kIf: {
        const auto& ip = static_cast<const IfPart&>(p);
        std::string out = "%{if " + Source(ip.condition->range) + "}" + Parts(ip.then_parts);
        std::string f = Parts(ip.else_parts);
        if (!f.empty()) out += "%{else}" + f;
        return out + "%{endif}";
      }
      case PartKind::kFor: {
        const auto& fp = static_cast<const ForPart&>(p);
        std::string out = "%{for ";
        if (!fp.key_var.empty()) out += std::string(fp.key_var) + ", ";
        out += std::string(fp.value_var) + " in " + Source(fp.collection->range) + "}";
        return out + Parts(fp.body) + "%{endfor}";
      }
    }
    return {};
  }

  std::string StringPart(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kLiteral: {
        const auto& lit = static_cast<const LiteralExpr&>(e);
        switch (lit.literal) {
          case LiteralKind::kString:
            return std::string(lit.text);
          case LiteralKind::kNumber:
            return NumberString(lit.text);
          case LiteralKind::kBool:
            return lit.bool_value ? "true" : "false";
          case LiteralKind::kNull:
            return "";
        }
        return {};
      }
      case ExprKind::kTemplate: {
        const auto& t = static_cast<const TemplateExpr&>(e);
        if (t.IsWrap()) return StringPart(*static_cast<const InterpPart*>(t.parts[0])->expr);
        return Parts(t.parts);
      }
      case ExprKind::kConditional: {
        const auto& c = static_cast<const ConditionalExpr&>(e);
        std::string out = "%{if " + Source(c.condition->range) + "}" + StringPart(*c.true_result);
        std::string f = StringPart(*c.false_result);
        if (!f.empty()) out += "%{else}" + f;
        return out + "%{endif}";
      }
      default:
        return Wrap(e);
    }
  }

  std::string_view src_;
  bool merge_;
};

}  // namespace

llvm::Expected<nlohmann::json> ToHclJson(const File& file, std::string_view source,
                                         bool merge_repeated) {
  return Converter(source, merge_repeated).Body(*file.body);
}

}  // namespace drover::syntax
