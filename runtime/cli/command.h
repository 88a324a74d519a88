// The command table of the `drover` binary. Commands follow Nomad's surface: `drover job run`,
// `drover plan` (alias of `job plan`), ... Each command is a small function in its own file under
// runtime/cli/, registered by name in command.cpp (an explicit table, no static constructors).
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace drover::cli {

struct CliContext;

/// Where a command reads and writes; tests pass string streams (and a CliContext with a fixed
/// clock and a scripted agent; null means the real world, see context.h).
struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  const CliContext* ctx = nullptr;
};

using CommandFn = int (*)(std::span<const std::string> args, Io& io);

struct Command {
  std::string_view name;      ///< "job run"
  std::string_view synopsis;  ///< one line for `drover -h`
  CommandFn run;
  bool hidden = false;  ///< internal (e.g. `executor`): runs, but `drover -h` does not list it
};

/// All commands, aliases included, in the order `drover -h` lists them.
std::span<const Command> Commands();

/// Runs the command named by the first words of `args`; returns the exit code.
int RunCommandLine(std::span<const std::string> args, Io& io);

// Command entry points (one file each).
int RunVersion(std::span<const std::string> args, Io& io);
int RunParse(std::span<const std::string> args, Io& io);
int RunFmt(std::span<const std::string> args, Io& io);
// Commands that talk to an agent (api_client.h).
int RunJobPlan(std::span<const std::string> args, Io& io);
int RunJobRun(std::span<const std::string> args, Io& io);
int RunJobStatus(std::span<const std::string> args, Io& io);
int RunJobStop(std::span<const std::string> args, Io& io);
int RunJobInspect(std::span<const std::string> args, Io& io);
int RunJobHistory(std::span<const std::string> args, Io& io);
int RunJobDeployments(std::span<const std::string> args, Io& io);
int RunNodeStatus(std::span<const std::string> args, Io& io);
int RunServerMembers(std::span<const std::string> args, Io& io);
int RunEvalStatus(std::span<const std::string> args, Io& io);
int RunDeploymentList(std::span<const std::string> args, Io& io);
int RunDeploymentStatus(std::span<const std::string> args, Io& io);
int RunAllocStatus(std::span<const std::string> args, Io& io);
int RunAllocLogs(std::span<const std::string> args, Io& io);
int RunExecutorCommand(std::span<const std::string> args, Io& io);
int RunAgent(std::span<const std::string> args, Io& io);
int RunValidate(std::span<const std::string> args, Io& io);
int RunLint(std::span<const std::string> args, Io& io);
int RunConfigValidate(std::span<const std::string> args, Io& io);

}  // namespace drover::cli
