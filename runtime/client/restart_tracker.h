// The task restart policy (`restart { attempts, interval, delay, mode }`), after Nomad's client:
// every exit or failed start counts as one attempt in the current interval; while the count is
// within `attempts` the task restarts after `delay` (plus up to 25 % jitter); beyond it, mode
// "fail" gives up (the task fails) and mode "delay" waits until the interval is over and starts a
// new one. A successful exit of a batch task is not restarted; a service task always is (services
// are not supposed to exit). Pure logic: time is an input, jitter comes from a seeded generator.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/ir/job.h"

namespace drover::client {

struct RestartDecision {
  enum class Kind {
    kRestart,     ///< "Restarting": start again after `delay`
    kNoRestart,   ///< "Not Restarting": the task failed
    kTerminated,  ///< finished successfully, nothing more to do
  };
  Kind kind = Kind::kNoRestart;
  std::chrono::nanoseconds delay{0};
  std::string reason;  ///< Nomad's RestartReason ("Restart within policy", "Exceeded ...")
};

inline constexpr char kReasonWithinPolicy[] = "Restart within policy";
inline constexpr char kReasonNoRestartsAllowed[] = "Policy allows no restarts";
inline constexpr char kReasonUnrecoverable[] = "Error was unrecoverable";
inline constexpr char kReasonDelay[] = "Exceeded allowed attempts, applying a delay";

class RestartTracker {
 public:
  /// `policy` as canonicalized by sema (every field set); missing fields take Nomad's service
  /// defaults (2 attempts in 30m, 15s delay, mode fail).
  RestartTracker(const ir::RestartPolicy& policy, bool batch, uint64_t seed = 0);

  /// The task exited (`successful`: exit code 0 and no signal).
  RestartDecision OnExit(std::chrono::system_clock::time_point now, bool successful);
  /// The task could not start (driver error, artifact download, ...).
  RestartDecision OnStartFailure(std::chrono::system_clock::time_point now, bool recoverable);

  int attempts() const { return attempts_; }
  /// Persisted with the task so that an agent restart does not reset the count.
  nlohmann::json ToJson() const;
  void FromJson(const nlohmann::json& j);

 private:
  RestartDecision Decide(std::chrono::system_clock::time_point now, bool successful,
                         bool start_failure, bool recoverable);
  std::chrono::nanoseconds Jittered();

  int max_attempts_;
  std::chrono::nanoseconds interval_;
  std::chrono::nanoseconds delay_;
  ir::RestartMode mode_;
  bool batch_;
  int attempts_ = 0;  ///< attempts in the current interval
  std::chrono::system_clock::time_point interval_start_{};
  std::mt19937_64 rng_;
};

}  // namespace drover::client
