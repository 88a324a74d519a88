// Golden cases for the formatter: every tests/golden/fmt/<case>.in.hcl formats to exactly
// <case>.out.hcl (byte for byte). The expected files are rewritten only with DROVER_UPDATE_GOLDEN=1
// (or --update); review the diff. Each expected file must also be a fixed point of the formatter
// and have the AST of its input.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/compiler/fmt/fmt_helpers.h"
#include "tests/support/test_paths.h"

namespace drover::hclfmt {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kInSuffix = ".in.hcl";

std::string GoldenDir() { return testing::SourceDir() + "/tests/golden/fmt"; }

std::vector<std::string> Cases() {
  std::vector<std::string> cases;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(GoldenDir(), ec)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(kInSuffix)) cases.push_back(name.substr(0, name.size() - kInSuffix.size()));
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

class FmtGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FmtGoldenTest, MatchesExpectedOutput) {
  std::string base = GoldenDir() + "/" + GetParam();
  std::string input = testing::ReadFileOrDie(base + ".in.hcl");
  std::string errors;
  std::optional<std::string> got = FormatText(input, &errors, GetParam() + ".in.hcl");
  ASSERT_TRUE(got) << "input does not parse:\n" << errors;
  if (testing::UpdateGoldens()) {
    std::ofstream(base + ".out.hcl", std::ios::binary) << *got;
    GTEST_SKIP() << "updated " << base << ".out.hcl";
  }
  std::string expected = testing::ReadFileOrDie(base + ".out.hcl");
  EXPECT_EQ(*got, expected) << "run with DROVER_UPDATE_GOLDEN=1 to accept the new output";
  EXPECT_EQ(FormatText(expected), expected) << "the expected output is not a fixed point";
  EXPECT_EQ(DumpAst(expected), DumpAst(input)) << "formatting changed the AST";
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

INSTANTIATE_TEST_SUITE_P(Cases, FmtGoldenTest, ::testing::ValuesIn(Cases()), CaseName);

TEST(FmtGoldenSetTest, CoversEveryTopic) {
  std::vector<std::string> cases = Cases();
  for (const char* topic : {"alignment", "nesting", "objects", "tuples", "heredocs", "comments",
                            "blank_lines", "one_line_blocks", "operators", "templates"}) {
    EXPECT_NE(std::find(cases.begin(), cases.end(), topic), cases.end()) << topic;
  }
}

}  // namespace
}  // namespace drover::hclfmt
