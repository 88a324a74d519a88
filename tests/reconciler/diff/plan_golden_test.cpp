// Golden tests of `job plan` text: each case builds a cluster, runs the real scheduler's dry run
// against it, diffs and annotates the job, renders the plan, and compares with
// tests/golden/plan/<case>.txt byte for byte (DROVER_UPDATE_GOLDEN=1 rewrites the files). Each
// case runs twice from scratch and must render the same bytes.
#include <filesystem>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "reconciler/diff/annotate.h"
#include "reconciler/diff/plan_text.h"
#include "reconciler/scheduler/scheduler.h"
#include "tests/support/builders.h"
#include "tests/support/test_paths.h"

namespace drover::diff {
namespace {

constexpr model::Time kNow = 1'700'000'000'000'000'000;

// The dojo's job: frontend / frontend / docker thedojoseries/frontend.
ir::Job Frontend() {
  ir::Job job;
  job.region = "global";
  job.namespace_ = "default";
  job.id = "frontend";
  job.name = "frontend";
  job.type = ir::JobType::kService;
  job.priority = 50;
  job.datacenters = {"dc1"};
  job.node_pool = "default";
  ir::TaskGroup tg;
  tg.name = "frontend";
  tg.count = 1;
  ir::Task task;
  task.name = "frontend";
  task.driver = "docker";
  task.config = {{"image", "thedojoseries/frontend"}};
  task.resources.cpu = 100;
  task.resources.memory_mb = 300;
  task.kill_timeout = std::chrono::seconds(5);
  tg.tasks.push_back(task);
  job.task_groups.push_back(tg);
  return job;
}

// Phase 5: port 8080 on the host, in the task's legacy network block.
ir::Job FrontendStaticPort() {
  ir::Job job = Frontend();
  ir::NetworkResource net;
  net.reserved_ports.push_back(ir::Port{"http", 8080, 0, "", {}});
  job.task_groups[0].tasks[0].resources.networks.push_back(net);
  return job;
}

ir::Job WithService(ir::Job job, std::vector<std::string> tags) {
  ir::Service svc;
  svc.name = "frontend";
  svc.port_label = "http";
  svc.tags = std::move(tags);
  job.task_groups[0].tasks[0].services.push_back(svc);
  ir::NetworkResource net;
  net.dynamic_ports.push_back(ir::Port{"http", 0, 8080, "", {}});
  job.task_groups[0].networks.push_back(net);
  return job;
}

// A `nomad agent -dev` client: one node with docker.
model::Node DevNode(const std::string& name) {
  model::Node n = testing::MockNode();
  n.name = name;
  n.node_class = "";
  n.attributes["driver.docker"] = "1";
  n.drivers["docker"] = model::DriverInfo{true, true, "Healthy", {}, 0};
  n.resources.networks[0].ip = "10.0.4.99";
  return n;
}

struct Cluster {
  model::State state;
  model::Index index = 1;

  model::Id AddNode(model::Node n) {
    state.UpsertNode(n, ++index);
    return n.id;
  }
  // Registers `spec` and runs its evaluation to completion; allocations then report running.
  void Run(const ir::Job& spec) {
    testing::UpsertJob(state, spec, ++index);
    scheduler::ProcessEvaluation(state, testing::RegisterEval(spec), kNow, 7, {},
                                 [&] { return ++index; });
    for (const model::Allocation* a : state.AllocsByJob({"default", spec.id})) {
      if (a->IsTerminal() || a->client_status == model::ClientStatus::kRunning) continue;
      model::Allocation running = *a;
      running.client_status = model::ClientStatus::kRunning;
      state.UpsertAlloc(running, ++index);
    }
  }
};

struct GoldenCase {
  std::string name;
  std::string description;
  std::function<void(Cluster&)> setup;
  std::function<ir::Job()> spec;
  std::string path = "frontend.nomad";
  std::vector<std::string> vars;
  std::vector<std::string> var_files;
  bool verbose = false;
  bool color = false;
};

struct Rendered {
  std::string text;
  int exit_code;
};

Rendered RenderCase(const GoldenCase& c) {
  Cluster cluster;
  c.setup(cluster);
  ir::Job spec = c.spec();
  scheduler::DryRunResult dry = scheduler::DryRun(cluster.state, spec, kNow, 11);
  const ir::Job* old = dry.old_version ? &dry.old_version->spec : nullptr;
  JobDiff diff = Diff(old, spec, DiffOptions{dry.old_version && dry.old_version->stop, false});
  Annotate(diff, dry.result.plan.desired_tg_updates);
  PlanView view;
  view.diff = std::move(diff);
  view.desired_tg_updates = dry.result.plan.desired_tg_updates;
  view.failed_tg_allocs = dry.result.plan.failed_tg_allocs;
  view.job_type = std::string(ir::ToString(spec.type.value_or(ir::JobType::kService)));
  view.job_modify_index = dry.job_modify_index;
  view.vars = c.vars;
  view.var_files = c.var_files;
  view.path = c.path;
  view.verbose = c.verbose;
  view.color = c.color;
  return {RenderPlan(view), PlanExitCode(dry.result.plan.desired_tg_updates)};
}

std::string GoldenFile(const GoldenCase& c, const Rendered& r) {
  std::string out = "# drover job plan golden: " + c.name + "\n";
  out += "# " + c.description + "\n";
  out += "# exit code: " + std::to_string(r.exit_code) + "\n";
  out += "# ---- output below, byte for byte ----\n";
  return out + r.text;
}

std::vector<GoldenCase> Cases() {
  std::vector<GoldenCase> cases;
  auto add = [&](std::string name, std::string description, std::function<void(Cluster&)> setup,
                 std::function<ir::Job()> spec) -> GoldenCase& {
    GoldenCase c;
    c.name = std::move(name);
    c.description = std::move(description);
    c.setup = std::move(setup);
    c.spec = std::move(spec);
    cases.push_back(std::move(c));
    return cases.back();
  };
  auto dev = [](Cluster& c) { c.AddNode(DevNode("dev")); };
  auto running = [](ir::Job job) {
    return [job](Cluster& c) {
      c.AddNode(DevNode("dev"));
      c.Run(job);
    };
  };

  add("new_job", "Dojo phase 3: a new job frontend (one group, one docker task) on a dev agent.",
      dev, Frontend)
      .path = "frontend/frontend.nomad";
  GoldenCase& verbose =
      add("new_job_verbose", "The same new job with -verbose: groups and tasks expanded.", dev,
          Frontend);
  verbose.path = "frontend/frontend.nomad";
  verbose.verbose = true;
  GoldenCase& color = add("new_job_color", "The same new job with colours (ANSI escapes).", dev,
                          Frontend);
  color.path = "frontend/frontend.nomad";
  color.color = true;
  add("count_1_to_5", "The running job scaled from 1 to 5: 4 created, 1 updated in place.",
      running(Frontend()), [] {
        ir::Job j = Frontend();
        j.task_groups[0].count = 5;
        return j;
      });
  GoldenCase& image = add(
      "image_change",
      "Dojo phase 12 without canaries: a new image replaces the allocation; -var and -var-file "
      "are repeated in the hint.",
      running(Frontend()), [] {
        ir::Job j = Frontend();
        j.task_groups[0].tasks[0].config["image"] = "thedojoseries/frontend:2.0";
        return j;
      });
  image.vars = {"image=thedojoseries/frontend:2.0"};
  image.var_files = {"prod.vars.hcl"};
  add("service_tag_change", "Dojo phase 11: a service tag changes, updated in place.",
      running(WithService(Frontend(), {"urlprefix-/"})),
      [] { return WithService(Frontend(), {"urlprefix-/", "v2"}); });
  add("port_collision", "Dojo phase 6: static port 8080 and count 5 (scaling min 5) on one node.",
      running(FrontendStaticPort()), [] {
        ir::Job j = FrontendStaticPort();
        j.task_groups[0].count = 5;
        ir::ScalingPolicy s;
        s.enabled = true;
        s.min = 5;
        s.max = 10;
        s.policy = nlohmann::json::object();
        j.task_groups[0].scaling = s;
        return j;
      })
      .path = "frontend/frontend.nomad";
  add("unchanged", "The running job planned again unchanged: nothing to do, exit 0.",
      running(Frontend()), Frontend);
  add("unchanged_needs_placement",
      "Unchanged spec, but a node went down: the lost allocation is replaced, so the exit code "
      "is 1 (hashicorp/nomad#20502 fixed).",
      [](Cluster& c) {
        c.AddNode(DevNode("client-1"));
        c.AddNode(DevNode("client-2"));
        ir::Job j = Frontend();
        j.task_groups[0].count = 2;
        c.Run(j);
        // Take down the node of the allocation with the lowest name index.
        model::Id victim;
        for (const model::Allocation* a : c.state.AllocsByJob({"default", "frontend"})) {
          if (a->index == 0) victim = a->node_id;
        }
        model::Node n = *c.state.GetNode(victim);
        n.status = model::NodeStatus::kDown;
        c.state.UpsertNode(n, ++c.index);
      },
      [] {
        ir::Job j = Frontend();
        j.task_groups[0].count = 2;
        return j;
      });
  add("constraint_filtered", "No linux node: both nodes are filtered by the job's kernel constraint.",
      [](Cluster& c) {
        for (int i = 0; i < 2; ++i) {
          model::Node n = DevNode("win-" + std::to_string(i));
          n.attributes["kernel.name"] = "windows";
          n.attributes["os.version"] = std::to_string(10 + i);  // distinct computed classes
          c.AddNode(n);
        }
      },
      [] {
        ir::Job j = Frontend();
        j.constraints.push_back(
            testing::MakeConstraint("${attr.kernel.name}", ir::ConstraintOp::kEqual, "linux"));
        return j;
      });
  return cases;
}

class PlanGoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(PlanGoldenTest, MatchesGolden) {
  const GoldenCase& c = GetParam();
  Rendered first = RenderCase(c);
  Rendered second = RenderCase(c);
  ASSERT_EQ(first.text, second.text) << "rendering is not deterministic";
  ASSERT_EQ(first.exit_code, second.exit_code);
  std::string actual = GoldenFile(c, first);
  std::string path = testing::SourceDir() + "/tests/golden/plan/" + c.name + ".txt";
  if (testing::UpdateGoldens()) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << path;
  }
  EXPECT_EQ(actual, testing::ReadFileOrDie(path)) << "golden " << path;
}

INSTANTIATE_TEST_SUITE_P(Plans, PlanGoldenTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& info) {
                           return info.param.name;
                         });

// The rule the goldens rely on, spelled out.
TEST(PlanExitCodeTest, ChangesToAllocationsExitOne) {
  model::DesiredUpdates d;
  EXPECT_EQ(PlanExitCode({{"web", d}}), 0);
  d.in_place_update = 3;
  d.ignore = 2;
  EXPECT_EQ(PlanExitCode({{"web", d}}), 0);
  for (uint64_t model::DesiredUpdates::*field :
       {&model::DesiredUpdates::place, &model::DesiredUpdates::stop,
        &model::DesiredUpdates::migrate, &model::DesiredUpdates::destructive_update,
        &model::DesiredUpdates::canary}) {
    model::DesiredUpdates x;
    x.*field = 1;
    EXPECT_EQ(PlanExitCode({{"web", x}}), 1);
  }
}

TEST(ColorizeTest, KnownCodesOnly) {
  EXPECT_EQ(Colorize("[bold]x[reset] port_map[0][db]", false), "x port_map[0][db]");
  EXPECT_EQ(Colorize("[green]+[reset]", true), "\033[32m+\033[0m\033[0m");
  EXPECT_EQ(Colorize("plain", true), "plain");
}

TEST(GoQuoteTest, EscapesLikeGo) {
  EXPECT_EQ(GoQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(GoQuote("tab\there\n"), "\"tab\\there\\n\"");
  EXPECT_EQ(GoQuote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(GoQuote(std::string("\x01", 1)), "\"\\x01\"");
}

}  // namespace
}  // namespace drover::diff
