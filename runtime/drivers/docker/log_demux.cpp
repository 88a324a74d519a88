#include "runtime/drivers/docker/log_demux.h"

#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace drover::drivers {
namespace {

std::optional<int> Digits(std::string_view s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

void DockerLogDemuxer::Feed(std::string_view data) {
  buffer_.append(data);
  size_t pos = 0;
  while (buffer_.size() - pos >= 8) {
    const auto* h = reinterpret_cast<const unsigned char*>(buffer_.data() + pos);
    uint32_t len = (uint32_t{h[4]} << 24) | (uint32_t{h[5]} << 16) | (uint32_t{h[6]} << 8) | h[7];
    if (buffer_.size() - pos - 8 < len) break;
    on_frame_(h[0], std::string_view(buffer_.data() + pos + 8, len));
    pos += 8 + len;
  }
  buffer_.erase(0, pos);
}

std::optional<int64_t> ParseDockerTimestamp(std::string_view t) {
  // 2026-11-29T02:07:58.123456789Z (fraction optional, any length up to 9)
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
      t.back() != 'Z') {
    return std::nullopt;
  }
  auto year = Digits(t.substr(0, 4)), month = Digits(t.substr(5, 2)), day = Digits(t.substr(8, 2));
  auto hour = Digits(t.substr(11, 2)), min = Digits(t.substr(14, 2)), sec = Digits(t.substr(17, 2));
  if (!year || !month || !day || !hour || !min || !sec) return std::nullopt;
  int64_t nanos = 0;
  std::string_view rest = t.substr(19, t.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 10) return std::nullopt;
    std::string frac(rest.substr(1));
    frac.resize(9, '0');
    auto f = Digits(frac);
    if (!f) return std::nullopt;
    nanos = *f;
  }
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *min;
  tm.tm_sec = *sec;
  int64_t seconds = timegm(&tm);
  return seconds * 1'000'000'000 + nanos;
}

std::optional<TimestampedLine> SplitTimestamp(std::string_view payload) {
  size_t space = payload.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::optional<int64_t> nanos = ParseDockerTimestamp(payload.substr(0, space));
  if (!nanos) return std::nullopt;
  return TimestampedLine{*nanos, payload.substr(space + 1)};
}

std::string DockerSince(int64_t nanos) {
  return fmt::format("{}.{:09}", nanos / 1'000'000'000, nanos % 1'000'000'000);
}

}  // namespace drover::drivers
