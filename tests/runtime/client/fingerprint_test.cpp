// The node fingerprint: address selection, reserved ports, attributes.
#include "runtime/client/fingerprint.h"

#include <gtest/gtest.h>

namespace drover::client {
namespace {

NodeSettings Settings() {
  NodeSettings s;
  s.name = "n1";
  s.datacenter = "dc7";
  s.bind_addr = "127.0.0.3";
  s.data_dir = "/tmp";
  s.http_addr = "127.0.0.3:4646";
  return s;
}

TEST(FingerprintTest, NodeAddressPrefersAdvertiseThenInterfaceThenBind) {
  NodeSettings s = Settings();
  EXPECT_EQ(*NodeAddress(s), "127.0.0.3");
  s.bind_addr = "0.0.0.0";
  EXPECT_EQ(*NodeAddress(s), "127.0.0.1");
  s.config.client.emplace();
  s.config.client->network_interface = "lo";
  EXPECT_EQ(*NodeAddress(s), "127.0.0.1");
  s.config.advertise.http = "127.0.0.9:5000";
  EXPECT_EQ(*NodeAddress(s), "127.0.0.9");
  s.config.advertise.http = "0.0.0.0";  // the dojo's server.hcl: not an address to advertise
  EXPECT_EQ(*NodeAddress(s), "127.0.0.1");
  s.config.client->network_interface = "no-such-if0";
  auto bad = NodeAddress(s);
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()), "network_interface `no-such-if0` does not exist");
}

TEST(FingerprintTest, ReservedPortLists) {
  EXPECT_EQ(*ParsePortList("22, 80,8000-8002"), (std::vector<int>{22, 80, 8000, 8001, 8002}));
  EXPECT_TRUE(ParsePortList("")->empty());
  for (const char* bad : {"x", "10-5", "70000", "1-"}) {
    auto r = ParsePortList(bad);
    EXPECT_FALSE(static_cast<bool>(r)) << bad;
    if (!r) llvm::consumeError(r.takeError());
  }
}

TEST(FingerprintTest, HostAttributesAndResources) {
  NodeSettings s = Settings();
  s.config.client.emplace();
  s.config.client->cpu_total_compute = 1234;
  s.config.client->reserved.emplace();
  s.config.client->reserved->memory_mb = 256;
  s.config.client->reserved->reserved_ports = "22";
  s.config.client->min_dynamic_port = 30000;
  auto n = FingerprintHost(s);
  ASSERT_TRUE(static_cast<bool>(n)) << llvm::toString(n.takeError());
  EXPECT_EQ(n->name, "n1");
  EXPECT_EQ(n->datacenter, "dc7");
  EXPECT_EQ(n->http_addr, "127.0.0.3:4646");
  EXPECT_EQ(n->attributes["kernel.name"], "linux");
  EXPECT_FALSE(n->attributes["kernel.version"].empty());
  EXPECT_FALSE(n->attributes["os.name"].empty());
  EXPECT_FALSE(n->attributes["unique.hostname"].empty());
  EXPECT_FALSE(n->attributes["cpu.arch"].empty());
  EXPECT_EQ(n->attributes["unique.network.ip-address"], "127.0.0.3");
  EXPECT_EQ(n->attributes["cpu.totalcompute"], "1234");
  EXPECT_EQ(n->resources.cpu_mhz, 1234);
  EXPECT_GT(n->resources.cpu_cores, 0);
  EXPECT_GT(n->resources.memory_mb, 0);
  EXPECT_GT(n->resources.disk_mb, 0);
  ASSERT_EQ(n->resources.networks.size(), 1u);
  EXPECT_EQ(n->resources.networks[0].ip, "127.0.0.3");
  EXPECT_EQ(n->resources.networks[0].device, "lo");
  EXPECT_EQ(n->resources.min_dynamic_port, 30000);
  EXPECT_EQ(n->reserved.memory_mb, 256);
  EXPECT_EQ(n->reserved.ports, std::vector<int>{22});
  EXPECT_EQ(n->status, model::NodeStatus::kReady);
}

}  // namespace
}  // namespace drover::client
