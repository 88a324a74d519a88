// Formatter speed on the corpus, warm, all files that parse in one iteration:
//   BM_FormatTokensCorpus  lex + format (the formatter's own cost)
//   BM_FormatCorpus        hclfmt::Format: parse (to reject invalid files) + format, what
//                          `drover fmt` does per file
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench/corpus.h"
#include "compiler/fmt/format.h"
#include "compiler/syntax/parser.h"

namespace {

std::vector<std::string> LoadParsingCorpus() {
  std::vector<std::string> files;
  for (drover::bench::CorpusFile& f : drover::bench::LoadCorpus()) {
    drover::diag::SourceManager sm;
    drover::diag::DiagnosticEngine diags;
    drover::diag::FileId id = sm.AddBuffer("bench.hcl", f.text);
    if (drover::syntax::Parse(sm, id, diags).file != nullptr) files.push_back(std::move(f.text));
  }
  return files;
}

const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> files = LoadParsingCorpus();
  return files;
}

void BM_FormatTokensCorpus(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& text : Corpus()) {
      drover::diag::DiagnosticEngine diags;
      drover::syntax::LexResult lex = drover::syntax::Lex(text, 1, diags);
      std::string out = drover::hclfmt::FormatTokens(text, lex);
      benchmark::DoNotOptimize(out.data());
      bytes += text.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["files"] = static_cast<double>(Corpus().size());
}
BENCHMARK(BM_FormatTokensCorpus)->Unit(benchmark::kMillisecond);

void BM_FormatCorpus(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& text : Corpus()) {
      drover::diag::SourceManager sm;
      drover::diag::DiagnosticEngine diags;
      drover::diag::FileId id = sm.AddBuffer("bench.hcl", text);
      std::optional<std::string> out = drover::hclfmt::Format(sm, id, diags);
      if (!out) state.SkipWithError("a corpus file that parses did not format");
      benchmark::DoNotOptimize(out);
      bytes += text.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["files"] = static_cast<double>(Corpus().size());
}
BENCHMARK(BM_FormatCorpus)->Unit(benchmark::kMillisecond);

}  // namespace
BENCHMARK_MAIN();
