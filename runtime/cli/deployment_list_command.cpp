// `drover deployment list [options]`: every deployment, newest first, as `nomad deployment list`
// shows them (`ID  Job ID  Job Version  Status  Description`, or "No deployments found"); -json
// prints the API objects, -verbose full ids.
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

int RunDeploymentList(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool verbose = false, json_out = false;
  FlagSet flags("drover deployment list [options]", "List all deployments.");
  AddApiFlags(flags, &api);
  flags.Bool("json", &json_out, "Output the deployments in their JSON format.");
  flags.Bool("verbose", &verbose, "Show full information.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (!flags.args().empty()) {
    PrintCommandError(io, flags, "This command takes no arguments");
    return 1;
  }
  ApiClient client = ApiClient::ForCommand(api, io);
  return PrintDeploymentList(client, io, "/v1/deployments", json_out, verbose ? kFullId : kShortId);
}

}  // namespace drover::cli
