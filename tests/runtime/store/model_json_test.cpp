// The Nomad API JSON of the model objects: every field survives a round trip, the keys are
// Nomad's, and bad input is an error with a JSON path (never an exception).
#include "runtime/store/model_json.h"

#include <gtest/gtest.h>

#include "runtime/store/job_codec.h"
#include "runtime/store/json_read.h"
#include "tests/runtime/runtime_fixtures.h"

namespace drover::store {
namespace {

using testing::MockJob;
using testing::MockNode;
using testing::NextId;

model::JobVersionPtr Version(const std::string& id, uint64_t v) {
  model::JobVersion job;
  job.spec = MockJob(id, 2);
  job.version = v;
  job.status = "running";
  job.submit_time = 1'700'000'000'123'456'789;
  job.create_index = 5;
  job.modify_index = 9;
  job.job_modify_index = 7;
  return std::make_shared<const model::JobVersion>(std::move(job));
}

model::Allocation FullAlloc(model::JobVersionPtr job) {
  model::Allocation a;
  a.id = NextId();
  a.eval_id = NextId();
  a.job_id = job->spec.id;
  a.task_group = "web";
  a.index = 3;
  a.node_id = NextId();
  a.node_name = "node-1";
  a.job = job;
  a.resources.tasks.push_back({"server", 100, 0, 64, 128});
  a.resources.disk_mb = 300;
  a.resources.mbits = 10;
  a.resources.network_mode = "host";
  a.resources.ports.push_back({"http", 23456, 8080, "127.0.0.1"});
  auto metric = std::make_shared<model::AllocMetric>();
  metric->nodes_evaluated = 3;
  metric->nodes_available = {{"dc1", 3}};
  metric->dimension_exhausted = {{"memory", 1}};
  model::NodeScoreMeta score;
  score.node_id = a.node_id;
  score.Set(model::Scorer::kBinpack, 0.5);
  score.Set(model::Scorer::kAllocationSpread, 0);  // present with 0 is kept apart from absent
  score.norm_score = 0.25;
  metric->score_meta.push_back(score);
  metric->allocation_time = std::chrono::microseconds(1500);
  a.metrics = metric;
  a.desired_status = model::DesiredStatus::kStop;
  a.desired_description = "alloc is being updated";
  a.migrate = true;
  a.client_status = model::ClientStatus::kRunning;
  a.client_description = "Tasks are running";
  model::TaskState ts;
  ts.state = "running";
  ts.restarts = 1;
  ts.started_at = 1'700'000'001'000'000'000;
  ts.last_restart = 1'700'000'000'500'000'000;
  ts.events.push_back(
      {"Started", 1'700'000'001'000'000'000, "Task started by client", {}, 0, 0, false});
  a.task_states["server"] = ts;
  a.deployment_id = NextId();
  a.deployment_status = model::AllocDeploymentStatus{true, 1'700'000'002'000'000'000, true, 12};
  a.reschedule_tracker.push_back(
      {1'700'000'000'000'000'000, NextId(), NextId(), std::chrono::seconds(30)});
  a.previous_allocation = NextId();
  a.followup_eval_id = NextId();
  a.create_index = 10;
  a.modify_index = 11;
  a.alloc_modify_index = 10;
  a.create_time = 1'700'000'000'000'000'001;
  a.modify_time = 1'700'000'000'000'000'002;
  return a;
}

TEST(TimeFormat, RoundTripsAndMatchesGo) {
  EXPECT_EQ(FormatTime(0), "0001-01-01T00:00:00Z");
  EXPECT_EQ(ParseTime("0001-01-01T00:00:00Z"), 0);
  EXPECT_EQ(FormatTime(1'500'000'000'000'000'000), "2017-07-14T02:40:00Z");
  EXPECT_EQ(FormatTime(1'500'000'000'120'000'000), "2017-07-14T02:40:00.12Z");
  for (model::Time t : {int64_t{1}, int64_t{-1'000'000'001}, int64_t{1'700'000'000'123'456'789},
                        int64_t{951'782'400'000'000'000} /* 2000-02-29 */}) {
    EXPECT_EQ(ParseTime(FormatTime(t)), t) << FormatTime(t);
  }
  EXPECT_EQ(ParseTime("2017-07-14T04:40:00+02:00"), 1'500'000'000'000'000'000);
  for (const char* bad : {"", "2017-07-14", "2017-13-14T02:40:00Z", "2017-07-14T02:40:00",
                          "2017-07-14T02:40:00.Z", "2017-07-14T02:40:00Zjunk"}) {
    EXPECT_FALSE(ParseTime(bad).has_value()) << bad;
  }
  // Only Go's zero time as written is "not set"; the leap second that lands on the same instant is
  // before year 1678 like any other such time, so it does not fit int64 nanoseconds.
  EXPECT_EQ(ParseTime("0001-01-01T00:00:00+00:00"), 0);
  EXPECT_FALSE(ParseTime("0000-12-31T23:59:60Z").has_value());
  EXPECT_FALSE(ParseTime("1677-01-01T00:00:00Z").has_value());
  EXPECT_FALSE(ParseTime("2263-01-01T00:00:00Z").has_value());
}

TEST(ModelJson, NodeRoundTripsWithNomadKeys) {
  model::Node n = MockNode("node-1");
  n.meta = {{"rack", "r1"}};
  n.reserved = {100, 256, 1024, {22, 80, 8000, 8001, 8002}};
  n.events.push_back({"Node registered", "Cluster", {}, 1'700'000'000'000'000'000});
  n.drain = true;
  n.eligible = false;
  n.create_index = 3;
  n.modify_index = 4;
  json j = EncodeNode(n);
  EXPECT_EQ(j["SchedulingEligibility"], "ineligible");
  EXPECT_EQ(j["NodeResources"]["Cpu"]["CpuShares"], 4000);
  EXPECT_EQ(j["ReservedResources"]["Networks"]["ReservedHostPorts"], "22,80,8000-8002");
  EXPECT_EQ(j["Status"], "ready");
  auto back = DecodeNode(j);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(*back, n);
}

TEST(ModelJson, AllocationRoundTripsWithAndWithoutEmbeddedJob) {
  model::JobVersionPtr job = Version("web", 4);
  model::Allocation a = FullAlloc(job);
  json full = EncodeAllocation(a, EmbedJob::kYes);
  EXPECT_EQ(full["Name"], "web.web[3]");
  EXPECT_EQ(full["Job"]["ID"], "web");
  EXPECT_EQ(full["Job"]["Version"], 4);
  EXPECT_EQ(full["AllocatedResources"]["Shared"]["Ports"][0]["Label"], "http");
  EXPECT_EQ(full["DeploymentStatus"]["Healthy"], true);
  EXPECT_EQ(full["TaskStates"]["server"]["State"], "running");
  const json& score = full["Metrics"]["ScoreMetaData"][0];
  EXPECT_EQ(score["Scores"], json({{"binpack", 0.5}, {"allocation-spread", 0}}));
  EXPECT_EQ(score["NormScore"], 0.25);
  auto back = DecodeAllocation(full);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  ASSERT_NE(back->job, nullptr);
  EXPECT_EQ(back->job->version, 4u);
  EXPECT_EQ(back->job->spec.id, "web");
  // Allocation's == compares the shared job and metrics by pointer: compare them by value.
  ASSERT_NE(back->metrics, nullptr);
  EXPECT_EQ(*back->metrics, *a.metrics);
  back->job = job;
  back->metrics = a.metrics;
  EXPECT_EQ(*back, a);

  json bare = EncodeAllocation(a, EmbedJob::kNo);
  EXPECT_TRUE(bare["Job"].is_null());
  EXPECT_EQ(bare["JobVersion"], 4);
  int calls = 0;
  auto resolved = DecodeAllocation(bare, [&](const model::JobKey& key, uint64_t v) {
    ++calls;
    EXPECT_EQ(key.id, "web");
    EXPECT_EQ(v, 4u);
    return job;
  });
  ASSERT_TRUE(static_cast<bool>(resolved));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(resolved->job, job);
  resolved->metrics = a.metrics;
  EXPECT_EQ(*resolved, a);
  auto missing = DecodeAllocation(
      bare, [](const model::JobKey&, uint64_t) { return model::JobVersionPtr(); },
      /*require_job=*/true);
  ASSERT_FALSE(missing);
  EXPECT_NE(llvm::toString(missing.takeError()).find("missing"), std::string::npos);
}

TEST(ModelJson, ScoresOfUnknownScorersAreDropped) {
  json m = {{"ScoreMetaData",
             {{{"NodeID", "8c4d5e6f-0000-4000-8000-000000000001"},
               {"Scores", {{"devices", 1.0}, {"node-affinity", -0.5}}},
               {"NormScore", 0.75}}}}};
  auto back = DecodeAllocMetric(m);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  ASSERT_EQ(back->score_meta.size(), 1u);
  const model::NodeScoreMeta& node = back->score_meta[0];
  EXPECT_EQ(node.Get(model::Scorer::kNodeAffinity), -0.5);
  EXPECT_FALSE(node.Get(model::Scorer::kBinpack).has_value());
  EXPECT_EQ(node.norm_score, 0.75);
  EXPECT_EQ(EncodeAllocMetric(*back)["ScoreMetaData"][0]["Scores"],
            json({{"node-affinity", -0.5}}));
}

TEST(ModelJson, EvaluationAndDeploymentRoundTrip) {
  model::Evaluation e;
  e.id = NextId();
  e.priority = 70;
  e.type = "service";
  e.triggered_by = "job-register";
  e.job_id = "web";
  e.job_modify_index = 4;
  e.status = model::EvalStatus::kBlocked;
  e.wait = std::chrono::seconds(5);
  e.wait_until = 1'700'000'000'000'000'000;
  e.previous_eval = NextId();
  e.failed_tg_allocs["web"].nodes_evaluated = 2;
  e.failed_tg_allocs["web"].constraint_filtered = {{"${attr.kernel.name} = windows", 2}};
  e.class_eligibility = {{"v1:1", true}, {"v1:2", false}};
  e.queued_allocations = {{"web", 2}};
  e.create_index = 4;
  e.modify_index = 6;
  e.create_time = 5;
  e.modify_time = 6;
  json j = EncodeEvaluation(e);
  EXPECT_EQ(j["Status"], "blocked");
  EXPECT_EQ(j["FailedTGAllocs"]["web"]["NodesEvaluated"], 2);
  auto back = DecodeEvaluation(j);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(*back, e);

  model::Deployment d;
  d.id = NextId();
  d.job_id = "web";
  d.job_version = 2;
  d.task_groups["web"] = {
      true, false, std::chrono::minutes(10), 1'700'000'000'000'000'000, false, {NextId()}, 1, 3, 2,
      1,    0};
  d.status = "running";
  d.status_description = "Deployment is running";
  auto dback = DecodeDeployment(EncodeDeployment(d));
  ASSERT_TRUE(static_cast<bool>(dback)) << llvm::toString(dback.takeError());
  EXPECT_EQ(*dback, d);
}

TEST(ModelJson, JobVersionCarriesServerFields) {
  model::JobVersionPtr job = Version("api", 2);
  json j = EncodeJobVersion(*job);
  EXPECT_EQ(j["ID"], "api");
  EXPECT_EQ(j["Version"], 2);
  EXPECT_EQ(j["Status"], "running");
  EXPECT_EQ(j["JobModifyIndex"], 7);
  auto back = DecodeJobVersion(j);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->version, 2u);
  EXPECT_EQ(back->submit_time, job->submit_time);
  EXPECT_EQ(back->spec.id, "api");
  EXPECT_EQ(back->spec.task_groups.at(0).count, 2);
}

TEST(ModelJson, WrongTypesAreErrorsWithPaths) {
  json n = EncodeNode(MockNode("n"));
  n["NodeResources"]["Cpu"]["CpuShares"] = "lots";
  auto bad = DecodeNode(n);
  ASSERT_FALSE(bad);
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "Node.NodeResources.Cpu.CpuShares: expected an integer, got string");

  json e = EncodeEvaluation(model::Evaluation{});
  e["Status"] = "sleeping";
  auto bad_eval = DecodeEvaluation(e);
  ASSERT_FALSE(bad_eval);
  EXPECT_NE(llvm::toString(bad_eval.takeError()).find("Evaluation.Status: unknown value"),
            std::string::npos);

  for (json garbage :
       {json(nullptr), json(3), json("x"), json::array({1, 2}), json{{"ID", 12}},
        json{{"TaskStates", {{"t", 1}}}}, json{{"CreateIndex", -1}}, json{{"ID", "not-a-uuid"}},
        json{{"Metrics", {{"NodesEvaluated", "x"}}}}, json{{"Job", {{"TaskGroups", 7}}}}}) {
    auto a = DecodeAllocation(garbage);
    EXPECT_FALSE(a) << garbage.dump();
    if (!a) llvm::consumeError(a.takeError());
  }
  for (json garbage : {json(nullptr), json::array(), json{{"Priority", 1.5}},
                       json{{"FailedTGAllocs", {{"web", 1}}}}, json{{"WaitUntil", "yesterday"}},
                       json{{"ClassEligibility", {{"v1", "yes"}}}}}) {
    auto e = DecodeEvaluation(garbage);
    EXPECT_FALSE(e) << garbage.dump();
    if (!e) llvm::consumeError(e.takeError());
  }
}

TEST(JsonReader, IntegerRangesAndFloats) {
  json j = {{"a", 3.0}, {"b", 3.5}, {"c", 1e30}, {"d", -5}, {"e", 4294967296ULL}};
  JsonReader r(j);
  int a = 0;
  r.Get("a", a);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(a, 3);
  int b = 0;
  JsonReader(j).Get("b", b);
  JsonReader rb(j);
  rb.Get("b", b);
  EXPECT_FALSE(rb.ok());
  JsonReader rc(j);
  int64_t c = 0;
  rc.Get("c", c);
  EXPECT_FALSE(rc.ok());
  JsonReader rd(j);
  uint64_t d = 0;
  rd.Get("d", d);
  EXPECT_FALSE(rd.ok());
  JsonReader re(j);
  int e = 0;
  re.Get("e", e);
  EXPECT_FALSE(re.ok());
  EXPECT_NE(re.error().find("out of range"), std::string::npos);
}

}  // namespace
}  // namespace drover::store
