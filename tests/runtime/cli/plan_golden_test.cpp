// Golden tests of `drover plan` end to end, for the dojo's phases: each case starts a fresh
// server-only agent (`drover agent -server`, free ports) with one client node that joins over the
// RPC (so the cluster is exactly one node, as in the dojo), runs the earlier versions of the job
// with `drover run -detach` and waits for their allocations to run, then runs
// `drover plan <file>` in tests/golden/plan_cli and compares its stdout with
// tests/golden/plan_cli/<case>.txt byte for byte. The exit code is part of the golden. Every case
// runs twice, each time from a fresh agent, and must print the same bytes.
// DROVER_UPDATE_GOLDEN=1 rewrites the files.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/runtime/cli/e2e_agent.h"

namespace drover::cli {
namespace {

using nlohmann::json;
using testing::AgentProcess;
using testing::FakeClientNode;

struct GoldenCase {
  std::string name;
  std::string description;
  std::vector<std::string> runs;  ///< job files run (and placed) first, in order
  std::string plan;               ///< the job file planned
};

std::vector<GoldenCase> Cases() {
  return {
      {"phase3_new_job",
       "Dojo phase 3: the first plan of the frontend job, nothing running yet.",
       {},
       "frontend/frontend.nomad"},
      {"unchanged",
       "The running job planned again, unchanged.",
       {"frontend/frontend.nomad"},
       "frontend/frontend.nomad"},
      {"count_change", "count 1 -> 3.", {"frontend/frontend.nomad"}, "jobs/count_3.nomad"},
      {"image_change",
       "Docker image thedojoseries/frontend -> thedojoseries/frontend:2.0.",
       {"frontend/frontend.nomad"},
       "jobs/image_2.0.nomad"},
      {"service_tag_change",
       "Dojo phase 9 job, a service tag added: an in-place update.",
       {"jobs/service.nomad"},
       "jobs/service_tag_v2.nomad"},
      {"port_collision",
       "Dojo phase 6: static port 8080 (phase 5, running) scaled to 5 on the one node.",
       {"jobs/static_port.nomad"},
       "jobs/scaling.nomad"},
  };
}

std::string GoldenDir() { return ::drover::testing::SourceDir() + "/tests/golden/plan_cli"; }

struct Rendered {
  std::string text;
  int exit_code = -1;
  std::string failure;  ///< why the case could not run
};

Rendered RenderCase(const GoldenCase& c) {
  Rendered out;
  std::string error;
  auto agent = AgentProcess::Start(AgentProcess::Mode::kServer, &error);
  if (!agent) {
    out.failure = error;
    return out;
  }
  FakeClientNode client(agent->rpc(), "dojo-client");
  if (!client.Start(&error)) {
    out.failure = error;
    return out;
  }
  for (const std::string& file : c.runs) {
    auto r = testing::Drover(agent->address(), "run -detach " + file, GoldenDir());
    if (r.exit_code != 0) {
      out.failure = "run " + file + " failed: " + r.out + r.err;
      return out;
    }
    const std::string id = "frontend";  // every case's job
    bool settled = testing::WaitFor(
        [&] {
          json allocs = testing::ApiGet(agent->address(), "/v1/job/" + id + "/allocations");
          if (!allocs.is_array()) return false;
          int pending = 0, running = 0;
          for (const json& a : allocs) {
            if (a.value("DesiredStatus", "") != "run") continue;
            running += a.value("ClientStatus", "") == "running";
            pending += a.value("ClientStatus", "") == "pending";
          }
          json evals = testing::ApiGet(agent->address(), "/v1/job/" + id + "/evaluations");
          bool evals_done = evals.is_array();
          if (evals_done) {
            for (const json& e : evals) {
              std::string s = e.value("Status", "");
              evals_done &= s == "complete" || s == "blocked" || s == "canceled";
            }
          }
          return evals_done && pending == 0 && running > 0;
        },
        std::chrono::seconds(15));
    if (!settled) {
      out.failure = "allocations of " + file + " did not settle; agent log:\n" + agent->Log();
      return out;
    }
  }
  auto r = testing::Drover(agent->address(), "plan " + c.plan, GoldenDir());
  out.text = r.out;
  out.exit_code = r.exit_code;
  // Compiler warnings (a deprecated task network block in phase 5/6) may go to stderr; errors
  // may not.
  if (r.err.find("error") != std::string::npos) out.failure = "plan failed: " + r.err;
  return out;
}

std::string GoldenText(const GoldenCase& c, const Rendered& r) {
  std::string steps;
  for (const std::string& f : c.runs) steps += "drover run -detach " + f + "; ";
  steps += "drover plan " + c.plan;
  return "# drover plan golden (end to end): " + c.name + "\n# " + c.description +
         "\n# steps: " + steps + "\n# exit code: " + std::to_string(r.exit_code) +
         "\n# ---- output below, byte for byte ----\n" + r.text;
}

class PlanGoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(PlanGoldenTest, MatchesGoldenTwice) {
  const GoldenCase& c = GetParam();
  Rendered first = RenderCase(c);
  ASSERT_TRUE(first.failure.empty()) << first.failure;
  Rendered second = RenderCase(c);
  ASSERT_TRUE(second.failure.empty()) << second.failure;
  EXPECT_EQ(first.text, second.text) << "two runs from fresh agents differ";
  EXPECT_EQ(first.exit_code, second.exit_code);

  std::string path = GoldenDir() + "/" + c.name + ".txt";
  std::string actual = GoldenText(c, first);
  if (::drover::testing::UpdateGoldens()) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " missing; run with DROVER_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, ::drover::testing::ReadFileOrDie(path));
}

INSTANTIATE_TEST_SUITE_P(Dojo, PlanGoldenTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace drover::cli
