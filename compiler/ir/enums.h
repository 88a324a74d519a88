// The jobspec's enumerations, with the spelling Nomad uses in HCL and in its API JSON.
// Parse*() return nullopt for an unknown spelling (the decoder turns that into a diagnostic that
// lists the valid ones, see Spellings()).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace drover::ir {

enum class JobType : uint8_t { kService, kBatch, kSystem, kSysbatch };
enum class RestartMode : uint8_t { kFail, kDelay };
enum class DelayFunction : uint8_t { kConstant, kExponential, kFibonacci };
enum class HealthCheckMode : uint8_t { kChecks, kTaskStates, kManual };
enum class CheckType : uint8_t { kHttp, kTcp, kScript, kGrpc };
enum class AddressMode : uint8_t { kAuto, kHost, kDriver, kAlloc };
enum class ServiceProvider : uint8_t { kConsul, kNomad };
enum class OnUpdate : uint8_t { kRequireHealthy, kIgnoreWarnings, kIgnore };
enum class LifecycleHook : uint8_t { kPrestart, kPoststart, kPoststop };
enum class ArtifactMode : uint8_t { kAny, kFile, kDir };
enum class ChangeMode : uint8_t { kRestart, kSignal, kNoop, kScript };
enum class VolumeType : uint8_t { kHost, kCsi };
enum class ScalingType : uint8_t { kHorizontal, kVerticalCpu, kVerticalMem };

/// Constraint and affinity operators. kDistinctHosts/kDistinctProperty are constraint-only.
enum class ConstraintOp : uint8_t {
  kEqual,             ///< "=" (also "==", "is")
  kNotEqual,          ///< "!=" (also "not")
  kGreater,           ///< ">"
  kGreaterEqual,      ///< ">="
  kLess,              ///< "<"
  kLessEqual,         ///< "<="
  kDistinctHosts,     ///< "distinct_hosts"
  kDistinctProperty,  ///< "distinct_property"
  kRegexp,            ///< "regexp"
  kSetContains,       ///< "set_contains" (alias "set_contains_all")
  kSetContainsAny,    ///< "set_contains_any"
  kVersion,           ///< "version"
  kSemver,            ///< "semver"
  kIsSet,             ///< "is_set"
  kIsNotSet,          ///< "is_not_set"
};

#define DROVER_IR_ENUM_FUNCS(Enum)                             \
  std::string_view ToString(Enum v);                           \
  std::optional<Enum> Parse##Enum(std::string_view s);         \
  std::span<const std::string_view> Spellings(Enum /*tag*/);

DROVER_IR_ENUM_FUNCS(JobType)
DROVER_IR_ENUM_FUNCS(RestartMode)
DROVER_IR_ENUM_FUNCS(DelayFunction)
DROVER_IR_ENUM_FUNCS(HealthCheckMode)
DROVER_IR_ENUM_FUNCS(CheckType)
DROVER_IR_ENUM_FUNCS(AddressMode)
DROVER_IR_ENUM_FUNCS(ServiceProvider)
DROVER_IR_ENUM_FUNCS(OnUpdate)
DROVER_IR_ENUM_FUNCS(LifecycleHook)
DROVER_IR_ENUM_FUNCS(ArtifactMode)
DROVER_IR_ENUM_FUNCS(ChangeMode)
DROVER_IR_ENUM_FUNCS(VolumeType)
DROVER_IR_ENUM_FUNCS(ScalingType)
DROVER_IR_ENUM_FUNCS(ConstraintOp)

#undef DROVER_IR_ENUM_FUNCS

}  // namespace drover::ir
