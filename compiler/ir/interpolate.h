// Runtime interpolation kept in the IR. The compiler evaluates everything it can; a reference it
// cannot know at compile time (`${NOMAD_PORT_http}`, `${node.unique.name}`, `${attr.kernel.name}`,
// `${meta.rack}`, `${env["x"]}`) stays in the string, and the client (or the scheduler, for
// constraint targets) renders it. This is the one definition of that mini-language.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace drover::ir {

struct TemplateSegment {
  bool is_reference = false;
  /// A literal, or a reference's text between `${` and `}` with surrounding spaces trimmed
  /// (`NOMAD_PORT_http`, `node.unique.name`, `env["x"]`).
  std::string text;
  bool operator==(const TemplateSegment&) const = default;
};

/// Splits `s` into literal text and `${...}` references. An unterminated `${` is literal text.
std::vector<TemplateSegment> ParseRuntimeTemplate(std::string_view s);

/// True when `s` has at least one `${...}` reference.
bool HasRuntimeReferences(std::string_view s);

/// Returns the value of a reference, or nullopt when it is unknown.
using ReferenceResolver = std::function<std::optional<std::string>(std::string_view reference)>;

/// Replaces every reference the resolver knows; unknown references stay as written (`${x}`), as
/// Nomad's client leaves them.
std::string RenderRuntimeTemplate(std::string_view s, const ReferenceResolver& resolve);

}  // namespace drover::ir
