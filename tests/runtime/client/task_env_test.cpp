// The task environment (NOMAD_* variables) and the rendering of runtime templates on the client.
#include "runtime/client/task_env.h"

#include <gtest/gtest.h>

#include "tests/runtime/runtime_fixtures.h"

namespace drover::client {
namespace {

struct Fixture {
  model::Node node;
  model::Allocation alloc;
  ir::Job job;
};

Fixture Make() {
  Fixture f;
  f.job = testing::MockJob("web-job");
  f.job.name = "web-name";
  f.job.meta = {{"owner", "ops"}, {"tier", "job"}};
  ir::TaskGroup& g = f.job.task_groups[0];
  g.meta = {{"tier", "group"}};
  ir::Task& t = g.tasks[0];
  t.meta = {{"tier", "task"}, {"Shout", "loud"}};
  t.env = {{"PORT", "${NOMAD_PORT_http}"},
           {"WHERE", "${node.unique.name}/${node.datacenter}/${attr.kernel.name}/${meta.rack}"},
           {"UNKNOWN", "${NOMAD_PORT_nope}"},
           {"FROM_ENV", "${env[\"NOMAD_ALLOC_INDEX\"]}"}};
  f.node = testing::MockNode("node-a");
  f.node.meta = {{"rack", "r1"}};
  f.alloc.id = *model::Id::Parse("4a3f8b8e-1111-2222-3333-444455556666");
  f.alloc.job_id = "web-job";
  f.alloc.task_group = "web";
  f.alloc.index = 3;
  f.alloc.namespace_ = "default";
  model::JobVersion v;
  v.spec = f.job;
  f.alloc.job = std::make_shared<const model::JobVersion>(v);
  f.alloc.resources.tasks.push_back({"server", 250, 0, 128, 256});
  f.alloc.resources.ports.push_back({"http", 24195, 0, "127.0.0.2"});
  f.alloc.resources.ports.push_back({"db", 21000, 5432, "127.0.0.2"});
  return f;
}

TEST(TaskEnvTest, SetsNomadVariables) {
  Fixture f = Make();
  TaskPaths paths{"/data/alloc/x", "/data/alloc/x/server", /*isolated=*/true};
  TaskEnv env = TaskEnv::Build(f.alloc, f.job.task_groups[0], f.job.task_groups[0].tasks[0], f.node,
                               "europe", paths);
  const auto& v = env.vars();
  EXPECT_EQ(v.at("NOMAD_ALLOC_ID"), "4a3f8b8e-1111-2222-3333-444455556666");
  EXPECT_EQ(v.at("NOMAD_SHORT_ALLOC_ID"), "4a3f8b8e");
  EXPECT_EQ(v.at("NOMAD_ALLOC_NAME"), "web-job.web[3]");
  EXPECT_EQ(v.at("NOMAD_ALLOC_INDEX"), "3");
  EXPECT_EQ(v.at("NOMAD_JOB_ID"), "web-job");
  EXPECT_EQ(v.at("NOMAD_JOB_NAME"), "web-name");
  EXPECT_EQ(v.at("NOMAD_GROUP_NAME"), "web");
  EXPECT_EQ(v.at("NOMAD_TASK_NAME"), "server");
  EXPECT_EQ(v.at("NOMAD_DC"), "dc1");
  EXPECT_EQ(v.at("NOMAD_REGION"), "europe");
  EXPECT_EQ(v.at("NOMAD_NAMESPACE"), "default");
  EXPECT_EQ(v.at("NOMAD_CPU_LIMIT"), "250");
  EXPECT_EQ(v.at("NOMAD_MEMORY_LIMIT"), "128");
  EXPECT_EQ(v.at("NOMAD_MEMORY_MAX_LIMIT"), "256");
  EXPECT_EQ(v.at("NOMAD_ALLOC_DIR"), "/alloc");
  EXPECT_EQ(v.at("NOMAD_TASK_DIR"), "/local");
  EXPECT_EQ(v.at("NOMAD_SECRETS_DIR"), "/secrets");
  // Ports: NOMAD_PORT_ is the port inside the task (`to` when mapped).
  EXPECT_EQ(v.at("NOMAD_PORT_http"), "24195");
  EXPECT_EQ(v.at("NOMAD_HOST_PORT_http"), "24195");
  EXPECT_EQ(v.at("NOMAD_IP_http"), "127.0.0.2");
  EXPECT_EQ(v.at("NOMAD_ADDR_http"), "127.0.0.2:24195");
  EXPECT_EQ(v.at("NOMAD_HOST_IP_http"), "127.0.0.2");
  EXPECT_EQ(v.at("NOMAD_HOST_ADDR_http"), "127.0.0.2:24195");
  EXPECT_EQ(v.at("NOMAD_PORT_db"), "5432");
  EXPECT_EQ(v.at("NOMAD_HOST_PORT_db"), "21000");
  EXPECT_EQ(v.at("NOMAD_ADDR_db"), "127.0.0.2:21000");
  // Meta: the task's wins over the group's over the job's; also upper-cased.
  EXPECT_EQ(v.at("NOMAD_META_owner"), "ops");
  EXPECT_EQ(v.at("NOMAD_META_OWNER"), "ops");
  EXPECT_EQ(v.at("NOMAD_META_tier"), "task");
  EXPECT_EQ(v.at("NOMAD_META_TIER"), "task");
  EXPECT_EQ(v.at("NOMAD_META_Shout"), "loud");
  EXPECT_EQ(v.at("NOMAD_META_SHOUT"), "loud");
  // The job's env, rendered.
  EXPECT_EQ(v.at("PORT"), "24195");
  EXPECT_EQ(v.at("WHERE"), "node-a/dc1/linux/r1");
  EXPECT_EQ(v.at("UNKNOWN"), "${NOMAD_PORT_nope}");
  EXPECT_EQ(v.at("FROM_ENV"), "3");
  ASSERT_EQ(env.ports().size(), 2u);
  EXPECT_EQ(env.ports()[1].label, "db");
  EXPECT_EQ(env.ports()[1].host_port, 21000);
  EXPECT_EQ(env.ports()[1].ContainerPort(), 5432);
  EXPECT_EQ(env.ports()[0].ContainerPort(), 24195);
}

TEST(TaskEnvTest, HostPathsWithoutIsolationAndHostEnvUnderneath) {
  Fixture f = Make();
  TaskPaths paths{"/data/alloc/x", "/data/alloc/x/server", /*isolated=*/false};
  TaskEnv env =
      TaskEnv::Build(f.alloc, f.job.task_groups[0], f.job.task_groups[0].tasks[0], f.node, "global",
                     paths, {{"PATH", "/usr/bin"}, {"NOMAD_TASK_NAME", "from-host"}});
  EXPECT_EQ(env.vars().at("NOMAD_ALLOC_DIR"), "/data/alloc/x/alloc");
  EXPECT_EQ(env.vars().at("NOMAD_TASK_DIR"), "/data/alloc/x/server/local");
  EXPECT_EQ(env.vars().at("NOMAD_SECRETS_DIR"), "/data/alloc/x/server/secrets");
  EXPECT_EQ(env.vars().at("PATH"), "/usr/bin");
  EXPECT_EQ(env.vars().at("NOMAD_TASK_NAME"), "server");
}

TEST(TaskEnvTest, RendersConfigRecursivelyAndServices) {
  Fixture f = Make();
  TaskEnv env = TaskEnv::Build(f.alloc, f.job.task_groups[0], f.job.task_groups[0].tasks[0], f.node,
                               "global", {"/a", "/a/server", true});
  nlohmann::json config = {
      {"image", "app:${meta.rack}"},
      {"args", {"-listen", "${NOMAD_ADDR_http}", 7}},
      {"labels", {{{"node", "${node.unique.id}"}, {"${NOMAD_PORT_http}", "key kept"}}}},
      {"ports", {"http"}}};
  nlohmann::json rendered = env.RenderJson(config);
  EXPECT_EQ(rendered["image"], "app:r1");
  EXPECT_EQ(rendered["args"][1], "127.0.0.2:24195");
  EXPECT_EQ(rendered["args"][2], 7);
  EXPECT_EQ(rendered["labels"][0]["node"], f.node.id.ToString());
  EXPECT_TRUE(rendered["labels"][0].contains("${NOMAD_PORT_http}"));

  ir::Service s;
  s.name = "${JOB}-${TASK}-${node.unique.name}";
  s.tags = {"urlprefix-/${NOMAD_ALLOC_INDEX}", "${BASE}"};
  ir::Service r = RenderService(s, env, "web-job", "web", "server");
  EXPECT_EQ(r.name, "web-job-server-node-a");
  EXPECT_EQ(r.tags[0], "urlprefix-/3");
  EXPECT_EQ(r.tags[1], "web-job-web-server");
}

}  // namespace
}  // namespace drover::client
