// Hostile or broken input never crashes or hangs evaluation: work, nesting and size limits give
// located errors, and every corpus file evaluates (with errors, but without crashing) even when
// no variable values are given.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/compiler/eval/eval_helpers.h"
#include "tests/support/test_paths.h"

namespace drover::eval {
namespace {

TEST(LimitsTest, NestedForOverLargeRangesStopsWithAnError) {
  EvalFixture f;
  Value v = f.Eval(
      "[for a in range(1000) : [for b in range(1000) : [for c in range(1000) : a + b + c]]]");
  EXPECT_TRUE(v.IsUnknown());
  EXPECT_EQ(f.Codes()[0], "E0429");
}

TEST(LimitsTest, SizesAreCapped) {
  EXPECT_EQ(Show("length(range(2000000))").substr(0, 11), "ERROR E0413");
  EXPECT_EQ(Show("indent(100000000, \"a\\nb\")").substr(0, 11), "ERROR E0412");
  EXPECT_EQ(Show("length(format(\"%*d\", 1000000000, 1))"), "10000");
  EXPECT_EQ(Show("length(setproduct(range(1100), range(1000)))").substr(0, 11), "ERROR E0413");
}

TEST(LimitsTest, DeepDecodesAreRefused) {
  std::string deep(100000, '[');
  EXPECT_EQ(Show("jsondecode(\"" + deep + "\")").substr(0, 11), "ERROR E0412");
  std::string yaml;
  for (int i = 0; i < 2000; ++i) yaml += std::string(static_cast<size_t>(i), ' ') + "a:\\n";
  EXPECT_EQ(Show("yamldecode(\"" + yaml + "\")").substr(0, 11), "ERROR E0412");
}

TEST(LimitsTest, RegexSubjectsAreBounded) {
  EXPECT_EQ(Show("regex(\"(a|b)*c\", format(\"%020000d\", 0))").substr(0, 11), "ERROR E0412");
  EXPECT_EQ(Show("regexall(\"a\", format(\"%010000d\", 0))"), "[]");
}

TEST(LimitsTest, EveryCorpusFileEvaluatesWithoutVariablesWithoutCrashing) {
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::CorpusDir() + "/jobs")) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (ext == ".json" || ext == ".golden" || ext == ".md") continue;
    EvalFixture f;
    f.options.base_dir = entry.path().parent_path().string();
    diag::FileId fid =
        f.sm.AddBuffer(entry.path().string(), testing::ReadFileOrDie(entry.path().string()));
    diag::DiagnosticEngine parse_diags;
    syntax::ParseResult pr = syntax::Parse(f.sm, fid, parse_diags);
    if (pr.file == nullptr) continue;
    EvaluateFile(*pr.file, f.sm, f.options, f.diags);
    for (const auto& d : f.diags.diagnostics()) {
      EXPECT_TRUE(d.range.IsValid() || d.kind == diag::DiagKind::kUndeclaredVariableValue)
          << entry.path() << ": " << d.message;
    }
    ++files;
  }
  EXPECT_GT(files, 350);
}

}  // namespace
}  // namespace drover::eval
