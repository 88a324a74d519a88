// What a command takes from the world besides its arguments and streams: the environment, the
// clock, sleeping, the transport to the agent's HTTP API and whether stdout is a terminal. The
// `drover` binary leaves Io::ctx unset and gets the real ones; tests pass a CliContext with a
// fixed clock, no sleeping and a scripted transport so that output is deterministic.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace drover::cli {

class ApiTransport;
struct Io;

struct CliContext {
  /// Environment lookup; empty means ::getenv.
  std::function<std::optional<std::string>(std::string_view)> getenv;
  /// Wall clock in Unix nanoseconds; empty means the system clock.
  std::function<int64_t()> now_ns;
  /// Pause between polls of the agent; empty means std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// How API requests reach the agent; null means HTTP to the resolved address.
  std::shared_ptr<ApiTransport> transport;
  /// Whether stdout is a terminal (colors on by default); unset means isatty(1) when io.out is
  /// std::cout, false otherwise.
  std::optional<bool> stdout_is_terminal;

  std::optional<std::string> GetEnv(std::string_view name) const;
  int64_t NowNs() const;
  void Sleep(std::chrono::milliseconds d) const;
};

/// The context of `io` (Io::ctx), or the process defaults.
const CliContext& ContextOf(const Io& io);

/// Whether `io.out` is a terminal, per the context.
bool StdoutIsTerminal(const Io& io);

}  // namespace drover::cli
