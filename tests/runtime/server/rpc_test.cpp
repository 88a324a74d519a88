// drover's client RPC over real HTTP: register a node, heartbeat, long-poll for allocations,
// fetch them, report their status; malformed calls are 400s.
#include "runtime/server/rpc.h"

#include <future>

#include <gtest/gtest.h>

#include "compiler/sema/canonicalize.h"
#include "runtime/http/http_server.h"
#include "runtime/store/model_json.h"
#include "tests/runtime/runtime_fixtures.h"
#include "tests/runtime/test_http_client.h"

namespace drover::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::HttpDo;

class RpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerConfig config;
    config.num_workers = 1;
    config.seed = 7;
    config.tick_interval = 0ms;
    config.heartbeat_stagger = false;
    server_ = std::make_unique<Server>(config, store_, clock_);
    server_->Start();
    AddRpcRoutes(router_, *server_);
    auto http = http::HttpServer::Start({}, router_.AsHandler());
    ASSERT_TRUE(static_cast<bool>(http));
    http_ = std::move(*http);
    port_ = http_->port();
  }
  void TearDown() override {
    store_.AbortWaits();
    http_->Stop();
    server_->Stop();
  }

  testing::HttpResult Call(const std::string& endpoint, const json& body) {
    return HttpDo("127.0.0.1", port_, "POST", "/rpc/" + endpoint, body.dump());
  }

  store::MemoryStateStore store_;
  ManualClock clock_;
  std::unique_ptr<Server> server_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> http_;
  int port_ = 0;
};

TEST_F(RpcTest, RegisterHeartbeatPollFetchAndUpdate) {
  model::Node node = testing::MockNode("client-1");
  auto reg = Call("Node.Register", {{"Node", store::EncodeNode(node)}});
  ASSERT_EQ(reg.status, 200) << reg.body;
  json r = json::parse(reg.body);
  EXPECT_EQ(r["HeartbeatTTL"], 10'000'000'000LL);
  EXPECT_GT(r["Index"].get<uint64_t>(), 0u);

  auto beat =
      Call("Node.UpdateStatus",
           {{"NodeID", node.id.ToString()}, {"SecretID", node.secret_id}, {"Status", "ready"}});
  ASSERT_EQ(beat.status, 200) << beat.body;
  EXPECT_EQ(json::parse(beat.body)["HeartbeatTTL"], 10'000'000'000LL);

  // A long poll from the current index returns once an allocation lands on the node.
  auto first =
      Call("Node.GetClientAllocs", {{"NodeID", node.id.ToString()}, {"SecretID", node.secret_id}});
  ASSERT_EQ(first.status, 200) << first.body;
  json initial = json::parse(first.body);
  EXPECT_TRUE(initial["Allocs"].empty());
  uint64_t index = initial["Index"];
  auto poll = std::async(std::launch::async, [&] {
    return Call("Node.GetClientAllocs", {{"NodeID", node.id.ToString()},
                                         {"SecretID", node.secret_id},
                                         {"MinQueryIndex", index},
                                         {"MaxQueryTime", 20'000'000'000LL}});
  });
  ir::Job job = testing::MockJob("web", 1);
  sema::Canonicalize(job);
  ASSERT_TRUE(static_cast<bool>(server_->RegisterJob(job)));
  auto polled = poll.get();
  ASSERT_EQ(polled.status, 200) << polled.body;
  json allocs = json::parse(polled.body)["Allocs"];
  ASSERT_EQ(allocs.size(), 1u);
  std::string alloc_id = allocs.begin().key();
  EXPECT_GT(json::parse(polled.body)["Index"].get<uint64_t>(), index);

  auto fetched = Call("Alloc.GetAllocs", {{"AllocIDs", {alloc_id}}});
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  json full = json::parse(fetched.body)["Allocs"][0];
  EXPECT_EQ(full["ID"], alloc_id);
  EXPECT_EQ(full["Job"]["ID"], "web");
  EXPECT_EQ(full["DesiredStatus"], "run");
  EXPECT_EQ(full["AllocModifyIndex"], allocs[alloc_id]);

  auto update =
      Call("Node.UpdateAlloc", {{"NodeID", node.id.ToString()},
                                {"SecretID", node.secret_id},
                                {"Alloc",
                                 {{{"ID", alloc_id},
                                   {"ClientStatus", "running"},
                                   {"ClientDescription", "Tasks are running"},
                                   {"TaskStates",
                                    {{"server",
                                      {{"State", "running"},
                                       {"StartedAt", "2024-01-02T03:04:05Z"},
                                       {"Events", {{{"Type", "Started"}, {"Time", 5}}}}}}}}}}}});
  ASSERT_EQ(update.status, 200) << update.body;
  store::ReadView view = store_.Read();
  const model::Allocation* a = view->GetAlloc(*model::Id::Parse(alloc_id));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->client_status, model::ClientStatus::kRunning);
  EXPECT_EQ(a->task_states.at("server").events.at(0).type, "Started");
}

TEST_F(RpcTest, BadCallsAreClientErrors) {
  model::Node node = testing::MockNode("client-1");
  ASSERT_EQ(Call("Node.Register", {{"Node", store::EncodeNode(node)}}).status, 200);
  struct Case {
    std::string endpoint;
    std::string body;
    int status;
  };
  std::vector<Case> cases = {
      {"Node.Register", "garbage", 400},
      {"Node.Register", "[]", 400},
      {"Node.Register", R"({"Node": 1})", 400},
      {"Node.Register", R"({"Node": {"ID": "nope"}})", 400},
      {"Node.Register", R"({"Node": {"Name": "x"}})", 400},
      {"Node.UpdateStatus", R"({"NodeID": 5})", 400},
      {"Node.UpdateStatus", R"({"NodeID": ")" + testing::NextId().ToString() + R"("})", 404},
      {"Node.UpdateStatus",
       R"({"NodeID": ")" + node.id.ToString() + R"(", "SecretID": "x", "Status": "ready"})", 403},
      {"Node.UpdateStatus",
       R"({"NodeID": ")" + node.id.ToString() + R"(", "SecretID": ")" + node.secret_id +
           R"(", "Status": "sleepy"})",
       400},
      {"Node.GetClientAllocs", R"({"NodeID": ")" + node.id.ToString() + R"(", "MaxQueryTime": -1})",
       400},
      {"Node.UpdateAlloc", R"({"NodeID": ")" + node.id.ToString() + R"(", "Alloc": []})", 400},
      {"Node.UpdateAlloc",
       R"({"NodeID": ")" + node.id.ToString() + R"(", "SecretID": ")" + node.secret_id +
           R"(", "Alloc": [{"ID": ")" + testing::NextId().ToString() + R"("}]})",
       404},
      {"Alloc.GetAllocs", R"({"AllocIDs": "x"})", 400},
      {"Alloc.GetAllocs", R"({"AllocIDs": ["x"]})", 400},
  };
  for (const Case& c : cases) {
    auto r = HttpDo("127.0.0.1", port_, "POST", "/rpc/" + c.endpoint, c.body);
    EXPECT_EQ(r.status, c.status) << c.endpoint << " " << c.body << " -> " << r.body;
  }
  EXPECT_EQ(HttpDo("127.0.0.1", port_, "GET", "/rpc/Node.Register").status, 405);
  EXPECT_EQ(HttpDo("127.0.0.1", port_, "POST", "/rpc/Nope", "{}").status, 404);
}

}  // namespace
}  // namespace drover::server
