// drover-bench: placement at scale. Builds a synthetic cluster (nodes of mixed sizes across
// datacenters, classes, attributes and meta) and a stream of jobs (several groups each, with
// constraints, static and dynamic ports), then registers the jobs one evaluation at a time
// through the real scheduler, plan evaluation and plan application on an in-memory
// model::State, as a server would.
//
//   drover-bench --nodes 10000 --allocs 1000000 --seed 1 --algorithm drover
//
// The last line is machine-readable:
//   placements_per_sec=<n> p50_eval_ms=<x> p99_eval_ms=<x> nodes_used=<n> mean_util=<x> rss_mib=<n>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "reconciler/model/state.h"
#include "reconciler/scheduler/resources.h"
#include "reconciler/scheduler/scheduler.h"

namespace drover::bench {
namespace {

using scheduler::Algorithm;

// CPU time of this thread: on a shared machine the scheduler's own cost, unlike wall time,
// does not depend on what else runs.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Options {
  int nodes = 10000;
  int64_t allocs = 1000000;
  uint64_t seed = 1;
  Algorithm algorithm = Algorithm::kDrover;
  int allocs_per_job = 1000;
  int score_meta = 5;  // Nomad keeps the 5 best-scoring nodes per allocation
  bool quiet = false;
  bool wall_clock = false;  ///< time with the wall clock instead of thread CPU time
};

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "drover-bench: %s\n"
               "usage: drover-bench [--nodes N] [--allocs M] [--seed S]\n"
               "                    [--algorithm drover|nomad-baseline] [--allocs-per-job K]\n"
               "                    [--score-meta K] [--wall-clock] [--quiet]\n",
               why);
  std::exit(2);
}

Options ParseFlags(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    if (size_t eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (flag != "--quiet" && flag != "-quiet" && flag != "--wall-clock" &&
               flag != "-wall-clock") {
      if (i + 1 >= argc) Usage(("missing value for " + flag).c_str());
      value = argv[++i];
    }
    if (flag.starts_with("--")) flag = flag.substr(1);  // Go-style: -flag and --flag
    auto number = [&](int64_t min) {
      char* end = nullptr;
      long long v = std::strtoll(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || v < min) {
        Usage(("invalid value for " + flag + ": " + value).c_str());
      }
      return static_cast<int64_t>(v);
    };
    if (flag == "-nodes") {
      o.nodes = static_cast<int>(number(1));
    } else if (flag == "-allocs") {
      o.allocs = number(0);
    } else if (flag == "-seed") {
      o.seed = static_cast<uint64_t>(number(0));
    } else if (flag == "-allocs-per-job") {
      o.allocs_per_job = static_cast<int>(number(1));
    } else if (flag == "-score-meta") {
      o.score_meta = static_cast<int>(number(0));
    } else if (flag == "-quiet") {
      o.quiet = true;
    } else if (flag == "-wall-clock") {
      o.wall_clock = true;
    } else if (flag == "-algorithm") {
      if (value == "drover") {
        o.algorithm = Algorithm::kDrover;
      } else if (value == "nomad-baseline" || value == "nomad") {
        o.algorithm = Algorithm::kNomad;
      } else {
        Usage(("unknown algorithm " + value).c_str());
      }
    } else {
      Usage(("unknown flag " + flag).c_str());
    }
  }
  return o;
}

// ---- the synthetic cluster ----------------------------------------------------------------------

model::Node MakeNode(int i, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  double size = u(rng);
  int cores = size < 0.5 ? 8 : size < 0.85 ? 16 : 32;  // small / medium / large
  model::Node n;
  n.id = model::Id::FromRandom(rng(), rng());
  n.name = "node-" + std::to_string(i);
  n.datacenter = "dc" + std::to_string(1 + i % 4);
  n.node_class = cores == 8 ? "small" : cores == 16 ? "medium" : "large";
  n.attributes = {{"kernel.name", u(rng) < 0.97 ? "linux" : "windows"},
                  {"cpu.arch", u(rng) < 0.8 ? "amd64" : "arm64"},
                  {"cpu.numcores", std::to_string(cores)},
                  {"os.version", u(rng) < 0.5 ? "22.04" : "24.04"},
                  {"driver.docker", "1"},
                  {"driver.exec", "1"},
                  {"unique.hostname", n.name}};
  n.meta = {{"rack", "r" + std::to_string(i % 20)}, {"zone", "z" + std::to_string(i % 3)}};
  n.resources.cpu_cores = cores;
  n.resources.cpu_mhz = cores * 2000;
  n.resources.memory_mb = cores * 2048;
  n.resources.disk_mb = cores * 20 * 1024;
  n.resources.networks.push_back(model::NodeNetwork{"host", "eth0", "",
                                                    "10." + std::to_string(i / 65536) + "." +
                                                        std::to_string(i / 256 % 256) + "." +
                                                        std::to_string(i % 256),
                                                    "", 10000});
  n.reserved.cpu_mhz = 200;
  n.reserved.memory_mb = 512;
  n.reserved.ports = {22};
  n.drivers["docker"] = model::DriverInfo{true, true, "Healthy", {}, 0};
  n.drivers["exec"] = model::DriverInfo{true, true, "Healthy", {}, 0};
  n.status = model::NodeStatus::kReady;
  return n;
}

ir::Job MakeJob(int k, int64_t allocs, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pick(0, 99);
  ir::Job job;
  job.region = "global";
  job.namespace_ = "default";
  job.id = "job-" + std::to_string(k);
  job.name = job.id;
  job.type = pick(rng) < 85 ? ir::JobType::kService : ir::JobType::kBatch;
  job.priority = 50;
  job.datacenters = {"dc*"};
  job.node_pool = "default";
  ir::Constraint linux;
  linux.l_target = "${attr.kernel.name}";
  linux.r_target = "linux";
  job.constraints.push_back(linux);
  int groups = 2 + pick(rng) % 3;
  int64_t left = allocs;
  // Some jobs have a small "edge" group holding a static port: one allocation per node, so it
  // stays small, and each job uses its own port number.
  if (allocs >= 100 && pick(rng) < 15) {
    ir::TaskGroup edge;
    edge.name = "edge";
    edge.count = static_cast<int>(std::min<int64_t>(20, allocs / 10));
    left -= *edge.count;
    ir::NetworkResource net;
    net.reserved_ports.push_back(ir::Port{"metrics", 1024 + k % 18000, 0, "", {}});
    net.dynamic_ports.push_back(ir::Port{"http", 0, 0, "", {}});
    edge.networks.push_back(net);
    ir::Task task;
    task.name = "proxy";
    task.driver = "docker";
    task.config = {{"image", "edge:" + std::to_string(k)}};
    task.resources.cpu = 100;
    task.resources.memory_mb = 64;
    edge.tasks.push_back(task);
    job.task_groups.push_back(edge);
  }
  for (int g = 0; g < groups; ++g) {
    ir::TaskGroup tg;
    tg.name = "group-" + std::to_string(g);
    int64_t count = g + 1 == groups ? left : left / (groups - g);
    left -= count;
    tg.count = static_cast<int>(count);
    if (pick(rng) < 30) {
      ir::Constraint arch;
      arch.l_target = "${attr.cpu.arch}";
      arch.r_target = "amd64";
      tg.constraints.push_back(arch);
    }
    if (pick(rng) < 10) {
      ir::Constraint big;
      big.l_target = "${attr.cpu.numcores}";
      big.op = ir::ConstraintOp::kGreaterEqual;
      big.r_target = "16";
      tg.constraints.push_back(big);
    }
    ir::NetworkResource net;
    for (int p = pick(rng) % 3; p > 0; --p) {
      net.dynamic_ports.push_back(ir::Port{"p" + std::to_string(p), 0, 0, "", {}});
    }
    tg.networks.push_back(net);
    ir::Task task;
    task.name = "main";
    task.driver = pick(rng) < 80 ? "docker" : "exec";
    task.config = {{"image", "app:" + std::to_string(k)}};
    task.resources.cpu = 50 + 50 * (pick(rng) % 5);        // 50..250 MHz
    task.resources.memory_mb = 64 + 48 * (pick(rng) % 5);  // 64..256 MB
    tg.tasks.push_back(task);
    ir::EphemeralDisk disk;
    disk.size_mb = 100;
    tg.ephemeral_disk = disk;
    job.task_groups.push_back(tg);
  }
  return job;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int Run(const Options& o) {
  using Clock = std::chrono::steady_clock;
  std::mt19937_64 rng(o.seed);
  model::State state;
  state.ReserveAllocs(static_cast<size_t>(o.allocs));
  model::Index index = 0;
  for (int i = 0; i < o.nodes; ++i) state.UpsertNode(MakeNode(i, rng), ++index);

  scheduler::SchedulerConfig config;
  config.algorithm = o.algorithm;
  config.max_score_meta = o.score_meta;

  std::vector<double> eval_ms;  // per evaluation, in the chosen clock
  double wall_seconds = 0;      // the same loop in wall time, for reference
  double cpu_seconds = 0;       // and in this thread's CPU time
  int64_t placed = 0;
  int64_t failed = 0;
  int64_t rejected_nodes = 0;
  std::map<std::string, int64_t> reasons;  // first failure's dimension -> unplaced allocations
  double busy_seconds = 0;
  int64_t remaining = o.allocs;
  model::Time now = 1'700'000'000'000'000'000;
  for (int k = 0; remaining > 0; ++k) {
    int64_t n = std::min<int64_t>(remaining, o.allocs_per_job);
    remaining -= n;
    ir::Job spec = MakeJob(k, n, rng);
    model::JobVersion version;
    version.spec = spec;
    state.UpsertJobVersion(std::move(version), ++index);
    model::Evaluation eval;
    eval.id = model::Id::FromRandom(rng(), rng());
    eval.job_id = spec.id;
    eval.type = std::string(ir::ToString(*spec.type));
    eval.triggered_by = "job-register";

    auto start = Clock::now();
    double cpu_start = ThreadCpuSeconds();
    // Schedule, re-check against the latest state, apply; retry what was refused.
    for (int attempt = 0; attempt < 5; ++attempt) {
      scheduler::ScheduleResult r = scheduler::Schedule(
          {&state, eval, now, o.seed + static_cast<uint64_t>(attempt), config, nullptr});
      if (attempt == 0) {
        for (const auto& [tg, m] : r.plan.failed_tg_allocs) {
          failed += m.coalesced_failures + 1;
          for (const auto& [dim, count] : m.dimension_exhausted)
            reasons[dim] += m.coalesced_failures + 1;
          for (const auto& [c, count] : m.constraint_filtered) reasons["filtered: " + c] += 0;
          if (m.dimension_exhausted.empty())
            reasons["no feasible node"] += m.coalesced_failures + 1;
        }
      }
      scheduler::PlanResult result = scheduler::EvaluatePlan(state, std::move(r.plan));
      for (const auto& [node, allocs] : result.node_allocation)
        placed += static_cast<int64_t>(allocs.size());
      rejected_nodes += static_cast<int64_t>(result.rejected_nodes.size());
      bool done = result.FullyCommitted();
      scheduler::ApplyPlanResult(state, std::move(result), ++index);
      if (done) break;
    }
    double wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    double cpu_ms = (ThreadCpuSeconds() - cpu_start) * 1000.0;
    double ms = o.wall_clock ? wall_ms : cpu_ms;
    wall_seconds += wall_ms / 1000.0;
    cpu_seconds += cpu_ms / 1000.0;
    eval_ms.push_back(ms);
    busy_seconds += ms / 1000.0;
    now += 1'000'000;
    if (!o.quiet && k % 100 == 99) {
      std::fprintf(stderr, "  %d evaluations, %lld placed, %.0f placements/s\n", k + 1,
                   static_cast<long long>(placed), static_cast<double>(placed) / busy_seconds);
    }
  }

  // Packing quality: how many nodes hold allocations, and how full they are (CPU and memory
  // in use over the capacity of the nodes in use, averaged).
  int64_t used = 0;
  double cpu_used = 0, cpu_cap = 0, mem_used = 0, mem_cap = 0;
  for (const model::Node* node : state.Nodes()) {
    const model::NodeUsage& u = state.Usage(node->id);
    if (u.allocs == 0) continue;
    ++used;
    scheduler::Capacity cap = scheduler::NodeCapacity(*node);
    cpu_used += u.cpu_mhz;
    mem_used += u.memory_mb;
    cpu_cap += static_cast<double>(cap.cpu_mhz);
    mem_cap += static_cast<double>(cap.memory_mb);
  }
  double util = used > 0 ? (cpu_used / cpu_cap + mem_used / mem_cap) / 2.0 : 0.0;
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  double rss_mib = static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is KiB on Linux
  double pps = busy_seconds > 0 ? static_cast<double>(placed) / busy_seconds : 0;
  const char* algo = o.algorithm == Algorithm::kDrover ? "drover" : "nomad-baseline";
  std::printf(
      "algorithm=%s nodes=%d allocs=%lld evals=%zu placed=%lld failed=%lld "
      "rejected_nodes=%lld cpu_seconds=%.2f wall_seconds=%.2f wall_placements_per_sec=%.0f\n",
      algo, o.nodes, static_cast<long long>(o.allocs), eval_ms.size(),
      static_cast<long long>(placed), static_cast<long long>(failed),
      static_cast<long long>(rejected_nodes), cpu_seconds, wall_seconds,
      wall_seconds > 0 ? static_cast<double>(placed) / wall_seconds : 0.0);
  for (const auto& [reason, count] : reasons) {
    if (count > 0)
      std::printf("unplaced: %lld (%s)\n", static_cast<long long>(count), reason.c_str());
  }
  std::printf(
      "placements_per_sec=%.0f p50_eval_ms=%.3f p99_eval_ms=%.3f nodes_used=%lld "
      "mean_util=%.3f rss_mib=%.0f\n",
      pps, Percentile(eval_ms, 0.50), Percentile(eval_ms, 0.99), static_cast<long long>(used), util,
      rss_mib);
  // Tearing down a million allocations takes longer than building them; the process is done.
  std::fflush(stdout);
  std::_Exit(0);
}

}  // namespace
}  // namespace drover::bench

int main(int argc, char** argv) {
  return drover::bench::Run(drover::bench::ParseFlags(argc, argv));
}
