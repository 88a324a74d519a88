#include "runtime/drivers/process.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace drover::drivers {
namespace {

// Raw syscalls: glibc 2.36's <sys/pidfd.h> lacks extern "C" and does not link from C++.
int PidfdOpen(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
int PidfdSendSignal(int fd, int sig) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, fd, sig, nullptr, 0));
}

// Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and ')'.
std::optional<std::string> StatFieldsAfterComm(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  if (!f) return std::nullopt;
  std::string line;
  std::getline(f, line);
  size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 > line.size()) return std::nullopt;
  return line.substr(close + 2);
}

}  // namespace

std::optional<uint64_t> ProcessStartTime(pid_t pid) {
  std::optional<std::string> rest = StatFieldsAfterComm(pid);
  if (!rest) return std::nullopt;
  // rest starts at field 3 (state); starttime is field 22.
  std::istringstream in(*rest);
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(in >> field)) return std::nullopt;
  }
  return std::stoull(field);
}

std::optional<ProcessRef> RefOf(pid_t pid) {
  std::optional<uint64_t> start = ProcessStartTime(pid);
  if (!start) return std::nullopt;
  return ProcessRef{pid, *start};
}

bool IsRunning(const ProcessRef& ref) {
  if (ref.pid <= 0) return false;
  std::optional<std::string> rest = StatFieldsAfterComm(ref.pid);
  if (!rest || rest->empty() || (*rest)[0] == 'Z' || (*rest)[0] == 'X') return false;
  return ProcessStartTime(ref.pid) == ref.start_time;
}

int OpenPidfd(const ProcessRef& ref) {
  if (ref.pid <= 0) return -1;
  int fd = PidfdOpen(ref.pid);
  if (fd < 0) return -1;
  // Checked after opening: if the pid still has the recorded start time now, the pidfd is ours.
  if (ProcessStartTime(ref.pid) != ref.start_time) {
    close(fd);
    return -1;
  }
  return fd;
}

llvm::Error SignalProcess(const ProcessRef& ref, int signal) {
  int fd = OpenPidfd(ref);
  if (fd < 0) {
    return llvm::createStringError(std::errc::no_such_process, "process %d is gone",
                                   static_cast<int>(ref.pid));
  }
  int rc = PidfdSendSignal(fd, signal);
  int err = errno;
  close(fd);
  if (rc != 0) {
    return llvm::createStringError(std::error_code(err, std::generic_category()),
                                   "signal %d to process %d: %s", signal, static_cast<int>(ref.pid),
                                   std::strerror(err));
  }
  return llvm::Error::success();
}

void ReapIfChild(pid_t pid) {
  if (pid <= 0) return;
  siginfo_t info{};
  waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG);
}

}  // namespace drover::drivers
