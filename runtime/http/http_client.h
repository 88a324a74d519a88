// A small synchronous HTTP/1.1 client over TCP or a unix socket (the Docker Engine API, etcd,
// the agents' own API). Plain structs in, plain structs out: Boost.Beast stays inside
// http_client.cpp so that including this header costs nothing.
//
// One request per connection (`Connection: close`): the callers talk to local daemons, so a
// connection costs microseconds and keep-alive would only add state. Every call has a deadline;
// streaming reads can also be cancelled from another thread through StreamOptions::cancelled.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <llvm/Support/Error.h>

namespace drover::http {

/// Header fields in the order they were sent or received; names compare case-insensitively.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// Where a client connects: `tcp://host:port`, `http://host:port` or `unix:///path/to.sock`.
struct Endpoint {
  enum class Kind { kTcp, kUnix };
  Kind kind = Kind::kTcp;
  std::string host;   ///< kTcp: name or address
  uint16_t port = 0;  ///< kTcp
  std::string path;   ///< kUnix: socket file

  static Endpoint Tcp(std::string host, uint16_t port);
  static Endpoint Unix(std::string path);
  /// Parses the forms above; an error names what is wrong with `text`.
  static llvm::Expected<Endpoint> Parse(std::string_view text);
  /// `tcp://host:port` or `unix:///path`.
  std::string ToString() const;
};

/// `http://host[:port]/path?query` split into an endpoint and a request target.
struct Url {
  Endpoint endpoint;
  std::string target = "/";  ///< path and query, never empty
  static llvm::Expected<Url> Parse(std::string_view text);
};

struct Request {
  std::string method = "GET";
  std::string target = "/";  ///< path and query, e.g. `/v1.41/containers/json?all=1`
  Headers headers;           ///< Host, Content-Length and Connection are added when absent
  std::string body;
};

struct Response {
  int status = 0;
  Headers headers;
  std::string body;

  /// The first header named `name` (any case), or "" when there is none.
  std::string Header(std::string_view name) const;
  bool IsSuccess() const { return status >= 200 && status < 300; }
};

struct ClientOptions {
  /// Deadline for a whole Do() call: connect, send, and read the complete response. For Stream()
  /// it bounds connect, send and the response head only.
  std::chrono::milliseconds timeout{30'000};
  /// Responses with a larger body fail (Do) or stop (Stream of a non-2xx response).
  size_t body_limit = 64u << 20;
};

struct StreamOptions {
  /// Polled about every 50 ms while waiting for data; returning true ends the stream with an
  /// error whose message starts with "cancelled". May be empty.
  std::function<bool()> cancelled;
  /// Ends the stream with an error when no body bytes arrive for this long; 0 means wait forever
  /// (a `logs?follow=1` stream is silent while the container is).
  std::chrono::milliseconds idle_timeout{0};
};

/// A synchronous client bound to one endpoint. Cheap to copy; holds no connection between calls,
/// so one client may be used from several threads at once.
class HttpClient {
 public:
  explicit HttpClient(Endpoint endpoint, ClientOptions options = {});

  const Endpoint& endpoint() const { return endpoint_; }
  const ClientOptions& options() const { return options_; }

  /// Sends `request` and reads the whole response. Any HTTP status is a value; an error means the
  /// exchange itself failed (connect refused, timeout, malformed response, body too large).
  llvm::Expected<Response> Do(const Request& request) const;

  /// Sends `request` and hands the body to `on_body` piece by piece as it arrives (chunked or
  /// not), for long-lived bodies such as `logs?follow=1` or `wait`. Returns the response head
  /// (status and headers, empty body) once the body has ended. A non-2xx response is not
  /// streamed: its body (up to body_limit) is returned in Response::body instead.
  llvm::Expected<Response> Stream(const Request& request,
                                  const std::function<void(std::string_view)>& on_body,
                                  const StreamOptions& stream_options = {}) const;

  /// Shorthands for Do().
  llvm::Expected<Response> Get(std::string target) const;
  llvm::Expected<Response> Post(std::string target, std::string body,
                                std::string content_type = "application/json") const;
  llvm::Expected<Response> Delete(std::string target) const;

 private:
  Endpoint endpoint_;
  ClientOptions options_;
};

/// GET of an absolute `http://` URL with default options.
llvm::Expected<Response> HttpGet(std::string_view url, ClientOptions options = {});

}  // namespace drover::http
