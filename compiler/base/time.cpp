// Civil dates after Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms"; RFC 3339 as
// Go's time package writes and reads it.
#include "compiler/base/time.h"

#include <cstdlib>
#include <limits>

#include <fmt/format.h>

namespace drover::base {
namespace {

/// The `n` decimal digits at `pos`, or nothing when they are not all there.
std::optional<int> Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilDate date;
  date.day = doy - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = static_cast<int64_t>(yoe) + era * 400 + (date.month <= 2);
  return date;
}

CivilTime CivilTimeFromSeconds(int64_t seconds) {
  int64_t days = FloorDiv(seconds, kSecondsPerDay);
  int64_t secs = seconds - days * kSecondsPerDay;
  CivilDate date = CivilFromDays(days);
  CivilTime t;
  t.year = date.year;
  t.month = date.month;
  t.day = date.day;
  t.hour = static_cast<int>(secs / 3600);
  t.minute = static_cast<int>(secs / 60 % 60);
  t.second = static_cast<int>(secs % 60);
  t.weekday = static_cast<int>(((days % 7) + 11) % 7);  // day 0 was a Thursday
  return t;
}

Rfc3339Time Rfc3339FromUnixNanos(int64_t unix_nanos) {
  Rfc3339Time t;
  t.unix_seconds = FloorDiv(unix_nanos, kNanosPerSecond);
  t.nanos = unix_nanos - t.unix_seconds * kNanosPerSecond;
  return t;
}

std::optional<int64_t> UnixNanos(const Rfc3339Time& t) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / kNanosPerSecond - 1;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min() / kNanosPerSecond + 1;
  if (t.unix_seconds > kMax || t.unix_seconds < kMin) return std::nullopt;
  return t.unix_seconds * kNanosPerSecond + t.nanos;
}

std::optional<Rfc3339Time> ParseRfc3339(std::string_view s) {
  auto y = Digits(s, 0, 4), mo = Digits(s, 5, 2), d = Digits(s, 8, 2), h = Digits(s, 11, 2),
       mi = Digits(s, 14, 2), se = Digits(s, 17, 2);
  if (!y || !mo || !d || !h || !mi || !se || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *se > 60) {
    return std::nullopt;
  }
  Rfc3339Time t;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t frac = 0;
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 9) {
        frac = frac * 10 + (s[pos] - '0');
        ++n;
      }
      ++pos;
    }
    if (n == 0) return std::nullopt;
    for (; n < 9; ++n) frac *= 10;
    t.nanos = frac;
  }
  if (pos >= s.size()) return std::nullopt;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    auto oh = Digits(s, pos + 1, 2), om = Digits(s, pos + 4, 2);
    if (!oh || !om || s[pos + 3] != ':') return std::nullopt;
    t.offset_seconds = (*oh * 3600 + *om * 60) * (s[pos] == '-' ? -1 : 1);
    t.utc = false;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t local =
      DaysFromCivil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d)) * kSecondsPerDay +
      *h * 3600 + *mi * 60 + *se;
  t.unix_seconds = local - t.offset_seconds;
  return t;
}

std::string FormatRfc3339(const CivilTime& wall, int64_t nanos, int offset_seconds, bool utc) {
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", wall.year, wall.month,
                                wall.day, wall.hour, wall.minute, wall.second);
  if (nanos != 0) {
    std::string frac = fmt::format("{:09}", nanos);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  out += utc && offset_seconds == 0 ? "Z" : FormatUtcOffset(offset_seconds, true);
  return out;
}

std::string FormatRfc3339(const Rfc3339Time& t) {
  return FormatRfc3339(t.Local(), t.nanos, t.offset_seconds, t.utc);
}

std::string FormatUtcOffset(int offset_seconds, bool colon) {
  char sign = offset_seconds < 0 ? '-' : '+';
  int off = std::abs(offset_seconds);
  return colon ? fmt::format("{}{:02}:{:02}", sign, off / 3600, off / 60 % 60)
               : fmt::format("{}{:02}{:02}", sign, off / 3600, off / 60 % 60);
}

}  // namespace drover::base
