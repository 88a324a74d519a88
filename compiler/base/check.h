// Checks for programmer errors. A failed DROVER_CHECK is a bug in drover, never a user mistake:
// user mistakes become diagnostics and environment failures become error values.
#pragma once

namespace drover::base {

/// Prints "drover: internal error at file:line: why (cond)" to stderr and aborts.
[[noreturn]] void CheckFailed(const char* file, int line, const char* cond, const char* why);

}  // namespace drover::base

#define DROVER_CHECK(cond, why)                                      \
  do {                                                               \
    if (!(cond)) ::drover::base::CheckFailed(__FILE__, __LINE__, #cond, why); \
  } while (0)

#define DROVER_UNREACHABLE(why) ::drover::base::CheckFailed(__FILE__, __LINE__, "unreachable", why)
