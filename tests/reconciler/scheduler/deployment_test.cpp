// Deployments in the service scheduler: created once per job version with each group's desired
// total, cancelled by a newer version or a stop, placements stamped with the deployment, and
// destructive updates limited so that in-flight (placed, health unknown) plus new allocations
// stay within max_parallel.
#include <set>

#include "tests/reconciler/scheduler/scheduler_fixture.h"

namespace drover::scheduler {
namespace {

using model::Allocation;

constexpr int64_t kMinute = 60'000'000'000;

class DeploymentTest : public SchedulerFixture {
 protected:
  /// "my-job": `count` allocations of group "web" with a rolling update of `max_parallel`.
  static ir::Job RollingJob(int count = 3, int max_parallel = 1,
                            const std::string& image = "redis:7") {
    ir::Job job = testing::MockJob();
    job.task_groups[0].count = count;
    job.task_groups[0].tasks[0].driver = "mock_driver";
    job.task_groups[0].tasks[0].config = {{"image", image}};
    ir::UpdateStrategy u;
    u.max_parallel = max_parallel;
    u.min_healthy_time = std::chrono::seconds(10);
    u.healthy_deadline = std::chrono::minutes(5);
    u.progress_deadline = std::chrono::minutes(10);
    u.auto_revert = true;
    job.task_groups[0].update = u;
    return job;
  }
  /// Sets the health of an allocation as the server records a client's report.
  void SetHealth(const model::Id& alloc, bool healthy) {
    Allocation a = *state.GetAlloc(alloc);
    a.deployment_status = model::AllocDeploymentStatus{healthy, now, false, index + 1};
    state.UpsertAlloc(a, Next());
  }
  void SetDeploymentStatus(const model::Id& id, std::string_view status) {
    model::Deployment d = *state.GetDeployment(id);
    d.status = std::string(status);
    state.UpsertDeployment(d, Next());
  }
  const model::Deployment* Latest() const { return state.LatestDeployment({"default", "my-job"}); }
  /// Live allocations of the version `version`.
  std::vector<Allocation> LiveOf(uint64_t version) const {
    std::vector<Allocation> out;
    for (const Allocation& a : Live("my-job")) {
      if (a.job->version == version) out.push_back(a);
    }
    return out;
  }
};

TEST_F(DeploymentTest, FirstVersionGetsADeploymentAndPlacesEverything) {
  AddNodes(3);
  ScheduleResult r = Register(RollingJob());
  ASSERT_TRUE(r.plan.deployment.has_value());
  const model::Deployment& d = *r.plan.deployment;
  EXPECT_EQ(d.job_id, "my-job");
  EXPECT_EQ(d.job_version, 0u);
  EXPECT_EQ(d.status, "running");
  EXPECT_EQ(d.status_description, "Deployment is running");
  ASSERT_EQ(d.task_groups.size(), 1u);
  const model::DeploymentState& s = d.task_groups.at("web");
  EXPECT_EQ(s.desired_total, 3);
  EXPECT_TRUE(s.auto_revert);
  EXPECT_EQ(s.progress_deadline, std::chrono::minutes(10));
  EXPECT_EQ(s.require_progress_by, now + 10 * kMinute);  // from the injected clock
  // New placements are not held back by max_parallel (Nomad places a new version's new
  // allocations at once; only replacements roll).
  std::vector<Allocation> placed = Placed(r.plan);
  ASSERT_EQ(placed.size(), 3u);
  for (const Allocation& a : placed) EXPECT_EQ(a.deployment_id, d.id);
  EXPECT_EQ(r.eval.deployment_id, d.id);
  Apply(r);
  ASSERT_NE(Latest(), nullptr);
  EXPECT_EQ(Latest()->id, d.id);
  EXPECT_GT(Latest()->create_index, 0u);
}

TEST_F(DeploymentTest, ADeploymentIsCreatedOncePerVersion) {
  AddNodes(3);
  ScheduleResult first = RegisterAndApply(RollingJob());
  ScheduleResult again = Evaluate(RollingJob(), "deployment-watcher");
  EXPECT_FALSE(again.plan.deployment.has_value());
  EXPECT_TRUE(again.plan.IsNoOp());
  EXPECT_EQ(again.eval.deployment_id, first.plan.deployment->id);
  EXPECT_EQ(state.DeploymentsByJob({"default", "my-job"}).size(), 1u);

  // Once it succeeded, evaluations of the same version neither join nor recreate it.
  SetDeploymentStatus(first.plan.deployment->id, model::deployment_status::kSuccessful);
  ScheduleResult later = Evaluate(RollingJob());
  EXPECT_FALSE(later.plan.deployment.has_value());
  EXPECT_TRUE(later.eval.deployment_id.IsZero());

  // Without an update strategy there is no deployment.
  ir::Job plain = RollingJob(3, 1, "redis:8");
  plain.task_groups[0].update.reset();
  ScheduleResult none = Register(plain);
  EXPECT_FALSE(none.plan.deployment.has_value());
  for (const Allocation& a : Placed(none.plan)) EXPECT_TRUE(a.deployment_id.IsZero());
}

TEST_F(DeploymentTest, InFlightAllocationsLimitTheRollout) {
  AddNodes(3);
  RegisterAndApply(RollingJob());
  ScheduleResult v1 = Register(RollingJob(3, 1, "redis:8"));
  ASSERT_TRUE(v1.plan.deployment.has_value());
  EXPECT_EQ(v1.plan.deployment->task_groups.at("web").desired_total, 3);
  EXPECT_EQ(v1.plan.desired_tg_updates.at("web").destructive_update, 1u);
  EXPECT_EQ(v1.plan.desired_tg_updates.at("web").ignore, 2u);
  Apply(v1);
  const model::Id d1 = v1.plan.deployment->id;
  ASSERT_EQ(LiveOf(1).size(), 1u);
  EXPECT_EQ(LiveOf(1)[0].deployment_id, d1);
  EXPECT_EQ(LiveOf(1)[0].index, 0u);  // the lowest name first

  // The replacement's health is not known yet: nothing more may start.
  ScheduleResult waiting = Evaluate(RollingJob(3, 1, "redis:8"), "deployment-watcher");
  EXPECT_TRUE(waiting.plan.IsNoOp());
  EXPECT_EQ(waiting.plan.desired_tg_updates.at("web").destructive_update, 0u);
  // Ignored: the two waiting, the new one, and the replaced one (stopped).
  EXPECT_EQ(waiting.plan.desired_tg_updates.at("web").ignore, 4u);

  // Healthy: the next one goes.
  SetHealth(LiveOf(1)[0].id, true);
  ScheduleResult next = Evaluate(RollingJob(3, 1, "redis:8"), "deployment-watcher");
  EXPECT_EQ(next.plan.desired_tg_updates.at("web").destructive_update, 1u);
  ASSERT_EQ(Placed(next.plan).size(), 1u);
  EXPECT_EQ(Placed(next.plan)[0].deployment_id, d1);
  EXPECT_EQ(Placed(next.plan)[0].index, 1u);
  EXPECT_FALSE(next.plan.deployment.has_value());
  Apply(next);

  // Unhealthy: the rollout stops.
  for (const Allocation& a : LiveOf(1)) {
    if (!a.deployment_status) SetHealth(a.id, false);
  }
  ScheduleResult stuck = Evaluate(RollingJob(3, 1, "redis:8"), "deployment-watcher");
  EXPECT_EQ(stuck.plan.desired_tg_updates.at("web").destructive_update, 0u);
  EXPECT_TRUE(stuck.plan.IsNoOp());
}

TEST_F(DeploymentTest, MaxParallelCountsWhatIsInFlight) {
  AddNodes(5);
  RegisterAndApply(RollingJob(5, 2));
  ScheduleResult v1 = Register(RollingJob(5, 2, "redis:8"));
  EXPECT_EQ(v1.plan.desired_tg_updates.at("web").destructive_update, 2u);
  Apply(v1);
  std::vector<Allocation> batch = LiveOf(1);
  ASSERT_EQ(batch.size(), 2u);
  SetHealth(batch[0].id, true);
  // One healthy, one still in flight: one more.
  ScheduleResult next = Evaluate(RollingJob(5, 2, "redis:8"), "deployment-watcher");
  EXPECT_EQ(next.plan.desired_tg_updates.at("web").destructive_update, 1u);
  Apply(next);
  // Run every batch to the end: never more than two in flight, every old one replaced.
  for (int round = 0; round < 10 && LiveOf(0).size() > 0; ++round) {
    int in_flight = 0;
    for (const Allocation& a : LiveOf(1)) {
      if (!a.deployment_status) ++in_flight;
    }
    EXPECT_LE(in_flight, 2);
    for (const Allocation& a : LiveOf(1)) {
      if (!a.deployment_status) SetHealth(a.id, true);
    }
    Apply(Evaluate(RollingJob(5, 2, "redis:8"), "deployment-watcher"));
  }
  EXPECT_EQ(LiveOf(0).size(), 0u);
  EXPECT_EQ(LiveOf(1).size(), 5u);
  std::set<uint32_t> names;
  for (const Allocation& a : LiveOf(1)) names.insert(a.index);
  EXPECT_EQ(names, (std::set<uint32_t>{0, 1, 2, 3, 4}));
}

TEST_F(DeploymentTest, ANewerVersionCancelsTheRunningDeployment) {
  AddNodes(3);
  ScheduleResult v0 = RegisterAndApply(RollingJob());
  ScheduleResult v1 = Register(RollingJob(3, 1, "redis:8"));
  ASSERT_TRUE(v1.plan.deployment.has_value());
  ASSERT_EQ(v1.plan.deployment_updates.size(), 1u);
  EXPECT_EQ(v1.plan.deployment_updates[0].deployment_id, v0.plan.deployment->id);
  EXPECT_EQ(v1.plan.deployment_updates[0].status, "cancelled");
  EXPECT_EQ(v1.plan.deployment_updates[0].status_description,
            "Cancelled due to newer version of job");
  Apply(v1);
  EXPECT_EQ(state.GetDeployment(v0.plan.deployment->id)->status, "cancelled");
  EXPECT_EQ(Latest()->id, v1.plan.deployment->id);
  EXPECT_EQ(Latest()->job_version, 1u);
  // A finished deployment is left as it is.
  SetDeploymentStatus(v1.plan.deployment->id, model::deployment_status::kFailed);
  ScheduleResult v2 = Register(RollingJob(3, 1, "redis:9"));
  EXPECT_TRUE(v2.plan.deployment_updates.empty());
  ASSERT_TRUE(v2.plan.deployment.has_value());
}

TEST_F(DeploymentTest, StoppingTheJobCancelsItsDeployment) {
  AddNodes(3);
  ScheduleResult v0 = RegisterAndApply(RollingJob());
  model::JobVersion stopped = *state.GetJob({"default", "my-job"});
  stopped.stop = true;
  stopped.version += 1;
  stopped.job_modify_index = 0;
  state.UpsertJobVersion(stopped, Next());
  ScheduleResult r = Evaluate(RollingJob(), "job-deregister");
  ASSERT_EQ(r.plan.deployment_updates.size(), 1u);
  EXPECT_EQ(r.plan.deployment_updates[0].deployment_id, v0.plan.deployment->id);
  EXPECT_EQ(r.plan.deployment_updates[0].status_description, "Cancelled because job is stopped");
  EXPECT_FALSE(r.plan.deployment.has_value());
  EXPECT_EQ(Stops(r.plan).size(), 3u);
}

TEST_F(DeploymentTest, AFailedDeploymentStartsNothingNew) {
  AddNodes(3);
  RegisterAndApply(RollingJob());
  ScheduleResult v1 = RegisterAndApply(RollingJob(3, 1, "redis:8"));
  SetDeploymentStatus(v1.plan.deployment->id, model::deployment_status::kFailed);
  for (const Allocation& a : LiveOf(1)) SetHealth(a.id, true);
  ScheduleResult r = Evaluate(RollingJob(3, 1, "redis:8"), "deployment-watcher");
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").destructive_update, 0u);
  EXPECT_TRUE(r.plan.IsNoOp());
  EXPECT_TRUE(r.eval.deployment_id.IsZero());
}

TEST_F(DeploymentTest, AnInPlaceUpdateJoinsTheDeploymentWithItsHealthReset) {
  AddNodes(3);
  ScheduleResult v0 = RegisterAndApply(RollingJob());
  for (const Allocation& a : Live("my-job")) SetHealth(a.id, true);
  SetDeploymentStatus(v0.plan.deployment->id, model::deployment_status::kSuccessful);
  // Scaling up changes no task: the three update in place, two are new.
  ScheduleResult v1 = Register(RollingJob(5));
  ASSERT_TRUE(v1.plan.deployment.has_value());
  EXPECT_EQ(v1.plan.deployment->task_groups.at("web").desired_total, 5);
  EXPECT_EQ(v1.plan.desired_tg_updates.at("web").in_place_update, 3u);
  EXPECT_EQ(v1.plan.desired_tg_updates.at("web").place, 2u);
  std::vector<Allocation> placed = Placed(v1.plan);
  ASSERT_EQ(placed.size(), 5u);
  for (const Allocation& a : placed) {
    EXPECT_EQ(a.deployment_id, v1.plan.deployment->id);
    EXPECT_FALSE(a.deployment_status.has_value());
  }
}

TEST_F(DeploymentTest, AFailedAllocationOfTheDeploymentWaitsForTheWatcher) {
  AddNodes(3);
  RegisterAndApply(RollingJob());
  ScheduleResult v1 = RegisterAndApply(RollingJob(3, 1, "redis:8"));
  Allocation failed = LiveOf(1)[0];
  SetClientStatus(failed.id, model::ClientStatus::kFailed, now - 60'000'000'000);
  SetHealth(failed.id, false);
  ScheduleResult held = Evaluate(RollingJob(3, 1, "redis:8"), "alloc-failure");
  EXPECT_EQ(held.plan.desired_tg_updates.at("web").place, 0u);
  EXPECT_TRUE(held.plan.IsNoOp());

  // The watcher allows a replacement: it is rescheduled, within the deployment.
  Allocation allowed = *state.GetAlloc(failed.id);
  allowed.reschedule = true;
  state.UpsertAlloc(allowed, Next());
  ScheduleResult r = Evaluate(RollingJob(3, 1, "redis:8"), "deployment-watcher");
  EXPECT_EQ(r.plan.desired_tg_updates.at("web").place, 1u);
  ASSERT_EQ(Placed(r.plan).size(), 1u);
  EXPECT_EQ(Placed(r.plan)[0].previous_allocation, failed.id);
  EXPECT_EQ(Placed(r.plan)[0].deployment_id, v1.plan.deployment->id);
}

TEST_F(DeploymentTest, DryRunOfANewVersionShowsTheFirstBatch) {
  AddNodes(3);
  RegisterAndApply(RollingJob());
  DryRunResult dry = DryRun(state, RollingJob(3, 1, "redis:8"), now, seed);
  EXPECT_EQ(dry.result.plan.desired_tg_updates.at("web").destructive_update, 1u);
  EXPECT_EQ(dry.result.plan.desired_tg_updates.at("web").ignore, 2u);
  EXPECT_TRUE(dry.result.plan.deployment.has_value());
  // Nothing was written.
  EXPECT_EQ(state.DeploymentsByJob({"default", "my-job"}).size(), 1u);
}

TEST_F(DeploymentTest, ApplyingASuccessfulUpdateMakesTheVersionStable) {
  AddNodes(3);
  ScheduleResult v0 = RegisterAndApply(RollingJob());
  PlanResult result;
  result.deployment_updates.push_back({v0.plan.deployment->id,
                                       std::string(model::deployment_status::kSuccessful),
                                       std::string(model::deployment_desc::kSuccessful)});
  ApplyPlanResult(state, result, Next());
  EXPECT_EQ(state.GetDeployment(v0.plan.deployment->id)->status, "successful");
  EXPECT_TRUE(state.GetJob({"default", "my-job"})->stable);
  // A finished deployment keeps its status.
  result.deployment_updates[0].status = "cancelled";
  ApplyPlanResult(state, result, Next());
  EXPECT_EQ(state.GetDeployment(v0.plan.deployment->id)->status, "successful");
}

}  // namespace
}  // namespace drover::scheduler
