#include "runtime/drivers/docker/docker_driver.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "runtime/drivers/docker/log_demux.h"
#include "runtime/drivers/log_rotator.h"

namespace drover::drivers {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr char kApi[] = "/v1.41";
constexpr auto kKillGrace = 10s;
constexpr auto kLogDrainWait = 3s;  // after exit, for the log stream to deliver its tail

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The daemon's `{"message": "..."}`, or the raw body.
std::string ApiMessage(const http::Response& r) {
  json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("message") && j["message"].is_string()) {
    return j["message"].get<std::string>();
  }
  std::string body = r.body;
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
  return body.empty() ? fmt::format("HTTP {}", r.status) : body;
}

bool IsStringList(const json& v) {
  return v.is_array() &&
         std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); });
}

bool IsStringMap(const json& v) {
  if (v.is_array() && v.size() == 1) return IsStringMap(v[0]);
  if (!v.is_object()) return false;
  for (const auto& [k, e] : v.items()) {
    if (!e.is_string()) return false;
  }
  return true;
}

const json& Unwrap(const json& v) { return v.is_array() && v.size() == 1 ? v[0] : v; }

// j[key] when j is an object holding a T there, else `fallback`: the daemon's answers and stored
// handles are read without ever throwing.
template <class T>
T Field(const json& j, const char* key, T fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if constexpr (std::is_same_v<T, std::string>) {
    return it->is_string() ? it->template get<std::string>() : fallback;
  } else if constexpr (std::is_same_v<T, bool>) {
    return it->is_boolean() ? it->template get<bool>() : fallback;
  } else {
    return it->is_number_integer() ? it->template get<T>() : fallback;
  }
}

std::string CursorPath(const TaskConfig& c) {
  return c.logs.dir + "/." + c.task_name + ".docker-logs.cursor";
}

}  // namespace

// The Engine API calls the driver makes; each returns the response or a transport error.
struct DockerDriver::Api {
  http::HttpClient client;
  http::HttpClient slow;  // create/pull/remove can take a while

  explicit Api(const http::Endpoint& ep)
      : client(ep, http::ClientOptions{30s, 64u << 20}),
        slow(ep, http::ClientOptions{300s, 64u << 20}) {}

  llvm::Expected<http::Response> Call(const http::HttpClient& c, std::string method,
                                      std::string target, const json* body = nullptr) const {
    http::Request req;
    req.method = std::move(method);
    req.target = kApi + target;
    if (body != nullptr) {
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = body->dump();
    }
    return c.Do(req);
  }
};

struct DockerDriver::Task : TrackedTask {
  std::string container_id;
  bool logs_done = false;  // guarded by mu

  std::thread wait_thread;
  std::thread log_thread;

  void StopThreads() {
    stop = true;
    if (wait_thread.joinable()) wait_thread.join();
    if (log_thread.joinable()) log_thread.join();
  }
};

http::Endpoint DockerDriver::DefaultEndpoint() {
  if (const char* host = std::getenv("DOCKER_HOST"); host != nullptr && *host != '\0') {
    if (llvm::Expected<http::Endpoint> ep = http::Endpoint::Parse(host))
      return *ep;
    else
      llvm::consumeError(ep.takeError());
  }
  return http::Endpoint::Unix("/var/run/docker.sock");
}

DockerDriver::DockerDriver(DriverContext context)
    : context_(std::move(context)), endpoint_(DefaultEndpoint()) {}

DockerDriver::~DockerDriver() {
  std::map<std::string, std::shared_ptr<Task>> tasks = tasks_.TakeAll();
  for (auto& [id, t] : tasks) t->stop = true;
  for (auto& [id, t] : tasks) t->StopThreads();  // the containers keep running
}

std::string DockerDriver::ContainerName(const TaskConfig& config) {
  return config.task_name + "-" + config.alloc_id;
}

std::string DockerDriver::NormalizeImage(std::string_view image) {
  std::string s(image);
  if (s.find('@') != std::string::npos) return s;
  size_t slash = s.rfind('/');
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) s += ":latest";
  return s;
}

llvm::Error DockerDriver::SetConfig(const json& plugin_config) {
  if (plugin_config.is_null()) return llvm::Error::success();
  if (!plugin_config.is_object()) return MakeDriverError("docker: plugin config must be a block");
  for (const auto& [key, value] : plugin_config.items()) {
    if (key == "endpoint") {
      if (!value.is_string()) return MakeDriverError("docker: `endpoint` must be a string");
      llvm::Expected<http::Endpoint> ep = http::Endpoint::Parse(value.get<std::string>());
      if (!ep) return MakeDriverError("docker: " + llvm::toString(ep.takeError()));
      endpoint_ = *ep;
    } else if (key == "allow_privileged") {
      if (!value.is_boolean()) return MakeDriverError("docker: `allow_privileged` must be a bool");
      allow_privileged_ = value.get<bool>();
    } else if (key == "volumes" || key == "gc") {
      llvm::Expected<const json*> block = ConfigBlock(plugin_config, key.c_str(), "docker");
      if (!block) return block.takeError();
      for (const auto& [k, v] : (*block)->items()) {
        bool known = (key == "volumes" && k == "enabled") || (key == "gc" && k == "container");
        if (!known) return MakeDriverError(fmt::format("docker: unknown option `{}.{}`", key, k));
        if (!v.is_boolean()) {
          return MakeDriverError(fmt::format("docker: `{}.{}` must be a bool", key, k));
        }
        (key == "volumes" ? volumes_enabled_ : gc_container_) = v.get<bool>();
      }
    } else {
      return MakeDriverError(fmt::format("docker: unknown plugin option `{}`", key));
    }
  }
  return llvm::Error::success();
}

Capabilities DockerDriver::GetCapabilities() const {
  return {.send_signals = true, .exec = false, .fs_isolation = FsIsolation::kImage};
}

DriverFingerprint DockerDriver::Fingerprint() {
  try {
    return Probe();
  } catch (const std::exception& e) {  // a daemon answering nonsense is unhealthy, not a crash
    DriverFingerprint fp;
    fp.health_description = std::string("Failed to read the docker daemon's answer: ") + e.what();
    return fp;
  }
}

DriverFingerprint DockerDriver::Probe() {
  DriverFingerprint fp;
  http::HttpClient quick(endpoint_, http::ClientOptions{2s, 4u << 20});
  auto fail = [&](std::string why) {
    fp.detected = false;
    fp.healthy = false;
    fp.health_description = "Failed to connect to docker daemon: " + why;
    return fp;
  };
  llvm::Expected<http::Response> version = quick.Get(std::string(kApi) + "/version");
  if (!version) return fail(llvm::toString(version.takeError()));
  if (!version->IsSuccess()) return fail(ApiMessage(*version));
  json v = json::parse(version->body, nullptr, false);
  if (!v.is_object()) return fail("unreadable /version answer");
  fp.detected = true;
  fp.healthy = true;
  fp.health_description = "Healthy";
  fp.attributes["driver.docker"] = "1";
  fp.attributes["driver.docker.version"] = Field<std::string>(v, "Version", "");
  fp.attributes["driver.docker.api_version"] = Field<std::string>(v, "ApiVersion", "");
  fp.attributes["driver.docker.os_type"] = Field<std::string>(v, "Os", "linux");
  fp.attributes["driver.docker.privileged.enabled"] = allow_privileged_ ? "true" : "false";
  fp.attributes["driver.docker.volumes.enabled"] = volumes_enabled_ ? "true" : "false";
  if (auto info = quick.Get(std::string(kApi) + "/info"); info && info->IsSuccess()) {
    json i = json::parse(info->body, nullptr, false);
    if (i.is_object() && i.contains("Runtimes") && i["Runtimes"].is_object()) {
      std::string runtimes;
      for (const auto& [name, _] : i["Runtimes"].items()) {
        runtimes += (runtimes.empty() ? "" : ",") + name;
      }
      fp.attributes["driver.docker.runtimes"] = runtimes;
    }
  } else if (!info) {
    llvm::consumeError(info.takeError());
  }
  if (auto net = quick.Get(std::string(kApi) + "/networks/bridge"); net && net->IsSuccess()) {
    json n = json::parse(net->body, nullptr, false);
    if (n.is_object() && n.contains("IPAM") && n["IPAM"].contains("Config") &&
        n["IPAM"]["Config"].is_array() && !n["IPAM"]["Config"].empty()) {
      fp.attributes["driver.docker.bridge_ip"] =
          Field<std::string>(n["IPAM"]["Config"][0], "Gateway", "");
    }
  } else if (!net) {
    llvm::consumeError(net.takeError());
  }
  return fp;
}

void DockerDriver::Emit(const TaskConfig& config, std::string message,
                        std::map<std::string, std::string> annotations) {
  if (!context_.emit_event) return;
  context_.emit_event(TaskEvent{config.id, config.task_name, config.alloc_id, std::move(message),
                                std::move(annotations), std::chrono::system_clock::now()});
}

llvm::Error DockerDriver::EnsureImage(const TaskConfig& config, const std::string& image,
                                      bool force_pull) {
  Api api(endpoint_);
  if (!force_pull) {
    llvm::Expected<http::Response> r = api.Call(api.client, "GET", "/images/" + image + "/json");
    if (!r) {
      return MakeDriverError("Failed to connect to docker daemon: " + llvm::toString(r.takeError()),
                             true);
    }
    if (r->IsSuccess()) return llvm::Error::success();
    if (r->status != 404) {
      return MakeDriverError(fmt::format("Failed to inspect image `{}`: {}", image, ApiMessage(*r)),
                             true);
    }
  }
  Emit(config, "Downloading image", {{"image", image}});
  std::string repo = image, tag = "latest";
  if (size_t at = image.find('@'); at != std::string::npos) {
    repo = image.substr(0, at);
    tag = image.substr(at + 1);
  } else if (size_t colon = image.rfind(':');
             colon != std::string::npos &&
             (image.rfind('/') == std::string::npos || colon > image.rfind('/'))) {
    repo = image.substr(0, colon);
    tag = image.substr(colon + 1);
  }
  http::Request req;
  req.method = "POST";
  req.target =
      std::string(kApi) + "/images/create?fromImage=" + UrlEncode(repo) + "&tag=" + UrlEncode(tag);
  std::string progress, error;
  http::StreamOptions so;
  so.idle_timeout = 120s;  // no progress for that long: the pull is stuck
  llvm::Expected<http::Response> r = api.slow.Stream(
      req, [&](std::string_view piece) { progress.append(piece); }, so);
  if (!r) {
    return MakeDriverError(
        fmt::format("Failed to pull `{}`: {}", image, llvm::toString(r.takeError())), true);
  }
  if (!r->IsSuccess()) {
    return MakeDriverError(fmt::format("Failed to pull `{}`: {}", image, ApiMessage(*r)), true);
  }
  // Failures after the 200 come in-band, as a JSON line with "error".
  size_t pos = 0;
  while (pos < progress.size()) {
    size_t end = progress.find('\n', pos);
    if (end == std::string::npos) end = progress.size();
    json line = json::parse(progress.substr(pos, end - pos), nullptr, false);
    if (line.is_object() && line.contains("error")) error = line["error"].dump();
    pos = end + 1;
  }
  if (!error.empty()) {
    json e = json::parse(error, nullptr, false);
    return MakeDriverError(
        fmt::format("Failed to pull `{}`: {}", image, e.is_string() ? e.get<std::string>() : error),
        true);
  }
  return llvm::Error::success();
}

llvm::Expected<json> DockerDriver::BuildCreateBody(const TaskConfig& config,
                                                   const std::string& image) const {
  const json& c = config.config;
  auto bad = [](std::string msg) { return MakeDriverError("docker: " + std::move(msg)); };
  static const char* const kKnown[] = {
      "image",    "command",  "args",        "entrypoint",  "network_mode", "ports",
      "port_map", "labels",   "hostname",    "work_dir",    "force_pull",   "privileged",
      "cap_add",  "cap_drop", "dns_servers", "extra_hosts", "volumes",      "init"};
  for (const auto& [key, value] : c.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return bad(fmt::format("unsupported config option `{}`", key));
    }
  }
  json body = json::object();
  body["Image"] = image;

  // Nomad's rule: `command` replaces the image's CMD, `args` follow it (or replace CMD alone).
  json cmd = json::array();
  if (c.contains("command")) {
    if (!c["command"].is_string()) return bad("`command` must be a string");
    cmd.push_back(c["command"]);
  }
  if (c.contains("args")) {
    if (!IsStringList(c["args"])) return bad("`args` must be a list of strings");
    for (const json& a : c["args"]) cmd.push_back(a);
  }
  if (!cmd.empty()) body["Cmd"] = cmd;
  if (c.contains("entrypoint")) {
    if (!IsStringList(c["entrypoint"])) return bad("`entrypoint` must be a list of strings");
    body["Entrypoint"] = c["entrypoint"];
  }
  json env = json::array();
  for (const auto& [k, v] : config.env) env.push_back(k + "=" + v);
  body["Env"] = env;

  json labels = json::object();
  if (c.contains("labels")) {
    if (!IsStringMap(c["labels"])) return bad("`labels` must be a map of strings");
    labels = Unwrap(c["labels"]);
  }
  labels["drover.alloc_id"] = config.alloc_id;
  labels["drover.job_name"] = config.job_name;
  labels["drover.task_group_name"] = config.group_name;
  labels["drover.task_name"] = config.task_name;
  labels["drover.namespace"] = config.namespace_name;
  body["Labels"] = labels;
  for (const char* key : {"hostname", "work_dir"}) {
    if (!c.contains(key)) continue;
    if (!c[key].is_string()) return bad(fmt::format("`{}` must be a string", key));
    body[std::string(key) == "hostname" ? "Hostname" : "WorkingDir"] = c[key];
  }
  if (!config.user.empty()) body["User"] = config.user;

  json host = json::object();
  const TaskResources& r = config.resources;
  int64_t hard_mb = r.memory_max_mb > 0 ? r.memory_max_mb : r.memory_mb;
  if (hard_mb > 0) {
    host["Memory"] = hard_mb << 20;
    host["MemorySwap"] = hard_mb << 20;  // no swap beyond the limit
  }
  if (r.memory_max_mb > 0 && r.memory_mb > 0)
    host["MemoryReservation"] = int64_t{r.memory_mb} << 20;
  if (r.cpu_mhz > 0) host["CpuShares"] = std::max(2, r.cpu_mhz);

  std::string network_mode = "bridge";
  if (c.contains("network_mode")) {
    if (!c["network_mode"].is_string()) return bad("`network_mode` must be a string");
    network_mode = c["network_mode"].get<std::string>();
    if (network_mode.empty()) network_mode = "bridge";
  }
  host["NetworkMode"] = network_mode;

  // Ports: the labels in config.ports, or every mapping the task has when it lists none.
  std::map<std::string, int> port_map;
  if (c.contains("port_map")) {
    const json& pm = Unwrap(c["port_map"]);
    if (!pm.is_object()) return bad("`port_map` must be a map of label to port");
    for (const auto& [label, port] : pm.items()) {
      if (!port.is_number_integer()) return bad("`port_map` values must be port numbers");
      port_map[label] = port.get<int>();
    }
  }
  std::vector<const PortMapping*> published;
  if (c.contains("ports")) {
    if (!IsStringList(c["ports"])) return bad("`ports` must be a list of port labels");
    for (const json& label : c["ports"]) {
      auto it = std::find_if(config.ports.begin(), config.ports.end(),
                             [&](const PortMapping& p) { return p.label == label; });
      if (it == config.ports.end()) {
        return bad(fmt::format("port `{}` is not defined by the task's network",
                               label.get<std::string>()));
      }
      published.push_back(&*it);
    }
  } else {
    for (const PortMapping& p : config.ports) published.push_back(&p);
  }
  if (network_mode != "host" && !published.empty()) {
    json exposed = json::object(), bindings = json::object();
    for (const PortMapping* p : published) {
      int container_port = port_map.count(p->label) ? port_map[p->label] : p->ContainerPort();
      for (const char* proto : {"tcp", "udp"}) {
        std::string key = fmt::format("{}/{}", container_port, proto);
        exposed[key] = json::object();
        bindings[key].push_back(
            {{"HostIp", p->host_ip}, {"HostPort", std::to_string(p->host_port)}});
      }
    }
    body["ExposedPorts"] = exposed;
    host["PortBindings"] = bindings;
  }

  // The allocation's directories, as Nomad mounts them.
  json binds = json::array();
  if (fs::is_directory(config.SharedAllocDir()))
    binds.push_back(config.SharedAllocDir() + ":/alloc");
  for (const char* sub : {"local", "secrets"}) {
    std::string dir = config.task_dir + "/" + sub;
    if (!config.task_dir.empty() && fs::is_directory(dir)) binds.push_back(dir + ":/" + sub);
  }
  if (c.contains("volumes")) {
    if (!IsStringList(c["volumes"])) return bad("`volumes` must be a list of strings");
    if (!volumes_enabled_ && !c["volumes"].empty()) {
      return bad(
          "volumes are not enabled on this node (plugin \"docker\" { config { volumes { "
          "enabled = true } } })");
    }
    for (const json& v : c["volumes"]) {
      std::string spec = v.get<std::string>();
      if (!spec.empty() && spec[0] != '/' && spec.find(':') != std::string::npos) {
        spec = config.task_dir + "/" + spec;  // relative host paths are in the task directory
      }
      binds.push_back(spec);
    }
  }
  if (!binds.empty()) host["Binds"] = binds;

  if (c.contains("privileged")) {
    if (!c["privileged"].is_boolean()) return bad("`privileged` must be a bool");
    if (c["privileged"].get<bool>() && !allow_privileged_) {
      return bad(
          "privileged containers are not allowed on this node (plugin \"docker\" { config "
          "{ allow_privileged = true } })");
    }
    host["Privileged"] = c["privileged"];
  }
  for (const auto& [key, api_key] :
       {std::pair{"cap_add", "CapAdd"}, std::pair{"cap_drop", "CapDrop"},
        std::pair{"dns_servers", "Dns"}, std::pair{"extra_hosts", "ExtraHosts"}}) {
    if (!c.contains(key)) continue;
    if (!IsStringList(c[key])) return bad(fmt::format("`{}` must be a list of strings", key));
    host[api_key] = c[key];
  }
  if (c.contains("init")) {
    if (!c["init"].is_boolean()) return bad("`init` must be a bool");
    host["Init"] = c["init"];
  }
  body["HostConfig"] = host;
  return body;
}

llvm::Expected<std::string> DockerDriver::CreateContainer(const TaskConfig& config,
                                                          const json& body) {
  Api api(endpoint_);
  std::string name = ContainerName(config);
  for (int attempt = 0; attempt < 2; ++attempt) {
    llvm::Expected<http::Response> r =
        api.Call(api.slow, "POST", "/containers/create?name=" + UrlEncode(name), &body);
    if (!r) {
      return MakeDriverError("Failed to create container: " + llvm::toString(r.takeError()), true);
    }
    if (r->status == 201) {
      json j = json::parse(r->body, nullptr, false);
      if (j.is_object() && j.contains("Id")) return j["Id"].get<std::string>();
      return MakeDriverError("Failed to create container: unreadable answer " + r->body, true);
    }
    if (r->status != 409 || attempt > 0) {
      return MakeDriverError("Failed to create container: " + ApiMessage(*r), r->status >= 500);
    }
    // The name is taken: a leftover of an earlier run of this task goes, anything else stays.
    llvm::Expected<http::Response> old =
        api.Call(api.client, "GET", "/containers/" + name + "/json");
    if (!old)
      return MakeDriverError("Failed to create container: " + llvm::toString(old.takeError()),
                             true);
    json o = json::parse(old->body, nullptr, false);
    std::string owner;
    if (o.is_object() && o.contains("Config") && o["Config"].contains("Labels") &&
        o["Config"]["Labels"].is_object()) {
      owner = Field<std::string>(o["Config"]["Labels"], "drover.alloc_id", "");
    }
    if (owner != config.alloc_id) {
      return MakeDriverError(fmt::format(
          "Failed to create container: the name `{}` is taken by a container drover did not start",
          name));
    }
    llvm::Expected<http::Response> rm =
        api.Call(api.slow, "DELETE", "/containers/" + name + "?force=1&v=1");
    if (!rm)
      return MakeDriverError("Failed to remove old container: " + llvm::toString(rm.takeError()),
                             true);
  }
  return MakeDriverError("Failed to create container", true);
}

llvm::Expected<TaskHandle> DockerDriver::StartTask(const TaskConfig& config) {
  if (tasks_.Find(config.id)) {
    return MakeDriverError(fmt::format("docker: task `{}` is already running", config.id));
  }
  const json& c = config.config;
  if (!c.contains("image") || !c["image"].is_string() || c["image"].get<std::string>().empty()) {
    return MakeDriverError("docker: config option `image` is required");
  }
  std::string image = NormalizeImage(c["image"].get<std::string>());
  bool force_pull = false;
  if (c.contains("force_pull")) {
    if (!c["force_pull"].is_boolean())
      return MakeDriverError("docker: `force_pull` must be a bool");
    force_pull = c["force_pull"].get<bool>();
  }
  llvm::Expected<json> body = BuildCreateBody(config, image);
  if (!body) return body.takeError();
  if (llvm::Error e = EnsureImage(config, image, force_pull)) return e;
  llvm::Expected<std::string> id = CreateContainer(config, *body);
  if (!id) return id.takeError();

  Api api(endpoint_);
  llvm::Expected<http::Response> started =
      api.Call(api.slow, "POST", "/containers/" + *id + "/start");
  std::string start_error;
  if (!started) {
    start_error = llvm::toString(started.takeError());
  } else if (started->status != 204 && started->status != 304) {
    start_error = ApiMessage(*started);
  }
  if (!start_error.empty()) {
    if (auto rm = api.Call(api.slow, "DELETE", "/containers/" + *id + "?force=1&v=1"); !rm) {
      llvm::consumeError(rm.takeError());
    }
    return MakeDriverError("Failed to start container " + id->substr(0, 12) + ": " + start_error,
                           true);
  }

  auto task = std::make_shared<Task>();
  task->container_id = *id;
  TaskHandle& h = task->handle;
  h.driver = "docker";
  h.config = config;
  h.state = TaskState::kRunning;
  h.started_at = std::chrono::system_clock::now();
  h.driver_state = {
      {"container_id", *id}, {"container_name", ContainerName(config)}, {"image", image}};
  if (auto inspect = api.Call(api.client, "GET", "/containers/" + *id + "/json");
      inspect && inspect->IsSuccess()) {
    json j = json::parse(inspect->body, nullptr, false);
    if (j.is_object()) {
      h.driver_state["image_id"] = Field<std::string>(j, "Image", "");
      if (j.contains("State")) h.driver_state["pid"] = Field<int64_t>(j["State"], "Pid", 0);
    }
  } else if (!inspect) {
    llvm::consumeError(inspect.takeError());
  }
  tasks_.Put(config.id, task);
  StartWatchers(task);
  return h;
}

llvm::Error DockerDriver::RecoverTask(const TaskHandle& handle) {
  if (handle.driver != "docker") {
    return MakeDriverError(
        fmt::format("docker: cannot recover a task of driver `{}`", handle.driver));
  }
  if (tasks_.Find(handle.config.id)) return llvm::Error::success();
  const json& state = handle.driver_state;
  std::string id;
  if (state.is_object() && state.contains("container_id") && state["container_id"].is_string()) {
    id = state["container_id"].get<std::string>();
  }
  if (id.empty()) return MakeDriverError("docker: task handle has no container id");
  Api api(endpoint_);
  llvm::Expected<http::Response> r = api.Call(api.client, "GET", "/containers/" + id + "/json");
  if (!r) {
    return MakeDriverError("Failed to connect to docker daemon: " + llvm::toString(r.takeError()),
                           true);
  }
  if (r->status == 404) {
    return MakeDriverError(fmt::format("docker: cannot reattach to task `{}`: container {} is gone",
                                       handle.config.id, id.substr(0, 12)));
  }
  if (!r->IsSuccess()) return MakeDriverError("docker: inspect container: " + ApiMessage(*r), true);
  auto task = std::make_shared<Task>();
  task->handle = handle;
  task->container_id = id;
  if (!tasks_.Insert(handle.config.id, task)) return llvm::Error::success();
  StartWatchers(task);
  return llvm::Error::success();
}

void DockerDriver::StartWatchers(const std::shared_ptr<Task>& task) {
  // Nothing may escape a thread (std::terminate): an unexpected answer ends the watch instead.
  task->log_thread = std::thread([this, task] {
    try {
      LogLoop(task);
    } catch (const std::exception&) {
      std::lock_guard lock(task->mu);
      task->logs_done = true;
      task->cv.notify_all();
    }
  });
  task->wait_thread = std::thread([this, task] {
    try {
      WaitLoop(task);
    } catch (const std::exception& e) {
      ExitResult r;
      r.err = std::string("docker: lost track of the container: ") + e.what();
      task->SetExit(r);
    }
  });
}

void DockerDriver::WaitLoop(const std::shared_ptr<Task>& t) {
  Api api(endpoint_);
  http::StreamOptions so;
  so.cancelled = [&] { return t->stop.load(); };
  while (!t->stop) {
    std::string body;
    http::Request req;
    req.method = "POST";
    req.target = std::string(kApi) + "/containers/" + t->container_id + "/wait";
    llvm::Expected<http::Response> r = api.client.Stream(
        req, [&](std::string_view piece) { body.append(piece); }, so);
    if (t->stop) {
      if (!r) llvm::consumeError(r.takeError());
      return;
    }
    if (!r) {  // the daemon restarted or went away: try again
      llvm::consumeError(r.takeError());
      std::this_thread::sleep_for(500ms);
      continue;
    }
    ExitResult result;
    if (r->status == 404) {
      result.err = "container " + t->container_id.substr(0, 12) + " is gone";
      t->SetExit(result);
      return;
    }
    if (!r->IsSuccess()) {
      std::this_thread::sleep_for(500ms);
      continue;
    }
    json w = json::parse(body, nullptr, false);
    result.exit_code = Field<int>(w, "StatusCode", 0);
    if (w.is_object() && w.contains("Error") && w["Error"].is_object()) {
      result.err = Field<std::string>(w["Error"], "Message", "");
    }
    if (auto inspect = api.Call(api.client, "GET", "/containers/" + t->container_id + "/json");
        inspect && inspect->IsSuccess()) {
      json j = json::parse(inspect->body, nullptr, false);
      if (j.is_object() && j.contains("State")) {
        result.oom_killed = Field<bool>(j["State"], "OOMKilled", false);
        result.exit_code = Field<int>(j["State"], "ExitCode", result.exit_code);
      }
    } else if (!inspect) {
      llvm::consumeError(inspect.takeError());
    }
    {
      // Let the log stream deliver the container's last lines before reporting the exit.
      std::unique_lock lock(t->mu);
      t->cv.wait_for(lock, kLogDrainWait, [&] { return t->logs_done || t->stop.load(); });
    }
    t->SetExit(result);
    return;
  }
}

void DockerDriver::LogLoop(const std::shared_ptr<Task>& t) {
  const TaskConfig& c = t->handle.config;
  auto finish = [&] {
    std::lock_guard lock(t->mu);
    t->logs_done = true;
    t->cv.notify_all();
  };
  if (c.logs.dir.empty()) return finish();
  int max_files = std::max(1, c.logs.max_files);
  uint64_t max_size = static_cast<uint64_t>(std::max(1, c.logs.max_file_size_mb)) << 20;
  auto out = LogRotator::Open(c.logs.dir, c.task_name + ".stdout", max_files, max_size);
  auto err = LogRotator::Open(c.logs.dir, c.task_name + ".stderr", max_files, max_size);
  if (!out || !err) {
    if (!out) llvm::consumeError(out.takeError());
    if (!err) llvm::consumeError(err.takeError());
    return finish();
  }
  // The cursor: the newest message timestamp written and how many messages carried exactly that
  // timestamp (a long line is split into several messages stamped alike). A resumed stream asks
  // for messages since that time (inclusive) and skips what the cursor says is already written.
  std::string cursor_path = CursorPath(c);
  int64_t cursor = 0;
  int64_t at_cursor = 0;
  {
    std::ifstream f(cursor_path);
    f >> cursor >> at_cursor;
  }
  int64_t saved = cursor, saved_count = at_cursor;
  auto save = [&] {
    if (cursor == saved && at_cursor == saved_count) return;
    std::string tmp = cursor_path + ".tmp";
    {
      std::ofstream f(tmp, std::ios::trunc);
      f << cursor << " " << at_cursor << "\n";
    }
    std::rename(tmp.c_str(), cursor_path.c_str());
    saved = cursor;
    saved_count = at_cursor;
  };
  auto last_save = std::chrono::steady_clock::now();
  int64_t resume_at = 0, resume_skip = 0;  // set per (re)connection
  DockerLogDemuxer demux([&](int stream, std::string_view payload) {
    std::optional<TimestampedLine> line = SplitTimestamp(payload);
    std::string_view text = payload;
    if (line) {
      if (line->nanos < resume_at) return;  // written before the re-attach
      if (line->nanos == resume_at && resume_skip > 0) {
        --resume_skip;
        return;
      }
      if (line->nanos > cursor) {
        cursor = line->nanos;
        at_cursor = 1;
      } else if (line->nanos == cursor) {
        ++at_cursor;
      }
      text = line->message;
    }
    LogRotator& log = stream == 2 ? **err : **out;
    if (llvm::Error e = log.Write(text)) llvm::consumeError(std::move(e));
    if (std::chrono::steady_clock::now() - last_save > 1s) {
      save();
      last_save = std::chrono::steady_clock::now();
    }
  });
  Api api(endpoint_);
  http::StreamOptions so;
  so.cancelled = [&] { return t->stop.load(); };
  while (!t->stop) {
    http::Request req;
    req.target = std::string(kApi) + "/containers/" + t->container_id +
                 "/logs?follow=1&stdout=1&stderr=1&timestamps=1";
    resume_at = cursor;
    resume_skip = at_cursor;
    if (cursor > 0) req.target += "&since=" + DockerSince(cursor);
    llvm::Expected<http::Response> r = api.client.Stream(
        req, [&](std::string_view piece) { demux.Feed(piece); }, so);
    save();
    if (r && r->status == 404) break;  // the container is gone
    if (r && r->IsSuccess()) {
      // A follow stream ends when the container stops; if it still runs, the daemon ended the
      // stream for its own reasons and the loop follows again from the cursor.
      auto inspect = api.Call(api.client, "GET", "/containers/" + t->container_id + "/json");
      bool running = false;
      if (inspect && inspect->IsSuccess()) {
        json j = json::parse(inspect->body, nullptr, false);
        running = j.is_object() && j.contains("State") && Field<bool>(j["State"], "Running", false);
      } else if (!inspect) {
        llvm::consumeError(inspect.takeError());
      }
      if (!running) break;
      std::this_thread::sleep_for(100ms);  // never a hot loop
      continue;
    }
    if (!r) llvm::consumeError(r.takeError());
    if (t->stop) break;
    std::this_thread::sleep_for(500ms);  // the daemon went away; follow again when it is back
  }
  finish();
}

llvm::Expected<std::optional<ExitResult>> DockerDriver::WaitTask(
    const std::string& task_id, std::chrono::milliseconds timeout) {
  llvm::Expected<std::shared_ptr<Task>> t = tasks_.FindOrError(Name(), task_id);
  if (!t) return t.takeError();
  return (*t)->WaitFor(timeout);
}

llvm::Error DockerDriver::SignalTask(const std::string& task_id, const std::string& signal) {
  llvm::Expected<std::shared_ptr<Task>> t = tasks_.FindOrError(Name(), task_id);
  if (!t) return t.takeError();
  std::optional<int> sig = ParseSignal(signal);
  if (!sig) return MakeDriverError(fmt::format("docker: unknown signal `{}`", signal));
  Api api(endpoint_);
  llvm::Expected<http::Response> r = api.Call(
      api.client, "POST", "/containers/" + (*t)->container_id + "/kill?signal=" + SignalName(*sig));
  if (!r) return MakeDriverError("docker: kill: " + llvm::toString(r.takeError()), true);
  if (r->status == 409) {
    return MakeDriverError(fmt::format("docker: task `{}` is not running", task_id));
  }
  if (!r->IsSuccess()) return MakeDriverError("docker: kill: " + ApiMessage(*r), true);
  return llvm::Error::success();
}

llvm::Error DockerDriver::StopTask(const std::string& task_id, std::chrono::milliseconds timeout,
                                   const std::string& signal) {
  llvm::Expected<std::shared_ptr<Task>> found = tasks_.FindOrError(Name(), task_id);
  if (!found) return found.takeError();
  std::shared_ptr<Task> t = *found;
  std::string name = !signal.empty()                         ? signal
                     : !t->handle.config.kill_signal.empty() ? t->handle.config.kill_signal
                                                             : "SIGTERM";
  std::optional<int> sig = ParseSignal(name);
  if (!sig) return MakeDriverError(fmt::format("docker: unknown signal `{}`", name));
  if (t->Exited()) return llvm::Error::success();
  Api api(endpoint_);
  auto kill = [&](int s) -> llvm::Error {
    llvm::Expected<http::Response> r = api.Call(
        api.client, "POST", "/containers/" + t->container_id + "/kill?signal=" + SignalName(s));
    if (!r) return MakeDriverError("docker: kill: " + llvm::toString(r.takeError()), true);
    if (!r->IsSuccess() && r->status != 409) {  // 409: not running any more
      return MakeDriverError("docker: kill: " + ApiMessage(*r), true);
    }
    return llvm::Error::success();
  };
  if (llvm::Error e = kill(*sig)) return e;
  if (t->WaitFor(timeout)) return llvm::Error::success();
  if (llvm::Error e = kill(SIGKILL)) return e;
  if (t->WaitFor(kKillGrace)) return llvm::Error::success();
  return MakeDriverError(fmt::format("docker: task `{}` did not exit after SIGKILL", task_id),
                         true);
}

llvm::Error DockerDriver::DestroyTask(const std::string& task_id, bool force) {
  llvm::Expected<std::shared_ptr<Task>> found = tasks_.FindOrError(Name(), task_id);
  if (!found) return found.takeError();
  std::shared_ptr<Task> t = *found;
  if (!t->Exited() && !force) {
    return MakeDriverError(
        fmt::format("docker: cannot destroy task `{}`: it is still running", task_id));
  }
  Api api(endpoint_);
  t->StopThreads();
  if (gc_container_) {
    llvm::Expected<http::Response> r =
        api.Call(api.slow, "DELETE", "/containers/" + t->container_id + "?force=1&v=1");
    if (!r)
      return MakeDriverError("docker: remove container: " + llvm::toString(r.takeError()), true);
    if (!r->IsSuccess() && r->status != 404) {
      return MakeDriverError("docker: remove container: " + ApiMessage(*r), true);
    }
  } else if (!t->Exited()) {
    auto r =
        api.Call(api.client, "POST", "/containers/" + t->container_id + "/kill?signal=SIGKILL");
    if (!r) llvm::consumeError(r.takeError());
  }
  unlink(CursorPath(t->handle.config).c_str());
  tasks_.Erase(task_id);
  return llvm::Error::success();
}

llvm::Expected<TaskStatus> DockerDriver::InspectTask(const std::string& task_id) {
  llvm::Expected<std::shared_ptr<Task>> found = tasks_.FindOrError(Name(), task_id);
  if (!found) return found.takeError();
  std::shared_ptr<Task> t = *found;
  TaskStatus s = t->Status(task_id);
  s.driver_attributes["container_id"] = t->container_id;
  s.driver_attributes["container_name"] =
      Field<std::string>(t->handle.driver_state, "container_name", "");
  s.driver_attributes["image"] = Field<std::string>(t->handle.driver_state, "image", "");
  return s;
}

}  // namespace drover::drivers
