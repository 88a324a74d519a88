// `drover parse FILE...`: prints each file as hcl2json's JSON. One file: indented JSON. Several:
// one compact JSON document per line in argument order (JSON Lines), `null` for a file that has
// errors, whose diagnostics go to stderr; the exit code is 1 if any file failed.
#include <ostream>

#include "compiler/syntax/hcl_json.h"
#include "compiler/syntax/parser.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {

int RunParse(std::span<const std::string> args, Io& io) {
  bool strict = false;
  FlagSet flags("drover parse [options] FILE...",
                "Prints each HCL file as the JSON that HashiCorp's hcl2json produces. With several\n"
                "files, prints one JSON document per line (null for a file with errors).");
  flags.Bool("strict", &strict,
             "Fail like hcl2json on blocks that its JSON form cannot hold side by side.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().empty()) {
    flags.PrintUsage(io.err);
    return 1;
  }
  bool many = flags.args().size() > 1;
  int exit_code = 0;
  for (const std::string& path : flags.args()) {
    diag::SourceManager sm;
    diag::DiagnosticEngine diags;
    std::optional<nlohmann::json> doc;
    if (auto file = LoadSource(path, io.in, sm, diags)) {
      syntax::ParseResult parsed = syntax::Parse(sm, *file, diags);
      if (parsed.file != nullptr) {
        auto json = syntax::ToHclJson(*parsed.file, sm.Text(*file), !strict);
        if (json) {
          doc = std::move(*json);
        } else {
          io.err << path << ": " << llvm::toString(json.takeError()) << "\n";
        }
      }
    }
    PrintDiagnostics(io.err, diags, sm);
    if (!doc) exit_code = 1;
    if (many) {
      io.out << (doc ? doc->dump() : "null") << "\n";
    } else if (doc) {
      io.out << doc->dump(2) << "\n";
    }
  }
  return exit_code;
}

}  // namespace drover::cli
