// Job-file loading shared by validate/lint/job run/job inspect (see job_input.h).
#include "runtime/cli/job_input.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <istream>
#include <ostream>
#include <random>
#include <sstream>

#include "runtime/cli/source_input.h"

extern char** environ;

namespace drover::cli {

void JobInputFlags::Register(FlagSet& flags) {
  flags.StringList("var", &vars, "Set an HCL2 input variable: -var 'name=value'. Repeatable.");
  flags.StringList("var-file", &var_files,
                   "Read HCL2 input variable values from a file (.hcl or .json). Repeatable.");
  flags.StringList("allow-file-path", &allowed_paths,
                   "Let file() read below this directory too (by default only the job file's own "
                   "directory tree). Repeatable.");
  flags.Bool("json", &json, "The job file is Nomad API JSON ({\"Job\": {...}}), not HCL.");
  flags.Bool("hcl2-strict", &hcl2_strict,
             "Fail on a value for an undeclared variable (default true).");
}

bool DiskFileReader::Read(const std::string& path, std::string* content, std::string* error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *error = "cannot open the file";
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  *content = ss.str();
  return true;
}

bool CompileJobFileInto(const std::string& path, const JobInputFlags& flags, bool analyze, Io& io,
                        diag::SourceManager& sm, diag::DiagnosticEngine& diags,
                        DiskFileReader& reader, compile::CompileResult& result) {
  compile::CompileOptions options;
  options.analyze = analyze;
  for (const std::string& v : flags.vars) {
    size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      io.err << "invalid -var \"" << v << "\": expected NAME=VALUE\n";
      return false;
    }
    options.eval.cli_variables.push_back({v.substr(0, eq), v.substr(eq + 1)});
  }
  std::optional<diag::FileId> file = LoadSource(path, io.in, sm, diags);
  if (!file) return true;
  for (const std::string& vf : flags.var_files) {
    std::optional<diag::FileId> id = LoadSource(vf, io.in, sm, diags);
    if (!id) return true;
    options.eval.var_files.push_back(*id);
  }
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    if (!entry.starts_with("NOMAD_VAR_")) continue;
    size_t eq = entry.find('=');
    if (eq != std::string::npos) options.eval.env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  options.eval.strict = flags.hcl2_strict;
  std::error_code ec;
  std::filesystem::path base = path == "-" ? std::filesystem::current_path(ec)
                                           : std::filesystem::absolute(path, ec).parent_path();
  options.eval.base_dir = base.string();
  for (const std::string& allowed : flags.allowed_paths) {
    options.eval.allowed_paths.push_back(std::filesystem::absolute(allowed, ec).string());
  }
  options.eval.file_reader = &reader;
  options.eval.now_unix_nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
  options.eval.seed = std::random_device{}();
  result = flags.json ? compile::CompileJson(sm, *file, options, diags)
                      : compile::Compile(sm, *file, options, diags);
  return true;
}

bool CompileJobFile(const std::string& path, const JobInputFlags& flags, bool analyze, Io& io,
                    JobCompilation& c) {
  return CompileJobFileInto(path, flags, analyze, io, c.sm, c.diags, c.reader, c.result);
}

}  // namespace drover::cli
