// The plan as the CLI receives it (Nomad's /v1/job/:id/plan JSON) turned into reconciler/diff's
// PlanView and rendered: the dojo's port-collision plan byte for byte, the exit-code rule on
// decoded annotations, rolling-update waits, lenient decoding, and a round-trip property: any diff
// the engine produces survives ToJson -> text -> JobDiffFromJson unchanged.
#include "runtime/cli/plan_view.h"

#include <gtest/gtest.h>

#include "reconciler/diff/annotate.h"
#include "tests/support/mock_job.h"

namespace drover::cli {
namespace {

using nlohmann::json;

json PortCollisionPlan() {
  return json::parse(R"({
    "Index": 4, "JobModifyIndex": 3,
    "Diff": {"Type": "Edited", "ID": "frontend", "Fields": null, "Objects": null, "TaskGroups": [
      {"Type": "Edited", "Name": "frontend", "Updates": {"create": 4, "in-place update": 1},
       "Fields": [{"Type": "Edited", "Name": "Count", "Old": "1", "New": "5",
                   "Annotations": ["forces create"]}],
       "Objects": null,
       "Tasks": [{"Type": "None", "Name": "frontend", "Fields": null, "Objects": null,
                  "Annotations": null}]}]},
    "Annotations": {"DesiredTGUpdates": {"frontend": {"Ignore": 0, "Place": 4, "Migrate": 0,
      "Stop": 0, "InPlaceUpdate": 1, "DestructiveUpdate": 0, "Canary": 0, "Preemptions": 0}}},
    "FailedTGAllocs": {"frontend": {"NodesEvaluated": 1, "NodesFiltered": 0,
      "NodesAvailable": {"dc1": 1}, "NodesExhausted": 1,
      "DimensionExhausted": {"network: reserved port collision http=8080": 1},
      "CoalescedFailures": 3}},
    "CreatedEvals": null, "NextPeriodicLaunch": "0001-01-01T00:00:00Z", "Warnings": ""})");
}

TEST(PlanViewTest, RendersTheDojoPortCollision) {
  PlanRequestInfo info;
  info.path = "frontend/frontend.nomad";
  diff::PlanView v = PlanViewFromJson(PortCollisionPlan(), json{{"Type", "service"}}, info);
  EXPECT_EQ(diff::RenderPlan(v),
            "+/- Job: \"frontend\"\n"
            "+/- Task Group: \"frontend\" (4 create, 1 in-place update)\n"
            "  +/- Count: \"1\" => \"5\" (forces create)\n"
            "      Task: \"frontend\"\n"
            "\n"
            "Scheduler dry-run:\n"
            "- WARNING: Failed to place all allocations.\n"
            "  Task Group \"frontend\" (failed to place 4 allocations):\n"
            "    * Resources exhausted on 1 nodes\n"
            "    * Dimension \"network: reserved port collision http=8080\" exhausted on 1 nodes\n"
            "\n"
            "Job Modify Index: 3\n"
            "To submit the job with version verification run:\n"
            "\n"
            "drover job run -check-index 3 frontend/frontend.nomad\n"
            "\n"
            "When running the job with the check-index flag, the job will only be run if the\n"
            "job modify index given matches the server-side version. If the index has\n"
            "changed, another user has modified the job and the plan's results are\n"
            "potentially invalid.\n");
  EXPECT_EQ(diff::PlanExitCode(v.desired_tg_updates), 1);
}

TEST(PlanViewTest, CarriesVarsWarningsRollingWaitAndSystemType) {
  json plan = PortCollisionPlan();
  plan["Warnings"] = "1 warning(s):\n\n* careful";
  plan["CreatedEvals"] = {{{"TriggeredBy", "rolling-update"}, {"Wait", 30'000'000'000}}};
  PlanRequestInfo info;
  info.path = "f.nomad";
  info.vars = {"a=1"};
  info.var_files = {"v.hcl"};
  info.show_diff = false;
  diff::PlanView v = PlanViewFromJson(plan, json{{"Type", "system"}}, info);
  std::string text = diff::RenderPlan(v);
  EXPECT_TRUE(
      text.starts_with("Scheduler dry-run:\n- WARNING: Failed to place allocations on all "
                       "nodes.\n"))
      << text;
  EXPECT_NE(text.find("- Rolling update, next evaluation will be in 30s.\n"), std::string::npos);
  EXPECT_NE(text.find("Job Warnings:\n1 warning(s):\n\n* careful\n\n"), std::string::npos);
  EXPECT_NE(text.find("drover job run -check-index 3 -var=\"a=1\" -var-file=\"v.hcl\" f.nomad\n"),
            std::string::npos);
}

TEST(PlanViewTest, ExitCodeFromDecodedAnnotations) {
  auto code = [](json updates) {
    json plan = {{"Annotations", {{"DesiredTGUpdates", {{"g", updates}}}}}};
    return diff::PlanExitCode(PlanViewFromJson(plan, json::object(), {}).desired_tg_updates);
  };
  EXPECT_EQ(code({{"Ignore", 3}}), 0);
  EXPECT_EQ(code({{"InPlaceUpdate", 3}}), 0);
  EXPECT_EQ(code({{"Place", 1}, {"Ignore", 2}}), 1);  // also when the spec did not change
  EXPECT_EQ(code({{"Stop", 1}}), 1);
  EXPECT_EQ(code({{"Migrate", 1}}), 1);
  EXPECT_EQ(code({{"DestructiveUpdate", 1}}), 1);
  EXPECT_EQ(code({{"Canary", 1}}), 1);
}

TEST(PlanViewTest, DecodingIsLenient) {
  json junk = {{"Diff", "nonsense"},
               {"Annotations", {{"DesiredTGUpdates", {{"g", {{"Place", "x"}}}}}}},
               {"FailedTGAllocs", {{"g", 7}}},
               {"JobModifyIndex", -1}};
  diff::PlanView v = PlanViewFromJson(junk, json(), {});
  EXPECT_EQ(v.diff.type, diff::DiffType::kNone);
  EXPECT_EQ(v.desired_tg_updates["g"].place, 0u);
  EXPECT_EQ(v.failed_tg_allocs["g"].nodes_evaluated, 0);
  EXPECT_EQ(v.job_modify_index, 0u);
  EXPECT_EQ(v.job_type, "service");
}

TEST(PlanViewTest, AllocMetricFields) {
  model::AllocMetric m = AllocMetricFromJson(json::parse(R"({
    "NodesEvaluated": 3, "NodesFiltered": 1, "NodesInPool": 3, "NodesAvailable": {"dc1": 3},
    "ClassFiltered": {"c": 1}, "ConstraintFiltered": {"${attr.os} = linux": 1},
    "NodesExhausted": 2, "ClassExhausted": {"c": 2}, "DimensionExhausted": {"memory": 2},
    "QuotaExhausted": ["q"], "AllocationTime": 1500, "CoalescedFailures": 4})"));
  EXPECT_EQ(m.nodes_evaluated, 3);
  EXPECT_EQ(m.nodes_filtered, 1);
  EXPECT_EQ(m.nodes_in_pool, 3);
  EXPECT_EQ(m.nodes_available.at("dc1"), 3);
  EXPECT_EQ(m.class_filtered.at("c"), 1);
  EXPECT_EQ(m.constraint_filtered.at("${attr.os} = linux"), 1);
  EXPECT_EQ(m.nodes_exhausted, 2);
  EXPECT_EQ(m.class_exhausted.at("c"), 2);
  EXPECT_EQ(m.dimension_exhausted.at("memory"), 2);
  EXPECT_EQ(m.quota_exhausted, std::vector<std::string>{"q"});
  EXPECT_EQ(m.allocation_time.count(), 1500);
  EXPECT_EQ(m.coalesced_failures, 4);
}

// Property: the engine's diffs cross the wire intact (ToJson, JSON text, JobDiffFromJson).
TEST(PlanViewTest, EngineDiffsRoundTripThroughJson) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    ir::Job old_job = drover::testing::RandomJob(seed);
    ir::Job new_job = drover::testing::RandomJob(seed + 10'000);
    new_job.id = old_job.id;
    diff::JobDiff d = diff::Diff(&old_job, new_job);
    for (diff::TaskGroupDiff& g : d.task_groups) g.updates = {{"create", seed}, {"ignore", 1}};
    json wire = json::parse(diff::ToJson(d).dump());
    ASSERT_EQ(JobDiffFromJson(wire), d) << "seed " << seed;
    diff::JobDiff added = diff::Diff(nullptr, new_job);
    ASSERT_EQ(JobDiffFromJson(json::parse(diff::ToJson(added).dump())), added) << "seed " << seed;
  }
}

TEST(PlanViewTest, MockJobEditsRoundTripAndRenderAlike) {
  ir::Job a = drover::testing::MockJob();
  ir::Job b = a;
  b.task_groups[0].count = 5;
  b.task_groups[0].tasks[0].config["image"] = "thedojoseries/frontend:2.0";
  b.task_groups[0].tasks[0].env["PORT"] = "${NOMAD_PORT_http}";
  diff::JobDiff d = diff::Diff(&a, b);
  diff::JobDiff back = JobDiffFromJson(json::parse(diff::ToJson(d).dump()));
  EXPECT_EQ(back, d);
  EXPECT_EQ(diff::RenderJobDiff(back, true, false), diff::RenderJobDiff(d, true, false));
}

}  // namespace
}  // namespace drover::cli
