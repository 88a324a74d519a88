// The job-file commands, run in process: validate / job validate, lint (every format, SARIF
// checked against SARIF 2.1.0's required properties), job run -output, job inspect -local,
// config validate.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/cli/command.h"

namespace drover::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CmdResult {
  int code;
  std::string out;
  std::string err;
};

class JobCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/drover-cli-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }

  CmdResult Cmd(std::vector<std::string> args, const std::string& stdin_text = "") {
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    Io io{in, out, err};
    int code = RunCommandLine(args, io);
    return {code, out.str(), err.str()};
  }

  fs::path dir_;
};

constexpr const char* kValid = R"(job "web" {
  datacenters = ["dc1"]
  group "web" {
    task "server" {
      driver = "docker"
      config {
        image = "nginx:1.25"
      }
    }
  }
}
)";

TEST_F(JobCommandsTest, ValidateSucceeds) {
  std::string path = Write("web.nomad", kValid);
  CmdResult r = Cmd({"validate", path});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "Job validation successful\n");
  EXPECT_EQ(r.err, "");
  CmdResult alias = Cmd({"job", "validate", path});
  EXPECT_EQ(alias.code, 0);
  EXPECT_EQ(alias.out, r.out);
}

TEST_F(JobCommandsTest, ValidatePrintsWarningsInNomadsLayout) {
  std::string path = Write("warn.nomad", R"(job "web" {
  group "web" {
    count = 2
    update {
      max_parallel = 4
    }
    task "server" {
      driver = "exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
)");
  CmdResult r = Cmd({"validate", path});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "Job Warnings:\n1 warning(s):\n\n* " + path +
                       ":5:22: update max_parallel is greater than the group count (4 > 2); a "
                       "destructive change would replace all allocations at once\n\n"
                       "Job validation successful\n");
}

TEST_F(JobCommandsTest, ValidateFailsWithDiagnosticsOnStderr) {
  std::string path = Write(
      "bad.nomad", std::string(kValid).replace(std::string(kValid).find("driver"), 6, "drivr"));
  CmdResult r = Cmd({"validate", path});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("error[E0201]: unknown attribute `drivr` in `task` block"),
            std::string::npos);
  EXPECT_NE(r.err.find("did you mean `driver`?"), std::string::npos);
}

TEST_F(JobCommandsTest, ValidateArguments) {
  EXPECT_EQ(Cmd({"validate"}).code, 1);
  std::string path = Write("web.nomad", kValid);
  EXPECT_EQ(Cmd({"validate", path, path}).code, 1);
  CmdResult bad_var = Cmd({"validate", "-var", "novalue", path});
  EXPECT_EQ(bad_var.code, 1);
  EXPECT_NE(bad_var.err.find("expected NAME=VALUE"), std::string::npos);
  CmdResult missing = Cmd({"validate", (dir_ / "nope.nomad").string()});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("E0001"), std::string::npos);
}

TEST_F(JobCommandsTest, ValidateFromStdin) {
  CmdResult r = Cmd({"validate", "-"}, kValid);
  EXPECT_EQ(r.code, 0) << r.err;
}

constexpr const char* kWithVars = R"(variable "image" {
  type = string
}
variable "count" {
  type    = number
  default = 1
}
job "web" {
  group "web" {
    count = var.count
    task "server" {
      driver = "docker"
      config {
        image = var.image
      }
    }
  }
}
)";

TEST_F(JobCommandsTest, VariablesFromFlagsFilesAndEnvironment) {
  std::string path = Write("vars.nomad", kWithVars);
  CmdResult unset = Cmd({"validate", path});
  EXPECT_EQ(unset.code, 1);
  EXPECT_NE(unset.err.find("E0403"), std::string::npos);

  EXPECT_EQ(Cmd({"validate", "-var", "image=nginx:1", path}).code, 0);

  std::string var_file = Write("prod.hcl", "image = \"nginx:2\"\ncount = 3\n");
  CmdResult with_file = Cmd({"job", "run", "-output", "-var-file", var_file, path});
  ASSERT_EQ(with_file.code, 0) << with_file.err;
  json job = json::parse(with_file.out);
  EXPECT_EQ(job["Job"]["TaskGroups"][0]["Count"], 3);
  EXPECT_EQ(job["Job"]["TaskGroups"][0]["Tasks"][0]["Config"]["image"], "nginx:2");

  ASSERT_EQ(setenv("NOMAD_VAR_image", "nginx:env", 1), 0);
  CmdResult with_env = Cmd({"job", "run", "-output", path});
  unsetenv("NOMAD_VAR_image");
  ASSERT_EQ(with_env.code, 0) << with_env.err;
  EXPECT_EQ(json::parse(with_env.out)["Job"]["TaskGroups"][0]["Tasks"][0]["Config"]["image"],
            "nginx:env");
  // -var wins over the environment.
  ASSERT_EQ(setenv("NOMAD_VAR_image", "nginx:env", 1), 0);
  CmdResult both = Cmd({"job", "run", "-output", "-var", "image=nginx:flag", path});
  unsetenv("NOMAD_VAR_image");
  EXPECT_EQ(json::parse(both.out)["Job"]["TaskGroups"][0]["Tasks"][0]["Config"]["image"],
            "nginx:flag");
}

TEST_F(JobCommandsTest, FileOutsideTheJobTreeNeedsAllowFilePath) {
  Write("shared/motd.txt", "hello from outside");
  std::string path = Write("jobs/web.nomad", R"(
job "web" {
  datacenters = ["dc1"]
  meta {
    motd = file("../shared/motd.txt")
  }
  group "g" {
    task "t" {
      driver = "exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
)");
  CmdResult refused = Cmd({"job", "run", "-output", path});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("web.nomad:5:"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("is outside the job file's directory"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("-allow-file-path"), std::string::npos) << refused.err;

  CmdResult allowed =
      Cmd({"job", "run", "-output", "-allow-file-path", (dir_ / "shared").string(), path});
  ASSERT_EQ(allowed.code, 0) << allowed.err;
  EXPECT_EQ(json::parse(allowed.out)["Job"]["Meta"]["motd"], "hello from outside");
  // Allowing another directory does not open this one.
  CmdResult elsewhere =
      Cmd({"job", "run", "-output", "-allow-file-path", (dir_ / "other").string(), path});
  EXPECT_EQ(elsewhere.code, 1);
}

TEST_F(JobCommandsTest, JobRunOutputPrintsCanonicalApiJson) {
  std::string path = Write("web.nomad", kValid);
  CmdResult r = Cmd({"job", "run", "-output", path});
  ASSERT_EQ(r.code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_TRUE(doc.contains("Job"));
  EXPECT_EQ(doc["Job"]["ID"], "web");
  EXPECT_EQ(doc["Job"]["Type"], "service");
  EXPECT_EQ(doc["Job"]["Priority"], 50);
  EXPECT_EQ(doc["Job"]["TaskGroups"][0]["Count"], 1);
  EXPECT_EQ(doc["Job"]["TaskGroups"][0]["Tasks"][0]["KillTimeout"], 5000000000LL);
  EXPECT_EQ(r.out.substr(0, 12), "{\n    \"Job\":");  // Nomad's 4-space indent

  // The JSON feeds back through -json unchanged.
  std::string json_path = Write("web.json", r.out);
  CmdResult again = Cmd({"job", "run", "-output", "-json", json_path});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, r.out);
  EXPECT_EQ(Cmd({"validate", "-json", json_path}).code, 0);

  CmdResult inspect = Cmd({"job", "inspect", "-local", path});
  EXPECT_EQ(inspect.code, 0);
  EXPECT_EQ(inspect.out, r.out);
  EXPECT_EQ(Cmd({"run", "-output", path}).out, r.out);
}

// Without -output, `job run` submits to an agent; with none listening it says where it tried.
TEST_F(JobCommandsTest, JobRunWithoutAnAgentFailsWithTheAddress) {
  std::string path = Write("web.nomad", kValid);
  CmdResult r = Cmd({"job", "run", "-address", "http://127.0.0.1:1", path});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("connection refused"), std::string::npos) << r.err;
  EXPECT_EQ(Cmd({"job", "inspect", "-address", "http://127.0.0.1:1", "web"}).code, 1);
}

TEST_F(JobCommandsTest, JsonInputErrorsAreLocated) {
  std::string path = Write("bad.json", "{\"Job\": {\"ID\": \"x\",}}");
  CmdResult r = Cmd({"validate", "-json", path});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad.json:1:20: error[E0218]"), std::string::npos) << r.err;
  std::string wrong =
      Write("wrong.json", R"({"Job": {"ID": "x", "TaskGroups": [{"Count": "two"}]}})");
  CmdResult t = Cmd({"validate", "-json", wrong});
  EXPECT_EQ(t.code, 1);
  EXPECT_NE(t.err.find("E0219"), std::string::npos) << t.err;
  EXPECT_NE(t.err.find("TaskGroups[0].Count"), std::string::npos) << t.err;
}

constexpr const char* kLinty = R"(job "web" {
  group "web" {
    count = 2
    network {
      port "http" {
        static = 8080
      }
    }
    task "server" {
      driver = "docker"
      config {
        image = "nginx"
      }
    }
  }
}
)";

TEST_F(JobCommandsTest, LintFormats) {
  std::string path = Write("lint.nomad", kLinty);
  CmdResult text = Cmd({"lint", path});
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("warning[W0901]"), std::string::npos);
  EXPECT_NE(text.out.find("warning[W0904]"), std::string::npos);

  CmdResult gcc = Cmd({"lint", "--format", "gcc", path});
  EXPECT_EQ(gcc.out, path +
                         ":6:18: warning: static port `http` (8080) in group `web` with count "
                         "2: two allocations on one node cannot both bind it [W0901]\n" +
                         path +
                         ":12:17: warning: image `nginx` has no tag, so the `latest` tag "
                         "is pulled; pin a version so that a reschedule cannot change "
                         "what runs [W0904]\n");

  CmdResult js = Cmd({"lint", "-format=json", path});
  json arr = json::parse(js.out);
  ASSERT_EQ(arr.size(), 2u);
  EXPECT_EQ(arr[0]["code"], "W0901");
  EXPECT_EQ(arr[0]["line"], 6);

  EXPECT_EQ(Cmd({"lint", "-werror", path}).code, 1);
  EXPECT_EQ(Cmd({"lint", "-format", "yaml", path}).code, 1);
  EXPECT_EQ(Cmd({"lint"}).code, 1);
}

TEST_F(JobCommandsTest, LintReportsErrorsOfEveryFile) {
  std::string good = Write("good.nomad", kValid);
  std::string bad = Write("bad.nomad", "job \"x\" {\n  priority = \"high\"\n}\n");
  CmdResult r = Cmd({"lint", "-format", "gcc", good, bad});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("bad.nomad:2:14: error: `priority` must be a whole number"),
            std::string::npos)
      << r.out;
}

// SARIF 2.1.0: the properties the specification requires, and the consistency it demands
// between results and rules.
void ExpectValidSarif(const json& log) {
  ASSERT_TRUE(log.is_object());
  EXPECT_EQ(log.value("version", ""), "2.1.0");
  if (log.contains("$schema")) {
    EXPECT_TRUE(log["$schema"].is_string());
  }
  ASSERT_TRUE(log.contains("runs") && log["runs"].is_array() && !log["runs"].empty());
  for (const json& run : log["runs"]) {
    ASSERT_TRUE(run.contains("tool") && run["tool"].contains("driver"));
    const json& driver = run["tool"]["driver"];
    ASSERT_TRUE(driver.contains("name") && driver["name"].is_string());
    const json rules = driver.value("rules", json::array());
    for (const json& rule : rules) ASSERT_TRUE(rule.contains("id") && rule["id"].is_string());
    ASSERT_TRUE(run.contains("results") && run["results"].is_array());
    for (const json& result : run["results"]) {
      ASSERT_TRUE(result.contains("message"));
      EXPECT_TRUE(result["message"].contains("text") || result["message"].contains("id"));
      if (result.contains("level")) {
        std::string level = result["level"];
        EXPECT_TRUE(level == "none" || level == "note" || level == "warning" || level == "error");
      }
      if (result.contains("ruleIndex")) {
        ASSERT_TRUE(result["ruleIndex"].is_number_integer());
        size_t i = result["ruleIndex"];
        ASSERT_LT(i, rules.size());
        EXPECT_EQ(rules[i]["id"], result["ruleId"]);
      }
      for (const json& loc : result.value("locations", json::array())) {
        const json& phys = loc.at("physicalLocation");
        EXPECT_TRUE(phys.at("artifactLocation").at("uri").is_string());
        const json& region = phys.at("region");
        EXPECT_GE(region.at("startLine").get<int>(), 1);
        EXPECT_GE(region.at("startColumn").get<int>(), 1);
        EXPECT_GE(region.value("endLine", 1), region.at("startLine").get<int>());
        if (region.value("endLine", 0) == region.at("startLine").get<int>()) {
          EXPECT_GE(region.value("endColumn", 1), region.at("startColumn").get<int>());
        }
      }
      for (const json& rel : result.value("relatedLocations", json::array())) {
        if (rel.contains("id")) {
          EXPECT_GE(rel["id"].get<int>(), 0);
        }
      }
      for (const json& fix : result.value("fixes", json::array())) {
        ASSERT_TRUE(fix.contains("artifactChanges") && !fix["artifactChanges"].empty());
        for (const json& change : fix["artifactChanges"]) {
          EXPECT_TRUE(change.contains("artifactLocation"));
          ASSERT_TRUE(change.contains("replacements") && !change["replacements"].empty());
          for (const json& rep : change["replacements"]) EXPECT_TRUE(rep.contains("deletedRegion"));
        }
      }
    }
  }
}

TEST_F(JobCommandsTest, LintSarifIsValidSarif210) {
  std::string linty = Write("lint.nomad", kLinty);
  std::string typo = Write(
      "typo.nomad", std::string(kValid).replace(std::string(kValid).find("driver"), 6, "drivr"));
  CmdResult r = Cmd({"lint", "-format", "sarif", linty, typo});
  EXPECT_EQ(r.code, 1);
  json log = json::parse(r.out);
  ExpectValidSarif(log);
  const json& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[2]["ruleId"], "E0201");
  EXPECT_EQ(results[2]["level"], "error");
  EXPECT_TRUE(results[2].contains("fixes"));
}

TEST_F(JobCommandsTest, ConfigValidate) {
  Write("conf/10-a.hcl", "datacenter = \"dc1\"\nclient {\n  enabled = true\n}\n");
  Write("conf/20-b.json", "{\"log_level\": \"info\"}");
  Write("conf/notes.txt", "ignored");
  CmdResult ok = Cmd({"config", "validate", (dir_ / "conf").string()});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out, "Configuration is valid!\n");
  Write("conf/30-c.hcl", "clinet {}\n");
  CmdResult bad = Cmd({"config", "validate", (dir_ / "conf").string()});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("unknown block type `clinet`"), std::string::npos);
  EXPECT_NE(bad.err.find("did you mean `client`?"), std::string::npos);
  EXPECT_EQ(Cmd({"config", "validate", (dir_ / "none").string()}).code, 1);
}

}  // namespace
}  // namespace drover::cli
