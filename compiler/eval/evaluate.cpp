// EvaluateFile: input variables, locals, then the rest of the file (evaluate.h).
//
// Order of work, as Nomad's jobspec2: declarations (`variable`, `variables`), value collection
// (defaults < NOMAD_VAR_ env < var files < -var), type conversion and validation, locals in
// dependency order, and finally every other block with `var` and `local` in scope.
#include "compiler/eval/evaluate.h"

#include <algorithm>
#include <array>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/base/strings.h"
#include "compiler/eval/evaluator.h"
#include "compiler/syntax/parser.h"

namespace drover::eval {

using diag::DiagKind;
using syntax::ExprKind;

const EvalAttribute* EvalBody::FindAttribute(std::string_view name) const {
  for (const auto& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<const EvalBlock*> EvalBody::BlocksOfType(std::string_view type) const {
  std::vector<const EvalBlock*> out;
  for (const auto& b : blocks) {
    if (b.type == type) out.push_back(&b);
  }
  return out;
}

// ---- type expressions
// ----------------------------------------------------------------------------

namespace {

std::optional<Type> TypeExpr(const syntax::Expr& e, const diag::SourceManager& sm,
                             diag::DiagnosticEngine& diags, bool in_object_attr,
                             std::shared_ptr<const Value>* default_out, bool* optional_out) {
  auto fail = [&](std::string msg) -> std::optional<Type> {
    diags.Build(DiagKind::kInvalidTypeExpr, e.range, msg);
    return std::nullopt;
  };
  if (e.kind == ExprKind::kParens) {
    return TypeExpr(*static_cast<const syntax::ParensExpr&>(e).inner, sm, diags, in_object_attr,
                    default_out, optional_out);
  }
  if (e.kind == ExprKind::kVariable) {
    std::string_view n = static_cast<const syntax::VariableExpr&>(e).name;
    if (n == "string") return Type::String();
    if (n == "number") return Type::Number();
    if (n == "bool") return Type::Bool();
    if (n == "any") return Type::Dynamic();
    if (n == "list" || n == "set" || n == "map") {
      return fail(fmt::format("`{}` needs an element type, e.g. `{}(string)`", n, n));
    }
    return fail(
        fmt::format("unknown type `{}`; expected string, number, bool, any, list(T), "
                    "set(T), map(T), object({{...}}) or tuple([...])",
                    n));
  }
  if (e.kind == ExprKind::kLiteral || e.kind == ExprKind::kTemplate) {
    return fail("a type is written without quotes, e.g. `string`");
  }
  if (e.kind != ExprKind::kCall) return fail("expected a type such as `string` or `list(string)`");
  const auto& call = static_cast<const syntax::CallExpr&>(e);
  std::string_view n = call.name;
  if (n == "list" || n == "set" || n == "map") {
    if (call.args.size() != 1) return fail(fmt::format("`{}` takes exactly one element type", n));
    auto el = TypeExpr(*call.args[0], sm, diags, false, nullptr, nullptr);
    if (!el) return std::nullopt;
    if (n == "list") return Type::List(*el);
    if (n == "set") return Type::Set(*el);
    return Type::Map(*el);
  }
  if (n == "tuple") {
    if (call.args.size() != 1 || call.args[0]->kind != ExprKind::kTuple) {
      return fail("`tuple` takes a list of element types, e.g. `tuple([string, number])`");
    }
    std::vector<Type> elems;
    for (const syntax::Expr* x : static_cast<const syntax::TupleExpr*>(call.args[0])->elements) {
      auto t = TypeExpr(*x, sm, diags, false, nullptr, nullptr);
      if (!t) return std::nullopt;
      elems.push_back(*t);
    }
    return Type::Tuple(std::move(elems));
  }
  if (n == "object") {
    if (call.args.size() != 1 || call.args[0]->kind != ExprKind::kObject) {
      return fail("`object` takes attribute types, e.g. `object({ name = string })`");
    }
    std::vector<ObjectAttribute> attrs;
    for (const auto& item : static_cast<const syntax::ObjectExpr*>(call.args[0])->items) {
      std::string name;
      if (item.key_is_name) {
        name = std::string(sm.Text(item.key->range));
      } else if (item.key->kind == ExprKind::kLiteral &&
                 static_cast<const syntax::LiteralExpr*>(item.key)->literal ==
                     syntax::LiteralKind::kString) {
        name = std::string(static_cast<const syntax::LiteralExpr*>(item.key)->text);
      } else {
        diags.Build(DiagKind::kInvalidTypeExpr, item.key->range,
                    "object attribute names must be names or quoted strings");
        return std::nullopt;
      }
      ObjectAttribute a;
      a.name = name;
      auto t = TypeExpr(*item.value, sm, diags, true, &a.default_value, &a.optional);
      if (!t) return std::nullopt;
      a.type = *t;
      attrs.push_back(std::move(a));
    }
    return Type::Object(std::move(attrs));
  }
  if (n == "optional") {
    if (!in_object_attr) return fail("`optional` is allowed only for object attributes");
    if (call.args.empty() || call.args.size() > 2) {
      return fail("`optional` takes a type and an optional default value");
    }
    auto t = TypeExpr(*call.args[0], sm, diags, false, nullptr, nullptr);
    if (!t) return std::nullopt;
    *optional_out = true;
    if (call.args.size() == 2) {
      EvalOptions opts;
      Evaluator ev(sm, diags, opts);
      ev.set_allow_references(false);
      Value d = ev.Evaluate(*call.args[1], Scope());
      if (d.IsUnknown()) return std::nullopt;
      ConversionError err;
      auto conv = Convert(d, *t, &err);
      if (!conv) {
        diags.Build(
            DiagKind::kInvalidTypeExpr, call.args[1]->range,
            fmt::format("the default does not match the type {}: {}", t->ToString(), err.message));
        return std::nullopt;
      }
      *default_out = std::make_shared<const Value>(*conv);
    }
    return t;
  }
  return fail(fmt::format("unknown type constructor `{}`", n));
}

}  // namespace

std::optional<Type> ParseTypeExpr(const syntax::Expr& expr, const diag::SourceManager& sm,
                                  diag::DiagnosticEngine& diags) {
  return TypeExpr(expr, sm, diags, false, nullptr, nullptr);
}

// ---- variables
// -------------------------------------------------------------------------------------

namespace {

struct Validation {
  const syntax::Expr* condition = nullptr;
  std::string error_message;
  SourceRange range;
};

struct Variable {
  std::string name;
  SourceRange decl_range;
  std::optional<Type> type;  ///< declared type
  bool inferred_type =
      false;  ///< type taken from the default (Nomad does this when no type is given)
  std::optional<Value> value;
  std::string value_origin;
  std::vector<Validation> validations;
  /// A `default` was written but could not be evaluated (already reported): not "unset".
  bool default_failed = false;
};

class FileEvaluation {
 public:
  FileEvaluation(const syntax::File& file, const diag::SourceManager& sm,
                 const EvalOptions& options, diag::DiagnosticEngine& diags)
      : file_(file), sm_(sm), options_(options), diags_(diags), ev_(sm, diags, options) {}

  std::optional<EvalBody> Run();

 private:
  void DeclareVariableBlock(const syntax::Block& b);
  void DeclareShorthand(const syntax::Block& b);
  bool CollectEnv();
  bool CollectVarFiles();
  bool CollectCli();
  /// Parses and converts a string given on the command line or in the environment.
  void AssignFromText(Variable& v, const std::string& text, const std::string& origin);
  void Assign(Variable& v, const Value& value, const std::string& origin);
  void Validate(Variable& v);
  bool EvaluateLocals(Scope& scope);
  Value LiteralOnly(const syntax::Expr& e);

  const syntax::File& file_;
  const diag::SourceManager& sm_;
  /// Holds -var / NOMAD_VAR_ texts parsed as expressions; values taken from it lose their ranges
  /// (they come from the command line, which has no location in the job's SourceManager).
  diag::SourceManager cli_sm_;
  const EvalOptions& options_;
  diag::DiagnosticEngine& diags_;
  Evaluator ev_;
  std::vector<Variable> vars_;
  std::vector<std::unique_ptr<syntax::AstContext>> contexts_;  // keep parsed var files alive
};

Variable* Find(std::vector<Variable>& vars, std::string_view name) {
  for (auto& v : vars) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

Value FileEvaluation::LiteralOnly(const syntax::Expr& e) {
  ev_.set_allow_references(false);
  Value v = ev_.Evaluate(e, Scope());
  ev_.set_allow_references(true);
  return v;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

void FileEvaluation::DeclareVariableBlock(const syntax::Block& b) {
  if (b.labels.size() != 1) {
    diags_.Build(DiagKind::kInvalidVariableBlock, b.type_range, "variable",
                 "a `variable` block needs exactly one label: the variable's name");
    return;
  }
  std::string name(b.labels[0].value);
  if (!IsIdentifier(name)) {
    diags_.Build(DiagKind::kInvalidVariableBlock, b.labels[0].range, "variable",
                 fmt::format("\"{}\" is not a valid name; a name starts with a letter or "
                             "underscore and holds letters, digits, underscores and dashes",
                             name));
    return;
  }
  if (Find(vars_, name) != nullptr) {
    diags_.Build(DiagKind::kDuplicateDefinition, b.labels[0].range, "variable", name);
    return;
  }
  Variable v;
  v.name = name;
  v.decl_range = b.labels[0].range;
  const syntax::Attribute* def = nullptr;
  for (const syntax::BodyItem* item : b.body->items) {
    if (item->kind == syntax::ItemKind::kBlock) {
      const auto* vb = static_cast<const syntax::Block*>(item);
      if (vb->type != "validation") {
        diags_.Build(
            DiagKind::kInvalidVariableBlock, vb->type_range, "variable",
            fmt::format("unexpected block `{}`; only `validation` blocks are allowed", vb->type));
        continue;
      }
      Validation val;
      val.range = vb->type_range;
      for (const syntax::BodyItem* vi : vb->body->items) {
        if (vi->kind != syntax::ItemKind::kAttribute) {
          diags_.Build(DiagKind::kInvalidVariableBlock, vi->range, "validation",
                       "blocks are not allowed here");
          continue;
        }
        const auto* a = static_cast<const syntax::Attribute*>(vi);
        if (a->name == "condition") {
          val.condition = a->value;
        } else if (a->name == "error_message") {
          Value m = LiteralOnly(*a->value);
          if (m.kind() == ValueKind::kString) {
            val.error_message = m.AsString();
          } else if (!m.IsUnknown()) {
            diags_.Build(DiagKind::kInvalidVariableBlock, a->value->range, "validation",
                         "`error_message` must be a string");
          }
        } else {
          diags_.Build(DiagKind::kInvalidVariableBlock, a->name_range, "validation",
                       fmt::format("unexpected argument `{}`; expected `condition` and "
                                   "`error_message`",
                                   a->name));
        }
      }
      if (val.condition == nullptr) {
        diags_.Build(DiagKind::kInvalidVariableBlock, vb->type_range, "validation",
                     "the `condition` argument is required");
        continue;
      }
      if (val.error_message.empty()) {
        diags_.Build(DiagKind::kInvalidVariableBlock, vb->type_range, "validation",
                     "a non-empty `error_message` is required");
        continue;
      }
      v.validations.push_back(std::move(val));
      continue;
    }
    const auto* a = static_cast<const syntax::Attribute*>(item);
    if (a->name == "type") {
      v.type = ParseTypeExpr(*a->value, sm_, diags_);
      if (!v.type) v.type = Type::Dynamic();
    } else if (a->name == "default") {
      def = a;
    } else if (a->name == "description" || a->name == "sensitive" || a->name == "nullable") {
      LiteralOnly(*a->value);  // diagnose references; the value itself is informational
    } else {
      static constexpr std::array<std::string_view, 4> kArguments = {"type", "default",
                                                                     "description", "sensitive"};
      auto b = diags_.Build(DiagKind::kInvalidVariableBlock, a->name_range, "variable",
                            fmt::format("unexpected argument `{}`; expected `type`, `default`, "
                                        "`description`, `sensitive` or `validation` blocks",
                                        a->name));
      if (auto s = base::Suggest(a->name, kArguments)) {
        std::move(b).Help(fmt::format("did you mean `{}`?", *s));
      }
    }
  }
  if (def != nullptr) {
    Value d = LiteralOnly(*def->value);
    v.default_failed = d.IsUnknown();
    if (!d.IsUnknown()) {
      if (!v.type) {
        v.type = d.type();
        v.inferred_type = true;
      }
      Assign(v, d, "default");
    }
  }
  vars_.push_back(std::move(v));
}

void FileEvaluation::DeclareShorthand(const syntax::Block& b) {
  for (const syntax::BodyItem* item : b.body->items) {
    if (item->kind != syntax::ItemKind::kAttribute) {
      diags_.Build(DiagKind::kInvalidVariableBlock, item->range, "variables",
                   "only `name = value` attributes are allowed in a `variables` block");
      continue;
    }
    const auto* a = static_cast<const syntax::Attribute*>(item);
    std::string name(a->name);
    if (Find(vars_, name) != nullptr) {
      diags_.Build(DiagKind::kDuplicateDefinition, a->name_range, "variable", name);
      continue;
    }
    Variable v;
    v.name = name;
    v.decl_range = a->name_range;
    Value d = LiteralOnly(*a->value);
    if (!d.IsUnknown()) {
      v.type = d.type();
      v.inferred_type = true;
      v.value = d;
      v.value_origin = "default";
    }
    vars_.push_back(std::move(v));
  }
}

/// The type values from outside are converted to. Nomad takes the default's type when no type is
/// declared; drover relaxes structural inferred types (tuple/object) to `any` so that a -var list
/// of another length is accepted.
Type TargetType(const Variable& v) {
  if (!v.type) return Type::Dynamic();
  if (v.inferred_type && !v.type->IsPrimitive()) return Type::Dynamic();
  return *v.type;
}

void FileEvaluation::Assign(Variable& v, const Value& value, const std::string& origin) {
  ConversionError err;
  auto conv = Convert(value, TargetType(v), &err);
  if (!conv) {
    diags_
        .Build(DiagKind::kInvalidVariableValue, err.range.IsValid() ? err.range : value.range(),
               v.name, origin,
               fmt::format("{} (the variable's type is {})", err.message, TargetType(v).ToString()))
        .Note(v.decl_range, fmt::format("variable `{}` is declared here", v.name));
    v.value = Value::Unknown(TargetType(v));
    v.value_origin = origin;
    return;
  }
  v.value = conv->WithRange(value.range());
  v.value_origin = origin;
}

/// The same value without source ranges, deeply.
Value StripRanges(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kList:
    case ValueKind::kSet:
    case ValueKind::kTuple: {
      std::vector<Value> elems;
      for (const auto& e : v.elements()) elems.push_back(StripRanges(e));
      if (v.kind() == ValueKind::kTuple) return Value::Tuple(std::move(elems));
      if (v.kind() == ValueKind::kList) return Value::List(std::move(elems), v.type().element());
      return Value::Set(std::move(elems), v.type().element());
    }
    case ValueKind::kMap:
    case ValueKind::kObject: {
      std::vector<Value::Member> members;
      for (const auto& m : v.members()) members.emplace_back(m.first, StripRanges(m.second));
      if (v.kind() == ValueKind::kObject) return Value::Object(std::move(members));
      return Value::Map(std::move(members), v.type().element());
    }
    default:
      return v.WithRange({});
  }
}

void FileEvaluation::AssignFromText(Variable& v, const std::string& text,
                                    const std::string& origin) {
  Type t = TargetType(v);
  // As Nomad: string, number and undeclared types take the text literally; others parse it.
  if (t.kind() == Type::Kind::kString || t.kind() == Type::Kind::kNumber || !v.type) {
    Assign(v, Value::String(text), origin);
    return;
  }
  std::string buffer_name = fmt::format("<value for var.{} from {}>", v.name, origin);
  diag::FileId fid = cli_sm_.AddBuffer(buffer_name, "v = " + text + "\n");
  diag::DiagnosticEngine scratch;
  syntax::ParseResult pr = syntax::Parse(cli_sm_, fid, scratch);
  const syntax::Attribute* attr = nullptr;
  if (pr.file != nullptr && pr.file->body->items.size() == 1 &&
      pr.file->body->items[0]->kind == syntax::ItemKind::kAttribute) {
    attr = static_cast<const syntax::Attribute*>(pr.file->body->items[0]);
  }
  if (attr == nullptr) {
    if (t.IsDynamic()) {
      Assign(v, Value::String(text), origin);
      return;
    }
    diags_.Build(
        DiagKind::kInvalidVariableValue, SourceRange{}, v.name, origin,
        fmt::format("cannot parse \"{}\" as an HCL expression for type {}", text, t.ToString()));
    v.value = Value::Unknown(t);
    return;
  }
  diag::DiagnosticEngine inner;
  Evaluator ev(cli_sm_, inner, options_);
  ev.set_allow_references(false);
  Value val = ev.Evaluate(*attr->value, Scope());
  if (inner.HasErrors()) {
    if (t.IsDynamic()) {  // `any`: a bare word is a string
      Assign(v, Value::String(text), origin);
      return;
    }
    auto b = diags_.Build(DiagKind::kInvalidVariableValue, SourceRange{}, v.name, origin,
                          fmt::format("cannot use \"{}\" as a value of type {}: {}", text,
                                      t.ToString(), inner.diagnostics()[0].message));
    if (t.kind() == Type::Kind::kList || t.kind() == Type::Kind::kSet) {
      std::move(b).Help(
          fmt::format("write the value in HCL syntax, e.g. {}=[\"{}\"]", v.name, text));
    }
    v.value = Value::Unknown(t);
    return;
  }
  Assign(v, StripRanges(val), origin);
}

bool FileEvaluation::CollectEnv() {
  constexpr std::string_view kPrefix = "NOMAD_VAR_";
  for (const auto& [key, value] : options_.env) {
    if (key.rfind(kPrefix, 0) != 0) continue;
    Variable* v = Find(vars_, std::string_view(key).substr(kPrefix.size()));
    if (v == nullptr) continue;  // Nomad ignores undeclared environment values
    AssignFromText(*v, value, "environment");
  }
  return true;
}

bool FileEvaluation::CollectVarFiles() {
  for (diag::FileId fid : options_.var_files) {
    std::string_view name = sm_.Name(fid);
    std::vector<std::tuple<std::string, Value, SourceRange>> entries;
    std::string origin = fmt::format("var file {}", name);
    if (name.size() >= 5 && name.substr(name.size() - 5) == ".json") {
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(sm_.Text(fid));
      } catch (const nlohmann::json::exception& e) {
        diags_.Build(DiagKind::kInvalidVarFile, SourceRange{fid, 0, 0},
                     fmt::format("`{}` is not valid JSON: {}", name, e.what()));
        return false;
      }
      if (!j.is_object()) {
        diags_.Build(DiagKind::kInvalidVarFile, SourceRange{fid, 0, 0},
                     fmt::format("`{}` must hold a JSON object of variable values", name));
        return false;
      }
      SourceRange whole{fid, 0, static_cast<uint32_t>(sm_.Text(fid).size())};
      for (auto it = j.begin(); it != j.end(); ++it) {
        entries.emplace_back(it.key(), Value::FromJson(*it).WithRange(whole), whole);
      }
    } else {
      syntax::ParseResult pr = syntax::Parse(sm_, fid, diags_);
      if (pr.file == nullptr) return false;
      for (const syntax::BodyItem* item : pr.file->body->items) {
        if (item->kind == syntax::ItemKind::kBlock) {
          const auto* b = static_cast<const syntax::Block*>(item);
          diags_.Build(DiagKind::kInvalidVarFile, b->type_range,
                       b->type == "variable"
                           ? "a var file assigns values (`name = value`); declare variables in "
                             "the job file"
                           : fmt::format("unexpected block `{}`; a var file holds only "
                                         "`name = value` assignments",
                                         b->type));
          continue;
        }
        const auto* a = static_cast<const syntax::Attribute*>(item);
        Value v = LiteralOnly(*a->value);
        entries.emplace_back(std::string(a->name), v, a->name_range);
      }
      contexts_.push_back(std::move(pr.context));
    }
    for (auto& [vname, value, range] : entries) {
      Variable* v = Find(vars_, vname);
      if (v == nullptr) {
        diags_.Build(options_.strict ? DiagKind::kUndeclaredVariableValue
                                     : DiagKind::kUndeclaredVariableValueWarning,
                     range, vname, origin);
        continue;
      }
      if (value.IsUnknown()) {
        v->value = value;
        continue;
      }
      Assign(*v, value, origin);
    }
  }
  return true;
}

bool FileEvaluation::CollectCli() {
  for (const auto& cv : options_.cli_variables) {
    Variable* v = Find(vars_, cv.name);
    if (v == nullptr) {
      std::vector<std::string_view> names;
      for (const auto& d : vars_) names.push_back(d.name);
      auto b = diags_.Build(options_.strict ? DiagKind::kUndeclaredVariableValue
                                            : DiagKind::kUndeclaredVariableValueWarning,
                            SourceRange{}, cv.name, "-var");
      if (auto s = base::Suggest(cv.name, names)) {
        std::move(b).Help(fmt::format("did you mean `{}`?", *s));
      } else {
        std::move(b).Help(
            fmt::format("declare it with `variable \"{}\" {{}}` in the job file", cv.name));
      }
      continue;
    }
    AssignFromText(*v, cv.value, "-var");
  }
  return true;
}

void FileEvaluation::Validate(Variable& v) {
  if (!v.value || v.value->IsUnknown()) return;
  for (const auto& val : v.validations) {
    Scope scope;
    scope.Set("var", Value::Object({{v.name, *v.value}}));
    ev_.set_allow_fs(false);
    Value c = ev_.Evaluate(*val.condition, scope);
    ev_.set_allow_fs(true);
    if (c.IsUnknown()) continue;
    auto b = c.IsNull() ? std::nullopt : Convert(c, Type::Bool());
    if (!b) {
      diags_.Build(DiagKind::kInvalidValidationCondition, val.condition->range, v.name,
                   fmt::format("the condition must be true or false, not {}", c.ToString()));
      continue;
    }
    if (!b->AsBool()) {
      SourceRange where = v.value->range().IsValid() ? v.value->range() : v.decl_range;
      diags_.Build(DiagKind::kVariableValidationFailed, where, v.name, val.error_message)
          .Note(val.range, "checked by this validation rule");
    }
  }
}

bool FileEvaluation::EvaluateLocals(Scope& scope) {
  struct Local {
    std::string name;
    const syntax::Attribute* attr;
    std::vector<std::string> deps;
    int state = 0;  // 0 new, 1 visiting, 2 done
    Value value;
  };
  std::vector<Local> locals;
  bool ok = true;
  for (const syntax::BodyItem* item : file_.body->items) {
    if (item->kind != syntax::ItemKind::kBlock) continue;
    const auto* b = static_cast<const syntax::Block*>(item);
    if (b->type != "locals") continue;
    for (const syntax::BodyItem* li : b->body->items) {
      if (li->kind != syntax::ItemKind::kAttribute) {
        diags_.Build(DiagKind::kInvalidVariableBlock, li->range, "locals",
                     "only `name = value` attributes are allowed in a `locals` block");
        ok = false;
        continue;
      }
      const auto* a = static_cast<const syntax::Attribute*>(li);
      auto dup = std::find_if(locals.begin(), locals.end(),
                              [&](const Local& l) { return l.name == a->name; });
      if (dup != locals.end()) {
        diags_.Build(DiagKind::kDuplicateDefinition, a->name_range, "local value", a->name)
            .Note(dup->attr->name_range, "first defined here");
        ok = false;
        continue;
      }
      Local l{std::string(a->name), a, {}, 0, Value()};
      CollectLocalReferences(*a->value, l.deps);
      locals.push_back(std::move(l));
    }
  }
  std::vector<size_t> stack;
  // Depth-first evaluation; a dependency on `local` as a whole waits for every other local.
  std::function<bool(size_t)> visit = [&](size_t i) -> bool {
    Local& l = locals[i];
    if (l.state == 2) return true;
    if (l.state == 1) {
      std::string path;
      auto it = std::find(stack.begin(), stack.end(), i);
      for (; it != stack.end(); ++it) path += locals[*it].name + " -> ";
      path += l.name;
      diags_.Build(DiagKind::kLocalCycle, l.attr->name_range, l.name, path);
      return false;
    }
    l.state = 1;
    stack.push_back(i);
    bool good = true;
    for (const auto& dep : l.deps) {
      for (size_t k = 0; k < locals.size(); ++k) {
        if ((dep == "*" && k != i) || locals[k].name == dep) {
          if (!visit(k)) good = false;
        }
      }
      if (!good) break;
    }
    stack.pop_back();
    if (good) {
      std::vector<Value::Member> members;
      for (const auto& o : locals) {
        if (o.state == 2) members.emplace_back(o.name, o.value);
      }
      Scope s(&scope);
      s.Set("local", Value::Object(std::move(members)));
      size_t before = diags_.error_count();
      l.value = ev_.Evaluate(*l.attr->value, s);
      good = diags_.error_count() == before;
    }
    l.state = 2;
    if (!good) l.value = Value::Unknown();
    return good;
  };
  for (size_t i = 0; i < locals.size(); ++i) {
    if (!visit(i)) ok = false;
  }
  std::vector<Value::Member> members;
  for (const auto& l : locals) members.emplace_back(l.name, l.value);
  scope.Set("local", Value::Object(std::move(members)));
  return ok;
}

std::optional<EvalBody> FileEvaluation::Run() {
  size_t errors_before = diags_.error_count();
  for (const syntax::BodyItem* item : file_.body->items) {
    if (item->kind != syntax::ItemKind::kBlock) continue;
    const auto* b = static_cast<const syntax::Block*>(item);
    if (b->type == "variable") DeclareVariableBlock(*b);
    if (b->type == "variables") DeclareShorthand(*b);
  }
  CollectEnv();
  CollectVarFiles();
  CollectCli();
  std::vector<Value::Member> var_members;
  for (auto& v : vars_) {
    if (!v.value) {
      if (!v.default_failed) diags_.Build(DiagKind::kUnsetVariable, v.decl_range, v.name, v.name);
      v.value = Value::Unknown();
    }
    Validate(v);
    var_members.emplace_back(v.name, *v.value);
  }
  Scope scope;
  scope.Set("var", Value::Object(std::move(var_members)));
  EvaluateLocals(scope);
  if (diags_.error_count() > errors_before) return std::nullopt;

  // Everything but the declarations, with `var` and `local` in scope.
  syntax::Body rest = *file_.body;
  std::vector<syntax::BodyItem*> items;
  for (syntax::BodyItem* item : file_.body->items) {
    if (item->kind == syntax::ItemKind::kBlock) {
      std::string_view t = static_cast<const syntax::Block*>(item)->type;
      if (t == "variable" || t == "variables" || t == "locals") continue;
    }
    items.push_back(item);
  }
  rest.items = items;
  return ev_.EvaluateBody(rest, scope);
}

}  // namespace

std::optional<EvalBody> EvaluateFile(const syntax::File& file, const diag::SourceManager& sm,
                                     const EvalOptions& options, diag::DiagnosticEngine& diags) {
  FileEvaluation fe(file, sm, options, diags);
  return fe.Run();
}

}  // namespace drover::eval
