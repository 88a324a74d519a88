#include "compiler/ir/enums.h"

#include <array>

namespace drover::ir {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> Lookup(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 4> kJobType = {"service", "batch", "system", "sysbatch"};
constexpr std::array<std::string_view, 2> kRestartMode = {"fail", "delay"};
constexpr std::array<std::string_view, 3> kDelayFunction = {"constant", "exponential",
                                                             "fibonacci"};
constexpr std::array<std::string_view, 3> kHealthCheck = {"checks", "task_states", "manual"};
constexpr std::array<std::string_view, 4> kCheckType = {"http", "tcp", "script", "grpc"};
constexpr std::array<std::string_view, 4> kAddressMode = {"auto", "host", "driver", "alloc"};
constexpr std::array<std::string_view, 2> kProvider = {"consul", "nomad"};
constexpr std::array<std::string_view, 3> kOnUpdate = {"require_healthy", "ignore_warnings",
                                                        "ignore"};
constexpr std::array<std::string_view, 3> kHook = {"prestart", "poststart", "poststop"};
constexpr std::array<std::string_view, 3> kArtifactMode = {"any", "file", "dir"};
constexpr std::array<std::string_view, 4> kChangeMode = {"restart", "signal", "noop", "script"};
constexpr std::array<std::string_view, 2> kVolumeType = {"host", "csi"};
constexpr std::array<std::string_view, 3> kScalingType = {"horizontal", "vertical_cpu",
                                                           "vertical_mem"};
constexpr std::array<std::string_view, 15> kConstraintOp = {
    "=",      "!=",          "<",       "<=", ">",   ">=", "distinct_hosts", "distinct_property",
    "regexp", "set_contains", "set_contains_any", "version", "semver", "is_set", "is_not_set"};
// kConstraintOp's order differs from the enum's; map explicitly.
constexpr std::array<ConstraintOp, 15> kConstraintOpValues = {
    ConstraintOp::kEqual,        ConstraintOp::kNotEqual,       ConstraintOp::kLess,
    ConstraintOp::kLessEqual,    ConstraintOp::kGreater,        ConstraintOp::kGreaterEqual,
    ConstraintOp::kDistinctHosts, ConstraintOp::kDistinctProperty, ConstraintOp::kRegexp,
    ConstraintOp::kSetContains,  ConstraintOp::kSetContainsAny, ConstraintOp::kVersion,
    ConstraintOp::kSemver,       ConstraintOp::kIsSet,          ConstraintOp::kIsNotSet};

}  // namespace

#define DROVER_SIMPLE_ENUM(Enum, table)                                                       \
  std::string_view ToString(Enum v) { return table[static_cast<size_t>(v)]; }                 \
  std::optional<Enum> Parse##Enum(std::string_view s) { return Lookup<Enum>(table, s); }      \
  std::span<const std::string_view> Spellings(Enum) { return table; }

DROVER_SIMPLE_ENUM(JobType, kJobType)
DROVER_SIMPLE_ENUM(RestartMode, kRestartMode)
DROVER_SIMPLE_ENUM(DelayFunction, kDelayFunction)
DROVER_SIMPLE_ENUM(HealthCheckMode, kHealthCheck)
DROVER_SIMPLE_ENUM(CheckType, kCheckType)
DROVER_SIMPLE_ENUM(AddressMode, kAddressMode)
DROVER_SIMPLE_ENUM(ServiceProvider, kProvider)
DROVER_SIMPLE_ENUM(OnUpdate, kOnUpdate)
DROVER_SIMPLE_ENUM(LifecycleHook, kHook)
DROVER_SIMPLE_ENUM(ArtifactMode, kArtifactMode)
DROVER_SIMPLE_ENUM(ChangeMode, kChangeMode)
DROVER_SIMPLE_ENUM(VolumeType, kVolumeType)
DROVER_SIMPLE_ENUM(ScalingType, kScalingType)
#undef DROVER_SIMPLE_ENUM

std::string_view ToString(ConstraintOp v) {
  for (size_t i = 0; i < kConstraintOpValues.size(); ++i) {
    if (kConstraintOpValues[i] == v) return kConstraintOp[i];
  }
  return "=";
}

std::optional<ConstraintOp> ParseConstraintOp(std::string_view s) {
  if (s == "==" || s == "is") return ConstraintOp::kEqual;
  if (s == "not") return ConstraintOp::kNotEqual;
  if (s == "set_contains_all") return ConstraintOp::kSetContains;
  for (size_t i = 0; i < kConstraintOp.size(); ++i) {
    if (kConstraintOp[i] == s) return kConstraintOpValues[i];
  }
  return std::nullopt;
}

std::span<const std::string_view> Spellings(ConstraintOp) { return kConstraintOp; }

}  // namespace drover::ir
