// Numbers, types, values, conversion, unification and JSON (compiler/eval/value.h).
#include "compiler/eval/value.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace drover::eval {
namespace {

TEST(NumberTest, IntegersStayExactAcrossTheInt64Range) {
  Number big = *Number::Parse("9223372036854775807");
  EXPECT_EQ(big.ToString(), "9223372036854775807");
  EXPECT_EQ(big.ToInt64(), INT64_MAX);
  Number over = big.Add(Number::Int(1));
  EXPECT_EQ(over.ToString(), "9223372036854775808");  // continues in uint64
  EXPECT_EQ(*Number::Parse("18446744073709551615")->ToUint64(), UINT64_MAX);
  EXPECT_EQ(Number::Parse("-9223372036854775808")->ToInt64(), INT64_MIN);
}

TEST(NumberTest, OverflowFallsBackToDouble) {
  Number n = Number::Uint(UINT64_MAX).Mul(Number::Int(4));
  EXPECT_FALSE(n.IsInteger());
  EXPECT_NEAR(n.ToDouble(), 7.378697629483821e19, 1e5);
}

TEST(NumberTest, DivisionIsExactWhenItCanBe) {
  EXPECT_EQ(Number::Int(10).Div(Number::Int(5)).ToString(), "2");
  EXPECT_TRUE(Number::Int(10).Div(Number::Int(5)).IsInteger());
  EXPECT_EQ(Number::Int(10).Div(Number::Int(4)).ToString(), "2.5");
  EXPECT_EQ(Number::Int(-7).Mod(Number::Int(3)).ToString(), "-1");
  EXPECT_EQ(Number::Double(7.5).Mod(Number::Int(2)).ToString(), "1.5");
}

TEST(NumberTest, ParsesAndPrintsLikeCty) {
  EXPECT_EQ(Number::Parse("1.5e3")->ToString(), "1500");
  EXPECT_EQ(Number::Parse("0.1")->ToString(), "0.1");
  EXPECT_EQ(Number::Parse("1e20")->ToString(), "100000000000000000000");
  EXPECT_EQ(Number::Parse("-2.50")->ToString(), "-2.5");
  EXPECT_FALSE(Number::Parse("abc"));
  EXPECT_FALSE(Number::Parse("inf"));
  EXPECT_FALSE(Number::Parse(""));
  EXPECT_FALSE(Number::Parse("0x10"));
  EXPECT_EQ(Number::Double(3.0), Number::Int(3));
  EXPECT_LT(Number::Int(2).Compare(Number::Double(2.5)), 0);
}

TEST(TypeTest, PrintsTypeExpressions) {
  Type t =
      Type::Object({{"b", Type::List(Type::String()), false, {}},
                    {"a", Type::Number(), true, std::make_shared<const Value>(Value::Int(1))}});
  EXPECT_EQ(t.ToString(), "object({a = optional(number, 1), b = list(string)})");
  EXPECT_EQ(Type::Tuple({Type::String(), Type::Bool()}).ToString(), "tuple([string, bool])");
  EXPECT_EQ(Type::Map(Type::Dynamic()).FriendlyName(), "map of any");
  EXPECT_TRUE(Type::List(Type::Dynamic()).HasDynamic());
  EXPECT_TRUE(t.HasOptional());
  EXPECT_EQ(Type::List(Type::String()), Type::List(Type::String()));
  EXPECT_NE(Type::List(Type::String()), Type::Set(Type::String()));
}

TEST(ValueTest, MapsAndObjectsAreSortedAndLaterKeysWin) {
  Value o = Value::Object({{"b", Value::Int(1)}, {"a", Value::Int(2)}, {"b", Value::Int(3)}});
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o.members()[0].first, "a");
  EXPECT_EQ(o.Find("b")->ToString(), "3");
  EXPECT_EQ(o.Find("c"), nullptr);
  EXPECT_EQ(o.ToString(), "{ a = 2, b = 3 }");
}

TEST(ValueTest, SetsAreSortedAndDeduplicated) {
  Value s =
      Value::Set({Value::String("b"), Value::String("a"), Value::String("b")}, Type::String());
  EXPECT_EQ(s.ToString(), "[\"a\", \"b\"]");
  EXPECT_EQ(s.type().ToString(), "set(string)");
}

TEST(ValueTest, EqualityIgnoresRangesButNotTypes) {
  Value a = Value::String("x").WithRange({1, 0, 3});
  Value b = Value::String("x");
  EXPECT_TRUE(a.Equals(b));
  EXPECT_FALSE(Value::String("1").Equals(Value::Int(1)));
  EXPECT_FALSE(Value::Tuple({Value::Int(1)}).Equals(Value::List({Value::Int(1)}, Type::Number())));
  EXPECT_TRUE(Value::Null().Equals(Value::Null()));
  EXPECT_FALSE(Value::Unknown(Type::String()).Equals(Value::String("")));
}

TEST(ValueTest, RuntimeMarkIsCarriedAndDetectedDeeply) {
  Value r = Value::String("${node.unique.name}", true);
  EXPECT_TRUE(r.IsRuntime());
  Value t = Value::Tuple({Value::Int(1), Value::Object({{"k", r}})});
  EXPECT_TRUE(t.ContainsRuntime());
  EXPECT_FALSE(Value::Tuple({Value::String("x")}).ContainsRuntime());
  EXPECT_FALSE(r.WithRuntime(false).IsRuntime());
}

TEST(ValueTest, PrintsForMessages) {
  EXPECT_EQ(Value::String("a\"b\n").ToString(), "\"a\\\"b\\n\"");
  EXPECT_EQ(Value::Null().ToString(), "null");
  EXPECT_EQ(Value::Unknown(Type::String()).ToString(), "(unknown string)");
  EXPECT_EQ(Value::Object({{"a-b", Value::Bool(true)}, {"not ident", Value::Int(1)}}).ToString(),
            "{ a-b = true, \"not ident\" = 1 }");
  EXPECT_EQ(Value::Object({}).ToString(), "{}");
}

TEST(ValueTest, JsonRoundTripKeepsIntegersExact) {
  auto j = nlohmann::json::parse(
      R"({"a": [1, 2.5, "x", true, null], "b": {"c": 9223372036854775807}, "u": 18446744073709551615})");
  Value v = Value::FromJson(j);
  EXPECT_EQ(v.type().kind(), Type::Kind::kObject);
  EXPECT_EQ(v.Find("a")->type().kind(), Type::Kind::kTuple);
  EXPECT_EQ(v.Find("b")->Find("c")->AsNumber().ToInt64(), INT64_MAX);
  EXPECT_EQ(v.ToJson(), j);
  EXPECT_EQ(Value::Unknown().ToJson(), nullptr);
  EXPECT_EQ(Value::Set({Value::Int(2), Value::Int(1)}, Type::Number()).ToJson().dump(), "[1,2]");
}

// ---- conversion ----

std::string Conv(const Value& v, const Type& t) {
  ConversionError err;
  auto r = Convert(v, t, &err);
  if (!r) return "ERROR: " + err.message;
  return r->type().ToString() + " " + r->ToString();
}

TEST(ConvertTest, Primitives) {
  EXPECT_EQ(Conv(Value::Int(5), Type::String()), "string \"5\"");
  EXPECT_EQ(Conv(Value::Double(1.5), Type::String()), "string \"1.5\"");
  EXPECT_EQ(Conv(Value::Bool(true), Type::String()), "string \"true\"");
  EXPECT_EQ(Conv(Value::String("42"), Type::Number()), "number 42");
  EXPECT_EQ(Conv(Value::String("false"), Type::Bool()), "bool false");
  EXPECT_EQ(Conv(Value::String("x"), Type::Number()), "ERROR: a number is required");
  EXPECT_EQ(Conv(Value::String("yes"), Type::Bool()), "ERROR: a bool is required");
  EXPECT_EQ(Conv(Value::Int(1), Type::Bool()), "ERROR: a bool is required");
  EXPECT_EQ(Conv(Value::Tuple({}), Type::String()), "ERROR: a string is required");
}

TEST(ConvertTest, NullAndUnknownConvertToAnyType) {
  EXPECT_EQ(Conv(Value::Null(), Type::Number()), "number null");
  auto u = Convert(Value::Unknown(), Type::String());
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->IsUnknown());
  EXPECT_EQ(u->type(), Type::String());
}

TEST(ConvertTest, TupleToListUnifiesElements) {
  Value t = Value::Tuple({Value::String("a"), Value::Int(1)});
  EXPECT_EQ(Conv(t, Type::List(Type::Dynamic())), "list(string) [\"a\", \"1\"]");
  EXPECT_EQ(Conv(t, Type::List(Type::Number())), "ERROR: element 0: a number is required");
  EXPECT_EQ(Conv(Value::Tuple({Value::Int(1), Value::Bool(true)}), Type::List(Type::Dynamic())),
            "ERROR: all elements must have the same type");
  EXPECT_EQ(
      Conv(Value::Tuple({Value::Int(2), Value::Int(1), Value::Int(2)}), Type::Set(Type::Number())),
      "set(number) [1, 2]");
}

TEST(ConvertTest, ObjectToMapAndToObjectWithOptional) {
  Value o = Value::Object({{"a", Value::Int(1)}, {"b", Value::String("x")}});
  EXPECT_EQ(Conv(o, Type::Map(Type::String())), "map(string) { a = \"1\", b = \"x\" }");
  EXPECT_EQ(Conv(o, Type::Map(Type::Number())), "ERROR: element \"b\": a number is required");
  Type t = Type::Object({{"a", Type::String(), false, {}},
                         {"c", Type::Number(), true, std::make_shared<const Value>(Value::Int(7))},
                         {"d", Type::Bool(), true, {}}});
  EXPECT_EQ(Conv(o, t),
            "object({a = string, c = number, d = bool}) { a = \"1\", c = 7, d = null }");
  EXPECT_EQ(Conv(Value::Object({{"c", Value::Int(1)}}), t), "ERROR: attribute \"a\" is required");
}

TEST(ConvertTest, TupleTypeNeedsMatchingLength) {
  Type t = Type::Tuple({Type::String(), Type::Number()});
  EXPECT_EQ(Conv(Value::Tuple({Value::Int(1), Value::String("2")}), t),
            "tuple([string, number]) [\"1\", 2]");
  EXPECT_EQ(Conv(Value::Tuple({Value::Int(1)}), t),
            "ERROR: tuple required with exactly 2 elements");
}

TEST(ConvertTest, ErrorPointsAtTheInnermostElement) {
  SourceRange r{1, 10, 14};
  Value t = Value::Tuple({Value::String("http"), Value::Tuple({}).WithRange(r)});
  ConversionError err;
  EXPECT_FALSE(Convert(t, Type::List(Type::String()), &err));
  EXPECT_EQ(err.range, r);
}

TEST(UnifyTest, FollowsCtyRules) {
  auto u = [](std::vector<Type> ts) {
    auto r = UnifyTypes(ts);
    return r ? r->ToString() : "none";
  };
  EXPECT_EQ(u({Type::String(), Type::Number()}), "string");
  EXPECT_EQ(u({Type::Number(), Type::Bool()}), "none");
  EXPECT_EQ(u({Type::Number(), Type::Dynamic()}), "number");
  EXPECT_EQ(u({Type::Object({{"a", Type::Number(), false, {}}}),
               Type::Object({{"b", Type::String(), false, {}}})}),
            "map(string)");
  EXPECT_EQ(u({Type::Tuple({Type::String()}), Type::Tuple({Type::String(), Type::String()})}),
            "list(string)");
  EXPECT_EQ(u({Type::List(Type::String()), Type::Tuple({Type::Number()})}), "list(string)");
}

}  // namespace
}  // namespace drover::eval
