#include "compiler/syntax/lexer.h"

#include <gtest/gtest.h>

namespace drover::syntax {
namespace {

std::vector<TokenKind> Kinds(std::string_view text) {
  diag::DiagnosticEngine diags;
  LexResult r = Lex(text, 1, diags);
  std::vector<TokenKind> out;
  for (const Token& t : r.tokens) out.push_back(t.kind);
  return out;
}

using K = TokenKind;

TEST(LexerTest, SimpleStringIsOneToken) {
  EXPECT_EQ(Kinds("a = \"x\"\n"), (std::vector<K>{K::kIdent, K::kEqual, K::kString, K::kNewline, K::kEof}));
}

TEST(LexerTest, TemplateStringIsSplit) {
  EXPECT_EQ(Kinds("\"a${b}\""), (std::vector<K>{K::kOQuote, K::kTemplateLit, K::kTemplateInterp,
                                                 K::kIdent, K::kTemplateEnd, K::kCQuote,
                                                 K::kNewline, K::kEof}));
}

TEST(LexerTest, NewlinesAreDroppedInsideBracketsAndMergedElsewhere) {
  EXPECT_EQ(Kinds("[\n1,\n2\n]\n\n\n"), (std::vector<K>{K::kLBrack, K::kNumber, K::kComma,
                                                       K::kNumber, K::kRBrack, K::kNewline, K::kEof}));
  EXPECT_EQ(Kinds("{\n}\n"), (std::vector<K>{K::kLBrace, K::kNewline, K::kRBrace, K::kNewline, K::kEof}));
}

TEST(LexerTest, ForKeywordOnlyOpensForExpressions) {
  EXPECT_EQ(Kinds("[for x in y: x]")[1], K::kFor);
  EXPECT_EQ(Kinds("{for k, v in y: k => v}")[1], K::kFor);
  EXPECT_EQ(Kinds("x = for")[2], K::kIdent);
}

TEST(LexerTest, BlockBraceIsFlagged) {
  diag::DiagnosticEngine diags;
  LexResult r = Lex("a \"b\" {\n x = { y = 1 }\n}\n", 1, diags);
  std::vector<uint8_t> brace_flags;
  for (const Token& t : r.tokens) {
    if (t.kind == K::kLBrace) brace_flags.push_back(t.flags & kBlockBrace);
  }
  EXPECT_EQ(brace_flags, (std::vector<uint8_t>{kBlockBrace, 0}));
}

TEST(LexerTest, CommentsGoToTheSideList) {
  diag::DiagnosticEngine diags;
  LexResult r = Lex("# a\nb = 1 // c\n/* d */\n", 1, diags);
  ASSERT_EQ(r.comments.size(), 3u);
  EXPECT_EQ(r.comments[1].begin, 10u);
}

TEST(LexerTest, HeredocLinesAreSeparateLiterals) {
  EXPECT_EQ(Kinds("x = <<EOF\na\nb\nEOF\n"),
            (std::vector<K>{K::kIdent, K::kEqual, K::kHeredocBegin, K::kTemplateLit,
                            K::kTemplateLit, K::kHeredocEnd, K::kNewline, K::kEof}));
}

TEST(LexerTest, DecodesEscapes) {
  EXPECT_EQ(DecodeQuoted("a\\nb\\u0041$${x}%%{y}"), "a\nbA${x}%{y}");
  EXPECT_EQ(DecodeHeredoc("a\\nb$${x}"), "a\\nb${x}");
}

}  // namespace
}  // namespace drover::syntax
