#include <gtest/gtest.h>

#include "tests/compiler/syntax/parse_helpers.h"

namespace drover::syntax {
namespace {

TEST(ParserTest, BodiesAttributesAndBlocks) {
  EXPECT_EQ(DumpFile("a = 1\nb \"x\" y {\n  c = true\n}\n"), "{a=1 b \"x\" \"y\" {c=true}}");
  EXPECT_EQ(DumpFile("one { a = 1 }\nempty {}\n"), "{one {a=1} empty {}}");
  EXPECT_EQ(DumpFile("\n\n# c\n// d\n/* e */ a = 1"), "{a=1}");  // no final newline
  EXPECT_EQ(DumpFile(""), "{}");
}

TEST(ParserTest, LiteralsAndNumbers) {
  EXPECT_EQ(DumpExpression("null"), "null");
  EXPECT_EQ(DumpExpression("false"), "false");
  EXPECT_EQ(DumpExpression("1.5e3"), "1.5e3");
  EXPECT_EQ(DumpExpression("2E-2"), "2E-2");
  EXPECT_EQ(DumpExpression("\"a\\tb\\\"c\\\\d\\u00e9\\U0001F600\""), "\"a\\tb\\\"c\\\\d\xC3\xA9\xF0\x9F\x98\x80\"");
}

TEST(ParserTest, OperatorPrecedenceFollowsHcl) {
  EXPECT_EQ(DumpExpression("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(DumpExpression("1 * 2 + 3"), "(+ (* 1 2) 3)");
  EXPECT_EQ(DumpExpression("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(DumpExpression("a || b && c == d < e + f * g"),
            "(|| (var a) (&& (var b) (== (var c) (< (var d) (+ (var e) (* (var f) (var g)))))))");
  EXPECT_EQ(DumpExpression("a % b / c"), "(/ (% (var a) (var b)) (var c))");
  EXPECT_EQ(DumpExpression("!a && -b > 1"), "(&& (not (var a)) (> (neg (var b)) 1))");
  EXPECT_EQ(DumpExpression("- - 1"), "(neg (neg 1))");
  EXPECT_EQ(DumpExpression("a ? b : c ? d : e"), "(? (var a) (var b) (? (var c) (var d) (var e)))");
  EXPECT_EQ(DumpExpression("a >= 1 ? 2 + 3 : 4"), "(? (>= (var a) 1) (+ 2 3) 4)");
  EXPECT_EQ(DumpExpression("(1 + 2) * 3"), "(* (paren (+ 1 2)) 3)");
}

TEST(ParserTest, IdentifiersMayContainDashes) {
  EXPECT_EQ(DumpExpression("a-b"), "(var a-b)");
  EXPECT_EQ(DumpExpression("a - b"), "(- (var a) (var b))");
}

TEST(ParserTest, TraversalsIndexesAndSplats) {
  EXPECT_EQ(DumpExpression("a.b[0].c"), "(attr (index (attr (var a) b) 0) c)");
  EXPECT_EQ(DumpExpression("a.0.1"), "(legacy-index (legacy-index (var a) 0) 1)");
  EXPECT_EQ(DumpExpression("a[\"k\"]"), "(index (var a) \"k\")");
  EXPECT_EQ(DumpExpression("a.*.b.c"), "(splat.* (var a) (attr (attr (item) b) c))");
  EXPECT_EQ(DumpExpression("a.*.b[0]"), "(index (splat.* (var a) (attr (item) b)) 0)");
  EXPECT_EQ(DumpExpression("a[*].b[0]"), "(splat[*] (var a) (index (attr (item) b) 0))");
  EXPECT_EQ(DumpExpression("a[*]"), "(splat[*] (var a) (item))");
}

TEST(ParserTest, CallsTuplesObjects) {
  EXPECT_EQ(DumpExpression("f()"), "(call f)");
  EXPECT_EQ(DumpExpression("f(1, [2, 3]...)"), "(call f 1 (tuple 2 3) ...)");
  EXPECT_EQ(DumpExpression("f(\n  1,\n  2,\n)"), "(call f 1 2)");
  EXPECT_EQ(DumpExpression("[1,\n 2\n ,3,]"), "(tuple 1 2 3)");
  EXPECT_EQ(DumpExpression("{a = 1, \"b\" : 2\n c = 3\n (d) = 4}"),
            "(object (name (var a) 1) (\"b\" 2) (name (var c) 3) ((paren (var d)) 4))");
  EXPECT_EQ(DumpExpression("{\n}"), "(object)");
}

TEST(ParserTest, ForExpressions) {
  EXPECT_EQ(DumpExpression("[for x in xs : x * 2]"), "(for-tuple x (var xs) (* (var x) 2))");
  EXPECT_EQ(DumpExpression("[for i, x in xs : x if i > 0]"),
            "(for-tuple i,x (var xs) (var x) (if (> (var i) 0)))");
  EXPECT_EQ(DumpExpression("{for k, v in m : v => k...}"),
            "(for-object k,v (var m) (var v) (var k) ...)");
  EXPECT_EQ(DumpExpression("{\n  for k, v in m :\n  k => v\n  if v != null\n}"),
            "(for-object k,v (var m) (var k) (var v) (if (!= (var v) null)))");
  EXPECT_EQ(DumpExpression("[for x on xs : x]").substr(0, 6), "ERROR:");
}

TEST(ParserTest, TemplatesAndDirectives) {
  EXPECT_EQ(DumpExpression("\"a${b}c\""), "(template \"a\" (interp (var b)) \"c\")");
  EXPECT_EQ(DumpExpression("\"${b}\""), "(template (interp (var b)))");
  EXPECT_EQ(DumpExpression("\"$${b} %%{c}\""), "\"${b} %{c}\"");
  EXPECT_EQ(DumpExpression("\"a ${~ b ~} c\""), "(template \"a\" (interp ~< ~> (var b)) \"c\")");
  EXPECT_EQ(DumpExpression("\"%{ if a }x%{ else }y%{ endif }\""),
            "(template (if (var a) (then \"x\") (else \"y\")))");
  EXPECT_EQ(DumpExpression("\"%{ for k, v in m }${k}=${v};%{ endfor }\""),
            "(template (for k,v (var m) (interp (var k)) \"=\" (interp (var v)) \";\"))");
  EXPECT_EQ(DumpExpression("\"%{if a} x %{~ endif ~} y\""),
            "(template (if (var a) (then \" x\")) \"y\")");
  EXPECT_EQ(DumpExpression("\"${\"${a}\"}\""), "(template (interp (template (interp (var a)))))");
  EXPECT_EQ(DumpExpression("\"${ {a = 1}.a }\""), "(template (interp (attr (object (name (var a) 1)) a)))");
}

TEST(ParserTest, Heredocs) {
  EXPECT_EQ(DumpExpression("<<EOF\nhello ${a}\n  world\nEOF\n"),
            "(heredoc \"hello \" (interp (var a)) \"\\n\" \"  world\\n\")");
  // <<- strips the smallest indentation; blank lines do not count.
  EXPECT_EQ(DumpExpression("<<-EOT\n    a\n\n      b\n    EOT\n"),
            "(heredoc \"a\\n\" \"\\n\" \"  b\\n\")");
  EXPECT_EQ(DumpExpression("trimspace(<<EOF\nx\nEOF\n)"), "(call trimspace (heredoc \"x\\n\"))");
  EXPECT_EQ(DumpExpression("<<EOF\nEOF\n"), "(heredoc)");
}

TEST(ParserTest, KeepsSourceRanges) {
  auto p = ParseText("job \"web\" {\n  count = 1 + 2\n}\n");
  ASSERT_NE(p->result.file, nullptr);
  const auto* job = static_cast<const Block*>(p->result.file->body->items[0]);
  EXPECT_EQ(p->sm.Text(job->labels[0].range), "\"web\"");
  const auto* count = static_cast<const Attribute*>(job->body->items[0]);
  EXPECT_EQ(p->sm.Text(count->range), "count = 1 + 2");
  EXPECT_EQ(p->sm.Text(count->value->range), "1 + 2");
  diag::LineColumn lc = p->sm.Begin(count->value->range);
  EXPECT_EQ(lc.line, 2u);
  EXPECT_EQ(lc.column, 11u);
}

TEST(ParserTest, ReportsSeveralErrorsInOneFile) {
  auto p = ParseText("a = \nb = )\nc = 1\nd = [1 2]\n");
  EXPECT_EQ(p->result.file, nullptr);
  EXPECT_GE(p->diags.error_count(), 3u) << p->Errors();
  EXPECT_NE(p->Errors().find("test.hcl:1:"), std::string::npos) << p->Errors();
  EXPECT_NE(p->Errors().find("test.hcl:2:"), std::string::npos) << p->Errors();
  EXPECT_NE(p->Errors().find("test.hcl:4:"), std::string::npos) << p->Errors();
}

TEST(ParserTest, SpecificSyntaxErrors) {
  EXPECT_EQ(ParseText("a {\n \"k\" = 1\n}\n")->Codes(), std::vector<std::string>{"E0113"});
  EXPECT_EQ(ParseText("a { b = 1\n}\n")->Codes()[0], "E0114");
  EXPECT_EQ(ParseText("a = 1\na = 2\n")->Codes(), std::vector<std::string>{"E0111"});
  EXPECT_EQ(ParseText("j \"x${y}\" {\n}\n")->Codes(), std::vector<std::string>{"E0112"});
  EXPECT_EQ(ParseText("a = \"%{ iff x }\"\n")->Codes(), std::vector<std::string>{"E0115"});
  EXPECT_EQ(ParseText("a = [for x of y : x]\n")->Codes(), std::vector<std::string>{"E0116"});
  EXPECT_EQ(ParseText("a = \"\\q\"\n")->Codes(), std::vector<std::string>{"E0106"});
}

}  // namespace
}  // namespace drover::syntax
