// Node selection for one task group (Nomad's iterator stack, flattened into one loop): feasibility
// (job constraints, drivers, group and task constraints, network mode, cached per computed node
// class), distinct_hosts and distinct_property, bin-packing with port assignment, then the
// scorers (job anti-affinity, reschedule penalty, node affinity, spread), the limit with skips and
// the maximum. Internal to reconciler/scheduler.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ir/job.h"
#include "reconciler/scheduler/context.h"
#include "reconciler/scheduler/resources.h"

namespace drover::scheduler {

enum class StackKind : uint8_t { kService, kBatch, kSystem };

struct SelectOptions {
  /// Nodes that get the reschedule penalty (where the replaced allocation failed).
  std::vector<model::Id> penalty_nodes;
  /// Try this node first (sticky ephemeral disk); fall back to the whole list.
  const model::Node* preferred_node = nullptr;
};

struct RankedNode {
  const model::Node* node = nullptr;
  double final_score = 0;
  model::AllocatedResources resources;
};

class PropertySet;

class Stack {
 public:
  Stack(EvalContext& ctx, StackKind kind);
  ~Stack();

  /// The job whose groups are placed; resets every per-group cache.
  void SetJob(const ir::Job* job);
  /// The candidate nodes, in visiting order (the generic scheduler shuffles them first).
  void SetNodes(std::vector<const model::Node*> nodes);
  size_t node_count() const { return nodes_.size(); }

  /// The best node for one more allocation of group `tg_index`, or nullopt (see ctx.metrics()).
  std::optional<RankedNode> Select(size_t tg_index, const SelectOptions& options);

 private:
  struct Slot {
    const model::Node* node = nullptr;
    const model::NodeUsage* usage = nullptr;  // lazily looked up
    int class_id = -1;                        // lazily computed
  };
  struct Scores {
    double binpack = 0;
    double anti_affinity = 0;
    double penalty = 0;
    double affinity = 0;
    double spread = 0;
    bool has_spread = false;
  };
  struct Candidate {
    size_t slot = 0;
    double final_score = 0;
    Scores scores;
    model::AllocatedResources resources;
  };
  struct GroupInfo;

  GroupInfo& Group(size_t tg_index);
  int ClassOf(Slot& slot);
  const model::NodeUsage& UsageOf(Slot& slot);
  bool Feasible(Slot& slot, GroupInfo& g);
  bool JobChecks(const model::Node& node);
  bool GroupChecks(const model::Node& node, GroupInfo& g);
  bool DistinctOk(Slot& slot, GroupInfo& g);
  bool Rank(Slot& slot, GroupInfo& g, const SelectOptions& options, Candidate& out);
  bool AssignNetworks(Slot& slot, GroupInfo& g, model::AllocatedResources& res,
                      std::string* error);
  std::optional<RankedNode> SelectFrom(size_t tg_index, const SelectOptions& options);
  void RecordScoreMeta(const std::vector<size_t>& scored);

  EvalContext& ctx_;
  StackKind kind_;
  const ir::Job* job_ = nullptr;
  std::vector<Slot> nodes_;
  size_t offset_ = 0;       // Nomad's StaticIterator offset, kept across selections
  size_t base_limit_ = 2;
  std::vector<size_t> group_cursor_;  // drover: the node each group last chose

  std::unordered_map<std::string, int> class_ids_;
  std::vector<const ir::Constraint*> job_constraints_;
  bool job_escaped_ = false;
  bool job_distinct_hosts_ = false;
  std::vector<int8_t> job_class_status_;
  std::vector<std::unique_ptr<PropertySet>> job_property_sets_;
  std::vector<std::unique_ptr<GroupInfo>> groups_;
  int32_t sum_spread_weights_ = 0;
  double lowest_spread_boost_ = -1.0;

  std::vector<Candidate> pool_;  // reused between selections
  std::vector<std::pair<model::Id, Scores>> scored_;
  std::vector<double> scored_final_;
};

}  // namespace drover::scheduler
