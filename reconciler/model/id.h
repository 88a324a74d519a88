// Ids of server-assigned objects (nodes, allocations, evaluations, deployments): 128-bit UUIDs
// held in 16 bytes, printed in the usual 8-4-4-4-12 form. Compact because a large cluster holds
// a million allocations and several ids per allocation.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace drover::model {

struct Id {
  uint64_t hi = 0;
  uint64_t lo = 0;

  bool IsZero() const { return hi == 0 && lo == 0; }
  /// "8c4d5e6f-...-..." (36 chars); the zero id prints as "".
  std::string ToString() const;
  /// The first 8 characters, as Nomad's CLI prints ids.
  std::string Short() const { return ToString().substr(0, 8); }
  /// Parses the 36-character form (case-insensitive). "" parses to the zero id.
  static std::optional<Id> Parse(std::string_view s);
  /// A version-4 UUID from two 64-bit random words (callers own the RNG: deterministic tests).
  static Id FromRandom(uint64_t a, uint64_t b);

  auto operator<=>(const Id&) const = default;
};

struct IdHash {
  size_t operator()(const Id& id) const { return std::hash<uint64_t>()(id.hi ^ (id.lo * 0x9E3779B97F4A7C15ULL)); }
};

}  // namespace drover::model
