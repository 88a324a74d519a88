#include "runtime/cli/source_input.h"

#include <sys/stat.h>
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "compiler/diag/render.h"
#include "drover_version.h"

namespace drover::cli {

namespace {

// Reads at most `limit` bytes: a pipe or a device (/dev/zero) may never end.
std::string ReadAtMost(std::istream& in, size_t limit) {
  std::string text;
  char buf[1 << 16];
  while (text.size() < limit && in) {
    in.read(buf, static_cast<std::streamsize>(std::min(sizeof buf, limit - text.size())));
    text.append(buf, static_cast<size_t>(in.gcount()));
  }
  return text;
}

}  // namespace

std::optional<diag::FileId> LoadSource(const std::string& path, std::istream& in,
                                       diag::SourceManager& sm, diag::DiagnosticEngine& diags) {
  std::string name = path == "-" ? "<stdin>" : path;
  std::string text;
  if (path == "-") {
    text = ReadAtMost(in, kMaxSourceBytes + 1);
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
    if (static_cast<uint64_t>(st.st_size) > kMaxSourceBytes) {
      diags.Build(diag::DiagKind::kFileTooLarge, {}, path, kMaxSourceBytes);
      return std::nullopt;
    }
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      diags.Build(diag::DiagKind::kCannotReadFile, {}, path, std::strerror(errno));
      return std::nullopt;
    }
    text = ReadAtMost(f, kMaxSourceBytes + 1);
    if (f.bad()) {
      diags.Build(diag::DiagKind::kCannotReadFile, {}, path, std::strerror(errno));
      return std::nullopt;
    }
  }
  if (text.size() > kMaxSourceBytes) {
    diags.Build(diag::DiagKind::kFileTooLarge, {}, name, kMaxSourceBytes);
    return std::nullopt;
  }
  return sm.AddBuffer(name, std::move(text));
}

void PrintDiagnostics(std::ostream& os, std::span<const diag::Diagnostic> diags,
                      const diag::SourceManager& sm, diag::DiagFormat format) {
  os << diag::RenderAll(diags, sm, format, DROVER_VERSION);
}

}  // namespace drover::cli
