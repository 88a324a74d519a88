// The model's scheduler-facing indexes: port bitmaps, computed node classes, the node directory.
#include <gtest/gtest.h>

#include "reconciler/model/node_class.h"
#include "reconciler/model/state.h"

namespace drover::model {
namespace {

TEST(PortBitmapTest, SetTestClearAndFirstClear) {
  PortBitmap b;
  EXPECT_TRUE(b.Empty());
  EXPECT_FALSE(b.Test(8080));
  b.Set(8080);
  b.Set(20000);
  EXPECT_TRUE(b.Test(8080));
  EXPECT_FALSE(b.Test(8081));
  EXPECT_FALSE(b.Test(-1));
  EXPECT_EQ(b.FirstClear(20000, 20010), 20001);
  for (int p = 20001; p <= 20070; ++p) b.Set(p);
  EXPECT_EQ(b.FirstClear(20000, 20100), 20071);  // crosses a 64-bit word
  EXPECT_EQ(b.FirstClear(20000, 20070), -1);
  b.Clear(20000);
  EXPECT_EQ(b.FirstClear(20000, 20100), 20000);
  for (int p = 20001; p <= 20070; ++p) b.Clear(p);
  b.Clear(8080);
  EXPECT_TRUE(b.Empty());  // trailing zero words are released
}

Node SomeNode(uint64_t n) {
  Node node;
  node.id = Id{1, n};
  node.name = "node-" + std::to_string(n);
  node.datacenter = "dc1";
  node.attributes = {{"kernel.name", "linux"}, {"unique.hostname", node.name}};
  node.meta = {{"rack", "r1"}};
  node.resources.cpu_mhz = 4000;
  node.resources.memory_mb = 8192;
  node.status = NodeStatus::kReady;
  return node;
}

TEST(NodeClassTest, IgnoresUniqueKeysAndIdentity) {
  Node a = SomeNode(1);
  Node b = SomeNode(2);
  b.resources.cpu_mhz = 8000;  // resources are not part of the class
  EXPECT_EQ(ComputeNodeClass(a), ComputeNodeClass(b));
  EXPECT_TRUE(ComputeNodeClass(a).starts_with("v1:"));
  b.meta["rack"] = "r2";
  EXPECT_NE(ComputeNodeClass(a), ComputeNodeClass(b));
  Node c = SomeNode(3);
  c.node_class = "gpu";
  EXPECT_NE(ComputeNodeClass(a), ComputeNodeClass(c));
  Node d = SomeNode(4);
  d.drivers["docker"] = DriverInfo{true, false, "unhealthy", {}, 0};
  Node e = SomeNode(5);
  e.drivers["docker"] = DriverInfo{true, true, "healthy", {}, 0};
  EXPECT_NE(ComputeNodeClass(d), ComputeNodeClass(e));
}

TEST(NodeDirectoryTest, FollowsNodeWrites) {
  State s;
  s.UpsertNode(SomeNode(2), 1);
  Node other = SomeNode(1);
  other.datacenter = "dc2";
  other.node_pool = "gpu";
  other.drain = true;
  s.UpsertNode(other, 2);
  EXPECT_FALSE(s.GetNode(Id{1, 1})->computed_class.empty());  // set on upsert

  const NodeDirectory& dir = s.Directory();
  ASSERT_EQ(dir.entries.size(), 2u);
  EXPECT_EQ(dir.entries[0].node->id, (Id{1, 1}));  // ordered by id
  EXPECT_FALSE(dir.entries[0].ready);
  EXPECT_TRUE(dir.entries[1].ready);
  EXPECT_EQ(dir.datacenters[dir.entries[0].datacenter], "dc2");
  EXPECT_EQ(dir.pools[dir.entries[0].pool], "gpu");
  EXPECT_EQ(dir.pools[dir.entries[1].pool], "default");
  EXPECT_EQ(dir.entries[0].usage, &s.Usage(Id{1, 1}));

  // Usage pointers stay valid as allocations come and go.
  Allocation a;
  a.id = Id{9, 1};
  a.job_id = "web";
  a.node_id = Id{1, 2};
  a.resources.tasks.push_back({"t", 500, 0, 256, 0});
  s.UpsertAlloc(a, 3);
  EXPECT_EQ(s.Directory().entries[1].usage->cpu_mhz, 500);
  s.DeleteAlloc(a.id, 4);
  EXPECT_EQ(s.Directory().entries[1].usage->cpu_mhz, 0);

  Node ready = *s.GetNode(Id{1, 1});
  ready.drain = false;
  s.UpsertNode(ready, 5);
  EXPECT_TRUE(s.Directory().entries[0].ready);
  s.DeleteNode(Id{1, 1}, 6);
  EXPECT_EQ(s.Directory().entries.size(), 1u);

  State copy = s;  // a copy builds its own directory, pointing at its own usage
  EXPECT_EQ(copy.Directory().entries[0].usage, &copy.Usage(Id{1, 2}));
}

TEST(NodeUsageTest, PortBitmapsFollowAllocations) {
  State s;
  s.UpsertNode(SomeNode(1), 1);
  Allocation a;
  a.id = Id{9, 1};
  a.job_id = "web";
  a.node_id = Id{1, 1};
  a.resources.ports.push_back({"http", 8080, 0, "10.0.0.1"});
  s.UpsertAlloc(a, 2);
  Allocation b = a;
  b.id = Id{9, 2};
  b.resources.ports = {{"http", 8080, 0, "10.0.0.2"}};
  s.UpsertAlloc(b, 3);
  EXPECT_TRUE(s.Usage(Id{1, 1}).PortUsed("10.0.0.1", 8080));
  EXPECT_TRUE(s.Usage(Id{1, 1}).PortUsed("10.0.0.2", 8080));
  EXPECT_FALSE(s.Usage(Id{1, 1}).PortUsed("10.0.0.1", 8081));
  a.client_status = ClientStatus::kComplete;
  s.UpsertAlloc(a, 4);
  EXPECT_FALSE(s.Usage(Id{1, 1}).PortUsed("10.0.0.1", 8080));
  EXPECT_TRUE(s.Usage(Id{1, 1}).PortUsed("10.0.0.2", 8080));
}

}  // namespace
}  // namespace drover::model
