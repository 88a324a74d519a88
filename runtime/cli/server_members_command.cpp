// `drover server members [-verbose] [-json]`: the servers the agent knows (GET /v1/agent/members)
// with the region leader from GET /v1/status/leader, as `nomad server members` prints them:
//
//   Name             Address    Port  Status  Leader  Raft Version  Build  Datacenter  Region
//   server-1.global  10.0.0.8   4648  alive   true    3             1.3.0  dc1         global
#include <algorithm>
#include <map>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

std::string JoinHostPort(const std::string& host, const std::string& port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + port;
}

}  // namespace

int RunServerMembers(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool verbose = false, detailed = false, json_out = false;
  FlagSet flags("drover server members [options]",
                "Display a list of the known servers and their status. Only servers are able to\n"
                "service this command.");
  AddApiFlags(flags, &api);
  flags.Bool("verbose", &verbose, "Show detailed information about each member.");
  flags.Bool("detailed", &detailed, "Same as -verbose (older name).");
  flags.Bool("json", &json_out, "Output the latest information about each member in JSON.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (!flags.args().empty()) {
    PrintCommandError(io, flags, "This command takes no arguments");
    return 1;
  }
  verbose |= detailed;
  ApiClient client = ApiClient::ForCommand(api, io);
  auto resp = client.Get("/v1/agent/members");
  if (!resp) {
    io.err << "Error querying servers: " << ErrorText(resp.takeError()) << "\n";
    return 1;
  }
  if (resp->body.is_null()) {
    io.err << "Agent doesn't know about server members\n";
    return 0;
  }
  std::vector<json> members = Items(resp->body, "Members");
  std::sort(members.begin(), members.end(),
            [](const json& a, const json& b) { return Str(a, "Name") < Str(b, "Name"); });

  // The leader of each region the (non-left) members belong to.
  std::map<std::string, std::string> leaders;
  std::string leader_errors;
  for (const json& m : members) {
    if (Str(m, "Status") == "left") continue;
    std::string region = Str(Field(m, "Tags"), "region");
    if (leaders.count(region) != 0) continue;
    auto leader = client.Get("/v1/status/leader", {{"region", region}});
    if (!leader) {
      leader_errors += "\n\t* Region " + GoQuote(region) + ": " + ErrorText(leader.takeError());
      leaders[region] = "";
      continue;
    }
    leaders[region] = leader->body.is_string() ? leader->body.get<std::string>() : "";
  }
  auto is_leader = [&](const json& m) {
    const json& tags = Field(m, "Tags");
    auto it = leaders.find(Str(tags, "region"));
    return it != leaders.end() && !it->second.empty() &&
           it->second == JoinHostPort(Str(m, "Addr"), Str(tags, "port"));
  };

  if (json_out) {
    json out = json::array();
    for (json m : members) {
      if (!m["Tags"].is_object()) m["Tags"] = json::object();
      m["Tags"]["Leader"] = is_leader(m) ? "true" : "false";
      out.push_back(std::move(m));
    }
    PrintJson(io, out);
    return 0;
  }

  std::vector<std::string> rows;
  if (verbose) {
    rows.push_back(
        "Name|Address|Port|Status|Leader|Protocol|Raft Version|Build|Datacenter|Region|Tags");
  } else {
    rows.push_back("Name|Address|Port|Status|Leader|Raft Version|Build|Datacenter|Region");
  }
  for (const json& m : members) {
    const json& tags = Field(m, "Tags");
    std::string leader = is_leader(m) ? "true" : "false";
    if (verbose) {
      std::string tag_pairs;
      for (const std::string& k : Keys(tags)) {
        tag_pairs += (tag_pairs.empty() ? "" : ",") + k + "=" + Str(tags, k);
      }
      rows.push_back(
          Row({Str(m, "Name"), Str(m, "Addr"), std::to_string(Int(m, "Port")), Str(m, "Status"),
               leader, std::to_string(Int(m, "ProtocolCur")), Str(tags, "raft_vsn"),
               Str(tags, "build"), Str(tags, "dc"), Str(tags, "region"), tag_pairs}));
    } else {
      rows.push_back(Row({Str(m, "Name"), Str(m, "Addr"), std::to_string(Int(m, "Port")),
                          Str(m, "Status"), leader, Str(tags, "raft_vsn"), Str(tags, "build"),
                          Str(tags, "dc"), Str(tags, "region")}));
    }
  }
  io.out << FormatListWithSpaces(rows) << "\n";
  if (!leader_errors.empty()) {
    size_t n = std::count(leader_errors.begin(), leader_errors.end(), '*');
    io.out << "\n";
    io.err << "Error determining leaders: " << n << " error" << (n == 1 ? "" : "s")
           << " occurred:" << leader_errors << "\n\n";
    return 1;
  }
  return 0;
}

}  // namespace drover::cli
