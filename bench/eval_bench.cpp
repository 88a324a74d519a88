// Evaluation speed on the corpus: every corpus file that parses is evaluated (variables, locals,
// functions, dynamic blocks, runtime references) from its already-built AST, warm.
// Variables without defaults get no value, so those files stop after the variable stage.
//   eval_bench --benchmark_filter=BM_EvalCorpus
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "bench/corpus.h"
#include "compiler/eval/evaluate.h"
#include "compiler/syntax/parser.h"

namespace {

struct Parsed {
  drover::diag::SourceManager sm;
  std::vector<drover::syntax::ParseResult> files;
};

const Parsed& Corpus() {
  static const Parsed* parsed = [] {
    auto* p = new Parsed;
    for (drover::bench::CorpusFile& f : drover::bench::LoadCorpus()) {
      drover::diag::DiagnosticEngine diags;
      auto id = p->sm.AddBuffer(f.name, std::move(f.text));
      drover::syntax::ParseResult r = drover::syntax::Parse(p->sm, id, diags);
      if (r.file != nullptr) p->files.push_back(std::move(r));
    }
    return p;
  }();
  return *parsed;
}

void BM_EvalCorpus(benchmark::State& state) {
  const Parsed& corpus = Corpus();
  drover::eval::EvalOptions options;
  options.allow_fs = false;
  for (auto _ : state) {
    for (const auto& r : corpus.files) {
      drover::diag::DiagnosticEngine diags;
      auto body = drover::eval::EvaluateFile(*r.file, corpus.sm, options, diags);
      benchmark::DoNotOptimize(body);
    }
  }
  state.counters["files"] = static_cast<double>(corpus.files.size());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(corpus.files.size()));
}
BENCHMARK(BM_EvalCorpus)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
