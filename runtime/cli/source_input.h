// Reading the files a command is given (a path, or "-" for standard input) into a SourceManager,
// with a located E0001 diagnostic when a file cannot be read.
#pragma once

#include <istream>
#include <optional>
#include <span>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"

namespace drover::cli {

/// Largest input file accepted (E0002 beyond it). ANTLR's parse tree costs about 450 bytes of
/// memory per token and a token can be two bytes: 64 MiB of `1,1,1,...` needed over 10 GiB.
/// 1 MiB is fifty times the largest job in the corpus (19 KB) and bounds that at ~500 MB.
inline constexpr size_t kMaxSourceBytes = 1u << 20;

/// Reads `path` ("-" = `in`) into `sm`. On failure reports E0001/E0002 to `diags` and returns
/// nothing.
std::optional<diag::FileId> LoadSource(const std::string& path, std::istream& in,
                                       diag::SourceManager& sm, diag::DiagnosticEngine& diags);

/// Prints `diags` to `os` in `format` (text unless asked otherwise); SARIF names this drover's
/// version.
void PrintDiagnostics(std::ostream& os, std::span<const diag::Diagnostic> diags,
                      const diag::SourceManager& sm,
                      diag::DiagFormat format = diag::DiagFormat::kText);
inline void PrintDiagnostics(std::ostream& os, const diag::DiagnosticEngine& diags,
                             const diag::SourceManager& sm,
                             diag::DiagFormat format = diag::DiagFormat::kText) {
  PrintDiagnostics(os, diags.diagnostics(), sm, format);
}

}  // namespace drover::cli
