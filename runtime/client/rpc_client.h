// The client side of drover's client RPC (runtime/server/README.md): `POST /rpc/<Endpoint>` with
// a JSON body to one of the servers in `client { servers }` (host:port, port 4647 by default).
// A server that cannot be reached is skipped for the next one; the last server that answered is
// tried first. Calls can be cancelled from another thread (the agent stopping), which matters for
// the allocation long-poll that holds a call open for up to its MaxQueryTime.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace drover::client {

struct RpcResult {
  int status = 0;       ///< HTTP status; 0 when no server answered
  nlohmann::json body;  ///< the parsed answer (2xx)
  std::string error;    ///< what went wrong otherwise (transport error or the server's text)
  bool ok() const { return status >= 200 && status < 300; }
};

class RpcClient {
 public:
  explicit RpcClient(std::vector<std::string> servers);

  /// One call. `timeout` bounds the whole exchange; `cancelled` (may be empty) is polled.
  RpcResult Call(const std::string& endpoint, const nlohmann::json& body,
                 std::chrono::milliseconds timeout,
                 const std::function<bool()>& cancelled = {}) const;

  const std::vector<std::string>& servers() const { return servers_; }

 private:
  std::vector<std::string> servers_;
  mutable std::atomic<size_t> preferred_{0};
};

}  // namespace drover::client
