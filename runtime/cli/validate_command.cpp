// `drover validate FILE` and `drover job validate FILE`: compiles a job file locally (parse,
// evaluate, decode, Nomad's canonicalization and validation rules) and reports, in Nomad's layout:
//
//   Job Warnings:
//   1 warning(s):
//
//   * web.nomad:12:22: update max_parallel is greater than the group count (6 > 3); ...
//
//   Job validation successful
//
// Exit 0 when the job is valid (warnings allowed), 1 when it is not (diagnostics on stderr) or the
// arguments are wrong.
#include <ostream>

#include <fmt/format.h>

#include "compiler/diag/render.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/job_input.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {

int RunValidate(std::span<const std::string> args, Io& io) {
  JobInputFlags input;
  FlagSet flags("drover validate [options] <path>",
                "Checks a job file for errors without submitting it: syntax, variables, the\n"
                "jobspec schema and Nomad's job validation rules. <path> may be `-` for stdin.");
  input.Register(flags);
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() != 1) {
    io.err << "This command takes one argument: <path>\n";
    flags.PrintUsage(io.err);
    return 1;
  }
  JobCompilation c;
  if (!CompileJobFile(flags.args()[0], input, /*analyze=*/true, io, c)) return 1;
  c.diags.SortByLocation();
  if (!c.result.ok() || c.diags.HasErrors()) {
    PrintDiagnostics(io.err, c.diags, c.sm);
    return 1;
  }
  std::vector<const diag::Diagnostic*> warnings;
  for (const diag::Diagnostic& d : c.diags.diagnostics()) {
    if (d.severity == diag::Severity::kWarning) warnings.push_back(&d);
  }
  if (!warnings.empty()) {
    io.out << "Job Warnings:\n" << warnings.size() << " warning(s):\n\n";
    for (const diag::Diagnostic* d : warnings) {
      if (d->range.IsValid()) {
        diag::LineColumn lc = c.sm.Begin(d->range);
        io.out << fmt::format("* {}:{}:{}: {}\n", c.sm.Name(d->range.file), lc.line, lc.column,
                              d->message);
      } else {
        io.out << "* " << d->message << "\n";
      }
    }
    io.out << "\n";
  }
  io.out << "Job validation successful\n";
  return 0;
}

}  // namespace drover::cli
