#include "reconciler/model/types.h"

#include <array>

#include <fmt/format.h>

namespace drover::model {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> Lookup(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 4> kNodeStatus = {"initializing", "ready", "down",
                                                          "disconnected"};
constexpr std::array<std::string_view, 3> kDesired = {"run", "stop", "evict"};
constexpr std::array<std::string_view, 6> kClient = {"pending", "running", "complete",
                                                      "failed",  "lost",    "unknown"};
constexpr std::array<std::string_view, kScorerCount> kScorers = {
    "binpack", "job-anti-affinity", "node-reschedule-penalty", "node-affinity",
    "allocation-spread"};
constexpr std::array<std::string_view, 5> kEval = {"blocked", "pending", "complete", "failed",
                                                    "canceled"};

}  // namespace

std::string_view ToString(Scorer s) { return kScorers[static_cast<size_t>(s)]; }
std::optional<Scorer> ParseScorer(std::string_view s) { return Lookup<Scorer>(kScorers, s); }
std::string_view ToString(NodeStatus s) { return kNodeStatus[static_cast<size_t>(s)]; }
std::optional<NodeStatus> ParseNodeStatus(std::string_view s) {
  return Lookup<NodeStatus>(kNodeStatus, s);
}
std::string_view ToString(DesiredStatus s) { return kDesired[static_cast<size_t>(s)]; }
std::string_view ToString(ClientStatus s) { return kClient[static_cast<size_t>(s)]; }
std::optional<DesiredStatus> ParseDesiredStatus(std::string_view s) {
  return Lookup<DesiredStatus>(kDesired, s);
}
std::optional<ClientStatus> ParseClientStatus(std::string_view s) {
  return Lookup<ClientStatus>(kClient, s);
}
std::string_view ToString(EvalStatus s) { return kEval[static_cast<size_t>(s)]; }
std::optional<EvalStatus> ParseEvalStatus(std::string_view s) { return Lookup<EvalStatus>(kEval, s); }

int AllocatedResources::TotalCpu() const {
  int total = 0;
  for (const auto& t : tasks) total += t.cpu_mhz;
  return total;
}

int AllocatedResources::TotalMemory() const {
  int total = 0;
  for (const auto& t : tasks) total += t.memory_mb;
  return total;
}

std::string Allocation::Name() const { return fmt::format("{}.{}[{}]", job_id, task_group, index); }

bool Deployment::RequiresPromotion() const {
  for (const auto& [name, tg] : task_groups) {
    if (tg.desired_canaries > 0 && !tg.promoted) return true;
  }
  return false;
}

}  // namespace drover::model
