// Rule-by-rule tests of the formatter on small inputs. Several expectations are the documented
// outputs of hclwrite's own format tests (hashicorp/hcl, hclwrite/format_test.go), so drover's
// layout matches `terraform fmt` / `nomad fmt` where it claims to. Every case also checks that the
// output is a fixed point and has the AST of the input.
#include <gtest/gtest.h>

#include "tests/compiler/fmt/fmt_helpers.h"

namespace drover::hclfmt {
namespace {

// Formats `input`; fails the test if it does not parse, is not idempotent or changes the AST.
std::string Fmt(const std::string& input) {
  std::string errors;
  std::optional<std::string> out = FormatText(input, &errors);
  if (!out) {
    ADD_FAILURE() << "does not parse:\n" << input << "\n" << errors;
    return "<error>";
  }
  EXPECT_EQ(FormatText(*out), *out) << "not idempotent for:\n" << input;
  EXPECT_EQ(DumpAst(*out), DumpAst(input)) << "AST changed for:\n" << input;
  return *out;
}

TEST(FormatTest, EmptyAndWhitespaceOnlyInputsFormatToNothing) {
  EXPECT_EQ(Fmt(""), "");
  EXPECT_EQ(Fmt("\n\n  \t\n"), "");
}

TEST(FormatTest, SyntaxErrorGivesNoOutputAndADiagnostic) {
  std::string errors;
  EXPECT_FALSE(FormatText("job \"x\" {\n  a = \n}\n", &errors));
  EXPECT_NE(errors.find("error"), std::string::npos) << errors;
  EXPECT_FALSE(FormatText("a = \"unterminated\n", &errors));
  EXPECT_NE(errors.find("E0102"), std::string::npos) << errors;
}

TEST(FormatTest, SpacesAroundEquals) {
  EXPECT_EQ(Fmt("a=1"), "a = 1\n");
  EXPECT_EQ(Fmt("a=b.c"), "a = b.c\n");
  EXPECT_EQ(Fmt("a=b[c]"), "a = b[c]\n");
  EXPECT_EQ(Fmt("a=b()[c]"), "a = b()[c]\n");
  EXPECT_EQ(Fmt("a=[\"hello\"][0]"), "a = [\"hello\"][0]\n");
}

TEST(FormatTest, ArithmeticAndNegation) {
  EXPECT_EQ(Fmt("x = ( a+2 )"), "x = (a + 2)\n");
  EXPECT_EQ(Fmt("x = ( a*-2 )"), "x = (a * -2)\n");
  EXPECT_EQ(Fmt("x = (-2+1)"), "x = (-2 + 1)\n");
  EXPECT_EQ(Fmt("x = foo(1, -2,a*b, b,c)"), "x = foo(1, -2, a * b, b, c)\n");
  EXPECT_EQ(Fmt("x = a - -b"), "x = a - -b\n");
  EXPECT_EQ(Fmt("x = c ? -1 : - 2"), "x = c ? -1 : -2\n");
  EXPECT_EQ(Fmt("x = ! a && ! b"), "x = !a && !b\n");
  EXPECT_EQ(Fmt("x = \"${- 1}\""), "x = \"${-1}\"\n");
}

TEST(FormatTest, InterpolationsAreSpacedLikeExpressions) {
  EXPECT_EQ(Fmt("a=\"hello ${ name }\""), "a = \"hello ${name}\"\n");
  EXPECT_EQ(Fmt("a=\"hello ${~ name ~}\""), "a = \"hello ${~name~}\"\n");
  EXPECT_EQ(Fmt("a = \"  x  ${a}  y  \""), "a = \"  x  ${a}  y  \"\n");
  EXPECT_EQ(Fmt("a = \"${ {b=1} }\""), "a = \"${ { b = 1 } }\"\n");
}

TEST(FormatTest, DirectivesKeepTheirSpacing) {
  EXPECT_EQ(Fmt("a = \"%{ if x }y%{ else }z%{ endif }\""),
            "a = \"%{ if x }y%{ else }z%{ endif }\"\n");
  EXPECT_EQ(Fmt("a = \"%{if  x}y%{endif}\""), "a = \"%{if x}y%{endif}\"\n");
  EXPECT_EQ(Fmt("a = \"%{ for v in  xs }${v}%{ endfor }\""),
            "a = \"%{ for v in xs }${v}%{ endfor }\"\n");
}

TEST(FormatTest, EmptyAndOneLineBlocks) {
  EXPECT_EQ(Fmt("b{}"), "b {}\n");
  EXPECT_EQ(Fmt("b { }"), "b {}\n");
  EXPECT_EQ(Fmt("b {a=1}"), "b { a = 1 }\n");
  EXPECT_EQ(Fmt("b \"l\"{\na=1\n}"), "b \"l\" {\n  a = 1\n}\n");
}

TEST(FormatTest, MultiLineInterpolationIsIndented) {
  EXPECT_EQ(Fmt("x = \"${\nhello\n}\""), "x = \"${\n  hello\n}\"\n");
}

TEST(FormatTest, CallArgumentsOnSeveralLines) {
  EXPECT_EQ(Fmt("x = foo(\n1,\n- 2,\na*b,\nb,\nc,\n)\n"),
            "x = foo(\n  1,\n  -2,\n  a * b,\n  b,\n  c,\n)\n");
}

TEST(FormatTest, BracketsIndentOneLevelPerLine) {
  EXPECT_EQ(Fmt("x = [ [ ] ]"), "x = [[]]\n");
  EXPECT_EQ(Fmt("x = [\n[\na\n]\n]\n"), "x = [\n  [\n    a\n  ]\n]\n");
  EXPECT_EQ(Fmt("x = [[\na\n]]\n"), "x = [[\n  a\n]]\n");
  EXPECT_EQ(Fmt("x = [[\n[\na\n]\n]]\n"), "x = [[\n  [\n    a\n  ]\n]]\n");
  // Asymmetrical brackets: the closing line pops what the opening lines pushed.
  EXPECT_EQ(Fmt("x = [[\n[\na\n]]\n]\n"), "x = [[\n  [\n    a\n  ]]\n]\n");
}

TEST(FormatTest, AlignsEqualsOverConsecutiveAssignments) {
  EXPECT_EQ(Fmt("a = 1\nbungle = 2\n"), "a      = 1\nbungle = 2\n");
  EXPECT_EQ(Fmt("a = 1\n\nbungle = 2\n"), "a = 1\n\nbungle = 2\n");
  EXPECT_EQ(Fmt("a = 1\n# c\nbungle = 2\n"), "a = 1\n# c\nbungle = 2\n");
  EXPECT_EQ(Fmt("a = 1\nb {\n}\nbungle = 2\n"), "a = 1\nb {\n}\nbungle = 2\n");
  EXPECT_EQ(Fmt("a = [\n1]\nbungle = 2\n"), "a = [\n1]\nbungle = 2\n");
  EXPECT_EQ(Fmt("a = {\nb = 1\nccc = 2\n}\n"), "a = {\n  b   = 1\n  ccc = 2\n}\n");
}

TEST(FormatTest, AlignsTrailingComments) {
  EXPECT_EQ(Fmt("a = 1 # foo\nbungle = 2\n"), "a      = 1 # foo\nbungle = 2\n");
  EXPECT_EQ(Fmt("a = 1 # foo\nbungle = \"bonce\" # baz\n"),
            "a      = 1       # foo\nbungle = \"bonce\" # baz\n");
  EXPECT_EQ(Fmt("# here we go\na = 1 # foo\nbungle = \"bonce\" # baz\n"),
            "# here we go\na      = 1       # foo\nbungle = \"bonce\" # baz\n");
  EXPECT_EQ(Fmt("foo {} # here we go\na = 1 # foo\nbungle = \"bonce\" # baz\n"),
            "foo {}           # here we go\na      = 1       # foo\nbungle = \"bonce\" # baz\n");
  EXPECT_EQ(Fmt("a = 1 # foo\nbungle = (\n    \"bonce\"\n) # baz\nzebra = \"striped\" # baz\n"),
            "a = 1 # foo\nbungle = (\n  \"bonce\"\n)                 # baz\n"
            "zebra = \"striped\" # baz\n");
  EXPECT_EQ(Fmt("a=\"apple\"# foo\nbungle=(# woo parens\n\"bonce\"\n)# baz\n"
                "zebra=\"striped\"# baz\n"),
            "a = \"apple\" # foo\nbungle = (  # woo parens\n  \"bonce\"\n)                 # baz\n"
            "zebra = \"striped\" # baz\n");
}

TEST(FormatTest, AlignmentCountsGraphemeClusters) {
  EXPECT_EQ(Fmt("\xF0\x9D\x92\x9C = 1 # foo\nbungle = \"\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7\" # baz\n"
                "zebra = \"striped\" # baz\n"),
            "\xF0\x9D\x92\x9C      = 1         # foo\n"
            "bungle = \"\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7\"       # baz\n"
            "zebra  = \"striped\" # baz\n");
  // e + combining acute accent is one column.
  EXPECT_EQ(Fmt("x = \"e\xCC\x81\" # a\nyy = 1 # b\n"), "x  = \"e\xCC\x81\" # a\nyy = 1   # b\n");
}

TEST(FormatTest, ForExpressionKeepsInApartFromATuple) {
  EXPECT_EQ(Fmt("x = [for x in [foo]: x]"), "x = [for x in [foo] : x]\n");
  EXPECT_EQ(Fmt("x = {for k,v in m: k=>v...}"), "x = { for k, v in m : k => v... }\n");
}

TEST(FormatTest, LegacyIndexOnANumberIsNotMergedIntoADecimal) {
  EXPECT_EQ(Fmt("x = 1 .5"), "x = 1 .5\n");
  EXPECT_EQ(Fmt("x = a. 0 .b"), "x = a.0.b\n");
}

TEST(FormatTest, CommentsLoseTrailingWhitespaceOnly) {
  EXPECT_EQ(Fmt("# a   \n//  b\t\n/* c  \n  d */\n"), "# a\n//  b\n/* c\n  d */\n");
  EXPECT_EQ(Fmt("x = f(/* a */ 1 /* b */, 2)"), "x = f(/* a */ 1 /* b */, 2)\n");
}

TEST(FormatTest, BlankLinesCollapseAndFileEndsWithOneNewline) {
  EXPECT_EQ(Fmt("\n\na = 1\n\n\n\nb = 2\n\n\n"), "a = 1\n\nb = 2\n");
  EXPECT_EQ(Fmt("b {\n\n  a = 1\n\n}"), "b {\n\n  a = 1\n\n}\n");
}

TEST(FormatTest, HeredocBodyAndMarkerAreVerbatim) {
  EXPECT_EQ(Fmt("  x=<<EOF\n  a  \n\tb\n  EOF\n"), "x = <<EOF\n  a  \n\tb\n  EOF\n");
  EXPECT_EQ(Fmt("b {\nx = <<-EOF\n    a\n    EOF\n}\n"), "b {\n  x = <<-EOF\n    a\n    EOF\n}\n");
  EXPECT_EQ(Fmt("x = <<EOF\n${ a+1 } ${b}\nEOF\n"), "x = <<EOF\n${a + 1} ${b}\nEOF\n");
}

TEST(FormatTest, LineStartingInsideAHeredocKeepsItsIndentation) {
  EXPECT_EQ(Fmt("b {\nx = <<EOF\n${f(\n      1)}\nEOF\n}\n"),
            "b {\n  x = <<EOF\n${f(\n      1)}\nEOF\n}\n");
}

TEST(FormatTest, CrLfBecomesLfOutsideHeredocs) {
  EXPECT_EQ(Fmt("a=1\r\nb {\r\n  c = 2 # x\r\n}\r\n"), "a = 1\nb {\n  c = 2 # x\n}\n");
  EXPECT_EQ(Fmt("x = <<EOF\r\nbody\r\nEOF\r\n"), "x = <<EOF\r\nbody\r\nEOF\n");
}

TEST(FormatTest, ByteOrderMarkIsKept) {
  EXPECT_EQ(Fmt("\xEF\xBB\xBF"
                "a=1\n"),
            "\xEF\xBB\xBF"
            "a = 1\n");
}

TEST(FormatTest, FormatTokensWorksOnALexResult) {
  diag::DiagnosticEngine diags;
  std::string src = "a=1\n";
  syntax::LexResult lex = syntax::Lex(src, 1, diags);
  ASSERT_FALSE(diags.HasErrors());
  EXPECT_EQ(FormatTokens(src, lex), "a = 1\n");
}

}  // namespace
}  // namespace drover::hclfmt
