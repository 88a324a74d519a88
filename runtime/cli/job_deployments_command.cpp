// `drover job deployments [options] <job>`: the deployments of one job (id or unique prefix),
// newest first, as `nomad job deployments` lists them; -latest shows only the latest one as
// `deployment status` does; -json prints the API objects, -verbose full ids.
#include <algorithm>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/nomad_format.h"
#include "runtime/cli/output.h"

namespace drover::cli {

using nlohmann::json;

int RunJobDeployments(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool latest = false, verbose = false, json_out = false;
  FlagSet flags("drover job deployments [options] <job>",
                "Deployments is used to display the deployments for a particular job.");
  AddApiFlags(flags, &api);
  flags.Bool("latest", &latest, "Display the latest deployment only.");
  flags.Bool("json", &json_out, "Output the deployment in its JSON format.");
  flags.Bool("verbose", &verbose, "Show full information.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() != 1) {
    PrintCommandError(io, flags, "This command takes one argument: <job>");
    return 1;
  }
  const size_t length = verbose ? kFullId : kShortId;
  ApiClient client = ApiClient::ForCommand(api, io);
  Colorizer color(UseColor(api, io));
  auto ref = LookupJob(client, io, TrimSpace(flags.args()[0]));
  if (!ref) return 1;
  if (!ref->ns.empty()) client.SetNamespace(ref->ns);
  const std::string path = "/v1/job/" + ApiClient::Escape(ref->id);

  if (latest) {
    auto resp = client.Get(path + "/deployment");
    if (!resp) {
      io.err << "Error retrieving deployments: " << ErrorText(resp.takeError()) << "\n";
      return 1;
    }
    if (json_out) {
      PrintJson(io, resp->body);
      return 0;
    }
    io.out << color.Color(FormatDeployment(resp->body, length)) << "\n";
    return 0;
  }
  return PrintDeploymentList(client, io, path + "/deployments", json_out, length);
}

}  // namespace drover::cli
