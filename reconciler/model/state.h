// State: the cluster as the server knows it, in memory, with the indexes the scheduler and the API
// need (allocations by node and by job, every job version, resources in use per node). The store
// (runtime/store) keeps one State per server, rebuilt from disk at start and guarded by its lock;
// the scheduler reads a State through a const reference and never writes it.
//
// Every write carries the store's index; objects get CreateIndex/ModifyIndex from it and each
// table remembers the last index that changed it (Nomad's X-Nomad-Index for that table).
//
// Threading: not thread-safe. Pointers returned by reads stay valid until the next write to the
// same object (objects are held by shared_ptr; take the *Ptr variant to keep one longer).
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reconciler/model/types.h"

namespace drover::model {

enum class Table : uint8_t { kNodes, kJobs, kAllocs, kEvals, kDeployments };
inline constexpr int kTableCount = 5;

/// Ports taken on one host address: one bit per port (Nomad's per-IP port bitmap). Grows to the
/// highest port set, so a node using only ports below 32000 costs at most 4 KiB.
class PortBitmap {
 public:
  bool Test(int port) const {
    size_t w = static_cast<size_t>(port) >> 6;
    return port >= 0 && w < words_.size() && ((words_[w] >> (port & 63)) & 1U) != 0;
  }
  void Set(int port);
  void Clear(int port);
  /// The lowest port in [lo, hi] whose bit is clear, or -1.
  int FirstClear(int lo, int hi) const;
  bool Empty() const { return words_.empty(); }
  bool operator==(const PortBitmap&) const = default;

 private:
  std::vector<uint64_t> words_;
};

/// Resources held on a node by its allocations that are not terminal.
struct NodeUsage {
  int cpu_mhz = 0;
  int cores = 0;
  int memory_mb = 0;
  int disk_mb = 0;
  int mbits = 0;
  int allocs = 0;
  /// Ports in use: (host ip, port) pairs, unordered; a port may appear once per ip.
  std::vector<std::pair<std::string, int>> ports;
  /// The same ports as one bitmap per host ip, for O(1) collision checks.
  std::vector<std::pair<std::string, PortBitmap>> port_bitmaps;

  /// True when `port` is held on `ip` by a non-terminal allocation.
  bool PortUsed(std::string_view ip, int port) const {
    const PortBitmap* b = PortsOn(ip);
    return b != nullptr && b->Test(port);
  }
  /// The bitmap of `ip`, or null when no port is used there.
  const PortBitmap* PortsOn(std::string_view ip) const {
    for (const auto& [addr, bits] : port_bitmaps) {
      if (addr == ip) return &bits;
    }
    return nullptr;
  }
  bool operator==(const NodeUsage&) const = default;
};

class State {
 public:
  State() = default;
  State(const State&) = default;  ///< shares the objects; copies the indexes (tests, dry runs)
  State(State&&) = default;
  State& operator=(const State&) = default;
  State& operator=(State&&) = default;

  // ---- reads ----
  Index index() const { return index_; }
  Index TableIndex(Table t) const { return table_index_[static_cast<int>(t)]; }

  const Node* GetNode(const Id& id) const;
  std::shared_ptr<const Node> GetNodePtr(const Id& id) const;
  /// All nodes, ordered by id.
  std::vector<const Node*> Nodes() const;
  size_t NodeCount() const { return nodes_.size(); }

  /// The latest version of a job, or null.
  const JobVersion* GetJob(const JobKey& key) const;
  JobVersionPtr GetJobPtr(const JobKey& key) const;
  JobVersionPtr GetJobVersion(const JobKey& key, uint64_t version) const;
  /// Every stored version, newest first.
  std::vector<JobVersionPtr> GetJobVersions(const JobKey& key) const;
  /// Latest versions of all jobs, ordered by (namespace, id).
  std::vector<const JobVersion*> Jobs() const;

  const Allocation* GetAlloc(const Id& id) const;
  AllocationPtr GetAllocPtr(const Id& id) const;
  /// Allocations on a node (any status), in no particular order.
  std::vector<const Allocation*> AllocsByNode(const Id& node_id) const;
  /// Allocations of a job (every version, any status), in no particular order.
  std::vector<const Allocation*> AllocsByJob(const JobKey& key) const;
  /// All allocations, in no particular order.
  std::vector<const Allocation*> Allocs() const;
  size_t AllocCount() const { return allocs_.size(); }
  /// What the node's non-terminal allocations use (zero usage for an unknown node).
  const NodeUsage& Usage(const Id& node_id) const;

  const Evaluation* GetEval(const Id& id) const;
  std::vector<const Evaluation*> EvalsByJob(const JobKey& key) const;
  /// All evaluations ordered by create index.
  std::vector<const Evaluation*> Evals() const;

  const Deployment* GetDeployment(const Id& id) const;
  /// The deployment with the highest create index for the job, or null.
  const Deployment* LatestDeployment(const JobKey& key) const;
  std::vector<const Deployment*> DeploymentsByJob(const JobKey& key) const;
  std::vector<const Deployment*> Deployments() const;

  // ---- writes: `index` is the store's write index, strictly increasing across writes ----
  /// Inserts or replaces a node; sets create/modify index.
  void UpsertNode(Node node, Index index);
  void DeleteNode(const Id& id, Index index);
  /// Stores a new version of a job (or replaces the stored one with the same version number).
  void UpsertJobVersion(JobVersion job, Index index);
  /// Removes a job and all its versions (purge).
  void DeleteJob(const JobKey& key, Index index);
  /// Inserts or replaces an allocation, keeping the by-node/by-job indexes and usage current.
  void UpsertAlloc(Allocation alloc, Index index);
  void DeleteAlloc(const Id& id, Index index);
  void UpsertEval(Evaluation eval, Index index);
  void DeleteEval(const Id& id, Index index);
  void UpsertDeployment(Deployment deployment, Index index);
  void DeleteDeployment(const Id& id, Index index);

  /// Restores an object read from disk as it was (its indexes untouched). Used at start-up.
  void RestoreNode(Node node);
  void RestoreJobVersion(JobVersion job);
  void RestoreAlloc(Allocation alloc);
  void RestoreEval(Evaluation eval);
  void RestoreDeployment(Deployment deployment);
  /// After restoring: the latest index and each table's index.
  void SetIndexes(Index index, const std::array<Index, kTableCount>& tables);

 private:
  void Touch(Table t, Index index);
  void AddUsage(const Allocation& a);
  void RemoveUsage(const Allocation& a);
  void LinkAlloc(const AllocationPtr& a);
  void UnlinkAlloc(const Allocation& a);

  Index index_ = 0;
  std::array<Index, kTableCount> table_index_{};
  std::map<Id, std::shared_ptr<const Node>> nodes_;
  std::map<JobKey, std::vector<JobVersionPtr>> jobs_;  // versions ascending
  std::unordered_map<Id, AllocationPtr, IdHash> allocs_;
  std::unordered_map<Id, std::vector<Id>, IdHash> allocs_by_node_;
  std::map<JobKey, std::vector<Id>> allocs_by_job_;
  std::unordered_map<Id, NodeUsage, IdHash> usage_;
  std::unordered_map<Id, std::shared_ptr<const Evaluation>, IdHash> evals_;
  std::map<JobKey, std::vector<Id>> evals_by_job_;
  std::unordered_map<Id, std::shared_ptr<const Deployment>, IdHash> deployments_;
  std::map<JobKey, std::vector<Id>> deployments_by_job_;
};

}  // namespace drover::model
