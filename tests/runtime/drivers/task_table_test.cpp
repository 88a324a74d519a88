// runtime/drivers/task_table: the task map the docker and executor drivers share (lookups, the
// driver's "unknown task" error, recover-style inserts that keep the first entry) and the exit a
// watcher records (first result wins, waits see it, InspectTask's common fields).
#include "runtime/drivers/task_table.h"

#include <thread>

#include <gtest/gtest.h>

#include "tests/runtime/drivers/driver_test_util.h"

namespace drover::drivers {
namespace {

using namespace std::chrono_literals;

struct FakeTask : TrackedTask {
  int tag = 0;
};

ExitResult Exit(int code) {
  ExitResult r;
  r.exit_code = code;
  return r;
}

std::shared_ptr<FakeTask> MakeTask(int tag) {
  auto t = std::make_shared<FakeTask>();
  t->tag = tag;
  return t;
}

TEST(TaskTableTest, FindPutInsertErase) {
  TaskTable<FakeTask> table;
  EXPECT_EQ(table.Find("a"), nullptr);
  table.Put("a", MakeTask(1));
  ASSERT_NE(table.Find("a"), nullptr);
  EXPECT_EQ(table.Find("a")->tag, 1);
  table.Put("a", MakeTask(2));  // StartTask replaces
  EXPECT_EQ(table.Find("a")->tag, 2);
  EXPECT_FALSE(table.Insert("a", MakeTask(3)));  // RecoverTask keeps what is there
  EXPECT_EQ(table.Find("a")->tag, 2);
  EXPECT_TRUE(table.Insert("b", MakeTask(4)));
  EXPECT_EQ(table.Find("b")->tag, 4);
  std::shared_ptr<FakeTask> kept = table.Find("a");
  table.Erase("a");
  EXPECT_EQ(table.Find("a"), nullptr);
  EXPECT_EQ(kept->tag, 2);  // a lookup outlives the entry
  std::map<std::string, std::shared_ptr<FakeTask>> all = table.TakeAll();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all.begin()->first, "b");
  EXPECT_EQ(table.Find("b"), nullptr);
}

TEST(TaskTableTest, FindOrErrorNamesTheDriver) {
  TaskTable<FakeTask> table;
  table.Put("a", MakeTask(1));
  llvm::Expected<std::shared_ptr<FakeTask>> found = table.FindOrError("exec", "a");
  ASSERT_TRUE(static_cast<bool>(found));
  EXPECT_EQ((*found)->tag, 1);
  llvm::Expected<std::shared_ptr<FakeTask>> missing = table.FindOrError("docker", "nope");
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_EQ(testing::ErrorText(missing.takeError()), "docker: unknown task `nope`");
}

TEST(TrackedTaskTest, FirstExitWinsAndWakesWaiters) {
  FakeTask t;
  t.handle.config.task_name = "web";
  t.handle.started_at = SystemTime(5s);
  EXPECT_FALSE(t.Exited());
  EXPECT_EQ(t.WaitFor(0ms), std::nullopt);
  TaskStatus running = t.Status("id-1");
  EXPECT_EQ(running.id, "id-1");
  EXPECT_EQ(running.name, "web");
  EXPECT_EQ(running.started_at, SystemTime(5s));
  EXPECT_EQ(running.state, TaskState::kRunning);
  EXPECT_FALSE(running.exit_result.has_value());
  EXPECT_EQ(running.completed_at, SystemTime{});

  std::thread setter([&] { t.SetExit(Exit(3)); });
  std::optional<ExitResult> r = t.WaitFor(1h);  // returns as soon as the exit is set
  setter.join();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->exit_code, 3);
  t.SetExit(Exit(9));  // ignored: the first result stands
  EXPECT_TRUE(t.Exited());
  TaskStatus done = t.Status("id-1");
  EXPECT_EQ(done.state, TaskState::kExited);
  ASSERT_TRUE(done.exit_result.has_value());
  EXPECT_EQ(done.exit_result->exit_code, 3);
  EXPECT_NE(done.completed_at, SystemTime{});
}

}  // namespace
}  // namespace drover::drivers
