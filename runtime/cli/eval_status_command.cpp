// `drover eval status [options] <evaluation>`: one evaluation (id or unique prefix) as
// `nomad eval status` shows it: the key = value block (relative times unless -verbose), the
// reconciler's annotations, and per task group why placements failed. -monitor follows it like
// `job run` does; -json prints the API object.
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/context.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/monitor.h"
#include "runtime/cli/nomad_format.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

void PrintEval(Io& io, const Colorizer& color, const json& eval, bool verbose, size_t length) {
  const int64_t now = ContextOf(io).NowNs();
  std::string status_desc = Str(eval, "StatusDescription");
  if (status_desc.empty()) status_desc = Str(eval, "Status");
  std::string created =
      verbose ? FormatTime(Int(eval, "CreateTime")) : PrettyTimeDiff(Int(eval, "CreateTime"), now);
  std::string modified =
      verbose ? FormatTime(Int(eval, "ModifyTime")) : PrettyTimeDiff(Int(eval, "ModifyTime"), now);
  std::vector<std::string> basic = {
      "ID|" + Limit(Str(eval, "ID"), length),
      "Create Time|" + created,
      "Modify Time|" + modified,
      "Status|" + Str(eval, "Status"),
      "Status Description|" + status_desc,
      "Type|" + Str(eval, "Type"),
      "TriggeredBy|" + Str(eval, "TriggeredBy"),
      "Job ID|" + Str(eval, "JobID"),
      "Namespace|" + Str(eval, "Namespace"),
  };
  std::string trigger = Str(eval, "TriggeredBy");
  if (trigger == "node-update" && !Str(eval, "NodeID").empty()) {
    basic.push_back("Node ID|" + Str(eval, "NodeID"));
  } else if (trigger == "max-plan-attempts" && !Str(eval, "PreviousEval").empty()) {
    basic.push_back("Previous Eval|" + Str(eval, "PreviousEval"));
  }
  basic.push_back("Priority|" + std::to_string(Int(eval, "Priority")));
  basic.push_back("Placement Failures|" + EvalFailureStatus(eval));
  int64_t wait_until = 0;
  if (ParseRfc3339(Str(eval, "WaitUntil"), &wait_until) && wait_until > 0) {
    basic.push_back("Wait Until|" + FormatTime(wait_until));
  }
  if (std::string quota = Str(eval, "QuotaLimitReached"); !quota.empty()) {
    basic.push_back("Quota Limit Reached|" + quota);
  }
  if (verbose) {
    basic.push_back("Previous Eval|" + Str(eval, "PreviousEval"));
    basic.push_back("Next Eval|" + Str(eval, "NextEval"));
    basic.push_back("Blocked Eval|" + Str(eval, "BlockedEval"));
  }
  io.out << FormatKV(basic) << "\n";

  std::vector<json> related = Items(eval, "RelatedEvals");
  if (!related.empty()) {
    std::vector<std::string> rows = {"ID|Priority|Triggered By|Node ID|Status|Description"};
    for (const json& r : related) {
      rows.push_back(Row({Limit(Str(r, "ID"), length), std::to_string(Int(r, "Priority")),
                          Str(r, "TriggeredBy"), Limit(Str(r, "NodeID"), length), Str(r, "Status"),
                          Str(r, "StatusDescription")}));
    }
    io.out << color.Color("\n[bold]Related Evaluations[reset]") << "\n" << FormatList(rows) << "\n";
  }

  const json& annotations = Field(eval, "PlanAnnotations");
  if (annotations.is_object()) {
    io.out << color.Color("\n[bold]Reconciler Annotations[reset]") << "\n";
    const json& updates = Field(annotations, "DesiredTGUpdates");
    if (!Keys(updates).empty()) {
      std::vector<std::string> rows = {
          "Task Group|Ignore|Place|Stop|Migrate|InPlace|Destructive|Canary|Preemptions"};
      for (const std::string& tg : Keys(updates)) {
        const json& u = Field(updates, tg);
        std::string row = tg;
        for (const char* k : {"Ignore", "Place", "Stop", "Migrate", "InPlaceUpdate",
                              "DestructiveUpdate", "Canary", "Preemptions"}) {
          row += "|" + std::to_string(Int(u, k));
        }
        rows.push_back(row);
      }
      io.out << FormatListWithSpaces(rows) << "\n";
    }
    std::vector<json> preempted = Items(annotations, "PreemptedAllocs");
    if (!preempted.empty()) {
      std::vector<std::string> rows = {
          "ID|Job ID|Node ID|Task Group|Version|Desired|Status|Created|Modified"};
      for (const json& a : preempted) {
        rows.push_back(
            Row({Limit(Str(a, "ID"), length), Str(a, "JobID"), Limit(Str(a, "NodeID"), length),
                 Str(a, "TaskGroup"), std::to_string(Int(a, "JobVersion")), Str(a, "DesiredStatus"),
                 Str(a, "ClientStatus"), PrettyTimeDiff(Int(a, "CreateTime"), now),
                 PrettyTimeDiff(Int(a, "ModifyTime"), now)}));
      }
      io.out << color.Color("\n[bold]Preempted Allocations[reset]") << "\n"
             << FormatList(rows) << "\n";
    }
  }

  const json& failed = Field(eval, "FailedTGAllocs");
  if (!Keys(failed).empty()) {
    io.out << color.Color("\n[bold]Failed Placements[reset]") << "\n";
    for (const std::string& tg : Keys(failed)) {
      const json& metrics = Field(failed, tg);
      int64_t coalesced = Int(metrics, "CoalescedFailures");
      io.out << "Task Group " << GoQuote(tg) << " (failed to place " << coalesced + 1
             << (coalesced > 0 ? " allocations" : " allocation") << "):\n"
             << FormatAllocMetrics(metrics, false, "  ") << "\n\n";
    }
    if (std::string blocked = Str(eval, "BlockedEval"); !blocked.empty()) {
      io.out << "Evaluation " << GoQuote(Limit(blocked, length))
             << " waiting for additional capacity to place remainder\n";
    }
  }
}

}  // namespace

int RunEvalStatus(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool monitor = false, verbose = false, json_out = false;
  FlagSet flags("drover eval status [options] <evaluation>",
                "Display information about evaluations. This command can be used to inspect the\n"
                "current status of an evaluation as well as determine the reason an evaluation\n"
                "did not place all allocations.");
  AddApiFlags(flags, &api);
  flags.Bool("monitor", &monitor, "Monitor an outstanding evaluation.");
  flags.Bool("verbose", &verbose, "Show full information.");
  flags.Bool("json", &json_out, "Output the evaluation in its JSON format.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() != 1) {
    PrintCommandError(io, flags, "This command takes one argument");
    return 1;
  }
  const size_t length = verbose ? kFullId : kShortId;
  std::string eval_id = flags.args()[0];
  if (eval_id.size() == 1) {
    io.err << "Identifier must contain at least two characters.\n";
    return 1;
  }
  ApiClient client = ApiClient::ForCommand(api, io);
  Colorizer color(UseColor(api, io));
  eval_id = SanitizeUuidPrefix(eval_id);
  auto list = client.Get("/v1/evaluations", {{"prefix", eval_id}});
  if (!list) {
    io.err << "Error querying evaluation: " << ErrorText(list.takeError()) << "\n";
    return 1;
  }
  std::vector<json> evals;
  if (list->body.is_array()) evals.assign(list->body.begin(), list->body.end());
  if (evals.empty()) {
    io.err << "No evaluation(s) with prefix or id " << GoQuote(eval_id) << " found\n";
    return 1;
  }
  if (evals.size() > 1) {
    std::vector<std::string> rows = {"ID|Priority|Triggered By|Job ID|Status|Placement Failures"};
    for (const json& e : evals) {
      rows.push_back(
          Row({Limit(Str(e, "ID"), length), std::to_string(Int(e, "Priority")),
               Str(e, "TriggeredBy"), Str(e, "JobID"), Str(e, "Status"), EvalFailureStatus(e)}));
    }
    io.err << "Prefix matched multiple evaluations\n\n" << FormatList(rows) << "\n";
    return 1;
  }
  if (monitor) return MonitorEvaluation(client, io, color, Str(evals[0], "ID"), length);
  auto resp = client.Get("/v1/evaluation/" + ApiClient::Escape(Str(evals[0], "ID")));
  if (!resp) {
    io.err << "Error querying evaluation: " << ErrorText(resp.takeError()) << "\n";
    return 1;
  }
  if (json_out) {
    PrintJson(io, resp->body);
    return 0;
  }
  PrintEval(io, color, resp->body, verbose, length);
  return 0;
}

}  // namespace drover::cli
