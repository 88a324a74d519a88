// `drover fmt`: stdin, -check (exit codes, listing, no writes), -write, -list, directories,
// -recursive and files with syntax errors. Most cases run the command in-process on a temporary
// directory; one runs the real binary to check its exit status through a pipe.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "runtime/cli/command.h"
#include "tests/support/test_paths.h"

namespace drover::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kUnformatted[] = "job \"a\" {\ntype=\"batch\"\n}\n";
constexpr char kFormatted[] = "job \"a\" {\n  type = \"batch\"\n}\n";
constexpr char kBroken[] = "job \"a\" {\n  type =\n}\n";

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result RunFmtCommand(std::vector<std::string> args, const std::string& stdin_text = "") {
  args.insert(args.begin(), "fmt");
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  Io io{in, out, err};
  int code = RunCommandLine(args, io);
  return {code, out.str(), err.str()};
}

class FmtCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/drover-fmt-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Put(const std::string& rel, const std::string& text) {
    fs::path p = fs::path(dir_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string Get(const std::string& rel) { return testing::ReadFileOrDie(dir_ + "/" + rel); }

  std::string dir_;
};

TEST(FmtStdinTest, FormatsStandardInputToStandardOutput) {
  Result r = RunFmtCommand({"-"}, kUnformatted);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kFormatted);
  EXPECT_EQ(r.err, "");
}

TEST(FmtStdinTest, SyntaxErrorPrintsLocatedDiagnosticAndFails) {
  Result r = RunFmtCommand({"-"}, kBroken);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("<stdin>:2:9: error[E0101]"), std::string::npos) << r.err;
}

TEST(FmtStdinTest, CheckPrintsNothingAndReportsByExitCode) {
  Result unformatted = RunFmtCommand({"-check", "-"}, kUnformatted);
  EXPECT_EQ(unformatted.code, 1);
  EXPECT_EQ(unformatted.out, "");
  Result formatted = RunFmtCommand({"-check", "-"}, kFormatted);
  EXPECT_EQ(formatted.code, 0);
  EXPECT_EQ(formatted.out, "");
}

TEST_F(FmtCommandTest, CheckListsUnformattedFilesExitsOneAndWritesNothing) {
  std::string a = Put("a.hcl", kUnformatted);
  Put("b.nomad", kFormatted);
  Result r = RunFmtCommand({"-check", dir_});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, a + "\n");
  EXPECT_EQ(Get("a.hcl"), kUnformatted);
}

TEST_F(FmtCommandTest, CheckWithListFalsePrintsNothing) {
  Put("a.hcl", kUnformatted);
  Result r = RunFmtCommand({"-check", "-list=false", dir_});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
}

TEST_F(FmtCommandTest, CheckOnFormattedFilesExitsZero) {
  Put("a.hcl", kFormatted);
  Put("b.nomad", kFormatted);
  Result r = RunFmtCommand({"-check", dir_});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(FmtCommandTest, DefaultRewritesChangedFilesAndListsThem) {
  std::string a = Put("a.hcl", kUnformatted);
  Put("b.nomad", kFormatted);
  Result r = RunFmtCommand({dir_});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, a + "\n");
  EXPECT_EQ(Get("a.hcl"), kFormatted);
  EXPECT_EQ(Get("b.nomad"), kFormatted);
  Result again = RunFmtCommand({dir_});
  EXPECT_EQ(again.code, 0);
  EXPECT_EQ(again.out, "");
}

TEST_F(FmtCommandTest, WriteFalseListsButLeavesFilesAlone) {
  std::string a = Put("a.hcl", kUnformatted);
  Result r = RunFmtCommand({"-write=false", a});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, a + "\n");
  EXPECT_EQ(Get("a.hcl"), kUnformatted);
}

TEST_F(FmtCommandTest, WriteFalseListFalsePrintsTheFormattedFile) {
  std::string a = Put("a.hcl", kUnformatted);
  Result r = RunFmtCommand({"-write=false", "-list=false", a});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kFormatted);
  EXPECT_EQ(Get("a.hcl"), kUnformatted);
}

TEST_F(FmtCommandTest, ListFalseRewritesSilently) {
  std::string a = Put("a.hcl", kUnformatted);
  Result r = RunFmtCommand({"-list=false", a});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Get("a.hcl"), kFormatted);
}

TEST_F(FmtCommandTest, DirectoryTakesOnlyNomadAndHclFilesAndNoSubdirectories) {
  std::string a = Put("a.hcl", kUnformatted);
  std::string b = Put("b.nomad", kUnformatted);
  Put("notes.txt", kUnformatted);
  Put("job.nomad.json", kUnformatted);
  Put("sub/c.hcl", kUnformatted);
  Result r = RunFmtCommand({"-check", dir_});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, a + "\n" + b + "\n");
}

TEST_F(FmtCommandTest, RecursiveTakesSubdirectoriesInSortedOrder) {
  std::string a = Put("a.hcl", kUnformatted);
  std::string c = Put("sub/c.hcl", kUnformatted);
  std::string d = Put("sub/deeper/d.nomad", kUnformatted);
  Put("sub/deeper/e.txt", kUnformatted);
  Result r = RunFmtCommand({"-check", "-recursive", dir_});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, a + "\n" + c + "\n" + d + "\n");
  Result write = RunFmtCommand({"-recursive", dir_});
  EXPECT_EQ(write.code, 0) << write.err;
  EXPECT_EQ(Get("sub/deeper/d.nomad"), kFormatted);
  EXPECT_EQ(Get("sub/deeper/e.txt"), kUnformatted);
}

TEST_F(FmtCommandTest, ExplicitFileIsFormattedWhateverItsName) {
  std::string f = Put("job.txt", kUnformatted);
  Result r = RunFmtCommand({f});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Get("job.txt"), kFormatted);
}

TEST_F(FmtCommandTest, SyntaxErrorFailsThatFileAndTheOthersAreStillFormatted) {
  Put("a.hcl", kUnformatted);
  std::string bad = Put("bad.hcl", kBroken);
  Put("c.hcl", kUnformatted);
  Result r = RunFmtCommand({dir_});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(bad + ":2:9: error[E0101]"), std::string::npos) << r.err;
  EXPECT_EQ(Get("bad.hcl"), kBroken);
  EXPECT_EQ(Get("a.hcl"), kFormatted);
  EXPECT_EQ(Get("c.hcl"), kFormatted);
}

TEST_F(FmtCommandTest, MissingPathIsAnError) {
  Result r = RunFmtCommand({dir_ + "/missing.hcl"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error[E0001]"), std::string::npos) << r.err;
}

TEST_F(FmtCommandTest, UnknownFlagIsAnError) {
  Result r = RunFmtCommand({"-frobnicate", dir_});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("flag provided but not defined: -frobnicate"), std::string::npos);
}

TEST(FmtBinaryTest, ExitStatusAndStdinThroughThePipe) {
  testing::CommandResult check =
      testing::RunCommand(testing::DroverExe() + " fmt -check -", kUnformatted);
  EXPECT_EQ(check.exit_code, 1) << check.err;
  testing::CommandResult ok = testing::RunCommand(testing::DroverExe() + " fmt -", kUnformatted);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, kFormatted);
  testing::CommandResult bad = testing::RunCommand(testing::DroverExe() + " fmt -", kBroken);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("error[E0101]"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace drover::cli
