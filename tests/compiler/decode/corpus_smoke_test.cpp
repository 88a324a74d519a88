// Temporary: decode every corpus file with the literal evaluator and print the diagnostics.
#include <fstream>
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/compiler/decode/decode_helpers.h"
#include "tests/support/test_paths.h"

namespace drover::testing {
namespace {

TEST(CorpusSmoke, DecodeAll) {
  std::ifstream manifest(CorpusDir() + "/MANIFEST.tsv");
  std::string line;
  std::getline(manifest, line);
  int files = 0, with_errors = 0;
  while (std::getline(manifest, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, '\t')) cols.push_back(c);
    if (cols.size() < 6) continue;
    if (cols[5] != "valid" && std::getenv("SMOKE_ALL") == nullptr) continue;
    std::string text = ReadFileOrDie(CorpusDir() + "/" + cols[0]);
    auto d = DecodeText(text, cols[0]);
    ++files;
    if (d->diags.HasErrors()) {
      ++with_errors;
      std::cout << "=== " << cols[0] << " (" << cols[5] << ")\n" << d->Errors();
    }
  }
  std::cout << files << " files, " << with_errors << " with errors\n";
}

}  // namespace
}  // namespace drover::testing
