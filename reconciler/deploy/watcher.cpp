#include "reconciler/deploy/watcher.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/base/check.h"
#include "reconciler/scheduler/reconcile.h"

namespace drover::deploy {

using model::Allocation;
using model::Deployment;
using model::DeploymentState;
using model::Time;

namespace {

std::optional<bool> HealthOf(const Allocation& a) {
  return a.deployment_status ? a.deployment_status->healthy : std::nullopt;
}

// A group is done when it needs no promotion and enough of its healthy allocations still run
// (Nomad's doneGroups).
bool GroupDone(const DeploymentState& s, const std::vector<const Allocation*>& allocs) {
  if (s.desired_canaries != 0 && !s.promoted) return false;
  int healthy = 0;
  for (const Allocation* a : allocs) {
    if (!a->IsTerminal() && HealthOf(*a) == true) ++healthy;
  }
  return healthy >= s.desired_total;
}

bool IsLatestVersion(const WatchInput& in) {
  const Deployment& d = *in.deployment;
  return in.job != nullptr && in.latest != nullptr && !in.latest->stop &&
         in.latest->version == d.job_version && in.latest->create_index == d.job_create_index;
}

// Nomad's handleRollbackValidity and DeploymentStatusDescription* helpers: the failure
// description with what auto revert did, and the version to register.
std::string Rollback(const WatchInput& in, std::string description,
                     std::optional<model::JobVersion>* revert) {
  model::JobVersionPtr stable;
  for (const model::JobVersionPtr& v : in.versions) {
    if (v != nullptr && v->stable) {
      stable = v;
      break;
    }
  }
  if (stable == nullptr) return description + " - no stable job version to auto revert to";
  if (stable->spec == in.job->spec) {
    return fmt::format(
        "{} - not rolling back to stable job version {} as current job has same specification",
        description, stable->version);
  }
  model::JobVersion v;
  v.spec = stable->spec;
  v.version = in.latest->version + 1;
  v.submit_time = in.now;
  *revert = std::move(v);
  return fmt::format("{} - rolling back to job version {}", description, stable->version);
}

}  // namespace

WatchResult Watch(const WatchInput& in) {
  DROVER_CHECK(in.deployment != nullptr, "Watch needs a deployment");
  const Deployment& d = *in.deployment;
  WatchResult out;

  std::map<std::string, std::vector<const Allocation*>> by_group;
  for (const Allocation* a : in.allocs) {
    if (a->deployment_id == d.id) by_group[a->task_group].push_back(a);
  }
  for (auto& [name, allocs] : by_group) {
    std::sort(allocs.begin(), allocs.end(),
              [](const Allocation* a, const Allocation* b) { return a->id < b->id; });
  }

  // Counts and progress, from the allocations.
  Deployment next = d;
  for (auto& [name, s] : next.task_groups) {
    const std::vector<const Allocation*>& allocs = by_group[name];
    s.placed_allocs = static_cast<int>(allocs.size());
    s.healthy_allocs = 0;
    s.unhealthy_allocs = 0;
    for (const Allocation* a : allocs) {
      std::optional<bool> h = HealthOf(*a);
      if (h == true) ++s.healthy_allocs;
      if (h == false) ++s.unhealthy_allocs;
    }
    int64_t pd = s.progress_deadline.count();
    if (pd <= 0) continue;
    if (s.require_progress_by == 0 && s.placed_allocs > 0) s.require_progress_by = in.now + pd;
    for (const Allocation* a : allocs) {
      if (HealthOf(*a) != true) continue;
      Time healthy_at =
          a->deployment_status->timestamp != 0 ? a->deployment_status->timestamp : in.now;
      s.require_progress_by = std::max(s.require_progress_by, healthy_at + pd);
    }
  }

  if (d.Active() && IsLatestVersion(in)) {
    bool fail = false;
    bool rollback = false;
    bool replacements = false;
    std::string description;
    // Unhealthy allocations: fail now, or allow a replacement (Nomad's handleAllocUpdate).
    for (const auto& [name, s] : next.task_groups) {
      for (const Allocation* a : by_group[name]) {
        if (HealthOf(*a) != false) continue;
        if (s.progress_deadline.count() == 0 || !RescheduleEligible(*a, in.now)) {
          fail = true;
          rollback |= s.auto_revert;
        } else if (!a->reschedule && !a->ServerTerminal()) {
          Allocation allowed = *a;
          allowed.reschedule = true;
          allowed.modify_time = in.now;
          out.allocs.push_back(std::move(allowed));
          replacements = true;
        }
      }
    }
    if (fail) {
      description = std::string(model::deployment_desc::kFailedAllocations);
    } else {
      // The progress deadline: the earliest RequireProgressBy of the groups not done yet.
      Time cutoff = 0;
      for (const auto& [name, s] : next.task_groups) {
        if (s.require_progress_by == 0 || GroupDone(s, by_group[name])) continue;
        if (cutoff == 0 || s.require_progress_by < cutoff) cutoff = s.require_progress_by;
      }
      if (cutoff != 0 && in.now >= cutoff) {
        fail = true;
        description = std::string(model::deployment_desc::kProgressDeadline);
        for (const auto& [name, s] : next.task_groups) {
          if (!GroupDone(s, by_group[name])) rollback |= s.auto_revert;
        }
      }
    }

    bool done =
        !fail && std::all_of(next.task_groups.begin(), next.task_groups.end(),
                             [&](const auto& g) { return GroupDone(g.second, by_group[g.first]); });
    if (fail) {
      out.allocs.clear();  // nothing is replaced for a failed deployment
      if (rollback) description = Rollback(in, std::move(description), &out.revert);
      next.status = std::string(model::deployment_status::kFailed);
      next.status_description = std::move(description);
      out.create_eval = true;
    } else if (done) {
      next.status = std::string(model::deployment_status::kSuccessful);
      next.status_description = std::string(model::deployment_desc::kSuccessful);
      if (!in.job->stable) {
        out.stable = *in.job;
        out.stable->stable = true;
      }
    } else {
      out.create_eval = replacements;
      for (const auto& [name, allocs] : by_group) {
        for (const Allocation* a : allocs) {
          if (HealthOf(*a) == true && a->deployment_status->modify_index > in.latest_eval_index) {
            out.create_eval = true;
          }
        }
      }
    }
  }
  if (next != d) out.deployment = std::move(next);
  return out;
}

WatchInput InputFromState(const model::State& state, const Deployment& deployment, Time now,
                          std::span<const Allocation> pending) {
  WatchInput in;
  in.deployment = &deployment;
  model::JobKey key = deployment.Job();
  in.job = state.GetJobVersion(key, deployment.job_version);
  in.latest = state.GetJobPtr(key);
  in.versions = state.GetJobVersions(key);
  in.latest_eval_index = LatestEvalIndex(state, key);
  in.now = now;
  std::map<model::Id, const Allocation*> allocs;
  for (const Allocation* a : state.AllocsByJob(key)) {
    if (a->deployment_id == deployment.id) allocs[a->id] = a;
  }
  for (const Allocation& a : pending) {
    if (a.Job() != key) continue;
    if (a.deployment_id == deployment.id) {
      allocs[a.id] = &a;
    } else {
      allocs.erase(a.id);  // updated into another deployment (or none)
    }
  }
  for (const auto& [id, a] : allocs) in.allocs.push_back(a);
  return in;
}

model::Index LatestEvalIndex(const model::State& state, const model::JobKey& job) {
  model::Index latest = 0;
  for (const model::Evaluation* e : state.EvalsByJob(job)) {
    if (e->status == model::EvalStatus::kCanceled) continue;
    latest = std::max(latest, e->snapshot_index != 0 ? e->snapshot_index : e->create_index);
  }
  return latest;
}

bool ProgressDeadlinePassed(const Deployment& deployment, Time now) {
  for (const auto& [name, s] : deployment.task_groups) {
    if (s.require_progress_by != 0 && now >= s.require_progress_by) return true;
  }
  return false;
}

bool RescheduleEligible(const Allocation& alloc, Time now) {
  std::optional<scheduler::ReschedulePolicy> policy = scheduler::PolicyOf(alloc);
  if (!policy || (policy->attempts <= 0 && !policy->unlimited)) return false;
  if (policy->unlimited || alloc.reschedule_tracker.empty()) return true;
  int attempted = 0;
  for (const model::RescheduleEvent& e : alloc.reschedule_tracker) {
    if (now - e.reschedule_time < policy->interval.count()) ++attempted;
  }
  return attempted < policy->attempts;
}

}  // namespace drover::deploy
