// The evaluation stage's entry point: a parsed job file (compiler/syntax) -> an evaluated
// document that keeps the file's structure and source ranges, for compiler/decode.
//
// EvaluateFile() first processes the `variable`, `variables` and `locals` blocks (they do not
// appear in the result): it collects values for input variables (defaults < NOMAD_VAR_<name>
// environment < -var-file files in order < -var flags, later flags winning), converts and
// validates them, evaluates locals in dependency order, then evaluates every other attribute and
// expands `dynamic` blocks.
//
// References that are not `var.*`, `local.*` or an iterator in scope (`NOMAD_PORT_http`,
// `node.unique.name`, `attr.kernel.name`, `meta.rack`, `env["X"]`, ...) are Nomad's runtime
// interpolations: they evaluate to the string "${<traversal as written>}" with the runtime mark
// (Value::IsRuntime), exactly as Nomad's jobspec2 UnknownVariable hook does.
//
// All I/O goes through EvalOptions: file() reads through FileReader, the clock and RNG seed are
// values. Nothing here reads the environment, the clock or the disk on its own.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/value.h"
#include "compiler/syntax/ast.h"

namespace drover::eval {

// ---- the evaluated document
// ----------------------------------------------------------------------

struct EvalBody;

/// `name = value`. `range` covers the whole attribute; the value's own range() is the expression.
/// A value that failed to evaluate (and was diagnosed) is Unknown(any).
struct EvalAttribute {
  std::string name;
  Value value;
  SourceRange name_range;
  SourceRange range;
};

struct EvalBody {
  std::vector<EvalAttribute> attributes;  ///< in source order
  std::vector<struct EvalBlock> blocks;   ///< in source order, `dynamic` blocks expanded in place
  SourceRange range;

  /// The attribute named `name`, or null.
  const EvalAttribute* FindAttribute(std::string_view name) const;
  /// Every block of type `type`, in order.
  std::vector<const EvalBlock*> BlocksOfType(std::string_view type) const;
};

/// `type "label"... { body }`. For a block made by a `dynamic` block, `type_range` is the
/// dynamic block's label and `range` the dynamic block; labels point at the `labels` elements.
struct EvalBlock {
  std::string type;
  std::vector<std::string> labels;
  std::vector<SourceRange> label_ranges;
  SourceRange type_range;
  SourceRange range;
  EvalBody body;
};

// ---- options
// ---------------------------------------------------------------------------------------

/// Reads files for `file()`; tests use an in-memory implementation.
class FileReader {
 public:
  virtual ~FileReader() = default;
  /// The content of `path` (already resolved and checked), or an error message.
  virtual bool Read(const std::string& path, std::string* content, std::string* error) = 0;
};

/// A `-var name=value` flag.
struct CliVariable {
  std::string name;
  std::string value;
};

struct EvalOptions {
  /// -var flags in command-line order (a later flag for the same name wins).
  std::vector<CliVariable> cli_variables;
  /// -var-file files in command-line order, already loaded into the SourceManager (.hcl or
  /// .json; a name ending in ".json" is read as HCL's JSON form).
  std::vector<diag::FileId> var_files;
  /// Environment entries; only NOMAD_VAR_<name> entries are looked at.
  std::map<std::string, std::string> env;
  /// Undeclared -var / var-file names are errors (Nomad's -hcl2-strict, on by default); when
  /// false they are warnings.
  bool strict = true;

  /// Directory that relative paths in file() resolve against (the job file's directory).
  std::string base_dir;
  /// file() may read outside base_dir's tree only below one of these directories.
  std::vector<std::string> allowed_paths;
  /// False disables file() altogether (Nomad's AllowFS=false).
  bool allow_fs = true;
  /// Reader for file(); when null, file() reports that files cannot be read.
  FileReader* file_reader = nullptr;

  /// The current time for timestamp(), as Unix nanoseconds (UTC).
  int64_t now_unix_nanos = 0;
  /// Seed for uuidv4().
  uint64_t seed = 0;
};

/// Evaluates `file`. Returns the evaluated body of everything but `variable`, `variables` and
/// `locals` blocks, or nothing when input variables or locals could not be resolved (the reasons
/// are in `diags`). Expression errors elsewhere are diagnosed and leave Unknown values; callers
/// check diags.HasErrors().
/// Diagnostics about -var and NOMAD_VAR_ values have no source location (they come from the
/// command line); values from var files point into their buffers.
std::optional<EvalBody> EvaluateFile(const syntax::File& file, const diag::SourceManager& sm,
                                     const EvalOptions& options, diag::DiagnosticEngine& diags);

/// Parses a type expression as used by `variable { type = ... }`: string, number, bool, any,
/// list(T), set(T), map(T), object({k = T, k = optional(T[, default])}), tuple([T...]).
/// Emits E0409 and returns nothing on a bad expression.
std::optional<Type> ParseTypeExpr(const syntax::Expr& expr, const diag::SourceManager& sm,
                                  diag::DiagnosticEngine& diags);

}  // namespace drover::eval
