#include "tests/support/test_paths.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace drover::testing {
namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

bool g_update = false;

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

std::string SourceDir() { return Env("DROVER_SOURCE_DIR", DROVER_DEFAULT_SOURCE_DIR); }
std::string BinaryDir() { return Env("DROVER_BINARY_DIR", DROVER_DEFAULT_BINARY_DIR); }
std::string CorpusDir() { return Env("DROVER_CORPUS_DIR", SourceDir() + "/../shared/corpus"); }
std::string DroverExe() { return Env("DROVER_EXE", BinaryDir() + "/runtime/drover"); }

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

CommandResult RunCommand(const std::string& command, const std::string& stdin_text) {
  char in_tmpl[] = "/tmp/drover-test-in-XXXXXX";
  char out_tmpl[] = "/tmp/drover-test-out-XXXXXX";
  char err_tmpl[] = "/tmp/drover-test-err-XXXXXX";
  int in_fd = mkstemp(in_tmpl);
  int out_fd = mkstemp(out_tmpl);
  int err_fd = mkstemp(err_tmpl);
  if (write(in_fd, stdin_text.data(), stdin_text.size()) < 0) ADD_FAILURE() << "write stdin";
  close(in_fd);
  close(out_fd);
  close(err_fd);
  std::string full = "(" + command + ") <" + in_tmpl + " >" + out_tmpl + " 2>" + err_tmpl;
  int status = std::system(full.c_str());
  CommandResult r{WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), Slurp(out_tmpl),
                  Slurp(err_tmpl)};
  std::remove(in_tmpl);
  std::remove(out_tmpl);
  std::remove(err_tmpl);
  return r;
}

bool UpdateGoldens() { return g_update || Env("DROVER_UPDATE_GOLDEN", "") == "1"; }
void SetUpdateGoldens(bool update) { g_update = update; }

}  // namespace drover::testing
