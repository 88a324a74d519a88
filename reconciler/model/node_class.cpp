#include "reconciler/model/node_class.h"

#include <cstdint>

namespace drover::model {
namespace {

// FNV-1a, 64 bit: stable across runs and platforms (std::hash is neither).
class Hasher {
 public:
  void Add(std::string_view s) {
    for (unsigned char c : s) {
      h_ ^= c;
      h_ *= 0x100000001b3ULL;
    }
    // A separator byte that cannot appear in keys keeps "ab","c" apart from "a","bc".
    h_ ^= 0xff;
    h_ *= 0x100000001b3ULL;
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace

bool IsUniqueKey(std::string_view key) { return key.starts_with("unique."); }

std::string ComputeNodeClass(const Node& node) {
  Hasher h;
  h.Add("dc");
  h.Add(node.datacenter);
  h.Add("pool");
  h.Add(node.node_pool);
  h.Add("class");
  h.Add(node.node_class);
  h.Add("attr");
  for (const auto& [k, v] : node.attributes) {  // std::map: sorted, so the order is stable
    if (IsUniqueKey(k)) continue;
    h.Add(k);
    h.Add(v);
  }
  h.Add("meta");
  for (const auto& [k, v] : node.meta) {
    if (IsUniqueKey(k)) continue;
    h.Add(k);
    h.Add(v);
  }
  h.Add("drivers");
  for (const auto& [name, info] : node.drivers) {
    h.Add(name);
    h.Add(info.detected && info.healthy ? "1" : "0");
  }
  h.Add("networks");
  for (const NodeNetwork& n : node.resources.networks) {
    h.Add(n.mode);
    h.Add(n.host_network);
  }
  return "v1:" + std::to_string(h.value());
}

}  // namespace drover::model
