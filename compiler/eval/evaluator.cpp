// Expression and body evaluation with HCL's semantics (hclsyntax), plus Nomad's rule for
// runtime references. See evaluator.h.
#include "compiler/eval/evaluator.h"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/base/check.h"
#include "compiler/base/strings.h"
#include "compiler/eval/functions.h"

namespace drover::eval {

using diag::DiagKind;
using syntax::ExprKind;

namespace {

constexpr int kMaxDepth = 200;
constexpr uint64_t kMaxSteps = 2'000'000;

bool IsError(const Value& v) { return v.IsUnknown(); }

std::string Describe(const Value& v) {
  if (v.IsNull()) return "null";
  return v.type().FriendlyName();
}

/// Marks every string inside `v` as holding runtime references.
Value MarkRuntime(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kString:
      return v.WithRuntime(true);
    case ValueKind::kList:
    case ValueKind::kSet:
    case ValueKind::kTuple: {
      std::vector<Value> elems;
      for (const auto& e : v.elements()) elems.push_back(MarkRuntime(e));
      if (v.kind() == ValueKind::kTuple) return Value::Tuple(std::move(elems)).WithRange(v.range());
      if (v.kind() == ValueKind::kList) {
        return Value::List(std::move(elems), v.type().element()).WithRange(v.range());
      }
      return Value::Set(std::move(elems), v.type().element()).WithRange(v.range());
    }
    case ValueKind::kMap:
    case ValueKind::kObject: {
      std::vector<Value::Member> members;
      for (const auto& m : v.members()) members.emplace_back(m.first, MarkRuntime(m.second));
      if (v.kind() == ValueKind::kObject)
        return Value::Object(std::move(members)).WithRange(v.range());
      return Value::Map(std::move(members), v.type().element()).WithRange(v.range());
    }
    default:
      return v;
  }
}

/// The root variable of a traversal, or null.
const syntax::VariableExpr* TraversalRoot(const syntax::Expr& e) {
  const syntax::Expr* cur = &e;
  while (true) {
    switch (cur->kind) {
      case ExprKind::kVariable:
        return static_cast<const syntax::VariableExpr*>(cur);
      case ExprKind::kGetAttr:
        cur = static_cast<const syntax::GetAttrExpr*>(cur)->object;
        continue;
      case ExprKind::kIndex:
        cur = static_cast<const syntax::IndexExpr*>(cur)->collection;
        continue;
      default:
        return nullptr;
    }
  }
}

}  // namespace

const Value* Scope::Lookup(std::string_view name) const {
  for (const Scope* s = this; s != nullptr; s = s->parent_) {
    auto it = s->names_.find(name);
    if (it != s->names_.end()) return &it->second;
  }
  return nullptr;
}

std::string_view SourceText(const diag::SourceManager& sm, SourceRange range) {
  return sm.Text(range);
}

Evaluator::Evaluator(const diag::SourceManager& sm, diag::DiagnosticEngine& diags,
                     const EvalOptions& options)
    : sm_(sm), diags_(&diags), options_(options), rng_state_(options.seed) {}

uint64_t Evaluator::NextRandom() {
  // splitmix64: small, seedable, good enough for uuidv4().
  uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Value Evaluator::Evaluate(const syntax::Expr& expr, const Scope& scope) {
  return Eval(expr, scope);
}

Value Evaluator::Eval(const syntax::Expr& e, const Scope& scope) {
  if (++steps_ > kMaxSteps) {
    if (!budget_reported_) {
      budget_reported_ = true;
      diags_->Build(
          DiagKind::kEvaluationLimit, e.range,
          fmt::format("evaluation stopped after {} steps; the file asks for too much work",
                      kMaxSteps));
    }
    return Value::Unknown();
  }
  if (++depth_ > kMaxDepth) {
    --depth_;
    diags_->Build(DiagKind::kEvaluationLimit, e.range,
                  fmt::format("expressions nested deeper than {} levels", kMaxDepth));
    return Value::Unknown();
  }
  Value v;
  switch (e.kind) {
    case ExprKind::kLiteral: {
      const auto& l = static_cast<const syntax::LiteralExpr&>(e);
      switch (l.literal) {
        case syntax::LiteralKind::kNull:
          v = Value::Null();
          break;
        case syntax::LiteralKind::kBool:
          v = Value::Bool(l.bool_value);
          break;
        case syntax::LiteralKind::kNumber:
          if (auto n = Number::Parse(l.text)) {
            v = Value::Num(*n);
          } else {
            diags_->Build(DiagKind::kInvalidOperand, e.range, "number", "invalid number literal");
            v = Value::Unknown(Type::Number());
          }
          break;
        case syntax::LiteralKind::kString:
          v = Value::String(std::string(l.text));
          break;
      }
      break;
    }
    case ExprKind::kTemplate:
      v = EvalTemplate(static_cast<const syntax::TemplateExpr&>(e), scope);
      break;
    case ExprKind::kVariable:
    case ExprKind::kGetAttr:
    case ExprKind::kIndex:
      v = EvalTraversal(e, scope);
      break;
    case ExprKind::kSplat:
      v = EvalSplat(static_cast<const syntax::SplatExpr&>(e), scope);
      break;
    case ExprKind::kSplatItem:
      DROVER_CHECK(!splat_items_.empty(), "splat item outside a splat");
      v = splat_items_.back();
      break;
    case ExprKind::kCall:
      v = EvalCall(static_cast<const syntax::CallExpr&>(e), scope);
      break;
    case ExprKind::kTuple: {
      std::vector<Value> elems;
      for (const syntax::Expr* x : static_cast<const syntax::TupleExpr&>(e).elements) {
        elems.push_back(Eval(*x, scope));
      }
      v = Value::Tuple(std::move(elems));
      break;
    }
    case ExprKind::kObject:
      v = EvalObject(static_cast<const syntax::ObjectExpr&>(e), scope);
      break;
    case ExprKind::kFor:
      v = EvalFor(static_cast<const syntax::ForExpr&>(e), scope);
      break;
    case ExprKind::kConditional:
      v = EvalConditional(static_cast<const syntax::ConditionalExpr&>(e), scope);
      break;
    case ExprKind::kBinary:
      v = EvalBinary(static_cast<const syntax::BinaryExpr&>(e), scope);
      break;
    case ExprKind::kUnary:
      v = EvalUnary(static_cast<const syntax::UnaryExpr&>(e), scope);
      break;
    case ExprKind::kParens:
      v = Eval(*static_cast<const syntax::ParensExpr&>(e).inner, scope);
      break;
  }
  --depth_;
  // A splat item keeps the range of the element it came from.
  if (e.kind == ExprKind::kSplatItem) return v;
  return v.WithRange(e.range);
}

// ---- templates
// -----------------------------------------------------------------------------------

bool Evaluator::EvalParts(llvm::ArrayRef<syntax::TemplatePart*> parts, const Scope& scope,
                          std::string& out, bool& runtime) {
  bool ok = true;
  for (const syntax::TemplatePart* p : parts) {
    switch (p->kind) {
      case syntax::PartKind::kLiteral:
        out += static_cast<const syntax::LiteralPart*>(p)->text;
        break;
      case syntax::PartKind::kInterp: {
        const auto* ip = static_cast<const syntax::InterpPart*>(p);
        Value v = Eval(*ip->expr, scope);
        if (IsError(v)) {
          ok = false;
          break;
        }
        if (v.IsNull()) {
          diags_->Build(DiagKind::kInvalidTemplateValue, ip->expr->range,
                        "the expression result is null; cannot include a null value in a string "
                        "template");
          ok = false;
          break;
        }
        ConversionError err;
        auto s = Convert(v, Type::String(), &err);
        if (!s) {
          diags_->Build(DiagKind::kInvalidTemplateValue, ip->expr->range,
                        fmt::format("cannot include a {} in a string template; {}", Describe(v),
                                    err.message));
          ok = false;
          break;
        }
        out += s->AsString();
        runtime |= v.IsRuntime();
        break;
      }
      case syntax::PartKind::kIf: {
        const auto* ip = static_cast<const syntax::IfPart*>(p);
        Value c = Eval(*ip->condition, scope);
        if (IsError(c)) {
          ok = false;
          break;
        }
        auto b = c.IsNull() ? std::nullopt : Convert(c, Type::Bool());
        if (!b) {
          diags_->Build(
              DiagKind::kInvalidCondition, ip->condition->range,
              fmt::format("the condition of `%{{if}}` must be a bool, not {}", Describe(c)));
          ok = false;
          break;
        }
        if (!EvalParts(b->AsBool() ? ip->then_parts : ip->else_parts, scope, out, runtime)) {
          ok = false;
        }
        break;
      }
      case syntax::PartKind::kFor: {
        const auto* fp = static_cast<const syntax::ForPart*>(p);
        Value coll = Eval(*fp->collection, scope);
        if (IsError(coll)) {
          ok = false;
          break;
        }
        if (!coll.IsSequence() && !coll.IsMapping()) {
          diags_->Build(DiagKind::kInvalidForExpr, fp->collection->range,
                        fmt::format("`%{{for}}` needs a collection, not {}", Describe(coll)));
          ok = false;
          break;
        }
        auto body = [&](Value key, Value value) {
          Scope inner(&scope);
          if (!fp->key_var.empty()) inner.Set(std::string(fp->key_var), std::move(key));
          inner.Set(std::string(fp->value_var), std::move(value));
          if (!EvalParts(fp->body, inner, out, runtime)) ok = false;
        };
        if (coll.IsSequence()) {
          int64_t i = 0;
          for (const auto& el : coll.elements()) {
            Value key = coll.kind() == ValueKind::kSet ? el : Value::Int(i);
            body(key, el);
            ++i;
          }
        } else {
          for (const auto& [k, val] : coll.members()) body(Value::String(k), val);
        }
        break;
      }
    }
    if (!ok) break;
  }
  return ok;
}

Value Evaluator::EvalTemplate(const syntax::TemplateExpr& e, const Scope& scope) {
  if (e.IsWrap()) {
    // "${x}" is x itself, unconverted.
    return Eval(*static_cast<const syntax::InterpPart*>(e.parts[0])->expr, scope);
  }
  std::string out;
  bool runtime = false;
  if (!EvalParts(e.parts, scope, out, runtime)) return Value::Unknown(Type::String());
  return Value::String(std::move(out), runtime);
}

// ---- traversals
// ----------------------------------------------------------------------------------

Value Evaluator::EvalTraversal(const syntax::Expr& e, const Scope& scope) {
  const syntax::VariableExpr* root = TraversalRoot(e);
  if (root != nullptr && !allow_references_) {
    diags_->Build(DiagKind::kReferenceNotAllowed, e.range, SourceText(sm_, e.range));
    return Value::Unknown();
  }
  if (root != nullptr && scope.Lookup(root->name) == nullptr && syntax::IsStaticTraversal(e)) {
    if (root->name != "var" && root->name != "local") {
      // Nomad's UnknownVariable hook: the reference stays as text for the client to render.
      return Value::String("${" + std::string(SourceText(sm_, e.range)) + "}", true);
    }
  }
  switch (e.kind) {
    case ExprKind::kVariable: {
      const auto& v = static_cast<const syntax::VariableExpr&>(e);
      if (const Value* found = scope.Lookup(v.name)) return *found;
      if (v.name == "var" || v.name == "local") {
        diags_->Build(v.name == "var" ? DiagKind::kUndeclaredVariable : DiagKind::kUnknownLocal,
                      e.range, v.name);
        return Value::Unknown();
      }
      // A runtime name used with a dynamic index (`meta[var.k]`): the root alone is the text.
      return Value::String("${" + std::string(v.name) + "}", true);
    }
    case ExprKind::kGetAttr:
      return EvalGetAttr(static_cast<const syntax::GetAttrExpr&>(e), scope);
    case ExprKind::kIndex:
      return EvalIndex(static_cast<const syntax::IndexExpr&>(e), scope);
    default:
      DROVER_UNREACHABLE("not a traversal");
  }
}

Value Evaluator::EvalGetAttr(const syntax::GetAttrExpr& e, const Scope& scope) {
  // var.NAME / local.NAME get their own messages.
  if (e.object->kind == ExprKind::kVariable) {
    const auto& root = static_cast<const syntax::VariableExpr&>(*e.object);
    if ((root.name == "var" || root.name == "local") && scope.Lookup(root.name) != nullptr) {
      const Value& obj = *scope.Lookup(root.name);
      if (obj.IsMapping()) {
        if (const Value* m = obj.Find(e.name)) return *m;
        std::vector<std::string_view> names;
        for (const auto& mm : obj.members()) names.push_back(mm.first);
        std::string full = fmt::format("{}.{}", root.name, e.name);
        auto b = diags_->Build(
            root.name == "var" ? DiagKind::kUndeclaredVariable : DiagKind::kUnknownLocal, e.range,
            full);
        if (auto s = base::Suggest(e.name, names)) {
          std::move(b).Help(fmt::format("did you mean `{}.{}`?", root.name, *s));
        }
        return Value::Unknown();
      }
    }
  }
  Value obj = Eval(*e.object, scope);
  return GetAttr(obj, e.name, e.name_range);
}

Value Evaluator::GetAttr(const Value& obj, std::string_view name, SourceRange range) {
  if (IsError(obj)) return Value::Unknown();
  if (obj.IsNull()) {
    diags_->Build(DiagKind::kUnsupportedAttribute, range, "a null value", name);
    return Value::Unknown();
  }
  if (obj.IsMapping()) {
    if (const Value* m = obj.Find(name)) return *m;
    std::vector<std::string_view> names;
    for (const auto& mm : obj.members()) names.push_back(mm.first);
    auto b = diags_->Build(DiagKind::kUnsupportedAttribute, range,
                           obj.kind() == ValueKind::kMap ? "this map" : "this object", name);
    if (auto s = base::Suggest(name, names))
      std::move(b).Help(fmt::format("did you mean `{}`?", *s));
    return Value::Unknown();
  }
  diags_->Build(DiagKind::kUnsupportedAttribute, range, fmt::format("a {}", Describe(obj)), name);
  return Value::Unknown();
}

Value Evaluator::EvalIndex(const syntax::IndexExpr& e, const Scope& scope) {
  Value coll = Eval(*e.collection, scope);
  Value key = Eval(*e.key, scope);
  return Index(coll, key, e.key->range);
}

Value Evaluator::Index(const Value& coll, const Value& key, SourceRange range) {
  if (IsError(coll) || IsError(key)) return Value::Unknown();
  if (coll.IsNull()) {
    diags_->Build(DiagKind::kInvalidIndex, range, "cannot index a null value");
    return Value::Unknown();
  }
  if (key.IsNull()) {
    diags_->Build(DiagKind::kInvalidIndex, range, "the index must not be null");
    return Value::Unknown();
  }
  switch (coll.kind()) {
    case ValueKind::kList:
    case ValueKind::kTuple: {
      auto k = Convert(key, Type::Number());
      if (!k || !k->AsNumber().IsIntegral()) {
        diags_->Build(DiagKind::kInvalidIndex, range,
                      fmt::format("a {} index must be a whole number, not {}",
                                  coll.type().FriendlyName(), key.ToString()));
        return Value::Unknown();
      }
      auto i = k->AsNumber().ToInt64();
      if (!i || *i < 0 || static_cast<uint64_t>(*i) >= coll.size()) {
        diags_->Build(DiagKind::kInvalidIndex, range,
                      fmt::format("index {} is out of range for a {} of {} element{}",
                                  k->AsNumber().ToString(), coll.type().FriendlyName(), coll.size(),
                                  coll.size() == 1 ? "" : "s"));
        return Value::Unknown();
      }
      return coll.elements()[static_cast<size_t>(*i)];
    }
    case ValueKind::kMap:
    case ValueKind::kObject: {
      auto k = Convert(key, Type::String());
      if (!k) {
        diags_->Build(DiagKind::kInvalidIndex, range,
                      fmt::format("a {} key must be a string, not {}", coll.type().FriendlyName(),
                                  Describe(key)));
        return Value::Unknown();
      }
      if (const Value* m = coll.Find(k->AsString())) return *m;
      std::vector<std::string_view> names;
      for (const auto& mm : coll.members()) names.push_back(mm.first);
      auto b = diags_->Build(
          DiagKind::kInvalidIndex, range,
          fmt::format("the {} has no element with key {}",
                      coll.kind() == ValueKind::kMap ? "map" : "object", k->ToString()));
      if (auto s = base::Suggest(k->AsString(), names)) {
        std::move(b).Help(fmt::format("did you mean \"{}\"?", *s));
      }
      return Value::Unknown();
    }
    case ValueKind::kSet:
      diags_->Build(DiagKind::kInvalidIndex, range,
                    "elements of a set are identified only by their value and have no index; "
                    "convert it with `tolist` first");
      return Value::Unknown();
    default:
      diags_->Build(DiagKind::kInvalidIndex, range,
                    fmt::format("a {} cannot be indexed", Describe(coll)));
      return Value::Unknown();
  }
}

Value Evaluator::EvalSplat(const syntax::SplatExpr& e, const Scope& scope) {
  Value src = Eval(*e.source, scope);
  if (IsError(src)) return Value::Unknown();
  // HCL: a null source gives an empty tuple; a non-sequence is treated as a one-element tuple.
  std::vector<Value> items;
  bool was_list = false;
  if (src.IsNull()) {
    return Value::Tuple({});
  } else if (src.IsSequence()) {
    items.assign(src.elements().begin(), src.elements().end());
    was_list = src.kind() != ValueKind::kTuple;
  } else {
    items.push_back(src);
  }
  std::vector<Value> out;
  bool failed = false;
  for (const auto& item : items) {
    splat_items_.push_back(item);
    Value r = Eval(*e.each, scope);
    splat_items_.pop_back();
    failed |= IsError(r);
    out.push_back(std::move(r));
  }
  if (failed) return Value::Unknown();
  if (was_list) {
    std::vector<Type> types;
    for (const auto& v : out) types.push_back(v.type());
    if (auto u = UnifyTypes(types)) {
      std::vector<Value> conv;
      for (const auto& v : out) conv.push_back(*Convert(v, *u));
      return Value::List(std::move(conv), *u);
    }
  }
  return Value::Tuple(std::move(out));
}

// ---- calls
// ---------------------------------------------------------------------------------------

Value Evaluator::EvalTryCan(const syntax::CallExpr& e, const Scope& scope, bool is_try) {
  if (e.args.empty() || (!is_try && e.args.size() != 1)) {
    diags_->Build(DiagKind::kFunctionArity, e.range, e.name,
                  is_try ? "at least 1 argument" : "exactly 1 argument", e.args.size());
    return Value::Unknown();
  }
  for (const syntax::Expr* arg : e.args) {
    diag::DiagnosticEngine scratch;
    diag::DiagnosticEngine* saved = diags_;
    diags_ = &scratch;
    Value v = Eval(*arg, scope);
    diags_ = saved;
    bool ok = !scratch.HasErrors() && v.IsWhollyKnown();
    if (!is_try) return Value::Bool(ok);
    if (ok) return v;
  }
  diags_->Build(DiagKind::kFunctionFailed, e.range, "try",
                "no expression succeeded; every argument failed to evaluate");
  return Value::Unknown();
}

Value Evaluator::EvalConvert(const syntax::CallExpr& e, const Scope& scope) {
  if (e.args.size() != 2 || e.expand_final) {
    diags_->Build(DiagKind::kFunctionArity, e.range, e.name, "2 arguments", e.args.size());
    return Value::Unknown();
  }
  Value v = Eval(*e.args[0], scope);
  auto type = ParseTypeExpr(*e.args[1], sm_, *diags_);
  if (!v.IsWhollyKnown() || !type) return Value::Unknown();
  ConversionError err;
  auto r = Convert(v, *type, &err);
  if (!r) {
    diags_->Build(DiagKind::kInvalidFunctionArgument,
                  err.range.IsValid() ? err.range : e.args[0]->range, 1, "convert",
                  fmt::format("cannot convert to {}: {}", type->ToString(), err.message));
    return Value::Unknown();
  }
  return *r;
}

Value Evaluator::EvalCall(const syntax::CallExpr& e, const Scope& scope) {
  if (e.name == "try" || e.name == "can") return EvalTryCan(e, scope, e.name == "try");
  if (e.name == "convert") return EvalConvert(e, scope);
  const FunctionDef* fn = FindFunction(e.name);
  if (fn == nullptr) {
    auto names = FunctionNames();
    auto b = diags_->Build(DiagKind::kUnknownFunction, e.name_range, e.name);
    if (auto s = base::Suggest(e.name, names))
      std::move(b).Help(fmt::format("did you mean `{}`?", *s));
    return Value::Unknown();
  }
  std::vector<Value> args;
  std::vector<SourceRange> ranges;
  bool failed = false;
  for (size_t i = 0; i < e.args.size(); ++i) {
    Value v = Eval(*e.args[i], scope);
    // Functions see only wholly known values; an unknown part means an error was reported.
    failed |= !v.IsWhollyKnown();
    if (e.expand_final && i + 1 == e.args.size() && !IsError(v)) {
      if (v.IsNull() || !v.IsSequence()) {
        diags_->Build(DiagKind::kInvalidExpansion, e.args[i]->range,
                      fmt::format("the argument after `...` must be a list, set or tuple, not {}",
                                  Describe(v)));
        return Value::Unknown();
      }
      for (const auto& el : v.elements()) {
        args.push_back(el);
        ranges.push_back(el.range().IsValid() ? el.range() : e.args[i]->range);
      }
      continue;
    }
    args.push_back(v);
    ranges.push_back(e.args[i]->range);
  }
  if (failed) return Value::Unknown();
  size_t n = args.size();
  if (n < fn->min_args || (fn->max_args >= 0 && n > static_cast<size_t>(fn->max_args))) {
    std::string want;
    if (fn->max_args < 0) {
      want = fmt::format("at least {} argument{}", fn->min_args, fn->min_args == 1 ? "" : "s");
    } else if (static_cast<size_t>(fn->max_args) == fn->min_args) {
      want = fmt::format("{} argument{}", fn->min_args, fn->min_args == 1 ? "" : "s");
    } else {
      want = fmt::format("{} to {} arguments", fn->min_args, fn->max_args);
    }
    diags_->Build(DiagKind::kFunctionArity, e.range, e.name, want, n);
    return Value::Unknown();
  }
  FunctionCall call(*this, *fn, e, args, ranges);
  std::optional<Value> r = fn->impl(call);
  if (!r) return Value::Unknown();
  bool runtime =
      std::any_of(args.begin(), args.end(), [](const Value& a) { return a.ContainsRuntime(); });
  return runtime ? MarkRuntime(*r) : *r;
}

// ---- constructors, for, conditional, operators
// ---------------------------------------------------

Value Evaluator::EvalObject(const syntax::ObjectExpr& e, const Scope& scope) {
  std::vector<Value::Member> members;
  bool failed = false;
  for (const auto& item : e.items) {
    std::string key;
    if (item.key_is_name) {
      key = std::string(SourceText(sm_, item.key->range));
      if (item.key->kind == ExprKind::kVariable) {
        key = std::string(static_cast<const syntax::VariableExpr*>(item.key)->name);
      }
    } else {
      Value k = Eval(*item.key, scope);
      if (IsError(k)) {
        failed = true;
        continue;
      }
      auto ks = k.IsNull() ? std::nullopt : Convert(k, Type::String());
      if (!ks) {
        diags_->Build(DiagKind::kInvalidObjectKey, item.key->range,
                      fmt::format("an object key must be a string, not {}", Describe(k)));
        failed = true;
        continue;
      }
      key = ks->AsString();
    }
    Value v = Eval(*item.value, scope);
    members.emplace_back(std::move(key), std::move(v));
  }
  if (failed) return Value::Unknown();
  return Value::Object(std::move(members));
}

Value Evaluator::EvalFor(const syntax::ForExpr& e, const Scope& scope) {
  Value coll = Eval(*e.collection, scope);
  if (IsError(coll)) return Value::Unknown();
  if (coll.IsNull()) {
    diags_->Build(DiagKind::kInvalidForExpr, e.collection->range,
                  "cannot iterate over a null value");
    return Value::Unknown();
  }
  if (!coll.IsSequence() && !coll.IsMapping()) {
    diags_->Build(
        DiagKind::kInvalidForExpr, e.collection->range,
        fmt::format("a {} cannot be iterated; a list, set, tuple, map or object is needed",
                    Describe(coll)));
    return Value::Unknown();
  }
  std::vector<std::pair<Value, Value>> pairs;
  if (coll.IsSequence()) {
    int64_t i = 0;
    for (const auto& el : coll.elements()) {
      pairs.emplace_back(coll.kind() == ValueKind::kSet ? el : Value::Int(i), el);
      ++i;
    }
  } else {
    for (const auto& [k, v] : coll.members()) pairs.emplace_back(Value::String(k), v);
  }

  std::vector<Value> tuple_out;
  std::vector<Value::Member> object_out;
  std::map<std::string, std::vector<Value>> groups;
  std::vector<std::string> group_order;
  bool failed = false;
  for (auto& [k, v] : pairs) {
    Scope inner(&scope);
    if (!e.key_var.empty()) inner.Set(std::string(e.key_var), k);
    inner.Set(std::string(e.value_var), v);
    if (e.condition != nullptr) {
      Value c = Eval(*e.condition, inner);
      if (IsError(c)) {
        failed = true;
        continue;
      }
      auto b = c.IsNull() ? std::nullopt : Convert(c, Type::Bool());
      if (!b) {
        diags_->Build(DiagKind::kInvalidForExpr, e.condition->range,
                      fmt::format("the `if` condition must be a bool, not {}", Describe(c)));
        return Value::Unknown();
      }
      if (!b->AsBool()) continue;
    }
    if (!e.is_object) {
      Value r = Eval(*e.value, inner);
      failed |= IsError(r);
      tuple_out.push_back(std::move(r));
      continue;
    }
    Value key = Eval(*e.key, inner);
    Value val = Eval(*e.value, inner);
    if (IsError(key) || IsError(val)) {
      failed = true;
      continue;
    }
    auto ks = key.IsNull() ? std::nullopt : Convert(key, Type::String());
    if (!ks) {
      diags_->Build(DiagKind::kInvalidForExpr, e.key->range,
                    fmt::format("an object key must be a string, not {}", Describe(key)));
      return Value::Unknown();
    }
    const std::string& ksv = ks->AsString();
    if (e.grouped) {
      if (!groups.count(ksv)) group_order.push_back(ksv);
      groups[ksv].push_back(val);
      continue;
    }
    bool dup = std::any_of(object_out.begin(), object_out.end(),
                           [&](const Value::Member& m) { return m.first == ksv; });
    if (dup) {
      diags_
          ->Build(DiagKind::kInvalidForExpr, e.key->range,
                  fmt::format("duplicate object key \"{}\"; add `...` after the value to group "
                              "values by key",
                              ksv))
          .Help("write `key => value...` to collect every value with the same key into a tuple");
      return Value::Unknown();
    }
    object_out.emplace_back(ksv, std::move(val));
  }
  if (failed) return Value::Unknown();
  if (!e.is_object) return Value::Tuple(std::move(tuple_out));
  if (e.grouped) {
    for (const auto& k : group_order) object_out.emplace_back(k, Value::Tuple(groups[k]));
  }
  return Value::Object(std::move(object_out));
}

Value Evaluator::EvalConditional(const syntax::ConditionalExpr& e, const Scope& scope) {
  Value c = Eval(*e.condition, scope);
  if (IsError(c)) return Value::Unknown();
  auto b = c.IsNull() ? std::nullopt : Convert(c, Type::Bool());
  if (!b) {
    diags_->Build(DiagKind::kInvalidCondition, e.condition->range,
                  fmt::format("the condition must be a bool, not {}", Describe(c)));
    return Value::Unknown();
  }
  // HCL evaluates both results to unify their types, but reports only the chosen one's errors.
  const syntax::Expr* chosen = b->AsBool() ? e.true_result : e.false_result;
  const syntax::Expr* other = b->AsBool() ? e.false_result : e.true_result;
  Value result = Eval(*chosen, scope);
  if (IsError(result)) return Value::Unknown();
  diag::DiagnosticEngine scratch;
  diag::DiagnosticEngine* saved = diags_;
  diags_ = &scratch;
  Value alt = Eval(*other, scope);
  diags_ = saved;
  if (IsError(alt) || scratch.HasErrors()) return result;
  Type types[2] = {result.type(), alt.type()};
  auto u = UnifyTypes(types);
  if (!u) {
    diags_->Build(
        DiagKind::kInconsistentConditionalTypes, e.range,
        fmt::format("{} and {}", e.true_result == chosen ? Describe(result) : Describe(alt),
                    e.true_result == chosen ? Describe(alt) : Describe(result)));
    return Value::Unknown();
  }
  if (auto conv = Convert(result, *u)) return conv->WithRuntime(result.IsRuntime());
  return result;
}

Value Evaluator::EvalBinary(const syntax::BinaryExpr& e, const Scope& scope) {
  using syntax::BinaryOp;
  Value l = Eval(*e.lhs, scope);
  Value r = Eval(*e.rhs, scope);
  if (IsError(l) || IsError(r)) return Value::Unknown();
  std::string_view op = syntax::BinaryOpSpelling(e.op);
  auto bad = [&](const syntax::Expr& side, const Value& v, std::string_view need) {
    diags_->Build(DiagKind::kInvalidOperand, side.range, op,
                  fmt::format("{} is required, got {}", need, v.IsNull() ? "null" : v.ToString()));
    return Value::Unknown();
  };
  switch (e.op) {
    case BinaryOp::kEq:
    case BinaryOp::kNotEq: {
      bool eq = l.Equals(r);
      // Numbers compare by value whatever their origin (1 == 1.0).
      if (!eq && l.kind() == ValueKind::kNumber && r.kind() == ValueKind::kNumber) {
        eq = l.AsNumber() == r.AsNumber();
      }
      if (!eq && l.IsNull() && r.IsNull()) eq = true;
      return Value::Bool(e.op == BinaryOp::kEq ? eq : !eq);
    }
    case BinaryOp::kOr:
    case BinaryOp::kAnd: {
      auto lb = l.IsNull() ? std::nullopt : Convert(l, Type::Bool());
      if (!lb) return bad(*e.lhs, l, "a bool");
      auto rb = r.IsNull() ? std::nullopt : Convert(r, Type::Bool());
      if (!rb) return bad(*e.rhs, r, "a bool");
      return Value::Bool(e.op == BinaryOp::kOr ? (lb->AsBool() || rb->AsBool())
                                               : (lb->AsBool() && rb->AsBool()));
    }
    default:
      break;
  }
  auto ln = l.IsNull() ? std::nullopt : Convert(l, Type::Number());
  if (!ln) return bad(*e.lhs, l, "a number");
  auto rn = r.IsNull() ? std::nullopt : Convert(r, Type::Number());
  if (!rn) return bad(*e.rhs, r, "a number");
  const Number& a = ln->AsNumber();
  const Number& b = rn->AsNumber();
  switch (e.op) {
    case BinaryOp::kLt:
      return Value::Bool(a.Compare(b) < 0);
    case BinaryOp::kGt:
      return Value::Bool(a.Compare(b) > 0);
    case BinaryOp::kLe:
      return Value::Bool(a.Compare(b) <= 0);
    case BinaryOp::kGe:
      return Value::Bool(a.Compare(b) >= 0);
    case BinaryOp::kAdd:
      return Value::Num(a.Add(b));
    case BinaryOp::kSub:
      return Value::Num(a.Sub(b));
    case BinaryOp::kMul:
      return Value::Num(a.Mul(b));
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      if (b.IsZero()) {
        diags_->Build(DiagKind::kInvalidOperand, e.rhs->range, op, "cannot divide by zero");
        return Value::Unknown();
      }
      return Value::Num(e.op == BinaryOp::kDiv ? a.Div(b) : a.Mod(b));
    default:
      break;
  }
  DROVER_UNREACHABLE("unhandled binary operator");
}

Value Evaluator::EvalUnary(const syntax::UnaryExpr& e, const Scope& scope) {
  Value v = Eval(*e.operand, scope);
  if (IsError(v)) return Value::Unknown();
  if (e.op == syntax::UnaryOp::kNot) {
    auto b = v.IsNull() ? std::nullopt : Convert(v, Type::Bool());
    if (!b) {
      diags_->Build(DiagKind::kInvalidOperand, e.operand->range, "!",
                    fmt::format("a bool is required, got {}", v.ToString()));
      return Value::Unknown();
    }
    return Value::Bool(!b->AsBool());
  }
  auto n = v.IsNull() ? std::nullopt : Convert(v, Type::Number());
  if (!n) {
    diags_->Build(DiagKind::kInvalidOperand, e.operand->range, "-",
                  fmt::format("a number is required, got {}", v.ToString()));
    return Value::Unknown();
  }
  return Value::Num(n->AsNumber().Neg());
}

// ---- bodies and dynamic blocks
// -------------------------------------------------------------------

EvalBody Evaluator::EvaluateBody(const syntax::Body& body, const Scope& scope) {
  EvalBody out;
  out.range = body.range;
  for (const syntax::BodyItem* item : body.items) {
    if (item->kind == syntax::ItemKind::kAttribute) {
      const auto* a = static_cast<const syntax::Attribute*>(item);
      out.attributes.push_back(
          EvalAttribute{std::string(a->name), Eval(*a->value, scope), a->name_range, a->range});
      continue;
    }
    const auto* b = static_cast<const syntax::Block*>(item);
    if (b->type == "dynamic") {
      ExpandDynamic(*b, scope, out.blocks);
      continue;
    }
    EvalBlock eb;
    eb.type = std::string(b->type);
    for (const auto& l : b->labels) {
      eb.labels.emplace_back(l.value);
      eb.label_ranges.push_back(l.range);
    }
    eb.type_range = b->type_range;
    eb.range = b->range;
    eb.body = EvaluateBody(*b->body, scope);
    out.blocks.push_back(std::move(eb));
  }
  return out;
}

void Evaluator::ExpandDynamic(const syntax::Block& block, const Scope& scope,
                              std::vector<EvalBlock>& out) {
  if (block.labels.size() != 1) {
    diags_->Build(DiagKind::kInvalidDynamicBlock, block.type_range,
                  "a `dynamic` block needs exactly one label: the type of the blocks it makes");
    return;
  }
  std::string type(block.labels[0].value);
  const syntax::Attribute* for_each = nullptr;
  const syntax::Attribute* iterator = nullptr;
  const syntax::Attribute* labels = nullptr;
  const syntax::Block* content = nullptr;
  bool bad = false;
  for (const syntax::BodyItem* item : block.body->items) {
    if (item->kind == syntax::ItemKind::kAttribute) {
      const auto* a = static_cast<const syntax::Attribute*>(item);
      if (a->name == "for_each") {
        for_each = a;
      } else if (a->name == "iterator") {
        iterator = a;
      } else if (a->name == "labels") {
        labels = a;
      } else {
        diags_->Build(DiagKind::kInvalidDynamicBlock, a->name_range,
                      fmt::format("unexpected argument `{}`; expected `for_each`, `iterator`, "
                                  "`labels` or a `content` block",
                                  a->name));
        bad = true;
      }
      continue;
    }
    const auto* b = static_cast<const syntax::Block*>(item);
    if (b->type == "content" && content == nullptr && b->labels.empty()) {
      content = b;
    } else {
      diags_->Build(DiagKind::kInvalidDynamicBlock, b->type_range,
                    b->type == "content" ? "only one unlabelled `content` block is allowed"
                                         : fmt::format("unexpected block `{}`", b->type));
      bad = true;
    }
  }
  if (for_each == nullptr || content == nullptr) {
    diags_->Build(DiagKind::kInvalidDynamicBlock, block.type_range,
                  for_each == nullptr ? "the `for_each` argument is required"
                                      : "a `content` block is required");
    return;
  }
  if (bad) return;
  std::string iter_name = type;
  if (iterator != nullptr) {
    if (iterator->value->kind != ExprKind::kVariable) {
      diags_->Build(DiagKind::kInvalidDynamicBlock, iterator->value->range,
                    "`iterator` must be a bare name");
      return;
    }
    iter_name = std::string(static_cast<const syntax::VariableExpr*>(iterator->value)->name);
  }
  Value coll = Eval(*for_each->value, scope);
  if (IsError(coll)) return;
  if (coll.IsNull() || (!coll.IsSequence() && !coll.IsMapping())) {
    diags_->Build(DiagKind::kInvalidDynamicBlock, for_each->value->range,
                  fmt::format("`for_each` must be a collection, not {}", Describe(coll)));
    return;
  }
  std::vector<std::pair<Value, Value>> pairs;
  if (coll.IsSequence()) {
    int64_t i = 0;
    for (const auto& el : coll.elements()) {
      pairs.emplace_back(coll.kind() == ValueKind::kSet ? el : Value::Int(i), el);
      ++i;
    }
  } else {
    for (const auto& [k, v] : coll.members()) pairs.emplace_back(Value::String(k), v);
  }
  for (auto& [k, v] : pairs) {
    Scope inner(&scope);
    inner.Set(iter_name, Value::Object({{"key", k}, {"value", v}}));
    EvalBlock eb;
    eb.type = type;
    eb.type_range = block.labels[0].range;
    eb.range = block.range;
    if (labels != nullptr) {
      Value lv = Eval(*labels->value, inner);
      if (IsError(lv)) continue;
      if (!lv.IsSequence()) {
        diags_->Build(DiagKind::kInvalidDynamicBlock, labels->value->range,
                      fmt::format("`labels` must be a list of strings, not {}", Describe(lv)));
        return;
      }
      bool ok = true;
      for (const auto& l : lv.elements()) {
        auto s = l.IsNull() ? std::nullopt : Convert(l, Type::String());
        if (!s) {
          diags_->Build(DiagKind::kInvalidDynamicBlock,
                        l.range().IsValid() ? l.range() : labels->value->range,
                        fmt::format("a block label must be a string, not {}", Describe(l)));
          ok = false;
          break;
        }
        eb.labels.push_back(s->AsString());
        eb.label_ranges.push_back(l.range().IsValid() ? l.range() : labels->value->range);
      }
      if (!ok) return;
    }
    eb.body = EvaluateBody(*content->body, inner);
    out.push_back(std::move(eb));
  }
}

// ---- dependency scan
// -----------------------------------------------------------------------------

namespace {

void CollectParts(llvm::ArrayRef<syntax::TemplatePart*> parts, std::vector<std::string>& out);

void Collect(const syntax::Expr* e, std::vector<std::string>& out) {
  if (e == nullptr) return;
  switch (e->kind) {
    case ExprKind::kLiteral:
    case ExprKind::kSplatItem:
      return;
    case ExprKind::kTemplate:
      CollectParts(static_cast<const syntax::TemplateExpr*>(e)->parts, out);
      return;
    case ExprKind::kVariable:
      if (static_cast<const syntax::VariableExpr*>(e)->name == "local") out.push_back("*");
      return;
    case ExprKind::kGetAttr: {
      const auto* g = static_cast<const syntax::GetAttrExpr*>(e);
      if (g->object->kind == ExprKind::kVariable &&
          static_cast<const syntax::VariableExpr*>(g->object)->name == "local") {
        out.emplace_back(g->name);
        return;
      }
      Collect(g->object, out);
      return;
    }
    case ExprKind::kIndex: {
      const auto* i = static_cast<const syntax::IndexExpr*>(e);
      if (i->collection->kind == ExprKind::kVariable &&
          static_cast<const syntax::VariableExpr*>(i->collection)->name == "local" &&
          i->key->kind == ExprKind::kLiteral) {
        out.emplace_back(static_cast<const syntax::LiteralExpr*>(i->key)->text);
        return;
      }
      Collect(i->collection, out);
      Collect(i->key, out);
      return;
    }
    case ExprKind::kSplat: {
      const auto* s = static_cast<const syntax::SplatExpr*>(e);
      Collect(s->source, out);
      Collect(s->each, out);
      return;
    }
    case ExprKind::kCall:
      for (const syntax::Expr* a : static_cast<const syntax::CallExpr*>(e)->args) Collect(a, out);
      return;
    case ExprKind::kTuple:
      for (const syntax::Expr* a : static_cast<const syntax::TupleExpr*>(e)->elements) {
        Collect(a, out);
      }
      return;
    case ExprKind::kObject:
      for (const auto& item : static_cast<const syntax::ObjectExpr*>(e)->items) {
        if (!item.key_is_name) Collect(item.key, out);
        Collect(item.value, out);
      }
      return;
    case ExprKind::kFor: {
      const auto* f = static_cast<const syntax::ForExpr*>(e);
      Collect(f->collection, out);
      Collect(f->key, out);
      Collect(f->value, out);
      Collect(f->condition, out);
      return;
    }
    case ExprKind::kConditional: {
      const auto* c = static_cast<const syntax::ConditionalExpr*>(e);
      Collect(c->condition, out);
      Collect(c->true_result, out);
      Collect(c->false_result, out);
      return;
    }
    case ExprKind::kBinary: {
      const auto* b = static_cast<const syntax::BinaryExpr*>(e);
      Collect(b->lhs, out);
      Collect(b->rhs, out);
      return;
    }
    case ExprKind::kUnary:
      Collect(static_cast<const syntax::UnaryExpr*>(e)->operand, out);
      return;
    case ExprKind::kParens:
      Collect(static_cast<const syntax::ParensExpr*>(e)->inner, out);
      return;
  }
}

void CollectParts(llvm::ArrayRef<syntax::TemplatePart*> parts, std::vector<std::string>& out) {
  for (const syntax::TemplatePart* p : parts) {
    switch (p->kind) {
      case syntax::PartKind::kLiteral:
        break;
      case syntax::PartKind::kInterp:
        Collect(static_cast<const syntax::InterpPart*>(p)->expr, out);
        break;
      case syntax::PartKind::kIf: {
        const auto* i = static_cast<const syntax::IfPart*>(p);
        Collect(i->condition, out);
        CollectParts(i->then_parts, out);
        CollectParts(i->else_parts, out);
        break;
      }
      case syntax::PartKind::kFor: {
        const auto* f = static_cast<const syntax::ForPart*>(p);
        Collect(f->collection, out);
        CollectParts(f->body, out);
        break;
      }
    }
  }
}

}  // namespace

void CollectLocalReferences(const syntax::Expr& expr, std::vector<std::string>& out) {
  Collect(&expr, out);
}

}  // namespace drover::eval
