// Nomad's output conventions: columnize tables and key = value blocks, short ids, RFC 3339 and
// relative times, Go durations, IEC sizes, Go quoting and color tags.
#include "runtime/cli/output.h"

#include <cstdlib>
#include <ctime>

#include <gtest/gtest.h>

namespace drover::cli {
namespace {

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kNow = 1725914513 * kSec;  // 2024-09-09T20:41:53Z

class ScopedTz {
 public:
  explicit ScopedTz(const char* tz) {
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ScopedTz() {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

TEST(ColumnizeTest, PadsColumnsToTheWidestCellAndMarksEmptyCells) {
  EXPECT_EQ(FormatList({"ID|Type|Priority", "example|service|50", "a||1"}),
            "ID       Type     Priority\n"
            "example  service  50\n"
            "a        <none>   1");
}

TEST(ColumnizeTest, TrimsCellsAndLeavesTheLastColumnUnpadded) {
  EXPECT_EQ(FormatListWithSpaces({" a | bb ", "ccc|d"}), "a    bb\nccc  d");
}

TEST(ColumnizeTest, CountsRunesNotBytes) {
  EXPECT_EQ(FormatList({"\xC3\xA9t\xC3\xA9|x", "abcd|y"}), "\xC3\xA9t\xC3\xA9   x\nabcd  y");
}

TEST(ColumnizeTest, ShorterRowsEndEarly) { EXPECT_EQ(FormatList({"a|b|c", "dd"}), "a   b  c\ndd"); }

TEST(ColumnizeTest, EmptyInputIsEmpty) { EXPECT_EQ(FormatList({}), ""); }

TEST(FormatKVTest, AlignsKeysWithEqualsGlue) {
  EXPECT_EQ(FormatKV({"ID|62eb607c", "Job ID|example", "Description|"}),
            "ID          = 62eb607c\n"
            "Job ID      = example\n"
            "Description = <none>");
}

TEST(FormatKVTest, NoTrimKeepsMultiLineValues) {
  EXPECT_EQ(Columnize({"Version|0", "Diff|\n+ Job: \"x\""},
                      {.glue = " = ", .empty = "", .no_trim = true}),
            "Version = 0\nDiff    = \n+ Job: \"x\"");
}

TEST(LimitTest, CutsToLength) {
  EXPECT_EQ(Limit("62eb607c-1234-5678", kShortId), "62eb607c");
  EXPECT_EQ(Limit("abc", kShortId), "abc");
}

TEST(FormatTimeTest, Rfc3339InLocalZone) {
  ScopedTz utc("UTC");
  EXPECT_EQ(FormatTime(kNow), "2024-09-09T20:41:53Z");
  ScopedTz minus4("UTC+4");
  EXPECT_EQ(FormatTime(kNow), "2024-09-09T16:41:53-04:00");
}

TEST(FormatTimeTest, ZeroAndEpochPrintNothing) {
  EXPECT_EQ(FormatTime(0), "");
  EXPECT_EQ(FormatTime(999'999'999), "");
}

TEST(FormatTimeTest, ApiStringsAreReformatted) {
  ScopedTz utc("UTC");
  EXPECT_EQ(FormatApiTime("2024-09-09T16:41:53.123456-04:00"), "2024-09-09T20:41:53Z");
  EXPECT_EQ(FormatApiTime("0001-01-01T00:00:00Z"), "");
  EXPECT_EQ(FormatApiTime("not a time"), "not a time");
  int64_t ns;
  EXPECT_TRUE(ParseRfc3339("2024-09-09T20:41:53.5Z", &ns));
  EXPECT_EQ(ns, kNow + kSec / 2);
  EXPECT_FALSE(ParseRfc3339("2024-09-09 20:41", &ns));
}

TEST(PrettyTimeDiffTest, KeepsTheTwoLargestUnits) {
  EXPECT_EQ(PrettyTimeDiff(kNow - 5 * kSec, kNow), "5s ago");
  EXPECT_EQ(PrettyTimeDiff(kNow, kNow), "0s ago");
  EXPECT_EQ(PrettyTimeDiff(kNow - 65 * kSec, kNow), "1m5s ago");
  EXPECT_EQ(PrettyTimeDiff(kNow - (3 * 3600 + 2 * 60 + 1) * kSec, kNow), "3h2m ago");
  EXPECT_EQ(PrettyTimeDiff(kNow - (3600 + 5) * kSec, kNow), "1h5s ago");
  EXPECT_EQ(PrettyTimeDiff(kNow - 400 * 86400 * kSec, kNow), "1y1mo ago");
  EXPECT_EQ(PrettyTimeDiff(kNow + 90 * kSec, kNow), "1m30s from now");
}

TEST(PrettyTimeDiffTest, RoundsToSecondsAndIgnoresUnsetTimes) {
  EXPECT_EQ(PrettyTimeDiff(kNow - 4'600'000'000, kNow), "5s ago");
  EXPECT_EQ(PrettyTimeDiff(kNow - 4'400'000'000, kNow), "4s ago");
  EXPECT_EQ(PrettyTimeDiff(0, kNow), "");
}

TEST(GoDurationTest, MatchesGoStringer) {
  EXPECT_EQ(FormatGoDuration(0), "0s");
  EXPECT_EQ(FormatGoDuration(10 * kSec), "10s");
  EXPECT_EQ(FormatGoDuration(90 * kSec), "1m30s");
  EXPECT_EQ(FormatGoDuration(3600 * kSec), "1h0m0s");
  EXPECT_EQ(FormatGoDuration(1'500'000'000), "1.5s");
  EXPECT_EQ(FormatGoDuration(500'000'000), "500ms");
  EXPECT_EQ(FormatGoDuration(1'500'000), "1.5ms");
  EXPECT_EQ(FormatGoDuration(2'000), "2\xC2\xB5s");
  EXPECT_EQ(FormatGoDuration(42), "42ns");
  EXPECT_EQ(FormatGoDuration(-5 * kSec), "-5s");
}

TEST(HumanizeTest, IecSizes) {
  EXPECT_EQ(HumanizeIBytes(9), "9 B");
  EXPECT_EQ(HumanizeIBytes(256ull << 20), "256 MiB");
  EXPECT_EQ(HumanizeIBytes(2ull << 30), "2.0 GiB");
  EXPECT_EQ(HumanizeIBytes(300ull << 20), "300 MiB");
  EXPECT_EQ(HumanizeIBytes(1536), "1.5 KiB");
}

TEST(GoQuoteTest, EscapesLikeStrconvQuote) {
  EXPECT_EQ(GoQuote("redis:7"), "\"redis:7\"");
  EXPECT_EQ(GoQuote("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
  EXPECT_EQ(GoQuote(std::string("\x01", 1)), "\"\\x01\"");
  EXPECT_EQ(GoQuote("caf\xC3\xA9"), "\"caf\xC3\xA9\"");
  EXPECT_EQ(GoQuote("\xFF"), "\"\\xff\"");
}

TEST(ColorizerTest, StripsOrTranslatesKnownTags) {
  EXPECT_EQ(Colorizer(false).Color("[bold]Job: \"x\"[reset] [unknown]"), "Job: \"x\" [unknown]");
  EXPECT_EQ(Colorizer(true).Color("[green]+[reset] a"), "\033[32m+\033[0m a\033[0m");
}

}  // namespace
}  // namespace drover::cli
