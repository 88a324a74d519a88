// Compile speed on the corpus: parse -> evaluate -> decode -> canonicalize + validate, per file,
// against parsing alone (what bench/parse_bench.cpp measures), in one binary so that both run on
// the same machine state.
//   compile_bench --benchmark_filter=BM_MedianPerFile     median µs/file: parse, compile, ratio
//   compile_bench --benchmark_filter='BM_(Parse|Compile)Corpus'
// The files run without -var values: the few that need them stop after evaluation.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "bench/corpus.h"
#include "compiler/compile/compile.h"
#include "compiler/syntax/parser.h"

namespace {

using drover::bench::CorpusFile;

const std::vector<CorpusFile>& Corpus() { return drover::bench::CorpusFiles(); }

void ParseOne(const std::string& text) {
  drover::diag::SourceManager sm;
  drover::diag::DiagnosticEngine diags;
  drover::diag::FileId id = sm.AddBuffer("bench.hcl", text);
  drover::syntax::ParseResult r = drover::syntax::Parse(sm, id, diags);
  benchmark::DoNotOptimize(r.file);
}

void CompileOne(const std::string& text) {
  drover::diag::SourceManager sm;
  drover::diag::DiagnosticEngine diags;
  drover::diag::FileId id = sm.AddBuffer("bench.hcl", text);
  drover::compile::CompileOptions options;
  options.eval.now_unix_nanos = 1700000000LL * 1000000000LL;
  options.eval.seed = 1;
  drover::compile::CompileResult r = drover::compile::Compile(sm, id, options, diags);
  benchmark::DoNotOptimize(r.job);
}

void BM_ParseCorpus(benchmark::State& state) {
  for (auto _ : state) {
    for (const CorpusFile& f : Corpus()) ParseOne(f.text);
  }
  state.counters["files"] = static_cast<double>(Corpus().size());
}
BENCHMARK(BM_ParseCorpus)->Unit(benchmark::kMillisecond);

void BM_CompileCorpus(benchmark::State& state) {
  for (auto _ : state) {
    for (const CorpusFile& f : Corpus()) CompileOne(f.text);
  }
  state.counters["files"] = static_cast<double>(Corpus().size());
}
BENCHMARK(BM_CompileCorpus)->Unit(benchmark::kMillisecond);

void BM_CompileFile(benchmark::State& state) {
  const CorpusFile& f = Corpus()[static_cast<size_t>(state.range(0))];
  for (auto _ : state) CompileOne(f.text);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.text.size()));
  state.SetLabel(f.name);
}
void PerFileArgs(benchmark::internal::Benchmark* b) {
  for (size_t i = 0; i < Corpus().size(); ++i) b->Arg(static_cast<int64_t>(i));
}
BENCHMARK(BM_CompileFile)->Apply(PerFileArgs)->Unit(benchmark::kMicrosecond);

/// Times every file alone (best of `kReps` runs, to shed noise from the shared machine) and
/// reports the medians over the corpus as counters, in µs.
void BM_MedianPerFile(benchmark::State& state) {
  constexpr int kReps = 15;
  auto best = [](auto&& fn) {
    double best_us = 1e18;
    for (int i = 0; i < kReps; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      fn();
      auto t1 = std::chrono::steady_clock::now();
      best_us = std::min(best_us, std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    return best_us;
  };
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  std::vector<double> parse, compile, ratio;
  for (auto _ : state) {
    parse.clear();
    compile.clear();
    ratio.clear();
    for (const CorpusFile& f : Corpus()) {
      double p = best([&] { ParseOne(f.text); });
      double c = best([&] { CompileOne(f.text); });
      parse.push_back(p);
      compile.push_back(c);
      ratio.push_back(c / p);
    }
  }
  state.counters["parse_us_median"] = median(parse);
  state.counters["compile_us_median"] = median(compile);
  state.counters["ratio_of_medians"] = median(compile) / median(parse);
  state.counters["median_ratio"] = median(ratio);
}
BENCHMARK(BM_MedianPerFile)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
