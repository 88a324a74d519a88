// A tiny blocking HTTP/1.1 client for the runtime tests, on plain POSIX sockets: one request per
// connection (Connection: close), the response read to EOF. Tests also use it to send bytes that
// are not HTTP at all (SendRaw). Kept free of Beast so that test files compile quickly.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drover::testing {

struct HttpResult {
  int status = 0;  ///< 0 when the exchange failed (connect refused, no response)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string error;

  std::string Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
    }
    return "";
  }
};

/// Sends `bytes` to host:port, half-closes, reads everything until EOF or `timeout`.
inline std::string SendRaw(const std::string& host, int port, std::string_view bytes,
                           std::chrono::milliseconds timeout = std::chrono::milliseconds(10000),
                           std::string* error = nullptr) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    if (error) *error = "socket failed";
    return "";
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (error) *error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return "";
  }
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and close before reading everything
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      if (error) *error = "timeout";
      break;
    }
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

/// Parses "HTTP/1.1 200 OK\r\nK: v\r\n\r\nbody" (Content-Length or read-to-EOF bodies).
inline HttpResult ParseHttpResponse(const std::string& raw) {
  HttpResult r;
  size_t end = raw.find("\r\n\r\n");
  if (raw.compare(0, 5, "HTTP/") != 0 || end == std::string::npos) {
    r.error = raw.empty() ? "no response" : "malformed response";
    return r;
  }
  size_t sp = raw.find(' ');
  r.status = std::atoi(raw.c_str() + sp + 1);
  size_t pos = raw.find("\r\n") + 2;
  while (pos < end) {
    size_t eol = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, eol - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(line.substr(0, colon), value);
    }
    pos = eol + 2;
  }
  r.body = raw.substr(end + 4);
  return r;
}

/// One request; `target` is path and query.
inline HttpResult HttpDo(const std::string& host, int port, const std::string& method,
                         const std::string& target, const std::string& body = "",
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: " + host +
                    "\r\nConnection: close\r\nContent-Type: application/json\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  std::string error;
  std::string raw = SendRaw(host, port, req, timeout, &error);
  HttpResult r = ParseHttpResponse(raw);
  if (r.status == 0 && !error.empty()) r.error = error;
  return r;
}

}  // namespace drover::testing
