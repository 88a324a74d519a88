#include "runtime/cli/source_input.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>

#include "compiler/diag/render.h"

namespace drover::cli {

std::optional<diag::FileId> LoadSource(const std::string& path, std::istream& in,
                                       diag::SourceManager& sm, diag::DiagnosticEngine& diags) {
  std::string text;
  if (path == "-") {
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  } else {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      diags.Build(diag::DiagKind::kCannotReadFile, {}, path, std::strerror(errno));
      return std::nullopt;
    }
    if (S_ISDIR(st.st_mode)) {
      diags.Build(diag::DiagKind::kCannotReadFile, {}, path, "is a directory");
      return std::nullopt;
    }
    if (static_cast<size_t>(st.st_size) > kMaxSourceBytes) {
      diags.Build(diag::DiagKind::kFileTooLarge, {}, path, kMaxSourceBytes);
      return std::nullopt;
    }
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      diags.Build(diag::DiagKind::kCannotReadFile, {}, path, std::strerror(errno));
      return std::nullopt;
    }
    text.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  if (text.size() > kMaxSourceBytes) {
    diags.Build(diag::DiagKind::kFileTooLarge, {}, path, kMaxSourceBytes);
    return std::nullopt;
  }
  return sm.AddBuffer(path == "-" ? "<stdin>" : path, std::move(text));
}

void PrintDiagnostics(std::ostream& os, const diag::DiagnosticEngine& diags,
                      const diag::SourceManager& sm) {
  os << diag::RenderAll(diags.diagnostics(), sm, diag::DiagFormat::kText);
}

}  // namespace drover::cli
