// A child process for tests that run the `drover` binary (agents): stdout and stderr captured by
// reader threads, waits on output patterns with deadlines, signals by pid, and a destructor that
// SIGKILLs and reaps a child still running, so a failing test never leaves an agent behind.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace drover::testing {

class ChildProcess {
 public:
  /// Starts argv[0] (a path) with `argv`; nullptr when fork or exec setup fails.
  static std::unique_ptr<ChildProcess> Spawn(const std::vector<std::string>& argv) {
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return nullptr;
    if (::pipe2(err, O_CLOEXEC) != 0) {
      ::close(out[0]);
      ::close(out[1]);
      return nullptr;
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) return nullptr;
    if (pid == 0) {
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      // The test runner may block signals in its threads; the agent expects a clean mask.
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    return std::unique_ptr<ChildProcess>(new ChildProcess(pid, out[0], err[0]));
  }

  ~ChildProcess() {
    if (!exited_) {
      ::kill(pid_, SIGKILL);
      Wait(std::chrono::seconds(10));
    }
    if (out_reader_.joinable()) out_reader_.join();
    if (err_reader_.joinable()) err_reader_.join();
  }

  pid_t pid() const { return pid_; }

  /// Waits until stdout matches `pattern`; returns its first capture group (or the whole match),
  /// or nullopt when the deadline passes or the child's stdout ends first.
  std::optional<std::string> WaitForStdout(const std::string& pattern,
                                           std::chrono::milliseconds timeout) {
    std::regex re(pattern);
    std::unique_lock<std::mutex> lock(mu_);
    std::optional<std::string> found;
    cv_.wait_for(lock, timeout, [&] {
      std::smatch m;
      if (std::regex_search(out_, m, re)) {
        found = m.size() > 1 ? m[1].str() : m[0].str();
        return true;
      }
      return out_closed_;
    });
    return found;
  }

  void Signal(int sig) { ::kill(pid_, sig); }

  /// The exit code (128 + signal when killed by one), or nullopt if still running at the
  /// deadline.
  std::optional<int> Wait(std::chrono::milliseconds timeout) {
    if (exited_) return status_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int st = 0;
      pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        // The readers may still hold the last output in the pipes: wait until both reach end of
        // file (bounded, because a grandchild can keep a pipe open) so Stdout()/Stderr() after
        // Wait() see everything the process wrote.
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_until(lock, std::max(deadline, std::chrono::steady_clock::now() +
                                                    std::chrono::seconds(2)),
                       [this] { return out_closed_ && err_closed_; });
        return status_;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  std::string Stdout() {
    std::lock_guard<std::mutex> lock(mu_);
    return out_;
  }
  std::string Stderr() {
    std::lock_guard<std::mutex> lock(mu_);
    return err_;
  }

 private:
  ChildProcess(pid_t pid, int out_fd, int err_fd) : pid_(pid) {
    out_reader_ = std::thread([this, out_fd] { Read(out_fd, out_, out_closed_); });
    err_reader_ = std::thread([this, err_fd] { Read(err_fd, err_, err_closed_); });
  }

  void Read(int fd, std::string& into, bool& closed) {
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      std::lock_guard<std::mutex> lock(mu_);
      into.append(buf, static_cast<size_t>(n));
      cv_.notify_all();
    }
    ::close(fd);
    std::lock_guard<std::mutex> lock(mu_);
    closed = true;
    cv_.notify_all();
  }

  pid_t pid_;
  bool exited_ = false;
  int status_ = -1;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string out_;
  std::string err_;
  bool out_closed_ = false;
  bool err_closed_ = false;
  std::thread out_reader_;
  std::thread err_reader_;
};

}  // namespace drover::testing
