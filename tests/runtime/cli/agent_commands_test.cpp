// The agent-facing commands against a scripted agent (fake_agent.h): exact layouts of node
// status, server members, job status, eval status, alloc status, history and inspect; the run
// monitor, -detach, -check-index refusal and placement failures; plan output and exit codes;
// stop with -purge/-detach and its prefix confirmation; address/region/namespace/token
// resolution; and Nomad's error texts and exit codes for unreachable agents and bad usage.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/runtime/cli/fake_agent.h"

namespace drover::cli {
namespace {

using nlohmann::json;
using testing::FakeTransport;
using testing::RunAgainst;

constexpr char kNodeId[] = "a72dfba2-0000-4000-8000-000000000001";
constexpr char kEvalId[] = "52dee78a-0000-4000-8000-000000000002";
constexpr char kAllocId[] = "5e0b39f0-0000-4000-8000-000000000003";
constexpr char kDeployId[] = "62eb607c-0000-4000-8000-000000000004";
constexpr char kBlockedId[] = "9b1cc53e-0000-4000-8000-000000000005";
constexpr int64_t kSec = 1'000'000'000;

json NodeStub() {
  return {{"ID", kNodeId},
          {"Name", "node1"},
          {"Address", "127.0.0.1"},
          {"Datacenter", "dc1"},
          {"NodePool", "default"},
          {"NodeClass", ""},
          {"Version", "0.1.0"},
          {"Drain", false},
          {"SchedulingEligibility", "eligible"},
          {"Status", "ready"},
          {"Attributes", {{"os.name", "debian"}}}};
}

json AllocStub(const std::string& client_status, uint64_t create_index = 11) {
  return {{"ID", kAllocId},
          {"EvalID", kEvalId},
          {"Name", "example.cache[0]"},
          {"NodeID", kNodeId},
          {"NodeName", "node1"},
          {"JobID", "example"},
          {"JobVersion", 0},
          {"TaskGroup", "cache"},
          {"DesiredStatus", "run"},
          {"ClientStatus", client_status},
          {"CreateIndex", create_index},
          {"CreateTime", testing::kNowNs - 8 * kSec},
          {"ModifyTime", testing::kNowNs - 3 * kSec}};
}

json Eval(const std::string& status, const std::string& deployment = "") {
  return {{"ID", kEvalId},
          {"Namespace", "default"},
          {"Priority", 50},
          {"Type", "service"},
          {"TriggeredBy", "job-register"},
          {"JobID", "example"},
          {"Status", status},
          {"DeploymentID", deployment},
          {"CreateIndex", 10},
          {"CreateTime", testing::kNowNs - 8 * kSec},
          {"ModifyTime", testing::kNowNs - 7 * kSec}};
}

json Deployment(const std::string& status, const std::string& description) {
  return {{"ID", kDeployId},
          {"JobID", "example"},
          {"JobVersion", 0},
          {"Status", status},
          {"StatusDescription", description},
          {"ModifyIndex", 12},
          {"TaskGroups",
           {{"cache", {{"DesiredTotal", 1}, {"PlacedAllocs", 1}, {"HealthyAllocs", 1}}}}}};
}

json Job() {
  return {{"ID", "example"},
          {"Name", "example"},
          {"Type", "service"},
          {"Priority", 50},
          {"Datacenters", {"dc1"}},
          {"Namespace", "default"},
          {"NodePool", "default"},
          {"Status", "running"},
          {"Stop", false},
          {"Version", 0},
          {"Stable", true},
          {"SubmitTime", testing::kNowNs - 60 * kSec},
          {"TaskGroups", {{{"Name", "cache"}, {"Count", 1}}}}};
}

class AgentCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    agent_ = std::make_shared<FakeTransport>();
    char tmpl[] = "/tmp/drover-cli-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    job_file_ = dir_ + "/example.nomad";
    std::ofstream(job_file_) << "job \"example\" {\n"
                                "  datacenters = [\"dc1\"]\n"
                                "  group \"cache\" {\n"
                                "    task \"redis\" {\n"
                                "      driver = \"docker\"\n"
                                "      config {\n"
                                "        image = \"redis:7\"\n"
                                "      }\n"
                                "    }\n"
                                "  }\n"
                                "}\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  testing::CommandResult Run(std::vector<std::string> args,
                             std::map<std::string, std::string> env = {},
                             const std::string& stdin_text = "") {
    return RunAgainst(agent_, std::move(args), std::move(env), stdin_text);
  }

  std::shared_ptr<FakeTransport> agent_;
  std::string dir_;
  std::string job_file_;
};

TEST_F(AgentCommandsTest, NodeStatusList) {
  agent_->Add("GET /v1/nodes", json::array({NodeStub()}));
  auto r = Run({"node", "status"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ID        Node Pool  DC   Name   Class   Drain  Eligibility  Status\n"
            "a72dfba2  default    dc1  node1  <none>  false  eligible     ready\n");
  r = Run({"node", "status", "-verbose", "-os"});
  EXPECT_EQ(r.out,
            "ID                                    Node Pool  DC   Name   Class   OS      Address  "
            "  Version  Drain  Eligibility  Status\n"
            "a72dfba2-0000-4000-8000-000000000001  default    dc1  node1  <none>  debian  "
            "127.0.0.1  0.1.0    false  eligible     ready\n");
  r = Run({"node", "status", "-quiet"});
  EXPECT_EQ(r.out, std::string(kNodeId) + "\n");
}

TEST_F(AgentCommandsTest, NodeStatusEmptyAndJson) {
  agent_->Add("GET /v1/nodes", json::array());
  auto r = Run({"node", "status"});
  EXPECT_EQ(r.out, "No nodes registered\n");
  r = Run({"node", "status", "-json"});
  EXPECT_EQ(r.out, "[]\n");
}

TEST_F(AgentCommandsTest, NodeStatusOneNode) {
  agent_->Add("GET /v1/nodes", json::array({NodeStub()}));
  json node = NodeStub();
  node["NodeResources"] = {{"Cpu", {{"CpuShares", 2600}}},
                           {"Memory", {{"MemoryMB", 2048}}},
                           {"Disk", {{"DiskMB", 32768}}}};
  node["Drivers"] = {{"docker", {{"Detected", true}, {"Healthy", true}}},
                     {"exec", {{"Detected", true}, {"Healthy", false}}},
                     {"qemu", {{"Detected", false}}}};
  node["Events"] = {{{"Timestamp", "2024-09-09T20:40:00Z"},
                     {"Subsystem", "Cluster"},
                     {"Message", "Node registered"}}};
  agent_->Add(std::string("GET /v1/node/") + kNodeId, node);
  json alloc = AllocStub("running");
  alloc["Resources"] = {{"CPU", 500}, {"MemoryMB", 256}, {"DiskMB", 300}};
  alloc["Job"] = {{"Version", 0}};
  agent_->Add(std::string("GET /v1/node/") + kNodeId + "/allocations", json::array({alloc}));
  auto r = Run({"node", "status", "a72d"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ID              = a72dfba2-0000-4000-8000-000000000001\n"
            "Name            = node1\n"
            "Node Pool       = default\n"
            "Class           = <none>\n"
            "DC              = dc1\n"
            "Drain           = false\n"
            "Eligibility     = eligible\n"
            "Status          = ready\n"
            "CSI Controllers = <none>\n"
            "CSI Drivers     = <none>\n"
            "Host Volumes    = <none>\n"
            "Host Networks   = <none>\n"
            "CSI Volumes     = <none>\n"
            "Driver Status   = docker,exec (unhealthy)\n"
            "\n"
            "Node Events\n"
            "Time                  Subsystem  Message\n"
            "2024-09-09T20:40:00Z  Cluster    Node registered\n"
            "\n"
            "Allocated Resources\n"
            "CPU           Memory           Disk\n"
            "500/2600 MHz  256 MiB/2.0 GiB  300 MiB/32 GiB\n"
            "\n"
            "Allocations\n"
            "ID        Node ID   Task Group  Version  Desired  Status   Created  Modified\n"
            "5e0b39f0  a72dfba2  cache       0        run      running  8s ago   3s ago\n");
  EXPECT_EQ(agent_->CallsTo("GET", "/v1/nodes")[0].target, "/v1/nodes?prefix=a72d");
}

TEST_F(AgentCommandsTest, NodeStatusUnknownPrefix) {
  agent_->Add("GET /v1/nodes", json::array());
  auto r = Run({"node", "status", "ffff"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "No node(s) with prefix \"ffff\" found\n");
  r = Run({"node", "status", "f"});
  EXPECT_EQ(r.err, "Identifier must contain at least two characters.\n");
}

TEST_F(AgentCommandsTest, ServerMembers) {
  agent_->Add("GET /v1/agent/members", {{"Members",
                                         {{{"Name", "node1.global"},
                                           {"Addr", "127.0.0.1"},
                                           {"Port", 4648},
                                           {"Status", "alive"},
                                           {"ProtocolCur", 2},
                                           {"Tags",
                                            {{"region", "global"},
                                             {"dc", "dc1"},
                                             {"port", "4647"},
                                             {"build", "0.1.0"},
                                             {"raft_vsn", "3"},
                                             {"role", "nomad"}}}}}}});
  agent_->Add("GET /v1/status/leader", "127.0.0.1:4647");
  auto r = Run({"server", "members"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Name          Address    Port  Status  Leader  Raft Version  Build  Datacenter  "
            "Region\n"
            "node1.global  127.0.0.1  4648  alive   true    3             0.1.0  dc1         "
            "global\n");
  EXPECT_EQ(agent_->CallsTo("GET", "/v1/status/leader")[0].target,
            "/v1/status/leader?region=global");
  r = Run({"server", "members", "-verbose"});
  EXPECT_NE(r.out.find("Protocol  Raft Version"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("build=0.1.0,dc=dc1,port=4647,raft_vsn=3,region=global,role=nomad"),
            std::string::npos)
      << r.out;
  r = Run({"server", "members", "extra"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(
      r.err.starts_with("This command takes no arguments\nUsage: drover server members "
                        "[options]\n"))
      << r.err;
}

TEST_F(AgentCommandsTest, JobStatusList) {
  json stub = {{"ID", "example"},
               {"Type", "service"},
               {"Priority", 50},
               {"Status", "running"},
               {"SubmitTime", testing::kNowNs}};
  agent_->Add("GET /v1/jobs", json::array({stub}));
  auto r = Run({"status"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "ID       Type     Priority  Status   Submit Date\n"
            "example  service  50        running  2024-09-09T20:41:53Z\n");
}

TEST_F(AgentCommandsTest, JobStatusNoJobs) {
  agent_->Add("GET /v1/jobs", json::array());
  EXPECT_EQ(Run({"job", "status"}).out, "No running jobs\n");
}

void AddJobDetail(FakeTransport& agent) {
  agent.Add("GET /v1/jobs?prefix=example",
            json::array({{{"ID", "example"}, {"Namespace", "default"}}}));
  agent.Add("GET /v1/job/example", Job());
  agent.Add("GET /v1/job/example/summary",
            {{"JobID", "example"},
             {"Summary", {{"cache", {{"Running", 1}}}}},
             {"Children", {{"Pending", 0}, {"Running", 0}, {"Dead", 0}}}});
  agent.Add("GET /v1/job/example/allocations", json::array({AllocStub("running")}));
  agent.Add("GET /v1/job/example/evaluations", json::array({Eval("complete", kDeployId)}));
  agent.Add("GET /v1/job/example/deployment",
            Deployment("successful", "Deployment completed successfully"));
}

TEST_F(AgentCommandsTest, JobStatusDetail) {
  AddJobDetail(*agent_);
  auto r = Run({"job", "status", "example"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ID            = example\n"
            "Name          = example\n"
            "Submit Date   = 2024-09-09T20:40:53Z\n"
            "Type          = service\n"
            "Priority      = 50\n"
            "Datacenters   = dc1\n"
            "Namespace     = default\n"
            "Node Pool     = default\n"
            "Status        = running\n"
            "Periodic      = false\n"
            "Parameterized = false\n"
            "\n"
            "Summary\n"
            "Task Group  Queued  Starting  Running  Failed  Complete  Lost  Unknown\n"
            "cache       0       0         1        0       0         0     0\n"
            "\n"
            "Latest Deployment\n"
            "ID          = 62eb607c\n"
            "Status      = successful\n"
            "Description = Deployment completed successfully\n"
            "\n"
            "Deployed\n"
            "Task Group  Desired  Placed  Healthy  Unhealthy\n"
            "cache       1        1       1        0\n"
            "\n"
            "Allocations\n"
            "ID        Node ID   Task Group  Version  Desired  Status   Created  Modified\n"
            "5e0b39f0  a72dfba2  cache       0        run      running  8s ago   3s ago\n");
  r = Run({"job", "status", "-short", "example"});
  EXPECT_EQ(r.out.find("Summary"), std::string::npos);
  r = Run({"job", "status", "-evals", "example"});
  EXPECT_NE(r.out.find("Evaluations\nID        Priority  Triggered By  Status    Placement "
                       "Failures\n52dee78a  50        job-register  complete  false\n"),
            std::string::npos)
      << r.out;
}

TEST_F(AgentCommandsTest, JobStatusShowsPlacementFailuresWhileBlocked) {
  AddJobDetail(*agent_);
  json failed = Eval("complete");
  failed["FailedTGAllocs"] = {
      {"cache",
       {{"NodesEvaluated", 1},
        {"NodesExhausted", 1},
        {"DimensionExhausted", {{"network: reserved port collision http=8080", 1}}}}}};
  json blocked = Eval("blocked");
  blocked["ID"] = kBlockedId;
  agent_->Set("GET /v1/job/example/evaluations", {200, json::array({blocked, failed}).dump(), 0});
  agent_->Set("GET /v1/job/example/deployment", {200, "null", 0});
  auto r = Run({"job", "status", "example"});
  EXPECT_NE(r.out.find("\nPlacement Failure\n"
                       "Task Group \"cache\":\n"
                       "  * Resources exhausted on 1 nodes\n"
                       "  * Dimension \"network: reserved port collision http=8080\" exhausted "
                       "on 1 nodes\n"
                       "\nAllocations\n"),
            std::string::npos)
      << r.out;
}

TEST_F(AgentCommandsTest, JobStatusUnknownAndAmbiguousPrefix) {
  agent_->Add("GET /v1/jobs", json::array());
  auto r = Run({"job", "status", "nope"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "No job(s) with prefix or ID \"nope\" found\n");
  agent_->Add(
      "GET /v1/jobs?prefix=ex",
      json::array(
          {{{"ID", "example"}, {"Type", "service"}, {"Priority", 50}, {"Status", "running"}},
           {{"ID", "exotic"}, {"Type", "batch"}, {"Priority", 50}, {"Status", "dead"}}}));
  r = Run({"job", "status", "ex"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Prefix \"ex\" matched multiple jobs\n\n"
            "ID       Type     Priority  Status   Submit Date\n"
            "example  service  50        running  <none>\n"
            "exotic   batch    50        dead     <none>\n");
}

TEST_F(AgentCommandsTest, JobStatusJson) {
  AddJobDetail(*agent_);
  auto r = Run({"job", "status", "-json", "example"});
  ASSERT_EQ(r.code, 0) << r.err;
  json out = json::parse(r.out);
  ASSERT_TRUE(out.is_array());
  EXPECT_EQ(out[0]["Allocations"][0]["ID"], kAllocId);
  EXPECT_EQ(out[0]["LatestDeployment"]["ID"], kDeployId);
  EXPECT_EQ(out[0]["Summary"]["JobID"], "example");
  EXPECT_EQ(out[0]["Evaluations"][0]["ID"], kEvalId);
}

TEST_F(AgentCommandsTest, UnreachableAgent) {
  agent_->RefuseConnections();
  auto r = Run({"job", "status"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error querying jobs: Get \"http://127.0.0.1:4646/v1/jobs\": dial tcp 127.0.0.1:4646: "
            "connect: connection refused\n");
  r = Run({"node", "status"});
  EXPECT_EQ(r.err,
            "Error querying node status: Get \"http://127.0.0.1:4646/v1/nodes\": dial tcp "
            "127.0.0.1:4646: connect: connection refused\n");
  r = Run({"plan", job_file_});
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err,
            "Error during plan: Put \"http://127.0.0.1:4646/v1/job/example/plan\": dial tcp "
            "127.0.0.1:4646: connect: connection refused\n");
  r = Run({"run", job_file_});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error submitting job: Put \"http://127.0.0.1:4646/v1/jobs\": dial tcp 127.0.0.1:4646: "
            "connect: connection refused\n");
}

TEST_F(AgentCommandsTest, AddressRegionNamespaceAndTokenResolution) {
  agent_->Add("GET /v1/jobs", json::array());
  Run({"status"}, {{"NOMAD_ADDR", "http://n:1"}});
  EXPECT_EQ(agent_->calls.back().base, "http://n:1");
  Run({"status"}, {{"NOMAD_ADDR", "http://n:1"}, {"DROVER_ADDR", "http://d:2/"}});
  EXPECT_EQ(agent_->calls.back().base, "http://d:2");
  Run({"status", "-address=http://f:3"}, {{"DROVER_ADDR", "http://d:2"}});
  EXPECT_EQ(agent_->calls.back().base, "http://f:3");
  Run({"status", "-region", "eu", "-namespace", "prod"}, {{"NOMAD_TOKEN", "s3cret"}});
  EXPECT_EQ(agent_->calls.back().target, "/v1/jobs?region=eu&namespace=prod");
  auto headers = agent_->calls.back().headers;
  EXPECT_NE(std::find(headers.begin(), headers.end(),
                      std::make_pair(std::string("X-Nomad-Token"), std::string("s3cret"))),
            headers.end());
}

TEST_F(AgentCommandsTest, ApiErrorTextCarriesStatusAndBody) {
  agent_->AddRaw("GET /v1/jobs", {500, "rpc error: no leader", 0});
  auto r = Run({"status"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "Error querying jobs: Unexpected response code: 500 (rpc error: no leader)\n");
}

TEST_F(AgentCommandsTest, UsageErrors) {
  auto r = Run({"job", "run"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(
      r.err.starts_with("This command takes one argument: <path>\n"
                        "Usage: drover job run [options] <path>\n"))
      << r.err;
  EXPECT_NE(r.err.find("\n  -check-index <value>\n"), std::string::npos) << r.err;
  r = Run({"run", "-bogus", "x"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("flag provided but not defined: -bogus"), std::string::npos);
  EXPECT_NE(r.err.find("Usage: drover job run [options] <path>"), std::string::npos);
  r = Run({"plan", "-bogus", "x"});
  EXPECT_EQ(r.code, 255);
  r = Run({"plan"});
  EXPECT_EQ(r.code, 255);
  EXPECT_TRUE(r.err.starts_with("This command takes one argument: <path>\nUsage: drover job plan"))
      << r.err;
  r = Run({"plan", "-help"});
  EXPECT_EQ(r.code, 0);
  r = Run({"job", "stop"});
  EXPECT_EQ(r.code, 1);
  r = Run({"eval", "status"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.err.starts_with(
      "This command takes one argument\nUsage: drover eval status [options] <evaluation>\n"))
      << r.err;
  r = Run({"run", "-json", "-var", "a=1", job_file_});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "Invalid job options: cannot use variables with JSON files.\n");
  r = Run({"run", dir_ + "/missing.json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "Error getting job struct: Error getting jobfile from \"" + dir_ +
                       "/missing.json\": open " + dir_ +
                       "/missing.json: No such file or directory\n");
  EXPECT_TRUE(agent_->calls.empty());
}

// --- job run ------------------------------------------------------------------------------------

void AddRegister(FakeTransport& agent) {
  agent.Add(
      "PUT /v1/jobs",
      {{"EvalID", kEvalId}, {"EvalCreateIndex", 10}, {"JobModifyIndex", 10}, {"Warnings", ""}});
}

TEST_F(AgentCommandsTest, RunDetachPrintsTheEvaluation) {
  AddRegister(*agent_);
  auto r = Run({"job", "run", "-detach", job_file_});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("Job registration successful\nEvaluation ID: ") + kEvalId + "\n");
  json body = json::parse(agent_->CallsTo("PUT", "/v1/jobs")[0].body);
  EXPECT_EQ(body["Job"]["ID"], "example");
  EXPECT_EQ(body["EnforceIndex"], false);
  EXPECT_EQ(body["Submission"]["Format"], "hcl2");
  EXPECT_EQ(body["Job"]["TaskGroups"][0]["Count"], 1);  // canonical: Nomad's defaults filled in
}

TEST_F(AgentCommandsTest, RunAcceptsApiJsonAndStdin) {
  AddRegister(*agent_);
  auto out = Run({"run", "-output", job_file_});
  ASSERT_EQ(out.code, 0) << out.err;
  std::string json_file = dir_ + "/example.json";
  std::ofstream(json_file) << out.out;
  auto r = Run({"run", "-detach", "-json", json_file});
  EXPECT_EQ(r.code, 0) << r.err;
  json body = json::parse(agent_->CallsTo("PUT", "/v1/jobs").back().body);
  EXPECT_EQ(body["Submission"]["Format"], "json");
  EXPECT_EQ(body["Job"]["ID"], "example");
  // The job's own region and namespace (written out by -output) travel as query parameters.
  EXPECT_EQ(agent_->CallsTo("PUT", "/v1/jobs").back().target,
            "/v1/jobs?region=global&namespace=default");

  std::ifstream f(job_file_);
  std::stringstream hcl;
  hcl << f.rdbuf();
  r = Run({"run", "-detach", "-"}, {}, hcl.str());
  EXPECT_EQ(r.code, 0) << r.err;
  body = json::parse(agent_->CallsTo("PUT", "/v1/jobs").back().body);
  EXPECT_EQ(body["Submission"]["Source"], hcl.str());
  EXPECT_EQ(agent_->CallsTo("PUT", "/v1/jobs").back().target, "/v1/jobs");
}

TEST_F(AgentCommandsTest, RunReportsCompileErrorsWithLocations) {
  std::string bad = dir_ + "/bad.nomad";
  std::ofstream(bad) << "job \"x\" {\n  group \"g\" {\n    count = \"many\"\n  }\n}\n";
  auto r = Run({"run", bad});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.err.starts_with("Error getting job struct: Error parsing job file from " + bad +
                                ":\n" + bad + ":3:13: error[E0203]"))
      << r.err;
  EXPECT_TRUE(agent_->calls.empty());
  r = Run({"plan", bad});
  EXPECT_EQ(r.code, 255);
}

TEST_F(AgentCommandsTest, RunMonitorsEvaluationAndDeployment) {
  AddRegister(*agent_);
  std::string eval_path = std::string("GET /v1/evaluation/") + kEvalId;
  agent_->Add(eval_path, Eval("pending"));
  agent_->Add(eval_path, Eval("complete", kDeployId));
  agent_->Add(eval_path + "/allocations", json::array({AllocStub("pending")}));
  agent_->Add(eval_path + "/allocations", json::array({AllocStub("running")}));
  agent_->Add(std::string("GET /v1/deployment/") + kDeployId,
              Deployment("successful", "Deployment completed successfully"), 12);
  auto r = Run({"run", job_file_});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "==> 2024-09-09T20:41:53Z: Monitoring evaluation \"52dee78a\"\n"
            "    2024-09-09T20:41:53Z: Evaluation triggered by job \"example\"\n"
            "    2024-09-09T20:41:53Z: Allocation \"5e0b39f0\" created: node \"a72dfba2\", group "
            "\"cache\"\n"
            "    2024-09-09T20:41:53Z: Evaluation within deployment: \"62eb607c\"\n"
            "    2024-09-09T20:41:53Z: Allocation \"5e0b39f0\" status changed: \"pending\" -> "
            "\"running\"\n"
            "    2024-09-09T20:41:53Z: Evaluation status changed: \"pending\" -> \"complete\"\n"
            "==> 2024-09-09T20:41:53Z: Evaluation \"52dee78a\" finished with status \"complete\"\n"
            "==> 2024-09-09T20:41:53Z: Monitoring deployment \"62eb607c\"\n"
            "    \n"
            "2024-09-09T20:41:53Z\n"
            "ID          = 62eb607c\n"
            "Job ID      = example\n"
            "Job Version = 0\n"
            "Status      = successful\n"
            "Description = Deployment completed successfully\n"
            "\n"
            "Deployed\n"
            "Task Group  Desired  Placed  Healthy  Unhealthy\n"
            "cache       1        1       1        0\n");
}

TEST_F(AgentCommandsTest, RunFailedDeploymentExitsOne) {
  AddRegister(*agent_);
  std::string eval_path = std::string("GET /v1/evaluation/") + kEvalId;
  agent_->Add(eval_path, Eval("complete", kDeployId));
  agent_->Add(eval_path + "/allocations", json::array({AllocStub("running")}));
  agent_->Add(std::string("GET /v1/deployment/") + kDeployId,
              Deployment("running", "Deployment is running"), 12);
  agent_->Add(std::string("GET /v1/deployment/") + kDeployId,
              Deployment("running", "Deployment is running"), 12);
  json failed = Deployment("failed", "Failed due to unhealthy allocations");
  failed["ModifyIndex"] = 14;
  agent_->Add(std::string("GET /v1/deployment/") + kDeployId, failed, 14);
  auto r = Run({"run", job_file_});
  EXPECT_EQ(r.code, 1);
  // Printed once while running (the unchanged second answer is not repeated), once failed.
  size_t running = r.out.find("Status      = running");
  ASSERT_NE(running, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Status      = running", running + 1), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Description = Failed due to unhealthy allocations"), std::string::npos);
}

TEST_F(AgentCommandsTest, RunPlacementFailureExitsTwo) {
  AddRegister(*agent_);
  json eval = Eval("complete");
  eval["FailedTGAllocs"] = {
      {"cache",
       {{"NodesEvaluated", 1},
        {"NodesExhausted", 1},
        {"CoalescedFailures", 3},
        {"DimensionExhausted", {{"network: reserved port collision http=8080", 1}}}}}};
  eval["BlockedEval"] = kBlockedId;
  agent_->Add(std::string("GET /v1/evaluation/") + kEvalId, eval);
  agent_->Add(std::string("GET /v1/evaluation/") + kEvalId + "/allocations",
              json::array({AllocStub("running")}));
  auto r = Run({"run", job_file_});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out,
            "==> 2024-09-09T20:41:53Z: Monitoring evaluation \"52dee78a\"\n"
            "    2024-09-09T20:41:53Z: Evaluation triggered by job \"example\"\n"
            "    2024-09-09T20:41:53Z: Allocation \"5e0b39f0\" created: node \"a72dfba2\", group "
            "\"cache\"\n"
            "    2024-09-09T20:41:53Z: Evaluation status changed: \"pending\" -> \"complete\"\n"
            "==> 2024-09-09T20:41:53Z: Evaluation \"52dee78a\" finished with status \"complete\" "
            "but failed to place all allocations:\n"
            "    2024-09-09T20:41:53Z: Task Group \"cache\" (failed to place 4 allocations):\n"
            "      * Resources exhausted on 1 nodes\n"
            "      * Dimension \"network: reserved port collision http=8080\" exhausted on 1 "
            "nodes\n"
            "    2024-09-09T20:41:53Z: Evaluation \"9b1cc53e\" waiting for additional capacity to "
            "place remainder\n");
}

TEST_F(AgentCommandsTest, RunCheckIndexRefusal) {
  agent_->AddRaw(
      "PUT /v1/jobs",
      {500, "Enforcing job modify index 5: job exists with conflicting job modify index: 6", 0});
  auto r = Run({"run", "-check-index", "5", job_file_});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "Enforcing job modify index 5: job exists with conflicting job modify index: 6\n"
            "Job not updated\n");
  json body = json::parse(agent_->CallsTo("PUT", "/v1/jobs")[0].body);
  EXPECT_EQ(body["EnforceIndex"], true);
  EXPECT_EQ(body["JobModifyIndex"], 5);

  r = Run({"run", "-check-index", "abc", job_file_});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error parsing check-index value \"abc\": strconv.ParseUint: parsing \"abc\": invalid "
            "syntax\n");
}

TEST_F(AgentCommandsTest, RunOutputPrintsTheApiJsonWithoutSubmitting) {
  auto r = Run({"run", "-output", job_file_});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["Job"]["ID"], "example");
  EXPECT_NE(r.out.find("\n    \"Job\": {"), std::string::npos) << r.out;
  EXPECT_TRUE(agent_->calls.empty());
}

TEST_F(AgentCommandsTest, RunPrintsJobWarnings) {
  agent_->Add("PUT /v1/jobs", {{"EvalID", kEvalId}, {"Warnings", "1 warning(s):\n\n* careful"}});
  auto r = Run({"run", "-detach", job_file_});
  EXPECT_EQ(r.out, std::string("Job Warnings:\n1 warning(s):\n\n* careful\n\n"
                               "Job registration successful\nEvaluation ID: ") +
                       kEvalId + "\n");
}

// --- job plan -----------------------------------------------------------------------------------

json PlanResponse(json updates, json diff, json failed = json::object()) {
  return {{"Index", 10},
          {"JobModifyIndex", 7},
          {"Diff", diff},
          {"Annotations", {{"DesiredTGUpdates", {{"cache", updates}}}}},
          {"FailedTGAllocs", failed},
          {"NextPeriodicLaunch", "0001-01-01T00:00:00Z"},
          {"Warnings", ""}};
}

TEST_F(AgentCommandsTest, PlanPrintsDiffDryRunAndTrailer) {
  json diff = json::parse(R"({"Type": "Edited", "ID": "example", "TaskGroups": [
    {"Type": "Edited", "Name": "cache", "Updates": {"create": 2, "ignore": 1},
     "Fields": [{"Type": "Edited", "Name": "Count", "Old": "1", "New": "3",
                 "Annotations": ["forces create"]}],
     "Tasks": [{"Type": "None", "Name": "redis"}]}]})");
  agent_->Add("PUT /v1/job/example/plan", PlanResponse({{"Place", 2}, {"Ignore", 1}}, diff));
  auto r = Run({"plan", job_file_});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out,
            "+/- Job: \"example\"\n"
            "+/- Task Group: \"cache\" (2 create, 1 ignore)\n"
            "  +/- Count: \"1\" => \"3\" (forces create)\n"
            "      Task: \"redis\"\n"
            "\n"
            "Scheduler dry-run:\n"
            "- All tasks successfully allocated.\n"
            "\n"
            "Job Modify Index: 7\n"
            "To submit the job with version verification run:\n"
            "\n"
            "drover job run -check-index 7 " +
                job_file_ +
                "\n"
                "\n"
                "When running the job with the check-index flag, the job will only be run if the\n"
                "job modify index given matches the server-side version. If the index has\n"
                "changed, another user has modified the job and the plan's results are\n"
                "potentially invalid.\n");
  json body = json::parse(agent_->CallsTo("PUT", "/v1/job/example/plan")[0].body);
  EXPECT_EQ(body["Diff"], true);
  EXPECT_EQ(body["Job"]["ID"], "example");

  r = Run({"plan", "-diff=false", job_file_});
  EXPECT_TRUE(r.out.starts_with("Scheduler dry-run:\n")) << r.out;
}

TEST_F(AgentCommandsTest, PlanExitCodes) {
  json none = {{"Type", "None"}, {"ID", "example"}};
  agent_->Add("PUT /v1/job/example/plan", PlanResponse({{"Ignore", 1}}, none));
  EXPECT_EQ(Run({"plan", job_file_}).code, 0);

  agent_ = std::make_shared<FakeTransport>();
  agent_->Add("PUT /v1/job/example/plan",
              PlanResponse({{"InPlaceUpdate", 1}}, {{"Type", "Edited"}, {"ID", "example"}}));
  EXPECT_EQ(Run({"plan", job_file_}).code, 0);

  agent_ = std::make_shared<FakeTransport>();
  agent_->Add("PUT /v1/job/example/plan", PlanResponse({{"Place", 1}, {"Ignore", 1}}, none));
  EXPECT_EQ(Run({"plan", job_file_}).code, 1);

  agent_ = std::make_shared<FakeTransport>();
  agent_->AddRaw("PUT /v1/job/example/plan", {500, "boom", 0});
  auto r = Run({"plan", job_file_});
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err, "Error during plan: Unexpected response code: 500 (boom)\n");
}

TEST_F(AgentCommandsTest, PlanReemitsVariablesInTheHint) {
  std::string file = dir_ + "/vars.nomad";
  std::ofstream(file) << "variable \"image\" {\n  type = string\n}\n"
                         "variable \"count\" {\n  type = number\n}\n"
                         "job \"example\" {\n"
                         "  datacenters = [\"dc1\"]\n"
                         "  group \"cache\" {\n"
                         "    count = var.count\n"
                         "    task \"redis\" {\n"
                         "      driver = \"docker\"\n"
                         "      config {\n"
                         "        image = var.image\n"
                         "      }\n"
                         "    }\n"
                         "  }\n"
                         "}\n";
  std::string var_file = dir_ + "/count.hcl";
  std::ofstream(var_file) << "count = 4\n";
  json none = {{"Type", "None"}, {"ID", "example"}};
  agent_->Add("PUT /v1/job/example/plan", PlanResponse({{"Ignore", 1}}, none));
  auto r = Run({"plan", "-var", "image=redis:7", "-var-file", var_file, file});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("drover job run -check-index 7 -var=\"image=redis:7\" -var-file=\"" +
                       var_file + "\" " + file + "\n"),
            std::string::npos)
      << r.out;
  json body = json::parse(agent_->CallsTo("PUT", "/v1/job/example/plan")[0].body);
  EXPECT_EQ(body["Job"]["TaskGroups"][0]["Count"], 4);
  EXPECT_EQ(body["Job"]["TaskGroups"][0]["Tasks"][0]["Config"]["image"], "redis:7");

  r = Run({"plan", file});  // a variable without a value
  EXPECT_EQ(r.code, 255);
  EXPECT_NE(r.err.find("Error getting job struct: Error parsing job file from " + file + ":\n"),
            std::string::npos)
      << r.err;
  r = Run({"run", "-var", "image=redis:7", "-var", "count=2", "-var", "nope=1", file});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("undeclared variable `nope`"), std::string::npos) << r.err;
  r = Run({"run", "-var", "novalue", file});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "Invalid job options: invalid -var \"novalue\": expected NAME=VALUE\n");
}

TEST_F(AgentCommandsTest, PlanColorsOnlyWhenAsked) {
  json diff = json::parse(R"({"Type": "Added", "ID": "example", "TaskGroups": [
    {"Type": "Added", "Name": "cache", "Updates": {"create": 1},
     "Tasks": [{"Type": "Added", "Name": "redis", "Annotations": ["forces create"],
                "Fields": [{"Type": "Added", "Name": "Driver", "Old": "", "New": "docker"}]}]}]})");
  agent_->Add("PUT /v1/job/example/plan", PlanResponse({{"Place", 1}}, diff));
  auto plain = Run({"plan", job_file_});
  EXPECT_EQ(plain.out.find('\033'), std::string::npos);
  auto colored = Run({"plan", "-force-color", job_file_});
  EXPECT_NE(colored.out.find("\033[32m+\033[0m \033[1mJob: \"example\""), std::string::npos)
      << colored.out;
  EXPECT_EQ(
      Run({"plan", "-no-color", "-force-color", job_file_}).out.find('\033') == std::string::npos,
      false);  // -force-color wins, as in Nomad
  auto verbose = Run({"plan", "-verbose", job_file_});
  EXPECT_NE(verbose.out.find("  + Task: \"redis\" (forces create)\n    + Driver: \"docker\"\n"),
            std::string::npos)
      << verbose.out;
  EXPECT_EQ(plain.out.find("Driver"), std::string::npos);
}

// --- job stop -----------------------------------------------------------------------------------

TEST_F(AgentCommandsTest, StopPurgeDetach) {
  agent_->Add("GET /v1/jobs?prefix=example",
              json::array({{{"ID", "example"}, {"Namespace", "default"}}}));
  agent_->Add("DELETE /v1/job/example", {{"EvalID", kEvalId}});
  auto r = Run({"job", "stop", "-purge", "-detach", "example"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kEvalId) + "\n");
  EXPECT_EQ(agent_->CallsTo("DELETE", "/v1/job/example")[0].target,
            "/v1/job/example?purge=true&namespace=default");
}

TEST_F(AgentCommandsTest, StopMonitors) {
  agent_->Add("GET /v1/jobs?prefix=example", json::array({{{"ID", "example"}}}));
  agent_->Add("DELETE /v1/job/example", {{"EvalID", kEvalId}});
  json eval = Eval("complete");
  eval["TriggeredBy"] = "job-deregister";
  agent_->Add(std::string("GET /v1/evaluation/") + kEvalId, eval);
  agent_->Add(std::string("GET /v1/evaluation/") + kEvalId + "/allocations", json::array());
  auto r = Run({"stop", "example"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("==> 2024-09-09T20:41:53Z: Evaluation \"52dee78a\" finished with status "
                       "\"complete\"\n"),
            std::string::npos)
      << r.out;
}

TEST_F(AgentCommandsTest, StopByPrefixAsksForConfirmation) {
  agent_->Add("GET /v1/jobs?prefix=exa", json::array({{{"ID", "example"}}}));
  agent_->Add("DELETE /v1/job/example", {{"EvalID", kEvalId}});
  auto r = Run({"stop", "-detach", "exa"}, {}, "n\n");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "Are you sure you want to stop job \"example\"? [y/N] Cancelling job stop\n");
  EXPECT_TRUE(agent_->CallsTo("DELETE", "/v1/job/example").empty());
  r = Run({"stop", "-detach", "exa"}, {}, "yes\n");
  EXPECT_NE(r.out.find("an exact"), std::string::npos);
  EXPECT_TRUE(agent_->CallsTo("DELETE", "/v1/job/example").empty());
  r = Run({"stop", "-detach", "exa"}, {}, "y\n");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(agent_->CallsTo("DELETE", "/v1/job/example").size(), 1u);
  r = Run({"stop", "-detach", "-yes", "exa"});
  EXPECT_EQ(r.out, std::string(kEvalId) + "\n");
}

// --- inspect, history, eval status, alloc status -------------------------------------------------

TEST_F(AgentCommandsTest, InspectWrapsTheJob) {
  agent_->Add("GET /v1/jobs?prefix=example", json::array({{{"ID", "example"}}}));
  agent_->Add("GET /v1/job/example", Job());
  auto r = Run({"job", "inspect", "example"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, json({{"Job", Job()}}).dump(4) + "\n");
}

TEST_F(AgentCommandsTest, HistoryWithDiffs) {
  agent_->Add("GET /v1/jobs?prefix=example", json::array({{{"ID", "example"}}}));
  json v1 = Job();
  v1["Version"] = 1;
  v1["Stable"] = false;
  v1["SubmitTime"] = testing::kNowNs;
  json diff = json::parse(R"({"Type": "Edited", "ID": "example", "TaskGroups": [
    {"Type": "Edited", "Name": "cache", "Fields": [
      {"Type": "Edited", "Name": "Count", "Old": "1", "New": "2"}]}]})");
  agent_->Add("GET /v1/job/example/versions",
              {{"Versions", {v1, Job()}}, {"Diffs", json::array({diff})}});
  auto r = Run({"job", "history", "-p", "example"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Version     = 1\n"
            "Stable      = false\n"
            "Submit Date = 2024-09-09T20:41:53Z\n"
            "Diff        = \n"
            "+/- Job: \"example\"\n"
            "+/- Task Group: \"cache\"\n"
            "  +/- Count: \"1\" => \"2\"\n"
            "\n"
            "Version     = 0\n"
            "Stable      = true\n"
            "Submit Date = 2024-09-09T20:40:53Z\n");
  EXPECT_EQ(agent_->CallsTo("GET", "/v1/job/example/versions")[0].target,
            "/v1/job/example/versions?diffs=true");
  r = Run({"job", "history", "-version", "0", "example"});
  EXPECT_EQ(r.out, "Version     = 0\nStable      = true\nSubmit Date = 2024-09-09T20:40:53Z\n");
}

TEST_F(AgentCommandsTest, EvalStatus) {
  agent_->Add("GET /v1/evaluations", json::array({Eval("complete")}));
  json eval = Eval("complete");
  eval["FailedTGAllocs"] = {{"cache", {{"NodesEvaluated", 1}, {"NodesExhausted", 1}}}};
  eval["BlockedEval"] = kBlockedId;
  agent_->Add(std::string("GET /v1/evaluation/") + kEvalId, eval);
  auto r = Run({"eval", "status", "52dee78a"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ID                 = 52dee78a\n"
            "Create Time        = 8s ago\n"
            "Modify Time        = 7s ago\n"
            "Status             = complete\n"
            "Status Description = complete\n"
            "Type               = service\n"
            "TriggeredBy        = job-register\n"
            "Job ID             = example\n"
            "Namespace          = default\n"
            "Priority           = 50\n"
            "Placement Failures = true\n"
            "\n"
            "Failed Placements\n"
            "Task Group \"cache\" (failed to place 1 allocation):\n"
            "  * Resources exhausted on 1 nodes\n"
            "\n"
            "Evaluation \"9b1cc53e\" waiting for additional capacity to place remainder\n");
  EXPECT_EQ(agent_->CallsTo("GET", "/v1/evaluations")[0].target, "/v1/evaluations?prefix=52dee78a");
}

TEST_F(AgentCommandsTest, DeploymentList) {
  json older = Deployment("successful", "Deployment completed successfully");
  older["ID"] = "06ca68a2-7e43-4c8b-b2b3-3b4c5d6e7f80";
  older["CreateIndex"] = 5;
  json newer = Deployment("failed",
                          "Failed due to unhealthy allocations - rolling back to job "
                          "version 0");
  newer["JobVersion"] = 1;
  newer["CreateIndex"] = 9;
  // The agent's order does not matter: newest first, as the Go API client sorts them.
  agent_->Add("GET /v1/deployments", json::array({older, newer}));
  auto r = Run({"deployment", "list"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ID        Job ID   Job Version  Status      Description\n"
            "62eb607c  example  1            failed      Failed due to unhealthy allocations - "
            "rolling back to job version 0\n"
            "06ca68a2  example  0            successful  Deployment completed successfully\n");
  r = Run({"deployment", "list", "-verbose"});
  EXPECT_NE(r.out.find(std::string("\n") + kDeployId + "  example  1 "), std::string::npos)
      << r.out;
  r = Run({"deployment", "list", "-json"});
  EXPECT_EQ(r.code, 0);
  json parsed = json::parse(r.out);
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0]["CreateIndex"], 9);

  agent_->Set("GET /v1/deployments", {200, "[]", 0});
  r = Run({"deployment", "list"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "No deployments found\n");
  r = Run({"deployment", "list", "extra"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("This command takes no arguments"), std::string::npos) << r.err;
}

TEST_F(AgentCommandsTest, JobDeployments) {
  agent_->Add("GET /v1/jobs", json::array({{{"ID", "example"}, {"Namespace", "default"}}}));
  json older = Deployment("successful", "Deployment completed successfully");
  older["ID"] = "06ca68a2-7e43-4c8b-b2b3-3b4c5d6e7f80";
  older["CreateIndex"] = 5;
  json newer = Deployment("running", "Deployment is running");
  newer["JobVersion"] = 1;
  newer["CreateIndex"] = 9;
  agent_->Add("GET /v1/job/example/deployments", json::array({older, newer}));
  agent_->Add("GET /v1/job/example/deployment", newer);
  auto r = Run({"job", "deployments", "ex"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ID        Job ID   Job Version  Status      Description\n"
            "62eb607c  example  1            running     Deployment is running\n"
            "06ca68a2  example  0            successful  Deployment completed successfully\n");
  r = Run({"job", "deployments", "-latest", "example"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("ID          = 62eb607c\nJob ID      = example\nJob Version = 1\n"))
      << r.out;
  agent_->Set("GET /v1/job/example/deployments", {200, "[]", 0});
  agent_->Set("GET /v1/job/example/deployment", {200, "null", 0});
  EXPECT_EQ(Run({"job", "deployments", "example"}).out, "No deployments found\n");
  EXPECT_EQ(Run({"job", "deployments", "-latest", "example"}).out, "No deployment found\n");
  agent_->Set("GET /v1/jobs", {200, "[]", 0});
  r = Run({"job", "deployments", "ghost"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "No job(s) with prefix or ID \"ghost\" found\n");
}

TEST_F(AgentCommandsTest, DeploymentStatus) {
  json d = Deployment("running", "Deployment is running");
  d["TaskGroups"]["cache"]["AutoRevert"] = true;
  d["TaskGroups"]["cache"]["ProgressDeadline"] = int64_t{600} * 1000000000;
  d["TaskGroups"]["cache"]["RequireProgressBy"] = "2024-09-09T20:51:53Z";
  d["TaskGroups"]["cache"]["HealthyAllocs"] = 0;
  agent_->Add("GET /v1/deployments", json::array({d}));
  auto r = Run({"deployment", "status", "62eb"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ID          = 62eb607c\n"
            "Job ID      = example\n"
            "Job Version = 0\n"
            "Status      = running\n"
            "Description = Deployment is running\n"
            "\n"
            "Deployed\n"
            "Task Group  Auto Revert  Desired  Placed  Healthy  Unhealthy  Progress Deadline\n"
            "cache       true         1        1       0        0          2024-09-09T20:51:53Z\n");
  EXPECT_EQ(agent_->CallsTo("GET", "/v1/deployments")[0].target, "/v1/deployments?prefix=62eb");

  // An odd-length prefix loses its last character, as Nomad's does.
  r = Run({"deployment", "status", "62eb6"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(agent_->CallsTo("GET", "/v1/deployments")[1].target, "/v1/deployments?prefix=62eb");

  // A full id is read directly.
  agent_->Add(std::string("GET /v1/deployment/") + kDeployId, d);
  r = Run({"deployment", "status", "-verbose", kDeployId});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with(std::string("ID          = ") + kDeployId + "\n")) << r.out;
  r = Run({"deployment", "status", "-json", kDeployId});
  EXPECT_EQ(json::parse(r.out), d);
}

TEST_F(AgentCommandsTest, DeploymentStatusErrors) {
  agent_->Add("GET /v1/deployments", json::array());
  auto r = Run({"deployment", "status", "abcd"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "Error retrieving deployment: Deployment ID \"abcd\" matched no deployments\n");
  r = Run({"deployment", "status", "a"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error retrieving deployment: Identifier must contain at least two characters.\n");
  r = Run({"deployment", "status"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("This command takes one argument"), std::string::npos) << r.err;

  json a = Deployment("running", "Deployment is running");
  json b = Deployment("cancelled", "Cancelled due to newer version of job");
  b["ID"] = "62ebaaaa-7e43-4c8b-b2b3-3b4c5d6e7f80";
  agent_->Set("GET /v1/deployments", {200, json::array({a, b}).dump(), 0});
  r = Run({"deployment", "status", "62eb"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.err.starts_with("Prefix matched multiple deployments\n\nID        Job ID   "))
      << r.err;
  EXPECT_NE(r.err.find("\n62ebaaaa  example  0            cancelled"), std::string::npos) << r.err;

  // Unknown full id: the agent's 404 is the error.
  r = Run({"deployment", "status", "00000000-0000-0000-0000-000000000000"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.err.starts_with("Error retrieving deployment: ")) << r.err;
}

TEST_F(AgentCommandsTest, DeploymentStatusMonitorFollowsToTheEnd) {
  json running = Deployment("running", "Deployment is running");
  json done = Deployment("successful", "Deployment completed successfully");
  done["ModifyIndex"] = 14;
  agent_->Add("GET /v1/deployments", json::array({running}));
  agent_->Add(std::string("GET /v1/deployment/") + kDeployId, running, 12);
  agent_->Add(std::string("GET /v1/deployment/") + kDeployId, done, 14);
  auto r = Run({"deployment", "status", "-monitor", "62eb"});
  EXPECT_EQ(r.code, 0) << r.err;
  // Without the evaluation monitor's "==> " and four-space prefixes.
  EXPECT_EQ(r.out,
            "2024-09-09T20:41:53Z: Monitoring deployment \"62eb607c\"\n"
            "\n"
            "2024-09-09T20:41:53Z\n"
            "ID          = 62eb607c\n"
            "Job ID      = example\n"
            "Job Version = 0\n"
            "Status      = running\n"
            "Description = Deployment is running\n"
            "\n"
            "Deployed\n"
            "Task Group  Desired  Placed  Healthy  Unhealthy\n"
            "cache       1        1       1        0\n"
            "\n"
            "2024-09-09T20:41:53Z\n"
            "ID          = 62eb607c\n"
            "Job ID      = example\n"
            "Job Version = 0\n"
            "Status      = successful\n"
            "Description = Deployment completed successfully\n"
            "\n"
            "Deployed\n"
            "Task Group  Desired  Placed  Healthy  Unhealthy\n"
            "cache       1        1       1        0\n");

  json failed = Deployment("failed", "Failed due to unhealthy allocations");
  agent_->Set(std::string("GET /v1/deployment/") + kDeployId, {200, failed.dump(), 15});
  r = Run({"deployment", "status", "-monitor", "62eb"});
  EXPECT_EQ(r.code, 0);  // as in Nomad: the monitor ended
  EXPECT_NE(r.out.find("Description = Failed due to unhealthy allocations"), std::string::npos);
}

TEST_F(AgentCommandsTest, AllocStatus) {
  agent_->Add("GET /v1/allocations", json::array({AllocStub("running")}));
  json alloc = AllocStub("running");
  alloc["Job"] = Job();
  alloc["DeploymentID"] = kDeployId;
  alloc["DeploymentStatus"] = {{"Healthy", true}};
  alloc["AllocatedResources"] = {
      {"Tasks", {{"redis", {{"Cpu", {{"CpuShares", 500}}}, {"Memory", {{"MemoryMB", 256}}}}}}},
      {"Shared",
       {{"DiskMB", 300},
        {"Networks",
         {{{"Mode", "host"},
           {"IP", "127.0.0.1"},
           {"DynamicPorts", {{{"Label", "http"}, {"Value", 21135}, {"To", 8080}}}}}}}}}};
  alloc["TaskStates"] = {{"redis",
                          {{"State", "running"},
                           {"StartedAt", "2024-09-09T20:41:47Z"},
                           {"FinishedAt", "0001-01-01T00:00:00Z"},
                           {"Restarts", 0},
                           {"Events",
                            {{{"Type", "Received"}, {"Time", testing::kNowNs - 8 * kSec}},
                             {{"Type", "Task Setup"},
                              {"Time", testing::kNowNs - 7 * kSec},
                              {"Message", "Building Task Directory"}},
                             {{"Type", "Started"}, {"Time", testing::kNowNs - 6 * kSec}}}}}}};
  agent_->Add(std::string("GET /v1/allocation/") + kAllocId, alloc);
  auto r = Run({"alloc", "status", "5e0b"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ID                  = 5e0b39f0-0000-4000-8000-000000000003\n"
            "Eval ID             = 52dee78a\n"
            "Name                = example.cache[0]\n"
            "Node ID             = a72dfba2\n"
            "Node Name           = node1\n"
            "Job ID              = example\n"
            "Job Version         = 0\n"
            "Client Status       = running\n"
            "Client Description  = <none>\n"
            "Desired Status      = run\n"
            "Desired Description = <none>\n"
            "Created             = 8s ago\n"
            "Modified            = 3s ago\n"
            "Deployment ID       = 62eb607c\n"
            "Deployment Health   = healthy\n"
            "\n"
            "Allocation Addresses (mode = \"host\")\n"
            "Label  Dynamic  Address\n"
            "http   yes      127.0.0.1:21135 -> 8080\n"
            "\n"
            "Task \"redis\" is \"running\"\n"
            "Task Resources\n"
            "CPU      Memory   Disk     Addresses\n"
            "500 MHz  256 MiB  300 MiB  \n"
            "\n"
            "Task Events:\n"
            "Started At     = 2024-09-09T20:41:47Z\n"
            "Finished At    = N/A\n"
            "Total Restarts = 0\n"
            "Last Restart   = N/A\n"
            "\n"
            "Recent Events:\n"
            "Time                  Type        Description\n"
            "2024-09-09T20:41:47Z  Started     Task started by client\n"
            "2024-09-09T20:41:46Z  Task Setup  Building Task Directory\n"
            "2024-09-09T20:41:45Z  Received    Task received by client\n");
}

}  // namespace
}  // namespace drover::cli
