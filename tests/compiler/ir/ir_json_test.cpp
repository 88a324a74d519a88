// The Nomad API JSON form of the IR: round trips (random jobs from seeds and hand-written cases),
// error paths, and the field names and shapes of real Nomad output (the autoscaler goldens).
#include "compiler/ir/ir_json.h"

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "tests/support/mock_job.h"
#include "tests/support/test_paths.h"

namespace drover::ir {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

std::string ErrorOf(llvm::Expected<Job> result) {
  if (result) return "";
  return llvm::toString(result.takeError());
}

TEST(IrJsonTest, RandomJobsRoundTrip) {
  constexpr uint64_t kSeeds = 400;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Job job = testing::RandomJob(seed);
    json encoded = JobToApiJson(job);
    llvm::Expected<Job> decoded = JobFromApiJson(encoded);
    ASSERT_TRUE(static_cast<bool>(decoded)) << llvm::toString(decoded.takeError());
    EXPECT_TRUE(*decoded == job);
    // Through text as well: what a client sends is the serialized form.
    llvm::Expected<Job> reparsed = JobFromApiJson(json::parse(encoded.dump()));
    ASSERT_TRUE(static_cast<bool>(reparsed)) << llvm::toString(reparsed.takeError());
    EXPECT_TRUE(*reparsed == job);
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(IrJsonTest, RandomJobsDiffer) {
  // Guards the property above against a generator that builds the same job every time.
  EXPECT_FALSE(testing::RandomJob(1) == testing::RandomJob(2));
  EXPECT_TRUE(testing::RandomJob(7) == testing::RandomJob(7));
}

TEST(IrJsonTest, MockJobRoundTripsAndUsesNomadNames) {
  Job job = testing::MockJob();
  json j = JobToApiJson(job);
  EXPECT_EQ(j["ID"], "web");
  EXPECT_EQ(j["Type"], "service");
  EXPECT_EQ(j["Datacenters"], json::array({"dc1"}));
  const json& g = j["TaskGroups"][0];
  EXPECT_EQ(g["Count"], 2);
  EXPECT_EQ(g["RestartPolicy"]["Interval"], 1800000000000LL);
  EXPECT_EQ(g["RestartPolicy"]["Mode"], "fail");
  EXPECT_EQ(g["ReschedulePolicy"]["DelayFunction"], "exponential");
  EXPECT_EQ(g["Networks"][0]["DynamicPorts"][0],
            (json{{"Label", "http"}, {"Value", 0}, {"To", 8080}, {"HostNetwork", "default"}}));
  EXPECT_EQ(g["Networks"][0]["ReservedPorts"][0]["Value"], 9000);
  EXPECT_EQ(g["Services"][0]["PortLabel"], "http");
  EXPECT_EQ(g["Services"][0]["Checks"][0]["Interval"], 10000000000LL);
  EXPECT_EQ(g["Services"][0]["Checks"][0]["Type"], "http");
  const json& t = g["Tasks"][0];
  EXPECT_EQ(t["Driver"], "docker");
  EXPECT_EQ(t["Config"]["image"], "nginx:1.25");
  EXPECT_EQ(t["Resources"]["CPU"], 100);
  EXPECT_EQ(t["Resources"]["MemoryMB"], 300);
  EXPECT_EQ(t["KillTimeout"], 5000000000LL);
  EXPECT_EQ(t["LogConfig"]["MaxFileSizeMB"], 10);
  EXPECT_TRUE(t["Env"].is_null());
  // The job-level update in server form prints an empty health check, as Nomad does.
  EXPECT_EQ(j["Update"]["HealthCheck"], "");
  EXPECT_EQ(j["Update"]["MaxParallel"], 1);

  llvm::Expected<Job> back = JobFromApiJson(j);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_TRUE(*back == job);
}

TEST(IrJsonTest, UnsetOptionalsAreNull) {
  Job job;
  job.id = "bare";
  TaskGroup g;
  g.name = "g";
  Task t;
  t.name = "t";
  g.tasks.push_back(t);
  job.task_groups.push_back(g);
  json j = JobToApiJson(job);
  EXPECT_TRUE(j["Type"].is_null());
  EXPECT_TRUE(j["Priority"].is_null());
  EXPECT_TRUE(j["Datacenters"].is_null());
  EXPECT_TRUE(j["Update"].is_null());
  EXPECT_TRUE(j["TaskGroups"][0]["Count"].is_null());
  EXPECT_TRUE(j["TaskGroups"][0]["RestartPolicy"].is_null());
  EXPECT_TRUE(j["TaskGroups"][0]["Tasks"][0]["Resources"].is_null());
  EXPECT_TRUE(j["TaskGroups"][0]["Tasks"][0]["Config"].is_null());
  EXPECT_TRUE(j["TaskGroups"][0]["Tasks"][0]["KillTimeout"].is_null());
  EXPECT_FALSE(j.contains("ConsulToken"));
  EXPECT_FALSE(j.contains("VaultToken"));
}

TEST(IrJsonTest, PeriodicSpecAndSpecs) {
  Job job;
  job.periodic = PeriodicConfig{};
  job.periodic->specs = {"*/5 * * * *"};
  json j = JobToApiJson(job);
  EXPECT_EQ(j["Periodic"]["Spec"], "*/5 * * * *");
  EXPECT_TRUE(j["Periodic"]["Specs"].is_null());
  job.periodic->specs = {"0 1 * * *", "0 2 * * *"};
  j = JobToApiJson(job);
  EXPECT_EQ(j["Periodic"]["Spec"], "");
  EXPECT_EQ(j["Periodic"]["Specs"].size(), 2u);
  llvm::Expected<Job> back = JobFromApiJson(j);
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->periodic->specs, job.periodic->specs);
}

TEST(IrJsonTest, AcceptsTheJobWrapper) {
  json inner = JobToApiJson(testing::MockJob());
  llvm::Expected<Job> a = JobFromApiJson(json{{"Job", inner}});
  ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
  EXPECT_TRUE(*a == testing::MockJob());
}

TEST(IrJsonTest, IgnoresUnknownFields) {
  json j = JobToApiJson(testing::MockJob());
  j["Status"] = "running";
  j["CreateIndex"] = 27;
  j["SomethingNew"] = json{{"x", 1}};
  j["TaskGroups"][0]["PreventRescheduleOnLost"] = false;
  j["TaskGroups"][0]["Tasks"][0]["Actions"] = nullptr;
  llvm::Expected<Job> back = JobFromApiJson(j);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_TRUE(*back == testing::MockJob());
}

TEST(IrJsonTest, WrongTypesNameTheirPath) {
  json base = JobToApiJson(testing::MockJob());
  struct Case {
    std::function<void(json&)> mutate;
    std::string error;
  };
  std::vector<Case> cases = {
      {[](json& j) { j["TaskGroups"][0]["Count"] = "3"; },
       "Job.TaskGroups[0].Count: expected a number, got string"},
      {[](json& j) { j["TaskGroups"][0]["Tasks"][0]["Resources"]["MemoryMB"] = true; },
       "Job.TaskGroups[0].Tasks[0].Resources.MemoryMB: expected a number, got boolean"},
      {[](json& j) { j["Datacenters"] = "dc1"; }, "Job.Datacenters: expected an array, got string"},
      {[](json& j) {
         j["Datacenters"] = json::array({"dc1", 2});
       },
       "Job.Datacenters[1]: expected a string, got number"},
      {[](json& j) { j["Type"] = "daemon"; },
       "Job.Type: unknown value \"daemon\"; expected one of \"service\", \"batch\", \"system\", "
       "\"sysbatch\""},
      {[](json& j) { j["TaskGroups"] = json::object(); },
       "Job.TaskGroups: expected an array, got object"},
      {[](json& j) { j["TaskGroups"][0]["Count"] = 4294967296LL; },
       "Job.TaskGroups[0].Count: number 4294967296 is out of range [-2147483648, 2147483647]"},
      {[](json& j) { j["TaskGroups"][0]["Count"] = 1.5; },
       "Job.TaskGroups[0].Count: expected an integer, got 1.5"},
      {[](json& j) { j["TaskGroups"][0]["Services"][0]["Checks"][0]["Interval"] = "10s"; },
       "Job.TaskGroups[0].Services[0].Checks[0].Interval: expected a number (nanoseconds), got "
       "string"},
      {[](json& j) {
         j["Meta"] = json{{"k", 1}};
       },
       "Job.Meta.k: expected a string, got number"},
      {[](json& j) { j["TaskGroups"][0]["Tasks"][0]["Config"] = json::array(); },
       "Job.TaskGroups[0].Tasks[0].Config: expected an object, got array"},
      {[](json& j) { j["TaskGroups"][0]["Update"] = 5; },
       "Job.TaskGroups[0].Update: expected an object, got number"},
      {[](json& j) {
         j["Affinities"] = json::array({json{{"Weight", 300}}});
       },
       "Job.Affinities[0].Weight: number 300 is out of range [-128, 127]"},
  };
  for (const Case& c : cases) {
    json j = base;
    c.mutate(j);
    EXPECT_EQ(ErrorOf(JobFromApiJson(j)), c.error);
  }
  EXPECT_EQ(ErrorOf(JobFromApiJson(json::array())), "Job: expected an object, got array");
  EXPECT_EQ(ErrorOf(JobFromApiJson(json(nullptr))), "Job: expected an object, got null");
  EXPECT_EQ(ErrorOf(JobFromApiJson(json{{"Job", 3}})), "");  // a job object with a field "Job"
}

TEST(IrJsonTest, NeverThrowsOnArbitraryValues) {
  // Every field of the mock job replaced by values of every JSON type: the decoder returns a
  // value or an error, and never throws.
  json base = JobToApiJson(testing::MockJob());
  std::vector<json> values = {
      nullptr, true, -1, 1u << 31, 3.25, "x", json::array({1, "a"}), json{{"k", json::array()}}};
  std::function<void(json&, std::vector<json*>&)> collect = [&](json& node,
                                                                std::vector<json*>& out) {
    out.push_back(&node);
    if (node.is_object() || node.is_array()) {
      for (auto& child : node) collect(child, out);
    }
  };
  json copy = base;
  std::vector<json*> nodes;
  collect(copy, nodes);
  size_t tried = 0;
  for (size_t i = 1; i < nodes.size(); ++i) {
    for (const json& v : values) {
      json mutated = base;
      std::vector<json*> mutated_nodes;
      collect(mutated, mutated_nodes);
      *mutated_nodes[i] = v;
      EXPECT_NO_THROW({
        llvm::Expected<Job> r = JobFromApiJson(mutated);
        if (!r) llvm::consumeError(r.takeError());
      });
      ++tried;
    }
  }
  EXPECT_GT(tried, 500u);
}

TEST(IrJsonTest, RefusesAbsurdlyDeepOpaqueJson) {
  // Built in place (no copies: copying a json value recurses, which is what the decoder guards
  // against).
  json config = json::object();
  json* cur = &config["args"];
  for (int i = 0; i < 100000; ++i) {
    *cur = json::array();
    cur->push_back(nullptr);
    cur = &(*cur)[0];
  }
  json j = JobToApiJson(testing::MockJob());
  j["TaskGroups"][0]["Tasks"][0]["Config"] = std::move(config);
  EXPECT_EQ(ErrorOf(JobFromApiJson(j)),
            "Job.TaskGroups[0].Tasks[0].Config: nested more than 64 levels deep");
  // Moderate nesting is kept as is.
  json ok = JobToApiJson(testing::MockJob());
  json nested = "x";
  for (int i = 0; i < 20; ++i) nested = json{{"k", std::move(nested)}};
  ok["TaskGroups"][0]["Tasks"][0]["Config"]["mount"] = nested;
  llvm::Expected<Job> back = JobFromApiJson(ok);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->task_groups[0].tasks[0].config["mount"], nested);
}

// ---- the autoscaler goldens (real Nomad `job inspect` output) ----------------------------------

std::filesystem::path GoldenDir() {
  return std::filesystem::path(testing::CorpusDir()) /
         "jobs/hashicorp__nomad-autoscaler/policy/nomad/test-fixtures";
}

std::vector<std::filesystem::path> Goldens() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(GoldenDir())) {
    if (e.path().string().ends_with(".json.golden")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Fields a Nomad server adds that the IR does not model (server state, newer Nomad versions).
const std::set<std::string>& ServerOnlyFields() {
  static const std::set<std::string> kFields = {
      // Job: server state and post-1.6 additions
      "CreateIndex", "ModifyIndex", "JobModifyIndex", "SubmitTime", "Status", "StatusDescription",
      "Stable", "Stop", "Version", "VersionTag", "NomadTokenID", "DispatchIdempotencyToken", "UI",
      // ScalingPolicy: server-assigned
      "ID", "Namespace",
      // TaskGroup / Task / Resources / LogConfig / Identity additions after 1.6
      "Disconnect", "PreventRescheduleOnLost", "Actions", "Consul", "Schedule", "NUMA", "SecretsMB",
      "Enabled", "Filepath"};
  return kFields;
}

/// Fields drover prints that these newer goldens omit (omitempty or renamed upstream).
const std::set<std::string>& DroverOnlyFields() {
  static const std::set<std::string> kFields = {"CSIPluginConfig"};
  return kFields;
}

void CompareShapes(const json& ours, const json& golden, const std::string& path,
                   std::vector<std::string>& problems) {
  if (ours.is_object() && golden.is_object()) {
    for (const auto& [key, value] : ours.items()) {
      if (!golden.contains(key)) {
        if (!DroverOnlyFields().count(key)) problems.push_back(path + "." + key + " (extra)");
        continue;
      }
      CompareShapes(value, golden[key], path + "." + key, problems);
    }
    for (const auto& [key, value] : golden.items()) {
      if (!ours.contains(key) && !ServerOnlyFields().count(key)) {
        problems.push_back(path + "." + key + " (missing)");
      }
    }
    return;
  }
  if (ours.is_array() && golden.is_array() && ours.size() == golden.size()) {
    for (size_t i = 0; i < ours.size(); ++i) {
      CompareShapes(ours[i], golden[i], path + "[" + std::to_string(i) + "]", problems);
    }
    return;
  }
  if (ours != golden) problems.push_back(path + ": " + ours.dump() + " != " + golden.dump());
}

TEST(IrJsonTest, AutoscalerGoldensDecodeAndReencodeToTheSameShape) {
  std::vector<std::filesystem::path> goldens = Goldens();
  ASSERT_EQ(goldens.size(), 28u) << GoldenDir();
  for (const auto& path : goldens) {
    SCOPED_TRACE(path.filename().string());
    json golden = json::parse(testing::ReadFileOrDie(path.string()));
    llvm::Expected<Job> job = JobFromApiJson(golden);
    ASSERT_TRUE(static_cast<bool>(job)) << llvm::toString(job.takeError());
    std::vector<std::string> problems;
    CompareShapes(JobToApiJson(*job), golden["Job"], "Job", problems);
    EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
  }
}

}  // namespace
}  // namespace drover::ir
