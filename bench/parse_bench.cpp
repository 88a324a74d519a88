// Parse speed on the corpus: each corpus file is parsed to an AST (lex + ANTLR parse + AST
// build), warm, one benchmark per file; BM_ParseCorpus parses all 400 in one iteration.
//   parse_bench --benchmark_filter=BM_ParseCorpus
//   parse_bench --report            median µs per file, MB/s, whole-corpus time, and the
//                                   comparison with HashiCorp's parser (README "Performance")
#include <benchmark/benchmark.h>

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/corpus.h"
#include "compiler/syntax/parser.h"

namespace {

using drover::bench::CorpusFile;

const std::vector<CorpusFile>& Corpus() { return drover::bench::CorpusFiles(); }

void ParseOne(const std::string& text, benchmark::State& state) {
  drover::diag::SourceManager sm;
  drover::diag::DiagnosticEngine diags;
  drover::diag::FileId id = sm.AddBuffer("bench.hcl", text);
  drover::syntax::ParseResult r = drover::syntax::Parse(sm, id, diags);
  benchmark::DoNotOptimize(r.file);
  if (diags.HasErrors() && r.file != nullptr) state.SkipWithError("inconsistent parse result");
}

void BM_ParseCorpus(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    for (const CorpusFile& f : Corpus()) {
      ParseOne(f.text, state);
      bytes += f.text.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["files"] = static_cast<double>(Corpus().size());
}
BENCHMARK(BM_ParseCorpus)->Unit(benchmark::kMillisecond);

void BM_ParseFile(benchmark::State& state) {
  const CorpusFile& f = Corpus()[static_cast<size_t>(state.range(0))];
  for (auto _ : state) ParseOne(f.text, state);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.text.size()));
  state.SetLabel(f.name);
}

void PerFileArgs(benchmark::internal::Benchmark* b) {
  for (size_t i = 0; i < Corpus().size(); ++i) b->Arg(static_cast<int64_t>(i));
}
BENCHMARK(BM_ParseFile)->Apply(PerFileArgs)->Unit(benchmark::kMicrosecond);

// ---- --report ----------------------------------------------------------------------------------

// HashiCorp's parser (hclsyntax via @cdktf/hcl2json, Go compiled to WASM, Node 20), one warm
// process over the same 400 files, as measured for the issue "Foundation and the HCL front end".
constexpr double kHashiCorpCorpusSeconds = 3.3;
constexpr double kHashiCorpMedianMs = 2.2;

// CPU time of this thread: the machine is shared, and wall time would count other people's work.
double ThreadSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double WallSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

bool ParsesClean(const std::string& text) {
  drover::diag::SourceManager sm;
  drover::diag::DiagnosticEngine diags;
  drover::diag::FileId id = sm.AddBuffer("bench.hcl", text);
  drover::syntax::ParseResult r = drover::syntax::Parse(sm, id, diags);
  return r.file != nullptr;
}

int Report() {
  const std::vector<CorpusFile>& files = Corpus();
  if (files.empty()) {
    std::fprintf(stderr, "parse_bench: no corpus (set DROVER_CORPUS_DIR)\n");
    return 1;
  }
  size_t bytes = 0;
  int parsed = 0;
  for (const CorpusFile& f : files) {  // warm-up, and count what parses
    bytes += f.text.size();
    parsed += ParsesClean(f.text) ? 1 : 0;
  }
  // Per file: the median of repeated parses (at least 15, and at least 2 ms of CPU).
  std::vector<double> per_file_us;
  for (const CorpusFile& f : files) {
    std::vector<double> runs;
    double spent = 0;
    while (runs.size() < 15 || spent < 2e-3) {
      double t0 = ThreadSeconds();
      ParsesClean(f.text);
      double dt = ThreadSeconds() - t0;
      runs.push_back(dt * 1e6);
      spent += dt;
    }
    per_file_us.push_back(Median(runs));
  }
  // Whole corpus, one pass after another: the median pass, in CPU and in wall time.
  std::vector<double> pass_cpu, pass_wall;
  for (int pass = 0; pass < 15; ++pass) {
    double c0 = ThreadSeconds(), w0 = WallSeconds();
    for (const CorpusFile& f : files) ParsesClean(f.text);
    pass_cpu.push_back(ThreadSeconds() - c0);
    pass_wall.push_back(WallSeconds() - w0);
  }
  double median_us = Median(per_file_us);
  double corpus_s = Median(pass_cpu);
  double mb = static_cast<double>(bytes) / 1e6;
  std::printf("corpus: %zu files, %.2f MB, %d parse without errors\n", files.size(), mb, parsed);
  std::printf("per file (CPU, median of repeats): median %.1f us, p90 %.1f us, max %.1f us\n",
              median_us, Percentile(per_file_us, 0.9), Percentile(per_file_us, 1.0));
  std::printf("whole corpus, one warm pass: %.1f ms CPU (median of 15), %.1f ms wall\n",
              corpus_s * 1e3, Median(pass_wall) * 1e3);
  std::printf("throughput: %.1f MB/s\n", mb / corpus_s);
  std::printf(
      "vs HashiCorp's parser via WASM (%.1f s corpus, %.1f ms median file): %.0fx faster "
      "on the corpus, %.0fx on the median file\n",
      kHashiCorpCorpusSeconds, kHashiCorpMedianMs, kHashiCorpCorpusSeconds / corpus_s,
      kHashiCorpMedianMs * 1e3 / median_us);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--report") == 0) return Report();
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
