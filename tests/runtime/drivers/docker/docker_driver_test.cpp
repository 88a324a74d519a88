// The docker driver against the real dockerd (label `docker`; every test skips when the daemon is
// unreachable). Uses the demo images from stdlib_jobs/images/build, which the suite builds first
// (a no-op when they are current). Each test removes the containers it started.
#include "runtime/drivers/docker/docker_driver.h"

#include <signal.h>

#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "runtime/http/http_client.h"
#include "tests/runtime/drivers/driver_test_util.h"
#include "tests/support/test_paths.h"

namespace drover::drivers {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using testing::ErrorText;
using testing::FreePort;
using testing::MakeTaskConfig;
using testing::ScratchDir;
using testing::StderrOf;
using testing::StdoutOf;
using testing::WaitExit;
namespace fs = std::filesystem;

constexpr char kImage[] = "thedojoseries/frontend:latest";
constexpr char kImage2[] = "thedojoseries/frontend:2.0";

// The daemon the driver talks to by default ($DOCKER_HOST or /var/run/docker.sock).
http::HttpClient Docker() {
  return http::HttpClient(DockerDriver::DefaultEndpoint(), {5s, 64u << 20});
}

json InspectContainer(const std::string& id) {
  llvm::Expected<http::Response> r = Docker().Get("/v1.41/containers/" + id + "/json");
  if (!r) {
    ADD_FAILURE() << llvm::toString(r.takeError());
    return nullptr;
  }
  if (r->status == 404) return nullptr;
  return json::parse(r->body);
}

bool WaitForOutput(const TaskConfig& c, const std::string& text) {
  for (int i = 0; i < 500; ++i) {
    if (StdoutOf(c).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// GET through the published port until the server inside answers (it starts asynchronously).
llvm::Expected<http::Response> GetWhenUp(const std::string& url) {
  for (int i = 0;; ++i) {
    llvm::Expected<http::Response> r = http::HttpGet(url, {1s, 1u << 20});
    if ((r && r->status == 200) || i == 100) return r;
    if (!r) llvm::consumeError(r.takeError());
    std::this_thread::sleep_for(50ms);
  }
}

class DockerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    llvm::Expected<http::Response> ping = Docker().Get("/_ping");
    if (!ping || ping->status != 200) {
      skip_reason_ = "dockerd is not reachable at " + DockerDriver::DefaultEndpoint().ToString();
      if (!ping) skip_reason_ += ": " + llvm::toString(ping.takeError());
      return;
    }
    auto built =
        drover::testing::RunCommand(drover::testing::SourceDir() + "/stdlib_jobs/images/build");
    build_error_ = built.exit_code == 0 ? "" : built.out + built.err;
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_EQ(build_error_, "") << "stdlib_jobs/images/build failed";
    DriverContext ctx;
    ctx.emit_event = [this](const TaskEvent& e) {
      std::lock_guard lock(events_mu_);
      events_.push_back(e.message +
                        (e.annotations.count("image") ? " " + e.annotations.at("image") : ""));
    };
    driver_ = std::make_unique<DockerDriver>(ctx);
  }

  void TearDown() override {
    for (const std::string& id : started_) {
      if (!driver_) break;
      llvm::Error e = driver_->DestroyTask(id, /*force=*/true);
      if (e) ADD_FAILURE() << ErrorText(std::move(e));
    }
    driver_.reset();
  }

  llvm::Expected<TaskHandle> Start(const TaskConfig& c) {
    llvm::Expected<TaskHandle> h = driver_->StartTask(c);
    if (h) started_.push_back(c.id);
    return h;
  }

  TaskConfig ShellTask(const std::string& name, const std::string& script) {
    return MakeTaskConfig(dir_.path(), name,
                          {{"image", kImage}, {"command", "/bin/sh"}, {"args", {"-c", script}}});
  }

  static std::string skip_reason_;
  static std::string build_error_;
  ScratchDir dir_;
  std::unique_ptr<DockerDriver> driver_;
  std::vector<std::string> started_;
  std::mutex events_mu_;
  std::vector<std::string> events_;
};

std::string DockerTest::skip_reason_;
std::string DockerTest::build_error_;

TEST(DockerFingerprintTest, UnreachableDaemonIsUndetectedNotAnError) {
  DockerDriver d{DriverContext{}};
  std::string sock = "/tmp/drover-no-docker-" + std::to_string(getpid()) + ".sock";
  llvm::Error e = d.SetConfig({{"endpoint", "unix://" + sock}});
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  DriverFingerprint fp = d.Fingerprint();
  EXPECT_FALSE(fp.detected);
  EXPECT_FALSE(fp.healthy);
  EXPECT_EQ(fp.health_description, "Failed to connect to docker daemon: cannot connect to unix://" +
                                       sock + ": No such file or directory");
  ScratchDir dir;
  llvm::Expected<TaskHandle> h =
      d.StartTask(MakeTaskConfig(dir.path(), "t", {{"image", "busybox"}}));
  ASSERT_FALSE(static_cast<bool>(h));
  ErrorSummary s = SummarizeError(h.takeError());
  EXPECT_TRUE(s.recoverable);
  EXPECT_NE(s.message.find("Failed to connect to docker daemon"), std::string::npos) << s.message;
}

TEST_F(DockerTest, Fingerprint) {
  DriverFingerprint fp = driver_->Fingerprint();
  EXPECT_TRUE(fp.detected);
  EXPECT_TRUE(fp.healthy);
  json version = json::parse(Docker().Get("/v1.41/version")->body);
  EXPECT_EQ(fp.attributes.at("driver.docker"), "1");
  EXPECT_EQ(fp.attributes.at("driver.docker.version"), version["Version"]);
  EXPECT_EQ(fp.attributes.at("driver.docker.os_type"), "linux");
}

TEST_F(DockerTest, ExitCodeEnvArgsLabelsAndLimits) {
  TaskConfig c = ShellTask("envtask", "echo \"$GREETING $0\"; echo to-stderr >&2; exit 3");
  c.config["args"].push_back("arg0");
  c.env["GREETING"] = "hello";
  c.resources = {300, 48, 0};
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  std::string id = h->driver_state["container_id"];
  ExitResult r = WaitExit(*driver_, c.id);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.oom_killed);
  EXPECT_EQ(StdoutOf(c), "hello arg0\n");
  EXPECT_EQ(StderrOf(c), "to-stderr\n");

  json info = InspectContainer(id);
  ASSERT_TRUE(info.is_object());
  EXPECT_EQ(info["Name"], "/envtask-" + c.alloc_id);
  EXPECT_EQ(info["Config"]["Labels"]["drover.alloc_id"], c.alloc_id);
  EXPECT_EQ(info["Config"]["Labels"]["drover.task_name"], "envtask");
  EXPECT_EQ(info["Config"]["Labels"]["drover.job_name"], "drover-test");
  EXPECT_EQ(info["HostConfig"]["Memory"], 48 << 20);
  EXPECT_EQ(info["HostConfig"]["CpuShares"], 300);
  std::vector<std::string> env = info["Config"]["Env"];
  EXPECT_NE(std::find(env.begin(), env.end(), "GREETING=hello"), env.end());
  // The allocation's shared directory is mounted at /alloc, as Nomad does.
  bool alloc_mounted = false;
  for (const json& m : info["Mounts"]) alloc_mounted |= m["Destination"] == "/alloc";
  EXPECT_TRUE(alloc_mounted);

  llvm::Expected<TaskStatus> s = driver_->InspectTask(c.id);
  ASSERT_TRUE(static_cast<bool>(s)) << ErrorText(s.takeError());
  EXPECT_EQ(s->state, TaskState::kExited);
  EXPECT_EQ(s->driver_attributes.at("container_id"), id);

  llvm::Error e = driver_->DestroyTask(c.id, /*force=*/false);
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  started_.clear();
  EXPECT_TRUE(InspectContainer(id).is_null()) << "container was not removed";
}

TEST_F(DockerTest, PublishesPortsAndServesThePage) {
  int port = FreePort("127.0.0.2");
  TaskConfig c = MakeTaskConfig(dir_.path(), "frontend", {{"image", kImage}, {"ports", {"http"}}});
  c.env["PORT"] = std::to_string(port);
  c.ports = {{"http", "127.0.0.2", port, 0}};
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());

  json info = InspectContainer(h->driver_state["container_id"]);
  ASSERT_TRUE(info.is_object());
  for (const char* proto : {"tcp", "udp"}) {
    const json& b = info["HostConfig"]["PortBindings"][std::to_string(port) + "/" + proto];
    ASSERT_EQ(b.size(), 1u) << proto;
    EXPECT_EQ(b[0]["HostIp"], "127.0.0.2");
    EXPECT_EQ(b[0]["HostPort"], std::to_string(port));
  }
  // `docker ps` shows 127.0.0.2:<port>-><port>/tcp: the same binding, read back from the daemon.
  llvm::Expected<http::Response> ps = Docker().Get(
      "/v1.41/containers/json?filters=" + std::string("%7B%22label%22%3A%5B%22drover.alloc_id%3D") +
      c.alloc_id + "%22%5D%7D");
  ASSERT_TRUE(static_cast<bool>(ps)) << llvm::toString(ps.takeError());
  json listed = json::parse(ps->body);
  ASSERT_EQ(listed.size(), 1u);
  bool seen = false;
  for (const json& p : listed[0]["Ports"]) {
    seen |= p.value("IP", "") == "127.0.0.2" && p.value("PublicPort", 0) == port &&
            p.value("PrivatePort", 0) == port && p.value("Type", "") == "tcp";
  }
  EXPECT_TRUE(seen) << listed[0]["Ports"].dump();

  llvm::Expected<http::Response> page = GetWhenUp(fmt::format("http://127.0.0.2:{}/", port));
  ASSERT_TRUE(static_cast<bool>(page)) << llvm::toString(page.takeError());
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<title>frontend</title>"), std::string::npos);
  EXPECT_EQ(page->body.find("This is Version 2"), std::string::npos);

  llvm::Error e = driver_->StopTask(c.id, 1s, "");
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  // httpd -v logs each request on stderr, streamed into the allocation's log files.
  EXPECT_NE(StderrOf(c).find("response:200"), std::string::npos) << StderrOf(c);
}

TEST_F(DockerTest, PortToMapsToTheContainerPortOfVersion2) {
  int port = FreePort("127.0.0.2");
  TaskConfig c = MakeTaskConfig(dir_.path(), "frontend", {{"image", kImage2}});
  c.ports = {{"http", "127.0.0.2", port, 8080}};  // `to = 8080`: the image's default port
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  json info = InspectContainer(h->driver_state["container_id"]);
  ASSERT_TRUE(info.is_object());
  EXPECT_EQ(info["HostConfig"]["PortBindings"]["8080/tcp"][0]["HostPort"], std::to_string(port));
  llvm::Expected<http::Response> page = GetWhenUp(fmt::format("http://127.0.0.2:{}/", port));
  ASSERT_TRUE(static_cast<bool>(page)) << llvm::toString(page.takeError());
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<body>\n  <h1 class=\"version\">This is Version 2</h1>"),
            std::string::npos)
      << page->body;
}

TEST_F(DockerTest, StopSendsTheSignalThenKillsAfterTheTimeout) {
  TaskConfig polite = ShellTask("polite",
                                "trap 'echo got TERM; exit 5' TERM; echo ready; "
                                "while :; do sleep 0.05; done");
  TaskConfig stubborn = ShellTask("stubborn", "trap '' TERM INT; echo ready; sleep 60");
  llvm::Expected<TaskHandle> a = Start(polite);
  ASSERT_TRUE(static_cast<bool>(a)) << ErrorText(a.takeError());
  llvm::Expected<TaskHandle> b = Start(stubborn);
  ASSERT_TRUE(static_cast<bool>(b)) << ErrorText(b.takeError());
  ASSERT_TRUE(WaitForOutput(polite, "ready"));
  ASSERT_TRUE(WaitForOutput(stubborn, "ready"));

  llvm::Error e = driver_->StopTask(polite.id, 5s, "");  // docker's default: SIGTERM
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  EXPECT_EQ(WaitExit(*driver_, polite.id).exit_code, 5);
  EXPECT_EQ(StdoutOf(polite), "ready\ngot TERM\n");

  e = driver_->StopTask(stubborn.id, 300ms, "SIGINT");
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  EXPECT_EQ(WaitExit(*driver_, stubborn.id).exit_code, 128 + SIGKILL);
}

TEST_F(DockerTest, PullFailureIsAClearRecoverableError) {
  TaskConfig c =
      MakeTaskConfig(dir_.path(), "missing", {{"image", "thedojoseries/drover-no-such-image:1"}});
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_FALSE(static_cast<bool>(h));
  ErrorSummary s = SummarizeError(h.takeError());
  EXPECT_TRUE(s.message.starts_with("Failed to pull `thedojoseries/drover-no-such-image:1`: "))
      << s.message;
  EXPECT_GT(s.message.size(),
            std::string("Failed to pull `thedojoseries/drover-no-such-image:1`: ").size());
  EXPECT_TRUE(s.recoverable);
  std::lock_guard lock(events_mu_);
  EXPECT_EQ(events_,
            std::vector<std::string>{"Downloading image thedojoseries/drover-no-such-image:1"});
}

TEST_F(DockerTest, RecoverReattachesAndResumesLogsWithoutDuplicates) {
  TaskConfig c = ShellTask("counter",
                           "trap 'exit 0' TERM; i=0; while :; do echo line $i; "
                           "i=$((i+1)); sleep 0.02; done");
  json stored;
  std::string container;
  {
    llvm::Expected<TaskHandle> h = Start(c);
    ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
    ASSERT_TRUE(WaitForOutput(c, "line 5\n"));
    stored = h->ToJson();
    container = h->driver_state["container_id"];
    driver_ = std::make_unique<DockerDriver>(DriverContext{});  // the agent restarts
  }
  std::this_thread::sleep_for(300ms);  // lines written while nobody follows the stream
  json info = InspectContainer(container);
  ASSERT_TRUE(info.is_object());
  EXPECT_TRUE(info["State"]["Running"].get<bool>());

  llvm::Error e = driver_->RecoverTask(*TaskHandle::FromJson(stored));
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  llvm::Expected<TaskStatus> s = driver_->InspectTask(c.id);
  ASSERT_TRUE(static_cast<bool>(s)) << ErrorText(s.takeError());
  EXPECT_EQ(s->driver_attributes.at("container_id"), container);
  EXPECT_EQ(s->state, TaskState::kRunning);
  std::string before = StdoutOf(c);
  int seen_before = static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  ASSERT_TRUE(WaitForOutput(c, fmt::format("line {}\n", seen_before + 20)));
  e = driver_->StopTask(c.id, 5s, "");
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  EXPECT_EQ(WaitExit(*driver_, c.id).exit_code, 0);

  // Every line exactly once, in order: nothing lost across the restart, nothing repeated.
  std::istringstream out(StdoutOf(c));
  std::string line;
  int expected = 0;
  while (std::getline(out, line)) {
    ASSERT_EQ(line, fmt::format("line {}", expected)) << "after " << expected << " lines";
    ++expected;
  }
  EXPECT_GT(expected, seen_before + 20);
}

TEST_F(DockerTest, LogsRotateBySize) {
  TaskConfig c = ShellTask("bulk", "head -c 2621440 /dev/zero | tr '\\0' a; echo END");
  c.logs.max_file_size_mb = 1;
  c.logs.max_files = 2;
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  EXPECT_EQ(WaitExit(*driver_, c.id).exit_code, 0);
  EXPECT_FALSE(fs::exists(c.logs.dir + "/bulk.stdout.0"));
  // Compared as booleans: a mismatch would otherwise print megabytes.
  std::string one = StdoutOf(c, 1), two = StdoutOf(c, 2);
  EXPECT_EQ(one.size(), 1u << 20);
  EXPECT_TRUE(one == std::string(1 << 20, 'a'));
  EXPECT_EQ(two.size(), 2621440u - (2u << 20) + 4);
  EXPECT_TRUE(two == std::string(2621440 - (2 << 20), 'a') + "END\n");
  EXPECT_FALSE(fs::exists(c.logs.dir + "/bulk.stdout.3"));
}

TEST_F(DockerTest, MemoryLimitOomKills) {
  TaskConfig c = ShellTask("hog", "exec tail /dev/zero");
  c.resources.memory_mb = 16;
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  ExitResult r = WaitExit(*driver_, c.id);
  EXPECT_TRUE(r.oom_killed);
  EXPECT_EQ(r.exit_code, 137);
}

TEST_F(DockerTest, HostNetworkModeHasNoPortBindings) {
  TaskConfig c = MakeTaskConfig(dir_.path(), "hostnet",
                                {{"image", kImage}, {"network_mode", "host"}, {"command", "true"}});
  c.ports = {{"http", "127.0.0.2", FreePort("127.0.0.2"), 0}};
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  EXPECT_EQ(WaitExit(*driver_, c.id).exit_code, 0);
  json info = InspectContainer(h->driver_state["container_id"]);
  ASSERT_TRUE(info.is_object());
  EXPECT_EQ(info["HostConfig"]["NetworkMode"], "host");
  EXPECT_TRUE(info["HostConfig"]["PortBindings"].is_null() ||
              info["HostConfig"]["PortBindings"].empty());
}

TEST_F(DockerTest, DestroyOfARunningTaskNeedsForce) {
  TaskConfig c = ShellTask("longrun", "echo ready; sleep 60");
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  std::string id = h->driver_state["container_id"];
  EXPECT_EQ(ErrorText(driver_->DestroyTask(c.id, false)),
            "docker: cannot destroy task `" + c.id + "`: it is still running");
  llvm::Error e = driver_->DestroyTask(c.id, true);
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  started_.clear();
  EXPECT_TRUE(InspectContainer(id).is_null());
}

TEST_F(DockerTest, BadTaskConfigIsRejectedBeforeAnythingIsCreated) {
  auto err = [&](json config, std::vector<PortMapping> ports = {}) {
    TaskConfig c = MakeTaskConfig(dir_.path(), "bad", std::move(config));
    c.ports = std::move(ports);
    return ErrorText(driver_->StartTask(c).takeError());
  };
  EXPECT_EQ(err({{"command", "x"}}), "docker: config option `image` is required");
  EXPECT_EQ(err({{"image", kImage}, {"imagee", 1}}), "docker: unsupported config option `imagee`");
  EXPECT_EQ(err({{"image", kImage}, {"ports", {"web"}}}),
            "docker: port `web` is not defined by the task's network");
  EXPECT_EQ(err({{"image", kImage}, {"args", "x"}}), "docker: `args` must be a list of strings");
  EXPECT_EQ(err({{"image", kImage}, {"privileged", true}}),
            "docker: privileged containers are not allowed on this node (plugin \"docker\" { "
            "config { allow_privileged = true } })");
  EXPECT_EQ(err({{"image", kImage}, {"volumes", {"/etc:/host-etc"}}}),
            "docker: volumes are not enabled on this node (plugin \"docker\" { config { volumes { "
            "enabled = true } } })");
}

}  // namespace
}  // namespace drover::drivers
