// End-to-end support for CLI tests: a real `drover agent` process on 127.0.0.1 (free ports,
// stopped by PID when the test ends, killed by the kernel if the test process dies), a client
// node that joins it over drover's client RPC and reports its allocations running (so jobs can
// be placed without Docker), and a runner for the `drover` binary pointed at the agent.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/test_paths.h"

namespace drover::cli::testing {

/// A `drover agent` child process.
class AgentProcess {
 public:
  enum class Mode {
    kDev,     ///< `drover agent -dev`: server + the built-in client (a node without drivers)
    kServer,  ///< `drover agent -server -data-dir <tmp>`: a server with no node of its own
  };
  /// Starts the agent and waits (at most 20 s) until its HTTP API answers. On failure returns
  /// null and explains in `error` (with the agent's log).
  static std::unique_ptr<AgentProcess> Start(Mode mode, std::string* error);
  ~AgentProcess();

  /// "http://127.0.0.1:<port>".
  const std::string& address() const { return address_; }
  /// "127.0.0.1:<port>" of the client RPC.
  const std::string& rpc() const { return rpc_; }
  std::string Log() const;
  pid_t pid() const { return pid_; }

 private:
  AgentProcess() = default;
  pid_t pid_ = -1;
  std::string dir_;  ///< temp dir: log file and (server mode) data dir
  std::string address_;
  std::string rpc_;
};

/// A client node registered over the RPC: drivers docker, raw_exec and exec, 4000 MHz,
/// 8192 MB, 100 GiB, loopback network. A background thread heartbeats and turns the node's
/// pending allocations running (stopped ones complete), as a real client would once its tasks
/// started.
class FakeClientNode {
 public:
  FakeClientNode(std::string rpc, std::string name);
  ~FakeClientNode();
  /// Registers the node and starts the thread; false (with `error`) if registration failed.
  bool Start(std::string* error);
  const std::string& id() const { return id_; }
  /// Allocations the node reported running so far.
  int running_reports() const { return running_reports_; }

 private:
  void Run();
  std::string rpc_;
  std::string name_;
  std::string id_;
  std::string secret_;
  std::atomic<bool> stop_{false};
  std::atomic<int> running_reports_{0};
  std::thread thread_;
};

/// Runs `drover <args>` (a shell-quoted string) in `cwd` against `address`, TZ=UTC, no colors.
::drover::testing::CommandResult Drover(const std::string& address, const std::string& args,
                                        const std::string& cwd = "");

/// GET `path` on the agent; null on any failure.
nlohmann::json ApiGet(const std::string& address, const std::string& path);

/// Polls `cond` every 50 ms until it holds or `timeout` passes.
bool WaitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout);

}  // namespace drover::cli::testing
