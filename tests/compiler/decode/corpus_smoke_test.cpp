// Debug aid (disabled by default): compiles every corpus file and prints its diagnostics.
//   corpus_smoke_test --gtest_also_run_disabled_tests [SMOKE_ALL=1 for non-valid files too]
#include <iostream>

#include <gtest/gtest.h>

#include "tests/compiler/compile/corpus_support.h"

namespace drover::testing {
namespace {

TEST(CorpusSmoke, DISABLED_CompileAll) {
  int files = 0, with_errors = 0;
  for (const CorpusEntry& e : LoadCorpusManifest()) {
    if (e.expectation != "valid" && std::getenv("SMOKE_ALL") == nullptr) continue;
    if (const char* only = std::getenv("SMOKE_ONLY"); only != nullptr && e.file != only) continue;
    std::cout << "--- " << e.file << std::endl;
    auto c = CompileCorpusFile(e.file, std::getenv("SMOKE_SEMA") != nullptr);
    ++files;
    if (c->diags.HasErrors()) {
      ++with_errors;
      std::cout << c->Errors();
    }
  }
  std::cout << files << " files, " << with_errors << " with errors\n";
}

}  // namespace
}  // namespace drover::testing
