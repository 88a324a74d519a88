// The job-file corpus (shared/corpus) as the benchmarks read it: every file MANIFEST.tsv lists, in
// its order, read whole. The folder is $DROVER_CORPUS_DIR when set, else the one CMake compiled in.
#pragma once

#include <string>
#include <vector>

namespace drover::bench {

/// One corpus file: its path as MANIFEST.tsv names it (relative to the corpus folder) and its
/// bytes.
struct CorpusFile {
  std::string name;
  std::string text;
};

/// Reads the corpus afresh; empty when the manifest is missing (a file that cannot be read is
/// kept with empty text).
std::vector<CorpusFile> LoadCorpus();

/// LoadCorpus() once per process, for benchmarks that go over the same files many times.
const std::vector<CorpusFile>& CorpusFiles();

}  // namespace drover::bench
