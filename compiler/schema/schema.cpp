#include "compiler/schema/schema.h"

namespace drover::schema {

const AttrSpec* BlockSpec::FindAttribute(std::string_view attr_name) const {
  for (const AttrSpec& a : attributes) {
    if (a.name == attr_name) return &a;
  }
  return nullptr;
}

const BlockRef* BlockSpec::FindBlock(std::string_view type) const {
  for (const BlockRef& b : blocks) {
    if (b.type == type) return &b;
  }
  return nullptr;
}

std::vector<std::string_view> BlockSpec::AttributeNames() const {
  std::vector<std::string_view> out;
  for (const AttrSpec& a : attributes) out.push_back(a.name);
  return out;
}

std::vector<std::string_view> BlockSpec::BlockTypes() const {
  std::vector<std::string_view> out;
  for (const BlockRef& b : blocks) out.push_back(b.type);
  return out;
}

std::string_view Describe(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "a string";
    case ValueType::kNumber:
      return "a number";
    case ValueType::kInt:
      return "a whole number";
    case ValueType::kBool:
      return "a bool";
    case ValueType::kDuration:
      return "a duration string";
    case ValueType::kEnum:
      return "a string";
    case ValueType::kStringList:
      return "a list of strings";
    case ValueType::kStringMap:
      return "a map of strings";
    case ValueType::kStringListMap:
      return "a map of lists of strings";
    case ValueType::kAny:
      return "a value";
  }
  return "a value";
}

}  // namespace drover::schema
