#include "runtime/store/state_store.h"

#include <algorithm>

namespace drover::store {

bool Changes::empty() const {
  return jobs.empty() && purged_jobs.empty() && nodes.empty() && deleted_nodes.empty() &&
         allocs.empty() && deleted_allocs.empty() && evals.empty() && deleted_evals.empty() &&
         deployments.empty() && deleted_deployments.empty();
}

namespace {
template <typename T>
void AppendAll(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}
}  // namespace

void Changes::Append(Changes other) {
  AppendAll(jobs, other.jobs);
  AppendAll(purged_jobs, other.purged_jobs);
  AppendAll(nodes, other.nodes);
  AppendAll(deleted_nodes, other.deleted_nodes);
  AppendAll(allocs, other.allocs);
  AppendAll(deleted_allocs, other.deleted_allocs);
  AppendAll(evals, other.evals);
  AppendAll(deleted_evals, other.deleted_evals);
  AppendAll(deployments, other.deployments);
  AppendAll(deleted_deployments, other.deleted_deployments);
}

// ---- writes
// ----------------------------------------------------------------------------------------

void StateStore::Stamp(Changes& c, const model::State& state, Index index) {
  for (model::Node& n : c.nodes) {
    const model::Node* old = state.GetNode(n.id);
    n.create_index = old ? old->create_index : index;
    n.modify_index = index;
  }
  for (model::JobVersion& j : c.jobs) {
    std::vector<model::JobVersionPtr> versions = state.GetJobVersions(j.Key());
    bool purged =
        std::find(c.purged_jobs.begin(), c.purged_jobs.end(), j.Key()) != c.purged_jobs.end();
    j.create_index = versions.empty() || purged ? index : versions.back()->create_index;
    j.modify_index = index;
    if (j.job_modify_index == 0) j.job_modify_index = index;
  }
  for (model::Allocation& a : c.allocs) {
    const model::Allocation* old = state.GetAlloc(a.id);
    a.create_index = old ? old->create_index : index;
    a.modify_index = index;
    if (a.alloc_modify_index == 0) a.alloc_modify_index = index;
  }
  for (model::Evaluation& e : c.evals) {
    const model::Evaluation* old = state.GetEval(e.id);
    e.create_index = old ? old->create_index : index;
    e.modify_index = index;
  }
  for (model::Deployment& d : c.deployments) {
    const model::Deployment* old = state.GetDeployment(d.id);
    d.create_index = old ? old->create_index : index;
    d.modify_index = index;
  }
}

void StateStore::Apply(Changes c, model::State& state, Index index) {
  for (const model::JobKey& key : c.purged_jobs) state.DeleteJob(key, index);
  for (const model::Id& id : c.deleted_nodes) state.DeleteNode(id, index);
  for (const model::Id& id : c.deleted_allocs) state.DeleteAlloc(id, index);
  for (const model::Id& id : c.deleted_evals) state.DeleteEval(id, index);
  for (const model::Id& id : c.deleted_deployments) state.DeleteDeployment(id, index);
  for (model::JobVersion& j : c.jobs) state.UpsertJobVersion(std::move(j), index);
  for (model::Node& n : c.nodes) state.UpsertNode(std::move(n), index);
  for (model::Allocation& a : c.allocs) state.UpsertAlloc(std::move(a), index);
  for (model::Evaluation& e : c.evals) state.UpsertEval(std::move(e), index);
  for (model::Deployment& d : c.deployments) state.UpsertDeployment(std::move(d), index);
}

llvm::Expected<Index> StateStore::Update(const Builder& build) {
  std::lock_guard<std::mutex> write_lock(write_mu_);
  // Only writers change state_, and they hold write_mu_: reading it here needs no shared lock.
  llvm::Expected<Changes> changes = build(state_);
  if (!changes) return changes.takeError();
  if (changes->empty()) return state_.index();
  Index index = state_.index() + 1;
  Stamp(*changes, state_, index);
  if (llvm::Error err = Persist(*changes, index, state_)) return err;
  {
    std::unique_lock<std::shared_mutex> lock(state_mu_);
    Apply(std::move(*changes), state_, index);
  }
  PublishIndexes();
  return index;
}

llvm::Expected<Index> StateStore::Commit(Changes changes) {
  // The builder runs once, under the write lock; moving the captured changes out is safe.
  return Update([&](const model::State&) -> llvm::Expected<Changes> { return std::move(changes); });
}

llvm::Expected<Index> StateStore::RegisterJobVersion(model::JobVersion job) {
  Changes c;
  c.jobs.push_back(std::move(job));
  return Commit(std::move(c));
}

llvm::Expected<Index> StateStore::UpsertNodes(std::vector<model::Node> nodes) {
  Changes c;
  c.nodes = std::move(nodes);
  return Commit(std::move(c));
}

llvm::Expected<Index> StateStore::DeleteNodes(std::vector<model::Id> ids) {
  Changes c;
  c.deleted_nodes = std::move(ids);
  return Commit(std::move(c));
}

llvm::Expected<Index> StateStore::UpsertAllocs(std::vector<model::Allocation> allocs) {
  Changes c;
  c.allocs = std::move(allocs);
  return Commit(std::move(c));
}

llvm::Expected<Index> StateStore::UpsertEvals(std::vector<model::Evaluation> evals) {
  Changes c;
  c.evals = std::move(evals);
  return Commit(std::move(c));
}

llvm::Expected<Index> StateStore::UpsertDeployments(std::vector<model::Deployment> deployments) {
  Changes c;
  c.deployments = std::move(deployments);
  return Commit(std::move(c));
}

// ---- reads
// -----------------------------------------------------------------------------------------

ReadView StateStore::Read() const {
  return ReadView(std::shared_lock<std::shared_mutex>(state_mu_), &state_);
}

model::State StateStore::Snapshot() const {
  std::shared_lock<std::shared_mutex> lock(state_mu_);
  return state_;
}

Index StateStore::LatestIndex() const {
  std::lock_guard<std::mutex> lock(wait_mu_);
  return latest_index_;
}

Index StateStore::TableIndex(Table table) const {
  std::lock_guard<std::mutex> lock(wait_mu_);
  return table_index_[static_cast<int>(table)];
}

void StateStore::PublishIndexes() {
  {
    std::lock_guard<std::mutex> lock(wait_mu_);
    for (int t = 0; t < model::kTableCount; ++t) {
      table_index_[t] = state_.TableIndex(static_cast<Table>(t));
    }
    latest_index_ = state_.index();
  }
  wait_cv_.notify_all();
}

Index StateStore::WaitForIndex(std::span<const Table> tables, Index min_index,
                               std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(wait_mu_);
  auto current = [&] {
    Index highest = 0;
    for (Table t : tables) highest = std::max(highest, table_index_[static_cast<int>(t)]);
    return highest;
  };
  wait_cv_.wait_for(lock, timeout, [&] { return aborted_.load() || current() >= min_index; });
  return current();
}

void StateStore::AbortWaits() {
  {
    std::lock_guard<std::mutex> lock(wait_mu_);
    aborted_ = true;
  }
  wait_cv_.notify_all();
}

}  // namespace drover::store
