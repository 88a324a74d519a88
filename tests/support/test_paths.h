// Where tests find the repository, the build tree, the corpus and the drover binary.
// DROVER_SOURCE_DIR, DROVER_BINARY_DIR and DROVER_EXE override the paths baked in at build time.
#pragma once

#include <string>

namespace drover::testing {

std::string SourceDir();
std::string BinaryDir();
/// ../shared/corpus next to the repository (or $DROVER_CORPUS_DIR).
std::string CorpusDir();
std::string DroverExe();
/// Reads a whole file; fails the current test if it cannot.
std::string ReadFileOrDie(const std::string& path);

/// Runs a shell command; returns its exit status and captures stdout (and stderr if asked).
struct CommandResult {
  int exit_code;
  std::string out;
  std::string err;
};
CommandResult RunCommand(const std::string& command, const std::string& stdin_text = "");

/// True when tests should rewrite golden files instead of comparing (`--update` or
/// DROVER_UPDATE_GOLDEN=1).
bool UpdateGoldens();
void SetUpdateGoldens(bool update);

}  // namespace drover::testing
