#include "runtime/client/restart_tracker.h"

#include <fmt/format.h>

namespace drover::client {

using std::chrono::nanoseconds;

RestartTracker::RestartTracker(const ir::RestartPolicy& policy, bool batch, uint64_t seed)
    : max_attempts_(policy.attempts.value_or(batch ? 3 : 2)),
      interval_(
          policy.interval.value_or(batch ? std::chrono::hours(24) : std::chrono::minutes(30))),
      delay_(policy.delay.value_or(std::chrono::seconds(15))),
      mode_(policy.mode.value_or(ir::RestartMode::kFail)),
      batch_(batch),
      rng_(seed) {}

nanoseconds RestartTracker::Jittered() {
  int64_t quarter = delay_.count() / 4;
  if (quarter <= 0) return delay_;
  std::uniform_int_distribution<int64_t> dist(0, quarter - 1);
  return delay_ + nanoseconds(dist(rng_));
}

RestartDecision RestartTracker::OnExit(std::chrono::system_clock::time_point now, bool successful) {
  return Decide(now, successful, /*start_failure=*/false, /*recoverable=*/true);
}

RestartDecision RestartTracker::OnStartFailure(std::chrono::system_clock::time_point now,
                                               bool recoverable) {
  return Decide(now, /*successful=*/false, /*start_failure=*/true, recoverable);
}

RestartDecision RestartTracker::Decide(std::chrono::system_clock::time_point now, bool successful,
                                       bool start_failure, bool recoverable) {
  using Kind = RestartDecision::Kind;
  // A batch task that finished is done, whatever the policy.
  if (!start_failure && successful && batch_) return {Kind::kTerminated, {}, ""};
  if (start_failure && !recoverable) return {Kind::kNoRestart, {}, kReasonUnrecoverable};
  if (max_attempts_ == 0) return {Kind::kNoRestart, {}, kReasonNoRestartsAllowed};
  if (interval_start_ == std::chrono::system_clock::time_point{} ||
      now > interval_start_ + interval_) {
    attempts_ = 0;
    interval_start_ = now;
  }
  ++attempts_;
  if (attempts_ > max_attempts_) {
    if (mode_ == ir::RestartMode::kFail) {
      return {Kind::kNoRestart,
              {},
              fmt::format("Exceeded allowed attempts {} in interval {} and mode is \"fail\"",
                          max_attempts_, ir::FormatDuration(interval_))};
    }
    // Mode delay: wait for the interval to end; the next attempt opens a new interval.
    nanoseconds wait = std::chrono::duration_cast<nanoseconds>(interval_start_ + interval_ - now);
    if (wait.count() < 0) wait = nanoseconds(0);
    return {Kind::kRestart, wait, kReasonDelay};
  }
  return {Kind::kRestart, Jittered(), kReasonWithinPolicy};
}

nlohmann::json RestartTracker::ToJson() const {
  return {{"Attempts", attempts_},
          {"IntervalStart",
           std::chrono::duration_cast<nanoseconds>(interval_start_.time_since_epoch()).count()}};
}

void RestartTracker::FromJson(const nlohmann::json& j) {
  if (!j.is_object()) return;
  attempts_ = j.value("Attempts", 0);
  int64_t start = j.value("IntervalStart", int64_t{0});
  interval_start_ = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(nanoseconds(start)));
}

}  // namespace drover::client
