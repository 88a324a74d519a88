// SARIF 2.1.0 (OASIS): one run, the tool's rules are the diagnostic kinds that occur.
// Columns are code points (columnKind unicodeCodePoints); end columns are exclusive.
#include <map>

#include <nlohmann/json.hpp>

#include "compiler/diag/render.h"

namespace drover::diag {
namespace {

// A file name as a relative URI reference (RFC 3986): every byte outside the unreserved set and
// `/` is percent-encoded, so `<stdin>` becomes `%3Cstdin%3E` and a space `%20`.
std::string Uri(std::string_view name) {
  std::string out;
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

nlohmann::json PhysicalLocation(const SourceManager& sm, const SourceRange& r) {
  LineColumn b = sm.Begin(r);
  LineColumn e = sm.End(r);
  return {{"artifactLocation", {{"uri", Uri(sm.Name(r.file))}}},
          {"region",
           {{"startLine", b.line},
            {"startColumn", b.column},
            {"endLine", e.line},
            {"endColumn", e.column}}}};
}

std::string_view Level(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

}  // namespace

nlohmann::json RenderSarif(std::span<const Diagnostic> diags, const SourceManager& sm,
                           std::string_view tool_version) {
  std::map<std::string_view, size_t> rule_index;
  nlohmann::json rules = nlohmann::json::array();
  nlohmann::json results = nlohmann::json::array();
  for (const Diagnostic& d : diags) {
    const DiagKindInfo& info = Info(d.kind);
    auto [it, inserted] = rule_index.emplace(info.code, rule_index.size());
    if (inserted) {
      rules.push_back({{"id", std::string(info.code)},
                       {"name", std::string(info.name)},
                       {"shortDescription", {{"text", std::string(info.format)}}},
                       {"defaultConfiguration", {{"level", std::string(Level(info.severity))}}}});
    }
    nlohmann::json result = {{"ruleId", std::string(info.code)},
                             {"ruleIndex", it->second},
                             {"level", std::string(Level(d.severity))},
                             {"message", {{"text", d.message}}}};
    if (d.range.IsValid()) {
      result["locations"] = nlohmann::json::array(
          {{{"physicalLocation", PhysicalLocation(sm, d.range)}}});
    }
    nlohmann::json related = nlohmann::json::array();
    int id = 0;
    for (const Note& n : d.notes) {
      nlohmann::json rl = {{"id", id++}, {"message", {{"text", n.message}}}};
      if (n.range.IsValid()) rl["physicalLocation"] = PhysicalLocation(sm, n.range);
      related.push_back(std::move(rl));
    }
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    if (d.fixit && d.fixit->range.IsValid()) {
      result["fixes"] = nlohmann::json::array(
          {{{"description", {{"text", d.help.empty() ? d.message : d.help}}},
            {"artifactChanges",
             nlohmann::json::array(
                 {{{"artifactLocation", {{"uri", Uri(sm.Name(d.fixit->range.file))}}},
                   {"replacements",
                    nlohmann::json::array(
                        {{{"deletedRegion", PhysicalLocation(sm, d.fixit->range)["region"]},
                          {"insertedContent", {{"text", d.fixit->replacement}}}}})}}})}}});
    }
    results.push_back(std::move(result));
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", nlohmann::json::array(
                       {{{"tool",
                          {{"driver",
                            {{"name", "drover"},
                             {"version", std::string(tool_version.empty() ? "0" : tool_version)},
                             {"informationUri", "https://github.com/drover/drover"},
                             {"rules", std::move(rules)}}}}},
                         // Our columns count code points; SARIF's default is UTF-16 code units.
                         {"columnKind", "unicodeCodePoints"},
                         {"results", std::move(results)}}})}};
}

}  // namespace drover::diag
