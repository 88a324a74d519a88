#include "runtime/drivers/docker/log_demux.h"

#include <fmt/format.h>

#include "compiler/base/time.h"

namespace drover::drivers {

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
  // 2026-11-29T02:07:58.123456789Z: the daemon's RFC3339Nano, always UTC with an upper-case `T`
  // and `Z` and at most nine fraction digits; anything else is not a daemon timestamp.
  if (t.size() < 20 || t.size() > 30 || t[10] != 'T' || t.back() != 'Z') return std::nullopt;
  std::optional<base::Rfc3339Time> parsed = base::ParseRfc3339(t);
  if (!parsed) return std::nullopt;
  return base::UnixNanos(*parsed);
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
