// Golden diagnostic tests: runs the real `drover` binary on every case in tests/golden/diag/ and
// compares what it prints, byte for byte, with the expected files next to the case.
//
// A case is one self-describing file, e.g. unterminated_string.hcl, whose first lines are header
// comments:
//   # ARGS: parse %s          the drover command line (shell words); %s = the case file's name
//   # EXIT: 1                 the expected exit code
//   # STDIN: %s               optional: standard input is the case file (default: empty)
//   # STDIN-BYTES: 1048577   optional: standard input is that many NUL bytes (a sparse file)
// drover runs in tests/golden/diag/, so the paths it prints are relative and the goldens portable.
// Expected output: <case>.stderr (always) and <case>.stdout (only when stdout is not empty).
// Every case runs twice and must print the same both times (determinism).
//
// `diag_golden_test --update` or DROVER_UPDATE_GOLDEN=1 rewrites the expected files and the EXIT
// line instead of comparing; review the result with `git diff`.
//
// The coverage gate (CoverageTest) reads compiler/diag/diagnostic_kinds.def when it runs and fails
// for any code that no expected .stderr or .stdout mentions, unless tests/golden/diag/UNTESTED
// lists it with a reason.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_paths.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

std::string CaseDir() { return SourceDir() + "/tests/golden/diag"; }

struct Case {
  std::string name;  ///< file name inside CaseDir()
  std::string args;
  int exit_code = -1;
  bool stdin_is_case = false;
  long long stdin_bytes = -1;
  std::string header_error;  ///< why the header is unusable, if it is
};

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

Case ReadCase(const std::string& name) {
  Case c;
  c.name = name;
  std::ifstream in(CaseDir() + "/" + name, std::ios::binary);
  std::string line;
  while (std::getline(in, line) && line.starts_with("# ")) {
    size_t colon = line.find(": ");
    if (colon == std::string::npos) break;
    std::string key = line.substr(2, colon - 2);
    std::string value = line.substr(colon + 2);
    if (key == "ARGS") {
      c.args = ReplaceAll(value, "%s", name);
    } else if (key == "EXIT") {
      c.exit_code = std::atoi(value.c_str());
    } else if (key == "STDIN" && value == "%s") {
      c.stdin_is_case = true;
    } else if (key == "STDIN-BYTES") {
      c.stdin_bytes = std::atoll(value.c_str());
    } else {
      break;
    }
  }
  if (c.args.empty()) c.header_error = "no `# ARGS:` header line";
  if (c.exit_code < 0) c.header_error = "no `# EXIT:` header line";
  return c;
}

bool IsCaseFile(const fs::path& p) {
  std::string n = p.filename().string();
  return fs::is_regular_file(p) && !n.ends_with(".stderr") && !n.ends_with(".stdout") &&
         n != "UNTESTED" && n != "README.md" && !n.starts_with(".");
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(CaseDir(), ec)) {
    if (IsCaseFile(e.path())) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadOrEmpty(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
}

// A sparse file of `bytes` NUL bytes: large inputs cost no disk.
std::string SparseFile(long long bytes) {
  char path[] = "/tmp/drover-golden-stdin-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0 || ftruncate(fd, bytes) != 0) ADD_FAILURE() << "cannot make " << path;
  if (fd >= 0) close(fd);
  return path;
}

CommandResult RunCase(const Case& c) {
  std::string cmd = "cd '" + CaseDir() + "' && '" + DroverExe() + "' " + c.args;
  std::string sparse;
  if (c.stdin_is_case) {
    cmd += " < '" + c.name + "'";
  } else if (c.stdin_bytes >= 0) {
    sparse = SparseFile(c.stdin_bytes);
    cmd += " < '" + sparse + "'";
  }
  CommandResult r = RunCommand(cmd);
  if (!sparse.empty()) std::remove(sparse.c_str());
  return r;
}

// Rewrites the `# EXIT:` header line of a case.
void UpdateExitLine(const Case& c, int exit_code) {
  std::string path = CaseDir() + "/" + c.name;
  std::string text = ReadOrEmpty(path);
  std::regex exit_line(R"(^# EXIT: -?\d+$)", std::regex::multiline);
  WriteFile(path, std::regex_replace(text, exit_line, "# EXIT: " + std::to_string(exit_code),
                                     std::regex_constants::format_first_only));
}

class GoldenDiagTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenDiagTest, MatchesExpectedOutput) {
  Case c = ReadCase(GetParam());
  ASSERT_TRUE(c.header_error.empty()) << c.name << ": " << c.header_error;
  CommandResult first = RunCase(c);
  CommandResult second = RunCase(c);
  // Bad input never crashes drover: 128+ is a signal.
  EXPECT_LT(first.exit_code, 128) << c.name << " crashed:\n" << first.err;
  EXPECT_EQ(first.exit_code, second.exit_code) << c.name << ": exit code differs between runs";
  EXPECT_EQ(first.out, second.out) << c.name << ": stdout differs between runs";
  EXPECT_EQ(first.err, second.err) << c.name << ": stderr differs between runs";

  std::string base = CaseDir() + "/" + c.name;
  if (UpdateGoldens()) {
    WriteFile(base + ".stderr", first.err);
    if (first.out.empty()) {
      std::remove((base + ".stdout").c_str());
    } else {
      WriteFile(base + ".stdout", first.out);
    }
    if (first.exit_code != c.exit_code) UpdateExitLine(c, first.exit_code);
    std::printf("updated %s\n", c.name.c_str());
    return;
  }
  ASSERT_TRUE(fs::exists(base + ".stderr"))
      << c.name << ": no " << c.name << ".stderr; run diag_golden_test --update";
  EXPECT_EQ(first.exit_code, c.exit_code) << c.name << "\nstderr:\n" << first.err;
  EXPECT_EQ(first.err, ReadOrEmpty(base + ".stderr")) << c.name << ": stderr differs";
  EXPECT_EQ(first.out, ReadOrEmpty(base + ".stdout")) << c.name << ": stdout differs";
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenDiagTest, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

// Every case has its expected output, and no expected output is left without its case.
TEST(GoldenDiagFilesTest, EveryCaseHasExpectedOutputAndNoOrphans) {
  std::set<std::string> cases;
  for (const std::string& n : CaseNames()) cases.insert(n);
  ASSERT_FALSE(cases.empty()) << "no cases under " << CaseDir();
  for (const std::string& n : cases) {
    EXPECT_TRUE(fs::exists(CaseDir() + "/" + n + ".stderr")) << n << " has no .stderr";
  }
  for (const auto& e : fs::directory_iterator(CaseDir())) {
    std::string n = e.path().filename().string();
    for (const char* ext : {".stderr", ".stdout"}) {
      if (n.ends_with(ext)) {
        EXPECT_TRUE(cases.count(n.substr(0, n.size() - std::strlen(ext))))
            << n << " has no case file";
      }
    }
  }
}

std::vector<std::string> RegisteredCodes() {
  std::string def = ReadFileOrDie(SourceDir() + "/compiler/diag/diagnostic_kinds.def");
  std::regex entry(R"(^DROVER_DIAG\(\s*([EW]\d{4})\s*,)", std::regex::multiline);
  std::vector<std::string> codes;
  for (auto it = std::sregex_iterator(def.begin(), def.end(), entry); it != std::sregex_iterator();
       ++it) {
    codes.push_back((*it)[1]);
  }
  return codes;
}

// `CODE reason` per line; `#` starts a comment.
std::map<std::string, std::string> UntestedCodes() {
  std::map<std::string, std::string> out;
  std::istringstream in(ReadOrEmpty(CaseDir() + "/UNTESTED"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.find_first_of(" \t");
    std::string code = line.substr(0, space);
    std::string reason = space == std::string::npos ? "" : line.substr(space + 1);
    out[code] = reason;
  }
  return out;
}

TEST(CoverageTest, EveryDiagnosticCodeHasAGoldenCase) {
  std::vector<std::string> codes = RegisteredCodes();
  ASSERT_GT(codes.size(), 10u) << "could not read diagnostic_kinds.def";
  // Diagnostics go to stderr, except where a command prints them as its result: `drover lint`
  // (all formats) and `validate`'s `Job Warnings:` list print on stdout.
  std::string all_expected;
  for (const std::string& n : CaseNames()) {
    all_expected += ReadOrEmpty(CaseDir() + "/" + n + ".stderr");
    all_expected += ReadOrEmpty(CaseDir() + "/" + n + ".stdout");
  }
  std::map<std::string, std::string> untested = UntestedCodes();
  for (const std::string& code : codes) {
    bool covered = std::regex_search(all_expected, std::regex("\\b" + code + "\\b"));
    auto it = untested.find(code);
    if (it == untested.end()) {
      EXPECT_TRUE(covered) << code
                           << " has no golden case in tests/golden/diag/; add one (a case whose "
                              "expected .stderr or .stdout shows it) or list it in UNTESTED with "
                              "a reason";
    } else {
      EXPECT_FALSE(covered) << code << " is listed in UNTESTED but has a golden case; remove it";
      EXPECT_FALSE(it->second.empty()) << code << " is listed in UNTESTED without a reason";
    }
  }
  for (const auto& [code, reason] : untested) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end())
        << "UNTESTED lists " << code << ", which diagnostic_kinds.def does not define";
  }
}

}  // namespace
}  // namespace drover::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--update") == 0) drover::testing::SetUpdateGoldens(true);
  }
  return RUN_ALL_TESTS();
}
