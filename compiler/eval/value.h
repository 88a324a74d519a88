// HCL values and types, after go-cty: the results of evaluating expressions.
//
// A Type is one of string, number, bool, list(T), set(T), map(T), object({k = T}), tuple([T...])
// or `any` (cty's DynamicPseudoType). Object types used as variable constraints may mark
// attributes optional(T[, default]).
//
// A Value has a type and is null, unknown, or known. Values are immutable and cheap to copy: a
// Value is a shared pointer to immutable storage plus the SourceRange of the expression that
// produced it (elements of tuple/object constructors keep their own ranges, so a decoder can
// point at `ports = ["http", 1]`'s second element). Ranges never take part in equality.
//
// Numbers: HCL's numbers are arbitrary-precision decimals. drover keeps integers exact in the
// int64 range (and the uint64 range above it) and falls back to IEEE double for everything else;
// integer arithmetic that overflows continues in double. See compiler/eval/README.md.
//
// Maps and objects keep their members sorted by key (cty's iteration order); sets keep their
// elements sorted by a deterministic total order and free of duplicates.
//
// Strings may carry the *runtime* mark: the string contains `${...}` references (node
// attributes, NOMAD_* variables, ...) that only the client can render. Nomad keeps such
// references as text; the mark tells later stages that the text is a template, not a literal.
// The mark records provenance: `${` text that came from a `$${` escape is not marked.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "compiler/diag/source_manager.h"

namespace drover::eval {

using diag::SourceRange;

class Value;

// ---- numbers
// -------------------------------------------------------------------------------------

/// An HCL number: exact int64/uint64 when integral and in range, else a double.
class Number {
 public:
  Number() = default;
  static Number Int(int64_t v);
  static Number Uint(uint64_t v);
  /// Integral doubles in the int64 range are stored as integers.
  static Number Double(double v);
  /// Parses HCL/JSON number syntax (`12`, `-3`, `1.5e3`); also accepts a leading `+`.
  static std::optional<Number> Parse(std::string_view text);

  bool IsInteger() const { return rep_ != Rep::kDouble; }
  /// True when the number has no fractional part (whatever its representation).
  bool IsIntegral() const;
  /// The value when it is integral and fits int64.
  std::optional<int64_t> ToInt64() const;
  std::optional<uint64_t> ToUint64() const;
  double ToDouble() const;
  bool IsNaN() const;
  bool IsInfinite() const;
  /// Decimal form as cty prints it: integers without exponent, fractions in shortest form.
  std::string ToString() const;

  /// -1, 0, 1. NaN compares equal to nothing but is ordered after everything for determinism.
  int Compare(const Number& other) const;
  bool operator==(const Number& other) const { return Compare(other) == 0; }

  Number Add(const Number& o) const;
  Number Sub(const Number& o) const;
  Number Mul(const Number& o) const;
  /// REQUIRES: o is not zero.
  Number Div(const Number& o) const;
  /// Remainder with the sign of the dividend (cty). REQUIRES: o is not zero.
  Number Mod(const Number& o) const;
  Number Neg() const;
  bool IsZero() const;

 private:
  enum class Rep : uint8_t { kInt, kUint, kDouble };
  Rep rep_ = Rep::kInt;
  int64_t i_ = 0;
  uint64_t u_ = 0;
  double d_ = 0;
};

// ---- types
// ---------------------------------------------------------------------------------------

struct ObjectAttribute;

class Type {
 public:
  enum class Kind : uint8_t {
    kDynamic,
    kString,
    kNumber,
    kBool,
    kList,
    kSet,
    kMap,
    kObject,
    kTuple
  };

  /// `any`.
  Type();
  static Type Dynamic() { return Type(); }
  static Type String();
  static Type Number();
  static Type Bool();
  static Type List(Type element);
  static Type Set(Type element);
  static Type Map(Type element);
  /// Attributes are sorted by name; duplicates are a bug.
  static Type Object(std::vector<ObjectAttribute> attributes);
  static Type Tuple(std::vector<Type> elements);

  Kind kind() const;
  bool IsDynamic() const { return kind() == Kind::kDynamic; }
  bool IsPrimitive() const;
  /// list, set or map.
  bool IsCollection() const;
  /// object or tuple.
  bool IsStructural() const;
  /// REQUIRES: IsCollection().
  const Type& element() const;
  /// REQUIRES: kind() == kObject. Sorted by name.
  std::span<const ObjectAttribute> attributes() const;
  const ObjectAttribute* FindAttribute(std::string_view name) const;
  /// REQUIRES: kind() == kTuple.
  std::span<const Type> elements() const;
  /// True when `any` appears anywhere in the type.
  bool HasDynamic() const;
  /// True when some object attribute in the type is optional.
  bool HasOptional() const;

  /// Type-expression form: `list(string)`, `object({a = number})`, `tuple([string, bool])`.
  std::string ToString() const;
  /// For messages: `string`, `list of string`, `object`, `tuple`.
  std::string FriendlyName() const;

  bool operator==(const Type& other) const;
  bool operator!=(const Type& other) const { return !(*this == other); }

 private:
  struct Data;
  explicit Type(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;  // null means `any`
};

struct ObjectAttribute {
  std::string name;
  Type type;
  bool optional = false;
  /// The default of optional(T, default), already converted to T. Null when none.
  std::shared_ptr<const Value> default_value;
};

// ---- values
// --------------------------------------------------------------------------------------

enum class ValueKind : uint8_t {
  kNull,
  kUnknown,
  kBool,
  kNumber,
  kString,
  kList,
  kSet,
  kTuple,
  kMap,
  kObject,
};

class Value {
 public:
  using Member = std::pair<std::string, Value>;

  /// Null of type `any`.
  Value();
  static Value Null(Type type = Type::Dynamic());
  /// A value whose type is known but whose content is not. In drover an unknown value also
  /// stands for "evaluation failed here and was diagnosed": consumers should skip it silently.
  static Value Unknown(Type type = Type::Dynamic());
  static Value Bool(bool b);
  static Value Num(Number n);
  static Value Int(int64_t i) { return Num(Number::Int(i)); }
  static Value Double(double d) { return Num(Number::Double(d)); }
  /// `runtime`: the string holds `${...}` references the client renders (see file comment).
  static Value String(std::string s, bool runtime = false);
  /// REQUIRES: every element has type `element` (or is null/unknown of it) unless `element` is
  /// `any`, in which case all elements must share one type.
  static Value List(std::vector<Value> elements, Type element);
  /// Sorts and removes duplicates. Same element REQUIRES as List.
  static Value Set(std::vector<Value> elements, Type element);
  static Value Tuple(std::vector<Value> elements);
  /// Sorts by key; a later duplicate key replaces an earlier one.
  static Value Map(std::vector<Member> members, Type element);
  /// Sorts by key; a later duplicate key replaces an earlier one.
  static Value Object(std::vector<Member> members);

  ValueKind kind() const;
  const Type& type() const;
  bool IsNull() const { return kind() == ValueKind::kNull; }
  bool IsUnknown() const { return kind() == ValueKind::kUnknown; }
  bool IsKnown() const { return !IsUnknown(); }
  /// Known, and every nested element known too.
  bool IsWhollyKnown() const;
  /// list, set or tuple.
  bool IsSequence() const;
  /// map or object.
  bool IsMapping() const;

  /// REQUIRES: kind() == kBool.
  bool AsBool() const;
  /// REQUIRES: kind() == kNumber.
  const Number& AsNumber() const;
  /// REQUIRES: kind() == kString.
  const std::string& AsString() const;
  /// A string that holds runtime `${...}` references; false for every other value.
  bool IsRuntime() const;
  /// True when this value or anything nested in it is a runtime string.
  bool ContainsRuntime() const;

  /// Element or member count. REQUIRES: IsSequence() || IsMapping().
  size_t size() const;
  /// REQUIRES: IsSequence().
  std::span<const Value> elements() const;
  /// Sorted by key. REQUIRES: IsMapping().
  std::span<const Member> members() const;
  /// The member named `key`, or null. REQUIRES: IsMapping().
  const Value* Find(std::string_view key) const;

  /// The range of the expression this value came from; invalid when it did not come from source.
  SourceRange range() const { return range_; }
  Value WithRange(SourceRange range) const;
  /// The same value with the runtime mark set or cleared (strings only; others unchanged).
  Value WithRuntime(bool runtime) const;

  /// Deep equality of type and content; ignores ranges and the runtime mark. Unknown values are
  /// equal only to unknown values of the same type (deterministic, unlike cty).
  bool Equals(const Value& other) const;
  /// A total order over values, used for sets and sorting. Ignores ranges.
  static int Compare(const Value& a, const Value& b);

  /// HCL-like text for messages: `"text"`, `42`, `true`, `null`, `["a", 1]`, `{a = 1}`, and
  /// `(unknown string)`.
  std::string ToString() const;

  /// JSON form: null, bool, number (integers stay exact), string, array, object. Unknown values
  /// become null.
  nlohmann::json ToJson() const;
  /// The value a JSON document denotes, typed as cty's jsondecode does (objects are objects,
  /// arrays tuples). Never fails for a parsed json value.
  static Value FromJson(const nlohmann::json& json);

 private:
  struct Data;
  explicit Value(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
  SourceRange range_;
};

// ---- conversion
// ----------------------------------------------------------------------------------

/// Why a conversion failed: a message in cty's words ("a number is required") and the range of
/// the innermost value that could not be converted (when it came from source).
struct ConversionError {
  std::string message;
  SourceRange range;
};

/// Converts `value` to `type` with HCL's rules: number<->string, bool<->string, tuple->list/set,
/// object->map with element unification, list/set/tuple->list/set/tuple element-wise, object
/// attributes to an object type (missing optional attributes get their default or null; extra
/// attributes are dropped for object->object as cty does). On failure returns nothing and fills
/// `error` when given.
std::optional<Value> Convert(const Value& value, const Type& type,
                             ConversionError* error = nullptr);

/// The single type every one of `types` converts to (HCL's unification), or nothing.
std::optional<Type> UnifyTypes(std::span<const Type> types);

/// The type cty infers for a value built from literals, e.g. a tuple of strings.
inline const Type& TypeOf(const Value& v) { return v.type(); }

}  // namespace drover::eval
