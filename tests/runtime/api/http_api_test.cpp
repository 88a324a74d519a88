// Nomad's HTTP API on drover: each endpoint's JSON shape and status codes, the register/stop
// life cycle, EnforceIndex, plan, parse, validate, and blocking queries.
#include <future>

#include "tests/runtime/api/api_fixture.h"

namespace drover::api {
namespace {

using namespace std::chrono_literals;

TEST_F(ApiTest, RegisterListReadStop) {
  json reg = Expect(200, "PUT", "/v1/jobs", JobBody("web").dump());
  ExpectKeys(reg,
             {"EvalID", "EvalCreateIndex", "JobModifyIndex", "Warnings", "Index", "LastContact",
              "KnownLeader"},
             "register response");
  EXPECT_EQ(reg["EvalID"].get<std::string>().size(), 36u);
  Settle();

  json jobs = Expect(200, "GET", "/v1/jobs");
  ASSERT_EQ(jobs.size(), 1u);
  ExpectKeys(jobs[0],
             {"ID", "ParentID", "Name", "Namespace", "Type", "Priority", "Status",
              "StatusDescription", "Stop", "Periodic", "ParameterizedJob", "Datacenters",
              "JobSummary", "SubmitTime", "CreateIndex", "ModifyIndex", "JobModifyIndex"},
             "JobListStub");
  EXPECT_EQ(jobs[0]["Status"], "running");
  EXPECT_EQ(jobs[0]["JobSummary"]["Summary"]["web"]["Starting"], 2);

  json job = Expect(200, "GET", "/v1/job/web");
  ExpectKeys(job,
             {"ID", "Name", "Type", "TaskGroups", "Status", "Version", "Stop", "SubmitTime",
              "CreateIndex", "ModifyIndex", "JobModifyIndex"},
             "Job");
  EXPECT_EQ(job["TaskGroups"][0]["Count"], 2);
  EXPECT_EQ(job["JobModifyIndex"], reg["JobModifyIndex"]);

  json versions = Expect(200, "GET", "/v1/job/web/versions");
  ASSERT_EQ(versions["Versions"].size(), 1u);
  EXPECT_EQ(versions["Versions"][0]["Version"], 0);

  json allocs = Expect(200, "GET", "/v1/job/web/allocations");
  ASSERT_EQ(allocs.size(), 2u);
  ExpectKeys(allocs[0],
             {"ID",
              "EvalID",
              "Name",
              "Namespace",
              "NodeID",
              "NodeName",
              "JobID",
              "JobType",
              "JobVersion",
              "TaskGroup",
              "DesiredStatus",
              "DesiredDescription",
              "DesiredTransition",
              "ClientStatus",
              "ClientDescription",
              "TaskStates",
              "DeploymentStatus",
              "FollowupEvalID",
              "CreateIndex",
              "ModifyIndex",
              "CreateTime",
              "ModifyTime"},
             "AllocListStub");
  EXPECT_EQ(allocs[0]["NodeID"], node_.id.ToString());

  json evals = Expect(200, "GET", "/v1/job/web/evaluations");
  ASSERT_EQ(evals.size(), 1u);
  ExpectKeys(evals[0],
             {"ID",
              "Namespace",
              "Priority",
              "Type",
              "TriggeredBy",
              "JobID",
              "JobModifyIndex",
              "NodeID",
              "DeploymentID",
              "Status",
              "StatusDescription",
              "Wait",
              "WaitUntil",
              "NextEval",
              "PreviousEval",
              "BlockedEval",
              "FailedTGAllocs",
              "ClassEligibility",
              "EscapedComputedClass",
              "QueuedAllocations",
              "SnapshotIndex",
              "CreateIndex",
              "ModifyIndex",
              "CreateTime",
              "ModifyTime"},
             "Evaluation");
  EXPECT_EQ(evals[0]["Status"], "complete");
  EXPECT_EQ(evals[0]["TriggeredBy"], "job-register");

  json summary = Expect(200, "GET", "/v1/job/web/summary");
  ExpectKeys(summary, {"JobID", "Namespace", "Summary", "Children", "CreateIndex", "ModifyIndex"},
             "JobSummary");
  ExpectKeys(summary["Summary"]["web"],
             {"Queued", "Complete", "Failed", "Running", "Starting", "Lost"}, "TaskGroupSummary");

  json stop = Expect(200, "DELETE", "/v1/job/web");
  ExpectKeys(stop, {"EvalID", "EvalCreateIndex", "JobModifyIndex", "Index"}, "deregister");
  Settle();
  EXPECT_EQ(Expect(200, "GET", "/v1/job/web")["Stop"], true);
  EXPECT_EQ(Expect(200, "GET", "/v1/job/web")["Status"], "dead");
  json history = Expect(200, "GET", "/v1/job/web/versions?diffs=true");
  ASSERT_EQ(history["Versions"].size(), 2u);
  EXPECT_EQ(history["Versions"][0]["Version"], 1);  // newest first
  ASSERT_EQ(history["Diffs"].size(), 1u);           // v0 -> v1: the stop
  EXPECT_EQ(history["Diffs"][0]["Type"], "Edited");
  Expect(200, "DELETE", "/v1/job/web?purge=true");
  Expect(404, "GET", "/v1/job/web");
  EXPECT_EQ(Expect(200, "GET", "/v1/jobs").size(), 0u);
}

TEST_F(ApiTest, AllocationEvaluationNodeAndStatusEndpoints) {
  json reg = Expect(200, "POST", "/v1/jobs", JobBody("api", 1).dump());
  Settle();
  json list = Expect(200, "GET", "/v1/allocations");
  ASSERT_EQ(list.size(), 1u);
  std::string alloc_id = list[0]["ID"];
  json alloc = Expect(200, "GET", "/v1/allocation/" + alloc_id);
  ExpectKeys(alloc,
             {"ID", "EvalID", "Name", "NodeID", "JobID", "Job", "TaskGroup", "AllocatedResources",
              "Metrics", "DesiredStatus", "ClientStatus", "TaskStates", "CreateIndex",
              "ModifyIndex", "AllocModifyIndex"},
             "Allocation");
  EXPECT_EQ(alloc["Job"]["ID"], "api");
  EXPECT_EQ(alloc["Name"], "api.web[0]");
  ExpectKeys(
      alloc["Metrics"],
      {"NodesEvaluated", "NodesFiltered", "NodesAvailable", "ConstraintFiltered", "NodesExhausted",
       "DimensionExhausted", "ScoreMetaData", "AllocationTime", "CoalescedFailures"},
      "AllocMetric");
  Expect(404, "GET", "/v1/allocation/" + testing::NextId().ToString());
  Expect(404, "GET", "/v1/allocation/not-a-uuid");
  EXPECT_EQ(Expect(200, "GET", "/v1/allocations?prefix=" + alloc_id.substr(0, 4)).size(), 1u);
  EXPECT_EQ(Expect(200, "GET", "/v1/allocations?prefix=zzzz").size(), 0u);
  EXPECT_TRUE(Expect(200, "GET", "/v1/allocations")[0]["AllocatedResources"].is_null());
  EXPECT_FALSE(
      Expect(200, "GET", "/v1/allocations?resources=true")[0]["AllocatedResources"].is_null());

  std::string eval_id = reg["EvalID"];
  EXPECT_EQ(Expect(200, "GET", "/v1/evaluation/" + eval_id)["ID"], eval_id);
  EXPECT_EQ(Expect(200, "GET", "/v1/evaluation/" + eval_id + "/allocations").size(), 1u);
  EXPECT_EQ(Expect(200, "GET", "/v1/evaluations").size(), 1u);
  EXPECT_EQ(Expect(200, "GET", "/v1/evaluations?job=other").size(), 0u);
  Expect(404, "GET", "/v1/evaluation/" + testing::NextId().ToString());

  json nodes = Expect(200, "GET", "/v1/nodes");
  ASSERT_EQ(nodes.size(), 1u);
  ExpectKeys(nodes[0],
             {"ID", "Name", "Address", "Datacenter", "NodePool", "NodeClass", "Version", "Drain",
              "SchedulingEligibility", "Status", "StatusDescription", "Drivers", "CreateIndex",
              "ModifyIndex"},
             "NodeListStub");
  EXPECT_EQ(nodes[0]["Status"], "ready");
  json node = Expect(200, "GET", "/v1/node/" + node_.id.ToString());
  ExpectKeys(
      node,
      {"ID", "Name", "Datacenter", "Attributes", "NodeResources", "ReservedResources", "Drivers",
       "Status", "SchedulingEligibility", "Events", "HTTPAddr", "ComputedClass", "Drain"},
      "Node");
  EXPECT_EQ(node["SecretID"], "");  // never served
  EXPECT_EQ(node["NodeResources"]["Memory"]["MemoryMB"], 8192);
  EXPECT_EQ(Expect(200, "GET", "/v1/node/" + node_.id.ToString() + "/allocations").size(), 1u);
  Expect(404, "GET", "/v1/node/" + testing::NextId().ToString());

  EXPECT_EQ(Expect(200, "GET", "/v1/status/leader"), "127.0.0.1:4647");
  EXPECT_EQ(Expect(200, "GET", "/v1/status/peers"), json::array({"127.0.0.1:4647"}));
  json self = Expect(200, "GET", "/v1/agent/self");
  ExpectKeys(self, {"config", "member", "stats"}, "agent self");
  EXPECT_EQ(self["member"]["Name"], "test-agent.global");
  json members = Expect(200, "GET", "/v1/agent/members");
  ExpectKeys(members, {"ServerName", "ServerRegion", "ServerDC", "Members"}, "members");
  ExpectKeys(members["Members"][0], {"Name", "Addr", "Port", "Tags", "Status"}, "member");
  EXPECT_EQ(members["Members"][0]["Status"], "alive");
  EXPECT_EQ(members["Members"][0]["Tags"]["role"], "nomad");
}

TEST_F(ApiTest, EnforceIndexAndJobIdMismatch) {
  json body = JobBody("web");
  body["EnforceIndex"] = true;
  body["JobModifyIndex"] = 0;
  json first = Expect(200, "PUT", "/v1/jobs", body.dump());
  testing::HttpResult again = Do("PUT", "/v1/jobs", body.dump());
  EXPECT_EQ(again.status, 400);
  EXPECT_NE(again.body.find("Enforcing job modify index 0"), std::string::npos) << again.body;
  body["JobModifyIndex"] = first["JobModifyIndex"].get<uint64_t>() + 5;
  testing::HttpResult conflict = Do("PUT", "/v1/jobs", body.dump());
  EXPECT_EQ(conflict.status, 400);
  EXPECT_NE(conflict.body.find("conflicting job modify index: " +
                               std::to_string(first["JobModifyIndex"].get<uint64_t>())),
            std::string::npos)
      << conflict.body;
  body["JobModifyIndex"] = first["JobModifyIndex"];
  Expect(200, "PUT", "/v1/job/web", body.dump());
  testing::HttpResult mismatch = Do("PUT", "/v1/job/other", body.dump());
  EXPECT_EQ(mismatch.status, 400);
  EXPECT_NE(mismatch.body.find("Job ID does not match"), std::string::npos);
}

TEST_F(ApiTest, PlanIsADryRun) {
  json body = JobBody("web", 3);
  body["Diff"] = true;
  json plan = Expect(200, "POST", "/v1/job/web/plan", body.dump());
  ExpectKeys(plan,
             {"Index", "JobModifyIndex", "Diff", "Annotations", "FailedTGAllocs", "CreatedEvals",
              "NextPeriodicLaunch", "Warnings"},
             "JobPlanResponse");
  EXPECT_EQ(plan["JobModifyIndex"], 0);
  EXPECT_EQ(plan["Diff"]["Type"], "Added");
  EXPECT_EQ(plan["Annotations"]["DesiredTGUpdates"]["web"]["Place"], 3);
  EXPECT_TRUE(plan["FailedTGAllocs"].is_null());
  EXPECT_EQ(Expect(200, "GET", "/v1/jobs").size(), 0u);  // nothing was registered

  json reg = Expect(200, "PUT", "/v1/jobs", JobBody("web", 3).dump());
  Settle();
  json same = Expect(200, "POST", "/v1/job/web/plan", body.dump());
  EXPECT_EQ(same["Diff"]["Type"], "None");
  EXPECT_EQ(same["JobModifyIndex"], reg["JobModifyIndex"]);
  EXPECT_EQ(same["Annotations"]["DesiredTGUpdates"]["web"]["Ignore"], 3);

  // A group that cannot fit reports its failure.
  json huge = JobBody("web", 3);
  huge["Job"]["TaskGroups"][0]["Tasks"][0]["Resources"]["MemoryMB"] = 100000;
  json failed = Expect(200, "POST", "/v1/job/web/plan", huge.dump());
  ASSERT_FALSE(failed["FailedTGAllocs"].is_null()) << failed.dump();
  EXPECT_EQ(failed["FailedTGAllocs"]["web"]["DimensionExhausted"]["memory"], 1);
  Expect(400, "POST", "/v1/job/other/plan", body.dump());
}

TEST_F(ApiTest, ParseAndValidate) {
  json parse = {{"JobHCL", R"(job "hello" {
  group "g" {
    task "t" {
      driver = "exec"
      config { command = "/bin/true" }
    }
  }
})"},
                {"Canonicalize", true}};
  json job = Expect(200, "POST", "/v1/jobs/parse", parse.dump());
  EXPECT_EQ(job["ID"], "hello");
  EXPECT_EQ(job["Type"], "service");  // canonicalized
  EXPECT_EQ(job["TaskGroups"][0]["Count"], 1);
  parse["Canonicalize"] = false;
  EXPECT_TRUE(Expect(200, "POST", "/v1/jobs/parse", parse.dump())["Type"].is_null());
  json vars = {{"JobHCL", R"(variable "n" {}
job "v" {
  group "g" {
    count = var.n
    task "t" {
      driver = "exec"
    }
  }
})"},
               {"VariableFlags", {{"n", "4"}}},
               {"Canonicalize", true}};
  EXPECT_EQ(Expect(200, "POST", "/v1/jobs/parse", vars.dump())["TaskGroups"][0]["Count"], 4);
  testing::HttpResult broken = Do("POST", "/v1/jobs/parse", R"({"JobHCL": "job \"x\" {"})");
  EXPECT_EQ(broken.status, 400);
  EXPECT_NE(broken.body.find("input.hcl:1"), std::string::npos) << broken.body;
  Expect(400, "POST", "/v1/jobs/parse", R"({"Canonicalize": true})");

  json valid = Expect(200, "POST", "/v1/validate/job", JobBody("ok").dump());
  ExpectKeys(valid, {"DriverConfigValidated", "ValidationErrors", "Error", "Warnings"}, "validate");
  EXPECT_EQ(valid["Error"], "");
  EXPECT_TRUE(valid["ValidationErrors"].is_null());
  json bad = JobBody("bad");
  bad["Job"]["TaskGroups"][0]["Count"] = -3;
  json invalid = Expect(200, "PUT", "/v1/validate/job", bad.dump());
  ASSERT_TRUE(invalid["ValidationErrors"].is_array());
  EXPECT_FALSE(invalid["ValidationErrors"].empty());
  EXPECT_NE(invalid["Error"].get<std::string>().find("error(s) occurred"), std::string::npos);
  // Registering the same invalid job is refused.
  testing::HttpResult refused = Do("PUT", "/v1/jobs", bad.dump());
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("count"), std::string::npos) << refused.body;
}

TEST_F(ApiTest, BlockingQueryWaitsForAChange) {
  testing::HttpResult first = Do("GET", "/v1/jobs");
  ASSERT_EQ(first.status, 200);
  uint64_t index = std::stoull(first.Header("X-Nomad-Index"));
  EXPECT_GE(index, 1u);
  EXPECT_EQ(first.Header("X-Nomad-KnownLeader"), "true");
  auto waiting = std::async(std::launch::async, [&] {
    return Do("GET", "/v1/jobs?index=" + std::to_string(index) + "&wait=20s");
  });
  EXPECT_EQ(waiting.wait_for(100ms), std::future_status::timeout);  // still blocked
  Expect(200, "PUT", "/v1/jobs", JobBody("web").dump());
  testing::HttpResult changed = waiting.get();
  ASSERT_EQ(changed.status, 200);
  EXPECT_GT(std::stoull(changed.Header("X-Nomad-Index")), index);
  EXPECT_EQ(json::parse(changed.body).size(), 1u);

  // No change within `wait`: the same index comes back.
  uint64_t now = std::stoull(Do("GET", "/v1/nodes").Header("X-Nomad-Index"));
  testing::HttpResult timed_out =
      Do("GET", "/v1/nodes?index=" + std::to_string(now) + "&wait=50ms");
  EXPECT_EQ(timed_out.status, 200);
  EXPECT_EQ(std::stoull(timed_out.Header("X-Nomad-Index")), now);
}

TEST_F(ApiTest, DeploymentEndpoints) {
  json reg = Expect(200, "PUT", "/v1/jobs", JobBody("web", 2).dump());
  Settle();

  json list = Expect(200, "GET", "/v1/deployments");
  ASSERT_TRUE(list.is_array());
  ASSERT_EQ(list.size(), 1u) << list.dump();
  const json& d = list[0];
  ExpectKeys(
      d,
      {"ID", "Namespace", "JobID", "JobVersion", "JobModifyIndex", "JobSpecModifyIndex",
       "JobCreateIndex", "TaskGroups", "Status", "StatusDescription", "CreateIndex", "ModifyIndex"},
      "Deployment");
  const std::string id = d["ID"];
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(d["Namespace"], "default");
  EXPECT_EQ(d["JobID"], "web");
  EXPECT_EQ(d["JobVersion"], 0);
  EXPECT_EQ(d["JobModifyIndex"], reg["JobModifyIndex"]);
  EXPECT_EQ(d["Status"], "running");
  EXPECT_EQ(d["StatusDescription"], "Deployment is running");
  ASSERT_TRUE(d["TaskGroups"].contains("web")) << d.dump();
  const json& g = d["TaskGroups"]["web"];
  ExpectKeys(g,
             {"AutoRevert", "AutoPromote", "ProgressDeadline", "RequireProgressBy", "Promoted",
              "PlacedCanaries", "DesiredCanaries", "DesiredTotal", "PlacedAllocs", "HealthyAllocs",
              "UnhealthyAllocs"},
             "DeploymentState");
  EXPECT_EQ(g["DesiredTotal"], 2);
  EXPECT_EQ(g["DesiredCanaries"], 0);
  EXPECT_EQ(g["Promoted"], false);
  EXPECT_EQ(g["ProgressDeadline"], int64_t{600} * 1000000000);  // 10m in nanoseconds
  // A first version places everything at once (max_parallel limits destructive updates only).
  EXPECT_EQ(g["PlacedAllocs"], 2);
  EXPECT_EQ(g["HealthyAllocs"], 0);

  // ?prefix= matches the start of the id (and nothing else).
  EXPECT_EQ(Expect(200, "GET", "/v1/deployments?prefix=" + id.substr(0, 4)).size(), 1u);
  std::string other = id.substr(0, 2);
  other[0] = other[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(Expect(200, "GET", "/v1/deployments?prefix=" + other).size(), 0u);

  json one = Expect(200, "GET", "/v1/deployment/" + id);
  EXPECT_EQ(one, d);

  json allocs = Expect(200, "GET", "/v1/deployment/allocations/" + id);
  ASSERT_TRUE(allocs.is_array());
  ASSERT_EQ(allocs.size(), 2u) << allocs.dump();
  // AllocListStub has no DeploymentID (as in Nomad); the full allocations carry it.
  for (const json& a : allocs) {
    EXPECT_EQ(Expect(200, "GET", "/v1/allocation/" + a["ID"].get<std::string>())["DeploymentID"],
              id);
  }
  EXPECT_EQ(allocs[0]["JobID"], "web");
  ExpectKeys(allocs[0], {"ID", "EvalID", "NodeID", "TaskGroup", "DesiredStatus", "ClientStatus"},
             "AllocListStub");

  json by_job = Expect(200, "GET", "/v1/job/web/deployments");
  ASSERT_EQ(by_job.size(), 1u);
  EXPECT_EQ(by_job[0]["ID"], id);
  EXPECT_EQ(Expect(200, "GET", "/v1/job/web/deployment")["ID"], id);

  // A new version cancels the running deployment and starts another; the job's list is newest
  // first and its latest deployment is the new one.
  Expect(200, "PUT", "/v1/jobs", JobBody("web", 3).dump());
  Settle();
  by_job = Expect(200, "GET", "/v1/job/web/deployments");
  ASSERT_EQ(by_job.size(), 2u) << by_job.dump();
  EXPECT_EQ(by_job[0]["JobVersion"], 1);
  EXPECT_EQ(by_job[1]["ID"], id);
  EXPECT_EQ(by_job[1]["Status"], "cancelled");
  EXPECT_EQ(by_job[1]["StatusDescription"], "Cancelled due to newer version of job");
  EXPECT_EQ(Expect(200, "GET", "/v1/job/web/deployment")["ID"], by_job[0]["ID"]);
  EXPECT_EQ(Expect(200, "GET", "/v1/deployments").size(), 2u);

  // Unknown or malformed ids are 404 with a message; a job without deployments has none.
  const std::string unknown = "00000000-0000-0000-0000-000000000000";
  for (const std::string& path :
       {"/v1/deployment/" + unknown, "/v1/deployment/allocations/" + unknown,
        std::string("/v1/deployment/not-an-id"), std::string("/v1/deployment/allocations/x")}) {
    testing::HttpResult r = Do("GET", path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_NE(r.body.find("deployment not found"), std::string::npos) << path << ": " << r.body;
  }
  EXPECT_EQ(Expect(200, "GET", "/v1/job/ghost/deployments"), json::array());
  EXPECT_TRUE(Expect(200, "GET", "/v1/job/ghost/deployment").is_null());
}

TEST_F(ApiTest, BadQueryParametersAre400) {
  Expect(400, "GET", "/v1/jobs?index=abc");
  Expect(400, "GET", "/v1/jobs?index=-1");
  Expect(400, "GET", "/v1/jobs?wait=soon");
  Expect(400, "GET", "/v1/jobs?wait=-5s");
  Expect(400, "DELETE", "/v1/job/web?purge=maybe");
  Expect(400, "GET", "/v1/allocations?resources=perhaps");
  Expect(404, "DELETE", "/v1/job/never-registered");
  Expect(405, "PATCH", "/v1/jobs");
  Expect(404, "GET", "/v1/nothing/here");
  EXPECT_EQ(Expect(200, "GET", "/v1/jobs?namespace=*").size(), 0u);
  EXPECT_EQ(Expect(200, "GET", "/v1/jobs?pretty").size(), 0u);
}

}  // namespace
}  // namespace drover::api
