#include "runtime/cli/output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>

#include "compiler/base/time.h"
#include "reconciler/diff/plan_text.h"

namespace drover::cli {
namespace {

constexpr std::string_view kSpace = " \t\n\r\v\f";

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::vector<std::string> SplitCells(std::string_view row, const ColumnizeOptions& opts) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    size_t bar = row.find('|', start);
    std::string_view cell =
        row.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    std::string value = opts.no_trim ? std::string(cell) : TrimSpace(cell);
    if (value.empty() && !opts.empty.empty()) value = opts.empty;
    cells.push_back(std::move(value));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return cells;
}

// The API's RFC 3339 text; a space may stand for the `T` between date and time (RFC 3339 §5.6
// allows it for readability).
std::optional<base::Rfc3339Time> ParseApiTime(std::string_view s) {
  if (s.size() > 10 && s[10] == ' ') {
    std::string with_t(s);
    with_t[10] = 'T';
    return base::ParseRfc3339(with_t);
  }
  return base::ParseRfc3339(s);
}

// RFC 3339 in the local time zone at whole seconds; "" before 1970-01-01T00:00:01Z.
std::string FormatLocalSeconds(int64_t secs) {
  if (secs < 1) return "";
  time_t t = static_cast<time_t>(secs);
  struct tm local;
  if (localtime_r(&t, &local) == nullptr) return "";
  base::CivilTime wall{.year = local.tm_year + 1900LL,
                       .month = static_cast<unsigned>(local.tm_mon + 1),
                       .day = static_cast<unsigned>(local.tm_mday),
                       .hour = local.tm_hour,
                       .minute = local.tm_min,
                       .second = local.tm_sec,
                       .weekday = local.tm_wday};
  return base::FormatRfc3339(wall, 0, static_cast<int>(local.tm_gmtoff), /*utc=*/true);
}

// `v` as a decimal with `prec` fractional digits, trailing zeros (and a bare point) removed.
std::string FormatFraction(uint64_t v, int prec) {
  uint64_t scale = 1;
  for (int i = 0; i < prec; ++i) scale *= 10;
  std::string out = std::to_string(v / scale);
  uint64_t frac = v % scale;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, static_cast<size_t>(prec) - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

}  // namespace

std::string TrimSpace(std::string_view s) {
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(kSpace);
  return std::string(s.substr(b, e - b + 1));
}

std::string TrimRight(std::string_view s) {
  size_t e = s.find_last_not_of(kSpace);
  if (e == std::string_view::npos) return "";
  return std::string(s.substr(0, e + 1));
}

std::string Columnize(const std::vector<std::string>& rows, const ColumnizeOptions& opts) {
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size());
  std::vector<size_t> widths;
  for (const std::string& row : rows) {
    cells.push_back(SplitCells(row, opts));
    const auto& line = cells.back();
    for (size_t i = 0; i < line.size(); ++i) {
      size_t w = RuneCount(line[i]);
      if (widths.size() <= i) {
        widths.push_back(w);
      } else {
        widths[i] = std::max(widths[i], w);
      }
    }
  }
  std::string out;
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) {
        out.append(widths[i] - RuneCount(line[i]), ' ');
        out += opts.glue;
      }
    }
    out += '\n';
  }
  if (!out.empty()) out.pop_back();
  return out;
}

std::string FormatList(const std::vector<std::string>& rows) {
  return Columnize(rows, {.glue = "  ", .empty = "<none>"});
}

std::string FormatListWithSpaces(const std::vector<std::string>& rows) { return Columnize(rows); }

std::string FormatKV(const std::vector<std::string>& rows) {
  return Columnize(rows, {.glue = " = ", .empty = "<none>"});
}

std::string Row(std::initializer_list<std::string_view> cells) {
  std::string out;
  bool first = true;
  for (std::string_view c : cells) {
    if (!first) out += '|';
    out += c;
    first = false;
  }
  return out;
}

std::string Limit(std::string_view id, size_t length) {
  return std::string(id.substr(0, std::min(length, id.size())));
}

std::string FormatTime(int64_t unix_ns) {
  // Go: t.Unix() < 1 (floor division of the nanoseconds).
  return FormatLocalSeconds(base::FloorDiv(unix_ns, base::kNanosPerSecond));
}

bool ParseRfc3339(std::string_view s, int64_t* unix_ns) {
  std::optional<base::Rfc3339Time> t = ParseApiTime(s);
  if (!t) return false;
  std::optional<int64_t> ns = base::UnixNanos(*t);
  if (!ns) return false;
  *unix_ns = *ns;
  return true;
}

std::string FormatApiTime(std::string_view rfc3339) {
  std::optional<base::Rfc3339Time> t = ParseApiTime(rfc3339);
  if (!t) return std::string(rfc3339);
  return FormatLocalSeconds(t->unix_seconds);  // "" for Go's zero time, like any time before 1970
}

std::string PrettyTimeDiff(int64_t first_ns, int64_t second_ns) {
  if (first_ns == 0) return "";
  auto round = [](int64_t ns) {
    // time.Time.Round(time.Second): halfway rounds up.
    int64_t s = ns / 1'000'000'000;
    int64_t r = ns % 1'000'000'000;
    if (r < 0) {
      r += 1'000'000'000;
      --s;
    }
    return r >= 500'000'000 ? s + 1 : s;
  };
  int64_t first = round(first_ns);
  int64_t second = round(second_ns);
  std::string suffix = "ago";
  uint64_t u;
  if (second >= first) {
    u = static_cast<uint64_t>(second - first);
  } else {
    u = static_cast<uint64_t>(first - second);
    suffix = "from now";
  }
  // Periods from the smallest up; keep the two largest non-zero ones.
  std::vector<std::string> parts;
  if (uint64_t secs = u % 60; secs > 0) parts.push_back(std::to_string(secs) + "s");
  u /= 60;
  if (u > 0) {
    if (uint64_t mins = u % 60; mins > 0) parts.push_back(std::to_string(mins) + "m");
    u /= 60;
    if (u > 0) {
      if (uint64_t hrs = u % 24; hrs > 0) parts.push_back(std::to_string(hrs) + "h");
      u /= 24;
    }
    if (u > 0) {
      if (uint64_t days = u % 30; days > 0) parts.push_back(std::to_string(days) + "d");
      u /= 30;
    }
    if (u > 0) {
      if (uint64_t months = u % 12; months > 0) parts.push_back(std::to_string(months) + "mo");
      u /= 12;
    }
    if (u > 0) parts.push_back(std::to_string(u) + "y");
  }
  if (parts.empty()) return "0s " + suffix;
  std::string out;
  size_t keep = std::min<size_t>(2, parts.size());
  for (size_t i = 0; i < keep; ++i) out += parts[parts.size() - 1 - i];
  return out + " " + suffix;
}

std::string FormatGoDuration(int64_t ns) {
  if (ns == 0) return "0s";
  bool neg = ns < 0;
  uint64_t u = neg ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  std::string out;
  if (u < 1'000'000'000) {
    if (u < 1'000) {
      out = std::to_string(u) + "ns";
    } else if (u < 1'000'000) {
      out = FormatFraction(u, 3) + "\xC2\xB5s";
    } else {
      out = FormatFraction(u, 6) + "ms";
    }
  } else {
    uint64_t secs = u / 1'000'000'000;
    uint64_t frac = u % 1'000'000'000;
    out = FormatFraction((secs % 60) * 1'000'000'000 + frac, 9) + "s";
    uint64_t mins = secs / 60;
    if (mins > 0) {
      out = std::to_string(mins % 60) + "m" + out;
      if (uint64_t hours = mins / 60; hours > 0) out = std::to_string(hours) + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

std::string HumanizeIBytes(uint64_t bytes) {
  static const char* const kSizes[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 10) return std::to_string(bytes) + " B";
  int e = 0;
  long double scale = 1;
  while (e < 6 && bytes / static_cast<uint64_t>(scale * 1024) >= 1) {
    scale *= 1024;
    ++e;
  }
  double val = std::floor(static_cast<double>(bytes) / static_cast<double>(scale) * 10 + 0.5) / 10;
  char buf[64];
  std::snprintf(buf, sizeof buf, val < 10 ? "%.1f %s" : "%.0f %s", val, kSizes[e]);
  return buf;
}

std::string GoQuote(std::string_view s) { return diff::GoQuote(s); }

std::string Colorizer::Color(std::string_view text) const { return diff::Colorize(text, enabled_); }

}  // namespace drover::cli
