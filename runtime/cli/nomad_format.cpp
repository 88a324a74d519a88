#include "runtime/cli/nomad_format.h"

#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "runtime/cli/api_json.h"
#include "runtime/cli/output.h"

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
  std::string out;
  if (Int(m, "NodesEvaluated") == 0) out += prefix + "* No nodes were eligible for evaluation\n";
  for (const std::string& dc : Keys(m, "NodesAvailable")) {
    if (Int(Field(m, "NodesAvailable"), dc) == 0) {
      out += prefix + "* No nodes are available in datacenter " + GoQuote(dc) + "\n";
    }
  }
  for (const std::string& cls : Keys(m, "ClassFiltered")) {
    out += prefix + "* Class " + GoQuote(cls) + ": " + Num(Int(Field(m, "ClassFiltered"), cls)) +
           " nodes excluded by filter\n";
  }
  for (const std::string& cs : Keys(m, "ConstraintFiltered")) {
    out += prefix + "* Constraint " + GoQuote(cs) + ": " +
           Num(Int(Field(m, "ConstraintFiltered"), cs)) + " nodes excluded by filter\n";
  }
  if (int64_t ne = Int(m, "NodesExhausted"); ne > 0) {
    out += prefix + "* Resources exhausted on " + Num(ne) + " nodes\n";
  }
  for (const std::string& cls : Keys(m, "ClassExhausted")) {
    out += prefix + "* Class " + GoQuote(cls) + " exhausted on " +
           Num(Int(Field(m, "ClassExhausted"), cls)) + " nodes\n";
  }
  for (const std::string& dim : Keys(m, "DimensionExhausted")) {
    out += prefix + "* Dimension " + GoQuote(dim) + " exhausted on " +
           Num(Int(Field(m, "DimensionExhausted"), dim)) + " nodes\n";
  }
  for (const json& dim : Items(m, "QuotaExhausted")) {
    out += prefix + "* Quota limit hit " + GoQuote(Scalar(dim)) + "\n";
  }
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

std::string FormatDryRun(const json& plan, const json& job, int64_t now_ns) {
  std::optional<json> rolling;
  for (const json& e : Items(plan, "CreatedEvals")) {
    if (Str(e, "TriggeredBy") == "rolling-update") rolling = e;
  }
  std::string out;
  const json& failed = Field(plan, "FailedTGAllocs");
  std::vector<std::string> groups = Keys(failed);
  if (groups.empty()) {
    out = "[bold][green]- All tasks successfully allocated.[reset]\n";
  } else {
    out = Str(job, "Type") == "system"
              ? "[bold][yellow]- WARNING: Failed to place allocations on all nodes.[reset]\n"
              : "[bold][yellow]- WARNING: Failed to place all allocations.[reset]\n";
    for (const std::string& tg : groups) {
      const json& metrics = Field(failed, tg);
      int64_t coalesced = Int(metrics, "CoalescedFailures");
      out += "  [yellow]Task Group " + GoQuote(tg) + " (failed to place " + Num(coalesced + 1) +
             (coalesced > 0 ? " allocations" : " allocation") + "):\n[reset]";
      out += "[yellow]" + FormatAllocMetrics(metrics, false, "    ") + "[reset]\n\n";
    }
    if (!rolling && !out.empty() && out.back() == '\n') out.pop_back();
  }
  if (rolling) {
    out += "[green]- Rolling update, next evaluation will be in " +
           FormatGoDuration(Int(*rolling, "Wait")) + ".\n";
  }
  const json& next = Field(plan, "NextPeriodicLaunch");
  if (!IsZeroTime(next) && Field(job, "ParameterizedJob").is_null()) {
    int64_t next_ns = 0;
    ParseRfc3339(next.get<std::string>(), &next_ns);
    auto trunc = [](int64_t ns) {
      return ns - ((ns % 1'000'000'000) + 1'000'000'000) % 1'000'000'000;
    };
    out += "[green]- If submitted now, next periodic launch would be at " + FormatTime(next_ns) +
           " (" + FormatGoDuration(trunc(next_ns) - trunc(now_ns)) + " from now).\n";
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string FormatPreemptions(const json& plan) {
  std::vector<json> allocs = Items(Field(plan, "Annotations"), "PreemptedAllocs");
  if (allocs.empty()) return "";
  std::string out = "[bold][yellow]Preemptions:\n[reset]\n";
  constexpr size_t kThreshold = 10;
  std::vector<std::string> rows;
  if (allocs.size() < kThreshold) {
    rows.push_back("Alloc ID|Job ID|Task Group");
    for (const json& a : allocs)
      rows.push_back(Row({Str(a, "ID"), Str(a, "JobID"), Str(a, "TaskGroup")}));
    return out + FormatList(rows) + "\n";
  }
  // Counts per job type and (job, namespace), in sorted order.
  std::map<std::string, std::map<std::pair<std::string, std::string>, int>> by_type;
  size_t jobs = 0;
  for (const json& a : allocs) {
    auto& counts = by_type[Str(a, "JobType")];
    auto key = std::make_pair(Str(a, "JobID"), Str(a, "Namespace"));
    if (counts.find(key) == counts.end()) ++jobs;
    ++counts[key];
  }
  if (jobs < kThreshold) {
    rows.push_back("Job ID|Namespace|Job Type|Preemptions");
    for (const auto& [type, counts] : by_type) {
      for (const auto& [id, n] : counts) rows.push_back(Row({id.first, id.second, type, Num(n)}));
    }
  } else {
    rows.push_back("Job Type|Preemptions");
    for (const auto& [type, counts] : by_type) {
      int total = 0;
      for (const auto& [id, n] : counts) total += n;
      rows.push_back(Row({type, Num(total)}));
    }
  }
  return out + FormatList(rows) + "\n";
}

std::string FormatJobModifyIndex(uint64_t index, const std::string& run_args,
                                 const std::string& path) {
  std::string n = std::to_string(index);
  return "[reset][bold]Job Modify Index: " + n +
         "[reset]\n"
         "To submit the job with version verification run:\n"
         "\n"
         "drover job run -check-index " +
         n + " " + run_args + path +
         "\n"
         "\n"
         "When running the job with the check-index flag, the job will only be run if the\n"
         "job modify index given matches the server-side version. If the index has\n"
         "changed, another user has modified the job and the plan's results are\n"
         "potentially invalid.";
}

int PlanExitCode(const json& plan) {
  const json& updates = Field(Field(plan, "Annotations"), "DesiredTGUpdates");
  for (const std::string& tg : Keys(updates)) {
    const json& u = Field(updates, tg);
    if (Int(u, "Stop") + Int(u, "Place") + Int(u, "Migrate") + Int(u, "DestructiveUpdate") +
            Int(u, "Canary") >
        0) {
      return 1;
    }
  }
  return 0;
}

}  // namespace drover::cli
