// The CLI's client of an agent's HTTP API (Nomad's paths and JSON). It resolves where the agent
// is the way Nomad's CLI does (flag, then environment, then the default), adds the region,
// namespace and token to each request, and turns failures into the texts Nomad's Go client
// produces, so that `Error querying jobs: ...` reads the same:
//
//   Get "http://127.0.0.1:4646/v1/jobs": dial tcp 127.0.0.1:4646: connect: connection refused
//   Unexpected response code: 404 (job not found)
//
// Requests go through an ApiTransport: HTTP (runtime/http's HttpClient) in the binary, a scripted
// fake in tests (see CliContext::transport).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "runtime/http/http_client.h"

namespace drover::cli {

class FlagSet;
struct Io;

inline constexpr char kDefaultAddress[] = "http://127.0.0.1:4646";

/// Nomad's "General Options" that every command talking to an agent accepts.
struct ApiFlags {
  std::string address;
  std::string region;
  std::string ns;
  std::string token;
  bool no_color = false;
  bool force_color = false;
};

/// Registers -address, -region, -namespace, -token, -no-color and -force-color.
void AddApiFlags(FlagSet& flags, ApiFlags* target);

/// Where and as whom requests go, after flags and environment are resolved.
struct ApiConfig {
  std::string address = kDefaultAddress;
  std::string region;
  std::string ns;
  std::string token;
};

/// Flag, then DROVER_*, then NOMAD_* (ADDR, REGION, NAMESPACE, TOKEN), then the default.
ApiConfig ResolveApiConfig(const ApiFlags& flags, const Io& io);

/// Whether output gets ANSI colors: -force-color, else a terminal without -no-color or
/// NOMAD_CLI_NO_COLOR.
bool UseColor(const ApiFlags& flags, const Io& io);

/// Sends one request to the agent at `base` (an `http://host:port` address).
class ApiTransport {
 public:
  virtual ~ApiTransport() = default;
  virtual llvm::Expected<http::Response> Do(const std::string& base,
                                            const http::Request& request) = 0;
};

/// HTTP through runtime/http.
std::shared_ptr<ApiTransport> MakeHttpTransport();

/// An API failure: transport errors have status 0.
class ApiError : public llvm::ErrorInfo<ApiError> {
 public:
  static char ID;
  ApiError(int status, std::string message) : status_(status), message_(std::move(message)) {}
  int status() const { return status_; }
  const std::string& text() const { return message_; }
  void log(llvm::raw_ostream& os) const override;
  std::error_code convertToErrorCode() const override;

 private:
  int status_;
  std::string message_;
};

/// A consumed error: its HTTP status (0 when the exchange itself failed) and its text.
struct ApiFailure {
  int status = 0;
  std::string message;
};
ApiFailure TakeFailure(llvm::Error err);
/// The text of `err` (consumed), as Nomad prints it after "Error ...: ".
std::string ErrorText(llvm::Error err);

class ApiClient {
 public:
  using Query = std::vector<std::pair<std::string, std::string>>;
  struct Response {
    nlohmann::json body;  ///< null for an empty body
    uint64_t index = 0;   ///< X-Nomad-Index
  };

  ApiClient(ApiConfig config, std::shared_ptr<ApiTransport> transport);
  /// The client for a command: the resolved flags/environment and the context's transport.
  static ApiClient ForCommand(const ApiFlags& flags, const Io& io);

  const ApiConfig& config() const { return config_; }
  /// A job's own region/namespace win over flags (Nomad's run/plan rule).
  void SetRegion(std::string region) { config_.region = std::move(region); }
  void SetNamespace(std::string ns) { config_.ns = std::move(ns); }

  llvm::Expected<Response> Get(const std::string& path, const Query& query = {}) const;
  llvm::Expected<Response> Put(const std::string& path, const nlohmann::json& body,
                               const Query& query = {}) const;
  llvm::Expected<Response> Post(const std::string& path, const nlohmann::json& body,
                                const Query& query = {}) const;
  llvm::Expected<Response> Delete(const std::string& path, const Query& query = {}) const;

  /// Percent-encodes a path segment (a job id may hold `/` or spaces).
  static std::string Escape(std::string_view segment);

 private:
  llvm::Expected<Response> Do(const std::string& method, const std::string& path,
                              const Query& query, const std::string* body) const;

  ApiConfig config_;
  std::shared_ptr<ApiTransport> transport_;
};

}  // namespace drover::cli
