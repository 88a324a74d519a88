// A client role with no drivers: it fingerprints the host (CPU, memory, disk, kernel, loopback
// network), registers a node with the servers over drover's client RPC and keeps it alive with
// heartbeats. It runs nothing. It stands in until runtime/client provides the real client (the
// agent takes any ClientRole through its ClientFactory), and it is the reference use of the RPC
// protocol documented in runtime/server/README.md.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "reconciler/model/types.h"
#include "runtime/agent/agent.h"

namespace drover::agent {

class StubClient final : public ClientRole {
 public:
  explicit StubClient(const ClientContext& context);
  ~StubClient() override;

  llvm::Error Start() override;
  void Stop() override;

  /// The node this client registers (fingerprinted at construction).
  const model::Node& node() const { return node_; }
  /// True once the servers accepted the node.
  bool registered() const { return registered_.load(); }

 private:
  void Run();
  /// One RPC; returns the parsed JSON answer, or an error with the status and message.
  llvm::Expected<nlohmann::json> Call(const std::string& endpoint, const nlohmann::json& body);

  model::Node node_;
  std::vector<std::string> servers_;
  std::atomic<bool> registered_{false};
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

/// What the host offers, as a node (no drivers). Exposed for tests.
model::Node FingerprintNode(const AgentSettings& settings, const std::string& data_dir);

}  // namespace drover::agent
