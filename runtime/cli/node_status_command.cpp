// `drover node status [options] [node]`: the node table (`ID  Node Pool  DC  Name  Class  Drain
// Eligibility  Status`), or one node's block with its events, allocated resources and
// allocations, laid out as `nomad node status`. -verbose shows full ids, addresses, driver
// details and attributes; -json prints the API objects; -quiet prints only ids; -allocs adds
// `Running Allocs`; -os adds `OS`; -self picks the local client's node.
//
// Host statistics (Uptime, utilization) come from /v1/client/stats; when the agent does not
// serve it those lines are left out instead of printing an error.
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/context.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

constexpr uint64_t kBytesPerMegabyte = 1024 * 1024;

std::string NodeStubList(const std::vector<json>& nodes, bool verbose) {
  std::vector<std::string> rows;
  rows.push_back(verbose ? "ID|Node Pool|DC|Name|Class|Address|Version|Drain|Eligibility|Status"
                         : "ID|Node Pool|DC|Name|Class|Drain|Eligibility|Status");
  for (const json& n : nodes) {
    std::string row = Row({Limit(Str(n, "ID"), verbose ? kFullId : kShortId), Str(n, "NodePool"),
                           Str(n, "Datacenter"), Str(n, "Name"), Str(n, "NodeClass")});
    if (verbose) row += "|" + Row({Str(n, "Address"), Str(n, "Version")});
    row += "|" + Row({Bool(n, "Drain") ? "true" : "false", Str(n, "SchedulingEligibility"),
                      Str(n, "Status")});
    rows.push_back(row);
  }
  return FormatList(rows);
}

// CPU MHz, memory MB and disk MB of an allocation (AllocatedResources, else legacy Resources).
struct Usage {
  int64_t cpu = 0, memory_mb = 0, disk_mb = 0;
};

Usage AllocUsage(const json& alloc) {
  Usage u;
  const json& ar = Field(alloc, "AllocatedResources");
  if (ar.is_object()) {
    for (const std::string& task : Keys(ar, "Tasks")) {
      const json& t = Field(Field(ar, "Tasks"), task);
      u.cpu += Int(Field(t, "Cpu"), "CpuShares");
      u.memory_mb += Int(Field(t, "Memory"), "MemoryMB");
    }
    u.disk_mb = Int(Field(ar, "Shared"), "DiskMB");
    return u;
  }
  const json& r = Field(alloc, "Resources");
  u.cpu = Int(r, "CPU");
  u.memory_mb = Int(r, "MemoryMB");
  u.disk_mb = Int(r, "DiskMB");
  return u;
}

Usage NodeTotal(const json& node) {
  Usage t;
  const json& nr = Field(node, "NodeResources");
  if (nr.is_object()) {
    const json& rr = Field(node, "ReservedResources");
    t.cpu = Int(Field(nr, "Cpu"), "CpuShares") - Int(Field(rr, "Cpu"), "CpuShares");
    t.memory_mb = Int(Field(nr, "Memory"), "MemoryMB") - Int(Field(rr, "Memory"), "MemoryMB");
    t.disk_mb = Int(Field(nr, "Disk"), "DiskMB") - Int(Field(rr, "Disk"), "DiskMB");
    return t;
  }
  const json& r = Field(node, "Resources");
  const json& reserved = Field(node, "Reserved");
  t.cpu = Int(r, "CPU") - Int(reserved, "CPU");
  t.memory_mb = Int(r, "MemoryMB") - Int(reserved, "MemoryMB");
  t.disk_mb = Int(r, "DiskMB") - Int(reserved, "DiskMB");
  return t;
}

std::string Mib(int64_t mb) {
  return HumanizeIBytes(static_cast<uint64_t>(std::max<int64_t>(0, mb)) * kBytesPerMegabyte);
}

// Nomad's formatAllocList (full Allocation objects: the version comes from the embedded job).
std::string AllocList(const std::vector<json>& allocs, bool verbose, size_t length,
                      int64_t now_ns) {
  if (allocs.empty()) return "No allocations placed";
  std::vector<std::string> rows;
  rows.push_back(verbose ? "ID|Eval ID|Node ID|Task Group|Version|Desired|Status|Created|Modified"
                         : "ID|Node ID|Task Group|Version|Desired|Status|Created|Modified");
  for (const json& a : allocs) {
    std::string version = std::to_string(
        Field(a, "Job").is_object() ? Int(Field(a, "Job"), "Version") : Int(a, "JobVersion"));
    std::string row = Limit(Str(a, "ID"), length) + "|";
    if (verbose) row += Limit(Str(a, "EvalID"), length) + "|";
    row += Row({Limit(Str(a, "NodeID"), length), Str(a, "TaskGroup"), version,
                Str(a, "DesiredStatus"), Str(a, "ClientStatus")});
    if (verbose) {
      row += "|" + Row({FormatTime(Int(a, "CreateTime")), FormatTime(Int(a, "ModifyTime"))});
    } else {
      row += "|" + Row({PrettyTimeDiff(Int(a, "CreateTime"), now_ns),
                        PrettyTimeDiff(Int(a, "ModifyTime"), now_ns)});
    }
    rows.push_back(row);
  }
  return FormatList(rows);
}

int FormatNode(const ApiClient& client, Io& io, const Colorizer& color, const json& node,
               bool verbose, bool short_output) {
  const size_t length = verbose ? kFullId : kShortId;
  const int64_t now = ContextOf(io).NowNs();
  const std::string id = Str(node, "ID");
  auto allocs_resp = client.Get("/v1/node/" + ApiClient::Escape(id) + "/allocations");
  if (!allocs_resp) {
    io.err << "Error querying node allocations: " << ErrorText(allocs_resp.takeError()) << "\n";
    return 1;
  }
  std::vector<json> allocs;
  if (allocs_resp->body.is_array())
    allocs.assign(allocs_resp->body.begin(), allocs_resp->body.end());
  std::vector<json> running;
  for (const json& a : allocs) {
    if (Str(a, "ClientStatus") == "running") running.push_back(a);
  }

  std::string drain = Bool(node, "Drain") ? "true" : "false";
  if (Field(node, "DrainStrategy").is_object()) {
    const json& ds = Field(node, "DrainStrategy");
    drain = "true";
    if (Int(Field(ds, "DrainSpec"), "Deadline") < 0) {
      drain += "; force drain";
    } else if (std::string fd = FormatApiTime(Str(ds, "ForceDeadline")); fd.empty()) {
      drain += "; no deadline";
    } else {
      drain += "; " + fd + " deadline";
    }
    if (Bool(Field(ds, "DrainSpec"), "IgnoreSystemJobs")) drain += "; ignoring system jobs";
  }
  auto join_keys = [](const json& obj) {
    std::string out;
    for (const std::string& k : Keys(obj)) out += (out.empty() ? "" : ",") + k;
    return out;
  };
  std::vector<std::string> basic = {
      "ID|" + id,
      "Name|" + Str(node, "Name"),
      "Node Pool|" + Str(node, "NodePool"),
      "Class|" + Str(node, "NodeClass"),
      "DC|" + Str(node, "Datacenter"),
      "Drain|" + drain,
      "Eligibility|" + Str(node, "SchedulingEligibility"),
      "Status|" + Str(node, "Status"),
      "CSI Controllers|" + join_keys(Field(node, "CSIControllerPlugins")),
      "CSI Drivers|" + join_keys(Field(node, "CSINodePlugins")),
  };
  std::string drivers;  // detected ones, `(unhealthy)` marked
  for (const std::string& d : Keys(node, "Drivers")) {
    const json& info = Field(Field(node, "Drivers"), d);
    if (!Bool(info, "Detected")) continue;
    drivers += (drivers.empty() ? "" : ",") + d + (Bool(info, "Healthy") ? "" : " (unhealthy)");
  }
  if (short_output) {
    std::string attr_drivers;
    for (const std::string& k : Keys(node, "Attributes")) {
      if (k.starts_with("driver.") && k.find('.', 7) == std::string::npos &&
          Str(Field(node, "Attributes"), k) == "1") {
        attr_drivers += (attr_drivers.empty() ? "" : ",") + k.substr(7);
      }
    }
    basic.push_back("Host Volumes|" + join_keys(Field(node, "HostVolumes")));
    basic.push_back("Host Networks|" + join_keys(Field(node, "HostNetworks")));
    basic.push_back("CSI Volumes|");
    basic.push_back("Drivers|" + attr_drivers);
    io.out << color.Color(FormatKV(basic)) << "\n";
    io.out << color.Color("\n[bold]Allocations[reset]") << "\n"
           << AllocList(allocs, verbose, length, now) << "\n";
    return 0;
  }

  auto stats = client.Get("/v1/client/stats", {{"node_id", id}});
  json host_stats;
  if (stats) {
    host_stats = std::move(stats->body);
    basic.push_back("Uptime|" + FormatGoDuration(Int(host_stats, "Uptime") * 1'000'000'000));
  } else {
    llvm::consumeError(stats.takeError());
  }
  if (!verbose) {
    basic.push_back("Host Volumes|" + join_keys(Field(node, "HostVolumes")));
    basic.push_back("Host Networks|" + join_keys(Field(node, "HostNetworks")));
    basic.push_back("CSI Volumes|");
    basic.push_back("Driver Status| " + drivers);
  }
  io.out << color.Color(FormatKV(basic)) << "\n";

  if (verbose) {
    std::vector<std::string> rows = {"Driver|Detected|Healthy|Message|Time"};
    for (const std::string& d : Keys(node, "Drivers")) {
      const json& info = Field(Field(node, "Drivers"), d);
      rows.push_back(Row({d, Bool(info, "Detected") ? "true" : "false",
                          Bool(info, "Healthy") ? "true" : "false", Str(info, "HealthDescription"),
                          FormatApiTime(Str(info, "UpdateTime"))}));
    }
    io.out << color.Color("\n[bold]Drivers") << "\n" << FormatList(rows) << "\n";
  }

  std::vector<json> events = Items(node, "Events");
  std::vector<std::string> event_rows(events.size() + 1);
  event_rows[0] = verbose ? "Time|Subsystem|Message|Details" : "Time|Subsystem|Message";
  for (size_t i = 0; i < events.size(); ++i) {
    const json& e = events[i];
    std::string subsystem = Str(e, "Subsystem");
    if (std::string driver = Str(Field(e, "Details"), "driver"); !driver.empty()) {
      subsystem = "Driver: " + driver;
    }
    std::string row = Row({FormatApiTime(Str(e, "Timestamp")), subsystem, Str(e, "Message")});
    if (verbose) {
      std::string details;
      for (const std::string& k : Keys(e, "Details")) {
        details += (details.empty() ? "" : ", ") + k + ": " + Str(Field(e, "Details"), k);
      }
      row += "|" + details;
    }
    event_rows[events.size() - i] = row;  // newest first
  }
  io.out << color.Color("\n[bold]Node Events") << "\n" << FormatList(event_rows) << "\n";

  Usage used;
  for (const json& a : running) {
    Usage u = AllocUsage(a);
    used.cpu += u.cpu;
    used.memory_mb += u.memory_mb;
    used.disk_mb += u.disk_mb;
  }
  Usage total = NodeTotal(node);
  io.out << color.Color("\n[bold]Allocated Resources[reset]") << "\n"
         << FormatList({"CPU|Memory|Disk", std::to_string(used.cpu) + "/" +
                                               std::to_string(total.cpu) + " MHz|" +
                                               Mib(used.memory_mb) + "/" + Mib(total.memory_mb) +
                                               "|" + Mib(used.disk_mb) + "/" + Mib(total.disk_mb)})
         << "\n";

  if (host_stats.is_object()) {
    const json& mem = Field(host_stats, "Memory");
    double cpu_ticks = Float(host_stats, "CPUTicksConsumed");
    uint64_t disk_used = 0, disk_size = 0;
    for (const json& d : Items(host_stats, "DiskStats")) {
      disk_used += Uint(d, "Used");
      disk_size += Uint(d, "Size");
    }
    io.out << color.Color("\n[bold]Host Resource Utilization[reset]") << "\n"
           << FormatList({"CPU|Memory|Disk", std::to_string(static_cast<int64_t>(cpu_ticks)) + "/" +
                                                 std::to_string(total.cpu) + " MHz|" +
                                                 HumanizeIBytes(Uint(mem, "Used")) + "/" +
                                                 HumanizeIBytes(Uint(mem, "Total")) + "|" +
                                                 HumanizeIBytes(disk_used) + "/" +
                                                 HumanizeIBytes(disk_size)})
           << "\n";
  }

  io.out << color.Color("\n[bold]Allocations[reset]") << "\n"
         << AllocList(allocs, verbose, length, now) << "\n";
  if (verbose) {
    std::vector<std::string> attrs;
    for (const std::string& k : Keys(node, "Attributes")) {
      attrs.push_back(k + "|" + Str(Field(node, "Attributes"), k));
    }
    io.out << color.Color("\n[bold]Attributes[reset]") << "\n" << FormatKV(attrs) << "\n";
    std::vector<std::string> meta;
    for (const std::string& k : Keys(node, "Meta")) {
      meta.push_back(k + "|" + Str(Field(node, "Meta"), k));
    }
    io.out << color.Color("\n[bold]Meta[reset]") << "\n" << FormatKV(meta) << "\n";
  }
  return 0;
}

}  // namespace

int RunNodeStatus(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool verbose = false, json_out = false, quiet = false, allocs = false, os = false, self = false,
       short_output = false;
  FlagSet flags("drover node status [options] <node>",
                "Display status information about a given node. The list of nodes returned\n"
                "includes only nodes which jobs may be scheduled to, and includes status and\n"
                "other high-level information. If a node ID is passed, information for that\n"
                "specific node will be displayed.");
  AddApiFlags(flags, &api);
  flags.Bool("verbose", &verbose, "Display full information.");
  flags.Bool("json", &json_out, "Output the node in its JSON format.");
  flags.Bool("quiet", &quiet, "Display only node IDs.");
  flags.Bool("allocs", &allocs, "Display a count of running allocations for each node.");
  flags.Bool("os", &os, "Display operating system name for each node.");
  flags.Bool("self", &self, "Query the status of the local node.");
  flags.Bool("short", &short_output, "Display short output.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() > 1) {
    PrintCommandError(io, flags, "This command takes either one or no arguments");
    return 1;
  }
  const size_t length = verbose ? kFullId : kShortId;
  ApiClient client = ApiClient::ForCommand(api, io);
  Colorizer color(UseColor(api, io));

  if (flags.args().empty() && !self) {
    if (quiet && (verbose || json_out)) {
      io.err << "-quiet cannot be used with -verbose or -json\n";
      return 1;
    }
    ApiClient::Query q;
    if (os) q.emplace_back("os", "true");
    auto resp = client.Get("/v1/nodes", q);
    if (!resp) {
      io.err << "Error querying node status: " << ErrorText(resp.takeError()) << "\n";
      return 1;
    }
    if (json_out) {
      PrintJson(io, resp->body.is_null() ? json::array() : resp->body);
      return 0;
    }
    std::vector<json> nodes;
    if (resp->body.is_array()) nodes.assign(resp->body.begin(), resp->body.end());
    if (nodes.empty()) {
      io.out << "No nodes registered\n";
      return 0;
    }
    std::vector<std::string> rows;
    if (quiet) {
      for (const json& n : nodes) rows.push_back(Str(n, "ID"));
      io.out << FormatList(rows) << "\n";
      return 0;
    }
    std::string header = "ID|Node Pool|DC|Name|Class|";
    if (os) header += "OS|";
    if (verbose) header += "Address|Version|";
    header += "Drain|Eligibility|Status";
    if (allocs) header += "|Running Allocs";
    rows.push_back(header);
    for (const json& n : nodes) {
      std::string row = Row({Limit(Str(n, "ID"), length), Str(n, "NodePool"), Str(n, "Datacenter"),
                             Str(n, "Name"), Str(n, "NodeClass")});
      if (os) row += "|" + Str(Field(n, "Attributes"), "os.name");
      if (verbose) row += "|" + Row({Str(n, "Address"), Str(n, "Version")});
      row += "|" + Row({Bool(n, "Drain") ? "true" : "false", Str(n, "SchedulingEligibility"),
                        Str(n, "Status")});
      if (allocs) {
        auto na = client.Get("/v1/node/" + ApiClient::Escape(Str(n, "ID")) + "/allocations");
        if (!na) {
          io.err << "Error querying node allocations: " << ErrorText(na.takeError()) << "\n";
          return 1;
        }
        size_t count = 0;
        if (na->body.is_array()) {
          for (const json& a : na->body) count += Str(a, "ClientStatus") == "running";
        }
        row += "|" + std::to_string(count);
      }
      rows.push_back(row);
    }
    io.out << FormatList(rows) << "\n";
    return 0;
  }

  std::string node_id;
  if (self) {
    auto agent = client.Get("/v1/agent/self");
    if (!agent) {
      io.err << "Error querying agent info: " << ErrorText(agent.takeError()) << "\n";
      return 1;
    }
    const json& client_stats = Field(Field(agent->body, "stats"), "client");
    if (!client_stats.is_object()) {
      io.err << "Nomad not running in client mode\n";
      return 1;
    }
    node_id = Str(client_stats, "node_id");
    if (node_id.empty()) {
      io.err << "Failed to determine node ID\n";
      return 1;
    }
  } else {
    node_id = flags.args()[0];
  }
  if (node_id.size() == 1) {
    io.err << "Identifier must contain at least two characters.\n";
    return 1;
  }
  node_id = SanitizeUuidPrefix(node_id);
  auto list = client.Get("/v1/nodes", {{"prefix", node_id}});
  if (!list) {
    io.err << "Error querying node info: " << ErrorText(list.takeError()) << "\n";
    return 1;
  }
  std::vector<json> nodes;
  if (list->body.is_array()) nodes.assign(list->body.begin(), list->body.end());
  if (nodes.empty()) {
    io.err << "No node(s) with prefix " << GoQuote(node_id) << " found\n";
    return 1;
  }
  if (nodes.size() > 1) {
    io.err << "Prefix matched multiple nodes\n\n" << NodeStubList(nodes, verbose) << "\n";
    return 1;
  }
  auto info = client.Get("/v1/node/" + ApiClient::Escape(Str(nodes[0], "ID")));
  if (!info) {
    io.err << "Error querying node info: " << ErrorText(info.takeError()) << "\n";
    return 1;
  }
  if (json_out) {
    PrintJson(io, info->body);
    return 0;
  }
  return FormatNode(client, io, color, info->body, verbose, short_output);
}

}  // namespace drover::cli
