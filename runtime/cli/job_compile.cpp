#include "runtime/cli/job_compile.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "compiler/compile/compile.h"
#include "compiler/ir/ir_json.h"
#include "compiler/sema/sema.h"
#include "runtime/cli/command.h"
#include "runtime/cli/context.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {
namespace {

// file() in job files reads from disk, relative to the job file's directory.
class DiskFileReader : public eval::FileReader {
 public:
  bool Read(const std::string& path, std::string* content, std::string* error) override {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      *error = std::strerror(errno);
      return false;
    }
    content->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    return true;
  }
};

}  // namespace

llvm::Expected<CompiledJob> CompileJobFile(const std::string& display_path,
                                           const std::string& source, const JobGetterOptions& opts,
                                           Io& io, bool canonical) {
  const CliContext& ctx = ContextOf(io);
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  DiskFileReader reader;
  compile::CompileOptions options;
  options.analyze = false;  // sema runs below, after the as-written form is taken
  eval::EvalOptions& ev = options.eval;
  for (const std::string& v : opts.vars) {
    size_t eq = v.find('=');
    ev.cli_variables.push_back({v.substr(0, eq), eq == std::string::npos ? "" : v.substr(eq + 1)});
  }
  for (const std::string& f : opts.var_files) {
    std::optional<diag::FileId> id = LoadSource(f, io.in, sm, diags);
    if (id) ev.var_files.push_back(*id);
  }
  for (auto& [k, v] : ctx.Environment()) {
    if (k.starts_with("NOMAD_VAR_")) ev.env.emplace(k, v);
  }
  ev.strict = opts.strict;
  std::error_code ec;
  std::filesystem::path base = display_path == "<stdin>"
                                   ? std::filesystem::current_path(ec)
                                   : std::filesystem::absolute(display_path, ec).parent_path();
  ev.base_dir = base.string();
  ev.file_reader = &reader;
  ev.now_unix_nanos = ctx.NowNs();
  ev.seed = std::random_device{}();

  compile::CompileResult result;
  CompiledJob out;
  if (!diags.HasErrors()) {
    diag::FileId file = sm.AddBuffer(display_path, source);
    result = compile::Compile(sm, file, options, diags);
  }
  if (result.ok()) {
    out.region = result.job->region;
    out.ns = result.job->namespace_;
    if (canonical) sema::Analyze(*result.job, diags);
  }
  if (!result.ok() || diags.HasErrors()) {
    std::ostringstream text;
    PrintDiagnostics(text, diags, sm);
    std::string rendered = text.str();
    while (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
    return llvm::createStringError(std::errc::invalid_argument, "%s", rendered.c_str());
  }
  if (!diags.diagnostics().empty()) PrintDiagnostics(io.err, diags, sm);  // warnings
  out.job = ir::JobToApiJson(*result.job);
  return out;
}

std::string ErrorTextOf(llvm::Error err) { return llvm::toString(std::move(err)); }

}  // namespace drover::cli
