// The LevelDB store: what is acknowledged survives a reopen (objects, indexes, job references),
// purged jobs leave their allocations readable, and a damaged data dir is a clear error.
#include "runtime/store/leveldb_state_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <leveldb/db.h>

#include "runtime/store/model_json.h"
#include "tests/runtime/runtime_fixtures.h"

namespace drover::store {
namespace {

namespace fs = std::filesystem;
using testing::MockJob;
using testing::MockNode;
using testing::NextId;

class LevelDbStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/drover-store-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    dir_ = root_ + "/state";
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(root_, fs::perms::owner_all, ec);
    fs::remove_all(root_, ec);
  }
  std::unique_ptr<LevelDbStateStore> OpenOrDie() {
    auto store = LevelDbStateStore::Open(dir_);
    if (!store) {
      ADD_FAILURE() << llvm::toString(store.takeError());
      return nullptr;
    }
    return std::move(*store);
  }
  std::string OpenError() {
    auto store = LevelDbStateStore::Open(dir_);
    if (store) return "";
    return llvm::toString(store.takeError());
  }
  std::string root_;
  std::string dir_;
};

model::Allocation AllocFor(const model::JobVersionPtr& job, const model::Id& node) {
  model::Allocation a;
  a.id = NextId();
  a.eval_id = NextId();
  a.job_id = job->spec.id;
  a.task_group = "web";
  a.node_id = node;
  a.job = job;
  a.resources.tasks.push_back({"server", 100, 0, 64, 0});
  return a;
}

TEST_F(LevelDbStoreTest, ReopenRestoresObjectsAndIndexes) {
  model::Node node = MockNode("n1");
  model::Id alloc_id;
  {
    auto store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    model::JobVersion v0;
    v0.spec = MockJob("web", 2);
    ASSERT_TRUE(static_cast<bool>(store->RegisterJobVersion(v0)));
    model::JobVersion v1 = v0;
    v1.version = 1;
    v1.job_modify_index = 0;
    ASSERT_TRUE(static_cast<bool>(store->RegisterJobVersion(v1)));
    ASSERT_TRUE(static_cast<bool>(store->UpsertNodes({node})));
    model::Allocation a = AllocFor(store->Read()->GetJobVersion({"default", "web"}, 0), node.id);
    alloc_id = a.id;
    model::Evaluation e;
    e.id = NextId();
    e.job_id = "web";
    e.type = "service";
    Changes c;
    c.allocs.push_back(a);
    c.evals.push_back(e);
    ASSERT_TRUE(static_cast<bool>(store->Commit(std::move(c))));
  }
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->LatestIndex(), 4u);
  EXPECT_EQ(store->TableIndex(Table::kNodes), 3u);
  EXPECT_EQ(store->TableIndex(Table::kAllocs), 4u);
  {
    auto view = store->Read();
    EXPECT_EQ(view->GetJobVersions({"default", "web"}).size(), 2u);
    EXPECT_EQ(view->GetJob({"default", "web"})->version, 1u);
    ASSERT_NE(view->GetNode(node.id), nullptr);
    EXPECT_EQ(view->GetNode(node.id)->name, "n1");
    const model::Allocation* a = view->GetAlloc(alloc_id);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(a->job, nullptr);
    EXPECT_EQ(a->job->version, 0u);  // the version it was placed with, not the latest
    EXPECT_EQ(a->create_index, 4u);
    EXPECT_EQ(view->Usage(node.id).cpu_mhz, 100);
    EXPECT_EQ(view->Evals().size(), 1u);
  }  // the view holds the read lock: release it before writing
  // Writes continue from the stored index.
  ASSERT_TRUE(static_cast<bool>(store->UpsertNodes({node})));
  EXPECT_EQ(store->LatestIndex(), 5u);
}

TEST_F(LevelDbStoreTest, PurgedJobsAllocationsKeepTheirJob) {
  model::Id alloc_id;
  {
    auto store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    model::JobVersion v0;
    v0.spec = MockJob("gone");
    ASSERT_TRUE(static_cast<bool>(store->RegisterJobVersion(v0)));
    model::Allocation a = AllocFor(store->Read()->GetJobPtr({"default", "gone"}), NextId());
    alloc_id = a.id;
    ASSERT_TRUE(static_cast<bool>(store->UpsertAllocs({a})));
    Changes purge;
    purge.purged_jobs.push_back({"default", "gone"});
    ASSERT_TRUE(static_cast<bool>(store->Commit(std::move(purge))));
    // A later client update of the orphan is still stored with its job.
    model::Allocation update = *store->Read()->GetAlloc(alloc_id);
    update.client_status = model::ClientStatus::kComplete;
    ASSERT_TRUE(static_cast<bool>(store->UpsertAllocs({update})));
  }
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  auto view = store->Read();
  EXPECT_EQ(view->GetJob({"default", "gone"}), nullptr);
  const model::Allocation* a = view->GetAlloc(alloc_id);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(a->job, nullptr);
  EXPECT_EQ(a->job->spec.id, "gone");
  EXPECT_EQ(a->client_status, model::ClientStatus::kComplete);
}

TEST_F(LevelDbStoreTest, AFileWhereTheDirShouldBeIsAnError) {
  std::ofstream(dir_) << "not a directory";
  EXPECT_NE(OpenError().find("is not a directory"), std::string::npos) << OpenError();
}

TEST_F(LevelDbStoreTest, GarbageFilesAreAnError) {
  { ASSERT_NE(OpenOrDie(), nullptr); }
  for (const auto& entry : fs::directory_iterator(dir_)) {
    std::string name = entry.path().filename();
    if (name == "CURRENT" || name.rfind("MANIFEST", 0) == 0) {
      std::ofstream(entry.path(), std::ios::trunc) << "\x01garbage\xff\n";
    }
  }
  std::string error = OpenError();
  EXPECT_NE(error.find("state store: cannot open"), std::string::npos) << error;
}

TEST_F(LevelDbStoreTest, UndecodableValueIsAnErrorNamingTheKey) {
  {
    auto store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(static_cast<bool>(store->UpsertNodes({MockNode("n1")})));
  }
  {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir_, &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "eval/x", "{not json").ok());
  }
  std::string error = OpenError();
  EXPECT_NE(error.find("is damaged: key eval/x: value is not valid JSON"), std::string::npos)
      << error;
}

TEST_F(LevelDbStoreTest, WrongTypeInStoredObjectIsAnError) {
  {
    auto store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(static_cast<bool>(store->UpsertNodes({MockNode("n1")})));
  }
  {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir_, &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "node/y", "{\"Status\": 5}").ok());
  }
  std::string error = OpenError();
  EXPECT_NE(error.find("key node/y: Node.Status: expected a string"), std::string::npos) << error;
}

TEST_F(LevelDbStoreTest, SecondOpenOfTheSameDirIsAnError) {
  auto first = OpenOrDie();
  ASSERT_NE(first, nullptr);
  std::string error = OpenError();
  EXPECT_NE(error.find("another agent"), std::string::npos) << error;
}

TEST_F(LevelDbStoreTest, UnwritableParentIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  fs::permissions(root_, fs::perms::owner_read | fs::perms::owner_exec);
  std::string error = OpenError();
  EXPECT_NE(error.find("state store: cannot create"), std::string::npos) << error;
}

TEST_F(LevelDbStoreTest, NewerSchemaIsRefused) {
  { ASSERT_NE(OpenOrDie(), nullptr); }
  {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir_, &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "meta/schema", "99").ok());
  }
  EXPECT_NE(OpenError().find("schema version \"99\""), std::string::npos) << OpenError();
}

}  // namespace
}  // namespace drover::store
