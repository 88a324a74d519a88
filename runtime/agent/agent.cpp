#include "runtime/agent/agent.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "runtime/agent/stub_client.h"
#include "runtime/api/http_api.h"
#include "runtime/http/http_server.h"
#include "runtime/server/rpc.h"
#include "runtime/server/server.h"
#include "runtime/store/leveldb_state_store.h"

namespace drover::agent {
namespace {

namespace fs = std::filesystem;

llvm::Error Fail(const std::string& message) {
  return llvm::createStringError(std::errc::invalid_argument, "%s", message.c_str());
}

std::string HostName() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "drover";
  return buf;
}

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

std::optional<spdlog::level::level_enum> ParseLevel(const std::string& level) {
  std::string l = Upper(level);
  if (l == "TRACE") return spdlog::level::trace;
  if (l == "DEBUG") return spdlog::level::debug;
  if (l == "INFO") return spdlog::level::info;
  if (l == "WARN" || l == "WARNING") return spdlog::level::warn;
  if (l == "ERROR" || l == "ERR") return spdlog::level::err;
  if (l == "OFF") return spdlog::level::off;
  return std::nullopt;
}

/// hclog's level column: "[INFO] ", "[WARN] ", "[ERROR]", "[DEBUG]", "[TRACE]".
class LevelFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view text;
    switch (msg.level) {
      case spdlog::level::trace:
        text = "[TRACE]";
        break;
      case spdlog::level::debug:
        text = "[DEBUG]";
        break;
      case spdlog::level::info:
        text = "[INFO] ";
        break;
      case spdlog::level::warn:
        text = "[WARN] ";
        break;
      case spdlog::level::err:
        text = "[ERROR]";
        break;
      case spdlog::level::critical:
        text = "[ERROR]";
        break;
      default:
        text = "[OFF]  ";
        break;
    }
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<LevelFlag>();
  }
};

}  // namespace

// ---- settings
// --------------------------------------------------------------------------------------

llvm::Expected<AgentSettings> ResolveSettings(const ir::AgentConfig& config,
                                              const AgentFlags& flags) {
  AgentSettings s;
  s.config = config;
  s.name = HostName();
  if (!config.region.empty()) s.region = config.region;
  if (!config.datacenter.empty()) s.datacenter = config.datacenter;
  if (!config.name.empty()) s.name = config.name;
  if (!config.data_dir.empty()) s.data_dir = config.data_dir;
  if (!config.bind_addr.empty()) s.bind_addr = config.bind_addr;
  if (!config.log_level.empty()) s.log_level = config.log_level;
  if (config.ports.http) s.http_port = *config.ports.http;
  if (config.ports.rpc) s.rpc_port = *config.ports.rpc;
  if (config.ports.serf) s.serf_port = *config.ports.serf;
  if (config.server) {
    s.server = config.server->enabled.value_or(false);
    if (!config.server->data_dir.empty()) s.data_dir = config.server->data_dir;
    if (config.server->num_schedulers) s.num_schedulers = *config.server->num_schedulers;
  }
  if (config.client) {
    s.client = config.client->enabled.value_or(false);
    s.servers = config.client->servers;
    s.node_class = config.client->node_class;
    if (!config.client->node_pool.empty()) s.node_pool = config.client->node_pool;
    s.meta = config.client->meta;
  }
  if (flags.dev) {
    s.dev = true;
    s.server = true;
    s.client = true;
    if (config.log_level.empty()) s.log_level = "DEBUG";
  }
  if (flags.server) s.server = true;
  if (flags.client) s.client = true;
  if (!flags.bind.empty()) s.bind_addr = flags.bind;
  if (!flags.data_dir.empty()) s.data_dir = flags.data_dir;
  if (!flags.dc.empty()) s.datacenter = flags.dc;
  if (!flags.region.empty()) s.region = flags.region;
  if (!flags.node.empty()) s.name = flags.node;
  if (!flags.servers.empty()) {
    s.servers.clear();
    for (const std::string& list : flags.servers) {
      size_t start = 0;
      while (start <= list.size()) {
        size_t comma = list.find(',', start);
        std::string one =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!one.empty()) s.servers.push_back(one);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
  }
  if (!flags.log_level.empty()) s.log_level = flags.log_level;
  if (flags.http_port >= 0) s.http_port = static_cast<int>(flags.http_port);
  if (flags.rpc_port >= 0) s.rpc_port = static_cast<int>(flags.rpc_port);

  if (!s.server && !s.client) {
    return Fail("Must specify either server, client or dev mode for the agent.");
  }
  if (!s.dev && s.data_dir.empty()) return Fail("Must specify data directory");
  if (!ParseLevel(s.log_level)) {
    return Fail(fmt::format("Invalid log level: {:?} (TRACE, DEBUG, INFO, WARN, ERROR or OFF)",
                            s.log_level));
  }
  s.log_level = Upper(s.log_level);
  if (s.log_level == "WARNING") s.log_level = "WARN";
  for (auto [name, port] : {std::pair<const char*, int>{"http", s.http_port},
                            {"rpc", s.rpc_port},
                            {"serf", s.serf_port}}) {
    if (port < 0 || port > 65535) return Fail(fmt::format("Invalid {} port: {}", name, port));
  }
  if (s.client && !s.server && s.servers.empty()) {
    return Fail("Client has no servers to join: set -servers or client { servers = [...] }");
  }
  if (s.num_schedulers < 1) s.num_schedulers = 1;
  if (s.region.empty() || s.datacenter.empty() || s.name.empty()) {
    return Fail("region, datacenter and node name must not be empty");
  }
  return s;
}

// ---- logging
// ---------------------------------------------------------------------------------------

bool SetupLogging(const std::string& level) {
  auto parsed = ParseLevel(level);
  if (!parsed) return false;
  auto logger = spdlog::stderr_logger_mt("drover-agent-" + std::to_string(::getpid()));
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<LevelFlag>('*').set_pattern("    %Y-%m-%dT%H:%M:%S.%e%z %* %v");
  logger->set_formatter(std::move(formatter));
  logger->set_level(*parsed);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  return true;
}

// ---- the agent
// -------------------------------------------------------------------------------------

ClientFactory DefaultClientFactory() {
  return [](const ClientContext& context) -> llvm::Expected<std::unique_ptr<ClientRole>> {
    return std::make_unique<StubClient>(context);
  };
}

struct Agent::Impl {
  AgentSettings settings;
  std::string data_dir;
  bool temp_data_dir = false;
  server::SystemClock clock;
  std::unique_ptr<store::StateStore> store;
  std::unique_ptr<server::Server> server;
  std::unique_ptr<api::HttpApi> api;
  http::Router rpc_router;
  http::Router http_router;
  std::unique_ptr<http::HttpServer> rpc_http;
  std::unique_ptr<http::HttpServer> api_http;
  std::unique_ptr<ClientRole> client;
  std::once_flag stop_once;

  void Stop() {
    std::call_once(stop_once, [this] {
      if (client) {
        client->Stop();
        spdlog::info("agent: client stopped");
      }
      if (api) api->CancelWaits();
      if (store) store->AbortWaits();
      if (api_http) api_http->Stop();
      if (rpc_http) rpc_http->Stop();
      if (server) {
        server->Stop();
        spdlog::info("agent: server stopped");
      }
      client.reset();
      api_http.reset();
      rpc_http.reset();
      api.reset();
      server.reset();
      store.reset();
      if (temp_data_dir) {
        std::error_code ec;
        fs::remove_all(data_dir, ec);
      }
    });
  }
  ~Impl() { Stop(); }
};

Agent::Agent(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Agent::~Agent() { Stop(); }
void Agent::Stop() { impl_->Stop(); }
const AgentSettings& Agent::settings() const { return impl_->settings; }
server::Server* Agent::server() const { return impl_->server.get(); }
const std::string& Agent::data_dir() const { return impl_->data_dir; }

std::string Agent::HttpAddr() const { return impl_->api_http ? impl_->api_http->HostPort() : ""; }

std::string Agent::RpcAddr() const { return impl_->rpc_http ? impl_->rpc_http->HostPort() : ""; }

llvm::Expected<std::unique_ptr<Agent>> Agent::Start(AgentSettings settings,
                                                    ClientFactory client_factory) {
  auto impl = std::make_unique<Impl>();
  impl->settings = std::move(settings);
  const AgentSettings& s = impl->settings;

  // Data directory: a fresh temporary one for -dev unless one was given.
  if (s.data_dir.empty()) {
    char tmpl[] = "/tmp/drover-agent-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return Fail("cannot create a temporary data directory");
    impl->data_dir = tmpl;
    impl->temp_data_dir = true;
  } else {
    impl->data_dir = s.data_dir;
    std::error_code ec;
    if (fs::exists(impl->data_dir, ec) && !fs::is_directory(impl->data_dir, ec)) {
      return Fail(fmt::format("data dir {} exists and is not a directory", impl->data_dir));
    }
    fs::create_directories(impl->data_dir, ec);
    if (ec) return Fail(fmt::format("cannot create data dir {}: {}", impl->data_dir, ec.message()));
  }

  api::AgentInfo info;
  info.name = s.name;
  info.region = s.region;
  info.datacenter = s.datacenter;
  info.version = s.version;
  info.server = s.server;
  info.client = s.client;
  info.config = {{"BindAddr", s.bind_addr},
                 {"DataDir", impl->data_dir},
                 {"LogLevel", s.log_level},
                 {"Ports", {{"HTTP", s.http_port}, {"RPC", s.rpc_port}, {"Serf", s.serf_port}}},
                 {"DevMode", s.dev},
                 {"Server", {{"Enabled", s.server}, {"NumSchedulers", s.num_schedulers}}},
                 {"Client", {{"Enabled", s.client}, {"Servers", s.servers}}}};

  if (s.server) {
    auto store = store::LevelDbStateStore::Open(impl->data_dir + "/server/state");
    if (!store) return store.takeError();
    impl->store = std::move(*store);
    server::ServerConfig config;
    config.region = s.region;
    config.datacenter = s.datacenter;
    config.num_workers = s.num_schedulers;
    config.seed = s.seed;
    if (s.config.server) {
      if (s.config.server->heartbeat_grace)
        config.heartbeat_grace = *s.config.server->heartbeat_grace;
      if (s.config.server->min_heartbeat_ttl) {
        config.min_heartbeat_ttl = *s.config.server->min_heartbeat_ttl;
      }
    }
    impl->server = std::make_unique<server::Server>(config, *impl->store, impl->clock);
    server::AddRpcRoutes(impl->rpc_router, *impl->server);
    http::ServerOptions rpc_options;
    rpc_options.address = s.bind_addr;
    rpc_options.port = static_cast<uint16_t>(s.rpc_port);
    rpc_options.name = "rpc";
    auto rpc = http::HttpServer::Start(rpc_options, impl->rpc_router.AsHandler());
    if (!rpc) return rpc.takeError();
    impl->rpc_http = std::move(*rpc);
    info.rpc_addr = impl->rpc_http->HostPort();
    info.serf_addr = impl->rpc_http->address() + ":" + std::to_string(s.serf_port);
    impl->server->Start();
    impl->api = std::make_unique<api::HttpApi>(*impl->server, info);
    impl->api->AddRoutes(impl->http_router);
  } else {
    // A client-only agent answers health checks; its API proxying arrives with runtime/client.
    impl->http_router.Add(
        "GET", "/v1/agent/health", [](const http::ServerRequest& r, const http::RouteParams&) {
          return http::JsonResponse(r, {{"client", {{"ok", true}, {"message", "ok"}}}});
        });
  }

  std::string configured_http = s.bind_addr + ":" + std::to_string(s.http_port);
  if (s.client) {
    ClientContext context{
        s, s.server ? std::vector<std::string>{impl->rpc_http->HostPort()} : s.servers,
        impl->data_dir + "/client", configured_http};
    std::error_code ec;
    fs::create_directories(context.data_dir, ec);
    ClientFactory factory = client_factory ? client_factory : DefaultClientFactory();
    auto role = factory(context);
    if (!role) return role.takeError();
    impl->client = std::move(*role);
    impl->client->AddRoutes(impl->http_router);
  }

  http::ServerOptions http_options;
  http_options.address = s.bind_addr;
  http_options.port = static_cast<uint16_t>(s.http_port);
  http_options.name = "http";
  auto api_http = http::HttpServer::Start(http_options, impl->http_router.AsHandler());
  if (!api_http) return api_http.takeError();
  impl->api_http = std::move(*api_http);

  if (impl->client) {
    impl->client->SetHttpAddr(impl->api_http->HostPort());
    if (llvm::Error err = impl->client->Start()) return err;
  }
  spdlog::info("agent: started: http={} rpc={} data_dir={}", impl->api_http->HostPort(),
               impl->rpc_http ? impl->rpc_http->HostPort() : "-", impl->data_dir);
  return std::unique_ptr<Agent>(new Agent(std::move(impl)));
}

std::string Agent::Banner() const {
  const AgentSettings& s = impl_->settings;
  std::string http = HttpAddr();
  std::string rpc = RpcAddr().empty() ? s.bind_addr + ":" + std::to_string(s.rpc_port) : RpcAddr();
  std::string serf = s.bind_addr + ":" + std::to_string(s.serf_port);
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Advertise Addrs", fmt::format("HTTP: {}; RPC: {}; Serf: {}", http, rpc, serf)},
      {"Bind Addrs", fmt::format("HTTP: [{}]; RPC: {}; Serf: {}", http, rpc, serf)},
      {"Client", s.client ? "true" : "false"},
      {"Log Level", s.log_level},
      {"Region", fmt::format("{} (DC: {})", s.region, s.datacenter)},
      {"Server", s.server ? "true" : "false"},
      {"Version", s.version},
  };
  std::string out = "==> drover agent configuration:\n\n";
  for (const auto& [key, value] : rows) {
    out += std::string(22 - key.size(), ' ') + key + ": " + value + "\n";
  }
  out += "\n==> drover agent started! Log data will stream in below:\n";
  return out;
}

}  // namespace drover::agent
