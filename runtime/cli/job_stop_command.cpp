// `drover job stop [options] <job>...` (alias `drover stop`): deregisters jobs (DELETE
// /v1/job/:id) and monitors the resulting evaluation like `job run`. -purge removes the job from
// the agent's state entirely, -detach prints the evaluation id and returns, -yes skips the
// confirmation that a job given by a prefix of its id would otherwise ask for.
#include <istream>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/monitor.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

// Nomad's confirmation: an exact `y` proceeds. Returns the exit code when not confirmed.
std::optional<int> Confirm(Io& io, const std::string& question) {
  io.out << question << " " << std::flush;
  std::string answer;
  if (!std::getline(io.in, answer)) answer.clear();
  answer = TrimSpace(answer);
  if (answer.empty() || answer[0] == 'n' || answer[0] == 'N') {
    io.out << "Cancelling job stop\n";
    return 0;
  }
  if ((answer[0] == 'y' || answer[0] == 'Y') && answer.size() > 1) {
    io.out << "For confirmation, an exact \xE2\x80\x98y\xE2\x80\x99 is required.\n";
    return 0;
  }
  if (answer != "y") {
    io.out << "No confirmation detected. For confirmation, an exact 'y' is required.\n";
    return 1;
  }
  return std::nullopt;
}

}  // namespace

int RunJobStop(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool detach = false, purge = false, verbose = false, global = false, yes = false,
       no_shutdown_delay = false;
  int64_t eval_priority = 0;
  FlagSet flags(
      "drover job stop [options] <job>",
      "Stop an existing job. This command is used to signal allocations to shut down for\n"
      "the given job ID. Upon successful deregistration, an interactive monitor session\n"
      "will start to display log lines as the job unwinds its allocations and completes\n"
      "shutting down. It is safe to exit the monitor early using ctrl+c.");
  AddApiFlags(flags, &api);
  flags.Bool("detach", &detach,
             "Return immediately instead of entering monitor mode. After the deregister\n"
             "    command is submitted, a new evaluation ID is printed to the screen.");
  flags.Bool("purge", &purge,
             "Purge is used to stop the job and purge it from the system. If not set, the job\n"
             "    will still be queryable and will be purged by the garbage collector.");
  flags.Bool("global", &global, "Stop a multi-region job in all its regions.");
  flags.Bool("no-shutdown-delay", &no_shutdown_delay,
             "Ignore the group and task shutdown_delay configuration.");
  flags.Int("eval-priority", &eval_priority, "Override the priority of the evaluations produced.");
  flags.Bool("yes", &yes, "Automatic yes to prompts.");
  flags.Bool("verbose", &verbose, "Display full information.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().empty()) {
    PrintCommandError(io, flags, "This command takes at least one argument: <job>");
    return 1;
  }
  const size_t length = verbose ? kFullId : kShortId;
  Colorizer color(UseColor(api, io));
  int exit_code = 0;
  for (const std::string& arg : flags.args()) {
    const std::string prefix = TrimSpace(arg);
    ApiClient client = ApiClient::ForCommand(api, io);
    auto ref = LookupJob(client, io, prefix);
    if (!ref) {
      exit_code = exit_code == 0 ? 1 : exit_code;
      continue;
    }
    if (!ref->ns.empty()) client.SetNamespace(ref->ns);
    if (flags.args().size() == 1 && prefix != ref->id && !yes) {
      if (auto code =
              Confirm(io, "Are you sure you want to stop job " + GoQuote(ref->id) + "? [y/N]")) {
        return *code;
      }
    }
    ApiClient::Query q;
    if (purge) q.emplace_back("purge", "true");
    if (global) q.emplace_back("global", "true");
    if (eval_priority > 0) q.emplace_back("eval_priority", std::to_string(eval_priority));
    if (no_shutdown_delay) q.emplace_back("no_shutdown_delay", "true");
    auto resp = client.Delete("/v1/job/" + ApiClient::Escape(ref->id), q);
    if (!resp) {
      io.err << "Error deregistering job with id " << prefix
             << " err: " << ErrorText(resp.takeError()) << "\n";
      exit_code = exit_code == 0 ? 1 : exit_code;
      continue;
    }
    std::string eval_id = Str(resp->body, "EvalID");
    if (eval_id.empty()) continue;  // periodic and parameterized jobs have no evaluation
    if (detach) {
      io.out << eval_id << "\n";
      continue;
    }
    int rc = MonitorEvaluation(client, io, color, eval_id, length);
    if (rc != 0 && exit_code == 0) exit_code = rc;
  }
  return exit_code;
}

}  // namespace drover::cli
