// EvaluateFile: the evaluated document, variables and their sources and precedence, validation,
// locals (order, cycles), dynamic blocks.
#include <gtest/gtest.h>

#include "tests/compiler/eval/eval_helpers.h"

namespace drover::eval {
namespace {

std::string Attr(const EvalBody& body, const std::string& name) {
  const EvalAttribute* a = body.FindAttribute(name);
  return a ? a->value.ToString() : "<missing>";
}

const EvalBody& Job(const EvalBody& file) {
  auto jobs = file.BlocksOfType("job");
  EXPECT_EQ(jobs.size(), 1u);
  return jobs[0]->body;
}

TEST(DocumentTest, KeepsStructureLabelsAndRanges) {
  EvalFixture f;
  auto body = f.File(R"(job "web" {
  datacenters = ["dc1"]
  group "g" {
    count = 1 + 2
    task "t" { driver = "docker" }
  }
}
)");
  ASSERT_TRUE(body) << f.Errors();
  ASSERT_EQ(body->blocks.size(), 1u);
  const EvalBlock& job = body->blocks[0];
  EXPECT_EQ(job.type, "job");
  EXPECT_EQ(job.labels, std::vector<std::string>{"web"});
  EXPECT_EQ(f.sm.Text(job.label_ranges[0]), "\"web\"");
  EXPECT_EQ(f.sm.Text(job.type_range), "job");
  const EvalBlock& group = *job.body.BlocksOfType("group")[0];
  const EvalAttribute* count = group.body.FindAttribute("count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->value.ToString(), "3");
  EXPECT_EQ(f.sm.Text(count->name_range), "count");
  EXPECT_EQ(f.sm.Text(count->value.range()), "1 + 2");
  EXPECT_EQ(f.sm.Text(count->range), "count = 1 + 2");
  EXPECT_EQ(group.body.BlocksOfType("task")[0]->body.FindAttribute("driver")->value.ToString(),
            "\"docker\"");
  EXPECT_EQ(job.body.FindAttribute("nope"), nullptr);
}

TEST(DocumentTest, ExpressionErrorsLeaveUnknownValuesAndEvaluationGoesOn) {
  EvalFixture f;
  auto body = f.File("job \"x\" {\n  a = 1 + \"b\"\n  b = upper(\"ok\")\n  c = [][1]\n}\n");
  ASSERT_TRUE(body);
  EXPECT_EQ(f.Codes(), (std::vector<std::string>{"E0414", "E0416"}));
  const EvalBody& job = Job(*body);
  EXPECT_TRUE(job.FindAttribute("a")->value.IsUnknown());
  EXPECT_EQ(Attr(job, "b"), "\"OK\"");
}

TEST(DocumentTest, RuntimeReferencesInJobFile) {
  EvalFixture f;
  f.options.cli_variables = {{"x", "value"}};
  auto body = f.File(R"(variable "x" { type = string }
job "j" {
  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }
  meta { name = "${node.unique.name}-${var.x}" }
  env = { ADDR = "http://${attr.unique.hostname}:8080", UNKNOWN = "${UNKNOWN}" }
}
)");
  ASSERT_TRUE(body) << f.Errors();
  EXPECT_TRUE(f.diags.diagnostics().empty()) << f.Errors();
  const EvalBody& job = Job(*body);
  const EvalAttribute* attr = job.BlocksOfType("constraint")[0]->body.FindAttribute("attribute");
  EXPECT_EQ(attr->value.ToString(), "\"${attr.kernel.name}\"");
  EXPECT_TRUE(attr->value.IsRuntime());
  EXPECT_EQ(Attr(job.BlocksOfType("meta")[0]->body, "name"), "\"${node.unique.name}-value\"");
  EXPECT_EQ(Attr(job, "env"),
            "{ ADDR = \"http://${attr.unique.hostname}:8080\", UNKNOWN = \"${UNKNOWN}\" }");
}

// ---- variables ----

constexpr const char* kRegionJob = R"(variable "region" {
  type    = string
  default = "default"
}
job "j" { region = var.region }
)";

std::string Region(EvalFixture& f) {
  auto body = f.File(kRegionJob);
  if (!body) return "ERROR: " + f.Errors();
  return Attr(Job(*body), "region");
}

TEST(VariableTest, PrecedenceDefaultsEnvVarFilesCli) {
  {
    EvalFixture f;
    EXPECT_EQ(Region(f), "\"default\"");
  }
  {
    EvalFixture f;
    f.options.env = {{"NOMAD_VAR_region", "env"}, {"PATH", "/bin"}};
    EXPECT_EQ(Region(f), "\"env\"");
  }
  {
    EvalFixture f;
    f.options.env = {{"NOMAD_VAR_region", "env"}};
    f.AddVarFile("a.hcl", "region = \"file-a\"\n");
    f.AddVarFile("b.hcl", "region = \"file-b\"\n");
    EXPECT_EQ(Region(f), "\"file-b\"");
  }
  {
    EvalFixture f;
    f.options.env = {{"NOMAD_VAR_region", "env"}};
    f.AddVarFile("a.hcl", "region = \"file-a\"\n");
    f.options.cli_variables = {{"region", "cli-1"}, {"region", "cli-2"}};
    EXPECT_EQ(Region(f), "\"cli-2\"");
  }
}

TEST(VariableTest, JsonVarFiles) {
  EvalFixture f;
  f.AddVarFile("vals.json", R"({"region": "from-json"})");
  EXPECT_EQ(Region(f), "\"from-json\"");
  EvalFixture g;
  g.AddVarFile("bad.json", "{");
  g.File(kRegionJob);
  EXPECT_EQ(g.Codes()[0], "E0422");
}

TEST(VariableTest, CliValuesAreParsedForNonStringTypes) {
  EvalFixture f;
  f.options.cli_variables = {{"ports", "[80, 443]"},
                             {"n", "3"},
                             {"on", "true"},
                             {"m", "{a = \"b\"}"},
                             {"s", "[not parsed]"}};
  auto body = f.File(R"(variable "ports" { type = list(number) }
variable "n" { type = number }
variable "on" { type = bool }
variable "m" { type = map(string) }
variable "s" { type = string }
job "j" {
  ports = var.ports
  n     = var.n + 1
  on    = !var.on
  m     = var.m
  s     = var.s
}
)");
  ASSERT_TRUE(body) << f.Errors();
  const EvalBody& job = Job(*body);
  EXPECT_EQ(Attr(job, "ports"), "[80, 443]");
  EXPECT_EQ(job.FindAttribute("ports")->value.type().ToString(), "list(number)");
  EXPECT_EQ(Attr(job, "n"), "4");
  EXPECT_EQ(Attr(job, "on"), "false");
  EXPECT_EQ(Attr(job, "m"), "{ a = \"b\" }");
  EXPECT_EQ(Attr(job, "s"), "\"[not parsed]\"");
}

TEST(VariableTest, UntypedVariablesTakeTheDefaultsType) {
  EvalFixture f;
  f.options.cli_variables = {{"count", "5"}, {"tags", "[\"a\", \"b\", \"c\"]"}};
  auto body = f.File(R"(variable "count" { default = 1 }
variable "tags" { default = ["x"] }
job "j" {
  count = var.count
  tags  = var.tags
}
)");
  ASSERT_TRUE(body) << f.Errors();
  EXPECT_EQ(Attr(Job(*body), "count"), "5");
  EXPECT_EQ(Attr(Job(*body), "tags"), "[\"a\", \"b\", \"c\"]");
}

TEST(VariableTest, VariablesShorthand) {
  EvalFixture f;
  auto body =
      f.File("variables {\n  a = 1\n  b = \"x\"\n}\njob \"j\" { v = \"${var.a}${var.b}\" }\n");
  ASSERT_TRUE(body) << f.Errors();
  EXPECT_EQ(Attr(Job(*body), "v"), "\"1x\"");
}

TEST(VariableTest, UnsetVariableIsAnErrorNamingIt) {
  EvalFixture f;
  auto body = f.File("variable \"nodeID\" {}\njob \"j\" { a = var.nodeID }\n");
  EXPECT_FALSE(body);
  EXPECT_EQ(f.OnlyCode(), "E0403");
  EXPECT_EQ(f.Message(),
            "variable `nodeID` needs to be set; pass `-var nodeID=...` or give it a default");
  EXPECT_EQ(f.PointsAt(), "\"nodeID\"");
}

TEST(VariableTest, UndeclaredCliVariableIsAnErrorUnlessNotStrict) {
  EvalFixture f;
  f.options.cli_variables = {{"regoin", "x"}};
  EXPECT_EQ(Region(f).substr(0, 6), "ERROR:");
  EXPECT_EQ(f.OnlyCode(), "E0404");
  EXPECT_EQ(f.diags.diagnostics()[0].help, "did you mean `region`?");

  EvalFixture g;
  g.options.strict = false;
  g.options.cli_variables = {{"other", "x"}};
  EXPECT_EQ(Region(g), "\"default\"");
  EXPECT_EQ(g.OnlyCode(), "W0401");
}

TEST(VariableTest, UndeclaredEnvIsIgnoredAndVarFileEntryIsAnError) {
  EvalFixture f;
  f.options.env = {{"NOMAD_VAR_other", "x"}};
  EXPECT_EQ(Region(f), "\"default\"");
  EXPECT_TRUE(f.diags.diagnostics().empty());
  EvalFixture g;
  g.AddVarFile("v.hcl", "other = 1\n");
  Region(g);
  EXPECT_EQ(g.OnlyCode(), "E0404");
  EXPECT_EQ(g.PointsAt(), "other");
}

TEST(VariableTest, TypeConversionFailuresAreLocated) {
  EvalFixture f;
  f.AddVarFile("v.hcl", "ports = [\"http\", [1]]\n");
  f.File("variable \"ports\" { type = list(string) }\njob \"j\" {}\n");
  ASSERT_FALSE(f.diags.diagnostics().empty());
  EXPECT_EQ(f.Codes()[0], "E0405");
  EXPECT_EQ(f.PointsAt(), "[1]");

  EvalFixture g;
  g.options.cli_variables = {{"n", "many"}};
  g.File("variable \"n\" { type = number }\njob \"j\" {}\n");
  EXPECT_EQ(g.Codes()[0], "E0405");
  EXPECT_NE(g.Message().find("a number is required"), std::string::npos);

  EvalFixture h;
  h.File("variable \"n\" {\n  type = number\n  default = \"x\"\n}\njob \"j\" {}\n");
  EXPECT_EQ(h.Codes()[0], "E0405");
  EXPECT_EQ(h.PointsAt(), "\"x\"");
}

TEST(VariableTest, DefaultsMayNotReferToVariables) {
  EvalFixture f;
  f.File("variable \"a\" { default = \"x\" }\nvariable \"b\" { default = var.a }\njob \"j\" {}\n");
  EXPECT_EQ(f.Codes()[0], "E0428");
  EXPECT_EQ(f.PointsAt(), "var.a");
  // The variable has a default, only a bad one: no "needs to be set" on top.
  EXPECT_EQ(f.OnlyCode(), "E0428");
}

TEST(VariableTest, UnknownArgumentSuggestsTheClosest) {
  EvalFixture f;
  f.File("variable \"a\" { defualt = \"x\" }\njob \"j\" {}\n");
  ASSERT_EQ(f.Codes(), (std::vector<std::string>{"E0424", "E0403"}));
  EXPECT_EQ(f.diags.diagnostics()[0].help, "did you mean `default`?");
}

TEST(VariableTest, Validation) {
  constexpr const char* kJob = R"(variable "count" {
  type = number
  validation {
    condition     = var.count > 0 && var.count < 10
    error_message = "The count must be between 1 and 9."
  }
}
job "j" { count = var.count }
)";
  EvalFixture ok;
  ok.options.cli_variables = {{"count", "3"}};
  auto body = ok.File(kJob);
  ASSERT_TRUE(body) << ok.Errors();
  EXPECT_EQ(Attr(Job(*body), "count"), "3");

  EvalFixture bad;
  bad.AddVarFile("v.hcl", "count = 12\n");
  EXPECT_FALSE(bad.File(kJob));
  EXPECT_EQ(bad.OnlyCode(), "E0406");
  EXPECT_EQ(bad.Message(),
            "invalid value for variable `count`: The count must be between 1 and 9.");
  EXPECT_EQ(bad.PointsAt(), "12");
  ASSERT_EQ(bad.diags.diagnostics()[0].notes.size(), 1u);
  EXPECT_EQ(bad.sm.Text(bad.diags.diagnostics()[0].notes[0].range), "validation");
}

TEST(VariableTest, BadTypeExpressions) {
  for (const char* t : {"strin", "list", "\"string\"", "list(string, number)", "optional(string)",
                        "object([string])"}) {
    EvalFixture f;
    f.File(std::string("variable \"x\" {\n  type = ") + t +
           "\n  default = \"a\"\n}\njob \"j\" {}\n");
    ASSERT_FALSE(f.Codes().empty()) << t;
    EXPECT_EQ(f.Codes()[0], "E0409") << t;
  }
}

TEST(VariableTest, ObjectTypesWithOptionalDefaults) {
  EvalFixture f;
  f.options.cli_variables = {{"svc", "{ name = \"web\" }"}};
  auto body = f.File(R"(variable "svc" {
  type = object({ name = string, port = optional(number, 8080), tags = optional(list(string)) })
}
job "j" { svc = var.svc }
)");
  ASSERT_TRUE(body) << f.Errors();
  EXPECT_EQ(Attr(Job(*body), "svc"), "{ name = \"web\", port = 8080, tags = null }");
}

TEST(VariableTest, DuplicateDeclarations) {
  EvalFixture f;
  f.File("variable \"a\" { default = 1 }\nvariable \"a\" { default = 2 }\njob \"j\" {}\n");
  EXPECT_EQ(f.OnlyCode(), "E0408");
}

// ---- locals ----

TEST(LocalsTest, AnyOrderAndSeveralBlocks) {
  EvalFixture f;
  auto body = f.File(R"(locals {
  c = "${local.b}-c"
}
variable "env" { default = "prod" }
locals {
  a = upper(var.env)
  b = "${local.a}-b"
}
job "j" { v = local.c }
)");
  ASSERT_TRUE(body) << f.Errors();
  EXPECT_EQ(Attr(Job(*body), "v"), "\"PROD-b-c\"");
}

TEST(LocalsTest, CyclesAreLocatedErrors) {
  EvalFixture f;
  auto body = f.File("locals {\n  a = local.b\n  b = local.c\n  c = local.a\n}\njob \"j\" {}\n");
  EXPECT_FALSE(body);
  ASSERT_FALSE(f.diags.diagnostics().empty());
  EXPECT_EQ(f.Codes()[0], "E0407");
  EXPECT_EQ(f.Message(), "local value `a` depends on itself: a -> b -> c -> a");
  EXPECT_EQ(f.PointsAt(), "a");
}

TEST(LocalsTest, SelfReferenceAndUnknownLocal) {
  EvalFixture f;
  f.File("locals {\n  a = local.a\n}\njob \"j\" {}\n");
  EXPECT_EQ(f.Codes()[0], "E0407");
  EvalFixture g;
  g.File("locals {\n  a = 1\n}\njob \"j\" { v = local.b }\n");
  EXPECT_EQ(g.OnlyCode(), "E0402");
  EXPECT_EQ(g.PointsAt(), "local.b");
}

TEST(LocalsTest, DuplicateAcrossBlocks) {
  EvalFixture f;
  f.File("locals { a = 1 }\nlocals { a = 2 }\njob \"j\" {}\n");
  EXPECT_EQ(f.OnlyCode(), "E0408");
}

TEST(LocalsTest, LookupOfEnvironmentsLikeNomadsTest) {
  EvalFixture f;
  f.options.cli_variables = {{"env", "staging"}};
  auto body = f.File(R"(variable "env" { description = "target" }
locals {
  environments = {
    prod    = { count = 20, dcs = ["prod-dc1", "prod-dc2"] },
    staging = { count = 3, dcs = ["dc1"] },
  }
  env = lookup(local.environments, var.env, { count = 0, dcs = [] })
}
job "w" {
  datacenters = local.env.dcs
  group "g" { count = local.env.count }
}
)");
  ASSERT_TRUE(body) << f.Errors();
  EXPECT_EQ(Attr(Job(*body), "datacenters"), "[\"dc1\"]");
  EXPECT_EQ(Attr(Job(*body).BlocksOfType("group")[0]->body, "count"), "3");
}

// ---- dynamic blocks ----

TEST(DynamicTest, ExpandsWithLabelsAndIterators) {
  EvalFixture f;
  auto body = f.File(R"(job "example" {
  dynamic "group" {
    for_each = [{ name = "A", idx = 1 }, { name = "B", idx = 2 }]
    labels   = [group.value.name]
    content {
      count = group.value.idx
      dynamic "task" {
        for_each = { web = "nginx", db = "postgres" }
        iterator = t
        labels   = ["${group.value.name}-${t.key}"]
        content {
          image = t.value
        }
      }
    }
  }
}
)");
  ASSERT_TRUE(body) << f.Errors();
  auto groups = Job(*body).BlocksOfType("group");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0]->labels, std::vector<std::string>{"A"});
  EXPECT_EQ(groups[1]->labels, std::vector<std::string>{"B"});
  EXPECT_EQ(f.sm.Text(groups[0]->label_ranges[0]), "group.value.name");
  EXPECT_EQ(Attr(groups[1]->body, "count"), "2");
  auto tasks = groups[0]->body.BlocksOfType("task");
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0]->labels[0], "A-db");
  EXPECT_EQ(Attr(tasks[0]->body, "image"), "\"postgres\"");
  EXPECT_EQ(Job(*body).BlocksOfType("dynamic").size(), 0u);
}

TEST(DynamicTest, ListsSetsAndEmptyCollections) {
  EvalFixture f;
  auto body = f.File(R"(job "j" {
  dynamic "port" {
    for_each = toset(["b", "a"])
    content { label = port.key }
  }
  dynamic "none" {
    for_each = []
    content {}
  }
}
)");
  ASSERT_TRUE(body) << f.Errors();
  auto ports = Job(*body).BlocksOfType("port");
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(Attr(ports[0]->body, "label"), "\"a\"");
  EXPECT_EQ(Job(*body).BlocksOfType("none").size(), 0u);
}

TEST(DynamicTest, Errors) {
  struct Case {
    const char* body;
    const char* points_at;
  };
  for (const Case& c :
       {Case{"dynamic \"x\" {\n content {}\n}", "dynamic"},
        Case{"dynamic \"x\" {\n for_each = 5\n content {}\n}", "5"},
        Case{"dynamic \"x\" {\n for_each = [1]\n}", "dynamic"},
        Case{"dynamic \"x\" {\n for_each = [1]\n bogus = 1\n content {}\n}", "bogus"},
        Case{"dynamic \"x\" {\n for_each = [1]\n labels = [[1]]\n content {}\n}", "[1]"},
        Case{"dynamic \"x\" {\n for_each = [1]\n iterator = \"i\"\n content {}\n}", "\"i\""},
        Case{"dynamic {\n for_each = [1]\n content {}\n}", "dynamic"}}) {
    EvalFixture f;
    f.File(std::string("job \"j\" {\n") + c.body + "\n}\n");
    ASSERT_FALSE(f.diags.diagnostics().empty()) << c.body;
    EXPECT_EQ(f.Codes()[0], "E0421") << c.body << "\n" << f.Errors();
    EXPECT_EQ(f.PointsAt(), c.points_at) << c.body;
  }
}

}  // namespace
}  // namespace drover::eval

namespace drover::eval {
namespace {

TEST(VariableTest, CommandLineValuesHaveNoLocation) {
  EvalFixture f;
  f.options.cli_variables = {{"ports", "[1,"}, {"names", "dc1"}};
  f.File(
      "variable \"ports\" { type = list(number) }\nvariable \"names\" { type = list(string) }\n"
      "job \"j\" {}\n");
  ASSERT_EQ(f.Codes(), (std::vector<std::string>{"E0405", "E0405"}));
  for (const auto& d : f.diags.diagnostics()) EXPECT_FALSE(d.range.IsValid());
  EXPECT_EQ(f.diags.diagnostics()[1].help, "write the value in HCL syntax, e.g. names=[\"dc1\"]");
  std::string text = diag::RenderAll(f.diags.diagnostics(), f.sm, diag::DiagFormat::kText);
  EXPECT_NE(text.find("invalid value for variable `ports` (-var)"), std::string::npos) << text;

  EvalFixture g;
  g.options.cli_variables = {{"n", "12"}};
  g.File(R"(variable "n" {
  type = number
  validation {
    condition     = var.n < 10
    error_message = "Too big."
  }
}
job "j" {}
)");
  EXPECT_EQ(g.OnlyCode(), "E0406");
  EXPECT_EQ(g.PointsAt(), "\"n\"");  // the declaration, since the value came from -var
}

}  // namespace
}  // namespace drover::eval
