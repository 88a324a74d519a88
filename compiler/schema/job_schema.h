// The schema of a Nomad 1.6 job file: the top-level body (one `job` block) and every block below
// it, after Nomad's jobspec2 decoder (api struct tags plus its special cases). Block bodies that
// need decoding rules beyond the table (constraint shorthands, task `scaling "cpu"`, legacy
// job-level `task` blocks) are still described here; compiler/decode applies the rules.
#pragma once

#include <span>
#include <string_view>

#include "compiler/schema/schema.h"

namespace drover::schema {

/// The body of a job file: `job "<id>" { ... }` (after `variable`/`locals` were consumed).
const BlockSpec& JobFileSchema();

/// Named block specs, for tests and for decoders that need one directly.
const BlockSpec& JobSchema();
const BlockSpec& GroupSchema();
const BlockSpec& TaskSchema();
const BlockSpec& ServiceSchema();
const BlockSpec& CheckSchema();
const BlockSpec& ConnectSchema();
const BlockSpec& ResourcesSchema();
const BlockSpec& NetworkSchema();

/// Enum spellings used by the job schema (mirrors of compiler/ir/enums.h plus the few enums the
/// IR keeps as strings). A unit test checks that the mirrors agree with the IR.
namespace spellings {
std::span<const std::string_view> JobType();
std::span<const std::string_view> RestartMode();
std::span<const std::string_view> DelayFunction();
std::span<const std::string_view> HealthCheck();
std::span<const std::string_view> CheckType();
std::span<const std::string_view> AddressMode();
std::span<const std::string_view> ServiceProvider();
std::span<const std::string_view> OnUpdate();
std::span<const std::string_view> LifecycleHook();
std::span<const std::string_view> ArtifactMode();
std::span<const std::string_view> ChangeMode();
std::span<const std::string_view> VaultChangeMode();
std::span<const std::string_view> VolumeType();
std::span<const std::string_view> ScalingType();
std::span<const std::string_view> InitialStatus();
std::span<const std::string_view> CsiPluginType();
std::span<const std::string_view> PayloadMode();
}  // namespace spellings

}  // namespace drover::schema
