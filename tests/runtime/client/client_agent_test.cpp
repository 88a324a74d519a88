// The client agent inside real `drover agent` processes, with raw_exec tasks (so no docker is
// needed): a batch task's environment, events and logs; the restart policy; artifacts from an
// HTTP server on 127.0.0.1; kill_signal on stop; re-attaching to a running task after the agent
// was SIGKILLed; deployment health from the update block (healthy after min_healthy_time, unhealthy
// on a failed task or a passed healthy_deadline, none without a deployment); driver health
// following a (fake) docker daemon.
#include <signal.h>

#include <fstream>
#include <thread>

#include "runtime/http/http_server.h"
#include "tests/runtime/client/agent_harness.h"

namespace drover::testing {
namespace {

class DevAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = std::make_unique<TempDir>("drover-dev");
    StartAgent();
  }
  void TearDown() override {
    if (agent_) agent_->Stop();
  }
  void StartAgent(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"-dev",      "-data-dir", data_->path(), "-http-port", "0",
                                     "-rpc-port", "0",         "-log-level",  "DEBUG"};
    args.insert(args.end(), extra.begin(), extra.end());
    agent_ = Agent::Start(args);
    ASSERT_NE(agent_, nullptr);
    ASSERT_TRUE(agent_->WaitNodes(1, "raw_exec", 30s)) << agent_->Logs();
  }
  std::string Job(const std::string& name, const std::string& text) {
    std::string path = data_->path() + "/" + name + ".nomad";
    WriteFile(path, text);
    return path;
  }
  void Run(const std::string& file) {
    CommandResult r = agent_->RunJob(file);
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  std::string AllocDir(const json& alloc) {
    return data_->path() + "/alloc/" + alloc.value("ID", "");
  }

  std::unique_ptr<TempDir> data_;
  std::unique_ptr<Agent> agent_;
};

TEST_F(DevAgentTest, RunsABatchTaskWithItsEnvironmentEventsAndLogs) {
  Run(Job("batch", R"(
job "envjob" {
  datacenters = ["dc1"]
  type = "batch"
  meta { owner = "ops" }
  group "g" {
    network {
      port "http" {}
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args = ["-c", "env | sort > ${NOMAD_ALLOC_DIR}/data/env; echo out-${NOMAD_ALLOC_INDEX}; echo err-line >&2"]
      }
      env {
        PORT = "${NOMAD_PORT_http}"
        WHERE = "${node.datacenter}/${attr.kernel.name}"
      }
      resources {
        cpu = 120
        memory = 64
      }
    }
  }
}
)"));
  auto done = agent_->WaitAllocs(
      "envjob", 1, [](const json& a) { return ClientStatusIs(a, "complete"); }, 30s);
  ASSERT_EQ(done.size(), 1u) << agent_->Logs();
  const json& alloc = done[0];
  const std::string id = alloc["ID"];
  EXPECT_EQ(EventTypes(alloc, "t"),
            (std::vector<std::string>{"Received", "Task Setup", "Started", "Terminated"}))
      << EventMessages(alloc, "t");
  EXPECT_EQ(alloc["TaskStates"]["t"]["Events"][3]["DisplayMessage"], "Exit Code: 0");
  EXPECT_EQ(alloc["TaskStates"]["t"]["State"], "dead");
  EXPECT_EQ(alloc["TaskStates"]["t"]["Failed"], false);

  std::string env = ReadFileOr(AllocDir(alloc) + "/alloc/data/env");
  int port = alloc["AllocatedResources"]["Shared"]["Ports"][0]["Value"];
  EXPECT_NE(env.find("NOMAD_ALLOC_ID=" + id + "\n"), std::string::npos) << env;
  EXPECT_NE(env.find("NOMAD_SHORT_ALLOC_ID=" + id.substr(0, 8) + "\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_ALLOC_NAME=envjob.g[0]\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_JOB_NAME=envjob\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_GROUP_NAME=g\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_TASK_NAME=t\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_CPU_LIMIT=120\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_MEMORY_LIMIT=64\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_META_owner=ops\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_ALLOC_DIR=" + AllocDir(alloc) + "/alloc\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_PORT_http=" + std::to_string(port) + "\n"), std::string::npos);
  EXPECT_NE(env.find("PORT=" + std::to_string(port) + "\n"), std::string::npos);
  EXPECT_NE(env.find("NOMAD_ADDR_http=127.0.0.1:" + std::to_string(port) + "\n"),
            std::string::npos);
  EXPECT_NE(env.find("WHERE=dc1/linux\n"), std::string::npos);
  for (const char* dir :
       {"/alloc/logs", "/alloc/tmp", "/alloc/data", "/t/local", "/t/secrets", "/t/tmp"}) {
    EXPECT_TRUE(std::filesystem::is_directory(AllocDir(alloc) + dir)) << dir;
  }

  // Logs: the client's endpoint, and `drover alloc logs` through the node's address.
  HttpResult out = agent_->Get("/v1/client/fs/logs/" + id + "?task=t&type=stdout&plain=true");
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.body, "out-0\n");
  CommandResult cli =
      agent_->Cli("alloc logs -address " + agent_->Address() + " " + id.substr(0, 8));
  EXPECT_EQ(cli.exit_code, 0);
  EXPECT_EQ(cli.out, "out-0\n");
  cli = agent_->Cli("alloc logs -stderr -address " + agent_->Address() + " " + id + " t");
  EXPECT_EQ(cli.out, "err-line\n");
  cli = agent_->Cli("alloc logs -address " + agent_->Address() + " " + id + " nope");
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_NE(cli.out.find("Could not find task named: nope"), std::string::npos) << cli.out;
  EXPECT_EQ(agent_->Get("/v1/client/fs/logs/" + id + "?task=nope").status, 404);
  EXPECT_EQ(agent_->Get("/v1/client/fs/logs/" + id + "?task=t&type=bogus").status, 400);
}

TEST_F(DevAgentTest, RestartPolicyRestartsThenFails) {
  Run(Job("fail", R"(
job "failing" {
  datacenters = ["dc1"]
  group "g" {
    restart {
      attempts = 1
      interval = "1m"
      delay    = "1s"
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo run >> ${NOMAD_ALLOC_DIR}/data/runs; exit 3"]
      }
    }
  }
}
)"));
  auto failed = agent_->WaitAllocs(
      "failing", 1, [](const json& a) { return ClientStatusIs(a, "failed"); }, 40s);
  ASSERT_EQ(failed.size(), 1u) << agent_->Logs();
  const json& alloc = failed[0];
  EXPECT_EQ(
      EventTypes(alloc, "t"),
      (std::vector<std::string>{"Received", "Task Setup", "Started", "Terminated", "Restarting",
                                "Task Setup", "Started", "Terminated", "Not Restarting"}))
      << EventMessages(alloc, "t");
  const json& events = alloc["TaskStates"]["t"]["Events"];
  EXPECT_EQ(events[3]["DisplayMessage"], "Exit Code: 3");
  EXPECT_EQ(events[8]["DisplayMessage"],
            "Exceeded allowed attempts 1 in interval 1m0s and mode is \"fail\"");
  EXPECT_EQ(alloc["TaskStates"]["t"]["Restarts"], 1);
  EXPECT_EQ(alloc["TaskStates"]["t"]["Failed"], true);
  EXPECT_EQ(ReadFileOr(AllocDir(alloc) + "/alloc/data/runs"), "run\nrun\n");
}

TEST_F(DevAgentTest, ArtifactsAreFetchedAndFailuresFollowTheRestartPolicy) {
  // An HTTP server on 127.0.0.1 with one archive.
  std::string tgz = data_->path() + "/site.tar.gz";
  WriteFile(data_->path() + "/site/index.html", "<title>site</title>\n");
  ASSERT_EQ(RunCommand("tar -C " + data_->path() + "/site -czf " + tgz + " index.html").exit_code,
            0);
  std::string archive = ReadFileOr(tgz);
  auto server = http::HttpServer::Start({}, [&](const http::ServerRequest& r) {
    if (r.path == "/site.tar.gz") return http::ServerResponse::Text(200, archive);
    return http::ServerResponse::Text(404, "not found");
  });
  ASSERT_TRUE(static_cast<bool>(server));
  std::string base = "http://127.0.0.1:" + std::to_string((*server)->port());
  Run(Job("art", R"(
job "art" {
  datacenters = ["dc1"]
  type = "batch"
  group "g" {
    task "t" {
      driver = "raw_exec"
      artifact {
        source      = ")" +
                     base + R"(/site.tar.gz"
        destination = "local/site"
      }
      config {
        command = "/bin/cat"
        args    = ["local/site/index.html"]
      }
    }
  }
}
)"));
  auto done = agent_->WaitAllocs(
      "art", 1, [](const json& a) { return ClientStatusIs(a, "complete"); }, 30s);
  ASSERT_EQ(done.size(), 1u) << agent_->Logs();
  EXPECT_EQ(EventTypes(done[0], "t"),
            (std::vector<std::string>{"Received", "Task Setup", "Downloading Artifacts", "Started",
                                      "Terminated"}))
      << EventMessages(done[0], "t");
  HttpResult out =
      agent_->Get("/v1/client/fs/logs/" + done[0]["ID"].get<std::string>() + "?task=t&plain=true");
  EXPECT_EQ(out.body, "<title>site</title>\n");

  Run(Job("missing", R"(
job "missing" {
  datacenters = ["dc1"]
  type = "batch"
  group "g" {
    restart {
      attempts = 1
      delay    = "1s"
      interval = "1m"
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    task "t" {
      driver = "raw_exec"
      artifact {
        source = ")" + base +
                         R"(/missing.tgz"
      }
      config {
        command = "/bin/true"
      }
    }
  }
}
)"));
  auto failed = agent_->WaitAllocs(
      "missing", 1, [](const json& a) { return ClientStatusIs(a, "failed"); }, 30s);
  ASSERT_EQ(failed.size(), 1u) << agent_->Logs();
  std::string messages = EventMessages(failed[0], "t");
  EXPECT_NE(messages.find("Failed Artifact Download: failed to download artifact \"" + base +
                          "/missing.tgz\": bad response code: 404"),
            std::string::npos)
      << messages;
  EXPECT_NE(messages.find("Restarting: Task restarting in"), std::string::npos) << messages;
  EXPECT_NE(messages.find("Not Restarting: Exceeded allowed attempts 1"), std::string::npos)
      << messages;
  EXPECT_EQ(messages.find("Started"), std::string::npos) << messages;
  (*server)->Stop();
}

TEST_F(DevAgentTest, StopSendsTheKillSignalAndReportsComplete) {
  Run(Job("svc", R"(
job "svc" {
  datacenters = ["dc1"]
  group "g" {
    task "t" {
      driver       = "raw_exec"
      kill_signal  = "SIGTERM"
      kill_timeout = "10s"
      config {
        command = "/bin/sh"
        args    = ["-c", "trap 'echo got-term; exit 0' TERM; echo started; while true; do sleep 0.1; done"]
      }
    }
  }
}
)"));
  auto running = agent_->WaitAllocs(
      "svc", 1, [](const json& a) { return ClientStatusIs(a, "running"); }, 30s);
  ASSERT_EQ(running.size(), 1u) << agent_->Logs();
  const std::string id = running[0]["ID"];
  ASSERT_TRUE(Eventually(
      [&] {
        return agent_->Get("/v1/client/fs/logs/" + id + "?task=t&plain=true").body == "started\n";
      },
      10s));
  // `alloc logs -f` follows the output as it comes.
  auto follow = ChildProcess::Spawn(
      {DroverExe(), "alloc", "logs", "-f", "-address", agent_->Address(), id.substr(0, 8)});
  ASSERT_NE(follow, nullptr);
  EXPECT_TRUE(follow->WaitForStdout("started\n", 10s));
  CommandResult stop = agent_->Cli("job stop -detach -address " + agent_->Address() + " svc");
  ASSERT_EQ(stop.exit_code, 0) << stop.out;
  auto complete = agent_->WaitAllocs(
      "svc", 1, [](const json& a) { return ClientStatusIs(a, "complete"); }, 30s);
  ASSERT_EQ(complete.size(), 1u) << agent_->Logs();
  std::vector<std::string> types = EventTypes(complete[0], "t");
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ(types[types.size() - 2], "Killing") << EventMessages(complete[0], "t");
  EXPECT_EQ(types.back(), "Killed");
  EXPECT_EQ(complete[0]["TaskStates"]["t"]["Events"][types.size() - 2]["DisplayMessage"],
            "Sent interrupt. Waiting 10s before force killing");
  EXPECT_EQ(agent_->Get("/v1/client/fs/logs/" + id + "?task=t&plain=true").body,
            "started\ngot-term\n");
  EXPECT_TRUE(follow->WaitForStdout("started\ngot-term\n", 10s)) << follow->Stdout();
  follow->Signal(SIGTERM);
  const std::string logs = "alloc logs -address " + agent_->Address() + " ";
  EXPECT_EQ(agent_->Cli(logs + "-tail -n 1 " + id).out, "got-term\n");
  EXPECT_EQ(agent_->Cli(logs + "-tail " + id).out, "started\ngot-term\n");
  EXPECT_EQ(agent_->Cli(logs + "-tail -c 5 " + id).out, "term\n");
}

TEST_F(DevAgentTest, ReattachesToARunningTaskAfterSigkill) {
  Run(Job("long", R"(
job "long" {
  datacenters = ["dc1"]
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo $$ > ${NOMAD_ALLOC_DIR}/data/pid; exec sleep 600"]
      }
    }
  }
}
)"));
  auto running = agent_->WaitAllocs(
      "long", 1, [](const json& a) { return ClientStatusIs(a, "running"); }, 30s);
  ASSERT_EQ(running.size(), 1u) << agent_->Logs();
  const std::string id = running[0]["ID"];
  const std::string node_id = running[0]["NodeID"];
  std::string pid_file = AllocDir(running[0]) + "/alloc/data/pid";
  ASSERT_TRUE(Eventually([&] { return !ReadFileOr(pid_file).empty(); }, 10s));
  int pid = std::stoi(ReadFileOr(pid_file));
  ASSERT_TRUE(ProcessAlive(pid));

  agent_->Kill();
  EXPECT_TRUE(ProcessAlive(pid)) << "the task must outlive the agent";
  StartAgent();
  // Same node, same allocation, same process; the client re-reports the task as running.
  json alloc;
  ASSERT_TRUE(Eventually(
      [&] {
        alloc = agent_->GetJson("/v1/allocation/" + id);
        return alloc.is_object() && ClientStatusIs(alloc, "running") && alloc["NodeID"] == node_id;
      },
      30s))
      << agent_->Logs();
  std::this_thread::sleep_for(2s);  // give a wrong restart time to show
  alloc = agent_->GetJson("/v1/allocation/" + id);
  EXPECT_TRUE(ClientStatusIs(alloc, "running"));
  EXPECT_TRUE(ProcessAlive(pid));
  EXPECT_EQ(std::stoi(ReadFileOr(pid_file, "0")), pid);
  std::vector<std::string> types = EventTypes(alloc, "t");
  EXPECT_EQ(std::count(types.begin(), types.end(), "Started"), 1) << EventMessages(alloc, "t");
  EXPECT_EQ(agent_->Allocs("long").size(), 1u);
  EXPECT_NE(agent_->Logs().find("re-attached"), std::string::npos);

  // The new agent still controls the task: stopping the job ends the process.
  ASSERT_EQ(agent_->Cli("job stop -detach -address " + agent_->Address() + " long").exit_code, 0);
  EXPECT_TRUE(Eventually([&] { return !ProcessAlive(pid); }, 30s));
  if (ProcessAlive(pid)) ::kill(pid, SIGKILL);
}

TEST_F(DevAgentTest, LifecycleHooksRunInOrder) {
  Run(Job("life", R"(
job "life" {
  datacenters = ["dc1"]
  type = "batch"
  group "g" {
    task "init" {
      lifecycle {
        hook = "prestart"
      }
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "sleep 0.3; echo init >> ${NOMAD_ALLOC_DIR}/data/order"]
      }
    }
    task "side" {
      lifecycle {
        hook    = "prestart"
        sidecar = true
      }
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "while true; do sleep 0.1; done"]
      }
    }
    task "main" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "cat ${NOMAD_ALLOC_DIR}/data/order; echo main >> ${NOMAD_ALLOC_DIR}/data/order"]
      }
    }
    task "post" {
      lifecycle {
        hook = "poststop"
      }
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo post >> ${NOMAD_ALLOC_DIR}/data/order"]
      }
    }
  }
}
)"));
  auto done = agent_->WaitAllocs(
      "life", 1, [](const json& a) { return ClientStatusIs(a, "complete"); }, 30s);
  ASSERT_EQ(done.size(), 1u) << agent_->Logs();
  EXPECT_EQ(ReadFileOr(AllocDir(done[0]) + "/alloc/data/order"), "init\nmain\npost\n");
  EXPECT_EQ(
      agent_
          ->Get("/v1/client/fs/logs/" + done[0]["ID"].get<std::string>() + "?task=main&plain=true")
          .body,
      "init\n");
  // The sidecar ran alongside and was stopped when the main task finished.
  std::vector<std::string> side = EventTypes(done[0], "side");
  ASSERT_GE(side.size(), 2u);
  EXPECT_EQ(side[side.size() - 2], "Killing") << EventMessages(done[0], "side");
  EXPECT_EQ(side.back(), "Killed");
  for (const char* task : {"init", "side", "main", "post"}) {
    EXPECT_EQ(done[0]["TaskStates"][task]["State"], "dead") << task;
    EXPECT_EQ(done[0]["TaskStates"][task]["Failed"], false) << task;
  }
}

// A stand-in for dockerd on TCP: answers /version and /info while `up`.
// Deployment health, computed by the client from the group's update block (task_states; "checks"
// behaves the same until the client runs service checks).
bool HasHealth(const json& alloc) {
  return alloc.contains("DeploymentStatus") && alloc["DeploymentStatus"].is_object() &&
         alloc["DeploymentStatus"]["Healthy"].is_boolean();
}

std::string ServiceJob(const std::string& update, const std::string& script) {
  return R"(
job "health" {
  datacenters = ["dc1"]
  group "g" {
    update {
)" + update +
         R"(
    }
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", ")" +
         script + R"("]
      }
    }
  }
}
)";
}

int64_t RfcNanos(const std::string& text) {
  // "2026-11-29T05:21:20.035123456Z" (RFC 3339 with optional fraction, UTC).
  std::tm tm{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return 0;
  int64_t ns = static_cast<int64_t>(timegm(&tm)) * 1000000000;
  if (*rest == '.') {
    int64_t frac = 0, scale = 100000000;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest, scale /= 10) frac += (*rest - '0') * scale;
    ns += frac;
  }
  return ns;
}

TEST_F(DevAgentTest, AllocationBecomesHealthyAfterMinHealthyTime) {
  Run(Job("health", ServiceJob(R"(      min_healthy_time = "1s"
      healthy_deadline = "1m")",
                               "sleep 600")));
  auto healthy = agent_->WaitAllocs("health", 1, HasHealth, 30s);
  ASSERT_EQ(healthy.size(), 1u) << agent_->Logs();
  const json& a = healthy[0];
  EXPECT_EQ(a["DeploymentStatus"]["Healthy"], true) << a.dump();
  EXPECT_FALSE(a["DeploymentID"].get<std::string>().empty());
  EXPECT_EQ(a["ClientStatus"], "running");
  // Healthy only once the task has been running for min_healthy_time (a fact about the order of
  // two reported times, not a speed measurement).
  int64_t started = RfcNanos(a["TaskStates"]["t"]["StartedAt"].get<std::string>());
  int64_t at = RfcNanos(a["DeploymentStatus"]["Timestamp"].get<std::string>());
  ASSERT_GT(started, 0) << a.dump();
  EXPECT_GE(at - started, int64_t{1000000000}) << a.dump();

  // The server counts it: the deployment of this single allocation succeeds.
  ASSERT_TRUE(Eventually(
      [&] {
        return agent_->GetJson("/v1/job/health/deployment").value("Status", "") == "successful";
      },
      30s))
      << agent_->GetJson("/v1/job/health/deployment").dump();
  json d = agent_->GetJson("/v1/job/health/deployment");
  EXPECT_EQ(d["TaskGroups"]["g"]["HealthyAllocs"], 1);
  EXPECT_EQ(d["StatusDescription"], "Deployment completed successfully");
}

TEST_F(DevAgentTest, AFailedTaskMakesTheAllocationUnhealthy) {
  Run(Job("health", ServiceJob(R"(      health_check     = "checks"
      min_healthy_time = "5s"
      healthy_deadline = "1m")",
                               "sleep 0.5; exit 1")));
  auto reported = agent_->WaitAllocs("health", 1, HasHealth, 30s);
  ASSERT_EQ(reported.size(), 1u) << agent_->Logs();
  EXPECT_EQ(reported[0]["DeploymentStatus"]["Healthy"], false) << reported[0].dump();
  EXPECT_EQ(reported[0]["ClientStatus"], "failed");
  ASSERT_TRUE(Eventually(
      [&] { return agent_->GetJson("/v1/job/health/deployment").value("Status", "") == "failed"; },
      30s))
      << agent_->GetJson("/v1/job/health/deployment").dump();
  EXPECT_EQ(agent_->GetJson("/v1/job/health/deployment")["StatusDescription"],
            "Failed due to unhealthy allocations");
}

TEST_F(DevAgentTest, NotHealthyByTheDeadlineIsUnhealthy) {
  // The task keeps running but is never up for min_healthy_time in one stretch: it restarts
  // every half second (the restart policy allows that), so healthy_deadline passes first.
  std::string job = ServiceJob(R"(      min_healthy_time = "2s"
      healthy_deadline = "3s"
      progress_deadline = "0")",
                               "sleep 0.5; exit 1");
  job.replace(job.find("      attempts = 0\n      mode     = \"fail\""),
              std::string("      attempts = 0\n      mode     = \"fail\"").size(),
              "      attempts = 100\n      interval = \"10m\"\n      delay    = \"200ms\"\n"
              "      mode     = \"fail\"");
  Run(Job("health", job));
  auto reported = agent_->WaitAllocs("health", 1, HasHealth, 30s);
  ASSERT_EQ(reported.size(), 1u) << agent_->Logs();
  const json& a = reported[0];
  EXPECT_EQ(a["DeploymentStatus"]["Healthy"], false) << a.dump();
  std::vector<std::string> types = EventTypes(a, "t");
  EXPECT_NE(std::find(types.begin(), types.end(), "Alloc Unhealthy"), types.end())
      << EventMessages(a, "t");
  bool message = false;
  for (const json& e : a["TaskStates"]["t"]["Events"]) {
    message |=
        e.value("DisplayMessage", "") == "Task not running for min_healthy_time of 2s by deadline";
  }
  EXPECT_TRUE(message) << EventMessages(a, "t");
}

TEST_F(DevAgentTest, NoDeploymentNoHealth) {
  // max_parallel = 0: no deployment, so the client reports no deployment health.
  Run(Job("health", ServiceJob(R"(      max_parallel     = 0
      min_healthy_time = "0s")",
                               "sleep 600")));
  auto running = agent_->WaitAllocs(
      "health", 1, [](const json& a) { return ClientStatusIs(a, "running"); }, 30s);
  ASSERT_EQ(running.size(), 1u) << agent_->Logs();
  std::this_thread::sleep_for(1500ms);  // long enough for a report, had there been one
  json a = agent_->Allocs("health")[0];
  EXPECT_FALSE(HasHealth(a)) << a.dump();
  EXPECT_EQ(a.value("DeploymentID", ""), "");
  EXPECT_TRUE(agent_->GetJson("/v1/job/health/deployment").is_null());
}

TEST(ClientDriverHealthTest, DockerBecomesUnhealthyWhenTheDaemonGoesAwayAndTheNodeStaysReady) {
  TempDir data("drover-health");
  std::atomic<bool> up{true};
  auto fake = http::HttpServer::Start({}, [&](const http::ServerRequest& r) {
    if (!up) return http::ServerResponse::Text(503, "down");
    if (r.path.ends_with("/version")) {
      return http::ServerResponse::Json(
          200, R"({"Version":"20.10.24","ApiVersion":"1.41","Os":"linux"})");
    }
    if (r.path.ends_with("/info")) return http::ServerResponse::Json(200, "{}");
    return http::ServerResponse::Text(404, "no");
  });
  ASSERT_TRUE(static_cast<bool>(fake));
  std::string config = data.path() + "/agent.hcl";
  WriteFile(config, R"(
client {
  options = {
    "drover.driver_check_interval" = "300ms"
  }
}
plugin "docker" {
  config {
    endpoint = "tcp://127.0.0.1:)" +
                        std::to_string((*fake)->port()) + R"("
  }
}
)");
  auto agent = Agent::Start(
      {"-dev", "-config", config, "-data-dir", data.path(), "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(agent, nullptr);
  ASSERT_TRUE(agent->WaitNodes(1, "docker", 30s)) << agent->Logs();
  std::string node_id = agent->ReadyNodes()[0]["ID"];
  json node = agent->GetJson("/v1/node/" + node_id);
  EXPECT_EQ(node["Attributes"]["driver.docker.version"], "20.10.24");

  up = false;
  ASSERT_TRUE(Eventually(
      [&] {
        node = agent->GetJson("/v1/node/" + node_id);
        return node.is_object() && node["Drivers"]["docker"]["Healthy"] == false;
      },
      20s))
      << agent->Logs();
  EXPECT_EQ(node["Drivers"]["docker"]["Detected"], true);
  EXPECT_EQ(node["Status"], "ready");
  EXPECT_EQ(node["Drivers"]["raw_exec"]["Healthy"], true);

  up = true;
  EXPECT_TRUE(Eventually(
      [&] {
        node = agent->GetJson("/v1/node/" + node_id);
        return node.is_object() && node["Drivers"]["docker"]["Healthy"] == true;
      },
      20s));
  agent->Stop();
  (*fake)->Stop();
}

}  // namespace
}  // namespace drover::testing
