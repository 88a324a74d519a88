// Renderers turn diagnostics into what people and tools read:
//   text:  file:line:col: error[E0101]: message, the source line, a ^~~ underline, = help:, notes
//   gcc:   file:line:col: error: message [E0101]            (one line per diagnostic and note)
//   json:  one object per diagnostic (see RenderJson)
//   sarif: a SARIF 2.1.0 log with one run
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "compiler/diag/diagnostic.h"

namespace drover::diag {

enum class DiagFormat { kText, kGcc, kJson, kSarif };

/// Parses "text", "gcc", "json" or "sarif".
std::optional<DiagFormat> ParseDiagFormat(std::string_view name);

std::string RenderText(const Diagnostic& d, const SourceManager& sm);
std::string RenderGcc(const Diagnostic& d, const SourceManager& sm);
nlohmann::json RenderJson(const Diagnostic& d, const SourceManager& sm);
nlohmann::json RenderSarif(std::span<const Diagnostic> diags, const SourceManager& sm,
                           std::string_view tool_version);

/// Renders all of `diags` in `format`: text and gcc concatenate, json is an array, sarif a log.
std::string RenderAll(std::span<const Diagnostic> diags, const SourceManager& sm, DiagFormat format,
                      std::string_view tool_version = "");

}  // namespace drover::diag
