#include <nlohmann/json.hpp>

#include "compiler/diag/render.h"

namespace drover::diag {
namespace {

void AddLocation(nlohmann::json& j, const SourceManager& sm, const SourceRange& r) {
  if (!r.IsValid()) return;
  LineColumn b = sm.Begin(r);
  LineColumn e = sm.End(r);
  j["file"] = std::string(sm.Name(r.file));
  j["line"] = b.line;
  j["column"] = b.column;
  j["end_line"] = e.line;
  j["end_column"] = e.column;
}

}  // namespace

std::optional<DiagFormat> ParseDiagFormat(std::string_view name) {
  if (name == "text") return DiagFormat::kText;
  if (name == "gcc") return DiagFormat::kGcc;
  if (name == "json") return DiagFormat::kJson;
  if (name == "sarif") return DiagFormat::kSarif;
  return std::nullopt;
}

nlohmann::json RenderJson(const Diagnostic& d, const SourceManager& sm) {
  const DiagKindInfo& info = Info(d.kind);
  nlohmann::json j;
  j["severity"] = std::string(SeverityName(d.severity));
  j["code"] = std::string(info.code);
  j["name"] = std::string(info.name);
  j["message"] = d.message;
  AddLocation(j, sm, d.range);
  if (!d.help.empty()) j["help"] = d.help;
  if (d.fixit) {
    nlohmann::json f;
    AddLocation(f, sm, d.fixit->range);
    f["replacement"] = d.fixit->replacement;
    j["fixit"] = std::move(f);
  }
  nlohmann::json notes = nlohmann::json::array();
  for (const Note& n : d.notes) {
    nlohmann::json jn;
    jn["message"] = n.message;
    AddLocation(jn, sm, n.range);
    notes.push_back(std::move(jn));
  }
  j["notes"] = std::move(notes);
  return j;
}

std::string RenderAll(std::span<const Diagnostic> diags, const SourceManager& sm,
                      DiagFormat format, std::string_view tool_version) {
  std::string out;
  switch (format) {
    case DiagFormat::kText:
      for (const auto& d : diags) out += RenderText(d, sm);
      return out;
    case DiagFormat::kGcc:
      for (const auto& d : diags) out += RenderGcc(d, sm);
      return out;
    // Messages quote source text and file names, which need not be UTF-8: replace what is not
    // (U+FFFD) instead of throwing.
    case DiagFormat::kJson: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& d : diags) arr.push_back(RenderJson(d, sm));
      return arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    case DiagFormat::kSarif:
      return RenderSarif(diags, sm, tool_version)
                 .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
             "\n";
  }
  return out;
}

}  // namespace drover::diag
