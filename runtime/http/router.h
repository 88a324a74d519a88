// A request router for the HTTP servers: method + path pattern -> handler. Patterns are literal
// segments and `:name` parameters, one segment each ("/v1/job/:id/versions"); a parameter value
// is percent-decoded, so a job id with a slash travels as "a%2Fb". Also the JSON helpers the
// handlers share: safe body parsing (never throws, bounded nesting) and response building.
//
// Unknown paths answer 404, a known path with another method answers 405, as Nomad's API does.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "runtime/http/http_server.h"

namespace drover::http {

/// The `:name` values a pattern matched.
class RouteParams {
 public:
  /// The decoded value of `:name`, or "" if the pattern has no such parameter.
  const std::string& Get(std::string_view name) const;
  void Set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

using RouteHandler = std::function<ServerResponse(const ServerRequest&, const RouteParams&)>;

class Router {
 public:
  /// Adds a route. `methods` is one method or several separated by '|' ("PUT|POST").
  /// REQUIRES: `pattern` starts with '/'.
  void Add(std::string_view methods, std::string_view pattern, RouteHandler handler);

  /// Dispatches; 404 for an unknown path, 405 (with Allow) for a known path and another method.
  ServerResponse Handle(const ServerRequest& request) const;

  /// A Handler for HttpServer that calls Handle(). The router must outlive the server.
  Handler AsHandler() const;

 private:
  struct Route {
    std::vector<std::string> methods;
    std::vector<std::string> segments;  ///< ":name" for parameters
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

/// Splits a raw path into its segments, percent-decoding each ("/v1/job/a%2Fb" -> v1, job, a/b).
std::vector<std::string> SplitPath(std::string_view raw_path);

/// Parses a request body as JSON. Never throws; an empty body, invalid JSON or nesting deeper than
/// `max_depth` is an error whose message says what is wrong (for a 400 answer).
llvm::Expected<nlohmann::json> ParseJsonBody(std::string_view body, int max_depth = 256);

/// A JSON response; `?pretty` in the request indents it as Nomad does.
ServerResponse JsonResponse(const ServerRequest& request, const nlohmann::json& body,
                            int status = 200);

/// A plain-text error response with a trailing newline.
ServerResponse ErrorResponse(int status, std::string_view message);

}  // namespace drover::http
