// The generic, schema-driven half of decoding: an evaluated body (compiler/eval) is checked
// against a schema::BlockSpec and comes out as a DecodedBody whose attributes hold typed values
// (strings, whole numbers, durations, string lists and maps, JSON for free-form parts) and whose
// nested blocks are decoded recursively. Every problem becomes a diagnostic (E02xx): unknown
// attributes and blocks with "did you mean", wrong types pointing at the offending value or
// element, duplicate singleton blocks with a note at the first, wrong label counts, invalid enum
// values listing the valid ones, bad durations, missing required attributes. What fails is left
// out, so the typed decoders built on top (job_decoder.h) still produce partial IR.
//
// Values that are unknown (evaluation failed and was already diagnosed) are skipped silently.
// `null` means "not set", as in HCL.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diag/diagnostic.h"
#include "compiler/eval/evaluate.h"
#include "compiler/ir/job.h"
#include "compiler/schema/schema.h"

namespace drover::decode {

using diag::SourceRange;

/// A typed attribute value.
using TypedValue = std::variant<std::monostate, std::string, int64_t, double, bool, ir::Duration,
                                std::vector<std::string>, ir::StringMap,
                                std::map<std::string, std::vector<std::string>>, nlohmann::json>;

/// One attribute (or map-valued block such as `meta { }`) that decoded successfully.
struct DecodedAttribute {
  const schema::AttrSpec* spec = nullptr;
  std::string name;
  TypedValue value;
  /// The value's range (the block's range for block form).
  SourceRange range;
  SourceRange name_range;
  /// The evaluated value as written (attribute form), for element ranges.
  eval::Value raw;
  /// Block form: the block it came from (its body holds the entries with their ranges).
  const eval::EvalBlock* block = nullptr;
};

struct DecodedBlock;

/// A body checked against its schema. Accessors return nothing for absent (or failed) fields.
class DecodedBody {
 public:
  const schema::BlockSpec* spec = nullptr;
  SourceRange range;  ///< the whole block (or body)
  std::vector<DecodedAttribute> attributes;
  std::vector<DecodedBlock> blocks;
  /// Attributes that were written but whose value is unknown (already diagnosed upstream).
  std::vector<std::string> unknown;

  const DecodedAttribute* Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  /// The value range of `name`, or the body's range.
  SourceRange Range(std::string_view name) const;

  std::optional<std::string> String(std::string_view name) const;
  std::optional<int64_t> Int(std::string_view name) const;
  std::optional<double> Number(std::string_view name) const;
  std::optional<bool> Bool(std::string_view name) const;
  std::optional<ir::Duration> Duration(std::string_view name) const;
  std::optional<std::vector<std::string>> StringList(std::string_view name) const;
  std::optional<ir::StringMap> StringMap(std::string_view name) const;
  std::optional<std::map<std::string, std::vector<std::string>>> StringListMap(
      std::string_view name) const;
  std::optional<nlohmann::json> Json(std::string_view name) const;

  std::vector<const DecodedBlock*> Blocks(std::string_view type) const;
  /// The first block of `type`, or null.
  const DecodedBlock* Block(std::string_view type) const;

  /// Sets origin.range to the body's range and records every decoded attribute's value range.
  void FillOrigin(ir::Origin& origin) const;
};

struct DecodedBlock {
  const schema::BlockRef* ref = nullptr;
  const eval::EvalBlock* source = nullptr;
  std::vector<std::string> labels;
  /// `type "label"...`: what messages point at.
  SourceRange header;
  DecodedBody body;
};

/// Decodes `body` against `spec`. `where` names the body in messages ("`check` block", "the job
/// file"); `header` is where "missing required attribute" points (invalid for a file).
DecodedBody DecodeBody(const eval::EvalBody& body, const schema::BlockSpec& spec,
                       std::string_view where, SourceRange header, diag::DiagnosticEngine& diags);

/// The range covering a block's type and labels.
SourceRange HeaderRange(const eval::EvalBlock& block);

/// A free-form body as Nomad's jobspec2 turns it into a map (hclutil.BlocksAsAttrs): attributes
/// keep their values (an object value becomes a one-element array), nested blocks of one type
/// become an array of objects, each label wrapping the object as `{label: [object]}`. An attribute
/// and a block of the same name are a E0215 error.
nlohmann::json FreeFormToJson(const eval::EvalBody& body, std::string_view where,
                              diag::DiagnosticEngine& diags);

/// The binders' assignment of an attribute that may be absent: `target` keeps its default unless
/// the body set a value (converted to the target's type).
template <typename T, typename U>
void Assign(T& target, std::optional<U> value) {
  if (value) target = static_cast<T>(*value);
}
template <typename T>
void Assign(std::optional<T>& target, std::optional<T> value) {
  if (value) target = std::move(value);
}

/// An integer attribute as `int` (the schema bounds the ones bound this way).
inline std::optional<int> IntField(const DecodedBody& b, std::string_view name) {
  auto v = b.Int(name);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

/// Renders a decoded body in Nomad's API JSON using the schema's api names (used for the parts
/// the IR keeps as JSON, such as `connect`). Fields without an api name are left out.
nlohmann::json RenderApiJson(const DecodedBody& body);

}  // namespace drover::decode
