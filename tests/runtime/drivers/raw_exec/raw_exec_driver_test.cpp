// raw_exec through real executor processes (`drover executor`): disabled by default, exit codes,
// args and env, start errors, stop with kill_signal then SIGKILL, signals, rotated logs, and
// re-attaching to a running (and to a finished) task from a new driver object.
#include "runtime/drivers/raw_exec/raw_exec_driver.h"

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
using testing::MakeTaskConfig;
using testing::ScratchDir;
using testing::StderrOf;
using testing::StdoutOf;
using testing::WaitExit;
namespace fs = std::filesystem;

DriverContext TestContext() {
  DriverContext c;
  c.executor_command = {drover::testing::DroverExe(), "executor"};
  return c;
}

std::unique_ptr<RawExecDriver> EnabledDriver() {
  auto d = std::make_unique<RawExecDriver>(TestContext());
  llvm::Error e = d->SetConfig({{"enabled", true}});
  EXPECT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  return d;
}

TaskConfig ShellTask(const ScratchDir& dir, const std::string& script) {
  return MakeTaskConfig(dir.path(), "task", {{"command", "/bin/sh"}, {"args", {"-c", script}}});
}

// Polls the task's stdout until it contains `text` (the task says it is ready).
bool WaitForOutput(const TaskConfig& c, const std::string& text) {
  for (int i = 0; i < 500; ++i) {
    if (StdoutOf(c).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

class RawExecTest : public ::testing::Test {
 protected:
  // Destroys what a test left running, so that no process outlives the test.
  void Cleanup(Driver& d, const std::string& id) {
    llvm::Error e = d.DestroyTask(id, /*force=*/true);
    EXPECT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  }
  ScratchDir dir_;
};

TEST_F(RawExecTest, DisabledByDefault) {
  RawExecDriver d(TestContext());
  DriverFingerprint fp = d.Fingerprint();
  EXPECT_FALSE(fp.detected);
  EXPECT_FALSE(fp.healthy);
  EXPECT_EQ(fp.health_description, "disabled");
  llvm::Expected<TaskHandle> h = d.StartTask(ShellTask(dir_, "exit 0"));
  ASSERT_FALSE(static_cast<bool>(h));
  EXPECT_EQ(ErrorText(h.takeError()),
            "raw_exec is disabled on this node; enable it in the agent config with plugin "
            "\"raw_exec\" { config { enabled = true } }");
}

TEST_F(RawExecTest, EnabledFingerprint) {
  auto d = EnabledDriver();
  DriverFingerprint fp = d->Fingerprint();
  EXPECT_TRUE(fp.detected);
  EXPECT_TRUE(fp.healthy);
  EXPECT_EQ(fp.attributes.at("driver.raw_exec"), "1");
}

TEST_F(RawExecTest, ExitCodeArgsEnvAndOutput) {
  auto d = EnabledDriver();
  TaskConfig c = ShellTask(dir_, "echo \"$GREETING $0 $1\"; pwd; echo to-stderr >&2; exit 3");
  c.config["args"].push_back("first");
  c.config["args"].push_back("second");
  c.env["GREETING"] = "hello";
  llvm::Expected<TaskHandle> h = d->StartTask(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  EXPECT_EQ(h->driver, "raw_exec");
  EXPECT_EQ(h->state, TaskState::kRunning);
  ExitResult r = WaitExit(*d, c.id);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.oom_killed);
  EXPECT_EQ(StdoutOf(c), "hello first second\n" + fs::canonical(c.task_dir).string() + "\n");
  EXPECT_EQ(StderrOf(c), "to-stderr\n");
  llvm::Expected<TaskStatus> s = d->InspectTask(c.id);
  ASSERT_TRUE(static_cast<bool>(s)) << ErrorText(s.takeError());
  EXPECT_EQ(s->state, TaskState::kExited);
  ASSERT_TRUE(s->exit_result.has_value());
  EXPECT_EQ(s->exit_result->exit_code, 3);
  Cleanup(*d, c.id);
  EXPECT_FALSE(fs::exists(c.alloc_dir + "/.drover/task"));
}

TEST_F(RawExecTest, CommandThatDoesNotExistFailsToStart) {
  auto d = EnabledDriver();
  TaskConfig c = MakeTaskConfig(dir_.path(), "task", {{"command", "/nonexistent/cmd"}});
  llvm::Expected<TaskHandle> h = d->StartTask(c);
  ASSERT_FALSE(static_cast<bool>(h));
  EXPECT_EQ(ErrorText(h.takeError()),
            "failed to start `/nonexistent/cmd`: No such file or directory");
}

TEST_F(RawExecTest, BadConfigIsRejected) {
  auto d = EnabledDriver();
  EXPECT_EQ(
      ErrorText(d->StartTask(MakeTaskConfig(dir_.path(), "t", {{"args", {"x"}}})).takeError()),
      "raw_exec: config option `command` is required");
  EXPECT_EQ(ErrorText(d->StartTask(MakeTaskConfig(dir_.path(), "t",
                                                  {{"command", "/bin/true"}, {"image", "x"}}))
                          .takeError()),
            "raw_exec: unsupported config option `image`");
  EXPECT_EQ(ErrorText(d->StartTask(MakeTaskConfig(dir_.path(), "t",
                                                  {{"command", "/bin/true"}, {"args", "x"}}))
                          .takeError()),
            "raw_exec: `args` must be a list of strings");
}

TEST_F(RawExecTest, StopSendsKillSignalFirst) {
  auto d = EnabledDriver();
  TaskConfig c = ShellTask(dir_,
                           "trap 'echo got INT; exit 7' INT; echo ready; "
                           "while :; do sleep 0.05; done");
  llvm::Expected<TaskHandle> h = d->StartTask(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  ASSERT_TRUE(WaitForOutput(c, "ready"));
  llvm::Error e = d->StopTask(c.id, 5s, "");  // kill_signal unset: SIGINT, the default
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  ExitResult r = WaitExit(*d, c.id);
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(StdoutOf(c), "ready\ngot INT\n");
  Cleanup(*d, c.id);
}

TEST_F(RawExecTest, StopKillsATaskThatIgnoresTheSignal) {
  auto d = EnabledDriver();
  TaskConfig c = ShellTask(dir_, "trap '' INT TERM; echo ready; sleep 60");
  c.kill_signal = "SIGTERM";
  llvm::Expected<TaskHandle> h = d->StartTask(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  ASSERT_TRUE(WaitForOutput(c, "ready"));
  pid_t task_pid = h->driver_state["task_pid"].get<pid_t>();
  llvm::Error e = d->StopTask(c.id, 200ms, "");
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  ExitResult r = WaitExit(*d, c.id);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.exit_code, 128 + SIGKILL);
  // The `sleep 60` the shell started went with it: nothing is left in the task's process group.
  EXPECT_EQ(kill(-task_pid, 0), -1);
  Cleanup(*d, c.id);
}

TEST_F(RawExecTest, SignalTask) {
  auto d = EnabledDriver();
  TaskConfig c = ShellTask(dir_,
                           "trap 'echo got USR1' USR1; echo ready; "
                           "while :; do sleep 0.05; done");
  llvm::Expected<TaskHandle> h = d->StartTask(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  ASSERT_TRUE(WaitForOutput(c, "ready"));
  llvm::Error e = d->SignalTask(c.id, "SIGUSR1");
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  EXPECT_TRUE(WaitForOutput(c, "got USR1"));
  EXPECT_EQ(ErrorText(d->SignalTask(c.id, "SIGBOGUS")), "raw_exec: unknown signal `SIGBOGUS`");
  EXPECT_EQ(ErrorText(d->DestroyTask(c.id, /*force=*/false)),
            "raw_exec: cannot destroy task `" + c.id + "`: it is still running");
  Cleanup(*d, c.id);
  EXPECT_EQ(ErrorText(d->InspectTask(c.id).takeError()), "raw_exec: unknown task `" + c.id + "`");
}

TEST_F(RawExecTest, LogsRotateBySizeAndKeepMaxFiles) {
  auto d = EnabledDriver();
  // 2.5 MiB of output with 1 MiB files, 2 kept: .0 is deleted, .1 is full, .2 has the tail.
  TaskConfig c = ShellTask(dir_, "head -c 2621440 /dev/zero | tr '\\0' a; echo END");
  c.logs.max_file_size_mb = 1;
  c.logs.max_files = 2;
  llvm::Expected<TaskHandle> h = d->StartTask(c);
  ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
  EXPECT_EQ(WaitExit(*d, c.id).exit_code, 0);
  EXPECT_FALSE(fs::exists(c.logs.dir + "/task.stdout.0"));
  // Compared as booleans: a mismatch would otherwise print megabytes.
  std::string one = StdoutOf(c, 1), two = StdoutOf(c, 2);
  EXPECT_EQ(one.size(), 1u << 20);
  EXPECT_TRUE(one == std::string(1 << 20, 'a'));
  EXPECT_EQ(two.size(), 2621440u - (2u << 20) + 4);
  EXPECT_TRUE(two == std::string(2621440 - (2 << 20), 'a') + "END\n");
  EXPECT_FALSE(fs::exists(c.logs.dir + "/task.stdout.3"));
  Cleanup(*d, c.id);
}

TEST_F(RawExecTest, RecoverReattachesToTheSameProcess) {
  TaskConfig c = ShellTask(dir_,
                           "trap 'echo got TERM; exit 5' TERM; echo ready; "
                           "while :; do sleep 0.05; done");
  json stored;
  pid_t pid = 0;
  {
    auto d = EnabledDriver();
    llvm::Expected<TaskHandle> h = d->StartTask(c);
    ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
    ASSERT_TRUE(WaitForOutput(c, "ready"));
    stored = json::parse(h->ToJson().dump());  // what the client keeps in its state
    pid = h->driver_state["task_pid"].get<pid_t>();
  }  // the driver (the agent) is gone; the task is not
  std::optional<ProcessRef> ref = RefOf(pid);
  ASSERT_TRUE(ref.has_value());
  EXPECT_TRUE(IsRunning(*ref));

  auto d = EnabledDriver();
  llvm::Expected<TaskHandle> handle = TaskHandle::FromJson(stored);
  ASSERT_TRUE(static_cast<bool>(handle)) << ErrorText(handle.takeError());
  llvm::Error e = d->RecoverTask(*handle);
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  llvm::Expected<TaskStatus> s = d->InspectTask(c.id);
  ASSERT_TRUE(static_cast<bool>(s)) << ErrorText(s.takeError());
  EXPECT_EQ(s->state, TaskState::kRunning);
  EXPECT_EQ(s->driver_attributes.at("pid"), std::to_string(pid));
  llvm::Expected<std::optional<ExitResult>> still = d->WaitTask(c.id, 50ms);
  ASSERT_TRUE(static_cast<bool>(still));
  EXPECT_FALSE(still->has_value());
  e = d->RecoverTask(*handle);  // again: a no-op
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));

  e = d->StopTask(c.id, 5s, "SIGTERM");
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  EXPECT_EQ(WaitExit(*d, c.id).exit_code, 5);
  EXPECT_EQ(StdoutOf(c), "ready\ngot TERM\n");
  Cleanup(*d, c.id);
}

TEST_F(RawExecTest, RecoverATaskThatFinishedWhileNoDriverWatched) {
  TaskConfig c = ShellTask(dir_, "sleep 0.2; echo done; exit 4");
  json stored;
  ProcessRef executor;
  {
    auto d = EnabledDriver();
    llvm::Expected<TaskHandle> h = d->StartTask(c);
    ASSERT_TRUE(static_cast<bool>(h)) << ErrorText(h.takeError());
    stored = h->ToJson();
    executor = {h->driver_state["executor_pid"].get<pid_t>(),
                h->driver_state["executor_start"].get<uint64_t>()};
  }
  for (int i = 0; i < 500 && IsRunning(executor); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_FALSE(IsRunning(executor));

  auto d = EnabledDriver();
  llvm::Error e = d->RecoverTask(*TaskHandle::FromJson(stored));
  ASSERT_FALSE(static_cast<bool>(e)) << ErrorText(std::move(e));
  ExitResult r = WaitExit(*d, c.id);
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(StdoutOf(c), "done\n");
  Cleanup(*d, c.id);
}

TEST_F(RawExecTest, RecoverWithoutExecutorOrStatusFails) {
  auto d = EnabledDriver();
  TaskHandle h;
  h.driver = "raw_exec";
  h.config = ShellTask(dir_, "true");
  h.driver_state = {{"executor_pid", 999999},
                    {"executor_start", 1},
                    {"state_dir", h.config.alloc_dir + "/.drover/task"}};
  EXPECT_EQ(ErrorText(d->RecoverTask(h)),
            "raw_exec: cannot reattach to task `" + h.config.id +
                "`: its executor (pid 999999) is gone and recorded no exit status");
  h.driver = "docker";
  EXPECT_EQ(ErrorText(d->RecoverTask(h)), "raw_exec: cannot recover a task of driver `docker`");
}

}  // namespace
}  // namespace drover::drivers
