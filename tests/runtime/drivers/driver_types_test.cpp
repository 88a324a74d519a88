// Unit tests of the parts of runtime/drivers that need neither dockerd nor root: the JSON forms the
// client stores, signals, the registry, log rotation, Docker's log framing, and cgroup layouts
// (detected from synthetic mount tables, written into a scratch tree for v1 and v2).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "runtime/drivers/docker/docker_driver.h"
#include "runtime/drivers/docker/log_demux.h"
#include "runtime/drivers/driver.h"
#include "runtime/drivers/executor/cgroup.h"
#include "runtime/drivers/log_rotator.h"
#include "runtime/drivers/registry.h"
#include "tests/runtime/drivers/driver_test_util.h"

namespace drover::drivers {
namespace {

using json = nlohmann::json;
using testing::ErrorText;
using testing::ScratchDir;
using testing::Slurp;
namespace fs = std::filesystem;

void WriteText(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

TEST(TaskConfigTest, JsonRoundTrip) {
  TaskConfig c;
  c.id = "a1/web/0000beef";
  c.alloc_id = "a1";
  c.job_name = "frontend";
  c.group_name = "frontend";
  c.task_name = "web";
  c.config = {{"image", "thedojoseries/frontend"}, {"ports", {"http"}}};
  c.env = {{"PORT", "24195"}, {"NOMAD_PORT_http", "24195"}};
  c.user = "nobody";
  c.resources = {200, 128, 256};
  c.ports = {{"http", "127.0.0.2", 24195, 0}, {"admin", "127.0.0.2", 24196, 9000}};
  c.kill_signal = "SIGTERM";
  c.kill_timeout = std::chrono::milliseconds(2500);
  c.alloc_dir = "/data/alloc/a1";
  c.task_dir = "/data/alloc/a1/web";
  c.logs = {"/data/alloc/a1/alloc/logs", 3, 2};

  llvm::Expected<TaskConfig> back = TaskConfig::FromJson(json::parse(c.ToJson().dump()));
  ASSERT_TRUE(static_cast<bool>(back)) << ErrorText(back.takeError());
  EXPECT_EQ(back->ToJson(), c.ToJson());
  EXPECT_EQ(back->ports[1].ContainerPort(), 9000);
  EXPECT_EQ(back->ports[0].ContainerPort(), 24195);
  EXPECT_EQ(back->kill_timeout.count(), 2500);
  EXPECT_EQ(back->SharedAllocDir(), "/data/alloc/a1/alloc");
}

TEST(TaskHandleTest, JsonRoundTripAndErrors) {
  TaskHandle h;
  h.driver = "exec";
  h.config.id = "a/t/1";
  h.config.task_name = "t";
  h.state = TaskState::kRunning;
  h.started_at = SystemTime(std::chrono::nanoseconds(1'700'000'000'123'456'789));
  h.driver_state = {{"executor_pid", 42}, {"executor_start", 99}};
  llvm::Expected<TaskHandle> back = TaskHandle::FromJson(json::parse(h.ToJson().dump()));
  ASSERT_TRUE(static_cast<bool>(back)) << ErrorText(back.takeError());
  EXPECT_EQ(back->driver, "exec");
  EXPECT_EQ(back->state, TaskState::kRunning);
  EXPECT_EQ(back->started_at, h.started_at);
  EXPECT_EQ(back->driver_state, h.driver_state);
  EXPECT_EQ(back->ToJson(), h.ToJson());

  EXPECT_EQ(ErrorText(TaskHandle::FromJson(json::array()).takeError()),
            "invalid task handle: not a JSON object");
  json wrong_version = h.ToJson();
  wrong_version["version"] = 7;
  EXPECT_EQ(ErrorText(TaskHandle::FromJson(wrong_version).takeError()),
            "unsupported task handle version 7");
  json no_driver = h.ToJson();
  no_driver.erase("driver");
  EXPECT_NE(ErrorText(TaskHandle::FromJson(no_driver).takeError()).find("invalid task handle"),
            std::string::npos);
}

TEST(ExitResultTest, Successful) {
  EXPECT_TRUE(ExitResult{}.Successful());
  EXPECT_FALSE((ExitResult{1, 0, false, ""}.Successful()));
  EXPECT_FALSE((ExitResult{137, 9, false, ""}.Successful()));
  EXPECT_FALSE((ExitResult{0, 0, false, "lost"}.Successful()));
  ExitResult r{137, 9, true, ""};
  EXPECT_EQ(ExitResult::FromJson(r.ToJson()), r);
}

TEST(SignalTest, NamesAndNumbers) {
  EXPECT_EQ(ParseSignal("SIGINT"), 2);
  EXPECT_EQ(ParseSignal("INT"), 2);
  EXPECT_EQ(ParseSignal("sigterm"), 15);
  EXPECT_EQ(ParseSignal("9"), 9);
  EXPECT_EQ(ParseSignal("SIGUSR1"), 10);
  EXPECT_EQ(ParseSignal("SIGNOPE"), std::nullopt);
  EXPECT_EQ(ParseSignal(""), std::nullopt);
  EXPECT_EQ(ParseSignal("99"), std::nullopt);
  EXPECT_EQ(SignalName(15), "SIGTERM");
  EXPECT_EQ(SignalName(64), "SIG64");
}

TEST(DriverErrorTest, SummaryKeepsRecoverability) {
  ErrorSummary a = SummarizeError(MakeDriverError("daemon down", true));
  EXPECT_EQ(a.message, "daemon down");
  EXPECT_TRUE(a.recoverable);
  ErrorSummary b = SummarizeError(MakeDriverError("bad config"));
  EXPECT_FALSE(b.recoverable);
  ErrorSummary c = SummarizeError(llvm::createStringError(std::errc::io_error, "plain error"));
  EXPECT_EQ(c.message, "plain error");
  EXPECT_FALSE(c.recoverable);
}

TEST(ConfigBlockTest, ObjectsAndHclJsonArrays) {
  json cfg = {
      {"volumes", json::array({{{"enabled", true}}})}, {"gc", {{"container", false}}}, {"bad", 3}};
  auto v = ConfigBlock(cfg, "volumes", "docker");
  ASSERT_TRUE(static_cast<bool>(v));
  EXPECT_EQ((**v)["enabled"], true);
  auto g = ConfigBlock(cfg, "gc", "docker");
  ASSERT_TRUE(static_cast<bool>(g));
  EXPECT_EQ((**g)["container"], false);
  auto missing = ConfigBlock(cfg, "nope", "docker");
  ASSERT_TRUE(static_cast<bool>(missing));
  EXPECT_EQ(*missing, nullptr);
  EXPECT_EQ(ErrorText(ConfigBlock(cfg, "bad", "docker").takeError()),
            "docker: `bad` must be a block");
}

TEST(RegistryTest, BuiltinDriversAndPluginConfig) {
  DriverRegistry registry;
  RegisterBuiltinDrivers(registry);
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"docker", "exec", "raw_exec"}));
  EXPECT_TRUE(registry.Has("exec"));
  EXPECT_FALSE(registry.Has("java"));

  EXPECT_EQ(ErrorText(registry.Create("dokcer", DriverContext{}).takeError()),
            "unknown driver `dokcer`; did you mean `docker`?");
  EXPECT_EQ(
      ErrorText(registry.Create("raw_exec", DriverContext{}, {{"enabled", "yes"}}).takeError()),
      "raw_exec: `enabled` must be a bool");
  EXPECT_EQ(ErrorText(registry.Create("raw_exec", DriverContext{}, {{"enable", true}}).takeError()),
            "raw_exec: unknown plugin option `enable`");
  EXPECT_EQ(
      ErrorText(registry.Create("docker", DriverContext{}, {{"endpoint", "ftp://x"}}).takeError()),
      "docker: invalid address `ftp://x`: expected unix:///path, tcp://host:port or "
      "http://host:port");
  EXPECT_EQ(ErrorText(registry
                          .Create("docker", DriverContext{},
                                  {{"volumes", {{{"enabled", true}, {"extra", 1}}}}})
                          .takeError()),
            "docker: unknown option `volumes.extra`");
  EXPECT_EQ(
      ErrorText(registry.Create("exec", DriverContext{}, {{"chroot_env", {"usr"}}}).takeError()),
      "exec: `chroot_env` entries must be absolute paths");

  llvm::Expected<std::unique_ptr<Driver>> raw =
      registry.Create("raw_exec", DriverContext{}, json::parse(R"({"enabled": true})"));
  ASSERT_TRUE(static_cast<bool>(raw)) << ErrorText(raw.takeError());
  EXPECT_EQ((*raw)->Name(), "raw_exec");
  EXPECT_TRUE((*raw)->Fingerprint().detected);
}

TEST(DockerNamesTest, ContainerNameAndImage) {
  TaskConfig c;
  c.task_name = "frontend";
  c.alloc_id = "afcad319-a9ba-e4a5-0f06-df0f7adf54f8";
  EXPECT_EQ(DockerDriver::ContainerName(c), "frontend-afcad319-a9ba-e4a5-0f06-df0f7adf54f8");
  EXPECT_EQ(DockerDriver::NormalizeImage("thedojoseries/frontend"),
            "thedojoseries/frontend:latest");
  EXPECT_EQ(DockerDriver::NormalizeImage("thedojoseries/frontend:2.0"),
            "thedojoseries/frontend:2.0");
  EXPECT_EQ(DockerDriver::NormalizeImage("localhost:5000/app"), "localhost:5000/app:latest");
  EXPECT_EQ(DockerDriver::NormalizeImage("redis@sha256:abc"), "redis@sha256:abc");
}

TEST(LogRotatorTest, RotatesAtTheSizeLimitAndKeepsMaxFiles) {
  ScratchDir dir;
  auto r = LogRotator::Open(dir.path(), "web.stdout", 2, 10);
  ASSERT_TRUE(static_cast<bool>(r)) << ErrorText(r.takeError());
  ASSERT_FALSE(static_cast<bool>((*r)->Write("0123456789abcdefghij0123")));
  // 24 bytes at 10 per file: .0 and .1 full, .2 holds 4; only the newest 2 files are kept.
  EXPECT_EQ((*r)->current_index(), 2);
  EXPECT_FALSE(fs::exists(dir.path() + "/web.stdout.0"));
  EXPECT_EQ(Slurp(dir.path() + "/web.stdout.1"), "abcdefghij");
  EXPECT_EQ(Slurp(dir.path() + "/web.stdout.2"), "0123");
  ASSERT_FALSE(static_cast<bool>((*r)->Write("456789XY")));
  EXPECT_EQ(Slurp(dir.path() + "/web.stdout.2"), "0123456789");
  EXPECT_EQ(Slurp(dir.path() + "/web.stdout.3"), "XY");
  EXPECT_FALSE(fs::exists(dir.path() + "/web.stdout.1"));
}

TEST(LogRotatorTest, ReopenContinuesAfterTheHighestIndex) {
  ScratchDir dir;
  {
    auto r = LogRotator::Open(dir.path(), "t.stderr", 5, 4);
    ASSERT_TRUE(static_cast<bool>(r));
    ASSERT_FALSE(static_cast<bool>((*r)->Write("abcdef")));  // .0 = abcd, .1 = ef
  }
  WriteText(dir.path() + "/t.stdout.9", "other stream");  // another base name: ignored
  auto again = LogRotator::Open(dir.path(), "t.stderr", 5, 4);
  ASSERT_TRUE(static_cast<bool>(again));
  EXPECT_EQ((*again)->current_index(), 1);
  ASSERT_FALSE(static_cast<bool>((*again)->Write("gh")));
  EXPECT_EQ(Slurp(dir.path() + "/t.stderr.1"), "efgh");
  ASSERT_FALSE(static_cast<bool>((*again)->Write("i")));
  EXPECT_EQ(Slurp(dir.path() + "/t.stderr.2"), "i");
  EXPECT_EQ(Slurp(dir.path() + "/t.stdout.9"), "other stream");
}

std::string Frame(int stream, std::string_view payload) {
  std::string f(8, '\0');
  f[0] = static_cast<char>(stream);
  uint32_t n = static_cast<uint32_t>(payload.size());
  f[4] = static_cast<char>(n >> 24);
  f[5] = static_cast<char>(n >> 16);
  f[6] = static_cast<char>(n >> 8);
  f[7] = static_cast<char>(n);
  return f + std::string(payload);
}

TEST(DockerLogDemuxerTest, FramesSplitAnywhere) {
  std::string wire = Frame(1, "hello\n") + Frame(2, "oops\n") + Frame(1, std::string(300, 'x'));
  for (size_t step : {1u, 3u, 7u, 1000u}) {
    std::string out, err;
    DockerLogDemuxer d([&](int stream, std::string_view p) { (stream == 2 ? err : out) += p; });
    for (size_t i = 0; i < wire.size(); i += step) d.Feed(std::string_view(wire).substr(i, step));
    EXPECT_EQ(out, "hello\n" + std::string(300, 'x')) << "step " << step;
    EXPECT_EQ(err, "oops\n") << "step " << step;
    EXPECT_EQ(d.pending(), 0u);
  }
}

TEST(DockerLogDemuxerTest, Timestamps) {
  std::optional<int64_t> t = ParseDockerTimestamp("2026-11-29T02:07:58.123456789Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, 1'795'918'078'123'456'789);
  EXPECT_EQ(DockerSince(*t), "1795918078.123456789");
  EXPECT_EQ(ParseDockerTimestamp("2026-11-29T02:07:58Z"), 1'795'918'078'000'000'000);
  EXPECT_EQ(ParseDockerTimestamp("2026-11-29 02:07:58Z"), std::nullopt);
  // The daemon writes UTC with upper-case letters and at most nine fraction digits; other RFC 3339
  // spellings are not its timestamps.
  EXPECT_EQ(ParseDockerTimestamp("2026-11-29t02:07:58Z"), std::nullopt);
  EXPECT_EQ(ParseDockerTimestamp("2026-11-29T02:07:58z"), std::nullopt);
  EXPECT_EQ(ParseDockerTimestamp("2026-11-29T03:07:58+01:00"), std::nullopt);
  EXPECT_EQ(ParseDockerTimestamp("2026-11-29T02:07:58.1234567891Z"), std::nullopt);
  EXPECT_EQ(ParseDockerTimestamp("2026-11-29T02:07:58.Z"), std::nullopt);
  std::optional<TimestampedLine> line =
      SplitTimestamp("2026-11-29T02:07:58.000000001Z hello world\n");
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->nanos, 1'795'918'078'000'000'001);
  EXPECT_EQ(line->message, "hello world\n");
  EXPECT_FALSE(SplitTimestamp("no timestamp here").has_value());
}

TEST(CgroupTest, DetectsV1HierarchiesAndOwnPosition) {
  ScratchDir dir;
  WriteText(dir.path() + "/mountinfo",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n");
  WriteText(dir.path() + "/cgroup", "4:memory:/agent/abc\n1:cpu:/\n0::/\n");
  CgroupLayout l = DetectCgroups(dir.path() + "/mountinfo", dir.path() + "/cgroup");
  EXPECT_EQ(l.mode, CgroupMode::kV1);
  EXPECT_EQ(l.v1_roots.at("memory"), "/sys/fs/cgroup/memory");
  EXPECT_EQ(l.v1_roots.at("cpu"), "/sys/fs/cgroup/cpu");
  EXPECT_EQ(l.self.at("memory"), "/agent/abc");
  EXPECT_EQ(l.self.at("cpu"), "/");
}

TEST(CgroupTest, DetectsUsableV2AndExplainsUnusable) {
  ScratchDir dir;
  std::string root = dir.path() + "/unified";
  WriteText(dir.path() + "/mountinfo",
            "41 1 0:38 / " + root + " rw,relatime - cgroup2 cgroup2 rw\n");
  WriteText(dir.path() + "/cgroup", "0::/user.slice/agent.service\n");
  WriteText(root + "/cgroup.controllers", "cpuset cpu io memory pids\n");
  CgroupLayout l = DetectCgroups(dir.path() + "/mountinfo", dir.path() + "/cgroup");
  EXPECT_EQ(l.mode, CgroupMode::kV2);
  EXPECT_EQ(l.v2_root, root);
  EXPECT_EQ(l.self.at(""), "/user.slice/agent.service");

  WriteText(root + "/cgroup.controllers", "hugetlb\n");  // this machine's unified mount
  CgroupLayout none = DetectCgroups(dir.path() + "/mountinfo", dir.path() + "/cgroup");
  EXPECT_EQ(none.mode, CgroupMode::kNone);
  EXPECT_EQ(none.why_none,
            "the cgroup2 hierarchy at " + root + " does not offer the memory and cpu controllers");
}

TEST(CgroupTest, V2WritesLimitsAndEnablesControllersDownTheTree) {
  ScratchDir dir;
  CgroupLayout l;
  l.mode = CgroupMode::kV2;
  l.v2_root = dir.path();
  l.self[""] = "/user.slice";
  auto cg = TaskCgroup::Create(l, "/drover.slice", "a1.web", {512, 64u << 20, 32u << 20});
  ASSERT_TRUE(static_cast<bool>(cg)) << ErrorText(cg.takeError());
  std::string task = dir.path() + "/drover.slice/a1.web";
  EXPECT_EQ(cg->Paths(), std::vector<std::string>{task});
  EXPECT_EQ(Slurp(dir.path() + "/cgroup.subtree_control"), "+cpu +memory");
  EXPECT_EQ(Slurp(dir.path() + "/drover.slice/cgroup.subtree_control"), "+cpu +memory");
  EXPECT_EQ(Slurp(task + "/memory.max"), std::to_string(64u << 20));
  EXPECT_EQ(Slurp(task + "/memory.low"), std::to_string(32u << 20));
  EXPECT_EQ(Slurp(task + "/cpu.weight"), std::to_string(SharesToWeight(512)));
  ASSERT_FALSE(static_cast<bool>(cg->AddProcess(4242)));
  EXPECT_EQ(Slurp(task + "/cgroup.procs"), "4242");
  WriteText(task + "/memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
  EXPECT_EQ(cg->OomKills(), 1u);
}

TEST(CgroupTest, V1RelativeParentIsBelowTheAgentsOwnCgroup) {
  ScratchDir dir;
  CgroupLayout l;
  l.mode = CgroupMode::kV1;
  l.v1_roots = {{"memory", dir.path() + "/memory"}, {"cpu", dir.path() + "/cpu"}};
  l.self = {{"memory", "/agent"}, {"cpu", "/"}};
  auto cg = TaskCgroup::Create(l, "drover", "a1.web", {250, 32u << 20, 0});
  ASSERT_TRUE(static_cast<bool>(cg)) << ErrorText(cg.takeError());
  std::string mem = dir.path() + "/memory/agent/drover/a1.web";
  std::string cpu = dir.path() + "/cpu/drover/a1.web";
  EXPECT_EQ(cg->Paths(), (std::vector<std::string>{mem, cpu}));
  EXPECT_EQ(Slurp(mem + "/memory.limit_in_bytes"), std::to_string(32u << 20));
  EXPECT_FALSE(fs::exists(mem + "/memory.soft_limit_in_bytes"));
  EXPECT_EQ(Slurp(cpu + "/cpu.shares"), "250");
  WriteText(mem + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
  EXPECT_EQ(cg->OomKills(), 3u);
}

TEST(CgroupTest, SharesToWeight) {
  EXPECT_EQ(SharesToWeight(2), 1u);
  EXPECT_EQ(SharesToWeight(1024), 39u);
  EXPECT_EQ(SharesToWeight(262144), 10000u);
  EXPECT_EQ(SharesToWeight(0), 0u);
}

}  // namespace
}  // namespace drover::drivers
