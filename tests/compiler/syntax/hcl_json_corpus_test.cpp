// Every corpus file that HashiCorp's hcl2json converts (MANIFEST.tsv column `hcl2json` = ok)
// converts to JSON equal to hcl2json's own output in ../shared/corpus/hcl2json/. The files it
// rejects are rejected by drover with a located diagnostic, except config-compatibility.hcl, which
// hcl2json parses but cannot map to JSON: drover parses it.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "compiler/syntax/hcl_json.h"
#include "tests/compiler/syntax/parse_helpers.h"
#include "tests/support/test_paths.h"

namespace drover::syntax {
namespace {

struct ManifestRow {
  std::string file;
  std::string expectation;
  std::string note;
  std::string hcl2json;
};

std::vector<ManifestRow> ReadManifest() {
  std::ifstream in(testing::CorpusDir() + "/MANIFEST.tsv");
  std::vector<ManifestRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 8) continue;
    rows.push_back({cols[0], cols[5], cols[6], cols[7]});
  }
  return rows;
}

TEST(HclJsonCorpusTest, MatchesHcl2JsonOnEveryConvertibleFile) {
  std::vector<ManifestRow> rows = ReadManifest();
  ASSERT_EQ(rows.size(), 400u) << "corpus manifest not found under " << testing::CorpusDir();
  int passed = 0;
  int failed = 0;
  for (const ManifestRow& row : rows) {
    if (row.hcl2json != "ok") continue;
    std::string text = testing::ReadFileOrDie(testing::CorpusDir() + "/" + row.file);
    nlohmann::json expected = nlohmann::json::parse(
        testing::ReadFileOrDie(testing::CorpusDir() + "/hcl2json/" + row.file + ".json"));
    auto p = ParseText(text, row.file);
    if (p->result.file == nullptr) {
      ++failed;
      ADD_FAILURE() << row.file << " does not parse:\n" << p->Errors();
      continue;
    }
    auto got = ToHclJson(*p->result.file, text, /*merge_repeated=*/false);
    if (!got) {
      ++failed;
      ADD_FAILURE() << row.file << ": " << llvm::toString(got.takeError());
      continue;
    }
    if (*got != expected) {
      ++failed;
      ADD_FAILURE() << row.file << " differs from hcl2json";
      continue;
    }
    ++passed;
  }
  std::printf("hcl2json corpus: %d passed, %d failed\n", passed, failed);
  EXPECT_EQ(passed, 395);
}

TEST(HclJsonCorpusTest, RejectsWhatHcl2JsonRejectsExceptConfigCompatibility) {
  int checked = 0;
  for (const ManifestRow& row : ReadManifest()) {
    if (row.hcl2json == "ok") continue;
    ++checked;
    std::string text = testing::ReadFileOrDie(testing::CorpusDir() + "/" + row.file);
    auto p = ParseText(text, row.file);
    if (row.file.ends_with("config-compatibility.hcl")) {
      ASSERT_NE(p->result.file, nullptr) << p->Errors();
      // hcl2json gives up on its repeated labelled blocks; drover keeps them side by side.
      EXPECT_FALSE(ToHclJson(*p->result.file, text, false));
      auto merged = ToHclJson(*p->result.file, text, true);
      ASSERT_TRUE(static_cast<bool>(merged));
      std::string dumped = merged->dump();
      EXPECT_NE(dumped.find("\"l23\""), std::string::npos);
      continue;
    }
    EXPECT_EQ(p->result.file, nullptr) << row.file;
    ASSERT_TRUE(p->diags.HasErrors()) << row.file;
    // hcl2json's message names the line; drover's first error is on the same line.
    size_t colon = row.hcl2json.find("FILE:");
    ASSERT_NE(colon, std::string::npos) << row.hcl2json;
    unsigned expected_line = std::stoul(row.hcl2json.substr(colon + 5));
    const diag::Diagnostic& first = p->diags.diagnostics()[0];
    EXPECT_EQ(p->sm.Begin(first.range).line, expected_line) << row.file << "\n" << p->Errors();
  }
  EXPECT_EQ(checked, 5);
}

}  // namespace
}  // namespace drover::syntax
