// `drover lint [-format text|json|sarif|gcc] [-werror] FILE...`: validation (what `validate`
// checks) plus warnings that help people (compiler/lint, W09xx) for every file. All diagnostics
// of all files go to stdout in one document of the chosen format (json: an array, sarif: one
// SARIF 2.1.0 log). Exit 0 when no file has an error (with -werror: no warning either), 1 when
// one has, 1 for bad arguments.
#include <ostream>

#include "compiler/diag/render.h"
#include "compiler/lint/lint.h"
#include "drover_version.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/job_input.h"

namespace drover::cli {

int RunLint(std::span<const std::string> args, Io& io) {
  JobInputFlags input;
  std::string format = "text";
  bool werror = false;
  FlagSet flags("drover lint [options] <path>...",
                "Validates job files and warns about jobs that are legal but probably wrong:\n"
                "static ports with count > 1, unpinned images, unknown runtime variables, ...");
  input.Register(flags);
  flags.String("format", &format, "Output format: text, gcc, json or sarif (default text).");
  flags.Bool("werror", &werror, "Exit 1 on warnings too.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  std::optional<diag::DiagFormat> fmt = diag::ParseDiagFormat(format);
  if (!fmt) {
    io.err << "invalid -format \"" << format << "\": expected text, gcc, json or sarif\n";
    return 1;
  }
  if (flags.args().empty()) {
    io.err << "This command takes at least one argument: <path>\n";
    flags.PrintUsage(io.err);
    return 1;
  }
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  DiskFileReader reader;
  for (const std::string& path : flags.args()) {
    compile::CompileResult result;
    if (!CompileJobFileInto(path, input, /*analyze=*/true, io, sm, diags, reader, result)) {
      return 1;
    }
    if (result.job) {
      lint::Lint(*result.job, diags);
    } else if (result.partial) {
      lint::Lint(*result.partial, diags);
    }
  }
  diags.SortByLocation();
  io.out << diag::RenderAll(diags.diagnostics(), sm, *fmt, DROVER_VERSION);
  if (*fmt == diag::DiagFormat::kJson || *fmt == diag::DiagFormat::kSarif) io.out << "\n";
  bool fail = diags.HasErrors() || (werror && !diags.diagnostics().empty());
  return fail ? 1 : 0;
}

}  // namespace drover::cli
