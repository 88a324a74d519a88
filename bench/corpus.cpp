// Corpus loading for the benchmarks: MANIFEST.tsv's first column, after its header line.
#include "bench/corpus.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace drover::bench {

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

const std::vector<CorpusFile>& CorpusFiles() {
  static const std::vector<CorpusFile> files = LoadCorpus();
  return files;
}

}  // namespace drover::bench
