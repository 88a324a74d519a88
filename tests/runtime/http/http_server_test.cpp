// The Beast server: serves on port 0, keep-alive, handler threads, body limits, malformed input,
// and Stop() while requests are in flight.
#include "runtime/http/http_server.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "tests/runtime/test_http_client.h"

namespace drover::http {
namespace {

using testing::HttpDo;
using testing::ParseHttpResponse;
using testing::SendRaw;

std::unique_ptr<HttpServer> StartOrDie(Handler handler, ServerOptions options = {}) {
  auto server = HttpServer::Start(std::move(options), std::move(handler));
  if (!server) {
    ADD_FAILURE() << llvm::toString(server.takeError());
    return nullptr;
  }
  return std::move(*server);
}

ServerResponse Echo(const ServerRequest& r) {
  std::string q;
  for (const auto& [k, v] : r.query) q += k + "=" + v + ";";
  return ServerResponse::Text(200, r.method + " " + r.path + " " + q + " " + r.body);
}

TEST(HttpServer, BindsLoopbackOnAFreePortAndAnswers) {
  auto server = StartOrDie(Echo);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->address(), "127.0.0.1");
  ASSERT_NE(server->port(), 0);
  auto r = HttpDo("127.0.0.1", server->port(), "POST", "/v1/x%2Fy?a=1&b&c=x+y", "hello");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "POST /v1/x%2Fy a=1;b=;c=x y; hello");
  EXPECT_EQ(r.Header("Server"), "drover");
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto server = StartOrDie(Echo);
  ASSERT_NE(server, nullptr);
  std::string two =
      "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string raw = SendRaw("127.0.0.1", server->port(), two);
  EXPECT_NE(raw.find("GET /one"), std::string::npos) << raw;
  EXPECT_NE(raw.find("GET /two"), std::string::npos) << raw;
}

TEST(HttpServer, OversizedBodyIs413AndGarbageIs400) {
  ServerOptions options;
  options.body_limit = 1024;
  std::atomic<int> calls{0};
  auto server = StartOrDie(
      [&](const ServerRequest& r) {
        ++calls;
        return Echo(r);
      },
      options);
  ASSERT_NE(server, nullptr);
  auto big = HttpDo("127.0.0.1", server->port(), "POST", "/", std::string(4096, 'x'));
  EXPECT_EQ(big.status, 413);
  auto garbage =
      ParseHttpResponse(SendRaw("127.0.0.1", server->port(), "\x01\x02 not http\r\n\r\n"));
  EXPECT_EQ(garbage.status, 400);
  auto truncated = SendRaw("127.0.0.1", server->port(),
                           "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
  // The client half-closed before the body was complete: no handler runs, nothing is answered
  // with a 2xx.
  EXPECT_EQ(truncated.find("200 OK"), std::string::npos);
  std::string huge_header = "GET / HTTP/1.1\r\nX: " + std::string(100000, 'a') + "\r\n\r\n";
  EXPECT_EQ(ParseHttpResponse(SendRaw("127.0.0.1", server->port(), huge_header)).status, 431);
  EXPECT_EQ(calls.load(), 0);
  // Still serving.
  EXPECT_EQ(HttpDo("127.0.0.1", server->port(), "GET", "/ok").status, 200);
}

TEST(HttpServer, ExpectContinueIsAnswered) {
  auto server = StartOrDie(Echo);
  ASSERT_NE(server, nullptr);
  std::string raw = SendRaw("127.0.0.1", server->port(),
                            "PUT /c HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                            "Content-Length: 4\r\nConnection: close\r\n\r\nbody");
  EXPECT_NE(raw.find("100 Continue"), std::string::npos) << raw;
  EXPECT_NE(raw.find("PUT /c  body"), std::string::npos) << raw;
}

TEST(HttpServer, HandlerExceptionIs500AndServerSurvives) {
  auto server = StartOrDie([](const ServerRequest& r) -> ServerResponse {
    if (r.path == "/throw") throw std::runtime_error("boom");
    return ServerResponse::Text(200, "ok");
  });
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(HttpDo("127.0.0.1", server->port(), "GET", "/throw").status, 500);
  EXPECT_EQ(HttpDo("127.0.0.1", server->port(), "GET", "/fine").status, 200);
}

TEST(HttpServer, BlockingHandlersDoNotBlockOthers) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  auto server = StartOrDie([&](const ServerRequest& r) {
    if (r.path == "/block") {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return release; });
    }
    return ServerResponse::Text(200, r.path);
  });
  ASSERT_NE(server, nullptr);
  int port = server->port();
  std::vector<std::thread> blocked;
  std::atomic<int> done{0};
  for (int i = 0; i < 4; ++i) {
    blocked.emplace_back([&] {
      if (HttpDo("127.0.0.1", port, "GET", "/block").status == 200) ++done;
    });
  }
  // Four handlers are parked; a fifth request is still answered.
  EXPECT_EQ(HttpDo("127.0.0.1", port, "GET", "/quick").body, "/quick");
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  for (auto& t : blocked) t.join();
  EXPECT_EQ(done.load(), 4);
}

TEST(HttpServer, StopIsIdempotentAndClosesIdleConnections) {
  auto server = StartOrDie(Echo);
  ASSERT_NE(server, nullptr);
  int port = server->port();
  // An idle keep-alive connection must not keep Stop() waiting.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  server->Stop();
  server->Stop();
  char c;
  EXPECT_LE(::recv(fd, &c, 1, 0), 0);  // closed by the server
  ::close(fd);
  EXPECT_EQ(HttpDo("127.0.0.1", port, "GET", "/").status, 0);  // nobody listens any more
}

TEST(HttpServer, BadBindAddressIsAnError) {
  ServerOptions options;
  options.address = "not-an-address";
  auto server = HttpServer::Start(options, Echo);
  ASSERT_FALSE(server);
  EXPECT_NE(llvm::toString(server.takeError()).find("invalid bind address"), std::string::npos);
}

TEST(HttpServer, PortInUseIsAnError) {
  auto first = StartOrDie(Echo);
  ASSERT_NE(first, nullptr);
  ServerOptions options;
  options.port = first->port();
  auto second = HttpServer::Start(options, Echo);
  ASSERT_FALSE(second);
  EXPECT_NE(llvm::toString(second.takeError()).find("cannot bind"), std::string::npos);
}

}  // namespace
}  // namespace drover::http
