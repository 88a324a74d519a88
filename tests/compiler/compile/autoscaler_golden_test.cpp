// The 28 nomad-autoscaler fixtures: each job file (policy/nomad/test-fixtures/src/*.hcl) compiled
// by drover and encoded with JobToApiJson must equal the job a real Nomad server stored for it
// (the *.json.golden next to src/, from `nomad run` + `nomad inspect`) on every job-spec field.
// Fields a server assigns (indexes, times, status, version) and fields of Nomad releases newer
// than 1.6 that drover does not model are ignored; kIgnored lists them all.
#include <filesystem>
#include <iostream>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "compiler/ir/ir_json.h"
#include "tests/compiler/compile/corpus_support.h"
#include "tests/support/test_paths.h"

namespace drover::testing {
namespace {

using nlohmann::json;

// JSON paths (with [*] for any index) that the comparison skips.
constexpr std::string_view kIgnored[] = {
    // Assigned by the server, not part of the job spec.
    "Job.CreateIndex",
    "Job.ModifyIndex",
    "Job.JobModifyIndex",
    "Job.SubmitTime",
    "Job.Status",
    "Job.StatusDescription",
    "Job.Version",
    "Job.Stable",
    "Job.Stop",
    "Job.NomadTokenID",
    "Job.TaskGroups[*].Scaling.ID",
    "Job.TaskGroups[*].Scaling.CreateIndex",
    "Job.TaskGroups[*].Scaling.ModifyIndex",
    "Job.TaskGroups[*].Scaling.Namespace",
    "Job.TaskGroups[*].Tasks[*].ScalingPolicies[*].ID",
    "Job.TaskGroups[*].Tasks[*].ScalingPolicies[*].CreateIndex",
    "Job.TaskGroups[*].Tasks[*].ScalingPolicies[*].ModifyIndex",
    "Job.TaskGroups[*].Tasks[*].ScalingPolicies[*].Namespace",
    // Fields of Nomad releases after 1.6 (the goldens come from a newer server).
    "Job.UI",
    "Job.VersionTag",
    "Job.DispatchIdempotencyToken",
    "Job.TaskGroups[*].Disconnect",
    "Job.TaskGroups[*].PreventRescheduleOnLost",
    "Job.TaskGroups[*].Tasks[*].Actions",
    "Job.TaskGroups[*].Tasks[*].Schedule",
    "Job.TaskGroups[*].Tasks[*].Consul",
    "Job.TaskGroups[*].Tasks[*].Identity",
    "Job.TaskGroups[*].Tasks[*].Identities",
    "Job.TaskGroups[*].Tasks[*].Resources.NUMA",
    "Job.TaskGroups[*].Tasks[*].Resources.SecretsMB",
    "Job.TaskGroups[*].Tasks[*].LogConfig.Enabled",
};

bool Ignored(const std::string& path) {
  static const std::vector<std::regex> patterns = [] {
    std::vector<std::regex> out;
    for (std::string_view p : kIgnored) {
      std::string re;
      for (size_t i = 0; i < p.size(); ++i) {
        if (p.substr(i, 3) == "[*]") {
          re += R"(\[[0-9]+\])";
          i += 2;
        } else if (p[i] == '.' || p[i] == '[' || p[i] == ']') {
          re += std::string("\\") + p[i];
        } else {
          re += p[i];
        }
      }
      out.emplace_back(re);
    }
    return out;
  }();
  for (const std::regex& r : patterns) {
    if (std::regex_match(path, r)) return true;
  }
  return false;
}

// Collects "path: expected X, got Y" for every difference outside the ignored paths.
void Diff(const json& want, const json& got, const std::string& path,
          std::vector<std::string>& out) {
  if (Ignored(path)) return;
  if (want.is_object() && got.is_object()) {
    auto join = [&](const std::string& k) { return path.empty() ? k : path + "." + k; };
    for (const auto& [k, v] : want.items()) {
      Diff(v, got.contains(k) ? got.at(k) : json(), join(k), out);
    }
    for (const auto& [k, v] : got.items()) {
      // Nomad omits some empty fields (`json:",omitempty"`); null on our side is the same.
      if (!want.contains(k) && !v.is_null() && !Ignored(join(k))) {
        out.push_back(join(k) + ": not in the golden, got " + v.dump());
      }
    }
    return;
  }
  if (want.is_array() && got.is_array() && want.size() == got.size()) {
    for (size_t i = 0; i < want.size(); ++i) {
      Diff(want[i], got[i], path + "[" + std::to_string(i) + "]", out);
    }
    return;
  }
  if (want != got) out.push_back(path + ": expected " + want.dump() + ", got " + got.dump());
}

TEST(AutoscalerGoldenTest, CompiledJobsMatchWhatNomadStored) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(CorpusDir()) /
                 "jobs/hashicorp__nomad-autoscaler/policy/nomad/test-fixtures";
  std::vector<fs::path> goldens;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().string().ends_with(".json.golden")) goldens.push_back(entry.path());
  }
  std::sort(goldens.begin(), goldens.end());
  int passed = 0, failed = 0;
  for (const fs::path& golden_path : goldens) {
    std::string name = golden_path.filename().string();
    name = name.substr(0, name.size() - std::string(".json.golden").size());
    std::string rel = fs::relative(dir / "src" / (name + ".hcl"), CorpusDir()).string();
    auto c = CompileCorpusFile(rel);
    if (!c->result.ok()) {
      ++failed;
      ADD_FAILURE() << rel << " does not compile:\n" << c->Errors();
      continue;
    }
    json want = json::parse(ReadFileOrDie(golden_path.string()));
    json got = {{"Job", ir::JobToApiJson(*c->result.job)}};
    std::vector<std::string> diffs;
    Diff(want, got, "", diffs);
    if (diffs.empty()) {
      ++passed;
    } else {
      ++failed;
      std::string all;
      for (const std::string& d : diffs) all += "  " + d + "\n";
      ADD_FAILURE() << name << " differs from the golden:\n" << all;
    }
  }
  std::cout << "autoscaler goldens: " << passed << " passed, " << failed << " failed\n";
  EXPECT_EQ(goldens.size(), 28u);
  EXPECT_EQ(failed, 0);
}

}  // namespace
}  // namespace drover::testing
