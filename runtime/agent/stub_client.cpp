#include "runtime/agent/stub_client.h"

#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "runtime/http/http_client.h"
#include "runtime/store/model_json.h"

namespace drover::agent {
namespace {

using nlohmann::json;

/// Total MHz of the host: cores x the first "cpu MHz" in /proc/cpuinfo (1000 when unknown).
void FingerprintCpu(model::Node& n) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  double mhz = 0;
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("cpu MHz", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) mhz = std::atof(line.c_str() + colon + 1);
      break;
    }
  }
  if (mhz <= 0) mhz = 1000;
  n.resources.cpu_cores = static_cast<int>(cores);
  n.resources.cpu_mhz = static_cast<int>(cores * mhz);
  n.attributes["cpu.numcores"] = std::to_string(cores);
  n.attributes["cpu.frequency"] = std::to_string(static_cast<int>(mhz));
  n.attributes["cpu.totalcompute"] = std::to_string(n.resources.cpu_mhz);
}

void FingerprintMemory(model::Node& n) {
  std::ifstream in("/proc/meminfo");
  std::string key;
  long long kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit) {
    if (key == "MemTotal:") {
      n.resources.memory_mb = static_cast<int>(kb / 1024);
      n.attributes["memory.totalbytes"] = std::to_string(kb * 1024);
      return;
    }
  }
  n.resources.memory_mb = 1024;
}

void FingerprintDisk(model::Node& n, const std::string& dir) {
  struct statvfs st {};
  if (!dir.empty() && ::statvfs(dir.c_str(), &st) == 0) {
    unsigned long long free_bytes = static_cast<unsigned long long>(st.f_bavail) * st.f_frsize;
    n.resources.disk_mb = static_cast<int>(free_bytes / (1024 * 1024));
  } else {
    n.resources.disk_mb = 1024;
  }
}

std::pair<std::string, uint16_t> SplitHostPort(const std::string& addr) {
  auto colon = addr.rfind(':');
  if (colon == std::string::npos) return {addr, 4647};
  return {addr.substr(0, colon), static_cast<uint16_t>(std::atoi(addr.c_str() + colon + 1))};
}

}  // namespace

model::Node FingerprintNode(const AgentSettings& settings, const std::string& data_dir) {
  std::random_device rd;
  auto word = [&] { return (static_cast<uint64_t>(rd()) << 32) | rd(); };
  model::Node n;
  n.id = model::Id::FromRandom(word(), word());
  n.secret_id = model::Id::FromRandom(word(), word()).ToString();
  n.name = settings.name;
  n.datacenter = settings.datacenter;
  n.node_class = settings.node_class;
  n.node_pool = settings.node_pool.empty() ? "default" : settings.node_pool;
  n.meta = settings.meta;
  std::string ip = settings.bind_addr == "0.0.0.0" ? "127.0.0.1" : settings.bind_addr;
  n.http_addr = ip + ":" + std::to_string(settings.http_port);
  struct utsname u {};
  if (::uname(&u) == 0) {
    n.attributes["kernel.name"] = u.sysname[0] == 'L' ? "linux" : u.sysname;
    n.attributes["kernel.version"] = u.release;
    n.attributes["cpu.arch"] = std::string(u.machine) == "x86_64" ? "amd64" : u.machine;
    n.attributes["unique.hostname"] = u.nodename;
  }
  n.attributes["os.name"] = "linux";
  n.attributes["unique.network.ip-address"] = ip;
  n.attributes["drover.version"] = "0.1.0";
  FingerprintCpu(n);
  FingerprintMemory(n);
  FingerprintDisk(n, data_dir);
  n.resources.networks.push_back({"host", ip == "127.0.0.1" ? "lo" : "", "", ip, "", 1000});
  n.status = model::NodeStatus::kReady;
  return n;
}

StubClient::StubClient(const ClientContext& context)
    : node_(FingerprintNode(context.settings, context.data_dir)), servers_(context.servers) {}

StubClient::~StubClient() { Stop(); }

llvm::Error StubClient::Start() {
  if (servers_.empty()) {
    return llvm::createStringError(std::errc::invalid_argument,
                                   "client: no servers to register with (set -servers)");
  }
  thread_ = std::thread([this] { Run(); });
  return llvm::Error::success();
}

void StubClient::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

llvm::Expected<json> StubClient::Call(const std::string& endpoint, const json& body) {
  llvm::Error last = llvm::Error::success();
  for (const std::string& server : servers_) {
    auto [host, port] = SplitHostPort(server);
    http::ClientOptions options;
    options.timeout = std::chrono::seconds(10);
    http::HttpClient client(http::Endpoint::Tcp(host, port), options);
    auto response = client.Post("/rpc/" + endpoint, body.dump());
    if (!response) {
      llvm::consumeError(std::move(last));
      last = response.takeError();
      continue;
    }
    llvm::consumeError(std::move(last));
    if (!response->IsSuccess()) {
      return llvm::createStringError(std::errc::io_error, "%s: %d %s", endpoint.c_str(),
                                     response->status, response->body.c_str());
    }
    json parsed = json::parse(response->body, nullptr, false);
    if (parsed.is_discarded()) {
      return llvm::createStringError(std::errc::io_error, "%s: invalid JSON answer",
                                     endpoint.c_str());
    }
    return parsed;
  }
  if (!last) {
    llvm::consumeError(std::move(last));
    return llvm::createStringError(std::errc::invalid_argument, "no servers");
  }
  return last;
}

void StubClient::Run() {
  std::chrono::milliseconds next{0};
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, next, [&] { return stopping_.load(); })) return;
    }
    llvm::Expected<json> answer = registered_
                                      ? Call("Node.UpdateStatus", {{"NodeID", node_.id.ToString()},
                                                                   {"SecretID", node_.secret_id},
                                                                   {"Status", "ready"}})
                                      : Call("Node.Register", {{"Node", store::EncodeNode(node_)}});
    if (!answer) {
      std::string message = llvm::toString(answer.takeError());
      spdlog::warn("client: {} failed: {}", registered_ ? "heartbeat" : "registration", message);
      if (message.find(": 404") != std::string::npos) registered_ = false;  // re-register
      next = std::chrono::seconds(1);
      continue;
    }
    if (!registered_) {
      spdlog::info("client: node {} registered", node_.id.ToString());
      registered_ = true;
    }
    int64_t ttl_ns = answer->value("HeartbeatTTL", int64_t{0});
    auto ttl =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(ttl_ns));
    // Heartbeat at half the TTL, as Nomad's client does (at least every 100 ms, at most 30 s).
    next = std::clamp(ttl / 2, std::chrono::milliseconds(100), std::chrono::milliseconds(30'000));
  }
}

}  // namespace drover::agent
