// Processes named by pid AND start time, so that a pid the kernel recycled after a restart of the
// agent is never mistaken for the task (Nomad's executor handles carry the same pair). Signals go
// through a pidfd opened and then checked, which closes the window between check and kill.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include <llvm/Support/Error.h>

namespace drover::drivers {

struct ProcessRef {
  pid_t pid = 0;
  uint64_t start_time = 0;  ///< field 22 of /proc/<pid>/stat (clock ticks since boot)
};

/// Start time of `pid`, or nullopt when there is no such process.
std::optional<uint64_t> ProcessStartTime(pid_t pid);

/// A reference to a live process `pid` (its current start time), or nullopt.
std::optional<ProcessRef> RefOf(pid_t pid);

/// True when the process exists, has the recorded start time and is not a zombie.
bool IsRunning(const ProcessRef& ref);

/// A pidfd for `ref`, or -1 when the process is gone or the pid now names another process. The
/// caller closes it. A zombie still yields a pidfd (it polls readable at once).
int OpenPidfd(const ProcessRef& ref);

/// Sends `signal` to the process `ref` names; an error when it is gone.
llvm::Error SignalProcess(const ProcessRef& ref, int signal);

/// Reaps `pid` if it is a child of this process and has exited; harmless otherwise.
void ReapIfChild(pid_t pid);

}  // namespace drover::drivers
