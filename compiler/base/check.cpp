#include "compiler/base/check.h"

#include <cstdio>
#include <cstdlib>

namespace drover::base {

void CheckFailed(const char* file, int line, const char* cond, const char* why) {
  std::fprintf(stderr, "drover: internal error at %s:%d: %s (%s)\n", file, line, why, cond);
  std::fflush(stderr);
  std::abort();
}

}  // namespace drover::base
