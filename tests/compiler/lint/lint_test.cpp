// One positive and one negative case (at least) per lint rule, on jobs compiled by the real
// pipeline (sema included), as `drover lint` runs them.
#include <gtest/gtest.h>

#include "compiler/lint/lint.h"
#include "tests/compiler/compile/corpus_support.h"

namespace drover::testing {
namespace {

struct Linted {
  std::unique_ptr<CompiledFile> compiled;
  diag::DiagnosticEngine lint;
  std::vector<std::string> Codes() const {
    std::vector<std::string> out;
    for (const auto& d : lint.diagnostics()) out.push_back(std::string(diag::Info(d.kind).code));
    return out;
  }
  uint32_t Line(size_t i = 0) const {
    return compiled->sm.Begin(lint.diagnostics().at(i).range).line;
  }
  uint32_t Column(size_t i = 0) const {
    return compiled->sm.Begin(lint.diagnostics().at(i).range).column;
  }
  const diag::Diagnostic& At(size_t i = 0) const { return lint.diagnostics().at(i); }
};

std::unique_ptr<Linted> LintText(const std::string& text) {
  auto out = std::make_unique<Linted>();
  out->compiled = CompileText(text);
  EXPECT_TRUE(out->compiled->result.ok()) << out->compiled->Errors();
  if (out->compiled->result.job) lint::Lint(*out->compiled->result.job, out->lint);
  return out;
}

/// A job with one group and one task; `group` and `task` are inserted into their bodies.
std::string Job(const std::string& group, const std::string& task,
                const std::string& job_extra = "") {
  return "job \"j\" {\n" + job_extra + "  group \"g\" {\n" + group +
         "    task \"t\" {\n      driver = \"docker\"\n      config { image = \"app:1.0\" }\n" +
         task + "    }\n  }\n}\n";
}

TEST(LintTest, CleanJobHasNoWarnings) {
  auto l = LintText(Job("    count = 2\n    network {\n      port \"http\" {}\n    }\n",
                        "      resources { memory = 128 }\n"));
  EXPECT_EQ(l->Codes(), std::vector<std::string>{});
}

TEST(LintTest, W0901StaticPortWithCount) {
  auto l = LintText(Job("    count = 3\n    network {\n      port \"http\" { static = 8080 }\n    }\n", ""));
  ASSERT_EQ(l->Codes(), std::vector<std::string>{"W0901"});
  EXPECT_EQ(l->Line(), 5u);
  EXPECT_EQ(l->At().message,
            "static port `http` (8080) in group `g` with count 3: two allocations on one node "
            "cannot both bind it");
  EXPECT_FALSE(l->At().help.empty());
}

TEST(LintTest, W0901NotWithCountOneOrDistinctHostsOrSystemJobs) {
  std::string port = "    network {\n      port \"http\" { static = 8080 }\n    }\n";
  EXPECT_EQ(LintText(Job("    count = 1\n" + port, ""))->Codes(), std::vector<std::string>{});
  EXPECT_EQ(LintText(Job("    count = 3\n    constraint { distinct_hosts = true }\n" + port, ""))
                ->Codes(),
            std::vector<std::string>{});
  EXPECT_EQ(LintText(Job(port, "", "  type = \"system\"\n"))->Codes(), std::vector<std::string>{});
}

TEST(LintTest, W0902UrlprefixWithoutCheck) {
  std::string service =
      "    network {\n      port \"http\" {}\n    }\n    service {\n      port = \"http\"\n"
      "      tags = [\"urlprefix-/app\"]\n";
  auto l = LintText(Job(service + "    }\n", ""));
  ASSERT_EQ(l->Codes(), std::vector<std::string>{"W0902"});
  EXPECT_EQ(l->Line(), 8u);
  auto ok = LintText(Job(service +
                             "      check {\n        type = \"http\"\n        path = \"/\"\n"
                             "        interval = \"10s\"\n        timeout = \"2s\"\n      }\n    }\n",
                         ""));
  EXPECT_EQ(ok->Codes(), std::vector<std::string>{});
}

TEST(LintTest, W0903CanaryTagsWithoutCanaries) {
  std::string service =
      "    network {\n      port \"http\" {}\n    }\n    service {\n      port = \"http\"\n"
      "      canary_tags = [\"canary\"]\n    }\n";
  auto l = LintText(Job(service, ""));
  ASSERT_EQ(l->Codes(), std::vector<std::string>{"W0903"});
  EXPECT_EQ(l->Line(), 8u);
  EXPECT_EQ(LintText(Job(service + "    update { canary = 1 }\n", ""))->Codes(),
            std::vector<std::string>{});
  EXPECT_EQ(LintText(Job(service, "", "  update { canary = 1 }\n"))->Codes(),
            std::vector<std::string>{});
}

TEST(LintTest, W0904UnpinnedImages) {
  auto image = [](const std::string& name) {
    return "job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"docker\"\n"
           "      config { image = \"" + name + "\" }\n    }\n  }\n}\n";
  };
  auto no_tag = LintText(image("redis"));
  ASSERT_EQ(no_tag->Codes(), std::vector<std::string>{"W0904"});
  EXPECT_EQ(no_tag->Line(), 5u);
  EXPECT_EQ(no_tag->Column(), 24u);
  EXPECT_NE(no_tag->At().message.find("has no tag"), std::string::npos);
  auto latest = LintText(image("registry.local:5000/team/app:latest"));
  ASSERT_EQ(latest->Codes(), std::vector<std::string>{"W0904"});
  EXPECT_NE(latest->At().message.find("`latest`"), std::string::npos);
  EXPECT_EQ(LintText(image("localhost:5000/app"))->Codes(), std::vector<std::string>{"W0904"});
  EXPECT_EQ(LintText(image("localhost:5000/app:1.2"))->Codes(), std::vector<std::string>{});
  EXPECT_EQ(LintText(image("app@sha256:0123abcd"))->Codes(), std::vector<std::string>{});
  EXPECT_EQ(LintText(image("${NOMAD_META_image}"))->Codes(), std::vector<std::string>{});
}

TEST(LintTest, W0905LowMemory) {
  auto l = LintText(Job("", "      resources { memory = 16 }\n"));
  ASSERT_EQ(l->Codes(), std::vector<std::string>{"W0905"});
  EXPECT_EQ(l->Line(), 6u);
  EXPECT_EQ(LintText(Job("", "      resources { memory = 32 }\n"))->Codes(),
            std::vector<std::string>{});
}

TEST(LintTest, W0906UnknownKernel) {
  auto l = LintText(Job("    constraint {\n      attribute = \"${attr.kernel.name}\"\n"
                        "      value     = \"linx\"\n    }\n",
                        ""));
  ASSERT_EQ(l->Codes(), std::vector<std::string>{"W0906"});
  EXPECT_EQ(l->Line(), 3u);
  EXPECT_EQ(l->At().help, "did you mean `linux`?");
}

TEST(LintTest, W0906ExecNeedsLinux) {
  std::string text =
      "job \"j\" {\n  constraint {\n    attribute = \"${attr.kernel.name}\"\n"
      "    value     = \"windows\"\n  }\n  group \"g\" {\n    task \"t\" {\n"
      "      driver = \"DRIVER\"\n      config { command = \"/bin/true\" }\n    }\n  }\n}\n";
  auto exec = LintText(std::string(text).replace(text.find("DRIVER"), 6, "exec"));
  ASSERT_EQ(exec->Codes(), std::vector<std::string>{"W0906"});
  EXPECT_EQ(exec->Line(), 2u);
  EXPECT_NE(exec->At().message.find("runs only on Linux"), std::string::npos);
  auto raw = LintText(std::string(text).replace(text.find("DRIVER"), 6, "raw_exec"));
  EXPECT_EQ(raw->Codes(), std::vector<std::string>{});
}

TEST(LintTest, W0906ContradictoryConstraints) {
  auto l = LintText(Job("    constraint {\n      attribute = \"${node.class}\"\n"
                        "      value = \"gpu\"\n    }\n",
                        "      constraint {\n        attribute = \"${node.class}\"\n"
                        "        value = \"cpu\"\n      }\n",
                        "  constraint {\n    attribute = \"${node.class}\"\n    value = \"gpu\"\n  }\n"));
  ASSERT_EQ(l->Codes(), std::vector<std::string>{"W0906"});
  EXPECT_EQ(l->Line(), 14u);
  ASSERT_EQ(l->At().notes.size(), 1u);
}

TEST(LintTest, W0907UnknownRuntimeVariables) {
  auto l = LintText(Job("    network {\n      port \"http\" {}\n    }\n",
                        "      env {\n        A = \"${vars.region}\"\n"
                        "        B = \"${node.uniqe.name}\"\n        C = \"${NOMAD_PORT_htp}\"\n"
                        "        D = \"${NOMAD_ALOC_DIR}/x\"\n      }\n"));
  ASSERT_EQ(l->Codes(), (std::vector<std::string>{"W0907", "W0907", "W0907", "W0907"}));
  std::vector<std::string> helps;
  for (const auto& d : l->lint.diagnostics()) helps.push_back(d.help);
  std::sort(helps.begin(), helps.end());
  EXPECT_EQ(helps, (std::vector<std::string>{
                       "did you mean `${NOMAD_ALLOC_DIR}`?", "did you mean `${NOMAD_PORT_http}`?",
                       "did you mean `${node.unique.name}`?", "did you mean `${var.region}`?"}));
}

TEST(LintTest, W0907KnownVariablesPass) {
  auto l = LintText(Job("    network {\n      port \"http\" {}\n      port \"api-v2\" {}\n    }\n",
                        "      env {\n        A = \"${NOMAD_PORT_http}:${NOMAD_ADDR_api-v2}\"\n"
                        "        B = \"${node.unique.name}-${attr.kernel.name}-${meta.rack}\"\n"
                        "        C = \"${NOMAD_ALLOC_DIR}/${NOMAD_META_x}/${HOME}\"\n"
                        "        D = \"${env[\"PATH\"]}\"\n      }\n"));
  EXPECT_EQ(l->Codes(), std::vector<std::string>{});
}

}  // namespace
}  // namespace drover::testing
