// Test-only stand-in for compiler/eval's EvaluateFile: turns a parsed file whose expressions are
// literals, templates, tuples, objects and negated numbers into an EvalBody, keeping every range.
// References (`NOMAD_PORT_http`, `${node.unique.name}`) become runtime strings "${...}" as the
// evaluator makes them; anything else becomes an unknown value. `variable`, `variables` and
// `locals` blocks are dropped. Decoder tests use it so that they do not depend on the evaluator.
#pragma once

#include "compiler/diag/source_manager.h"
#include "compiler/eval/evaluate.h"
#include "compiler/syntax/ast.h"

namespace drover::testing {

eval::EvalBody LiteralEval(const syntax::File& file, const diag::SourceManager& sm);

}  // namespace drover::testing
