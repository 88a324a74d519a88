// The server's state store: the cluster (model::State) in memory, every change persisted before it
// is visible, and blocking reads by index.
//
// Writes. Every write is one atomic batch (Changes) and takes the next value of ONE monotonically
// increasing index, which is stored durably with the batch; objects get CreateIndex/ModifyIndex
// (and JobModifyIndex / AllocModifyIndex when the caller leaves them 0) from it. Update() is a
// read-modify-write: the builder sees the latest state and no other write can slip in between
// (EnforceIndex checks, job version numbers, the plan applier's fit check all rely on this). A
// write returns only once it is durable (LevelDB: synced); a write that fails changes nothing.
//
// Reads. Read() gives a consistent view under a shared lock (hold it briefly: writers wait for
// it); Snapshot() copies the state (its objects are shared, immutable) for long computations such
// as a scheduler run. WaitForIndex() blocks until a table's index reaches a value: Nomad's
// blocking queries.
//
// Implementations: MemoryStateStore (tests, nothing on disk) and LevelDbStateStore (the default;
// the state is rebuilt from disk at start). Both share this class and differ in Persist().
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <vector>

#include <llvm/Support/Error.h>

#include "reconciler/model/state.h"

namespace drover::store {

using model::Index;
using model::Table;

/// One atomic write. Upserts replace whole objects; the store fills their indexes.
struct Changes {
  std::vector<model::JobVersion> jobs;     ///< new versions, or a version's status/stop/stable
  std::vector<model::JobKey> purged_jobs;  ///< every version is removed
  std::vector<model::Node> nodes;
  std::vector<model::Id> deleted_nodes;
  std::vector<model::Allocation> allocs;
  std::vector<model::Id> deleted_allocs;
  std::vector<model::Evaluation> evals;
  std::vector<model::Id> deleted_evals;
  std::vector<model::Deployment> deployments;
  std::vector<model::Id> deleted_deployments;

  bool empty() const;
  /// Appends `other`'s changes.
  void Append(Changes other);
};

/// A consistent read of the state; holds the store's shared lock until destroyed.
class ReadView {
 public:
  const model::State& operator*() const { return *state_; }
  const model::State* operator->() const { return state_; }

 private:
  friend class StateStore;
  ReadView(std::shared_lock<std::shared_mutex> lock, const model::State* state)
      : lock_(std::move(lock)), state_(state) {}
  std::shared_lock<std::shared_mutex> lock_;
  const model::State* state_;
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // ---- writes ----

  /// Commits `changes` atomically at the next index and returns that index once durable. An
  /// empty change set writes nothing and returns the current index.
  llvm::Expected<Index> Commit(Changes changes);

  /// Builds a write from the latest state and commits it, with no other write in between. An
  /// error from `build` is returned and nothing is written.
  using Builder = std::function<llvm::Expected<Changes>(const model::State& latest)>;
  llvm::Expected<Index> Update(const Builder& build);

  /// Shorthands for one-kind writes (each one atomic batch).
  llvm::Expected<Index> RegisterJobVersion(model::JobVersion job);
  llvm::Expected<Index> UpsertNodes(std::vector<model::Node> nodes);
  llvm::Expected<Index> DeleteNodes(std::vector<model::Id> ids);
  llvm::Expected<Index> UpsertAllocs(std::vector<model::Allocation> allocs);
  llvm::Expected<Index> UpsertEvals(std::vector<model::Evaluation> evals);
  llvm::Expected<Index> UpsertDeployments(std::vector<model::Deployment> deployments);

  // ---- reads ----

  /// A consistent view; keep it short-lived (it blocks the in-memory apply of writes).
  ReadView Read() const;
  /// A copy of the state sharing its immutable objects, for long computations.
  model::State Snapshot() const;
  /// The index of the last write (0 for an empty store).
  Index LatestIndex() const;
  Index TableIndex(Table table) const;

  /// Blocks until one of `tables` has an index >= `min_index`, `timeout` passes or waits are
  /// aborted; returns the highest index of `tables` then (which may still be < min_index).
  Index WaitForIndex(std::span<const Table> tables, Index min_index,
                     std::chrono::milliseconds timeout) const;
  Index WaitForIndex(Table table, Index min_index, std::chrono::milliseconds timeout) const {
    return WaitForIndex(std::span<const Table>(&table, 1), min_index, timeout);
  }
  /// Wakes every waiter now and makes later waits return at once (shutdown).
  void AbortWaits();
  bool WaitsAborted() const { return aborted_.load(); }

 protected:
  StateStore() = default;

  /// Makes `changes` (already stamped with `index`) durable. `before` is the state the write
  /// applies to. Called with the write lock held, without the read lock. An error aborts the
  /// write.
  virtual llvm::Error Persist(const Changes& changes, Index index, const model::State& before) = 0;

  /// For implementations loading from disk before the store is used.
  model::State& MutableState() { return state_; }
  void PublishIndexes();

 private:
  /// Fills create/modify indexes as model::State would, so that what is persisted matches.
  static void Stamp(Changes& changes, const model::State& state, Index index);
  static void Apply(Changes changes, model::State& state, Index index);

  mutable std::mutex write_mu_;  // serializes writers (Update/Commit)
  mutable std::shared_mutex state_mu_;
  model::State state_;

  mutable std::mutex wait_mu_;
  mutable std::condition_variable wait_cv_;
  std::array<Index, model::kTableCount> table_index_{};  // guarded by wait_mu_
  Index latest_index_ = 0;                               // guarded by wait_mu_
  std::atomic<bool> aborted_{false};
};

/// Nothing on disk; for tests and throw-away agents.
class MemoryStateStore final : public StateStore {
 public:
  MemoryStateStore() = default;

 protected:
  llvm::Error Persist(const Changes&, Index, const model::State&) override {
    return llvm::Error::success();
  }
};

}  // namespace drover::store
