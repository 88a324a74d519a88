#include "runtime/cli/job_compile.h"

namespace drover::cli {

// TEMPORARY: compiler/compile (wip/decode) and compiler/ir/ir_json (wip/sema) are not merged into
// this branch yet; until they are, only `-json` job files can be planned and run.
llvm::Expected<nlohmann::json> CompileJobFile(const std::string& display_path, const std::string&,
                                              const JobGetterOptions&, Io&) {
  return llvm::createStringError(
      std::errc::not_supported,
      "%s: HCL job files need the compiler, which this build does not include yet; pass -json "
      "with an API JSON job",
      display_path.c_str());
}

std::string ErrorTextOf(llvm::Error err) { return llvm::toString(std::move(err)); }

}  // namespace drover::cli
