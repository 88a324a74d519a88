// The agent in-process: settings resolution (defaults, -dev, config, flags, errors), start and
// stop with a client role plugged in through the factory hook, the banner layout.
#include "runtime/agent/agent.h"

#include <filesystem>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/agent/stub_client.h"
#include "runtime/server/server.h"
#include "tests/runtime/test_http_client.h"

namespace drover::agent {
namespace {

using namespace std::chrono_literals;

std::string ErrorOf(const ir::AgentConfig& config, const AgentFlags& flags) {
  auto s = ResolveSettings(config, flags);
  if (s) return "";
  return llvm::toString(s.takeError());
}

TEST(AgentSettings, DevTurnsOnBothRolesOnLoopback) {
  AgentFlags flags;
  flags.dev = true;
  auto s = ResolveSettings({}, flags);
  ASSERT_TRUE(static_cast<bool>(s)) << llvm::toString(s.takeError());
  EXPECT_TRUE(s->server);
  EXPECT_TRUE(s->client);
  EXPECT_EQ(s->bind_addr, "127.0.0.1");
  EXPECT_EQ(s->http_port, 4646);
  EXPECT_EQ(s->rpc_port, 4647);
  EXPECT_EQ(s->log_level, "DEBUG");
  EXPECT_EQ(s->region, "global");
  EXPECT_EQ(s->datacenter, "dc1");
  EXPECT_TRUE(s->data_dir.empty());
}

TEST(AgentSettings, FlagsWinOverTheConfiguration) {
  ir::AgentConfig config;
  config.datacenter = "dc-config";
  config.region = "eu";
  config.data_dir = "/var/lib/drover";
  config.ports.http = 5646;
  config.server.emplace();
  config.server->enabled = true;
  config.server->num_schedulers = 3;
  AgentFlags flags;
  flags.dc = "dc-flag";
  flags.log_level = "warn";
  flags.http_port = 0;
  auto s = ResolveSettings(config, flags);
  ASSERT_TRUE(static_cast<bool>(s)) << llvm::toString(s.takeError());
  EXPECT_EQ(s->datacenter, "dc-flag");
  EXPECT_EQ(s->region, "eu");
  EXPECT_EQ(s->data_dir, "/var/lib/drover");
  EXPECT_EQ(s->http_port, 0);
  EXPECT_EQ(s->log_level, "WARN");
  EXPECT_EQ(s->num_schedulers, 3);
  EXPECT_TRUE(s->server);
  EXPECT_FALSE(s->client);
}

TEST(AgentSettings, ImpossibleSettingsAreErrors) {
  EXPECT_EQ(ErrorOf({}, {}), "Must specify either server, client or dev mode for the agent.");
  AgentFlags server;
  server.server = true;
  EXPECT_EQ(ErrorOf({}, server), "Must specify data directory");
  server.data_dir = "/tmp/x";
  server.log_level = "LOUD";
  EXPECT_NE(ErrorOf({}, server).find("Invalid log level"), std::string::npos);
  server.log_level = "";
  server.http_port = 70000;
  EXPECT_EQ(ErrorOf({}, server), "Invalid http port: 70000");
  AgentFlags client;
  client.client = true;
  client.data_dir = "/tmp/x";
  EXPECT_NE(ErrorOf({}, client).find("no servers"), std::string::npos);
  client.servers = {"10.0.0.1:4647,10.0.0.2:4647"};
  auto s = ResolveSettings({}, client);
  ASSERT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s->servers, (std::vector<std::string>{"10.0.0.1:4647", "10.0.0.2:4647"}));
}

/// Records what the agent does with its client role.
class RecordingClient final : public ClientRole {
 public:
  explicit RecordingClient(std::atomic<int>* events) : events_(events) {}
  llvm::Error Start() override {
    *events_ += 1;
    return llvm::Error::success();
  }
  void Stop() override { *events_ += 10; }
  void AddRoutes(http::Router& router) override {
    router.Add("GET", "/v1/client/ping",
               [](const http::ServerRequest& r, const http::RouteParams&) {
                 return http::JsonResponse(r, "pong");
               });
  }

 private:
  std::atomic<int>* events_;
};

AgentSettings DevSettings() {
  AgentFlags flags;
  flags.dev = true;
  flags.http_port = 0;
  flags.rpc_port = 0;
  flags.log_level = "ERROR";
  auto s = ResolveSettings({}, flags);
  EXPECT_TRUE(static_cast<bool>(s));
  return *s;
}

TEST(Agent, StartsRolesPlugsTheClientInAndStops) {
  std::atomic<int> events{0};
  std::vector<std::string> servers_seen;
  auto agent = Agent::Start(
      DevSettings(), [&](const ClientContext& ctx) -> llvm::Expected<std::unique_ptr<ClientRole>> {
        servers_seen = ctx.servers;
        return std::make_unique<RecordingClient>(&events);
      });
  ASSERT_TRUE(static_cast<bool>(agent)) << llvm::toString(agent.takeError());
  EXPECT_EQ(events.load(), 1);
  ASSERT_NE((*agent)->server(), nullptr);
  std::string http = (*agent)->HttpAddr();
  ASSERT_EQ(http.rfind("127.0.0.1:", 0), 0u) << http;
  int port = std::stoi(http.substr(http.find(':') + 1));
  EXPECT_EQ(servers_seen, std::vector<std::string>{(*agent)->RpcAddr()});
  auto self = testing::HttpDo("127.0.0.1", port, "GET", "/v1/agent/self");
  EXPECT_EQ(self.status, 200);
  EXPECT_EQ(testing::HttpDo("127.0.0.1", port, "GET", "/v1/client/ping").body, "\"pong\"");
  std::string data_dir = (*agent)->data_dir();
  EXPECT_TRUE(std::filesystem::exists(data_dir + "/server/state"));
  (*agent)->Stop();
  EXPECT_EQ(events.load(), 11);
  EXPECT_FALSE(std::filesystem::exists(data_dir));  // -dev: the temp dir is gone
  EXPECT_EQ(testing::HttpDo("127.0.0.1", port, "GET", "/v1/agent/self").status, 0);
}

TEST(Agent, TheStubClientRegistersANode) {
  auto agent = Agent::Start(DevSettings());
  ASSERT_TRUE(static_cast<bool>(agent)) << llvm::toString(agent.takeError());
  server::Server* server = (*agent)->server();
  bool registered = false;
  for (int i = 0; i < 1000 && !registered; ++i) {
    registered = server->store().Read()->NodeCount() == 1;
    if (!registered) std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(registered);
  store::ReadView view = server->store().Read();
  const model::Node* node = view->Nodes()[0];
  EXPECT_EQ(node->status, model::NodeStatus::kReady);
  EXPECT_GT(node->resources.cpu_mhz, 0);
  EXPECT_GT(node->resources.memory_mb, 0);
  EXPECT_EQ(node->attributes.at("kernel.name"), "linux");
  EXPECT_TRUE(node->drivers.empty());
}

TEST(Agent, ABusyPortIsAnErrorAndNothingKeepsRunning) {
  auto first = Agent::Start(DevSettings());
  ASSERT_TRUE(static_cast<bool>(first));
  AgentSettings clash = DevSettings();
  std::string http = (*first)->HttpAddr();
  clash.http_port = std::stoi(http.substr(http.find(':') + 1));
  auto second = Agent::Start(clash);
  ASSERT_FALSE(second);
  EXPECT_NE(llvm::toString(second.takeError()).find("cannot bind"), std::string::npos);
}

TEST(Agent, BannerFollowsNomadsLayout) {
  auto agent = Agent::Start(DevSettings());
  ASSERT_TRUE(static_cast<bool>(agent));
  std::string banner = (*agent)->Banner();
  std::string http = (*agent)->HttpAddr();
  std::string rpc = (*agent)->RpcAddr();
  EXPECT_NE(banner.find("==> drover agent configuration:\n\n"), std::string::npos);
  EXPECT_NE(banner.find("       Advertise Addrs: HTTP: " + http + "; RPC: " + rpc +
                        "; Serf: 127.0.0.1:4648\n"),
            std::string::npos)
      << banner;
  EXPECT_NE(banner.find("            Bind Addrs: HTTP: [" + http + "]; RPC: " + rpc),
            std::string::npos);
  EXPECT_NE(banner.find("                Client: true\n"), std::string::npos);
  EXPECT_NE(banner.find("             Log Level: ERROR\n"), std::string::npos);
  EXPECT_NE(banner.find("                Region: global (DC: dc1)\n"), std::string::npos);
  EXPECT_NE(banner.find("                Server: true\n"), std::string::npos);
  EXPECT_NE(banner.find("==> drover agent started! Log data will stream in below:\n"),
            std::string::npos);
}

TEST(StubClient, FingerprintDescribesTheHost) {
  AgentSettings s = DevSettings();
  s.name = "fp";
  s.meta = {{"rack", "r1"}};
  model::Node n = FingerprintNode(s, "/tmp");
  EXPECT_EQ(n.name, "fp");
  EXPECT_EQ(n.meta.at("rack"), "r1");
  EXPECT_FALSE(n.id.IsZero());
  EXPECT_FALSE(n.secret_id.empty());
  EXPECT_GT(n.resources.cpu_mhz, 0);
  EXPECT_GT(n.resources.disk_mb, 0);
  ASSERT_EQ(n.resources.networks.size(), 1u);
  EXPECT_EQ(n.resources.networks[0].ip, "127.0.0.1");
  EXPECT_EQ(n.attributes.at("unique.network.ip-address"), "127.0.0.1");
}

}  // namespace
}  // namespace drover::agent
