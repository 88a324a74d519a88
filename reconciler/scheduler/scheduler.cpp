#include "reconciler/scheduler/scheduler.h"

#include <algorithm>
#include <memory>
#include <set>

#include "compiler/base/check.h"
#include "reconciler/scheduler/context.h"
#include "reconciler/scheduler/reconcile.h"
#include "reconciler/scheduler/stack.h"
#include "reconciler/scheduler/util.h"

namespace drover::scheduler {

using model::Allocation;
using model::Id;
using model::JobVersionPtr;
using model::Node;

namespace {

ir::JobType JobTypeOf(const model::Evaluation& eval, const JobVersionPtr& job) {
  if (job != nullptr) return job->spec.type.value_or(ir::JobType::kService);
  return ir::ParseJobType(eval.type).value_or(ir::JobType::kService);
}

// Nomad seeds its node shuffle with the evaluation id; mixing it into the caller's seed keeps
// ids and shuffles distinct between evaluations that share a seed.
uint64_t EvalSeed(uint64_t seed, const model::Id& eval) {
  return seed ^ (eval.hi * 0x9E3779B97F4A7C15ULL) ^ (eval.lo * 0xC2B2AE3D27D4EB4FULL);
}

Plan& InitPlan(EvalContext& ctx, const model::Evaluation& eval, const JobVersionPtr& job) {
  Plan& plan = ctx.plan();
  plan.eval_id = eval.id;
  plan.priority = eval.priority;
  plan.job = eval.Job();
  plan.job_version = job;
  plan.all_at_once = job != nullptr && job->spec.all_at_once;
  return plan;
}

// The in-place update check shared by both schedulers (Nomad's genericAllocUpdateFn and
// inplaceUpdate): same job modify index -> ignore; tasks changed -> destructive; otherwise try
// to fit the new version on the same node with the old one's resources discounted.
UpdateDecision InPlaceOrDestructive(EvalContext& ctx, Stack& stack, const model::JobVersion& job,
                                    const Allocation& existing, size_t tg_index,
                                    bool compare_modify_index) {
  UpdateDecision d;
  if (compare_modify_index && existing.job != nullptr &&
      existing.job->job_modify_index == job.job_modify_index) {
    d.ignore = true;
    return d;
  }
  const ir::TaskGroup& tg = job.spec.task_groups[tg_index];
  if (existing.job == nullptr || !TasksUpdated(job.spec, existing.job->spec, tg.name).empty()) {
    d.destructive = true;
    return d;
  }
  if (existing.IsTerminal()) {
    d.ignore = true;
    return d;
  }
  const Node* node = ctx.state().GetNode(existing.node_id);
  if (node == nullptr || !NodeInDatacenters(*node, job.spec.datacenters) ||
      !NodeInPool(*node, job.spec.node_pool)) {
    d.destructive = true;
    return d;
  }
  stack.SetNodes({node});
  ctx.AppendStop(existing, desc::kInPlace);
  std::optional<RankedNode> option = stack.Select(tg_index, {});
  ctx.PopStop(existing);
  if (!option) {
    d.destructive = true;
    return d;
  }
  Allocation updated = existing;
  updated.job = ctx.plan().job_version;
  updated.resources.tasks = std::move(option->resources.tasks);
  updated.resources.disk_mb = option->resources.disk_mb;
  // Networks and ports cannot change in place: keep the existing offer.
  d.updated = std::move(updated);
  return d;
}

SelectOptions OptionsFor(const PlacementRequest& p, const ir::TaskGroup& tg,
                         const model::State& state) {
  SelectOptions opts;
  if (p.previous != nullptr) {
    if (p.previous->client_status == model::ClientStatus::kFailed) {
      opts.penalty_nodes.push_back(p.previous->node_id);
    }
    for (const auto& e : p.previous->reschedule_tracker)
      opts.penalty_nodes.push_back(e.prev_node_id);
    if (tg.ephemeral_disk && tg.ephemeral_disk->sticky.value_or(false)) {
      const Node* prev = state.GetNode(p.previous->node_id);
      if (prev != nullptr && prev->IsReady()) opts.preferred_node = prev;
    }
  }
  return opts;
}

Allocation NewAllocation(EvalContext& ctx, const model::Evaluation& eval,
                         const model::JobVersionPtr& job, const ir::TaskGroup& tg, uint32_t index,
                         RankedNode&& option, model::AllocMetric&& metrics) {
  Allocation a;
  a.id = ctx.rng().NewId();
  a.namespace_ = eval.namespace_;
  a.eval_id = eval.id;
  a.job_id = eval.job_id;
  a.task_group = tg.name;
  a.index = index;
  a.node_id = option.node->id;
  a.node_name = option.node->name;
  a.job = job;
  a.resources = std::move(option.resources);
  // The selection reuses its buffers; keep exactly what this allocation holds (a million
  // allocations pay for any slack).
  a.resources.ports.shrink_to_fit();
  a.resources.tasks.shrink_to_fit();
  a.metrics = std::make_shared<const model::AllocMetric>(std::move(metrics));
  a.desired_status = model::DesiredStatus::kRun;
  a.client_status = model::ClientStatus::kPending;
  a.create_time = ctx.now();
  a.modify_time = ctx.now();
  return a;
}

void FinishEval(ScheduleResult& out, EvalContext& ctx, const model::Evaluation& eval,
                const std::map<std::string, model::AllocMetric>& failed,
                const std::map<std::string, int>& queued, const model::Id& deployment_id = {}) {
  out.eval = eval;
  out.eval.status = model::EvalStatus::kComplete;
  if (!deployment_id.IsZero()) out.eval.deployment_id = deployment_id;
  out.eval.failed_tg_allocs = failed;
  out.eval.queued_allocations = queued;
  out.eval.snapshot_index = ctx.state().index();
  out.eval.modify_time = ctx.now();
  if (!failed.empty()) {
    model::Evaluation blocked;
    blocked.id = ctx.rng().NewId();
    blocked.namespace_ = eval.namespace_;
    blocked.priority = eval.priority;
    blocked.type = eval.type;
    blocked.triggered_by = std::string(model::trigger::kQueuedAllocs);
    blocked.job_id = eval.job_id;
    blocked.job_modify_index = eval.job_modify_index;
    blocked.status = model::EvalStatus::kBlocked;
    blocked.status_description = std::string(desc::kBlockedFailedPlacements);
    blocked.previous_eval = eval.id;
    blocked.failed_tg_allocs = failed;
    blocked.create_time = ctx.now();
    blocked.modify_time = ctx.now();
    out.eval.blocked_eval = blocked.id;
    out.blocked_eval = std::move(blocked);
  }
  out.plan = std::move(ctx.plan());
}

// ---- service and batch --------------------------------------------------------------------------

ScheduleResult ScheduleGeneric(const ScheduleRequest& req, bool batch) {
  const model::State& state = *req.state;
  const model::Evaluation& eval = req.eval;
  EvalContext ctx(state, req.config, EvalSeed(req.seed, req.eval.id), req.now);
  JobVersionPtr job = req.job_override != nullptr ? req.job_override : state.GetJobPtr(eval.Job());
  bool stopped = job == nullptr || job->stop;
  Plan& plan = InitPlan(ctx, eval, job);
  ctx.SetJob(job != nullptr ? &job->spec : nullptr, eval.Job());

  std::vector<const Allocation*> allocs = state.AllocsByJob(eval.Job());
  std::sort(allocs.begin(), allocs.end(),
            [](const Allocation* a, const Allocation* b) { return a->id < b->id; });
  std::map<Id, const Node*> tainted = TaintedNodes(state, allocs);

  // Allocations the server already stopped on nodes that went down are marked lost.
  for (const Allocation* a : allocs) {
    auto it = tainted.find(a->node_id);
    if (it == tainted.end()) continue;
    bool gone = it->second == nullptr || it->second->status == model::NodeStatus::kDown;
    if (gone && a->ServerTerminal() &&
        (a->client_status == model::ClientStatus::kRunning ||
         a->client_status == model::ClientStatus::kPending)) {
      ctx.AppendStop(*a, desc::kLost, model::ClientStatus::kLost);
    }
  }

  Stack stack(ctx, batch ? StackKind::kBatch : StackKind::kService);
  if (!stopped) stack.SetJob(&job->spec);

  ReconcileInput in;
  in.job = stopped ? nullptr : &job->spec;
  in.job_version = job;
  in.job_key = eval.Job();
  in.stopped = stopped;
  in.batch = batch;
  in.allocs = allocs;
  in.tainted = tainted;
  in.now = req.now;
  in.eval_id = eval.id;
  in.eval_priority = eval.priority;
  in.migrate_on_drain = req.config.migrate_on_drain;
  in.rng = &ctx.rng();
  in.update_fn = [&](const Allocation& existing, size_t tg_index) {
    return InPlaceOrDestructive(ctx, stack, *job, existing, tg_index,
                                /*compare_modify_index=*/true);
  };
  in.deployment = state.LatestDeployment(eval.Job());
  // The deployment id comes from its own generator so that creating a deployment leaves the
  // allocation ids and node shuffles of the run unchanged.
  in.new_deployment_id = Rng(EvalSeed(req.seed, eval.id) ^ 0xD1B54A32D192ED03ULL).NewId();
  ReconcileResults results = Reconcile(in);

  plan.desired_tg_updates = results.desired_tg_updates;
  plan.deployment = std::move(results.deployment);
  plan.deployment_updates = std::move(results.deployment_updates);
  const Id deployment_id = results.deployment_id;
  // Groups of the created deployment with something placed or updated: their progress
  // deadline starts now.
  std::set<std::string> progressing;
  for (const StopDecision& s : results.stop) {
    ctx.AppendStop(*s.alloc, s.description, s.client_status, s.followup_eval_id);
  }
  for (Allocation& a : results.inplace_update) {
    // An allocation updated in place joins the deployment; its health must be shown again.
    if (a.deployment_id != deployment_id) {
      a.deployment_id = deployment_id;
      a.deployment_status.reset();
    }
    progressing.insert(a.task_group);
    ctx.AppendAlloc(std::move(a));
  }
  for (Allocation& a : results.attribute_updates) ctx.AppendAlloc(std::move(a));

  ScheduleResult out;
  out.followup_evals = std::move(results.followup_evals);
  std::map<std::string, model::AllocMetric> failed;
  std::map<std::string, int> queued;
  if (!stopped) {
    for (const ir::TaskGroup& tg : job->spec.task_groups) queued[tg.name] = 0;
  }
  if (!stopped && !(results.place.empty() && results.destructive_update.empty())) {
    ReadyNodes ready = ReadyNodesFor(state, job->spec);
    ctx.rng().Shuffle(ready.nodes);
    stack.SetNodes(ready.nodes);
    for (const auto* list : {&results.destructive_update, &results.place}) {
      for (const PlacementRequest& p : *list) {
        const ir::TaskGroup& tg = job->spec.task_groups[p.tg_index];
        if (auto f = failed.find(tg.name); f != failed.end()) {
          f->second.coalesced_failures += 1;
          queued[tg.name] += 1;
          continue;
        }
        if (p.stop_previous) ctx.AppendStop(*p.previous, p.stop_description);
        std::optional<RankedNode> option = stack.Select(p.tg_index, OptionsFor(p, tg, state));
        model::AllocMetric metrics = ctx.TakeMetrics();
        metrics.nodes_in_pool = static_cast<int>(ready.nodes.size());
        if (option) {
          // A placed allocation keeps only the empty datacenters (all `alloc status` prints):
          // a million copies of the full map would cost hundreds of megabytes.
          for (const auto& [dc, n] : ready.by_dc) {
            if (n == 0) metrics.nodes_available.emplace(dc, 0);
          }
        } else {
          metrics.nodes_available = ready.by_dc;
        }
        if (!option) {
          failed.emplace(tg.name, std::move(metrics));
          queued[tg.name] += 1;
          if (p.stop_previous) ctx.PopStop(*p.previous);
          continue;
        }
        Allocation a =
            NewAllocation(ctx, eval, job, tg, p.name_index, std::move(*option), std::move(metrics));
        a.deployment_id = deployment_id;
        if (p.previous != nullptr) {
          a.previous_allocation = p.previous->id;
          if (p.reschedule) UpdateRescheduleTracker(a, *p.previous, req.now);
        }
        progressing.insert(tg.name);
        ctx.AppendAlloc(std::move(a));
      }
    }
  }
  if (plan.deployment) {
    for (auto& [name, s] : plan.deployment->task_groups) {
      if (s.progress_deadline.count() > 0 && progressing.contains(name)) {
        s.require_progress_by = req.now + s.progress_deadline.count();
      }
    }
  }
  plan.failed_tg_allocs = failed;
  FinishEval(out, ctx, eval, failed, queued, deployment_id);
  return out;
}

// ---- system and sysbatch ------------------------------------------------------------------------

struct SystemTuple {
  size_t tg_index = 0;
  uint32_t name_index = 0;
  const Allocation* alloc = nullptr;  // existing (or terminal on the node, for sysbatch)
  const Node* node = nullptr;         // where to place
};

ScheduleResult ScheduleSystem(const ScheduleRequest& req, bool sysbatch) {
  const model::State& state = *req.state;
  const model::Evaluation& eval = req.eval;
  EvalContext ctx(state, req.config, EvalSeed(req.seed, req.eval.id), req.now);
  JobVersionPtr job = req.job_override != nullptr ? req.job_override : state.GetJobPtr(eval.Job());
  bool stopped = job == nullptr || job->stop;
  Plan& plan = InitPlan(ctx, eval, job);
  ctx.SetJob(job != nullptr ? &job->spec : nullptr, eval.Job());

  std::vector<const Allocation*> allocs = state.AllocsByJob(eval.Job());
  std::sort(allocs.begin(), allocs.end(),
            [](const Allocation* a, const Allocation* b) { return a->id < b->id; });
  std::map<Id, const Node*> tainted = TaintedNodes(state, allocs);

  ReadyNodes ready;
  if (!stopped) ready = ReadyNodesFor(state, job->spec);
  std::set<Id> eligible;
  for (const model::NodeDirectory::Entry* e : ready.nodes) eligible.insert(e->node->id);
  std::set<Id> not_ready(ready.not_ready.begin(), ready.not_ready.end());

  // Required allocations: "job.group[i]" for i < count, on every eligible node.
  struct Required {
    size_t tg_index;
    uint32_t index;
  };
  std::vector<Required> required;
  if (!stopped) {
    for (size_t g = 0; g < job->spec.task_groups.size(); ++g) {
      int count = job->spec.task_groups[g].count.value_or(1);
      for (int i = 0; i < count; ++i) required.push_back({g, static_cast<uint32_t>(i)});
    }
  }
  auto group_index = [&](const std::string& name) -> int {
    if (stopped) return -1;
    const ir::TaskGroup* tg = job->spec.FindGroup(name);
    return tg == nullptr ? -1 : static_cast<int>(tg - job->spec.task_groups.data());
  };

  // Live and terminal allocations by node.
  std::map<Id, std::vector<const Allocation*>> live_by_node;
  std::map<Id, std::vector<const Allocation*>> terminal_by_node;
  for (const Allocation* a : allocs) {
    (a->IsTerminal() ? terminal_by_node : live_by_node)[a->node_id].push_back(a);
  }
  std::set<Id> node_ids = eligible;
  for (const auto& [id, list] : live_by_node) node_ids.insert(id);

  std::vector<SystemTuple> stop, migrate, lost, update, ignore, place;
  for (const Id& node_id : node_ids) {
    std::set<std::pair<int, uint32_t>> existing;
    for (const Allocation* a : live_by_node[node_id]) {
      int g = group_index(a->task_group);
      existing.insert({g, a->index});
      bool is_required =
          g >= 0 && std::any_of(required.begin(), required.end(), [&](const Required& r) {
            return static_cast<int>(r.tg_index) == g && r.index == a->index;
          });
      SystemTuple t{static_cast<size_t>(std::max(g, 0)), a->index, a, nullptr};
      if (!is_required) {
        stop.push_back(t);
        continue;
      }
      if (a->migrate) {
        migrate.push_back(t);
        continue;
      }
      if (auto it = tainted.find(node_id); it != tainted.end()) {
        const Node* n = it->second;
        if (n == nullptr || n->status == model::NodeStatus::kDown ||
            n->status == model::NodeStatus::kDisconnected) {
          lost.push_back(t);
        } else if (n->drain && req.config.migrate_on_drain) {
          migrate.push_back(t);
        } else {
          ignore.push_back(t);
        }
        continue;
      }
      if (not_ready.contains(node_id)) {
        ignore.push_back(t);
        continue;
      }
      if (!eligible.contains(node_id)) {
        stop.push_back(t);
        continue;
      }
      if (a->job == nullptr || a->job->job_modify_index != job->job_modify_index) {
        update.push_back(t);
        continue;
      }
      ignore.push_back(t);
    }
    if (!eligible.contains(node_id) || tainted.contains(node_id)) continue;
    const Node* node = state.GetNode(node_id);
    for (const Required& r : required) {
      if (existing.contains({static_cast<int>(r.tg_index), r.index})) continue;
      const Allocation* term = nullptr;
      for (const Allocation* a : terminal_by_node[node_id]) {
        if (a->task_group == job->spec.task_groups[r.tg_index].name && a->index == r.index)
          term = a;
      }
      if (sysbatch && term != nullptr) {
        if (term->job == nullptr || term->job->job_modify_index != job->job_modify_index) {
          update.push_back({r.tg_index, r.index, term, node});
        } else {
          ignore.push_back({r.tg_index, r.index, term, node});
        }
        continue;
      }
      place.push_back({r.tg_index, r.index, term, node});
    }
  }

  auto tg_name = [&](const SystemTuple& t) -> std::string {
    return t.alloc != nullptr ? t.alloc->task_group : job->spec.task_groups[t.tg_index].name;
  };
  for (const SystemTuple& t : stop) ctx.AppendStop(*t.alloc, desc::kNotNeeded);
  for (const SystemTuple& t : migrate) ctx.AppendStop(*t.alloc, desc::kNodeTainted);
  for (const SystemTuple& t : lost) {
    ctx.AppendStop(*t.alloc, desc::kLost, model::ClientStatus::kLost);
  }

  Stack stack(ctx, StackKind::kSystem);
  if (!stopped) stack.SetJob(&job->spec);
  std::vector<SystemTuple> destructive;
  std::vector<SystemTuple> inplace;
  for (const SystemTuple& t : update) {
    UpdateDecision d;
    if (t.alloc->IsTerminal()) {
      d.destructive = true;  // a finished sysbatch allocation of an older version: run again
    } else {
      d = InPlaceOrDestructive(ctx, stack, *job, *t.alloc, t.tg_index,
                               /*compare_modify_index=*/false);
    }
    if (d.updated) {
      ctx.AppendAlloc(std::move(*d.updated));
      inplace.push_back(t);
    } else {
      destructive.push_back(t);
    }
  }

  std::map<std::string, model::DesiredUpdates>& desired = plan.desired_tg_updates;
  if (!stopped) {
    for (const ir::TaskGroup& tg : job->spec.task_groups) desired[tg.name];
  }
  for (const SystemTuple& t : place) desired[tg_name(t)].place += 1;
  for (const SystemTuple& t : stop) desired[tg_name(t)].stop += 1;
  for (const SystemTuple& t : ignore) desired[tg_name(t)].ignore += 1;
  for (const SystemTuple& t : migrate) desired[tg_name(t)].migrate += 1;
  for (const SystemTuple& t : inplace) desired[tg_name(t)].in_place_update += 1;
  for (const SystemTuple& t : destructive) desired[tg_name(t)].destructive_update += 1;

  // Destructive updates: stop, then place on the same node (limited by a rolling update).
  size_t limit = destructive.size();
  if (!stopped && job->spec.update && job->spec.update->max_parallel.value_or(0) > 0 &&
      job->spec.update->stagger.value_or(model::Duration(0)).count() > 0) {
    limit = static_cast<size_t>(*job->spec.update->max_parallel);
  }
  for (size_t i = 0; i < destructive.size() && i < limit; ++i) {
    SystemTuple t = destructive[i];
    if (!t.alloc->IsTerminal()) ctx.AppendStop(*t.alloc, desc::kUpdating);
    t.node = state.GetNode(t.alloc->node_id);
    if (t.node != nullptr) place.push_back(t);
  }

  ScheduleResult out;
  std::map<std::string, model::AllocMetric> failed;
  std::map<std::string, int> queued;
  if (!stopped) {
    for (const ir::TaskGroup& tg : job->spec.task_groups) queued[tg.name] = 0;
    for (const SystemTuple& t : place) queued[tg_name(t)] += 1;
  }
  for (const SystemTuple& t : place) {
    if (stopped || t.node == nullptr) continue;
    const ir::TaskGroup& tg = job->spec.task_groups[t.tg_index];
    stack.SetNodes({t.node});
    std::optional<RankedNode> option = stack.Select(t.tg_index, {});
    model::AllocMetric metrics = ctx.TakeMetrics();
    if (!option) {
      // Filtered by constraints: not a failure, just not a node for this job.
      if (metrics.nodes_filtered > 0) {
        queued[tg.name] -= 1;
        desired[tg.name].place -= 1;
        continue;
      }
      if (auto f = failed.find(tg.name); f != failed.end()) {
        f->second.coalesced_failures += 1;
        continue;
      }
      metrics.nodes_available = ready.by_dc;
      metrics.nodes_in_pool = static_cast<int>(ready.nodes.size());
      failed.emplace(tg.name, std::move(metrics));
      continue;
    }
    metrics.nodes_available = ready.by_dc;
    metrics.nodes_in_pool = static_cast<int>(ready.nodes.size());
    Allocation a =
        NewAllocation(ctx, eval, job, tg, t.name_index, std::move(*option), std::move(metrics));
    if (t.alloc != nullptr) a.previous_allocation = t.alloc->id;
    queued[tg.name] -= 1;
    ctx.AppendAlloc(std::move(a));
  }
  plan.failed_tg_allocs = failed;
  FinishEval(out, ctx, eval, failed, queued);
  return out;
}

}  // namespace

ScheduleResult Schedule(const ScheduleRequest& request) {
  DROVER_CHECK(request.state != nullptr, "Schedule needs a state");
  JobVersionPtr job = request.job_override != nullptr
                          ? request.job_override
                          : request.state->GetJobPtr(request.eval.Job());
  switch (JobTypeOf(request.eval, job)) {
    case ir::JobType::kService:
      return ScheduleGeneric(request, /*batch=*/false);
    case ir::JobType::kBatch:
      return ScheduleGeneric(request, /*batch=*/true);
    case ir::JobType::kSystem:
      return ScheduleSystem(request, /*sysbatch=*/false);
    case ir::JobType::kSysbatch:
      return ScheduleSystem(request, /*sysbatch=*/true);
  }
  DROVER_UNREACHABLE("job type");
}

DryRunResult DryRun(const model::State& state, const ir::Job& spec, model::Time now, uint64_t seed,
                    const SchedulerConfig& config) {
  DryRunResult out;
  model::JobKey key{spec.namespace_.empty() ? "default" : spec.namespace_, spec.id};
  out.old_version = state.GetJobPtr(key);
  JobVersionPtr version;
  if (out.old_version != nullptr && !out.old_version->stop && out.old_version->spec == spec) {
    version = out.old_version;  // unchanged: the scheduler sees the stored version
  } else {
    auto v = std::make_shared<model::JobVersion>();
    v->spec = spec;
    if (out.old_version != nullptr) {
      v->version = out.old_version->version + 1;
      v->create_index = out.old_version->create_index;
      v->job_modify_index = out.old_version->job_modify_index + 1;
    } else {
      // Nomad inserts a new job into the plan's snapshot at index 100.
      v->create_index = 100;
      v->job_modify_index = 100;
    }
    v->modify_index = v->job_modify_index;
    v->submit_time = now;
    version = std::move(v);
  }
  out.job_modify_index = out.old_version != nullptr ? out.old_version->job_modify_index : 0;

  Rng rng(seed ^ 0x5bd1e995ULL);
  model::Evaluation eval;
  eval.id = rng.NewId();
  eval.namespace_ = key.namespace_;
  eval.priority = spec.priority.value_or(50);
  eval.type = std::string(ir::ToString(spec.type.value_or(ir::JobType::kService)));
  eval.triggered_by = std::string(model::trigger::kJobRegister);
  eval.job_id = key.id;
  eval.job_modify_index = version->job_modify_index;
  eval.annotate_plan = true;
  eval.create_time = now;
  eval.modify_time = now;

  ScheduleRequest req;
  req.state = &state;
  req.eval = eval;
  req.now = now;
  req.seed = seed;
  req.config = config;
  req.job_override = version;
  out.result = Schedule(req);
  return out;
}

EvalOutcome ProcessEvaluation(model::State& state, const model::Evaluation& eval, model::Time now,
                              uint64_t seed, const SchedulerConfig& config,
                              const std::function<model::Index()>& next_index) {
  EvalOutcome out;
  model::JobVersionPtr job = state.GetJobPtr(eval.Job());
  bool batch =
      job != nullptr && job->spec.type.value_or(ir::JobType::kService) == ir::JobType::kBatch;
  int max_attempts = batch ? 2 : 5;
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    ScheduleRequest req;
    req.state = &state;
    req.eval = eval;
    req.now = now;
    req.seed = seed + static_cast<uint64_t>(attempt) * 0x9E3779B97F4A7C15ULL;
    req.config = config;
    out.last = Schedule(req);
    out.attempts = attempt + 1;
    PlanResult result = EvaluatePlan(state, out.last.plan);
    out.fully_committed = result.FullyCommitted();
    for (const auto& [node, allocs] : result.node_allocation) out.placed += allocs.size();
    for (const auto& [node, stops] : result.node_update) out.stopped += stops.size();
    if (!result.IsNoOp()) ApplyPlanResult(state, std::move(result), next_index());
    if (out.fully_committed) break;
  }
  return out;
}

}  // namespace drover::scheduler
