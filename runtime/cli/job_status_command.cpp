// `drover job status [options] [job]` (alias `drover status`): without a job, the job list
// (`ID  Type  Priority  Status  Submit Date`); with one, Nomad's block: the job's key = value
// header, Summary, Placement Failure (while an evaluation is blocked), Future Rescheduling
// Attempts, Latest Deployment and Allocations. -short stops after the header, -evals adds the
// Evaluations table, -all-allocs includes allocations of older job instances, -verbose prints
// full ids and absolute times, -json prints {Summary, Allocations, LatestDeployment,
// Evaluations} per job.
#include <map>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/context.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/nomad_format.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

constexpr size_t kMaxFailedTGs = 5;

struct Options {
  bool short_output = false, evals = false, all_allocs = false, verbose = false, json = false;
  size_t length = kShortId;
};

std::string JobPath(const std::string& id) { return "/v1/job/" + ApiClient::Escape(id); }

std::vector<json> Array(const json& v) {
  return v.is_array() ? std::vector<json>(v.begin(), v.end()) : std::vector<json>();
}

// The JSON Nomad's `job status -json` prints for one job.
llvm::Expected<json> JobJson(const ApiClient& client, const std::string& id, bool all_allocs) {
  json out = json::object();
  auto summary = client.Get(JobPath(id) + "/summary");
  if (!summary) {
    return llvm::make_error<ApiError>(
        0, "Error querying job summary: " + ErrorText(summary.takeError()));
  }
  auto allocs = client.Get(JobPath(id) + "/allocations",
                           all_allocs ? ApiClient::Query{{"all", "true"}} : ApiClient::Query{});
  if (!allocs) {
    return llvm::make_error<ApiError>(
        0, "Error querying job allocations: " + ErrorText(allocs.takeError()));
  }
  auto deployment = client.Get(JobPath(id) + "/deployment");
  if (!deployment) {
    return llvm::make_error<ApiError>(
        0, "Error querying latest job deployment: " + ErrorText(deployment.takeError()));
  }
  auto evals = client.Get(JobPath(id) + "/evaluations");
  if (!evals) {
    return llvm::make_error<ApiError>(
        0, "Error querying job evaluations: " + ErrorText(evals.takeError()));
  }
  out["Summary"] = summary->body;
  out["Allocations"] = allocs->body;
  out["LatestDeployment"] = deployment->body;
  out["Evaluations"] = evals->body;
  return out;
}

int PrintJobSummary(const ApiClient& client, Io& io, const Colorizer& color, const json& job) {
  auto resp = client.Get(JobPath(Str(job, "ID")) + "/summary");
  if (!resp) {
    io.err << "Error querying job summary: " << ErrorText(resp.takeError()) << "\n";
    return 1;
  }
  const json& summary = resp->body;
  if (summary.is_null()) return 0;
  bool periodic = Field(job, "Periodic").is_object();
  bool parameterized = Field(job, "ParameterizedJob").is_object();
  if (!periodic && !parameterized) {
    std::vector<std::string> rows = {
        "Task Group|Queued|Starting|Running|Failed|Complete|Lost|Unknown"};
    const json& groups = Field(summary, "Summary");
    for (const std::string& tg : Keys(groups)) {
      const json& s = Field(groups, tg);
      std::string row = tg;
      for (const char* k :
           {"Queued", "Starting", "Running", "Failed", "Complete", "Lost", "Unknown"}) {
        row += "|" + std::to_string(Int(s, k));
      }
      rows.push_back(row);
    }
    io.out << color.Color("\n[bold]Summary[reset]") << "\n" << FormatList(rows) << "\n";
  }
  const json& children = Field(summary, "Children");
  int64_t sum = Int(children, "Pending") + Int(children, "Running") + Int(children, "Dead");
  if (children.is_object() && (periodic || parameterized || sum > 0)) {
    io.out << color.Color(parameterized ? "\n[bold]Parameterized Job Summary[reset]"
                                        : "\n[bold]Children Job Summary[reset]")
           << "\n"
           << FormatList({"Pending|Running|Dead", Row({std::to_string(Int(children, "Pending")),
                                                       std::to_string(Int(children, "Running")),
                                                       std::to_string(Int(children, "Dead"))})})
           << "\n";
  }
  return 0;
}

// Launched children of a periodic (`/periodic-`) or parameterized (`/dispatch-`) job.
int PrintChildren(const ApiClient& client, Io& io, const Colorizer& color, const json& job,
                  const std::string& suffix, const std::string& none, const std::string& title) {
  const std::string id = Str(job, "ID");
  auto resp = client.Get("/v1/jobs", {{"prefix", id + suffix}});
  if (!resp) {
    io.err << "Error querying job: " << ErrorText(resp.takeError()) << "\n";
    return 1;
  }
  std::vector<json> children = Array(resp->body);
  if (children.empty()) {
    io.out << "\n" << none << "\n";
    return 0;
  }
  std::vector<std::string> rows = {"ID|Status"};
  for (const json& c : children) {
    if (Str(c, "ParentID") != id) continue;
    rows.push_back(Row({Str(c, "ID"), Str(c, "Status")}));
  }
  io.out << color.Color("\n[bold]" + title + "[reset]") << "\n" << FormatList(rows) << "\n";
  return 0;
}

void PrintFailedPlacements(Io& io, const Colorizer& color, const json& eval) {
  const json& failed = Field(eval, "FailedTGAllocs");
  std::vector<std::string> groups = Keys(failed);
  if (groups.empty()) return;
  io.out << color.Color("\n[bold]Placement Failure[reset]") << "\n";
  for (size_t i = 0; i < groups.size() && i < kMaxFailedTGs; ++i) {
    io.out << "Task Group " << GoQuote(groups[i]) << ":\n"
           << FormatAllocMetrics(Field(failed, groups[i]), false, "  ") << "\n";
    if (i != groups.size() - 1) io.out << "\n";
  }
  if (groups.size() > kMaxFailedTGs) {
    io.out << "\nPlacement failures truncated. To see remainder run:\ndrover eval status "
           << Str(eval, "ID") << "\n";
  }
}

void PrintReschedulingEvals(const ApiClient& client, Io& io, const Colorizer& color,
                            const json& job, const std::vector<json>& allocs, const Options& opts) {
  std::map<std::string, const json*> latest;  // most recently modified alloc per group
  for (const json& a : allocs) {
    const json*& cur = latest[Str(a, "TaskGroup")];
    if (cur == nullptr || Int(a, "ModifyTime") > Int(*cur, "ModifyTime")) cur = &a;
  }
  const int64_t now = ContextOf(io).NowNs();
  std::vector<std::string> rows;
  for (const auto& [tg, alloc] : latest) {
    std::string eval_id = Str(*alloc, "FollowupEvalID");
    if (eval_id.empty()) continue;
    auto eval = client.Get("/v1/evaluation/" + ApiClient::Escape(eval_id));
    if (!eval) {
      llvm::consumeError(eval.takeError());
      continue;
    }
    int64_t wait_until = 0;
    std::string wu = Str(eval->body, "WaitUntil");
    if (!ParseRfc3339(wu, &wait_until) || wait_until <= 0 || now > wait_until) continue;
    std::string when = PrettyTimeDiff(wait_until, now);
    if (rows.empty()) {
      rows.push_back(opts.verbose ? "Task Group|Reschedule Policy|Eval ID|Eval Time"
                                  : "Task Group|Eval ID|Eval Time");
    }
    if (opts.verbose) {
      std::string policy;
      for (const json& g : Items(job, "TaskGroups")) {
        if (Str(g, "Name") != tg) continue;
        const json& rp = Field(g, "ReschedulePolicy");
        policy = "Interval: " + FormatGoDuration(Int(rp, "Interval")) +
                 ", Attempts: " + std::to_string(Int(rp, "Attempts")) +
                 ", Delay: " + FormatGoDuration(Int(rp, "Delay"));
      }
      rows.push_back(Row({tg, policy, Limit(eval_id, opts.length), when}));
    } else {
      rows.push_back(Row({tg, Limit(eval_id, opts.length), when}));
    }
  }
  if (rows.empty()) return;
  io.out << color.Color("\n[bold]Future Rescheduling Attempts[reset]") << "\n"
         << FormatList(rows) << "\n";
}

int PrintJobInfo(const ApiClient& client, Io& io, const Colorizer& color, const json& job,
                 const Options& opts) {
  const std::string id = Str(job, "ID");
  auto allocs =
      client.Get(JobPath(id) + "/allocations",
                 opts.all_allocs ? ApiClient::Query{{"all", "true"}} : ApiClient::Query{});
  if (!allocs) {
    io.err << "Error querying job allocations: " << ErrorText(allocs.takeError()) << "\n";
    return 1;
  }
  auto evals = client.Get(JobPath(id) + "/evaluations");
  if (!evals) {
    io.err << "Error querying job evaluations: " << ErrorText(evals.takeError()) << "\n";
    return 1;
  }
  auto deployment = client.Get(JobPath(id) + "/deployment");
  if (!deployment) {
    io.err << "Error querying latest job deployment: " << ErrorText(deployment.takeError()) << "\n";
    return 1;
  }
  if (int rc = PrintJobSummary(client, io, color, job); rc != 0) return rc;

  std::vector<json> eval_list = Array(evals->body);
  const json* latest_failed = nullptr;
  bool blocked = false;
  std::vector<std::string> eval_rows = {"ID|Priority|Triggered By|Status|Placement Failures"};
  for (const json& e : eval_list) {
    eval_rows.push_back(Row({Limit(Str(e, "ID"), opts.length), std::to_string(Int(e, "Priority")),
                             Str(e, "TriggeredBy"), Str(e, "Status"), EvalFailureStatus(e)}));
    blocked |= Str(e, "Status") == "blocked";
    if (Keys(e, "FailedTGAllocs").empty()) continue;
    if (latest_failed == nullptr || Uint(*latest_failed, "CreateIndex") < Uint(e, "CreateIndex")) {
      latest_failed = &e;
    }
  }
  if (opts.verbose || opts.evals) {
    io.out << color.Color("\n[bold]Evaluations[reset]") << "\n" << FormatList(eval_rows) << "\n";
  }
  if (blocked && latest_failed != nullptr) PrintFailedPlacements(io, color, *latest_failed);

  std::vector<json> alloc_list = Array(allocs->body);
  PrintReschedulingEvals(client, io, color, job, alloc_list, opts);

  const json& d = deployment->body;
  if (d.is_object()) {
    std::string block =
        FormatKV({"ID|" + Limit(Str(d, "ID"), opts.length), "Status|" + Str(d, "Status"),
                  "Description|" + Str(d, "StatusDescription")});
    if (!Keys(d, "TaskGroups").empty()) {
      block += "\n\n[bold]Deployed[reset]\n" + FormatDeploymentGroups(d);
    }
    io.out << color.Color("\n[bold]Latest Deployment[reset]") << "\n" << color.Color(block) << "\n";
  }
  io.out << color.Color("\n[bold]Allocations[reset]") << "\n"
         << FormatAllocListStubs(alloc_list, opts.verbose, opts.length, ContextOf(io).NowNs())
         << "\n";
  return 0;
}

}  // namespace

int RunJobStatus(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  Options opts;
  FlagSet flags("drover job status [options] <job>",
                "Display status information about a job. If no job ID is given, a list of all\n"
                "known jobs will be displayed.");
  AddApiFlags(flags, &api);
  flags.Bool("short", &opts.short_output,
             "Display short output. Used only when a single job is being queried, and drops\n"
             "    verbose information about allocations.");
  flags.Bool("evals", &opts.evals, "Display the evaluations associated with the job.");
  flags.Bool("all-allocs", &opts.all_allocs,
             "Display all allocations matching the job ID, including those from an older\n"
             "    instance of the job.");
  flags.Bool("json", &opts.json, "Output the job status in JSON format.");
  flags.Bool("verbose", &opts.verbose, "Display full information.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() > 1) {
    PrintCommandError(io, flags, "This command takes either no arguments or one: <job>");
    return 1;
  }
  opts.length = opts.verbose ? kFullId : kShortId;
  ApiClient client = ApiClient::ForCommand(api, io);
  Colorizer color(UseColor(api, io));
  const bool all_namespaces = client.config().ns == "*";

  if (flags.args().empty()) {
    auto resp = client.Get("/v1/jobs");
    if (!resp) {
      io.err << "Error querying jobs: " << ErrorText(resp.takeError()) << "\n";
      return 1;
    }
    std::vector<json> jobs = Array(resp->body);
    if (jobs.empty()) {
      io.out << "No running jobs\n";
      return 0;
    }
    if (opts.json) {
      json out = json::array();
      for (const json& j : jobs) {
        auto one = JobJson(client, Str(j, "ID"), opts.all_allocs);
        if (!one) {
          io.err << ErrorText(one.takeError()) << "\n";
          return 1;
        }
        out.push_back(std::move(*one));
      }
      PrintJson(io, out);
      return 0;
    }
    io.out << FormatJobList(jobs, all_namespaces) << "\n";
    return 0;
  }

  auto ref = LookupJob(client, io, TrimSpace(flags.args()[0]));
  if (!ref) return 1;
  if (!ref->ns.empty()) client.SetNamespace(ref->ns);
  auto resp = client.Get(JobPath(ref->id));
  if (!resp) {
    io.err << "Error querying job: " << ErrorText(resp.takeError()) << "\n";
    return 1;
  }
  const json& job = resp->body;
  if (opts.json) {
    auto one = JobJson(client, ref->id, opts.all_allocs);
    if (!one) {
      io.err << ErrorText(one.takeError()) << "\n";
      return 1;
    }
    PrintJson(io, json::array({std::move(*one)}));
    return 0;
  }
  bool periodic = Field(job, "Periodic").is_object();
  bool parameterized = Field(job, "ParameterizedJob").is_object();
  std::string datacenters;
  for (const json& dc : Items(job, "Datacenters")) {
    datacenters += (datacenters.empty() ? "" : ",") + Scalar(dc);
  }
  std::vector<std::string> basic = {
      "ID|" + Str(job, "ID"),
      "Name|" + Str(job, "Name"),
      "Submit Date|" + FormatTime(Int(job, "SubmitTime")),
      "Type|" + Str(job, "Type"),
      "Priority|" + std::to_string(Int(job, "Priority")),
      "Datacenters|" + datacenters,
      "Namespace|" + Str(job, "Namespace"),
      "Node Pool|" + Str(job, "NodePool"),
      "Status|" + JobStatusString(job),
      std::string("Periodic|") + (periodic ? "true" : "false"),
      std::string("Parameterized|") + (parameterized ? "true" : "false"),
  };
  if (std::string token = Str(job, "DispatchIdempotencyToken"); !token.empty()) {
    basic.push_back("Idempotency Token|" + token);
  }
  if (periodic && !parameterized && Bool(job, "Stop")) {
    basic.push_back("Next Periodic Launch|none (job stopped)");
  }
  io.out << FormatKV(basic) << "\n";
  if (opts.short_output) return 0;

  if (periodic && !parameterized) {
    if (int rc = PrintJobSummary(client, io, color, job); rc != 0) return rc;
    return PrintChildren(client, io, color, job, "/periodic-", "No instances of periodic job found",
                         "Previously Launched Jobs");
  }
  if (parameterized) {
    const json& p = Field(job, "ParameterizedJob");
    auto join = [](const json& list) {
      std::string out;
      if (list.is_array()) {
        for (const json& v : list) out += (out.empty() ? "" : ", ") + Scalar(v);
      }
      return out;
    };
    io.out << color.Color("\n[bold]Parameterized Job[reset]") << "\n"
           << FormatKV({"Payload|" + Str(p, "Payload"),
                        "Required Metadata|" + join(Field(p, "MetaRequired")),
                        "Optional Metadata|" + join(Field(p, "MetaOptional"))})
           << "\n";
    if (int rc = PrintJobSummary(client, io, color, job); rc != 0) return rc;
    return PrintChildren(client, io, color, job, "/dispatch-",
                         "No dispatched instances of parameterized job found", "Dispatched Jobs");
  }
  return PrintJobInfo(client, io, color, job, opts);
}

}  // namespace drover::cli
