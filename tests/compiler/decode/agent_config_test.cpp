// Agent configuration: decoding (HCL and JSON form), diagnostics, and the merge of several files.
#include <gtest/gtest.h>

#include "compiler/compile/compile.h"
#include "compiler/decode/agent_config_decoder.h"
#include "compiler/diag/render.h"

namespace drover::testing {
namespace {

using namespace std::chrono_literals;

struct Loaded {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  std::optional<ir::AgentConfig> config;
  std::string Errors() {
    diags.SortByLocation();
    return diag::RenderAll(diags.diagnostics(), sm, diag::DiagFormat::kGcc);
  }
};

/// Compiles (name, text) files in order.
std::unique_ptr<Loaded> Load(std::vector<std::pair<std::string, std::string>> files) {
  auto out = std::make_unique<Loaded>();
  std::vector<diag::FileId> ids;
  for (auto& [name, text] : files) ids.push_back(out->sm.AddBuffer(name, text));
  out->config = compile::CompileAgentConfig(out->sm, ids, out->diags);
  return out;
}

constexpr const char* kServerClient = R"(
region     = "eu"
datacenter = "dc1"
name       = "node-1"
data_dir   = "/var/lib/drover"
log_level  = "info"
bind_addr  = "0.0.0.0"
advertise {
  http = "10.0.0.1"
  rpc  = "10.0.0.1:4647"
}
ports {
  http = 5646
  serf = 5648
}
server {
  enabled          = true
  bootstrap_expect = 3
  heartbeat_grace  = "30s"
  server_join {
    retry_join = ["10.0.0.2", "10.0.0.3"]
  }
}
client {
  enabled           = true
  servers           = ["10.0.0.1:4647"]
  network_interface = "eth0"
  node_class        = "web"
  options = {
    "driver.raw_exec.enable" = "1"
  }
  meta {
    rack = "r1"
  }
  reserved {
    cpu            = 500
    memory         = 512
    reserved_ports = "22,80"
  }
  host_network "public" {
    cidr = "203.0.113.0/24"
  }
  host_volume "data" {
    path      = "/srv/data"
    read_only = true
  }
}
plugin "docker" {
  config {
    allow_privileged = true
    volumes {
      enabled = true
    }
  }
}
consul {
  address = "127.0.0.1:8500"
}
telemetry {
  publish_allocation_metrics = true
}
)";

TEST(AgentConfigTest, DecodesEveryPart) {
  auto l = Load({{"agent.hcl", kServerClient}});
  ASSERT_TRUE(l->config) << l->Errors();
  const ir::AgentConfig& c = *l->config;
  EXPECT_EQ(c.region, "eu");
  EXPECT_EQ(c.datacenter, "dc1");
  EXPECT_EQ(c.name, "node-1");
  EXPECT_EQ(c.log_level, "INFO");
  EXPECT_EQ(c.bind_addr, "0.0.0.0");
  EXPECT_EQ(c.advertise.http, "10.0.0.1");
  EXPECT_EQ(c.advertise.rpc, "10.0.0.1:4647");
  EXPECT_EQ(c.ports.http, 5646);
  EXPECT_FALSE(c.ports.rpc);
  ASSERT_TRUE(c.server);
  EXPECT_EQ(c.server->enabled, true);
  EXPECT_EQ(c.server->bootstrap_expect, 3);
  EXPECT_EQ(c.server->heartbeat_grace, 30s);
  ASSERT_TRUE(c.server->server_join);
  EXPECT_EQ(c.server->server_join->retry_join.size(), 2u);
  ASSERT_TRUE(c.client);
  EXPECT_EQ(c.client->servers, std::vector<std::string>{"10.0.0.1:4647"});
  EXPECT_EQ(c.client->options.at("driver.raw_exec.enable"), "1");
  EXPECT_EQ(c.client->meta.at("rack"), "r1");
  ASSERT_TRUE(c.client->reserved);
  EXPECT_EQ(c.client->reserved->memory_mb, 512);
  EXPECT_EQ(c.client->reserved->reserved_ports, "22,80");
  ASSERT_EQ(c.client->host_networks.size(), 1u);
  EXPECT_EQ(c.client->host_networks[0].name, "public");
  ASSERT_EQ(c.client->host_volumes.size(), 1u);
  EXPECT_TRUE(c.client->host_volumes[0].read_only);
  const ir::PluginConfig* docker = c.FindPlugin("docker");
  ASSERT_NE(docker, nullptr);
  EXPECT_EQ(docker->config,
            nlohmann::json::parse(R"({"allow_privileged": true, "volumes": [{"enabled": true}]})"));
  ASSERT_TRUE(c.consul);
  EXPECT_EQ(c.consul->address, "127.0.0.1:8500");
  EXPECT_EQ(c.unused["telemetry"]["publish_allocation_metrics"], true);
  EXPECT_EQ(l->sm.Begin(c.ports.origin.Field("http")).line, 13u);
}

TEST(AgentConfigTest, JsonForm) {
  auto l = Load({{"agent.json", R"({
    "log_level": "debug",
    "server": {"enabled": true},
    "client": {"enabled": true, "meta": {"a": "b"},
               "host_network": {"private": {"cidr": "10.0.0.0/8"}}},
    "plugin": {"raw_exec": {"config": {"enabled": true}}},
    "ports": [{"http": 4000}]
  })"}});
  ASSERT_TRUE(l->config) << l->Errors();
  EXPECT_EQ(l->config->log_level, "DEBUG");
  EXPECT_EQ(l->config->server->enabled, true);
  EXPECT_EQ(l->config->client->meta.at("a"), "b");
  ASSERT_EQ(l->config->client->host_networks.size(), 1u);
  EXPECT_EQ(l->config->client->host_networks[0].cidr, "10.0.0.0/8");
  EXPECT_EQ(l->config->FindPlugin("raw_exec")->config, nlohmann::json::parse(R"({"enabled":true})"));
  EXPECT_EQ(l->config->ports.http, 4000);
}

TEST(AgentConfigTest, Diagnostics) {
  auto l = Load({{"bad.hcl", "log_level = \"loud\"\nclient {\n  enabeld = true\n}\n"
                             "plugin \"docker\" {}\nplugin \"docker\" {}\nports {\n  http = 70000\n}\n"}});
  EXPECT_FALSE(l->config);
  EXPECT_EQ(l->Errors(),
            "bad.hcl:1:13: error: invalid value `loud` for `log_level`; expected one of `TRACE`, "
            "`DEBUG`, `INFO`, `WARN`, `ERROR`, `OFF` [E0207]\n"
            "bad.hcl:3:3: error: unknown attribute `enabeld` in `client` block [E0201]\n"
            "bad.hcl:6:8: error: duplicate `plugin` block `docker` [E0213]\n"
            "bad.hcl:5:8: note: first defined here\n"
            "bad.hcl:8:10: error: `http` = 70000 is out of range; expected 0 to 65535 [E0216]\n");
}

TEST(AgentConfigTest, InvalidJsonIsLocated) {
  auto l = Load({{"bad.json", "{\n  \"log_level\": \"info\",\n}\n"}});
  EXPECT_FALSE(l->config);
  ASSERT_EQ(l->diags.diagnostics().size(), 1u);
  EXPECT_EQ(diag::Info(l->diags.diagnostics()[0].kind).code, "E0218");
  EXPECT_EQ(l->sm.Begin(l->diags.diagnostics()[0].range).line, 3u);
}

TEST(AgentConfigTest, LaterFilesWin) {
  auto l = Load({{"10-base.hcl", kServerClient},
                 {"20-more.hcl", R"(
log_level = "warn"
client {
  servers = ["10.0.0.9:4647"]
  meta {
    zone = "a"
  }
  host_network "public" {
    cidr = "198.51.100.0/24"
  }
  host_network "private" {
    cidr = "10.0.0.0/8"
  }
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}
)"},
                 {"30-last.json", R"({"datacenter": "dc2", "plugin": {"docker": {"args": ["-v"]}}})"}});
  ASSERT_TRUE(l->config) << l->Errors();
  const ir::AgentConfig& c = *l->config;
  EXPECT_EQ(c.log_level, "WARN");
  EXPECT_EQ(c.datacenter, "dc2");
  EXPECT_EQ(c.region, "eu");  // untouched by later files
  EXPECT_EQ(c.client->servers, std::vector<std::string>{"10.0.0.9:4647"});  // lists replace
  EXPECT_EQ(c.client->meta, (ir::StringMap{{"rack", "r1"}, {"zone", "a"}}));  // maps merge
  EXPECT_EQ(c.client->node_class, "web");
  ASSERT_EQ(c.client->host_networks.size(), 2u);  // named blocks merge by name
  EXPECT_EQ(c.client->host_networks[0].cidr, "198.51.100.0/24");
  EXPECT_EQ(c.client->host_networks[1].name, "private");
  ASSERT_EQ(c.plugins.size(), 2u);
  EXPECT_EQ(c.FindPlugin("docker")->args, std::vector<std::string>{"-v"});
  EXPECT_TRUE(c.FindPlugin("docker")->config.is_null());  // replaced as a whole
  EXPECT_NE(c.FindPlugin("raw_exec"), nullptr);
  EXPECT_EQ(c.server->bootstrap_expect, 3);
}

}  // namespace
}  // namespace drover::testing
