// Small string helpers shared by every layer: edit distance for "did you mean", UTF-8 checks.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace drover::base {

/// Levenshtein distance between two byte strings.
size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a plausible typo (HCL's rule:
/// distance < 3), or nothing. Ties go to the first candidate.
std::optional<std::string> Suggest(std::string_view word,
                                   std::span<const std::string_view> candidates);

/// Length in bytes of the valid UTF-8 sequence starting at s[0], or 0 when it is invalid or
/// truncated. REQUIRES: !s.empty().
size_t Utf8SequenceLength(std::string_view s);

/// Whether every byte of `s` belongs to a valid UTF-8 sequence.
bool IsValidUtf8(std::string_view s);

/// Number of code points in a valid UTF-8 string (invalid bytes count one each).
size_t Utf8Length(std::string_view s);

/// Appends the UTF-8 encoding of code point `cp` to `out`.
void AppendUtf8(std::string& out, char32_t cp);

}  // namespace drover::base
