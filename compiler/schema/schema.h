// Block and attribute specifications as data, after hcl/hcldec: for every block type, which
// attributes it takes (name, value type, required, enum spellings) and which nested blocks (type,
// labels, singleton or repeated). compiler/decode walks an evaluated body against one of these
// tables and reports what does not fit; the job file (job_schema.h) and the agent configuration
// (agent_schema.h) are both described this way.
//
// The tables are static and immutable; a BlockSpec refers to nested BlockSpecs by pointer, so one
// body shape (e.g. `constraint`) is shared wherever it appears.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace drover::schema {

/// The value an attribute holds after decoding.
enum class ValueType : uint8_t {
  kString,         ///< a string; numbers and bools convert ("8080", "true")
  kNumber,         ///< any number
  kInt,            ///< a whole number within [min, max]
  kBool,           ///< true/false (also the strings "true"/"false")
  kDuration,       ///< a Go duration string ("30s", "1h30m"); a number is nanoseconds
  kEnum,           ///< a string among `enum_values`
  kStringList,     ///< list of strings
  kStringMap,      ///< map of strings (`meta`, `env`)
  kStringListMap,  ///< map of lists of strings (check `header`); elements must be strings
  kAny,            ///< any value, kept as JSON (driver `config`, scaling `policy`)
};

/// Where a field may be written: `name = value`, `name { ... }`, or either. Map-valued fields
/// (`meta`, `env`, `config`) accept both, as Nomad's HCL2 parser does.
enum class Form : uint8_t { kAttribute, kBlock, kEither };

/// One attribute (or map-valued block) of a block body.
struct AttrSpec {
  std::string_view name;
  ValueType type = ValueType::kString;
  bool required = false;
  Form form = Form::kAttribute;
  /// kEnum: the valid spellings, listed in messages.
  std::span<const std::string_view> enum_values = {};
  /// kInt: the representable range (narrower types such as int8 weights set it).
  int64_t min = std::numeric_limits<int32_t>::min();
  int64_t max = std::numeric_limits<int32_t>::max();
  /// The key in Nomad's API JSON (PascalCase), for parts kept as JSON (connect). Empty when the
  /// attribute is not rendered generically.
  std::string_view api_name = {};
  /// kStringList/kStringMap/kStringListMap: when true, elements must be strings already
  /// (Nomad rejects `header { X = ["a", 1] }`).
  bool strict_elements = false;
  /// kEnum: compare ignoring case and keep the lower-case spelling (check `type`, as Nomad
  /// lower-cases it before validating).
  bool case_insensitive = false;
};

struct BlockSpec;

/// How many blocks of one type a body may hold.
enum class Repeat : uint8_t {
  kOne,   ///< at most one (a second is an error with a note at the first)
  kMany,  ///< any number, in source order
};

/// A nested block type allowed in a body.
struct BlockRef {
  std::string_view type;
  const BlockSpec* spec = nullptr;
  /// Label names in order, e.g. {"name"}; the count is exact.
  std::span<const std::string_view> labels = {};
  Repeat repeat = Repeat::kMany;
  bool required = false;
  /// For JSON rendering: the key in Nomad's API JSON, and whether the blocks become an object
  /// keyed by their first label (`envoy_gateway_bind_addresses "name" {}`) instead of an array.
  std::string_view api_name = {};
  bool keyed_by_label = false;
  /// The API JSON key that receives the first label inside each rendered object ("Name").
  std::string_view label_api_name = {};
  /// A singleton block that the API holds as a one-element array (resources `network`).
  bool api_list = false;
};

/// The shape of one block body.
struct BlockSpec {
  std::string_view name = {};  ///< for messages: "job", "check", ...
  std::span<const AttrSpec> attributes = {};
  std::span<const BlockRef> blocks = {};

  const AttrSpec* FindAttribute(std::string_view attr_name) const;
  const BlockRef* FindBlock(std::string_view type) const;
  /// Attribute names and block types, for "did you mean" suggestions.
  std::vector<std::string_view> AttributeNames() const;
  std::vector<std::string_view> BlockTypes() const;
};

/// "a string", "a whole number", "a list of strings", ... for messages.
std::string_view Describe(ValueType type);

}  // namespace drover::schema
