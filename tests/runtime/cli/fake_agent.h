// A scripted agent for CLI tests: canned API responses by "METHOD /path" (query string ignored
// unless a route names it), a fixed clock, no sleeping, UTC times. Each route holds a list of
// responses served in order; the last one repeats, so a monitor polling an evaluation sees it
// progress and then stay put. Every request is recorded for assertions on what was sent.
#pragma once

#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/cli/api_client.h"
#include "runtime/cli/command.h"
#include "runtime/cli/context.h"

namespace drover::cli::testing {

/// 2024-09-09T20:41:53Z, the fixed "now" of every test.
inline constexpr int64_t kNowNs = 1725914513'000000000;

struct FakeResponse {
  int status = 200;
  std::string body;
  uint64_t index = 0;
};

class FakeTransport : public ApiTransport {
 public:
  struct Recorded {
    std::string base;
    std::string method;
    std::string target;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };

  /// Adds a response for `route` ("GET /v1/jobs", or with a query: "GET /v1/jobs?prefix=web").
  void Add(const std::string& route, nlohmann::json body, uint64_t index = 0) {
    routes_[route].push_back({200, body.dump(), index});
  }
  void AddRaw(const std::string& route, FakeResponse r) { routes_[route].push_back(std::move(r)); }
  /// Replaces whatever `route` answered so far.
  void Set(const std::string& route, FakeResponse r) { routes_[route] = {std::move(r)}; }
  /// Every request fails as if nothing listened on the port.
  void RefuseConnections() { refuse_ = true; }

  llvm::Expected<http::Response> Do(const std::string& base, const http::Request& req) override {
    calls.push_back({base, req.method, req.target, req.body, req.headers});
    if (refuse_) {
      std::string hostport = base.substr(base.find("//") + 2);
      return llvm::createStringError(std::errc::connection_refused,
                                     "cannot connect to tcp://%s: Connection refused",
                                     hostport.c_str());
    }
    std::string path = req.target.substr(0, req.target.find('?'));
    auto it = routes_.find(req.method + " " + req.target);
    if (it == routes_.end()) it = routes_.find(req.method + " " + path);
    http::Response resp;
    if (it == routes_.end() || it->second.empty()) {
      resp.status = 404;
      resp.body = "not found";
      return resp;
    }
    size_t& n = served_[it->first];
    const FakeResponse& r = it->second[std::min(n, it->second.size() - 1)];
    ++n;
    resp.status = r.status;
    resp.body = r.body;
    if (r.index != 0) resp.headers.emplace_back("X-Nomad-Index", std::to_string(r.index));
    return resp;
  }

  /// Requests whose method and path (without query) match.
  std::vector<Recorded> CallsTo(const std::string& method, const std::string& path) const {
    std::vector<Recorded> out;
    for (const Recorded& c : calls) {
      if (c.method == method && c.target.substr(0, c.target.find('?')) == path) out.push_back(c);
    }
    return out;
  }

  std::vector<Recorded> calls;

 private:
  std::map<std::string, std::vector<FakeResponse>> routes_;
  std::map<std::string, size_t> served_;
  bool refuse_ = false;
};

struct CommandResult {
  int code;
  std::string out;
  std::string err;
};

/// Runs `drover <args>` in-process against `transport`, with the fixed clock, TZ=UTC, no
/// environment except `env`, and `stdin_text` on standard input.
inline CommandResult RunAgainst(std::shared_ptr<FakeTransport> transport,
                                std::vector<std::string> args,
                                std::map<std::string, std::string> env = {},
                                const std::string& stdin_text = "") {
  setenv("TZ", "UTC", 1);
  tzset();
  CliContext ctx;
  ctx.transport = transport;
  ctx.now_ns = [] { return kNowNs; };
  ctx.sleep = [](std::chrono::milliseconds) {};
  ctx.getenv = [env](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  ctx.stdout_is_terminal = false;
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  Io io{in, out, err, &ctx};
  int code = RunCommandLine(args, io);
  return {code, out.str(), err.str()};
}

}  // namespace drover::cli::testing
