// `drover job history [options] <job>`: the stored versions of a job, newest first, each as
//
//   Version     = 2
//   Stable      = false
//   Submit Date = 2024-09-09T16:41:53-04:00
//   Diff        =
//   +/- Job: "example"
//   ...
//
// -p adds the diff against the previous version, -full the whole job as JSON, -version N shows
// one version, -json prints the API objects.
#include <charconv>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/job_diff_text.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

std::string FormatVersion(const json& job, const json* diff, bool full, bool color) {
  std::vector<std::string> basic = {
      "Version|" + std::to_string(Uint(job, "Version")),
      std::string("Stable|") + (Bool(job, "Stable") ? "true" : "false"),
      "Submit Date|" + FormatTime(Int(job, "SubmitTime")),
  };
  const json& tag = Field(job, "VersionTag");
  if (tag.is_object()) {
    basic.push_back("Tag Name|" + Str(tag, "Name"));
    if (!Str(tag, "Description").empty())
      basic.push_back("Tag Description|" + Str(tag, "Description"));
  }
  if (diff != nullptr) basic.push_back("Diff|\n" + FormatJobDiff(*diff, false, color));
  if (full) basic.push_back("Full|JSON Job:\n" + job.dump(4));
  return Columnize(basic, {.glue = " = ", .empty = "", .no_trim = true});
}

}  // namespace

int RunJobHistory(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool diff = false, full = false, json_out = false;
  std::string version_str;
  FlagSet flags("drover job history [options] <job>",
                "History is used to display the known versions of a particular job. The command\n"
                "can display the diff between job versions and can be useful for understanding\n"
                "the changes that occurred to the job as well as deciding job versions to revert\n"
                "to.");
  AddApiFlags(flags, &api);
  flags.Bool("p", &diff, "Display the difference between each job and its predecessor.");
  flags.Bool("full", &full, "Display the full job definition for each version.");
  flags.String("version", &version_str, "Display only the history for the given job version.");
  flags.Bool("json", &json_out, "Output the job versions in a JSON format.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().size() != 1) {
    PrintCommandError(io, flags, "This command takes one argument: <job>");
    return 1;
  }
  if (json_out && (diff || full)) {
    io.err << "-json and -t are exclusive with -p and -full\n";
    return 1;
  }
  ApiClient client = ApiClient::ForCommand(api, io);
  Colorizer color(UseColor(api, io));
  auto ref = LookupJob(client, io, TrimSpace(flags.args()[0]));
  if (!ref) return 1;
  if (!ref->ns.empty()) client.SetNamespace(ref->ns);
  auto resp = client.Get("/v1/job/" + ApiClient::Escape(ref->id) + "/versions",
                         {{"diffs", diff ? "true" : "false"}});
  if (!resp) {
    io.err << "Error retrieving job versions: " << ErrorText(resp.takeError()) << "\n";
    return 1;
  }
  std::vector<json> versions = Items(resp->body, "Versions");
  std::vector<json> diffs = Items(resp->body, "Diffs");

  if (!version_str.empty()) {
    uint64_t version = 0;
    auto [p, ec] =
        std::from_chars(version_str.data(), version_str.data() + version_str.size(), version);
    if (ec != std::errc() || p != version_str.data() + version_str.size()) {
      io.err << "Error parsing version value " << GoQuote(version_str) << ": strconv.ParseUint: "
             << "parsing " << GoQuote(version_str) << ": invalid syntax\n";
      return 1;
    }
    const json* job = nullptr;
    const json* job_diff = nullptr;
    for (size_t i = 0; i < versions.size(); ++i) {
      if (Uint(versions[i], "Version") != version) continue;
      job = &versions[i];
      job_diff = i < diffs.size() ? &diffs[i] : nullptr;
    }
    if (json_out) {
      PrintJson(io, job != nullptr ? *job : json());
      return 0;
    }
    if (job == nullptr) {
      io.err << "Error printing job history for non-existing job or job version\n";
      return 1;
    }
    io.out << FormatVersion(*job, job_diff, full, color.enabled()) << "\n";
    return 0;
  }
  if (json_out) {
    PrintJson(io, json(versions));
    return 0;
  }
  if (!diffs.empty() && versions.size() != diffs.size() + 1) {
    io.err << "Number of job versions " << versions.size() << " doesn't match number of diffs "
           << diffs.size() << "\n";
    return 1;
  }
  for (size_t i = 0; i < versions.size(); ++i) {
    const json* job_diff = i < diffs.size() ? &diffs[i] : nullptr;
    io.out << FormatVersion(versions[i], job_diff, full, color.enabled()) << "\n";
    if (i + 1 != versions.size()) io.out << "\n";
  }
  return 0;
}

}  // namespace drover::cli
