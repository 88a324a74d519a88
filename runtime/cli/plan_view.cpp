#include "runtime/cli/plan_view.h"

#include "runtime/cli/api_json.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

diff::DiffType TypeOf(const json& j) {
  std::string t = Str(j, "Type");
  if (t == "Added") return diff::DiffType::kAdded;
  if (t == "Deleted") return diff::DiffType::kDeleted;
  if (t == "Edited") return diff::DiffType::kEdited;
  return diff::DiffType::kNone;
}

std::vector<std::string> Strings(const json& j, std::string_view key) {
  std::vector<std::string> out;
  for (const json& v : Items(j, key)) out.push_back(Scalar(v));
  return out;
}

std::vector<diff::FieldDiff> Fields(const json& j) {
  std::vector<diff::FieldDiff> out;
  for (const json& f : Items(j, "Fields")) {
    out.push_back({TypeOf(f), Str(f, "Name"), Scalar(Field(f, "Old")), Scalar(Field(f, "New")),
                   Strings(f, "Annotations")});
  }
  return out;
}

std::vector<diff::ObjectDiff> Objects(const json& j) {
  std::vector<diff::ObjectDiff> out;
  for (const json& o : Items(j, "Objects")) {
    out.push_back({TypeOf(o), Str(o, "Name"), Fields(o), Objects(o)});
  }
  return out;
}

std::map<std::string, int> IntMap(const json& j, std::string_view key) {
  std::map<std::string, int> out;
  for (const std::string& k : Keys(j, key)) out[k] = static_cast<int>(Int(Field(j, key), k));
  return out;
}

}  // namespace

diff::JobDiff JobDiffFromJson(const json& j) {
  diff::JobDiff d;
  d.type = TypeOf(j);
  d.id = Str(j, "ID");
  d.fields = Fields(j);
  d.objects = Objects(j);
  for (const json& g : Items(j, "TaskGroups")) {
    diff::TaskGroupDiff tg;
    tg.type = TypeOf(g);
    tg.name = Str(g, "Name");
    tg.fields = Fields(g);
    tg.objects = Objects(g);
    for (const json& t : Items(g, "Tasks")) {
      tg.tasks.push_back(
          {TypeOf(t), Str(t, "Name"), Fields(t), Objects(t), Strings(t, "Annotations")});
    }
    for (const std::string& k : Keys(g, "Updates")) tg.updates[k] = Uint(Field(g, "Updates"), k);
    d.task_groups.push_back(std::move(tg));
  }
  return d;
}

model::DesiredUpdates DesiredUpdatesFromJson(const json& j) {
  model::DesiredUpdates u;
  u.ignore = Uint(j, "Ignore");
  u.place = Uint(j, "Place");
  u.migrate = Uint(j, "Migrate");
  u.stop = Uint(j, "Stop");
  u.in_place_update = Uint(j, "InPlaceUpdate");
  u.destructive_update = Uint(j, "DestructiveUpdate");
  u.canary = Uint(j, "Canary");
  u.preemptions = Uint(j, "Preemptions");
  return u;
}

model::AllocMetric AllocMetricFromJson(const json& j) {
  model::AllocMetric m;
  m.nodes_evaluated = static_cast<int>(Int(j, "NodesEvaluated"));
  m.nodes_filtered = static_cast<int>(Int(j, "NodesFiltered"));
  m.nodes_in_pool = static_cast<int>(Int(j, "NodesInPool"));
  m.nodes_available = IntMap(j, "NodesAvailable");
  m.class_filtered = IntMap(j, "ClassFiltered");
  m.constraint_filtered = IntMap(j, "ConstraintFiltered");
  m.nodes_exhausted = static_cast<int>(Int(j, "NodesExhausted"));
  m.class_exhausted = IntMap(j, "ClassExhausted");
  m.dimension_exhausted = IntMap(j, "DimensionExhausted");
  m.quota_exhausted = Strings(j, "QuotaExhausted");
  m.allocation_time = model::Duration(Int(j, "AllocationTime"));
  m.coalesced_failures = static_cast<int>(Int(j, "CoalescedFailures"));
  return m;
}

diff::PlanView PlanViewFromJson(const json& plan, const json& job, const PlanRequestInfo& info) {
  diff::PlanView v;
  v.diff = JobDiffFromJson(Field(plan, "Diff"));
  const json& updates = Field(Field(plan, "Annotations"), "DesiredTGUpdates");
  for (const std::string& tg : Keys(updates)) {
    v.desired_tg_updates[tg] = DesiredUpdatesFromJson(Field(updates, tg));
  }
  const json& failed = Field(plan, "FailedTGAllocs");
  for (const std::string& tg : Keys(failed)) {
    v.failed_tg_allocs[tg] = AllocMetricFromJson(Field(failed, tg));
  }
  std::string type = Str(job, "Type");
  v.job_type = type.empty() ? "service" : type;
  v.job_modify_index = Uint(plan, "JobModifyIndex");
  v.vars = info.vars;
  v.var_files = info.var_files;
  v.path = info.path;
  v.warnings = Str(plan, "Warnings");
  for (const json& e : Items(plan, "CreatedEvals")) {
    if (Str(e, "TriggeredBy") == "rolling-update")
      v.rolling_update_wait = FormatGoDuration(Int(e, "Wait"));
  }
  v.show_diff = info.show_diff;
  v.verbose = info.verbose;
  v.color = info.color;
  return v;
}

}  // namespace drover::cli
