// The server's clock, injected so that tests decide what time it is. Everything time-based in the
// server (heartbeat TTLs, the eval broker's nack timeouts and delays, timestamps on objects) reads
// Now() and is driven by Server::Tick(); a test with a ManualClock advances time and ticks by hand.
#pragma once

#include <atomic>
#include <chrono>

#include "reconciler/model/types.h"

namespace drover::server {

class Clock {
 public:
  virtual ~Clock() = default;
  /// Unix nanoseconds.
  virtual model::Time Now() const = 0;
};

/// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  model::Time Now() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

/// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(model::Time start = 1'700'000'000'000'000'000) : now_(start) {}
  model::Time Now() const override { return now_.load(); }
  void Set(model::Time t) { now_ = t; }
  void Advance(std::chrono::nanoseconds d) { now_ += d.count(); }

 private:
  std::atomic<model::Time> now_;
};

/// Nanoseconds of a std::chrono duration, as model::Time arithmetic wants them.
template <typename Rep, typename Period>
constexpr model::Time Nanos(std::chrono::duration<Rep, Period> d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

}  // namespace drover::server
