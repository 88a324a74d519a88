// The HTTP client against a scripted raw-socket server: request shape, responses over TCP and unix
// sockets, chunked streaming delivered piece by piece, limits, timeouts and cancellation.
#include "runtime/http/http_client.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include <gtest/gtest.h>

#include "tests/runtime/http/fake_server.h"

namespace drover::http {
namespace {

using drover::testing::FakeServer;
using drover::testing::RawRequest;
using drover::testing::WriteAll;
using namespace std::chrono_literals;

std::string ErrorText(llvm::Error e) { return llvm::toString(std::move(e)); }

// Waits (bounded) until `pred` holds; used by server handlers to pace a stream on the client.
template <class Pred>
bool WaitUntil(std::mutex& mu, std::condition_variable& cv, Pred pred) {
  std::unique_lock lock(mu);
  return cv.wait_for(lock, 10s, pred);
}

TEST(HttpClientTest, GetOverTcpReturnsStatusHeadersAndBody) {
  FakeServer server([](const RawRequest& req, int fd) {
    std::string body = "hello " + req.target;
    WriteAll(fd, "HTTP/1.1 201 Created\r\nX-Test: yes\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body);
  });
  HttpClient client(Endpoint::Tcp("127.0.0.1", server.port()));
  llvm::Expected<Response> r = client.Get("/a/b?c=d");
  ASSERT_TRUE(static_cast<bool>(r)) << ErrorText(r.takeError());
  EXPECT_EQ(r->status, 201);
  EXPECT_TRUE(r->IsSuccess());
  EXPECT_EQ(r->Header("x-TEST"), "yes");
  EXPECT_EQ(r->Header("missing"), "");
  EXPECT_EQ(r->body, "hello /a/b?c=d");
}

TEST(HttpClientTest, SendsMethodHeadersAndBody) {
  RawRequest seen;
  std::mutex mu;
  FakeServer server([&](const RawRequest& req, int fd) {
    {
      std::lock_guard lock(mu);
      seen = req;
    }
    WriteAll(fd, "HTTP/1.1 204 No Content\r\n\r\n");
  });
  HttpClient client(Endpoint::Tcp("127.0.0.1", server.port()));
  Request req;
  req.method = "PUT";
  req.target = "/v1/thing";
  req.headers = {{"X-Custom", "42"}, {"Content-Type", "application/json"}};
  req.body = R"({"a":1})";
  llvm::Expected<Response> r = client.Do(req);
  ASSERT_TRUE(static_cast<bool>(r)) << ErrorText(r.takeError());
  EXPECT_EQ(r->status, 204);
  std::lock_guard lock(mu);
  EXPECT_EQ(seen.method, "PUT");
  EXPECT_EQ(seen.target, "/v1/thing");
  EXPECT_EQ(seen.headers["x-custom"], "42");
  EXPECT_EQ(seen.headers["content-type"], "application/json");
  EXPECT_EQ(seen.headers["content-length"], "7");
  EXPECT_EQ(seen.headers["host"], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen.body, R"({"a":1})");
}

TEST(HttpClientTest, EmptyPostCarriesContentLengthZero) {
  std::string length = "absent";
  std::mutex mu;
  FakeServer server([&](const RawRequest& req, int fd) {
    std::lock_guard lock(mu);
    if (req.headers.count("content-length")) length = req.headers.at("content-length");
    WriteAll(fd, "HTTP/1.1 204 No Content\r\n\r\n");
  });
  llvm::Expected<Response> r = HttpClient(Endpoint::Tcp("127.0.0.1", server.port())).Post("/x", "");
  ASSERT_TRUE(static_cast<bool>(r)) << ErrorText(r.takeError());
  std::lock_guard lock(mu);
  EXPECT_EQ(length, "0");
}

TEST(HttpClientTest, UnixSocket) {
  std::string path = "/tmp/drover-http-test-" + std::to_string(::getpid()) + ".sock";
  FakeServer server(
      [](const RawRequest& req, int fd) {
        WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(req.target.size()) +
                         "\r\n\r\n" + req.target);
      },
      path);
  llvm::Expected<Endpoint> ep = Endpoint::Parse("unix://" + path);
  ASSERT_TRUE(static_cast<bool>(ep)) << ErrorText(ep.takeError());
  llvm::Expected<Response> r = HttpClient(*ep).Get("/v1.41/version");
  ASSERT_TRUE(static_cast<bool>(r)) << ErrorText(r.takeError());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "/v1.41/version");
}

TEST(HttpClientTest, BodyDelimitedByEndOfConnection) {
  FakeServer server([](const RawRequest&, int fd) {
    WriteAll(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
  });
  llvm::Expected<Response> r = HttpClient(Endpoint::Tcp("127.0.0.1", server.port())).Get("/");
  ASSERT_TRUE(static_cast<bool>(r)) << ErrorText(r.takeError());
  EXPECT_EQ(r->body, "until the end");
}

TEST(HttpClientTest, StreamDeliversChunksAsTheyArrive) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> pieces;
  FakeServer server([&](const RawRequest&, int fd) {
    WriteAll(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\none\n\r\n");
    // The second chunk is only sent once the client has handed the first to its callback, so the
    // test passes only if the client streams instead of reading to the end.
    if (!WaitUntil(mu, cv, [&] { return pieces.size() == 1; })) return;
    WriteAll(fd, "4\r\ntwo\n\r\n0\r\n\r\n");
  });
  HttpClient client(Endpoint::Tcp("127.0.0.1", server.port()));
  Request req;
  req.target = "/logs?follow=1";
  llvm::Expected<Response> r = client.Stream(req, [&](std::string_view piece) {
    std::lock_guard lock(mu);
    pieces.emplace_back(piece);
    cv.notify_all();
  });
  ASSERT_TRUE(static_cast<bool>(r)) << ErrorText(r.takeError());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "");
  std::lock_guard lock(mu);
  EXPECT_EQ(pieces, (std::vector<std::string>{"one\n", "two\n"}));
}

TEST(HttpClientTest, StreamOfAnErrorStatusReturnsTheBody) {
  FakeServer server([](const RawRequest&, int fd) {
    WriteAll(fd,
             "HTTP/1.1 404 Not Found\r\nContent-Length: 24\r\n\r\n{\"message\":\"no such id\"}");
  });
  int calls = 0;
  llvm::Expected<Response> r = HttpClient(Endpoint::Tcp("127.0.0.1", server.port()))
                                   .Stream(Request{}, [&](std::string_view) { ++calls; });
  ASSERT_TRUE(static_cast<bool>(r)) << ErrorText(r.takeError());
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, R"({"message":"no such id"})");
  EXPECT_EQ(calls, 0);
}

TEST(HttpClientTest, TimeoutWhenTheServerNeverAnswers) {
  FakeServer server([&](const RawRequest&, int) {
    // Hold the connection until the client has given up (bounded by the server's stop).
    for (int i = 0; i < 200 && !server.stopping(); ++i) std::this_thread::sleep_for(10ms);
  });
  HttpClient client(Endpoint::Tcp("127.0.0.1", server.port()), ClientOptions{100ms, 1024});
  llvm::Expected<Response> r = client.Get("/slow");
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_NE(ErrorText(r.takeError()).find("timed out after 100 ms"), std::string::npos);
}

TEST(HttpClientTest, BodyLargerThanTheLimitFails) {
  FakeServer server([](const RawRequest&, int fd) {
    WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'x'));
  });
  HttpClient client(Endpoint::Tcp("127.0.0.1", server.port()), ClientOptions{5s, 100});
  llvm::Expected<Response> r = client.Get("/big");
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_NE(ErrorText(r.takeError()).find("exceeds 100 bytes"), std::string::npos);
}

TEST(HttpClientTest, ChunkedBodyLargerThanTheLimitFails) {
  FakeServer server([](const RawRequest&, int fd) {
    WriteAll(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" +
                     std::string(1000, 'x') + "\r\n0\r\n\r\n");
  });
  HttpClient client(Endpoint::Tcp("127.0.0.1", server.port()), ClientOptions{5s, 100});
  llvm::Expected<Response> r = client.Get("/big");
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_NE(ErrorText(r.takeError()).find("exceeds 100 bytes"), std::string::npos);
}

TEST(HttpClientTest, StreamCanBeCancelledWhileIdle) {
  std::atomic<bool> cancel{false};
  FakeServer server([&](const RawRequest&, int fd) {
    WriteAll(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
    for (int i = 0; i < 500 && !server.stopping(); ++i) std::this_thread::sleep_for(10ms);
  });
  std::string got;
  StreamOptions so;
  so.cancelled = [&] { return cancel.load(); };
  llvm::Expected<Response> r =
      HttpClient(Endpoint::Tcp("127.0.0.1", server.port()))
          .Stream(
              Request{},
              [&](std::string_view piece) {
                got += piece;
                cancel = true;  // the stream then goes silent; only cancellation can end it
              },
              so);
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(ErrorText(r.takeError()), "cancelled while waiting for data from tcp://127.0.0.1:" +
                                          std::to_string(server.port()));
  EXPECT_EQ(got, "abc");
}

TEST(HttpClientTest, StreamIdleTimeout) {
  FakeServer server([&](const RawRequest&, int fd) {
    WriteAll(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 500 && !server.stopping(); ++i) std::this_thread::sleep_for(10ms);
  });
  StreamOptions so;
  so.idle_timeout = 100ms;
  llvm::Expected<Response> r = HttpClient(Endpoint::Tcp("127.0.0.1", server.port()))
                                   .Stream(
                                       Request{}, [](std::string_view) {}, so);
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_NE(ErrorText(r.takeError()).find("timed out after 100 ms while waiting for data"),
            std::string::npos);
}

TEST(HttpClientTest, ConnectFailureIsAnError) {
  std::string path = "/tmp/drover-http-test-missing-" + std::to_string(::getpid()) + ".sock";
  llvm::Expected<Response> r = HttpClient(Endpoint::Unix(path)).Get("/_ping");
  ASSERT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(ErrorText(r.takeError()),
            "cannot connect to unix://" + path + ": No such file or directory");
}

TEST(HttpClientTest, ParsesEndpointsAndUrls) {
  llvm::Expected<Endpoint> tcp = Endpoint::Parse("tcp://127.0.0.2:4646");
  ASSERT_TRUE(static_cast<bool>(tcp)) << ErrorText(tcp.takeError());
  EXPECT_EQ(tcp->kind, Endpoint::Kind::kTcp);
  EXPECT_EQ(tcp->host, "127.0.0.2");
  EXPECT_EQ(tcp->port, 4646);
  EXPECT_EQ(tcp->ToString(), "tcp://127.0.0.2:4646");

  llvm::Expected<Endpoint> v6 = Endpoint::Parse("tcp://[::1]:80");
  ASSERT_TRUE(static_cast<bool>(v6)) << ErrorText(v6.takeError());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->ToString(), "tcp://[::1]:80");

  llvm::Expected<Url> url = Url::Parse("http://localhost:8080/v1/jobs?prefix=a");
  ASSERT_TRUE(static_cast<bool>(url)) << ErrorText(url.takeError());
  EXPECT_EQ(url->endpoint.host, "localhost");
  EXPECT_EQ(url->endpoint.port, 8080);
  EXPECT_EQ(url->target, "/v1/jobs?prefix=a");

  llvm::Expected<Url> bare = Url::Parse("http://example");
  ASSERT_TRUE(static_cast<bool>(bare)) << ErrorText(bare.takeError());
  EXPECT_EQ(bare->endpoint.port, 80);
  EXPECT_EQ(bare->target, "/");

  EXPECT_EQ(ErrorText(Endpoint::Parse("tcp://host").takeError()),
            "invalid address `tcp://host`: bad port");
  EXPECT_EQ(ErrorText(Endpoint::Parse("unix://relative").takeError()),
            "invalid address `unix://relative`: a unix socket path must be absolute");
  EXPECT_EQ(
      ErrorText(Endpoint::Parse("ftp://x").takeError()),
      "invalid address `ftp://x`: expected unix:///path, tcp://host:port or http://host:port");
  EXPECT_EQ(ErrorText(Url::Parse("https://x/").takeError()),
            "unsupported URL `https://x/`: only http:// is supported");
}

TEST(HttpClientTest, HttpGetOfAnAbsoluteUrl) {
  FakeServer server([](const RawRequest& req, int fd) {
    WriteAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(req.target.size()) +
                     "\r\n\r\n" + req.target);
  });
  llvm::Expected<Response> r =
      HttpGet("http://127.0.0.1:" + std::to_string(server.port()) + "/index.html");
  ASSERT_TRUE(static_cast<bool>(r)) << ErrorText(r.takeError());
  EXPECT_EQ(r->body, "/index.html");
}

}  // namespace
}  // namespace drover::http
