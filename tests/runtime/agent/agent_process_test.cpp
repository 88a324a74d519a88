// `drover agent` as a process: the -dev banner and API, clean stop on SIGTERM and SIGINT,
// configuration files, and clear errors (never a crash) for unusable data dirs.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/runtime/child_process.h"
#include "tests/runtime/test_http_client.h"
#include "tests/support/test_paths.h"

namespace drover::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/drover-agent-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::unique_ptr<ChildProcess> StartAgent(std::vector<std::string> args) {
  args.insert(args.begin(), {DroverExe(), "agent"});
  return ChildProcess::Spawn(args);
}

/// The HTTP port from the banner, or 0.
int HttpPort(ChildProcess& agent) {
  auto port = agent.WaitForStdout(R"(Advertise Addrs: HTTP: 127\.0\.0\.1:(\d+);)", 20s);
  return port ? std::stoi(*port) : 0;
}

class DevAgentSignal : public ::testing::TestWithParam<int> {};

TEST_P(DevAgentSignal, ServesTheApiAndStopsCleanly) {
  auto agent = StartAgent({"-dev", "-http-port", "0", "-rpc-port", "0", "-log-level", "INFO"});
  ASSERT_NE(agent, nullptr);
  int port = HttpPort(*agent);
  ASSERT_GT(port, 0) << agent->Stdout() << agent->Stderr();
  std::string out = agent->Stdout();
  EXPECT_EQ(out.rfind("==> No configuration files loaded\n==> Starting drover agent...\n", 0), 0u)
      << out;
  auto leader = HttpDo("127.0.0.1", port, "GET", "/v1/status/leader");
  EXPECT_EQ(leader.status, 200);
  auto self = HttpDo("127.0.0.1", port, "GET", "/v1/agent/self");
  ASSERT_EQ(self.status, 200);
  std::string data_dir = json::parse(self.body)["config"]["DataDir"];
  EXPECT_TRUE(std::filesystem::exists(data_dir));
  // The stub client registers its node within a few heartbeats.
  bool node = false;
  for (int i = 0; i < 200 && !node; ++i) {
    node = json::parse(HttpDo("127.0.0.1", port, "GET", "/v1/nodes").body).size() == 1;
    if (!node) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(node);

  agent->Signal(GetParam());
  std::optional<int> code = agent->Wait(20s);
  ASSERT_TRUE(code.has_value()) << "the agent did not stop";
  EXPECT_EQ(*code, 0) << agent->Stderr();
  out = agent->Stdout();
  EXPECT_NE(out.find("==> Caught signal: "), std::string::npos) << out;
  EXPECT_NE(out.find("==> Gracefully shutting down agent...\n"), std::string::npos);
  EXPECT_NE(out.find("==> Agent stopped\n"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(data_dir));
  EXPECT_NE(agent->Stderr().find("[INFO]  server: starting"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Signals, DevAgentSignal, ::testing::Values(SIGTERM, SIGINT));

TEST(AgentProcess, LoadsAConfigurationFile) {
  TempDir dir;
  std::string config = dir.path() + "/agent.hcl";
  std::ofstream(config) << "name       = \"cfg-node\"\n"
                           "datacenter = \"dc9\"\n"
                           "data_dir   = \""
                        << dir.path()
                        << "/data\"\n"
                           "server {\n  enabled = true\n  num_schedulers = 1\n}\n";
  auto agent = StartAgent({"-config", config, "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(agent, nullptr);
  int port = HttpPort(*agent);
  ASSERT_GT(port, 0) << agent->Stdout() << agent->Stderr();
  EXPECT_NE(agent->Stdout().find("==> Loaded configuration from " + config), std::string::npos);
  EXPECT_NE(agent->Stdout().find("Region: global (DC: dc9)"), std::string::npos);
  EXPECT_NE(agent->Stdout().find("Client: false"), std::string::npos);
  json members = json::parse(HttpDo("127.0.0.1", port, "GET", "/v1/agent/members").body);
  EXPECT_EQ(members["Members"][0]["Name"], "cfg-node.global");
  EXPECT_EQ(members["ServerDC"], "dc9");
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/data/server/state"));
  agent->Signal(SIGTERM);
  EXPECT_EQ(agent->Wait(20s), 0);
}

TEST(AgentProcess, ABadConfigurationFileIsReported) {
  TempDir dir;
  std::string config = dir.path() + "/agent.hcl";
  std::ofstream(config) << "server {\n  enabled = \"maybe\"\n";
  auto agent = StartAgent({"-config", config});
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->Wait(20s), 1);
  EXPECT_NE(agent->Stderr().find("agent.hcl"), std::string::npos) << agent->Stderr();
}

TEST(AgentProcess, UnusableDataDirsAreClearErrors) {
  TempDir dir;
  std::string file = dir.path() + "/file";
  std::ofstream(file) << "not a directory";
  auto agent = StartAgent({"-server", "-data-dir", file, "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->Wait(20s), 1);
  EXPECT_NE(agent->Stderr().find("==> Error starting agent: data dir " + file +
                                 " exists and is not a directory"),
            std::string::npos)
      << agent->Stderr();

  // A state dir with damaged LevelDB files.
  std::string damaged = dir.path() + "/damaged";
  std::filesystem::create_directories(damaged + "/server/state");
  std::ofstream(damaged + "/server/state/CURRENT") << "\x01\x02garbage\n";
  agent = StartAgent({"-server", "-data-dir", damaged, "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->Wait(20s), 1);
  EXPECT_NE(agent->Stderr().find("state store: cannot open"), std::string::npos) << agent->Stderr();

  // A file where the state store's directory should be.
  std::string blocked = dir.path() + "/blocked";
  std::filesystem::create_directories(blocked + "/server");
  std::ofstream(blocked + "/server/state") << "x";
  agent = StartAgent({"-server", "-data-dir", blocked, "-http-port", "0", "-rpc-port", "0"});
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->Wait(20s), 1);
  EXPECT_NE(agent->Stderr().find("is not a directory"), std::string::npos) << agent->Stderr();
}

TEST(AgentProcess, NoRoleIsAnError) {
  auto agent = StartAgent({});
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->Wait(20s), 1);
  EXPECT_NE(agent->Stderr().find("Must specify either server, client or dev mode"),
            std::string::npos);
}

}  // namespace
}  // namespace drover::testing
