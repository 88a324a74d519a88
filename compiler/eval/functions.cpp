// The function registry, FunctionCall's argument helpers, and the numeric functions.
#include "compiler/eval/functions.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "compiler/eval/evaluator.h"

namespace drover::eval {

using diag::DiagKind;

namespace {

std::string Describe(const Value& v) { return v.IsNull() ? "null" : v.type().FriendlyName(); }

const std::map<std::string_view, const FunctionDef*>& Registry() {
  static const auto* registry = [] {
    auto* m = new std::map<std::string_view, const FunctionDef*>();
    for (auto table : {NumericFunctions(), StringFunctions(), CollectionFunctions(),
                       EncodingFunctions(), MiscFunctions()}) {
      for (const FunctionDef& f : table) (*m)[f.name] = &f;
    }
    return m;
  }();
  return *registry;
}

}  // namespace

const FunctionDef* FindFunction(std::string_view name) {
  auto it = Registry().find(name);
  return it == Registry().end() ? nullptr : it->second;
}

std::vector<std::string_view> FunctionNames() {
  std::vector<std::string_view> out;
  for (const auto& [name, def] : Registry()) out.push_back(name);
  out.push_back("can");
  out.push_back("convert");
  out.push_back("try");
  std::sort(out.begin(), out.end());
  return out;
}

// ---- FunctionCall
// --------------------------------------------------------------------------------

std::nullopt_t FunctionCall::ArgError(size_t i, std::string message) {
  SourceRange r = i < ranges_.size() ? ranges_[i] : expr_.range;
  ev_.diags().Build(DiagKind::kInvalidFunctionArgument, r, i + 1, def_.name, message);
  return std::nullopt;
}

std::nullopt_t FunctionCall::Error(std::string message) {
  ev_.diags().Build(DiagKind::kFunctionFailed, expr_.range, def_.name, message);
  return std::nullopt;
}

bool FunctionCall::NotNull(size_t i) {
  if (!args_[i].IsNull()) return true;
  ArgError(i, "must not be null");
  return false;
}

std::optional<std::string> FunctionCall::String(size_t i) {
  if (!NotNull(i)) return std::nullopt;
  auto v = Convert(args_[i], Type::String());
  if (!v) return ArgError(i, fmt::format("a string is required, got {}", Describe(args_[i])));
  return v->AsString();
}

std::optional<Number> FunctionCall::Num(size_t i) {
  if (!NotNull(i)) return std::nullopt;
  auto v = Convert(args_[i], Type::Number());
  if (!v) return ArgError(i, fmt::format("a number is required, got {}", args_[i].ToString()));
  return v->AsNumber();
}

std::optional<int64_t> FunctionCall::Int(size_t i) {
  auto n = Num(i);
  if (!n) return std::nullopt;
  auto v = n->ToInt64();
  if (!v) return ArgError(i, fmt::format("a whole number is required, got {}", n->ToString()));
  return v;
}

std::optional<bool> FunctionCall::Bool(size_t i) {
  if (!NotNull(i)) return std::nullopt;
  auto v = Convert(args_[i], Type::Bool());
  if (!v) return ArgError(i, fmt::format("a bool is required, got {}", args_[i].ToString()));
  return v->AsBool();
}

std::optional<std::vector<Value>> FunctionCall::Sequence(size_t i) {
  if (!NotNull(i)) return std::nullopt;
  if (!args_[i].IsSequence()) {
    return ArgError(i, fmt::format("a list, set or tuple is required, got {}", Describe(args_[i])));
  }
  return std::vector<Value>(args_[i].elements().begin(), args_[i].elements().end());
}

std::optional<std::vector<Value::Member>> FunctionCall::Mapping(size_t i) {
  if (!NotNull(i)) return std::nullopt;
  if (!args_[i].IsMapping()) {
    return ArgError(i, fmt::format("a map or object is required, got {}", Describe(args_[i])));
  }
  return std::vector<Value::Member>(args_[i].members().begin(), args_[i].members().end());
}

// ---- shared helpers
// ------------------------------------------------------------------------------

std::optional<Value> MakeList(std::vector<Value> elems) {
  std::vector<Type> types;
  for (const auto& e : elems) types.push_back(e.type());
  auto u = UnifyTypes(types);
  if (!u) return std::nullopt;
  for (auto& e : elems) {
    auto c = Convert(e, *u);
    if (!c) return std::nullopt;
    e = c->WithRange(e.range());
  }
  return Value::List(std::move(elems), *u);
}

std::optional<Value> MakeSet(std::vector<Value> elems) {
  auto l = MakeList(std::move(elems));
  if (!l) return std::nullopt;
  return Value::Set(std::vector<Value>(l->elements().begin(), l->elements().end()),
                    l->type().element());
}

std::string PrimitiveText(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kString:
      return v.AsString();
    case ValueKind::kNumber:
      return v.AsNumber().ToString();
    case ValueKind::kBool:
      return v.AsBool() ? "true" : "false";
    case ValueKind::kNull:
      return "null";
    default:
      return v.ToString();
  }
}

// ---- numeric
// -------------------------------------------------------------------------------------

namespace {

std::optional<Value> Abs(FunctionCall& c) {
  auto n = c.Num(0);
  if (!n) return std::nullopt;
  return Value::Num(n->Compare(Number::Int(0)) < 0 ? n->Neg() : *n);
}

std::optional<Value> Ceil(FunctionCall& c) {
  auto n = c.Num(0);
  if (!n) return std::nullopt;
  if (n->IsInteger()) return Value::Num(*n);
  return Value::Double(std::ceil(n->ToDouble()));
}

std::optional<Value> Floor(FunctionCall& c) {
  auto n = c.Num(0);
  if (!n) return std::nullopt;
  if (n->IsInteger()) return Value::Num(*n);
  return Value::Double(std::floor(n->ToDouble()));
}

std::optional<Value> Log(FunctionCall& c) {
  auto n = c.Num(0);
  auto b = n ? c.Num(1) : std::nullopt;
  if (!n || !b) return std::nullopt;
  if (n->ToDouble() <= 0) return c.ArgError(0, "must be greater than zero");
  if (b->ToDouble() <= 0 || b->ToDouble() == 1)
    return c.ArgError(1, "base must be positive and not 1");
  return Value::Double(std::log(n->ToDouble()) / std::log(b->ToDouble()));
}

std::optional<Value> MinMax(FunctionCall& c, bool want_max) {
  std::optional<Number> best;
  for (size_t i = 0; i < c.size(); ++i) {
    auto n = c.Num(i);
    if (!n) return std::nullopt;
    if (!best || (want_max ? n->Compare(*best) > 0 : n->Compare(*best) < 0)) best = n;
  }
  return Value::Num(*best);
}

std::optional<Value> Max(FunctionCall& c) { return MinMax(c, true); }
std::optional<Value> Min(FunctionCall& c) { return MinMax(c, false); }

std::optional<Value> ParseInt(FunctionCall& c) {
  auto s = c.String(0);
  auto base = s ? c.Int(1) : std::nullopt;
  if (!s || !base) return std::nullopt;
  if (*base < 2 || *base > 62) return c.ArgError(1, "base must be a whole number between 2 and 62");
  std::string_view t = *s;
  bool neg = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.empty())
    return c.ArgError(0, fmt::format("cannot parse \"{}\" as a base {} integer", *s, *base));
  Number acc = Number::Int(0);
  for (char ch : t) {
    int d;
    if (ch >= '0' && ch <= '9') {
      d = ch - '0';
    } else if (ch >= 'a' && ch <= 'z') {
      d = ch - 'a' + 10;
    } else if (ch >= 'A' && ch <= 'Z') {
      d = *base <= 36 ? ch - 'A' + 10 : ch - 'A' + 36;
    } else {
      d = 99;
    }
    if (d >= *base) {
      return c.ArgError(0, fmt::format("cannot parse \"{}\" as a base {} integer", *s, *base));
    }
    acc = acc.Mul(Number::Int(*base)).Add(Number::Int(d));
  }
  return Value::Num(neg ? acc.Neg() : acc);
}

std::optional<Value> Pow(FunctionCall& c) {
  auto a = c.Num(0);
  auto b = a ? c.Num(1) : std::nullopt;
  if (!a || !b) return std::nullopt;
  // Exact for small integer powers.
  if (a->IsInteger() && b->IsInteger() && b->ToInt64() && *b->ToInt64() >= 0 &&
      *b->ToInt64() < 128) {
    Number r = Number::Int(1);
    for (int64_t i = 0; i < *b->ToInt64(); ++i) r = r.Mul(*a);
    return Value::Num(r);
  }
  return Value::Double(std::pow(a->ToDouble(), b->ToDouble()));
}

std::optional<Value> Signum(FunctionCall& c) {
  auto n = c.Num(0);
  if (!n) return std::nullopt;
  return Value::Int(n->Compare(Number::Int(0)));
}

std::optional<Value> Sum(FunctionCall& c) {
  auto elems = c.Sequence(0);
  if (!elems) return std::nullopt;
  if (elems->empty()) return c.ArgError(0, "cannot sum an empty list");
  Number acc = Number::Int(0);
  for (size_t i = 0; i < elems->size(); ++i) {
    const Value& e = (*elems)[i];
    auto n = e.IsNull() ? std::nullopt : Convert(e, Type::Number());
    if (!n) return c.ArgError(0, fmt::format("element {} is not a number: {}", i, e.ToString()));
    acc = acc.Add(n->AsNumber());
  }
  return Value::Num(acc);
}

constexpr FunctionDef kNumeric[] = {
    {"abs", 1, 1, Abs},           {"ceil", 1, 1, Ceil}, {"floor", 1, 1, Floor},
    {"log", 2, 2, Log},           {"max", 1, -1, Max},  {"min", 1, -1, Min},
    {"parseint", 2, 2, ParseInt}, {"pow", 2, 2, Pow},   {"signum", 1, 1, Signum},
    {"sum", 1, 1, Sum},
};

}  // namespace

std::span<const FunctionDef> NumericFunctions() { return kNumeric; }

}  // namespace drover::eval
