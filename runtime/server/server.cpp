#include "runtime/server/server.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "reconciler/deploy/watcher.h"
#include "reconciler/model/node_class.h"
#include "runtime/server/server_error.h"

namespace drover::server {
namespace {

using model::Allocation;
using model::Evaluation;
using model::Id;
using model::JobKey;
using model::JobVersion;
using store::Changes;

bool IsSystemType(const ir::Job& job) {
  ir::JobType t = job.type.value_or(ir::JobType::kService);
  return t == ir::JobType::kSystem || t == ir::JobType::kSysbatch;
}

bool RunsUntilStopped(const ir::Job& job) {
  return job.type.value_or(ir::JobType::kService) == ir::JobType::kSystem ||
         job.periodic.has_value() || job.parameterized.has_value();
}

std::string KeyString(const JobKey& key) { return key.namespace_ + "/" + key.id; }

std::string Short(const Id& id) { return id.Short(); }

}  // namespace

// ---- job status
// ------------------------------------------------------------------------------------

std::string JobStatus(const model::State& state, const JobVersion& job, const Changes* pending) {
  if (job.stop) return "dead";
  if (RunsUntilStopped(job.spec)) return "running";
  JobKey key = job.Key();
  std::map<Id, const Allocation*> allocs;
  for (const Allocation* a : state.AllocsByJob(key)) allocs[a->id] = a;
  std::map<Id, const Evaluation*> evals;
  for (const Evaluation* e : state.EvalsByJob(key)) evals[e->id] = e;
  if (pending != nullptr) {
    for (const Allocation& a : pending->allocs) {
      if (a.Job() == key) allocs[a.id] = &a;
    }
    for (const Id& id : pending->deleted_allocs) allocs.erase(id);
    for (const Evaluation& e : pending->evals) {
      if (e.Job() == key) evals[e.id] = &e;
    }
    for (const Id& id : pending->deleted_evals) evals.erase(id);
  }
  for (const auto& [id, a] : allocs) {
    if (!a->IsTerminal()) return "running";
  }
  for (const auto& [id, e] : evals) {
    if (!e->IsTerminal()) return "pending";
  }
  if (!allocs.empty() || !evals.empty()) return "dead";
  return "pending";
}

void AppendJobStatusUpdates(const model::State& state, const std::vector<JobKey>& jobs,
                            Changes& changes) {
  std::set<JobKey> seen;
  for (const JobKey& key : jobs) {
    if (!seen.insert(key).second) continue;
    // The version this write stores, if it stores one; else the latest.
    JobVersion* written = nullptr;
    for (JobVersion& j : changes.jobs) {
      if (j.Key() == key && (written == nullptr || j.version >= written->version)) written = &j;
    }
    if (std::find(changes.purged_jobs.begin(), changes.purged_jobs.end(), key) !=
        changes.purged_jobs.end()) {
      continue;
    }
    if (written != nullptr) {
      written->status = JobStatus(state, *written, &changes);
      continue;
    }
    const JobVersion* latest = state.GetJob(key);
    if (latest == nullptr) continue;
    std::string status = JobStatus(state, *latest, &changes);
    if (status == latest->status) continue;
    JobVersion updated = *latest;
    updated.status = status;
    changes.jobs.push_back(std::move(updated));
  }
}

// ---- construction
// ----------------------------------------------------------------------------------

Server::Server(ServerConfig config, store::StateStore& store, const Clock& clock)
    : config_(std::move(config)),
      store_(store),
      clock_(clock),
      broker_(config_.broker, clock),
      rng_(config_.seed != 0 ? config_.seed : std::random_device()()) {}

Server::~Server() { Stop(); }

model::Id Server::NewId() {
  std::lock_guard<std::mutex> lock(mu_);
  return rng_.NewId();
}

uint64_t Server::NextSeed() {
  std::lock_guard<std::mutex> lock(mu_);
  return rng_.Next();
}

void Server::Start() {
  if (running_.exchange(true)) return;
  stopping_ = false;
  // Reseed with the store's index so that a restarted server never hands out the ids (or
  // scheduler seeds) it handed out before, even with a fixed seed.
  {
    std::lock_guard<std::mutex> lock(mu_);
    uint64_t base = config_.seed != 0 ? config_.seed : rng_.Next();
    rng_ = scheduler::Rng(base ^ (store_.LatestIndex() * 0x9E3779B97F4A7C15ULL));
  }
  std::vector<Evaluation> pending;
  std::vector<Evaluation> blocked;
  std::vector<std::pair<Id, bool>> nodes;
  {
    store::ReadView view = store_.Read();
    for (const Evaluation* e : view->Evals()) {
      if (e->status == model::EvalStatus::kPending) pending.push_back(*e);
      if (e->status == model::EvalStatus::kBlocked) blocked.push_back(*e);
    }
    for (const model::Node* n : view->Nodes()) {
      if (n->status != model::NodeStatus::kDown) nodes.emplace_back(n->id, true);
    }
  }
  for (Evaluation& e : blocked) {
    if (auto replaced = blocked_.Block(std::move(e))) {
      CancelEvals({*replaced}, "evaluation superseded by a newer blocked evaluation");
    }
  }
  for (Evaluation& e : pending) broker_.Enqueue(std::move(e));
  for (const auto& [id, live] : nodes) {
    HeartbeatReset(id, config_.failover_heartbeat_ttl);
  }
  spdlog::info("server: started with {} pending and {} blocked evaluations, {} live nodes",
               pending.size(), blocked_.size(), nodes.size());
  int n = std::max(1, config_.num_workers);
  spdlog::info("server: starting {} scheduling worker(s) for [service batch system sysbatch]", n);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  if (config_.tick_interval.count() > 0) ticker_ = std::thread([this] { TickerLoop(); });
}

void Server::Stop() {
  if (!running_.load()) return;
  {
    std::lock_guard<std::mutex> lock(ticker_mu_);
    stopping_ = true;
  }
  ticker_cv_.notify_all();
  broker_.Shutdown();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  if (ticker_.joinable()) ticker_.join();
  running_ = false;
}

// ---- jobs
// ------------------------------------------------------------------------------------------

model::Evaluation Server::NewEval(const JobVersion& job, std::string_view trigger,
                                  model::Index next_index, int priority) {
  Evaluation e;
  e.id = NewId();
  e.namespace_ = job.spec.namespace_.empty() ? "default" : job.spec.namespace_;
  e.priority = priority > 0 ? priority : job.spec.priority.value_or(50);
  e.type = std::string(ir::ToString(job.spec.type.value_or(ir::JobType::kService)));
  e.triggered_by = std::string(trigger);
  e.job_id = job.spec.id;
  e.job_modify_index = job.job_modify_index != 0 ? job.job_modify_index : next_index;
  e.status = model::EvalStatus::kPending;
  e.create_time = clock_.Now();
  e.modify_time = e.create_time;
  return e;
}

llvm::Expected<RegisterResult> Server::RegisterJob(ir::Job job, const RegisterOptions& options) {
  if (job.id.empty()) return MakeError(ErrorCode::kBadRequest, "job ID is required");
  if (job.namespace_.empty()) job.namespace_ = "default";
  JobKey key{job.namespace_, job.id};
  model::Time now = clock_.Now();
  RegisterResult out;
  std::optional<Evaluation> eval;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    model::Index next = latest.index() + 1;
    const JobVersion* existing = latest.GetJob(key);
    if (options.enforce_index) {
      model::Index have = existing != nullptr ? existing->job_modify_index : 0;
      if (options.job_modify_index == 0 && existing != nullptr) {
        return MakeError(ErrorCode::kBadRequest,
                         fmt::format("Enforcing job modify index 0: job already exists with "
                                     "job modify index {}",
                                     have));
      }
      if (options.job_modify_index != 0 && existing == nullptr) {
        return MakeError(ErrorCode::kBadRequest,
                         fmt::format("Enforcing job modify index {}: job does not exist",
                                     options.job_modify_index));
      }
      if (options.job_modify_index != 0 && have != options.job_modify_index) {
        return MakeError(ErrorCode::kBadRequest,
                         fmt::format("Enforcing job modify index {}: job exists with "
                                     "conflicting job modify index: {}",
                                     options.job_modify_index, have));
      }
    }
    if (options.preserve_counts && existing != nullptr) {
      for (ir::TaskGroup& tg : job.task_groups) {
        if (const ir::TaskGroup* old = existing->spec.FindGroup(tg.name)) tg.count = old->count;
      }
    }
    JobVersion v;
    if (existing != nullptr && !existing->stop && existing->spec == job) {
      v = *existing;  // unchanged: same version, same JobModifyIndex
    } else {
      v.spec = std::move(job);
      v.version = existing != nullptr ? existing->version + 1 : 0;
      v.job_modify_index = 0;  // stamped with this write's index
    }
    v.stop = false;
    v.submit_time = now;
    Changes c;
    if (!v.spec.periodic && !v.spec.parameterized) {
      eval = NewEval(v, model::trigger::kJobRegister, next, options.eval_priority);
      c.evals.push_back(*eval);
    }
    out.job_modify_index = v.job_modify_index != 0 ? v.job_modify_index : next;
    c.jobs.push_back(std::move(v));
    AppendJobStatusUpdates(latest, {key}, c);
    return c;
  });
  if (!index) return index.takeError();
  out.index = *index;
  if (eval) {
    eval->create_index = eval->modify_index = *index;
    out.eval_id = eval->id;
    out.eval_create_index = *index;
    spdlog::debug("server: job {} registered, evaluation {}", KeyString(key), Short(eval->id));
    broker_.Enqueue(std::move(*eval));
  }
  return out;
}

llvm::Expected<DeregisterResult> Server::DeregisterJob(const JobKey& key, bool purge) {
  DeregisterResult out;
  Evaluation eval;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    model::Index next = latest.index() + 1;
    const JobVersion* existing = latest.GetJob(key);
    if (existing == nullptr) return MakeError(ErrorCode::kNotFound, "job not found");
    Changes c;
    JobVersion v = *existing;
    if (purge) {
      c.purged_jobs.push_back(key);
      out.job_modify_index = next;
    } else {
      if (!v.stop) {
        v.stop = true;
        v.version += 1;
        v.job_modify_index = 0;
        v.submit_time = clock_.Now();
      }
      out.job_modify_index = v.job_modify_index != 0 ? v.job_modify_index : next;
      c.jobs.push_back(v);
    }
    eval = NewEval(v, model::trigger::kJobDeregister, next);
    eval.job_modify_index = out.job_modify_index;
    c.evals.push_back(eval);
    AppendJobStatusUpdates(latest, {key}, c);
    return c;
  });
  if (!index) return index.takeError();
  eval.create_index = eval.modify_index = *index;
  out.index = *index;
  out.eval_id = eval.id;
  out.eval_create_index = *index;
  if (auto stale = blocked_.Untrack(key)) {
    CancelEvals({*stale}, purge ? "job purged" : "job stopped");
  }
  broker_.Enqueue(std::move(eval));
  return out;
}

llvm::Expected<RegisterResult> Server::EvaluateJob(const JobKey& key) {
  RegisterResult out;
  Evaluation eval;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    const JobVersion* existing = latest.GetJob(key);
    if (existing == nullptr) return MakeError(ErrorCode::kNotFound, "job not found");
    if (existing->spec.periodic || existing->spec.parameterized) {
      return MakeError(ErrorCode::kBadRequest, "can't evaluate periodic or parameterized job");
    }
    eval = NewEval(*existing, model::trigger::kJobRegister, latest.index() + 1);
    out.job_modify_index = existing->job_modify_index;
    Changes c;
    c.evals.push_back(eval);
    AppendJobStatusUpdates(latest, {key}, c);
    return c;
  });
  if (!index) return index.takeError();
  eval.create_index = eval.modify_index = *index;
  out.index = *index;
  out.eval_id = eval.id;
  out.eval_create_index = *index;
  broker_.Enqueue(std::move(eval));
  return out;
}

Server::PlanResponse Server::PlanJob(const ir::Job& job) {
  PlanResponse out;
  model::State snapshot = store_.Snapshot();
  out.index = snapshot.index();
  ir::Job spec = job;
  if (spec.namespace_.empty()) spec.namespace_ = "default";
  out.dry_run = scheduler::DryRun(snapshot, spec, clock_.Now(), NextSeed(), config_.scheduler);
  return out;
}

// ---- scheduling
// ------------------------------------------------------------------------------------

llvm::Expected<scheduler::PlanResult> Server::SubmitPlan(const scheduler::Plan& plan) {
  return SubmitPlan(plan, nullptr, nullptr);
}

std::vector<Evaluation> Server::EvalResultChanges(const scheduler::ScheduleResult& result,
                                                  Changes& changes) {
  Evaluation done = result.eval;
  done.modify_time = clock_.Now();
  changes.evals.push_back(std::move(done));
  std::vector<Evaluation> created;
  if (result.blocked_eval) created.push_back(*result.blocked_eval);
  for (const Evaluation& f : result.followup_evals) created.push_back(f);
  for (const Evaluation& e : created) changes.evals.push_back(e);
  return created;
}

llvm::Expected<scheduler::PlanResult> Server::SubmitPlan(const scheduler::Plan& plan,
                                                         const scheduler::ScheduleResult* finish,
                                                         bool* finished_eval) {
  scheduler::PlanResult result;
  bool stops = false;
  std::vector<Evaluation> created;
  std::vector<Evaluation> watched;
  bool finished = false;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    result = scheduler::EvaluatePlan(latest, plan);
    watched.clear();
    Changes c;
    if (result.IsNoOp()) return c;
    model::Time now = result.now != 0 ? result.now : clock_.Now();
    // Every allocation this plan touches, by id: stops, replacement links, placements.
    std::map<Id, Allocation> touched;
    auto load = [&](const Id& id) -> Allocation* {
      auto it = touched.find(id);
      if (it != touched.end()) return &it->second;
      const Allocation* existing = latest.GetAlloc(id);
      if (existing == nullptr) return nullptr;
      return &touched.emplace(id, *existing).first->second;
    };
    for (const auto& [node, requests] : result.node_update) {
      for (const scheduler::StopRequest& s : requests) {
        Allocation* a = load(s.alloc_id);
        if (a == nullptr) continue;
        a->desired_status = model::DesiredStatus::kStop;
        a->desired_description = s.description;
        if (s.client_status) a->client_status = *s.client_status;
        if (!s.followup_eval_id.IsZero()) a->followup_eval_id = s.followup_eval_id;
        a->modify_time = now;
        a->alloc_modify_index = 0;  // a server-side change the client must see
        stops = true;
      }
    }
    for (const auto& [node, allocs] : result.node_allocation) {
      for (const Allocation& a : allocs) {
        if (a.previous_allocation.IsZero()) continue;
        Allocation* prev = load(a.previous_allocation);
        if (prev == nullptr || prev->next_allocation == a.id) continue;
        prev->next_allocation = a.id;
        prev->modify_time = now;
      }
    }
    for (const auto& [node, allocs] : result.node_allocation) {
      for (const Allocation& a : allocs) {
        Allocation placed = a;
        auto it = touched.find(a.id);
        if (it != touched.end() && !it->second.next_allocation.IsZero()) {
          placed.next_allocation = it->second.next_allocation;
        }
        if (placed.create_time == 0) placed.create_time = now;
        placed.modify_time = now;
        placed.alloc_modify_index = 0;
        touched[a.id] = std::move(placed);
      }
    }
    for (auto& [id, a] : touched) c.allocs.push_back(std::move(a));
    // The plan's deployment changes, then the watcher recounts every deployment the write
    // touches (placements count as placed and start the progress deadline).
    std::set<Id> deployments;
    if (result.deployment) {
      c.deployments.push_back(*result.deployment);
      deployments.insert(result.deployment->id);
    }
    for (const scheduler::DeploymentStatusUpdate& u : result.deployment_updates) {
      const model::Deployment* existing = latest.GetDeployment(u.deployment_id);
      if (existing == nullptr || !existing->Active()) continue;  // finished meanwhile
      model::Deployment d = *existing;
      d.status = u.status;
      d.status_description = u.status_description;
      spdlog::info("server: deployment {} of job {}: {}", Short(d.id), d.job_id,
                   d.status_description);
      c.deployments.push_back(std::move(d));
    }
    for (const Allocation& a : c.allocs) {
      if (!a.deployment_id.IsZero()) deployments.insert(a.deployment_id);
    }
    watched = WatchDeployments(latest, deployments, latest.index() + 1, c);
    // A plan that fits whole finishes its evaluation in the same write: one sync, not two.
    if (finish != nullptr && result.FullyCommitted()) {
      created = EvalResultChanges(*finish, c);
      finished = true;
    }
    AppendJobStatusUpdates(latest, {plan.job}, c);
    return c;
  });
  if (!index) return index.takeError();
  ++plans_submitted_;
  if (finished_eval != nullptr) *finished_eval = finished;
  if (!result.FullyCommitted()) {
    ++plans_partial_;
    result.refresh_index = *index;
    spdlog::debug("server: plan for evaluation {} partly rejected ({} node(s)), refresh at {}",
                  Short(plan.eval_id), result.rejected_nodes.size(), *index);
  }
  if (stops) Unblock("");
  if (finished) {
    for (Evaluation& e : created) e.create_index = e.modify_index = *index;
    Dispatch(created);
  }
  for (Evaluation& e : watched) e.create_index = e.modify_index = *index;
  Dispatch(watched);
  return result;
}

std::vector<Evaluation> Server::WatchDeployments(const model::State& latest,
                                                 const std::set<Id>& deployments,
                                                 model::Index next_index, Changes& c) {
  std::vector<Evaluation> created;
  model::Time now = clock_.Now();
  for (const Id& id : deployments) {
    // The deployment as this write leaves it: written by it, or stored.
    auto pending = std::find_if(c.deployments.begin(), c.deployments.end(),
                                [&](const model::Deployment& d) { return d.id == id; });
    const model::Deployment* stored = latest.GetDeployment(id);
    if (pending == c.deployments.end() && stored == nullptr) continue;
    const model::Deployment current = pending != c.deployments.end() ? *pending : *stored;
    deploy::WatchResult r = deploy::Watch(deploy::InputFromState(latest, current, now, c.allocs));
    if (r.empty()) continue;
    if (r.deployment) {
      if (r.deployment->status != current.status) {
        spdlog::info("server: deployment {} of job {}: {}", Short(id), current.job_id,
                     r.deployment->status_description);
      }
      pending = std::find_if(c.deployments.begin(), c.deployments.end(),
                             [&](const model::Deployment& d) { return d.id == id; });
      if (pending != c.deployments.end()) {
        *pending = std::move(*r.deployment);
      } else {
        c.deployments.push_back(std::move(*r.deployment));
      }
    }
    for (Allocation& a : r.allocs) {
      auto same = std::find_if(c.allocs.begin(), c.allocs.end(),
                               [&](const Allocation& x) { return x.id == a.id; });
      if (same != c.allocs.end()) {
        same->reschedule = a.reschedule;
      } else {
        c.allocs.push_back(std::move(a));
      }
    }
    if (r.stable) c.jobs.push_back(std::move(*r.stable));
    const JobVersion* job = latest.GetJob(current.Job());
    std::optional<JobVersion> eval_job;
    if (r.revert) {
      spdlog::info("server: job {} reverted to the specification of its latest stable version",
                   current.job_id);
      eval_job = *r.revert;
      c.jobs.push_back(std::move(*r.revert));
    } else if (job != nullptr) {
      eval_job = *job;
    }
    if (r.create_eval && eval_job) {
      Evaluation e = NewEval(*eval_job, model::trigger::kDeploymentWatcher, next_index);
      e.deployment_id = id;
      created.push_back(e);
      c.evals.push_back(std::move(e));
    }
  }
  return created;
}

void Server::CheckDeploymentDeadlines() {
  std::set<Id> due;
  {
    model::Time now = clock_.Now();
    store::ReadView view = store_.Read();
    for (const model::Deployment* d : view->Deployments()) {
      if (d->Active() && deploy::ProgressDeadlinePassed(*d, now)) due.insert(d->id);
    }
  }
  if (due.empty()) return;
  std::vector<Evaluation> evals;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    Changes c;
    evals = WatchDeployments(latest, due, latest.index() + 1, c);
    std::vector<JobKey> jobs;
    for (const model::Deployment& d : c.deployments) jobs.push_back(d.Job());
    AppendJobStatusUpdates(latest, jobs, c);
    return c;
  });
  if (!index) {
    spdlog::error("server: cannot update deployments: {}", llvm::toString(index.takeError()));
    return;
  }
  for (Evaluation& e : evals) e.create_index = e.modify_index = *index;
  Dispatch(evals);
}

llvm::Error Server::ProcessEval(const Evaluation& delivered) {
  bool batch = delivered.type == "batch";
  int max_attempts = batch ? 2 : 5;
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    model::State snapshot = store_.Snapshot();
    const Evaluation* stored = snapshot.GetEval(delivered.id);
    if (stored != nullptr && stored->IsTerminal()) return llvm::Error::success();  // canceled
    Evaluation eval = stored != nullptr ? *stored : delivered;
    scheduler::ScheduleRequest req;
    req.state = &snapshot;
    req.eval = eval;
    req.now = clock_.Now();
    req.seed = NextSeed();
    req.config = config_.scheduler;
    scheduler::ScheduleResult result = scheduler::Schedule(req);
    if (!result.plan.IsNoOp()) {
      if (before_submit_) before_submit_(result.plan);
      bool finished = false;
      auto applied = SubmitPlan(result.plan, &result, &finished);
      if (!applied) return applied.takeError();
      if (!applied->FullyCommitted()) continue;  // retry the rest on a fresh snapshot
      if (finished) {
        ++evals_processed_;
        return llvm::Error::success();
      }
    }
    ++evals_processed_;
    return FinishEval(result);
  }
  spdlog::warn("server: evaluation {} reached the maximum of {} plan attempts", Short(delivered.id),
               max_attempts);
  return FailEval(delivered, fmt::format("maximum attempts reached ({})", max_attempts),
                  /*followup=*/false, /*blocked=*/true);
}

llvm::Error Server::FinishEval(const scheduler::ScheduleResult& result) {
  std::vector<Evaluation> created;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    Changes c;
    created = EvalResultChanges(result, c);
    AppendJobStatusUpdates(latest, {result.eval.Job()}, c);
    return c;
  });
  if (!index) return index.takeError();
  for (Evaluation& e : created) e.create_index = e.modify_index = *index;
  Dispatch(created);
  return llvm::Error::success();
}

llvm::Error Server::FailEval(const Evaluation& eval, const std::string& why, bool followup,
                             bool blocked) {
  ++evals_failed_;
  std::vector<Evaluation> created;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    model::Index next = latest.index() + 1;
    Changes c;
    const Evaluation* stored = latest.GetEval(eval.id);
    Evaluation failed = stored != nullptr ? *stored : eval;
    failed.status = model::EvalStatus::kFailed;
    failed.status_description = why;
    failed.modify_time = clock_.Now();
    const JobVersion* job = latest.GetJob(eval.Job());
    if (job != nullptr && (followup || blocked)) {
      Evaluation next_eval = NewEval(
          *job, followup ? model::trigger::kFailedFollowUp : model::trigger::kMaxPlanAttempts, next,
          eval.priority);
      next_eval.previous_eval = eval.id;
      if (followup) {
        next_eval.wait_until = clock_.Now() + config_.failed_followup_delay.count();
        failed.next_eval = next_eval.id;
      } else {
        next_eval.status = model::EvalStatus::kBlocked;
        next_eval.status_description = "created due to placement conflicts";
        failed.blocked_eval = next_eval.id;
      }
      created.push_back(next_eval);
      c.evals.push_back(next_eval);
    }
    c.evals.push_back(std::move(failed));
    AppendJobStatusUpdates(latest, {eval.Job()}, c);
    return c;
  });
  if (!index) return index.takeError();
  for (Evaluation& e : created) e.create_index = e.modify_index = *index;
  Dispatch(created);
  return llvm::Error::success();
}

void Server::Dispatch(const std::vector<Evaluation>& evals) {
  for (const Evaluation& e : evals) {
    if (e.status == model::EvalStatus::kBlocked) {
      if (auto replaced = blocked_.Block(e)) {
        CancelEvals({*replaced}, "evaluation superseded by a newer blocked evaluation");
      }
    } else if (e.status == model::EvalStatus::kPending) {
      broker_.Enqueue(e);
    }
  }
}

void Server::CancelEvals(std::vector<Evaluation> evals, const std::string& why) {
  if (evals.empty()) return;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    Changes c;
    for (const Evaluation& e : evals) {
      const Evaluation* stored = latest.GetEval(e.id);
      if (stored == nullptr || stored->IsTerminal()) continue;
      Evaluation canceled = *stored;
      canceled.status = model::EvalStatus::kCanceled;
      canceled.status_description = why;
      canceled.modify_time = clock_.Now();
      c.evals.push_back(std::move(canceled));
    }
    std::vector<JobKey> jobs;
    for (const Evaluation& e : evals) jobs.push_back(e.Job());
    AppendJobStatusUpdates(latest, jobs, c);
    return c;
  });
  if (!index)
    spdlog::error("server: cannot cancel evaluations: {}", llvm::toString(index.takeError()));
}

void Server::Unblock(const std::string& computed_class) {
  std::vector<Evaluation> evals = blocked_.Unblock(computed_class);
  if (evals.empty()) return;
  std::vector<Evaluation> ready;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    Changes c;
    ready.clear();
    for (const Evaluation& e : evals) {
      const Evaluation* stored = latest.GetEval(e.id);
      if (stored == nullptr || stored->status != model::EvalStatus::kBlocked) continue;
      Evaluation pending = *stored;
      pending.status = model::EvalStatus::kPending;
      pending.status_description = "";
      pending.modify_time = clock_.Now();
      ready.push_back(pending);
      c.evals.push_back(std::move(pending));
    }
    return c;
  });
  if (!index) {
    spdlog::error("server: cannot unblock evaluations: {}", llvm::toString(index.takeError()));
    for (Evaluation& e : evals) blocked_.Block(std::move(e));
    return;
  }
  for (Evaluation& e : ready) {
    e.modify_index = *index;
    spdlog::debug("server: unblocking evaluation {} of job {}", Short(e.id), e.job_id);
    broker_.Enqueue(std::move(e));
  }
}

void Server::WorkerLoop() {
  while (!stopping_.load()) {
    auto delivery = broker_.Dequeue(std::chrono::milliseconds(250));
    if (!delivery) continue;
    ++busy_workers_;
    llvm::Error err = ProcessEval(delivery->eval);
    if (err) {
      spdlog::warn("server: evaluation {} (attempt {}) failed: {}", Short(delivery->eval.id),
                   delivery->attempt, llvm::toString(std::move(err)));
      llvm::consumeError(broker_.Nack(delivery->eval.id, delivery->token));
    } else {
      llvm::consumeError(broker_.Ack(delivery->eval.id, delivery->token));
    }
    --busy_workers_;
  }
}

// ---- nodes
// -----------------------------------------------------------------------------------------

model::Duration Server::NextHeartbeatTtl(size_t nodes) {
  double rate_scaled = config_.max_heartbeats_per_second > 0
                           ? static_cast<double>(nodes) / config_.max_heartbeats_per_second
                           : 0.0;
  auto ttl = std::max(config_.min_heartbeat_ttl, std::chrono::duration_cast<model::Duration>(
                                                     std::chrono::duration<double>(rate_scaled)));
  if (config_.heartbeat_stagger && ttl.count() > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    ttl += model::Duration(static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(ttl.count()))));
  }
  return ttl;
}

void Server::HeartbeatReset(const Id& node, model::Duration ttl) {
  std::lock_guard<std::mutex> lock(mu_);
  heartbeats_.Reset(node, clock_.Now() + ttl.count() + config_.heartbeat_grace.count());
}

std::vector<Evaluation> Server::NodeEvals(const model::State& latest, const model::Node& node,
                                          model::Index next_index) {
  std::vector<Evaluation> out;
  std::set<JobKey> jobs;
  for (const Allocation* a : latest.AllocsByNode(node.id)) {
    if (a->job == nullptr) continue;
    jobs.insert(a->Job());
  }
  for (const JobVersion* j : latest.Jobs()) {
    if (!j->stop && IsSystemType(j->spec)) jobs.insert(j->Key());
  }
  for (const JobKey& key : jobs) {
    const JobVersion* job = latest.GetJob(key);
    if (job == nullptr) continue;
    Evaluation e = NewEval(*job, model::trigger::kNodeUpdate, next_index);
    e.node_id = node.id;
    e.node_modify_index = next_index;
    out.push_back(std::move(e));
  }
  return out;
}

llvm::Expected<NodeUpdateResult> Server::RegisterNode(model::Node node) {
  if (node.id.IsZero()) return MakeError(ErrorCode::kBadRequest, "missing node ID");
  if (node.secret_id.empty()) return MakeError(ErrorCode::kBadRequest, "missing node secret ID");
  if (node.name.empty()) return MakeError(ErrorCode::kBadRequest, "missing node name");
  if (node.datacenter.empty()) return MakeError(ErrorCode::kBadRequest, "missing datacenter");
  if (node.status != model::NodeStatus::kInitializing && node.status != model::NodeStatus::kReady) {
    return MakeError(ErrorCode::kBadRequest,
                     fmt::format("invalid status for node: {}", model::ToString(node.status)));
  }
  model::Time now = clock_.Now();
  NodeUpdateResult out;
  std::vector<Evaluation> evals;
  size_t node_count = 0;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    evals.clear();
    model::Index next = latest.index() + 1;
    const model::Node* existing = latest.GetNode(node.id);
    if (existing != nullptr && existing->secret_id != node.secret_id) {
      return MakeError(ErrorCode::kForbidden, "node secret ID does not match");
    }
    model::Node n = node;
    n.computed_class = model::ComputeNodeClass(n);
    n.status_updated_at = now;
    if (existing != nullptr) {
      // Drain and eligibility belong to the operator, events to the server.
      n.drain = existing->drain;
      n.eligible = existing->eligible;
      n.events = existing->events;
    } else {
      n.events.clear();
      n.events.push_back({"Node registered", "Cluster", {}, now});
    }
    bool was_ready = existing != nullptr && existing->status == model::NodeStatus::kReady;
    if (n.status == model::NodeStatus::kReady && !was_ready) {
      evals = NodeEvals(latest, n, next);
    }
    node_count = latest.NodeCount() + (existing == nullptr ? 1 : 0);
    Changes c;
    c.nodes.push_back(std::move(n));
    c.evals = evals;
    return c;
  });
  if (!index) return index.takeError();
  out.index = *index;
  out.node_modify_index = *index;
  out.heartbeat_ttl = NextHeartbeatTtl(node_count);
  HeartbeatReset(node.id, out.heartbeat_ttl);
  for (Evaluation& e : evals) {
    e.create_index = e.modify_index = *index;
    out.eval_ids.push_back(e.id);
  }
  Dispatch(evals);
  spdlog::info("server: node {} ({}) registered, status {}", Short(node.id), node.name,
               model::ToString(node.status));
  if (node.status == model::NodeStatus::kReady) Unblock(model::ComputeNodeClass(node));
  return out;
}

llvm::Expected<NodeUpdateResult> Server::UpdateNodeStatus(const Id& node_id,
                                                          const std::string& secret,
                                                          model::NodeStatus status) {
  model::Time now = clock_.Now();
  NodeUpdateResult out;
  std::vector<Evaluation> evals;
  size_t node_count = 0;
  std::string computed_class;
  bool became_ready = false;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    evals.clear();
    const model::Node* existing = latest.GetNode(node_id);
    if (existing == nullptr) return MakeError(ErrorCode::kNotFound, "node not found");
    if (existing->secret_id != secret) {
      return MakeError(ErrorCode::kForbidden, "node secret ID does not match");
    }
    node_count = latest.NodeCount();
    computed_class = existing->computed_class;
    out.node_modify_index = existing->modify_index;
    Changes c;
    if (existing->status == status) return c;  // a plain heartbeat writes nothing
    model::Index next = latest.index() + 1;
    model::Node n = *existing;
    n.status = status;
    n.status_updated_at = now;
    n.events.push_back(
        {fmt::format("Node status changed to {}", model::ToString(status)), "Cluster", {}, now});
    if (n.events.size() > 10) n.events.erase(n.events.begin());
    became_ready = status == model::NodeStatus::kReady;
    bool transition = (existing->status == model::NodeStatus::kReady) != became_ready ||
                      status == model::NodeStatus::kDown;
    if (transition) evals = NodeEvals(latest, n, next);
    c.nodes.push_back(std::move(n));
    c.evals = evals;
    return c;
  });
  if (!index) return index.takeError();
  out.index = *index;
  if (!evals.empty() || became_ready) out.node_modify_index = *index;
  if (status == model::NodeStatus::kDown) {
    std::lock_guard<std::mutex> lock(mu_);
    heartbeats_.Remove(node_id);
  } else {
    out.heartbeat_ttl = NextHeartbeatTtl(node_count);
    HeartbeatReset(node_id, out.heartbeat_ttl);
  }
  for (Evaluation& e : evals) {
    e.create_index = e.modify_index = *index;
    out.eval_ids.push_back(e.id);
  }
  Dispatch(evals);
  if (became_ready) Unblock(computed_class);
  return out;
}

void Server::ExpireNodes(const std::vector<Id>& nodes) {
  for (const Id& node_id : nodes) {
    std::vector<Evaluation> evals;
    std::string name;
    auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
      evals.clear();
      Changes c;
      const model::Node* existing = latest.GetNode(node_id);
      if (existing == nullptr || existing->status == model::NodeStatus::kDown) return c;
      model::Index next = latest.index() + 1;
      model::Time now = clock_.Now();
      model::Node n = *existing;
      name = n.name;
      n.status = model::NodeStatus::kDown;
      n.status_description = "node heartbeat missed";
      n.status_updated_at = now;
      n.events.push_back({"Node heartbeat missed", "Cluster", {}, now});
      if (n.events.size() > 10) n.events.erase(n.events.begin());
      evals = NodeEvals(latest, n, next);
      c.nodes.push_back(std::move(n));
      c.evals = evals;
      return c;
    });
    if (!index) {
      spdlog::error("server: cannot mark node {} down: {}", Short(node_id),
                    llvm::toString(index.takeError()));
      continue;
    }
    if (name.empty()) continue;
    spdlog::warn("server: node {} ({}) missed its heartbeat, marked down; {} evaluation(s)",
                 Short(node_id), name, evals.size());
    for (Evaluation& e : evals) e.create_index = e.modify_index = *index;
    Dispatch(evals);
  }
}

llvm::Expected<ClientAllocs> Server::GetClientAllocs(const Id& node_id, const std::string& secret,
                                                     model::Index min_index,
                                                     std::chrono::milliseconds wait) {
  {
    store::ReadView view = store_.Read();
    const model::Node* node = view->GetNode(node_id);
    if (node == nullptr) return MakeError(ErrorCode::kNotFound, "node not found");
    if (node->secret_id != secret) {
      return MakeError(ErrorCode::kForbidden, "node secret ID does not match");
    }
  }
  if (min_index > 0) store_.WaitForIndex(model::Table::kAllocs, min_index + 1, wait);
  ClientAllocs out;
  store::ReadView view = store_.Read();
  for (const Allocation* a : view->AllocsByNode(node_id)) out.allocs[a->id] = a->alloc_modify_index;
  out.index = std::max<model::Index>(1, view->TableIndex(model::Table::kAllocs));
  return out;
}

llvm::Expected<model::Index> Server::UpdateAllocs(const Id& node_id, const std::string& secret,
                                                  std::vector<AllocClientUpdate> updates) {
  model::Time now = clock_.Now();
  std::vector<Evaluation> evals;
  bool freed = false;
  std::string computed_class;
  auto index = store_.Update([&](const model::State& latest) -> llvm::Expected<Changes> {
    evals.clear();
    freed = false;
    const model::Node* node = latest.GetNode(node_id);
    if (node == nullptr) return MakeError(ErrorCode::kNotFound, "node not found");
    if (node->secret_id != secret) {
      return MakeError(ErrorCode::kForbidden, "node secret ID does not match");
    }
    computed_class = node->computed_class;
    model::Index next = latest.index() + 1;
    Changes c;
    std::set<JobKey> jobs;
    std::set<JobKey> failed_jobs;
    std::set<Id> deployments;  // of allocations whose health changed
    for (AllocClientUpdate& u : updates) {
      const Allocation* existing = latest.GetAlloc(u.id);
      if (existing == nullptr) {
        return MakeError(ErrorCode::kNotFound, "allocation " + u.id.ToString() + " not found");
      }
      if (existing->node_id != node_id) {
        return MakeError(ErrorCode::kForbidden,
                         "allocation " + u.id.ToString() + " does not run on this node");
      }
      Allocation a = *existing;
      bool was_terminal = a.ClientTerminal();
      bool was_failed = a.client_status == model::ClientStatus::kFailed;
      a.client_status = u.client_status;
      a.client_description = std::move(u.client_description);
      if (!u.task_states.empty()) a.task_states = std::move(u.task_states);
      // Health is recorded once it changes, stamped with the server's time and this write's
      // index (the deployment watcher compares it with what evaluations have seen).
      if (u.deployment_status && u.deployment_status->healthy.has_value()) {
        std::optional<bool> before =
            a.deployment_status ? a.deployment_status->healthy : std::nullopt;
        if (before != u.deployment_status->healthy) {
          model::AllocDeploymentStatus health = *u.deployment_status;
          health.timestamp = now;
          health.modify_index = next;
          a.deployment_status = health;
          if (!a.deployment_id.IsZero()) deployments.insert(a.deployment_id);
        }
      }
      a.modify_time = now;
      if (!was_terminal && a.ClientTerminal()) freed = true;
      if (!was_failed && a.client_status == model::ClientStatus::kFailed &&
          a.desired_status == model::DesiredStatus::kRun) {
        failed_jobs.insert(a.Job());
      }
      jobs.insert(a.Job());
      c.allocs.push_back(std::move(a));
    }
    for (const JobKey& key : failed_jobs) {
      const JobVersion* job = latest.GetJob(key);
      if (job == nullptr || job->stop) continue;
      Evaluation e = NewEval(*job, model::trigger::kRetryFailedAlloc, next);
      evals.push_back(e);
      c.evals.push_back(std::move(e));
    }
    for (Evaluation& e : WatchDeployments(latest, deployments, next, c)) {
      evals.push_back(std::move(e));
    }
    AppendJobStatusUpdates(latest, std::vector<JobKey>(jobs.begin(), jobs.end()), c);
    return c;
  });
  if (!index) return index.takeError();
  for (Evaluation& e : evals) e.create_index = e.modify_index = *index;
  Dispatch(evals);
  if (freed) Unblock(computed_class);
  return *index;
}

// ---- timers
// ----------------------------------------------------------------------------------------

void Server::Tick() {
  std::vector<Id> expired;
  {
    std::lock_guard<std::mutex> lock(mu_);
    expired = heartbeats_.TakeExpired(clock_.Now());
  }
  if (!expired.empty()) ExpireNodes(expired);
  CheckDeploymentDeadlines();
  broker_.Tick();
  for (const Evaluation& e : broker_.TakeFailed()) {
    spdlog::warn("server: evaluation {} reached the delivery limit ({})", Short(e.id),
                 config_.broker.delivery_limit);
    if (llvm::Error err = FailEval(
            e, fmt::format("evaluation reached delivery limit ({})", config_.broker.delivery_limit),
            /*followup=*/true, /*blocked=*/false)) {
      spdlog::error("server: cannot fail evaluation {}: {}", Short(e.id),
                    llvm::toString(std::move(err)));
    }
  }
}

void Server::TickerLoop() {
  std::unique_lock<std::mutex> lock(ticker_mu_);
  while (!stopping_.load()) {
    ticker_cv_.wait_for(lock, config_.tick_interval, [&] { return stopping_.load(); });
    if (stopping_.load()) break;
    lock.unlock();
    Tick();
    lock.lock();
  }
}

bool Server::WaitForIdle(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int quiet = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (broker_.Idle() && busy_workers_.load() == 0) {
      // Twice in a row: a worker may be between Dequeue and the busy count.
      if (++quiet >= 2) return true;
    } else {
      quiet = 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

Server::Stats Server::stats() const {
  Stats s;
  s.evals_processed = evals_processed_.load();
  s.plans_submitted = plans_submitted_.load();
  s.plans_partial = plans_partial_.load();
  s.evals_failed = evals_failed_.load();
  return s;
}

}  // namespace drover::server
