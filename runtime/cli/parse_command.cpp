// `drover parse FILE...`: prints each file as hcl2json's JSON. One file: indented JSON. Several:
// one compact JSON document per line in argument order (JSON Lines), `null` for a file that has
// errors, whose diagnostics go to stderr (-format text|gcc|json|sarif); the exit code is 1 if any
// file failed.
#include <optional>
#include <ostream>
#include <vector>

#include "compiler/syntax/hcl_json.h"
#include "compiler/syntax/parser.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {

int RunParse(std::span<const std::string> args, Io& io) {
  bool strict = false;
  std::string format_name = "text";
  FlagSet flags("drover parse [options] FILE...",
                "Prints each HCL file as the JSON that HashiCorp's hcl2json produces. With several\n"
                "files, prints one JSON document per line (null for a file with errors).");
  flags.Bool("strict", &strict,
             "Fail like hcl2json on blocks that its JSON form cannot hold side by side.");
  flags.String("format", &format_name,
               "How diagnostics are printed on stderr: text (default), gcc, json or sarif.\n"
               "    json and sarif print one document for all files, after the last one.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  std::optional<diag::DiagFormat> format = diag::ParseDiagFormat(format_name);
  if (!format) {
    io.err << "invalid value \"" << format_name
           << "\" for -format: want text, gcc, json or sarif\n";
    return 1;
  }
  if (flags.args().empty()) {
    flags.PrintUsage(io.err);
    return 1;
  }
  bool streamed = *format == diag::DiagFormat::kText || *format == diag::DiagFormat::kGcc;
  bool many = flags.args().size() > 1;
  int exit_code = 0;
  diag::SourceManager sm;
  std::vector<diag::Diagnostic> all;
  for (const std::string& path : flags.args()) {
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
    if (streamed) {
      PrintDiagnostics(io.err, diags, sm, *format);
    } else {
      for (diag::Diagnostic& d : diags.Take()) all.push_back(std::move(d));
    }
    if (!doc) exit_code = 1;
    // Strings hold what the file says, which the parser checked is UTF-8; `replace` only guards
    // against a bug turning into a crash.
    if (many) {
      io.out << (doc ? doc->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) : "null")
             << "\n";
    } else if (doc) {
      io.out << doc->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
  }
  if (!streamed) PrintDiagnostics(io.err, all, sm, *format);
  return exit_code;
}

}  // namespace drover::cli
