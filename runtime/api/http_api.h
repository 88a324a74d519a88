// Nomad's HTTP API v1 on drover's server: the routes, each a small handler that validates its
// input, reads the store or calls the server core, and answers in Nomad's JSON shapes.
//
// Conventions (as Nomad's agent): JSON bodies, `?pretty` indents; errors are plain-text messages
// with 400 (bad input: malformed JSON, wrong types, invalid job), 404 (unknown object or path) or
// 405 (method); never a 500 for anything a client sends. GET endpoints are blocking queries:
// `?index=N` waits until the relevant tables pass N (or `?wait=`, default 5m, max 10m, plus up to
// wait/16 jitter), and every answer carries X-Nomad-Index, X-Nomad-KnownLeader and
// X-Nomad-LastContact. `?namespace=` selects a namespace ("*" = all, default "default");
// `?prefix=` filters ids.
#pragma once

#include <atomic>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/http/router.h"
#include "runtime/server/server.h"

namespace drover::api {

/// What /v1/agent/self and /v1/agent/members report about the agent serving the API.
struct AgentInfo {
  std::string name = "drover";  ///< node name of the agent
  std::string region = "global";
  std::string datacenter = "dc1";
  std::string version;    ///< "0.1.0"
  std::string http_addr;  ///< "127.0.0.1:4646"
  std::string rpc_addr;   ///< "127.0.0.1:4647"
  std::string serf_addr;  ///< "127.0.0.1:4648"
  bool server = true;
  bool client = false;
  nlohmann::json config = nlohmann::json::object();  ///< the agent configuration, for /agent/self
};

class HttpApi {
 public:
  HttpApi(server::Server& server, AgentInfo info);

  /// Adds every /v1/... route. The HttpApi must outlive the router.
  void AddRoutes(http::Router& router);

  /// Makes every blocking query return now and later ones not wait (shutdown).
  void CancelWaits();

  /// Wait limits of blocking queries (Nomad: 5m default, 10m max).
  static constexpr std::chrono::milliseconds kDefaultWait{5 * 60 * 1000};
  static constexpr std::chrono::milliseconds kMaxWait{10 * 60 * 1000};

 private:
  server::Server& server_;
  AgentInfo info_;
};

}  // namespace drover::api
