// compiler/base/time: civil dates both ways (leap years, years before the epoch and before year
// 1), wall clocks of negative seconds, and RFC 3339 in every variant its callers rely on:
// fractions of any length, `Z`/`z`/`t`, offsets kept or written, and what is malformed.
#include "compiler/base/time.h"

#include <gtest/gtest.h>

namespace drover::base {
namespace {

// Well-known instants (Go's time.Date(...).Unix()).
constexpr int64_t kGoZeroTime = -62'135'596'800;  // 0001-01-01T00:00:00Z
constexpr int64_t kYear0 = -62'167'219'200;       // 0000-01-01T00:00:00Z
constexpr int64_t kMaxYear = 253'402'300'799;     // 9999-12-31T23:59:59Z
constexpr int64_t kLeapDay2000 = 951'782'400;     // 2000-02-29T00:00:00Z
constexpr int64_t kSample = 1'725'914'513;        // 2024-09-09T20:41:53Z (a Monday)

TEST(FloorDivTest, RoundsTowardNegativeInfinity) {
  EXPECT_EQ(FloorDiv(7, 2), 3);
  EXPECT_EQ(FloorDiv(-7, 2), -4);
  EXPECT_EQ(FloorDiv(-8, 2), -4);
  EXPECT_EQ(FloorDiv(-1, kNanosPerSecond), -1);
  EXPECT_EQ(FloorDiv(0, kSecondsPerDay), 0);
}

TEST(CivilDateTest, KnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 2, 29) * kSecondsPerDay, kLeapDay2000);
  EXPECT_EQ(DaysFromCivil(1, 1, 1) * kSecondsPerDay, kGoZeroTime);
  EXPECT_EQ(DaysFromCivil(0, 1, 1) * kSecondsPerDay, kYear0);
  EXPECT_EQ(DaysFromCivil(9999, 12, 31) * kSecondsPerDay + kSecondsPerDay - 1, kMaxYear);
  // Year 0 is a leap year (divisible by 400); year -1 is not.
  EXPECT_EQ(DaysFromCivil(-1, 1, 1), DaysFromCivil(0, 1, 1) - 365);
  EXPECT_EQ(DaysFromCivil(1, 1, 1) - DaysFromCivil(0, 1, 1), 366);
}

TEST(CivilDateTest, LeapYearRules) {
  auto year_length = [](int64_t y) { return DaysFromCivil(y + 1, 1, 1) - DaysFromCivil(y, 1, 1); };
  EXPECT_EQ(year_length(1900), 365);  // divisible by 100
  EXPECT_EQ(year_length(2000), 366);  // divisible by 400
  EXPECT_EQ(year_length(2023), 365);
  EXPECT_EQ(year_length(2024), 366);
  EXPECT_EQ(year_length(-4), 366);
  EXPECT_EQ(year_length(-100), 365);
  EXPECT_EQ((CivilFromDays(DaysFromCivil(2024, 2, 28) + 1)), (CivilDate{2024, 2, 29}));
  EXPECT_EQ((CivilFromDays(DaysFromCivil(2023, 2, 28) + 1)), (CivilDate{2023, 3, 1}));
  EXPECT_EQ((CivilFromDays(DaysFromCivil(1900, 2, 28) + 1)), (CivilDate{1900, 3, 1}));
}

TEST(CivilDateTest, RoundTripsEveryDayOverEightCenturies) {
  // 1600-01-01 .. 2400-12-31 crosses every leap rule and the epoch; a few before year 1 too.
  for (int64_t day = DaysFromCivil(1600, 1, 1); day <= DaysFromCivil(2400, 12, 31); ++day) {
    CivilDate d = CivilFromDays(day);
    ASSERT_EQ(DaysFromCivil(d.year, d.month, d.day), day)
        << d.year << "-" << d.month << "-" << d.day;
  }
  for (int64_t day = DaysFromCivil(-3, 1, 1); day <= DaysFromCivil(2, 1, 1); ++day) {
    CivilDate d = CivilFromDays(day);
    ASSERT_EQ(DaysFromCivil(d.year, d.month, d.day), day);
  }
  EXPECT_EQ(CivilFromDays(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(CivilFromDays(DaysFromCivil(-1, 12, 31)), (CivilDate{-1, 12, 31}));
}

TEST(CivilTimeTest, SplitsSecondsIncludingBeforeTheEpoch) {
  CivilTime t = CivilTimeFromSeconds(kSample);
  EXPECT_EQ(t.year, 2024);
  EXPECT_EQ(t.month, 9u);
  EXPECT_EQ(t.day, 9u);
  EXPECT_EQ(t.hour, 20);
  EXPECT_EQ(t.minute, 41);
  EXPECT_EQ(t.second, 53);
  EXPECT_EQ(t.weekday, 1);  // Monday

  t = CivilTimeFromSeconds(-1);
  EXPECT_EQ(t.year, 1969);
  EXPECT_EQ(t.month, 12u);
  EXPECT_EQ(t.day, 31u);
  EXPECT_EQ(t.hour, 23);
  EXPECT_EQ(t.minute, 59);
  EXPECT_EQ(t.second, 59);
  EXPECT_EQ(t.weekday, 3);  // Wednesday

  EXPECT_EQ(CivilTimeFromSeconds(0).weekday, 4);                    // Thursday
  EXPECT_EQ(CivilTimeFromSeconds(-6 * kSecondsPerDay).weekday, 5);  // Friday
  EXPECT_EQ(CivilTimeFromSeconds(kGoZeroTime).weekday, 1);          // 0001-01-01, a Monday
  EXPECT_EQ(CivilTimeFromSeconds(kLeapDay2000 + 3599).weekday, 2);  // a Tuesday
  EXPECT_EQ(CivilTimeFromSeconds(kLeapDay2000 + 3599).minute, 59);
}

TEST(UnixNanosTest, SplitsAndJoinsNanoseconds) {
  Rfc3339Time t = Rfc3339FromUnixNanos(-1);
  EXPECT_EQ(t.unix_seconds, -1);
  EXPECT_EQ(t.nanos, 999'999'999);
  EXPECT_TRUE(t.utc);
  EXPECT_EQ(t.offset_seconds, 0);
  EXPECT_EQ(UnixNanos(t), -1);
  t = Rfc3339FromUnixNanos(kSample * kNanosPerSecond + 5);
  EXPECT_EQ(t.unix_seconds, kSample);
  EXPECT_EQ(t.nanos, 5);
  EXPECT_EQ(UnixNanos(t), kSample * kNanosPerSecond + 5);
}

TEST(UnixNanosTest, RefusesWhatInt64CannotHold) {
  EXPECT_EQ(UnixNanos({.unix_seconds = 9'223'372'035}), 9'223'372'035 * kNanosPerSecond);
  EXPECT_EQ(UnixNanos({.unix_seconds = -9'223'372'035}), -9'223'372'035 * kNanosPerSecond);
  EXPECT_EQ(UnixNanos({.unix_seconds = 9'223'372'036}), std::nullopt);
  EXPECT_EQ(UnixNanos({.unix_seconds = -9'223'372'036}), std::nullopt);
  EXPECT_EQ(UnixNanos({.unix_seconds = kGoZeroTime}), std::nullopt);
}

TEST(ParseRfc3339Test, UtcWithAndWithoutFractions) {
  std::optional<Rfc3339Time> t = ParseRfc3339("2024-09-09T20:41:53Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->unix_seconds, kSample);
  EXPECT_EQ(t->nanos, 0);
  EXPECT_EQ(t->offset_seconds, 0);
  EXPECT_TRUE(t->utc);

  t = ParseRfc3339("2024-09-09T20:41:53.5Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->nanos, 500'000'000);
  t = ParseRfc3339("2024-09-09T20:41:53.123456789Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->nanos, 123'456'789);
  t = ParseRfc3339("2024-09-09T20:41:53.000000001Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->nanos, 1);
  // Digits past nanoseconds are dropped, not rounded.
  t = ParseRfc3339("2024-09-09T20:41:53.9999999999999Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->unix_seconds, kSample);
  EXPECT_EQ(t->nanos, 999'999'999);
}

TEST(ParseRfc3339Test, LowerCaseSeparatorAndZone) {
  std::optional<Rfc3339Time> t = ParseRfc3339("2024-09-09t20:41:53z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->unix_seconds, kSample);
  EXPECT_TRUE(t->utc);
}

TEST(ParseRfc3339Test, OffsetsAreAppliedAndKept) {
  std::optional<Rfc3339Time> t = ParseRfc3339("2024-09-09T16:41:53.123456-04:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->unix_seconds, kSample);
  EXPECT_EQ(t->nanos, 123'456'000);
  EXPECT_EQ(t->offset_seconds, -4 * 3600);
  EXPECT_FALSE(t->utc);

  t = ParseRfc3339("2024-09-10T02:11:53+05:30");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->unix_seconds, kSample);
  EXPECT_EQ(t->offset_seconds, 5 * 3600 + 30 * 60);

  t = ParseRfc3339("2024-09-09T20:41:53+00:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->unix_seconds, kSample);
  EXPECT_EQ(t->offset_seconds, 0);
  EXPECT_FALSE(t->utc);  // written as an offset, so it is formatted back as one
}

TEST(ParseRfc3339Test, EdgesOfTheCalendar) {
  EXPECT_EQ(ParseRfc3339("0001-01-01T00:00:00Z")->unix_seconds, kGoZeroTime);
  EXPECT_EQ(ParseRfc3339("0000-01-01T00:00:00Z")->unix_seconds, kYear0);
  EXPECT_EQ(ParseRfc3339("9999-12-31T23:59:59Z")->unix_seconds, kMaxYear);
  EXPECT_EQ(ParseRfc3339("2000-02-29T00:00:00Z")->unix_seconds, kLeapDay2000);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:59:59Z")->unix_seconds, -1);
  // A leap second reads as the next second; a day past the month's end runs into the next month.
  EXPECT_EQ(ParseRfc3339("2024-09-09T20:41:60Z")->unix_seconds, kSample + 7);
  EXPECT_EQ(ParseRfc3339("2023-02-31T00:00:00Z")->unix_seconds,
            ParseRfc3339("2023-03-03T00:00:00Z")->unix_seconds);
}

TEST(ParseRfc3339Test, RejectsWhatIsNotRfc3339) {
  for (const char* bad : {
           "",
           "not a time",
           "2024-09-09",
           "2024-09-09T20:41:53",         // no zone
           "2024-09-09 20:41:53Z",        // space separator
           "2024-09-09T20:41Z",           // no seconds
           "2024-09-09T20:41:53.Z",       // empty fraction
           "2024-09-09T20:41:53Zjunk",    // trailing text
           "2024-09-09T20:41:53+0400",    // offset without a colon
           "2024-09-09T20:41:53+04",      // offset without minutes
           "2024-09-09T20:41:53+04:0",    // short offset minutes
           "2024-09-09T20:41:53+04:00 ",  // trailing space
           "2024-13-09T20:41:53Z",        // month 13
           "2024-00-09T20:41:53Z",        // month 0
           "2024-09-00T20:41:53Z",        // day 0
           "2024-09-32T20:41:53Z",        // day 32
           "2024-09-09T24:00:00Z",        // hour 24
           "2024-09-09T20:60:00Z",        // minute 60
           "2024-09-09T20:41:61Z",        // second 61
           "24-09-09T20:41:53Z",          // short year
           "-024-09-09T20:41:53Z",        // a sign is not a digit
           "2024-9-09T20:41:53Z",         // one-digit month
           "2024/09/09T20:41:53Z",        // wrong date separator
           "2024-09-09T20.41.53Z",        // wrong time separator
           "2024-09-09X20:41:53Z",        // wrong date/time separator
       }) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

TEST(FormatRfc3339Test, TrimsFractionsLikeRfc3339Nano) {
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kSample}), "2024-09-09T20:41:53Z");
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kSample, .nanos = 500'000'000}),
            "2024-09-09T20:41:53.5Z");
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kSample, .nanos = 120'000'000}),
            "2024-09-09T20:41:53.12Z");
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kSample, .nanos = 1}), "2024-09-09T20:41:53.000000001Z");
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kSample, .nanos = 123'456'789}),
            "2024-09-09T20:41:53.123456789Z");
  EXPECT_EQ(FormatRfc3339(Rfc3339FromUnixNanos(-1)), "1969-12-31T23:59:59.999999999Z");
}

TEST(FormatRfc3339Test, WritesTheZoneTheTimeWasWrittenIn) {
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kSample, .offset_seconds = -4 * 3600, .utc = false}),
            "2024-09-09T16:41:53-04:00");
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kSample, .offset_seconds = 19'800, .utc = false}),
            "2024-09-10T02:11:53+05:30");
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kSample, .offset_seconds = 0, .utc = false}),
            "2024-09-09T20:41:53+00:00");
  // A non-zero offset is written even when the time came from `Z` and was moved.
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kSample, .offset_seconds = 3600, .utc = true}),
            "2024-09-09T21:41:53+01:00");
}

TEST(FormatRfc3339Test, YearsOutsideFourDigits) {
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kGoZeroTime}), "0001-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kYear0 - 1}), "-001-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kMaxYear}), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339({.unix_seconds = kMaxYear + 1}), "10000-01-01T00:00:00Z");
}

TEST(FormatRfc3339Test, FromAWallClock) {
  CivilTime wall{.year = 2024, .month = 9, .day = 9, .hour = 16, .minute = 41, .second = 53};
  EXPECT_EQ(FormatRfc3339(wall, 0, -4 * 3600, true), "2024-09-09T16:41:53-04:00");
  EXPECT_EQ(FormatRfc3339(wall, 0, 0, true), "2024-09-09T16:41:53Z");
  EXPECT_EQ(FormatRfc3339(wall, 70, 0, true), "2024-09-09T16:41:53.00000007Z");
}

TEST(FormatRfc3339Test, RoundTripsThroughParse) {
  for (const char* text :
       {"2024-09-09T20:41:53Z", "2024-09-09T16:41:53.123456-04:00",
        "2000-02-29T23:59:59.999999999+14:00", "1969-12-31T23:59:59.5Z", "0001-01-01T00:00:00Z",
        "2024-01-01T00:00:00+00:00", "1901-12-13T20:45:52-00:30"}) {
    std::optional<Rfc3339Time> t = ParseRfc3339(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_EQ(FormatRfc3339(*t), text);
  }
}

TEST(FormatUtcOffsetTest, SignHoursMinutes) {
  EXPECT_EQ(FormatUtcOffset(0, true), "+00:00");
  EXPECT_EQ(FormatUtcOffset(0, false), "+0000");
  EXPECT_EQ(FormatUtcOffset(19'800, true), "+05:30");
  EXPECT_EQ(FormatUtcOffset(-8 * 3600, false), "-0800");
  EXPECT_EQ(FormatUtcOffset(-(44 * 60 + 30), true), "-00:44");  // seconds are dropped
}

}  // namespace
}  // namespace drover::base
