// Bad input never crashes, hangs or overflows the stack: every case below gets at least one
// located error diagnostic and no AST.
#include <random>

#include <gtest/gtest.h>

#include "tests/compiler/syntax/parse_helpers.h"

namespace drover::syntax {
namespace {

struct Case {
  std::string name;
  std::string text;
  std::string code;  ///< a code that must be reported (diagnostics come in source order)
  uint32_t line;     ///< the line of its first occurrence
};

class BadInputTest : public ::testing::TestWithParam<Case> {};

TEST_P(BadInputTest, GetsALocatedDiagnostic) {
  const Case& c = GetParam();
  auto p = ParseText(c.text);
  EXPECT_EQ(p->result.file, nullptr);
  ASSERT_FALSE(p->diags.diagnostics().empty());
  const diag::Diagnostic* found = nullptr;
  for (const diag::Diagnostic& d : p->diags.diagnostics()) {
    EXPECT_TRUE(d.range.IsValid()) << p->Errors();
    if (found == nullptr && diag::Info(d.kind).code == c.code) found = &d;
  }
  ASSERT_NE(found, nullptr) << "no " << c.code << " in:\n" << p->Errors();
  EXPECT_EQ(p->sm.Begin(found->range).line, c.line) << p->Errors();
}

std::string Nested(char open, char close, int depth) {
  return "x = " + std::string(depth, open) + std::string(depth, close) + "\n";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadInputTest,
    ::testing::Values(
        Case{"NulByte", std::string("a = 1\nb = \0\n", 12), "E0107", 2},
        Case{"InvalidUtf8InString", "a = \"\xC3\x28\"\n", "E0108", 1},
        Case{"InvalidUtf8InComment", "# \xFF\xFE\na = 1\n", "E0108", 1},
        Case{"StrayCharacter", "a = 1\nb = @\n", "E0107", 2},
        Case{"UnterminatedString", "a = \"abc\nb = 1\n", "E0102", 1},
        Case{"UnterminatedStringAtEof", "a = \"abc", "E0102", 1},
        Case{"UnterminatedHeredoc", "a = <<EOF\nabc\n", "E0103", 1},
        Case{"UnterminatedInterpolation", "\na = \"${abc", "E0104", 2},
        Case{"UnterminatedInterpolationInHeredoc", "a = <<EOF\n${abc\nEOF\n", "E0104", 2},
        Case{"UnterminatedBlock", "job \"a\" {\n  group \"b\" {\n", "E0110", 1},
        Case{"UnterminatedComment", "a = 1 /* abc\n", "E0105", 1},
        Case{"BadHeredocIntroducer", "a = <<\nEOF\n", "E0117", 1},
        Case{"DeepBrackets", Nested('[', ']', 100000), "E0109", 1},
        Case{"DeepParens", Nested('(', ')', 100000), "E0109", 1},
        Case{"DeepBraces", Nested('{', '}', 100000), "E0109", 1},
        Case{"DeepConditional",
             [] {
               std::string s = "x = ";
               for (int i = 0; i < 100000; ++i) s += "a ? ";
               return s + "1\n";
             }(),
             "E0119", 1},
        Case{"DeepTemplates",
             [] {
               std::string s = "x = ";
               for (int i = 0; i < 100000; ++i) s += "\"${";
               return s + "\n";
             }(),
             "E0109", 1},
        Case{"MissingValue", "a =\n", "E0101", 1},
        // Found by the fuzzer (tests/fuzz/regressions/): escapes that named a surrogate or a
        // code point past U+10FFFF decoded to invalid UTF-8, and the JSON output threw.
        Case{"SurrogateEscape", "a = \"\\uD800\"\n", "E0106", 1},
        Case{"LowSurrogateEscapeInTemplate", "a = \"\\uDFFF${x}\"\n", "E0106", 1},
        Case{"SurrogateEscapeInLabel", "x \"\\uD800\" {}\n", "E0106", 1},
        Case{"EscapePastUnicode", "\na = \"\\U00110000\"\n", "E0106", 2},
        Case{"UnmatchedParen", "a = 1\nb = 2)\n", "E0118", 2},
        Case{"UnmatchedBrace", "a = 1 }\n", "E0118", 1},
        Case{"UnmatchedBracketInTemplate", "a = \"${ x] }\"\n", "E0118", 1}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

// Found by the fuzzer: an escape of a multi-byte character quoted half the character in the
// message (invalid UTF-8, so the JSON and SARIF renderers threw) and reported its continuation
// bytes again as invalid UTF-8.
TEST(BadInputTest, EscapedMultiByteCharacterIsOneError) {
  auto p = ParseText("a = \"\\\xC3\xA9\"\n");
  ASSERT_EQ(p->Codes(), std::vector<std::string>{"E0106"}) << p->Errors();
  EXPECT_EQ(p->diags.diagnostics()[0].message, "invalid escape sequence `\\\xC3\xA9`");
  EXPECT_EQ(p->diags.diagnostics()[0].range.end, 8u);
}

TEST(BadInputTest, EscapedInvalidByteIsQuotedAsUtf8) {
  auto p = ParseText("a = \"\\\x84\"\n");
  ASSERT_EQ(p->Codes(), std::vector<std::string>{"E0106"}) << p->Errors();
  EXPECT_EQ(p->diags.diagnostics()[0].message, "invalid escape sequence `\\<0x84>`");
  for (auto format : {diag::DiagFormat::kJson, diag::DiagFormat::kSarif}) {
    EXPECT_NO_THROW(diag::RenderAll(p->diags.diagnostics(), p->sm, format));
  }
}

TEST(BadInputTest, EscapesUpToTheLastScalarValueAreAccepted) {
  auto p = ParseText("a = \"\\uD7FF\\uE000\\U0010FFFF\"\n");
  ASSERT_NE(p->result.file, nullptr) << p->Errors();
  EXPECT_EQ(DumpFile("a = \"\\uD7FF\\uE000\\U0010FFFF\"\n"),
            DumpFile("a = \"\xED\x9F\xBF\xEE\x80\x80\xF4\x8F\xBF\xBF\"\n"));
}

// An unmatched closer is reported once, by the lexer, and later errors are still reported.
TEST(BadInputTest, UnmatchedCloserDoesNotHideLaterErrors) {
  auto p = ParseText("a = 1)\nb = \nc = 3\n");
  EXPECT_EQ(p->Codes(), (std::vector<std::string>{"E0118", "E0101"})) << p->Errors();
}

// One mistake, one error: what follows from a lexical error is not reported again.
TEST(BadInputTest, OneMistakeIsOneError) {
  struct {
    const char* text;
    std::vector<std::string> codes;
  } cases[] = {
      // The invalid character is dropped; the parser does not complain about the gap.
      {"count = 3 @ 2\n", {"E0107"}},
      {"name = \x01\n", {"E0107"}},
      // A stray `}` at the top level used to end the file for the parser.
      {"}\nregion =\n", {"E0118", "E0101"}},
      // An unterminated heredoc, comment or interpolation swallows the closing braces: they are
      // not reported as unclosed, and the string around the interpolation not as unterminated.
      {"job {\n  meta {\n    a = <<EOT\nx\n", {"E0103"}},
      {"job {\n  /* a = 1\n}\n", {"E0105"}},
      {"job {\n  a = \"x${y\n", {"E0104"}},
      // What follows a bad heredoc introducer was meant as heredoc text.
      {"a = <<EOF echo hi\nEOF\nb = 1\n", {"E0117"}},
  };
  for (const auto& c : cases) {
    auto p = ParseText(c.text);
    EXPECT_EQ(p->Codes(), c.codes) << c.text << "\n" << p->Errors();
  }
}

TEST(BadInputTest, UnexpectedNewlineIsAZeroWidthRangeAtTheEndOfItsLine) {
  auto p = ParseText("a =\nb = 1\n");
  ASSERT_EQ(p->Codes(), std::vector<std::string>{"E0101"}) << p->Errors();
  EXPECT_EQ(p->diags.diagnostics()[0].range.begin, 3u);
  EXPECT_EQ(p->diags.diagnostics()[0].range.end, 3u);
}

// A mistake repeated all over a (generated) file is reported at most 50 times, and the parser
// stops there instead of recovering through the rest (ANTLR builds a message and a token for
// every further error; a 1 MiB file of `a = 1 a = 1 ...` took seconds and hundreds of MB).
TEST(BadInputTest, RepeatedMistakesAreCappedAtFifty) {
  std::string same_line, duplicates;
  for (int i = 0; i < 5000; ++i) same_line += "a = 1 ";
  for (int i = 0; i < 5000; ++i) duplicates += "a = 1\n";
  auto p = ParseText(same_line + "\n");
  EXPECT_EQ(p->result.file, nullptr);
  EXPECT_EQ(p->diags.error_count(), 50u);
  auto d = ParseText(duplicates);
  EXPECT_EQ(d->result.file, nullptr);
  EXPECT_EQ(d->diags.error_count(), 50u);
  EXPECT_EQ(d->Codes()[49], "E0111");
}

// Random bytes: whatever happens, the parser returns, and an unparseable file has an error.
TEST(BadInputFuzzTest, RandomBytesNeverCrash) {
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    std::string text(rng() % 400, '\0');
    for (char& c : text) c = static_cast<char>(rng() % 256);
    auto p = ParseText(text);
    if (p->result.file == nullptr) {
      EXPECT_TRUE(p->diags.HasErrors()) << "round " << round;
    }
  }
}

// HCL-ish token soup reaches deeper into the grammar than raw bytes do.
TEST(BadInputFuzzTest, TokenSoupNeverCrashes) {
  static const char* kPieces[] = {"a", " = ", "\"", "${", "}", "%{ if x }", "%{ endif }", "{",
                                  "}", "[", "]", "(", ")", "\n", "<<EOF\n", "EOF\n", "for",
                                  " in ", ":", "=>", "...", "?", ",", ".", "*", "1.5", "~",
                                  "#", "/*", "*/", "-", "!"};
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    int n = static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) text += kPieces[rng() % std::size(kPieces)];
    auto p = ParseText(text);
    if (p->result.file == nullptr) {
      EXPECT_TRUE(p->diags.HasErrors()) << "round " << round << ": " << text;
    }
  }
}

}  // namespace
}  // namespace drover::syntax
