// The deployment watcher's decisions with an injected clock: counts and progress recounted from
// allocations, follow-up evaluations after new health, success and stable versions, failure by
// unhealthy allocations or the progress deadline, replacements, auto revert, idempotence.
#include "reconciler/deploy/watcher.h"

#include <gtest/gtest.h>

#include "tests/support/builders.h"

namespace drover::deploy {
namespace {

using model::Allocation;
using model::Deployment;
using model::Time;

constexpr Time kStart = 1'700'000'000'000'000'000;
constexpr Time kSecond = 1'000'000'000;
constexpr Time kMinute = 60 * kSecond;

class WatcherTest : public ::testing::Test {
 protected:
  model::State state;
  model::Index index = 100;
  model::JobVersionPtr job;

  model::Index Next() { return ++index; }

  /// Stores `spec` as the next version of "my-job" (count 3, max_parallel 1, progress deadline
  /// 10m) and returns it.
  model::JobVersionPtr Register(ir::Job spec) {
    job = testing::UpsertJob(state, spec, Next());
    return job;
  }
  static ir::Job Spec(bool auto_revert = false, int64_t progress_deadline = 10 * kMinute) {
    ir::Job spec = testing::MockJob();
    spec.task_groups[0].count = 3;
    ir::UpdateStrategy u;
    u.max_parallel = 1;
    u.progress_deadline = model::Duration(progress_deadline);
    u.auto_revert = auto_revert;
    spec.task_groups[0].update = u;
    return spec;
  }
  /// A running deployment of the stored latest version with desired total 3.
  Deployment AddDeployment(Time require_progress_by = kStart + 10 * kMinute) {
    Deployment d;
    d.id = testing::NextTestId(0xde91);
    d.job_id = job->spec.id;
    d.job_version = job->version;
    d.job_create_index = job->create_index;
    d.job_modify_index = job->job_modify_index;
    d.status = std::string(model::deployment_status::kRunning);
    d.status_description = std::string(model::deployment_desc::kRunning);
    model::DeploymentState s;
    s.desired_total = 3;
    s.auto_revert = job->spec.task_groups[0].update->auto_revert.value_or(false);
    s.progress_deadline =
        job->spec.task_groups[0].update->progress_deadline.value_or(model::Duration(0));
    s.require_progress_by = s.progress_deadline.count() > 0 ? require_progress_by : 0;
    d.task_groups["web"] = s;
    state.UpsertDeployment(d, Next());
    return *state.GetDeployment(d.id);
  }
  /// An allocation of the deployment; `healthy` set (at `at`, store index `health_index`) when
  /// given.
  Allocation AddAlloc(const Deployment& d, uint32_t name, std::optional<bool> healthy = {},
                      Time at = kStart, model::Index health_index = 0) {
    Allocation a = testing::MockAlloc(job, testing::NextTestId(0x90de), name);
    a.deployment_id = d.id;
    if (healthy) {
      a.deployment_status = model::AllocDeploymentStatus{healthy, at, false, health_index};
    }
    state.UpsertAlloc(a, Next());
    return *state.GetAlloc(a.id);
  }
  void AddEval(model::Index snapshot_index) {
    model::Evaluation e = testing::RegisterEval(job->spec);
    e.status = model::EvalStatus::kComplete;
    e.snapshot_index = snapshot_index;
    state.UpsertEval(e, Next());
  }
  WatchResult Run(const Deployment& d, Time now) {
    return Watch(InputFromState(state, *state.GetDeployment(d.id), now));
  }
  /// Writes a result as the server would (deployment, allocations, versions).
  void Write(const WatchResult& r) {
    model::Index i = Next();
    if (r.deployment) state.UpsertDeployment(*r.deployment, i);
    for (const Allocation& a : r.allocs) state.UpsertAlloc(a, i);
    if (r.stable) state.UpsertJobVersion(*r.stable, i);
    if (r.revert) state.UpsertJobVersion(*r.revert, i);
  }
};

TEST_F(WatcherTest, CountsComeFromTheDeploymentsAllocations) {
  Register(Spec());
  Deployment d = AddDeployment(/*require_progress_by=*/0);
  AddAlloc(d, 0, true, kStart + 5 * kSecond);
  AddAlloc(d, 1, false);
  AddAlloc(d, 2);
  Allocation other = testing::MockAlloc(job, testing::NextTestId(0x90de), 3);  // no deployment
  other.deployment_status = model::AllocDeploymentStatus{true, kStart, false, 0};
  state.UpsertAlloc(other, Next());

  WatchResult r = Run(d, kStart + 10 * kSecond);
  ASSERT_TRUE(r.deployment.has_value());
  const model::DeploymentState& s = r.deployment->task_groups.at("web");
  EXPECT_EQ(s.placed_allocs, 3);
  EXPECT_EQ(s.healthy_allocs, 1);
  EXPECT_EQ(s.unhealthy_allocs, 1);
  // Placements seen for the first time start the deadline (now + progress_deadline); a health
  // time plus the deadline only moves it later.
  EXPECT_EQ(s.require_progress_by, kStart + 10 * kSecond + 10 * kMinute);
}

TEST_F(WatcherTest, NewHealthAfterTheLatestEvaluationAsksForOne) {
  Register(Spec());
  Deployment d = AddDeployment();
  AddEval(/*snapshot_index=*/120);
  Allocation a = AddAlloc(d, 0, true, kStart, /*health_index=*/121);
  AddAlloc(d, 1);
  AddAlloc(d, 2);
  WatchResult r = Run(d, kStart + kSecond);
  EXPECT_TRUE(r.create_eval);
  EXPECT_FALSE(r.stable.has_value());
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "running");
  EXPECT_EQ(r.deployment->task_groups.at("web").healthy_allocs, 1);

  // An evaluation that saw that health: nothing more to ask.
  Write(r);
  AddEval(/*snapshot_index=*/121);
  r = Run(d, kStart + 2 * kSecond);
  EXPECT_FALSE(r.create_eval);
  EXPECT_TRUE(r.empty()) << "running the watcher again changes nothing";
}

TEST_F(WatcherTest, EveryGroupHealthyMakesItSuccessfulAndTheVersionStable) {
  Register(Spec());
  Deployment d = AddDeployment();
  for (uint32_t i = 0; i < 3; ++i) AddAlloc(d, i, true, kStart, 150);
  WatchResult r = Run(d, kStart + kSecond);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "successful");
  EXPECT_EQ(r.deployment->status_description, "Deployment completed successfully");
  ASSERT_TRUE(r.stable.has_value());
  EXPECT_EQ(r.stable->version, job->version);
  EXPECT_TRUE(r.stable->stable);
  EXPECT_FALSE(r.create_eval);
  Write(r);
  EXPECT_TRUE(state.GetJob({"default", "my-job"})->stable);
  EXPECT_TRUE(Run(d, kStart + 2 * kSecond).empty());
}

TEST_F(WatcherTest, HealthyAllocationsThatStoppedDoNotCountTowardsSuccess) {
  Register(Spec());
  Deployment d = AddDeployment();
  AddAlloc(d, 0, true, kStart, 150);
  AddAlloc(d, 1, true, kStart, 150);
  Allocation stopped = AddAlloc(d, 2, true, kStart, 150);
  stopped.desired_status = model::DesiredStatus::kStop;
  state.UpsertAlloc(stopped, Next());
  WatchResult r = Run(d, kStart + kSecond);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "running");
  EXPECT_EQ(r.deployment->task_groups.at("web").healthy_allocs, 3);
}

TEST_F(WatcherTest, UnhealthyWithoutAProgressDeadlineFailsAtOnce) {
  Register(Spec(/*auto_revert=*/false, /*progress_deadline=*/0));
  Deployment d = AddDeployment();
  AddAlloc(d, 0, false);
  WatchResult r = Run(d, kStart);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "failed");
  EXPECT_EQ(r.deployment->status_description, "Failed due to unhealthy allocations");
  EXPECT_TRUE(r.create_eval);
  EXPECT_TRUE(r.allocs.empty());
  EXPECT_FALSE(r.revert.has_value());
}

TEST_F(WatcherTest, UnhealthyButReschedulableIsAllowedAReplacement) {
  Register(Spec());
  Deployment d = AddDeployment();
  Allocation bad = AddAlloc(d, 0, false);
  AddAlloc(d, 1);
  WatchResult r = Run(d, kStart + kSecond);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "running");
  ASSERT_EQ(r.allocs.size(), 1u);
  EXPECT_EQ(r.allocs[0].id, bad.id);
  EXPECT_TRUE(r.allocs[0].reschedule);
  EXPECT_TRUE(r.create_eval);
  Write(r);
  WatchResult again = Run(d, kStart + 2 * kSecond);
  EXPECT_TRUE(again.allocs.empty());
  EXPECT_FALSE(again.create_eval);
}

TEST_F(WatcherTest, UnhealthyWithNoReschedulesLeftFails) {
  Register(Spec(/*auto_revert=*/true));
  Deployment d = AddDeployment();
  Allocation bad = testing::MockAlloc(job, testing::NextTestId(0x90de), 0);
  bad.deployment_id = d.id;
  bad.deployment_status = model::AllocDeploymentStatus{false, kStart, false, 0};
  // MockJob allows 2 reschedules in 10 minutes: both used.
  bad.reschedule_tracker = {{kStart - 2 * kMinute, {}, {}, {}}, {kStart - kMinute, {}, {}, {}}};
  state.UpsertAlloc(bad, Next());
  EXPECT_FALSE(RescheduleEligible(bad, kStart));
  EXPECT_TRUE(RescheduleEligible(bad, kStart + 9 * kMinute));  // the first one left the window
  WatchResult r = Run(d, kStart);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "failed");
  EXPECT_EQ(r.deployment->status_description,
            "Failed due to unhealthy allocations - no stable job version to auto revert to");
}

TEST_F(WatcherTest, ProgressDeadlineFailsAnUnfinishedDeployment) {
  Register(Spec());
  Deployment d = AddDeployment(kStart + 10 * kMinute);
  AddAlloc(d, 0, true, kStart - kMinute, 150);  // healthy before: the deadline stays
  AddAlloc(d, 1);
  EXPECT_FALSE(ProgressDeadlinePassed(*state.GetDeployment(d.id), kStart + 10 * kMinute - 1));
  WatchResult before = Run(d, kStart + 10 * kMinute - 1);
  EXPECT_FALSE(before.deployment.has_value() && before.deployment->status != "running");
  EXPECT_TRUE(ProgressDeadlinePassed(*state.GetDeployment(d.id), kStart + 10 * kMinute));
  WatchResult r = Run(d, kStart + 10 * kMinute);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "failed");
  EXPECT_EQ(r.deployment->status_description, "Failed due to progress deadline");
  EXPECT_TRUE(r.create_eval);
}

TEST_F(WatcherTest, HealthMovesTheProgressDeadline) {
  Register(Spec());
  Deployment d = AddDeployment(kStart + 10 * kMinute);
  AddAlloc(d, 0, true, kStart + 5 * kMinute, 150);
  WatchResult r = Run(d, kStart + 10 * kMinute);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "running");
  EXPECT_EQ(r.deployment->task_groups.at("web").require_progress_by, kStart + 15 * kMinute);
}

TEST_F(WatcherTest, AutoRevertRegistersTheLatestStableVersion) {
  ir::Job v0 = Spec(/*auto_revert=*/true);
  Register(v0);
  model::JobVersion stable = *job;
  stable.stable = true;
  state.UpsertJobVersion(stable, Next());
  ir::Job v1 = v0;
  v1.task_groups[0].tasks[0].config = {{"command", "/bin/false"}};
  Register(v1);
  Deployment d = AddDeployment();
  AddAlloc(d, 0, true, kStart, 150);
  WatchResult r = Run(d, kStart + 10 * kMinute);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status_description,
            "Failed due to progress deadline - rolling back to job version 0");
  ASSERT_TRUE(r.revert.has_value());
  EXPECT_EQ(r.revert->version, 2u);
  EXPECT_EQ(r.revert->spec, v0);
  EXPECT_FALSE(r.revert->stable);
  EXPECT_EQ(r.revert->submit_time, kStart + 10 * kMinute);
  EXPECT_TRUE(r.create_eval);
}

TEST_F(WatcherTest, AutoRevertToTheSameSpecificationDoesNothing) {
  ir::Job v0 = Spec(/*auto_revert=*/true, /*progress_deadline=*/0);
  Register(v0);
  model::JobVersion stable = *job;
  stable.stable = true;
  state.UpsertJobVersion(stable, Next());
  Register(v0);  // the same specification again, as version 1
  Deployment d = AddDeployment();
  AddAlloc(d, 0, false);
  WatchResult r = Run(d, kStart);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status_description,
            "Failed due to unhealthy allocations - not rolling back to stable job version 0 as "
            "current job has same specification");
  EXPECT_FALSE(r.revert.has_value());
}

TEST_F(WatcherTest, OnlyTheLatestVersionsActiveDeploymentChangesStatus) {
  Register(Spec(/*auto_revert=*/false, /*progress_deadline=*/0));
  Deployment d = AddDeployment();
  AddAlloc(d, 0, false);
  Register(Spec(/*auto_revert=*/false, /*progress_deadline=*/1));  // a newer version
  WatchResult r = Run(d, kStart);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "running");
  EXPECT_EQ(r.deployment->task_groups.at("web").unhealthy_allocs, 1);
  EXPECT_FALSE(r.create_eval);

  Deployment done = *state.GetDeployment(d.id);
  done.status = std::string(model::deployment_status::kCancelled);
  state.UpsertDeployment(done, Next());
  AddAlloc(d, 1, true, kStart, 300);
  r = Run(d, kStart);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->status, "cancelled");
  EXPECT_EQ(r.deployment->task_groups.at("web").healthy_allocs, 1);
  EXPECT_FALSE(r.create_eval);
}

TEST_F(WatcherTest, PendingAllocationsReplaceStoredOnes) {
  Register(Spec());
  Deployment d = AddDeployment();
  Allocation a = AddAlloc(d, 0);
  Allocation moved = AddAlloc(d, 1);
  std::vector<Allocation> pending;
  pending.push_back(a);
  pending.back().deployment_status = model::AllocDeploymentStatus{true, kStart, false, 500};
  pending.push_back(moved);
  pending.back().deployment_id = testing::NextTestId(0xde91);  // joined another deployment
  Allocation placed = testing::MockAlloc(job, testing::NextTestId(0x90de), 2);
  placed.deployment_id = d.id;
  pending.push_back(placed);
  WatchInput in = InputFromState(state, *state.GetDeployment(d.id), kStart, pending);
  ASSERT_EQ(in.allocs.size(), 2u);
  WatchResult r = Watch(in);
  ASSERT_TRUE(r.deployment.has_value());
  EXPECT_EQ(r.deployment->task_groups.at("web").placed_allocs, 2);
  EXPECT_EQ(r.deployment->task_groups.at("web").healthy_allocs, 1);
  EXPECT_TRUE(r.create_eval);
}

TEST_F(WatcherTest, LatestEvalIndexSkipsCanceledEvaluations) {
  Register(Spec());
  AddEval(/*snapshot_index=*/110);
  model::Evaluation pending = testing::RegisterEval(job->spec);
  state.UpsertEval(pending, 130);
  index = 130;
  model::Evaluation canceled = testing::RegisterEval(job->spec);
  canceled.status = model::EvalStatus::kCanceled;
  state.UpsertEval(canceled, Next());
  EXPECT_EQ(LatestEvalIndex(state, {"default", "my-job"}), 130u);
}

}  // namespace
}  // namespace drover::deploy
