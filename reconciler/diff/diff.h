// Field-level differences between two versions of a job, shaped and named exactly as Nomad's
// `nomad job plan` and `/v1/job/:id/plan` report them (nomad/structs/diff.go): Job, TaskGroup,
// Task, Object and Field diffs of type Added, Deleted, Edited or None; fields named as Nomad's
// structs name them (Count, Driver, KillTimeout, Env[FOO]); driver config flattened as
// `image`, `port_map[0][db]`; durations as nanosecond integers; numbers and booleans as Go
// prints them. Fields and objects are ordered by name (objects then by type and contents).
//
// Like Nomad's Plan endpoint the diff is contextual: an edited object lists its unchanged
// fields too (type None), while the job, group and task levels list only what changed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/ir/job.h"

namespace drover::diff {

enum class DiffType : uint8_t { kNone, kAdded, kDeleted, kEdited };
/// "None", "Added", "Deleted", "Edited".
std::string_view ToString(DiffType t);

struct FieldDiff {
  DiffType type = DiffType::kNone;
  std::string name;
  std::string old_value;
  std::string new_value;
  std::vector<std::string> annotations;
  bool operator==(const FieldDiff&) const = default;
};

struct ObjectDiff {
  DiffType type = DiffType::kNone;
  std::string name;
  std::vector<FieldDiff> fields;
  std::vector<ObjectDiff> objects;
  bool operator==(const ObjectDiff&) const = default;
};

struct TaskDiff {
  DiffType type = DiffType::kNone;
  std::string name;
  std::vector<FieldDiff> fields;
  std::vector<ObjectDiff> objects;
  std::vector<std::string> annotations;  ///< "forces create", "forces in-place update", ...
  bool operator==(const TaskDiff&) const = default;
};

struct TaskGroupDiff {
  DiffType type = DiffType::kNone;
  std::string name;
  std::vector<FieldDiff> fields;
  std::vector<ObjectDiff> objects;
  std::vector<TaskDiff> tasks;
  /// Update type ("create", "destroy", "in-place update", ...) -> count; set by Annotate().
  std::map<std::string, uint64_t> updates;
  bool operator==(const TaskGroupDiff&) const = default;
};

struct JobDiff {
  DiffType type = DiffType::kNone;
  std::string id;
  std::vector<FieldDiff> fields;
  std::vector<ObjectDiff> objects;
  std::vector<TaskGroupDiff> task_groups;
  bool operator==(const JobDiff&) const = default;
};

struct DiffOptions {
  bool old_stopped = false;  ///< the stored version is stopped (shows as Stop "true" => "false")
  bool new_stopped = false;
};

/// Diffs `old` (null for a new job) against `next`. Both should be canonical (compiler/sema has
/// run); unset optional fields take Nomad's defaults. Job ids must match when `old` is set.
JobDiff Diff(const ir::Job* old, const ir::Job& next, const DiffOptions& options = {});

/// Nomad's API JSON of a diff ({"Type","ID","Fields","Objects","TaskGroups"}).
nlohmann::json ToJson(const JobDiff& diff);

/// Go's `%v` of a float64 (shortest digits; `1e+06` from a million), as Nomad prints numbers
/// from driver config.
std::string GoFloat(double v);

}  // namespace drover::diff
