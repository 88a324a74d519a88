// How the scheduler ranks and samples nodes. `kNomad` follows Nomad's published behaviour
// exactly; `kDrover` is drover's own ranking, built to pack tighter with fewer node evaluations.
#pragma once

#include <cstdint>

namespace drover::scheduler {

enum class Algorithm : uint8_t {
  /// Nomad: nodes shuffled per evaluation and visited round-robin across selections; the best of
  /// the first `limit` feasible nodes wins (limit 2 for batch, max(2, ceil(log2 N)) for service,
  /// max(count, 100) with affinities or spreads); final score = mean of the scorers' outputs.
  kNomad,
  /// drover: the same feasibility and scorers, but each task group keeps a cursor on the node it
  /// last chose and the final score is the sum of the scorers' outputs, job anti-affinity at half
  /// weight (bin-packing dominates; anti-affinity only stops a group crowding one node). Limit 2
  /// without affinities or spreads, Nomad's limit with them. Fills nodes one after another
  /// instead of touching every node of the cluster.
  kDrover,
};

struct SchedulerConfig {
  Algorithm algorithm = Algorithm::kNomad;
  /// Nomad's NodeLimitForFeasibilityChecks (scheduler config), used with affinities or spreads.
  int node_limit_for_affinity = 100;
  /// How many top-scoring nodes an allocation's metrics keep (Nomad's MaxRetainedNodeScores).
  int max_score_meta = 5;
  /// Treat allocations on draining nodes as migrating (drover has no separate drainer yet).
  bool migrate_on_drain = true;
  /// Nomad's scheduler_algorithm = "spread": worst-fit instead of best-fit.
  bool spread_fit = false;
};

}  // namespace drover::scheduler
