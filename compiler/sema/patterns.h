// Checks for the small languages embedded in a jobspec that Nomad parses when it validates a job:
// cron expressions (gorhill/cronexpr), regular expressions (Go RE2 syntax), version constraints
// (hashicorp/go-version and Nomad's semver flavour), and task-relative paths. Each check returns
// the reason a text is rejected, or nullopt when it is accepted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace drover::sema {

/// A cron spec as gorhill/cronexpr accepts it: 5 fields (minute hour day-of-month month
/// day-of-week), 6 (plus year) or 7 (seconds first, year last), with `*`, `?`, lists, ranges,
/// steps, month/day names, `L`, `W`, `#`; or one of @yearly @annually @monthly @weekly @daily
/// @midnight @hourly.
std::optional<std::string> CheckCronSpec(std::string_view spec);

/// A regular expression in Go's RE2 syntax. RE2's extras that ECMAScript lacks ((?i) flags,
/// (?P<name>...), \A, \z) are accepted; constructs RE2 rejects (backreferences, lookaround) are
/// reported. The rest is checked with std::regex, so an exotic pattern may be judged differently
/// from Go.
std::optional<std::string> CheckRegexp(std::string_view pattern);

/// A hashicorp/go-version constraint list: comma-separated `[op] version` with op one of
/// = != > < >= <= ~>.
std::optional<std::string> CheckVersionConstraint(std::string_view constraint);

/// Nomad's semver constraint: like CheckVersionConstraint without `~>`, versions of at most
/// three numeric parts.
std::optional<std::string> CheckSemverConstraint(std::string_view constraint);

/// Nomad's PathEscapesAllocDir: whether `prefix/path`, resolved inside an allocation directory,
/// ends up outside it.
bool PathEscapesAllocDir(std::string_view prefix, std::string_view path);

}  // namespace drover::sema
