#include "compiler/decode/body_decoder.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "compiler/base/strings.h"

namespace drover::decode {
namespace {

using schema::AttrSpec;
using schema::BlockRef;
using schema::BlockSpec;
using schema::Form;
using schema::ValueType;

constexpr size_t kMaxShownValue = 40;

/// How a value reads in "got ..." messages: primitives as written, collections by kind.
std::string DescribeValue(const eval::Value& v) {
  switch (v.kind()) {
    case eval::ValueKind::kString: {
      std::string s = v.AsString();
      if (s.size() > kMaxShownValue) s = s.substr(0, kMaxShownValue) + "...";
      return fmt::format("\"{}\"", s);
    }
    case eval::ValueKind::kNumber:
    case eval::ValueKind::kBool:
      return v.ToString();
    case eval::ValueKind::kNull:
      return "null";
    case eval::ValueKind::kList:
    case eval::ValueKind::kTuple:
    case eval::ValueKind::kSet:
      return "a list";
    case eval::ValueKind::kMap:
    case eval::ValueKind::kObject:
      return "an object";
    case eval::ValueKind::kUnknown:
      return "an unknown value";
  }
  return "a value";
}

std::string Quoted(std::string_view s) { return fmt::format("`{}`", s); }

/// `meta.key`, or `meta["a.b"]` when the key is not an identifier.
std::string MemberPath(std::string_view base, std::string_view key) {
  bool ident = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
  for (char c : key) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) ident = false;
  }
  return ident ? fmt::format("{}.{}", base, key) : fmt::format("{}[\"{}\"]", base, key);
}

std::string EnumList(std::span<const std::string_view> values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += Quoted(values[i]);
  }
  return out;
}

class Decoder {
 public:
  explicit Decoder(diag::DiagnosticEngine& diags) : diags_(diags) {}

  DecodedBody Decode(const eval::EvalBody& body, const BlockSpec& spec, std::string_view where,
                     SourceRange header);
  nlohmann::json FreeForm(const eval::EvalBody& body, std::string_view where);

 private:
  void TypeError(SourceRange range, std::string_view subject, std::string_view expected,
                 const eval::Value& got) {
    diags_.Build(diag::DiagKind::kInvalidValueType, range, Quoted(subject), expected,
                 DescribeValue(got));
  }

  /// A primitive as a string (numbers and bools convert). Reports and returns nothing otherwise.
  std::optional<std::string> AsString(const eval::Value& v, std::string_view subject,
                                      bool strict) {
    if (v.kind() == eval::ValueKind::kString) return v.AsString();
    if (!strict && (v.kind() == eval::ValueKind::kNumber || v.kind() == eval::ValueKind::kBool)) {
      return v.kind() == eval::ValueKind::kNumber ? v.AsNumber().ToString()
                                                  : std::string(v.AsBool() ? "true" : "false");
    }
    TypeError(v.range(), subject, "a string", v);
    return std::nullopt;
  }

  std::optional<TypedValue> Convert(const eval::Value& v, const AttrSpec& spec,
                                    std::string_view subject);
  std::optional<TypedValue> ConvertMapBlock(const eval::EvalBlock& block, const AttrSpec& spec);

  diag::DiagnosticEngine& diags_;
};

std::optional<TypedValue> Decoder::Convert(const eval::Value& v, const AttrSpec& spec,
                                           std::string_view subject) {
  switch (spec.type) {
    case ValueType::kString:
      if (auto s = AsString(v, subject, false)) return TypedValue(std::move(*s));
      return std::nullopt;

    case ValueType::kEnum: {
      auto s = AsString(v, subject, false);
      if (!s) return std::nullopt;
      if (spec.case_insensitive) {
        for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      if (std::find(spec.enum_values.begin(), spec.enum_values.end(), *s) !=
          spec.enum_values.end()) {
        return TypedValue(std::move(*s));
      }
      auto b = diags_.Build(diag::DiagKind::kInvalidEnumValue, v.range(), *s, subject,
                            EnumList(spec.enum_values));
      if (auto hint = base::Suggest(*s, spec.enum_values)) {
        std::move(b).Help(fmt::format("did you mean `{}`?", *hint));
      }
      return std::nullopt;
    }

    case ValueType::kNumber:
    case ValueType::kInt: {
      std::optional<eval::Number> n;
      if (v.kind() == eval::ValueKind::kNumber) {
        n = v.AsNumber();
      } else if (v.kind() == eval::ValueKind::kString) {
        n = eval::Number::Parse(v.AsString());
      }
      if (!n) {
        TypeError(v.range(), subject, schema::Describe(spec.type), v);
        return std::nullopt;
      }
      if (spec.type == ValueType::kNumber) return TypedValue(n->ToDouble());
      if (!n->IsIntegral()) {
        TypeError(v.range(), subject, "a whole number", v);
        return std::nullopt;
      }
      auto i = n->ToInt64();
      if (!i || *i < spec.min || *i > spec.max) {
        diags_.Build(diag::DiagKind::kValueOutOfRange, v.range(), Quoted(subject), n->ToString(),
                     spec.min, spec.max);
        return std::nullopt;
      }
      return TypedValue(*i);
    }

    case ValueType::kBool:
      if (v.kind() == eval::ValueKind::kBool) return TypedValue(v.AsBool());
      if (v.kind() == eval::ValueKind::kString) {
        if (v.AsString() == "true") return TypedValue(true);
        if (v.AsString() == "false") return TypedValue(false);
      }
      TypeError(v.range(), subject, "a bool", v);
      return std::nullopt;

    case ValueType::kDuration:
      if (v.kind() == eval::ValueKind::kNumber) {
        if (auto i = v.AsNumber().ToInt64()) return TypedValue(ir::Duration(*i));
        TypeError(v.range(), subject, "a duration (a string such as \"30s\")", v);
        return std::nullopt;
      }
      if (v.kind() == eval::ValueKind::kString) {
        if (auto d = ir::ParseDuration(v.AsString())) return TypedValue(*d);
        diags_.Build(diag::DiagKind::kInvalidDuration, v.range(), v.AsString(), subject);
        return std::nullopt;
      }
      TypeError(v.range(), subject, "a duration (a string such as \"30s\")", v);
      return std::nullopt;

    case ValueType::kStringList: {
      if (!v.IsSequence()) {
        TypeError(v.range(), subject, "a list of strings", v);
        return std::nullopt;
      }
      std::vector<std::string> out;
      bool ok = true;
      size_t i = 0;
      for (const eval::Value& e : v.elements()) {
        std::string path = fmt::format("{}[{}]", subject, i++);
        if (e.IsUnknown()) return std::nullopt;
        auto s = AsString(e, path, spec.strict_elements);
        if (s) {
          out.push_back(std::move(*s));
        } else {
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return TypedValue(std::move(out));
    }

    case ValueType::kStringMap: {
      if (!v.IsMapping()) {
        TypeError(v.range(), subject, "a map of strings", v);
        return std::nullopt;
      }
      ir::StringMap out;
      bool ok = true;
      for (const auto& [key, member] : v.members()) {
        if (member.IsUnknown()) return std::nullopt;
        if (member.IsNull()) continue;
        auto s = AsString(member, MemberPath(subject, key), spec.strict_elements);
        if (s) {
          out[key] = std::move(*s);
        } else {
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return TypedValue(std::move(out));
    }

    case ValueType::kStringListMap: {
      if (!v.IsMapping()) {
        TypeError(v.range(), subject, "a map of lists of strings", v);
        return std::nullopt;
      }
      std::map<std::string, std::vector<std::string>> out;
      bool ok = true;
      AttrSpec element = spec;
      element.type = ValueType::kStringList;
      for (const auto& [key, member] : v.members()) {
        if (member.IsUnknown()) return std::nullopt;
        if (member.IsNull()) continue;
        auto list = Convert(member, element, MemberPath(subject, key));
        if (list) {
          out[key] = std::get<std::vector<std::string>>(*list);
        } else {
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      return TypedValue(std::move(out));
    }

    case ValueType::kAny:
      if (!v.IsWhollyKnown()) return std::nullopt;
      return TypedValue(v.ToJson());
  }
  return std::nullopt;
}

// A map-valued field written as a block: `meta { k = "v" }`, `config { ... }`.
std::optional<TypedValue> Decoder::ConvertMapBlock(const eval::EvalBlock& block,
                                                   const AttrSpec& spec) {
  if (spec.type == ValueType::kAny) return TypedValue(FreeForm(block.body, Quoted(spec.name)));
  bool ok = true;
  for (const eval::EvalBlock& nested : block.body.blocks) {
    diags_.Build(diag::DiagKind::kUnknownBlock, nested.type_range, nested.type,
                 fmt::format("`{}` block", spec.name))
        .Help(fmt::format("`{}` holds only `key = value` entries", spec.name));
    ok = false;
  }
  std::vector<eval::Value::Member> members;
  for (const eval::EvalAttribute& a : block.body.attributes) {
    if (a.value.IsUnknown()) return std::nullopt;
    members.emplace_back(a.name, a.value);
  }
  auto converted = Convert(eval::Value::Object(std::move(members)).WithRange(block.range), spec,
                           spec.name);
  if (!ok) return std::nullopt;
  return converted;
}

DecodedBody Decoder::Decode(const eval::EvalBody& body, const BlockSpec& spec,
                            std::string_view where, SourceRange header) {
  DecodedBody out;
  out.spec = &spec;
  out.range = body.range;

  // Attributes (and map fields written as attributes).
  for (const eval::EvalAttribute& a : body.attributes) {
    const AttrSpec* as = spec.FindAttribute(a.name);
    if (as == nullptr) {
      if (spec.FindBlock(a.name) != nullptr) {
        diags_.Build(diag::DiagKind::kBlockWrittenAsAttribute, a.name_range, a.name, a.name);
        continue;
      }
      auto b = diags_.Build(diag::DiagKind::kUnknownAttribute, a.name_range, a.name, where);
      auto names = spec.AttributeNames();
      if (auto hint = base::Suggest(a.name, names)) {
        std::move(b).Help(fmt::format("did you mean `{}`?", *hint)).Fix(a.name_range, *hint);
      }
      continue;
    }
    if (as->form == Form::kBlock) {
      diags_.Build(diag::DiagKind::kBlockWrittenAsAttribute, a.name_range, a.name, a.name);
      continue;
    }
    if (a.value.IsNull()) continue;
    if (a.value.IsUnknown()) {
      out.unknown.push_back(a.name);
      continue;
    }
    if (auto typed = Convert(a.value, *as, a.name)) {
      out.attributes.push_back(
          {as, a.name, std::move(*typed), a.value.range(), a.name_range, a.value, nullptr});
    } else {
      out.unknown.push_back(a.name);  // diagnosed; do not also report it missing
    }
  }

  // Blocks.
  for (const eval::EvalBlock& b : body.blocks) {
    const BlockRef* ref = spec.FindBlock(b.type);
    if (ref == nullptr) {
      const AttrSpec* as = spec.FindAttribute(b.type);
      if (as != nullptr && as->form != Form::kAttribute) {
        if (!b.labels.empty()) {
          diags_.Build(diag::DiagKind::kWrongLabelCount, HeaderRange(b), b.type, "no labels",
                       b.labels.size());
          continue;
        }
        const DecodedAttribute* prior = out.Find(b.type);
        bool prior_unknown =
            std::find(out.unknown.begin(), out.unknown.end(), b.type) != out.unknown.end();
        if (prior != nullptr && prior->block != nullptr) {
          diags_.Build(diag::DiagKind::kDuplicateBlock, b.type_range, b.type, where)
              .Note(prior->block->type_range,
                    fmt::format("the first `{}` block is here", b.type));
          continue;
        }
        if (prior != nullptr || prior_unknown) {
          auto d = diags_.Build(diag::DiagKind::kDefinedTwice, b.type_range, b.type, where);
          if (prior != nullptr) {
            d.Note(prior->name_range, fmt::format("`{}` is first defined here", b.type));
          }
          continue;
        }
        if (auto typed = ConvertMapBlock(b, *as)) {
          out.attributes.push_back(
              {as, b.type, std::move(*typed), b.range, b.type_range, eval::Value(), &b});
        } else {
          out.unknown.push_back(b.type);
        }
        continue;
      }
      if (as != nullptr) {
        diags_.Build(diag::DiagKind::kAttributeWrittenAsBlock, b.type_range, b.type, b.type);
        continue;
      }
      auto d = diags_.Build(diag::DiagKind::kUnknownBlock, b.type_range, b.type, where);
      std::vector<std::string_view> candidates = spec.BlockTypes();
      for (const AttrSpec& a : spec.attributes) {
        if (a.form != Form::kAttribute) candidates.push_back(a.name);
      }
      if (auto hint = base::Suggest(b.type, candidates)) {
        std::move(d).Help(fmt::format("did you mean `{}`?", *hint)).Fix(b.type_range, *hint);
      }
      continue;
    }

    if (b.labels.size() != ref->labels.size()) {
      std::string wanted;
      if (ref->labels.empty()) {
        wanted = "no labels";
      } else {
        wanted = fmt::format("{} label{} (", ref->labels.size(),
                             ref->labels.size() == 1 ? "" : "s");
        for (size_t i = 0; i < ref->labels.size(); ++i) {
          if (i > 0) wanted += ", ";
          wanted += Quoted(ref->labels[i]);
        }
        wanted += ")";
      }
      diags_.Build(diag::DiagKind::kWrongLabelCount, HeaderRange(b), b.type, wanted,
                   b.labels.size());
      continue;
    }

    if (ref->repeat == schema::Repeat::kOne) {
      if (const DecodedBlock* first = out.Block(b.type)) {
        diags_.Build(diag::DiagKind::kDuplicateBlock, b.type_range, b.type, where)
            .Note(first->source->type_range, fmt::format("the first `{}` block is here", b.type));
        continue;
      }
    }
    if (ref->keyed_by_label) {
      bool duplicate = false;
      for (const DecodedBlock* other : out.Blocks(b.type)) {
        if (other->labels[0] == b.labels[0]) {
          diags_.Build(diag::DiagKind::kDuplicateLabel, b.label_ranges[0],
                       fmt::format("`{}` block", b.type), b.labels[0])
              .Note(other->source->label_ranges[0], "first defined here");
          duplicate = true;
          break;
        }
      }
      if (duplicate) continue;
    }

    DecodedBlock decoded;
    decoded.ref = ref;
    decoded.source = &b;
    decoded.labels = b.labels;
    decoded.header = HeaderRange(b);
    decoded.body = Decode(b.body, *ref->spec, Quoted(b.type) + " block", decoded.header);
    decoded.body.range = b.range;
    out.blocks.push_back(std::move(decoded));
  }

  // Required attributes.
  for (const AttrSpec& as : spec.attributes) {
    if (!as.required || out.Has(as.name)) continue;
    if (std::find(out.unknown.begin(), out.unknown.end(), as.name) != out.unknown.end()) continue;
    diags_.Build(diag::DiagKind::kMissingRequiredAttribute, header, as.name, where);
  }
  return out;
}

nlohmann::json Decoder::FreeForm(const eval::EvalBody& body, std::string_view where) {
  nlohmann::json out = nlohmann::json::object();
  for (const eval::EvalAttribute& a : body.attributes) {
    nlohmann::json v = a.value.ToJson();
    // jobspec2 wraps an object written as an attribute value in a one-element list.
    if (a.value.kind() == eval::ValueKind::kObject) v = nlohmann::json::array({std::move(v)});
    out[a.name] = std::move(v);
  }
  std::vector<std::string> order;
  std::map<std::string, std::vector<const eval::EvalBlock*>> by_type;
  for (const eval::EvalBlock& b : body.blocks) {
    if (by_type[b.type].empty()) order.push_back(b.type);
    by_type[b.type].push_back(&b);
  }
  for (const std::string& type : order) {
    const auto& blocks = by_type[type];
    if (const eval::EvalAttribute* a = body.FindAttribute(type)) {
      diags_.Build(diag::DiagKind::kDefinedTwice, blocks[0]->type_range, type, where)
          .Note(a->name_range, fmt::format("`{}` is first defined here", type));
      continue;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const eval::EvalBlock* b : blocks) {
      nlohmann::json inner = FreeForm(b->body, Quoted(b->type) + " block");
      for (size_t i = b->labels.size(); i-- > 0;) {
        inner = nlohmann::json::object({{b->labels[i], nlohmann::json::array({std::move(inner)})}});
      }
      list.push_back(std::move(inner));
    }
    out[type] = std::move(list);
  }
  return out;
}

nlohmann::json TypedToJson(const DecodedAttribute& a) {
  return std::visit(
      [](const auto& v) -> nlohmann::json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, ir::Duration>) {
          return v.count();
        } else {
          return v;
        }
      },
      a.value);
}

}  // namespace

// ---- DecodedBody ----------------------------------------------------------------------------------

const DecodedAttribute* DecodedBody::Find(std::string_view name) const {
  for (const DecodedAttribute& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

SourceRange DecodedBody::Range(std::string_view name) const {
  const DecodedAttribute* a = Find(name);
  return a != nullptr ? a->range : range;
}

namespace {
template <typename T>
std::optional<T> Get(const DecodedBody& body, std::string_view name) {
  const DecodedAttribute* a = body.Find(name);
  if (a == nullptr) return std::nullopt;
  if (const T* v = std::get_if<T>(&a->value)) return *v;
  return std::nullopt;
}
}  // namespace

std::optional<std::string> DecodedBody::String(std::string_view name) const {
  return Get<std::string>(*this, name);
}
std::optional<int64_t> DecodedBody::Int(std::string_view name) const {
  return Get<int64_t>(*this, name);
}
std::optional<double> DecodedBody::Number(std::string_view name) const {
  return Get<double>(*this, name);
}
std::optional<bool> DecodedBody::Bool(std::string_view name) const {
  return Get<bool>(*this, name);
}
std::optional<ir::Duration> DecodedBody::Duration(std::string_view name) const {
  return Get<ir::Duration>(*this, name);
}
std::optional<std::vector<std::string>> DecodedBody::StringList(std::string_view name) const {
  return Get<std::vector<std::string>>(*this, name);
}
std::optional<ir::StringMap> DecodedBody::StringMap(std::string_view name) const {
  return Get<ir::StringMap>(*this, name);
}
std::optional<std::map<std::string, std::vector<std::string>>> DecodedBody::StringListMap(
    std::string_view name) const {
  return Get<std::map<std::string, std::vector<std::string>>>(*this, name);
}
std::optional<nlohmann::json> DecodedBody::Json(std::string_view name) const {
  return Get<nlohmann::json>(*this, name);
}

std::vector<const DecodedBlock*> DecodedBody::Blocks(std::string_view type) const {
  std::vector<const DecodedBlock*> out;
  for (const DecodedBlock& b : blocks) {
    if (b.ref->type == type) out.push_back(&b);
  }
  return out;
}

const DecodedBlock* DecodedBody::Block(std::string_view type) const {
  for (const DecodedBlock& b : blocks) {
    if (b.ref->type == type) return &b;
  }
  return nullptr;
}

void DecodedBody::FillOrigin(ir::Origin& origin) const {
  origin.range = range;
  for (const DecodedAttribute& a : attributes) origin.Set(a.name, a.range);
}

// ---- entry points ---------------------------------------------------------------------------------

DecodedBody DecodeBody(const eval::EvalBody& body, const schema::BlockSpec& spec,
                       std::string_view where, SourceRange header, diag::DiagnosticEngine& diags) {
  return Decoder(diags).Decode(body, spec, where, header);
}

SourceRange HeaderRange(const eval::EvalBlock& block) {
  SourceRange r = block.type_range;
  for (const SourceRange& l : block.label_ranges) {
    if (l.IsValid() && l.file == r.file) r = r.Cover(l);
  }
  return r;
}

nlohmann::json FreeFormToJson(const eval::EvalBody& body, std::string_view where,
                              diag::DiagnosticEngine& diags) {
  return Decoder(diags).FreeForm(body, where);
}

nlohmann::json RenderApiJson(const DecodedBody& body) {
  nlohmann::json out = nlohmann::json::object();
  for (const DecodedAttribute& a : body.attributes) {
    if (a.spec->api_name.empty()) continue;
    out[std::string(a.spec->api_name)] = TypedToJson(a);
  }
  for (const schema::BlockRef& ref : body.spec->blocks) {
    if (ref.api_name.empty()) continue;
    std::vector<const DecodedBlock*> blocks = body.Blocks(ref.type);
    if (blocks.empty()) continue;
    auto render = [&](const DecodedBlock* b) {
      nlohmann::json j = RenderApiJson(b->body);
      if (!ref.label_api_name.empty() && !b->labels.empty()) {
        j[std::string(ref.label_api_name)] = b->labels[0];
      }
      return j;
    };
    std::string key(ref.api_name);
    if (ref.keyed_by_label) {
      nlohmann::json map = nlohmann::json::object();
      for (const DecodedBlock* b : blocks) map[b->labels[0]] = render(b);
      out[key] = std::move(map);
    } else if (ref.repeat == schema::Repeat::kOne && !ref.api_list) {
      out[key] = render(blocks[0]);
    } else {
      nlohmann::json list = nlohmann::json::array();
      for (const DecodedBlock* b : blocks) list.push_back(render(b));
      out[key] = std::move(list);
    }
  }
  return out;
}

}  // namespace drover::decode
