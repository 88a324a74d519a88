#include "reconciler/scheduler/constraint.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>

namespace drover::scheduler {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitComma(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    out.push_back(Trim(s.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                        : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  // strconv.ParseInt(s, 10, 64): optional sign, decimal digits only.
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  const char* b = s.data();
  if (*b == '+') ++b;
  auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || b == s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> ParseFloat(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string copy(s);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return v;
}

template <typename T>
bool Order(ir::ConstraintOp op, const T& l, const T& r) {
  switch (op) {
    case ir::ConstraintOp::kLess:
      return l < r;
    case ir::ConstraintOp::kLessEqual:
      return l <= r;
    case ir::ConstraintOp::kGreater:
      return l > r;
    case ir::ConstraintOp::kGreaterEqual:
      return l >= r;
    default:
      return false;
  }
}

bool CheckOrder(ir::ConstraintOp op, std::string_view l, std::string_view r) {
  // Integers if both parse, then floats, then lexical (Nomad's checkOrder).
  auto li = ParseInt(l);
  auto ri = ParseInt(r);
  if (li && ri) return Order(op, *li, *ri);
  auto lf = ParseFloat(l);
  auto rf = ParseFloat(r);
  if (lf && rf) return Order(op, *lf, *rf);
  return Order(op, l, r);
}

std::set<std::string_view> SetOf(std::string_view s) {
  std::set<std::string_view> out;
  for (std::string_view part : SplitComma(s)) out.insert(part);
  return out;
}

bool SetContainsAll(std::string_view l, std::string_view r) {
  auto have = SetOf(l);
  for (std::string_view want : SplitComma(r)) {
    if (!have.contains(want)) return false;
  }
  return true;
}

bool SetContainsAny(std::string_view l, std::string_view r) {
  auto have = SetOf(l);
  for (std::string_view want : SplitComma(r)) {
    if (have.contains(want)) return true;
  }
  return false;
}

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '~' || c == '.';
}

int ComparePrereleasePart(std::string_view a, std::string_view b) {
  auto an = ParseInt(a);
  auto bn = ParseInt(b);
  if (an && bn) return *an < *bn ? -1 : (*an > *bn ? 1 : 0);
  if (an) return -1;  // numeric identifiers sort before alphanumeric ones
  if (bn) return 1;
  return a < b ? -1 : (a > b ? 1 : 0);
}

int ComparePrerelease(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  if (a.empty()) return 1;  // a release is newer than any of its pre-releases
  if (b.empty()) return -1;
  size_t ai = 0;
  size_t bi = 0;
  while (true) {
    size_t ae = a.find('.', ai);
    size_t be = b.find('.', bi);
    std::string_view ap = a.substr(ai, ae == std::string_view::npos ? a.size() - ai : ae - ai);
    std::string_view bp = b.substr(bi, be == std::string_view::npos ? b.size() - bi : be - bi);
    if (int c = ComparePrereleasePart(ap, bp); c != 0) return c;
    bool a_done = ae == std::string_view::npos;
    bool b_done = be == std::string_view::npos;
    if (a_done && b_done) return 0;
    if (a_done) return -1;
    if (b_done) return 1;
    ai = ae + 1;
    bi = be + 1;
  }
}

enum class VersionOp { kEq, kNe, kGt, kLt, kGe, kLe, kPessimistic };

bool PrereleaseGate(const Version& v, const Version& c) {
  bool v_pre = !v.prerelease.empty();
  bool c_pre = !c.prerelease.empty();
  if (c_pre && v_pre) return v.segments == c.segments;
  if (!c_pre && v_pre) return false;
  return true;
}

bool CheckClause(const Version& v, VersionOp op, const Version& c, bool semver) {
  int cmp = v.Compare(c);
  bool gate = semver || PrereleaseGate(v, c);
  switch (op) {
    case VersionOp::kEq:
      return cmp == 0;
    case VersionOp::kNe:
      return cmp != 0;
    case VersionOp::kGt:
      return gate && cmp > 0;
    case VersionOp::kLt:
      return gate && cmp < 0;
    case VersionOp::kGe:
      return gate && cmp >= 0;
    case VersionOp::kLe:
      return gate && cmp <= 0;
    case VersionOp::kPessimistic: {
      if (!PrereleaseGate(v, c) || (!c.prerelease.empty() && v.prerelease.empty())) return false;
      if (cmp < 0) return false;
      int cs = c.written_segments;
      if (cs > static_cast<int>(v.segments.size())) return false;
      for (int i = 0; i < cs - 1; ++i) {
        if (v.segments[i] != c.segments[i]) return false;
      }
      return c.segments[cs - 1] <= v.segments[cs - 1];
    }
  }
  return false;
}

}  // namespace

std::optional<std::string_view> ResolveTarget(std::string_view target, const model::Node& node,
                                              std::string& scratch) {
  if (!target.starts_with("${")) return target;
  if (target == "${node.unique.id}") {
    scratch = node.id.ToString();
    return std::string_view(scratch);
  }
  if (target == "${node.datacenter}") return std::string_view(node.datacenter);
  if (target == "${node.unique.name}") return std::string_view(node.name);
  if (target == "${node.class}") return std::string_view(node.node_class);
  if (target == "${node.pool}") return std::string_view(node.node_pool);
  auto lookup = [&](std::string_view prefix,
                    const model::StringMap& m) -> std::optional<std::string_view> {
    std::string_view key = target.substr(prefix.size());
    if (key.ends_with("}")) key.remove_suffix(1);
    auto it = m.find(std::string(key));
    if (it == m.end()) return std::nullopt;
    return std::string_view(it->second);
  };
  if (target.starts_with("${attr.")) return lookup("${attr.", node.attributes);
  if (target.starts_with("${meta.")) return lookup("${meta.", node.meta);
  return std::nullopt;
}

bool TargetEscapesClass(std::string_view target) {
  return target.find("${node.unique.") != std::string_view::npos ||
         target.find("${attr.unique.") != std::string_view::npos ||
         target.find("${meta.unique.") != std::string_view::npos;
}

std::string ConstraintString(const ir::Constraint& c) {
  std::string out = c.l_target;
  out += ' ';
  out += ir::ToString(c.op);
  out += ' ';
  out += c.r_target;
  return out;
}

const std::regex* ConstraintCache::Regex(const std::string& pattern) {
  auto it = regex_.find(pattern);
  if (it != regex_.end()) return it->second.get();
  if (bad_regex_.contains(pattern)) return nullptr;
  try {
    auto re = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
    return regex_.emplace(pattern, std::move(re)).first->second.get();
  } catch (const std::regex_error&) {
    bad_regex_[pattern] = true;
    return nullptr;
  }
}

bool CheckOperator(ir::ConstraintOp op, std::optional<std::string_view> l,
                   std::optional<std::string_view> r, ConstraintCache& cache) {
  using Op = ir::ConstraintOp;
  bool both = l.has_value() && r.has_value();
  switch (op) {
    case Op::kDistinctHosts:
    case Op::kDistinctProperty:
      return true;
    case Op::kEqual:
      return both && *l == *r;
    case Op::kNotEqual:
      // A missing target resolves to "" in Nomad, so a node without the attribute matches.
      return l.value_or("") != r.value_or("");
    case Op::kLess:
    case Op::kLessEqual:
    case Op::kGreater:
    case Op::kGreaterEqual:
      return both && CheckOrder(op, *l, *r);
    case Op::kIsSet:
      return l.has_value();
    case Op::kIsNotSet:
      return !l.has_value();
    case Op::kVersion:
      return both && CheckVersionConstraint(*l, *r, /*semver=*/false);
    case Op::kSemver:
      return both && CheckVersionConstraint(*l, *r, /*semver=*/true);
    case Op::kRegexp: {
      if (!both) return false;
      const std::regex* re = cache.Regex(std::string(*r));
      return re != nullptr && std::regex_search(l->begin(), l->end(), *re);
    }
    case Op::kSetContains:
      return both && SetContainsAll(*l, *r);
    case Op::kSetContainsAny:
      return both && SetContainsAny(*l, *r);
  }
  return false;
}

bool MeetsConstraint(const ir::Constraint& c, const model::Node& node, ConstraintCache& cache) {
  std::string ls;
  std::string rs;
  return CheckOperator(c.op, ResolveTarget(c.l_target, node, ls), ResolveTarget(c.r_target, node, rs), cache);
}

bool MatchesAffinity(const ir::Affinity& a, const model::Node& node, ConstraintCache& cache) {
  std::string ls;
  std::string rs;
  return CheckOperator(a.op, ResolveTarget(a.l_target, node, ls), ResolveTarget(a.r_target, node, rs), cache);
}

// ---- versions ------------------------------------------------------------------------------------

std::optional<Version> Version::Parse(std::string_view text) {
  std::string_view s = Trim(text);
  if (!s.empty() && s.front() == 'v') s.remove_prefix(1);
  Version v;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return std::nullopt;
    auto n = ParseInt(s.substr(start, i - start));
    if (!n) return std::nullopt;
    v.segments.push_back(*n);
    if (i < s.size() && s[i] == '.' && i + 1 < s.size() &&
        std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      ++i;
      continue;
    }
    break;
  }
  v.written_segments = static_cast<int>(v.segments.size());
  while (v.segments.size() < 3) v.segments.push_back(0);
  // Pre-release: "-" then identifiers, or letters directly after the numbers ("1.2beta").
  if (i < s.size() && (s[i] == '-' || std::isalpha(static_cast<unsigned char>(s[i])) ||
                       s[i] == '~')) {
    if (s[i] == '-') ++i;
    size_t start = i;
    while (i < s.size() && IsIdentChar(s[i])) ++i;
    if (i == start) return std::nullopt;
    v.prerelease = std::string(s.substr(start, i - start));
    if (v.prerelease.front() == '.' || v.prerelease.back() == '.') return std::nullopt;
  }
  if (i < s.size() && s[i] == '+') {
    ++i;
    size_t start = i;
    while (i < s.size() && IsIdentChar(s[i])) ++i;
    if (i == start) return std::nullopt;
    v.metadata = std::string(s.substr(start, i - start));
  }
  if (i != s.size()) return std::nullopt;
  return v;
}

int Version::Compare(const Version& other) const {
  size_t n = std::max(segments.size(), other.segments.size());
  for (size_t i = 0; i < n; ++i) {
    int64_t a = i < segments.size() ? segments[i] : 0;
    int64_t b = i < other.segments.size() ? other.segments[i] : 0;
    if (a != b) return a < b ? -1 : 1;
  }
  return ComparePrerelease(prerelease, other.prerelease);
}

bool CheckVersionConstraint(std::string_view version, std::string_view constraint, bool semver) {
  auto v = Version::Parse(version);
  if (!v) return false;
  std::vector<std::string_view> clauses = SplitComma(constraint);
  if (clauses.empty()) return false;
  for (std::string_view clause : clauses) {
    VersionOp op = VersionOp::kEq;
    static constexpr std::pair<std::string_view, VersionOp> kOps[] = {
        {">=", VersionOp::kGe}, {"<=", VersionOp::kLe}, {"!=", VersionOp::kNe},
        {"~>", VersionOp::kPessimistic}, {">", VersionOp::kGt}, {"<", VersionOp::kLt},
        {"=", VersionOp::kEq}};
    for (const auto& [text, value] : kOps) {
      if (clause.starts_with(text)) {
        op = value;
        clause.remove_prefix(text.size());
        break;
      }
    }
    if (semver && op == VersionOp::kPessimistic) return false;
    auto c = Version::Parse(Trim(clause));
    if (!c) return false;
    if (!CheckClause(*v, op, *c, semver)) return false;
  }
  return true;
}

}  // namespace drover::scheduler
