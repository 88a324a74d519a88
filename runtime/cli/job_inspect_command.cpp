// `drover job inspect [options] <job>`: the job as the agent stores it, printed as Nomad prints
// it: `{"Job": {...}}` indented by four spaces, which `drover job run -json` accepts back.
// -version N picks a stored version; -hcl prints the submitted source instead; -local compiles a
// job file on this machine instead of asking an agent (with -json: the file is API JSON).
#include <charconv>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/job_getter.h"
#include "runtime/cli/nomad_format.h"
#include "runtime/cli/output.h"

namespace drover::cli {

int RunJobInspect(std::span<const std::string> args, Io& io) {
  using nlohmann::json;
  ApiFlags api;
  bool json_flag = false, hcl = false, local = false;
  JobInputFlags input;
  std::string version_str;
  FlagSet flags("drover job inspect [options] <job>",
                "Inspect is used to see the specification of a submitted job.");
  AddApiFlags(flags, &api);
  flags.String("version", &version_str, "Display the job at the given job version.");
  flags.Bool("json", &json_flag, "Output the job in its JSON format (the default).");
  flags.Bool("hcl", &hcl, "Output the original HCL submitted with the job.");
  flags.Bool("local", &local,
             "<path> is a job file: compile it on this machine and print it, without an agent.");
  flags.StringList("var", &input.vars, "With -local: an HCL2 input variable, -var 'name=value'.");
  flags.StringList("var-file", &input.var_files, "With -local: a file of HCL2 variable values.");
  flags.StringList("allow-file-path", &input.allowed_paths,
                   "With -local: let file() read below this directory too. Repeatable.");
  flags.Bool("hcl2-strict", &input.hcl2_strict,
             "With -local: fail on a value for an undeclared variable (default true).");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (local) {
    if (flags.args().size() != 1) {
      PrintCommandError(io, flags, "This command takes one argument: <path>");
      return 1;
    }
    if (auto invalid = ValidateJobInput(input)) {
      io.err << "Invalid job options: " << *invalid << "\n";
      return 1;
    }
    input.json = json_flag;
    return PrintCompiledJob(flags.args()[0], input, io);
  }
  ApiClient client = ApiClient::ForCommand(api, io);
  if (flags.args().empty() && json_flag) {
    auto jobs = client.Get("/v1/jobs");
    if (!jobs) {
      io.err << "Error querying jobs: " << ErrorText(jobs.takeError()) << "\n";
      return 1;
    }
    json out = json::array();
    if (jobs->body.is_array()) {
      for (const json& stub : jobs->body) {
        auto job = client.Get("/v1/job/" + ApiClient::Escape(Str(stub, "ID")));
        if (!job) {
          io.err << "Error inspecting job: " << ErrorText(job.takeError()) << "\n";
          return 1;
        }
        out.push_back({{"Job", job->body}});
      }
    }
    PrintJson(io, out);
    return 0;
  }
  if (flags.args().size() != 1) {
    PrintCommandError(io, flags, "This command takes one argument: <job>");
    return 1;
  }
  auto ref = LookupJob(client, io, TrimSpace(flags.args()[0]));
  if (!ref) return 1;
  if (!ref->ns.empty()) client.SetNamespace(ref->ns);
  const std::string path = "/v1/job/" + ApiClient::Escape(ref->id);

  std::optional<uint64_t> version;
  if (!version_str.empty()) {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(version_str.data(), version_str.data() + version_str.size(), v);
    if (ec != std::errc() || p != version_str.data() + version_str.size()) {
      io.err << "Error parsing version value " << GoQuote(version_str) << ": strconv.ParseUint: "
             << "parsing " << GoQuote(version_str) << ": invalid syntax\n";
      return 1;
    }
    version = v;
  }
  if (hcl) {
    std::string v = version ? std::to_string(*version) : "";
    if (!version) {
      auto job = client.Get(path);
      if (!job) {
        io.err << "Error inspecting job: " << ErrorText(job.takeError()) << "\n";
        return 1;
      }
      v = std::to_string(Int(job->body, "Version"));
    }
    auto sub = client.Get(path + "/submission", {{"version", v}});
    if (!sub) {
      io.err << "Error retrieving job submission: " << ErrorText(sub.takeError()) << "\n";
      return 1;
    }
    io.out << Str(sub->body, "Source");
    return 0;
  }
  json job;
  if (version) {
    auto versions = client.Get(path + "/versions");
    if (!versions) {
      io.err << "Error inspecting job: " << ErrorText(versions.takeError()) << "\n";
      return 1;
    }
    for (const json& v : Items(versions->body, "Versions")) {
      if (Uint(v, "Version") == *version) job = v;
    }
    if (job.is_null()) {
      io.err << "Error inspecting job: job " << GoQuote(ref->id) << " has no version " << *version
             << "\n";
      return 1;
    }
  } else {
    auto resp = client.Get(path);
    if (!resp) {
      io.err << "Error inspecting job: " << ErrorText(resp.takeError()) << "\n";
      return 1;
    }
    job = std::move(resp->body);
  }
  PrintJson(io, json{{"Job", job}});
  return 0;
}

}  // namespace drover::cli
