// drover's client agent: the ClientRole that runtime/agent starts for `client { enabled = true }`
// and for -dev. It fingerprints the node and its drivers, registers with the servers over the
// client RPC (rpc_client.h), heartbeats within the TTL the servers hand out, long-polls the
// allocations placed on the node, runs them (alloc_runner.h / task_runner.h), reports their
// state back in batches, re-fingerprints the drivers periodically (dockerd going away makes
// docker unhealthy; the node stays ready), and serves the task logs on the agent's HTTP API
// (`GET /v1/client/fs/logs/<alloc>`).
//
// Local state lives in LevelDB (state_db.h) under <data_dir>/client/state: the node's identity,
// the allocations and every task's state and driver handle. A client started on the same data
// dir (also after SIGKILL) keeps its node id and re-attaches to the tasks that kept running.
// Allocation directories are <data_dir>/alloc/<alloc id> (client { alloc_dir } overrides).
//
// On Stop() the tasks keep running (Nomad's behaviour), except on a -dev agent, whose state is
// thrown away: there every task is stopped first.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "reconciler/model/types.h"
#include "runtime/agent/agent.h"
#include "runtime/client/alloc_runner.h"
#include "runtime/client/fingerprint.h"
#include "runtime/client/rpc_client.h"
#include "runtime/client/state_db.h"
#include "runtime/drivers/registry.h"

namespace drover::client {

struct ClientOptions {
  /// argv prefix of the executor (exec, raw_exec); empty: the agent itself (`/proc/self/exe`).
  std::vector<std::string> executor_command;
  /// How often drivers are fingerprinted again.
  std::chrono::milliseconds driver_check_interval{15'000};
  /// How long an allocation long-poll may wait at the server.
  std::chrono::milliseconds alloc_poll_wait{30'000};
  /// Stop every task when the agent stops (default: only for -dev agents).
  std::optional<bool> kill_tasks_on_stop;
};

class Client final : public agent::ClientRole {
 public:
  /// Opens the state DB and creates the drivers; errors are configuration or data dir problems.
  static llvm::Expected<std::unique_ptr<Client>> Create(const agent::ClientContext& context,
                                                        ClientOptions options = {});
  ~Client() override;

  llvm::Error Start() override;
  void Stop() override;
  void AddRoutes(http::Router& router) override;
  void SetHttpAddr(const std::string& addr) override;

  /// The node as last fingerprinted and registered.
  model::Node node() const;
  bool registered() const { return registered_.load(); }
  /// Ids of the allocations this client runs.
  std::vector<std::string> AllocIds() const;
  /// The report of one allocation (tests); nullopt when unknown.
  std::optional<AllocReport> Report(const std::string& alloc_id) const;
  /// The driver handle of a task (tests: container id, pid).
  std::optional<drivers::TaskHandle> Handle(const std::string& alloc_id,
                                            const std::string& task) const;
  /// Fingerprints the drivers now (tests; normally every driver_check_interval).
  void CheckDrivers();

 private:
  Client(const agent::ClientContext& context, ClientOptions options);

  void HeartbeatLoop();
  void WatchLoop();
  void UpdateLoop();
  void DriverLoop();
  bool Register();
  void RestoreAllocs();
  void ApplyAllocs(const nlohmann::json& answer);
  void MarkDirty(const std::string& alloc_id);
  bool Wait(std::chrono::milliseconds d);
  bool Stopping() const { return stopping_.load(); }
  drivers::Driver* DriverFor(const std::string& name);
  void OnDriverEvent(const drivers::TaskEvent& event);

  NodeSettings settings_;
  ClientOptions options_;
  bool dev_ = false;
  std::string state_dir_;
  std::string alloc_root_;
  RpcClient rpc_;
  std::unique_ptr<StateDb> db_;
  std::map<std::string, std::unique_ptr<drivers::Driver>> drivers_;
  RunnerContext ctx_;

  mutable std::mutex node_mu_;
  model::Node node_;
  std::atomic<bool> registered_{false};
  std::atomic<bool> reregister_{false};
  std::chrono::milliseconds heartbeat_interval_{1000};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::unique_ptr<AllocRunner>> runners_;
  std::map<std::string, model::Index> known_;  ///< alloc id -> AllocModifyIndex seen
  std::set<std::string> dirty_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

/// The client role for runtime/agent (what `drover agent` uses).
agent::ClientFactory MakeClientFactory(ClientOptions options = {});

}  // namespace drover::client
