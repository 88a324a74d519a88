// Rolling deployments through the server: a fake client reports allocation health with
// Node.UpdateAlloc (Server::UpdateAllocs), the deployment watcher recounts and creates
// `deployment-watcher` evaluations, and the update goes batch by batch to a successful deployment
// and a stable version; the progress deadline (moved by Tick) fails a deployment and auto revert
// registers the stable version again; an unhealthy allocation that may not be rescheduled fails
// one at once.
//
// Time is a ManualClock and the ticker is off; workers are real threads, every wait is bounded.
#include <gtest/gtest.h>

#include <thread>

#include "compiler/sema/canonicalize.h"
#include "runtime/server/server.h"
#include "tests/runtime/runtime_fixtures.h"

namespace drover::server {
namespace {

using namespace std::chrono_literals;
using model::Allocation;

class DeploymentServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerConfig c;
    c.num_workers = 1;
    c.seed = 7;
    c.tick_interval = 0ms;
    c.heartbeat_stagger = false;
    c.min_heartbeat_ttl = 1h;  // heartbeats are not what these tests are about
    server_ = std::make_unique<Server>(c, store_, clock_);
    server_->Start();
    for (const char* name : {"n1", "n2", "n3"}) {
      model::Node n = testing::MockNode(name);
      ASSERT_TRUE(static_cast<bool>(server_->RegisterNode(n)));
      nodes_[n.id] = n;
    }
  }

  /// "web": three allocations, the canonical update strategy (max_parallel 1) with changes.
  static ir::Job Web(const std::string& arg, bool auto_revert = false) {
    ir::Job job = testing::MockJob("web", 3);
    job.task_groups[0].tasks[0].config = {{"command", "/bin/sleep"}, {"args", {arg}}};
    ir::UpdateStrategy u;
    u.auto_revert = auto_revert;
    job.task_groups[0].update = u;
    sema::Canonicalize(job);
    return job;
  }

  void Register(ir::Job job) {
    auto r = server_->RegisterJob(std::move(job));
    ASSERT_TRUE(static_cast<bool>(r)) << llvm::toString(r.takeError());
    Idle();
  }
  void Idle() { ASSERT_TRUE(server_->WaitForIdle(10s)) << "the server did not settle"; }

  std::vector<Allocation> Live(std::optional<uint64_t> version = {}) {
    std::vector<Allocation> out;
    store::ReadView view = store_.Read();
    for (const Allocation* a : view->AllocsByJob({"default", "web"})) {
      if (a->IsTerminal() || (version && a->job->version != *version)) continue;
      out.push_back(*a);
    }
    return out;
  }
  model::Deployment Latest() {
    store::ReadView view = store_.Read();
    const model::Deployment* d = view->LatestDeployment({"default", "web"});
    return d != nullptr ? *d : model::Deployment{};
  }
  model::JobVersion Version(uint64_t v) {
    store::ReadView view = store_.Read();
    model::JobVersionPtr p = view->GetJobVersion({"default", "web"}, v);
    return p != nullptr ? *p : model::JobVersion{};
  }

  /// What a client reports: running, with the health it decided (none when empty).
  void Report(const Allocation& a, std::optional<bool> healthy,
              model::ClientStatus status = model::ClientStatus::kRunning) {
    AllocClientUpdate u;
    u.id = a.id;
    u.client_status = status;
    u.client_description = "reported by the test";
    if (healthy) u.deployment_status = model::AllocDeploymentStatus{healthy, 0, false, 0};
    const model::Node& n = nodes_.at(a.node_id);
    auto index = server_->UpdateAllocs(n.id, n.secret_id, {u});
    ASSERT_TRUE(static_cast<bool>(index)) << llvm::toString(index.takeError());
  }
  /// Reports every live allocation whose health is not known yet as healthy.
  int ReportNewOnesHealthy() {
    int n = 0;
    for (const Allocation& a : Live()) {
      if (a.deployment_id.IsZero() || a.deployment_status) continue;
      Report(a, true);
      ++n;
    }
    return n;
  }
  size_t WatcherEvals() {
    store::ReadView view = store_.Read();
    size_t n = 0;
    for (const model::Evaluation* e : view->EvalsByJob({"default", "web"})) {
      if (e->triggered_by == "deployment-watcher") {
        EXPECT_FALSE(e->deployment_id.IsZero());
        ++n;
      }
    }
    return n;
  }

  store::MemoryStateStore store_;
  ManualClock clock_;
  std::unique_ptr<Server> server_;
  std::map<model::Id, model::Node> nodes_;
};

TEST_F(DeploymentServerTest, HealthReportsRollTheUpdateBatchByBatch) {
  Register(Web("1000"));
  model::Deployment d0 = Latest();
  ASSERT_FALSE(d0.id.IsZero());
  EXPECT_EQ(d0.status, "running");
  EXPECT_EQ(d0.task_groups.at("web").desired_total, 3);
  EXPECT_EQ(d0.task_groups.at("web").placed_allocs, 3);  // recounted when the plan was applied
  ASSERT_EQ(Live().size(), 3u);
  EXPECT_EQ(ReportNewOnesHealthy(), 3);
  Idle();
  EXPECT_EQ(Latest().status, "successful");
  EXPECT_EQ(Latest().status_description, "Deployment completed successfully");
  EXPECT_EQ(Latest().task_groups.at("web").healthy_allocs, 3);
  EXPECT_TRUE(Version(0).stable);

  // Version 1 replaces one allocation at a time, each once the one before is healthy.
  Register(Web("2000"));
  model::Deployment d1 = Latest();
  ASSERT_NE(d1.id, d0.id);
  EXPECT_EQ(d1.job_version, 1u);
  int rounds = 0;
  while (Latest().status == "running" && rounds < 10) {
    ++rounds;
    int in_flight = 0;
    for (const Allocation& a : Live(1)) {
      EXPECT_EQ(a.deployment_id, d1.id);
      if (!a.deployment_status) ++in_flight;
    }
    EXPECT_EQ(in_flight, 1) << "round " << rounds;
    EXPECT_EQ(Live(1).size(), static_cast<size_t>(rounds));
    EXPECT_EQ(Live().size(), 3u);
    ReportNewOnesHealthy();
    Idle();
  }
  EXPECT_EQ(rounds, 3);
  EXPECT_EQ(Live(0).size(), 0u);
  EXPECT_EQ(Live(1).size(), 3u);
  EXPECT_EQ(Latest().id, d1.id);
  EXPECT_EQ(Latest().status, "successful");
  EXPECT_EQ(Latest().task_groups.at("web").healthy_allocs, 3);
  EXPECT_TRUE(Version(1).stable);
  // A watcher evaluation after each of the first two batches (the third completed it).
  EXPECT_GE(WatcherEvals(), 2u);
  // Reporting the same health again changes nothing about the deployment.
  model::Index deployment_index = Latest().modify_index;
  size_t evals = WatcherEvals();
  model::Index before = store_.LatestIndex();
  Report(Live(1)[0], true);
  Idle();
  EXPECT_GT(store_.LatestIndex(), before);  // the client update itself is written
  EXPECT_EQ(Latest().modify_index, deployment_index);
  EXPECT_EQ(WatcherEvals(), evals);
}

TEST_F(DeploymentServerTest, ANewVersionCancelsTheRunningDeployment) {
  Register(Web("1000"));
  model::Deployment d0 = Latest();
  Register(Web("2000"));
  store::ReadView view = store_.Read();
  const model::Deployment* old = view->GetDeployment(d0.id);
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->status, "cancelled");
  EXPECT_EQ(old->status_description, "Cancelled due to newer version of job");
  EXPECT_EQ(view->LatestDeployment({"default", "web"})->job_version, 1u);
}

TEST_F(DeploymentServerTest, ProgressDeadlineFailsTheDeploymentAndAutoRevertRollsBack) {
  Register(Web("1000", /*auto_revert=*/true));
  ReportNewOnesHealthy();
  Idle();
  ASSERT_TRUE(Version(0).stable);
  Register(Web("2000", /*auto_revert=*/true));
  model::Deployment d1 = Latest();
  ASSERT_EQ(d1.job_version, 1u);
  ASSERT_EQ(Live(1).size(), 1u);
  // Nobody reports: the progress deadline (10 minutes, the canonical one) passes.
  clock_.Advance(10min - 1s);
  server_->Tick();
  Idle();
  EXPECT_EQ(Latest().status, "running");
  clock_.Advance(2s);
  server_->Tick();
  Idle();
  store::ReadView view = store_.Read();
  const model::Deployment* failed = view->GetDeployment(d1.id);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->status, "failed");
  EXPECT_EQ(failed->status_description,
            "Failed due to progress deadline - rolling back to job version 0");
  const model::JobVersion* job = view->GetJob({"default", "web"});
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(job->version, 2u);
  EXPECT_EQ(job->spec, Version(0).spec);
  // The reverted version is deployed: its deployment replaces the version 1 allocation.
  const model::Deployment* d2 = view->LatestDeployment({"default", "web"});
  ASSERT_NE(d2, nullptr);
  EXPECT_EQ(d2->job_version, 2u);
  EXPECT_EQ(d2->status, "running");
}

TEST_F(DeploymentServerTest, AnUnhealthyAllocationWithNoReschedulesLeftFailsTheDeployment) {
  ir::Job v0 = Web("1000");
  ir::ReschedulePolicy none;
  none.attempts = 0;
  none.unlimited = false;
  v0.task_groups[0].reschedule_policy = none;
  Register(v0);
  ReportNewOnesHealthy();
  Idle();
  ir::Job v1 = v0;
  v1.task_groups[0].tasks[0].config = {{"command", "/bin/false"}};
  Register(v1);
  std::vector<Allocation> fresh = Live(1);
  ASSERT_EQ(fresh.size(), 1u);
  Report(fresh[0], false, model::ClientStatus::kFailed);
  Idle();
  model::Deployment d = Latest();
  EXPECT_EQ(d.job_version, 1u);
  EXPECT_EQ(d.status, "failed");
  EXPECT_EQ(d.status_description, "Failed due to unhealthy allocations");
  EXPECT_EQ(d.task_groups.at("web").unhealthy_allocs, 1);
  // A failed deployment replaces nothing more: two allocations of version 0 still run.
  EXPECT_EQ(Live(0).size(), 2u);
  EXPECT_FALSE(Version(1).stable);
}

TEST_F(DeploymentServerTest, AnUnhealthyReschedulableAllocationIsReplacedWithinTheDeployment) {
  Register(Web("1000"));
  ReportNewOnesHealthy();
  Idle();
  Register(Web("2000"));
  model::Deployment d1 = Latest();
  std::vector<Allocation> fresh = Live(1);
  ASSERT_EQ(fresh.size(), 1u);
  Report(fresh[0], false, model::ClientStatus::kFailed);
  // The watcher allows its replacement; the scheduler then waits for the reschedule delay (a
  // delayed evaluation, so the broker is not idle until the clock passes it).
  auto allowed = [&] {
    store::ReadView view = store_.Read();
    const Allocation* old = view->GetAlloc(fresh[0].id);
    return old != nullptr && old->reschedule && !old->followup_eval_id.IsZero();
  };
  for (int i = 0; i < 2000 && !allowed(); ++i) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(allowed());
  EXPECT_EQ(Latest().status, "running");
  // After the reschedule delay (30 s for a service job) the replacement joins the deployment.
  clock_.Advance(31s);
  server_->Tick();
  Idle();
  std::vector<Allocation> replaced = Live(1);
  ASSERT_EQ(replaced.size(), 1u);
  EXPECT_EQ(replaced[0].previous_allocation, fresh[0].id);
  EXPECT_EQ(replaced[0].deployment_id, d1.id);
  EXPECT_EQ(Latest().id, d1.id);
  EXPECT_EQ(Latest().task_groups.at("web").placed_allocs, 2);
}

}  // namespace
}  // namespace drover::server
