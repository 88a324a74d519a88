// `drover job run [options] <path>` (alias `drover run`). With -output it compiles the job and
// prints it as Nomad's API JSON, `{"Job": {...}}`, canonicalized the way a Nomad server stores it,
// without submitting it. Submitting needs a drover server (the server issue adds that path);
// until then the command says so and exits 1.
#include <ostream>

#include <nlohmann/json.hpp>

#include "compiler/ir/ir_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/job_input.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {

/// Compiles `path` and prints {"Job": ...} indented as Nomad prints it (4 spaces).
int PrintCompiledJob(const std::string& path, const JobInputFlags& input, Io& io) {
  JobCompilation c;
  if (!CompileJobFile(path, input, /*analyze=*/true, io, c)) return 1;
  c.diags.SortByLocation();
  if (!c.result.ok() || c.diags.HasErrors()) {
    PrintDiagnostics(io.err, c.diags, c.sm);
    return 1;
  }
  if (!c.diags.diagnostics().empty()) PrintDiagnostics(io.err, c.diags, c.sm);  // warnings
  nlohmann::json doc = {{"Job", ir::JobToApiJson(*c.result.job)}};
  io.out << doc.dump(4) << "\n";
  return 0;
}

int RunJobRun(std::span<const std::string> args, Io& io) {
  JobInputFlags input;
  bool output = false;
  bool detach = false;
  bool verbose = false;
  int64_t check_index = 0;
  FlagSet flags("drover job run [options] <path>",
                "Submits a job file to a drover server. With -output, prints the job as Nomad API\n"
                "JSON instead and submits nothing.");
  input.Register(flags);
  flags.Bool("output", &output, "Print the job as JSON ({\"Job\": ...}) and do not submit it.");
  flags.Bool("detach", &detach, "Return after submitting, without monitoring the evaluation.");
  flags.Bool("verbose", &verbose, "Print full IDs.");
  flags.Int("check-index", &check_index, "Register only if the job's modify index matches.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() != 1) {
    io.err << "This command takes one argument: <path>\n";
    flags.PrintUsage(io.err);
    return 1;
  }
  if (output) return PrintCompiledJob(flags.args()[0], input, io);
  io.err << "Error submitting job: this drover build has no server client yet; "
            "use -output to print the compiled job\n";
  return 1;
}

int RunJobInspect(std::span<const std::string> args, Io& io) {
  JobInputFlags input;
  bool local = false;
  FlagSet flags("drover job inspect -local [options] <path>",
                "Prints a job as Nomad API JSON. With -local, <path> is a job file compiled on this\n"
                "machine; reading a job from a server needs a drover server.");
  input.Register(flags);
  flags.Bool("local", &local, "Inspect a local job file instead of a job on a server.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() != 1) {
    io.err << "This command takes one argument: <path> (with -local) or <job>\n";
    flags.PrintUsage(io.err);
    return 1;
  }
  if (local) return PrintCompiledJob(flags.args()[0], input, io);
  io.err << "Error inspecting job: this drover build has no server client yet; "
            "use -local with a job file\n";
  return 1;
}

}  // namespace drover::cli
