// Docker's multiplexed log stream (non-TTY containers): frames of
//   [stream: 1 = stdout, 2 = stderr][0 0 0][payload length, 4 bytes big-endian][payload]
// arriving split at arbitrary points by the HTTP transport. With `timestamps=1` every payload
// starts with the message's RFC 3339 time with 9 fixed fractional digits and a space, which is
// what lets a re-attached stream skip what was already written.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace drover::drivers {

class DockerLogDemuxer {
 public:
  /// stream: 1 stdout, 2 stderr (0 stdin, never sent); payload as sent.
  using FrameFn = std::function<void(int stream, std::string_view payload)>;
  explicit DockerLogDemuxer(FrameFn on_frame) : on_frame_(std::move(on_frame)) {}

  /// Feeds bytes; calls on_frame for every frame completed by them.
  void Feed(std::string_view data);
  /// Bytes of an incomplete frame still held.
  size_t pending() const { return buffer_.size(); }

 private:
  FrameFn on_frame_;
  std::string buffer_;
};

/// A log timestamp, `2026-11-29T02:07:58.123456789Z`, as nanoseconds since the epoch; nullopt
/// when malformed or outside int64 nanoseconds.
std::optional<int64_t> ParseDockerTimestamp(std::string_view text);

/// Splits "<timestamp> <message>" into its two parts; nullopt when there is no timestamp.
struct TimestampedLine {
  int64_t nanos;
  std::string_view message;
};
std::optional<TimestampedLine> SplitTimestamp(std::string_view payload);

/// Nanoseconds as the `since` query value the daemon accepts: "<seconds>.<9 digits>".
std::string DockerSince(int64_t nanos);

}  // namespace drover::drivers
