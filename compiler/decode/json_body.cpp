#include "compiler/decode/json_body.h"

#include <fmt/format.h>

namespace drover::decode {
namespace {

void AddBlocks(eval::EvalBody& body, const std::string& type, const nlohmann::json& value,
               const schema::BlockRef& ref, std::vector<std::string> labels, size_t depth,
               diag::SourceRange where, diag::DiagnosticEngine& diags) {
  if (depth < ref.labels.size()) {
    if (!value.is_object()) {
      diags.Build(diag::DiagKind::kInvalidValueType, where, fmt::format("`{}`", type),
                  fmt::format("an object keyed by {}", ref.labels[depth]), value.type_name());
      return;
    }
    for (const auto& [label, inner] : value.items()) {
      std::vector<std::string> more = labels;
      more.push_back(label);
      AddBlocks(body, type, inner, ref, std::move(more), depth + 1, where, diags);
    }
    return;
  }
  auto add_one = [&](const nlohmann::json& object) {
    if (!object.is_object()) {
      diags.Build(diag::DiagKind::kInvalidValueType, where, fmt::format("`{}`", type),
                  "an object", object.type_name());
      return;
    }
    eval::EvalBlock block;
    block.type = type;
    block.labels = labels;
    block.label_ranges.assign(labels.size(), where);
    block.type_range = where;
    block.range = where;
    block.body = JsonToBody(object, *ref.spec, where, diags);
    body.blocks.push_back(std::move(block));
  };
  if (value.is_array()) {
    for (const nlohmann::json& item : value) add_one(item);
  } else {
    add_one(value);
  }
}

eval::Value WithRanges(const eval::Value& v, diag::SourceRange where) {
  if (v.IsSequence() && v.kind() == eval::ValueKind::kTuple) {
    std::vector<eval::Value> elems;
    for (const eval::Value& e : v.elements()) elems.push_back(WithRanges(e, where));
    return eval::Value::Tuple(std::move(elems)).WithRange(where);
  }
  if (v.kind() == eval::ValueKind::kObject) {
    std::vector<eval::Value::Member> members;
    for (const auto& [k, m] : v.members()) members.emplace_back(k, WithRanges(m, where));
    return eval::Value::Object(std::move(members)).WithRange(where);
  }
  return v.WithRange(where);
}

}  // namespace

eval::EvalBody JsonToBody(const nlohmann::json& object, const schema::BlockSpec& spec,
                          diag::SourceRange where, diag::DiagnosticEngine& diags) {
  eval::EvalBody body;
  body.range = where;
  if (!object.is_object()) return body;
  for (const auto& [key, value] : object.items()) {
    if (const schema::BlockRef* ref = spec.FindBlock(key)) {
      AddBlocks(body, key, value, *ref, {}, 0, where, diags);
      continue;
    }
    body.attributes.push_back(
        {key, WithRanges(eval::Value::FromJson(value), where), where, where});
  }
  return body;
}

}  // namespace drover::decode
