#include "reconciler/diff/plan_text.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace drover::diff {
namespace {

std::string Spaces(int n) { return std::string(static_cast<size_t>(std::max(n, 0)), ' '); }

// getDiffString: the coloured marker and its printed width.
std::pair<std::string, int> Marker(DiffType t) {
  switch (t) {
    case DiffType::kAdded:
      return {"[green]+[reset] ", 2};
    case DiffType::kDeleted:
      return {"[red]-[reset] ", 2};
    case DiffType::kEdited:
      return {"[light_yellow]+/-[reset] ", 4};
    case DiffType::kNone:
      return {"", 0};
  }
  return {"", 0};
}

std::string ColorAnnotations(const std::vector<std::string>& annotations) {
  std::string out;
  for (size_t i = 0; i < annotations.size(); ++i) {
    const std::string& a = annotations[i];
    if (i > 0) out += ", ";
    if (a == "forces create") {
      out += "[green]" + a + "[reset]";
    } else if (a == "forces destroy") {
      out += "[red]" + a + "[reset]";
    } else if (a == "forces in-place update") {
      out += "[cyan]" + a + "[reset]";
    } else if (a == "forces create/destroy update") {
      out += "[yellow]" + a + "[reset]";
    } else {
      out += a;
    }
  }
  return out;
}

template <typename F, typename O>
std::pair<int, int> LongestPrefixes(const F& fields, const O& objects) {
  int longest_field = 0;
  int longest_marker = 0;
  for (const FieldDiff& f : fields) {
    longest_field = std::max(longest_field, static_cast<int>(f.name.size()));
    longest_marker = std::max(longest_marker, Marker(f.type).second);
  }
  for (const ObjectDiff& o : objects) longest_marker = std::max(longest_marker, Marker(o.type).second);
  return {longest_field, longest_marker};
}

std::string FormatField(const FieldDiff& f, int start, int key_prefix, int value_prefix) {
  std::string out = Spaces(start) + Marker(f.type).first + Spaces(key_prefix) + f.name + ": " +
                    Spaces(value_prefix);
  switch (f.type) {
    case DiffType::kAdded:
      out += GoQuote(f.new_value);
      break;
    case DiffType::kDeleted:
      out += GoQuote(f.old_value);
      break;
    case DiffType::kEdited:
      out += GoQuote(f.old_value) + " => " + GoQuote(f.new_value);
      break;
    case DiffType::kNone:
      out += GoQuote(f.new_value);
      break;
  }
  if (!f.annotations.empty()) out += " (" + ColorAnnotations(f.annotations) + ")";
  return out;
}

std::string AlignedFieldsAndObjects(const std::vector<FieldDiff>& fields,
                                    const std::vector<ObjectDiff>& objects, int start,
                                    int longest_field, int longest_marker);

std::string FormatObject(const ObjectDiff& o, int start, int key_prefix) {
  auto [marker, marker_len] = Marker(o.type);
  std::string out = Spaces(start) + marker + Spaces(key_prefix) + o.name + " {\n";
  auto [longest_field, longest_marker] = LongestPrefixes(o.fields, o.objects);
  int sub = start + key_prefix + 2;
  out += AlignedFieldsAndObjects(o.fields, o.objects, sub, longest_field, longest_marker);
  return out + "\n" + Spaces(start + marker_len + key_prefix) + "}";
}

std::string AlignedFieldsAndObjects(const std::vector<FieldDiff>& fields,
                                    const std::vector<ObjectDiff>& objects, int start,
                                    int longest_field, int longest_marker) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldDiff& f = fields[i];
    int k = longest_marker - Marker(f.type).second;
    int v = longest_field - static_cast<int>(f.name.size());
    out += FormatField(f, start, k, v);
    if (i + 1 != fields.size() || !objects.empty()) out += "\n";
  }
  for (size_t i = 0; i < objects.size(); ++i) {
    int k = longest_marker - Marker(objects[i].type).second;
    out += FormatObject(objects[i], start, k);
    if (i + 1 != objects.size()) out += "\n";
  }
  return out;
}

std::string FormatTask(const TaskDiff& t, int start, int task_prefix, bool verbose) {
  std::string out = Spaces(start) + Marker(t.type).first + Spaces(task_prefix) + "[bold]Task: " +
                    GoQuote(t.name);
  if (!t.annotations.empty()) out += " [reset](" + ColorAnnotations(t.annotations) + ")";
  if (t.type == DiffType::kNone) return out;
  if ((t.type == DiffType::kDeleted || t.type == DiffType::kAdded) && !verbose) return out;
  out += "\n";
  auto [longest_field, longest_marker] = LongestPrefixes(t.fields, t.objects);
  out += AlignedFieldsAndObjects(t.fields, t.objects, start + 2, longest_field, longest_marker);
  return out;
}

std::string UpdateColor(const std::string& type) {
  if (type == "create") return "[green]";
  if (type == "destroy") return "[red]";
  if (type == "migrate") return "[blue]";
  if (type == "in-place update") return "[cyan]";
  if (type == "create/destroy update") return "[yellow]";
  if (type == "canary") return "[light_yellow]";
  return "";
}

std::string FormatGroup(const TaskGroupDiff& g, int tg_prefix, bool verbose) {
  std::string out = Marker(g.type).first + Spaces(tg_prefix) + "[bold]Task Group: " +
                    GoQuote(g.name) + "[reset]";
  if (!g.updates.empty()) {
    std::vector<std::string> parts;
    for (const auto& [type, count] : g.updates) {  // std::map: sorted as Go's sort.Strings
      parts.push_back("[reset]" + UpdateColor(type) + std::to_string(count) + " " + type);
    }
    std::string joined;
    for (size_t i = 0; i < parts.size(); ++i) joined += (i ? ", " : "") + parts[i];
    out += " (" + joined + "[reset])\n";
  } else {
    out += "[reset]\n";
  }
  auto [longest_field, longest_marker] = LongestPrefixes(g.fields, g.objects);
  for (const TaskDiff& t : g.tasks) longest_marker = std::max(longest_marker, Marker(t.type).second);
  int sub = tg_prefix + 2;
  if (g.type == DiffType::kEdited || verbose) {
    std::string fo = AlignedFieldsAndObjects(g.fields, g.objects, sub, longest_field, longest_marker);
    out += fo;
    if (!fo.empty()) out += "\n";
  }
  for (const TaskDiff& t : g.tasks) {
    out += FormatTask(t, sub, longest_marker - Marker(t.type).second, verbose) + "\n";
  }
  return out;
}

std::string FormatJobDiff(const JobDiff& d, bool verbose) {
  std::string out = Marker(d.type).first + "[bold]Job: " + GoQuote(d.id) + "\n";
  auto [longest_field, longest_marker] = LongestPrefixes(d.fields, d.objects);
  for (const TaskGroupDiff& g : d.task_groups) {
    longest_marker = std::max(longest_marker, Marker(g.type).second);
  }
  if (d.type == DiffType::kEdited || verbose) {
    std::string fo = AlignedFieldsAndObjects(d.fields, d.objects, 0, longest_field, longest_marker);
    out += fo;
    if (!fo.empty()) out += "\n";
  }
  for (const TaskGroupDiff& g : d.task_groups) {
    out += FormatGroup(g, longest_marker - Marker(g.type).second, verbose) + "\n";
  }
  return out;
}

std::string TrimSpace(std::string s) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.back())) s.pop_back();
  size_t start = 0;
  while (start < s.size() && space(s[start])) ++start;
  return s.substr(start);
}

void TrimSuffixNewline(std::string& s) {
  if (!s.empty() && s.back() == '\n') s.pop_back();
}

std::string FormatDryRun(const PlanView& v) {
  std::string out;
  if (v.failed_tg_allocs.empty()) {
    out = "[bold][green]- All tasks successfully allocated.[reset]\n";
  } else {
    out = v.job_type == "system"
              ? "[bold][yellow]- WARNING: Failed to place allocations on all nodes.[reset]\n"
              : "[bold][yellow]- WARNING: Failed to place all allocations.[reset]\n";
    for (const auto& [tg, m] : v.failed_tg_allocs) {
      std::string noun = m.coalesced_failures > 0 ? "allocations" : "allocation";
      out += fmt::format("  [yellow]Task Group {} (failed to place {} {}):\n[reset]", GoQuote(tg),
                         m.coalesced_failures + 1, noun);
      out += "[yellow]" + RenderAllocMetrics(m, "    ") + "[reset]\n\n";
    }
    if (v.rolling_update_wait.empty()) TrimSuffixNewline(out);
  }
  if (!v.rolling_update_wait.empty()) {
    out += "[green]- Rolling update, next evaluation will be in " + v.rolling_update_wait + ".\n";
  }
  TrimSuffixNewline(out);
  return out;
}

const std::map<std::string, std::string>& Colors() {
  static const std::map<std::string, std::string> kColors = {
      {"default", "39"},      {"_default_", "49"},     {"black", "30"},
      {"red", "31"},          {"green", "32"},         {"yellow", "33"},
      {"blue", "34"},         {"magenta", "35"},       {"cyan", "36"},
      {"light_gray", "37"},   {"dark_gray", "90"},     {"light_red", "91"},
      {"light_green", "92"},  {"light_yellow", "93"},  {"light_blue", "94"},
      {"light_magenta", "95"}, {"light_cyan", "96"},   {"white", "97"},
      {"_black_", "40"},      {"_red_", "41"},         {"_green_", "42"},
      {"_yellow_", "43"},     {"_blue_", "44"},        {"_magenta_", "45"},
      {"_cyan_", "46"},       {"_light_gray_", "47"},  {"_dark_gray_", "100"},
      {"_light_red_", "101"}, {"_light_green_", "102"}, {"_light_yellow_", "103"},
      {"_light_blue_", "104"}, {"_light_magenta_", "105"}, {"_light_cyan_", "106"},
      {"_white_", "107"},     {"bold", "1"},           {"dim", "2"},
      {"underline", "4"},     {"blink_slow", "5"},     {"blink_fast", "6"},
      {"invert", "7"},        {"hidden", "8"},         {"reset", "0"},
      {"reset_bold", "21"}};
  return kColors;
}

}  // namespace

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            out += fmt::format("\\x{:02x}", c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // A multi-byte UTF-8 sequence stays as it is when valid; stray bytes are escaped.
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool valid = len > 0 && i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (valid) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    }
  }
  return out + "\"";
}

std::string Colorize(std::string_view text, bool enabled) {
  std::string out;
  bool colored = false;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '[') {
      size_t j = i + 1;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) ||
                                 text[j] == '_' || text[j] == '-')) {
        ++j;
      }
      if (j < text.size() && text[j] == ']' && j > i + 1) {
        std::string name(text.substr(i + 1, j - i - 1));
        auto it = Colors().find(name);
        if (it != Colors().end()) {
          colored = true;
          if (enabled) out += "\033[" + it->second + "m";
        } else {
          out.append(text.substr(i, j - i + 1));
        }
        i = j + 1;
        continue;
      }
    }
    out += text[i++];
  }
  if (colored && enabled) out += "\033[0m";
  return out;
}

std::string RenderAllocMetrics(const model::AllocMetric& m, const std::string& prefix) {
  std::string out;
  if (m.nodes_evaluated == 0) out += prefix + "* No nodes were eligible for evaluation\n";
  for (const auto& [dc, available] : m.nodes_available) {
    if (available == 0) {
      out += prefix + "* No nodes are available in datacenter " + GoQuote(dc) + "\n";
    }
  }
  for (const auto& [cls, n] : m.class_filtered) {
    out += fmt::format("{}* Class {}: {} nodes excluded by filter\n", prefix, GoQuote(cls), n);
  }
  for (const auto& [c, n] : m.constraint_filtered) {
    out += fmt::format("{}* Constraint {}: {} nodes excluded by filter\n", prefix, GoQuote(c), n);
  }
  if (m.nodes_exhausted > 0) {
    out += fmt::format("{}* Resources exhausted on {} nodes\n", prefix, m.nodes_exhausted);
  }
  for (const auto& [cls, n] : m.class_exhausted) {
    out += fmt::format("{}* Class {} exhausted on {} nodes\n", prefix, GoQuote(cls), n);
  }
  for (const auto& [dim, n] : m.dimension_exhausted) {
    out += fmt::format("{}* Dimension {} exhausted on {} nodes\n", prefix, GoQuote(dim), n);
  }
  for (const std::string& q : m.quota_exhausted) {
    out += prefix + "* Quota limit hit " + GoQuote(q) + "\n";
  }
  TrimSuffixNewline(out);
  return out;
}

std::string RenderJobDiff(const JobDiff& diff, bool verbose, bool color) {
  return Colorize(TrimSpace(FormatJobDiff(diff, verbose)), color);
}

std::string RenderPlan(const PlanView& v) {
  std::string out;
  if (v.show_diff) out += RenderJobDiff(v.diff, v.verbose, v.color) + "\n\n";
  out += Colorize("[bold]Scheduler dry-run:[reset]", v.color) + "\n";
  out += Colorize(FormatDryRun(v), v.color) + "\n";
  out += "\n";
  if (!v.warnings.empty()) {
    out += Colorize("[bold][yellow]Job Warnings:\n" + v.warnings + "[reset]\n", v.color) + "\n";
  }
  std::string args;
  for (const std::string& var : v.vars) args += "-var=" + GoQuote(var) + " ";
  for (const std::string& file : v.var_files) args += "-var-file=" + GoQuote(file) + " ";
  std::string trailer = fmt::format(
      "[reset][bold]Job Modify Index: {}[reset]\n"
      "To submit the job with version verification run:\n"
      "\n"
      "drover job run -check-index {} {}{}\n"
      "\n"
      "When running the job with the check-index flag, the job will only be run if the\n"
      "job modify index given matches the server-side version. If the index has\n"
      "changed, another user has modified the job and the plan's results are\n"
      "potentially invalid.",
      v.job_modify_index, v.job_modify_index, args, v.path);
  out += Colorize(trailer, v.color) + "\n";
  return out;
}

int PlanExitCode(const std::map<std::string, model::DesiredUpdates>& desired) {
  for (const auto& [tg, d] : desired) {
    if (d.stop + d.place + d.migrate + d.destructive_update + d.canary > 0) return 1;
  }
  return 0;
}

}  // namespace drover::diff
