// `drover parse` and `drover version`, driven through the real binary: output shapes, exit codes,
// and bad input of every kind getting a located diagnostic (file:line:col) instead of a crash.
// drover runs in a fresh temporary folder, so the paths it prints are the names written here.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/test_paths.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

class ParseCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/drover-cli-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream f(dir_ + "/" + name, std::ios::binary);
    f << text;
  }

  /// Runs `drover <args>` in the test's folder.
  CommandResult Drover(const std::string& args, const std::string& stdin_text = "") {
    CommandResult r = RunCommand("cd '" + dir_ + "' && '" + DroverExe() + "' " + args, stdin_text);
    // Whatever the input, drover never dies of a signal (the shell reports 128 + signal).
    EXPECT_LT(r.exit_code, 128) << "drover " << args << " crashed:\n" << r.err;
    return r;
  }

  /// Parses `text` as file `name`; expects exit 1, nothing on stdout and a diagnostic `code` at
  /// `name:line:col` first on stderr.
  void ExpectLocatedError(const std::string& name, const std::string& text, const std::string& code,
                          int line, int col) {
    Write(name, text);
    CommandResult r = Drover("parse " + name);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "");
    std::string head =
        name + ":" + std::to_string(line) + ":" + std::to_string(col) + ": error[" + code + "]: ";
    EXPECT_TRUE(r.err.starts_with(head)) << "want " << head << "\ngot:\n" << r.err;
  }

  std::string dir_;
};

// ---- output shapes ----------------------------------------------------------------------------

TEST_F(ParseCommandTest, OneFilePrintsIndentedJsonAndExitsZero) {
  Write("job.hcl", "job \"web\" {\n  count = 2\n}\n");
  CommandResult r = Drover("parse job.hcl");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "{\n  \"job\": {\n    \"web\": [\n      {\n        \"count\": 2\n      }\n    ]\n  }\n}\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(ParseCommandTest, SeveralFilesPrintJsonLinesInArgumentOrderWithNullForAFailure) {
  Write("a.hcl", "a = 1\n");
  Write("bad.hcl", "b = \n");
  Write("c.hcl", "c = [true]\n");
  CommandResult r = Drover("parse c.hcl bad.hcl a.hcl");
  // The failing file does not stop the ones after it; the exit code says one failed.
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "{\"c\":[true]}\nnull\n{\"a\":1}\n");
  EXPECT_TRUE(r.err.starts_with("bad.hcl:1:5: error[E0101]: ")) << r.err;
}

TEST_F(ParseCommandTest, SeveralGoodFilesExitZero) {
  Write("a.hcl", "a = 1\n");
  CommandResult r = Drover("parse a.hcl a.hcl");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"a\":1}\n{\"a\":1}\n");
}

TEST_F(ParseCommandTest, MissingFileAmongSeveralIsANullLine) {
  Write("a.hcl", "a = 1\n");
  CommandResult r = Drover("parse missing.hcl a.hcl");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "null\n{\"a\":1}\n");
  EXPECT_EQ(r.err, "drover: error[E0001]: cannot read `missing.hcl`: No such file or directory\n");
}

TEST_F(ParseCommandTest, DashReadsStandardInput) {
  CommandResult ok = Drover("parse -", "a = \"x\"\n");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "{\n  \"a\": \"x\"\n}\n");
  CommandResult bad = Drover("parse -", "a = \"x\n");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(bad.err.starts_with("<stdin>:1:5: error[E0102]: ")) << bad.err;
}

TEST_F(ParseCommandTest, FormatFlagPicksTheRenderer) {
  Write("bad.hcl", "a = @\n");
  EXPECT_TRUE(Drover("parse -format=gcc bad.hcl")
                  .err.starts_with("bad.hcl:1:5: error: invalid character `@` [E0107]\n"));
  EXPECT_TRUE(Drover("parse -format json bad.hcl").err.starts_with("[\n  {\n"));
  EXPECT_NE(Drover("parse -format=sarif bad.hcl").err.find("\"version\": \"2.1.0\""),
            std::string::npos);
  CommandResult r = Drover("parse -format=xml bad.hcl");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
}

TEST_F(ParseCommandTest, UsageErrorsExitOne) {
  CommandResult none = Drover("parse");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("Usage: drover parse"), std::string::npos) << none.err;
  CommandResult flag = Drover("parse -nope a.hcl");
  EXPECT_EQ(flag.exit_code, 1);
  EXPECT_NE(flag.err.find("flag provided but not defined: -nope"), std::string::npos);
  EXPECT_EQ(Drover("parse -help").exit_code, 0);
}

// ---- files that cannot be read ----------------------------------------------------------------

TEST_F(ParseCommandTest, MissingFileIsE0001) {
  CommandResult r = Drover("parse nope.hcl");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "drover: error[E0001]: cannot read `nope.hcl`: No such file or directory\n");
}

TEST_F(ParseCommandTest, DirectoryIsE0001) {
  fs::create_directory(dir_ + "/jobs");
  CommandResult r = Drover("parse jobs");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "drover: error[E0001]: cannot read `jobs`: is a directory\n");
}

TEST_F(ParseCommandTest, EndlessDeviceIsE0002NotAnEndlessRead) {
  CommandResult r = Drover("parse /dev/zero");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "drover: error[E0002]: `/dev/zero` is larger than 1048576 bytes\n");
}

// ---- bad input: a located diagnostic, exit 1, never a crash -----------------------------------

TEST_F(ParseCommandTest, BinaryGarbageGetsLocatedDiagnostics) {
  std::mt19937 rng(20261129);
  for (int round = 0; round < 5; ++round) {
    std::string bytes(4096, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 256);
    std::string name = "garbage" + std::to_string(round) + ".bin";
    Write(name, bytes);
    CommandResult r = Drover("parse " + name);
    EXPECT_EQ(r.exit_code, 1) << "seed 20261129, round " << round;
    EXPECT_TRUE(
        std::regex_search(r.err, std::regex("^" + name + R"(:\d+:\d+: error\[E01\d\d\]: )")))
        << "round " << round << ":\n"
        << r.err.substr(0, 2000);
  }
}

TEST_F(ParseCommandTest, NulBytesAreInvalidCharacters) {
  ExpectLocatedError("nul.hcl", std::string("a = 1\nb = \0\0\n", 12), "E0107", 2, 5);
}

TEST_F(ParseCommandTest, InvalidUtf8IsE0108) {
  ExpectLocatedError("utf8.hcl", "a = 1\nb = \"caf\xE9\"\n", "E0108", 2, 9);
}

TEST_F(ParseCommandTest, UnterminatedStringIsE0102) {
  ExpectLocatedError("s.hcl", "job \"a\" {\n  region = \"global\n}\n", "E0102", 2, 12);
}

TEST_F(ParseCommandTest, UnterminatedHeredocIsE0103) {
  ExpectLocatedError("h.hcl", "a = 1\nb = <<EOT\nline\n", "E0103", 2, 5);
}

TEST_F(ParseCommandTest, UnterminatedTemplateIsE0104) {
  ExpectLocatedError("t.hcl", "a = 1\nb = \"x-${var.y\n", "E0104", 2, 8);
}

TEST_F(ParseCommandTest, UnterminatedBlockIsE0110) {
  ExpectLocatedError("b.hcl", "job \"a\" {\n  group \"b\" {\n    count = 1\n  }\n", "E0110", 1, 9);
}

TEST_F(ParseCommandTest, HundredThousandNestedBracketsIsE0109) {
  std::string text = "x = " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  // The 257th bracket is one too deep: column 4 + 257.
  ExpectLocatedError("deep.hcl", text, "E0109", 1, 261);
}

TEST_F(ParseCommandTest, HundredThousandNestedConditionalsIsE0119) {
  std::string text = "x = ";
  for (int i = 0; i < 100000; ++i) text += "a ? ";
  ExpectLocatedError("cond.hcl", text + "1\n", "E0119", 1, 1);
}

// ---- version ----------------------------------------------------------------------------------

TEST(VersionCommandTest, PrintsVersionAndGitSha) {
  CommandResult r = RunCommand("'" + DroverExe() + "' version");
  EXPECT_EQ(r.exit_code, 0);
  std::smatch m;
  ASSERT_TRUE(
      std::regex_match(r.out, m, std::regex(R"(drover v(\S+) \(([0-9a-f]{12}|unknown)\)\n)")))
      << r.out;
  EXPECT_EQ(m[1], DROVER_EXPECTED_VERSION);
  // The sha names a commit of this repository (HEAD when the binary was built).
  if (m[2] != "unknown") {
    CommandResult git =
        RunCommand("git -C '" + SourceDir() + "' cat-file -e '" + m[2].str() + "^{commit}'");
    EXPECT_EQ(git.exit_code, 0) << m[2] << " is not a commit of " << SourceDir();
  }
  EXPECT_EQ(RunCommand("'" + DroverExe() + "' -version").out, r.out);
}

}  // namespace
}  // namespace drover::testing
