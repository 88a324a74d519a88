#include "runtime/cli/command_util.h"

#include <algorithm>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/nomad_format.h"
#include "runtime/cli/output.h"

namespace drover::cli {

void PrintCommandError(Io& io, const FlagSet& flags, std::string_view message) {
  io.err << message << "\n";
  flags.PrintUsage(io.err);
}

void PrintJson(Io& io, const nlohmann::json& value) { io.out << value.dump(4) << "\n"; }

std::string SanitizeUuidPrefix(std::string prefix) {
  size_t hyphens = 0;
  for (char c : prefix) hyphens += c == '-';
  if ((prefix.size() - hyphens) % 2 == 1) prefix.pop_back();
  return prefix;
}

std::optional<JobRef> LookupJob(const ApiClient& client, Io& io, const std::string& prefix) {
  auto resp = client.Get("/v1/jobs", {{"prefix", prefix}});
  if (!resp) {
    io.err << "Error querying job prefix " << GoQuote(prefix) << ": " << ErrorText(resp.takeError())
           << "\n";
    return std::nullopt;
  }
  std::vector<nlohmann::json> jobs;
  if (resp->body.is_array()) jobs.assign(resp->body.begin(), resp->body.end());
  if (jobs.empty()) {
    io.err << "No job(s) with prefix or ID " << GoQuote(prefix) << " found\n";
    return std::nullopt;
  }
  if (jobs.size() > 1 && Str(jobs[0], "ID") != prefix) {
    io.err << "Prefix " << GoQuote(prefix) << " matched multiple jobs\n\n"
           << FormatJobList(jobs, false) << "\n";
    return std::nullopt;
  }
  std::string ns = Str(jobs[0], "Namespace");
  if (ns.empty()) ns = Str(Field(jobs[0], "JobSummary"), "Namespace");
  return JobRef{Str(jobs[0], "ID"), ns};
}

std::optional<std::vector<nlohmann::json>> ListAllocsByPrefix(const ApiClient& client, Io& io,
                                                              const std::string& prefix,
                                                              std::string_view shown) {
  auto list = client.Get("/v1/allocations", {{"prefix", prefix}});
  if (!list) {
    io.err << "Error querying allocation: " << ErrorText(list.takeError()) << "\n";
    return std::nullopt;
  }
  std::vector<nlohmann::json> allocs;
  if (list->body.is_array()) allocs.assign(list->body.begin(), list->body.end());
  if (allocs.empty()) {
    io.err << "No allocation(s) with prefix or id " << GoQuote(shown) << " found\n";
    return std::nullopt;
  }
  return allocs;
}

std::optional<nlohmann::json> GetAlloc(const ApiClient& client, Io& io, const std::string& id) {
  auto resp = client.Get("/v1/allocation/" + ApiClient::Escape(id));
  if (!resp) {
    io.err << "Error querying allocation: " << ErrorText(resp.takeError()) << "\n";
    return std::nullopt;
  }
  return std::move(resp->body);
}

int PrintDeploymentList(const ApiClient& client, Io& io, const std::string& path, bool json_out,
                        size_t id_length) {
  auto resp = client.Get(path);
  if (!resp) {
    io.err << "Error retrieving deployments: " << ErrorText(resp.takeError()) << "\n";
    return 1;
  }
  std::vector<nlohmann::json> list;
  if (resp->body.is_array()) list.assign(resp->body.begin(), resp->body.end());
  // The Go API client sorts deployments by CreateIndex, newest first.
  std::stable_sort(list.begin(), list.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return Uint(a, "CreateIndex") > Uint(b, "CreateIndex");
  });
  if (json_out) {
    PrintJson(io, nlohmann::json(list));
    return 0;
  }
  io.out << FormatDeploymentList(list, id_length) << "\n";
  return 0;
}

}  // namespace drover::cli
