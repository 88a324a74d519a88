#include "reconciler/model/state.h"

#include <algorithm>

#include "compiler/base/check.h"
#include "reconciler/model/node_class.h"

namespace drover::model {
namespace {

template <typename Map>
void EraseId(Map& index, const typename Map::key_type& key, const Id& id) {
  auto it = index.find(key);
  if (it == index.end()) return;
  auto& ids = it->second;
  auto pos = std::find(ids.begin(), ids.end(), id);
  if (pos != ids.end()) {
    *pos = ids.back();
    ids.pop_back();
  }
  if (ids.empty()) index.erase(it);
}

const NodeUsage kNoUsage;

PortBitmap& BitmapFor(NodeUsage& u, const std::string& ip) {
  for (auto& [addr, bits] : u.port_bitmaps) {
    if (addr == ip) return bits;
  }
  return u.port_bitmaps.emplace_back(ip, PortBitmap()).second;
}

}  // namespace

// ---- ports -----------------------------------------------------------------------------------------

void PortBitmap::Set(int port) {
  DROVER_CHECK(port >= 0 && port < 65536, "port out of range");
  size_t w = static_cast<size_t>(port) >> 6;
  if (w >= words_.size()) words_.resize(w + 1, 0);
  words_[w] |= uint64_t{1} << (port & 63);
}

void PortBitmap::Clear(int port) {
  size_t w = static_cast<size_t>(port) >> 6;
  if (port < 0 || w >= words_.size()) return;
  words_[w] &= ~(uint64_t{1} << (port & 63));
  while (!words_.empty() && words_.back() == 0) words_.pop_back();
}

int PortBitmap::FirstClear(int lo, int hi) const {
  if (lo < 0) lo = 0;
  for (int p = lo; p <= hi;) {
    size_t w = static_cast<size_t>(p) >> 6;
    if (w >= words_.size()) return p;
    uint64_t free_bits = ~words_[w] & (~uint64_t{0} << (p & 63));
    if (free_bits != 0) {
      int found = static_cast<int>(w * 64) + __builtin_ctzll(free_bits);
      return found <= hi ? found : -1;
    }
    p = static_cast<int>((w + 1) * 64);
  }
  return -1;
}

// ---- reads -----------------------------------------------------------------------------------------

const Node* State::GetNode(const Id& id) const {
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : it->second.get();
}

std::shared_ptr<const Node> State::GetNodePtr(const Id& id) const {
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : it->second;
}

std::vector<const Node*> State::Nodes() const {
  std::vector<const Node*> out;
  out.reserve(nodes_.size());
  for (const auto& [id, n] : nodes_) out.push_back(n.get());
  return out;
}

const JobVersion* State::GetJob(const JobKey& key) const { return GetJobPtr(key).get(); }

JobVersionPtr State::GetJobPtr(const JobKey& key) const {
  auto it = jobs_.find(key);
  return it == jobs_.end() || it->second.empty() ? nullptr : it->second.back();
}

JobVersionPtr State::GetJobVersion(const JobKey& key, uint64_t version) const {
  auto it = jobs_.find(key);
  if (it == jobs_.end()) return nullptr;
  for (const JobVersionPtr& v : it->second) {
    if (v->version == version) return v;
  }
  return nullptr;
}

std::vector<JobVersionPtr> State::GetJobVersions(const JobKey& key) const {
  auto it = jobs_.find(key);
  if (it == jobs_.end()) return {};
  return {it->second.rbegin(), it->second.rend()};
}

std::vector<const JobVersion*> State::Jobs() const {
  std::vector<const JobVersion*> out;
  out.reserve(jobs_.size());
  for (const auto& [key, versions] : jobs_) {
    if (!versions.empty()) out.push_back(versions.back().get());
  }
  return out;
}

const Allocation* State::GetAlloc(const Id& id) const { return GetAllocPtr(id).get(); }

AllocationPtr State::GetAllocPtr(const Id& id) const {
  auto it = allocs_.find(id);
  return it == allocs_.end() ? nullptr : it->second;
}

std::vector<const Allocation*> State::AllocsByNode(const Id& node_id) const {
  std::vector<const Allocation*> out;
  auto it = allocs_by_node_.find(node_id);
  if (it == allocs_by_node_.end()) return out;
  out.reserve(it->second.size());
  for (const Id& id : it->second) out.push_back(allocs_.at(id).get());
  return out;
}

std::vector<const Allocation*> State::AllocsByJob(const JobKey& key) const {
  std::vector<const Allocation*> out;
  auto it = allocs_by_job_.find(key);
  if (it == allocs_by_job_.end()) return out;
  out.reserve(it->second.size());
  for (const Id& id : it->second) out.push_back(allocs_.at(id).get());
  return out;
}

std::vector<const Allocation*> State::Allocs() const {
  std::vector<const Allocation*> out;
  out.reserve(allocs_.size());
  for (const auto& [id, a] : allocs_) out.push_back(a.get());
  return out;
}

const NodeUsage& State::Usage(const Id& node_id) const {
  auto it = usage_.find(node_id);
  return it == usage_.end() ? kNoUsage : it->second;
}

const Evaluation* State::GetEval(const Id& id) const {
  auto it = evals_.find(id);
  return it == evals_.end() ? nullptr : it->second.get();
}

std::vector<const Evaluation*> State::EvalsByJob(const JobKey& key) const {
  std::vector<const Evaluation*> out;
  auto it = evals_by_job_.find(key);
  if (it == evals_by_job_.end()) return out;
  for (const Id& id : it->second) out.push_back(evals_.at(id).get());
  std::sort(out.begin(), out.end(),
            [](const Evaluation* a, const Evaluation* b) { return a->create_index < b->create_index; });
  return out;
}

std::vector<const Evaluation*> State::Evals() const {
  std::vector<const Evaluation*> out;
  out.reserve(evals_.size());
  for (const auto& [id, e] : evals_) out.push_back(e.get());
  std::sort(out.begin(), out.end(), [](const Evaluation* a, const Evaluation* b) {
    return a->create_index != b->create_index ? a->create_index < b->create_index : a->id < b->id;
  });
  return out;
}

const Deployment* State::GetDeployment(const Id& id) const {
  auto it = deployments_.find(id);
  return it == deployments_.end() ? nullptr : it->second.get();
}

std::vector<const Deployment*> State::DeploymentsByJob(const JobKey& key) const {
  std::vector<const Deployment*> out;
  auto it = deployments_by_job_.find(key);
  if (it == deployments_by_job_.end()) return out;
  for (const Id& id : it->second) out.push_back(deployments_.at(id).get());
  std::sort(out.begin(), out.end(), [](const Deployment* a, const Deployment* b) {
    return a->create_index != b->create_index ? a->create_index < b->create_index : a->id < b->id;
  });
  return out;
}

const Deployment* State::LatestDeployment(const JobKey& key) const {
  std::vector<const Deployment*> all = DeploymentsByJob(key);
  return all.empty() ? nullptr : all.back();
}

std::vector<const Deployment*> State::Deployments() const {
  std::vector<const Deployment*> out;
  for (const auto& [id, d] : deployments_) out.push_back(d.get());
  std::sort(out.begin(), out.end(), [](const Deployment* a, const Deployment* b) {
    return a->create_index != b->create_index ? a->create_index < b->create_index : a->id < b->id;
  });
  return out;
}

// ---- writes ----------------------------------------------------------------------------------------

void State::Touch(Table t, Index index) {
  DROVER_CHECK(index >= index_, "write index went backwards");
  index_ = index;
  table_index_[static_cast<int>(t)] = index;
}

void State::UpsertNode(Node node, Index index) {
  Touch(Table::kNodes, index);
  node.computed_class = ComputeNodeClass(node);
  auto it = nodes_.find(node.id);
  node.create_index = it == nodes_.end() ? index : it->second->create_index;
  node.modify_index = index;
  nodes_[node.id] = std::make_shared<const Node>(std::move(node));
}

void State::DeleteNode(const Id& id, Index index) {
  Touch(Table::kNodes, index);
  nodes_.erase(id);
}

void State::UpsertJobVersion(JobVersion job, Index index) {
  Touch(Table::kJobs, index);
  auto& versions = jobs_[job.Key()];
  job.create_index = versions.empty() ? index : versions.front()->create_index;
  job.modify_index = index;
  if (job.job_modify_index == 0) job.job_modify_index = index;
  auto same = std::find_if(versions.begin(), versions.end(),
                           [&](const JobVersionPtr& v) { return v->version == job.version; });
  auto ptr = std::make_shared<const JobVersion>(std::move(job));
  if (same != versions.end()) {
    *same = ptr;
  } else {
    versions.push_back(ptr);
    std::sort(versions.begin(), versions.end(),
              [](const JobVersionPtr& a, const JobVersionPtr& b) { return a->version < b->version; });
  }
}

void State::DeleteJob(const JobKey& key, Index index) {
  Touch(Table::kJobs, index);
  jobs_.erase(key);
}

void State::AddUsage(const Allocation& a) {
  if (a.IsTerminal() || a.node_id.IsZero()) return;
  NodeUsage& u = usage_[a.node_id];
  for (const auto& t : a.resources.tasks) {
    u.cpu_mhz += t.cpu_mhz;
    u.cores += t.cores;
    u.memory_mb += t.memory_mb;
  }
  u.disk_mb += a.resources.disk_mb;
  u.mbits += a.resources.mbits;
  u.allocs += 1;
  for (const auto& p : a.resources.ports) {
    u.ports.emplace_back(p.host_ip, p.value);
    if (p.value >= 0 && p.value < 65536) BitmapFor(u, p.host_ip).Set(p.value);
  }
}

void State::RemoveUsage(const Allocation& a) {
  if (a.IsTerminal() || a.node_id.IsZero()) return;
  auto it = usage_.find(a.node_id);
  if (it == usage_.end()) return;
  NodeUsage& u = it->second;
  for (const auto& t : a.resources.tasks) {
    u.cpu_mhz -= t.cpu_mhz;
    u.cores -= t.cores;
    u.memory_mb -= t.memory_mb;
  }
  u.disk_mb -= a.resources.disk_mb;
  u.mbits -= a.resources.mbits;
  u.allocs -= 1;
  for (const auto& p : a.resources.ports) {
    auto pair = std::make_pair(p.host_ip, p.value);
    auto pos = std::find(u.ports.begin(), u.ports.end(), pair);
    if (pos != u.ports.end()) {
      *pos = u.ports.back();
      u.ports.pop_back();
    }
    // Another allocation may still hold the same port (a collision the plan applier let in
    // from restored data); keep the bit while any holder remains.
    if (std::find(u.ports.begin(), u.ports.end(), pair) == u.ports.end()) {
      BitmapFor(u, p.host_ip).Clear(p.value);
    }
  }
  std::erase_if(u.port_bitmaps, [](const auto& e) { return e.second.Empty(); });
  if (u.allocs == 0) usage_.erase(it);
}

void State::LinkAlloc(const AllocationPtr& a) {
  allocs_[a->id] = a;
  if (!a->node_id.IsZero()) allocs_by_node_[a->node_id].push_back(a->id);
  allocs_by_job_[a->Job()].push_back(a->id);
  AddUsage(*a);
}

void State::UnlinkAlloc(const Allocation& a) {
  RemoveUsage(a);
  if (!a.node_id.IsZero()) EraseId(allocs_by_node_, a.node_id, a.id);
  EraseId(allocs_by_job_, a.Job(), a.id);
  allocs_.erase(a.id);
}

void State::UpsertAlloc(Allocation alloc, Index index) {
  Touch(Table::kAllocs, index);
  auto it = allocs_.find(alloc.id);
  if (it != allocs_.end()) {
    alloc.create_index = it->second->create_index;
    AllocationPtr old = it->second;
    UnlinkAlloc(*old);
  } else {
    alloc.create_index = index;
  }
  alloc.modify_index = index;
  LinkAlloc(std::make_shared<const Allocation>(std::move(alloc)));
}

void State::DeleteAlloc(const Id& id, Index index) {
  Touch(Table::kAllocs, index);
  auto it = allocs_.find(id);
  if (it == allocs_.end()) return;
  AllocationPtr old = it->second;
  UnlinkAlloc(*old);
}

void State::UpsertEval(Evaluation eval, Index index) {
  Touch(Table::kEvals, index);
  auto it = evals_.find(eval.id);
  eval.create_index = it == evals_.end() ? index : it->second->create_index;
  eval.modify_index = index;
  if (it == evals_.end()) evals_by_job_[eval.Job()].push_back(eval.id);
  evals_[eval.id] = std::make_shared<const Evaluation>(std::move(eval));
}

void State::DeleteEval(const Id& id, Index index) {
  Touch(Table::kEvals, index);
  auto it = evals_.find(id);
  if (it == evals_.end()) return;
  EraseId(evals_by_job_, it->second->Job(), id);
  evals_.erase(it);
}

void State::UpsertDeployment(Deployment d, Index index) {
  Touch(Table::kDeployments, index);
  auto it = deployments_.find(d.id);
  d.create_index = it == deployments_.end() ? index : it->second->create_index;
  d.modify_index = index;
  if (it == deployments_.end()) deployments_by_job_[d.Job()].push_back(d.id);
  deployments_[d.id] = std::make_shared<const Deployment>(std::move(d));
}

void State::DeleteDeployment(const Id& id, Index index) {
  Touch(Table::kDeployments, index);
  auto it = deployments_.find(id);
  if (it == deployments_.end()) return;
  EraseId(deployments_by_job_, it->second->Job(), id);
  deployments_.erase(it);
}

// ---- restore ---------------------------------------------------------------------------------------

void State::RestoreNode(Node node) {
  node.computed_class = ComputeNodeClass(node);
  Id id = node.id;
  nodes_[id] = std::make_shared<const Node>(std::move(node));
}

void State::RestoreJobVersion(JobVersion job) {
  auto& versions = jobs_[job.Key()];
  versions.push_back(std::make_shared<const JobVersion>(std::move(job)));
  std::sort(versions.begin(), versions.end(),
            [](const JobVersionPtr& a, const JobVersionPtr& b) { return a->version < b->version; });
}

void State::RestoreAlloc(Allocation alloc) {
  auto it = allocs_.find(alloc.id);
  if (it != allocs_.end()) {
    AllocationPtr old = it->second;
    UnlinkAlloc(*old);
  }
  LinkAlloc(std::make_shared<const Allocation>(std::move(alloc)));
}

void State::RestoreEval(Evaluation eval) {
  if (!evals_.contains(eval.id)) evals_by_job_[eval.Job()].push_back(eval.id);
  Id id = eval.id;
  evals_[id] = std::make_shared<const Evaluation>(std::move(eval));
}

void State::RestoreDeployment(Deployment d) {
  if (!deployments_.contains(d.id)) deployments_by_job_[d.Job()].push_back(d.id);
  Id id = d.id;
  deployments_[id] = std::make_shared<const Deployment>(std::move(d));
}

void State::SetIndexes(Index index, const std::array<Index, kTableCount>& tables) {
  index_ = index;
  table_index_ = tables;
}

}  // namespace drover::model
