// `drover fmt [-check] [-write=true|false] [-list=true|false] [-recursive] [PATH...]`: rewrites
// HCL job and agent-config files in the canonical layout (compiler/fmt), as `nomad fmt` does.
//
// A PATH is a file (any name), a directory (its `.nomad` and `.hcl` files; those of its
// subdirectories too with -recursive), or `-` (standard input, formatted to standard output).
// Without a PATH, the current directory. By default each file that changes is rewritten and its
// name printed. -check writes nothing and prints nothing but the names of the files that would
// change, and exits 1 if there is any. -write=false -list=false prints every formatted file to
// standard output. A file with syntax errors gets its diagnostics on stderr, is left alone, and
// makes the exit code 1; the other files are still processed.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

#include "compiler/fmt/format.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {
namespace {

namespace fs = std::filesystem;

struct FmtOptions {
  bool check = false;
  bool write = true;
  bool list = true;
  bool recursive = false;
};

bool IsConfigFile(const fs::path& p) {
  return p.extension() == ".nomad" || p.extension() == ".hcl";
}

// The `.nomad` and `.hcl` files of `dir` (and below it with `recursive`), sorted. Errors are
// reported to `err`; returns false when the directory could not be read completely.
bool ListDirectory(const std::string& dir, bool recursive, std::vector<std::string>& files,
                   std::ostream& err) {
  std::error_code ec;
  std::vector<std::string> found;
  auto add = [&](const fs::directory_entry& entry) {
    std::error_code type_ec;
    if (entry.is_regular_file(type_ec) && IsConfigFile(entry.path())) {
      found.push_back(entry.path().lexically_normal().string());
    }
  };
  if (recursive) {
    fs::recursive_directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) add(*it);
  } else {
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) add(*it);
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  if (ec) {
    err << "drover fmt: cannot read directory `" << dir << "`: " << ec.message() << "\n";
    return false;
  }
  return true;
}

bool WriteFile(const std::string& path, const std::string& text, std::ostream& err) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (f) f.close();
  if (!f) {
    err << "drover fmt: cannot write `" << path << "`: " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

// Formats one file (or stdin for "-"); returns its exit status (0 or 1).
int FormatOne(const std::string& path, const FmtOptions& opts, Io& io) {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  std::optional<std::string> formatted;
  std::optional<diag::FileId> file = LoadSource(path, io.in, sm, diags);
  if (file) formatted = hclfmt::Format(sm, *file, diags);
  PrintDiagnostics(io.err, diags, sm);
  if (!formatted) return 1;
  bool changed = *formatted != sm.Text(*file);

  if (path == "-") {
    if (opts.check) return changed ? 1 : 0;
    io.out << *formatted;
    return 0;
  }
  int status = 0;
  if (changed) {
    if (opts.list) io.out << path << "\n";
    if (opts.check) status = 1;
    if (opts.write && !opts.check && !WriteFile(path, *formatted, io.err)) status = 1;
  }
  if (!opts.check && !opts.list && !opts.write) io.out << *formatted;
  return status;
}

}  // namespace

int RunFmt(std::span<const std::string> args, Io& io) {
  FmtOptions opts;
  FlagSet flags(
      "drover fmt [options] [PATH...]",
      "Rewrites HCL job and agent configuration files in the canonical format (the layout of\n"
      "`nomad fmt`). A directory means its .nomad and .hcl files; `-` reads standard input and\n"
      "writes standard output; no PATH means the current directory.");
  flags.Bool("check", &opts.check,
             "Write nothing; list the files that are not formatted and exit 1 if there are any.");
  flags.Bool("write", &opts.write,
             "Rewrite the files that change (default true; -write=false leaves them alone).");
  flags.Bool("list", &opts.list, "Print the names of the files that change (default true).");
  flags.Bool("recursive", &opts.recursive, "Also process the subdirectories of a directory.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();

  std::vector<std::string> paths = flags.args();
  if (paths.empty()) paths.push_back(".");
  int exit_code = 0;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path != "-" && fs::is_directory(path, ec)) {
      std::vector<std::string> files;
      if (!ListDirectory(path, opts.recursive, files, io.err)) exit_code = 1;
      for (const std::string& f : files) exit_code |= FormatOne(f, opts, io);
      continue;
    }
    exit_code |= FormatOne(path, opts, io);
  }
  return exit_code;
}

}  // namespace drover::cli
