#include "tests/runtime/cli/e2e_agent.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <vector>

#include "reconciler/model/id.h"
#include "reconciler/model/types.h"
#include "runtime/http/http_client.h"
#include "runtime/store/json_read.h"
#include "runtime/store/model_json.h"

namespace drover::cli::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// POST /rpc/<endpoint> on `rpc` ("host:port"); null on failure.
json Rpc(const std::string& rpc, const std::string& endpoint, const json& body,
         std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  size_t colon = rpc.rfind(':');
  http::HttpClient client(
      http::Endpoint::Tcp(rpc.substr(0, colon),
                          static_cast<uint16_t>(std::stoi(rpc.substr(colon + 1)))),
      {.timeout = timeout});
  auto resp = client.Post("/rpc/" + endpoint, body.dump());
  if (!resp) {
    llvm::consumeError(resp.takeError());
    return json();
  }
  if (!resp->IsSuccess()) return json();
  json parsed = json::parse(resp->body, nullptr, false);
  return parsed.is_discarded() ? json() : parsed;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

bool WaitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (cond()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

json ApiGet(const std::string& address, const std::string& path) {
  auto resp = http::HttpGet(address + path, {.timeout = std::chrono::seconds(5)});
  if (!resp) {
    llvm::consumeError(resp.takeError());
    return json();
  }
  if (!resp->IsSuccess()) return json();
  json parsed = json::parse(resp->body, nullptr, false);
  return parsed.is_discarded() ? json() : parsed;
}

std::unique_ptr<AgentProcess> AgentProcess::Start(Mode mode, std::string* error) {
  std::unique_ptr<AgentProcess> agent(new AgentProcess());
  char tmpl[] = "/tmp/drover-cli-e2e-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    *error = "mkdtemp failed";
    return nullptr;
  }
  agent->dir_ = tmpl;
  const std::string log = agent->dir_ + "/agent.log";
  std::vector<std::string> args = {::drover::testing::DroverExe(), "agent"};
  if (mode == Mode::kDev) {
    // The dev agent's own client offers no drivers, so placements go to the fake client nodes.
    const std::string config = agent->dir_ + "/no-drivers.hcl";
    if (FILE* f = fopen(config.c_str(), "w")) {
      fputs("client {\n  options = {\n    \"driver.denylist\" = \"docker,exec,raw_exec\"\n  }\n}\n",
            f);
      fclose(f);
    }
    args.insert(args.end(), {"-dev", "-config", config});
  } else {
    args.insert(args.end(), {"-server", "-data-dir", agent->dir_ + "/data"});
  }
  // Port 0: the agent binds free ports and prints them in its banner.
  args.insert(args.end(), {"-bind", "127.0.0.1", "-http-port", "0", "-rpc-port", "0"});

  // Everything the child needs is built before fork(): only async-signal-safe calls after it.
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    *error = "fork failed";
    return nullptr;
  }
  if (pid == 0) {
    // The agent must not outlive the test, even if the test crashes.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, STDIN_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  agent->pid_ = pid;

  // "Advertise Addrs: HTTP: 127.0.0.1:33445; RPC: 127.0.0.1:39743; Serf: ..."
  static const std::regex kAddrs(
      R"(Advertise Addrs: HTTP: ([0-9.]+:[0-9]+); RPC: ([0-9.]+:[0-9]+))");
  bool up = WaitFor(
      [&] {
        std::smatch m;
        std::string text = ReadAll(log);
        if (!std::regex_search(text, m, kAddrs)) return false;
        agent->address_ = "http://" + m[1].str();
        agent->rpc_ = m[2].str();
        return ApiGet(agent->address_, "/v1/status/leader").is_string();
      },
      std::chrono::seconds(20));
  if (!up) {
    *error = "agent did not come up within 20 s; its log:\n" + agent->Log();
    return nullptr;  // the destructor stops it
  }
  return agent;
}

AgentProcess::~AgentProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    bool exited =
        WaitFor([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, std::chrono::seconds(10));
    if (!exited) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string AgentProcess::Log() const { return ReadAll(dir_ + "/agent.log"); }

FakeClientNode::FakeClientNode(std::string rpc, std::string name)
    : rpc_(std::move(rpc)), name_(std::move(name)) {}

FakeClientNode::~FakeClientNode() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

bool FakeClientNode::Start(std::string* error) {
  std::random_device rd;
  uint64_t a = (static_cast<uint64_t>(rd()) << 32) | rd();
  uint64_t b = (static_cast<uint64_t>(rd()) << 32) | rd();
  model::Node n;
  n.id = model::Id::FromRandom(a, b);
  n.secret_id = model::Id::FromRandom(b, a).ToString();
  n.name = name_;
  n.datacenter = "dc1";
  n.node_pool = "default";
  n.http_addr = "127.0.0.1:4646";
  n.attributes = {{"kernel.name", "linux"},
                  {"os.name", "linux"},
                  {"cpu.arch", "amd64"},
                  {"unique.hostname", name_},
                  {"unique.network.ip-address", "127.0.0.1"},
                  {"driver.docker", "1"},
                  {"driver.raw_exec", "1"},
                  {"driver.exec", "1"}};
  n.resources.cpu_mhz = 4000;
  n.resources.cpu_cores = 4;
  n.resources.memory_mb = 8192;
  n.resources.disk_mb = 100 * 1024;
  n.resources.networks.push_back(
      model::NodeNetwork{"host", "lo", "127.0.0.1/32", "127.0.0.1", "default", 1000});
  for (const char* d : {"docker", "raw_exec", "exec"}) {
    n.drivers[d] = model::DriverInfo{true, true, "Healthy", {}, 0};
  }
  n.status = model::NodeStatus::kReady;
  n.eligible = true;
  id_ = n.id.ToString();
  secret_ = n.secret_id;
  json answer = Rpc(rpc_, "Node.Register", {{"Node", store::EncodeNode(n)}});
  if (!answer.is_object()) {
    *error = "Node.Register failed";
    return false;
  }
  thread_ = std::thread([this] { Run(); });
  return true;
}

void FakeClientNode::Run() {
  uint64_t index = 0;
  std::map<std::string, uint64_t> seen;
  auto last_heartbeat = std::chrono::steady_clock::now();
  while (!stop_) {
    if (std::chrono::steady_clock::now() - last_heartbeat > std::chrono::seconds(2)) {
      Rpc(rpc_, "Node.UpdateStatus", {{"NodeID", id_}, {"SecretID", secret_}, {"Status", "ready"}});
      last_heartbeat = std::chrono::steady_clock::now();
    }
    json changes = Rpc(rpc_, "Node.GetClientAllocs",
                       {{"NodeID", id_},
                        {"SecretID", secret_},
                        {"MinQueryIndex", index},
                        {"MaxQueryTime", int64_t{200'000'000}}});
    if (!changes.is_object()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    index = changes.value("Index", index);
    std::vector<std::string> changed;
    if (changes["Allocs"].is_object()) {
      for (auto it = changes["Allocs"].begin(); it != changes["Allocs"].end(); ++it) {
        uint64_t modify = it.value().get<uint64_t>();
        if (seen[it.key()] != modify) changed.push_back(it.key());
        seen[it.key()] = modify;
      }
    }
    if (changed.empty()) continue;
    json allocs = Rpc(rpc_, "Alloc.GetAllocs", {{"AllocIDs", changed}});
    json updates = json::array();
    const int64_t now = NowNs();
    for (const json& alloc : allocs.value("Allocs", json::array())) {
      std::string desired = alloc.value("DesiredStatus", "");
      std::string client = alloc.value("ClientStatus", "");
      std::vector<std::string> tasks;
      for (const json& g : alloc["Job"].value("TaskGroups", json::array())) {
        if (g.value("Name", "") != alloc.value("TaskGroup", "")) continue;
        for (const json& t : g.value("Tasks", json::array())) tasks.push_back(t.value("Name", ""));
      }
      if (desired == "run" && client == "pending") {
        json states = json::object();
        for (const std::string& t : tasks) {
          states[t] = {{"State", "running"},
                       {"Failed", false},
                       {"Restarts", 0},
                       {"StartedAt", store::FormatTime(now)},
                       {"Events",
                        {{{"Type", "Received"},
                          {"Time", now},
                          {"DisplayMessage", "Task received by client"}},
                         {{"Type", "Started"},
                          {"Time", now},
                          {"DisplayMessage", "Task started by client"}}}}};
        }
        updates.push_back(
            {{"ID", alloc["ID"]},
             {"ClientStatus", "running"},
             {"TaskStates", states},
             {"DeploymentStatus", {{"Healthy", true}, {"Timestamp", store::FormatTime(now)}}}});
        ++running_reports_;
      } else if (desired != "run" && client != "complete" && client != "failed" &&
                 client != "lost") {
        json states = json::object();
        for (const std::string& t : tasks) {
          states[t] = {
              {"State", "dead"}, {"Failed", false}, {"FinishedAt", store::FormatTime(now)}};
        }
        updates.push_back(
            {{"ID", alloc["ID"]}, {"ClientStatus", "complete"}, {"TaskStates", states}});
      }
    }
    if (!updates.empty()) {
      Rpc(rpc_, "Node.UpdateAlloc", {{"NodeID", id_}, {"SecretID", secret_}, {"Alloc", updates}});
    }
  }
}

::drover::testing::CommandResult Drover(const std::string& address, const std::string& args,
                                        const std::string& cwd) {
  std::string cmd;
  if (!cwd.empty()) cmd += "cd " + ShellQuote(cwd) + " && ";
  cmd += "DROVER_ADDR=" + ShellQuote(address) + " TZ=UTC NOMAD_CLI_NO_COLOR=1 " +
         ShellQuote(::drover::testing::DroverExe()) + " " + args;
  return ::drover::testing::RunCommand(cmd);
}

}  // namespace drover::cli::testing
