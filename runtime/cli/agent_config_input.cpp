#include "runtime/cli/agent_config_input.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "compiler/compile/compile.h"
#include "runtime/cli/source_input.h"

namespace drover::cli {

std::vector<std::string> ExpandConfigPaths(const std::vector<std::string>& paths,
                                           diag::DiagnosticEngine& diags) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      if (!fs::exists(path, ec)) {
        diags.Build(diag::DiagKind::kCannotReadFile, {}, path, std::strerror(ENOENT));
        continue;
      }
      out.push_back(path);
      continue;
    }
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || name.starts_with(".")) continue;
      if (name.ends_with(".hcl") || name.ends_with(".json")) files.push_back(entry.path().string());
    }
    if (ec) diags.Build(diag::DiagKind::kCannotReadFile, {}, path, ec.message());
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

std::optional<ir::AgentConfig> LoadAgentConfig(const std::vector<std::string>& paths, Io& io,
                                               diag::SourceManager& sm,
                                               diag::DiagnosticEngine& diags) {
  size_t errors_before = diags.error_count();
  std::vector<diag::FileId> files;
  for (const std::string& path : ExpandConfigPaths(paths, diags)) {
    if (auto id = LoadSource(path, io.in, sm, diags)) files.push_back(*id);
  }
  if (diags.error_count() != errors_before) return std::nullopt;
  return compile::CompileAgentConfig(sm, files, diags);
}

}  // namespace drover::cli
