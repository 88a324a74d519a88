#include "runtime/cli/job_getter.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <istream>
#include <sstream>

#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/job_compile.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

llvm::Error Fail(std::string message) {
  return llvm::createStringError(std::errc::invalid_argument, "%s", message.c_str());
}

// The whole of `path` ("-" = stdin) or an error in the style of Nomad's job getter.
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

void AddJobGetterFlags(FlagSet& flags, JobGetterOptions* target) {
  flags.Bool("json", &target->json,
             "Parses the job file as JSON. If the outer object has a Job field, such as from\n"
             "    \"drover job inspect\" or \"drover job run -output\", the value of the field is\n"
             "    used as the job.");
  flags.Bool("hcl2-strict", &target->strict,
             "Whether an error should be produced from the HCL2 parser where a variable has\n"
             "    been supplied which is not defined within the root variables. Defaults to true.");
  flags.StringList("var", &target->vars, "Variable for template, can be used multiple times.");
  flags.StringList("var-file", &target->var_files, "Path to HCL2 file containing user variables.");
}

std::optional<std::string> ValidateJobGetter(const JobGetterOptions& opts) {
  if ((!opts.vars.empty() || !opts.var_files.empty()) && opts.json) {
    return "cannot use variables with JSON files.";
  }
  return std::nullopt;
}

llvm::Expected<LoadedJob> GetJob(const std::string& path, const JobGetterOptions& opts, Io& io,
                                 bool canonical) {
  llvm::Expected<std::string> source = ReadJobFile(path, io);
  if (!source) return source.takeError();
  LoadedJob out;
  if (opts.json) {
    nlohmann::json doc = nlohmann::json::parse(*source, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
      return Fail("Failed to parse JSON job: " +
                  std::string(doc.is_discarded() ? "invalid JSON" : "expected a JSON object"));
    }
    auto nested = doc.find("Job");
    if (nested != doc.end() && nested->is_object()) {
      out.job = *nested;
    } else {
      out.job = std::move(doc);
    }
    if (auto r = out.job.find("Region"); r != out.job.end() && r->is_string()) out.region = *r;
    if (auto n = out.job.find("Namespace"); n != out.job.end() && n->is_string()) out.ns = *n;
    out.submission = {{"Source", *source}, {"Format", "json"}};
    return out;
  }

  std::string var_file_text;
  for (const std::string& f : opts.var_files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      return Fail("Failed to read var file(s): open " + f + ": " + std::strerror(errno));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    var_file_text += ss.str() + "\n";
  }
  std::string display = path == "-" ? "<stdin>" : path;
  llvm::Expected<CompiledJob> job = CompileJobFile(display, *source, opts, io, canonical);
  if (!job) {
    return Fail("Error parsing job file from " + path + ":\n" + ErrorTextOf(job.takeError()));
  }
  out.job = std::move(job->job);
  out.region = std::move(job->region);
  out.ns = std::move(job->ns);
  nlohmann::json flags = nlohmann::json::object();
  for (const std::string& v : opts.vars) {
    size_t eq = v.find('=');
    flags[v.substr(0, eq)] = eq == std::string::npos ? "" : v.substr(eq + 1);
  }
  out.submission = {{"Source", *source},
                    {"Format", "hcl2"},
                    {"VariableFlags", flags},
                    {"Variables", var_file_text}};
  return out;
}

std::string RunArgs(const JobGetterOptions& opts) {
  std::string out;
  for (const std::string& v : opts.vars) out += "-var=" + GoQuote(v) + " ";
  for (const std::string& f : opts.var_files) out += "-var-file=" + GoQuote(f) + " ";
  return out;
}

}  // namespace drover::cli
