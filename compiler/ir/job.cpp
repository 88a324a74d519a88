#include "compiler/ir/job.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace drover::ir {

const TaskGroup* Job::FindGroup(std::string_view group_name) const {
  for (const TaskGroup& g : task_groups) {
    if (g.name == group_name) return &g;
  }
  return nullptr;
}

TaskGroup* Job::FindGroup(std::string_view group_name) {
  for (TaskGroup& g : task_groups) {
    if (g.name == group_name) return &g;
  }
  return nullptr;
}

std::optional<Duration> ParseDuration(std::string_view text) {
  // Go's time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, or "0".
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration(0);
  if (s.empty()) return std::nullopt;
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      ++i;
      digits = true;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ++i;
        digits = true;
      }
    }
    if (!digits) return std::nullopt;
    long double number = std::strtold(std::string(s.substr(0, i)).c_str(), nullptr);
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !(s[u] >= '0' && s[u] <= '9') && s[u] != '.') ++u;
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    long double scale;
    if (unit == "ns") {
      scale = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      scale = 1e3;
    } else if (unit == "ms") {
      scale = 1e6;
    } else if (unit == "s") {
      scale = 1e9;
    } else if (unit == "m") {
      scale = 60e9;
    } else if (unit == "h") {
      scale = 3600e9;
    } else {
      return std::nullopt;
    }
    total += number * scale;
    if (total > 9.2e18L) return std::nullopt;  // overflows int64 nanoseconds
  }
  auto ns = static_cast<int64_t>(std::llround(static_cast<double>(total)));
  return Duration(negative ? -ns : ns);
}

std::string FormatDuration(Duration d) {
  int64_t ns = d.count();
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  if (u < 1000) return fmt::format("{}{}ns", sign, u);
  if (u < 1000000) {
    std::string frac = fmt::format("{:.3f}", u / 1e3);
    while (frac.back() == '0') frac.pop_back();
    if (frac.back() == '.') frac.pop_back();
    return sign + frac + "\xC2\xB5s";
  }
  if (u < 1000000000) {
    std::string frac = fmt::format("{:.6f}", u / 1e6);
    while (frac.back() == '0') frac.pop_back();
    if (frac.back() == '.') frac.pop_back();
    return sign + frac + "ms";
  }
  uint64_t h = u / 3600000000000ULL;
  u %= 3600000000000ULL;
  uint64_t m = u / 60000000000ULL;
  u %= 60000000000ULL;
  std::string secs = fmt::format("{:.9f}", u / 1e9);
  while (secs.back() == '0') secs.pop_back();
  if (secs.back() == '.') secs.pop_back();
  std::string out = sign;
  if (h > 0) out += fmt::format("{}h", h);
  if (h > 0 || m > 0) out += fmt::format("{}m", m);
  return out + secs + "s";
}

}  // namespace drover::ir
