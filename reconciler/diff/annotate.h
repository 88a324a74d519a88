// Plan annotations on a job diff (Nomad's scheduler/annotate.go): each task group gets the
// scheduler's update counts ("1 create, 2 in-place update"), a Count change says whether it
// forces create or destroy, and each changed task says what its change forces.
#pragma once

#include <map>
#include <string>

#include "reconciler/diff/diff.h"
#include "reconciler/model/types.h"

namespace drover::diff {

inline constexpr std::string_view kForcesCreate = "forces create";
inline constexpr std::string_view kForcesDestroy = "forces destroy";
inline constexpr std::string_view kForcesInPlace = "forces in-place update";
inline constexpr std::string_view kForcesDestructive = "forces create/destroy update";

/// Update type names as `job plan` prints them.
namespace update_type {
inline constexpr std::string_view kIgnore = "ignore";
inline constexpr std::string_view kCreate = "create";
inline constexpr std::string_view kDestroy = "destroy";
inline constexpr std::string_view kMigrate = "migrate";
inline constexpr std::string_view kCanary = "canary";
inline constexpr std::string_view kInPlace = "in-place update";
inline constexpr std::string_view kDestructive = "create/destroy update";
}  // namespace update_type

/// Annotates `diff` in place with the scheduler's per-group decisions. Task annotations: a task
/// of an added (deleted) group forces create (destroy); in an edited task any field change except
/// KillTimeout forces a create/destroy update, and so does any object change other than Service,
/// Constraint, Affinity, Spread and LogConfig (LogConfig.Disabled excepted); otherwise in-place.
void Annotate(JobDiff& diff, const std::map<std::string, model::DesiredUpdates>& desired);

}  // namespace drover::diff
