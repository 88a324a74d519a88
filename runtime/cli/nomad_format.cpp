#include "runtime/cli/nomad_format.h"

#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "reconciler/diff/plan_text.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/output.h"
#include "runtime/cli/plan_view.h"

namespace drover::cli {
namespace {

using nlohmann::json;

std::string Num(int64_t v) { return std::to_string(v); }

std::string FormatG3(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// Go's zero time.Time as the API encodes it, or an unset field.
bool IsZeroTime(const json& v) {
  if (!v.is_string()) return true;
  int64_t ns;
  if (!ParseRfc3339(v.get<std::string>(), &ns)) return true;
  return ns < 0 && v.get<std::string>().starts_with("0001-01-01");
}

}  // namespace

std::string FormatAllocMetrics(const json& m, bool scores, const std::string& prefix) {
  std::string out = diff::RenderAllocMetrics(AllocMetricFromJson(m), prefix);
  if (!out.empty()) out += "\n";
  if (scores) {
    std::vector<json> meta = Items(m, "ScoreMetaData");
    if (!meta.empty()) {
      std::set<std::string> names;
      for (const json& sm : meta) {
        for (const std::string& k : Keys(sm, "Scores")) names.insert(k);
      }
      std::string header = "Node";
      for (const std::string& n : names) header += "|" + n;
      std::vector<std::string> rows = {header + "|final score"};
      for (const json& sm : meta) {
        std::string row = Str(sm, "NodeID") + "|";
        for (const std::string& n : names) row += FormatG3(Float(Field(sm, "Scores"), n)) + "|";
        rows.push_back(row + FormatG3(Float(sm, "NormScore")));
      }
      out += FormatList(rows);
    } else {
      for (const std::string& name : Keys(m, "Scores")) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%f", Float(Field(m, "Scores"), name));
        out += prefix + "* Score " + GoQuote(name) + " = " + buf + "\n";
      }
    }
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string FormatAllocListStubs(const std::vector<json>& stubs, bool verbose, size_t id_length,
                                 int64_t now_ns) {
  if (stubs.empty()) return "No allocations placed";
  std::vector<std::string> rows;
  if (verbose) {
    rows.push_back(
        "ID|Eval ID|Node ID|Node Name|Task Group|Version|Desired|Status|Created|Modified");
    for (const json& a : stubs) {
      rows.push_back(
          Row({Limit(Str(a, "ID"), id_length), Limit(Str(a, "EvalID"), id_length),
               Limit(Str(a, "NodeID"), id_length), Str(a, "NodeName"), Str(a, "TaskGroup"),
               Num(Int(a, "JobVersion")), Str(a, "DesiredStatus"), Str(a, "ClientStatus"),
               FormatTime(Int(a, "CreateTime")), FormatTime(Int(a, "ModifyTime"))}));
    }
  } else {
    rows.push_back("ID|Node ID|Task Group|Version|Desired|Status|Created|Modified");
    for (const json& a : stubs) {
      rows.push_back(Row({Limit(Str(a, "ID"), id_length), Limit(Str(a, "NodeID"), id_length),
                          Str(a, "TaskGroup"), Num(Int(a, "JobVersion")), Str(a, "DesiredStatus"),
                          Str(a, "ClientStatus"), PrettyTimeDiff(Int(a, "CreateTime"), now_ns),
                          PrettyTimeDiff(Int(a, "ModifyTime"), now_ns)}));
    }
  }
  return FormatList(rows);
}

std::string FormatDeploymentGroups(const json& d) {
  const json& groups = Field(d, "TaskGroups");
  bool canaries = false, autorevert = false, progress_deadline = false;
  for (const std::string& name : Keys(groups)) {
    const json& s = Field(groups, name);
    autorevert |= Bool(s, "AutoRevert");
    canaries |= Int(s, "DesiredCanaries") > 0;
    progress_deadline |= Int(s, "ProgressDeadline") != 0;
  }
  std::string header = "Task Group|";
  if (autorevert) header += "Auto Revert|";
  if (canaries) header += "Promoted|";
  header += "Desired|";
  if (canaries) header += "Canaries|";
  header += "Placed|Healthy|Unhealthy";
  if (progress_deadline) header += "|Progress Deadline";
  std::vector<std::string> rows = {header};
  for (const std::string& name : Keys(groups)) {
    const json& s = Field(groups, name);
    std::string row = name + "|";
    if (autorevert) row += std::string(Bool(s, "AutoRevert") ? "true" : "false") + "|";
    if (canaries) {
      row += Int(s, "DesiredCanaries") > 0 ? (Bool(s, "Promoted") ? "true|" : "false|") : "N/A|";
    }
    row += Num(Int(s, "DesiredTotal")) + "|";
    if (canaries) row += Num(Int(s, "DesiredCanaries")) + "|";
    row += Num(Int(s, "PlacedAllocs")) + "|" + Num(Int(s, "HealthyAllocs")) + "|" +
           Num(Int(s, "UnhealthyAllocs"));
    if (progress_deadline) {
      const json& by = Field(s, "RequireProgressBy");
      row += "|" + (IsZeroTime(by) ? std::string("N/A") : FormatApiTime(by.get<std::string>()));
    }
    rows.push_back(row);
  }
  return FormatList(rows);
}

std::string FormatDeployment(const json& d, size_t id_length) {
  if (d.is_null()) return "No deployment found";
  std::string base = FormatKV({
      "ID|" + Limit(Str(d, "ID"), id_length),
      "Job ID|" + Str(d, "JobID"),
      "Job Version|" + Num(Int(d, "JobVersion")),
      "Status|" + Str(d, "Status"),
      "Description|" + Str(d, "StatusDescription"),
  });
  if (Keys(d, "TaskGroups").empty()) return base;
  return base + "\n\n[bold]Deployed[reset]\n" + FormatDeploymentGroups(d);
}

std::string FormatDeploymentList(const std::vector<json>& deployments, size_t id_length) {
  if (deployments.empty()) return "No deployments found";
  std::vector<std::string> rows = {"ID|Job ID|Job Version|Status|Description"};
  for (const json& d : deployments) {
    rows.push_back(Row({Limit(Str(d, "ID"), id_length), Str(d, "JobID"), Num(Int(d, "JobVersion")),
                        Str(d, "Status"), Str(d, "StatusDescription")}));
  }
  return FormatList(rows);
}

std::string JobStatusString(const json& job) {
  std::string status = Str(job, "Status");
  return Bool(job, "Stop") ? status + " (stopped)" : status;
}

std::string FormatJobList(const std::vector<json>& jobs, bool show_namespace) {
  std::vector<std::string> rows;
  rows.push_back(show_namespace ? "ID|Namespace|Type|Priority|Status|Submit Date"
                                : "ID|Type|Priority|Status|Submit Date");
  for (const json& j : jobs) {
    std::string type = Str(j, "Type");
    if (Bool(j, "Periodic")) type += "/periodic";
    if (Bool(j, "ParameterizedJob")) type += "/parameterized";
    std::string row = Str(j, "ID") + "|";
    if (show_namespace) row += Str(Field(j, "JobSummary"), "Namespace") + "|";
    row +=
        Row({type, Num(Int(j, "Priority")), JobStatusString(j), FormatTime(Int(j, "SubmitTime"))});
    rows.push_back(row);
  }
  return FormatList(rows);
}

std::string EvalFailureStatus(const json& eval) {
  if (Str(eval, "Status") == "blocked") return "N/A - In Progress";
  return Keys(eval, "FailedTGAllocs").empty() ? "false" : "true";
}

}  // namespace drover::cli
