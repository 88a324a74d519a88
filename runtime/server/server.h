// The server core: what a Nomad server does between its API and its state store.
//
//   RegisterJob ─▶ job version + evaluation (one write) ─▶ EvalBroker ─▶ worker threads
//   worker: Snapshot ─▶ scheduler::Schedule ─▶ SubmitPlan ─▶ store.Update(EvaluatePlan on the
//           latest state, commit what still fits; a plan that fits whole also completes its
//           evaluation in that write) ─▶ partial? retry with a fresh snapshot
//           ─▶ eval complete (+ blocked eval, follow-ups, job status) ─▶ Ack
//   blocked evaluations wait in BlockedEvals until capacity changes (node ready, allocs stop)
//   nodes register and heartbeat with a TTL; a missed TTL marks the node down and creates
//   node-update evaluations, which mark its allocations lost and place replacements elsewhere
//
// Everything the store holds is written before it is acted on (an evaluation is committed before
// it is enqueued), so a restart (Start() on a store loaded from disk) re-enqueues pending
// evaluations, re-blocks blocked ones and gives every live node a grace period to heartbeat.
//
// Time is the injected Clock; timers (heartbeats, nack timeouts, delayed evaluations) move in
// Tick(), which a ticker thread calls every `tick_interval` (tests may turn it off and tick by
// hand). Ids and the scheduler's shuffles come from `seed`. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <llvm/Support/Error.h>

#include "compiler/ir/job.h"
#include "reconciler/scheduler/rng.h"
#include "reconciler/scheduler/scheduler.h"
#include "runtime/server/blocked_evals.h"
#include "runtime/server/clock.h"
#include "runtime/server/eval_broker.h"
#include "runtime/store/state_store.h"

namespace drover::server {

struct ServerConfig {
  std::string region = "global";
  std::string datacenter = "dc1";
  int num_workers = 2;  ///< scheduler worker threads
  uint64_t seed = 0;    ///< 0 = a random seed
  scheduler::SchedulerConfig scheduler;
  BrokerOptions broker;
  /// Heartbeats: TTL = max(min_heartbeat_ttl, nodes / max_heartbeats_per_second) plus a random
  /// stagger of up to the TTL; a node is marked down `heartbeat_grace` after its TTL runs out.
  model::Duration min_heartbeat_ttl = std::chrono::seconds(10);
  double max_heartbeats_per_second = 50.0;
  model::Duration heartbeat_grace = std::chrono::seconds(10);
  bool heartbeat_stagger = true;
  /// After a restart, live nodes get this long to heartbeat before they are marked down.
  model::Duration failover_heartbeat_ttl = std::chrono::minutes(5);
  /// Delay before a follow-up of an evaluation that failed at the broker's delivery limit.
  model::Duration failed_followup_delay = std::chrono::minutes(1);
  /// Real-time period of the ticker thread; 0 = no ticker (call Tick() yourself).
  std::chrono::milliseconds tick_interval{100};
};

struct RegisterOptions {
  bool enforce_index = false;         ///< EnforceIndex
  model::Index job_modify_index = 0;  ///< with enforce_index: 0 = the job must not exist
  int eval_priority = 0;              ///< 0 = the job's priority
  bool preserve_counts = false;       ///< keep the stored task group counts
};

struct RegisterResult {
  model::Id eval_id;  ///< zero for periodic and parameterized jobs
  model::Index eval_create_index = 0;
  model::Index job_modify_index = 0;
  model::Index index = 0;
  std::string warnings;
};

struct DeregisterResult {
  model::Id eval_id;
  model::Index eval_create_index = 0;
  model::Index job_modify_index = 0;
  model::Index index = 0;
};

struct NodeUpdateResult {
  model::Duration heartbeat_ttl{0};
  std::vector<model::Id> eval_ids;
  model::Index index = 0;
  model::Index node_modify_index = 0;
};

/// What a client reports about one of its allocations (Node.UpdateAlloc).
struct AllocClientUpdate {
  model::Id id;
  model::ClientStatus client_status = model::ClientStatus::kPending;
  std::string client_description;
  std::map<std::string, model::TaskState> task_states;
  std::optional<model::AllocDeploymentStatus> deployment_status;
};

struct ClientAllocs {
  std::map<model::Id, model::Index> allocs;  ///< alloc id -> AllocModifyIndex
  model::Index index = 0;
};

class Server {
 public:
  Server(ServerConfig config, store::StateStore& store, const Clock& clock);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Restores the broker, blocked evaluations and heartbeat timers from the store, then starts
  /// the workers and the ticker.
  void Start();
  /// Stops the workers and the ticker (idempotent). Evaluations still pending stay in the store.
  void Stop();

  const ServerConfig& config() const { return config_; }
  store::StateStore& store() { return store_; }
  const Clock& clock() const { return clock_; }
  EvalBroker& broker() { return broker_; }
  BlockedEvals& blocked() { return blocked_; }

  // ---- jobs (the HTTP API) ----

  /// Registers `job` (canonical and validated): a new version when the spec changed (or the job
  /// was stopped), and an evaluation. EnforceIndex conflicts are kBadRequest.
  llvm::Expected<RegisterResult> RegisterJob(ir::Job job, const RegisterOptions& options = {});
  /// Stops the job (a new version with Stop = true) or, with `purge`, deletes it; either way an
  /// evaluation stops its allocations. An unknown job is kNotFound.
  llvm::Expected<DeregisterResult> DeregisterJob(const model::JobKey& key, bool purge);
  /// A new evaluation of the job as it is (Nomad's job evaluate).
  llvm::Expected<RegisterResult> EvaluateJob(const model::JobKey& key);
  /// `job plan`: schedules `job` against a snapshot without writing anything.
  struct PlanResponse {
    scheduler::DryRunResult dry_run;
    model::Index index = 0;  ///< the snapshot's index
  };
  PlanResponse PlanJob(const ir::Job& job);

  // ---- nodes (the client RPC) ----

  /// Registers or re-registers a node. The node's secret must match a stored one.
  llvm::Expected<NodeUpdateResult> RegisterNode(model::Node node);
  /// A heartbeat (status "ready" or "initializing") or a status change; returns the next TTL.
  llvm::Expected<NodeUpdateResult> UpdateNodeStatus(const model::Id& node_id,
                                                    const std::string& secret,
                                                    model::NodeStatus status);
  /// The node's allocations and their AllocModifyIndex, once the allocation table passes
  /// `min_index` or `wait` runs out (a long poll).
  llvm::Expected<ClientAllocs> GetClientAllocs(const model::Id& node_id, const std::string& secret,
                                               model::Index min_index,
                                               std::chrono::milliseconds wait);
  /// Client-side status of allocations running on `node_id`.
  llvm::Expected<model::Index> UpdateAllocs(const model::Id& node_id, const std::string& secret,
                                            std::vector<AllocClientUpdate> updates);

  // ---- timers and tests ----

  /// Moves time-based state: missed heartbeats, broker nack timeouts and delays, evaluations
  /// that failed at the delivery limit, deployments past their progress deadline.
  void Tick();
  /// Blocks until no evaluation is queued or being processed (or `timeout`); for tests and
  /// benchmarks. Returns false on timeout.
  bool WaitForIdle(std::chrono::milliseconds timeout);
  /// Plans submitted and how many were only partly committed (optimistic-concurrency conflicts).
  struct Stats {
    uint64_t evals_processed = 0;
    uint64_t plans_submitted = 0;
    uint64_t plans_partial = 0;
    uint64_t evals_failed = 0;
  };
  Stats stats() const;

  /// Runs one delivered evaluation to completion (what a worker does). Exposed for tests that
  /// drive the pipeline step by step.
  llvm::Error ProcessEval(const model::Evaluation& eval);
  /// Applies a plan against the latest state: what fits is committed, the rest is rejected.
  llvm::Expected<scheduler::PlanResult> SubmitPlan(const scheduler::Plan& plan);
  /// Test seam: called by ProcessEval between the scheduler run and SubmitPlan (a test can
  /// commit a conflicting write there to exercise the optimistic-concurrency retry).
  void SetBeforeSubmitHookForTesting(std::function<void(const scheduler::Plan&)> hook) {
    before_submit_ = std::move(hook);
  }

 private:
  model::Id NewId();
  uint64_t NextSeed();
  model::Duration NextHeartbeatTtl(size_t nodes);
  model::Evaluation NewEval(const model::JobVersion& job, std::string_view trigger,
                            model::Index next_index, int priority = 0);
  /// Evaluations for every job with allocations on the node, and every system job.
  std::vector<model::Evaluation> NodeEvals(const model::State& latest, const model::Node& node,
                                           model::Index next_index);
  /// SubmitPlan that, when the plan fits whole and `finish` is given, also commits the
  /// evaluation's result in the same write (`*finished_eval` says whether it did).
  llvm::Expected<scheduler::PlanResult> SubmitPlan(const scheduler::Plan& plan,
                                                   const scheduler::ScheduleResult* finish,
                                                   bool* finished_eval);
  /// The deployment watcher (reconciler/deploy) for `deployments` as `changes` leave them:
  /// recounted deployments, status changes, allocations allowed a replacement, stable or
  /// reverted job versions and follow-up evaluations go into `changes`; returns the evaluations.
  std::vector<model::Evaluation> WatchDeployments(const model::State& latest,
                                                  const std::set<model::Id>& deployments,
                                                  model::Index next_index, store::Changes& changes);
  /// Runs the watcher for active deployments whose progress deadline passed (from Tick).
  void CheckDeploymentDeadlines();
  /// Appends the evaluation's result (done, blocked, follow-ups) to `changes`; returns the
  /// evaluations it creates.
  std::vector<model::Evaluation> EvalResultChanges(const scheduler::ScheduleResult& result,
                                                   store::Changes& changes);
  llvm::Error FinishEval(const scheduler::ScheduleResult& result);
  llvm::Error FailEval(const model::Evaluation& eval, const std::string& why, bool followup,
                       bool blocked);
  /// Puts committed evaluations to work: pending ones into the broker, blocked ones aside.
  void Dispatch(const std::vector<model::Evaluation>& evals);
  void CancelEvals(std::vector<model::Evaluation> evals, const std::string& why);
  void Unblock(const std::string& computed_class);
  void HeartbeatReset(const model::Id& node, model::Duration ttl);
  void ExpireNodes(const std::vector<model::Id>& nodes);
  void WorkerLoop();
  void TickerLoop();

  const ServerConfig config_;
  store::StateStore& store_;
  const Clock& clock_;
  EvalBroker broker_;
  BlockedEvals blocked_;

  mutable std::mutex mu_;  // rng_, heartbeats_
  scheduler::Rng rng_;     // ids and per-run scheduler seeds; reseeded at Start()
  HeartbeatTimers heartbeats_;

  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<int> busy_workers_{0};
  std::vector<std::thread> workers_;
  std::thread ticker_;
  std::mutex ticker_mu_;
  std::condition_variable ticker_cv_;

  std::function<void(const scheduler::Plan&)> before_submit_;
  std::atomic<uint64_t> evals_processed_{0};
  std::atomic<uint64_t> plans_submitted_{0};
  std::atomic<uint64_t> plans_partial_{0};
  std::atomic<uint64_t> evals_failed_{0};
};

/// The job status Nomad derives: dead once stopped (system/periodic/parameterized jobs run until
/// stopped), running with a non-terminal allocation, pending with a non-terminal evaluation,
/// dead when everything it had finished, pending when it has had nothing yet. `pending` overlays
/// allocations and evaluations about to be written.
std::string JobStatus(const model::State& state, const model::JobVersion& job,
                      const store::Changes* pending = nullptr);
/// Appends to `changes` the status updates of `jobs` that the changes (and `state`) imply.
void AppendJobStatusUpdates(const model::State& state, const std::vector<model::JobKey>& jobs,
                            store::Changes& changes);

}  // namespace drover::server
