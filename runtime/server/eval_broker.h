// The eval broker: evaluations waiting to be scheduled, handed to scheduler workers with
// at-least-once delivery (Nomad's EvalBroker).
//
//   - Ready evaluations come out highest priority first, then oldest (create index) first.
//   - One evaluation per job at a time: while a job has an evaluation ready or out with a worker,
//     its other evaluations wait, so two workers never plan the same job against each other.
//   - A delivery must be acked (done) or nacked (failed, try again). A nack, or no answer within
//     the nack timeout, puts the evaluation back after a delay (1 s the first time, 20 s after);
//     after `delivery_limit` deliveries it leaves the broker as failed (TakeFailed).
//   - An evaluation with WaitUntil in the future is held until then.
//
// Time comes from the injected Clock and only moves things in Tick(); Dequeue() blocks on real
// time. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "reconciler/model/types.h"
#include "runtime/server/clock.h"

namespace drover::server {

struct BrokerOptions {
  model::Duration nack_timeout = std::chrono::seconds(60);  ///< Nomad's EvalNackTimeout
  int delivery_limit = 3;                                   ///< Nomad's EvalDeliveryLimit
  model::Duration initial_nack_delay = std::chrono::seconds(1);
  model::Duration subsequent_nack_delay = std::chrono::seconds(20);
};

class EvalBroker {
 public:
  EvalBroker(BrokerOptions options, const Clock& clock);

  /// Adds a pending evaluation. An evaluation the broker already holds is ignored.
  void Enqueue(model::Evaluation eval);

  struct Delivery {
    model::Evaluation eval;
    std::string token;  ///< to ack or nack this delivery
    int attempt = 1;    ///< 1 for the first delivery
  };
  /// The next ready evaluation, waiting up to `timeout` (real time) for one; nullopt on timeout
  /// or after Shutdown().
  std::optional<Delivery> Dequeue(std::chrono::milliseconds timeout);

  /// Done with a delivery. An unknown evaluation or a stale token is an error.
  llvm::Error Ack(const model::Id& eval_id, const std::string& token);
  /// Failed a delivery: redelivered after a delay, or failed for good at the delivery limit.
  llvm::Error Nack(const model::Id& eval_id, const std::string& token);
  /// Restarts the nack timer of an outstanding delivery (a long scheduler run is alive).
  llvm::Error Touch(const model::Id& eval_id, const std::string& token);

  /// Moves delayed evaluations that are due to ready and nacks deliveries past their timeout.
  void Tick();
  /// Evaluations that reached the delivery limit since the last call (they left the broker).
  std::vector<model::Evaluation> TakeFailed();

  struct Stats {
    size_t ready = 0;
    size_t unacked = 0;
    size_t waiting = 0;  ///< behind another evaluation of the same job
    size_t delayed = 0;
    uint64_t failed = 0;  ///< total since start
  };
  Stats stats() const;
  /// Nothing ready, out with a worker, waiting or delayed.
  bool Idle() const;

  /// Wakes every Dequeue() and makes later ones return nullopt at once.
  void Shutdown();

 private:
  struct Entry {
    model::Evaluation eval;
    int deliveries = 0;
    std::string token;         // of the outstanding delivery
    model::Time deadline = 0;  // nack deadline of the outstanding delivery
    bool holds_job = false;    // this evaluation is its job's current one
  };
  struct ReadyKey {
    int neg_priority;
    model::Index create_index;
    uint64_t seq;
    model::Id id;
    auto operator<=>(const ReadyKey&) const = default;
  };

  void MakeReadyLocked(Entry& e);
  void PushReadyLocked(Entry& e);
  void ReleaseJobLocked(const model::JobKey& job);
  void NackLocked(std::map<model::Id, Entry>::iterator it);
  llvm::Error CheckOutstandingLocked(const model::Id& id, const std::string& token,
                                     std::map<model::Id, Entry>::iterator& it);

  const BrokerOptions options_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<model::Id, Entry> evals_;
  std::set<ReadyKey> ready_;
  std::set<model::Id> unacked_;
  std::set<model::JobKey> active_jobs_;
  std::map<model::JobKey, std::vector<model::Id>> waiting_;
  std::multimap<model::Time, model::Id> delayed_;
  std::vector<model::Evaluation> failed_;
  uint64_t failed_total_ = 0;
  uint64_t seq_ = 0;
  uint64_t next_token_ = 1;
  bool shutdown_ = false;
};

}  // namespace drover::server
