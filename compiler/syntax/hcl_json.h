// The JSON form of an HCL file that HashiCorp's `hcl2json` (tmccombs/hcl2json, also shipped as
// npm @cdktf/hcl2json) prints, reproduced from drover's AST: blocks nest by type and then by
// label, the innermost level an array of bodies; literals, tuples, objects and plain strings become
// JSON values; every other expression becomes its source text wrapped in "${...}".
//
// `drover parse` prints this, and the corpus test compares it with hcl2json's own output.
#pragma once

#include <string>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "compiler/syntax/ast.h"

namespace drover::syntax {

/// Converts `file`, whose source text is `source`. Fails like hcl2json does when a labelled
/// block and an unlabelled block of one type, or a block and an attribute, collide; with
/// `merge_repeated`, such blocks are kept side by side instead (an array of their bodies), so
/// every parseable file converts.
llvm::Expected<nlohmann::json> ToHclJson(const File& file, std::string_view source,
                                         bool merge_repeated = false);

}  // namespace drover::syntax
