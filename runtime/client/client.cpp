#include "runtime/client/client.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include <llvm/Support/Base64.h>
#include <spdlog/spdlog.h>

#include "runtime/client/log_reader.h"
#include "runtime/http/router.h"
#include "runtime/store/model_json.h"

extern char** environ;

namespace drover::client {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr milliseconds kRetry{1000};
constexpr milliseconds kUpdateInterval{200};
constexpr size_t kLogChunkLimit = 4u << 20;

model::Id RandomId() {
  std::random_device rd;
  auto word = [&] { return (static_cast<uint64_t>(rd()) << 32) | rd(); };
  return model::Id::FromRandom(word(), word());
}

std::map<std::string, std::string> HostEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq == std::string::npos) continue;
    std::string key = kv.substr(0, eq);
    // The agent's own secrets stay with the agent.
    if (key.find("TOKEN") != std::string::npos || key.find("SECRET") != std::string::npos) continue;
    env[key] = kv.substr(eq + 1);
  }
  return env;
}

json ReportJson(const AllocReport& r) {
  json states = json::object();
  for (const auto& [name, s] : r.task_states) states[name] = store::EncodeTaskState(s);
  json out = {{"ID", r.id},
              {"ClientStatus", std::string(model::ToString(r.client_status))},
              {"ClientDescription", r.client_description},
              {"TaskStates", states}};
  if (r.deployment_status) {
    model::Allocation tmp;
    tmp.deployment_status = r.deployment_status;
    out["DeploymentStatus"] =
        store::EncodeAllocation(tmp, store::EmbedJob::kNo)["DeploymentStatus"];
  }
  return out;
}

bool SameDriver(const model::DriverInfo& a, const model::DriverInfo& b) {
  return a.detected == b.detected && a.healthy == b.healthy &&
         a.health_description == b.health_description && a.attributes == b.attributes;
}

}  // namespace

Client::Client(const agent::ClientContext& context, ClientOptions options)
    : options_(std::move(options)), rpc_(context.servers) {
  const agent::AgentSettings& s = context.settings;
  settings_.name = s.name;
  settings_.datacenter = s.datacenter;
  settings_.region = s.region;
  settings_.node_class = s.node_class;
  settings_.node_pool = s.node_pool;
  settings_.meta = s.meta;
  settings_.bind_addr = s.bind_addr;
  settings_.data_dir = context.data_dir;
  settings_.http_addr = context.http_addr;
  settings_.version = s.version;
  settings_.config = s.config;
  dev_ = s.dev;
  const ir::ClientConfig* cfg = s.config.client ? &*s.config.client : nullptr;
  // client { options { "drover.driver_check_interval" = "2s" } }: how often drivers are
  // fingerprinted again (tests shorten it).
  if (cfg) {
    if (auto it = cfg->options.find("drover.driver_check_interval"); it != cfg->options.end()) {
      if (auto d = ir::ParseDuration(it->second); d && d->count() > 0) {
        options_.driver_check_interval = std::chrono::duration_cast<milliseconds>(*d);
      }
    }
  }
  state_dir_ = cfg && !cfg->state_dir.empty() ? cfg->state_dir : context.data_dir + "/state";
  alloc_root_ = cfg && !cfg->alloc_dir.empty()
                    ? cfg->alloc_dir
                    : std::filesystem::path(context.data_dir).parent_path().string() + "/alloc";
}

llvm::Expected<std::unique_ptr<Client>> Client::Create(const agent::ClientContext& context,
                                                       ClientOptions options) {
  std::unique_ptr<Client> c(new Client(context, std::move(options)));
  auto db = StateDb::Open(c->state_dir_);
  if (!db) return db.takeError();
  c->db_ = std::move(*db);
  std::error_code ec;
  std::filesystem::create_directories(c->alloc_root_, ec);
  if (ec) {
    return llvm::createStringError(ec, "cannot create alloc dir %s: %s", c->alloc_root_.c_str(),
                                   ec.message().c_str());
  }

  auto node = FingerprintHost(c->settings_);
  if (!node) return node.takeError();
  c->node_ = std::move(*node);
  // The node keeps its identity across restarts: the servers know it by id and secret.
  json identity = c->db_->Get("node");
  if (identity.is_object() && identity.contains("ID") && identity.contains("SecretID")) {
    auto id = model::Id::Parse(identity["ID"].get<std::string>());
    if (id) c->node_.id = *id;
    c->node_.secret_id = identity["SecretID"].get<std::string>();
  }
  if (c->node_.id.IsZero() || c->node_.secret_id.empty()) {
    c->node_.id = RandomId();
    c->node_.secret_id = RandomId().ToString();
    if (llvm::Error err = c->db_->Put(
            "node", {{"ID", c->node_.id.ToString()}, {"SecretID", c->node_.secret_id}})) {
      return err;
    }
  }

  // Drivers, with the agent's `plugin "<name>" { config { ... } }` blocks.
  const ir::ClientConfig* cfg =
      context.settings.config.client ? &*context.settings.config.client : nullptr;
  drivers::DriverRegistry registry;
  drivers::RegisterBuiltinDrivers(registry);
  drivers::DriverContext dctx;
  if (!c->options_.executor_command.empty()) dctx.executor_command = c->options_.executor_command;
  Client* self = c.get();
  dctx.emit_event = [self](const drivers::TaskEvent& e) { self->OnDriverEvent(e); };
  // client { options { "driver.allowlist" = "docker,exec", "driver.denylist" = "raw_exec" } }
  // as in Nomad: drivers left out are not created, so the node does not offer them.
  auto option_set = [&](const char* key) {
    std::set<std::string> names;
    if (!cfg) return names;
    auto it = cfg->options.find(key);
    if (it == cfg->options.end()) return names;
    std::string list = it->second;
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string one = list.substr(start, comma == std::string::npos ? comma : comma - start);
      one.erase(0, one.find_first_not_of(' '));
      one.erase(one.find_last_not_of(' ') + 1);
      if (!one.empty()) names.insert(one);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return names;
  };
  const std::set<std::string> allow = option_set("driver.allowlist");
  const std::set<std::string> deny = option_set("driver.denylist");
  for (const std::string& name : registry.Names()) {
    if ((!allow.empty() && !allow.count(name)) || deny.count(name)) continue;
    json plugin = json::object();
    if (const ir::PluginConfig* p = context.settings.config.FindPlugin(name)) {
      if (!p->config.is_null()) plugin = p->config;
    } else if (c->dev_ && name == "raw_exec") {
      plugin = {{"enabled", true}};  // as Nomad's -dev agent
    }
    auto driver = registry.Create(name, dctx, plugin);
    if (!driver) {
      return llvm::createStringError(std::errc::invalid_argument, "plugin \"%s\": %s", name.c_str(),
                                     llvm::toString(driver.takeError()).c_str());
    }
    c->drivers_[name] = std::move(*driver);
  }

  c->ctx_.db = c->db_.get();
  c->ctx_.driver = [self](const std::string& name) { return self->DriverFor(name); };
  c->ctx_.node = [self] { return self->node(); };
  c->ctx_.region = context.settings.region;
  c->ctx_.alloc_root = c->alloc_root_;
  c->ctx_.host_env = HostEnvironment();
  if (cfg && cfg->max_kill_timeout) {
    c->ctx_.max_kill_timeout = std::chrono::duration_cast<milliseconds>(*cfg->max_kill_timeout);
  }
  c->ctx_.on_change = [self](const std::string& id) { self->MarkDirty(id); };
  return c;
}

Client::~Client() { Stop(); }

void Client::SetHttpAddr(const std::string& addr) {
  std::lock_guard<std::mutex> lock(node_mu_);
  settings_.http_addr = addr;
  node_.http_addr = addr;
}

model::Node Client::node() const {
  std::lock_guard<std::mutex> lock(node_mu_);
  return node_;
}

drivers::Driver* Client::DriverFor(const std::string& name) {
  auto it = drivers_.find(name);
  if (it == drivers_.end()) return nullptr;
  std::lock_guard<std::mutex> lock(node_mu_);
  auto info = node_.drivers.find(name);
  if (info == node_.drivers.end() || !info->second.detected) return nullptr;
  return it->second.get();
}

void Client::OnDriverEvent(const drivers::TaskEvent& e) {
  TaskRunner* task = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = runners_.find(e.alloc_id);
    if (it != runners_.end()) task = it->second->Task(e.task_name);
  }
  if (task != nullptr) task->AddEvent(event::kDriverMessage, e.message, false, e.annotations);
}

void Client::CheckDrivers() {
  std::map<std::string, model::DriverInfo> infos;
  for (auto& [name, driver] : drivers_) {
    drivers::DriverFingerprint fp = driver->Fingerprint();
    model::DriverInfo info;
    info.detected = fp.detected;
    info.healthy = fp.healthy;
    info.health_description = fp.health_description;
    info.attributes = fp.attributes;
    infos[name] = std::move(info);
  }
  bool changed = false;
  {
    std::lock_guard<std::mutex> lock(node_mu_);
    for (auto& [name, info] : infos) {
      auto it = node_.drivers.find(name);
      // A driver seen once stays on the node: when it stops answering (dockerd went away) it
      // becomes unhealthy, as in Nomad, and tasks are no longer placed on it.
      if (!info.detected && it != node_.drivers.end() && it->second.detected) {
        info.detected = true;
        info.healthy = false;
        info.attributes = it->second.attributes;
      }
      if (it != node_.drivers.end() && SameDriver(it->second, info)) continue;
      if (it != node_.drivers.end() || info.detected) {
        spdlog::info("client: driver {}: detected={} healthy={} {}", name, info.detected,
                     info.healthy, info.health_description);
      }
      changed = true;
      // Drop the driver's old attributes, then add the new ones.
      for (auto a = node_.attributes.begin(); a != node_.attributes.end();) {
        if (a->first == "driver." + name || a->first.starts_with("driver." + name + ".")) {
          a = node_.attributes.erase(a);
        } else {
          ++a;
        }
      }
      if (info.detected) {
        for (const auto& [k, v] : info.attributes) node_.attributes[k] = v;
      }
      info.update_time = NowNanos();
      node_.drivers[name] = std::move(info);
    }
  }
  if (changed && registered_) {
    reregister_ = true;
    cv_.notify_all();
  }
}

llvm::Error Client::Start() {
  if (rpc_.servers().empty()) {
    return llvm::createStringError(std::errc::invalid_argument,
                                   "client: no servers to register with (set -servers)");
  }
  CheckDrivers();
  RestoreAllocs();
  threads_.emplace_back([this] { HeartbeatLoop(); });
  threads_.emplace_back([this] { WatchLoop(); });
  threads_.emplace_back([this] { UpdateLoop(); });
  threads_.emplace_back([this] { DriverLoop(); });
  return llvm::Error::success();
}

void Client::Stop() {
  if (stopping_.exchange(true)) return;
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  bool kill = options_.kill_tasks_on_stop.value_or(dev_);
  std::map<std::string, std::unique_ptr<AllocRunner>> runners;
  {
    std::lock_guard<std::mutex> lock(mu_);
    runners.swap(runners_);
  }
  if (kill) {
    for (auto& [id, runner] : runners) runner->Kill();  // all at once: kill timeouts overlap
  }
  for (auto& [id, runner] : runners) runner->Shutdown(kill);
  runners.clear();
  drivers_.clear();  // stops the drivers' watcher threads, never the tasks
  db_.reset();
}

bool Client::Wait(milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, d, [&] { return Stopping() || reregister_.load(); });
}

bool Client::Register() {
  json body = {{"Node", store::EncodeNode(node())}};
  RpcResult res =
      rpc_.Call("Node.Register", body, milliseconds(15'000), [this] { return Stopping(); });
  if (!res.ok()) {
    if (!Stopping()) spdlog::warn("client: registration failed: {}", res.error);
    return false;
  }
  int64_t ttl_ns = res.body.value("HeartbeatTTL", int64_t{0});
  auto ttl = std::chrono::duration_cast<milliseconds>(std::chrono::nanoseconds(ttl_ns));
  heartbeat_interval_ = std::clamp(ttl / 2, milliseconds(100), milliseconds(30'000));
  if (!registered_) {
    spdlog::info("client: node {} registered (heartbeat every {} ms)", node().id.ToString(),
                 heartbeat_interval_.count());
  }
  reregister_ = false;
  registered_ = true;
  cv_.notify_all();
  return true;
}

void Client::HeartbeatLoop() {
  while (!Stopping()) {
    if (!registered_ || reregister_) {
      if (!Register()) Wait(kRetry);
      continue;
    }
    const model::Node n = node();
    RpcResult res =
        rpc_.Call("Node.UpdateStatus",
                  {{"NodeID", n.id.ToString()}, {"SecretID", n.secret_id}, {"Status", "ready"}},
                  milliseconds(15'000), [this] { return Stopping(); });
    if (Stopping()) return;
    if (res.status == 404) {
      spdlog::warn("client: the servers do not know this node; registering again");
      registered_ = false;
      continue;
    }
    if (!res.ok()) {
      spdlog::warn("client: heartbeat failed: {}", res.error);
      Wait(kRetry);
      continue;
    }
    int64_t ttl_ns = res.body.value("HeartbeatTTL", int64_t{0});
    auto ttl = std::chrono::duration_cast<milliseconds>(std::chrono::nanoseconds(ttl_ns));
    heartbeat_interval_ = std::clamp(ttl / 2, milliseconds(100), milliseconds(30'000));
    Wait(heartbeat_interval_);
  }
}

void Client::RestoreAllocs() {
  auto allocs = db_->Scan("alloc/");
  for (auto& [key, value] : allocs) {
    auto alloc = store::DecodeAllocation(value);
    if (!alloc || !alloc->job) {
      if (!alloc) {
        spdlog::warn("client: stored {} unreadable: {}", key, llvm::toString(alloc.takeError()));
      }
      llvm::consumeError(db_->Delete(key));
      continue;
    }
    const std::string id = alloc->id.ToString();
    std::map<std::string, json> tasks;
    for (auto& [tkey, tvalue] : db_->Scan("task/" + id + "/")) {
      tasks[tkey.substr(tkey.rfind('/') + 1)] = tvalue;
    }
    model::Index index = alloc->alloc_modify_index;
    auto runner = std::make_unique<AllocRunner>(ctx_, std::move(*alloc), tasks);
    AllocRunner* r = runner.get();
    {
      std::lock_guard<std::mutex> lock(mu_);
      known_[id] = index;
      runners_[id] = std::move(runner);
      dirty_.insert(id);
    }
    spdlog::info("client: restored allocation {}", id);
    r->Start();
  }
}

void Client::WatchLoop() {
  model::Index index = 0;
  while (!Stopping()) {
    if (!registered_) {
      Wait(milliseconds(100));
      continue;
    }
    const model::Node n = node();
    json body = {{"NodeID", n.id.ToString()},
                 {"SecretID", n.secret_id},
                 {"MinQueryIndex", index},
                 {"MaxQueryTime", std::chrono::nanoseconds(options_.alloc_poll_wait).count()}};
    RpcResult res =
        rpc_.Call("Node.GetClientAllocs", body, options_.alloc_poll_wait + milliseconds(15'000),
                  [this] { return Stopping(); });
    if (Stopping()) return;
    if (!res.ok()) {
      spdlog::warn("client: fetching allocations failed: {}", res.error);
      if (res.status == 404) registered_ = false;
      Wait(kRetry);
      continue;
    }
    index = res.body.value("Index", model::Index{0});
    ApplyAllocs(res.body);
  }
}

void Client::ApplyAllocs(const json& answer) {
  const json& listed =
      answer.contains("Allocs") && answer["Allocs"].is_object() ? answer["Allocs"] : json::object();
  std::vector<std::string> fetch;
  std::vector<std::string> gone;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = listed.begin(); it != listed.end(); ++it) {
      model::Index idx = it.value().is_number_unsigned() ? it.value().get<model::Index>() : 0;
      auto k = known_.find(it.key());
      if (k == known_.end() || k->second < idx) fetch.push_back(it.key());
    }
    for (const auto& [id, runner] : runners_) {
      if (!listed.contains(id)) gone.push_back(id);
    }
    for (auto it = known_.begin(); it != known_.end();) {
      it = listed.contains(it->first) ? std::next(it) : known_.erase(it);
    }
  }
  // Allocations the servers no longer list were garbage collected: free everything.
  for (const std::string& id : gone) {
    std::unique_ptr<AllocRunner> runner;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = runners_.find(id);
      if (it == runners_.end()) continue;
      runner = std::move(it->second);
      runners_.erase(it);
      dirty_.erase(id);
    }
    spdlog::info("client: allocation {} was removed by the servers; destroying it", id);
    runner->Destroy();
  }
  if (fetch.empty()) return;
  RpcResult res = rpc_.Call("Alloc.GetAllocs", {{"AllocIDs", fetch}}, milliseconds(30'000),
                            [this] { return Stopping(); });
  if (!res.ok()) {
    if (!Stopping()) spdlog::warn("client: fetching allocations failed: {}", res.error);
    return;
  }
  const json& allocs = res.body.contains("Allocs") ? res.body["Allocs"] : json::array();
  if (!allocs.is_array()) return;
  for (const json& value : allocs) {
    auto alloc = store::DecodeAllocation(value);
    if (!alloc) {
      spdlog::warn("client: allocation from the server unreadable: {}",
                   llvm::toString(alloc.takeError()));
      continue;
    }
    if (!alloc->job) continue;
    const std::string id = alloc->id.ToString();
    AllocRunner* existing = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      known_[id] = alloc->alloc_modify_index;
      auto it = runners_.find(id);
      if (it != runners_.end()) existing = it->second.get();
    }
    if (existing != nullptr) {
      existing->Update(std::move(*alloc));
      continue;
    }
    if (alloc->IsTerminal()) continue;  // nothing to run
    spdlog::info("client: starting allocation {} ({})", id, alloc->Name());
    auto runner = std::make_unique<AllocRunner>(ctx_, std::move(*alloc));
    AllocRunner* r = runner.get();
    {
      std::lock_guard<std::mutex> lock(mu_);
      runners_[id] = std::move(runner);
      dirty_.insert(id);
    }
    r->Start();
  }
}

void Client::MarkDirty(const std::string& alloc_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    dirty_.insert(alloc_id);
  }
}

void Client::UpdateLoop() {
  while (!Stopping()) {
    Wait(kUpdateInterval);
    if (!registered_) continue;
    std::vector<AllocReport> reports;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const std::string& id : dirty_) {
        auto it = runners_.find(id);
        if (it != runners_.end()) reports.push_back(it->second->Report());
      }
      dirty_.clear();
    }
    if (reports.empty()) continue;
    json allocs = json::array();
    for (const AllocReport& r : reports) allocs.push_back(ReportJson(r));
    const model::Node n = node();
    RpcResult res =
        rpc_.Call("Node.UpdateAlloc",
                  {{"NodeID", n.id.ToString()}, {"SecretID", n.secret_id}, {"Alloc", allocs}},
                  milliseconds(15'000), [this] { return Stopping(); });
    if (!res.ok()) {
      if (!Stopping()) spdlog::warn("client: reporting allocations failed: {}", res.error);
      std::lock_guard<std::mutex> lock(mu_);
      for (const AllocReport& r : reports) dirty_.insert(r.id);  // try again
    }
  }
}

void Client::DriverLoop() {
  while (!Stopping()) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, options_.driver_check_interval, [&] { return Stopping(); })) return;
    }
    CheckDrivers();
  }
}

std::vector<std::string> Client::AllocIds() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> ids;
  for (const auto& [id, r] : runners_) ids.push_back(id);
  return ids;
}

std::optional<AllocReport> Client::Report(const std::string& alloc_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runners_.find(alloc_id);
  if (it == runners_.end()) return std::nullopt;
  return it->second->Report();
}

std::optional<drivers::TaskHandle> Client::Handle(const std::string& alloc_id,
                                                  const std::string& task) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runners_.find(alloc_id);
  if (it == runners_.end()) return std::nullopt;
  TaskRunner* t = it->second->Task(task);
  return t ? t->Handle() : std::nullopt;
}

// ---- GET /v1/client/fs/logs/<alloc> ----------------------------------------------------------

void Client::AddRoutes(http::Router& router) {
  router.Add(
      "GET", "/v1/client/fs/logs/:alloc",
      [this](const http::ServerRequest& r, const http::RouteParams& p) {
        const std::string alloc_id = p.Get("alloc");
        std::shared_ptr<const model::Allocation> alloc;
        {
          std::lock_guard<std::mutex> lock(mu_);
          auto it = runners_.find(alloc_id);
          if (it != runners_.end()) alloc = it->second->alloc();
        }
        if (!alloc) return http::ErrorResponse(404, "Unknown allocation \"" + alloc_id + "\"");
        std::string task = r.Query("task").value_or("");
        std::string type = r.Query("type").value_or("stdout");
        if (task.empty()) return http::ErrorResponse(400, "must provide task name");
        if (type != "stdout" && type != "stderr") {
          return http::ErrorResponse(400, "must provide a valid type: stdout or stderr");
        }
        const ir::TaskGroup* group =
            alloc->job ? alloc->job->spec.FindGroup(alloc->task_group) : nullptr;
        bool has_task = false;
        if (group != nullptr) {
          for (const ir::Task& t : group->tasks) has_task |= t.name == task;
        }
        if (!has_task) return http::ErrorResponse(404, "Unknown task name \"" + task + "\"");
        std::string origin = r.Query("origin").value_or("start");
        if (origin != "start" && origin != "end") {
          return http::ErrorResponse(400, "origin must be start or end");
        }
        uint64_t offset = 0;
        if (auto o = r.Query("offset"); o && !o->empty()) {
          char* end = nullptr;
          long long v = std::strtoll(o->c_str(), &end, 10);
          if (*end != '\0' || v < 0) return http::ErrorResponse(400, "invalid offset: " + *o);
          offset = static_cast<uint64_t>(v);
        }
        auto truthy = [&](const char* key) {
          auto v = r.Query(key);
          return v && (v->empty() || *v == "true" || *v == "1");
        };
        const bool follow = truthy("follow");
        const bool plain = truthy("plain");
        const std::string log_dir = alloc_root_ + "/" + alloc_id + "/alloc/logs";
        std::optional<LogPosition> position;
        if (auto pos = r.Query("position"); pos && !pos->empty()) {
          position = LogPosition::Parse(*pos);
          if (!position) return http::ErrorResponse(400, "invalid position: " + *pos);
        }
        LogChunk chunk =
            position ? ReadLogsFrom(log_dir, task, type, *position, kLogChunkLimit)
                     : ReadLogs(log_dir, task, type, origin == "end", offset, kLogChunkLimit);
        // follow: hold the request (long-poll) until there is something new, up to 10 s.
        if (follow && chunk.data.empty()) {
          LogPosition from = position ? *position : chunk.end;
          auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
          while (chunk.data.empty() && !Stopping() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(milliseconds(200));
            chunk = ReadLogsFrom(log_dir, task, type, from, kLogChunkLimit);
            if (chunk.data.empty()) chunk.end = from;
          }
        }
        http::ServerResponse resp;
        if (plain) {
          resp.status = 200;
          resp.body = chunk.data;
          resp.SetHeader("Content-Type", "text/plain; charset=utf-8");
        } else {
          // Nomad's StreamFrame (Data base64, File, Offset) plus drover's Position, where the next
          // read continues (the CLI follows with it across rotations).
          json frame = {{"Position", chunk.end.ToString()}};
          if (!chunk.data.empty()) {
            frame["Data"] = llvm::encodeBase64(chunk.data);
            frame["File"] =
                "alloc/logs/" + task + "." + type + "." + std::to_string(chunk.end.index);
            frame["Offset"] = chunk.end.offset;
          }
          resp = http::JsonResponse(r, frame);
        }
        resp.SetHeader("X-Drover-Log-Position", chunk.end.ToString());
        return resp;
      });
}

agent::ClientFactory MakeClientFactory(ClientOptions options) {
  return [options](const agent::ClientContext& context)
             -> llvm::Expected<std::unique_ptr<agent::ClientRole>> {
    auto c = Client::Create(context, options);
    if (!c) return c.takeError();
    return std::unique_ptr<agent::ClientRole>(std::move(*c));
  };
}

}  // namespace drover::client
