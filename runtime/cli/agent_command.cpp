// `drover agent [options]`: runs a server and/or client agent until SIGINT or SIGTERM, as
// `nomad agent` does. `-dev` runs both roles in one process with a throw-away data dir on
// 127.0.0.1; `-config FILE|DIR` (repeatable) loads agent configuration files. The banner follows
// Nomad's layout; logs stream to stderr in hclog's layout.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <ostream>
#include <thread>

#include "drover_version.h"
#include "runtime/agent/agent.h"
#include "runtime/client/client.h"
#include "runtime/cli/agent_config_input.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {
namespace {

std::string SignalName(int sig) {
  switch (sig) {
    case SIGINT:
      return "interrupt";
    case SIGTERM:
      return "terminated";
    case SIGHUP:
      return "hangup";
    default:
      return std::to_string(sig);
  }
}

}  // namespace

int RunAgent(std::span<const std::string> args, Io& io) {
  agent::AgentFlags f;
  std::vector<std::string> configs;
  FlagSet flags("drover agent [options]",
                "Starts a drover agent and runs until an interrupt is received. The agent may be\n"
                "a server, a client, or both (-dev).");
  flags.Bool("dev", &f.dev,
             "Development mode: server and client in one process, data in a temporary\n"
             "directory, bound to 127.0.0.1, log level DEBUG.");
  flags.Bool("server", &f.server, "Enable the server role.");
  flags.Bool("client", &f.client, "Enable the client role.");
  flags.StringList("config", &configs,
                   "A configuration file or directory (*.hcl and *.json); repeatable, later wins.");
  flags.String("bind", &f.bind, "Address the HTTP and RPC listeners bind (default 127.0.0.1).");
  flags.String("data-dir", &f.data_dir, "Directory for the agent's state.");
  flags.String("dc", &f.dc, "Datacenter of the agent (default dc1).");
  flags.String("region", &f.region, "Region of the agent (default global).");
  flags.String("node", &f.node, "Node name (default: the host name).");
  flags.StringList("servers", &f.servers, "Server RPC addresses for a client (host:port,...).");
  flags.String("log-level", &f.log_level, "TRACE, DEBUG, INFO, WARN or ERROR (default INFO).");
  flags.Int("http-port", &f.http_port, "HTTP API port (default 4646; 0 = any free port).");
  flags.Int("rpc-port", &f.rpc_port, "RPC port (default 4647; 0 = any free port).");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (!flags.args().empty()) {
    io.err << "This command takes no arguments\n";
    flags.PrintUsage(io.err);
    return 1;
  }

  ir::AgentConfig config;
  std::vector<std::string> files;
  if (!configs.empty()) {
    diag::SourceManager sm;
    diag::DiagnosticEngine diags;
    files = ExpandConfigPaths(configs, diags);
    std::optional<ir::AgentConfig> loaded = LoadAgentConfig(configs, io, sm, diags);
    diags.SortByLocation();
    PrintDiagnostics(io.err, diags, sm);
    if (!loaded) {
      io.err << "==> Error loading configuration\n";
      return 1;
    }
    config = std::move(*loaded);
  }
  auto settings = agent::ResolveSettings(config, f);
  if (!settings) {
    io.err << "==> " << llvm::toString(settings.takeError()) << "\n";
    return 1;
  }
  settings->version = DROVER_VERSION;
  settings->config_files = files;
  agent::SetupLogging(settings->log_level);

  // Signals are taken with sigwait() below; block them before any agent thread starts so that
  // every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (files.empty()) {
    io.out << "==> No configuration files loaded\n";
  } else {
    io.out << "==> Loaded configuration from ";
    for (size_t i = 0; i < files.size(); ++i) io.out << (i ? ", " : "") << files[i];
    io.out << "\n";
  }
  io.out << "==> Starting drover agent...\n" << std::flush;
  auto agent = agent::Agent::Start(std::move(*settings), client::MakeClientFactory());
  if (!agent) {
    io.err << "==> Error starting agent: " << llvm::toString(agent.takeError()) << "\n";
    pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
    return 1;
  }
  io.out << (*agent)->Banner() << "\n" << std::flush;

  int sig = 0;
  for (;;) {
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      io.out << "==> Caught signal: hangup (configuration reload is not supported yet)\n"
             << std::flush;
      continue;
    }
    break;
  }
  io.out << "==> Caught signal: " << SignalName(sig) << "\n"
         << "==> Gracefully shutting down agent...\n"
         << std::flush;
  // A second signal while shutting down exits at once.
  std::thread([signals]() mutable {
    int again = 0;
    while (sigwait(&signals, &again) != 0) {
    }
    std::_Exit(1);
  }).detach();
  (*agent)->Stop();
  io.out << "==> Agent stopped\n" << std::flush;
  return 0;
}

}  // namespace drover::cli
