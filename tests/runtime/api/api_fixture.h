// A server core with Nomad's HTTP API on 127.0.0.1:<free port>, one ready node, and helpers to
// call it. Shared by the API tests.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "compiler/ir/ir_json.h"
#include "compiler/sema/canonicalize.h"
#include "runtime/api/http_api.h"
#include "runtime/http/http_server.h"
#include "runtime/server/server.h"
#include "runtime/store/state_store.h"
#include "tests/runtime/runtime_fixtures.h"
#include "tests/runtime/test_http_client.h"

namespace drover::api {

using nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server::ServerConfig config;
    config.num_workers = 1;
    config.seed = 11;
    config.tick_interval = std::chrono::milliseconds(0);
    config.heartbeat_stagger = false;
    server_ = std::make_unique<server::Server>(config, store_, clock_);
    server_->Start();
    AgentInfo info;
    info.name = "test-agent";
    info.version = "0.1.0";
    info.http_addr = "127.0.0.1:0";
    info.rpc_addr = "127.0.0.1:4647";
    info.serf_addr = "127.0.0.1:4648";
    api_ = std::make_unique<HttpApi>(*server_, info);
    api_->AddRoutes(router_);
    http::ServerOptions options;
    options.body_limit = 4u << 20;
    auto http = http::HttpServer::Start(options, router_.AsHandler());
    ASSERT_TRUE(static_cast<bool>(http)) << llvm::toString(http.takeError());
    http_ = std::move(*http);
    port_ = http_->port();
    node_ = testing::MockNode("node-1");
    ASSERT_TRUE(static_cast<bool>(server_->RegisterNode(node_)));
  }

  void TearDown() override {
    api_->CancelWaits();
    http_->Stop();
    server_->Stop();
  }

  static ir::Job CanonicalJob(const std::string& id, int count = 2) {
    ir::Job job = testing::MockJob(id, count);
    sema::Canonicalize(job);
    return job;
  }
  static json JobBody(const std::string& id, int count = 2) {
    return {{"Job", ir::JobToApiJson(CanonicalJob(id, count))}};
  }

  testing::HttpResult Do(const std::string& method, const std::string& target,
                         const std::string& body = "") {
    return testing::HttpDo("127.0.0.1", port_, method, target, body);
  }
  /// GET/PUT/... expecting `status`; returns the parsed body (null when it is not JSON).
  json Expect(int status, const std::string& method, const std::string& target,
              const std::string& body = "") {
    testing::HttpResult r = Do(method, target, body);
    EXPECT_EQ(r.status, status) << method << " " << target << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  void Settle() { ASSERT_TRUE(server_->WaitForIdle(std::chrono::seconds(10))); }

  store::MemoryStateStore store_;
  server::ManualClock clock_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<HttpApi> api_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> http_;
  int port_ = 0;
  model::Node node_;
};

/// Fails unless `object` has every key in `keys`.
inline void ExpectKeys(const json& object, std::initializer_list<const char*> keys,
                       const std::string& what) {
  ASSERT_TRUE(object.is_object()) << what << ": " << object.dump();
  for (const char* k : keys) EXPECT_TRUE(object.contains(k)) << what << " lacks " << k;
}

}  // namespace drover::api
