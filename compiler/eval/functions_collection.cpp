// Collection and type-conversion functions: chunklist, coalesce, coalescelist, compact, concat,
// contains, distinct, element, flatten, index, keys, length, lookup, merge, range, reverse,
// setintersection, setproduct, setsubtract, setunion, slice, sort, values, zipmap, tostring,
// tonumber, tobool, tolist, toset, tomap.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "compiler/base/strings.h"
#include "compiler/eval/functions.h"

namespace drover::eval {

namespace {

std::string Describe(const Value& v) { return v.IsNull() ? "null" : v.type().FriendlyName(); }

/// A list when the elements unify, else a tuple (cty returns tuples for mixed inputs).
Value ListOrTuple(std::vector<Value> elems) {
  if (auto l = MakeList(elems)) return *l;
  return Value::Tuple(std::move(elems));
}

/// The result has the same sequence kind as `like` (list/tuple/set).
Value SameKind(const Value& like, std::vector<Value> elems) {
  if (like.kind() == ValueKind::kTuple) return Value::Tuple(std::move(elems));
  if (like.kind() == ValueKind::kSet) {
    if (auto s = MakeSet(elems)) return *s;
    return Value::Tuple(std::move(elems));
  }
  return ListOrTuple(std::move(elems));
}

std::optional<Value> ChunkList(FunctionCall& c) {
  auto elems = c.Sequence(0);
  auto size = elems ? c.Int(1) : std::nullopt;
  if (!elems || !size) return std::nullopt;
  if (*size < 0) return c.ArgError(1, "the chunk size must not be negative");
  std::vector<Value> out;
  if (*size == 0) {
    out.push_back(SameKind(c.arg(0), *elems));
  } else {
    for (size_t i = 0; i < elems->size(); i += static_cast<size_t>(*size)) {
      size_t end = std::min(elems->size(), i + static_cast<size_t>(*size));
      out.push_back(ListOrTuple(
          {elems->begin() + static_cast<long>(i), elems->begin() + static_cast<long>(end)}));
    }
  }
  return ListOrTuple(std::move(out));
}

std::optional<Value> Coalesce(FunctionCall& c) {
  std::vector<Type> types;
  for (const auto& a : c.args()) types.push_back(a.type());
  auto u = UnifyTypes(types);
  if (!u) return c.Error("all arguments must have the same type");
  for (const auto& a : c.args()) {
    if (a.IsNull()) continue;
    if (a.kind() == ValueKind::kString && a.AsString().empty()) continue;
    return Convert(a, *u);
  }
  return c.Error("no non-null, non-empty-string arguments");
}

std::optional<Value> CoalesceList(FunctionCall& c) {
  for (size_t i = 0; i < c.size(); ++i) {
    if (c.arg(i).IsNull()) continue;
    auto elems = c.Sequence(i);
    if (!elems) return std::nullopt;
    if (!elems->empty()) return c.arg(i);
  }
  return c.Error("no non-empty list arguments");
}

std::optional<Value> Compact(FunctionCall& c) {
  auto elems = c.Sequence(0);
  if (!elems) return std::nullopt;
  std::vector<Value> out;
  for (size_t i = 0; i < elems->size(); ++i) {
    const Value& e = (*elems)[i];
    if (e.IsNull()) continue;
    auto s = Convert(e, Type::String());
    if (!s)
      return c.ArgError(
          0, fmt::format("element {} is {}; a list of strings is required", i, Describe(e)));
    if (s->AsString().empty()) continue;
    out.push_back(s->WithRange(e.range()).WithRuntime(e.IsRuntime()));
  }
  return Value::List(std::move(out), Type::String());
}

std::optional<Value> Concat(FunctionCall& c) {
  std::vector<Value> out;
  bool all_lists = true;
  for (size_t i = 0; i < c.size(); ++i) {
    auto elems = c.Sequence(i);
    if (!elems) return std::nullopt;
    all_lists &= c.arg(i).kind() == ValueKind::kList;
    out.insert(out.end(), elems->begin(), elems->end());
  }
  if (all_lists) return ListOrTuple(std::move(out));
  return Value::Tuple(std::move(out));
}

bool Contains(const std::vector<Value>& elems, const Value& v) {
  return std::any_of(elems.begin(), elems.end(), [&](const Value& e) {
    if (e.Equals(v)) return true;
    if (e.kind() == ValueKind::kNumber && v.kind() == ValueKind::kNumber) {
      return e.AsNumber() == v.AsNumber();
    }
    return false;
  });
}

std::optional<Value> ContainsFn(FunctionCall& c) {
  auto elems = c.Sequence(0);
  if (!elems) return std::nullopt;
  return Value::Bool(Contains(*elems, c.arg(1)));
}

std::optional<Value> Distinct(FunctionCall& c) {
  auto elems = c.Sequence(0);
  if (!elems) return std::nullopt;
  std::vector<Value> out;
  for (const auto& e : *elems) {
    if (!Contains(out, e)) out.push_back(e);
  }
  return ListOrTuple(std::move(out));
}

std::optional<Value> Element(FunctionCall& c) {
  auto elems = c.Sequence(0);
  auto idx = elems ? c.Int(1) : std::nullopt;
  if (!elems || !idx) return std::nullopt;
  if (c.arg(0).kind() == ValueKind::kSet)
    return c.ArgError(0, "cannot index a set; use `tolist` first");
  if (elems->empty()) return c.ArgError(0, "cannot use element() on an empty list");
  if (*idx < 0) return c.ArgError(1, "the index must not be negative");
  return (*elems)[static_cast<size_t>(*idx) % elems->size()];
}

bool FlattenInto(const Value& v, std::vector<Value>& out) {
  for (const auto& e : v.elements()) {
    if (e.IsSequence()) {
      FlattenInto(e, out);
    } else {
      out.push_back(e);
    }
  }
  return true;
}

std::optional<Value> Flatten(FunctionCall& c) {
  if (!c.Sequence(0)) return std::nullopt;
  std::vector<Value> out;
  FlattenInto(c.arg(0), out);
  return ListOrTuple(std::move(out));
}

std::optional<Value> IndexFn(FunctionCall& c) {
  auto elems = c.Sequence(0);
  if (!elems) return std::nullopt;
  for (size_t i = 0; i < elems->size(); ++i) {
    std::vector<Value> one{(*elems)[i]};
    if (Contains(one, c.arg(1))) return Value::Int(static_cast<int64_t>(i));
  }
  return c.ArgError(1, fmt::format("{} is not in the list", c.arg(1).ToString()));
}

std::optional<Value> Keys(FunctionCall& c) {
  auto members = c.Mapping(0);
  if (!members) return std::nullopt;
  std::vector<Value> out;
  for (const auto& m : *members) out.push_back(Value::String(m.first));
  return Value::List(std::move(out), Type::String());
}

std::optional<Value> Values(FunctionCall& c) {
  auto members = c.Mapping(0);
  if (!members) return std::nullopt;
  std::vector<Value> out;
  for (const auto& m : *members) out.push_back(m.second);
  if (c.arg(0).kind() == ValueKind::kMap)
    return Value::List(std::move(out), c.arg(0).type().element());
  return Value::Tuple(std::move(out));
}

std::optional<Value> Length(FunctionCall& c) {
  const Value& v = c.arg(0);
  if (!c.NotNull(0)) return std::nullopt;
  if (v.kind() == ValueKind::kString)
    return Value::Int(static_cast<int64_t>(base::Utf8Length(v.AsString())));
  if (v.IsSequence() || v.IsMapping()) return Value::Int(static_cast<int64_t>(v.size()));
  return c.ArgError(0, fmt::format("a collection or a string is required, got {}", Describe(v)));
}

std::optional<Value> Lookup(FunctionCall& c) {
  auto members = c.Mapping(0);
  auto key = members ? c.String(1) : std::nullopt;
  if (!members || !key) return std::nullopt;
  if (const Value* v = c.arg(0).Find(*key)) {
    if (c.size() == 3 && c.arg(0).kind() == ValueKind::kObject) {
      // Unify the found value with the default, as cty does for objects.
      Type types[2] = {v->type(), c.arg(2).type()};
      if (auto u = UnifyTypes(types)) {
        if (auto conv = Convert(*v, *u)) return conv;
      }
    }
    return *v;
  }
  if (c.size() == 3) return c.arg(2);
  return c.ArgError(1, fmt::format("the map has no key \"{}\" and no default was given", *key));
}

std::optional<Value> Merge(FunctionCall& c) {
  std::vector<Value::Member> out;
  bool all_maps = true;
  for (size_t i = 0; i < c.size(); ++i) {
    if (c.arg(i).IsNull()) continue;
    auto members = c.Mapping(i);
    if (!members) return std::nullopt;
    all_maps &= c.arg(i).kind() == ValueKind::kMap;
    for (auto& m : *members) out.push_back(std::move(m));
  }
  if (all_maps && !out.empty()) {
    std::vector<Type> types;
    for (const auto& m : out) types.push_back(m.second.type());
    if (auto u = UnifyTypes(types)) {
      for (auto& m : out) m.second = *Convert(m.second, *u);
      return Value::Map(std::move(out), *u);
    }
  }
  return Value::Object(std::move(out));
}

std::optional<Value> Range(FunctionCall& c) {
  std::optional<Number> start = Number::Int(0), limit, step = Number::Int(1);
  if (c.size() == 1) {
    limit = c.Num(0);
  } else {
    start = c.Num(0);
    limit = start ? c.Num(1) : std::nullopt;
    if (c.size() == 3 && limit) step = c.Num(2);
  }
  if (!start || !limit || !step) return std::nullopt;
  if (step->IsZero()) return c.ArgError(c.size() - 1, "the step must not be zero");
  bool up = step->Compare(Number::Int(0)) > 0;
  if (up && start->Compare(*limit) > 0)
    return c.Error("the start is greater than the limit for a positive step");
  if (!up && start->Compare(*limit) < 0)
    return c.Error("the start is less than the limit for a negative step");
  std::vector<Value> out;
  for (Number i = *start; up ? i.Compare(*limit) < 0 : i.Compare(*limit) > 0; i = i.Add(*step)) {
    if (out.size() >= 1024 * 1024) return c.Error("more than 1048576 elements");
    out.push_back(Value::Num(i));
  }
  return Value::List(std::move(out), Type::Number());
}

std::optional<Value> Reverse(FunctionCall& c) {
  auto elems = c.Sequence(0);
  if (!elems) return std::nullopt;
  if (c.arg(0).kind() == ValueKind::kSet) return c.ArgError(0, "a set has no order to reverse");
  std::reverse(elems->begin(), elems->end());
  return SameKind(c.arg(0), std::move(*elems));
}

std::optional<Value> SetOp(FunctionCall& c, int op) {
  std::vector<std::vector<Value>> sets;
  for (size_t i = 0; i < c.size(); ++i) {
    auto elems = c.Sequence(i);
    if (!elems) return std::nullopt;
    sets.push_back(std::move(*elems));
  }
  std::vector<Value> out;
  if (op == 0) {  // union
    for (const auto& s : sets) out.insert(out.end(), s.begin(), s.end());
  } else if (op == 1) {  // intersection
    for (const auto& e : sets[0]) {
      bool all = std::all_of(sets.begin() + 1, sets.end(),
                             [&](const std::vector<Value>& s) { return Contains(s, e); });
      if (all) out.push_back(e);
    }
  } else {  // subtract
    for (const auto& e : sets[0]) {
      if (!Contains(sets[1], e)) out.push_back(e);
    }
  }
  auto s = MakeSet(std::move(out));
  if (!s) return c.Error("the sets' elements must have one type");
  return s;
}

std::optional<Value> SetUnion(FunctionCall& c) { return SetOp(c, 0); }
std::optional<Value> SetIntersection(FunctionCall& c) { return SetOp(c, 1); }
std::optional<Value> SetSubtract(FunctionCall& c) { return SetOp(c, 2); }

std::optional<Value> SetProduct(FunctionCall& c) {
  std::vector<std::vector<Value>> sets;
  bool all_sets = true;
  for (size_t i = 0; i < c.size(); ++i) {
    auto elems = c.Sequence(i);
    if (!elems) return std::nullopt;
    all_sets &= c.arg(i).kind() == ValueKind::kSet;
    sets.push_back(std::move(*elems));
  }
  std::vector<std::vector<Value>> acc{{}};
  for (const auto& s : sets) {
    std::vector<std::vector<Value>> next;
    for (const auto& prefix : acc) {
      for (const auto& e : s) {
        auto p = prefix;
        p.push_back(e);
        next.push_back(std::move(p));
      }
    }
    acc = std::move(next);
    if (acc.size() > 1024 * 1024) return c.Error("the product has too many elements");
  }
  std::vector<Value> out;
  for (auto& row : acc) out.push_back(ListOrTuple(std::move(row)));
  if (all_sets) {
    if (auto s = MakeSet(out)) return s;
  }
  return ListOrTuple(std::move(out));
}

std::optional<Value> Slice(FunctionCall& c) {
  auto elems = c.Sequence(0);
  auto start = elems ? c.Int(1) : std::nullopt;
  auto end = start ? c.Int(2) : std::nullopt;
  if (!elems || !start || !end) return std::nullopt;
  if (c.arg(0).kind() == ValueKind::kSet)
    return c.ArgError(0, "cannot slice a set; use `tolist` first");
  auto n = static_cast<int64_t>(elems->size());
  if (*start < 0 || *start > n)
    return c.ArgError(1, fmt::format("start index {} is out of range", *start));
  if (*end < *start || *end > n)
    return c.ArgError(2, fmt::format("end index {} is out of range", *end));
  return SameKind(c.arg(0), {elems->begin() + *start, elems->begin() + *end});
}

std::optional<Value> Sort(FunctionCall& c) {
  auto elems = c.Sequence(0);
  if (!elems) return std::nullopt;
  std::vector<Value> strs;
  for (size_t i = 0; i < elems->size(); ++i) {
    const Value& e = (*elems)[i];
    auto s = e.IsNull() ? std::nullopt : Convert(e, Type::String());
    if (!s)
      return c.ArgError(0, fmt::format("element {} is {}; sort needs strings", i, Describe(e)));
    strs.push_back(s->WithRange(e.range()));
  }
  std::stable_sort(strs.begin(), strs.end(),
                   [](const Value& a, const Value& b) { return a.AsString() < b.AsString(); });
  return Value::List(std::move(strs), Type::String());
}

std::optional<Value> ZipMap(FunctionCall& c) {
  auto keys = c.Sequence(0);
  auto vals = keys ? c.Sequence(1) : std::nullopt;
  if (!keys || !vals) return std::nullopt;
  if (keys->size() != vals->size()) {
    return c.Error(fmt::format("the keys ({}) and values ({}) have different lengths", keys->size(),
                               vals->size()));
  }
  std::vector<Value::Member> out;
  for (size_t i = 0; i < keys->size(); ++i) {
    auto k = (*keys)[i].IsNull() ? std::nullopt : Convert((*keys)[i], Type::String());
    if (!k) return c.ArgError(0, fmt::format("element {} is not a string", i));
    out.emplace_back(k->AsString(), (*vals)[i]);
  }
  if (c.arg(1).kind() == ValueKind::kList && !out.empty()) {
    return Value::Map(std::move(out), c.arg(1).type().element());
  }
  return Value::Object(std::move(out));
}

// ---- conversion ----

std::optional<Value> ConvertArg(FunctionCall& c, const Type& t) {
  ConversionError err;
  auto v = Convert(c.arg(0), t, &err);
  if (!v)
    return c.ArgError(0, fmt::format("cannot convert {} to {}: {}", c.arg(0).ToString(),
                                     t.FriendlyName(), err.message));
  return v;
}

std::optional<Value> ToString(FunctionCall& c) { return ConvertArg(c, Type::String()); }
std::optional<Value> ToNumber(FunctionCall& c) { return ConvertArg(c, Type::Number()); }
std::optional<Value> ToBool(FunctionCall& c) { return ConvertArg(c, Type::Bool()); }
std::optional<Value> ToList(FunctionCall& c) { return ConvertArg(c, Type::List(Type::Dynamic())); }
std::optional<Value> ToSet(FunctionCall& c) { return ConvertArg(c, Type::Set(Type::Dynamic())); }
std::optional<Value> ToMap(FunctionCall& c) { return ConvertArg(c, Type::Map(Type::Dynamic())); }

constexpr FunctionDef kCollection[] = {
    {"chunklist", 2, 2, ChunkList},
    {"coalesce", 1, -1, Coalesce},
    {"coalescelist", 1, -1, CoalesceList},
    {"compact", 1, 1, Compact},
    {"concat", 1, -1, Concat},
    {"contains", 2, 2, ContainsFn},
    {"distinct", 1, 1, Distinct},
    {"element", 2, 2, Element},
    {"flatten", 1, 1, Flatten},
    {"index", 2, 2, IndexFn},
    {"keys", 1, 1, Keys},
    {"length", 1, 1, Length},
    {"lookup", 2, 3, Lookup},
    {"merge", 0, -1, Merge},
    {"range", 1, 3, Range},
    {"reverse", 1, 1, Reverse},
    {"setintersection", 1, -1, SetIntersection},
    {"setproduct", 1, -1, SetProduct},
    {"setsubtract", 2, 2, SetSubtract},
    {"setunion", 1, -1, SetUnion},
    {"slice", 3, 3, Slice},
    {"sort", 1, 1, Sort},
    {"tobool", 1, 1, ToBool},
    {"tolist", 1, 1, ToList},
    {"tomap", 1, 1, ToMap},
    {"tonumber", 1, 1, ToNumber},
    {"toset", 1, 1, ToSet},
    {"tostring", 1, 1, ToString},
    {"values", 1, 1, Values},
    {"zipmap", 2, 2, ZipMap},
};

}  // namespace

std::span<const FunctionDef> CollectionFunctions() { return kCollection; }

}  // namespace drover::eval
