// `drover deployment status [options] <deployment>`: one deployment (full id or unique prefix) as
// `nomad deployment status` shows it: ID, Job ID, Job Version, Status, Description and the
// Deployed table. -monitor follows it until it ends (and the rollback after an auto-reverted
// failure); -json prints the API object; -verbose full ids.
#include <algorithm>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/monitor.h"
#include "runtime/cli/nomad_format.h"
#include "runtime/cli/output.h"

namespace drover::cli {

using nlohmann::json;

int RunDeploymentStatus(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool monitor = false, verbose = false, json_out = false;
  FlagSet flags("drover deployment status [options] <deployment id>",
                "Display information about a deployment: the number of desired changes and the\n"
                "currently applied changes. The deployment is named by its id or an id prefix.");
  AddApiFlags(flags, &api);
  flags.Bool("json", &json_out, "Output the deployment in its JSON format.");
  flags.Bool("verbose", &verbose, "Show full information.");
  flags.Bool("monitor", &monitor, "Enter monitor mode to poll for updates to the deployment.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() != 1) {
    PrintCommandError(io, flags, "This command takes one argument: <deployment id>");
    return 1;
  }
  if (monitor && json_out) {
    io.err << "The monitor flag cannot be used with the '-json' or '-t' flags\n";
    return 1;
  }
  const size_t length = verbose ? kFullId : kShortId;
  ApiClient client = ApiClient::ForCommand(api, io);
  Colorizer color(UseColor(api, io));

  std::string id = flags.args()[0];
  json deployment;
  if (id.size() == kFullId) {
    auto resp = client.Get("/v1/deployment/" + ApiClient::Escape(id));
    if (!resp) {
      io.err << "Error retrieving deployment: " << ErrorText(resp.takeError()) << "\n";
      return 1;
    }
    deployment = resp->body;
  } else {
    if (id.size() == 1) {
      io.err << "Error retrieving deployment: Identifier must contain at least two characters.\n";
      return 1;
    }
    id = SanitizeUuidPrefix(id);
    auto resp = client.Get("/v1/deployments", {{"prefix", id}});
    if (!resp) {
      io.err << "Error retrieving deployment: " << ErrorText(resp.takeError()) << "\n";
      return 1;
    }
    std::vector<json> matches;
    if (resp->body.is_array()) matches.assign(resp->body.begin(), resp->body.end());
    if (matches.empty()) {
      io.err << "Error retrieving deployment: Deployment ID " << GoQuote(id)
             << " matched no deployments\n";
      return 1;
    }
    if (matches.size() > 1) {
      std::stable_sort(matches.begin(), matches.end(), [](const json& a, const json& b) {
        return Uint(a, "CreateIndex") > Uint(b, "CreateIndex");
      });
      io.err << "Prefix matched multiple deployments\n\n"
             << FormatDeploymentList(matches, length) << "\n";
      return 1;
    }
    deployment = matches[0];
  }

  if (json_out) {
    PrintJson(io, deployment);
    return 0;
  }
  if (monitor) {
    // Nomad exits 0 once the deployment ends, whatever its status (unlike `job run`).
    MonitorDeployment(client, io, color, Str(deployment, "ID"), length);
    return 0;
  }
  io.out << color.Color(FormatDeployment(deployment, length)) << "\n";
  return 0;
}

}  // namespace drover::cli
