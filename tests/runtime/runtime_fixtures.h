// Builders for the runtime tests: a small job, a ready node, an allocation, an evaluation.
// Deterministic: ids come from a counter, times are fixed.
#pragma once

#include <atomic>
#include <string>

#include "compiler/ir/job.h"
#include "reconciler/model/types.h"

namespace drover::testing {

/// A fresh id, different on every call (deterministic sequence).
inline model::Id NextId() {
  static std::atomic<uint64_t> counter{1};
  uint64_t n = counter++;
  return model::Id::FromRandom(0x1234'5678'9abc'def0ULL ^ (n * 0x9E37'79B9'7F4A'7C15ULL), n);
}

/// A service job with one group of `count` tasks of `cpu` MHz / `memory` MB, driver "exec".
inline ir::Job MockJob(const std::string& id, int count = 1, int cpu = 100, int memory = 64) {
  ir::Job job;
  job.region = "global";
  job.namespace_ = "default";
  job.id = id;
  job.name = id;
  job.type = ir::JobType::kService;
  job.priority = 50;
  job.datacenters = {"dc1"};
  job.node_pool = "default";
  ir::TaskGroup group;
  group.name = "web";
  group.count = count;
  ir::Task task;
  task.name = "server";
  task.driver = "exec";
  task.config = {{"command", "/bin/sleep"}, {"args", {"1000"}}};
  task.resources.cpu = cpu;
  task.resources.memory_mb = memory;
  group.tasks.push_back(task);
  job.task_groups.push_back(group);
  return job;
}

inline model::Node MockNode(const std::string& name, int cpu = 4000, int memory = 8192) {
  model::Node n;
  n.id = NextId();
  n.secret_id = NextId().ToString();
  n.name = name;
  n.datacenter = "dc1";
  n.http_addr = "127.0.0.1:4646";
  n.attributes = {{"kernel.name", "linux"}, {"unique.hostname", name}};
  n.resources.cpu_mhz = cpu;
  n.resources.cpu_cores = 4;
  n.resources.memory_mb = memory;
  n.resources.disk_mb = 100000;
  n.resources.networks.push_back({"host", "lo", "127.0.0.0/8", "127.0.0.1", "", 1000});
  n.drivers["exec"] = {true, true, "Healthy", {}, 0};
  n.status = model::NodeStatus::kReady;
  n.status_updated_at = 1'700'000'000'000'000'000;
  n.computed_class = "v1:123";
  return n;
}

}  // namespace drover::testing
