// Type conversion and unification with go-cty's rules (value.h).
//
// Primitive conversions: number -> string (decimal form), bool -> string ("true"/"false"),
// string -> number (HCL number syntax), string -> bool ("true"/"false"). Structural conversions
// go element by element; `any` in a target type keeps the source element types when they agree
// and unifies them otherwise.
#include <algorithm>

#include <fmt/format.h>

#include "compiler/eval/value.h"

namespace drover::eval {

namespace {

using Kind = Type::Kind;

void SetError(ConversionError* error, std::string message, SourceRange range) {
  if (error != nullptr) {
    error->message = std::move(message);
    error->range = range;
  }
}

std::string Required(const Type& t) {
  switch (t.kind()) {
    case Kind::kString:
      return "a string is required";
    case Kind::kNumber:
      return "a number is required";
    case Kind::kBool:
      return "a bool is required";
    case Kind::kList:
      return "a list is required";
    case Kind::kSet:
      return "a set is required";
    case Kind::kMap:
      return "a map is required";
    case Kind::kObject:
      return "an object is required";
    case Kind::kTuple:
      return "a tuple is required";
    case Kind::kDynamic:
      return "a value is required";
  }
  return "a value is required";
}

std::optional<Value> ConvertPrimitive(const Value& v, const Type& t, ConversionError* error) {
  const Kind from = v.type().kind();
  switch (t.kind()) {
    case Kind::kString:
      if (from == Kind::kNumber) return Value::String(v.AsNumber().ToString());
      if (from == Kind::kBool) return Value::String(v.AsBool() ? "true" : "false");
      break;
    case Kind::kNumber:
      if (from == Kind::kString) {
        if (auto n = Number::Parse(v.AsString())) return Value::Num(*n);
        SetError(error, "a number is required", v.range());
        return std::nullopt;
      }
      break;
    case Kind::kBool:
      if (from == Kind::kString) {
        if (v.AsString() == "true") return Value::Bool(true);
        if (v.AsString() == "false") return Value::Bool(false);
        SetError(error, "a bool is required", v.range());
        return std::nullopt;
      }
      break;
    default:
      break;
  }
  SetError(error, Required(t), v.range());
  return std::nullopt;
}

/// Converts every element to `element`; with `any`, unifies the element types first.
std::optional<std::vector<Value>> ConvertElements(std::span<const Value> elems, Type element,
                                                  ConversionError* error, Type* chosen) {
  if (element.HasDynamic() && !elems.empty()) {
    std::vector<Type> types;
    for (const auto& e : elems) types.push_back(e.type());
    auto unified = UnifyTypes(types);
    if (!unified) {
      SetError(error, "all elements must have the same type", elems[0].range());
      return std::nullopt;
    }
    if (element.IsDynamic()) element = *unified;
  }
  std::vector<Value> out;
  out.reserve(elems.size());
  for (size_t i = 0; i < elems.size(); ++i) {
    ConversionError inner;
    auto c = Convert(elems[i], element, &inner);
    if (!c) {
      SetError(error, fmt::format("element {}: {}", i, inner.message), inner.range);
      return std::nullopt;
    }
    out.push_back(std::move(*c));
  }
  if (chosen != nullptr) *chosen = element;
  return out;
}

}  // namespace

std::optional<Value> Convert(const Value& value, const Type& type, ConversionError* error) {
  if (type.IsDynamic()) return value;
  if (value.IsUnknown()) return Value::Unknown(type).WithRange(value.range());
  if (value.IsNull()) return Value::Null(type).WithRange(value.range());
  if (value.type() == type && !type.HasOptional()) return value;
  const Kind from = value.type().kind();
  const SourceRange range = value.range();

  if (type.IsPrimitive()) {
    if (from == type.kind()) return value;
    if (!value.type().IsPrimitive()) {
      SetError(error, Required(type), range);
      return std::nullopt;
    }
    auto c = ConvertPrimitive(value, type, error);
    if (c) return c->WithRange(range).WithRuntime(value.IsRuntime());
    return c;
  }

  switch (type.kind()) {
    case Kind::kList:
    case Kind::kSet: {
      if (!value.IsSequence()) {
        SetError(error, Required(type), range);
        return std::nullopt;
      }
      Type chosen;
      auto elems = ConvertElements(value.elements(), type.element(), error, &chosen);
      if (!elems) return std::nullopt;
      Value out = type.kind() == Kind::kList ? Value::List(std::move(*elems), chosen)
                                             : Value::Set(std::move(*elems), chosen);
      return out.WithRange(range);
    }
    case Kind::kMap: {
      if (!value.IsMapping()) {
        SetError(error, Required(type), range);
        return std::nullopt;
      }
      std::vector<Value> vals;
      for (const auto& m : value.members()) vals.push_back(m.second);
      Type chosen;
      ConversionError inner;
      auto elems = ConvertElements(vals, type.element(), &inner, &chosen);
      if (!elems) {
        // Re-word "element i" into the key that failed.
        for (size_t i = 0; i < vals.size(); ++i) {
          ConversionError e2;
          Type t = chosen.IsDynamic() ? type.element() : chosen;
          if (!Convert(vals[i], t, &e2)) {
            SetError(error, fmt::format("element \"{}\": {}", value.members()[i].first, e2.message),
                     e2.range);
            return std::nullopt;
          }
        }
        SetError(error, inner.message, inner.range);
        return std::nullopt;
      }
      std::vector<Value::Member> members;
      for (size_t i = 0; i < vals.size(); ++i) {
        members.emplace_back(value.members()[i].first, std::move((*elems)[i]));
      }
      return Value::Map(std::move(members), chosen).WithRange(range);
    }
    case Kind::kObject: {
      if (!value.IsMapping()) {
        SetError(error, Required(type), range);
        return std::nullopt;
      }
      std::vector<Value::Member> members;
      for (const auto& attr : type.attributes()) {
        const Value* src = value.Find(attr.name);
        if (src == nullptr || src->IsNull()) {
          if (attr.optional) {
            if (attr.default_value && (src == nullptr || src->IsNull())) {
              members.emplace_back(attr.name, *attr.default_value);
            } else {
              members.emplace_back(attr.name, Value::Null(attr.type));
            }
            continue;
          }
          if (src == nullptr) {
            SetError(error, fmt::format("attribute \"{}\" is required", attr.name), range);
            return std::nullopt;
          }
        }
        ConversionError inner;
        auto c = Convert(*src, attr.type, &inner);
        if (!c) {
          SetError(error, fmt::format("attribute \"{}\": {}", attr.name, inner.message),
                   inner.range);
          return std::nullopt;
        }
        members.emplace_back(attr.name, std::move(*c));
      }
      return Value::Object(std::move(members)).WithRange(range);
    }
    case Kind::kTuple: {
      if (!value.IsSequence()) {
        SetError(error, Required(type), range);
        return std::nullopt;
      }
      auto want = type.elements();
      if (value.size() != want.size()) {
        SetError(error, fmt::format("tuple required with exactly {} elements", want.size()), range);
        return std::nullopt;
      }
      std::vector<Value> out;
      for (size_t i = 0; i < want.size(); ++i) {
        ConversionError inner;
        auto c = Convert(value.elements()[i], want[i], &inner);
        if (!c) {
          SetError(error, fmt::format("element {}: {}", i, inner.message), inner.range);
          return std::nullopt;
        }
        out.push_back(std::move(*c));
      }
      return Value::Tuple(std::move(out)).WithRange(range);
    }
    default:
      break;
  }
  SetError(error, Required(type), range);
  return std::nullopt;
}

namespace {

bool IsSeq(Kind k) { return k == Kind::kList || k == Kind::kTuple || k == Kind::kSet; }
bool IsMapLike(Kind k) { return k == Kind::kMap || k == Kind::kObject; }

/// Element types of a list/set/tuple or member types of a map/object.
void CollectInner(const Type& t, std::vector<Type>& out) {
  switch (t.kind()) {
    case Kind::kList:
    case Kind::kSet:
    case Kind::kMap:
      out.push_back(t.element());
      break;
    case Kind::kTuple:
      for (const auto& e : t.elements()) out.push_back(e);
      break;
    case Kind::kObject:
      for (const auto& a : t.attributes()) out.push_back(a.type);
      break;
    default:
      break;
  }
}

}  // namespace

std::optional<Type> UnifyTypes(std::span<const Type> types) {
  if (types.empty()) return Type::Dynamic();
  // Dynamic members (null literals) do not constrain the result.
  std::vector<Type> ts;
  for (const auto& t : types) {
    if (!t.IsDynamic()) ts.push_back(t);
  }
  if (ts.empty()) return Type::Dynamic();
  if (std::all_of(ts.begin(), ts.end(), [&](const Type& t) { return t == ts[0]; })) return ts[0];

  if (std::all_of(ts.begin(), ts.end(), [](const Type& t) { return t.IsPrimitive(); })) {
    // string is the only primitive every other primitive converts to safely.
    bool has_number = false, has_bool = false;
    for (const auto& t : ts) {
      has_number |= t.kind() == Kind::kNumber;
      has_bool |= t.kind() == Kind::kBool;
    }
    if (has_number && has_bool && std::none_of(ts.begin(), ts.end(), [](const Type& t) {
          return t.kind() == Kind::kString;
        })) {
      return std::nullopt;
    }
    return Type::String();
  }

  if (std::all_of(ts.begin(), ts.end(), [](const Type& t) { return t.kind() == Kind::kObject; })) {
    // Same attribute names: unify attribute by attribute.
    auto names = [](const Type& t) {
      std::vector<std::string> n;
      for (const auto& a : t.attributes()) n.push_back(a.name);
      return n;
    };
    auto first = names(ts[0]);
    if (std::all_of(ts.begin(), ts.end(), [&](const Type& t) { return names(t) == first; })) {
      std::vector<ObjectAttribute> attrs;
      for (size_t i = 0; i < first.size(); ++i) {
        std::vector<Type> at;
        for (const auto& t : ts) at.push_back(t.attributes()[i].type);
        auto u = UnifyTypes(at);
        if (!u) return std::nullopt;
        attrs.push_back(ObjectAttribute{first[i], *u, false, {}});
      }
      return Type::Object(std::move(attrs));
    }
  }
  if (std::all_of(ts.begin(), ts.end(), [](const Type& t) { return t.kind() == Kind::kTuple; })) {
    size_t n = ts[0].elements().size();
    if (std::all_of(ts.begin(), ts.end(),
                    [&](const Type& t) { return t.elements().size() == n; })) {
      std::vector<Type> elems;
      for (size_t i = 0; i < n; ++i) {
        std::vector<Type> et;
        for (const auto& t : ts) et.push_back(t.elements()[i]);
        auto u = UnifyTypes(et);
        if (!u) return std::nullopt;
        elems.push_back(*u);
      }
      return Type::Tuple(std::move(elems));
    }
  }
  auto inner_unified = [&]() -> std::optional<Type> {
    std::vector<Type> inner;
    for (const auto& t : ts) CollectInner(t, inner);
    return UnifyTypes(inner);
  };
  if (std::all_of(ts.begin(), ts.end(), [](const Type& t) { return IsMapLike(t.kind()); })) {
    auto u = inner_unified();
    if (!u) return std::nullopt;
    return Type::Map(*u);
  }
  if (std::all_of(ts.begin(), ts.end(), [](const Type& t) { return IsSeq(t.kind()); })) {
    auto u = inner_unified();
    if (!u) return std::nullopt;
    bool all_sets =
        std::all_of(ts.begin(), ts.end(), [](const Type& t) { return t.kind() == Kind::kSet; });
    return all_sets ? Type::Set(*u) : Type::List(*u);
  }
  return std::nullopt;
}

}  // namespace drover::eval
