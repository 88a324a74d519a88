// A compact S-expression rendering of the AST, for tests and debugging:
//   1 + 2 * 3            -> (+ 1 (* 2 3))
//   a.b[0]               -> (index (attr (var a) b) 0)
//   "x${y}"              -> (template "x" (interp (var y)))
#pragma once

#include <string>

#include "compiler/syntax/ast.h"

namespace drover::syntax {

std::string DumpExpr(const Expr& e);
std::string DumpBody(const Body& b);

}  // namespace drover::syntax
