// `drover job plan [options] <path>` (alias `drover plan`): a dry run of the scheduler for the
// job file (PUT /v1/job/:id/plan with Diff: true), printed as `nomad job plan` prints it by
// reconciler/diff's renderer: the annotated diff, `Scheduler dry-run:`, job warnings and the
// `Job Modify Index` trailer with its `drover job run -check-index N` hint. (Nomad's
// `Preemptions:` table and periodic next-launch line are not printed: drover's scheduler
// neither preempts nor launches periodic jobs.)
//
// Exit codes: 0 when no allocation is created, destroyed, migrated, canaried or replaced; 1 when
// one is (also when the spec is unchanged but allocations still need placing, which Nomad gets
// wrong: hashicorp/nomad#20502); 255 on any error, bad flags and arguments included.
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/context.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/job_getter.h"
#include "runtime/cli/output.h"
#include "runtime/cli/plan_view.h"

namespace drover::cli {

int RunJobPlan(std::span<const std::string> args, Io& io) {
  using nlohmann::json;
  constexpr int kError = 255;
  ApiFlags api;
  JobInputFlags getter;
  bool diff = true, policy_override = false, verbose = false;
  std::string vault_token, vault_namespace;
  FlagSet flags("drover job plan [options] <path>",
                "Plan invokes a dry-run of the scheduler to determine the effects of submitting\n"
                "either a new or updated version of a job. The plan will not result in any\n"
                "changes to the cluster but gives insight into whether the job could be run\n"
                "successfully and how it would affect existing allocations.\n"
                "\n"
                "If the supplied path is \"-\", the jobfile is read from stdin.\n"
                "\n"
                "A job modify index is returned with the plan. This value can be used when\n"
                "submitting the job using \"drover job run -check-index\", which will check that\n"
                "the job was not modified between the plan and run command before invoking the\n"
                "scheduler.\n"
                "\n"
                "Plan will return one of the following exit codes:\n"
                "  * 0: No allocations created or destroyed.\n"
                "  * 1: Allocations created or destroyed.\n"
                "  * 255: Error determining plan results.");
  AddApiFlags(flags, &api);
  flags.Bool("diff", &diff,
             "Determines whether the diff between the remote job and planned job is shown.\n"
             "    Defaults to true.");
  getter.Register(flags);
  flags.Bool("policy-override", &policy_override,
             "Sets the flag to force override any soft mandatory Sentinel policies.");
  flags.String("vault-token", &vault_token, "The Vault token stored in the job.");
  flags.String("vault-namespace", &vault_namespace, "The Vault namespace stored in the job.");
  flags.Bool("verbose", &verbose, "Increase diff verbosity.");
  if (!flags.Parse(args, io.err)) return flags.help_requested() ? 0 : kError;
  if (flags.args().size() != 1) {
    PrintCommandError(io, flags, "This command takes one argument: <path>");
    return kError;
  }
  if (auto invalid = ValidateJobInput(getter)) {
    io.err << "Invalid job options: " << *invalid << "\n";
    return kError;
  }
  const std::string path = flags.args()[0];
  llvm::Expected<LoadedJob> loaded = GetJob(path, getter, io);
  if (!loaded) {
    io.err << "Error getting job struct: " << ErrorText(loaded.takeError()) << "\n";
    return kError;
  }
  json& job = loaded->job;
  ApiClient client = ApiClient::ForCommand(api, io);
  // The job's own region and namespace win over flags and environment (Nomad's rule).
  if (!loaded->region.empty()) client.SetRegion(loaded->region);
  if (!loaded->ns.empty()) client.SetNamespace(loaded->ns);
  if (vault_token.empty()) vault_token = ContextOf(io).GetEnv("VAULT_TOKEN").value_or("");
  if (!vault_token.empty()) job["VaultToken"] = vault_token;
  if (!vault_namespace.empty()) job["VaultNamespace"] = vault_namespace;

  auto resp = client.Put("/v1/job/" + ApiClient::Escape(Str(job, "ID")) + "/plan",
                         {{"Job", job}, {"Diff", true}, {"PolicyOverride", policy_override}});
  if (!resp) {
    io.err << "Error during plan: " << ErrorText(resp.takeError()) << "\n";
    return kError;
  }
  PlanRequestInfo info{path, getter.vars, getter.var_files, diff, verbose, UseColor(api, io)};
  diff::PlanView view = PlanViewFromJson(resp->body, job, info);
  io.out << diff::RenderPlan(view);
  return diff::PlanExitCode(view.desired_tg_updates);
}

}  // namespace drover::cli
