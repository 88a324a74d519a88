// Numbers, types and values (value.h). Conversion and unification live in convert.cpp.
#include "compiler/eval/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/base/check.h"
#include "compiler/eval/string_codec.h"

namespace drover::eval {

// ---- Number
// --------------------------------------------------------------------------------------

namespace {

using Int128 = __int128;

constexpr Int128 kInt64Min = std::numeric_limits<int64_t>::min();
constexpr Int128 kInt64Max = std::numeric_limits<int64_t>::max();
constexpr Int128 kUint64Max = std::numeric_limits<uint64_t>::max();

}  // namespace

Number Number::Int(int64_t v) {
  Number n;
  n.rep_ = Rep::kInt;
  n.i_ = v;
  return n;
}

Number Number::Uint(uint64_t v) {
  if (v <= static_cast<uint64_t>(kInt64Max)) return Int(static_cast<int64_t>(v));
  Number n;
  n.rep_ = Rep::kUint;
  n.u_ = v;
  return n;
}

Number Number::Double(double v) {
  // -2^63 <= v < 2^63 converts exactly when integral.
  if (std::isfinite(v) && v == std::trunc(v) && v >= -9223372036854775808.0 &&
      v < 9223372036854775808.0) {
    return Int(static_cast<int64_t>(v));
  }
  Number n;
  n.rep_ = Rep::kDouble;
  n.d_ = v;
  return n;
}

namespace {

Number FromInt128(Int128 v) {
  if (v >= kInt64Min && v <= kInt64Max) return Number::Int(static_cast<int64_t>(v));
  if (v > 0 && v <= kUint64Max) return Number::Uint(static_cast<uint64_t>(v));
  return Number::Double(static_cast<double>(v));
}

}  // namespace

std::optional<Number> Number::Parse(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  bool is_integer = text.find_first_of(".eE") == std::string_view::npos;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (is_integer) {
    if (text[0] == '-') {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(first, last, v);
      if (ec == std::errc() && p == last) return Int(v);
    } else {
      uint64_t v = 0;
      auto [p, ec] = std::from_chars(first, last, v);
      if (ec == std::errc() && p == last) return Uint(v);
    }
  }
  // Reject what from_chars would accept but HCL would not ("inf", "nan", hex).
  for (char c : text) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
          c == '-' || c == '+')) {
      return std::nullopt;
    }
  }
  double d = 0;
  auto [p, ec] = std::from_chars(first, last, d);
  if (p != last) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    d = text[0] == '-' ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return Double(d);
}

bool Number::IsIntegral() const {
  return rep_ != Rep::kDouble || (std::isfinite(d_) && d_ == std::trunc(d_));
}

std::optional<int64_t> Number::ToInt64() const {
  if (rep_ == Rep::kInt) return i_;
  return std::nullopt;  // uint is above int64; doubles in range were normalized to kInt
}

std::optional<uint64_t> Number::ToUint64() const {
  if (rep_ == Rep::kInt && i_ >= 0) return static_cast<uint64_t>(i_);
  if (rep_ == Rep::kUint) return u_;
  if (rep_ == Rep::kDouble && IsIntegral() && d_ >= 0 && d_ < 18446744073709551616.0) {
    return static_cast<uint64_t>(d_);
  }
  return std::nullopt;
}

double Number::ToDouble() const {
  switch (rep_) {
    case Rep::kInt:
      return static_cast<double>(i_);
    case Rep::kUint:
      return static_cast<double>(u_);
    case Rep::kDouble:
      return d_;
  }
  return 0;
}

bool Number::IsNaN() const { return rep_ == Rep::kDouble && std::isnan(d_); }
bool Number::IsInfinite() const { return rep_ == Rep::kDouble && std::isinf(d_); }
bool Number::IsZero() const { return rep_ == Rep::kInt ? i_ == 0 : ToDouble() == 0; }

std::string Number::ToString() const {
  switch (rep_) {
    case Rep::kInt:
      return std::to_string(i_);
    case Rep::kUint:
      return std::to_string(u_);
    case Rep::kDouble:
      break;
  }
  if (std::isnan(d_)) return "NaN";
  if (std::isinf(d_)) return d_ > 0 ? "+Inf" : "-Inf";
  // Shortest round-trip digits in fixed notation, as cty's big.Float Text('f', -1).
  char buf[512];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d_, std::chars_format::fixed);
  if (ec != std::errc()) return fmt::format("{}", d_);
  return std::string(buf, p);
}

int Number::Compare(const Number& o) const {
  if (rep_ != Rep::kDouble && o.rep_ != Rep::kDouble) {
    Int128 a = rep_ == Rep::kInt ? Int128(i_) : Int128(u_);
    Int128 b = o.rep_ == Rep::kInt ? Int128(o.i_) : Int128(o.u_);
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  bool an = IsNaN(), bn = o.IsNaN();
  if (an || bn) return an == bn ? 0 : (an ? 1 : -1);
  auto as_ld = [](const Number& n) -> long double {
    switch (n.rep_) {
      case Rep::kInt:
        return static_cast<long double>(n.i_);
      case Rep::kUint:
        return static_cast<long double>(n.u_);
      case Rep::kDouble:
        return static_cast<long double>(n.d_);
    }
    return 0;
  };
  long double a = as_ld(*this), b = as_ld(o);
  return a < b ? -1 : (a > b ? 1 : 0);
}

namespace {

bool BothInteger(const Number& a, const Number& b) { return a.IsInteger() && b.IsInteger(); }

Int128 AsInt128(const Number& n) {
  if (auto i = n.ToInt64()) return *i;
  return static_cast<Int128>(*n.ToUint64());
}

}  // namespace

Number Number::Add(const Number& o) const {
  if (BothInteger(*this, o)) return FromInt128(AsInt128(*this) + AsInt128(o));
  return Double(ToDouble() + o.ToDouble());
}

Number Number::Sub(const Number& o) const {
  if (BothInteger(*this, o)) return FromInt128(AsInt128(*this) - AsInt128(o));
  return Double(ToDouble() - o.ToDouble());
}

Number Number::Mul(const Number& o) const {
  if (BothInteger(*this, o)) {
    Int128 r;
    if (!__builtin_mul_overflow(AsInt128(*this), AsInt128(o), &r)) return FromInt128(r);
  }
  return Double(ToDouble() * o.ToDouble());
}

Number Number::Div(const Number& o) const {
  DROVER_CHECK(!o.IsZero(), "division by zero must be diagnosed by the caller");
  if (BothInteger(*this, o)) {
    Int128 a = AsInt128(*this), b = AsInt128(o);
    if (a % b == 0) return FromInt128(a / b);
  }
  return Double(ToDouble() / o.ToDouble());
}

Number Number::Mod(const Number& o) const {
  DROVER_CHECK(!o.IsZero(), "modulo by zero must be diagnosed by the caller");
  if (BothInteger(*this, o)) return FromInt128(AsInt128(*this) % AsInt128(o));
  return Double(std::fmod(ToDouble(), o.ToDouble()));
}

Number Number::Neg() const {
  if (IsInteger()) return FromInt128(-AsInt128(*this));
  return Double(-d_);
}

// ---- Type
// ----------------------------------------------------------------------------------------

struct Type::Data {
  Kind kind;
  Type element;
  std::vector<ObjectAttribute> attributes;
  std::vector<Type> elements;
};

Type::Type() = default;

Type Type::String() {
  static const auto* d =
      new std::shared_ptr<const Data>(std::make_shared<Data>(Data{Kind::kString, {}, {}, {}}));
  return Type(*d);
}
Type Type::Number() {
  static const auto* d =
      new std::shared_ptr<const Data>(std::make_shared<Data>(Data{Kind::kNumber, {}, {}, {}}));
  return Type(*d);
}
Type Type::Bool() {
  static const auto* d =
      new std::shared_ptr<const Data>(std::make_shared<Data>(Data{Kind::kBool, {}, {}, {}}));
  return Type(*d);
}
Type Type::List(Type element) {
  return Type(std::make_shared<Data>(Data{Kind::kList, std::move(element), {}, {}}));
}
Type Type::Set(Type element) {
  return Type(std::make_shared<Data>(Data{Kind::kSet, std::move(element), {}, {}}));
}
Type Type::Map(Type element) {
  return Type(std::make_shared<Data>(Data{Kind::kMap, std::move(element), {}, {}}));
}
Type Type::Object(std::vector<ObjectAttribute> attributes) {
  std::stable_sort(
      attributes.begin(), attributes.end(),
      [](const ObjectAttribute& a, const ObjectAttribute& b) { return a.name < b.name; });
  return Type(std::make_shared<Data>(Data{Kind::kObject, {}, std::move(attributes), {}}));
}
Type Type::Tuple(std::vector<Type> elements) {
  return Type(std::make_shared<Data>(Data{Kind::kTuple, {}, {}, std::move(elements)}));
}

Type::Kind Type::kind() const { return data_ ? data_->kind : Kind::kDynamic; }

bool Type::IsPrimitive() const {
  Kind k = kind();
  return k == Kind::kString || k == Kind::kNumber || k == Kind::kBool;
}
bool Type::IsCollection() const {
  Kind k = kind();
  return k == Kind::kList || k == Kind::kSet || k == Kind::kMap;
}
bool Type::IsStructural() const {
  Kind k = kind();
  return k == Kind::kObject || k == Kind::kTuple;
}

const Type& Type::element() const {
  DROVER_CHECK(IsCollection(), "element() of a non-collection type");
  return data_->element;
}

std::span<const ObjectAttribute> Type::attributes() const {
  DROVER_CHECK(kind() == Kind::kObject, "attributes() of a non-object type");
  return data_->attributes;
}

const ObjectAttribute* Type::FindAttribute(std::string_view name) const {
  if (kind() != Kind::kObject) return nullptr;
  for (const auto& a : data_->attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::span<const Type> Type::elements() const {
  DROVER_CHECK(kind() == Kind::kTuple, "elements() of a non-tuple type");
  return data_->elements;
}

bool Type::HasDynamic() const {
  switch (kind()) {
    case Kind::kDynamic:
      return true;
    case Kind::kList:
    case Kind::kSet:
    case Kind::kMap:
      return element().HasDynamic();
    case Kind::kObject:
      return std::any_of(data_->attributes.begin(), data_->attributes.end(),
                         [](const ObjectAttribute& a) { return a.type.HasDynamic(); });
    case Kind::kTuple:
      return std::any_of(data_->elements.begin(), data_->elements.end(),
                         [](const Type& t) { return t.HasDynamic(); });
    default:
      return false;
  }
}

bool Type::HasOptional() const {
  switch (kind()) {
    case Kind::kList:
    case Kind::kSet:
    case Kind::kMap:
      return element().HasOptional();
    case Kind::kObject:
      return std::any_of(
          data_->attributes.begin(), data_->attributes.end(),
          [](const ObjectAttribute& a) { return a.optional || a.type.HasOptional(); });
    case Kind::kTuple:
      return std::any_of(data_->elements.begin(), data_->elements.end(),
                         [](const Type& t) { return t.HasOptional(); });
    default:
      return false;
  }
}

std::string Type::ToString() const {
  switch (kind()) {
    case Kind::kDynamic:
      return "any";
    case Kind::kString:
      return "string";
    case Kind::kNumber:
      return "number";
    case Kind::kBool:
      return "bool";
    case Kind::kList:
      return "list(" + element().ToString() + ")";
    case Kind::kSet:
      return "set(" + element().ToString() + ")";
    case Kind::kMap:
      return "map(" + element().ToString() + ")";
    case Kind::kObject: {
      std::string out = "object({";
      bool first = true;
      for (const auto& a : data_->attributes) {
        if (!first) out += ", ";
        first = false;
        out += a.name + " = ";
        if (a.optional) {
          out += "optional(" + a.type.ToString();
          if (a.default_value) out += ", " + a.default_value->ToString();
          out += ")";
        } else {
          out += a.type.ToString();
        }
      }
      return out + "})";
    }
    case Kind::kTuple: {
      std::string out = "tuple([";
      bool first = true;
      for (const auto& t : data_->elements) {
        if (!first) out += ", ";
        first = false;
        out += t.ToString();
      }
      return out + "])";
    }
  }
  return "?";
}

std::string Type::FriendlyName() const {
  switch (kind()) {
    case Kind::kDynamic:
      return "any";
    case Kind::kList:
      return "list of " + element().FriendlyName();
    case Kind::kSet:
      return "set of " + element().FriendlyName();
    case Kind::kMap:
      return "map of " + element().FriendlyName();
    case Kind::kObject:
      return "object";
    case Kind::kTuple:
      return "tuple";
    default:
      return ToString();
  }
}

bool Type::operator==(const Type& o) const {
  if (data_ == o.data_) return true;
  if (kind() != o.kind()) return false;
  switch (kind()) {
    case Kind::kDynamic:
    case Kind::kString:
    case Kind::kNumber:
    case Kind::kBool:
      return true;
    case Kind::kList:
    case Kind::kSet:
    case Kind::kMap:
      return element() == o.element();
    case Kind::kObject: {
      const auto& a = data_->attributes;
      const auto& b = o.data_->attributes;
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].name != b[i].name || a[i].optional != b[i].optional || a[i].type != b[i].type) {
          return false;
        }
      }
      return true;
    }
    case Kind::kTuple:
      return data_->elements == o.data_->elements;
  }
  return false;
}

// ---- Value
// ---------------------------------------------------------------------------------------

struct Value::Data {
  ValueKind kind = ValueKind::kNull;
  Type type;
  bool b = false;
  bool runtime = false;
  eval::Number n;
  std::string s;
  std::vector<Value> elems;
  std::vector<Member> members;
};

Value::Value() {
  // Every default-constructed value shares one immutable null.
  static const auto* null_any = new std::shared_ptr<const Data>(std::make_shared<Data>());
  data_ = *null_any;
}

Value Value::Null(Type type) {
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kNull;
  d->type = std::move(type);
  return Value(std::move(d));
}

Value Value::Unknown(Type type) {
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kUnknown;
  d->type = std::move(type);
  return Value(std::move(d));
}

Value Value::Bool(bool b) {
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kBool;
  d->type = Type::Bool();
  d->b = b;
  return Value(std::move(d));
}

Value Value::Num(eval::Number n) {
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kNumber;
  d->type = Type::Number();
  d->n = n;
  return Value(std::move(d));
}

Value Value::String(std::string s, bool runtime) {
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kString;
  d->type = Type::String();
  d->s = std::move(s);
  d->runtime = runtime;
  return Value(std::move(d));
}

Value Value::List(std::vector<Value> elements, Type element) {
  if (element.IsDynamic() && !elements.empty()) element = elements[0].type();
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kList;
  d->type = Type::List(std::move(element));
  d->elems = std::move(elements);
  return Value(std::move(d));
}

Value Value::Set(std::vector<Value> elements, Type element) {
  if (element.IsDynamic() && !elements.empty()) element = elements[0].type();
  std::stable_sort(elements.begin(), elements.end(),
                   [](const Value& a, const Value& b) { return Compare(a, b) < 0; });
  elements.erase(std::unique(elements.begin(), elements.end(),
                             [](const Value& a, const Value& b) { return Compare(a, b) == 0; }),
                 elements.end());
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kSet;
  d->type = Type::Set(std::move(element));
  d->elems = std::move(elements);
  return Value(std::move(d));
}

Value Value::Tuple(std::vector<Value> elements) {
  std::vector<Type> types;
  types.reserve(elements.size());
  for (const auto& e : elements) types.push_back(e.type());
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kTuple;
  d->type = Type::Tuple(std::move(types));
  d->elems = std::move(elements);
  return Value(std::move(d));
}

namespace {

void SortMembers(std::vector<Value::Member>& members) {
  // Stable sort, then keep the last of equal keys.
  std::stable_sort(
      members.begin(), members.end(),
      [](const Value::Member& a, const Value::Member& b) { return a.first < b.first; });
  std::vector<Value::Member> out;
  out.reserve(members.size());
  for (auto& m : members) {
    if (!out.empty() && out.back().first == m.first) {
      out.back() = std::move(m);
    } else {
      out.push_back(std::move(m));
    }
  }
  members = std::move(out);
}

}  // namespace

Value Value::Map(std::vector<Member> members, Type element) {
  SortMembers(members);
  if (element.IsDynamic() && !members.empty()) element = members[0].second.type();
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kMap;
  d->type = Type::Map(std::move(element));
  d->members = std::move(members);
  return Value(std::move(d));
}

Value Value::Object(std::vector<Member> members) {
  SortMembers(members);
  std::vector<ObjectAttribute> attrs;
  attrs.reserve(members.size());
  for (const auto& m : members)
    attrs.push_back(ObjectAttribute{m.first, m.second.type(), false, {}});
  auto d = std::make_shared<Data>();
  d->kind = ValueKind::kObject;
  d->type = Type::Object(std::move(attrs));
  d->members = std::move(members);
  return Value(std::move(d));
}

ValueKind Value::kind() const { return data_->kind; }
const Type& Value::type() const { return data_->type; }

bool Value::IsWhollyKnown() const {
  if (IsUnknown()) return false;
  for (const auto& e : data_->elems) {
    if (!e.IsWhollyKnown()) return false;
  }
  for (const auto& m : data_->members) {
    if (!m.second.IsWhollyKnown()) return false;
  }
  return true;
}

bool Value::IsSequence() const {
  ValueKind k = kind();
  return k == ValueKind::kList || k == ValueKind::kSet || k == ValueKind::kTuple;
}

bool Value::IsMapping() const {
  ValueKind k = kind();
  return k == ValueKind::kMap || k == ValueKind::kObject;
}

bool Value::AsBool() const {
  DROVER_CHECK(kind() == ValueKind::kBool, "AsBool() of a non-bool");
  return data_->b;
}

const Number& Value::AsNumber() const {
  DROVER_CHECK(kind() == ValueKind::kNumber, "AsNumber() of a non-number");
  return data_->n;
}

const std::string& Value::AsString() const {
  DROVER_CHECK(kind() == ValueKind::kString, "AsString() of a non-string");
  return data_->s;
}

bool Value::IsRuntime() const { return kind() == ValueKind::kString && data_->runtime; }

bool Value::ContainsRuntime() const {
  if (IsRuntime()) return true;
  for (const auto& e : data_->elems) {
    if (e.ContainsRuntime()) return true;
  }
  for (const auto& m : data_->members) {
    if (m.second.ContainsRuntime()) return true;
  }
  return false;
}

size_t Value::size() const {
  DROVER_CHECK(IsSequence() || IsMapping(), "size() of a non-collection");
  return IsSequence() ? data_->elems.size() : data_->members.size();
}

std::span<const Value> Value::elements() const {
  DROVER_CHECK(IsSequence(), "elements() of a non-sequence");
  return data_->elems;
}

std::span<const Value::Member> Value::members() const {
  DROVER_CHECK(IsMapping(), "members() of a non-mapping");
  return data_->members;
}

const Value* Value::Find(std::string_view key) const {
  DROVER_CHECK(IsMapping(), "Find() of a non-mapping");
  const auto& m = data_->members;
  auto it = std::lower_bound(m.begin(), m.end(), key,
                             [](const Member& a, std::string_view k) { return a.first < k; });
  if (it == m.end() || it->first != key) return nullptr;
  return &it->second;
}

Value Value::WithRange(SourceRange range) const {
  Value v = *this;
  v.range_ = range;
  return v;
}

Value Value::WithRuntime(bool runtime) const {
  if (kind() != ValueKind::kString || data_->runtime == runtime) return *this;
  Value v = String(data_->s, runtime);
  v.range_ = range_;
  return v;
}

namespace {

int KindRank(ValueKind k) { return static_cast<int>(k); }

}  // namespace

int Value::Compare(const Value& a, const Value& b) {
  if (a.data_ == b.data_) return 0;
  if (a.kind() != b.kind()) return KindRank(a.kind()) < KindRank(b.kind()) ? -1 : 1;
  int c = 0;
  switch (a.kind()) {
    case ValueKind::kNull:
    case ValueKind::kUnknown:
      break;
    case ValueKind::kBool:
      c = a.data_->b == b.data_->b ? 0 : (a.data_->b ? 1 : -1);
      break;
    case ValueKind::kNumber:
      c = a.data_->n.Compare(b.data_->n);
      break;
    case ValueKind::kString:
      c = a.data_->s.compare(b.data_->s);
      c = c < 0 ? -1 : (c > 0 ? 1 : 0);
      break;
    case ValueKind::kList:
    case ValueKind::kSet:
    case ValueKind::kTuple: {
      const auto& x = a.data_->elems;
      const auto& y = b.data_->elems;
      for (size_t i = 0; i < x.size() && i < y.size() && c == 0; ++i) c = Compare(x[i], y[i]);
      if (c == 0 && x.size() != y.size()) c = x.size() < y.size() ? -1 : 1;
      break;
    }
    case ValueKind::kMap:
    case ValueKind::kObject: {
      const auto& x = a.data_->members;
      const auto& y = b.data_->members;
      for (size_t i = 0; i < x.size() && i < y.size() && c == 0; ++i) {
        int k = x[i].first.compare(y[i].first);
        c = k < 0 ? -1 : (k > 0 ? 1 : 0);
        if (c == 0) c = Compare(x[i].second, y[i].second);
      }
      if (c == 0 && x.size() != y.size()) c = x.size() < y.size() ? -1 : 1;
      break;
    }
  }
  if (c != 0) return c;
  if (a.type() == b.type()) return 0;
  int t = a.type().ToString().compare(b.type().ToString());
  return t < 0 ? -1 : (t > 0 ? 1 : 0);
}

bool Value::Equals(const Value& other) const { return Compare(*this, other) == 0; }

namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; };
  if (!start(static_cast<unsigned char>(s[0]))) return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (!(start(c) || std::isdigit(c) || c == '-')) return false;
  }
  return true;
}

}  // namespace

std::string Value::ToString() const {
  switch (kind()) {
    case ValueKind::kNull:
      return "null";
    case ValueKind::kUnknown:
      return "(unknown " + type().FriendlyName() + ")";
    case ValueKind::kBool:
      return data_->b ? "true" : "false";
    case ValueKind::kNumber:
      return data_->n.ToString();
    case ValueKind::kString:
      return Quoted(data_->s, QuoteStyle::kHcl);
    case ValueKind::kList:
    case ValueKind::kSet:
    case ValueKind::kTuple: {
      std::string out = "[";
      for (size_t i = 0; i < data_->elems.size(); ++i) {
        if (i > 0) out += ", ";
        out += data_->elems[i].ToString();
      }
      return out + "]";
    }
    case ValueKind::kMap:
    case ValueKind::kObject: {
      if (data_->members.empty()) return "{}";
      std::string out = "{ ";
      for (size_t i = 0; i < data_->members.size(); ++i) {
        if (i > 0) out += ", ";
        const auto& [k, v] = data_->members[i];
        out += (IsIdentifier(k) ? k : Quoted(k, QuoteStyle::kHcl)) + " = " + v.ToString();
      }
      return out + " }";
    }
  }
  return "?";
}

nlohmann::json Value::ToJson() const {
  switch (kind()) {
    case ValueKind::kNull:
    case ValueKind::kUnknown:
      return nullptr;
    case ValueKind::kBool:
      return data_->b;
    case ValueKind::kNumber: {
      const auto& n = data_->n;
      if (auto i = n.ToInt64()) return *i;
      if (auto u = n.ToUint64(); u && n.IsInteger()) return *u;
      return n.ToDouble();
    }
    case ValueKind::kString:
      return data_->s;
    case ValueKind::kList:
    case ValueKind::kSet:
    case ValueKind::kTuple: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& e : data_->elems) arr.push_back(e.ToJson());
      return arr;
    }
    case ValueKind::kMap:
    case ValueKind::kObject: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& [k, v] : data_->members) obj[k] = v.ToJson();
      return obj;
    }
  }
  return nullptr;
}

Value Value::FromJson(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return Null();
    case nlohmann::json::value_t::boolean:
      return Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Int(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return Num(Number::Uint(j.get<uint64_t>()));
    case nlohmann::json::value_t::number_float:
      return Double(j.get<double>());
    case nlohmann::json::value_t::string:
      return String(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      std::vector<Value> elems;
      for (const auto& e : j) elems.push_back(FromJson(e));
      return Tuple(std::move(elems));
    }
    case nlohmann::json::value_t::object: {
      std::vector<Member> members;
      for (auto it = j.begin(); it != j.end(); ++it) members.emplace_back(it.key(), FromJson(*it));
      return Object(std::move(members));
    }
    case nlohmann::json::value_t::binary:
      return Null();
  }
  return Null();
}

}  // namespace drover::eval
