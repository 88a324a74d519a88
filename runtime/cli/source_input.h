// Reading the files a command is given (a path, or "-" for standard input) into a SourceManager,
// with a located E0001 diagnostic when a file cannot be read.
#pragma once

#include <istream>
#include <optional>
#include <string>

#include "compiler/diag/diagnostic.h"

namespace drover::cli {

/// Largest input file accepted (E0002 beyond it).
inline constexpr size_t kMaxSourceBytes = 64u << 20;

/// Reads `path` ("-" = `in`) into `sm`. On failure reports E0001/E0002 to `diags` and returns
/// nothing.
std::optional<diag::FileId> LoadSource(const std::string& path, std::istream& in,
                                       diag::SourceManager& sm, diag::DiagnosticEngine& diags);

/// Prints `diags` in text form to `os`.
void PrintDiagnostics(std::ostream& os, const diag::DiagnosticEngine& diags,
                      const diag::SourceManager& sm);

}  // namespace drover::cli
