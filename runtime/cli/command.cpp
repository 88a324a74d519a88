#include "runtime/cli/command.h"

#include <algorithm>
#include <ostream>

namespace drover::cli {
namespace {

constexpr Command kCommands[] = {
    {"version", "Print the drover version", &RunVersion},
    {"parse", "Print HCL files as the JSON that hcl2json produces", &RunParse},
    {"fmt", "Rewrite HCL job and config files in the canonical format", &RunFmt},
    // Talking to an agent.
    {"job plan", "Dry-run a job update to determine its effects", &RunJobPlan},
    {"job run", "Run a new job or update an existing job", &RunJobRun},
    {"job status", "Display status information about a job", &RunJobStatus},
    {"job stop", "Stop a running job", &RunJobStop},
    {"job inspect", "Inspect a submitted job", &RunJobInspect},
    {"job history", "Display all tracked versions of a job", &RunJobHistory},
    {"job deployments", "List deployments for a job", &RunJobDeployments},
    {"plan", "Dry-run a job update (alias of `job plan`)", &RunJobPlan},
    {"run", "Run a new job or update an existing job (alias of `job run`)", &RunJobRun},
    {"apply", "Run a new job or update an existing job (alias of `job run`)", &RunJobRun},
    {"status", "Display the status of jobs (alias of `job status`)", &RunJobStatus},
    {"stop", "Stop a running job (alias of `job stop`)", &RunJobStop},
    {"node status", "Display status information about nodes", &RunNodeStatus},
    {"server members", "Display a list of known servers and their status", &RunServerMembers},
    {"eval status", "Display evaluation status and placement failure reasons", &RunEvalStatus},
    {"deployment list", "List all deployments", &RunDeploymentList},
    {"deployment status", "Display the status of a deployment", &RunDeploymentStatus},
    {"alloc status", "Display allocation status information and metadata", &RunAllocStatus},
    {"alloc logs", "Streams the logs of a task", &RunAllocLogs},
    {"logs", "Streams the logs of a task (alias of `alloc logs`)", &RunAllocLogs},
    // Agents.
    {"agent", "Run a drover agent (server, client, or both with -dev)", &RunAgent},
    {"executor", "Run one task for the exec/raw_exec drivers (internal)", &RunExecutorCommand,
     /*hidden=*/true},
    // Checking job and agent files locally.
    {"job validate", "Check a job file for errors", &RunValidate},
    {"validate", "Alias for \"job validate\"", &RunValidate},
    {"lint", "Validate job files and warn about likely mistakes", &RunLint},
    {"config validate", "Check agent configuration files", &RunConfigValidate},
};

void PrintUsage(std::ostream& os) {
  os << "Usage: drover [-version] [-help] <command> [args]\n\nCommands:\n";
  size_t width = 0;
  for (const Command& c : Commands()) {
    if (!c.hidden) width = std::max(width, c.name.size());
  }
  for (const Command& c : Commands()) {
    if (c.hidden) continue;
    os << "    " << c.name << std::string(width - c.name.size() + 4, ' ') << c.synopsis << "\n";
  }
}

}  // namespace

std::span<const Command> Commands() { return kCommands; }

int RunCommandLine(std::span<const std::string> args, Io& io) {
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
    PrintUsage(args.empty() ? io.err : io.out);
    return args.empty() ? 1 : 0;
  }
  if (args[0] == "-v" || args[0] == "-version" || args[0] == "--version") {
    return RunVersion({}, io);
  }
  // Longest match: "job run" before "job".
  const Command* best = nullptr;
  size_t best_words = 0;
  for (const Command& c : Commands()) {
    size_t words = 1 + std::count(c.name.begin(), c.name.end(), ' ');
    if (words > args.size() || words <= best_words) continue;
    std::string joined = args[0];
    for (size_t i = 1; i < words; ++i) joined += " " + args[i];
    if (joined == c.name) {
      best = &c;
      best_words = words;
    }
  }
  if (best == nullptr) {
    io.err << "drover: unknown command `" << args[0] << "`\n\n";
    PrintUsage(io.err);
    return 1;
  }
  return best->run(args.subspan(best_words), io);
}

}  // namespace drover::cli
