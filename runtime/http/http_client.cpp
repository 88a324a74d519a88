// The HTTP client on Boost.Beast. Every operation is asynchronous on a private io_context that the
// calling thread runs in short slices, so that a deadline, an idle timeout or a cancellation can
// close the socket between two slices: Beast's synchronous calls have no timeouts. This is the
// only file of the client that includes Beast (see toolchain.md: a Beast TU costs ~15 s).
#include "runtime/http/http_client.h"

#include <strings.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace drover::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr std::chrono::milliseconds kSlice{50};

llvm::Error Fail(const std::string& message) {
  return llvm::createStringError(std::errc::io_error, message.c_str());
}

std::string Ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

Headers ToHeaders(const bhttp::fields& fields) {
  Headers out;
  for (const auto& f : fields)
    out.emplace_back(std::string(f.name_string()), std::string(f.value()));
  return out;
}

bool HasHeader(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) {
    return h.first.size() == name.size() &&
           strncasecmp(h.first.data(), name.data(), name.size()) == 0;
  });
}

bhttp::request<bhttp::string_body> BuildRequest(const Request& r, const Endpoint& ep) {
  bhttp::request<bhttp::string_body> req;
  bhttp::verb verb = bhttp::string_to_verb(r.method);
  if (verb == bhttp::verb::unknown) {
    req.method_string(r.method);
  } else {
    req.method(verb);
  }
  req.target(r.target.empty() ? "/" : r.target);
  req.version(11);
  for (const auto& [name, value] : r.headers) req.insert(name, value);
  if (!HasHeader(r.headers, "Host")) {
    req.set(bhttp::field::host, ep.kind == Endpoint::Kind::kUnix
                                    ? "localhost"
                                    : ep.host + ":" + std::to_string(ep.port));
  }
  if (!HasHeader(r.headers, "Connection")) req.set(bhttp::field::connection, "close");
  req.body() = r.body;
  // Content-Length: 0 on an empty POST matters to some servers (dockerd's start, etcd).
  if (!r.body.empty() || verb == bhttp::verb::post || verb == bhttp::verb::put ||
      verb == bhttp::verb::patch) {
    req.prepare_payload();
  }
  return req;
}

// One connection on its own io_context. `Socket` is a TCP or a unix stream socket.
template <class Socket>
class Connection {
 public:
  Connection(const Endpoint& endpoint, const ClientOptions& options)
      : endpoint_(endpoint), options_(options), socket_(ioc_) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs the io_context until `done` is set, `deadline` passes or `cancelled` says so. On the last
  // two the socket is closed, the pending handler runs with operation_aborted, and an error saying
  // what was being done is returned.
  llvm::Error RunUntil(const bool& done, Clock::time_point deadline, const char* what,
                       std::chrono::milliseconds budget, const std::function<bool()>* cancelled) {
    while (!done) {
      Clock::time_point now = Clock::now();
      bool is_cancelled = cancelled != nullptr && *cancelled && (*cancelled)();
      if (is_cancelled || now >= deadline) {
        error_code ignored;
        resolver_.cancel();
        socket_.close(ignored);
        ioc_.restart();
        ioc_.run();
        if (is_cancelled) {
          return Fail(std::string("cancelled while ") + what + " " + endpoint_.ToString());
        }
        return Fail(std::string("timed out after ") + Ms(budget) + " while " + what + " " +
                    endpoint_.ToString());
      }
      auto slice = std::min<Clock::duration>(deadline - now, kSlice);
      ioc_.restart();
      ioc_.run_for(slice);
    }
    return llvm::Error::success();
  }

  llvm::Error Connect(Clock::time_point deadline) {
    bool done = false;
    error_code result;
    if constexpr (std::is_same_v<Socket, asio::ip::tcp::socket>) {
      resolver_.async_resolve(endpoint_.host, std::to_string(endpoint_.port),
                              [&](error_code ec, asio::ip::tcp::resolver::results_type results) {
                                if (ec) {
                                  result = ec;
                                  done = true;
                                  return;
                                }
                                asio::async_connect(socket_, results,
                                                    [&](error_code ec2, const auto&) {
                                                      result = ec2;
                                                      done = true;
                                                    });
                              });
      if (llvm::Error e = RunUntil(done, deadline, "connecting to", options_.timeout, nullptr)) {
        return e;
      }
    } else {
      socket_.async_connect(asio::local::stream_protocol::endpoint(endpoint_.path),
                            [&](error_code ec) {
                              result = ec;
                              done = true;
                            });
      if (llvm::Error e = RunUntil(done, deadline, "connecting to", options_.timeout, nullptr)) {
        return e;
      }
    }
    if (result) return Fail("cannot connect to " + endpoint_.ToString() + ": " + result.message());
    return llvm::Error::success();
  }

  llvm::Error Send(const Request& request, Clock::time_point deadline) {
    auto req = BuildRequest(request, endpoint_);
    bool done = false;
    error_code result;
    bhttp::async_write(socket_, req, [&](error_code ec, size_t) {
      result = ec;
      done = true;
    });
    if (llvm::Error e = RunUntil(done, deadline, "sending to", options_.timeout, nullptr)) return e;
    if (result) return Fail("sending to " + endpoint_.ToString() + ": " + result.message());
    return llvm::Error::success();
  }

  llvm::Error BodyTooLarge() {
    return Fail("response body from " + endpoint_.ToString() + " exceeds " +
                std::to_string(options_.body_limit) + " bytes");
  }

  // Reads the rest of a message whose head `parser` has read (or reads it whole) into a string.
  llvm::Expected<Response> ReadAll(bhttp::response_parser<bhttp::string_body>& parser,
                                   Clock::time_point deadline) {
    bool done = false;
    error_code result;
    if (!parser.is_header_done()) {
      bhttp::async_read_header(socket_, buffer_, parser, [&](error_code ec, size_t) {
        result = ec;
        done = true;
      });
      if (llvm::Error e = RunUntil(done, deadline, "reading from", options_.timeout, nullptr)) {
        return e;
      }
      if (result == bhttp::error::body_limit) return BodyTooLarge();
      if (result) return Fail("reading from " + endpoint_.ToString() + ": " + result.message());
    }
    // Boost 1.74 does not apply body_limit to a Content-Length body (chunked ones are checked).
    if (parser.content_length() && *parser.content_length() > options_.body_limit) {
      return BodyTooLarge();
    }
    done = false;
    bhttp::async_read(socket_, buffer_, parser, [&](error_code ec, size_t) {
      result = ec;
      done = true;
    });
    if (llvm::Error e = RunUntil(done, deadline, "reading from", options_.timeout, nullptr)) {
      return e;
    }
    if (result == bhttp::error::body_limit) return BodyTooLarge();
    if (result) return Fail("reading from " + endpoint_.ToString() + ": " + result.message());
    auto& msg = parser.get();
    return Response{static_cast<int>(msg.result_int()), ToHeaders(msg.base()),
                    std::move(msg.body())};
  }

  llvm::Expected<Response> Do(const Request& request) {
    Clock::time_point deadline = Clock::now() + options_.timeout;
    if (llvm::Error e = Connect(deadline)) return e;
    if (llvm::Error e = Send(request, deadline)) return e;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options_.body_limit);
    if (request.method == "HEAD") parser.skip(true);
    return ReadAll(parser, deadline);
  }

  llvm::Expected<Response> Stream(const Request& request,
                                  const std::function<void(std::string_view)>& on_body,
                                  const StreamOptions& so) {
    Clock::time_point deadline = Clock::now() + options_.timeout;
    if (llvm::Error e = Connect(deadline)) return e;
    if (llvm::Error e = Send(request, deadline)) return e;

    bhttp::response_parser<bhttp::buffer_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    {
      bool done = false;
      error_code result;
      bhttp::async_read_header(socket_, buffer_, parser, [&](error_code ec, size_t) {
        result = ec;
        done = true;
      });
      if (llvm::Error e =
              RunUntil(done, deadline, "reading from", options_.timeout, &so.cancelled)) {
        return e;
      }
      if (result) return Fail("reading from " + endpoint_.ToString() + ": " + result.message());
    }
    int status = static_cast<int>(parser.get().result_int());
    if (status < 200 || status >= 300) {
      // Errors carry a small JSON body; read it whole instead of streaming it.
      bhttp::response_parser<bhttp::string_body> rest(std::move(parser));
      rest.body_limit(options_.body_limit);
      return ReadAll(rest, Clock::now() + options_.timeout);
    }
    Response head{status, ToHeaders(parser.get().base()), {}};

    std::array<char, 16384> chunk;
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      bool done = false;
      error_code result;
      bhttp::async_read_some(socket_, buffer_, parser, [&](error_code ec, size_t) {
        result = ec;
        done = true;
      });
      Clock::time_point idle_deadline =
          so.idle_timeout.count() > 0 ? Clock::now() + so.idle_timeout : Clock::time_point::max();
      if (llvm::Error e = RunUntil(done, idle_deadline, "waiting for data from", so.idle_timeout,
                                   &so.cancelled)) {
        return e;
      }
      if (result == bhttp::error::need_buffer) result = {};
      size_t n = chunk.size() - parser.get().body().size;
      if (n > 0) on_body(std::string_view(chunk.data(), n));
      if (result == bhttp::error::end_of_stream || result == asio::error::eof) {
        // The server closed the connection; a body delimited by EOF ends here.
        if (parser.is_done() || !parser.got_some()) break;
        return Fail("connection to " + endpoint_.ToString() + " closed in the middle of a body");
      }
      if (result) return Fail("reading from " + endpoint_.ToString() + ": " + result.message());
    }
    return head;
  }

 private:
  const Endpoint& endpoint_;
  const ClientOptions& options_;
  asio::io_context ioc_{1};
  asio::ip::tcp::resolver resolver_{ioc_};  // used by TCP connections only
  Socket socket_;
  beast::flat_buffer buffer_;
};

std::optional<uint16_t> ParsePort(std::string_view s) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

llvm::Expected<Endpoint> ParseHostPort(std::string_view hostport, std::string_view whole,
                                       uint16_t default_port) {
  std::string_view host = hostport;
  std::string_view port_text;
  if (!hostport.empty() && hostport.front() == '[') {  // [::1]:8080
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) {
      return Fail("invalid address `" + std::string(whole) + "`: missing `]`");
    }
    host = hostport.substr(1, close - 1);
    std::string_view rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Fail("invalid address `" + std::string(whole) + "`");
      port_text = rest.substr(1);
    }
  } else if (size_t colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port_text = hostport.substr(colon + 1);
  }
  if (host.empty()) return Fail("invalid address `" + std::string(whole) + "`: no host");
  uint16_t port = default_port;
  if (!port_text.empty() || default_port == 0) {
    std::optional<uint16_t> p = ParsePort(port_text);
    if (!p) return Fail("invalid address `" + std::string(whole) + "`: bad port");
    port = *p;
  }
  return Endpoint::Tcp(std::string(host), port);
}

}  // namespace

Endpoint Endpoint::Tcp(std::string host, uint16_t port) {
  Endpoint e;
  e.kind = Kind::kTcp;
  e.host = std::move(host);
  e.port = port;
  return e;
}

Endpoint Endpoint::Unix(std::string path) {
  Endpoint e;
  e.kind = Kind::kUnix;
  e.path = std::move(path);
  return e;
}

llvm::Expected<Endpoint> Endpoint::Parse(std::string_view text) {
  if (text.starts_with("unix://")) {
    std::string_view path = text.substr(7);
    if (path.empty() || path.front() != '/') {
      return Fail("invalid address `" + std::string(text) +
                  "`: a unix socket path must be absolute");
    }
    return Unix(std::string(path));
  }
  if (text.starts_with("tcp://")) return ParseHostPort(text.substr(6), text, 0);
  if (text.starts_with("http://")) {
    std::string_view rest = text.substr(7);
    if (size_t slash = rest.find('/'); slash != std::string_view::npos)
      rest = rest.substr(0, slash);
    return ParseHostPort(rest, text, 80);
  }
  return Fail("invalid address `" + std::string(text) +
              "`: expected unix:///path, tcp://host:port or http://host:port");
}

std::string Endpoint::ToString() const {
  if (kind == Kind::kUnix) return "unix://" + path;
  bool v6 = host.find(':') != std::string::npos;
  return "tcp://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

llvm::Expected<Url> Url::Parse(std::string_view text) {
  if (!text.starts_with("http://")) {
    return Fail("unsupported URL `" + std::string(text) + "`: only http:// is supported");
  }
  std::string_view rest = text.substr(7);
  size_t slash = rest.find_first_of("/?");
  llvm::Expected<Endpoint> ep = ParseHostPort(rest.substr(0, slash), text, 80);
  if (!ep) return ep.takeError();
  Url url;
  url.endpoint = std::move(*ep);
  if (slash != std::string_view::npos) {
    url.target = std::string(rest.substr(slash));
    if (url.target.front() == '?') url.target.insert(url.target.begin(), '/');
  }
  return url;
}

std::string Response::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), name.size()) == 0) return v;
  }
  return "";
}

HttpClient::HttpClient(Endpoint endpoint, ClientOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {}

llvm::Expected<Response> HttpClient::Do(const Request& request) const {
  if (endpoint_.kind == Endpoint::Kind::kUnix) {
    return Connection<asio::local::stream_protocol::socket>(endpoint_, options_).Do(request);
  }
  return Connection<asio::ip::tcp::socket>(endpoint_, options_).Do(request);
}

llvm::Expected<Response> HttpClient::Stream(const Request& request,
                                            const std::function<void(std::string_view)>& on_body,
                                            const StreamOptions& stream_options) const {
  if (endpoint_.kind == Endpoint::Kind::kUnix) {
    return Connection<asio::local::stream_protocol::socket>(endpoint_, options_)
        .Stream(request, on_body, stream_options);
  }
  return Connection<asio::ip::tcp::socket>(endpoint_, options_)
      .Stream(request, on_body, stream_options);
}

llvm::Expected<Response> HttpClient::Get(std::string target) const {
  Request r;
  r.target = std::move(target);
  return Do(r);
}

llvm::Expected<Response> HttpClient::Post(std::string target, std::string body,
                                          std::string content_type) const {
  Request r;
  r.method = "POST";
  r.target = std::move(target);
  if (!body.empty()) r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return Do(r);
}

llvm::Expected<Response> HttpClient::Delete(std::string target) const {
  Request r;
  r.method = "DELETE";
  r.target = std::move(target);
  return Do(r);
}

llvm::Expected<Response> HttpGet(std::string_view url, ClientOptions options) {
  llvm::Expected<Url> parsed = Url::Parse(url);
  if (!parsed) return parsed.takeError();
  return HttpClient(parsed->endpoint, options).Get(parsed->target);
}

}  // namespace drover::http
