// Small pieces the agent-facing commands share: Nomad's usage-error texts, `-json` output, and
// the prefix lookups (`No job(s) with prefix or ID "x" found`, `Prefix "x" matched multiple
// jobs`, `No allocation(s) with prefix or id "x" found`) that let a user type the start of an id.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace drover::cli {

class ApiClient;
class FlagSet;
struct Io;

/// A usage mistake (wrong number of arguments): prints Nomad's `message` and then the command's
/// usage to stderr. The caller returns 1 (255 for plan).
void PrintCommandError(Io& io, const FlagSet& flags, std::string_view message);

/// Nomad's `-json` output: the value indented by four spaces, with a trailing newline.
void PrintJson(Io& io, const nlohmann::json& value);

/// Go's sanitizeUUIDPrefix: drops the last character when the prefix (without dashes) has an odd
/// length, because the API only searches whole bytes.
std::string SanitizeUuidPrefix(std::string prefix);

struct JobRef {
  std::string id;
  std::string ns;
};

/// Finds the one job `prefix` names (an exact id wins over longer ids it prefixes). On failure
/// prints Nomad's message to stderr and returns nothing.
std::optional<JobRef> LookupJob(const ApiClient& client, Io& io, const std::string& prefix);

/// The allocations whose id starts with `prefix` (already sanitized). On an API error, or when
/// there is none, prints Nomad's message (quoting `shown`, the id as the command names it) to
/// stderr and returns nothing.
std::optional<std::vector<nlohmann::json>> ListAllocsByPrefix(const ApiClient& client, Io& io,
                                                              const std::string& prefix,
                                                              std::string_view shown);

/// GETs the deployments at `path` (/v1/deployments or /v1/job/<id>/deployments) and prints them
/// newest first: the API objects with `json_out`, otherwise `nomad deployment list`'s table with
/// ids cut to `id_length`. Returns the exit code.
int PrintDeploymentList(const ApiClient& client, Io& io, const std::string& path, bool json_out,
                        size_t id_length);

/// The allocation `id` in full (GET /v1/allocation/<id>); on an API error prints Nomad's message
/// to stderr and returns nothing.
std::optional<nlohmann::json> GetAlloc(const ApiClient& client, Io& io, const std::string& id);

}  // namespace drover::cli
