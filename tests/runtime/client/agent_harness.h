// Drives real `drover agent` processes for the client tests: start an agent (dev, server or
// client) on ports picked by the OS, read its HTTP address from the banner, submit job files with
// `drover job run`, and poll the HTTP API until an allocation reaches a state. Everything is
// stopped by PID in destructors; temporary directories are removed.
#pragma once

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/runtime/child_process.h"
#include "tests/runtime/test_http_client.h"
#include "tests/support/test_paths.h"

namespace drover::testing {

using nlohmann::json;
using namespace std::chrono_literals;

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "drover-client-test") {
    std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
    path_ = ::mkdtemp(tmpl.data());
    ::chmod(path_.c_str(), 0755);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

inline std::string ReadFileOr(const std::string& path, const std::string& fallback = "") {
  std::ifstream in(path);
  if (!in) return fallback;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Polls `check` every 100 ms until it is true or `timeout` passes.
inline bool Eventually(const std::function<bool()>& check, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return check();
}

inline bool ProcessAlive(int pid) { return pid > 0 && ::kill(pid, 0) == 0; }

/// One agent process.
class Agent {
 public:
  /// `args` after `drover agent`; the HTTP address is read from the banner.
  static std::unique_ptr<Agent> Start(std::vector<std::string> args) {
    auto a = std::unique_ptr<Agent>(new Agent());
    args.insert(args.begin(), {DroverExe(), "agent"});
    a->proc_ = ChildProcess::Spawn(args);
    if (!a->proc_) return nullptr;
    auto http = a->proc_->WaitForStdout(R"(Advertise Addrs: HTTP: ([0-9.]+:\d+);)", 30s);
    if (!http) {
      ADD_FAILURE() << "agent did not start:\n" << a->proc_->Stdout() << a->proc_->Stderr();
      return nullptr;
    }
    a->host_ = http->substr(0, http->find(':'));
    a->port_ = std::stoi(http->substr(http->find(':') + 1));
    auto rpc = a->proc_->WaitForStdout(R"(RPC: ([0-9.]+:\d+);)", 5s);
    if (rpc) a->rpc_ = *rpc;
    return a;
  }
  ~Agent() { Stop(); }

  void Stop() {
    if (!proc_) return;
    proc_->Signal(SIGTERM);
    if (!proc_->Wait(60s)) proc_->Signal(SIGKILL);
    proc_.reset();
  }
  /// SIGKILL: what a crash looks like. The agent's tasks keep running.
  void Kill() {
    if (!proc_) return;
    proc_->Signal(SIGKILL);
    proc_->Wait(10s);
    proc_.reset();
  }

  std::string Address() const { return "http://" + host_ + ":" + std::to_string(port_); }
  const std::string& rpc() const { return rpc_; }
  const std::string& host() const { return host_; }
  int port() const { return port_; }
  std::string Logs() { return proc_ ? proc_->Stdout() + proc_->Stderr() : ""; }

  HttpResult Get(const std::string& path) const { return HttpDo(host_, port_, "GET", path); }
  json GetJson(const std::string& path) const {
    HttpResult r = Get(path);
    if (r.status != 200) return nullptr;
    json j = json::parse(r.body, nullptr, false);
    return j.is_discarded() ? json(nullptr) : j;
  }

  /// `drover <args...> -address <this agent>`.
  CommandResult Cli(const std::string& args) const {
    return RunCommand(DroverExe() + " " + args + " 2>&1");
  }
  CommandResult RunJob(const std::string& file) const {
    return Cli("job run -detach -address " + Address() + " " + file);
  }

  /// The ready nodes.
  std::vector<json> ReadyNodes() const {
    std::vector<json> out;
    json nodes = GetJson("/v1/nodes");
    if (!nodes.is_array()) return out;
    for (const json& n : nodes) {
      if (n.value("Status", "") == "ready") out.push_back(n);
    }
    return out;
  }
  /// The full node whose driver `driver` is healthy, once there are `count` such nodes.
  bool WaitNodes(size_t count, const std::string& driver, std::chrono::milliseconds timeout) {
    return Eventually(
        [&] {
          size_t healthy = 0;
          for (const json& stub : ReadyNodes()) {
            json n = GetJson("/v1/node/" + stub.value("ID", ""));
            if (n.is_object() && n["Drivers"].is_object() && n["Drivers"].contains(driver) &&
                n["Drivers"][driver].value("Healthy", false)) {
              ++healthy;
            }
          }
          return healthy >= count;
        },
        timeout);
  }

  /// The job's allocations (full objects), oldest first.
  std::vector<json> Allocs(const std::string& job) const {
    std::vector<json> out;
    json stubs = GetJson("/v1/job/" + job + "/allocations");
    if (!stubs.is_array()) return out;
    for (const json& s : stubs) {
      json a = GetJson("/v1/allocation/" + s.value("ID", ""));
      if (a.is_object()) out.push_back(a);
    }
    std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
      return a.value("CreateIndex", 0) < b.value("CreateIndex", 0);
    });
    return out;
  }
  /// Waits until `count` allocations of `job` satisfy `pred`; returns them.
  std::vector<json> WaitAllocs(const std::string& job, size_t count,
                               const std::function<bool(const json&)>& pred,
                               std::chrono::milliseconds timeout) {
    std::vector<json> match;
    Eventually(
        [&] {
          match.clear();
          for (const json& a : Allocs(job)) {
            if (pred(a)) match.push_back(a);
          }
          return match.size() >= count;
        },
        timeout);
    return match;
  }

 private:
  Agent() = default;
  std::unique_ptr<ChildProcess> proc_;
  std::string host_;
  int port_ = 0;
  std::string rpc_;
};

inline bool ClientStatusIs(const json& alloc, const std::string& status) {
  return alloc.value("ClientStatus", "") == status;
}

/// The event types of `task` in `alloc`, oldest first.
inline std::vector<std::string> EventTypes(const json& alloc, const std::string& task) {
  std::vector<std::string> out;
  const json& states = alloc["TaskStates"];
  if (!states.is_object() || !states.contains(task)) return out;
  const json& events = states[task]["Events"];
  if (!events.is_array()) return out;
  for (const json& e : events) out.push_back(e.value("Type", ""));
  return out;
}

inline std::string EventMessages(const json& alloc, const std::string& task) {
  std::string out;
  const json& states = alloc["TaskStates"];
  if (!states.is_object() || !states.contains(task)) return out;
  for (const json& e : states[task]["Events"]) {
    out += e.value("Type", "") + ": " + e.value("DisplayMessage", "") + "\n";
  }
  return out;
}

}  // namespace drover::testing
