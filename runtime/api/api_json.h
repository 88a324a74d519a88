// The list and summary shapes of Nomad's HTTP API that are views of the stored objects:
// JobListStub, JobSummary, AllocListStub, NodeListStub, the plan response, and the small
// envelopes. Full objects (Job, Allocation, Node, Evaluation, Deployment) come from
// runtime/store/model_json.h.
#pragma once

#include <nlohmann/json.hpp>

#include "reconciler/model/state.h"
#include "reconciler/scheduler/scheduler.h"

namespace drover::api {

using nlohmann::json;

/// {JobID, Namespace, Summary{<tg>{Queued,Complete,Failed,Running,Starting,Lost,Unknown}},
///  Children{Pending,Running,Dead}, CreateIndex, ModifyIndex}
json JobSummaryJson(const model::State& state, const model::JobVersion& job);

/// Nomad's JobListStub (what GET /v1/jobs lists).
json JobListStubJson(const model::State& state, const model::JobVersion& job);

/// Nomad's AllocListStub; AllocatedResources only when `resources`, TaskStates unless
/// `task_states` is false.
json AllocListStubJson(const model::Allocation& alloc, bool resources = false,
                       bool task_states = true);

/// Nomad's NodeListStub; NodeResources/ReservedResources only when `resources`.
json NodeListStubJson(const model::Node& node, bool resources = false);

/// {"Ignore","Place","Migrate","Stop","InPlaceUpdate","DestructiveUpdate","Canary","Preemptions"}
json DesiredUpdatesJson(const model::DesiredUpdates& updates);

/// The JobPlanResponse of POST /v1/job/:id/plan, without the Diff (the caller adds it).
json PlanResponseJson(const scheduler::DryRunResult& dry_run, model::Index index);

}  // namespace drover::api
