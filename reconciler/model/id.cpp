#include "reconciler/model/id.h"

#include <fmt/format.h>

namespace drover::model {

std::string Id::ToString() const {
  if (IsZero()) return "";
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

std::optional<Id> Id::Parse(std::string_view s) {
  if (s.empty()) return Id{};
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
    return std::nullopt;
  }
  uint64_t words[2] = {0, 0};
  int nibbles = 0;
  for (char c : s) {
    if (c == '-') continue;
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    uint64_t& w = words[nibbles / 16];
    w = (w << 4) | static_cast<uint64_t>(v);
    ++nibbles;
  }
  return Id{words[0], words[1]};
}

Id Id::FromRandom(uint64_t a, uint64_t b) {
  a = (a & ~0xF000ULL) | 0x4000ULL;                             // version 4
  b = (b & ~(0xC000ULL << 48)) | (0x8000ULL << 48);             // variant 10
  Id id{a, b};
  if (id.IsZero()) id.lo = 1;
  return id;
}

}  // namespace drover::model
