// The shared Nomad blocks, from canned API JSON: placement metrics, allocation and deployment
// tables, the job list, and job diffs (Nomad's documented examples) through the shared renderer.
#include "runtime/cli/nomad_format.h"

#include <cstdlib>
#include <ctime>

#include <gtest/gtest.h>

#include "runtime/cli/job_diff_text.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kNow = 1725914513 * kSec;

std::string Plain(const std::string& s) { return Colorizer(false).Color(s); }

class NomadFormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

TEST_F(NomadFormatTest, AllocMetricsLinesInNomadOrder) {
  json m = json::parse(R"({
    "NodesEvaluated": 3, "NodesAvailable": {"dc1": 2, "dc2": 0},
    "ClassFiltered": {"gpu": 1},
    "ConstraintFiltered": {"${attr.kernel.name} = windows": 2},
    "NodesExhausted": 1, "ClassExhausted": {"web": 1},
    "DimensionExhausted": {"memory": 1, "cpu": 1}, "QuotaExhausted": ["cpu"]})");
  EXPECT_EQ(FormatAllocMetrics(m, false, "  "),
            "  * No nodes are available in datacenter \"dc2\"\n"
            "  * Class \"gpu\": 1 nodes excluded by filter\n"
            "  * Constraint \"${attr.kernel.name} = windows\": 2 nodes excluded by filter\n"
            "  * Resources exhausted on 1 nodes\n"
            "  * Class \"web\" exhausted on 1 nodes\n"
            "  * Dimension \"cpu\" exhausted on 1 nodes\n"
            "  * Dimension \"memory\" exhausted on 1 nodes\n"
            "  * Quota limit hit \"cpu\"");
  EXPECT_EQ(FormatAllocMetrics(json::object(), false, ""),
            "* No nodes were eligible for evaluation");
}

TEST_F(NomadFormatTest, AllocMetricsScoreTable) {
  json m = json::parse(R"({"NodesEvaluated": 1, "ScoreMetaData": [
    {"NodeID": "n1", "Scores": {"binpack": 0.5, "job-anti-affinity": 0}, "NormScore": 0.25}]})");
  EXPECT_EQ(FormatAllocMetrics(m, true, "  "),
            "Node  binpack  job-anti-affinity  final score\n"
            "n1    0.5      0                  0.25");
}

TEST_F(NomadFormatTest, AllocListRelativeAndVerbose) {
  std::vector<json> stubs = {json::parse(R"({
    "ID": "5e0b39f0-1111-2222-3333-444455556666", "EvalID": "52dee78a-0000-0000-0000-000000000000",
    "NodeID": "3e84d3d2-aaaa-bbbb-cccc-dddddddddddd", "NodeName": "node1", "TaskGroup": "frontend",
    "JobVersion": 0, "DesiredStatus": "run", "ClientStatus": "running",
    "CreateTime": 1725914508000000000, "ModifyTime": 1725914511000000000})")};
  EXPECT_EQ(FormatAllocListStubs(stubs, false, kShortId, kNow),
            "ID        Node ID   Task Group  Version  Desired  Status   Created  Modified\n"
            "5e0b39f0  3e84d3d2  frontend    0        run      running  5s ago   2s ago");
  EXPECT_EQ(FormatAllocListStubs(stubs, true, kFullId, kNow),
            "ID                                    Eval ID                               "
            "Node ID                               Node Name  Task Group  Version  Desired  "
            "Status   Created               Modified\n"
            "5e0b39f0-1111-2222-3333-444455556666  52dee78a-0000-0000-0000-000000000000  "
            "3e84d3d2-aaaa-bbbb-cccc-dddddddddddd  node1      frontend    0        run      "
            "running  2024-09-09T20:41:48Z  2024-09-09T20:41:51Z");
  EXPECT_EQ(FormatAllocListStubs({}, false, kShortId, kNow), "No allocations placed");
}

TEST_F(NomadFormatTest, DeploymentBlockWithCanariesAndDeadline) {
  json d = json::parse(R"({
    "ID": "0b23b149-1111-2222-3333-444444444444", "JobID": "example", "JobVersion": 1,
    "Status": "running", "StatusDescription": "Deployment is running but requires manual promotion",
    "TaskGroups": {
      "web": {"DesiredTotal": 2, "PlacedAllocs": 2, "HealthyAllocs": 2, "ProgressDeadline": 600000000000,
              "RequireProgressBy": "2021-06-09T22:20:27Z"},
      "cache": {"DesiredTotal": 2, "DesiredCanaries": 1, "PlacedAllocs": 1, "Promoted": false,
                "ProgressDeadline": 600000000000, "RequireProgressBy": "2021-06-09T22:20:27Z"}}})");
  EXPECT_EQ(
      Plain(FormatDeployment(d, kShortId)),
      "ID          = 0b23b149\n"
      "Job ID      = example\n"
      "Job Version = 1\n"
      "Status      = running\n"
      "Description = Deployment is running but requires manual promotion\n"
      "\n"
      "Deployed\n"
      "Task Group  Promoted  Desired  Canaries  Placed  Healthy  Unhealthy  Progress Deadline\n"
      "cache       false     2        1         1       0        0          2021-06-09T22:20:27Z\n"
      "web         N/A       2        0         2       2        0          2021-06-09T22:20:27Z");
}

TEST_F(NomadFormatTest, JobListMarksStoppedAndPeriodic) {
  std::vector<json> jobs = {json{{"ID", "batchy"},
                                 {"Type", "batch"},
                                 {"Periodic", true},
                                 {"Priority", 50},
                                 {"Status", "running"},
                                 {"SubmitTime", kNow}},
                            json{{"ID", "web"},
                                 {"Type", "service"},
                                 {"Priority", 50},
                                 {"Status", "dead"},
                                 {"Stop", true},
                                 {"SubmitTime", kNow}}};
  EXPECT_EQ(FormatJobList(jobs, false),
            "ID      Type            Priority  Status          Submit Date\n"
            "batchy  batch/periodic  50        running         2024-09-09T20:41:53Z\n"
            "web     service         50        dead (stopped)  2024-09-09T20:41:53Z");
}

TEST_F(NomadFormatTest, EvalFailureStatus) {
  EXPECT_EQ(EvalFailureStatus(json{{"Status", "blocked"}}), "N/A - In Progress");
  EXPECT_EQ(EvalFailureStatus(json{{"Status", "complete"}}), "false");
  EXPECT_EQ(EvalFailureStatus(json{{"Status", "complete"}, {"FailedTGAllocs", {{"a", {}}}}}),
            "true");
}

TEST_F(NomadFormatTest, DiffOfANewJob) {
  json d = json::parse(R"({"Type": "Added", "ID": "example", "TaskGroups": [
    {"Type": "Added", "Name": "cache", "Updates": {"create": 1},
     "Tasks": [{"Type": "Added", "Name": "redis", "Annotations": ["forces create"],
                "Fields": [{"Type": "Added", "Name": "Driver", "Old": "", "New": "docker"}]}]}]})");
  EXPECT_EQ(Plain(FormatJobDiff(d, false, false)),
            "+ Job: \"example\"\n"
            "+ Task Group: \"cache\" (1 create)\n"
            "  + Task: \"redis\" (forces create)");
  EXPECT_EQ(Plain(FormatJobDiff(d, true, false)),
            "+ Job: \"example\"\n"
            "+ Task Group: \"cache\" (1 create)\n"
            "  + Task: \"redis\" (forces create)\n"
            "    + Driver: \"docker\"");
}

TEST_F(NomadFormatTest, DiffOfACountChange) {
  json d = json::parse(R"({"Type": "Edited", "ID": "example", "TaskGroups": [
    {"Type": "Edited", "Name": "cache", "Updates": {"in-place update": 1, "create": 7},
     "Fields": [{"Type": "Edited", "Name": "Count", "Old": "1", "New": "8",
                 "Annotations": ["forces create"]}],
     "Tasks": [{"Type": "None", "Name": "redis"}]}]})");
  EXPECT_EQ(Plain(FormatJobDiff(d, false, false)),
            "+/- Job: \"example\"\n"
            "+/- Task Group: \"cache\" (7 create, 1 in-place update)\n"
            "  +/- Count: \"1\" => \"8\" (forces create)\n"
            "      Task: \"redis\"");
}

TEST_F(NomadFormatTest, DiffOfAnImageChange) {
  json d = json::parse(R"({"Type": "Edited", "ID": "example", "TaskGroups": [
    {"Type": "Edited", "Name": "cache", "Updates": {"create/destroy update": 3},
     "Tasks": [{"Type": "Edited", "Name": "redis", "Annotations": ["forces create/destroy update"],
       "Objects": [{"Type": "Edited", "Name": "Config", "Fields": [
         {"Type": "Edited", "Name": "image", "Old": "redis:2.8", "New": "redis:7"},
         {"Type": "None", "Name": "port_map[0][db]", "Old": "6379", "New": "6379"}]}]}]}]})");
  EXPECT_EQ(Plain(FormatJobDiff(d, false, false)),
            "+/- Job: \"example\"\n"
            "+/- Task Group: \"cache\" (3 create/destroy update)\n"
            "  +/- Task: \"redis\" (forces create/destroy update)\n"
            "    +/- Config {\n"
            "      +/- image:           \"redis:2.8\" => \"redis:7\"\n"
            "          port_map[0][db]: \"6379\"\n"
            "        }");
}

TEST_F(NomadFormatTest, DiffOfAnUnchangedJob) {
  json d = json::parse(R"({"Type": "None", "ID": "example", "TaskGroups": [
    {"Type": "None", "Name": "cache", "Updates": {"ignore": 1},
     "Tasks": [{"Type": "None", "Name": "redis"}]}]})");
  EXPECT_EQ(Plain(FormatJobDiff(d, false, false)),
            "Job: \"example\"\n"
            "Task Group: \"cache\" (1 ignore)\n"
            "  Task: \"redis\"");
}

TEST_F(NomadFormatTest, DiffColorsMarkersAndAnnotations) {
  json d = json::parse(R"({"Type": "Added", "ID": "x", "TaskGroups": [
    {"Type": "Added", "Name": "g", "Updates": {"create": 1},
     "Tasks": [{"Type": "Added", "Name": "t", "Annotations": ["forces create"]}]}]})");
  std::string colored = FormatJobDiff(d, false, true);
  EXPECT_NE(colored.find("\033[32m+\033[0m \033[1mJob: \"x\""), std::string::npos) << colored;
  EXPECT_NE(colored.find("\033[32mforces create\033[0m"), std::string::npos) << colored;
}

}  // namespace
}  // namespace drover::cli
