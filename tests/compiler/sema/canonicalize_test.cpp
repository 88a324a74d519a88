// Canonicalize: Nomad's defaults, table by table, its idempotence, and the end-to-end check
// against real Nomad output (the autoscaler goldens).
#include "compiler/sema/canonicalize.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "compiler/ir/ir_json.h"
#include "compiler/sema/validate.h"
#include "tests/support/mock_job.h"
#include "tests/support/test_paths.h"

namespace drover::sema {
namespace {

using namespace std::chrono_literals;
using ir::Duration;
using json = nlohmann::json;

/// A job with one group "g" and one task "t" and nothing else written.
ir::Job Bare(std::optional<ir::JobType> type = std::nullopt) {
  ir::Job job;
  job.id = "app";
  job.type = type;
  ir::TaskGroup g;
  g.name = "g";
  ir::Task t;
  t.name = "t";
  t.driver = "exec";
  g.tasks.push_back(t);
  job.task_groups.push_back(g);
  return job;
}

ir::Job Canonical(ir::Job job) {
  Canonicalize(job);
  return job;
}

TEST(CanonicalizeTest, MockJobIsAFixedPoint) {
  ir::Job job = testing::MockJob();
  Canonicalize(job);
  EXPECT_TRUE(job == testing::MockJob()) << ir::JobToApiJson(job).dump(2);
}

TEST(CanonicalizeTest, IsIdempotentOnRandomJobs) {
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ir::Job once = Canonical(testing::RandomJob(seed));
    ir::Job twice = Canonical(once);
    ASSERT_TRUE(once == twice) << "once:  " << ir::JobToApiJson(once).dump()
                               << "\ntwice: " << ir::JobToApiJson(twice).dump();
  }
}

TEST(CanonicalizeTest, JobDefaults) {
  ir::Job job = Canonical(Bare());
  EXPECT_EQ(job.region, "global");
  EXPECT_EQ(job.namespace_, "default");
  EXPECT_EQ(job.name, "app");
  EXPECT_EQ(job.type, ir::JobType::kService);
  EXPECT_EQ(job.priority, 50);
  EXPECT_EQ(job.datacenters, std::vector<std::string>{"*"});
  EXPECT_EQ(job.node_pool, "default");

  ir::Job written = Bare();
  written.region = "eu";
  written.namespace_ = "prod";
  written.name = "App";
  written.priority = 70;
  written.datacenters = {"dc1", "dc2"};
  written.node_pool = "gpu";
  ir::Job kept = Canonical(written);
  EXPECT_EQ(kept.region, "eu");
  EXPECT_EQ(kept.namespace_, "prod");
  EXPECT_EQ(kept.name, "App");
  EXPECT_EQ(kept.priority, 70);
  EXPECT_EQ(kept.datacenters, (std::vector<std::string>{"dc1", "dc2"}));
  EXPECT_EQ(kept.node_pool, "gpu");
}

TEST(CanonicalizeTest, RestartPolicyByJobType) {
  struct Row {
    ir::JobType type;
    int attempts;
    Duration interval;
  };
  for (Row row : {Row{ir::JobType::kService, 2, 30min}, Row{ir::JobType::kSystem, 2, 30min},
                  Row{ir::JobType::kBatch, 3, 24h}, Row{ir::JobType::kSysbatch, 3, 24h}}) {
    SCOPED_TRACE(std::string(ir::ToString(row.type)));
    ir::Job job = Canonical(Bare(row.type));
    ir::RestartPolicy expected{row.attempts,           row.interval, Duration(15s),
                               ir::RestartMode::kFail, false,        {}};
    EXPECT_EQ(job.task_groups[0].restart_policy, expected);
    EXPECT_EQ(job.task_groups[0].tasks[0].restart_policy, expected);
  }
}

TEST(CanonicalizeTest, RestartPolicyMergesGroupThenTask) {
  ir::Job job = Bare(ir::JobType::kBatch);
  job.task_groups[0].restart_policy = ir::RestartPolicy{};
  job.task_groups[0].restart_policy->attempts = 5;
  job.task_groups[0].tasks[0].restart_policy = ir::RestartPolicy{};
  job.task_groups[0].tasks[0].restart_policy->delay = Duration(1min);
  job.task_groups[0].tasks[0].restart_policy->mode = ir::RestartMode::kDelay;
  Canonicalize(job);
  EXPECT_EQ(
      job.task_groups[0].restart_policy,
      (ir::RestartPolicy{5, Duration(24h), Duration(15s), ir::RestartMode::kFail, false, {}}));
  EXPECT_EQ(
      job.task_groups[0].tasks[0].restart_policy,
      (ir::RestartPolicy{5, Duration(24h), Duration(1min), ir::RestartMode::kDelay, false, {}}));
}

TEST(CanonicalizeTest, ReschedulePolicyByJobType) {
  EXPECT_EQ(
      Canonical(Bare(ir::JobType::kService)).task_groups[0].reschedule_policy,
      (ir::ReschedulePolicy{
          0, Duration(0), Duration(30s), ir::DelayFunction::kExponential, Duration(1h), true, {}}));
  EXPECT_EQ(
      Canonical(Bare(ir::JobType::kBatch)).task_groups[0].reschedule_policy,
      (ir::ReschedulePolicy{
          1, Duration(24h), Duration(5s), ir::DelayFunction::kConstant, Duration(0), false, {}}));
  EXPECT_EQ(Canonical(Bare(ir::JobType::kSystem)).task_groups[0].reschedule_policy, std::nullopt);
  EXPECT_EQ(Canonical(Bare(ir::JobType::kSysbatch)).task_groups[0].reschedule_policy, std::nullopt);
}

TEST(CanonicalizeTest, ReschedulePolicyMergesJobIntoGroup) {
  ir::Job job = Bare(ir::JobType::kBatch);
  job.reschedule = ir::ReschedulePolicy{};
  job.reschedule->attempts = 4;
  job.reschedule->delay = Duration(10s);
  job.task_groups[0].reschedule_policy = ir::ReschedulePolicy{};
  job.task_groups[0].reschedule_policy->delay = Duration(20s);
  Canonicalize(job);
  EXPECT_EQ(
      job.task_groups[0].reschedule_policy,
      (ir::ReschedulePolicy{
          4, Duration(24h), Duration(20s), ir::DelayFunction::kConstant, Duration(0), false, {}}));
  // The job-level block stays as written: a server keeps it as submitted.
  EXPECT_EQ(job.reschedule->interval, std::nullopt);
}

TEST(CanonicalizeTest, UpdateDefaultsAndMerging) {
  // Service jobs: every group gets Nomad's update defaults; the job keeps stagger and
  // max_parallel only.
  ir::Job service = Canonical(Bare(ir::JobType::kService));
  EXPECT_EQ(service.task_groups[0].update, DefaultUpdateStrategy());
  EXPECT_EQ(service.update->max_parallel, 1);
  EXPECT_EQ(service.update->stagger, Duration(30s));
  EXPECT_EQ(service.update->healthy_deadline, Duration(0));
  EXPECT_EQ(service.update->health_check, std::nullopt);

  // Batch and system jobs have no default update; the job-level update is all zeros.
  for (ir::JobType t : {ir::JobType::kBatch, ir::JobType::kSystem, ir::JobType::kSysbatch}) {
    ir::Job job = Canonical(Bare(t));
    EXPECT_EQ(job.task_groups[0].update, std::nullopt) << ir::ToString(t);
    EXPECT_EQ(job.update->max_parallel, 0);
    EXPECT_EQ(job.update->stagger, Duration(0));
  }

  // Job-level update merged into the group, the group's fields winning.
  ir::Job job = Bare(ir::JobType::kService);
  job.update = ir::UpdateStrategy{};
  job.update->max_parallel = 3;
  job.update->canary = 1;
  job.update->auto_promote = true;
  job.task_groups[0].update = ir::UpdateStrategy{};
  job.task_groups[0].update->canary = 2;
  Canonicalize(job);
  ir::UpdateStrategy expected = DefaultUpdateStrategy();
  expected.max_parallel = 3;
  expected.canary = 2;
  expected.auto_promote = true;
  EXPECT_EQ(job.task_groups[0].update, expected);
  EXPECT_EQ(job.update->max_parallel, 3);
  EXPECT_EQ(job.update->canary, 0);

  // A system job with a job-level update: groups inherit it with defaults filled in.
  ir::Job system = Bare(ir::JobType::kSystem);
  system.update = ir::UpdateStrategy{};
  system.update->max_parallel = 2;
  Canonicalize(system);
  ASSERT_TRUE(system.task_groups[0].update.has_value());
  EXPECT_EQ(system.task_groups[0].update->max_parallel, 2);
  EXPECT_EQ(system.task_groups[0].update->health_check, ir::HealthCheckMode::kChecks);
}

TEST(CanonicalizeTest, MigrateOnlyForServiceJobs) {
  EXPECT_EQ(Canonical(Bare(ir::JobType::kService)).task_groups[0].migrate,
            DefaultMigrateStrategy());
  EXPECT_EQ(Canonical(Bare(ir::JobType::kBatch)).task_groups[0].migrate, std::nullopt);
  ir::Job job = Bare(ir::JobType::kService);
  job.migrate = ir::MigrateStrategy{};
  job.migrate->max_parallel = 4;
  Canonicalize(job);
  EXPECT_EQ(job.task_groups[0].migrate->max_parallel, 4);
  EXPECT_EQ(job.task_groups[0].migrate->healthy_deadline, Duration(5min));
}

TEST(CanonicalizeTest, CountAndScaling) {
  EXPECT_EQ(Canonical(Bare()).task_groups[0].count, 1);

  ir::Job job = Bare();
  job.task_groups[0].scaling = ir::ScalingPolicy{};
  job.task_groups[0].scaling->min = 3;
  job.task_groups[0].scaling->max = 10;
  Canonicalize(job);
  EXPECT_EQ(job.task_groups[0].count, 3);
  EXPECT_EQ(job.task_groups[0].scaling->enabled, true);
  EXPECT_EQ(job.task_groups[0].scaling->target,
            (ir::StringMap{{"Namespace", "default"}, {"Job", "app"}, {"Group", "g"}}));

  ir::Job counted = Bare();
  counted.task_groups[0].count = 4;
  counted.task_groups[0].scaling = ir::ScalingPolicy{};
  counted.task_groups[0].scaling->max = 10;
  counted.task_groups[0].scaling->enabled = false;
  Canonicalize(counted);
  EXPECT_EQ(counted.task_groups[0].count, 4);
  EXPECT_EQ(counted.task_groups[0].scaling->min, 4);
  EXPECT_EQ(counted.task_groups[0].scaling->enabled, false);
  EXPECT_EQ(counted.task_groups[0].scaling->type, ir::ScalingType::kHorizontal);
}

TEST(CanonicalizeTest, TaskDefaults) {
  ir::Job job = Canonical(Bare());
  const ir::TaskGroup& g = job.task_groups[0];
  const ir::Task& t = g.tasks[0];
  EXPECT_EQ(g.ephemeral_disk, (ir::EphemeralDisk{false, false, 300, {}}));
  EXPECT_EQ(t.resources.cpu, 100);
  EXPECT_EQ(t.resources.cores, 0);
  EXPECT_EQ(t.resources.memory_mb, 300);
  EXPECT_EQ(t.resources.memory_max_mb, 0);
  EXPECT_EQ(t.log_config, (ir::LogConfig{10, 10, false, {}}));
  EXPECT_EQ(t.kill_timeout, Duration(5s));
  EXPECT_EQ(t.shutdown_delay, Duration(0));

  ir::Job cores = Bare();
  cores.task_groups[0].tasks[0].resources.cores = 2;
  Canonicalize(cores);
  EXPECT_EQ(cores.task_groups[0].tasks[0].resources.cpu, 0);
  EXPECT_EQ(cores.task_groups[0].tasks[0].resources.cores, 2);
}

TEST(CanonicalizeTest, ServiceNamesAndDefaults) {
  struct Row {
    std::string written;
    bool group_level;
    std::string expected;
  };
  std::vector<Row> rows = {
      {"", false, "app-g-t"},
      {"", true, "app-g"},
      {"${JOB}-api", false, "app-api"},
      {"${TASKGROUP}-${TASK}", false, "g-t"},
      {"${BASE}", false, "app-g-t"},
      {"${BASE}", true, "app-g-group"},
      {"${NOMAD_META_x}-svc", false, "${NOMAD_META_x}-svc"},
      {"plain", true, "plain"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.written);
    ir::Job job = Bare();
    ir::Service s;
    s.name = row.written;
    ir::ServiceCheck c;
    c.type = ir::CheckType::kTcp;
    c.check_restart = ir::CheckRestart{};
    s.checks.push_back(c);
    s.check_restart = ir::CheckRestart{3, Duration(0), false, {}};
    if (row.group_level) {
      job.task_groups[0].services.push_back(s);
    } else {
      job.task_groups[0].tasks[0].services.push_back(s);
    }
    Canonicalize(job);
    const ir::Service& out =
        row.group_level ? job.task_groups[0].services[0] : job.task_groups[0].tasks[0].services[0];
    EXPECT_EQ(out.name, row.expected);
    EXPECT_EQ(out.provider, ir::ServiceProvider::kConsul);
    EXPECT_EQ(out.address_mode, ir::AddressMode::kAuto);
    EXPECT_EQ(out.on_update, ir::OnUpdate::kRequireHealthy);
    EXPECT_EQ(out.task_name, row.group_level ? "" : "t");
    const ir::ServiceCheck& check = out.checks[0];
    EXPECT_EQ(check.name, "service: \"" + row.expected + "\" check");
    EXPECT_EQ(check.on_update, ir::OnUpdate::kRequireHealthy);
    EXPECT_EQ(check.task_name, out.task_name);
    ASSERT_TRUE(check.check_restart.has_value());
    EXPECT_EQ(check.check_restart->limit, 3);  // from the service
    EXPECT_EQ(check.check_restart->grace, Duration(1s));
  }
}

TEST(CanonicalizeTest, PortsArtifactsTemplatesVault) {
  ir::Job job = Bare();
  ir::NetworkResource net;
  net.dynamic_ports.push_back(ir::Port{"http", 0, 0, "", {}});
  net.reserved_ports.push_back(ir::Port{"dns", 53, 0, "internal", {}});
  job.task_groups[0].networks.push_back(net);
  ir::Task& t = job.task_groups[0].tasks[0];
  t.artifacts.push_back(ir::Artifact{"https://example.com/a.tgz", "", std::nullopt, {}, {}, {}});
  t.artifacts.push_back(
      ir::Artifact{"https://example.com/dl/tool.bin", "", ir::ArtifactMode::kFile, {}, {}, {}});
  ir::Template tmpl;
  tmpl.dest_path = "local/a";
  tmpl.change_mode = ir::ChangeMode::kSignal;
  t.templates.push_back(tmpl);
  ir::Template lower;
  lower.dest_path = "local/b";
  lower.change_signal = "sigusr1";
  t.templates.push_back(lower);
  t.vault = ir::Vault{};
  t.vault->policies = {"app"};
  Canonicalize(job);

  const ir::NetworkResource& n = job.task_groups[0].networks[0];
  EXPECT_EQ(n.dynamic_ports[0].host_network, "default");
  EXPECT_EQ(n.reserved_ports[0].host_network, "internal");
  const ir::Task& ct = job.task_groups[0].tasks[0];
  EXPECT_EQ(ct.artifacts[0].destination, "local/");
  EXPECT_EQ(ct.artifacts[0].mode, ir::ArtifactMode::kAny);
  EXPECT_EQ(ct.artifacts[1].destination, "local/tool.bin");
  EXPECT_EQ(ct.templates[0].change_signal, "SIGHUP");
  EXPECT_EQ(ct.templates[0].splay, Duration(5s));
  EXPECT_EQ(ct.templates[0].perms, "0644");
  EXPECT_EQ(ct.templates[0].left_delim, "{{");
  EXPECT_EQ(ct.templates[0].right_delim, "}}");
  EXPECT_EQ(ct.templates[1].change_signal, "SIGUSR1");
  EXPECT_EQ(ct.templates[1].change_mode, ir::ChangeMode::kRestart);
  EXPECT_EQ(ct.vault->env, true);
  EXPECT_EQ(ct.vault->change_mode, ir::ChangeMode::kRestart);
  EXPECT_EQ(ct.vault->change_signal, "SIGHUP");
}

TEST(CanonicalizeTest, PeriodicAndParameterized) {
  ir::Job job = Bare(ir::JobType::kBatch);
  job.periodic = ir::PeriodicConfig{};
  job.periodic->specs = {"@daily"};
  job.parameterized = ir::ParameterizedJobConfig{};
  job.parameterized->payload = "";
  Canonicalize(job);
  EXPECT_EQ(job.periodic->enabled, true);
  EXPECT_EQ(job.periodic->prohibit_overlap, false);
  EXPECT_EQ(job.periodic->time_zone, "UTC");
  EXPECT_EQ(job.parameterized->payload, "optional");
}

TEST(CanonicalizeTest, ExpandServiceName) {
  EXPECT_EQ(ExpandServiceName("${JOB}.${TASKGROUP}.${TASK}", "j", "g", "t"), "j.g.t");
  EXPECT_EQ(ExpandServiceName("${BASE}-x", "j", "g", "t"), "j-g-t-x");
  EXPECT_EQ(ExpandServiceName("${GROUP}-${attr.x}-${JOB", "j", "g", "t"),
            "${GROUP}-${attr.x}-${JOB");
}

// ---- end to end against Nomad: the autoscaler fixtures ------------------------------------------

std::filesystem::path FixtureDir() {
  return std::filesystem::path(testing::CorpusDir()) /
         "jobs/hashicorp__nomad-autoscaler/policy/nomad/test-fixtures";
}

/// The IR the HCL decoder produces for one of these fixtures, built from hcl2json's view of the
/// source (all 28 fixtures share one shape: job, optional type, group "test" with an optional
/// scaling block, one raw_exec task). The scaling policy body is opaque to Nomad and taken from
/// the golden, where Nomad has already converted its blocks to API form.
ir::Job FixtureJob(const json& hcl, const json& golden) {
  ir::Job job;
  const json& jobs = hcl["job"];
  job.id = jobs.begin().key();
  const json& jb = jobs.begin().value()[0];
  if (jb.contains("type")) job.type = ir::ParseJobType(jb["type"].get<std::string>());
  for (const auto& [group_name, group_bodies] : jb["group"].items()) {
    const json& gb = group_bodies[0];
    ir::TaskGroup g;
    g.name = group_name;
    if (gb.contains("count")) g.count = gb["count"].get<int>();
    if (gb.contains("scaling")) {
      const json& sb = gb["scaling"][0];
      ir::ScalingPolicy s;
      if (sb.contains("min")) s.min = sb["min"].get<int64_t>();
      if (sb.contains("max")) s.max = sb["max"].get<int64_t>();
      if (sb.contains("enabled")) s.enabled = sb["enabled"].get<bool>();
      s.policy = golden["Job"]["TaskGroups"][0]["Scaling"]["Policy"];
      g.scaling = s;
    }
    for (const auto& [task_name, task_bodies] : gb["task"].items()) {
      ir::Task t;
      t.name = task_name;
      t.driver = task_bodies[0]["driver"].get<std::string>();
      t.config = task_bodies[0]["config"][0];
      g.tasks.push_back(t);
    }
    job.task_groups.push_back(g);
  }
  return job;
}

/// Server-only fields (state, IDs, post-1.6 additions) that the IR does not model.
bool IsServerOnly(const std::string& key) {
  static const std::set<std::string> kKeys = {"CreateIndex",
                                              "ModifyIndex",
                                              "JobModifyIndex",
                                              "SubmitTime",
                                              "Status",
                                              "StatusDescription",
                                              "Stable",
                                              "Stop",
                                              "Version",
                                              "VersionTag",
                                              "NomadTokenID",
                                              "DispatchIdempotencyToken",
                                              "UI",
                                              "ID",
                                              "Namespace",
                                              "Disconnect",
                                              "PreventRescheduleOnLost",
                                              "Actions",
                                              "Consul",
                                              "Schedule",
                                              "NUMA",
                                              "SecretsMB",
                                              "Enabled",
                                              "Filepath",
                                              "Identity"};
  return kKeys.count(key) > 0;
}

void Diff(const json& ours, const json& golden, const std::string& path,
          std::vector<std::string>& out) {
  if (ours.is_object() && golden.is_object()) {
    for (const auto& [k, v] : golden.items()) {
      if (!ours.contains(k)) {
        if (!IsServerOnly(k)) out.push_back(path + "." + k + " missing");
        continue;
      }
      // Nomad 1.7+ servers add a default workload identity to every task; 1.6 did not.
      if (k == "Identity" && ours[k].is_null()) continue;
      // A Scaling "Namespace"/"ID" is server-assigned, but the target's Namespace is ours.
      Diff(ours[k], v, path + "." + k, out);
    }
    for (const auto& [k, v] : ours.items()) {
      if (!golden.contains(k) && !(k == "CSIPluginConfig" && v.is_null())) {
        out.push_back(path + "." + k + " extra");
      }
    }
    return;
  }
  if (ours.is_array() && golden.is_array() && ours.size() == golden.size()) {
    for (size_t i = 0; i < ours.size(); ++i) {
      Diff(ours[i], golden[i], path + "[" + std::to_string(i) + "]", out);
    }
    return;
  }
  if (ours != golden) out.push_back(path + ": drover " + ours.dump() + ", nomad " + golden.dump());
}

// ---- the Connect hook (nomad/job_endpoint_hook_connect.go)
// ----------------------------------------

/// A service job with group "api": a bridge network, one docker task "app" and one group service
/// "count-api" with `connect` = `connect_json`.
ir::Job ConnectJob(json connect_json, std::string mode = "bridge") {
  ir::Job job = Bare();
  ir::TaskGroup& g = job.task_groups[0];
  g.name = "api";
  g.tasks[0].name = "app";
  g.tasks[0].driver = "docker";
  ir::NetworkResource net;
  net.mode = std::move(mode);
  g.networks.push_back(net);
  ir::Service s;
  s.name = "count-api";
  s.port_label = "9001";
  s.connect = std::move(connect_json);
  g.services.push_back(s);
  return job;
}

const ir::Task* FindTask(const ir::TaskGroup& g, std::string_view name) {
  for (const ir::Task& t : g.tasks) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::vector<std::string> DynamicPortLabels(const ir::TaskGroup& g) {
  std::vector<std::string> out;
  for (const ir::Port& p : g.networks[0].dynamic_ports) {
    out.push_back(p.label + (p.to == -1 ? " to=-1" : ""));
  }
  return out;
}

TEST(CanonicalizeTest, ConnectSidecarTaskAndPort) {
  ir::Job job = Canonical(ConnectJob({{"SidecarService", json::object()}}));
  const ir::TaskGroup& g = job.task_groups[0];
  ASSERT_EQ(g.tasks.size(), 2u);
  const ir::Task* proxy = FindTask(g, "connect-proxy-count-api");
  ASSERT_NE(proxy, nullptr);
  EXPECT_EQ(proxy->kind, "connect-proxy:count-api");
  EXPECT_EQ(proxy->driver, "docker");
  EXPECT_EQ(proxy->config["image"], "${meta.connect.sidecar_image}");
  ASSERT_TRUE(proxy->lifecycle.has_value());
  EXPECT_EQ(proxy->lifecycle->hook, ir::LifecycleHook::kPrestart);
  EXPECT_TRUE(proxy->lifecycle->sidecar);
  EXPECT_EQ(proxy->resources.cpu, 250);
  EXPECT_EQ(proxy->resources.memory_mb, 128);
  EXPECT_EQ(proxy->log_config->max_files, 2);
  EXPECT_EQ(proxy->log_config->max_file_size_mb, 2);
  EXPECT_EQ(proxy->shutdown_delay, Duration(5s));
  EXPECT_EQ(proxy->kill_timeout, Duration(5s));  // canonicalized like any task
  EXPECT_EQ(proxy->restart_policy, g.restart_policy);
  ASSERT_EQ(proxy->constraints.size(), 2u);
  EXPECT_EQ(proxy->constraints[0].op, ir::ConstraintOp::kSemver);
  EXPECT_EQ(proxy->constraints[0].r_target, ">= 1.8.0");
  EXPECT_EQ(DynamicPortLabels(g), std::vector<std::string>{"connect-proxy-count-api to=-1"});
  EXPECT_TRUE(Canonical(job) == job) << "the hook is idempotent";

  // sidecar_service.port names the proxy's port; a podman group gets a podman proxy.
  job = ConnectJob({{"SidecarService", {{"Port", "envoy"}}}});
  job.task_groups[0].tasks[0].driver = "podman";
  Canonicalize(job);
  EXPECT_EQ(DynamicPortLabels(job.task_groups[0]), std::vector<std::string>{"envoy to=-1"});
  EXPECT_EQ(job.task_groups[0].tasks[1].driver, "podman");

  // Without a network Nomad's hook does nothing (validation then asks for the network).
  job = Canonical(ConnectJob({{"SidecarService", json::object()}}));
  ir::Job no_network = ConnectJob({{"SidecarService", json::object()}});
  no_network.task_groups[0].networks.clear();
  Canonicalize(no_network);
  EXPECT_EQ(no_network.task_groups[0].tasks.size(), 1u);
}

TEST(CanonicalizeTest, ConnectSidecarTaskMergesSidecarTaskBlock) {
  json connect = {{"SidecarService", json::object()},
                  {"SidecarTask",
                   {{"Name", "envoy"},
                    {"Config", {{"image", "envoyproxy/envoy:v1.28"}}},
                    {"Env", {{"LOG", "debug"}}},
                    {"Resources", {{"MemoryMB", 64}}},
                    {"ShutdownDelay", 1'000'000'000}}}};
  ir::Job job = Canonical(ConnectJob(connect));
  const ir::Task* proxy = FindTask(job.task_groups[0], "envoy");
  ASSERT_NE(proxy, nullptr);
  EXPECT_EQ(proxy->config["image"], "envoyproxy/envoy:v1.28");
  EXPECT_TRUE(proxy->config.contains("args")) << "same driver: the configs are merged";
  EXPECT_EQ(proxy->env.at("LOG"), "debug");
  // The api package defaults a sidecar_task's resources and logs before the server merges them.
  EXPECT_EQ(proxy->resources.cpu, 100);
  EXPECT_EQ(proxy->resources.memory_mb, 64);
  EXPECT_EQ(proxy->log_config->max_files, 10);
  EXPECT_EQ(proxy->shutdown_delay, Duration(1s));
  EXPECT_TRUE(Canonical(job) == job);

  // A task that already has the proxy's name: the proxy gets a stable suffix.
  job = ConnectJob({{"SidecarService", json::object()}});
  job.task_groups[0].tasks[0].name = "connect-proxy-count-api";
  Canonicalize(job);
  ASSERT_EQ(job.task_groups[0].tasks.size(), 2u);
  EXPECT_TRUE(job.task_groups[0].tasks[1].name.starts_with("connect-proxy-count-api-"));
  EXPECT_EQ(job.task_groups[0].tasks[1].name.size(),
            std::string("connect-proxy-count-api-").size() + 6);
  EXPECT_TRUE(Canonical(job) == job);
}

TEST(CanonicalizeTest, ConnectGatewayTaskPortsAndProxy) {
  json ingress = {
      {"Ingress",
       {{"Listeners", json::array({{{"Port", 8080},
                                    {"Protocol", "tcp"},
                                    {"Services", json::array({{{"Name", "uuid-api"}}})}}})}}}};
  ir::Job job = ConnectJob({{"Gateway", ingress}});
  job.task_groups[0].tasks.clear();
  Canonicalize(job);
  const ir::TaskGroup& g = job.task_groups[0];
  ASSERT_EQ(g.tasks.size(), 1u);
  EXPECT_EQ(g.tasks[0].name, "connect-ingress-count-api");
  EXPECT_EQ(g.tasks[0].kind, "connect-ingress:count-api");
  EXPECT_EQ(g.tasks[0].config["image"], "${meta.connect.gateway_image}");
  EXPECT_FALSE(g.tasks[0].lifecycle.has_value());
  const json& proxy = g.services[0].connect["Gateway"]["Proxy"];
  EXPECT_EQ(proxy["ConnectTimeout"], 5'000'000'000);
  EXPECT_EQ(proxy["EnvoyGatewayNoDefaultBind"], true);
  EXPECT_EQ(proxy["EnvoyGatewayBindAddresses"]["uuid-api"],
            (json{{"Address", "0.0.0.0"}, {"Port", 8080}}));
  EXPECT_TRUE(Canonical(job) == job);

  // A terminating gateway without a port gets one; host networking shows in the task config.
  job = ConnectJob({{"Gateway", {{"Terminating", json::object()}}}}, "host");
  job.task_groups[0].services[0].port_label = "";
  Canonicalize(job);
  EXPECT_EQ(job.task_groups[0].services[0].port_label, "connect-terminating-count-api");
  EXPECT_EQ(DynamicPortLabels(job.task_groups[0]),
            std::vector<std::string>{"connect-terminating-count-api to=-1"});
  EXPECT_EQ(job.task_groups[0].tasks[1].config["network_mode"], "host");
  EXPECT_EQ(job.task_groups[0].services[0].connect["Gateway"]["Proxy"],
            (json{{"ConnectTimeout", 5'000'000'000}}));

  // A mesh gateway gets its LAN port; a customized proxy is kept as written.
  json custom = {{"EnvoyGatewayNoDefaultBind", true}, {"ConnectTimeout", 1}};
  job = ConnectJob({{"Gateway", {{"Mesh", json::object()}, {"Proxy", custom}}}});
  Canonicalize(job);
  EXPECT_EQ(DynamicPortLabels(job.task_groups[0]),
            std::vector<std::string>{"connect-mesh-count-api-lan to=-1"});
  EXPECT_EQ(job.task_groups[0].services[0].connect["Gateway"]["Proxy"], custom);
}

TEST(CanonicalizeTest, ConnectNativeServiceGetsItsTask) {
  ir::Job job = Canonical(ConnectJob({{"Native", true}}));
  EXPECT_EQ(job.task_groups[0].services[0].task_name, "app");
  EXPECT_EQ(job.task_groups[0].tasks[0].kind, "connect-native:count-api");

  // Ambiguous (two tasks): left for Validate to report.
  job = ConnectJob({{"Native", true}});
  job.task_groups[0].tasks.push_back(job.task_groups[0].tasks[0]);
  job.task_groups[0].tasks[1].name = "other";
  Canonicalize(job);
  EXPECT_EQ(job.task_groups[0].services[0].task_name, "");
}

TEST(CanonicalizeTest, MatchesNomadOnTheAutoscalerFixtures) {
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(FixtureDir())) {
    std::string file = entry.path().filename().string();
    if (!file.ends_with(".json.golden")) continue;
    SCOPED_TRACE(file);
    std::string stem = file.substr(0, file.size() - std::string(".json.golden").size());
    json golden = json::parse(testing::ReadFileOrDie(entry.path().string()));
    json hcl = json::parse(testing::ReadFileOrDie(
        (std::filesystem::path(testing::CorpusDir()) / "hcl2json/jobs/hashicorp__nomad-autoscaler" /
         "policy/nomad/test-fixtures/src" / (stem + ".hcl.json"))
            .string()));
    ir::Job job = FixtureJob(hcl, golden);
    Canonicalize(job);
    std::vector<std::string> diffs;
    Diff(ir::JobToApiJson(job), golden["Job"], "Job", diffs);
    EXPECT_TRUE(diffs.empty()) << ::testing::PrintToString(diffs);
    // Nomad accepted these jobs, so Validate must too.
    diag::DiagnosticEngine engine;
    Validate(job, engine);
    EXPECT_EQ(engine.error_count(), 0u);
    ++compared;
  }
  EXPECT_EQ(compared, 28);
}

}  // namespace
}  // namespace drover::sema
