// The drover agent: wires the parts an agent configuration asks for into one process.
//
//   server role: state store (LevelDB under <data_dir>/server, or a temp dir with -dev), the
//                server core (runtime/server), drover's client RPC on the RPC port (4647) and
//                Nomad's HTTP API on the HTTP port (4646)
//   client role: whatever ClientFactory builds (runtime/client plugs in here); until then a
//                StubClient registers a node without drivers and heartbeats, so that a -dev
//                agent has a node to show and to schedule against
//
// Everything binds 127.0.0.1 unless the configuration says otherwise. Start() either returns a
// running agent or a clear error (ports in use, unusable data dir) with nothing left running;
// Stop() shuts down in reverse order and joins every thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "compiler/ir/agent_config.h"
#include "runtime/http/router.h"

namespace drover::server {
class Server;
}

namespace drover::agent {

/// The agent configuration after defaults, -dev and command-line flags.
struct AgentSettings {
  std::string name;  ///< node name (default: the host name)
  std::string region = "global";
  std::string datacenter = "dc1";
  std::string data_dir;  ///< required unless dev
  std::string bind_addr = "127.0.0.1";
  int http_port = 4646;  ///< 0 = any free port
  int rpc_port = 4647;   ///< 0 = any free port
  int serf_port = 4648;  ///< shown, not bound (drover has no gossip)
  bool server = false;
  bool client = false;
  bool dev = false;
  std::vector<std::string> servers;  ///< client: server RPC addresses ("host:port")
  std::string log_level = "INFO";    ///< TRACE, DEBUG, INFO, WARN, ERROR, OFF
  int num_schedulers = 2;
  std::string node_class;
  std::string node_pool = "default";
  std::map<std::string, std::string> meta;
  uint64_t seed = 0;                      ///< server RNG seed, 0 = random
  std::string version = "0.1.0";          ///< drover's version, for the banner and /v1/agent/self
  std::vector<std::string> config_files;  ///< for the banner
  ir::AgentConfig config;                 ///< as loaded, for the client and /v1/agent/self
};

/// Command-line overrides (`drover agent -bind ... -dc ...`); empty or negative = not given.
struct AgentFlags {
  bool dev = false;
  bool server = false;
  bool client = false;
  std::string bind;
  std::string data_dir;
  std::string dc;
  std::string region;
  std::string node;
  std::vector<std::string> servers;
  std::string log_level;
  int64_t http_port = -1;
  int64_t rpc_port = -1;
};

/// Applies Nomad's defaults, the configuration, -dev and the flags (in that order). A value that
/// cannot work (no role, bad port, bad log level, no data dir without -dev) is an error.
llvm::Expected<AgentSettings> ResolveSettings(const ir::AgentConfig& config,
                                              const AgentFlags& flags);

/// What a client role gets to work with.
struct ClientContext {
  const AgentSettings& settings;
  std::vector<std::string> servers;  ///< RPC addresses to talk to ("127.0.0.1:4647")
  std::string data_dir;              ///< <data_dir>/client (a temp dir with -dev)
  std::string http_addr;             ///< this agent's HTTP API address
};

/// The client role (runtime/client implements it). Start() runs it in the background.
class ClientRole {
 public:
  virtual ~ClientRole() = default;
  virtual llvm::Error Start() = 0;
  virtual void Stop() = 0;
  /// Extra HTTP routes (/v1/client/...) served on the agent's HTTP port.
  virtual void AddRoutes(http::Router& router) { (void)router; }
  /// The HTTP API address as bound ("127.0.0.1:4646"), known once the listener runs; called
  /// before Start().
  virtual void SetHttpAddr(const std::string& addr) { (void)addr; }
};
using ClientFactory =
    std::function<llvm::Expected<std::unique_ptr<ClientRole>>(const ClientContext& context)>;

/// The default client role until runtime/client exists: StubClient (stub_client.h).
ClientFactory DefaultClientFactory();

class Agent {
 public:
  /// Starts the roles `settings` asks for; `client_factory` builds the client role.
  static llvm::Expected<std::unique_ptr<Agent>> Start(AgentSettings settings,
                                                      ClientFactory client_factory = {});
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  /// Idempotent.
  void Stop();

  const AgentSettings& settings() const;
  /// "127.0.0.1:4646" as bound (the real ports when 0 was asked for).
  std::string HttpAddr() const;
  std::string RpcAddr() const;
  /// The server core, or null for a client-only agent.
  server::Server* server() const;
  /// The data directory in use (the temp dir with -dev).
  const std::string& data_dir() const;

  /// Nomad's start-up banner ("==> drover agent configuration: ...").
  std::string Banner() const;

  struct Impl;

 private:
  explicit Agent(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Routes spdlog to stderr in hclog's layout ("    2024-09-09T16:41:53.123Z [INFO]  msg") at
/// `level` (TRACE..ERROR, OFF). False for an unknown level.
bool SetupLogging(const std::string& level);

}  // namespace drover::agent
