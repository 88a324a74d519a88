// The server side's throughput: synced state-store writes (LevelDB, the durability cost of every
// acknowledged write) and end-to-end placement through the server core (register -> broker ->
// workers -> scheduler -> plan applier) on an in-memory store.
#include <unistd.h>

#include <filesystem>

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include "compiler/sema/canonicalize.h"
#include "runtime/server/server.h"
#include "runtime/store/leveldb_state_store.h"

namespace drover {
namespace {

model::Id IdFor(uint64_t a, uint64_t b) {
  return model::Id::FromRandom((a << 32 | b) * 0x9E3779B97F4A7C15ULL, b);
}

model::Node Node(int i) {
  model::Node n;
  n.id = IdFor(1, static_cast<uint64_t>(i) + 1);
  n.secret_id = "s";
  n.name = "node-" + std::to_string(i);
  n.attributes = {{"kernel.name", "linux"}};
  n.resources.cpu_mhz = 8000;
  n.resources.cpu_cores = 8;
  n.resources.memory_mb = 16384;
  n.resources.disk_mb = 100000;
  n.resources.networks.push_back({"host", "eth0", "", "10.0.0.1", "", 1000});
  n.drivers["exec"] = {true, true, "Healthy", {}, 0};
  n.status = model::NodeStatus::kReady;
  return n;
}

ir::Job Job(int i, int count) {
  ir::Job job;
  job.id = "job-" + std::to_string(i);
  job.datacenters = {"dc1"};
  ir::TaskGroup g;
  g.name = "web";
  g.count = count;
  ir::Task t;
  t.name = "t";
  t.driver = "exec";
  t.resources.cpu = 100;
  t.resources.memory_mb = 128;
  g.tasks.push_back(t);
  job.task_groups.push_back(g);
  sema::Canonicalize(job);
  return job;
}

void BM_LevelDbSyncedWrite(benchmark::State& state) {
  char tmpl[] = "/tmp/drover-bench-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  auto store = store::LevelDbStateStore::Open(dir);
  if (!store) {
    state.SkipWithError(llvm::toString(store.takeError()).c_str());
    return;
  }
  uint64_t i = 0;
  for (auto _ : state) {
    model::Evaluation e;
    e.id = IdFor(2, ++i);
    e.job_id = "bench";
    auto index = (*store)->UpsertEvals({e});
    if (!index) llvm::consumeError(index.takeError());
  }
  state.SetItemsProcessed(state.iterations());
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LevelDbSyncedWrite)->UseRealTime()->Unit(benchmark::kMicrosecond);

/// Places jobs x count allocations on `nodes` nodes through the whole server pipeline.
void BM_ServerPlacement(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const int jobs = 50;
  const int count = 20;
  for (auto _ : state) {
    state.PauseTiming();
    store::MemoryStateStore store;
    server::ManualClock clock;
    server::ServerConfig config;
    config.num_workers = 2;
    config.seed = 1;
    config.tick_interval = std::chrono::milliseconds(0);
    server::Server server(config, store, clock);
    for (int n = 0; n < nodes; ++n) {
      auto r = server.RegisterNode(Node(n));
      if (!r) llvm::consumeError(r.takeError());
    }
    server.Start();
    state.ResumeTiming();
    for (int j = 0; j < jobs; ++j) {
      auto r = server.RegisterJob(Job(j, count));
      if (!r) llvm::consumeError(r.takeError());
    }
    server.WaitForIdle(std::chrono::seconds(120));
    state.PauseTiming();
    size_t placed = store.Read()->AllocCount();
    state.counters["placed"] = static_cast<double>(placed);
    state.counters["partial_plans"] = static_cast<double>(server.stats().plans_partial);
    server.Stop();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * jobs * count);
}
BENCHMARK(BM_ServerPlacement)
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace drover

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
