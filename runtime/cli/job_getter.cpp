#include "runtime/cli/job_getter.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>
#include <sstream>

#include "compiler/diag/render.h"
#include "compiler/ir/ir_json.h"
#include "compiler/sema/sema.h"
#include "runtime/cli/command.h"
#include "runtime/cli/output.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {
namespace {

llvm::Error Fail(std::string message) {
  return llvm::createStringError(std::errc::invalid_argument, "%s", message.c_str());
}

// The whole of `path` ("-" = stdin), or an error in the words of Nomad's job getter.
llvm::Expected<std::string> ReadJobFile(const std::string& path, Io& io) {
  if (path.empty()) return Fail("Error jobfile path has to be specified.");
  std::ostringstream text;
  if (path == "-") {
    text << io.in.rdbuf();
    return text.str();
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    return Fail("Error getting jobfile from " + GoQuote(path) + ": open " + path + ": " +
                std::string(std::strerror(errno)));
  }
  text << f.rdbuf();
  return text.str();
}

}  // namespace

std::optional<std::string> ValidateJobInput(const JobInputFlags& flags) {
  if (flags.json && (!flags.vars.empty() || !flags.var_files.empty())) {
    return "cannot use variables with JSON files.";
  }
  for (const std::string& v : flags.vars) {
    size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      return "invalid -var \"" + v + "\": expected NAME=VALUE";
    }
  }
  return std::nullopt;
}

llvm::Expected<LoadedJob> GetJob(const std::string& path, const JobInputFlags& flags, Io& io) {
  llvm::Expected<std::string> source = ReadJobFile(path, io);
  if (!source) return source.takeError();
  // Standard input is read once: the compiler reads the copy.
  std::istringstream replay(path == "-" ? *source : std::string());
  Io sub{replay, io.out, io.err, io.ctx};
  JobCompilation c;
  if (!CompileJobFile(path, flags, /*analyze=*/false, sub, c)) {
    return Fail("Error parsing job file from " + path);
  }
  LoadedJob out;
  if (c.result.ok()) {
    out.region = c.result.job->region;
    out.ns = c.result.job->namespace_;
    sema::Analyze(*c.result.job, c.diags);
  }
  c.diags.SortByLocation();
  if (!c.result.ok() || c.diags.HasErrors()) {
    std::string rendered = diag::RenderAll(c.diags.diagnostics(), c.sm, diag::DiagFormat::kText);
    while (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
    return Fail("Error parsing job file from " + path + ":\n" + rendered);
  }
  if (!c.diags.diagnostics().empty()) PrintDiagnostics(io.err, c.diags, c.sm);  // warnings
  out.job = ir::JobToApiJson(*c.result.job);
  if (flags.json) {
    out.submission = {{"Source", *source}, {"Format", "json"}};
    return out;
  }
  std::string var_file_text;
  for (const std::string& f : flags.var_files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    var_file_text += ss.str() + "\n";
  }
  nlohmann::json vars = nlohmann::json::object();
  for (const std::string& v : flags.vars) {
    size_t eq = v.find('=');
    vars[v.substr(0, eq)] = v.substr(eq + 1);
  }
  out.submission = {{"Source", *source},
                    {"Format", "hcl2"},
                    {"VariableFlags", vars},
                    {"Variables", var_file_text}};
  return out;
}

int PrintCompiledJob(const std::string& path, const JobInputFlags& flags, Io& io) {
  JobCompilation c;
  if (!CompileJobFile(path, flags, /*analyze=*/true, io, c)) return 1;
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

std::string RunArgs(const JobInputFlags& flags) {
  std::string out;
  for (const std::string& v : flags.vars) out += "-var=" + GoQuote(v) + " ";
  for (const std::string& f : flags.var_files) out += "-var-file=" + GoQuote(f) + " ";
  return out;
}

}  // namespace drover::cli
