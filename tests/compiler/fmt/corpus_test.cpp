// Properties of the formatter over every corpus file that parses (../shared/corpus):
//   - formatting is idempotent and keeps the AST (syntax::DumpBody) unchanged;
//   - the output is canonical: re-spacing a file at random (spaces and tabs between tokens,
//     indentation, trailing whitespace, longer runs of blank lines) without changing its AST
//     does not change the formatted text.
#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/compiler/fmt/fmt_helpers.h"
#include "tests/support/test_paths.h"

namespace drover::hclfmt {
namespace {

std::vector<std::string> CorpusFiles() {
  std::ifstream in(testing::CorpusDir() + "/MANIFEST.tsv");
  std::vector<std::string> files;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::string file = line.substr(0, line.find('\t'));
    if (!file.empty()) files.push_back(file);
  }
  return files;
}

TEST(FmtCorpusTest, IdempotentAndAstPreservingOnEveryParsingFile) {
  std::vector<std::string> files = CorpusFiles();
  ASSERT_EQ(files.size(), 400u) << "corpus manifest not found under " << testing::CorpusDir();
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  int changed = 0;
  for (const std::string& file : files) {
    std::string text = testing::ReadFileOrDie(testing::CorpusDir() + "/" + file);
    std::optional<std::string> ast = DumpAst(text);
    if (!ast) {
      ++skipped;
      EXPECT_FALSE(FormatText(text)) << file << " does not parse, yet formats";
      continue;
    }
    std::string errors;
    std::optional<std::string> once = FormatText(text, &errors, file);
    if (!once) {
      ++failed;
      ADD_FAILURE() << file << ": parses but does not format:\n" << errors;
      continue;
    }
    std::optional<std::string> twice = FormatText(*once, &errors, file);
    std::optional<std::string> ast_after = DumpAst(*once);
    bool ok = true;
    if (!twice) {
      ok = false;
      ADD_FAILURE() << file << ": formatted text does not parse:\n" << errors << "\n" << *once;
    } else if (*twice != *once) {
      ok = false;
      ADD_FAILURE() << file << ": formatting is not idempotent; first pass:\n"
                    << *once << "\nsecond pass:\n"
                    << *twice;
    }
    if (ok && ast_after != ast) {
      ok = false;
      ADD_FAILURE() << file << ": formatting changed the AST\nbefore: " << *ast
                    << "\nafter:  " << ast_after.value_or("<no parse>");
    }
    if (ok && (once->empty() || once->back() != '\n' || once->ends_with("\n\n"))) {
      ok = false;
      ADD_FAILURE() << file << ": output does not end with exactly one newline";
    }
    if (ok) {
      ++passed;
      if (*once != text) ++changed;
    } else {
      ++failed;
    }
  }
  std::printf(
      "fmt corpus: %d passed, %d failed (%d do not parse and were skipped; %d changed by "
      "formatting)\n",
      passed, failed, skipped, changed);
  EXPECT_EQ(failed, 0);
  EXPECT_GT(passed, 380);
}

using syntax::TokenKind;

// Gaps at the level of template text (where a space would be part of the string).
bool TemplateLevelGap(TokenKind prev, TokenKind next) {
  auto is_ctrl = [](TokenKind k) { return k >= TokenKind::kCtrlIf && k <= TokenKind::kCtrlEndfor; };
  return prev == TokenKind::kOQuote || prev == TokenKind::kTemplateLit ||
         prev == TokenKind::kHeredocBegin || prev == TokenKind::kTemplateEnd ||
         next == TokenKind::kCQuote || next == TokenKind::kTemplateLit ||
         next == TokenKind::kHeredocEnd || next == TokenKind::kTemplateInterp || is_ctrl(next);
}

// Tokens that glue to a neighbour when the space between them goes (`a b` -> `ab`, `a -1`).
bool Glues(TokenKind k) {
  return k == TokenKind::kIdent || k == TokenKind::kFor || k == TokenKind::kNumber ||
         k == TokenKind::kMinus || k == TokenKind::kComment || k == TokenKind::kString ||
         k == TokenKind::kOQuote || k == TokenKind::kCQuote || k == TokenKind::kDot;
}

// `text` with the whitespace between its tokens and comments changed at random, line breaks kept
// (a blank line may become several). Template text and heredoc bodies are left as they are.
std::string Respace(const std::string& text, std::mt19937& rng) {
  diag::DiagnosticEngine diags;
  syntax::LexResult lex = syntax::Lex(text, 1, diags);
  std::vector<syntax::Token> items;
  for (const syntax::Token& t : lex.tokens) {
    if (t.kind != TokenKind::kNewline && t.kind != TokenKind::kEof) items.push_back(t);
  }
  items.insert(items.end(), lex.comments.begin(), lex.comments.end());
  std::sort(items.begin(), items.end(),
            [](const syntax::Token& a, const syntax::Token& b) { return a.begin < b.begin; });
  auto pick = [&](std::initializer_list<const char*> options) {
    std::uniform_int_distribution<size_t> d(0, options.size() - 1);
    return std::string(options.begin()[d(rng)]);
  };
  std::string out;
  int heredoc_depth = 0;
  uint32_t prev = 0;
  TokenKind prev_kind = TokenKind::kNewline;
  for (const syntax::Token& t : items) {
    std::string gap = text.substr(prev, t.begin - prev);
    if (heredoc_depth > 0 || TemplateLevelGap(prev_kind, t.kind)) {
      out += gap;
    } else if (size_t nl = gap.find('\n'); nl != std::string::npos) {
      size_t newlines = std::count(gap.begin(), gap.end(), '\n');
      // Trailing whitespace, except after a heredoc's closing marker (it would not close).
      if (prev_kind != TokenKind::kHeredocEnd) out += pick({"", " ", "\t "});
      out += std::string(newlines, '\n');
      if (newlines > 1) out += pick({"", "\n", "  \n"});
      out += pick({"", "  ", "\t", "     "});  // indentation
    } else if (Glues(prev_kind) && Glues(t.kind)) {
      out += gap.empty() ? "" : pick({" ", "  ", "\t"});
    } else {
      out += pick({"", " ", "  ", "\t"});
    }
    out += text.substr(t.begin, t.end - t.begin);
    prev = t.end;
    prev_kind = t.kind;
    if (t.kind == TokenKind::kHeredocBegin) ++heredoc_depth;
    if (t.kind == TokenKind::kHeredocEnd) --heredoc_depth;
  }
  out += text.substr(std::min<size_t>(prev, text.size()));
  return out;
}

TEST(FmtCorpusTest, OutputDoesNotDependOnTheInputsSpacing) {
  constexpr unsigned kSeed = 20261129;
  constexpr int kMutantsPerFile = 3;
  std::mt19937 rng(kSeed);
  int passed = 0;
  int failed = 0;
  int discarded = 0;  // mutants whose AST differs (e.g. two names glued together)
  for (const std::string& file : CorpusFiles()) {
    std::string text = testing::ReadFileOrDie(testing::CorpusDir() + "/" + file);
    // Directives keep the spacing they were written with (see compiler/fmt/README.md).
    if (text.find("%{") != std::string::npos) continue;
    std::optional<std::string> ast = DumpAst(text);
    if (!ast) continue;
    std::optional<std::string> expected = FormatText(text);
    ASSERT_TRUE(expected) << file;
    for (int m = 0; m < kMutantsPerFile; ++m) {
      std::string mutant = Respace(text, rng);
      if (DumpAst(mutant) != ast) {
        ++discarded;
        continue;
      }
      std::optional<std::string> got = FormatText(mutant);
      if (got == expected) {
        ++passed;
        continue;
      }
      ++failed;
      ADD_FAILURE() << file << " (seed " << kSeed << ", mutant " << m
                    << "): re-spaced input formats differently\ninput:\n"
                    << mutant << "\nformatted:\n"
                    << got.value_or("<error>") << "\nexpected:\n"
                    << *expected;
    }
  }
  std::printf("fmt re-spacing: %d passed, %d failed (%d mutants discarded: AST changed)\n", passed,
              failed, discarded);
  EXPECT_EQ(failed, 0);
  EXPECT_GT(passed, 1100);
}

// Random byte edits of corpus files (insert, delete or replace a character from HCL's
// punctuation, digits, letters and whitespace); every mutant that still parses must format
// idempotently to text with its AST. This reaches constructs the corpus does not use.
TEST(FmtCorpusTest, MutantsThatParseFormatIdempotentlyWithTheirAst) {
  constexpr unsigned kSeed = 7;
  constexpr int kMutants = 4000;
  constexpr std::string_view kAlphabet = "{}[]()=.,:?!-+*/%<>&|\"$~#\n \t0123456789abxy_";
  std::vector<std::string> files = CorpusFiles();
  ASSERT_FALSE(files.empty());
  std::mt19937 rng(kSeed);
  int parsed = 0;
  int failed = 0;
  for (int m = 0; m < kMutants; ++m) {
    const std::string& file = files[rng() % files.size()];
    std::string text = testing::ReadFileOrDie(testing::CorpusDir() + "/" + file);
    if (text.empty()) continue;
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
      size_t at = rng() % text.size();
      char c = kAlphabet[rng() % kAlphabet.size()];
      switch (rng() % 3) {
        case 0:
          text.insert(at, 1, c);
          break;
        case 1:
          text.erase(at, 1);
          break;
        default:
          text[at] = c;
          break;
      }
      if (text.empty()) break;
    }
    std::optional<std::string> ast = DumpAst(text);
    if (!ast) continue;
    ++parsed;
    std::optional<std::string> once = FormatText(text);
    std::optional<std::string> twice = once ? FormatText(*once) : std::nullopt;
    if (once && twice == once && DumpAst(*once) == ast) continue;
    ++failed;
    ADD_FAILURE() << "mutant " << m << " of " << file << " (seed " << kSeed
                  << "): not idempotent or AST changed\ninput:\n"
                  << text << "\nformatted:\n"
                  << once.value_or("<error>");
  }
  std::printf("fmt mutants: %d passed, %d failed (%d of %d mutants parse)\n", parsed - failed,
              failed, parsed, kMutants);
  EXPECT_EQ(failed, 0);
  EXPECT_GT(parsed, 500);
}

}  // namespace
}  // namespace drover::hclfmt
