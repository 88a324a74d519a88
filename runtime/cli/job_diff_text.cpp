// Nomad's plan diff layout (command/job_plan.go formatJobDiff and friends), over the JobDiff JSON:
// markers `+ `, `- `, `+/- ` or none; markers aligned to the widest in each block; field values
// aligned to the longest field name; `%q`-quoted values; update counts sorted by name; objects
// as `Name {` ... `}`; added/deleted tasks collapsed unless verbose.
//
// NOTE: reconciler/diff (wip/sched) is to own the one plan-text renderer; when it lands this file
// becomes a thin adapter from the API JSON to it.
#include "runtime/cli/job_diff_text.h"

#include "runtime/cli/api_json.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

struct Marker {
  std::string text;  // with color tags
  size_t width;
};

Marker DiffMarker(const std::string& type) {
  if (type == "Added") return {"[green]+[reset] ", 2};
  if (type == "Deleted") return {"[red]-[reset] ", 2};
  if (type == "Edited") return {"[light_yellow]+/-[reset] ", 4};
  return {"", 0};
}

std::string Spaces(size_t n) { return std::string(n, ' '); }

std::string ColorAnnotations(const std::vector<json>& annotations) {
  std::string out;
  for (size_t i = 0; i < annotations.size(); ++i) {
    std::string a = Scalar(annotations[i]);
    if (a == "forces create") {
      a = "[green]" + a + "[reset]";
    } else if (a == "forces destroy") {
      a = "[red]" + a + "[reset]";
    } else if (a == "forces in-place update") {
      a = "[cyan]" + a + "[reset]";
    } else if (a == "forces create/destroy update") {
      a = "[yellow]" + a + "[reset]";
    }
    out += (i == 0 ? "" : ", ") + a;
  }
  return out;
}

void LongestPrefixes(const std::vector<json>& fields, const std::vector<json>& objects,
                     size_t* longest_field, size_t* longest_marker) {
  *longest_field = 0;
  *longest_marker = 0;
  for (const json& f : fields) {
    *longest_field = std::max(*longest_field, Str(f, "Name").size());
    *longest_marker = std::max(*longest_marker, DiffMarker(Str(f, "Type")).width);
  }
  for (const json& o : objects) {
    *longest_marker = std::max(*longest_marker, DiffMarker(Str(o, "Type")).width);
  }
}

std::string FieldDiff(const json& f, size_t start, size_t key_prefix, size_t value_prefix) {
  std::string type = Str(f, "Type");
  std::string out = Spaces(start) + DiffMarker(type).text + Spaces(key_prefix) + Str(f, "Name") +
                    ": " + Spaces(value_prefix);
  if (type == "Added") {
    out += GoQuote(Str(f, "New"));
  } else if (type == "Deleted") {
    out += GoQuote(Str(f, "Old"));
  } else if (type == "Edited") {
    out += GoQuote(Str(f, "Old")) + " => " + GoQuote(Str(f, "New"));
  } else {
    out += GoQuote(Str(f, "New"));
  }
  std::vector<json> annotations = Items(f, "Annotations");
  if (!annotations.empty()) out += " (" + ColorAnnotations(annotations) + ")";
  return out;
}

std::string AlignedFieldsAndObjects(const std::vector<json>& fields,
                                    const std::vector<json>& objects, size_t start,
                                    size_t longest_field, size_t longest_marker);

std::string ObjectDiff(const json& o, size_t start, size_t key_prefix) {
  Marker m = DiffMarker(Str(o, "Type"));
  std::string out = Spaces(start) + m.text + Spaces(key_prefix) + Str(o, "Name") + " {\n";
  std::vector<json> fields = Items(o, "Fields");
  std::vector<json> objects = Items(o, "Objects");
  size_t lf, lm;
  LongestPrefixes(fields, objects, &lf, &lm);
  out += AlignedFieldsAndObjects(fields, objects, start + key_prefix + 2, lf, lm);
  return out + "\n" + Spaces(start + m.width + key_prefix) + "}";
}

std::string AlignedFieldsAndObjects(const std::vector<json>& fields,
                                    const std::vector<json>& objects, size_t start,
                                    size_t longest_field, size_t longest_marker) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    const json& f = fields[i];
    size_t key_prefix = longest_marker - DiffMarker(Str(f, "Type")).width;
    size_t value_prefix = longest_field - Str(f, "Name").size();
    out += FieldDiff(f, start, key_prefix, value_prefix);
    if (i + 1 != fields.size() || !objects.empty()) out += "\n";
  }
  for (size_t i = 0; i < objects.size(); ++i) {
    const json& o = objects[i];
    out += ObjectDiff(o, start, longest_marker - DiffMarker(Str(o, "Type")).width);
    if (i + 1 != objects.size()) out += "\n";
  }
  return out;
}

std::string TaskDiff(const json& task, size_t start, size_t task_prefix, bool verbose) {
  std::string type = Str(task, "Type");
  std::string out = Spaces(start) + DiffMarker(type).text + Spaces(task_prefix) +
                    "[bold]Task: " + GoQuote(Str(task, "Name"));
  std::vector<json> annotations = Items(task, "Annotations");
  if (!annotations.empty()) out += " [reset](" + ColorAnnotations(annotations) + ")";
  if (type == "None" || type.empty()) return out;
  if ((type == "Deleted" || type == "Added") && !verbose) return out;
  out += "\n";
  std::vector<json> fields = Items(task, "Fields");
  std::vector<json> objects = Items(task, "Objects");
  size_t lf, lm;
  LongestPrefixes(fields, objects, &lf, &lm);
  return out + AlignedFieldsAndObjects(fields, objects, start + 2, lf, lm);
}

std::string TaskGroupDiff(const json& tg, size_t tg_prefix, bool verbose) {
  std::string type = Str(tg, "Type");
  std::string out = DiffMarker(type).text + Spaces(tg_prefix) +
                    "[bold]Task Group: " + GoQuote(Str(tg, "Name")) + "[reset]";
  const json& updates = Field(tg, "Updates");
  std::vector<std::string> kinds = Keys(updates);  // sorted, as Nomad sorts them
  if (!kinds.empty()) {
    std::string list;
    for (size_t i = 0; i < kinds.size(); ++i) {
      const std::string& k = kinds[i];
      std::string color;
      if (k == "create")
        color = "[green]";
      else if (k == "destroy")
        color = "[red]";
      else if (k == "migrate")
        color = "[blue]";
      else if (k == "in-place update")
        color = "[cyan]";
      else if (k == "create/destroy update")
        color = "[yellow]";
      else if (k == "canary")
        color = "[light_yellow]";
      list += (i == 0 ? "" : ", ") + std::string("[reset]") + color +
              std::to_string(Int(updates, k)) + " " + k;
    }
    out += " (" + list + "[reset])\n";
  } else {
    out += "[reset]\n";
  }
  std::vector<json> fields = Items(tg, "Fields");
  std::vector<json> objects = Items(tg, "Objects");
  std::vector<json> tasks = Items(tg, "Tasks");
  size_t lf, lm;
  LongestPrefixes(fields, objects, &lf, &lm);
  for (const json& t : tasks) lm = std::max(lm, DiffMarker(Str(t, "Type")).width);
  const size_t sub_start = tg_prefix + 2;
  if (type == "Edited" || verbose) {
    std::string fo = AlignedFieldsAndObjects(fields, objects, sub_start, lf, lm);
    out += fo;
    if (!fo.empty()) out += "\n";
  }
  for (const json& t : tasks) {
    out += TaskDiff(t, sub_start, lm - DiffMarker(Str(t, "Type")).width, verbose) + "\n";
  }
  return out;
}

}  // namespace

std::string FormatJobDiff(const json& diff, bool verbose) {
  std::string type = Str(diff, "Type");
  std::string out = DiffMarker(type).text + "[bold]Job: " + GoQuote(Str(diff, "ID")) + "\n";
  std::vector<json> fields = Items(diff, "Fields");
  std::vector<json> objects = Items(diff, "Objects");
  std::vector<json> groups = Items(diff, "TaskGroups");
  size_t lf, lm;
  LongestPrefixes(fields, objects, &lf, &lm);
  for (const json& g : groups) lm = std::max(lm, DiffMarker(Str(g, "Type")).width);
  if (type == "Edited" || verbose) {
    std::string fo = AlignedFieldsAndObjects(fields, objects, 0, lf, lm);
    out += fo;
    if (!fo.empty()) out += "\n";
  }
  for (const json& g : groups) {
    out += TaskGroupDiff(g, lm - DiffMarker(Str(g, "Type")).width, verbose) + "\n";
  }
  return out;
}

}  // namespace drover::cli
