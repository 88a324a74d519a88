// Rolling deployments on a real `drover agent -dev` with raw_exec tasks (no docker needed): a
// three-allocation service job with `update { max_parallel = 1, min_healthy_time = "1s" }` is
// updated destructively (an env change) and rolls one allocation at a time to a successful
// deployment; an update whose task exits 1 fails its deployment and, with auto_revert, the job
// goes back to the last stable version. The agent is stopped by PID; its tasks with it.
#include <map>
#include <string>
#include <vector>

#include "tests/runtime/client/agent_harness.h"

namespace drover::testing {
namespace {

std::string RollJob(const std::string& version, const std::string& script, bool auto_revert) {
  return R"(job "roll" {
  datacenters = ["dc1"]
  group "app" {
    count = 3
    update {
      max_parallel      = 1
      min_healthy_time  = "1s"
      healthy_deadline  = "20s"
      progress_deadline = "1m"
      auto_revert       = )" +
         std::string(auto_revert ? "true" : "false") + R"(
    }
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    task "app" {
      driver = "raw_exec"
      env {
        VERSION = ")" +
         version + R"("
      }
      config {
        command = "/bin/sh"
        args    = ["-c", ")" +
         script + R"("]
      }
    }
  }
}
)";
}

bool Healthy(const json& a) {
  const json& ds = a.contains("DeploymentStatus") ? a["DeploymentStatus"] : json();
  return ds.is_object() && ds.value("Healthy", json()) == json(true);
}

class RollingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = std::make_unique<TempDir>("drover-rolling");
    agent_ =
        Agent::Start({"-dev", "-data-dir", data_->path(), "-http-port", "0", "-rpc-port", "0"});
    ASSERT_NE(agent_, nullptr);
    ASSERT_TRUE(agent_->WaitNodes(1, "raw_exec", 30s)) << agent_->Logs();
  }
  void TearDown() override {
    if (agent_) agent_->Stop();
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = data_->path() + "/" + name;
    WriteFile(path, text);
    return path;
  }
  /// `drover job run` (monitoring the evaluation and the deployment).
  CommandResult RunMonitored(const std::string& file) {
    return agent_->Cli("job run -address " + agent_->Address() + " " + file);
  }
  json Stubs() { return agent_->GetJson("/v1/job/roll/allocations"); }
  json Deployment() { return agent_->GetJson("/v1/job/roll/deployment"); }

  std::unique_ptr<TempDir> data_;
  std::unique_ptr<Agent> agent_;
};

TEST_F(RollingTest, DestructiveUpdateRollsOneAtATimeToASuccessfulDeployment) {
  const std::string kScript = "sleep 600";
  CommandResult run = RunMonitored(Write("v0.nomad", RollJob("1", kScript, false)));
  ASSERT_EQ(run.exit_code, 0) << run.out << agent_->Logs();
  EXPECT_NE(run.out.find("Status      = successful"), std::string::npos) << run.out;
  json d0 = Deployment();
  ASSERT_EQ(d0.value("Status", ""), "successful") << d0.dump();
  EXPECT_EQ(d0["TaskGroups"]["app"]["HealthyAllocs"], 3);
  EXPECT_EQ(agent_->GetJson("/v1/job/roll").value("Stable", false), true);

  // Version 1: a new env value is a destructive change. Submit without waiting and watch the
  // allocations while the deployment rolls.
  CommandResult submit = agent_->RunJob(Write("v1.nomad", RollJob("2", kScript, false)));
  ASSERT_EQ(submit.exit_code, 0) << submit.out;
  int samples = 0, worst = 0;
  std::string worst_sample;
  bool done = Eventually(
      [&] {
        json stubs = Stubs();
        if (!stubs.is_array()) return false;
        int old_stopped = 0, new_healthy = 0, new_running = 0;
        for (const json& a : stubs) {
          bool is_new = a.value("JobVersion", -1) == 1;
          if (!is_new && a.value("DesiredStatus", "") != "run") ++old_stopped;
          if (is_new && Healthy(a)) ++new_healthy;
          if (is_new && a.value("ClientStatus", "") == "running" &&
              a.value("DesiredStatus", "") == "run") {
            ++new_running;
          }
        }
        ++samples;
        // Old allocations stopped whose replacement is not healthy yet: max_parallel = 1.
        if (old_stopped - new_healthy > worst) {
          worst = old_stopped - new_healthy;
          worst_sample = stubs.dump();
        }
        return new_running == 3 && new_healthy == 3 &&
               Deployment().value("Status", "") == "successful";
      },
      60s);
  ASSERT_TRUE(done) << Deployment().dump() << "\n" << Stubs().dump() << agent_->Logs();
  EXPECT_LE(worst, 1) << worst_sample;
  EXPECT_GT(samples, 3);  // the rollout was watched, not just its end

  json d1 = Deployment();
  EXPECT_EQ(d1["JobVersion"], 1);
  EXPECT_EQ(d1["StatusDescription"], "Deployment completed successfully");
  EXPECT_EQ(d1["TaskGroups"]["app"]["DesiredTotal"], 3);
  EXPECT_EQ(d1["TaskGroups"]["app"]["PlacedAllocs"], 3);
  EXPECT_EQ(d1["TaskGroups"]["app"]["HealthyAllocs"], 3);
  EXPECT_EQ(d1["TaskGroups"]["app"]["UnhealthyAllocs"], 0);

  // From the stored indexes: each replacement was placed only after the previous one was
  // reported healthy, and every old allocation was stopped.
  std::vector<json> fresh;
  for (const json& a : agent_->Allocs("roll")) {
    if (a.value("JobVersion", -1) == 1) {
      fresh.push_back(a);
    } else {
      EXPECT_EQ(a.value("DesiredStatus", ""), "stop") << a.dump();
    }
  }
  ASSERT_EQ(fresh.size(), 3u);
  for (size_t i = 0; i < fresh.size(); ++i) {
    EXPECT_EQ(fresh[i]["DeploymentID"], d1["ID"]);
    if (i == 0) continue;
    uint64_t healthy_at = fresh[i - 1]["DeploymentStatus"].value("ModifyIndex", uint64_t{0});
    EXPECT_GT(fresh[i].value("CreateIndex", uint64_t{0}), healthy_at)
        << "allocation " << i << " placed before " << i - 1 << " was healthy";
  }
  json job = agent_->GetJson("/v1/job/roll");
  EXPECT_EQ(job["Version"], 1);
  EXPECT_EQ(job["Stable"], true);
  EXPECT_EQ(job["TaskGroups"][0]["Tasks"][0]["Env"]["VERSION"], "2");
  EXPECT_EQ(agent_->GetJson("/v1/job/roll/deployments").size(), 2u);
}

TEST_F(RollingTest, AFailingVersionIsRevertedToTheLastStableOne) {
  CommandResult run = RunMonitored(Write("v0.nomad", RollJob("1", "sleep 600", true)));
  ASSERT_EQ(run.exit_code, 0) << run.out << agent_->Logs();
  ASSERT_EQ(Deployment().value("Status", ""), "successful");

  // Version 1 exits 1 shortly after it starts: its first allocation is unhealthy, cannot be
  // rescheduled (attempts = 0), and the deployment fails and rolls back. `job run` follows the
  // failed deployment, then the rollback's, and exits 1.
  run = RunMonitored(Write("v1.nomad", RollJob("2", "sleep 0.3; exit 1", true)));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("Status      = failed\nDescription = Failed due to unhealthy "
                         "allocations - rolling back to job version 0\n"),
            std::string::npos)
      << run.out;

  json deployments = agent_->GetJson("/v1/job/roll/deployments");
  ASSERT_TRUE(deployments.is_array());
  ASSERT_GE(deployments.size(), 2u) << deployments.dump();
  std::map<int, json> by_version;
  for (const json& d : deployments) by_version[d.value("JobVersion", -1)] = d;
  ASSERT_TRUE(by_version.count(1)) << deployments.dump();
  EXPECT_EQ(by_version[1]["Status"], "failed");
  EXPECT_EQ(by_version[1]["TaskGroups"]["app"]["UnhealthyAllocs"], 1);

  // The revert is version 2 with version 0's specification; it becomes stable once its own
  // deployment succeeds, and three allocations run it.
  bool reverted = Eventually(
      [&] {
        json job = agent_->GetJson("/v1/job/roll");
        if (job.value("Version", -1) != 2 || !job.value("Stable", false)) return false;
        int running = 0;
        for (const json& a : Stubs()) {
          running += a.value("JobVersion", -1) == 2 && a.value("ClientStatus", "") == "running" &&
                     a.value("DesiredStatus", "") == "run";
        }
        return running == 3;
      },
      60s);
  json job = agent_->GetJson("/v1/job/roll");
  ASSERT_TRUE(reverted) << job.dump() << "\n" << Stubs().dump() << agent_->Logs();
  EXPECT_EQ(job["TaskGroups"][0]["Tasks"][0]["Env"]["VERSION"], "1");
  json latest = Deployment();
  EXPECT_EQ(latest["JobVersion"], 2);
  EXPECT_EQ(latest["Status"], "successful") << latest.dump();
  json versions = agent_->GetJson("/v1/job/roll/versions");
  ASSERT_EQ(versions["Versions"].size(), 3u);
  for (const json& v : versions["Versions"]) {
    // Newest first: 2 (stable), 1 (failed, not stable), 0 (stable).
    EXPECT_EQ(v["Stable"], v["Version"] != 1) << v["Version"];
  }
  // Nothing of version 1 still runs.
  for (const json& a : Stubs()) {
    if (a.value("JobVersion", -1) == 1) {
      EXPECT_NE(a.value("ClientStatus", ""), "running") << a.dump();
    }
  }
}

}  // namespace
}  // namespace drover::testing
