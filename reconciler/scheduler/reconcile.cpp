#include "reconciler/scheduler/reconcile.h"

#include <algorithm>
#include <set>

#include "reconciler/scheduler/plan.h"

namespace drover::scheduler {

using model::Allocation;
using model::Duration;
using model::Id;
using model::Time;

namespace {

using Set = std::vector<const Allocation*>;

constexpr int64_t kRescheduleWindowNs = 1'000'000'000;          // rescheduleWindowSize
constexpr int64_t kBatchedFailedAllocWindowNs = 5'000'000'000;  // batchedFailedAllocWindowSize

// Name order, then age, then id: the deterministic order every set is kept in.
bool NameOrder(const Allocation* a, const Allocation* b) {
  if (a->index != b->index) return a->index < b->index;
  if (a->create_index != b->create_index) return a->create_index < b->create_index;
  return a->id < b->id;
}

void Sort(Set& s) { std::sort(s.begin(), s.end(), NameOrder); }

Set Difference(const Set& a, const Set& b) {
  std::set<Id> drop;
  for (const Allocation* x : b) drop.insert(x->id);
  Set out;
  for (const Allocation* x : a) {
    if (!drop.contains(x->id)) out.push_back(x);
  }
  return out;
}

Set Union(std::initializer_list<const Set*> sets) {
  std::set<Id> seen;
  Set out;
  for (const Set* s : sets) {
    for (const Allocation* x : *s) {
      if (seen.insert(x->id).second) out.push_back(x);
    }
  }
  Sort(out);
  return out;
}

ir::JobType TypeOf(const Allocation& a) {
  return a.job == nullptr ? ir::JobType::kService
                          : a.job->spec.type.value_or(ir::JobType::kService);
}

bool UpdateEmpty(const ir::TaskGroup& tg) {
  return !tg.update.has_value() || tg.update->max_parallel.value_or(0) == 0;
}

/// Nomad's allocNameIndex: which "job.group[n]" indexes are taken.
class NameIndex {
 public:
  NameIndex(int count, const Set& in_use) : count_(std::max(count, 0)) {
    size_t size = static_cast<size_t>(count_);
    for (const Allocation* a : in_use) size = std::max<size_t>(size, a->index + 1);
    bits_.assign(size, false);
    for (const Allocation* a : in_use) bits_[a->index] = true;
  }

  /// The n lowest free indexes below count, then (if more are needed) 0, 1, ... again.
  std::vector<uint32_t> Next(size_t n) {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < static_cast<size_t>(count_) && out.size() < n; ++i) {
      if (!bits_[i]) {
        bits_[i] = true;
        out.push_back(static_cast<uint32_t>(i));
      }
    }
    for (uint32_t i = 0; out.size() < n; ++i) {
      if (i >= bits_.size()) bits_.resize(i + 1, false);
      bits_[i] = true;
      out.push_back(i);
    }
    return out;
  }

  /// The n highest taken indexes.
  std::set<uint32_t> Highest(size_t n) const {
    std::set<uint32_t> out;
    for (size_t i = bits_.size(); i > 0 && out.size() < n; --i) {
      if (bits_[i - 1]) out.insert(static_cast<uint32_t>(i - 1));
    }
    return out;
  }

  void Unset(uint32_t i) {
    if (i < bits_.size()) bits_[i] = false;
  }

 private:
  int count_;
  std::vector<bool> bits_;
};

// Nomad's shouldFilter: (untainted, ignore).
std::pair<bool, bool> ShouldFilter(const Allocation& a, bool batch) {
  if (batch) {
    if (a.desired_status == model::DesiredStatus::kStop) {
      if (RanSuccessfully(a)) return {true, false};
      return {false, true};
    }
    if (a.desired_status == model::DesiredStatus::kEvict) return {false, true};
    if (a.client_status == model::ClientStatus::kFailed) return {false, false};
    return {true, false};
  }
  if (a.desired_status != model::DesiredStatus::kRun) return {false, true};
  if (a.client_status == model::ClientStatus::kComplete ||
      a.client_status == model::ClientStatus::kLost) {
    return {false, true};
  }
  return {false, false};
}

struct Delayed {
  const Allocation* alloc;
  Time time;
};

class Reconciler {
 public:
  explicit Reconciler(const ReconcileInput& in) : in_(in) {}

  ReconcileResults Compute() {
    std::map<std::string, Set> groups;
    if (in_.job != nullptr) {
      for (const ir::TaskGroup& tg : in_.job->task_groups) groups[tg.name];
    }
    for (const Allocation* a : in_.allocs) groups[a->task_group].push_back(a);
    for (auto& [name, set] : groups) Sort(set);

    CancelUnneededDeployments();
    if (in_.stopped || in_.job == nullptr) {
      for (auto& [name, set] : groups) {
        Set live;
        for (const Allocation* a : set) {
          if (!a->IsTerminal()) live.push_back(a);
        }
        model::DesiredUpdates& d = result_.desired_tg_updates[name];
        d.stop = FilterAndStopAll(live);
      }
      return std::move(result_);
    }
    if (deployment_ != nullptr) {
      paused_ = deployment_->status == model::deployment_status::kPaused;
      failed_ = deployment_->status == model::deployment_status::kFailed;
    }
    for (auto& [name, set] : groups) ComputeGroup(name, set);
    FinishDeployment();
    return std::move(result_);
  }

 private:
  struct Tainted {
    Set untainted;
    Set migrate;
    Set lost;
    Set ignore;
  };

  Tainted FilterByTainted(const Set& set) const {
    Tainted t;
    for (const Allocation* a : set) {
      if (a->IsTerminal()) {
        // Server-terminal allocations are stopped replacements: ignored (Nomad >= 1.3).
        (a->ServerTerminal() ? t.ignore : t.untainted).push_back(a);
        continue;
      }
      if (a->migrate) {
        t.migrate.push_back(a);
        continue;
      }
      auto it = in_.tainted.find(a->node_id);
      if (it == in_.tainted.end()) {
        t.untainted.push_back(a);
      } else if (it->second == nullptr || it->second->status == model::NodeStatus::kDown ||
                 it->second->status == model::NodeStatus::kDisconnected) {
        t.lost.push_back(a);
      } else if (it->second->drain && in_.migrate_on_drain) {
        t.migrate.push_back(a);
      } else {
        t.untainted.push_back(a);
      }
    }
    return t;
  }

  // Nomad's cancelUnneededDeployments: a stopped job's active deployment and an active
  // deployment of another job version are cancelled; only a deployment of this version that has
  // not succeeded stays the current one.
  void CancelUnneededDeployments() {
    const model::Deployment* d = in_.deployment;
    if (d == nullptr) return;
    auto cancel = [&](std::string_view why) {
      if (d->Active()) {
        result_.deployment_updates.push_back(
            {d->id, std::string(model::deployment_status::kCancelled), std::string(why)});
      }
    };
    if (in_.stopped || in_.job == nullptr || in_.job_version == nullptr) {
      cancel(model::deployment_desc::kStoppedJob);
      return;
    }
    if (d->job_create_index != in_.job_version->create_index ||
        d->job_version != in_.job_version->version) {
      cancel(model::deployment_desc::kNewerJob);
      return;
    }
    if (d->status == model::deployment_status::kSuccessful) return;
    deployment_ = d;
  }

  // The created deployment, if any group needs one; and the deployment allocations join.
  void FinishDeployment() {
    if (deployment_ == nullptr && !new_groups_.empty()) {
      const model::JobVersion& v = *in_.job_version;
      model::Deployment d;
      d.id = in_.new_deployment_id;
      d.namespace_ = in_.job_key.namespace_;
      d.job_id = in_.job_key.id;
      d.job_version = v.version;
      d.job_modify_index = v.job_modify_index;
      d.job_spec_modify_index = v.job_modify_index;
      d.job_create_index = v.create_index;
      d.task_groups = std::move(new_groups_);
      d.status = std::string(model::deployment_status::kRunning);
      d.status_description = std::string(model::deployment_desc::kRunning);
      result_.deployment_id = d.id;
      result_.deployment = std::move(d);
      return;
    }
    if (deployment_ != nullptr && deployment_->Active()) result_.deployment_id = deployment_->id;
  }

  // Nomad's computeUnderProvisionedBy: how many destructive updates may start now.
  int UpdateLimit(const ir::TaskGroup& tg, const Set& untainted, size_t destructive,
                  size_t migrate) const {
    if (UpdateEmpty(tg) || destructive + migrate == 0) return tg.count.value_or(1);
    int limit = tg.update->max_parallel.value_or(0);
    if (deployment_ == nullptr) return limit;
    if (paused_ || failed_) return 0;
    for (const Allocation* a : untainted) {
      if (a->deployment_id != deployment_->id) continue;
      std::optional<bool> healthy =
          a->deployment_status ? a->deployment_status->healthy : std::nullopt;
      if (healthy == false) return 0;  // an unhealthy allocation stops the rollout
      if (!healthy) --limit;           // in flight: placed, health not known yet
    }
    return std::max(limit, 0);
  }

  uint64_t FilterAndStopAll(const Set& set) {
    Tainted t = FilterByTainted(set);
    MarkStop(t.untainted, desc::kNotNeeded);
    MarkStop(t.migrate, desc::kNotNeeded);
    MarkStop(t.lost, desc::kLost, model::ClientStatus::kLost);
    return set.size();
  }

  void MarkStop(const Set& set, std::string_view description,
                std::optional<model::ClientStatus> status = std::nullopt) {
    for (const Allocation* a : set) {
      result_.stop.push_back(StopDecision{a, std::string(description), status, {}});
    }
  }

  void FilterByRescheduleable(const Set& in, Set* untainted, Set* now_set,
                              std::vector<Delayed>* later) const {
    for (const Allocation* a : in) {
      if (!a->next_allocation.IsZero() && a->IsTerminal()) continue;
      auto [is_untainted, ignore] = ShouldFilter(*a, in_.batch);
      if (is_untainted) {
        untainted->push_back(a);
        continue;
      }
      if (ignore) continue;
      // A failed allocation of the active deployment is replaced only once the deployment
      // watcher allows it (Nomad's DesiredTransition.Reschedule).
      if (deployment_ != nullptr && deployment_->Active() && a->deployment_id == deployment_->id &&
          !a->reschedule && !a->force_reschedule) {
        untainted->push_back(a);
        continue;
      }
      bool now_flag = a->force_reschedule;
      bool later_flag = false;
      auto [when, eligible] = NextRescheduleTime(*a);
      if (eligible &&
          (a->followup_eval_id == in_.eval_id || when - in_.now <= kRescheduleWindowNs)) {
        now_flag = true;
      } else if (eligible && a->followup_eval_id.IsZero()) {
        later_flag = true;
      }
      if (now_flag) {
        now_set->push_back(a);
        continue;
      }
      untainted->push_back(a);
      if (later_flag) later->push_back({a, when});
    }
  }

  void CreateRescheduleLaterEvals(std::vector<Delayed> later) {
    if (later.empty() || in_.rng == nullptr) return;
    std::stable_sort(later.begin(), later.end(),
                     [](const Delayed& x, const Delayed& y) { return x.time < y.time; });
    Time batch_start = later.front().time;
    auto new_eval = [&](Time wait_until) {
      model::Evaluation e;
      e.id = in_.rng->NewId();
      e.namespace_ = in_.job_key.namespace_;
      e.priority = in_.eval_priority;
      e.type = std::string(ir::ToString(in_.job->type.value_or(ir::JobType::kService)));
      e.triggered_by = std::string(model::trigger::kRetryFailedAlloc);
      e.job_id = in_.job_key.id;
      e.job_modify_index = in_.job_version != nullptr ? in_.job_version->modify_index : 0;
      e.status = model::EvalStatus::kPending;
      e.status_description = std::string(desc::kReschedulingFollowup);
      e.wait_until = wait_until;
      e.create_time = in_.now;
      e.modify_time = in_.now;
      result_.followup_evals.push_back(e);
      return e.id;
    };
    Id current = new_eval(batch_start);
    for (const Delayed& d : later) {
      if (d.time - batch_start >= kBatchedFailedAllocWindowNs) {
        batch_start = d.time;
        current = new_eval(batch_start);
      }
      Allocation updated = *d.alloc;
      updated.followup_eval_id = current;
      result_.attribute_updates.push_back(std::move(updated));
    }
  }

  Set ComputeStop(const ir::TaskGroup& tg, NameIndex& names, const Set& untainted_in, Set& migrate,
                  const Set& lost) {
    Set stop = lost;
    MarkStop(lost, desc::kLost, model::ClientStatus::kLost);
    int count = tg.count.value_or(1);
    int64_t remove = static_cast<int64_t>(untainted_in.size() + migrate.size()) - count;
    if (remove <= 0) return stop;

    Set untainted;
    for (const Allocation* a : untainted_in) {
      if (!a->IsTerminal()) untainted.push_back(a);
    }
    // Prefer stopping allocations that are migrating anyway, highest names first.
    if (!migrate.empty()) {
      NameIndex migrating(count, migrate);
      std::set<uint32_t> drop = migrating.Highest(static_cast<size_t>(remove));
      for (auto it = migrate.begin(); it != migrate.end() && remove > 0;) {
        if (!drop.contains((*it)->index)) {
          ++it;
          continue;
        }
        result_.stop.push_back(StopDecision{*it, std::string(desc::kNotNeeded), {}, {}});
        stop.push_back(*it);
        names.Unset((*it)->index);
        it = migrate.erase(it);
        --remove;
      }
      if (remove == 0) return stop;
    }
    // Then the highest names among the rest.
    std::set<uint32_t> drop = names.Highest(static_cast<size_t>(remove));
    for (auto it = untainted.begin(); it != untainted.end() && remove > 0;) {
      if (!drop.contains((*it)->index)) {
        ++it;
        continue;
      }
      result_.stop.push_back(StopDecision{*it, std::string(desc::kNotNeeded), {}, {}});
      stop.push_back(*it);
      it = untainted.erase(it);
      --remove;
    }
    // Duplicate names can leave more than wanted.
    for (auto it = untainted.begin(); it != untainted.end() && remove > 0; --remove) {
      result_.stop.push_back(StopDecision{*it, std::string(desc::kNotNeeded), {}, {}});
      stop.push_back(*it);
      it = untainted.erase(it);
    }
    return stop;
  }

  void ComputeGroup(const std::string& name, const Set& all_in) {
    model::DesiredUpdates& desired = result_.desired_tg_updates[name];
    const ir::TaskGroup* tg = in_.job->FindGroup(name);
    if (tg == nullptr) {
      // The group was removed from the job: stop what still runs.
      Set live;
      for (const Allocation* a : all_in) {
        if (!a->IsTerminal()) live.push_back(a);
      }
      desired.stop = FilterAndStopAll(live);
      return;
    }
    size_t tg_index = static_cast<size_t>(tg - in_.job->task_groups.data());
    int count = tg->count.value_or(1);

    // The group's state in the current deployment, or a new one (Nomad's
    // initializeDeploymentState).
    bool existing_deployment =
        deployment_ != nullptr && deployment_->task_groups.contains(tg->name);
    model::DeploymentState dstate;
    if (!existing_deployment && !UpdateEmpty(*tg)) {
      dstate.auto_revert = tg->update->auto_revert.value_or(false);
      dstate.auto_promote = tg->update->auto_promote.value_or(false);
      dstate.progress_deadline = tg->update->progress_deadline.value_or(model::Duration(0));
    }

    Set all = all_in;
    if (in_.batch) {
      // Terminal allocations of older job versions are left alone.
      Set kept;
      for (const Allocation* a : all) {
        bool older = a->job != nullptr && in_.job_version != nullptr &&
                     (a->job->version < in_.job_version->version ||
                      a->job->create_index < in_.job_version->create_index);
        if (older && a->IsTerminal()) {
          desired.ignore += 1;
        } else {
          kept.push_back(a);
        }
      }
      all = std::move(kept);
    }

    Tainted t = FilterByTainted(all);
    desired.ignore += t.ignore.size();

    Set untainted;
    Set reschedule_now;
    std::vector<Delayed> reschedule_later;
    FilterByRescheduleable(t.untainted, &untainted, &reschedule_now, &reschedule_later);
    Sort(untainted);
    Sort(reschedule_now);
    CreateRescheduleLaterEvals(std::move(reschedule_later));

    NameIndex names(count, Union({&untainted, &t.migrate, &reschedule_now, &t.lost}));

    Set stop = ComputeStop(*tg, names, untainted, t.migrate, t.lost);
    desired.stop += stop.size();
    untainted = Difference(untainted, stop);

    // Ignore, update in place, or replace.
    Set destructive;
    size_t inplace = 0;
    for (const Allocation* a : untainted) {
      UpdateDecision d = in_.update_fn(*a, tg_index);
      if (d.ignore) {
        desired.ignore += 1;
      } else if (d.destructive) {
        destructive.push_back(a);
      } else {
        desired.in_place_update += 1;
        ++inplace;
        if (d.updated) result_.inplace_update.push_back(std::move(*d.updated));
      }
    }
    if (!existing_deployment)
      dstate.desired_total += static_cast<int>(destructive.size() + inplace);

    int under = UpdateLimit(*tg, untainted, destructive.size(), t.migrate.size());

    // Placements: rescheduled failures, replacements of lost allocations, then new names.
    std::vector<PlacementRequest> place;
    for (const Allocation* a : reschedule_now) {
      PlacementRequest p;
      p.tg_index = tg_index;
      p.name_index = a->index;
      p.previous = a;
      p.reschedule = true;
      place.push_back(p);
    }
    size_t existing = untainted.size() + t.migrate.size() + reschedule_now.size();
    for (const Allocation* a : t.lost) {
      if (existing >= static_cast<size_t>(count)) break;
      ++existing;
      PlacementRequest p;
      p.tg_index = tg_index;
      p.name_index = a->index;
      p.previous = a;
      p.lost = true;
      place.push_back(p);
    }
    if (existing < static_cast<size_t>(count)) {
      for (uint32_t index : names.Next(static_cast<size_t>(count) - existing)) {
        PlacementRequest p;
        p.tg_index = tg_index;
        p.name_index = index;
        place.push_back(p);
      }
    }
    if (!existing_deployment) dstate.desired_total += static_cast<int>(place.size());

    // A paused or failed deployment places nothing new: only replacements of lost allocations
    // and of failed ones that are not its own (Nomad's computeReplacements).
    bool place_ready = !paused_ && !failed_;
    if (place_ready) {
      desired.place += place.size();
      for (auto& p : place) result_.place.push_back(std::move(p));
      MarkStop(reschedule_now, desc::kRescheduled);
      desired.stop += reschedule_now.size();
      under -= std::min(static_cast<int>(place.size()), under);
    } else {
      for (PlacementRequest& p : place) {
        bool own_failure = p.reschedule && p.previous->deployment_id == deployment_->id;
        if (!p.lost && !(p.reschedule && !own_failure)) continue;
        if (p.reschedule) {
          result_.stop.push_back(StopDecision{p.previous, std::string(desc::kRescheduled), {}, {}});
          desired.stop += 1;
        }
        desired.place += 1;
        result_.place.push_back(std::move(p));
      }
    }

    // Destructive updates, at most `under` of them (max_parallel with an update strategy).
    size_t take =
        place_ready ? std::min(destructive.size(), static_cast<size_t>(std::max(under, 0))) : 0;
    desired.destructive_update += take;
    desired.ignore += destructive.size() - take;
    Sort(destructive);
    for (size_t i = 0; i < take; ++i) {
      PlacementRequest p;
      p.tg_index = tg_index;
      p.name_index = destructive[i]->index;
      p.previous = destructive[i];
      p.stop_previous = true;
      p.stop_description = std::string(desc::kUpdating);
      result_.destructive_update.push_back(std::move(p));
    }

    // Migrations: stop on the draining node, place elsewhere.
    desired.migrate += t.migrate.size();
    Sort(t.migrate);
    for (const Allocation* a : t.migrate) {
      result_.stop.push_back(StopDecision{a, std::string(desc::kMigrating), {}, {}});
      PlacementRequest p;
      p.tg_index = tg_index;
      p.name_index = a->index;
      p.previous = a;
      p.migrate = true;
      result_.place.push_back(std::move(p));
    }

    // Nomad's createDeployment: a group with an update strategy that has something to do joins
    // a new deployment, unless this version already ran and nothing about its spec changes
    // (allocations replaced after a node failure, say).
    if (existing_deployment || UpdateEmpty(*tg) || in_.batch || dstate.desired_total == 0) return;
    bool updating_spec = !destructive.empty() || !result_.inplace_update.empty();
    bool had_running = std::any_of(all_in.begin(), all_in.end(), [&](const Allocation* a) {
      return a->job != nullptr && a->job->version == in_.job_version->version &&
             a->job->create_index == in_.job_version->create_index;
    });
    if (had_running && !updating_spec) return;
    if (deployment_ == nullptr) new_groups_[tg->name] = dstate;
  }

  const ReconcileInput& in_;
  ReconcileResults result_;
  const model::Deployment* deployment_ = nullptr;  // the current deployment (this version)
  bool paused_ = false;
  bool failed_ = false;
  std::map<std::string, model::DeploymentState> new_groups_;  // of the deployment to create
};

}  // namespace

ReconcileResults Reconcile(const ReconcileInput& input) { return Reconciler(input).Compute(); }

// ---- rescheduling -------------------------------------------------------------------------------

std::optional<ReschedulePolicy> PolicyOf(const Allocation& alloc) {
  if (alloc.job == nullptr) return std::nullopt;
  const ir::Job& job = alloc.job->spec;
  ir::JobType type = job.type.value_or(ir::JobType::kService);
  if (type == ir::JobType::kSystem || type == ir::JobType::kSysbatch) return std::nullopt;
  const ir::TaskGroup* tg = job.FindGroup(alloc.task_group);
  if (tg == nullptr) return std::nullopt;
  ReschedulePolicy p;
  if (type == ir::JobType::kBatch) {
    p.attempts = 1;
    p.interval = std::chrono::hours(24);
    p.delay = std::chrono::seconds(5);
    p.delay_function = ir::DelayFunction::kConstant;
  } else {
    p.delay = std::chrono::seconds(30);
    p.delay_function = ir::DelayFunction::kExponential;
    p.max_delay = std::chrono::hours(1);
    p.unlimited = true;
  }
  for (const auto* src : {&job.reschedule, &tg->reschedule_policy}) {
    if (!src->has_value()) continue;
    const ir::ReschedulePolicy& r = **src;
    if (r.attempts) p.attempts = *r.attempts;
    if (r.interval) p.interval = *r.interval;
    if (r.delay) p.delay = *r.delay;
    if (r.delay_function) p.delay_function = *r.delay_function;
    if (r.max_delay) p.max_delay = *r.max_delay;
    if (r.unlimited) p.unlimited = *r.unlimited;
  }
  return p;
}

Time LastEventTime(const Allocation& alloc) {
  Time last = 0;
  for (const auto& [name, ts] : alloc.task_states) last = std::max(last, ts.finished_at);
  return last == 0 ? alloc.modify_time : last;
}

Duration NextDelay(const Allocation& alloc) {
  auto policy = PolicyOf(alloc);
  if (!policy) return Duration(0);
  Duration delay = policy->delay;
  const auto& events = alloc.reschedule_tracker;
  if (events.empty()) return delay;
  switch (policy->delay_function) {
    case ir::DelayFunction::kExponential:
      delay = events.back().delay * 2;
      break;
    case ir::DelayFunction::kFibonacci:
      if (events.size() >= 2) {
        Duration n1 = events[events.size() - 1].delay;
        Duration n2 = events[events.size() - 2].delay;
        // A series that hit the ceiling and restarted starts over.
        delay = (n2 == policy->max_delay && n1 == policy->delay) ? n1 : n1 + n2;
      }
      break;
    case ir::DelayFunction::kConstant:
      return delay;
  }
  if (policy->max_delay.count() > 0 && delay > policy->max_delay) {
    delay = policy->max_delay;
    // Once the allocation ran for longer than the ceiling since its last reschedule, reset.
    if (LastEventTime(alloc) - events.back().reschedule_time > delay.count()) delay = policy->delay;
  }
  return delay;
}

std::pair<Time, bool> NextRescheduleTime(const Allocation& alloc) {
  Time fail_time = LastEventTime(alloc);
  auto policy = PolicyOf(alloc);
  bool rescheduled_batch = TypeOf(alloc) == ir::JobType::kBatch && alloc.reschedule;
  if (!policy || (policy->attempts == 0 && !policy->unlimited)) return {0, false};
  if (alloc.desired_status == model::DesiredStatus::kStop ||
      (!rescheduled_batch && alloc.client_status != model::ClientStatus::kFailed &&
       alloc.client_status != model::ClientStatus::kLost) ||
      fail_time == 0) {
    return {0, false};
  }
  Duration delay = NextDelay(alloc);
  Time next = fail_time + delay.count();
  bool eligible = policy->unlimited || (policy->attempts > 0 && alloc.reschedule_tracker.empty());
  if (policy->attempts > 0 && !alloc.reschedule_tracker.empty()) {
    int attempted = 0;
    for (const auto& e : alloc.reschedule_tracker) {
      if (fail_time - e.reschedule_time < policy->interval.count()) ++attempted;
    }
    eligible = attempted < policy->attempts && delay < policy->interval;
  }
  return {next, eligible};
}

bool RanSuccessfully(const Allocation& alloc) {
  if (alloc.task_states.empty()) return false;
  for (const auto& [name, ts] : alloc.task_states) {
    if (ts.state != "dead" || ts.failed) return false;
  }
  return true;
}

}  // namespace drover::scheduler
