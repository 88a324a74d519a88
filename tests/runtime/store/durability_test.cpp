// Durability: a server agent (a real `drover agent` process, LevelDB data dir) registers 1,000
// jobs through the HTTP API from four concurrent clients while the test SIGKILLs it at random
// moments. After every restart, every job whose registration was acknowledged (HTTP 200) must
// be there: a write is synced before it is acknowledged, so none may be lost. Registrations that
// were not acknowledged are retried after the restart. The seed is printed so that a failure can
// be replayed (DROVER_DURABILITY_SEED).
#include <atomic>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/runtime/child_process.h"
#include "tests/runtime/test_http_client.h"
#include "tests/support/test_paths.h"

namespace drover::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kJobs = 1000;
constexpr int kClients = 4;
constexpr int kMaxRounds = 30;

std::string JobBody(int i) {
  json job = {{"ID", "job-" + std::to_string(i)},
              {"Datacenters", {"dc1"}},
              {"TaskGroups",
               {{{"Name", "g"},
                 {"Count", 1},
                 {"Tasks",
                  {{{"Name", "t"},
                    {"Driver", "exec"},
                    {"Config", {{"command", "/bin/true"}}},
                    {"Resources", {{"CPU", 10}, {"MemoryMB", 10}}}}}}}}}};
  return json{{"Job", job}}.dump();
}

struct Agent {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
};

Agent StartAgent(const std::string& data_dir) {
  Agent a;
  a.process =
      ChildProcess::Spawn({DroverExe(), "agent", "-server", "-data-dir", data_dir, "-http-port",
                           "0", "-rpc-port", "0", "-log-level", "ERROR", "-node", "durability"});
  if (a.process == nullptr) return a;
  auto port = a.process->WaitForStdout(R"(Advertise Addrs: HTTP: 127\.0\.0\.1:(\d+);)", 30s);
  if (port) a.port = std::stoi(*port);
  return a;
}

/// The job ids the agent has, or nullopt when it cannot be asked.
std::optional<std::set<std::string>> StoredJobs(int port) {
  HttpResult r = HttpDo("127.0.0.1", port, "GET", "/v1/jobs", "", 30s);
  if (r.status != 200) return std::nullopt;
  json list = json::parse(r.body, nullptr, false);
  if (!list.is_array()) return std::nullopt;
  std::set<std::string> ids;
  for (const json& j : list) ids.insert(j["ID"].get<std::string>());
  return ids;
}

TEST(Durability, AcknowledgedRegistrationsSurviveSigkill) {
  uint64_t seed = std::random_device{}();
  if (const char* s = std::getenv("DROVER_DURABILITY_SEED")) seed = std::stoull(s);
  std::cout << "durability seed: " << seed << " (DROVER_DURABILITY_SEED to replay)\n";
  std::mt19937_64 rng(seed);

  char tmpl[] = "/tmp/drover-durability-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;

  std::mutex mu;
  std::set<std::string> acked;  // guarded by mu
  std::vector<int> todo;        // guarded by mu; registrations not acknowledged yet
  for (int i = kJobs - 1; i >= 0; --i) todo.push_back(i);
  int kills = 0;
  auto started = std::chrono::steady_clock::now();

  for (int round = 0; round < kMaxRounds; ++round) {
    Agent agent = StartAgent(dir);
    ASSERT_GT(agent.port, 0) << "round " << round << ": agent did not start\n"
                             << (agent.process ? agent.process->Stderr() : "");
    auto stored = StoredJobs(agent.port);
    ASSERT_TRUE(stored.has_value()) << "round " << round;
    {
      std::lock_guard<std::mutex> lock(mu);
      std::vector<std::string> lost;
      for (const std::string& id : acked) {
        if (!stored->contains(id)) lost.push_back(id);
      }
      ASSERT_TRUE(lost.empty()) << lost.size() << " acknowledged job(s) lost after kill " << kills
                                << " (seed " << seed << "), e.g. " << lost.front();
      if (todo.empty()) {
        EXPECT_EQ(stored->size(), static_cast<size_t>(kJobs));
        break;
      }
    }
    // Register from several clients; kill the agent at a random moment.
    std::atomic<bool> dead{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&] {
        while (!dead) {
          int i;
          {
            std::lock_guard<std::mutex> lock(mu);
            if (todo.empty()) return;
            i = todo.back();
            todo.pop_back();
          }
          HttpResult r = HttpDo("127.0.0.1", agent.port, "PUT", "/v1/jobs", JobBody(i), 30s);
          std::lock_guard<std::mutex> lock(mu);
          if (r.status == 200) {
            acked.insert("job-" + std::to_string(i));
          } else {
            todo.push_back(i);          // not acknowledged: retry after the restart
            if (r.status == 0) return;  // the agent is gone
            ADD_FAILURE() << "job-" << i << ": " << r.status << " " << r.body;
            return;
          }
        }
      });
    }
    auto kill_after = std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 700)(rng));
    auto deadline = std::chrono::steady_clock::now() + kill_after;
    bool done = false;
    while (std::chrono::steady_clock::now() < deadline && !done) {
      std::this_thread::sleep_for(5ms);
      std::lock_guard<std::mutex> lock(mu);
      done = todo.empty();
    }
    if (!done) {
      agent.process->Signal(SIGKILL);
      ++kills;
    } else {
      agent.process->Signal(SIGTERM);
    }
    dead = true;
    ASSERT_TRUE(agent.process->Wait(30s).has_value());
    for (std::thread& t : clients) t.join();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_TRUE(todo.empty()) << todo.size() << " registrations never acknowledged";
    EXPECT_EQ(acked.size(), static_cast<size_t>(kJobs));
  }
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "durability: " << kJobs << " jobs, " << kills << " SIGKILLs, " << took << " s\n";
  EXPECT_GT(kills, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace drover::testing
