// One server and two client agents on one machine, the clients bound to and advertising
// 127.0.0.2 and 127.0.0.3 (so each has its own ports). A job spreads over both; a SIGKILLed
// client's allocation is marked lost once its heartbeat TTL (shortened here) runs out and is
// replaced on the other client.
#include <signal.h>

#include "tests/runtime/client/agent_harness.h"

namespace drover::testing {
namespace {

TEST(MultiNodeTest, ALostClientsAllocationIsReplacedOnTheOtherClient) {
  TempDir dir("drover-cluster");
  WriteFile(dir.path() + "/server.hcl", R"(
log_level = "DEBUG"
server {
  enabled           = true
  bootstrap_expect  = 1
  min_heartbeat_ttl = "1s"
  heartbeat_grace   = "1s"
}
)");
  WriteFile(dir.path() + "/client.hcl", R"(
log_level = "DEBUG"
client {
  enabled = true
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}
)");
  auto server = Agent::Start({"-config", dir.path() + "/server.hcl", "-data-dir",
                              dir.path() + "/server", "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(server, nullptr);
  ASSERT_FALSE(server->rpc().empty());
  auto client = [&](const std::string& name, const std::string& ip) {
    return Agent::Start({"-config", dir.path() + "/client.hcl", "-data-dir",
                         dir.path() + "/" + name, "-node", name, "-bind", ip, "-http-port", "0",
                         "-servers", server->rpc()});
  };
  auto a = client("client-a", "127.0.0.2");
  auto b = client("client-b", "127.0.0.3");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(server->WaitNodes(2, "raw_exec", 30s)) << a->Logs() << b->Logs();

  WriteFile(dir.path() + "/web.nomad", R"(
job "web" {
  datacenters = ["dc1"]
  group "web" {
    count = 2
    spread {
      attribute = "${node.unique.name}"
    }
    network {
      port "http" {}
    }
    task "httpd" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args = ["-c", "mkdir -p $NOMAD_TASK_DIR/www && echo ${node.unique.name} > $NOMAD_TASK_DIR/www/index.html && echo $$ > $NOMAD_ALLOC_DIR/data/pid && exec /bin/busybox httpd -f -p $NOMAD_ADDR_http -h $NOMAD_TASK_DIR/www"]
      }
    }
  }
}
)");
  CommandResult run = server->RunJob(dir.path() + "/web.nomad");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  auto running = server->WaitAllocs(
      "web", 2, [](const json& x) { return ClientStatusIs(x, "running"); }, 30s);
  ASSERT_EQ(running.size(), 2u) << server->Logs() << a->Logs() << b->Logs();
  std::map<std::string, json> by_node;
  for (const json& alloc : running) by_node[alloc["NodeName"]] = alloc;
  ASSERT_EQ(by_node.size(), 2u) << "the job must run on both clients";

  // Each task answers on its own node's address with the node's name.
  for (const auto& [name, alloc] : by_node) {
    const json& port = alloc["AllocatedResources"]["Shared"]["Ports"][0];
    std::string ip = port["HostIP"];
    EXPECT_EQ(ip, name == "client-a" ? "127.0.0.2" : "127.0.0.3");
    HttpResult r;
    ASSERT_TRUE(Eventually(
        [&] {
          r = HttpDo(ip, port["Value"].get<int>(), "GET", "/index.html");
          return r.status == 200;
        },
        10s))
        << r.error;
    EXPECT_EQ(r.body, name + "\n");
  }

  // client-a dies; its task is left behind (as on a machine that lost its agent).
  const json lost = by_node["client-a"];
  std::string pid_file =
      dir.path() + "/client-a/alloc/" + lost["ID"].get<std::string>() + "/alloc/data/pid";
  int orphan = std::stoi(ReadFileOr(pid_file, "0"));
  a->Kill();
  json replaced;
  bool ok = Eventually(
      [&] {
        json old = server->GetJson("/v1/allocation/" + lost["ID"].get<std::string>());
        if (!old.is_object() || !ClientStatusIs(old, "lost")) return false;
        for (const json& x : server->Allocs("web")) {
          if (x["NodeName"] == "client-b" && ClientStatusIs(x, "running") &&
              x["ID"] != lost["ID"] && x["ID"] != by_node["client-b"]["ID"]) {
            replaced = x;
            return true;
          }
        }
        return false;
      },
      60s);
  EXPECT_TRUE(ok) << server->Logs();
  json nodes = server->GetJson("/v1/nodes");
  for (const json& n : nodes) {
    EXPECT_EQ(n["Status"], n["Name"] == "client-a" ? "down" : "ready");
  }
  if (ok) {
    const json& port = replaced["AllocatedResources"]["Shared"]["Ports"][0];
    EXPECT_EQ(port["HostIP"], "127.0.0.3");
    EXPECT_TRUE(Eventually(
        [&] {
          return HttpDo("127.0.0.3", port["Value"].get<int>(), "GET", "/index.html").body ==
                 "client-b\n";
        },
        10s));
  }

  server->Cli("job stop -detach -address " + server->Address() + " web");
  EXPECT_TRUE(Eventually(
      [&] {
        auto allocs = server->Allocs("web");
        return std::all_of(allocs.begin(), allocs.end(), [](const json& x) {
          return x["NodeName"] == "client-a" || x["ClientStatus"] == "complete";
        });
      },
      30s));
  if (ProcessAlive(orphan)) ::kill(orphan, SIGKILL);
  b->Stop();
  server->Stop();
}

}  // namespace
}  // namespace drover::testing
