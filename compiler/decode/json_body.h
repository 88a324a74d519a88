// HCL's JSON syntax, read against a schema: a JSON object becomes an eval::EvalBody in which a key
// the schema knows as a block type becomes blocks (an object, or an array of objects; one level of
// object nesting per block label), and every other key an attribute. This is how HCL decides
// between attributes and blocks in JSON, and it lets the body decoder check a JSON agent
// configuration exactly like an HCL one.
//
// JSON carries no positions in drover's parser, so every value gets `where` as its range (the
// start of the file): diagnostics about a JSON file name the file and the attribute, not a line.
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/evaluate.h"
#include "compiler/schema/schema.h"

namespace drover::decode {

/// Converts a JSON object to a body for `spec`. A block value of the wrong JSON shape is reported
/// (E0203) and left out.
eval::EvalBody JsonToBody(const nlohmann::json& object, const schema::BlockSpec& spec,
                          diag::SourceRange where, diag::DiagnosticEngine& diags);

}  // namespace drover::decode
