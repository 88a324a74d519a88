// The server core against the real scheduler: register -> evaluation -> plan -> allocations,
// optimistic concurrency (a plan that no longer fits is refused and retried on fresh state),
// broker redelivery and the delivery limit, blocked evaluations, heartbeat TTL expiry (node down
// -> allocations lost -> replaced elsewhere), stop/purge, restart recovery, client updates.
//
// Time is a ManualClock and the ticker is off: the tests move time and call Tick(). Workers are
// real threads; every wait is bounded.
#include "runtime/server/server.h"

#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "compiler/sema/canonicalize.h"
#include "runtime/server/server_error.h"
#include "runtime/store/leveldb_state_store.h"
#include "tests/runtime/runtime_fixtures.h"

namespace drover::server {
namespace {

using namespace std::chrono_literals;
using model::Allocation;
using model::JobKey;

ir::Job Job(const std::string& id, int count = 1, int cpu = 100, int memory = 64,
            ir::JobType type = ir::JobType::kService) {
  ir::Job job = testing::MockJob(id, count, cpu, memory);
  job.type = type;
  sema::Canonicalize(job);
  return job;
}

/// A store whose writes can be made to fail: those that write allocations (plan applies), or all.
class FlakyStore final : public store::StateStore {
 public:
  std::atomic<bool> fail_plans{false};
  std::atomic<int> failures{0};

 protected:
  llvm::Error Persist(const store::Changes& c, store::Index, const model::State&) override {
    if (fail_plans && !c.allocs.empty()) {
      ++failures;
      return llvm::createStringError(std::errc::io_error, "disk on fire");
    }
    return llvm::Error::success();
  }
};

/// Polls `pred` every 5 ms for up to 10 s.
template <typename Pred>
bool Eventually(Pred pred) {
  for (int i = 0; i < 2000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

class ServerTest : public ::testing::Test {
 protected:
  ServerConfig Config() {
    ServerConfig c;
    c.num_workers = 1;
    c.seed = 42;
    c.tick_interval = 0ms;
    c.heartbeat_stagger = false;
    c.min_heartbeat_ttl = 10s;
    c.heartbeat_grace = 5s;
    c.broker.initial_nack_delay = 1s;
    c.broker.subsequent_nack_delay = 1s;
    return c;
  }

  void Start(ServerConfig config, store::StateStore* store = nullptr, bool run = true) {
    server_ = std::make_unique<Server>(config, store != nullptr ? *store : store_, clock_);
    if (run) server_->Start();
  }

  store::StateStore& Store() { return server_->store(); }

  model::Node AddNode(const std::string& name, int cpu = 4000, int memory = 8192) {
    model::Node n = testing::MockNode(name, cpu, memory);
    auto r = server_->RegisterNode(n);
    EXPECT_TRUE(static_cast<bool>(r)) << (r ? "" : llvm::toString(r.takeError()));
    return n;
  }

  RegisterResult Register(ir::Job job, RegisterOptions options = {}) {
    auto r = server_->RegisterJob(std::move(job), options);
    if (!r) {
      ADD_FAILURE() << llvm::toString(r.takeError());
      return {};
    }
    return *r;
  }

  void Idle() { ASSERT_TRUE(server_->WaitForIdle(10s)) << "the server did not settle"; }

  std::vector<Allocation> Live(const std::string& job) {
    std::vector<Allocation> out;
    store::ReadView view = Store().Read();
    for (const Allocation* a : view->AllocsByJob({"default", job})) {
      if (!a->IsTerminal()) out.push_back(*a);
    }
    return out;
  }

  std::vector<Allocation> All(const std::string& job) {
    std::vector<Allocation> out;
    store::ReadView view = Store().Read();
    for (const Allocation* a : view->AllocsByJob({"default", job})) out.push_back(*a);
    return out;
  }

  model::Evaluation EvalOf(const model::Id& id) {
    store::ReadView view = Store().Read();
    const model::Evaluation* e = view->GetEval(id);
    return e != nullptr ? *e : model::Evaluation{};
  }

  std::string JobStatusOf(const std::string& job) {
    store::ReadView view = Store().Read();
    const model::JobVersion* j = view->GetJob({"default", job});
    return j != nullptr ? j->status : "<none>";
  }

  store::MemoryStateStore store_;
  ManualClock clock_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, RegisterPlacesAllocationsAndTheJobRuns) {
  Start(Config());
  model::Node n1 = AddNode("n1");
  model::Node n2 = AddNode("n2");
  RegisterResult r = Register(Job("web", 3));
  EXPECT_FALSE(r.eval_id.IsZero());
  EXPECT_EQ(r.eval_create_index, r.index);
  EXPECT_EQ(r.job_modify_index, r.index);
  Idle();
  std::vector<Allocation> allocs = Live("web");
  ASSERT_EQ(allocs.size(), 3u);
  for (const Allocation& a : allocs) {
    EXPECT_TRUE(a.node_id == n1.id || a.node_id == n2.id);
    EXPECT_EQ(a.eval_id, r.eval_id);
    EXPECT_EQ(a.alloc_modify_index, a.create_index);  // the client sees new work
    ASSERT_NE(a.job, nullptr);
    EXPECT_EQ(a.job->version, 0u);
    EXPECT_EQ(a.desired_status, model::DesiredStatus::kRun);
  }
  model::Evaluation e = EvalOf(r.eval_id);
  EXPECT_EQ(e.status, model::EvalStatus::kComplete);
  EXPECT_TRUE(e.blocked_eval.IsZero());
  EXPECT_EQ(JobStatusOf("web"), "running");
  EXPECT_EQ(server_->stats().evals_processed, 1u);
}

TEST_F(ServerTest, VersionsChangeOnlyWithTheSpec) {
  Start(Config());
  AddNode("n1");
  RegisterResult first = Register(Job("web", 1));
  Idle();
  RegisterResult same = Register(Job("web", 1));
  EXPECT_EQ(same.job_modify_index, first.job_modify_index);
  Idle();
  RegisterResult bigger = Register(Job("web", 3));
  EXPECT_GT(bigger.job_modify_index, first.job_modify_index);
  Idle();
  store::ReadView view = Store().Read();
  EXPECT_EQ(view->GetJob({"default", "web"})->version, 1u);
  EXPECT_EQ(view->GetJobVersions({"default", "web"}).size(), 2u);
  size_t live = 0;
  for (const Allocation* a : view->AllocsByJob({"default", "web"})) live += !a->IsTerminal();
  EXPECT_EQ(live, 3u);
}

TEST_F(ServerTest, EnforceIndexRefusesConflicts) {
  Start(Config(), nullptr, /*run=*/false);
  RegisterOptions create_only;
  create_only.enforce_index = true;
  RegisterResult r = Register(Job("web"), create_only);
  auto again = server_->RegisterJob(Job("web", 2), create_only);
  ASSERT_FALSE(again);
  ErrorStatus s = ToStatus(again.takeError());
  EXPECT_EQ(s.status, 400);
  EXPECT_EQ(s.message, "Enforcing job modify index 0: job already exists with job modify index " +
                           std::to_string(r.job_modify_index));
  RegisterOptions stale;
  stale.enforce_index = true;
  stale.job_modify_index = r.job_modify_index + 100;
  auto conflict = server_->RegisterJob(Job("web", 2), stale);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(
      ToStatus(conflict.takeError()).message,
      "Enforcing job modify index " + std::to_string(r.job_modify_index + 100) +
          ": job exists with conflicting job modify index: " + std::to_string(r.job_modify_index));
  RegisterOptions right;
  right.enforce_index = true;
  right.job_modify_index = r.job_modify_index;
  EXPECT_TRUE(static_cast<bool>(server_->RegisterJob(Job("web", 2), right)));
}

TEST_F(ServerTest, APlanThatNoLongerFitsIsRefused) {
  // No workers: the test drives the scheduler and the plan applier by hand.
  Start(Config(), nullptr, /*run=*/false);
  model::Node node = AddNode("small", 4000, 1000);
  RegisterResult a = Register(Job("a", 1, 100, 600));
  RegisterResult b = Register(Job("b", 1, 100, 600));
  model::State snapshot = Store().Snapshot();  // both schedulers read the same state
  scheduler::ScheduleRequest ra{&snapshot, *snapshot.GetEval(a.eval_id), clock_.Now(), 1, {}, {}};
  scheduler::ScheduleRequest rb{&snapshot, *snapshot.GetEval(b.eval_id), clock_.Now(), 2, {}, {}};
  scheduler::Plan plan_a = scheduler::Schedule(ra).plan;
  scheduler::Plan plan_b = scheduler::Schedule(rb).plan;
  ASSERT_EQ(plan_a.AllocationCount(), 1u);
  ASSERT_EQ(plan_b.AllocationCount(), 1u);

  auto applied_a = server_->SubmitPlan(plan_a);
  ASSERT_TRUE(static_cast<bool>(applied_a));
  EXPECT_TRUE(applied_a->FullyCommitted());
  auto applied_b = server_->SubmitPlan(plan_b);
  ASSERT_TRUE(static_cast<bool>(applied_b));
  EXPECT_FALSE(applied_b->FullyCommitted());
  ASSERT_EQ(applied_b->rejected_nodes.size(), 1u);
  EXPECT_EQ(applied_b->rejected_nodes[0].first, node.id);
  EXPECT_GT(applied_b->refresh_index, 0u);
  EXPECT_EQ(All("a").size(), 1u);
  EXPECT_EQ(All("b").size(), 0u);  // nothing of the refused node was written
  EXPECT_LE(Store().Read()->Usage(node.id).memory_mb, 1000);
  EXPECT_EQ(server_->stats().plans_partial, 1u);
}

TEST_F(ServerTest, WorkerRetriesARefusedPlanOnFreshState) {
  Start(Config());
  model::Node n1 = AddNode("n1", 4000, 1000);
  model::Node n2 = AddNode("n2", 4000, 1000);
  // Register a job directly in the store to own the filler allocation.
  model::JobVersion filler;
  filler.spec = Job("filler");
  ASSERT_TRUE(static_cast<bool>(Store().RegisterJobVersion(filler)));
  model::JobVersionPtr filler_version = Store().Read()->GetJobPtr({"default", "filler"});
  int calls = 0;
  model::Id first_target;
  server_->SetBeforeSubmitHookForTesting([&](const scheduler::Plan& plan) {
    if (++calls != 1) return;
    // Between the scheduler's snapshot and the plan applier, someone else fills the node the
    // plan chose.
    first_target = plan.node_allocation.begin()->first;
    Allocation a;
    a.id = testing::NextId();
    a.job_id = "filler";
    a.task_group = "web";
    a.node_id = first_target;
    a.job = filler_version;
    a.resources.tasks.push_back({"server", 100, 0, 900, 0});
    ASSERT_TRUE(static_cast<bool>(Store().UpsertAllocs({a})));
  });
  RegisterResult r = Register(Job("web", 1, 100, 600));
  Idle();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(server_->stats().plans_partial, 1u);
  std::vector<Allocation> allocs = Live("web");
  ASSERT_EQ(allocs.size(), 1u);
  EXPECT_NE(allocs[0].node_id, first_target);  // placed on the other node on the retry
  EXPECT_EQ(EvalOf(r.eval_id).status, model::EvalStatus::kComplete);
  for (const model::Node& n : {n1, n2}) {
    EXPECT_LE(Store().Read()->Usage(n.id).memory_mb, 1000);
  }
}

TEST_F(ServerTest, AFailedEvaluationIsNackedAndRedelivered) {
  FlakyStore flaky;
  Start(Config(), &flaky);
  AddNode("n1");
  flaky.fail_plans = true;
  RegisterResult r = Register(Job("web", 2));
  // The worker's plan write fails: nack, held for the 1 s nack delay.
  ASSERT_TRUE(Eventually([&] { return server_->broker().stats().delayed == 1; }));
  EXPECT_GE(flaky.failures.load(), 1);
  EXPECT_TRUE(Live("web").empty());
  flaky.fail_plans = false;
  clock_.Advance(2s);
  server_->Tick();
  Idle();
  EXPECT_EQ(Live("web").size(), 2u);
  EXPECT_EQ(EvalOf(r.eval_id).status, model::EvalStatus::kComplete);
}

TEST_F(ServerTest, TheDeliveryLimitFailsTheEvaluationWithAFollowUp) {
  FlakyStore flaky;
  ServerConfig config = Config();
  config.broker.delivery_limit = 2;
  Start(config, &flaky);
  AddNode("n1");
  flaky.fail_plans = true;
  RegisterResult r = Register(Job("web"));
  ASSERT_TRUE(Eventually([&] { return server_->broker().stats().delayed == 1; }));
  clock_.Advance(2s);
  server_->Tick();  // second delivery
  ASSERT_TRUE(Eventually([&] {
    server_->Tick();  // collects the failure once the second nack is in
    return EvalOf(r.eval_id).status == model::EvalStatus::kFailed;
  }));
  model::Evaluation failed = EvalOf(r.eval_id);
  EXPECT_EQ(failed.status_description, "evaluation reached delivery limit (2)");
  ASSERT_FALSE(failed.next_eval.IsZero());
  model::Evaluation followup = EvalOf(failed.next_eval);
  EXPECT_EQ(followup.triggered_by, "failed-follow-up");
  EXPECT_EQ(followup.status, model::EvalStatus::kPending);
  EXPECT_GT(followup.wait_until, clock_.Now());
  EXPECT_EQ(server_->stats().evals_failed, 1u);
}

TEST_F(ServerTest, BlockedEvaluationRunsWhenCapacityAppears) {
  Start(Config());
  RegisterResult r = Register(Job("web", 2));
  Idle();
  model::Evaluation done = EvalOf(r.eval_id);
  ASSERT_FALSE(done.blocked_eval.IsZero());
  EXPECT_EQ(EvalOf(done.blocked_eval).status, model::EvalStatus::kBlocked);
  EXPECT_EQ(server_->blocked().size(), 1u);
  EXPECT_EQ(JobStatusOf("web"), "pending");
  AddNode("late");
  Idle();
  EXPECT_EQ(Live("web").size(), 2u);
  EXPECT_EQ(EvalOf(done.blocked_eval).status, model::EvalStatus::kComplete);
  EXPECT_EQ(server_->blocked().size(), 0u);
  EXPECT_EQ(JobStatusOf("web"), "running");
}

TEST_F(ServerTest, MissedHeartbeatMarksTheNodeDownAndReplacesItsAllocations) {
  Start(Config());  // TTL 10 s + grace 5 s, no stagger
  model::Node doomed = AddNode("doomed");
  Register(Job("web", 2));
  Idle();
  std::vector<Allocation> before = Live("web");
  ASSERT_EQ(before.size(), 2u);
  for (const Allocation& a : before) ASSERT_EQ(a.node_id, doomed.id);
  model::Node healthy = AddNode("healthy");
  Idle();

  clock_.Advance(12s);
  ASSERT_TRUE(static_cast<bool>(
      server_->UpdateNodeStatus(healthy.id, healthy.secret_id, model::NodeStatus::kReady)));
  server_->Tick();  // 12 s: nobody is late yet
  EXPECT_EQ(Store().Read()->GetNode(doomed.id)->status, model::NodeStatus::kReady);
  clock_.Advance(4s);  // 16 s > 10 s + 5 s for `doomed`; `healthy` heartbeated at 12 s
  server_->Tick();
  Idle();
  {
    store::ReadView view = Store().Read();
    EXPECT_EQ(view->GetNode(doomed.id)->status, model::NodeStatus::kDown);
    EXPECT_EQ(view->GetNode(healthy.id)->status, model::NodeStatus::kReady);
    for (const Allocation& a : before) {
      const Allocation* now = view->GetAlloc(a.id);
      ASSERT_NE(now, nullptr);
      EXPECT_EQ(now->client_status, model::ClientStatus::kLost);
      EXPECT_EQ(now->desired_status, model::DesiredStatus::kStop);
      EXPECT_FALSE(now->next_allocation.IsZero());
    }
  }
  std::vector<Allocation> after = Live("web");
  ASSERT_EQ(after.size(), 2u);
  for (const Allocation& a : after) {
    EXPECT_EQ(a.node_id, healthy.id);
    EXPECT_FALSE(a.previous_allocation.IsZero());
  }
  bool node_update_eval = false;
  for (const model::Evaluation* e : Store().Read()->EvalsByJob({"default", "web"})) {
    if (e->triggered_by == "node-update" && e->node_id == doomed.id) node_update_eval = true;
  }
  EXPECT_TRUE(node_update_eval);
}

TEST_F(ServerTest, StopThenPurge) {
  Start(Config());
  AddNode("n1");
  Register(Job("web", 2));
  Idle();
  auto stopped = server_->DeregisterJob({"default", "web"}, /*purge=*/false);
  ASSERT_TRUE(static_cast<bool>(stopped));
  Idle();
  EXPECT_TRUE(Live("web").empty());
  for (const Allocation& a : All("web")) EXPECT_EQ(a.desired_status, model::DesiredStatus::kStop);
  {
    store::ReadView view = Store().Read();
    const model::JobVersion* job = view->GetJob({"default", "web"});
    ASSERT_NE(job, nullptr);
    EXPECT_TRUE(job->stop);
    EXPECT_EQ(job->version, 1u);
    EXPECT_EQ(job->status, "dead");
  }
  auto purged = server_->DeregisterJob({"default", "web"}, /*purge=*/true);
  ASSERT_TRUE(static_cast<bool>(purged));
  Idle();
  EXPECT_EQ(Store().Read()->GetJob({"default", "web"}), nullptr);
  auto missing = server_->DeregisterJob({"default", "web"}, false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(ToStatus(missing.takeError()).status, 404);
}

TEST_F(ServerTest, ClientUpdatesDriveJobStatusAndFailures) {
  Start(Config());
  model::Node node = AddNode("n1");
  Register(Job("batch", 2, 100, 64, ir::JobType::kBatch));
  Idle();
  std::vector<Allocation> allocs = Live("batch");
  ASSERT_EQ(allocs.size(), 2u);
  std::vector<AllocClientUpdate> updates;
  for (const Allocation& a : allocs) {
    AllocClientUpdate u;
    u.id = a.id;
    u.client_status = model::ClientStatus::kComplete;
    u.client_description = "All tasks have completed";
    u.task_states["server"].state = "dead";
    updates.push_back(u);
  }
  auto index = server_->UpdateAllocs(node.id, node.secret_id, updates);
  ASSERT_TRUE(static_cast<bool>(index)) << llvm::toString(index.takeError());
  Idle();
  EXPECT_EQ(JobStatusOf("batch"), "dead");
  {
    store::ReadView view = Store().Read();
    const Allocation* a = view->GetAlloc(allocs[0].id);
    EXPECT_EQ(a->client_status, model::ClientStatus::kComplete);
    EXPECT_EQ(a->task_states.at("server").state, "dead");
    EXPECT_EQ(a->alloc_modify_index, allocs[0].alloc_modify_index);  // client changes keep it
  }
  // Someone else's secret, or an allocation of another node, is refused.
  auto wrong = server_->UpdateAllocs(node.id, "not-the-secret", updates);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(ToStatus(wrong.takeError()).status, 403);
}

TEST_F(ServerTest, AFailedAllocationCreatesAnAllocFailureEvaluation) {
  Start(Config());
  model::Node node = AddNode("n1");
  Register(Job("web", 1));
  Idle();
  std::vector<Allocation> allocs = Live("web");
  ASSERT_EQ(allocs.size(), 1u);
  AllocClientUpdate u;
  u.id = allocs[0].id;
  u.client_status = model::ClientStatus::kFailed;
  auto index = server_->UpdateAllocs(node.id, node.secret_id, {u});
  ASSERT_TRUE(static_cast<bool>(index));
  bool found = false;
  for (const model::Evaluation* e : Store().Read()->EvalsByJob({"default", "web"})) {
    if (e->triggered_by == "alloc-failure") found = true;
  }
  EXPECT_TRUE(found);
}

TEST_F(ServerTest, NodeCallsCheckTheSecretAndTheNode) {
  Start(Config(), nullptr, /*run=*/false);
  model::Node n = AddNode("n1");
  auto wrong = server_->UpdateNodeStatus(n.id, "wrong", model::NodeStatus::kReady);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(ToStatus(wrong.takeError()).status, 403);
  auto unknown = server_->UpdateNodeStatus(testing::NextId(), "x", model::NodeStatus::kReady);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(ToStatus(unknown.takeError()).status, 404);
  model::Node impostor = n;
  impostor.secret_id = "other";
  auto takeover = server_->RegisterNode(impostor);
  ASSERT_FALSE(takeover);
  EXPECT_EQ(ToStatus(takeover.takeError()).status, 403);
  model::Node down = testing::MockNode("bad");
  down.status = model::NodeStatus::kDown;
  auto bad = server_->RegisterNode(down);
  ASSERT_FALSE(bad);
  EXPECT_EQ(ToStatus(bad.takeError()).status, 400);
  auto ok = server_->UpdateNodeStatus(n.id, n.secret_id, model::NodeStatus::kReady);
  ASSERT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(ok->heartbeat_ttl, std::chrono::seconds(10));
}

TEST_F(ServerTest, ARestartedServerFinishesPendingEvaluations) {
  char tmpl[] = "/tmp/drover-server-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  model::Id eval_id;
  {
    auto store = store::LevelDbStateStore::Open(dir);
    ASSERT_TRUE(static_cast<bool>(store));
    Server first(Config(), **store, clock_);  // never started: nothing is scheduled
    ASSERT_TRUE(static_cast<bool>(first.RegisterNode(testing::MockNode("n1"))));
    auto r = first.RegisterJob(Job("web", 2));
    ASSERT_TRUE(static_cast<bool>(r));
    eval_id = r->eval_id;
  }
  {
    auto store = store::LevelDbStateStore::Open(dir);
    ASSERT_TRUE(static_cast<bool>(store));
    EXPECT_EQ((*store)->Read()->GetEval(eval_id)->status, model::EvalStatus::kPending);
    Server second(Config(), **store, clock_);
    second.Start();
    ASSERT_TRUE(second.WaitForIdle(10s));
    EXPECT_EQ((*store)->Read()->GetEval(eval_id)->status, model::EvalStatus::kComplete);
    size_t live = 0;
    for (const Allocation* a : (*store)->Read()->AllocsByJob({"default", "web"})) {
      live += !a->IsTerminal();
    }
    EXPECT_EQ(live, 2u);
    second.Stop();
  }
  std::filesystem::remove_all(dir);
}

TEST_F(ServerTest, JobStatusFollowsNomadsRules) {
  model::State state;
  model::JobVersion job;
  job.spec = Job("web");
  state.UpsertJobVersion(job, 1);
  const model::JobVersion& stored = *state.GetJob({"default", "web"});
  EXPECT_EQ(JobStatus(state, stored), "pending");  // nothing yet
  store::Changes pending;
  model::Evaluation e;
  e.id = testing::NextId();
  e.job_id = "web";
  pending.evals.push_back(e);
  EXPECT_EQ(JobStatus(state, stored, &pending), "pending");
  pending.evals[0].status = model::EvalStatus::kComplete;
  EXPECT_EQ(JobStatus(state, stored, &pending), "dead");  // all finished
  Allocation a;
  a.id = testing::NextId();
  a.job_id = "web";
  pending.allocs.push_back(a);
  EXPECT_EQ(JobStatus(state, stored, &pending), "running");
  model::JobVersion stopped = stored;
  stopped.stop = true;
  EXPECT_EQ(JobStatus(state, stopped, &pending), "dead");
  model::JobVersion system = stored;
  system.spec.type = ir::JobType::kSystem;
  EXPECT_EQ(JobStatus(state, system), "running");
}

}  // namespace
}  // namespace drover::server
