// The corpus through the whole compiler (parse -> eval -> decode -> sema):
//   - every file marked `valid` decodes with no error (x.hcl/y.hcl/z.hcl are var files for
//     xyz.hcl), except two whose values drover checks while decoding (listed);
//   - every `valid` file compiles (Nomad's job validation included), except the parse-only
//     fixtures that Nomad's own job registration rejects too, each listed with the Nomad rule
//     and the diagnostic and line drover reports;
//   - every `invalid-semantic` file is rejected with an error on the line that is actually wrong
//     (worked out by hand from the MANIFEST note);
//   - JobFromApiJson(JobToApiJson(job)) == job for every file that compiles.
// Each prints `N passed, M failed`.
#include <iostream>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "compiler/ir/ir_json.h"
#include "tests/compiler/compile/corpus_support.h"

namespace drover::testing {
namespace {

struct ExpectedError {
  uint32_t line;
  std::string_view code;
  std::string_view why;
};

// `valid` means "a Nomad parser test loads it". Nomad's parser accepts two of those that drover's
// decoder rejects, because drover checks the value while decoding where Nomad's server checks it
// at registration (the job is rejected either way).
const std::map<std::string, ExpectedError>& RejectedWhileDecoding() {
  static const std::map<std::string, ExpectedError> kFailures = {
      {"jobspec/test-fixtures/basic.hcl",
       {314, "E0207", "Template.Validate: invalid change mode (`change_mode = \"foo\"`)"}},
      {"jobspec/test-fixtures/tg-service-check-expose.hcl",
       {15, "E0210", "ServiceCheck.validateCommon: invalid check type \"\" (no `type`)"}},
  };
  return kFailures;
}

// The parse-only fixtures (Nomad's jobspec/jobspec2 parser tests load them; most are fragments,
// not complete jobs) that Nomad 1.6's job registration rejects too: the first error drover
// reports, its line, and the Nomad rule (nomad/structs Job/TaskGroup/Task/Service Validate(),
// nomad/job_endpoint_hook_connect.go) that rejects the fixture. Every other parse-only fixture
// must compile.
const std::map<std::string, ExpectedError>& ParseOnlyRejectedByNomad() {
  static const std::map<std::string, ExpectedError> kFiles = {
      // Job.Validate: "Missing job task groups"
      {"jobspec/test-fixtures/default-job.hcl", {4, "E0307", "Missing job task groups"}},
      {"jobspec/test-fixtures/distinctHosts-constraint.hcl",
       {4, "E0307", "Missing job task groups"}},
      {"jobspec/test-fixtures/distinctProperty-constraint.hcl",
       {4, "E0307", "Missing job task groups"}},
      {"jobspec/test-fixtures/multiregion.hcl", {4, "E0307", "Missing job task groups"}},
      {"jobspec/test-fixtures/periodic-cron.hcl",
       {4, "E0307",
        "Missing job task groups; Periodic can only be used with \"batch\" scheduler; cronexpr: "
        "missing field(s) (4 fields)"}},
      {"jobspec/test-fixtures/regexp-constraint.hcl", {4, "E0307", "Missing job task groups"}},
      {"jobspec/test-fixtures/set-contains-constraint.hcl",
       {4, "E0307", "Missing job task groups"}},
      {"jobspec/test-fixtures/specify-job.hcl", {4, "E0307", "Missing job task groups"}},
      {"jobspec/test-fixtures/version-constraint.hcl", {4, "E0307", "Missing job task groups"}},
      // Job.Validate: job-type restrictions
      {"jobspec/test-fixtures/parameterized_job.hcl",
       {5, "E0317", "Parameterized job can only be used with \"batch\" or \"sysbatch\" scheduler"}},
      // TaskGroup.Validate
      {"jobspec/test-fixtures/migrate-job.hcl",
       {27, "E0317", "Job type \"batch\" does not allow migrate block"}},
      {"jobspec/test-fixtures/consul-namespace.hcl", {5, "E0312", "Missing tasks for task group"}},
      {"jobspec/test-fixtures/parse-ports.hcl", {5, "E0312", "Missing tasks for task group"}},
      {"jobspec/test-fixtures/service-tagged-address.hcl",
       {7, "E0312", "Missing tasks for task group"}},
      {"jobspec/test-fixtures/tg-scaling-policy-minimal.hcl",
       {5, "E0312", "Missing tasks for task group"}},
      {"jobspec/test-fixtures/tg-scaling-policy.hcl", {5, "E0312", "Missing tasks for task group"}},
      {"jobspec/test-fixtures/tg-service-enable-tag-override.hcl",
       {5, "E0312", "Missing tasks for task group"}},
      // ReschedulePolicy.Validate
      {"jobspec/test-fixtures/reschedule-job-unlimited.hcl",
       {12, "E0332", "Reschedule Policy with Attempts = 1, ... and Unlimited = true is ambiguous"}},
      // Task.Validate: "Missing task driver" (and what else the fragment lacks)
      {"jobspec/test-fixtures/service-check-driver-address.hcl",
       {8, "E0315",
        "Missing task driver; port label \"http\" referenced by services does not exist; check "
        "interval/timeout missing"}},
      {"jobspec/test-fixtures/service-check-initial-status.hcl",
       {10, "E0315",
        "Missing task driver; Service name must be valid per RFC 1123 "
        "(check_initial_status-group-task)"}},
      {"jobspec/test-fixtures/service-check-pass-fail.hcl",
       {10, "E0315", "Missing task driver; port label \"http\" does not exist"}},
      {"jobspec/test-fixtures/service-check-restart.hcl",
       {8, "E0315",
        "Missing task driver; check interval/timeout missing; numeric check port without "
        "address_mode=\"driver\""}},
      {"jobspec/test-fixtures/service-enable-tag-override.hcl",
       {8, "E0315", "Missing task driver"}},
      {"jobspec/test-fixtures/service-meta.hcl", {8, "E0315", "Missing task driver"}},
      {"jobspec/test-fixtures/tg-service-check.hcl", {35, "E0315", "Missing task driver"}},
      {"jobspec/test-fixtures/vault_inheritance.hcl", {14, "E0315", "Missing task driver"}},
      {"jobspec2/test-fixtures/config-compatibility.hcl", {6, "E0315", "Missing task driver"}},
      {"jobspec2/test-fixtures/template-err-missing-key.hcl",
       {6, "E0315",
        "Missing task driver; Template.Validate: Must specify a source path or have an embedded "
        "template, Must specify a destination for the template"}},
      {"jobspec2/test-fixtures/template-wait-config.hcl",
       {6, "E0315", "Missing task driver; Template.Validate: no source, no destination"}},
      // Connect fragments without a network or a task: the Connect hook adds nothing
      // (Mutate skips groups without networks), then groupConnectValidate and TaskGroup.Validate
      // reject them.
      {"jobspec/test-fixtures/tg-service-connect-gateway-ingress.hcl",
       {9, "E0335",
        "Consul Connect gateways require exactly 1 network, found 0; Missing tasks for task "
        "group"}},
      {"jobspec/test-fixtures/tg-service-connect-gateway-mesh.hcl",
       {9, "E0335",
        "Consul Connect gateways require exactly 1 network, found 0; service.port must be set "
        "for mesh gateway service"}},
      {"jobspec/test-fixtures/tg-service-connect-gateway-terminating.hcl",
       {9, "E0335", "Consul Connect gateways require exactly 1 network, found 0"}},
      {"jobspec/test-fixtures/tg-service-connect-local-service.hcl",
       {11, "E0335", "Consul Connect sidecars require exactly 1 network, found 0"}},
      {"jobspec/test-fixtures/tg-service-connect-proxy.hcl",
       {11, "E0335", "Consul Connect sidecars require exactly 1 network, found 0"}},
      {"jobspec/test-fixtures/tg-service-connect-sidecar_disablecheck.hcl",
       {11, "E0335", "Consul Connect sidecars require exactly 1 network, found 0"}},
      {"jobspec/test-fixtures/tg-service-connect-sidecar_meta.hcl",
       {11, "E0335", "Consul Connect sidecars require exactly 1 network, found 0"}},
      {"jobspec/test-fixtures/tg-service-connect-sidecar_task-name.hcl",
       {11, "E0335", "Consul Connect sidecars require exactly 1 network, found 0"}},
      {"jobspec/test-fixtures/tg-service-proxy-expose.hcl",
       {9, "E0335", "Consul Connect sidecars require exactly 1 network, found 0"}},
      {"jobspec/test-fixtures/tg-service-connect-native.hcl",
       {8, "E0335",
        "task task1 named by Consul Connect Native service group->example does not exist"}},
      {"jobspec/test-fixtures/tg-service-connect-resources.hcl",
       {11, "E0335",
        "ConsulConnect.Validate: Consul Connect must be exclusively native, make use of a "
        "sidecar, or represent a Gateway (only sidecar_task)"}},
  };
  return kFiles;
}

std::string Fixture(const std::string& file) {
  constexpr std::string_view kPrefix = "jobs/hashicorp__nomad/";
  return file.starts_with(kPrefix) ? file.substr(kPrefix.size()) : file;
}

// invalid-semantic files: the line that is wrong and the code drover reports there.
const std::map<std::string, ExpectedError>& InvalidSemantic() {
  static const std::map<std::string, ExpectedError> kExpected = {
      {"bad-artifact.hcl", {12, "E0201", "unknown key `bad` in artifact"}},
      {"bad-ports.hcl", {70, "E0214", "port label \"\""}},
      {"basic_wrong_key.hcl", {74, "E0201", "`nterval` in a check"}},
      {"multi-network.hcl", {21, "E0205", "second network block in resources"}},
      {"multi-resource.hcl", {10, "E0205", "second ephemeral_disk block"}},
      {"multi-vault.hcl", {25, "E0205", "second vault block"}},
      {"overlapping-ports.hcl", {70, "E0213", "port \"http\" collides with \"Http\""}},
      {"service-check-bad-header-2.hcl", {25, "E0203", "840 in a header list"}},
      {"service-check-bad-header.hcl", {25, "E0203", "header value is not a list"}},
      {"task-scaling-policy-invalid-resource.hcl", {8, "E0214", "scaling \"wrong\""}},
      {"task-scaling-policy-invalid-type.hcl", {9, "E0217", "cpu policy with vertical_mem"}},
      {"task-scaling-policy-missing-name.hcl", {8, "E0206", "task scaling without a label"}},
      {"task-scaling-policy-multi-cpu.hcl", {18, "E0213", "second scaling \"cpu\""}},
      {"task-scaling-policy-multi-name.hcl", {8, "E0206", "two labels"}},
      {"tg-scaling-policy-invalid-type.hcl", {7, "E0217", "group scaling vertical_cpu"}},
      {"tg-scaling-policy-missing-max.hcl", {6, "E0210", "group scaling without max"}},
      {"tg-scaling-policy-multi-policy.hcl", {16, "E0205", "second policy block"}},
      {"tg-scaling-policy-with-label.hcl", {6, "E0206", "group scaling with a label"}},
  };
  return kExpected;
}

std::string BaseName(const std::string& path) { return path.substr(path.rfind('/') + 1); }

bool IsParseOnlyFixture(const std::string& file) {
  return file.find("/jobspec/test-fixtures/") != std::string::npos ||
         file.find("/jobspec2/test-fixtures/") != std::string::npos;
}

// An e2e input that the e2e suite registers to see it rejected (group count above scaling max).
const std::map<std::string, ExpectedError>& RejectedByNomadToo() {
  static const std::map<std::string, ExpectedError> kFiles = {
      {"jobs/hashicorp__nomad/e2e/scaling/input/namespace_default_2.nomad",
       {19, "E0321", "count 4 above scaling max 3"}},
  };
  return kFiles;
}

/// Checks that `c` failed with `x.code` on `x.line`; reports otherwise.
bool RejectedAsExpected(const std::string& file, const CompiledFile& c, const ExpectedError& x) {
  if (!c.result.ok() && c.HasErrorOnLine(x.line, x.code)) return true;
  ADD_FAILURE() << file << ": expected " << x.code << " on line " << x.line << " (" << x.why
                << "), got:\n"
                << (c.result.ok() ? "no error\n" : c.Errors());
  return false;
}

// Decode-level acceptance: every valid job file goes through parse -> eval -> decode without an
// error, except the two listed in RejectedWhileDecoding(), which must fail where listed.
TEST(CompileCorpusTest, ValidFilesDecode) {
  int passed = 0, failed = 0, rejected = 0;
  for (const CorpusEntry& e : LoadCorpusManifest()) {
    if (e.expectation != "valid" || IsVarFile(e.file)) continue;
    auto c = CompileCorpusFile(e.file, /*analyze=*/false);
    if (auto it = RejectedWhileDecoding().find(Fixture(e.file));
        it != RejectedWhileDecoding().end()) {
      ++failed;
      if (RejectedAsExpected(e.file, *c, it->second)) ++rejected;
      continue;
    }
    if (c->result.ok() && !c->diags.HasErrors()) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << e.file << " does not decode:\n" << c->Errors();
    }
  }
  std::cout << "valid files: " << passed << " passed, " << failed
            << " failed (parse, eval, decode; " << rejected
            << " of the failures are values drover checks while decoding and Nomad "
            << "at registration)\n";
  EXPECT_EQ(failed, static_cast<int>(RejectedWhileDecoding().size()));
  EXPECT_EQ(rejected, failed);
  EXPECT_EQ(passed + failed, 225);
}

// Nomad's full job validation (sema): every valid file that Nomad registers compiles; the
// parse-only fixtures Nomad rejects too fail with the error and line listed above, and only
// those. No known disagreement is left.
TEST(CompileCorpusTest, ValidFilesCompile) {
  int passed = 0, failed = 0, parse_only_passed = 0, parse_only_rejected = 0;
  for (const CorpusEntry& e : LoadCorpusManifest()) {
    if (e.expectation != "valid" || IsVarFile(e.file)) continue;
    auto c = CompileCorpusFile(e.file);
    std::string fixture = Fixture(e.file);
    bool parse_only = IsParseOnlyFixture(e.file);
    const ExpectedError* expected = nullptr;
    if (auto it = ParseOnlyRejectedByNomad().find(fixture); it != ParseOnlyRejectedByNomad().end())
      expected = &it->second;
    if (auto it = RejectedWhileDecoding().find(fixture); it != RejectedWhileDecoding().end())
      expected = &it->second;
    if (auto it = RejectedByNomadToo().find(e.file); it != RejectedByNomadToo().end())
      expected = &it->second;
    if (expected) {
      bool ok = RejectedAsExpected(e.file, *c, *expected);
      if (parse_only) {
        parse_only_rejected += ok;
        failed += !ok;
      } else {
        passed += ok;
        failed += !ok;
      }
      continue;
    }
    if (c->result.ok()) {
      ++(parse_only ? parse_only_passed : passed);
    } else {
      ++failed;
      ADD_FAILURE() << e.file << " does not compile (Nomad 1.6 registers it):\n" << c->Errors();
    }
  }
  std::cout << "valid files, full Nomad validation: " << passed << " passed, " << failed
            << " failed; parse-only fixtures: " << parse_only_passed << " pass, "
            << parse_only_rejected << " rejected as Nomad rejects them\n";
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(parse_only_rejected,
            static_cast<int>(ParseOnlyRejectedByNomad().size() + RejectedWhileDecoding().size()));
  EXPECT_EQ(passed + parse_only_passed + parse_only_rejected, 225);
}

TEST(CompileCorpusTest, InvalidSemanticFilesAreRejectedOnTheWrongLine) {
  int passed = 0, failed = 0;
  for (const CorpusEntry& e : LoadCorpusManifest()) {
    if (e.expectation != "invalid-semantic") continue;
    auto it = InvalidSemantic().find(BaseName(e.file));
    if (it == InvalidSemantic().end()) {
      ++failed;
      ADD_FAILURE() << e.file << ": no expected line worked out for it";
      continue;
    }
    auto c = CompileCorpusFile(e.file);
    const ExpectedError& x = it->second;
    if (!c->result.ok() && c->HasErrorOnLine(x.line, x.code)) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << e.file << ": expected " << x.code << " on line " << x.line << " (" << x.why
                    << "), got:\n"
                    << c->Errors();
    }
  }
  std::cout << "invalid-semantic corpus files: " << passed << " passed, " << failed << " failed\n";
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(passed, 18);
}

// Both the canonical job (after sema) and the job as decoded (only what the file sets) survive
// JobToApiJson -> JobFromApiJson unchanged.
TEST(CompileCorpusTest, ApiJsonRoundTripsEveryCompiledFile) {
  int passed = 0, failed = 0, skipped = 0;
  auto check = [&](const std::string& file, const ir::Job& job, const char* what) {
    llvm::Expected<ir::Job> back = ir::JobFromApiJson(ir::JobToApiJson(job));
    if (!back) {
      ++failed;
      ADD_FAILURE() << file << " (" << what << "): " << llvm::toString(back.takeError());
    } else if (*back == job) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << file << " (" << what << "): the job changed through JSON:\n"
                    << ir::JobToApiJson(*back).dump(1) << "\nvs\n"
                    << ir::JobToApiJson(job).dump(1);
    }
  };
  for (const CorpusEntry& e : LoadCorpusManifest()) {
    if (IsVarFile(e.file)) continue;
    auto compiled = CompileCorpusFile(e.file);
    if (compiled->result.ok()) {
      check(e.file, *compiled->result.job, "canonical");
    } else {
      ++skipped;
    }
    auto decoded = CompileCorpusFile(e.file, /*analyze=*/false);
    if (decoded->result.ok()) check(e.file, *decoded->result.job, "as decoded");
  }
  std::cout << "round trip: " << passed << " passed, " << failed << " failed (" << skipped
            << " files do not compile)\n";
  EXPECT_EQ(failed, 0);
  EXPECT_GE(passed, 500);
}

}  // namespace
}  // namespace drover::testing
