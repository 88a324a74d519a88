// Calendar arithmetic and RFC 3339 timestamps, in one place for every layer: the compiler's time
// functions (formatdate, timeadd, timestamp), the store's JSON (Nomad's time.Time fields), the
// CLI's time columns and the docker driver's log timestamps. Pure arithmetic: no clock and no time
// zone database; a caller that wants local time supplies the zone's offset (or its wall clock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace drover::base {

inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr int64_t kSecondsPerDay = 86'400;

/// `a / b` rounded toward negative infinity (C++ division rounds toward zero). REQUIRES: b > 0.
constexpr int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

/// A date in the proleptic Gregorian calendar; year 0 is 1 BC and negative years are allowed.
struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1;  ///< 1..12
  unsigned day = 1;    ///< 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

/// Days since 1970-01-01 (negative before it), Howard Hinnant's days_from_civil. A day past the
/// end of its month counts on into the next one (February 31 is March 2 or 3).
/// REQUIRES: 1 <= month <= 12.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
/// The inverse of DaysFromCivil.
CivilDate CivilFromDays(int64_t days);

/// A wall-clock reading: date, time of day and weekday.
struct CivilTime {
  int64_t year = 1970;
  unsigned month = 1;  ///< 1..12
  unsigned day = 1;    ///< 1..31
  int hour = 0;        ///< 0..23
  int minute = 0;
  int second = 0;
  int weekday = 4;  ///< 0 = Sunday; 1970-01-01 was a Thursday
};

/// The wall clock `seconds` seconds after 1970-01-01T00:00:00 (UTC, or local when the caller has
/// added its zone's offset). Negative values are before the epoch.
CivilTime CivilTimeFromSeconds(int64_t seconds);

/// A moment as RFC 3339 writes it: the instant, and the zone offset it was written in (which
/// formatdate and timeadd keep).
struct Rfc3339Time {
  int64_t unix_seconds = 0;  ///< the instant, seconds since the epoch in UTC
  int64_t nanos = 0;         ///< 0..999'999'999, added to unix_seconds
  int offset_seconds = 0;    ///< the zone, east of UTC positive
  bool utc = true;           ///< written `Z` (an explicit offset, even +00:00, clears it)

  /// The wall clock in the zone the moment was written in.
  CivilTime Local() const { return CivilTimeFromSeconds(unix_seconds + offset_seconds); }
};

/// The moment `unix_nanos` nanoseconds after the epoch (negative before it), in UTC.
Rfc3339Time Rfc3339FromUnixNanos(int64_t unix_nanos);

/// Unix nanoseconds, or nothing when the seconds lie outside ±9,223,372,035 (about years
/// 1678..2261), so that the int64 result cannot overflow.
std::optional<int64_t> UnixNanos(const Rfc3339Time& t);

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)`, RFC 3339's date-time: `t` and `z` may
/// be lower case; a fraction of any length is cut to nanoseconds; the month must be 1..12, the day
/// 1..31 (not checked against the month), hours 0..23, minutes 0..59, seconds 0..60 (a leap
/// second counts as the next second). Nothing when the text is anything else.
std::optional<Rfc3339Time> ParseRfc3339(std::string_view text);

/// Go's RFC3339Nano layout: `2024-09-09T20:41:53.5Z`. The fraction loses its trailing zeros and is
/// left out when zero; the zone is `Z` when `utc` and the offset is zero, else `+hh:mm`. A year
/// outside 0..9999 prints with as many digits as it takes (`-001`, `10000`).
std::string FormatRfc3339(const Rfc3339Time& t);
/// The same layout for a wall clock the caller already has (e.g. from the C library's
/// localtime_r) in a zone `offset_seconds` east of UTC.
std::string FormatRfc3339(const CivilTime& wall, int64_t nanos, int offset_seconds, bool utc);

/// A zone offset as `+05:30` (`colon`) or `-0800`; seconds of the offset are dropped.
std::string FormatUtcOffset(int offset_seconds, bool colon);

}  // namespace drover::base
