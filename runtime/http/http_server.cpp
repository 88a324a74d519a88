// The HTTP server on Boost.Beast: one I/O thread runs every socket operation, a growing pool of
// handler threads runs the handlers. This is the only file of the server that includes Beast (a
// Beast TU costs ~30 s to compile; see toolchain.md).
#include "runtime/http/http_server.h"

#include <strings.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace drover::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr uint32_t kHeaderLimit = 64u << 10;
constexpr std::chrono::seconds kWriteTimeout{30};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Runs handlers. Threads are created when every existing one is busy, up to `max`; they live
/// until the pool stops. Blocking handlers are expected, so the pool never runs a task inline.
class HandlerPool {
 public:
  explicit HandlerPool(size_t max) : max_(max == 0 ? 1 : max) {}
  ~HandlerPool() { StopAndJoin(); }

  void Submit(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
    if (queue_.size() > idle_ && threads_.size() < max_) {
      threads_.emplace_back([this] { Loop(); });
    } else {
      cv_.notify_one();
    }
  }

  /// Runs what is queued, then joins every thread.
  void StopAndJoin() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      while (queue_.empty() && !stopping_) {
        ++idle_;
        cv_.wait(lock);
        --idle_;
      }
      if (queue_.empty()) return;  // stopping and drained
      std::function<void()> task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      task();
      task = nullptr;
      lock.lock();
    }
  }

  const size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

class Session;

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  Handler handler;
  // Sessions alive, touched on the I/O thread only (and by ~Impl once the threads are joined).
  // Declared before `ioc`: sessions still queued in the io_context die with it and unregister.
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard{ioc.get_executor()};
  tcp::acceptor acceptor{ioc};
  std::string address;
  uint16_t port = 0;
  std::thread io_thread;
  HandlerPool pool;
  std::atomic<bool> stopping{false};
  std::once_flag stop_once;

  explicit Impl(ServerOptions o, Handler h)
      : options(std::move(o)), handler(std::move(h)), pool(options.max_handler_threads) {}

  void Accept();
  ServerResponse Run(const ServerRequest& request);
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl* server)
      : stream_(std::move(socket)), server_(server) {
    error_code ec;
    tcp::endpoint ep = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      remote_ =
          ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
      remote_ += ":" + std::to_string(ep.port());
    }
  }

  void Start() {
    server_->sessions[this] = weak_from_this();
    ReadHeader();
  }

  /// Closes the socket; pending operations complete with an error. I/O thread only.
  void Close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  ~Session() { server_->sessions.erase(this); }

 private:
  void ReadHeader() {
    if (server_->stopping) return Close();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(server_->options.body_limit);
    stream_.expires_after(server_->options.idle_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(error_code ec, size_t /*bytes*/) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    auto expect = req.find(bhttp::field::expect);
    if (expect != req.end() && EqualsIgnoreCase(expect->value(), "100-continue")) {
      // curl waits for this before it sends a body over 1 KiB.
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(kWriteTimeout);
      asio::async_write(stream_, asio::buffer(kContinue),
                        [self = shared_from_this()](error_code wec, size_t) {
                          if (wec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(server_->options.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnReadError(error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::operation_aborted || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::bad_descriptor) {
      return Close();
    }
    int status = 400;
    std::string message = "malformed HTTP request: " + ec.message();
    if (ec == bhttp::error::body_limit) {
      status = 413;
      message = "request body too large (limit " + std::to_string(server_->options.body_limit) +
                " bytes)";
    } else if (ec == bhttp::error::header_limit) {
      status = 431;
      message = "request header fields too large";
    }
    Write(ServerResponse::Text(status, message + "\n"), /*keep_alive=*/false, 11);
  }

  void OnRead(error_code ec, size_t /*bytes*/) {
    if (ec) return OnReadError(ec);
    bhttp::request<bhttp::string_body> req = parser_->release();
    parser_.reset();

    auto sreq = std::make_shared<ServerRequest>();
    sreq->method = std::string(req.method_string());
    sreq->target = std::string(req.target());
    size_t q = sreq->target.find('?');
    sreq->path = sreq->target.substr(0, q);
    if (q != std::string::npos)
      sreq->query = ParseQuery(std::string_view(sreq->target).substr(q + 1));
    for (const auto& f : req) {
      sreq->headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    sreq->body = std::move(req.body());
    sreq->remote = remote_;
    bool keep_alive = req.keep_alive();
    unsigned version = req.version();

    stream_.expires_never();
    HttpServer::Impl* server = server_;
    // The handler thread hands its reference back to the I/O thread: a Session dies there.
    server_->pool.Submit([self = shared_from_this(), server, sreq, keep_alive, version]() mutable {
      auto response = std::make_shared<ServerResponse>(server->Run(*sreq));
      asio::post(server->ioc, [self = std::move(self), response, keep_alive, version] {
        self->Write(std::move(*response), keep_alive, version);
      });
    });
  }

  void Write(ServerResponse r, bool keep_alive, unsigned version) {
    if (server_->stopping) keep_alive = false;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(version);
    res->result(static_cast<unsigned>(r.status));
    for (auto& [name, value] : r.headers) res->insert(name, value);
    if (res->find(bhttp::field::server) == res->end()) res->set(bhttp::field::server, "drover");
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    stream_.expires_after(kWriteTimeout);
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res](error_code ec, size_t) {
      if (ec || res->need_eof()) return self->Close();
      self->ReadHeader();
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  HttpServer::Impl* server_;
  std::string remote_;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept([this](error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping) return;
      spdlog::warn("{}: accept failed: {}", options.name, ec.message());
    } else if (!stopping) {
      std::make_shared<Session>(std::move(socket), this)->Start();
    }
    if (!stopping && acceptor.is_open()) Accept();
  });
}

ServerResponse HttpServer::Impl::Run(const ServerRequest& request) {
  auto start = std::chrono::steady_clock::now();
  ServerResponse response;
  try {
    response = handler(request);
  } catch (const std::exception& e) {
    spdlog::error("{}: handler for {} {} threw: {}", options.name, request.method, request.path,
                  e.what());
    response = ServerResponse::Text(500, "internal error\n");
  } catch (...) {
    spdlog::error("{}: handler for {} {} threw", options.name, request.method, request.path);
    response = ServerResponse::Text(500, "internal error\n");
  }
  auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  spdlog::debug("{}: request complete: method={} path={} status={} duration={:.3f}ms", options.name,
                request.method, request.target, response.status, took.count());
  return response;
}

// ---- HttpServer
// ------------------------------------------------------------------------------------

llvm::Expected<std::unique_ptr<HttpServer>> HttpServer::Start(ServerOptions options,
                                                              Handler handler) {
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  error_code ec;
  asio::ip::address addr = asio::ip::make_address(impl->options.address, ec);
  if (ec) {
    return llvm::createStringError(std::errc::invalid_argument, "%s: invalid bind address \"%s\"",
                                   impl->options.name.c_str(), impl->options.address.c_str());
  }
  tcp::endpoint endpoint(addr, impl->options.port);
  auto fail = [&](const char* what) -> llvm::Error {
    return llvm::createStringError(std::errc::address_in_use, "%s: cannot %s %s:%u: %s",
                                   impl->options.name.c_str(), what, impl->options.address.c_str(),
                                   static_cast<unsigned>(impl->options.port), ec.message().c_str());
  };
  impl->acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open a socket for");
  impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  impl->acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  tcp::endpoint bound = impl->acceptor.local_endpoint(ec);
  if (ec) return fail("read the address of");
  impl->address = bound.address().to_string();
  impl->port = bound.port();
  impl->Accept();
  Impl* raw = impl.get();
  impl->io_thread = std::thread([raw] { raw->ioc.run(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::port() const { return impl_->port; }
const std::string& HttpServer::address() const { return impl_->address; }
std::string HttpServer::HostPort() const {
  bool v6 = impl_->address.find(':') != std::string::npos;
  return (v6 ? "[" + impl_->address + "]" : impl_->address) + ":" + std::to_string(impl_->port);
}

void HttpServer::Stop() {
  std::call_once(impl_->stop_once, [this] {
    Impl* impl = impl_.get();
    impl->stopping = true;
    // Stop accepting and close every connection, on the I/O thread that owns them.
    std::promise<void> closed;
    asio::post(impl->ioc, [impl, &closed] {
      error_code ec;
      impl->acceptor.close(ec);
      for (auto& [raw, weak] : impl->sessions) {
        if (auto s = weak.lock()) s->Close();
      }
      closed.set_value();
    });
    closed.get_future().wait();
    // Running handlers finish (their writes fail on the closed sockets), then the threads end.
    impl->pool.StopAndJoin();
    impl->guard.reset();
    impl->ioc.stop();
    if (impl->io_thread.joinable()) impl->io_thread.join();
  });
}

// ---- plain helpers
// ---------------------------------------------------------------------------------

std::string ServerRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return "";
}

std::optional<std::string> ServerRequest::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

ServerResponse ServerResponse::Text(int status, std::string body) {
  ServerResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

ServerResponse ServerResponse::Json(int status, std::string body) {
  ServerResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

void ServerResponse::SetHeader(std::string_view name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

std::string ServerResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return "";
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(PercentDecode(part, true), "");
    } else {
      out.emplace_back(PercentDecode(part.substr(0, eq), true),
                       PercentDecode(part.substr(eq + 1), true));
    }
  }
  return out;
}

}  // namespace drover::http
