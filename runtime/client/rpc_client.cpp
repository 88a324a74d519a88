#include "runtime/client/rpc_client.h"

#include "runtime/http/http_client.h"

namespace drover::client {
namespace {

std::pair<std::string, uint16_t> SplitHostPort(const std::string& addr) {
  std::string a = addr;
  if (a.starts_with("http://")) a = a.substr(7);
  auto colon = a.rfind(':');
  if (colon == std::string::npos) return {a, 4647};
  return {a.substr(0, colon), static_cast<uint16_t>(std::atoi(a.c_str() + colon + 1))};
}

}  // namespace

RpcClient::RpcClient(std::vector<std::string> servers) : servers_(std::move(servers)) {}

RpcResult RpcClient::Call(const std::string& endpoint, const nlohmann::json& body,
                          std::chrono::milliseconds timeout,
                          const std::function<bool()>& cancelled) const {
  RpcResult result;
  if (servers_.empty()) {
    result.error = "no servers configured";
    return result;
  }
  const size_t first = preferred_.load() % servers_.size();
  for (size_t n = 0; n < servers_.size(); ++n) {
    size_t i = (first + n) % servers_.size();
    auto [host, port] = SplitHostPort(servers_[i]);
    http::ClientOptions options;
    options.timeout = timeout;  // bounds the response head, which a long-poll holds back
    http::HttpClient client(http::Endpoint::Tcp(host, port), options);
    http::Request request;
    request.method = "POST";
    request.target = "/rpc/" + endpoint;
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body.dump();
    std::string data;
    http::StreamOptions stream;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    stream.cancelled = [&] {
      return (cancelled && cancelled()) || std::chrono::steady_clock::now() > deadline;
    };
    auto response = client.Stream(
        request, [&](std::string_view piece) { data.append(piece); }, stream);
    if (!response) {
      result.error = llvm::toString(response.takeError());
      if (cancelled && cancelled()) return result;
      continue;  // next server
    }
    preferred_ = i;
    result.status = response->status;
    if (!response->IsSuccess()) {
      result.error = response->body.empty() ? data : response->body;
      while (!result.error.empty() && result.error.back() == '\n') result.error.pop_back();
      return result;
    }
    result.body = nlohmann::json::parse(data, nullptr, false);
    if (result.body.is_discarded()) {
      result.status = 0;
      result.error = endpoint + ": invalid JSON answer";
    }
    return result;
  }
  return result;
}

}  // namespace drover::client
