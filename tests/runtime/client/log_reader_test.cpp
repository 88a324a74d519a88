// Reading rotated task logs as one stream, by origin/offset and by position.
#include "runtime/client/log_reader.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace drover::client {
namespace {

class LogReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/drover-logs-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(int index, const std::string& data) {
    std::ofstream(dir_ + "/web.stdout." + std::to_string(index)) << data;
  }
  std::string dir_;
};

TEST_F(LogReaderTest, ReadsFilesInIndexOrder) {
  Write(10, "ccc\n");
  Write(2, "aaa\n");
  Write(3, "bbb\n");
  std::ofstream(dir_ + "/web.stderr.0") << "err\n";
  std::ofstream(dir_ + "/other.stdout.0") << "other\n";
  auto files = ListLogFiles(dir_, "web", "stdout");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].index, 2);
  EXPECT_EQ(files[2].index, 10);
  EXPECT_EQ(ReadLogs(dir_, "web", "stdout", false, 0, 1 << 20).data, "aaa\nbbb\nccc\n");
  EXPECT_EQ(ReadLogs(dir_, "web", "stdout", false, 5, 1 << 20).data, "bb\nccc\n");
  EXPECT_EQ(ReadLogs(dir_, "web", "stdout", true, 6, 1 << 20).data, "b\nccc\n");
  EXPECT_EQ(ReadLogs(dir_, "web", "stdout", true, 100, 1 << 20).data, "aaa\nbbb\nccc\n");
  EXPECT_EQ(ReadLogs(dir_, "web", "stderr", false, 0, 1 << 20).data, "err\n");
  EXPECT_EQ(ReadLogs(dir_, "nope", "stdout", false, 0, 1 << 20).data, "");
}

TEST_F(LogReaderTest, PositionsContinueAcrossRotation) {
  Write(0, "one\n");
  LogChunk first = ReadLogs(dir_, "web", "stdout", false, 0, 1 << 20);
  EXPECT_EQ(first.data, "one\n");
  EXPECT_EQ(first.end.ToString(), "0:4");
  // Nothing new: same position, no data.
  LogChunk none = ReadLogsFrom(dir_, "web", "stdout", first.end, 1 << 20);
  EXPECT_EQ(none.data, "");
  EXPECT_EQ(none.end.ToString(), "0:4");
  // The file grows, a new one opens, and the first is removed by rotation.
  Write(0, "one\ntwo\n");
  Write(1, "three\n");
  LogChunk next = ReadLogsFrom(dir_, "web", "stdout", first.end, 1 << 20);
  EXPECT_EQ(next.data, "two\nthree\n");
  EXPECT_EQ(next.end.ToString(), "1:6");
  std::filesystem::remove(dir_ + "/web.stdout.0");
  std::filesystem::remove(dir_ + "/web.stdout.1");
  Write(2, "four\n");
  EXPECT_EQ(ReadLogsFrom(dir_, "web", "stdout", next.end, 1 << 20).data, "four\n");
}

TEST_F(LogReaderTest, LimitSplitsReads) {
  Write(0, "0123456789");
  Write(1, "abcdef");
  LogChunk a = ReadLogs(dir_, "web", "stdout", false, 0, 4);
  EXPECT_EQ(a.data, "0123");
  LogChunk b = ReadLogsFrom(dir_, "web", "stdout", a.end, 8);
  EXPECT_EQ(b.data, "456789ab");
  LogChunk c = ReadLogsFrom(dir_, "web", "stdout", b.end, 100);
  EXPECT_EQ(c.data, "cdef");
}

TEST(LogPositionTest, ParsesOnlyWellFormedPositions) {
  EXPECT_EQ(LogPosition::Parse("3:100")->offset, 100u);
  EXPECT_FALSE(LogPosition::Parse("3"));
  EXPECT_FALSE(LogPosition::Parse("-1:0"));
  EXPECT_FALSE(LogPosition::Parse("a:b"));
  EXPECT_FALSE(LogPosition::Parse("1:2x"));
}

}  // namespace
}  // namespace drover::client
