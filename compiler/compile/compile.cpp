#include "compiler/compile/compile.h"

#include <nlohmann/json.hpp>

#include "compiler/decode/agent_config_decoder.h"
#include "compiler/decode/job_decoder.h"
#include "compiler/decode/json_body.h"
#include "compiler/ir/ir_json.h"
#include "compiler/sema/sema.h"
#include "compiler/schema/agent_schema.h"
#include "compiler/syntax/parser.h"

namespace drover::compile {
namespace {

void Finish(ir::Job job, const CompileOptions& options, diag::DiagnosticEngine& diags,
            size_t errors_before, CompileResult& result) {
  if (diags.error_count() == errors_before && options.analyze) sema::Analyze(job, diags);
  if (diags.error_count() == errors_before) result.job = job;
  result.partial = std::move(job);
}

}  // namespace

CompileResult Compile(diag::SourceManager& sm, diag::FileId file, const CompileOptions& options,
                      diag::DiagnosticEngine& diags) {
  CompileResult result;
  size_t errors_before = diags.error_count();
  syntax::ParseResult parsed = syntax::Parse(sm, file, diags);
  if (parsed.file == nullptr) return result;
  std::optional<eval::EvalBody> body = eval::EvaluateFile(*parsed.file, sm, options.eval, diags);
  if (!body) return result;
  std::optional<ir::Job> job = decode::DecodeJob(*body, diags);
  if (!job) return result;
  Finish(std::move(*job), options, diags, errors_before, result);
  return result;
}

CompileResult CompileApiJob(const nlohmann::json& json, diag::SourceRange where,
                            const CompileOptions& options, diag::DiagnosticEngine& diags) {
  CompileResult result;
  size_t errors_before = diags.error_count();
  llvm::Expected<ir::Job> job = ir::JobFromApiJson(json);
  if (!job) {
    diags.Build(diag::DiagKind::kInvalidJobJson, where, llvm::toString(job.takeError()));
    return result;
  }
  Finish(std::move(*job), options, diags, errors_before, result);
  return result;
}

namespace {

/// Parses JSON text, reporting E0218 at the byte where it goes wrong.
std::optional<nlohmann::json> ParseJsonFile(const diag::SourceManager& sm, diag::FileId file,
                                            diag::DiagnosticEngine& diags) {
  std::string_view text = sm.Text(file);
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    // Find where: parse again with exceptions for the byte offset of the error.
    size_t offset = 0;
    std::string what = "not a JSON document";
    try {
      nlohmann::json ignored = nlohmann::json::parse(text);
      (void)ignored;
    } catch (const nlohmann::json::parse_error& e) {
      offset = e.byte > 0 ? e.byte - 1 : 0;
      what = e.what();
      if (auto pos = what.find(": "); pos != std::string::npos) what = what.substr(pos + 2);
    }
    offset = std::min(offset, text.size());
    auto begin = static_cast<uint32_t>(offset);
    uint32_t end = begin < text.size() ? begin + 1 : begin;
    diags.Build(diag::DiagKind::kInvalidJson, diag::SourceRange{file, begin, end}, what);
    return std::nullopt;
  }
  return json;
}

}  // namespace

CompileResult CompileJson(diag::SourceManager& sm, diag::FileId file,
                          const CompileOptions& options, diag::DiagnosticEngine& diags) {
  std::optional<nlohmann::json> json = ParseJsonFile(sm, file, diags);
  if (!json) return {};
  return CompileApiJob(*json, diag::SourceRange{file, 0, 0}, options, diags);
}

std::optional<ir::AgentConfig> CompileAgentConfig(diag::SourceManager& sm,
                                                  std::span<const diag::FileId> files,
                                                  diag::DiagnosticEngine& diags) {
  size_t errors_before = diags.error_count();
  ir::AgentConfig merged;
  for (diag::FileId file : files) {
    std::optional<eval::EvalBody> body;
    if (sm.Name(file).ends_with(".json")) {
      std::optional<nlohmann::json> json = ParseJsonFile(sm, file, diags);
      if (!json) continue;
      if (!json->is_object()) {
        diags.Build(diag::DiagKind::kInvalidJson, diag::SourceRange{file, 0, 0},
                    "an agent configuration is a JSON object");
        continue;
      }
      body = decode::JsonToBody(*json, schema::AgentConfigSchema(),
                                diag::SourceRange{file, 0, 0}, diags);
    } else {
      syntax::ParseResult parsed = syntax::Parse(sm, file, diags);
      if (parsed.file == nullptr) continue;
      body = eval::EvaluateFile(*parsed.file, sm, eval::EvalOptions{}, diags);
      if (!body) continue;
    }
    decode::MergeAgentConfig(merged, decode::DecodeAgentConfig(*body, diags));
  }
  if (diags.error_count() != errors_before) return std::nullopt;
  return merged;
}

}  // namespace drover::compile
