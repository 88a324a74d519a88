// Checks for cron specs, RE2 patterns, version constraints and alloc-relative paths (see
// patterns.h).
#include "compiler/sema/patterns.h"

#include <array>
#include <cctype>
#include <regex>
#include <variant>
#include <vector>

#include <fmt/format.h>

namespace drover::sema {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// ---- cron ---------------------------------------------------------------------------------------

enum class CronField { kSecond, kMinute, kHour, kDayOfMonth, kMonth, kDayOfWeek, kYear };

struct CronFieldInfo {
  std::string_view name;
  int min;
  int max;
};

CronFieldInfo Info(CronField f) {
  switch (f) {
    case CronField::kSecond:
      return {"second", 0, 59};
    case CronField::kMinute:
      return {"minute", 0, 59};
    case CronField::kHour:
      return {"hour", 0, 23};
    case CronField::kDayOfMonth:
      return {"day of month", 1, 31};
    case CronField::kMonth:
      return {"month", 1, 12};
    case CronField::kDayOfWeek:
      return {"day of week", 0, 7};
    case CronField::kYear:
      return {"year", 1970, 2099};
  }
  return {"field", 0, 0};
}

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

/// A single value of a field (a number or, for months and weekdays, a name), or -1.
int CronValue(std::string_view s, CronField f) {
  if (AllDigits(s) && s.size() <= 4) return std::stoi(std::string(s));
  std::string lower = Lower(s);
  if (f == CronField::kMonth) {
    for (size_t i = 0; i < kMonths.size(); ++i) {
      if (lower == kMonths[i]) return static_cast<int>(i) + 1;
    }
  }
  if (f == CronField::kDayOfWeek) {
    for (size_t i = 0; i < kDays.size(); ++i) {
      if (lower == kDays[i]) return static_cast<int>(i);
    }
  }
  return -1;
}

std::optional<std::string> CheckCronValue(std::string_view s, CronField f) {
  CronFieldInfo info = Info(f);
  int v = CronValue(s, f);
  if (v < 0) return fmt::format("`{}` is not a valid {}", s, info.name);
  if (v < info.min || v > info.max) {
    return fmt::format("{} {} is out of range [{}, {}]", info.name, v, info.min, info.max);
  }
  return std::nullopt;
}

std::optional<std::string> CheckCronEntry(std::string_view e, CronField f) {
  CronFieldInfo info = Info(f);
  if (e.empty()) return fmt::format("empty entry in the {} field", info.name);
  if (e == "?" && (f == CronField::kDayOfMonth || f == CronField::kDayOfWeek)) return std::nullopt;
  if (f == CronField::kDayOfMonth) {
    std::string lower = Lower(e);
    if (lower == "l" || lower == "lw") return std::nullopt;
    if (lower.size() > 1 && lower.back() == 'w') {
      return CheckCronValue(e.substr(0, e.size() - 1), f);
    }
  }
  if (f == CronField::kDayOfWeek) {
    std::string lower = Lower(e);
    if (lower == "l") return std::nullopt;
    if (lower.size() > 1 && lower.back() == 'l')
      return CheckCronValue(e.substr(0, e.size() - 1), f);
    size_t hash = e.find('#');
    if (hash != std::string_view::npos) {
      if (auto err = CheckCronValue(e.substr(0, hash), f)) return err;
      std::string_view nth = e.substr(hash + 1);
      if (!AllDigits(nth) || nth.size() > 1 || nth[0] < '1' || nth[0] > '5') {
        return fmt::format("`{}`: the week after `#` must be 1 to 5", e);
      }
      return std::nullopt;
    }
  }
  std::string_view range = e;
  size_t slash = e.find('/');
  if (slash != std::string_view::npos) {
    std::string_view step = e.substr(slash + 1);
    if (!AllDigits(step) || step.size() > 4 || std::stoi(std::string(step)) == 0) {
      return fmt::format("`{}`: the step after `/` must be a positive number", e);
    }
    range = e.substr(0, slash);
  }
  if (range == "*") return std::nullopt;
  size_t dash = range.find('-');
  if (dash != std::string_view::npos) {
    std::string_view lo = range.substr(0, dash);
    std::string_view hi = range.substr(dash + 1);
    if (auto err = CheckCronValue(lo, f)) return err;
    if (auto err = CheckCronValue(hi, f)) return err;
    return std::nullopt;
  }
  return CheckCronValue(range, f);
}

// ---- regexp -------------------------------------------------------------------------------------

bool IsRe2LetterEscape(char c) {
  static constexpr std::string_view kAllowed = "afnrtvdDsSwWbBAzxpPQECpP";
  return kAllowed.find(c) != std::string_view::npos;
}

/// Rewrites the RE2 constructs std::regex lacks into equivalents (or near equivalents), or returns
/// the reason RE2 would reject the pattern.
std::variant<std::string, std::string> TranslateRe2(std::string_view p) {
  using Result = std::variant<std::string, std::string>;  // index 0: translated, 1: error
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) return Result(std::in_place_index<1>, "trailing backslash");
      char n = p[++i];
      if (n >= '1' && n <= '9' && !in_class) {
        return Result(std::in_place_index<1>,
                      fmt::format("backreference \\{} is not supported", n));
      }
      if (std::isalpha(static_cast<unsigned char>(n)) && !IsRe2LetterEscape(n)) {
        return Result(std::in_place_index<1>, fmt::format("invalid escape sequence \\{}", n));
      }
      if (n == 'A') {
        out += '^';
      } else if (n == 'z') {
        out += '$';
      } else if (n == 'p' || n == 'P') {
        // Unicode classes: \pL or \p{Greek}; approximate with "any character".
        if (i + 1 < p.size() && p[i + 1] == '{') {
          size_t close = p.find('}', i + 1);
          if (close == std::string_view::npos) {
            return Result(std::in_place_index<1>, "missing closing } in \\p{...}");
          }
          i = close;
        } else {
          ++i;
        }
        out += in_class ? "\\s\\S" : "[\\s\\S]";
      } else if (n == 'Q') {
        size_t end = p.find("\\E", i + 1);
        std::string_view lit = p.substr(i + 1, end == std::string_view::npos ? end : end - i - 1);
        for (char l : lit) {
          if (!std::isalnum(static_cast<unsigned char>(l))) out += '\\';
          out += l;
        }
        i = end == std::string_view::npos ? p.size() : end + 1;
      } else {
        out += '\\';
        out += n;
      }
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
      continue;
    }
    if (c == '(' && i + 1 < p.size() && p[i + 1] == '?') {
      std::string_view rest = p.substr(i + 2);
      if (rest.starts_with("=") || rest.starts_with("!") || rest.starts_with("<=") ||
          rest.starts_with("<!")) {
        return Result(std::in_place_index<1>, "lookaround assertions are not supported");
      }
      if (rest.starts_with("P<") || rest.starts_with("<")) {
        size_t close = p.find('>', i);
        if (close == std::string_view::npos) {
          return Result(std::in_place_index<1>, "unterminated group name");
        }
        out += '(';
        i = close;
        continue;
      }
      // Flag groups: (?i) (?-s) (?im:...)
      size_t j = i + 2;
      while (j < p.size() && std::string_view("imsU-").find(p[j]) != std::string_view::npos) ++j;
      if (j < p.size() && j > i + 2 && p[j] == ')') {
        i = j;
        continue;
      }
      if (j < p.size() && p[j] == ':') {
        out += "(?:";
        i = j;
        continue;
      }
      return Result(std::in_place_index<1>, "invalid or unsupported Perl syntax `(?`");
    }
    out += c;
  }
  return Result(std::in_place_index<0>, out);
}

// ---- version constraints ------------------------------------------------------------------------

const std::regex& GoVersionConstraint() {
  static const std::regex re(
      R"(^\s*(=|!=|>|<|>=|<=|~>)?\s*v?[0-9]+(\.[0-9]+)*)"
      R"((-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?)"
      R"((\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?\s*$)");
  return re;
}

const std::regex& SemverConstraint() {
  static const std::regex re(R"(^\s*(=|!=|>|<|>=|<=)?\s*v?[0-9]+(\.[0-9]+){0,2})"
                             R"((-([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?)"
                             R"((\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?\s*$)");
  return re;
}

std::optional<std::string> CheckConstraintList(std::string_view text, const std::regex& re) {
  // std::regex matching recurses per character; no real constraint is this long.
  if (text.size() > 512) return std::string("constraint is too long");
  for (std::string_view part : Split(text, ',')) {
    if (!std::regex_match(part.begin(), part.end(), re)) {
      return fmt::format("malformed constraint: {}", part);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> CheckCronSpec(std::string_view spec) {
  std::string_view s = spec;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.empty()) return std::string("empty spec");
  if (s.front() == '@') {
    static constexpr std::array<std::string_view, 7> kPredefined = {
        "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"};
    for (std::string_view p : kPredefined) {
      if (s == p) return std::nullopt;
    }
    return fmt::format("unknown predefined schedule `{}`", s);
  }
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) fields.push_back(s.substr(start, i - start));
  }
  std::vector<CronField> layout;
  switch (fields.size()) {
    case 5:
      layout = {CronField::kMinute, CronField::kHour, CronField::kDayOfMonth, CronField::kMonth,
                CronField::kDayOfWeek};
      break;
    case 6:
      layout = {CronField::kMinute, CronField::kHour,      CronField::kDayOfMonth,
                CronField::kMonth,  CronField::kDayOfWeek, CronField::kYear};
      break;
    case 7:
      layout = {CronField::kSecond, CronField::kMinute,    CronField::kHour, CronField::kDayOfMonth,
                CronField::kMonth,  CronField::kDayOfWeek, CronField::kYear};
      break;
    default:
      return fmt::format("expected 5 to 7 fields, found {}", fields.size());
  }
  for (size_t f = 0; f < fields.size(); ++f) {
    for (std::string_view entry : Split(fields[f], ',')) {
      if (auto err = CheckCronEntry(entry, layout[f])) return err;
    }
  }
  return std::nullopt;
}

namespace {

/// RE2's own limits (Go's regexp/syntax): repeat counts up to 1000, nesting up to 1000. Also
/// tells whether the pattern is small enough to hand to std::regex, whose compiler and matcher
/// recurse and expand repetitions (a pattern from a job file must not be able to crash drover).
struct Re2Limits {
  std::optional<std::string> error;
  bool safe_for_std_regex = true;
};

Re2Limits CheckLimits(std::string_view p) {
  Re2Limits out;
  int depth = 0;
  int max_depth = 0;
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < p.size() && p[i + 1] == ']') ++i;
    } else if (c == '(') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ')') {
      --depth;
    } else if (c == '{') {
      size_t close = p.find('}', i);
      if (close == std::string_view::npos) continue;
      for (std::string_view n : Split(p.substr(i + 1, close - i - 1), ',')) {
        if (!AllDigits(n)) continue;
        if (n.size() > 4 || std::stoi(std::string(n)) > 1000) {
          out.error = fmt::format("invalid repeat count `{}`", p.substr(i, close - i + 1));
          return out;
        }
        if (std::stoi(std::string(n)) > 100) out.safe_for_std_regex = false;
      }
    }
  }
  if (max_depth > 1000) {
    out.error = "expression nests too deeply";
    return out;
  }
  if (max_depth > 50 || p.size() > 2000) out.safe_for_std_regex = false;
  return out;
}

/// std::regex's error, worded like Go's regexp/syntax errors (std's own texts are capitalized
/// sentences that vary between standard libraries).
std::string RegexErrorText(std::regex_constants::error_type code) {
  namespace rc = std::regex_constants;
  switch (code) {
    case rc::error_collate:
      return "invalid collating element";
    case rc::error_ctype:
      return "invalid character class";
    case rc::error_escape:
      return "invalid escape sequence";
    case rc::error_backref:
      return "invalid back reference";
    case rc::error_brack:
      return "missing closing ]";
    case rc::error_paren:
      return "unbalanced parentheses";
    case rc::error_brace:
      return "missing closing }";
    case rc::error_badbrace:
      return "invalid repeat count";
    case rc::error_range:
      return "invalid character class range";
    case rc::error_badrepeat:
      return "missing argument to repetition operator";
    default:
      return "expression too large or too complex";
  }
}

}  // namespace

std::optional<std::string> CheckRegexp(std::string_view pattern) {
  Re2Limits limits = CheckLimits(pattern);
  if (limits.error) return limits.error;
  auto translated = TranslateRe2(pattern);
  if (translated.index() == 1) return std::get<1>(translated);
  if (!limits.safe_for_std_regex) return std::nullopt;  // too big to double-check safely
  try {
    std::regex re(std::get<0>(translated), std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return RegexErrorText(e.code());
  }
  return std::nullopt;
}

std::optional<std::string> CheckVersionConstraint(std::string_view constraint) {
  return CheckConstraintList(constraint, GoVersionConstraint());
}

std::optional<std::string> CheckSemverConstraint(std::string_view constraint) {
  return CheckConstraintList(constraint, SemverConstraint());
}

bool PathEscapesAllocDir(std::string_view prefix, std::string_view path) {
  // Resolve /alloc-dir/alloc-id/<prefix>/<path> lexically (Go's filepath.Join + Abs) and check
  // that the result is still below /alloc-dir/alloc-id.
  std::vector<std::string_view> parts = {"alloc-dir", "alloc-id"};
  auto walk = [&](std::string_view p) {
    for (std::string_view part : Split(p, '/')) {
      if (part.empty() || part == ".") continue;
      if (part == "..") {
        if (!parts.empty()) parts.pop_back();
      } else {
        parts.push_back(part);
      }
    }
  };
  walk(prefix);
  walk(path);
  return parts.size() < 2 || parts[0] != "alloc-dir" || parts[1] != "alloc-id";
}

}  // namespace drover::sema
