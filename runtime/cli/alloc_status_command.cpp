// `drover alloc status [options] <allocation>`: one allocation (id or unique prefix) laid out as
// `nomad alloc status`: the key = value block, the group's addresses, then per task its state,
// resources, `Task Events:` and `Recent Events:` (newest first). -verbose adds full ids, absolute
// times and the placement metrics; -short prints the brief form; -json prints the API object.
//
// Live resource usage (`1/500 MHz`) needs the client's stats endpoint; when the agent does not
// serve it the allocated figures are shown alone, without an error.
#include <algorithm>
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

constexpr uint64_t kBytesPerMegabyte = 1024 * 1024;

const json& TaskGroupOf(const json& alloc) {
  static const json kNull;
  for (const json& g : Field(Field(alloc, "Job"), "TaskGroups").is_array()
                           ? Field(Field(alloc, "Job"), "TaskGroups")
                           : kNull) {
    if (Str(g, "Name") == Str(alloc, "TaskGroup")) return g;
  }
  return kNull;
}

const json& TaskOf(const json& alloc, const std::string& task) {
  static const json kNull;
  const json& tasks = Field(TaskGroupOf(alloc), "Tasks");
  if (!tasks.is_array()) return kNull;
  for (const json& t : tasks) {
    if (Str(t, "Name") == task) return t;
  }
  return kNull;
}

// Task names in Nomad's display order: prestart, main, poststart, poststop; names within.
std::vector<std::string> SortedTasks(const json& alloc) {
  auto rank = [&](const std::string& task) {
    const json& lc = Field(TaskOf(alloc, task), "Lifecycle");
    std::string hook = Str(lc, "Hook");
    if (hook == "prestart") return Bool(lc, "Sidecar") ? 1 : 0;
    if (hook == "poststart") return 3;
    if (hook == "poststop") return 4;
    return 2;
  };
  std::vector<std::string> tasks = Keys(alloc, "TaskStates");
  std::stable_sort(tasks.begin(), tasks.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  return tasks;
}

std::string TaskTime(const json& state, std::string_view key) {
  const json& v = Field(state, key);
  if (!v.is_string()) return "N/A";
  int64_t ns;
  if (!ParseRfc3339(v.get<std::string>(), &ns) || ns <= 0) return "N/A";
  return FormatTime(ns);
}

std::string EventMessage(const json& e) {
  if (std::string m = Str(e, "DisplayMessage"); !m.empty()) return m;
  const std::string type = Str(e, "Type");
  auto or_else = [&](std::string_view key, std::string fallback) {
    std::string v = Str(e, key);
    return v.empty() ? fallback : v;
  };
  if (type == "Task Setup") return Str(e, "Message");
  if (type == "Started") return "Task started by client";
  if (type == "Received") return "Task received by client";
  if (type == "Failed Validation") return or_else("ValidationError", "Validation of task failed");
  if (type == "Setup Failure") return or_else("SetupError", "Task setup failed");
  if (type == "Driver Failure") return or_else("DriverError", "Failed to start task");
  if (type == "Downloading Artifacts") return "Client is downloading artifacts";
  if (type == "Failed Artifact Download") {
    return or_else("DownloadError", "Failed to download artifacts");
  }
  if (type == "Killing") {
    if (std::string r = Str(e, "KillReason"); !r.empty()) return "Killing task: " + r;
    if (int64_t t = Int(e, "KillTimeout"); t != 0) {
      return "Sent interrupt. Waiting " + FormatGoDuration(t) + " before force killing";
    }
    return "Sent interrupt";
  }
  if (type == "Killed") return or_else("KillError", "Task successfully killed");
  if (type == "Terminated") {
    std::string out = "Exit Code: " + std::to_string(Int(e, "ExitCode"));
    if (int64_t sig = Int(e, "Signal"); sig != 0) out += ", Signal: " + std::to_string(sig);
    if (std::string m = Str(e, "Message"); !m.empty()) out += ", Exit Message: " + GoQuote(m);
    return out;
  }
  if (type == "Restarting") {
    std::string in = "Task restarting in " + FormatGoDuration(Int(e, "StartDelay"));
    std::string reason = Str(e, "RestartReason");
    if (!reason.empty() && reason != "Restart within policy") return reason + " - " + in;
    return in;
  }
  if (type == "Not Restarting") return or_else("RestartReason", "Task exceeded restart policy");
  if (type == "Sibling Task Failed") {
    std::string s = Str(e, "FailedSibling");
    return s.empty() ? "Task's sibling failed" : "Task's sibling " + GoQuote(s) + " failed";
  }
  if (type == "Signaling") {
    std::string sig = Str(e, "TaskSignal"), reason = Str(e, "TaskSignalReason");
    if (sig.empty() && reason.empty()) return "Task being sent a signal";
    if (sig.empty()) return reason;
    if (reason.empty()) return "Task being sent signal " + sig;
    return "Task being sent signal " + sig + ": " + reason;
  }
  if (type == "Restart Signaled") return or_else("RestartReason", "Task signaled to restart");
  if (type == "Driver") return Str(e, "DriverMessage");
  if (type == "Leader Task Dead") return "Leader Task in Group dead";
  return Str(e, "Message");
}

std::string BasicInfo(const ApiClient& client, const json& alloc, size_t length, bool verbose,
                      int64_t now) {
  std::string created = verbose ? FormatTime(Int(alloc, "CreateTime"))
                                : PrettyTimeDiff(Int(alloc, "CreateTime"), now);
  std::string modified = verbose ? FormatTime(Int(alloc, "ModifyTime"))
                                 : PrettyTimeDiff(Int(alloc, "ModifyTime"), now);
  int64_t version = Field(alloc, "Job").is_object() ? Int(Field(alloc, "Job"), "Version")
                                                    : Int(alloc, "JobVersion");
  std::vector<std::string> basic = {
      "ID|" + Str(alloc, "ID"),
      "Eval ID|" + Limit(Str(alloc, "EvalID"), length),
      "Name|" + Str(alloc, "Name"),
      "Node ID|" + Limit(Str(alloc, "NodeID"), length),
      "Node Name|" + Str(alloc, "NodeName"),
      "Job ID|" + Str(alloc, "JobID"),
      "Job Version|" + std::to_string(version),
      "Client Status|" + Str(alloc, "ClientStatus"),
      "Client Description|" + Str(alloc, "ClientDescription"),
      "Desired Status|" + Str(alloc, "DesiredStatus"),
      "Desired Description|" + Str(alloc, "DesiredDescription"),
      "Created|" + created,
      "Modified|" + modified,
  };
  if (std::string dep = Str(alloc, "DeploymentID"); !dep.empty()) {
    const json& ds = Field(alloc, "DeploymentStatus");
    std::string health = "unset";
    if (Field(ds, "Healthy").is_boolean()) health = Bool(ds, "Healthy") ? "healthy" : "unhealthy";
    basic.push_back("Deployment ID|" + Limit(dep, length));
    basic.push_back("Deployment Health|" + health);
    if (Bool(ds, "Canary")) basic.push_back("Canary|true");
  }
  std::vector<json> events = Items(Field(alloc, "RescheduleTracker"), "Events");
  if (!events.empty()) {
    const json& policy = Field(TaskGroupOf(alloc), "ReschedulePolicy");
    int64_t total = Bool(policy, "Unlimited") ? 0 : Int(policy, "Attempts");
    if (total > 0) {
      int64_t window_start = Int(alloc, "ModifyTime") - Int(policy, "Interval");
      int64_t attempts = 0;
      for (const json& e : events) attempts += Int(e, "RescheduleTime") > window_start;
      basic.push_back("Reschedule Attempts|" + std::to_string(attempts) + "/" +
                      std::to_string(total));
    }
  }
  if (std::string next = Str(alloc, "NextAllocation"); !next.empty()) {
    basic.push_back("Replacement Alloc ID|" + Limit(next, length));
  }
  if (std::string followup = Str(alloc, "FollowupEvalID"); !followup.empty()) {
    auto eval = client.Get("/v1/evaluation/" + ApiClient::Escape(followup));
    int64_t wait_until = 0;
    if (eval && ParseRfc3339(Str(eval->body, "WaitUntil"), &wait_until) && wait_until > now) {
      basic.push_back("Reschedule Eligibility|" + PrettyTimeDiff(wait_until, now));
    } else if (!eval) {
      llvm::consumeError(eval.takeError());
    }
  }
  if (verbose) {
    const json& m = Field(alloc, "Metrics");
    basic.push_back("Evaluated Nodes|" + std::to_string(Int(m, "NodesEvaluated")));
    basic.push_back("Filtered Nodes|" + std::to_string(Int(m, "NodesFiltered")));
    basic.push_back("Exhausted Nodes|" + std::to_string(Int(m, "NodesExhausted")));
    basic.push_back("Allocation Time|" + FormatGoDuration(Int(m, "AllocationTime")));
    basic.push_back("Failures|" + std::to_string(Int(m, "CoalescedFailures")));
  }
  return FormatKV(basic);
}

// `Allocation Addresses (mode = "host")` for the group network, or "" when it has no ports.
std::string NetworkInfo(const json& alloc) {
  std::vector<json> networks =
      Items(Field(Field(alloc, "AllocatedResources"), "Shared"), "Networks");
  if (networks.empty()) return "";
  const json& nw = networks[0];
  std::vector<json> ports = Items(nw, "DynamicPorts");
  for (const json& p : Items(nw, "ReservedPorts")) ports.push_back(p);
  if (ports.empty()) return "";
  std::vector<std::string> rows = {"Label|Dynamic|Address"};
  for (const json& p : ports) {
    std::string addr = Str(nw, "IP") + ":" + std::to_string(Int(p, "Value"));
    if (Int(p, "To") > 0) addr += " -> " + std::to_string(Int(p, "To"));
    rows.push_back(Row({Str(p, "Label"), "yes", addr}));
  }
  std::string mode = Str(nw, "Mode");
  return "Allocation Addresses" + (mode.empty() ? "" : " (mode = " + GoQuote(mode) + ")") + "\n" +
         FormatList(rows);
}

void TaskResources(Io& io, const json& alloc, const std::string& task) {
  const json& legacy = Field(Field(alloc, "TaskResources"), task);
  const json& allocated = Field(Field(Field(alloc, "AllocatedResources"), "Tasks"), task);
  if (!legacy.is_object() && !allocated.is_object()) return;
  int64_t cpu = legacy.is_object() ? Int(legacy, "CPU") : Int(Field(allocated, "Cpu"), "CpuShares");
  int64_t mem =
      legacy.is_object() ? Int(legacy, "MemoryMB") : Int(Field(allocated, "Memory"), "MemoryMB");
  int64_t disk = Field(alloc, "Resources").is_object()
                     ? Int(Field(alloc, "Resources"), "DiskMB")
                     : Int(Field(Field(alloc, "AllocatedResources"), "Shared"), "DiskMB");
  std::vector<std::string> addrs;
  for (const json& nw : Items(legacy.is_object() ? legacy : allocated, "Networks")) {
    std::vector<json> ports = Items(nw, "DynamicPorts");
    for (const json& p : Items(nw, "ReservedPorts")) ports.push_back(p);
    for (const json& p : ports) {
      addrs.push_back(Str(p, "Label") + ": " + Str(nw, "IP") + ":" +
                      std::to_string(Int(p, "Value")));
    }
  }
  std::vector<std::string> rows = {"CPU|Memory|Disk|Addresses"};
  rows.push_back(
      Row({std::to_string(cpu) + " MHz",
           HumanizeIBytes(static_cast<uint64_t>(std::max<int64_t>(0, mem)) * kBytesPerMegabyte),
           HumanizeIBytes(static_cast<uint64_t>(std::max<int64_t>(0, disk)) * kBytesPerMegabyte),
           addrs.empty() ? "" : addrs[0]}));
  for (size_t i = 1; i < addrs.size(); ++i) rows.push_back("||||" + addrs[i]);
  io.out << "Task Resources\n" << FormatListWithSpaces(rows) << "\n";
}

void TaskStatus(Io& io, const json& state) {
  io.out << "Task Events:\n"
         << FormatKV({"Started At|" + TaskTime(state, "StartedAt"),
                      "Finished At|" + TaskTime(state, "FinishedAt"),
                      "Total Restarts|" + std::to_string(Int(state, "Restarts")),
                      "Last Restart|" + TaskTime(state, "LastRestart")})
         << "\n\n";
  std::vector<json> events = Items(state, "Events");
  std::vector<std::string> rows(events.size() + 1);
  rows[0] = "Time|Type|Description";
  for (size_t i = 0; i < events.size(); ++i) {
    rows[events.size() - i] =
        Row({FormatTime(Int(events[i], "Time")), Str(events[i], "Type"), EventMessage(events[i])});
  }
  io.out << "Recent Events:\n" << FormatList(rows) << "\n";
}

void ShortTaskStatus(Io& io, const Colorizer& color, const json& alloc) {
  std::vector<std::string> rows = {"Name|State|Last Event|Time|Lifecycle"};
  for (const std::string& task : SortedTasks(alloc)) {
    const json& state = Field(Field(alloc, "TaskStates"), task);
    std::vector<json> events = Items(state, "Events");
    std::string last, when;
    if (!events.empty()) {
      last = Str(events.back(), "Type");
      when = FormatTime(Int(events.back(), "Time"));
    }
    const json& lc = Field(TaskOf(alloc, task), "Lifecycle");
    std::string lifecycle = "main";
    if (std::string hook = Str(lc, "Hook"); !hook.empty()) {
      lifecycle = hook + (Bool(lc, "Sidecar") ? "-sidecar" : "");
    }
    rows.push_back(Row({task, Str(state, "State"), last, when, lifecycle}));
  }
  io.out << color.Color("\n[bold]Tasks[reset]") << "\n" << FormatList(rows) << "\n";
}

}  // namespace

int RunAllocStatus(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool verbose = false, json_out = false, short_output = false, stats = false;
  FlagSet flags("drover alloc status [options] <allocation>",
                "Display information about existing allocations and its tasks. This command can\n"
                "be used to inspect the current status of an allocation, including its running\n"
                "status, metadata, and verbose failure messages reported by internal subsystems.");
  AddApiFlags(flags, &api);
  flags.Bool("short", &short_output,
             "Display short output. Shows only the most recent task event.");
  flags.Bool("stats", &stats, "Display detailed resource usage statistics.");
  flags.Bool("verbose", &verbose, "Show full information.");
  flags.Bool("json", &json_out, "Output the allocation in its JSON format.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() != 1) {
    PrintCommandError(io, flags,
                      "This command takes one of the following argument conditions:\n"
                      " * A single <allocation>\n"
                      " * Call from an existing allocation");
    return 1;
  }
  const size_t length = verbose ? kFullId : kShortId;
  std::string alloc_id = flags.args()[0];
  if (alloc_id.size() == 1) {
    io.err << "Identifier must contain at least two characters.\n";
    return 1;
  }
  ApiClient client = ApiClient::ForCommand(api, io);
  Colorizer color(UseColor(api, io));
  const int64_t now = ContextOf(io).NowNs();
  alloc_id = SanitizeUuidPrefix(alloc_id);
  std::optional<std::vector<json>> allocs = ListAllocsByPrefix(client, io, alloc_id, alloc_id);
  if (!allocs) return 1;
  if (allocs->size() > 1) {
    io.out << "Prefix matched multiple allocations\n\n"
           << FormatAllocListStubs(*allocs, verbose, length, now) << "\n";
    return 0;
  }
  std::optional<json> found = GetAlloc(client, io, Str((*allocs)[0], "ID"));
  if (!found) return 1;
  const json& alloc = *found;
  if (json_out) {
    PrintJson(io, alloc);
    return 0;
  }
  if (short_output) {
    io.out << FormatKV({"ID|" + Str(alloc, "ID"), "Name|" + Str(alloc, "Name"),
                        "Created|" + PrettyTimeDiff(Int(alloc, "CreateTime"), now),
                        "Modified|" + PrettyTimeDiff(Int(alloc, "ModifyTime"), now)})
           << "\n";
    ShortTaskStatus(io, color, alloc);
    return 0;
  }
  io.out << BasicInfo(client, alloc, length, verbose, now) << "\n";
  if (std::string net = NetworkInfo(alloc); !net.empty()) io.out << "\n" << net << "\n";
  for (const std::string& task : SortedTasks(alloc)) {
    const json& state = Field(Field(alloc, "TaskStates"), task);
    io.out << color.Color("\n[bold]Task " + GoQuote(task) + " is " + GoQuote(Str(state, "State")) +
                          "[reset]")
           << "\n";
    TaskResources(io, alloc, task);
    io.out << "\n";
    TaskStatus(io, state);
  }
  if (verbose) {
    io.out << color.Color("\n[bold]Placement Metrics[reset]") << "\n"
           << FormatAllocMetrics(Field(alloc, "Metrics"), true, "  ") << "\n";
  }
  return 0;
}

}  // namespace drover::cli
