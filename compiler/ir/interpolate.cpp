#include "compiler/ir/interpolate.h"

namespace drover::ir {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// End of the `${...}` starting at `open` (index of '$'), honouring quotes and nested braces, or
// npos.
size_t ReferenceEnd(std::string_view s, size_t open) {
  int depth = 0;
  bool quoted = false;
  for (size_t i = open + 2; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (depth == 0) return i;
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<TemplateSegment> ParseRuntimeTemplate(std::string_view s) {
  std::vector<TemplateSegment> out;
  std::string literal;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      size_t end = ReferenceEnd(s, i);
      if (end != std::string_view::npos) {
        if (!literal.empty()) out.push_back({false, std::move(literal)});
        literal.clear();
        out.push_back({true, std::string(Trim(s.substr(i + 2, end - i - 2)))});
        i = end + 1;
        continue;
      }
    }
    literal += s[i++];
  }
  if (!literal.empty()) out.push_back({false, std::move(literal)});
  return out;
}

bool HasRuntimeReferences(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == '$' && s[i + 1] == '{' && ReferenceEnd(s, i) != std::string_view::npos) return true;
  }
  return false;
}

std::string RenderRuntimeTemplate(std::string_view s, const ReferenceResolver& resolve) {
  if (!HasRuntimeReferences(s)) return std::string(s);
  std::string out;
  for (const TemplateSegment& seg : ParseRuntimeTemplate(s)) {
    if (!seg.is_reference) {
      out += seg.text;
      continue;
    }
    if (std::optional<std::string> v = resolve(seg.text)) {
      out += *v;
    } else {
      out += "${" + seg.text + "}";
    }
  }
  return out;
}

}  // namespace drover::ir
