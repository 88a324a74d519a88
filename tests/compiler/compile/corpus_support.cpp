#include "tests/compiler/compile/corpus_support.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/test_paths.h"

namespace drover::testing {

std::vector<CorpusEntry> LoadCorpusManifest() {
  std::vector<CorpusEntry> out;
  std::ifstream manifest(CorpusDir() + "/MANIFEST.tsv");
  std::string line;
  std::getline(manifest, line);  // header
  while (std::getline(manifest, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, '\t')) cols.push_back(c);
    if (cols.size() < 8) continue;
    out.push_back({cols[0], cols[5], cols[6], cols[7]});
  }
  return out;
}

bool IsVarFile(const std::string& file) {
  return file.find("e2e/jobsubmissions/input/") != std::string::npos &&
         (file.ends_with("/x.hcl") || file.ends_with("/y.hcl") || file.ends_with("/z.hcl"));
}

bool DiskFileReader::Read(const std::string& path, std::string* content, std::string* error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *error = "no such file";
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  *content = ss.str();
  return true;
}

bool CompiledFile::HasErrorOnLine(uint32_t line, std::string_view code) const {
  for (const diag::Diagnostic& d : diags.diagnostics()) {
    if (d.severity != diag::Severity::kError || !d.range.IsValid() || d.range.file != 1) continue;
    if (sm.Begin(d.range).line == line && diag::Info(d.kind).code == code) return true;
  }
  return false;
}

namespace {

// -var values for the files whose MANIFEST note says they need them (no defaults).
const std::map<std::string, std::vector<eval::CliVariable>>& NeededVars() {
  static const std::map<std::string, std::vector<eval::CliVariable>> kVars = {
      {"e2e/consul/input/service_reversion.nomad", {{"service", "reversion-test"}}},
      {"e2e/e2eutil/input/disconnect-node.nomad", {{"nodeID", "0f6ac7ba"}}},
      {"e2e/e2eutil/input/restart-node.nomad", {{"nodeID", "0f6ac7ba"}}},
      {"e2e/remotetasks/input/ecs.nomad",
       {{"subnets", "[\"subnet-1\"]"}, {"security_groups", "[\"sg-1\"]"}}},
      {"e2e/servicediscovery/input/checks_task_restart_helper.nomad",
       {{"nodeID", "0f6ac7ba"}, {"cmd", "touch"}, {"delay", "3"}}},
      {"e2e/workload_id/input/node-meta.nomad.hcl",
       {{"foo_key", "foo"},
        {"empty_key", "empty"},
        {"unset_key", "unset"},
        {"foo_constraint", "${meta.foo}"},
        {"empty_constraint", "${meta.empty}"},
        {"unset_constraint", "${meta.unset}"}}},
  };
  return kVars;
}

}  // namespace

std::unique_ptr<CompiledFile> CompileCorpusFile(const std::string& file, bool analyze) {
  auto out = std::make_unique<CompiledFile>();
  std::string path = CorpusDir() + "/" + file;
  diag::FileId id = out->sm.AddBuffer(file, ReadFileOrDie(path));
  compile::CompileOptions options;
  options.analyze = analyze;
  options.eval.base_dir = std::filesystem::path(path).parent_path().string();
  options.eval.file_reader = &out->reader;
  options.eval.now_unix_nanos = 1700000000LL * 1000000000LL;
  options.eval.seed = 42;
  for (const auto& [suffix, vars] : NeededVars()) {
    if (file.ends_with(suffix)) options.eval.cli_variables = vars;
  }
  if (file.ends_with("e2e/jobsubmissions/input/xyz.hcl")) {
    std::string dir = std::filesystem::path(path).parent_path().string();
    for (const char* name : {"x.hcl", "y.hcl", "z.hcl"}) {
      options.eval.var_files.push_back(
          out->sm.AddBuffer(dir + "/" + name, ReadFileOrDie(dir + "/" + name)));
    }
  }
  out->result = compile::Compile(out->sm, id, options, out->diags);
  return out;
}

std::unique_ptr<CompiledFile> CompileText(std::string text, bool analyze, std::string name) {
  auto out = std::make_unique<CompiledFile>();
  diag::FileId id = out->sm.AddBuffer(std::move(name), std::move(text));
  compile::CompileOptions options;
  options.analyze = analyze;
  options.eval.file_reader = &out->reader;
  options.eval.now_unix_nanos = 1700000000LL * 1000000000LL;
  options.eval.seed = 42;
  out->result = compile::Compile(out->sm, id, options, out->diags);
  return out;
}

}  // namespace drover::testing
