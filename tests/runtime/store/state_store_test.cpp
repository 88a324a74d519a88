// The StateStore contract, on the in-memory implementation: one index for every write,
// CreateIndex/ModifyIndex stamping, read-modify-write isolation, blocking waits.
#include "runtime/store/state_store.h"

#include <thread>

#include <gtest/gtest.h>

#include "tests/runtime/runtime_fixtures.h"

namespace drover::store {
namespace {

using namespace std::chrono_literals;
using testing::MockJob;
using testing::MockNode;
using testing::NextId;

model::JobVersion Version(const std::string& id, uint64_t v = 0) {
  model::JobVersion job;
  job.spec = MockJob(id);
  job.version = v;
  return job;
}

Index Ok(llvm::Expected<Index> index) {
  if (!index) {
    ADD_FAILURE() << llvm::toString(index.takeError());
    return 0;
  }
  return *index;
}

TEST(StateStore, EveryWriteTakesTheNextIndex) {
  MemoryStateStore store;
  EXPECT_EQ(store.LatestIndex(), 0u);
  EXPECT_EQ(Ok(store.RegisterJobVersion(Version("a"))), 1u);
  EXPECT_EQ(Ok(store.UpsertNodes({MockNode("n1")})), 2u);
  EXPECT_EQ(Ok(store.RegisterJobVersion(Version("b"))), 3u);
  EXPECT_EQ(store.LatestIndex(), 3u);
  EXPECT_EQ(store.TableIndex(Table::kJobs), 3u);
  EXPECT_EQ(store.TableIndex(Table::kNodes), 2u);
  EXPECT_EQ(store.TableIndex(Table::kAllocs), 0u);
  // An empty write writes nothing.
  EXPECT_EQ(Ok(store.Commit(Changes{})), 3u);
  EXPECT_EQ(store.LatestIndex(), 3u);
}

TEST(StateStore, StampsCreateAndModifyIndexes) {
  MemoryStateStore store;
  model::Node node = MockNode("n1");
  Ok(store.UpsertNodes({node}));
  node.status_description = "changed";
  Ok(store.RegisterJobVersion(Version("a")));
  Ok(store.UpsertNodes({node}));
  auto view = store.Read();
  const model::Node* stored = view->GetNode(node.id);
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->create_index, 1u);
  EXPECT_EQ(stored->modify_index, 3u);
  EXPECT_EQ(view->GetJob({"default", "a"})->job_modify_index, 2u);
}

TEST(StateStore, AllocModifyIndexIsStampedOnlyWhenLeftZero) {
  MemoryStateStore store;
  Ok(store.RegisterJobVersion(Version("a")));
  model::Allocation a;
  a.id = NextId();
  a.job_id = "a";
  a.task_group = "web";
  a.job = store.Read()->GetJobPtr({"default", "a"});
  Ok(store.UpsertAllocs({a}));  // index 2
  a = *store.Read()->GetAlloc(a.id);
  EXPECT_EQ(a.alloc_modify_index, 2u);
  a.client_status = model::ClientStatus::kRunning;  // a client update keeps AllocModifyIndex
  Ok(store.UpsertAllocs({a}));
  EXPECT_EQ(store.Read()->GetAlloc(a.id)->alloc_modify_index, 2u);
  EXPECT_EQ(store.Read()->GetAlloc(a.id)->modify_index, 3u);
}

TEST(StateStore, UpdateErrorWritesNothing) {
  MemoryStateStore store;
  Ok(store.RegisterJobVersion(Version("a")));
  auto result = store.Update([](const model::State& latest) -> llvm::Expected<Changes> {
    EXPECT_NE(latest.GetJob({"default", "a"}), nullptr);
    return llvm::createStringError(std::errc::invalid_argument, "conflict");
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(llvm::toString(result.takeError()), "conflict");
  EXPECT_EQ(store.LatestIndex(), 1u);
}

TEST(StateStore, ConcurrentReadModifyWritesDoNotLoseUpdates) {
  // Each writer reads the job's version and registers version+1: with isolation, 4 x 50 writes
  // give exactly 200 versions after the first.
  MemoryStateStore store;
  Ok(store.RegisterJobVersion(Version("a", 0)));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        Ok(store.Update([](const model::State& latest) -> llvm::Expected<Changes> {
          Changes c;
          model::JobVersion next = *latest.GetJob({"default", "a"});
          next.version += 1;
          next.job_modify_index = 0;
          c.jobs.push_back(std::move(next));
          return c;
        }));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(store.Read()->GetJob({"default", "a"})->version, 200u);
  EXPECT_EQ(store.Read()->GetJobVersions({"default", "a"}).size(), 201u);
  EXPECT_EQ(store.LatestIndex(), 201u);
}

TEST(StateStore, WaitForIndexWakesOnTheRightTable) {
  MemoryStateStore store;
  std::atomic<Index> woke{0};
  std::thread waiter([&] { woke = store.WaitForIndex(Table::kNodes, 2, 10s); });
  Ok(store.RegisterJobVersion(Version("a")));  // index 1, jobs table: the waiter keeps waiting
  Ok(store.UpsertNodes({MockNode("n")}));      // index 2, nodes
  waiter.join();
  EXPECT_EQ(woke.load(), 2u);
  // Already past: returns at once. Timeout: returns the current index.
  EXPECT_EQ(store.WaitForIndex(Table::kJobs, 1, 10s), 1u);
  EXPECT_EQ(store.WaitForIndex(Table::kJobs, 5, 10ms), 1u);
  std::vector<Table> both = {Table::kJobs, Table::kNodes};
  EXPECT_EQ(store.WaitForIndex(both, 2, 10s), 2u);
}

TEST(StateStore, AbortWaitsReleasesWaiters) {
  MemoryStateStore store;
  std::thread waiter([&] { EXPECT_EQ(store.WaitForIndex(Table::kAllocs, 100, 600s), 0u); });
  std::this_thread::sleep_for(20ms);
  store.AbortWaits();
  waiter.join();
  EXPECT_TRUE(store.WaitsAborted());
  EXPECT_EQ(store.WaitForIndex(Table::kAllocs, 100, 600s), 0u);
}

TEST(StateStore, SnapshotIsIsolatedFromLaterWrites) {
  MemoryStateStore store;
  Ok(store.RegisterJobVersion(Version("a")));
  model::State snap = store.Snapshot();
  Ok(store.RegisterJobVersion(Version("b")));
  EXPECT_EQ(snap.Jobs().size(), 1u);
  EXPECT_EQ(store.Read()->Jobs().size(), 2u);
}

}  // namespace
}  // namespace drover::store
