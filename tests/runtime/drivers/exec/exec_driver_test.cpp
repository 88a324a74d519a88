// exec with real namespaces and cgroups (needs root; skipped otherwise): the task sees only its
// own processes, its own hostname, read-only host directories and a root it cannot write to as
// `nobody`; the memory limit OOM-kills; signals reach the task through the namespace's init; a
// new driver object re-attaches to the running task. Each test destroys its task, which removes
// the task's cgroups and mount points.
#include "runtime/drivers/exec/exec_driver.h"

#include <signal.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "runtime/drivers/process.h"
#include "tests/runtime/drivers/driver_test_util.h"
#include "tests/support/test_paths.h"

namespace drover::drivers {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using testing::ErrorText;
using testing::HasMountsBelow;
using testing::MakeTaskConfig;
using testing::ScratchDir;
using testing::Slurp;
using testing::StderrOf;
using testing::StdoutOf;
using testing::WaitExit;
namespace fs = std::filesystem;

DriverContext TestContext() {
  DriverContext c;
  c.executor_command = {drover::testing::DroverExe(), "executor"};
  return c;
}

bool WaitForOutput(const TaskConfig& c, const std::string& text) {
  for (int i = 0; i < 500; ++i) {
    if (StdoutOf(c).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

class ExecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "the exec driver needs root";
    driver_ = std::make_unique<ExecDriver>(TestContext());
    DriverFingerprint fp = driver_->Fingerprint();
    if (!fp.detected) GTEST_SKIP() << "exec driver not usable here: " << fp.health_description;
  }

  TaskConfig ShellTask(const std::string& task_name, const std::string& script) {
    return MakeTaskConfig(dir_.path(), task_name,
                          {{"command", "/bin/sh"}, {"args", {"-c", script}}});
  }

  llvm::Expected<TaskHandle> Start(const TaskConfig& c) {
    llvm::Expected<TaskHandle> h = driver_->StartTask(c);
    if (h) started_.push_back(c.id);
    return h;
  }

  void TearDown() override {
    if (!driver_) return;
    for (const std::string& id : started_) {
      llvm::Error e = driver_->DestroyTask(id, /*force=*/true);
      if (e) ADD_FAILURE() << ErrorText(std::move(e));
    }
    driver_.reset();
  }

  ScratchDir dir_;
  std::unique_ptr<ExecDriver> driver_;
  std::vector<std::string> started_;
};

TEST_F(ExecTest, Fingerprint) {
  DriverFingerprint fp = driver_->Fingerprint();
  EXPECT_TRUE(fp.healthy);
  EXPECT_EQ(fp.attributes.at("driver.exec"), "1");
  EXPECT_TRUE(fp.attributes.at("driver.exec.cgroup_version") == "v1" ||
              fp.attributes.at("driver.exec.cgroup_version") == "v2");
}

TEST_F(ExecTest, TaskIsIsolated) {
  TaskConfig c = ShellTask(
      "isolated",
      "echo pid=$$; echo comms=$(cat /proc/[0-9]*/comm | sort -u | tr '\\n' ,); "
      "echo host=$(hostname); echo uid=$(id -u) gid=$(id -g); echo root=$(ls / | tr '\\n' ,); "
      "echo hello > /local/out && echo local-ok; "
      "touch /usr/x 2>/dev/null || echo usr-denied; touch /etc/x 2>/dev/null || echo etc-denied; "
      "touch /x 2>/dev/null || echo root-denied; echo data > /alloc/data/shared && echo alloc-ok; "
      "echo ready; sleep 30");
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  ASSERT_TRUE(WaitForOutput(c, "ready")) << StdoutOf(c) << StderrOf(c);
  std::string out = StdoutOf(c);
  // pid 1 is the namespace's init; the task is the only other process (and its children).
  EXPECT_NE(out.find("pid=2\n"), std::string::npos) << out;
  std::string own_comm = Slurp("/proc/self/comm");
  own_comm.pop_back();
  size_t comms = out.find("comms=");
  ASSERT_NE(comms, std::string::npos);
  std::string comm_list = out.substr(comms, out.find('\n', comms) - comms);
  EXPECT_EQ(comm_list.find(own_comm), std::string::npos) << "host process visible: " << comm_list;
  EXPECT_EQ(comm_list.find("dockerd"), std::string::npos) << comm_list;
  EXPECT_NE(comm_list.find("sh,"), std::string::npos) << comm_list;
  EXPECT_NE(out.find("host=isolated\n"), std::string::npos) << out;
  EXPECT_NE(out.find("uid=65534 gid=65534\n"), std::string::npos) << out;
  EXPECT_NE(out.find("root=alloc,bin,dev,etc,lib,"), std::string::npos) << out;
  EXPECT_NE(out.find("local-ok\n"), std::string::npos) << out;
  EXPECT_NE(out.find("usr-denied\netc-denied\nroot-denied\n"), std::string::npos) << out;
  EXPECT_NE(out.find("alloc-ok\n"), std::string::npos) << out;
  EXPECT_EQ(Slurp(c.task_dir + "/local/out"), "hello\n");
  EXPECT_EQ(Slurp(c.alloc_dir + "/alloc/data/shared"), "data\n");
  EXPECT_FALSE(fs::exists("/usr/x"));
  // The task's mounts live in its own mount namespace: the host sees none of them.
  EXPECT_FALSE(HasMountsBelow(c.task_dir));

  llvm::Error e = driver_->StopTask(c.id, 200ms, "");
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  ExitResult r = WaitExit(*driver_, c.id);
  EXPECT_FALSE(r.oom_killed);
  // The mount points the executor created are gone again; the task's own directories stay.
  std::set<std::string> left;
  for (const auto& entry : fs::directory_iterator(c.task_dir)) {
    left.insert(entry.path().filename().string());
  }
  EXPECT_EQ(left, (std::set<std::string>{"local", "secrets", "tmp"}));
}

TEST_F(ExecTest, HostDirectoriesAreReadOnlyEvenForRoot) {
  TaskConfig c = ShellTask("asroot",
                           "id -u; touch /usr/drover-exec-test; touch /bin/drover-exec-test;"
                           " touch /etc/drover-exec-test; echo written > /tmp/t && cat /tmp/t");
  c.user = "root";
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  EXPECT_EQ(WaitExit(*driver_, c.id).exit_code, 0);
  EXPECT_EQ(StdoutOf(c), "0\nwritten\n");
  std::string err = StderrOf(c);
  EXPECT_NE(err.find("'/usr/drover-exec-test': Read-only file system"), std::string::npos) << err;
  EXPECT_NE(err.find("'/bin/drover-exec-test': Read-only file system"), std::string::npos) << err;
  EXPECT_NE(err.find("'/etc/drover-exec-test': Read-only file system"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists("/usr/drover-exec-test"));
  EXPECT_EQ(Slurp(c.task_dir + "/tmp/t"), "written\n");
}

TEST_F(ExecTest, CgroupLimitsAndOomKill) {
  // `tail` of an endless line keeps all of it: it grows until the 32 MiB limit kills it.
  TaskConfig c = ShellTask("hog", "echo ready; sleep 0.3; exec tail /dev/zero");
  c.resources.memory_mb = 32;
  c.resources.cpu_mhz = 250;
  llvm::Expected<TaskHandle> h = Start(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  std::vector<std::string> cgroups = h->driver_state["cgroups"].get<std::vector<std::string>>();
  ASSERT_FALSE(cgroups.empty());
  ASSERT_TRUE(WaitForOutput(c, "ready"));
  if (h->driver_state["cgroup_mode"] == "v1") {
    ASSERT_EQ(cgroups.size(), 2u);
    EXPECT_EQ(Slurp(cgroups[0] + "/memory.limit_in_bytes"), std::to_string(32 << 20) + "\n");
    EXPECT_EQ(Slurp(cgroups[1] + "/cpu.shares"), "250\n");
  } else {
    EXPECT_EQ(Slurp(cgroups[0] + "/memory.max"), std::to_string(32 << 20) + "\n");
  }
  ExitResult r = WaitExit(*driver_, c.id);
  EXPECT_TRUE(r.oom_killed);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.exit_code, 137);
  llvm::Error e = driver_->DestroyTask(c.id, false);
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  started_.clear();
  for (const std::string& dir : cgroups) EXPECT_FALSE(fs::exists(dir)) << dir;
}

TEST_F(ExecTest, SignalsReachTheTaskThroughInitAndRecoverReattaches) {
  TaskConfig c = ShellTask("svc",
                           "trap 'echo got INT; exit 7' INT; echo ready; "
                           "while :; do sleep 0.05; done");
  json stored;
  pid_t pid = 0;
  {
    llvm::Expected<TaskHandle> h = Start(c);
    ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
    ASSERT_TRUE(WaitForOutput(c, "ready"));
    stored = h->ToJson();
    pid = h->driver_state["task_pid"].get<pid_t>();
    driver_ = std::make_unique<ExecDriver>(TestContext());  // the old driver (agent) is gone
  }
  std::optional<ProcessRef> ref = RefOf(pid);
  ASSERT_TRUE(ref.has_value());
  EXPECT_TRUE(IsRunning(*ref));
  llvm::Error e = driver_->RecoverTask(*TaskHandle::FromJson(stored));
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  llvm::Expected<TaskStatus> s = driver_->InspectTask(c.id);
  ASSERT_TRUE(static_cast<bool>(s)) << ErrorText(s.takeError());
  EXPECT_EQ(s->state, TaskState::kRunning);
  EXPECT_EQ(s->driver_attributes.at("pid"), std::to_string(pid));
  e = driver_->StopTask(c.id, 5s, "");  // SIGINT to init, forwarded to the shell
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  ExitResult r = WaitExit(*driver_, c.id);
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(StdoutOf(c), "ready\ngot INT\n");
}

TEST_F(ExecTest, StartErrors) {
  TaskConfig missing = MakeTaskConfig(dir_.path(), "missing", {{"command", "no-such-command"}});
  EXPECT_EQ(ErrorText(driver_->StartTask(missing).takeError()),
            "failed to start `no-such-command`: No such file or directory");
  TaskConfig user = ShellTask("user", "true");
  user.user = "no-such-user";
  EXPECT_EQ(ErrorText(driver_->StartTask(user).takeError()),
            "user `no-such-user` does not exist on this node");
  // A failed start leaves no mount points or cgroups behind.
  std::set<std::string> left;
  for (const auto& entry : fs::directory_iterator(missing.task_dir)) {
    left.insert(entry.path().filename().string());
  }
  EXPECT_EQ(left, (std::set<std::string>{"local", "secrets", "tmp"}));
}

}  // namespace
}  // namespace drover::drivers
