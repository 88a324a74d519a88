// The restart policy: attempts within an interval, modes fail and delay, batch vs service.
#include "runtime/client/restart_tracker.h"

#include <gtest/gtest.h>

namespace drover::client {
namespace {

using namespace std::chrono_literals;
using Kind = RestartDecision::Kind;
using Clock = std::chrono::system_clock;

ir::RestartPolicy Policy(int attempts, std::chrono::nanoseconds interval,
                         std::chrono::nanoseconds delay, ir::RestartMode mode) {
  ir::RestartPolicy p;
  p.attempts = attempts;
  p.interval = interval;
  p.delay = delay;
  p.mode = mode;
  return p;
}

TEST(RestartTrackerTest, FailModeGivesUpAfterTheAttempts) {
  RestartTracker t(Policy(2, 10min, 15s, ir::RestartMode::kFail), /*batch=*/false);
  Clock::time_point now = Clock::now();
  for (int i = 0; i < 2; ++i) {
    RestartDecision d = t.OnExit(now + std::chrono::seconds(i), false);
    EXPECT_EQ(d.kind, Kind::kRestart);
    EXPECT_EQ(d.reason, kReasonWithinPolicy);
    EXPECT_GE(d.delay, 15s);  // plus up to 25 % jitter
    EXPECT_LT(d.delay, std::chrono::milliseconds(18750));
  }
  RestartDecision d = t.OnExit(now + 3s, false);
  EXPECT_EQ(d.kind, Kind::kNoRestart);
  EXPECT_EQ(d.reason, "Exceeded allowed attempts 2 in interval 10m0s and mode is \"fail\"");
}

TEST(RestartTrackerTest, ANewIntervalResetsTheCount) {
  RestartTracker t(Policy(1, 1min, 1s, ir::RestartMode::kFail), false);
  Clock::time_point now = Clock::now();
  EXPECT_EQ(t.OnExit(now, false).kind, Kind::kRestart);
  EXPECT_EQ(t.OnExit(now + 2min, false).kind, Kind::kRestart);
  EXPECT_EQ(t.OnExit(now + 2min + 1s, false).kind, Kind::kNoRestart);
}

TEST(RestartTrackerTest, DelayModeWaitsForTheIntervalToEnd) {
  RestartTracker t(Policy(1, 1min, 1s, ir::RestartMode::kDelay), false);
  Clock::time_point now = Clock::now();
  EXPECT_EQ(t.OnExit(now, false).kind, Kind::kRestart);
  RestartDecision d = t.OnExit(now + 10s, false);
  EXPECT_EQ(d.kind, Kind::kRestart);
  EXPECT_EQ(d.reason, kReasonDelay);
  EXPECT_EQ(d.delay, 50s);
}

TEST(RestartTrackerTest, BatchSuccessIsDoneServiceSuccessRestarts) {
  RestartTracker batch(Policy(3, 1h, 1s, ir::RestartMode::kFail), true);
  EXPECT_EQ(batch.OnExit(Clock::now(), true).kind, Kind::kTerminated);
  RestartTracker service(Policy(3, 1h, 1s, ir::RestartMode::kFail), false);
  EXPECT_EQ(service.OnExit(Clock::now(), true).kind, Kind::kRestart);
}

TEST(RestartTrackerTest, NoAttemptsAndUnrecoverableErrors) {
  RestartTracker none(Policy(0, 1h, 1s, ir::RestartMode::kFail), false);
  RestartDecision d = none.OnExit(Clock::now(), false);
  EXPECT_EQ(d.kind, Kind::kNoRestart);
  EXPECT_EQ(d.reason, kReasonNoRestartsAllowed);
  RestartTracker t(Policy(3, 1h, 1s, ir::RestartMode::kFail), false);
  d = t.OnStartFailure(Clock::now(), /*recoverable=*/false);
  EXPECT_EQ(d.kind, Kind::kNoRestart);
  EXPECT_EQ(d.reason, kReasonUnrecoverable);
  EXPECT_EQ(t.OnStartFailure(Clock::now(), true).kind, Kind::kRestart);
}

TEST(RestartTrackerTest, StateSurvivesARoundTrip) {
  Clock::time_point now = Clock::now();
  RestartTracker a(Policy(2, 1h, 1s, ir::RestartMode::kFail), false);
  a.OnExit(now, false);
  a.OnExit(now + 1s, false);
  RestartTracker b(Policy(2, 1h, 1s, ir::RestartMode::kFail), false);
  b.FromJson(a.ToJson());
  EXPECT_EQ(b.attempts(), 2);
  EXPECT_EQ(b.OnExit(now + 2s, false).kind, Kind::kNoRestart);
}

}  // namespace
}  // namespace drover::client
