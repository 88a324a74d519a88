#include "runtime/api/api_json.h"

#include "runtime/store/json_read.h"
#include "runtime/store/model_json.h"

namespace drover::api {

json JobSummaryJson(const model::State& state, const model::JobVersion& job) {
  json summary = json::object();
  for (const ir::TaskGroup& tg : job.spec.task_groups) {
    summary[tg.name] = {{"Queued", 0},   {"Complete", 0}, {"Failed", 0}, {"Running", 0},
                        {"Starting", 0}, {"Lost", 0},     {"Unknown", 0}};
  }
  model::JobKey key = job.Key();
  for (const model::Allocation* a : state.AllocsByJob(key)) {
    if (a->job != nullptr && a->job->create_index != job.create_index) continue;  // older instance
    if (!summary.contains(a->task_group)) continue;
    json& tg = summary[a->task_group];
    switch (a->client_status) {
      case model::ClientStatus::kPending:
        if (!a->ServerTerminal()) tg["Starting"] = tg["Starting"].get<int>() + 1;
        break;
      case model::ClientStatus::kRunning:
        tg["Running"] = tg["Running"].get<int>() + 1;
        break;
      case model::ClientStatus::kComplete:
        tg["Complete"] = tg["Complete"].get<int>() + 1;
        break;
      case model::ClientStatus::kFailed:
        tg["Failed"] = tg["Failed"].get<int>() + 1;
        break;
      case model::ClientStatus::kLost:
        tg["Lost"] = tg["Lost"].get<int>() + 1;
        break;
      case model::ClientStatus::kUnknown:
        tg["Unknown"] = tg["Unknown"].get<int>() + 1;
        break;
    }
  }
  // Queued: what the most recent finished evaluation could not place yet.
  const model::Evaluation* latest = nullptr;
  for (const model::Evaluation* e : state.EvalsByJob(key)) {
    if (e->status != model::EvalStatus::kComplete) continue;
    if (latest == nullptr || e->modify_index > latest->modify_index) latest = e;
  }
  if (latest != nullptr && !job.stop) {
    for (const auto& [tg, queued] : latest->queued_allocations) {
      if (summary.contains(tg)) summary[tg]["Queued"] = queued;
    }
  }
  return {{"JobID", job.spec.id},
          {"Namespace", key.namespace_},
          {"Summary", summary},
          {"Children", {{"Pending", 0}, {"Running", 0}, {"Dead", 0}}},
          {"CreateIndex", job.create_index},
          {"ModifyIndex", job.modify_index}};
}

json JobListStubJson(const model::State& state, const model::JobVersion& job) {
  const ir::Job& s = job.spec;
  return {{"ID", s.id},
          {"ParentID", s.parent_id},
          {"Name", s.name.empty() ? s.id : s.name},
          {"Namespace", s.namespace_.empty() ? "default" : s.namespace_},
          {"Datacenters", s.datacenters},
          {"NodePool", s.node_pool},
          {"Multiregion", nullptr},
          {"Type", std::string(ir::ToString(s.type.value_or(ir::JobType::kService)))},
          {"Priority", s.priority.value_or(50)},
          {"Periodic", s.periodic.has_value()},
          {"ParameterizedJob", s.parameterized.has_value()},
          {"Stop", job.stop},
          {"Status", job.status},
          {"StatusDescription", job.status_description},
          {"JobSummary", JobSummaryJson(state, job)},
          {"Version", job.version},
          {"Meta", s.meta.empty() ? json(nullptr) : json(s.meta)},
          {"CreateIndex", job.create_index},
          {"ModifyIndex", job.modify_index},
          {"JobModifyIndex", job.job_modify_index},
          {"SubmitTime", job.submit_time}};
}

json AllocListStubJson(const model::Allocation& a, bool resources, bool task_states) {
  json full = store::EncodeAllocation(a, store::EmbedJob::kNo);
  json stub = json::object();
  for (const char* key : {"ID",
                          "EvalID",
                          "Name",
                          "Namespace",
                          "NodeID",
                          "NodeName",
                          "JobID",
                          "JobVersion",
                          "TaskGroup",
                          "DesiredStatus",
                          "DesiredDescription",
                          "DesiredTransition",
                          "ClientStatus",
                          "ClientDescription",
                          "TaskStates",
                          "DeploymentStatus",
                          "FollowupEvalID",
                          "RescheduleTracker",
                          "PreemptedAllocations",
                          "PreemptedByAllocation",
                          "CreateIndex",
                          "ModifyIndex",
                          "CreateTime",
                          "ModifyTime"}) {
    stub[key] = full[key];
  }
  stub["JobType"] =
      a.job ? std::string(ir::ToString(a.job->spec.type.value_or(ir::JobType::kService))) : "";
  stub["AllocatedResources"] = resources ? full["AllocatedResources"] : json(nullptr);
  if (!task_states) stub["TaskStates"] = nullptr;
  return stub;
}

json NodeListStubJson(const model::Node& n, bool resources) {
  json full = store::EncodeNode(n);
  std::string address = n.resources.networks.empty() ? "" : n.resources.networks.front().ip;
  if (auto it = n.attributes.find("unique.network.ip-address"); it != n.attributes.end()) {
    address = it->second;
  }
  std::string version;
  if (auto it = n.attributes.find("nomad.version"); it != n.attributes.end()) version = it->second;
  json stub = {{"Address", address},
               {"ID", full["ID"]},
               {"Attributes", nullptr},
               {"Datacenter", n.datacenter},
               {"Name", n.name},
               {"NodeClass", n.node_class},
               {"NodePool", n.node_pool},
               {"Version", version},
               {"Drain", n.drain},
               {"SchedulingEligibility", full["SchedulingEligibility"]},
               {"Status", full["Status"]},
               {"StatusDescription", n.status_description},
               {"Drivers", full["Drivers"]},
               {"HostVolumes", nullptr},
               {"NodeResources", resources ? full["NodeResources"] : json(nullptr)},
               {"ReservedResources", resources ? full["ReservedResources"] : json(nullptr)},
               {"LastDrain", nullptr},
               {"CreateIndex", n.create_index},
               {"ModifyIndex", n.modify_index}};
  return stub;
}

json DesiredUpdatesJson(const model::DesiredUpdates& u) {
  return {{"Ignore", u.ignore},
          {"Place", u.place},
          {"Migrate", u.migrate},
          {"Stop", u.stop},
          {"InPlaceUpdate", u.in_place_update},
          {"DestructiveUpdate", u.destructive_update},
          {"Canary", u.canary},
          {"Preemptions", u.preemptions}};
}

json PlanResponseJson(const scheduler::DryRunResult& dry_run, model::Index index) {
  const scheduler::ScheduleResult& r = dry_run.result;
  json desired = json::object();
  for (const auto& [tg, u] : r.plan.desired_tg_updates) desired[tg] = DesiredUpdatesJson(u);
  json failed = json::object();
  const auto& failures =
      r.plan.failed_tg_allocs.empty() ? r.eval.failed_tg_allocs : r.plan.failed_tg_allocs;
  for (const auto& [tg, m] : failures) failed[tg] = store::EncodeAllocMetric(m);
  json created = json::array();
  if (r.blocked_eval) created.push_back(store::EncodeEvaluation(*r.blocked_eval));
  for (const model::Evaluation& e : r.followup_evals) created.push_back(store::EncodeEvaluation(e));
  return {{"Index", index},
          {"JobModifyIndex", dry_run.job_modify_index},
          {"Diff", nullptr},
          {"Annotations",
           {{"DesiredTGUpdates", desired.empty() ? json(nullptr) : desired},
            {"PreemptedAllocs", nullptr}}},
          {"FailedTGAllocs", failed.empty() ? json(nullptr) : failed},
          {"CreatedEvals", created.empty() ? json(nullptr) : created},
          {"NextPeriodicLaunch", store::FormatTime(0)},
          {"Warnings", ""}};
}

}  // namespace drover::api
