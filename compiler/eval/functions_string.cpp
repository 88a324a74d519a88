// String functions: chomp, format, formatlist, indent, join, lower, upper, regex, regexall,
// replace, split, strrev, substr, title, trim, trimprefix, trimsuffix, trimspace, startswith,
// endswith, strcontains.
//
// Regular expressions use std::regex (ECMAScript) after rewriting RE2's named groups
// `(?P<name>...)` / `(?<name>...)` to plain groups; RE2-only syntax (\A, \z, (?i) flags,
// Unicode classes \pL) is not supported. Case mapping is ASCII-only.
#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/base/strings.h"
#include "compiler/eval/functions.h"
#include "compiler/eval/string_codec.h"

namespace drover::eval {

namespace {

/// Splits a UTF-8 string into code points (invalid bytes count one each).
std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t n = base::Utf8SequenceLength(s.substr(i));
    if (n == 0) n = 1;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::optional<Value> Chomp(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  while (!s->empty() && (s->back() == '\n' || s->back() == '\r')) s->pop_back();
  return Value::String(*s);
}

// ---- format ----

struct FormatSpec {
  bool minus = false, plus = false, space = false, zero = false, sharp = false;
  int width = -1;
  int precision = -1;
  char verb = 0;
};

std::string Pad(std::string body, const FormatSpec& sp, bool numeric) {
  if (sp.width < 0 || static_cast<int>(base::Utf8Length(body)) >= sp.width) return body;
  size_t pad = static_cast<size_t>(sp.width) - base::Utf8Length(body);
  if (sp.minus) return body + std::string(pad, ' ');
  if (sp.zero && numeric) {
    size_t sign = (!body.empty() && (body[0] == '-' || body[0] == '+')) ? 1 : 0;
    return body.substr(0, sign) + std::string(pad, '0') + body.substr(sign);
  }
  return std::string(pad, ' ') + body;
}

/// Formats one argument for one verb, or returns an error message.
std::optional<std::string> FormatOne(const FormatSpec& sp, const Value& v, std::string* error) {
  auto sign = [&](std::string digits, bool neg) {
    if (neg) return "-" + digits;
    if (sp.plus) return "+" + digits;
    if (sp.space) return " " + digits;
    return digits;
  };
  switch (sp.verb) {
    case 'v':
      if (v.IsNull()) return Pad("null", sp, false);
      if (v.type().IsPrimitive()) return Pad(PrimitiveText(v), sp, v.kind() == ValueKind::kNumber);
      return Pad(v.ToJson().dump(), sp, false);
    case 's': {
      auto s = v.IsNull() ? std::nullopt : Convert(v, Type::String());
      if (!s) {
        *error =
            fmt::format("%s needs a string, got {}", v.IsNull() ? "null" : v.type().FriendlyName());
        return std::nullopt;
      }
      std::string t = s->AsString();
      if (sp.precision >= 0) {
        auto cps = CodePoints(t);
        if (cps.size() > static_cast<size_t>(sp.precision)) {
          std::string cut;
          for (int i = 0; i < sp.precision; ++i) cut += cps[static_cast<size_t>(i)];
          t = cut;
        }
      }
      return Pad(t, sp, false);
    }
    case 'q': {
      auto s = v.IsNull() ? std::nullopt : Convert(v, Type::String());
      if (!s) {
        *error = "%q needs a string";
        return std::nullopt;
      }
      return Pad(Quoted(s->AsString(), QuoteStyle::kGo), sp, false);
    }
    case 't': {
      auto b = v.IsNull() ? std::nullopt : Convert(v, Type::Bool());
      if (!b) {
        *error = "%t needs a bool";
        return std::nullopt;
      }
      return Pad(b->AsBool() ? "true" : "false", sp, false);
    }
    case 'd':
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      auto n = v.IsNull() ? std::nullopt : Convert(v, Type::Number());
      if (sp.verb == 'x' || sp.verb == 'X') {
        // %x of a string is hex bytes, as in Go.
        if (v.kind() == ValueKind::kString && !n) {
          std::string out;
          for (unsigned char ch : v.AsString()) {
            out += sp.verb == 'x' ? fmt::format("{:02x}", ch) : fmt::format("{:02X}", ch);
          }
          return Pad(out, sp, false);
        }
      }
      if (!n || !n->AsNumber().IsIntegral()) {
        *error = fmt::format("%{} needs a whole number, got {}", sp.verb, v.ToString());
        return std::nullopt;
      }
      const Number& num = n->AsNumber();
      bool neg = num.Compare(Number::Int(0)) < 0;
      auto mag = (neg ? num.Neg() : num).ToUint64();
      if (!mag) {
        *error = "number out of range";
        return std::nullopt;
      }
      std::string digits;
      switch (sp.verb) {
        case 'd':
          digits = std::to_string(*mag);
          break;
        case 'b':
          digits = fmt::format("{:b}", *mag);
          break;
        case 'o':
          digits = fmt::format("{:o}", *mag);
          if (sp.sharp) digits = "0" + digits;
          break;
        case 'x':
          digits = fmt::format("{:x}", *mag);
          if (sp.sharp) digits = "0x" + digits;
          break;
        case 'X':
          digits = fmt::format("{:X}", *mag);
          if (sp.sharp) digits = "0X" + digits;
          break;
      }
      if (sp.precision >= 0 && static_cast<int>(digits.size()) < sp.precision) {
        digits = std::string(static_cast<size_t>(sp.precision) - digits.size(), '0') + digits;
      }
      return Pad(sign(digits, neg), sp, true);
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      auto n = v.IsNull() ? std::nullopt : Convert(v, Type::Number());
      if (!n) {
        *error = fmt::format("%{} needs a number, got {}", sp.verb, v.ToString());
        return std::nullopt;
      }
      double d = n->AsNumber().ToDouble();
      bool neg = std::signbit(d);
      double mag = std::fabs(d);
      std::string digits;
      int prec = sp.precision;
      switch (sp.verb) {
        case 'f':
        case 'F':
          digits = fmt::format("{:.{}f}", mag, prec < 0 ? 6 : prec);
          break;
        case 'e':
        case 'E':
          digits = sp.verb == 'e' ? fmt::format("{:.{}e}", mag, prec < 0 ? 6 : prec)
                                  : fmt::format("{:.{}E}", mag, prec < 0 ? 6 : prec);
          break;
        default:
          digits = prec < 0 ? fmt::format("{}", mag)
                            : (sp.verb == 'g' ? fmt::format("{:.{}g}", mag, prec)
                                              : fmt::format("{:.{}G}", mag, prec));
          break;
      }
      return Pad(sign(digits, neg), sp, true);
    }
    default:
      *error = fmt::format("unsupported format verb %{}", sp.verb);
      return std::nullopt;
  }
}

/// Go/cty-style format. On failure returns nothing with `error` set and `bad_arg` the argument
/// index at fault (or -1 for the format string itself).
std::optional<std::string> FormatImpl(std::string_view f, std::span<const Value> args,
                                      std::string* error, int* bad_arg) {
  std::string out;
  size_t next = 0;
  *bad_arg = -1;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out += f[i];
      continue;
    }
    ++i;
    if (i >= f.size()) {
      *error = "the format string ends with a lone `%`";
      return std::nullopt;
    }
    if (f[i] == '%') {
      out += '%';
      continue;
    }
    FormatSpec sp;
    for (; i < f.size(); ++i) {
      char ch = f[i];
      if (ch == '-') {
        sp.minus = true;
      } else if (ch == '+') {
        sp.plus = true;
      } else if (ch == ' ') {
        sp.space = true;
      } else if (ch == '0') {
        sp.zero = true;
      } else if (ch == '#') {
        sp.sharp = true;
      } else {
        break;
      }
    }
    // Explicit argument index: %[2]s.
    if (i < f.size() && f[i] == '[') {
      size_t close = f.find(']', i);
      if (close == std::string_view::npos) {
        *error = "unterminated argument index in format string";
        return std::nullopt;
      }
      int idx = 0;
      for (size_t k = i + 1; k < close; ++k) {
        if (!std::isdigit(static_cast<unsigned char>(f[k]))) {
          *error = "invalid argument index in format string";
          return std::nullopt;
        }
        idx = idx * 10 + (f[k] - '0');
      }
      if (idx < 1) {
        *error = "argument indexes in format strings start at 1";
        return std::nullopt;
      }
      next = static_cast<size_t>(idx - 1);
      i = close + 1;
    }
    auto read_num = [&](int& dst) {
      if (i < f.size() && f[i] == '*') {
        if (next >= args.size()) return false;
        auto n = Convert(args[next], Type::Number());
        if (!n || !n->AsNumber().ToInt64()) return false;
        dst = static_cast<int>(std::clamp<int64_t>(*n->AsNumber().ToInt64(), -10000, 10000));
        ++next;
        ++i;
        return true;
      }
      int v = 0;
      bool any = false;
      while (i < f.size() && std::isdigit(static_cast<unsigned char>(f[i]))) {
        v = v * 10 + (f[i] - '0');
        if (v > 10000) v = 10000;
        ++i;
        any = true;
      }
      if (any) dst = v;
      return true;
    };
    if (!read_num(sp.width)) {
      *error = "invalid width in format string";
      return std::nullopt;
    }
    if (i < f.size() && f[i] == '.') {
      ++i;
      sp.precision = 0;
      if (!read_num(sp.precision)) {
        *error = "invalid precision in format string";
        return std::nullopt;
      }
    }
    if (i >= f.size()) {
      *error = "the format string ends in the middle of a verb";
      return std::nullopt;
    }
    sp.verb = f[i];
    if (next >= args.size()) {
      *error =
          fmt::format("not enough arguments for format string: verb %{} has no argument", sp.verb);
      return std::nullopt;
    }
    auto piece = FormatOne(sp, args[next], error);
    if (!piece) {
      *bad_arg = static_cast<int>(next);
      return std::nullopt;
    }
    out += *piece;
    ++next;
  }
  return out;
}

std::optional<Value> Format(FunctionCall& c) {
  auto f = c.String(0);
  if (!f) return std::nullopt;
  std::string error;
  int bad = -1;
  auto out = FormatImpl(*f, c.args().subspan(1), &error, &bad);
  if (!out) {
    if (bad >= 0) return c.ArgError(static_cast<size_t>(bad) + 1, error);
    return c.ArgError(0, error);
  }
  return Value::String(*out);
}

std::optional<Value> FormatList(FunctionCall& c) {
  auto f = c.String(0);
  if (!f) return std::nullopt;
  std::optional<size_t> n;
  for (size_t i = 1; i < c.size(); ++i) {
    const Value& a = c.arg(i);
    if (a.IsSequence()) {
      if (n && *n != a.size()) {
        return c.ArgError(i, fmt::format("all list arguments must have the same length ({} vs {})",
                                         *n, a.size()));
      }
      n = a.size();
    }
  }
  size_t count = n.value_or(1);
  std::vector<Value> out;
  for (size_t k = 0; k < count; ++k) {
    std::vector<Value> row;
    for (size_t i = 1; i < c.size(); ++i) {
      const Value& a = c.arg(i);
      row.push_back(a.IsSequence() ? a.elements()[k] : a);
    }
    std::string error;
    int bad = -1;
    auto s = FormatImpl(*f, row, &error, &bad);
    if (!s)
      return bad >= 0 ? c.ArgError(static_cast<size_t>(bad) + 1, error) : c.ArgError(0, error);
    out.push_back(Value::String(*s));
  }
  return Value::List(std::move(out), Type::String());
}

std::optional<Value> Indent(FunctionCall& c) {
  auto n = c.Int(0);
  auto s = n ? c.String(1) : std::nullopt;
  if (!n || !s) return std::nullopt;
  if (*n < 0) return c.ArgError(0, "must not be negative");
  if (*n > 10000) return c.ArgError(0, "indentation of more than 10000 spaces is not supported");
  std::string pad(static_cast<size_t>(*n), ' ');
  std::string out;
  for (char ch : *s) {
    out += ch;
    if (ch == '\n') out += pad;
  }
  return Value::String(out);
}

std::optional<Value> Join(FunctionCall& c) {
  auto sep = c.String(0);
  if (!sep) return std::nullopt;
  std::string out;
  bool first = true;
  for (size_t i = 1; i < c.size(); ++i) {
    auto elems = c.Sequence(i);
    if (!elems) return std::nullopt;
    for (size_t k = 0; k < elems->size(); ++k) {
      const Value& e = (*elems)[k];
      auto s = e.IsNull() ? std::nullopt : Convert(e, Type::String());
      if (!s) {
        return c.ArgError(i, fmt::format("element {} is {}; only strings can be joined", k,
                                         e.IsNull() ? "null" : e.type().FriendlyName()));
      }
      if (!first) out += *sep;
      first = false;
      out += s->AsString();
    }
  }
  return Value::String(out);
}

std::optional<Value> Lower(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  std::transform(s->begin(), s->end(), s->begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return Value::String(*s);
}

std::optional<Value> Upper(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  std::transform(s->begin(), s->end(), s->begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return Value::String(*s);
}

// ---- regular expressions ----

struct CompiledRegex {
  std::regex re;
  std::vector<std::string> group_names;  // "" for unnamed groups
};

std::optional<CompiledRegex> CompileRegex(FunctionCall& c, size_t arg, std::string_view pattern) {
  CompiledRegex out;
  std::string rewritten;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char ch = pattern[i];
    if (ch == '\\' && i + 1 < pattern.size()) {
      rewritten += ch;
      rewritten += pattern[++i];
      continue;
    }
    if (ch == '(') {
      std::string_view rest = pattern.substr(i);
      size_t name_start = 0;
      if (rest.substr(0, 4) == "(?P<") {
        name_start = 4;
      } else if (rest.substr(0, 3) == "(?<" && rest.size() > 3 && rest[3] != '=' &&
                 rest[3] != '!') {
        name_start = 3;
      }
      if (name_start != 0) {
        size_t close = rest.find('>');
        if (close == std::string_view::npos) {
          c.ArgError(arg, "invalid regular expression: unterminated group name");
          return std::nullopt;
        }
        out.group_names.emplace_back(rest.substr(name_start, close - name_start));
        rewritten += '(';
        i += close;
        continue;
      }
      if (rest.substr(0, 2) != "(?") out.group_names.emplace_back();
    }
    rewritten += ch;
  }
  try {
    out.re = std::regex(rewritten, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    c.ArgError(arg, fmt::format("invalid regular expression: {}", e.what()));
    return std::nullopt;
  }
  return out;
}

/// libstdc++'s regex engine recurses per character; long subjects could exhaust the stack, so
/// regex functions refuse subjects above this size.
constexpr size_t kMaxRegexSubject = 16 * 1024;

bool SubjectOk(FunctionCall& c, size_t arg, const std::string& s) {
  if (s.size() <= kMaxRegexSubject) return true;
  c.ArgError(arg, fmt::format("regular expressions are limited to strings of {} bytes; this one "
                              "has {}",
                              kMaxRegexSubject, s.size()));
  return false;
}

Value MatchValue(const CompiledRegex& re, const std::smatch& m) {
  if (re.group_names.empty()) return Value::String(m.str(0));
  bool named = std::any_of(re.group_names.begin(), re.group_names.end(),
                           [](const std::string& n) { return !n.empty(); });
  if (named) {
    std::vector<Value::Member> members;
    for (size_t g = 0; g < re.group_names.size(); ++g) {
      if (re.group_names[g].empty()) continue;
      members.emplace_back(re.group_names[g], Value::String(m.str(g + 1)));
    }
    return Value::Object(std::move(members));
  }
  std::vector<Value> groups;
  for (size_t g = 1; g < m.size(); ++g) groups.push_back(Value::String(m.str(g)));
  return Value::Tuple(std::move(groups));
}

/// Go's ${1} / $1 / ${name} references in a replacement become ECMAScript's $1.
std::string GoReplacement(const std::string& rep, const CompiledRegex& re) {
  std::string r;
  for (size_t i = 0; i < rep.size(); ++i) {
    if (rep[i] == '$' && i + 1 < rep.size() && rep[i + 1] == '{') {
      size_t close = rep.find('}', i);
      if (close != std::string::npos) {
        std::string name = rep.substr(i + 2, close - i - 2);
        auto it = std::find(re.group_names.begin(), re.group_names.end(), name);
        if (it != re.group_names.end()) {
          r += "$" + std::to_string(it - re.group_names.begin() + 1);
        } else {
          r += "$" + name;
        }
        i = close;
        continue;
      }
    }
    r += rep[i];
  }
  return r;
}

/// regex and regexall's arguments: the pattern (argument 0) compiled, the subject (argument 1)
/// checked.
struct RegexArgs {
  CompiledRegex re;
  std::string subject;
};

std::optional<RegexArgs> PatternAndSubject(FunctionCall& c) {
  auto p = c.String(0);
  auto s = p ? c.String(1) : std::nullopt;
  if (!p || !s) return std::nullopt;
  if (!SubjectOk(c, 1, *s)) return std::nullopt;
  auto re = CompileRegex(c, 0, *p);
  if (!re) return std::nullopt;
  return RegexArgs{std::move(*re), std::move(*s)};
}

/// `s` with every match of `re` replaced by `rep` (Go's $1 / ${name} syntax); the pattern is
/// argument 1.
std::optional<Value> ReplaceMatches(FunctionCall& c, const std::string& s, const CompiledRegex& re,
                                    const std::string& rep) {
  try {
    return Value::String(std::regex_replace(s, re.re, GoReplacement(rep, re)));
  } catch (const std::regex_error&) {
    return c.ArgError(1, "the regular expression is too complex for this input");
  }
}

std::optional<Value> Regex(FunctionCall& c) {
  std::optional<RegexArgs> args = PatternAndSubject(c);
  if (!args) return std::nullopt;
  const CompiledRegex* re = &args->re;
  const std::string* s = &args->subject;
  std::smatch m;
  bool found = false;
  try {
    found = std::regex_search(*s, m, re->re);
  } catch (const std::regex_error&) {
    return c.ArgError(0, "the regular expression is too complex for this input");
  }
  if (!found) return c.ArgError(1, "the pattern did not match the string");
  Value v = MatchValue(*re, m);
  if (v.kind() == ValueKind::kTuple) return MakeList({v.elements().begin(), v.elements().end()});
  return v;
}

std::optional<Value> RegexAll(FunctionCall& c) {
  std::optional<RegexArgs> args = PatternAndSubject(c);
  if (!args) return std::nullopt;
  const CompiledRegex* re = &args->re;
  const std::string* s = &args->subject;
  std::vector<Value> out;
  try {
    for (auto it = std::sregex_iterator(s->begin(), s->end(), re->re); it != std::sregex_iterator();
         ++it) {
      Value v = MatchValue(*re, *it);
      if (v.kind() == ValueKind::kTuple) v = *MakeList({v.elements().begin(), v.elements().end()});
      out.push_back(v);
    }
  } catch (const std::regex_error&) {
    return c.ArgError(0, "the regular expression is too complex for this input");
  }
  auto l = MakeList(out);
  if (!l) return Value::Tuple(std::move(out));
  return l;
}

std::optional<Value> Replace(FunctionCall& c) {
  auto s = c.String(0);
  auto sub = s ? c.String(1) : std::nullopt;
  auto rep = sub ? c.String(2) : std::nullopt;
  if (!s || !sub || !rep) return std::nullopt;
  if (sub->size() >= 2 && sub->front() == '/' && sub->back() == '/') {
    if (!SubjectOk(c, 0, *s)) return std::nullopt;
    auto re = CompileRegex(c, 1, std::string_view(*sub).substr(1, sub->size() - 2));
    if (!re) return std::nullopt;
    return ReplaceMatches(c, *s, *re, *rep);
  }
  if (sub->empty()) return Value::String(*s);
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t f = s->find(*sub, pos);
    if (f == std::string::npos) break;
    out += s->substr(pos, f - pos) + *rep;
    pos = f + sub->size();
  }
  out += s->substr(pos);
  return Value::String(out);
}

/// Nomad's regex_replace(string, pattern, replacement): the pattern is a bare regular expression.
std::optional<Value> RegexReplace(FunctionCall& c) {
  auto s = c.String(0);
  auto pat = s ? c.String(1) : std::nullopt;
  auto rep = pat ? c.String(2) : std::nullopt;
  if (!s || !pat || !rep) return std::nullopt;
  if (!SubjectOk(c, 0, *s)) return std::nullopt;
  auto re = CompileRegex(c, 1, *pat);
  if (!re) return std::nullopt;
  return ReplaceMatches(c, *s, *re, *rep);
}

std::optional<Value> StrLen(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  return Value::Int(static_cast<int64_t>(CodePoints(*s).size()));
}

std::optional<Value> Split(FunctionCall& c) {
  auto sep = c.String(0);
  auto s = sep ? c.String(1) : std::nullopt;
  if (!sep || !s) return std::nullopt;
  std::vector<Value> out;
  if (sep->empty()) {
    for (auto cp : CodePoints(*s)) out.push_back(Value::String(std::string(cp)));
  } else {
    size_t pos = 0;
    while (true) {
      size_t f = s->find(*sep, pos);
      if (f == std::string::npos) break;
      out.push_back(Value::String(s->substr(pos, f - pos)));
      pos = f + sep->size();
    }
    out.push_back(Value::String(s->substr(pos)));
  }
  return Value::List(std::move(out), Type::String());
}

std::optional<Value> StrRev(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  auto cps = CodePoints(*s);
  std::string out;
  for (auto it = cps.rbegin(); it != cps.rend(); ++it) out += *it;
  return Value::String(out);
}

std::optional<Value> Substr(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  if (c.arg(1).IsNull() || !Convert(c.arg(1), Type::Number())) {
    return c.ArgError(1, "offset must be a number");
  }
  if (c.arg(2).IsNull() || !Convert(c.arg(2), Type::Number())) {
    return c.ArgError(2, "length must be a number");
  }
  auto off = c.Int(1);
  auto len = off ? c.Int(2) : std::nullopt;
  if (!off || !len) return std::nullopt;
  auto cps = CodePoints(*s);
  int64_t n = static_cast<int64_t>(cps.size());
  int64_t o = *off;
  if (o < 0) o += n;
  if (o < 0) return c.ArgError(1, "offset is out of range");
  if (o > n) return Value::String("");
  int64_t l = *len < 0 ? n - o : std::min(*len, n - o);
  std::string out;
  for (int64_t i = o; i < o + l; ++i) out += cps[static_cast<size_t>(i)];
  return Value::String(out);
}

std::optional<Value> Title(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  bool start = true;
  for (char& ch : *s) {
    auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) || u >= 0x80 || ch == '\'' || ch == '_') {
      if (start && u < 0x80) ch = static_cast<char>(std::toupper(u));
      start = false;
    } else {
      start = true;
    }
  }
  return Value::String(*s);
}

std::optional<Value> Trim(FunctionCall& c) {
  auto s = c.String(0);
  auto cut = s ? c.String(1) : std::nullopt;
  if (!s || !cut) return std::nullopt;
  auto cutset = CodePoints(*cut);
  auto in_set = [&](std::string_view cp) {
    return std::find(cutset.begin(), cutset.end(), cp) != cutset.end();
  };
  auto cps = CodePoints(*s);
  size_t b = 0, e = cps.size();
  while (b < e && in_set(cps[b])) ++b;
  while (e > b && in_set(cps[e - 1])) --e;
  std::string out;
  for (size_t i = b; i < e; ++i) out += cps[i];
  return Value::String(out);
}

std::optional<Value> TrimPrefix(FunctionCall& c) {
  auto s = c.String(0);
  auto p = s ? c.String(1) : std::nullopt;
  if (!s || !p) return std::nullopt;
  if (s->compare(0, p->size(), *p) == 0) return Value::String(s->substr(p->size()));
  return Value::String(*s);
}

std::optional<Value> TrimSuffix(FunctionCall& c) {
  auto s = c.String(0);
  auto p = s ? c.String(1) : std::nullopt;
  if (!s || !p) return std::nullopt;
  if (s->size() >= p->size() && s->compare(s->size() - p->size(), p->size(), *p) == 0) {
    return Value::String(s->substr(0, s->size() - p->size()));
  }
  return Value::String(*s);
}

std::optional<Value> TrimSpace(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  auto is_space = [](char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
  };
  size_t b = 0, e = s->size();
  while (b < e && is_space((*s)[b])) ++b;
  while (e > b && is_space((*s)[e - 1])) --e;
  return Value::String(s->substr(b, e - b));
}

std::optional<Value> StartsWith(FunctionCall& c) {
  auto s = c.String(0);
  auto p = s ? c.String(1) : std::nullopt;
  if (!s || !p) return std::nullopt;
  return Value::Bool(s->compare(0, p->size(), *p) == 0);
}

std::optional<Value> EndsWith(FunctionCall& c) {
  auto s = c.String(0);
  auto p = s ? c.String(1) : std::nullopt;
  if (!s || !p) return std::nullopt;
  return Value::Bool(s->size() >= p->size() &&
                     s->compare(s->size() - p->size(), p->size(), *p) == 0);
}

std::optional<Value> StrContains(FunctionCall& c) {
  auto s = c.String(0);
  auto p = s ? c.String(1) : std::nullopt;
  if (!s || !p) return std::nullopt;
  return Value::Bool(s->find(*p) != std::string::npos);
}

constexpr FunctionDef kString[] = {
    {"chomp", 1, 1, Chomp},
    {"endswith", 2, 2, EndsWith},
    {"format", 1, -1, Format},
    {"formatlist", 1, -1, FormatList},
    {"indent", 2, 2, Indent},
    {"join", 2, -1, Join},
    {"lower", 1, 1, Lower},
    {"regex", 2, 2, Regex},
    {"regex_replace", 3, 3, RegexReplace},
    {"regexall", 2, 2, RegexAll},
    {"replace", 3, 3, Replace},
    {"split", 2, 2, Split},
    {"startswith", 2, 2, StartsWith},
    {"strcontains", 2, 2, StrContains},
    {"strlen", 1, 1, StrLen},
    {"strrev", 1, 1, StrRev},
    {"substr", 3, 3, Substr},
    {"title", 1, 1, Title},
    {"trim", 2, 2, Trim},
    {"trimprefix", 2, 2, TrimPrefix},
    {"trimspace", 1, 1, TrimSpace},
    {"trimsuffix", 2, 2, TrimSuffix},
    {"upper", 1, 1, Upper},
};

}  // namespace

std::span<const FunctionDef> StringFunctions() { return kString; }

}  // namespace drover::eval
