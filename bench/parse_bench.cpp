// Parse speed on the corpus: each corpus file is parsed to an AST (lex + ANTLR parse + AST
// build), warm, one benchmark per file; BM_ParseCorpus parses all 400 in one iteration.
//   parse_bench --benchmark_filter=BM_ParseCorpus
//   parse_bench --benchmark_format=json | bench/report_parse.py   (median µs/file, MB/s)
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/syntax/parser.h"

namespace {

struct CorpusFile {
  std::string name;
  std::string text;
};

std::vector<CorpusFile> LoadCorpus() {
  const char* env = std::getenv("DROVER_CORPUS_DIR");
  std::string dir = env != nullptr ? env : DROVER_CORPUS_DIR;
  std::vector<CorpusFile> files;
  std::ifstream manifest(dir + "/MANIFEST.tsv");
  std::string line;
  std::getline(manifest, line);
  while (std::getline(manifest, line)) {
    std::string path = line.substr(0, line.find('\t'));
    std::ifstream f(dir + "/" + path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    files.push_back({path, ss.str()});
  }
  return files;
}

const std::vector<CorpusFile>& Corpus() {
  static const std::vector<CorpusFile> files = LoadCorpus();
  return files;
}

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

}  // namespace

BENCHMARK_MAIN();
