// Builders for reconciler tests, shaped like Nomad's `mock` package: MockJob() is a service job
// "my-job" with group "web" (count 10, exec task "web", 500 MHz / 256 MB, dynamic ports "http"
// and "admin"), MockNode() a ready 4000 MHz / 8192 MB linux node in dc1, MockAlloc() an
// allocation of a job on a node. Ids come from a counter, so tests are deterministic.
// Header-only: include it from tests that link rc_model.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "compiler/ir/job.h"
#include "reconciler/model/state.h"

namespace drover::testing {

/// A fresh id per call: {kind, counter}, readable in failure messages.
inline model::Id NextTestId(uint64_t kind = 0x7e57) {
  static uint64_t counter = 0;
  return model::Id{kind << 48 | 0x0000'4000'0000ULL, 0x8000'0000'0000'0000ULL | ++counter};
}

inline ir::Constraint MakeConstraint(std::string l, ir::ConstraintOp op, std::string r) {
  ir::Constraint c;
  c.l_target = std::move(l);
  c.op = op;
  c.r_target = std::move(r);
  return c;
}

/// Nomad's mock.Job(), canonical (defaults written out).
inline ir::Job MockJob() {
  ir::Job job;
  job.region = "global";
  job.namespace_ = "default";
  job.id = "my-job";
  job.name = "my-job";
  job.type = ir::JobType::kService;
  job.priority = 50;
  job.datacenters = {"dc1"};
  job.node_pool = "default";
  job.constraints.push_back(MakeConstraint("${attr.kernel.name}", ir::ConstraintOp::kEqual, "linux"));
  job.meta = {{"owner", "armon"}};

  ir::TaskGroup tg;
  tg.name = "web";
  tg.count = 10;
  tg.ephemeral_disk = ir::EphemeralDisk{false, false, 150, {}};
  ir::RestartPolicy restart;
  restart.attempts = 3;
  restart.interval = std::chrono::minutes(10);
  restart.delay = std::chrono::minutes(1);
  restart.mode = ir::RestartMode::kDelay;
  tg.restart_policy = restart;
  ir::ReschedulePolicy resched;
  resched.attempts = 2;
  resched.interval = std::chrono::minutes(10);
  resched.delay = std::chrono::seconds(5);
  resched.delay_function = ir::DelayFunction::kConstant;
  resched.unlimited = false;
  tg.reschedule_policy = resched;
  ir::NetworkResource net;
  net.mode = "host";
  net.dynamic_ports.push_back(ir::Port{"http", 0, 0, "", {}});
  net.dynamic_ports.push_back(ir::Port{"admin", 0, 0, "", {}});
  tg.networks.push_back(net);

  ir::Task task;
  task.name = "web";
  task.driver = "exec";
  task.config = {{"command", "/bin/date"}};
  task.env = {{"FOO", "bar"}};
  task.resources.cpu = 500;
  task.resources.memory_mb = 256;
  task.kill_timeout = std::chrono::seconds(5);
  task.log_config = ir::LogConfig{10, 10, false, {}};
  task.meta = {{"foo", "bar"}};
  ir::Service svc;
  svc.name = "${TASK}-frontend";
  svc.port_label = "http";
  svc.tags = {"pci:${meta.pci-dss}", "datacenter:${node.datacenter}"};
  svc.provider = ir::ServiceProvider::kConsul;
  task.services.push_back(svc);
  tg.tasks.push_back(task);
  job.task_groups.push_back(tg);
  return job;
}

/// Nomad's mock.BatchJob(): "batch-job", group "web" count 10, 100 MHz / 100 MB, no network.
inline ir::Job MockBatchJob() {
  ir::Job job = MockJob();
  job.id = "batch-job";
  job.name = "batch-job";
  job.type = ir::JobType::kBatch;
  ir::TaskGroup& tg = job.task_groups[0];
  tg.networks.clear();
  tg.tasks[0].resources.cpu = 100;
  tg.tasks[0].resources.memory_mb = 100;
  tg.tasks[0].services.clear();
  ir::ReschedulePolicy resched;
  resched.attempts = 2;
  resched.interval = std::chrono::hours(24);
  resched.delay = std::chrono::seconds(5);
  resched.delay_function = ir::DelayFunction::kConstant;
  resched.unlimited = false;
  tg.reschedule_policy = resched;
  return job;
}

/// Nomad's mock.SystemJob(): "system-job", group "web" count 1, exec task, dynamic port "http".
inline ir::Job MockSystemJob() {
  ir::Job job = MockJob();
  job.id = "system-job";
  job.name = "system-job";
  job.type = ir::JobType::kSystem;
  ir::TaskGroup& tg = job.task_groups[0];
  tg.count = 1;
  tg.reschedule_policy.reset();
  tg.networks[0].dynamic_ports.pop_back();
  tg.tasks[0].services.clear();
  return job;
}

/// Nomad's mock.Node(): ready and eligible, 4000 MHz (100 reserved), 8192 MB (256 reserved),
/// 100 GiB disk, eth0 1000 Mbit/s at 192.168.0.100, port 22 reserved, drivers exec and
/// mock_driver, class "linux-medium-pci".
inline model::Node MockNode() {
  model::Node n;
  n.id = NextTestId(0x90de);
  n.secret_id = "secret";
  n.name = "foobar";
  n.datacenter = "dc1";
  n.node_pool = "default";
  n.node_class = "linux-medium-pci";
  n.http_addr = "192.168.0.100:4646";
  n.attributes = {{"kernel.name", "linux"},        {"arch", "x86"},
                  {"nomad.version", "0.5.0"},      {"driver.exec", "1"},
                  {"driver.mock_driver", "1"},     {"consul.version", "1.11.4"},
                  {"unique.hostname", "foobar"}};
  n.meta = {{"pci-dss", "true"}, {"database", "mysql"}, {"version", "5.6"}};
  n.resources.cpu_mhz = 4000;
  n.resources.cpu_cores = 4;
  n.resources.memory_mb = 8192;
  n.resources.disk_mb = 100 * 1024;
  n.resources.networks.push_back(model::NodeNetwork{"host", "eth0", "192.168.0.100/32",
                                                    "192.168.0.100", "", 1000});
  n.reserved.cpu_mhz = 100;
  n.reserved.memory_mb = 256;
  n.reserved.disk_mb = 4 * 1024;
  n.reserved.ports = {22};
  n.drivers["exec"] = model::DriverInfo{true, true, "healthy", {}, 0};
  n.drivers["mock_driver"] = model::DriverInfo{true, true, "healthy", {}, 0};
  n.status = model::NodeStatus::kReady;
  n.eligible = true;
  return n;
}

/// A stored version of `spec`.
inline model::JobVersionPtr MockVersion(ir::Job spec, uint64_t version = 0,
                                        model::Index job_modify_index = 99) {
  auto v = std::make_shared<model::JobVersion>();
  v->spec = std::move(spec);
  v->version = version;
  v->create_index = 42;
  v->modify_index = job_modify_index;
  v->job_modify_index = job_modify_index;
  return v;
}

/// Nomad's mock.Alloc(): a running allocation of group "web" (500 MHz / 256 MB, disk 150 MB).
inline model::Allocation MockAlloc(const model::JobVersionPtr& job, const model::Id& node,
                                   uint32_t index = 0) {
  model::Allocation a;
  a.id = NextTestId(0xa110);
  a.eval_id = NextTestId(0xe7a1);
  a.namespace_ = job->spec.namespace_;
  a.job_id = job->spec.id;
  a.task_group = job->spec.task_groups.empty() ? "web" : job->spec.task_groups[0].name;
  a.index = index;
  a.node_id = node;
  a.node_name = "foobar";
  a.job = job;
  for (const ir::Task& t : job->spec.task_groups.empty() ? std::vector<ir::Task>{}
                                                          : job->spec.task_groups[0].tasks) {
    a.resources.tasks.push_back(
        {t.name, t.resources.cpu.value_or(100), 0, t.resources.memory_mb.value_or(300), 0});
  }
  a.resources.disk_mb = 150;
  a.desired_status = model::DesiredStatus::kRun;
  a.client_status = model::ClientStatus::kRunning;
  return a;
}

/// Stores `spec` as the job's next version in `state` and returns it.
inline model::JobVersionPtr UpsertJob(model::State& state, const ir::Job& spec,
                                      model::Index index) {
  model::JobVersion v;
  v.spec = spec;
  model::JobKey key{spec.namespace_.empty() ? "default" : spec.namespace_, spec.id};
  if (const model::JobVersion* old = state.GetJob(key)) v.version = old->version + 1;
  v.job_modify_index = index;
  state.UpsertJobVersion(std::move(v), index);
  return state.GetJobPtr(key);
}

/// An evaluation of `spec` as `job register` creates it.
inline model::Evaluation RegisterEval(const ir::Job& spec) {
  model::Evaluation e;
  e.id = NextTestId(0xe7a1);
  e.namespace_ = spec.namespace_.empty() ? "default" : spec.namespace_;
  e.priority = spec.priority.value_or(50);
  e.type = std::string(ir::ToString(spec.type.value_or(ir::JobType::kService)));
  e.triggered_by = std::string(model::trigger::kJobRegister);
  e.job_id = spec.id;
  return e;
}

}  // namespace drover::testing
