// Expression evaluation: operators, templates and directives, traversals, splats, for
// expressions, conditionals, constructors and Nomad's runtime references.
#include <gtest/gtest.h>

#include "tests/compiler/eval/eval_helpers.h"

namespace drover::eval {
namespace {

TEST(OperatorTest, Arithmetic) {
  EXPECT_EQ(Show("1 + 2 * 3"), "7");
  EXPECT_EQ(Show("(1 + 2) * 3"), "9");
  EXPECT_EQ(Show("7 / 2"), "3.5");
  EXPECT_EQ(Show("8 / 2"), "4");
  EXPECT_EQ(Show("7 % 3"), "1");
  EXPECT_EQ(Show("-7 % 3"), "-1");
  EXPECT_EQ(Show("2 - 5"), "-3");
  EXPECT_EQ(Show("-(3)"), "-3");
  EXPECT_EQ(Show("\"5\" + 1"), "6");  // strings convert to numbers
  EXPECT_EQ(Show("9223372036854775807 + 1"), "9223372036854775808");
  EXPECT_EQ(Show("0.1 + 0.2"), "0.30000000000000004");
}

TEST(OperatorTest, ArithmeticErrorsPointAtTheBadOperand) {
  EXPECT_EQ(Show("1 + \"a\""),
            "ERROR E0414: invalid operand for `+`: a number is required, got \"a\" @ \"a\"");
  EXPECT_EQ(Show("[1] * 2"),
            "ERROR E0414: invalid operand for `*`: a number is required, got [1] @ [1]");
  EXPECT_EQ(Show("null - 1"),
            "ERROR E0414: invalid operand for `-`: a number is required, got null @ null");
  EXPECT_EQ(Show("1 / 0"), "ERROR E0414: invalid operand for `/`: cannot divide by zero @ 0");
  EXPECT_EQ(Show("1 % 0"), "ERROR E0414: invalid operand for `%`: cannot divide by zero @ 0");
  EXPECT_EQ(Show("-\"x\""),
            "ERROR E0414: invalid operand for `-`: a number is required, got \"x\" @ \"x\"");
}

TEST(OperatorTest, Comparison) {
  EXPECT_EQ(Show("1 < 2"), "true");
  EXPECT_EQ(Show("2 <= 2"), "true");
  EXPECT_EQ(Show("3 > 4"), "false");
  EXPECT_EQ(Show("3 >= 4"), "false");
  EXPECT_EQ(Show("\"10\" > 9"), "true");
  EXPECT_EQ(Show("\"a\" < 1"),
            "ERROR E0414: invalid operand for `<`: a number is required, got \"a\" @ \"a\"");
}

TEST(OperatorTest, EqualityComparesTypeAndValue) {
  EXPECT_EQ(Show("\"a\" == \"a\""), "true");
  EXPECT_EQ(Show("\"a\" != \"b\""), "true");
  EXPECT_EQ(Show("1 == 1.0"), "true");
  EXPECT_EQ(Show("1 == \"1\""), "false");
  EXPECT_EQ(Show("null == null"), "true");
  EXPECT_EQ(Show("[1, 2] == [1, 2]"), "true");
  EXPECT_EQ(Show("{a = 1} == {a = 2}"), "false");
}

TEST(OperatorTest, Logic) {
  EXPECT_EQ(Show("true && false"), "false");
  EXPECT_EQ(Show("true || false"), "true");
  EXPECT_EQ(Show("!true"), "false");
  EXPECT_EQ(Show("\"true\" && true"), "true");
  EXPECT_EQ(Show("1 && true"),
            "ERROR E0414: invalid operand for `&&`: a bool is required, got 1 @ 1");
  EXPECT_EQ(Show("!1"), "ERROR E0414: invalid operand for `!`: a bool is required, got 1 @ 1");
}

TEST(TemplateTest, Interpolation) {
  EXPECT_EQ(Show("\"a-${1 + 1}-${true}\""), "\"a-2-true\"");
  EXPECT_EQ(Show("\"${[1, 2]}\""), "[1, 2]");  // a lone interpolation is the value itself
  EXPECT_EQ(Show("\"x${[1]}\""),
            "ERROR E0417: invalid template interpolation value: cannot include a tuple in a string "
            "template; a string is required @ [1]");
  EXPECT_EQ(Show("\"x${null}\""),
            "ERROR E0417: invalid template interpolation value: the expression result is null; "
            "cannot include a null value in a string template @ null");
  EXPECT_EQ(Show("\"$${literal} %%{x}\""), "\"${literal} %{x}\"");
}

TEST(TemplateTest, Directives) {
  EXPECT_EQ(Show("\"%{ if true }yes%{ else }no%{ endif }\""), "\"yes\"");
  EXPECT_EQ(Show("\"%{ if 1 > 2 }yes%{ else }no%{ endif }\""), "\"no\"");
  EXPECT_EQ(Show("\"%{ for x in [1, 2, 3] }<${x}>%{ endfor }\""), "\"<1><2><3>\"");
  EXPECT_EQ(Show("\"%{ for k, v in {a = 1, b = 2} }${k}=${v};%{ endfor }\""), "\"a=1;b=2;\"");
  EXPECT_EQ(Show("\"%{ for i, v in [\"x\", \"y\"] }${i}${v} %{~ endfor }\""), "\"0x1y\"");
  EXPECT_EQ(Show("\"%{ if \"x\" }a%{ endif }\""),
            "ERROR E0419: invalid condition: the condition of `%{if}` must be a bool, not string @ "
            "\"x\"");
  EXPECT_EQ(Show("\"%{ for x in 3 }a%{ endfor }\""),
            "ERROR E0418: invalid `for` expression: `%{for}` needs a collection, not number @ 3");
}

TEST(TemplateTest, Heredocs) {
  EXPECT_EQ(Show("<<EOT\nhello ${1 + 1}\nEOT"), "\"hello 2\\n\"");
  EXPECT_EQ(Show("<<-EOT\n    a\n      b\n    EOT"), "\"a\\n  b\\n\"");
}

TEST(RuntimeReferenceTest, UnknownRootsStayAsText) {
  EXPECT_EQ(Show("\"http://${attr.unique.hostname}:8080\""),
            "\"http://${attr.unique.hostname}:8080\"");
  EXPECT_EQ(Show("\"${NOMAD_PORT_http}\""), "\"${NOMAD_PORT_http}\"");
  EXPECT_EQ(Show("\"${node.unique.name}\""), "\"${node.unique.name}\"");
  EXPECT_EQ(Show("\"${meta.rack}\""), "\"${meta.rack}\"");
  EXPECT_EQ(Show("\"${env[\"a.b\"]}\""), "\"${env[\\\"a.b\\\"]}\"");
  EXPECT_EQ(Show("\"${attr.unique.network.ip-address}\""), "\"${attr.unique.network.ip-address}\"");
  EXPECT_EQ(Show("NOMAD_ALLOC_INDEX"), "\"${NOMAD_ALLOC_INDEX}\"");
}

TEST(RuntimeReferenceTest, StringsAreMarkedAndMixWithVariables) {
  EvalFixture f;
  f.scope.Set("var", Value::Object({{"x", Value::String("value")}}));
  Value v = f.Eval("\"${node.unique.name}-${var.x}\"");
  EXPECT_EQ(v.ToString(), "\"${node.unique.name}-value\"");
  EXPECT_TRUE(v.IsRuntime());
  Value plain = f.Eval("\"${var.x}\"");
  EXPECT_FALSE(plain.IsRuntime());
  Value upper = f.Eval("upper(node.class)");
  EXPECT_EQ(upper.ToString(), "\"${NODE.CLASS}\"");
  EXPECT_TRUE(upper.IsRuntime());
  Value list = f.Eval("[\"a\", \"${NOMAD_TASK_DIR}/x\"]");
  EXPECT_TRUE(list.ContainsRuntime());
  EXPECT_TRUE(f.diags.diagnostics().empty()) << f.Errors();
}

TEST(RuntimeReferenceTest, VarAndLocalAreNeverRuntime) {
  EvalFixture f;
  f.scope.Set("var", Value::Object({{"region", Value::String("eu")}}));
  f.Eval("var.regoin");
  EXPECT_EQ(f.OnlyCode(), "E0401");
  EXPECT_EQ(f.PointsAt(), "var.regoin");
  EXPECT_EQ(f.diags.diagnostics()[0].help, "did you mean `var.region`?");
}

TEST(TraversalTest, AttributesAndIndexes) {
  EvalFixture f;
  f.scope.Set("local",
              Value::Object(
                  {{"m", Value::Object({{"a", Value::Tuple({Value::Int(10), Value::Int(20)})}})},
                   {"l", Value::List({Value::String("x"), Value::String("y")}, Type::String())}}));
  EXPECT_EQ(f.Eval("local.m.a[1]").ToString(), "20");
  EXPECT_EQ(f.Eval("local.m[\"a\"].0").ToString(), "10");  // legacy index
  EXPECT_EQ(f.Eval("local.l[\"1\"]").ToString(), "\"y\"");
  EXPECT_TRUE(f.diags.diagnostics().empty()) << f.Errors();
  f.Eval("local.l[5]");
  EXPECT_EQ(f.OnlyCode(), "E0416");
  EXPECT_EQ(f.Message(),
            "invalid index: index 5 is out of range for a list of string of 2 elements");
}

TEST(TraversalTest, Errors) {
  EXPECT_EQ(Show("{a = 1}.b"), "ERROR E0415: this object has no attribute `b` @ b");
  EXPECT_EQ(Show("{abc = 1}.abd").substr(0, 11), "ERROR E0415");
  EXPECT_EQ(Show("\"s\".x"), "ERROR E0415: a string has no attribute `x` @ x");
  EXPECT_EQ(Show("null.x"), "ERROR E0415: a null value has no attribute `x` @ x");
  EXPECT_EQ(Show("[1][\"a\"]"),
            "ERROR E0416: invalid index: a tuple index must be a whole number, not \"a\" @ \"a\"");
  EXPECT_EQ(Show("{a = 1}[\"b\"]"),
            "ERROR E0416: invalid index: the object has no element with key \"b\" @ \"b\"");
  EXPECT_EQ(Show("toset([1])[0]").substr(0, 11), "ERROR E0416");
  EXPECT_EQ(Show("null[0]"), "ERROR E0416: invalid index: cannot index a null value @ 0");
}

TEST(SplatTest, FullAndAttributeSplats) {
  EXPECT_EQ(Show("[{a = 1}, {a = 2}][*].a"), "[1, 2]");
  EXPECT_EQ(Show("[{a = 1}, {a = 2}].*.a"), "[1, 2]");
  EXPECT_EQ(Show("[{a = [1, 2]}, {a = [3, 4]}][*].a[0]"), "[1, 3]");
  EXPECT_EQ(Show("tolist([{a = \"x\"}])[*].a"), "[\"x\"]");
}

TEST(SplatTest, NullAndNonListSources) {
  EXPECT_EQ(Show("null[*].a"), "[]");
  EXPECT_EQ(Show("{a = 5}[*].a"), "[5]");
  EXPECT_EQ(Show("length(null[*])"), "0");
}

TEST(ForTest, TupleForm) {
  EXPECT_EQ(Show("[for s in [\"a\", \"b\"] : upper(s)]"), "[\"A\", \"B\"]");
  EXPECT_EQ(Show("[for i, s in [\"a\", \"b\"] : \"${i}${s}\"]"), "[\"0a\", \"1b\"]");
  EXPECT_EQ(Show("[for k, v in {x = 1, y = 2} : \"${k}${v}\"]"), "[\"x1\", \"y2\"]");
  EXPECT_EQ(Show("[for n in [1, 2, 3, 4] : n * n if n % 2 == 0]"), "[4, 16]");
  EXPECT_EQ(Show("[for s in toset([\"b\", \"a\"]) : s]"), "[\"a\", \"b\"]");
}

TEST(ForTest, ObjectFormAndGrouping) {
  EXPECT_EQ(Show("{for s in [\"a\", \"b\"] : s => upper(s)}"), "{ a = \"A\", b = \"B\" }");
  EXPECT_EQ(Show("{for s in [\"ab\", \"ac\", \"b\"] : substr(s, 0, 1) => s...}"),
            "{ a = [\"ab\", \"ac\"], b = [\"b\"] }");
  EXPECT_EQ(Show("{for s in [\"a\", \"a\"] : s => 1}").substr(0, 56),
            "ERROR E0418: invalid `for` expression: duplicate object ");
}

TEST(ForTest, Errors) {
  EXPECT_EQ(Show("[for x in null : x]"),
            "ERROR E0418: invalid `for` expression: cannot iterate over a null value @ null");
  EXPECT_EQ(Show("[for x in 5 : x]").substr(0, 11), "ERROR E0418");
  EXPECT_EQ(
      Show("[for x in [1] : x if x]"),
      "ERROR E0418: invalid `for` expression: the `if` condition must be a bool, not number @ x");
  EXPECT_EQ(Show("{for x in [[1]] : x => 1}").substr(0, 11), "ERROR E0418");
}

TEST(ConditionalTest, SelectsAndUnifies) {
  EXPECT_EQ(Show("true ? \"a\" : \"b\""), "\"a\"");
  EXPECT_EQ(Show("false ? 1 : \"b\""), "\"b\"");
  EXPECT_EQ(Show("true ? 1 : \"b\""), "\"1\"");  // unified to string
  EXPECT_EQ(Show("true ? null : 3"), "null");
  EXPECT_EQ(Show("\"false\" ? 1 : 2"), "2");
  EXPECT_EQ(Show("true ? 1 : [][0]"), "1");  // the unused branch's error is not reported
  EXPECT_EQ(Show("true ? 1 : false"),
            "ERROR E0420: the true and false results of a conditional must have consistent types: "
            "number and bool @ true ? 1 : false");
  EXPECT_EQ(Show("1 ? 1 : 2"),
            "ERROR E0419: invalid condition: the condition must be a bool, not number @ 1");
}

TEST(ConstructorTest, TuplesAndObjectsKeepElementRanges) {
  EvalFixture f;
  Value v = f.Eval("{ ports = [\"http\", 1], \"quoted key\" = 2, (\"computed\") = 3 }");
  ASSERT_TRUE(f.diags.diagnostics().empty()) << f.Errors();
  EXPECT_EQ(v.ToString(), "{ computed = 3, ports = [\"http\", 1], \"quoted key\" = 2 }");
  const Value* ports = v.Find("ports");
  ASSERT_NE(ports, nullptr);
  EXPECT_EQ(f.sm.Text(ports->range()), "[\"http\", 1]");
  EXPECT_EQ(f.sm.Text(ports->elements()[1].range()), "1");
  // A conversion failure points at the bad element.
  ConversionError err;
  EXPECT_FALSE(Convert(*ports, Type::List(Type::Number()), &err));
  EXPECT_EQ(f.sm.Text(err.range), "\"http\"");
  EXPECT_EQ(err.message, "element 0: a number is required");
}

TEST(ConstructorTest, BareIdentifierKeysAreStrings) {
  EvalFixture f;
  f.scope.Set("name", Value::String("shadowed"));
  Value v = f.Eval("{ name = 1 }");
  EXPECT_EQ(v.ToString(), "{ name = 1 }");
  EXPECT_EQ(Show("{ (1) = 2 }"), "{ \"1\" = 2 }");
  EXPECT_EQ(Show("{ ([1]) = 2 }"),
            "ERROR E0423: invalid object key: an object key must be a string, not tuple @ ([1])");
}

TEST(CallTest, ExpansionAndUnknownFunctions) {
  EXPECT_EQ(Show("max([3, 9, 2]...)"), "9");
  EXPECT_EQ(Show("max(1, [3, 9]...)"), "9");
  EXPECT_EQ(Show("max(5...)"),
            "ERROR E0426: invalid expanding argument: the argument after `...` must be a list, set "
            "or tuple, not number @ 5");
  EvalFixture f;
  f.Eval("uper(\"x\")");
  EXPECT_EQ(f.OnlyCode(), "E0410");
  EXPECT_EQ(f.PointsAt(), "uper");
  EXPECT_EQ(f.diags.diagnostics()[0].help, "did you mean `upper`?");
  EXPECT_EQ(Show("upper()"), "ERROR E0411: `upper` expects 1 argument, got 0 @ upper()");
  EXPECT_EQ(Show("substr(\"a\")"),
            "ERROR E0411: `substr` expects 3 arguments, got 1 @ substr(\"a\")");
}

TEST(CallTest, TryAndCan) {
  EXPECT_EQ(Show("try([][0], \"fallback\")"), "\"fallback\"");
  EXPECT_EQ(Show("try(1, 2)"), "1");
  EXPECT_EQ(Show("can([][0])"), "false");
  EXPECT_EQ(Show("can(1 + 1)"), "true");
  EXPECT_EQ(Show("try([][0])").substr(0, 11), "ERROR E0413");
}

TEST(CallTest, OneErrorIsReportedOnce) {
  EvalFixture f;
  f.Eval("upper(lower(1 + \"x\")) == \"y\" ? [1][5] : 0");
  EXPECT_EQ(f.Codes(), std::vector<std::string>{"E0414"});
}

TEST(EvalTest, DeepNestingIsDiagnosedNotACrash) {
  std::string e;
  for (int i = 0; i < 150; ++i) e += "[";
  for (int i = 0; i < 150; ++i) e += "]";
  EvalFixture f;
  f.Eval("[" + e + "]");  // the parser may already refuse; either way no crash
  SUCCEED();
}

}  // namespace
}  // namespace drover::eval
