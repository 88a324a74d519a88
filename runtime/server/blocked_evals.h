// Blocked evaluations: the ones the scheduler created because it could not place everything.
// They wait here until capacity changes (a node becomes ready, allocations stop); then they go
// back to the broker. One per job: a newer blocked evaluation replaces the job's older one, which
// the server cancels. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "reconciler/model/types.h"

namespace drover::server {

class BlockedEvals {
 public:
  /// Tracks `eval`; returns the evaluation it replaces (same job), which the caller cancels.
  std::optional<model::Evaluation> Block(model::Evaluation eval);
  /// Capacity appeared on a node of `computed_class` ("" = unknown): the evaluations that may now
  /// place something leave the tracker and are returned (those whose class eligibility says the
  /// class cannot help stay).
  std::vector<model::Evaluation> Unblock(const std::string& computed_class);
  /// Stops tracking the job's blocked evaluation (the job was stopped or purged).
  std::optional<model::Evaluation> Untrack(const model::JobKey& job);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<model::JobKey, model::Evaluation> by_job_;
};

/// When each node's heartbeat is due. Not thread-safe (the server guards it).
class HeartbeatTimers {
 public:
  void Reset(const model::Id& node, model::Time deadline) { deadlines_[node] = deadline; }
  void Remove(const model::Id& node) { deadlines_.erase(node); }
  bool Has(const model::Id& node) const { return deadlines_.contains(node); }
  size_t size() const { return deadlines_.size(); }
  /// Nodes whose deadline is <= now; they are removed.
  std::vector<model::Id> TakeExpired(model::Time now);

 private:
  std::map<model::Id, model::Time> deadlines_;
};

}  // namespace drover::server
