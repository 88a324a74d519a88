// The seed walkthrough (shared/seed/dojo.md), phases 2-8 and 10, on real agents and a real
// dockerd, checked the way its Definitions of Done say: `drover node status` shows a ready node
// (2); `drover job run` + `job status` show a running allocation (3); a server and a client from
// stdlib_jobs/agents (4, the client on 127.0.0.2); a static port 8080 published as
// 127.0.0.2:8080->8080/tcp that serves the page (5); `job plan` of five copies with that static
// port fails with the port collision (6); five containers on five dynamic ports (7); an exec task
// with an artifact seen by `ps` (8, a stand-in for Consul served from 127.0.0.1); and PORT set to
// NOMAD_PORT_http inside every container, the app answering there (10). Phases 5, 7 and 10 are
// updates of the same job `frontend`: each `job run` follows its rolling deployment to success
// and the previous phase's containers are gone.
//
// Containers are removed by name (<task>-<alloc id>) for the allocations these tests created;
// agents are stopped by PID.
#include <archive.h>
#include <archive_entry.h>

#include <regex>
#include <set>

#include "runtime/http/http_server.h"
#include "tests/runtime/client/agent_harness.h"

namespace drover::testing {
namespace {

std::string Repo(const std::string& rel) { return SourceDir() + "/" + rel; }

class DojoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    CommandResult ping =
        RunCommand("curl -sf --max-time 5 --unix-socket /var/run/docker.sock http://docker/_ping");
    if (ping.exit_code != 0 || ping.out != "OK") {
      skip_ = "dockerd is not reachable on /var/run/docker.sock (scripts/bootstrap starts it)";
      return;
    }
    CommandResult build = RunCommand(Repo("stdlib_jobs/images/build") + " 2>&1");
    if (build.exit_code != 0) skip_ = "building the demo images failed: " + build.out;
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
  }
  void TearDown() override {
    for (const std::string& name : containers_)
      RunCommand("docker rm -f " + name + " >/dev/null 2>&1");
  }

  /// Remembers the containers of `job`'s allocations so that TearDown removes them.
  void Track(const Agent& agent, const std::string& job) {
    for (const json& a : agent.Allocs(job)) {
      for (auto it = a["TaskStates"].begin();
           a["TaskStates"].is_object() && it != a["TaskStates"].end(); ++it) {
        containers_.insert(it.key() + "-" + a["ID"].get<std::string>());
      }
    }
  }
  /// `docker ps` PORTS of the running containers of these allocations.
  std::vector<std::string> DockerPorts(const std::vector<json>& allocs, const std::string& task) {
    std::vector<std::string> out;
    for (const json& a : allocs) {
      CommandResult r = RunCommand("docker ps --filter name=^/" + task + "-" +
                                   a["ID"].get<std::string>() + "$ --format '{{.Ports}}'");
      while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
      out.push_back(r.out);
    }
    return out;
  }

  static std::string skip_;
  std::set<std::string> containers_;
};
std::string DojoTest::skip_;

bool Running(const json& a) {
  return a.value("ClientStatus", "") == "running" && a.value("DesiredStatus", "") == "run";
}

TEST_F(DojoTest, Phase2And3DevAgentRunsTheFrontend) {
  TempDir data("drover-dojo-dev");
  auto agent =
      Agent::Start({"-dev", "-data-dir", data.path(), "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(agent, nullptr);
  ASSERT_TRUE(agent->WaitNodes(1, "docker", 30s)) << agent->Logs();
  // Phase 2: `node status` shows one ready node.
  CommandResult nodes = agent->Cli("node status -address " + agent->Address());
  ASSERT_EQ(nodes.exit_code, 0) << nodes.out;
  EXPECT_TRUE(std::regex_search(
      nodes.out, std::regex(R"(ID +Node Pool +DC +Name +Class +Drain +Eligibility +Status\n)"
                            R"([0-9a-f]{8} +default +dc1 +\S+ +<none> +false +eligible +ready\n)")))
      << nodes.out;

  // Phase 3: run the job; `job status` lists the allocation as running.
  CommandResult run = agent->Cli("job run -address " + agent->Address() + " " +
                                 Repo("stdlib_jobs/dojo/phase3-frontend.nomad"));
  Track(*agent, "frontend");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  auto running = agent->WaitAllocs("frontend", 1, Running, 60s);
  Track(*agent, "frontend");
  ASSERT_EQ(running.size(), 1u) << agent->Logs();
  CommandResult status = agent->Cli("job status -address " + agent->Address() + " frontend");
  EXPECT_TRUE(std::regex_search(
      status.out,
      std::regex(
          R"(Allocations\nID +Node ID +Task Group +Version +Desired +Status +Created +Modified\n)"
          R"([0-9a-f]{8} +[0-9a-f]{8} +frontend +0 +run +running +)")))
      << status.out;
  // The container is there, named <task>-<alloc id>, nothing published yet.
  EXPECT_EQ(DockerPorts(running, "frontend"), std::vector<std::string>{"8080/tcp"});

  // SIGKILL the agent and start it again on the same data dir: the client re-attaches to the
  // same container (same id, no second Started event) instead of starting a new one.
  const std::string name = "frontend-" + running[0]["ID"].get<std::string>();
  auto container_id = [&] {
    CommandResult r = RunCommand("docker inspect -f '{{.Id}}' " + name);
    return r.exit_code == 0 ? r.out : "";
  };
  const std::string before = container_id();
  ASSERT_FALSE(before.empty());
  agent->Kill();
  agent = Agent::Start({"-dev", "-data-dir", data.path(), "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(agent, nullptr);
  json alloc;
  ASSERT_TRUE(Eventually(
      [&] {
        alloc = agent->GetJson("/v1/allocation/" + running[0]["ID"].get<std::string>());
        return alloc.is_object() && alloc["ClientStatus"] == "running" &&
               agent->Logs().find("re-attached") != std::string::npos;
      },
      30s))
      << agent->Logs();
  std::this_thread::sleep_for(2s);
  alloc = agent->GetJson("/v1/allocation/" + running[0]["ID"].get<std::string>());
  EXPECT_EQ(alloc["ClientStatus"], "running");
  EXPECT_EQ(container_id(), before);
  std::vector<std::string> types = EventTypes(alloc, "frontend");
  EXPECT_EQ(std::count(types.begin(), types.end(), "Started"), 1)
      << EventMessages(alloc, "frontend");
  EXPECT_EQ(agent->Allocs("frontend").size(), 1u);

  agent->Cli("job stop -address " + agent->Address() + " frontend");
  agent->Stop();  // a -dev agent stops its tasks
  EXPECT_EQ(DockerPorts(running, "frontend"), std::vector<std::string>{""});
}

TEST_F(DojoTest, AnImageThatCannotBePulledFailsWithTheDriversMessage) {
  TempDir data("drover-dojo-pull");
  auto agent =
      Agent::Start({"-dev", "-data-dir", data.path(), "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(agent, nullptr);
  ASSERT_TRUE(agent->WaitNodes(1, "docker", 30s)) << agent->Logs();
  WriteFile(data.path() + "/pull.nomad", R"(
job "pull" {
  datacenters = ["dc1"]
  type = "batch"
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    task "t" {
      driver = "docker"
      config {
        image = "drover-test/no-such-image:0"
      }
    }
  }
}
)");
  CommandResult run = agent->RunJob(data.path() + "/pull.nomad");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  auto failed = agent->WaitAllocs(
      "pull", 1, [](const json& a) { return a.value("ClientStatus", "") == "failed"; }, 60s);
  ASSERT_EQ(failed.size(), 1u) << agent->Logs();
  std::string events = EventMessages(failed[0], "t");
  EXPECT_NE(events.find("Driver: Downloading image\n"), std::string::npos) << events;
  EXPECT_NE(events.find("Driver Failure: Failed to pull `drover-test/no-such-image:0`: "),
            std::string::npos)
      << events;
  EXPECT_NE(events.find("Not Restarting: Policy allows no restarts"), std::string::npos) << events;
}

// A zip with one executable script, `consul`, standing in for the real binary.
std::string ConsulZip() {
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  std::vector<char> buf(1 << 16);
  size_t used = 0;
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  std::string script = "#!/bin/sh\necho \"consul $*\"\nwhile true; do sleep 1; done\n";
  struct archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "consul");
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0755);
  archive_entry_set_size(e, static_cast<la_int64_t>(script.size()));
  archive_write_header(a, e);
  archive_write_data(a, script.data(), script.size());
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

TEST_F(DojoTest, Phases4To10OnAServerAndAClientFromTheAgentConfigs) {
  TempDir dir("drover-dojo");
  // Phase 4: the shipped configs; data dirs and the server's ports moved aside for the test.
  auto server = Agent::Start({"-config", Repo("stdlib_jobs/agents/server.hcl"), "-data-dir",
                              dir.path() + "/server", "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(server, nullptr);
  auto client =
      Agent::Start({"-config", Repo("stdlib_jobs/agents/client.hcl"), "-data-dir",
                    dir.path() + "/client", "-http-port", "0", "-servers", server->rpc()});
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->host(), "127.0.0.2");
  ASSERT_TRUE(server->WaitNodes(1, "docker", 30s)) << client->Logs();
  const std::string A = "-address " + server->Address() + " ";
  CommandResult nodes = server->Cli("node status " + A);
  EXPECT_TRUE(std::regex_search(nodes.out,
                                std::regex(R"(dc1 +team1-client +<none> +false +eligible +ready)")))
      << nodes.out;

  // Phase 5: static port 8080 on the client's address.
  CommandResult run =
      server->Cli("job run " + A + Repo("stdlib_jobs/dojo/phase5-static-port.nomad"));
  Track(*server, "frontend");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  auto running = server->WaitAllocs("frontend", 1, Running, 60s);
  Track(*server, "frontend");
  ASSERT_EQ(running.size(), 1u) << client->Logs();
  EXPECT_EQ(DockerPorts(running, "frontend"),
            std::vector<std::string>{"127.0.0.2:8080->8080/tcp, 127.0.0.2:8080->8080/udp"});
  HttpResult page;
  ASSERT_TRUE(Eventually(
      [&] {
        page = HttpDo("127.0.0.2", 8080, "GET", "/");
        return page.status == 200;
      },
      15s))
      << page.error;
  EXPECT_NE(page.body.find("<title>frontend</title>"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("<!DOCTYPE html>"), std::string::npos);

  // Phase 6: five copies with a static port cannot be placed on one node.
  CommandResult plan = server->Cli("job plan " + A + Repo("stdlib_jobs/dojo/phase6-scaling.nomad"));
  EXPECT_NE(plan.out.find("Scheduler dry-run:\n"
                          "- WARNING: Failed to place all allocations.\n"
                          "  Task Group \"frontend\" (failed to place 4 allocations):\n"
                          "    * Resources exhausted on 1 nodes\n"
                          "    * Dimension \"network: reserved port collision http=8080\" "
                          "exhausted on 1 nodes\n"),
            std::string::npos)
      << plan.out;

  // From here on each phase updates the same job in place of the last: `job run` follows the
  // rolling deployment (max_parallel 1, min_healthy_time 10s by default) until it succeeds.
  std::vector<json> phase5 = running;
  auto expect_deployed = [&](const CommandResult& r, const std::string& phase) {
    EXPECT_NE(
        r.out.find("Status      = successful\nDescription = Deployment completed successfully"),
        std::string::npos)
        << phase << ": " << r.out;
    json d = server->GetJson("/v1/job/frontend/deployment");
    EXPECT_EQ(d.value("Status", ""), "successful") << phase << ": " << d.dump();
    EXPECT_EQ(d["JobVersion"], server->GetJson("/v1/job/frontend")["Version"]) << phase;
  };

  // Phase 7: dynamic ports, five containers on five different ports.
  run = server->Cli("job run " + A + Repo("stdlib_jobs/dojo/phase7-dynamic-ports.nomad"));
  Track(*server, "frontend");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  expect_deployed(run, "phase 7");
  running = server->WaitAllocs("frontend", 5, Running, 90s);
  Track(*server, "frontend");
  ASSERT_EQ(running.size(), 5u) << client->Logs();
  for (const json& a : running) EXPECT_EQ(a["JobVersion"], 1) << a.dump();
  // The phase 5 container (static port 8080) was replaced, not left running beside them.
  EXPECT_EQ(DockerPorts(phase5, "frontend"), std::vector<std::string>{""});
  std::set<int> ports;
  std::vector<std::string> published = DockerPorts(running, "frontend");
  for (size_t i = 0; i < running.size(); ++i) {
    int p = running[i]["AllocatedResources"]["Shared"]["Ports"][0]["Value"];
    ports.insert(p);
    EXPECT_GE(p, 20000);
    EXPECT_LE(p, 32000);
    std::string s = std::to_string(p);
    // As in the dojo's listing: the image's EXPOSEd 8080 unpublished, the dynamic port published.
    EXPECT_EQ(published[i],
              "8080/tcp, 127.0.0.2:" + s + "->" + s + "/tcp, 127.0.0.2:" + s + "->" + s + "/udp");
  }
  EXPECT_EQ(ports.size(), 5u);

  // Phase 8: an exec task with an artifact (a stand-in for Consul, from a server on 127.0.0.1).
  std::string zip = ConsulZip();
  auto files = http::HttpServer::Start({}, [&](const http::ServerRequest& r) {
    if (r.path == "/consul_1.6.2_linux_amd64.zip") return http::ServerResponse::Text(200, zip);
    return http::ServerResponse::Text(404, "not found");
  });
  ASSERT_TRUE(static_cast<bool>(files));
  std::string url =
      "http://127.0.0.1:" + std::to_string((*files)->port()) + "/consul_1.6.2_linux_amd64.zip";
  run = server->Cli("job run " + A + "-var consul_url=" + url + " " +
                    Repo("stdlib_jobs/dojo/phase8-consul.nomad"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  auto consul = server->WaitAllocs("consul", 1, Running, 60s);
  ASSERT_EQ(consul.size(), 1u) << client->Logs();
  CommandResult ps;
  EXPECT_TRUE(Eventually(
      [&] {
        ps = RunCommand("ps -ef | grep 'consul agent -dev' | grep -v grep");
        return ps.exit_code == 0;
      },
      10s))
      << ps.out;
  EXPECT_NE(ps.out.find("local/consul agent -dev"), std::string::npos) << ps.out;
  server->Cli("job stop " + A + "consul");
  EXPECT_TRUE(Eventually(
      [&] {
        json a = server->GetJson("/v1/allocation/" + consul[0]["ID"].get<std::string>());
        return a.is_object() && a["ClientStatus"] == "complete";
      },
      30s));
  EXPECT_NE(RunCommand("ps -ef | grep 'consul agent -dev' | grep -v grep").exit_code, 0);
  (*files)->Stop();

  // Phase 10: PORT is NOMAD_PORT_http inside each container, and the app answers there. The env
  // change replaces the five phase 7 allocations one at a time.
  std::vector<json> phase7 = running;
  run = server->Cli("job run " + A + Repo("stdlib_jobs/frontend.nomad"));
  Track(*server, "frontend");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  expect_deployed(run, "phase 10");
  running = server->WaitAllocs("frontend", 5, Running, 90s);
  Track(*server, "frontend");
  ASSERT_EQ(running.size(), 5u) << client->Logs();
  for (const json& a : running) EXPECT_EQ(a["JobVersion"], 2) << a.dump();
  for (const std::string& p : DockerPorts(phase7, "frontend")) EXPECT_EQ(p, "");
  for (const json& a : running) {
    std::string name = "frontend-" + a["ID"].get<std::string>();
    CommandResult env = RunCommand("docker exec " + name + " env");
    int p = a["AllocatedResources"]["Shared"]["Ports"][0]["Value"];
    std::string s = std::to_string(p);
    EXPECT_NE(env.out.find("NOMAD_PORT_http=" + s + "\n"), std::string::npos) << env.out;
    EXPECT_NE(env.out.find("\nPORT=" + s + "\n"), std::string::npos) << env.out;
    EXPECT_NE(env.out.find("NOMAD_HOST_PORT_http=" + s + "\n"), std::string::npos) << env.out;
    HttpResult r;
    EXPECT_TRUE(Eventually(
        [&] {
          r = HttpDo("127.0.0.2", p, "GET", "/");
          return r.status == 200;
        },
        15s))
        << name << ": " << r.error;
    EXPECT_NE(r.body.find("<title>frontend</title>"), std::string::npos);
    // Nothing listens on 8080 inside: the app took PORT.
    CommandResult inside =
        RunCommand("docker exec " + name + " wget -q -O - http://127.0.0.1:8080/ 2>&1");
    EXPECT_NE(inside.exit_code, 0) << inside.out;
  }
  // `alloc logs -stderr`, asked of the server, reads from the client (127.0.0.2) the requests
  // httpd logged.
  CommandResult logs = server->Cli("alloc logs -stderr " + A + running[0]["ID"].get<std::string>());
  EXPECT_EQ(logs.exit_code, 0) << logs.out;
  EXPECT_NE(logs.out.find("response:200"), std::string::npos) << logs.out;

  // `to`: a dynamic host port mapped to the container's 8080 (the app's default port).
  WriteFile(dir.path() + "/mapped.nomad", R"(
job "mapped" {
  datacenters = ["dc1"]
  group "web" {
    network {
      port "http" {
        to = 8080
      }
    }
    task "frontend" {
      driver = "docker"
      config {
        image = "thedojoseries/frontend"
        ports = ["http"]
      }
    }
  }
}
)");
  run = server->Cli("job run " + A + dir.path() + "/mapped.nomad");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  auto mapped = server->WaitAllocs("mapped", 1, Running, 60s);
  Track(*server, "mapped");
  ASSERT_EQ(mapped.size(), 1u) << client->Logs();
  {
    int host = mapped[0]["AllocatedResources"]["Shared"]["Ports"][0]["Value"];
    std::string h = std::to_string(host);
    EXPECT_EQ(
        DockerPorts(mapped, "frontend"),
        std::vector<std::string>{"127.0.0.2:" + h + "->8080/tcp, 127.0.0.2:" + h + "->8080/udp"});
    CommandResult env =
        RunCommand("docker exec frontend-" + mapped[0]["ID"].get<std::string>() + " env");
    EXPECT_NE(env.out.find("NOMAD_PORT_http=8080\n"), std::string::npos) << env.out;
    EXPECT_NE(env.out.find("NOMAD_HOST_PORT_http=" + h + "\n"), std::string::npos) << env.out;
    HttpResult r;
    EXPECT_TRUE(Eventually(
        [&] {
          r = HttpDo("127.0.0.2", host, "GET", "/");
          return r.status == 200;
        },
        15s))
        << r.error;
    EXPECT_NE(r.body.find("<title>frontend</title>"), std::string::npos);
  }
  server->Cli("job stop " + A + "mapped");

  server->Cli("job stop " + A + "frontend");
  EXPECT_TRUE(Eventually(
      [&] {
        for (const std::string& p : DockerPorts(mapped, "frontend")) {
          if (!p.empty()) return false;
        }
        for (const std::string& p : DockerPorts(running, "frontend")) {
          if (!p.empty()) return false;
        }
        return true;
      },
      60s));
  client->Stop();
  server->Stop();
}

}  // namespace
}  // namespace drover::testing
