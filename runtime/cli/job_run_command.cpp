// `drover job run [options] <path>` (aliases `drover run`, `drover apply`): compiles the job file,
// registers it (PUT /v1/jobs) and monitors the evaluation as `nomad job run` does.
//
// -check-index N registers only if the job's modify index is still N (0: only if the job does not
// exist yet); a stale index prints Nomad's `Enforcing job modify index ...` / `Job not updated`.
// -detach prints the evaluation id instead of monitoring; -output prints the compiled job as API
// JSON and submits nothing (job_getter.h). Exit codes: 0 success, 2 placement failures, 1 any other
// error (including a deployment that does not succeed).
#include <charconv>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/context.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/job_getter.h"
#include "runtime/cli/monitor.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

constexpr char kEnforcePrefix[] = "Enforcing job modify index";

// Go's regexp `\((Enforcing job modify index.*)\)` over the error text.
std::optional<std::string> EnforceIndexMessage(const std::string& error) {
  size_t start = error.find(std::string("(") + kEnforcePrefix);
  if (start == std::string::npos) return std::nullopt;
  size_t end = error.rfind(')');
  if (end == std::string::npos || end <= start) return std::nullopt;
  return error.substr(start + 1, end - start - 1);
}

}  // namespace

int RunJobRun(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  JobInputFlags getter;
  bool detach = false, verbose = false, output = false, policy_override = false,
       preserve_counts = false;
  std::string check_index_str, consul_token, consul_namespace, vault_token, vault_namespace;
  int64_t eval_priority = 0;
  FlagSet flags("drover job run [options] <path>",
                "Starts running a new job or updates an existing job using the specification\n"
                "located at <path>. This is the main command used to interact with drover.\n"
                "\n"
                "If the supplied path is \"-\", the jobfile is read from stdin.\n"
                "\n"
                "Upon successful job submission, this command will immediately enter an\n"
                "interactive monitor. The monitor will end once job placement is done.\n"
                "\n"
                "On successful job submission and scheduling, exit code 0 will be returned. If\n"
                "there are job placement issues encountered (unsatisfiable constraints, resource\n"
                "exhaustion, etc), then the exit code will be 2. Any other errors, including\n"
                "client connection issues or internal errors, are indicated by exit code 1.");
  AddApiFlags(flags, &api);
  flags.String("check-index", &check_index_str,
               "If set, the job is only registered or updated if the passed job modify index\n"
               "    matches the server side version. If a check-index value of zero is passed,\n"
               "    the job is only registered if it does not yet exist.");
  flags.Bool("detach", &detach,
             "Return immediately instead of entering monitor mode. After job submission, the\n"
             "    evaluation ID will be printed to the screen.");
  flags.Int("eval-priority", &eval_priority,
            "Override the priority of the evaluations produced as a result of this job\n"
            "    submission. By default, this is set to the priority of the job.");
  getter.Register(flags);
  flags.Bool("output", &output,
             "Output the JSON that would be submitted to the HTTP API without submitting the job.");
  flags.Bool("policy-override", &policy_override,
             "Sets the flag to force override any soft mandatory Sentinel policies.");
  flags.Bool("preserve-counts", &preserve_counts,
             "If set, the existing task group counts will be preserved when updating a job.");
  flags.String("consul-token", &consul_token, "The Consul token stored in the job.");
  flags.String("consul-namespace", &consul_namespace,
               "The Consul namespace of the job's services.");
  flags.String("vault-token", &vault_token, "The Vault token stored in the job.");
  flags.String("vault-namespace", &vault_namespace, "The Vault namespace stored in the job.");
  flags.Bool("verbose", &verbose, "Display full information.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  const size_t length = verbose ? kFullId : kShortId;
  if (flags.args().size() != 1) {
    PrintCommandError(io, flags, "This command takes one argument: <path>");
    return 1;
  }
  if (auto invalid = ValidateJobInput(getter)) {
    io.err << "Invalid job options: " << *invalid << "\n";
    return 1;
  }
  if (output) return PrintCompiledJob(flags.args()[0], getter, io);
  llvm::Expected<LoadedJob> loaded = GetJob(flags.args()[0], getter, io);
  if (!loaded) {
    io.err << "Error getting job struct: " << ErrorText(loaded.takeError()) << "\n";
    return 1;
  }
  json& job = loaded->job;
  ApiClient client = ApiClient::ForCommand(api, io);
  // The job's own region and namespace win over flags and environment (Nomad's rule).
  if (!loaded->region.empty()) client.SetRegion(loaded->region);
  if (!loaded->ns.empty()) client.SetNamespace(loaded->ns);

  const CliContext& ctx = ContextOf(io);
  if (consul_token.empty()) consul_token = ctx.GetEnv("CONSUL_HTTP_TOKEN").value_or("");
  if (!consul_token.empty()) job["ConsulToken"] = consul_token;
  if (!consul_namespace.empty()) job["ConsulNamespace"] = consul_namespace;
  if (vault_token.empty()) vault_token = ctx.GetEnv("VAULT_TOKEN").value_or("");
  if (!vault_token.empty()) job["VaultToken"] = vault_token;
  if (!vault_namespace.empty()) job["VaultNamespace"] = vault_namespace;

  std::optional<uint64_t> check_index;
  if (!check_index_str.empty()) {
    uint64_t v = 0;
    auto [p, ec] =
        std::from_chars(check_index_str.data(), check_index_str.data() + check_index_str.size(), v);
    if (ec != std::errc() || p != check_index_str.data() + check_index_str.size()) {
      io.err << "Error parsing check-index value " << GoQuote(check_index_str)
             << ": strconv.ParseUint: parsing " << GoQuote(check_index_str) << ": "
             << (ec == std::errc::result_out_of_range ? "value out of range" : "invalid syntax")
             << "\n";
      return 1;
    }
    check_index = v;
  }

  json request = {{"Job", job},
                  {"EnforceIndex", check_index.has_value()},
                  {"JobModifyIndex", check_index.value_or(0)},
                  {"PolicyOverride", policy_override},
                  {"PreserveCounts", preserve_counts},
                  {"EvalPriority", eval_priority},
                  {"Submission", loaded->submission}};
  auto resp = client.Put("/v1/jobs", request);
  if (!resp) {
    std::string error = ErrorText(resp.takeError());
    if (auto enforce = EnforceIndexMessage(error)) {
      io.err << *enforce << "\nJob not updated\n";
      return 1;
    }
    io.err << "Error submitting job: " << error << "\n";
    return 1;
  }
  Colorizer color(UseColor(api, io));
  if (std::string warnings = Str(resp->body, "Warnings"); !warnings.empty()) {
    io.out << color.Color("[bold][yellow]Job Warnings:\n" + warnings + "[reset]\n") << "\n";
  }
  const std::string eval_id = Str(resp->body, "EvalID");
  const bool periodic = Field(job, "Periodic").is_object();
  const bool parameterized = Field(job, "ParameterizedJob").is_object() && !Bool(job, "Dispatched");
  const bool multiregion = !Items(Field(job, "Multiregion"), "Regions").empty();
  if (detach || periodic || parameterized || multiregion) {
    io.out << "Job registration successful\n";
    if (!periodic && !parameterized) io.out << "Evaluation ID: " << eval_id << "\n";
    return 0;
  }
  return MonitorEvaluation(client, io, color, eval_id, length);
}

}  // namespace drover::cli
