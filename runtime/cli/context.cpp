#include "runtime/cli/context.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "runtime/cli/command.h"

namespace drover::cli {

std::optional<std::string> CliContext::GetEnv(std::string_view name) const {
  if (getenv) return getenv(name);
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

int64_t CliContext::NowNs() const {
  if (now_ns) return now_ns();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void CliContext::Sleep(std::chrono::milliseconds d) const {
  if (sleep) {
    sleep(d);
  } else {
    std::this_thread::sleep_for(d);
  }
}

const CliContext& ContextOf(const Io& io) {
  static const CliContext kDefault;
  return io.ctx != nullptr ? *io.ctx : kDefault;
}

bool StdoutIsTerminal(const Io& io) {
  const CliContext& ctx = ContextOf(io);
  if (ctx.stdout_is_terminal) return *ctx.stdout_is_terminal;
  return &io.out == &std::cout && isatty(STDOUT_FILENO) == 1;
}

}  // namespace drover::cli
