// End to end: a real `drover agent -dev` on 127.0.0.1 (free ports), a client node that joins it
// over the RPC and runs nothing but reports its allocations running (so that placement works
// without Docker), and the real `drover` binary pointed at it with DROVER_ADDR. Each test starts
// its own agent and stops it by PID; every wait is bounded.
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "tests/runtime/cli/e2e_agent.h"

namespace drover::cli {
namespace {

using nlohmann::json;
using testing::AgentProcess;
using testing::Drover;
using testing::FakeClientNode;
using testing::WaitFor;

constexpr auto kSettle = std::chrono::seconds(15);

// A service job "web": group "web" with `count`, a dynamic port, a service with `tags`, and one
// docker task "server".
std::string WebJob(int count, const std::string& image, const std::string& tags,
                   const std::string& type = "service") {
  return "job \"web\" {\n"
         "  datacenters = [\"dc1\"]\n"
         "  type        = \"" +
         type +
         "\"\n"
         "  group \"web\" {\n"
         "    count = " +
         std::to_string(count) +
         "\n"
         "    network {\n"
         "      port \"http\" {}\n"
         "    }\n"
         "    task \"server\" {\n"
         "      driver = \"docker\"\n"
         "      config {\n"
         "        image = \"" +
         image +
         "\"\n"
         "      }\n"
         "      service {\n"
         "        name = \"web\"\n"
         "        port = \"http\"\n"
         "        tags = [" +
         tags +
         "]\n"
         "      }\n"
         "    }\n"
         "  }\n"
         "}\n";
}

class CliE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    agent_ = AgentProcess::Start(AgentProcess::Mode::kDev, &error);
    ASSERT_NE(agent_, nullptr) << error;
    client_ = std::make_unique<FakeClientNode>(agent_->rpc(), "client-1");
    ASSERT_TRUE(client_->Start(&error)) << error;
    char tmpl[] = "/tmp/drover-cli-e2e-jobs-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    // Both the built-in node and client-1 are ready.
    ASSERT_TRUE(WaitFor(
        [&] {
          json nodes = testing::ApiGet(agent_->address(), "/v1/nodes");
          int ready = 0;
          if (nodes.is_array()) {
            for (const json& n : nodes) ready += n.value("Status", "") == "ready";
          }
          return ready == 2;
        },
        kSettle))
        << agent_->Log();
  }
  void TearDown() override {
    client_.reset();
    agent_.reset();  // SIGTERM by PID, then SIGKILL after 10 s
    std::filesystem::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  ::drover::testing::CommandResult Cli(const std::string& args) {
    return Drover(agent_->address(), args, dir_);
  }
  // Waits until job `id` has `n` allocations the client reported running.
  bool WaitRunning(const std::string& id, int n) {
    return WaitFor(
        [&] {
          json allocs = testing::ApiGet(agent_->address(), "/v1/job/" + id + "/allocations");
          int running = 0;
          if (allocs.is_array()) {
            for (const json& a : allocs) {
              running +=
                  a.value("ClientStatus", "") == "running" && a.value("DesiredStatus", "") == "run";
            }
          }
          return running == n;
        },
        kSettle);
  }

  std::unique_ptr<AgentProcess> agent_;
  std::unique_ptr<FakeClientNode> client_;
  std::string dir_;
};

TEST_F(CliE2eTest, ServerMembersAndNodeStatus) {
  auto r = Cli("server members");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(
      r.out.starts_with(
          "Name  Address    Port  Status  Leader  Raft Version  Build  Datacenter  Region\n") ||
      std::regex_search(r.out, std::regex("^Name +Address +Port +Status +Leader")))
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out,
      std::regex(R"(\n\S+\.global +127\.0\.0\.1 +\d+ +alive +true +3 +\S+ +dc1 +global\n$)")))
      << r.out;

  r = Cli("node status");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("ID  ") || r.out.starts_with("ID ")) << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(R"(\n)" + client_->id().substr(0, 8) +
                        R"( +default +dc1 +client-1 +<none> +false +eligible +ready\n)")))
      << r.out;

  r = Cli("node status " + client_->id().substr(0, 6));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ID              = " + client_->id() + "\nName            = client-1\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Driver Status   = docker,exec,raw_exec\n"), std::string::npos) << r.out;

  r = Cli("node status -json");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(json::parse(r.out).size(), 2u);
}

TEST_F(CliE2eTest, RunThenStatusShowsTheAllocations) {
  std::string file = Write("web.nomad", WebJob(2, "thedojoseries/frontend", "\"frontend\""));
  auto r = Cli("run web.nomad");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string node8 = client_->id().substr(0, 8);
  std::regex created(R"(    \S+: Allocation "[0-9a-f]{8}" created: node ")" + node8 +
                     R"(", group "web"\n)");
  EXPECT_EQ(std::distance(std::sregex_iterator(r.out.begin(), r.out.end(), created),
                          std::sregex_iterator()),
            2)
      << r.out;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex(R"(^==> \S+: Monitoring evaluation "[0-9a-f]{8}"\n)")))
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(R"(==> \S+: Evaluation "[0-9a-f]{8}" finished with status "complete"\n)")))
      << r.out;
  // A service job gets a deployment; `run` follows it until both allocations are healthy.
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex(R"(==> \S+: Monitoring deployment "[0-9a-f]{8}"\n)")))
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out,
      std::regex(
          R"(Status      = successful\nDescription = Deployment completed successfully\n)"
          R"(\nDeployed\nTask Group  Desired  Placed  Healthy  Unhealthy  Progress Deadline\n)"
          R"(web         2        2       2        0          \S+\n$)")))
      << r.out;
  ASSERT_TRUE(WaitRunning("web", 2)) << agent_->Log();

  r = Cli("status web");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("ID            = web\nName          = web\n")) << r.out;
  EXPECT_NE(
      r.out.find("Summary\nTask Group  Queued  Starting  Running  Failed  Complete  Lost  "
                 "Unknown\nweb         0       0         2        0       0         0     0\n"),
      std::string::npos)
      << r.out;
  std::regex alloc_row(R"(\n[0-9a-f]{8}  )" + node8 +
                       R"(  web         0        run      running  \d+s ago +\d+s ago)");
  EXPECT_EQ(std::distance(std::sregex_iterator(r.out.begin(), r.out.end(), alloc_row),
                          std::sregex_iterator()),
            2)
      << r.out;
  EXPECT_NE(r.out.find("\nAllocations\nID        Node ID   Task Group  Version  Desired  Status   "
                       "Created  Modified\n"),
            std::string::npos)
      << r.out;

  r = Cli("status");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\nweb  service  50 +running +\S+\n$)")))
      << r.out;

  // An allocation and its evaluation, looked up by prefix.
  json allocs = testing::ApiGet(agent_->address(), "/v1/job/web/allocations");
  ASSERT_TRUE(allocs.is_array() && !allocs.empty());
  std::string alloc_id = allocs[0].value("ID", "");
  r = Cli("alloc status " + alloc_id.substr(0, 8));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("ID                  = " + alloc_id + "\n")) << r.out;
  EXPECT_NE(r.out.find("Client Status       = running\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nTask \"server\" is \"running\"\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Task started by client"), std::string::npos) << r.out;
  r = Cli("eval status " + allocs[0].value("EvalID", "").substr(0, 8));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Status             = complete\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("TriggeredBy        = job-register\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Placement Failures = false\n"), std::string::npos) << r.out;
}

TEST_F(CliE2eTest, PlanExitCodes) {
  Write("v1.nomad", WebJob(1, "thedojoseries/frontend", "\"frontend\""));
  auto r = Cli("plan v1.nomad");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // new job
  EXPECT_TRUE(r.out.starts_with("+ Job: \"web\"\n+ Task Group: \"web\" (1 create)\n")) << r.out;
  EXPECT_NE(r.out.find("Scheduler dry-run:\n- All tasks successfully allocated.\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("drover job run -check-index 0 v1.nomad\n"), std::string::npos) << r.out;

  ASSERT_EQ(Cli("run -detach v1.nomad").exit_code, 0);
  ASSERT_TRUE(WaitRunning("web", 1)) << agent_->Log();

  r = Cli("plan v1.nomad");  // unchanged
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(
      r.out.starts_with("Job: \"web\"\nTask Group: \"web\" (1 ignore)\n  Task: \"server\"\n"))
      << r.out;

  Write("tags.nomad", WebJob(1, "thedojoseries/frontend", "\"frontend\", \"urlprefix-/\""));
  r = Cli("plan tags.nomad");  // a service tag: updated in place
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("+/- Task Group: \"web\" (1 in-place update)\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("+/- Task: \"server\" (forces in-place update)\n"), std::string::npos)
      << r.out;

  Write("count.nomad", WebJob(3, "thedojoseries/frontend", "\"frontend\""));
  r = Cli("plan count.nomad");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("+/- Task Group: \"web\" (2 create, 1 in-place update)\n  +/- Count: \"1\" "
                       "=> \"3\" (forces create)\n"),
            std::string::npos)
      << r.out;

  Write("image.nomad", WebJob(1, "thedojoseries/frontend:2.0", "\"frontend\""));
  r = Cli("plan image.nomad");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("(1 create/destroy update)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"thedojoseries/frontend\" => \"thedojoseries/frontend:2.0\""),
            std::string::npos)
      << r.out;

  r = Cli("plan missing.nomad");
  EXPECT_EQ(r.exit_code, 255);
}

TEST_F(CliE2eTest, CheckIndexRefusesAStaleIndex) {
  Write("v1.nomad", WebJob(1, "thedojoseries/frontend", "\"frontend\""));
  Write("v2.nomad", WebJob(2, "thedojoseries/frontend", "\"frontend\""));
  ASSERT_EQ(Cli("run -detach v1.nomad").exit_code, 0);
  auto plan = Cli("plan v2.nomad");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(plan.out, m, std::regex(R"(Job Modify Index: (\d+)\n)")))
      << plan.out;
  std::string index = m[1];

  auto r = Cli("run -detach -check-index " + index + " v2.nomad");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(r.out.starts_with("Job registration successful\nEvaluation ID: ")) << r.out;

  r = Cli("run -detach -check-index " + index + " v1.nomad");  // the index moved on
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(std::regex_match(
      r.err,
      std::regex("Enforcing job modify index " + index +
                 R"(: job exists with conflicting job modify index: \d+\nJob not updated\n)")))
      << r.err;

  r = Cli("run -detach -check-index 0 v1.nomad");  // 0: only if the job does not exist
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("Enforcing job modify index 0: ")) << r.err;
  EXPECT_TRUE(r.err.ends_with("\nJob not updated\n")) << r.err;

  r = Cli("job history -p web");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("Version     = 1\nStable      = false\nSubmit Date = ")) << r.out;
  EXPECT_NE(r.out.find("Diff        = \n+/- Job: \"web\"\n+/- Task Group: \"web\"\n  +/- Count: "
                       "\"1\" => \"2\"\n"),
            std::string::npos)
      << r.out;
}

TEST_F(CliE2eTest, StopAndPurge) {
  Write("batch.nomad", WebJob(1, "busybox", "\"x\"", "batch"));
  auto r = Cli("run batch.nomad");  // monitored: a batch job has no deployment
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_TRUE(WaitRunning("web", 1)) << agent_->Log();

  r = Cli("job inspect web");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["Job"]["Type"], "batch");

  r = Cli("stop web");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(R"(==> \S+: Evaluation "[0-9a-f]{8}" finished with status "complete"\n$)")))
      << r.out;
  r = Cli("status");
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\nweb  batch  50 +dead \(stopped\) +\S+\n$)")))
      << r.out;

  r = Cli("stop -purge -detach web");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex(R"([0-9a-f-]{36}\n)"))) << r.out;
  EXPECT_TRUE(WaitFor([&] { return Cli("status").out == "No running jobs\n"; }, kSettle));
  r = Cli("status web");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "No job(s) with prefix or ID \"web\" found\n");
}

TEST_F(CliE2eTest, PlacementFailureExitsTwo) {
  // More memory than any node has. max_parallel = 0: no deployment, so `run` stops after the
  // evaluation (with one, it would follow the deployment until capacity appears, as Nomad does).
  std::string job = WebJob(1, "thedojoseries/frontend", "\"x\"");
  job.replace(job.find("      service {"), 0,
              "      resources {\n        memory = 1000000\n      }\n");
  job.replace(job.find("    task \"server\""), 0, "    update {\n      max_parallel = 0\n    }\n");
  Write("huge.nomad", job);
  auto r = Cli("run huge.nomad");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("finished with status \"complete\" but failed to place all allocations:\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(": Task Group \"web\" (failed to place 1 allocation):\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("      * Dimension \"memory\" exhausted on 1 nodes\n"), std::string::npos)
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out,
      std::regex(
          R"(Evaluation "[0-9a-f]{8}" waiting for additional capacity to place remainder\n$)")))
      << r.out;
  r = Cli("status web");
  EXPECT_NE(r.out.find("\nPlacement Failure\nTask Group \"web\":\n"), std::string::npos) << r.out;
}

TEST(CliE2eUnreachableTest, NoAgentListening) {
  // Port 1: nothing listens there (a privileged port no test binds).
  auto r = Drover("http://127.0.0.1:1", "status");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "Error querying jobs: Get \"http://127.0.0.1:1/v1/jobs\": dial tcp 127.0.0.1:1: "
            "connect: connection refused\n");
  r = Drover("http://127.0.0.1:1", "node status");
  EXPECT_EQ(r.exit_code, 1);
  r = Drover("http://127.0.0.1:1", "server members");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("Error querying servers: ")) << r.err;
}

}  // namespace
}  // namespace drover::cli
