// Unit tests for the job decoder: one group of tests per block, then one per E02xx diagnostic.
#include <set>

#include <gtest/gtest.h>

#include "compiler/schema/job_schema.h"
#include "tests/compiler/decode/decode_helpers.h"

namespace drover::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// ---- job --------------------------------------------------------------------------------------

TEST(JobDecoderTest, JobAttributes) {
  auto d = DecodeText(R"(job "web" {
  region      = "eu"
  namespace   = "apps"
  type        = "batch"
  priority    = 70
  all_at_once = true
  datacenters = ["dc1", "dc2"]
  node_pool   = "edge"
  consul_token = "c"
  vault_token  = "v"
  meta {
    owner = "team"
    n     = 3
  }
}
)");
  ASSERT_EQ(d->Errors(), "");
  ASSERT_TRUE(d->job);
  const ir::Job& j = *d->job;
  EXPECT_EQ(j.id, "web");
  EXPECT_EQ(j.name, "web");
  EXPECT_EQ(j.region, "eu");
  EXPECT_EQ(j.namespace_, "apps");
  EXPECT_EQ(j.type, ir::JobType::kBatch);
  EXPECT_EQ(j.priority, 70);
  EXPECT_TRUE(j.all_at_once);
  EXPECT_EQ(j.datacenters, (std::vector<std::string>{"dc1", "dc2"}));
  EXPECT_EQ(j.node_pool, "edge");
  EXPECT_EQ(j.consul_token, "c");
  EXPECT_EQ(j.vault_token, "v");
  EXPECT_EQ(j.meta, (ir::StringMap{{"owner", "team"}, {"n", "3"}}));
  // Origins point at the values.
  EXPECT_EQ(d->sm.Begin(j.origin.Field("priority")).line, 5u);
  EXPECT_EQ(d->sm.Begin(j.origin.Field("priority")).column, 17u);
  EXPECT_EQ(d->sm.Begin(j.origin.Field("id")).line, 1u);
  EXPECT_EQ(d->sm.Begin(j.origin.range).line, 1u);
}

TEST(JobDecoderTest, NameAndIdAttributesOverrideTheLabel) {
  auto d = DecodeText(InJob("name = \"Pretty\"\n  id = \"other\""));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_EQ(d->job->id, "other");
  EXPECT_EQ(d->job->name, "Pretty");
}

TEST(JobDecoderTest, UnsetFieldsStayUnset) {
  auto d = DecodeText(InGroup("task \"t\" {\n driver = \"exec\"\n}"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_FALSE(d->job->type);
  EXPECT_FALSE(d->job->priority);
  EXPECT_FALSE(d->Group().count);
  EXPECT_FALSE(d->Task().kill_timeout);
  EXPECT_FALSE(d->Task().resources.cpu);
  EXPECT_EQ(d->Task().config, json::object());
}

TEST(JobDecoderTest, MetaAsAttributeAllowsAnyKey) {
  auto d = DecodeText(InJob("meta = {\n  \"a.b\" = \"c\"\n  d = true\n}"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_EQ(d->job->meta, (ir::StringMap{{"a.b", "c"}, {"d", "true"}}));
}

TEST(JobDecoderTest, JobLevelTasksBecomeGroupsFirst) {
  auto d = DecodeText(R"(job "j" {
  group "declared" {
    task "a" { driver = "exec" }
  }
  task "alone" {
    driver = "docker"
  }
}
)");
  ASSERT_EQ(d->Errors(), "");
  ASSERT_EQ(d->job->task_groups.size(), 2u);
  EXPECT_EQ(d->Group(0).name, "alone");
  ASSERT_EQ(d->Group(0).tasks.size(), 1u);
  EXPECT_EQ(d->Group(0).tasks[0].name, "alone");
  EXPECT_EQ(d->Group(0).tasks[0].driver, "docker");
  EXPECT_EQ(d->Group(1).name, "declared");
}

TEST(JobDecoderTest, VaultInheritsFromGroupAndJob) {
  auto d = DecodeText(R"(job "j" {
  vault { policies = ["job"] }
  group "g1" {
    vault { policies = ["group"] }
    task "own" {
      vault { policies = ["task"] }
    }
    task "from_group" {}
  }
  group "g2" {
    task "from_job" {}
  }
}
)");
  ASSERT_EQ(d->Errors(), "");
  EXPECT_EQ(d->Task(0, 0).vault->policies, std::vector<std::string>{"task"});
  EXPECT_EQ(d->Task(0, 1).vault->policies, std::vector<std::string>{"group"});
  EXPECT_EQ(d->Task(1, 0).vault->policies, std::vector<std::string>{"job"});
}

TEST(JobDecoderTest, PoliciesAtJobLevel) {
  auto d = DecodeText(R"(job "j" {
  update {
    stagger      = "30s"
    max_parallel = 2
    health_check = "task_states"
    min_healthy_time  = "15s"
    healthy_deadline  = "3m"
    progress_deadline = "10m"
    canary       = 1
    auto_revert  = true
    auto_promote = false
  }
  reschedule {
    attempts       = 3
    interval       = "1h"
    delay          = "30s"
    delay_function = "fibonacci"
    max_delay      = "2h"
    unlimited      = false
  }
  migrate {
    max_parallel     = 1
    health_check     = "checks"
    min_healthy_time = "10s"
    healthy_deadline = "5m"
  }
  periodic {
    crons            = ["*/5 * * * *", "0 1 * * *"]
    prohibit_overlap = true
    time_zone        = "Europe/Paris"
  }
  parameterized {
    payload       = "required"
    meta_required = ["a"]
    meta_optional = ["b"]
  }
  multiregion {
    strategy {
      max_parallel = 1
      on_failure   = "fail_all"
    }
    region "west" {
      count       = 2
      datacenters = ["w1"]
      meta { z = "1" }
    }
    region "east" {}
  }
}
)");
  ASSERT_EQ(d->Errors(), "");
  const ir::Job& j = *d->job;
  ASSERT_TRUE(j.update);
  EXPECT_EQ(j.update->stagger, 30s);
  EXPECT_EQ(j.update->max_parallel, 2);
  EXPECT_EQ(j.update->health_check, ir::HealthCheckMode::kTaskStates);
  EXPECT_EQ(j.update->healthy_deadline, 3min);
  EXPECT_EQ(j.update->canary, 1);
  EXPECT_EQ(j.update->auto_revert, true);
  EXPECT_EQ(j.update->auto_promote, false);
  ASSERT_TRUE(j.reschedule);
  EXPECT_EQ(j.reschedule->delay_function, ir::DelayFunction::kFibonacci);
  EXPECT_EQ(j.reschedule->max_delay, 2h);
  EXPECT_EQ(j.reschedule->unlimited, false);
  ASSERT_TRUE(j.migrate);
  EXPECT_EQ(j.migrate->healthy_deadline, 5min);
  ASSERT_TRUE(j.periodic);
  EXPECT_EQ(j.periodic->specs, (std::vector<std::string>{"*/5 * * * *", "0 1 * * *"}));
  EXPECT_EQ(j.periodic->prohibit_overlap, true);
  EXPECT_EQ(j.periodic->time_zone, "Europe/Paris");
  ASSERT_TRUE(j.parameterized);
  EXPECT_EQ(j.parameterized->payload, "required");
  EXPECT_EQ(j.parameterized->meta_required, std::vector<std::string>{"a"});
  ASSERT_TRUE(j.multiregion);
  EXPECT_EQ(j.multiregion->max_parallel, 1);
  EXPECT_EQ(j.multiregion->on_failure, "fail_all");
  ASSERT_EQ(j.multiregion->regions.size(), 2u);
  EXPECT_EQ(j.multiregion->regions[0].name, "west");
  EXPECT_EQ(j.multiregion->regions[0].count, 2);
  EXPECT_EQ(j.multiregion->regions[0].meta, (ir::StringMap{{"z", "1"}}));
  EXPECT_EQ(j.multiregion->regions[1].name, "east");
}

TEST(JobDecoderTest, LegacyCronIsOneSpec) {
  auto d = DecodeText(InJob("periodic {\n  cron = \"@daily\"\n}"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_EQ(d->job->periodic->specs, std::vector<std::string>{"@daily"});
  EXPECT_EQ(d->job->periodic->spec_type, "cron");
}

// ---- placement ----------------------------------------------------------------------------------

TEST(JobDecoderTest, ConstraintsAndShorthands) {
  auto d = DecodeText(R"(job "j" {
  constraint {
    attribute = "${attr.kernel.name}"
    operator  = "!="
    value     = "windows"
  }
  constraint { distinct_hosts = true }
  constraint { distinct_hosts = false }
  constraint {
    distinct_property = "${meta.rack}"
    value             = "2"
  }
  constraint {
    attribute = "${attr.os.version}"
    version   = ">= 1.2"
  }
  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "^web"
  }
  constraint {
    attribute    = "${meta.tags}"
    set_contains = "a,b"
  }
  constraint {
    attribute = "${attr.x}"
  }
}
)");
  ASSERT_EQ(d->Errors(), "");
  const auto& c = d->job->constraints;
  ASSERT_EQ(c.size(), 8u);
  EXPECT_EQ(c[0].l_target, "${attr.kernel.name}");
  EXPECT_EQ(c[0].op, ir::ConstraintOp::kNotEqual);
  EXPECT_EQ(c[0].r_target, "windows");
  EXPECT_EQ(c[1].op, ir::ConstraintOp::kDistinctHosts);
  EXPECT_EQ(c[1].r_target, "true");
  EXPECT_EQ(c[2].op, ir::ConstraintOp::kDistinctHosts);
  EXPECT_EQ(c[2].r_target, "false");
  EXPECT_EQ(c[3].op, ir::ConstraintOp::kDistinctProperty);
  EXPECT_EQ(c[3].l_target, "${meta.rack}");
  EXPECT_EQ(c[3].r_target, "2");
  EXPECT_EQ(c[4].op, ir::ConstraintOp::kVersion);
  EXPECT_EQ(c[4].r_target, ">= 1.2");
  EXPECT_EQ(c[5].op, ir::ConstraintOp::kRegexp);
  EXPECT_EQ(c[6].op, ir::ConstraintOp::kSetContains);
  EXPECT_EQ(c[6].r_target, "a,b");
  EXPECT_EQ(c[7].op, ir::ConstraintOp::kEqual);
  // The runtime reference is kept verbatim.
  EXPECT_EQ(d->sm.Begin(c[0].origin.Field("attribute")).line, 3u);
}

TEST(JobDecoderTest, AffinityAndSpread) {
  auto d = DecodeText(InGroup(R"(affinity {
  attribute = "${node.datacenter}"
  value     = "dc1"
  weight    = -50
}
spread {
  attribute = "${node.datacenter}"
  weight    = 80
  target "dc1" { percent = 70 }
  target "dc2" { percent = 30 }
})"));
  ASSERT_EQ(d->Errors(), "");
  ASSERT_EQ(d->Group().affinities.size(), 1u);
  EXPECT_EQ(d->Group().affinities[0].weight, -50);
  EXPECT_EQ(d->Group().affinities[0].op, ir::ConstraintOp::kEqual);
  ASSERT_EQ(d->Group().spreads.size(), 1u);
  const ir::Spread& s = d->Group().spreads[0];
  EXPECT_EQ(s.weight, 80);
  ASSERT_EQ(s.targets.size(), 2u);
  EXPECT_EQ(s.targets[0].value, "dc1");
  EXPECT_EQ(s.targets[0].percent, 70);
  EXPECT_EQ(s.targets[1].value, "dc2");
}

// ---- group --------------------------------------------------------------------------------------

TEST(JobDecoderTest, GroupFields) {
  auto d = DecodeText(InGroup(R"(count = 3
shutdown_delay = "5s"
stop_after_client_disconnect = "1m"
max_client_disconnect = "1h"
meta { role = "api" }
restart {
  attempts = 2
  interval = "30m"
  delay    = "15s"
  mode     = "delay"
  render_templates = true
}
ephemeral_disk {
  sticky  = true
  migrate = true
  size    = 500
}
consul { namespace = "ns" }
volume "data" {
  type      = "csi"
  source    = "vol1"
  read_only = true
  per_alloc = true
  access_mode     = "single-node-writer"
  attachment_mode = "file-system"
  mount_options {
    fs_type     = "ext4"
    mount_flags = ["noatime"]
  }
}
volume "cache" {
  type   = "host"
  source = "cache"
})"));
  ASSERT_EQ(d->Errors(), "");
  const ir::TaskGroup& g = d->Group();
  EXPECT_EQ(g.count, 3);
  EXPECT_EQ(g.shutdown_delay, 5s);
  EXPECT_EQ(g.stop_after_client_disconnect, 1min);
  EXPECT_EQ(g.max_client_disconnect, 1h);
  EXPECT_EQ(g.meta, (ir::StringMap{{"role", "api"}}));
  ASSERT_TRUE(g.restart_policy);
  EXPECT_EQ(g.restart_policy->mode, ir::RestartMode::kDelay);
  EXPECT_EQ(g.restart_policy->render_templates, true);
  ASSERT_TRUE(g.ephemeral_disk);
  EXPECT_EQ(g.ephemeral_disk->size_mb, 500);
  EXPECT_EQ(g.consul_namespace, "ns");
  ASSERT_EQ(g.volumes.size(), 2u);
  const ir::VolumeRequest& v = g.volumes.at("data");
  EXPECT_EQ(v.name, "data");
  EXPECT_EQ(v.type, ir::VolumeType::kCsi);
  EXPECT_TRUE(v.read_only);
  EXPECT_TRUE(v.per_alloc);
  EXPECT_EQ(v.fs_type, "ext4");
  EXPECT_EQ(v.mount_flags, std::vector<std::string>{"noatime"});
  EXPECT_EQ(g.volumes.at("cache").type, ir::VolumeType::kHost);
}

TEST(JobDecoderTest, GroupScaling) {
  auto d = DecodeText(InGroup(R"(scaling {
  min     = 1
  max     = 10
  enabled = true
  policy {
    cooldown = "1m"
    check "cpu" {
      source = "prometheus"
      strategy "target-value" { target = 70 }
    }
  }
})"));
  ASSERT_EQ(d->Errors(), "");
  ASSERT_TRUE(d->Group().scaling);
  const ir::ScalingPolicy& s = *d->Group().scaling;
  EXPECT_EQ(s.type, ir::ScalingType::kHorizontal);
  EXPECT_EQ(s.min, 1);
  EXPECT_EQ(s.max, 10);
  EXPECT_EQ(s.enabled, true);
  EXPECT_EQ(s.policy, json::parse(R"({
    "cooldown": "1m",
    "check": [{"cpu": [{"source": "prometheus",
                        "strategy": [{"target-value": [{"target": 70}]}]}]}]
  })"));
}

TEST(JobDecoderTest, GroupScalingNeedsMax) {
  auto d = DecodeText(InGroup("scaling {\n  min = 1\n}"));
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0210"});
  EXPECT_EQ(d->Line(), 3u);
  EXPECT_FALSE(d->Group().scaling);
}

TEST(JobDecoderTest, GroupScalingMustBeHorizontal) {
  auto d = DecodeText(InGroup("scaling {\n  max = 3\n  type = \"vertical_cpu\"\n}"));
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0217"});
  EXPECT_EQ(d->Line(), 5u);
}

TEST(JobDecoderTest, GroupScalingTakesNoLabel) {
  auto d = DecodeText(InGroup("scaling \"x\" {\n  max = 3\n}"));
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0206"});
}

// ---- network ------------------------------------------------------------------------------------

TEST(JobDecoderTest, NetworkPortsSplitIntoReservedAndDynamic) {
  auto d = DecodeText(InGroup(R"(network {
  mode     = "bridge"
  hostname = "web"
  port "http" {
    static = 8080
    to     = 80
  }
  port "admin" {
    to           = -1
    host_network = "private"
  }
  port "db" {}
  dns {
    servers  = ["1.1.1.1"]
    searches = ["local"]
    options  = ["ndots:2"]
  }
})"));
  ASSERT_EQ(d->Errors(), "");
  ASSERT_EQ(d->Group().networks.size(), 1u);
  const ir::NetworkResource& n = d->Group().networks[0];
  EXPECT_EQ(n.mode, "bridge");
  EXPECT_EQ(n.hostname, "web");
  ASSERT_EQ(n.reserved_ports.size(), 1u);
  EXPECT_EQ(n.reserved_ports[0].label, "http");
  EXPECT_EQ(n.reserved_ports[0].value, 8080);
  EXPECT_EQ(n.reserved_ports[0].to, 80);
  ASSERT_EQ(n.dynamic_ports.size(), 2u);
  EXPECT_EQ(n.dynamic_ports[0].label, "admin");
  EXPECT_EQ(n.dynamic_ports[0].to, -1);
  EXPECT_EQ(n.dynamic_ports[0].host_network, "private");
  EXPECT_EQ(n.dynamic_ports[1].label, "db");
  ASSERT_TRUE(n.dns);
  EXPECT_EQ(n.dns->servers, std::vector<std::string>{"1.1.1.1"});
}

TEST(JobDecoderTest, PortLabelsMustBeValidAndUnique) {
  auto d = DecodeText(InGroup(R"(network {
  port "http" {}
  port "HTTP" {}
  port "" {}
  port "a b" {}
  port "ok-1_x" {}
})"));
  EXPECT_EQ(d->Codes(), (std::vector<std::string>{"E0213", "E0214", "E0214"}));
  EXPECT_EQ(d->Line(0), 5u);
  ASSERT_EQ(d->diags.diagnostics()[0].notes.size(), 1u);
  EXPECT_EQ(d->sm.Begin(d->diags.diagnostics()[0].notes[0].range).line, 4u);
  EXPECT_EQ(d->Line(1), 6u);
  EXPECT_EQ(d->Line(2), 7u);
  EXPECT_EQ(d->Group().networks[0].dynamic_ports.size(), 2u);
}

TEST(JobDecoderTest, OnlyOneNetworkPerGroup) {
  auto d = DecodeText(InGroup("network {}\nnetwork {}"));
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0205"});
  EXPECT_EQ(d->Line(), 4u);
  EXPECT_EQ(d->Group().networks.size(), 1u);
}

// ---- task ---------------------------------------------------------------------------------------

TEST(JobDecoderTest, TaskFields) {
  auto d = DecodeText(InTask(R"(driver = "docker"
user = "nobody"
kill_timeout = "20s"
kill_signal = "SIGINT"
leader = true
shutdown_delay = "3s"
kind = "connect-proxy:web"
env {
  PORT = "${NOMAD_PORT_http}"
  N    = 1
}
meta = { a = "b" }
resources {
  cpu        = 500
  memory     = 256
  memory_max = 512
  device "nvidia/gpu" {
    count = 2
    constraint {
      attribute = "${device.attr.memory}"
      operator  = ">="
      value     = "2 GiB"
    }
  }
}
logs {
  max_files     = 3
  max_file_size = 15
}
lifecycle {
  hook    = "prestart"
  sidecar = true
}
dispatch_payload { file = "in.json" }
volume_mount {
  volume      = "data"
  destination = "/data"
  read_only   = true
}
csi_plugin {
  id        = "ebs"
  type      = "monolith"
  mount_dir = "/csi"
  health_timeout = "30s"
})"));
  ASSERT_EQ(d->Errors(), "");
  const ir::Task& t = d->Task();
  EXPECT_EQ(t.name, "t");
  EXPECT_EQ(t.driver, "docker");
  EXPECT_EQ(t.user, "nobody");
  EXPECT_EQ(t.kill_timeout, 20s);
  EXPECT_EQ(t.kill_signal, "SIGINT");
  EXPECT_TRUE(t.leader);
  EXPECT_EQ(t.shutdown_delay, 3s);
  EXPECT_EQ(t.kind, "connect-proxy:web");
  EXPECT_EQ(t.env, (ir::StringMap{{"PORT", "${NOMAD_PORT_http}"}, {"N", "1"}}));
  EXPECT_EQ(t.meta, (ir::StringMap{{"a", "b"}}));
  EXPECT_EQ(t.resources.cpu, 500);
  EXPECT_EQ(t.resources.memory_mb, 256);
  EXPECT_EQ(t.resources.memory_max_mb, 512);
  ASSERT_EQ(t.resources.devices.size(), 1u);
  EXPECT_EQ(t.resources.devices[0].name, "nvidia/gpu");
  EXPECT_EQ(t.resources.devices[0].count, 2);
  ASSERT_EQ(t.resources.devices[0].constraints.size(), 1u);
  EXPECT_EQ(t.resources.devices[0].constraints[0].op, ir::ConstraintOp::kGreaterEqual);
  ASSERT_TRUE(t.log_config);
  EXPECT_EQ(t.log_config->max_files, 3);
  EXPECT_EQ(t.log_config->max_file_size_mb, 15);
  ASSERT_TRUE(t.lifecycle);
  EXPECT_EQ(t.lifecycle->hook, ir::LifecycleHook::kPrestart);
  EXPECT_TRUE(t.lifecycle->sidecar);
  ASSERT_TRUE(t.dispatch_payload);
  EXPECT_EQ(t.dispatch_payload->file, "in.json");
  ASSERT_EQ(t.volume_mounts.size(), 1u);
  EXPECT_EQ(t.volume_mounts[0].destination, "/data");
  ASSERT_TRUE(t.csi_plugin);
  EXPECT_EQ(t.csi_plugin->type, "monolith");
  EXPECT_EQ(t.csi_plugin->health_timeout, 30s);
}

TEST(JobDecoderTest, DriverConfigIsFreeFormJson) {
  auto d = DecodeText(InTask(R"(driver = "docker"
config {
  image   = "redis:7"
  ports   = ["db"]
  args    = ["-p", 6379]
  labels  = { team = "x" }
  port_map {
    db = 6379
  }
  mount {
    type   = "bind"
    target = "/a"
  }
  mount {
    type   = "tmpfs"
    target = "/b"
  }
  auth "registry" "x" {
    username = "u"
  }
})"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_EQ(d->Task().config, json::parse(R"({
    "image": "redis:7",
    "ports": ["db"],
    "args": ["-p", 6379],
    "labels": [{"team": "x"}],
    "port_map": [{"db": 6379}],
    "mount": [{"type": "bind", "target": "/a"}, {"type": "tmpfs", "target": "/b"}],
    "auth": [{"registry": [{"x": [{"username": "u"}]}]}]
  })"));
  EXPECT_EQ(d->sm.Begin(d->Task().origin.Field("config.image")).line, 6u);
}

TEST(JobDecoderTest, EnvAttributeAndBlockConflict) {
  auto d = DecodeText(InTask("env = { a = \"b\" }\nenv {\n  c = \"d\"\n}"));
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0215"});
  EXPECT_EQ(d->Line(), 5u);
  EXPECT_EQ(d->Task().env, (ir::StringMap{{"a", "b"}}));
}

TEST(JobDecoderTest, MapBlocksHoldOnlyAttributes) {
  auto d = DecodeText(InTask("meta {\n  nested {}\n}"));
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0202"});
}

TEST(JobDecoderTest, ArtifactsAndTemplates) {
  auto d = DecodeText(InTask(R"(artifact {
  source      = "https://example.com/app.tgz"
  destination = "local/app"
  mode        = "dir"
  options { checksum = "sha256:abc" }
  headers { X-Auth = "t" }
}
template {
  data          = "{{ key \"x\" }}"
  destination   = "local/x.conf"
  change_mode   = "script"
  change_script {
    command       = "/bin/reload"
    args          = ["-q"]
    timeout       = "10s"
    fail_on_error = true
  }
  splay = "3s"
  perms = "0600"
  uid   = 100
  gid   = 200
  left_delimiter  = "[["
  right_delimiter = "]]"
  env   = true
  error_on_missing_key = true
  wait {
    min = "2s"
    max = "10s"
  }
})"));
  ASSERT_EQ(d->Errors(), "");
  ASSERT_EQ(d->Task().artifacts.size(), 1u);
  const ir::Artifact& a = d->Task().artifacts[0];
  EXPECT_EQ(a.source, "https://example.com/app.tgz");
  EXPECT_EQ(a.mode, ir::ArtifactMode::kDir);
  EXPECT_EQ(a.options, (ir::StringMap{{"checksum", "sha256:abc"}}));
  EXPECT_EQ(a.headers, (ir::StringMap{{"X-Auth", "t"}}));
  ASSERT_EQ(d->Task().templates.size(), 1u);
  const ir::Template& t = d->Task().templates[0];
  EXPECT_EQ(t.embedded_tmpl, "{{ key \"x\" }}");
  EXPECT_EQ(t.dest_path, "local/x.conf");
  EXPECT_EQ(t.change_mode, ir::ChangeMode::kScript);
  EXPECT_EQ(t.change_script_command, "/bin/reload");
  EXPECT_EQ(t.change_script_args, std::vector<std::string>{"-q"});
  EXPECT_EQ(t.change_script_timeout, 10s);
  EXPECT_EQ(t.change_script_fail_on_error, true);
  EXPECT_EQ(t.splay, 3s);
  EXPECT_EQ(t.perms, "0600");
  EXPECT_EQ(t.uid, 100);
  EXPECT_EQ(t.left_delim, "[[");
  EXPECT_TRUE(t.envvars);
  EXPECT_TRUE(t.error_on_missing_key);
  ASSERT_TRUE(t.wait);
  EXPECT_EQ(t.wait->min, 2s);
  EXPECT_EQ(t.wait->max, 10s);
}

TEST(JobDecoderTest, LogsEnabledIsTheOldSpellingOfDisabled) {
  auto d = DecodeText(InTask("logs {\n  enabled = false\n}"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_EQ(d->Task().log_config->disabled, true);
}

TEST(JobDecoderTest, LifecycleWithoutHookIsDropped) {
  auto d = DecodeText(InTask("lifecycle {\n  sidecar = true\n}"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_FALSE(d->Task().lifecycle);
}

TEST(JobDecoderTest, TaskScalingPolicies) {
  auto d = DecodeText(InTask(R"(scaling "cpu" {
  max = 2000
  policy { x = 1 }
}
scaling "MEM" {
  min  = 64
  max  = 512
  type = "vertical_mem"
})"));
  ASSERT_EQ(d->Errors(), "");
  ASSERT_EQ(d->Task().scaling_policies.size(), 2u);
  EXPECT_EQ(d->Task().scaling_policies[0].type, ir::ScalingType::kVerticalCpu);
  EXPECT_EQ(d->Task().scaling_policies[0].max, 2000);
  EXPECT_EQ(d->Task().scaling_policies[0].policy, json::parse(R"({"x": 1})"));
  EXPECT_EQ(d->Task().scaling_policies[1].type, ir::ScalingType::kVerticalMem);
  EXPECT_EQ(d->Task().scaling_policies[1].min, 64);
}

TEST(JobDecoderTest, TaskScalingErrors) {
  auto d = DecodeText(InTask(R"(scaling "disk" {}
scaling "cpu" {}
scaling "cpu" {}
scaling "mem" { type = "vertical_cpu" }
scaling {})"));
  EXPECT_EQ(d->Codes(), (std::vector<std::string>{"E0206", "E0214", "E0213", "E0217"}));
  EXPECT_EQ(d->Line(0), 8u);  // scaling {} (reported by the generic decoder first)
  EXPECT_EQ(d->Line(1), 4u);
  EXPECT_EQ(d->Line(2), 6u);
  EXPECT_EQ(d->Line(3), 7u);
  EXPECT_EQ(d->Task().scaling_policies.size(), 1u);
}

TEST(JobDecoderTest, Identities) {
  auto d = DecodeText(InTask(R"(identity {
  env  = true
  file = true
}
identity {
  name = "vault"
  aud  = ["vault.io"]
  ttl  = "1h"
  change_mode   = "signal"
  change_signal = "SIGHUP"
})"));
  ASSERT_EQ(d->Errors(), "");
  ASSERT_TRUE(d->Task().identity);
  EXPECT_EQ(d->Task().identity->env, true);
  ASSERT_EQ(d->Task().identities.size(), 1u);
  EXPECT_EQ(d->Task().identities[0].name, "vault");
  EXPECT_EQ(d->Task().identities[0].audience, std::vector<std::string>{"vault.io"});
  EXPECT_EQ(d->Task().identities[0].ttl, 1h);
}

// ---- services -----------------------------------------------------------------------------------

TEST(JobDecoderTest, ServiceAndChecks) {
  auto d = DecodeText(InGroup(R"(service {
  name         = "web"
  port         = "http"
  tags         = ["urlprefix-/"]
  canary_tags  = ["canary"]
  provider     = "nomad"
  address_mode = "alloc"
  on_update    = "ignore_warnings"
  meta { version = "1" }
  tagged_addresses { lan = "10.0.0.1" }
  check_restart {
    limit = 3
    grace = "90s"
  }
  check {
    type     = "HTTP"
    path     = "/health"
    interval = "10s"
    timeout  = "2s"
    method   = "POST"
    body     = "{}"
    tls_server_name = "web.local"
    header {
      Authorization = ["Bearer x"]
    }
    initial_status = "passing"
    success_before_passing = 2
  }
  check {
    type    = "script"
    command = "/bin/true"
    args    = ["-x"]
    task    = "app"
    interval = "30s"
    timeout  = "5s"
  }
})"));
  ASSERT_EQ(d->Errors(), "");
  ASSERT_EQ(d->Group().services.size(), 1u);
  const ir::Service& s = d->Group().services[0];
  EXPECT_EQ(s.name, "web");
  EXPECT_EQ(s.port_label, "http");
  EXPECT_EQ(s.tags, std::vector<std::string>{"urlprefix-/"});
  EXPECT_EQ(s.provider, ir::ServiceProvider::kNomad);
  EXPECT_EQ(s.address_mode, ir::AddressMode::kAlloc);
  EXPECT_EQ(s.on_update, ir::OnUpdate::kIgnoreWarnings);
  EXPECT_EQ(s.meta, (ir::StringMap{{"version", "1"}}));
  EXPECT_EQ(s.tagged_addresses, (ir::StringMap{{"lan", "10.0.0.1"}}));
  ASSERT_TRUE(s.check_restart);
  EXPECT_EQ(s.check_restart->limit, 3);
  EXPECT_EQ(s.check_restart->grace, 90s);
  ASSERT_EQ(s.checks.size(), 2u);
  EXPECT_EQ(s.checks[0].type, ir::CheckType::kHttp);
  EXPECT_EQ(s.checks[0].path, "/health");
  EXPECT_EQ(s.checks[0].interval, 10s);
  EXPECT_EQ(s.checks[0].method, "POST");
  EXPECT_TRUE(s.checks[0].tls_server_name_set);
  EXPECT_EQ(s.checks[0].tls_server_name, "web.local");
  EXPECT_EQ(s.checks[0].header.at("Authorization"), std::vector<std::string>{"Bearer x"});
  EXPECT_EQ(s.checks[0].initial_status, "passing");
  EXPECT_EQ(s.checks[0].success_before_passing, 2);
  EXPECT_EQ(s.checks[1].type, ir::CheckType::kScript);
  EXPECT_EQ(s.checks[1].task_name, "app");
  EXPECT_EQ(s.connect, json());
}

TEST(JobDecoderTest, ConnectIsKeptAsNomadJson) {
  auto d = DecodeText(InGroup(R"(service {
  name = "api"
  connect {
    sidecar_service {
      tags = ["sc"]
      disable_default_tcp_check = true
      proxy {
        local_service_port = 9090
        upstreams {
          destination_name = "db"
          local_bind_port  = 5432
          mesh_gateway { mode = "local" }
          config { connect_timeout_ms = 9999 }
        }
        expose {
          path {
            path            = "/health"
            protocol        = "http"
            local_path_port = 9090
            listener_port   = "expose"
          }
        }
      }
    }
    sidecar_task {
      driver = "docker"
      kill_timeout = "5s"
      resources {
        cpu    = 50
        memory = 64
      }
    }
  }
}
service {
  name = "gw"
  connect {
    gateway {
      proxy {
        connect_timeout = "3s"
        envoy_gateway_bind_addresses "a" {
          address = "0.0.0.0"
          port    = 8080
        }
      }
      ingress {
        tls { enabled = true }
        listener {
          port     = 8080
          protocol = "http"
          service {
            name  = "api"
            hosts = ["api.local"]
          }
        }
      }
    }
  }
})"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_EQ(d->Group().services[0].connect, json::parse(R"({
    "SidecarService": {
      "Tags": ["sc"],
      "DisableDefaultTCPCheck": true,
      "Proxy": {
        "LocalServicePort": 9090,
        "Upstreams": [{"DestinationName": "db", "LocalBindPort": 5432,
                       "MeshGateway": {"Mode": "local"},
                       "Config": {"connect_timeout_ms": 9999}}],
        "Expose": {"Paths": [{"Path": "/health", "Protocol": "http", "LocalPathPort": 9090,
                              "ListenerPort": "expose"}]}
      }
    },
    "SidecarTask": {"Driver": "docker", "KillTimeout": 5000000000,
                    "Resources": {"CPU": 50, "MemoryMB": 64}}
  })"));
  EXPECT_EQ(d->Group().services[1].connect, json::parse(R"({
    "Gateway": {
      "Proxy": {"ConnectTimeout": 3000000000,
                "EnvoyGatewayBindAddresses": {"a": {"Name": "a", "Address": "0.0.0.0",
                                                    "Port": 8080}}},
      "Ingress": {"TLS": {"Enabled": true},
                  "Listeners": [{"Port": 8080, "Protocol": "http",
                                 "Services": [{"Name": "api", "Hosts": ["api.local"]}]}]}
    }
  })"));
}

TEST(JobDecoderTest, CheckHeaderValuesMustBeStrings) {
  auto d = DecodeText(InGroup(R"(service {
  check {
    type = "http"
    header {
      A = ["ok", 840]
      B = "not a list"
    }
  }
})"));
  EXPECT_EQ(d->Codes(), (std::vector<std::string>{"E0203", "E0203"}));
  EXPECT_EQ(d->Line(0), 7u);
  EXPECT_EQ(d->Column(0), 18u);  // points at 840
  EXPECT_EQ(d->Line(1), 8u);
  EXPECT_NE(d->Errors().find("`header.A[1]` must be a string; got 840"), std::string::npos);
}

// ---- runtime references, null, partial results ----------------------------------------------------

TEST(JobDecoderTest, RuntimeReferencesStayVerbatim) {
  auto d = DecodeText(InTask(R"(driver = "exec"
config {
  command = "/bin/app"
  args    = ["--port", "${NOMAD_PORT_http}", "--node", "${node.unique.name}"]
}
env {
  DC = "${node.datacenter}"
})"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_EQ(d->Task().config["args"][1], "${NOMAD_PORT_http}");
  EXPECT_EQ(d->Task().config["args"][3], "${node.unique.name}");
  EXPECT_EQ(d->Task().env.at("DC"), "${node.datacenter}");
}

TEST(JobDecoderTest, NullMeansNotSet) {
  auto d = DecodeText(InGroup("count = null"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_FALSE(d->Group().count);
}

TEST(JobDecoderTest, ErrorsStillProducePartialIr) {
  auto d = DecodeText(InGroup("count = \"many\"\ntask \"t\" {\n  driver = \"exec\"\n}"));
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0203"});
  ASSERT_TRUE(d->job);
  EXPECT_FALSE(d->Group().count);
  EXPECT_EQ(d->Task().driver, "exec");
}

// ---- one test per E02xx diagnostic ----------------------------------------------------------------

TEST(DecodeDiagnosticsTest, E0201UnknownAttributeSuggests) {
  auto d = DecodeText(InGroup("service {\n  check {\n    type = \"tcp\"\n    nterval = \"10s\"\n  }\n}"));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0201"});
  EXPECT_EQ(d->Line(), 6u);
  EXPECT_EQ(d->Column(), 5u);
  const diag::Diagnostic& diag = d->diags.diagnostics()[0];
  EXPECT_EQ(diag.message, "unknown attribute `nterval` in `check` block");
  EXPECT_EQ(diag.help, "did you mean `interval`?");
  ASSERT_TRUE(diag.fixit);
  EXPECT_EQ(diag.fixit->replacement, "interval");
}

TEST(DecodeDiagnosticsTest, E0202UnknownBlockSuggests) {
  auto d = DecodeText(InTask("resource {\n  cpu = 1\n}"));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0202"});
  EXPECT_EQ(d->diags.diagnostics()[0].message, "unknown block type `resource` in `task` block");
  EXPECT_EQ(d->diags.diagnostics()[0].help, "did you mean `resources`?");
}

TEST(DecodeDiagnosticsTest, E0203WrongTypePointsAtTheElement) {
  auto d = DecodeText(InJob("datacenters = [\"dc1\", [\"x\"]]\npriority = true"));
  ASSERT_EQ(d->Codes(), (std::vector<std::string>{"E0203", "E0203"}));
  EXPECT_EQ(d->Column(0), 23u);
  EXPECT_EQ(d->diags.diagnostics()[0].message, "`datacenters[1]` must be a string; got a list");
  EXPECT_EQ(d->diags.diagnostics()[1].message, "`priority` must be a whole number; got true");
  auto e = DecodeText(InGroup("count = 1.5"));
  EXPECT_EQ(e->diags.diagnostics().at(0).message, "`count` must be a whole number; got 1.5");
}

TEST(DecodeDiagnosticsTest, E0205DuplicateBlockNotesTheFirst) {
  auto d = DecodeText(InTask("resources {}\nresources {}"));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0205"});
  EXPECT_EQ(d->Line(), 5u);
  ASSERT_EQ(d->diags.diagnostics()[0].notes.size(), 1u);
  EXPECT_EQ(d->sm.Begin(d->diags.diagnostics()[0].notes[0].range).line, 4u);
  EXPECT_EQ(d->diags.diagnostics()[0].message,
            "duplicate `resources` block; only one is allowed in `task` block");
}

TEST(DecodeDiagnosticsTest, E0205TwoJobBlocks) {
  auto d = DecodeText("job \"a\" {}\njob \"b\" {}\n");
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0205"});
  EXPECT_EQ(d->Line(), 2u);
  ASSERT_TRUE(d->job);
  EXPECT_EQ(d->job->id, "a");
}

TEST(DecodeDiagnosticsTest, E0206WrongLabelCount) {
  auto d = DecodeText("job {}\n");
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0206"});
  EXPECT_EQ(d->diags.diagnostics()[0].message, "`job` block takes 1 label (`name`); found 0");
  EXPECT_FALSE(d->job);
}

TEST(DecodeDiagnosticsTest, E0207InvalidEnumListsTheValidOnes) {
  auto d = DecodeText(InJob("type = \"servce\""));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0207"});
  EXPECT_EQ(d->diags.diagnostics()[0].message,
            "invalid value `servce` for `type`; expected one of `service`, `batch`, `system`, "
            "`sysbatch`");
  EXPECT_EQ(d->diags.diagnostics()[0].help, "did you mean `service`?");
  auto op = DecodeText(InJob("constraint {\n  operator = \"regex\"\n}"));
  ASSERT_EQ(op->Codes(), std::vector<std::string>{"E0207"});
  EXPECT_EQ(op->diags.diagnostics()[0].help, "did you mean `regexp`?");
}

TEST(DecodeDiagnosticsTest, E0208BadDuration) {
  auto d = DecodeText(InTask("kill_timeout = \"5x\""));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0208"});
  EXPECT_EQ(d->Line(), 4u);
  EXPECT_EQ(d->Column(), 16u);
  EXPECT_NE(d->diags.diagnostics()[0].message.find("invalid duration `5x` for `kill_timeout`"),
            std::string::npos);
}

TEST(DecodeDiagnosticsTest, DurationAsNumberIsNanoseconds) {
  auto d = DecodeText(InTask("kill_timeout = 1000000000"));
  ASSERT_EQ(d->Errors(), "");
  EXPECT_EQ(d->Task().kill_timeout, 1s);
}

TEST(DecodeDiagnosticsTest, E0209NoJobBlock) {
  auto d = DecodeText("# nothing here\n");
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0209"});
  EXPECT_FALSE(d->job);
}

TEST(DecodeDiagnosticsTest, E0201LeftoversAtTopLevel) {
  auto d = DecodeText("region = \"x\"\njob \"j\" {}\n");
  EXPECT_EQ(d->Codes(), std::vector<std::string>{"E0201"});
  EXPECT_EQ(d->diags.diagnostics()[0].message, "unknown attribute `region` in the job file");
  ASSERT_TRUE(d->job);
}

TEST(DecodeDiagnosticsTest, E0210MissingRequired) {
  auto d = DecodeText(InGroup("service {\n  check {\n    interval = \"1s\"\n  }\n}"));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0210"});
  EXPECT_EQ(d->Line(), 4u);
  EXPECT_EQ(d->diags.diagnostics()[0].message,
            "missing required attribute `type` in `check` block");
}

TEST(DecodeDiagnosticsTest, E0211BlockWrittenAsAttribute) {
  auto d = DecodeText(InTask("resources = { cpu = 1 }"));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0211"});
  EXPECT_EQ(d->diags.diagnostics()[0].message,
            "`resources` is a block, not an attribute; write `resources { ... }`");
}

TEST(DecodeDiagnosticsTest, E0212AttributeWrittenAsBlock) {
  auto d = DecodeText(InTask("driver {\n}"));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0212"});
  EXPECT_EQ(d->diags.diagnostics()[0].message,
            "`driver` is an attribute, not a block; write `driver = ...`");
}

TEST(DecodeDiagnosticsTest, E0213DuplicateVolumeName) {
  auto d = DecodeText(InGroup("volume \"a\" {}\nvolume \"a\" {}"));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0213"});
  EXPECT_EQ(d->Line(), 4u);
}

TEST(DecodeDiagnosticsTest, E0216OutOfRange) {
  auto d = DecodeText(InGroup("affinity {\n  weight = 200\n}\nnetwork {\n  port \"p\" { static = 70000 }\n}"));
  ASSERT_EQ(d->Codes(), (std::vector<std::string>{"E0216", "E0216"}));
  EXPECT_EQ(d->diags.diagnostics()[0].message,
            "`weight` = 200 is out of range; expected -128 to 127");
  EXPECT_EQ(d->Line(1), 7u);
}

TEST(DecodeDiagnosticsTest, E0220CronAndCrons) {
  auto d = DecodeText(InJob("periodic {\n  cron = \"@daily\"\n  crons = [\"@hourly\"]\n}"));
  ASSERT_EQ(d->Codes(), std::vector<std::string>{"E0220"});
}

TEST(DecodeDiagnosticsTest, TextRendering) {
  auto d = DecodeText(InTask("driver = \"exec\"\nkill_timeout = \"5x\""), "web.nomad");
  EXPECT_EQ(d->Text(),
            "web.nomad:5:16: error[E0208]: invalid duration `5x` for `kill_timeout`; write a "
            "number and a unit such as \"30s\", \"5m\" or \"1h30m\" (units ns, us, ms, s, m, h)\n"
            "    5 | kill_timeout = \"5x\"\n"
            "      |                ^~~~\n");
}

// ---- schema mirrors -------------------------------------------------------------------------------

TEST(SchemaTest, EnumMirrorsAgreeWithTheIr) {
  auto same = [](std::span<const std::string_view> a, std::span<const std::string_view> b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  };
  namespace sp = schema::spellings;
  EXPECT_TRUE(same(sp::JobType(), ir::Spellings(ir::JobType{})));
  EXPECT_TRUE(same(sp::RestartMode(), ir::Spellings(ir::RestartMode{})));
  EXPECT_TRUE(same(sp::DelayFunction(), ir::Spellings(ir::DelayFunction{})));
  EXPECT_TRUE(same(sp::HealthCheck(), ir::Spellings(ir::HealthCheckMode{})));
  EXPECT_TRUE(same(sp::CheckType(), ir::Spellings(ir::CheckType{})));
  EXPECT_TRUE(same(sp::AddressMode(), ir::Spellings(ir::AddressMode{})));
  EXPECT_TRUE(same(sp::ServiceProvider(), ir::Spellings(ir::ServiceProvider{})));
  EXPECT_TRUE(same(sp::OnUpdate(), ir::Spellings(ir::OnUpdate{})));
  EXPECT_TRUE(same(sp::LifecycleHook(), ir::Spellings(ir::LifecycleHook{})));
  EXPECT_TRUE(same(sp::ArtifactMode(), ir::Spellings(ir::ArtifactMode{})));
  EXPECT_TRUE(same(sp::ChangeMode(), ir::Spellings(ir::ChangeMode{})));
  EXPECT_TRUE(same(sp::VolumeType(), ir::Spellings(ir::VolumeType{})));
  EXPECT_TRUE(same(sp::ScalingType(), ir::Spellings(ir::ScalingType{})));
  for (std::string_view s : sp::VaultChangeMode()) EXPECT_TRUE(ir::ParseChangeMode(s));
}

TEST(SchemaTest, EveryBlockHasUniqueNames) {
  // Walk the whole job schema; a name used twice in one body would make decoding ambiguous.
  std::vector<const schema::BlockSpec*> todo = {&schema::JobFileSchema()};
  std::set<const schema::BlockSpec*> seen;
  while (!todo.empty()) {
    const schema::BlockSpec* s = todo.back();
    todo.pop_back();
    if (!seen.insert(s).second) continue;
    std::set<std::string_view> names;
    for (const auto& a : s->attributes) EXPECT_TRUE(names.insert(a.name).second) << a.name;
    for (const auto& b : s->blocks) {
      EXPECT_TRUE(names.insert(b.type).second) << s->name << "." << b.type;
      ASSERT_NE(b.spec, nullptr);
      todo.push_back(b.spec);
    }
  }
  EXPECT_GT(seen.size(), 40u);
}

}  // namespace
}  // namespace drover::testing
