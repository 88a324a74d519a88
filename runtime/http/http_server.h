// An HTTP/1.1 server for the agents' APIs (the Nomad-style HTTP API on 4646, drover's client RPC
// on 4647). Plain structs in and out: Boost.Beast stays inside http_server.cpp, so including this
// header costs nothing.
//
// One I/O thread accepts connections and reads and writes messages (keep-alive, one request at a
// time per connection). Handlers run on a pool of handler threads that grows on demand up to a
// limit, because API handlers may block: a blocking query (`?index=&wait=`) or a client's
// long-poll holds its thread until the state changes or the wait ends.
//
// Bad input never reaches a handler: a malformed request, oversized headers or a body over
// `body_limit` get a 400/413 answer and the connection is closed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <llvm/Support/Error.h>

namespace drover::http {

/// Header fields in the order they were sent or received; names compare case-insensitively.
/// (Same alias as http_client.h declares; a repeated alias declaration of one type is legal.)
using Headers = std::vector<std::pair<std::string, std::string>>;

/// A request as a handler sees it: the whole body has been read.
struct ServerRequest {
  std::string method;  ///< "GET", "PUT", ... as sent
  std::string target;  ///< raw request target: path and query, e.g. "/v1/jobs?prefix=web"
  std::string path;    ///< the target's path, still percent-encoded ("/v1/job/a%2Fb")
  /// Query parameters, percent-decoded, in order. `?pretty` gives ("pretty", "").
  std::vector<std::pair<std::string, std::string>> query;
  Headers headers;
  std::string body;
  std::string remote;  ///< "127.0.0.1:53514"

  /// The first header named `name` (any case), or "".
  std::string Header(std::string_view name) const;
  /// The first query parameter named `name`, or nullopt when absent.
  std::optional<std::string> Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const { return Query(name).has_value(); }
};

struct ServerResponse {
  int status = 200;
  Headers headers;  ///< Content-Length, Connection and Server are added by the server
  std::string body;

  /// A text/plain response (Nomad answers errors with a plain-text message).
  static ServerResponse Text(int status, std::string body);
  /// An application/json response with an already serialized body.
  static ServerResponse Json(int status, std::string body);
  /// Sets (or replaces) a header.
  void SetHeader(std::string_view name, std::string value);
  std::string Header(std::string_view name) const;
};

/// Called on a handler thread, once per request. Exceptions are caught and answered with 500
/// (a bug: handlers turn every bad input into a 4xx themselves).
using Handler = std::function<ServerResponse(const ServerRequest&)>;

struct ServerOptions {
  std::string address = "127.0.0.1";  ///< IPv4 or IPv6 literal; never a wildcard by default
  uint16_t port = 0;                  ///< 0 = any free port (see HttpServer::port())
  size_t body_limit = 16u << 20;      ///< larger request bodies get 413
  size_t max_handler_threads = 128;   ///< concurrent handlers (blocking queries hold one each)
  std::chrono::milliseconds idle_timeout{75'000};  ///< keep-alive connections idle this long close
  std::string name = "http";                       ///< for log lines ("http", "rpc")
};

/// A running server. Start() binds and starts serving; Stop() (or the destructor) stops accepting,
/// closes connections, waits for running handlers and joins every thread.
class HttpServer {
 public:
  /// Binds `options.address:options.port` and serves. Fails (with the OS's reason) when the
  /// address cannot be parsed or bound.
  static llvm::Expected<std::unique_ptr<HttpServer>> Start(ServerOptions options, Handler handler);

  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The bound port (the real one when options.port was 0).
  uint16_t port() const;
  /// The bound address, e.g. "127.0.0.1".
  const std::string& address() const;
  /// "127.0.0.1:4646" (IPv6 in brackets).
  std::string HostPort() const;

  /// Idempotent. REQUIRES: handlers that block (long-polls) have been told to return, e.g. by
  /// cancelling the waits they are in; Stop() waits for every running handler.
  void Stop();

  struct Impl;  ///< implementation detail (http_server.cpp)

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Percent-decodes `text` ("a%2Fb" -> "a/b"; with `plus_is_space`, "+" -> " "). Invalid escapes
/// are kept as they are.
std::string PercentDecode(std::string_view text, bool plus_is_space = false);

/// Splits a raw query string ("a=1&b&c=x%20y") into decoded pairs.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);

}  // namespace drover::http
