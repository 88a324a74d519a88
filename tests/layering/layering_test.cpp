// The include graph follows DESIGN.md's layers: runtime -> reconciler -> compiler -> grammar.
// The build already refuses an upward include (each target sees only the include roots of its
// dependencies); this test reads every source file and says which include breaks the rule, and
// keeps ANTLR-generated headers private to compiler/syntax/parser.cpp.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_paths.h"

namespace drover {
namespace {

namespace fs = std::filesystem;

int Rank(const std::string& layer) {
  static const std::map<std::string, int> kRank = {
      {"grammar", 0}, {"compiler", 1}, {"reconciler", 2}, {"runtime", 3}};
  auto it = kRank.find(layer);
  return it == kRank.end() ? -1 : it->second;
}

std::string TopFolder(const std::string& rel) { return rel.substr(0, rel.find('/')); }

struct Violation {
  std::string file;
  int line;
  std::string include;
};

// Returns every include in `root` (relative to the repository) that breaks a rule.
std::vector<Violation> FindViolations(const fs::path& root) {
  std::vector<Violation> out;
  const std::regex include_re(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  for (const char* layer : {"compiler", "reconciler", "runtime"}) {
    if (!fs::exists(root / layer)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / layer)) {
      if (!entry.is_regular_file()) continue;
      std::string ext = entry.path().extension();
      if (ext != ".h" && ext != ".cpp" && ext != ".def") continue;
      std::string rel = fs::relative(entry.path(), root).string();
      std::ifstream in(entry.path());
      std::string text;
      int line_no = 0;
      while (std::getline(in, text)) {
        ++line_no;
        std::smatch m;
        if (!std::regex_search(text, m, include_re)) continue;
        std::string inc = m[1];
        std::string target_layer = TopFolder(inc);
        if (Rank(target_layer) > Rank(layer)) out.push_back({rel, line_no, inc});
        bool generated = inc.starts_with("grammar/") || inc.find("antlr4-runtime") != std::string::npos;
        if (generated && rel != "compiler/syntax/parser.cpp") out.push_back({rel, line_no, inc});
      }
    }
  }
  return out;
}

TEST(LayeringTest, NoUpwardIncludes) {
  std::vector<Violation> found = FindViolations(testing::SourceDir());
  for (const Violation& v : found) {
    ADD_FAILURE() << v.file << ":" << v.line << ": includes `" << v.include
                  << "`, which is above its layer or private to compiler/syntax";
  }
  EXPECT_TRUE(found.empty());
}

// The check must be able to fail: a synthetic tree with an upward include and a stray ANTLR
// include is caught.
TEST(LayeringTest, DetectsViolationsInASyntheticTree) {
  fs::path root = fs::temp_directory_path() / ("drover-layering-" + std::to_string(::getpid()));
  fs::create_directories(root / "compiler/eval");
  fs::create_directories(root / "reconciler/diff");
  std::ofstream(root / "compiler/eval/bad.cpp") << "#include \"runtime/store/state_store.h\"\n";
  std::ofstream(root / "reconciler/diff/bad.h") << "#include \"antlr4-runtime.h\"\n"
                                                << "#include \"compiler/ir/job.h\"\n";
  std::vector<Violation> found = FindViolations(root);
  fs::remove_all(root);
  ASSERT_EQ(found.size(), 2u);
  std::vector<std::string> files = {found[0].file, found[1].file};
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files[0], "compiler/eval/bad.cpp");
  EXPECT_EQ(files[1], "reconciler/diff/bad.h");
}

}  // namespace
}  // namespace drover
