// The executor process: starts one task, isolated (exec) or not (raw_exec), copies its output into
// rotated log files, waits for it and records how it ended. See executor_spec.h for the contract.
//
// Process tree of an isolated task:
//
//   executor (host namespaces; subreaper)
//     └── init   pid 1 of new pid/mount/uts/ipc namespaces: builds the root, forwards signals,
//          │     reaps, reports the task's wait status on a pipe, dies with the executor
//          └── task   pid 2: the user's command, as `nobody` unless told otherwise
//
// A raw_exec task is the executor's direct child in its own session (process group). Both get the
// same start handshake: a pipe closed on exec (O_CLOEXEC) tells the executor the command really
// started, or carries the reason it did not ("no such file"), which becomes StartTask's error.
//
// The executor is single-threaded, so its children may use the C library freely after fork/clone.
#include "runtime/drivers/executor/executor_spec.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "runtime/drivers/log_rotator.h"
#include "runtime/drivers/process.h"

namespace drover::drivers {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// What a child needs; filled before fork/clone.
struct ChildContext {
  const ExecutorSpec* spec = nullptr;
  std::string root;  // realpath of task_dir (isolate)
  std::vector<std::string> argv;
  std::vector<std::string> envp;
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  int stdout_w = -1;
  int stderr_w = -1;
  int err_w = -1;                 // start errors; closed on exec
  int sync_r = -1;                // one byte from the executor once the cgroup is joined
  int status_w = -1;              // init -> executor: the task's wait status
  std::vector<int> executor_fds;  // the executor's ends of the pipes, closed in children at once
};

// Writes a start error for the executor and exits. Used by children only.
[[noreturn]] void ChildFail(const ChildContext& ctx, const std::string& message) {
  if (ctx.err_w >= 0) {
    ssize_t ignored = write(ctx.err_w, message.data(), message.size());
    (void)ignored;
  }
  _exit(127);
}

void ResetSignals() {
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  for (int s = 1; s < NSIG; ++s) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    signal(s, SIG_DFL);
  }
}

// The command as a path the kernel can execute, searched in the task's PATH when it has no '/'.
std::string ResolveCommand(const ChildContext& ctx) {
  const std::string& cmd = ctx.spec->command;
  if (cmd.find('/') != std::string::npos) return cmd;
  std::string path = kDefaultPath;
  for (const std::string& kv : ctx.envp) {
    if (kv.starts_with("PATH=")) path = kv.substr(5);
  }
  std::istringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + cmd;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return cmd;  // execve fails with ENOENT, which the error names
}

// Becomes the task: standard streams, session, user, then exec. Never returns.
[[noreturn]] void ExecTask(const ChildContext& ctx) {
  ResetSignals();
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, 0);
  dup2(ctx.stdout_w, 1);
  dup2(ctx.stderr_w, 2);
  setsid();
  const std::string& cwd = ctx.spec->cwd;
  if (!cwd.empty() && chdir(cwd.c_str()) != 0) ChildFail(ctx, Errno("cannot enter " + cwd));
  if (ctx.switch_user) {
    if (setgroups(ctx.groups.size(), ctx.groups.data()) != 0) ChildFail(ctx, Errno("setgroups"));
    if (setgid(ctx.gid) != 0) ChildFail(ctx, Errno("setgid"));
    if (setuid(ctx.uid) != 0) ChildFail(ctx, Errno("setuid"));
  }
  std::vector<char*> argv;
  for (const std::string& a : ctx.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : ctx.envp) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  std::string path = ResolveCommand(ctx);
  execve(path.c_str(), argv.data(), envp.data());
  ChildFail(ctx, Errno("failed to start `" + ctx.spec->command + "`"));
}

// Drops the executor's pipe ends (a child holding the write end of the sync pipe would wait for
// itself), then waits until the executor has put this process into the task's cgroup.
void WaitForGo(const ChildContext& ctx) {
  for (int fd : ctx.executor_fds) close(fd);
  char go = 0;
  if (read(ctx.sync_r, &go, 1) != 1) _exit(127);  // the executor died before releasing us
  close(ctx.sync_r);
}

// ---------------------------------------------------------------------------------- isolation

// Mount points the executor creates in the task dir before the namespace exists, so that it can
// remove exactly those (rmdir/unlink, never recursively) when the task is gone.
struct MountPlan {
  struct Bind {
    std::string source;
    std::string target;  // absolute path under the root
    bool read_only;
  };
  std::vector<Bind> binds;
  std::vector<std::string> created;  // in creation order
};

bool MakeDir(const std::string& path, mode_t mode, std::vector<std::string>& created) {
  if (mkdir(path.c_str(), mode) == 0) {
    created.push_back(path);
    return true;
  }
  return errno == EEXIST;
}

// Creates every mount point under `root` (parents first) and returns what to mount.
llvm::Expected<MountPlan> PlanMounts(const ExecutorSpec& spec, const std::string& root) {
  MountPlan plan;
  auto fail = [](const std::string& what) {
    return llvm::createStringError(std::errc::io_error, "%s", what.c_str());
  };
  for (const std::string& host : spec.chroot_env) {
    struct stat st {};
    if (lstat(host.c_str(), &st) != 0) continue;  // not on this host: nothing to offer
    std::string target = root + host;
    // Parents inside the root (e.g. /etc for /etc/ssl) are plain directories.
    std::string parent_path = fs::path(target).parent_path();
    for (fs::path p = root; const auto& part : fs::path(parent_path).lexically_relative(root)) {
      if (part == ".") continue;
      p /= part;
      if (!MakeDir(p, 0755, plan.created)) return fail(Errno("cannot create " + p.string()));
    }
    if (S_ISLNK(st.st_mode)) {
      // Merged /usr: /bin -> usr/bin. Recreate the link; the directory it names is mounted.
      char link[4096];
      ssize_t n = readlink(host.c_str(), link, sizeof link - 1);
      if (n < 0) return fail(Errno("cannot read link " + host));
      link[n] = '\0';
      if (symlink(link, target.c_str()) == 0) {
        plan.created.push_back(target);
      } else if (errno != EEXIST) {
        return fail(Errno("cannot create link " + target));
      }
    } else if (S_ISDIR(st.st_mode)) {
      if (!MakeDir(target, 0755, plan.created)) return fail(Errno("cannot create " + target));
      plan.binds.push_back({host, target, true});
    } else {
      int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd >= 0) {
        close(fd);
        plan.created.push_back(target);
      } else if (errno != EEXIST) {
        return fail(Errno("cannot create " + target));
      }
      plan.binds.push_back({host, target, true});
    }
  }
  if (!spec.alloc_shared_dir.empty() && fs::is_directory(spec.alloc_shared_dir)) {
    std::string target = root + "/alloc";
    if (!MakeDir(target, 0755, plan.created)) return fail(Errno("cannot create " + target));
    plan.binds.push_back({spec.alloc_shared_dir, target, false});
  }
  for (const char* dir : {"/dev", "/proc"}) {
    if (!MakeDir(root + dir, 0755, plan.created)) return fail(Errno("cannot create " + root + dir));
  }
  return plan;
}

// Removes what PlanMounts created, deepest first. Only empty directories and our own links and
// files go: if a mount were somehow still attached, rmdir fails instead of descending into it.
void RemovePlanned(const std::vector<std::string>& created) {
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    struct stat st {};
    if (lstat(it->c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      rmdir(it->c_str());
    } else if (S_ISLNK(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0)) {
      unlink(it->c_str());
    }
  }
}

void MakeDevices(const ChildContext& ctx, const std::string& dev) {
  struct Node {
    const char* name;
    unsigned major, minor;
  };
  const Node nodes[] = {{"null", 1, 3},   {"zero", 1, 5},    {"full", 1, 7},
                        {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
  for (const Node& n : nodes) {
    std::string path = dev + "/" + n.name;
    if (mknod(path.c_str(), S_IFCHR | 0666, makedev(n.major, n.minor)) != 0) {
      ChildFail(ctx, Errno("mknod " + path));
    }
    chmod(path.c_str(), 0666);  // mknod honours the umask
  }
  const std::pair<const char*, const char*> links[] = {{"/proc/self/fd", "fd"},
                                                       {"/proc/self/fd/0", "stdin"},
                                                       {"/proc/self/fd/1", "stdout"},
                                                       {"/proc/self/fd/2", "stderr"}};
  for (const auto& [to, name] : links) {
    if (symlink(to, (dev + "/" + name).c_str()) != 0)
      ChildFail(ctx, Errno("symlink /dev/" + std::string(name)));
  }
  std::string shm = dev + "/shm";
  mkdir(shm.c_str(), 01777);
  if (mount("shm", shm.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
            "mode=1777,size=65536k") != 0) {
    ChildFail(ctx, Errno("mount /dev/shm"));
  }
}

// In the new namespaces: mounts the task's root and makes it `/`.
void SetupRoot(const ChildContext& ctx, const MountPlan& plan) {
  const std::string& root = ctx.root;
  // Nothing mounted from here on may leak back into the host's mount namespace.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    ChildFail(ctx, Errno("make mounts private"));
  }
  if (mount(root.c_str(), root.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    ChildFail(ctx, Errno("bind " + root));
  }
  for (const MountPlan::Bind& b : plan.binds) {
    if (mount(b.source.c_str(), b.target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      ChildFail(ctx, Errno("bind " + b.source));
    }
    if (b.read_only) {
      unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV;
      if (mount(nullptr, b.target.c_str(), nullptr, flags, nullptr) != 0) {
        ChildFail(ctx, Errno("remount " + b.source + " read-only"));
      }
    }
  }
  std::string dev = root + "/dev";
  if (mount("tmpfs", dev.c_str(), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k") !=
      0) {
    ChildFail(ctx, Errno("mount /dev"));
  }
  MakeDevices(ctx, dev);
  std::string proc = root + "/proc";
  if (mount("proc", proc.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    ChildFail(ctx, Errno("mount /proc"));
  }
  // pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves only the
  // task's tree (man 2 pivot_root).
  if (chdir(root.c_str()) != 0) ChildFail(ctx, Errno("chdir " + root));
  if (syscall(SYS_pivot_root, ".", ".") != 0) ChildFail(ctx, Errno("pivot_root"));
  if (umount2(".", MNT_DETACH) != 0) ChildFail(ctx, Errno("detach the host root"));
  if (chdir("/") != 0) ChildFail(ctx, Errno("chdir /"));
}

volatile sig_atomic_t g_task_pid = 0;

void ForwardSignal(int sig) {
  if (g_task_pid > 0) kill(g_task_pid, sig);
}

struct InitArgs {
  ChildContext* ctx;
  const MountPlan* plan;
};

// pid 1 of the task's namespaces.
int InitMain(void* raw) {
  InitArgs* args = static_cast<InitArgs*>(raw);
  const ChildContext& ctx = *args->ctx;
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // no executor, no logs: the whole namespace goes
  WaitForGo(ctx);
  SetupRoot(ctx, *args->plan);
  const std::string& hostname = ctx.spec->hostname;
  if (!hostname.empty() && sethostname(hostname.c_str(), hostname.size()) != 0) {
    ChildFail(ctx, Errno("sethostname"));
  }
  pid_t task = fork();
  if (task < 0) ChildFail(ctx, Errno("fork"));
  if (task == 0) ExecTask(ctx);
  g_task_pid = task;
  close(ctx.err_w);
  close(ctx.stdout_w);
  close(ctx.stderr_w);
  // Forward what a supervisor would send; synchronous faults and job control stay ours.
  struct sigaction sa {};
  sa.sa_handler = ForwardSignal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int s :
       {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH, SIGCONT, SIGTSTP,
        SIGTTIN, SIGTTOU, SIGURG, SIGIO, SIGPWR, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF}) {
    sigaction(s, &sa, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  while (true) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid == task) {
      ssize_t ignored = write(ctx.status_w, &status, sizeof status);
      (void)ignored;
      _exit(0);
    }
    if (pid < 0 && errno != EINTR) _exit(1);
  }
}

// ---------------------------------------------------------------------------------- executor

class Executor {
 public:
  Executor(ExecutorSpec spec, int handshake_fd)
      : spec_(std::move(spec)), handshake_fd_(handshake_fd) {}

  int Run() {
    unlink(spec_.StatusPath().c_str());
    if (std::string err = Start(); !err.empty()) {
      Cleanup();
      ExecutorHandshake h;
      h.error = err;
      SendHandshake(h);
      return 1;
    }
    ExecutorHandshake h;
    h.ok = true;
    h.executor_pid = getpid();
    h.executor_start = ProcessStartTime(getpid()).value_or(0);
    h.task_pid = child_;
    h.task_start = ProcessStartTime(child_).value_or(0);
    if (cgroup_) {
      h.cgroup_mode = CgroupModeName(cgroup_->mode());
      h.cgroups = cgroup_->Paths();
    }
    SendHandshake(h);
    ExitResult result = Supervise();
    WriteStatus(result);
    Cleanup();
    return 0;
  }

 private:
  void SendHandshake(const ExecutorHandshake& h) {
    if (handshake_fd_ < 0) return;
    std::string line = h.ToJson().dump() + "\n";
    ssize_t ignored = write(handshake_fd_, line.data(), line.size());
    (void)ignored;
    close(handshake_fd_);
    handshake_fd_ = -1;
  }

  // Starts the task; "" on success, else why not.
  std::string Start() {
    auto out =
        LogRotator::Open(spec_.log_dir, spec_.stdout_base, spec_.max_files, spec_.max_file_size);
    if (!out) return llvm::toString(out.takeError());
    auto err =
        LogRotator::Open(spec_.log_dir, spec_.stderr_base, spec_.max_files, spec_.max_file_size);
    if (!err) return llvm::toString(err.takeError());
    stdout_log_ = std::move(*out);
    stderr_log_ = std::move(*err);

    ChildContext& ctx = ctx_;
    ctx.spec = &spec_;
    ctx.argv.push_back(spec_.command);
    ctx.argv.insert(ctx.argv.end(), spec_.args.begin(), spec_.args.end());
    bool has_path = false;
    for (const auto& [k, v] : spec_.env) {
      ctx.envp.push_back(k + "=" + v);
      has_path |= k == "PATH";
    }
    if (!has_path) ctx.envp.push_back(std::string("PATH=") + kDefaultPath);

    if (!spec_.user.empty()) {
      struct passwd* pw = getpwnam(spec_.user.c_str());
      if (pw == nullptr) return "user `" + spec_.user + "` does not exist on this node";
      ctx.switch_user = true;
      ctx.uid = pw->pw_uid;
      ctx.gid = pw->pw_gid;
      int n = 64;
      ctx.groups.resize(static_cast<size_t>(n));
      if (getgrouplist(pw->pw_name, pw->pw_gid, ctx.groups.data(), &n) < 0) {
        ctx.groups.resize(static_cast<size_t>(n));
        getgrouplist(pw->pw_name, pw->pw_gid, ctx.groups.data(), &n);
      }
      ctx.groups.resize(static_cast<size_t>(n));
    }

    if (spec_.isolate) {
      std::error_code ec;
      fs::path root = fs::canonical(spec_.task_dir, ec);
      if (ec) return "task directory " + spec_.task_dir + ": " + ec.message();
      ctx.root = root.string();
      // The task's own directories, writable by its user.
      for (const char* sub : {"local", "secrets", "tmp"}) {
        std::string dir = ctx.root + "/" + sub;
        mkdir(dir.c_str(), 0755);
        if (ctx.switch_user && chown(dir.c_str(), ctx.uid, ctx.gid) != 0) {
          return Errno("chown " + dir);
        }
      }
      chmod((ctx.root + "/tmp").c_str(), 01777);
      chmod((ctx.root + "/secrets").c_str(), 0700);
      auto plan = PlanMounts(spec_, ctx.root);
      if (!plan) return llvm::toString(plan.takeError());
      plan_ = std::move(*plan);
    }

    if (spec_.use_cgroups) {
      auto cg =
          TaskCgroup::Create(DetectCgroups(), spec_.cgroup_parent, spec_.cgroup_name, spec_.limits);
      if (!cg) return "cgroup: " + llvm::toString(cg.takeError());
      cgroup_ = std::make_unique<TaskCgroup>(std::move(*cg));
    }

    int out_pipe[2], err_pipe[2], start_pipe[2], sync_pipe[2], status_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
        pipe2(start_pipe, O_CLOEXEC) != 0 || pipe2(sync_pipe, O_CLOEXEC) != 0 ||
        pipe2(status_pipe, O_CLOEXEC) != 0) {
      return Errno("pipe");
    }
    ctx.stdout_w = out_pipe[1];
    ctx.stderr_w = err_pipe[1];
    ctx.err_w = start_pipe[1];
    ctx.sync_r = sync_pipe[0];
    ctx.status_w = status_pipe[1];
    stdout_r_ = out_pipe[0];
    stderr_r_ = err_pipe[0];
    status_r_ = status_pipe[0];
    ctx.executor_fds = {out_pipe[0], err_pipe[0], start_pipe[0], sync_pipe[1], status_pipe[0]};
    if (handshake_fd_ >= 0) ctx.executor_fds.push_back(handshake_fd_);

    if (spec_.isolate) {
      constexpr size_t kStack = 1 << 20;
      stack_.reset(new char[kStack]);
      InitArgs args{&ctx, &plan_};
      child_ = clone(InitMain, stack_.get() + kStack,
                     CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD, &args);
      if (child_ < 0) return Errno("clone (namespaces need root)");
    } else {
      child_ = fork();
      if (child_ < 0) return Errno("fork");
      if (child_ == 0) {
        WaitForGo(ctx);
        ExecTask(ctx);
      }
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    close(start_pipe[1]);
    close(sync_pipe[0]);
    close(status_pipe[1]);

    std::string start_error;
    if (cgroup_) {
      if (llvm::Error e = cgroup_->AddProcess(child_))
        start_error = "cgroup: " + llvm::toString(std::move(e));
    }
    if (start_error.empty()) {
      char go = 1;
      if (write(sync_pipe[1], &go, 1) != 1) start_error = Errno("release the task");
    }
    close(sync_pipe[1]);  // on error: the child reads EOF and exits
    if (start_error.empty()) {
      char buf[1024];
      ssize_t n;
      while ((n = read(start_pipe[0], buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        start_error.append(buf, static_cast<size_t>(n));
      }
    }
    close(start_pipe[0]);
    if (!start_error.empty()) {
      kill(child_, SIGKILL);
      waitpid(child_, nullptr, 0);
      child_ = -1;
      return start_error;
    }
    return "";
  }

  // Copies output until the task has exited and its pipes are drained; returns how it ended.
  ExitResult Supervise() {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    fcntl(stdout_r_, F_SETFL, O_NONBLOCK);
    fcntl(stderr_r_, F_SETFL, O_NONBLOCK);
    bool child_done = false;
    int child_status = 0;
    auto drain_deadline = std::chrono::steady_clock::time_point::max();
    std::vector<char> buf(64 * 1024);
    while (stdout_r_ >= 0 || stderr_r_ >= 0 || !child_done) {
      // Reap everything: the task and, as a subreaper, whatever it orphaned.
      int status = 0;
      pid_t pid;
      while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == child_) {
          child_done = true;
          child_status = status;
          OnChildExit();
          drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        }
      }
      if (child_done && std::chrono::steady_clock::now() >= drain_deadline) break;
      pollfd fds[3] = {{stdout_r_, POLLIN, 0}, {stderr_r_, POLLIN, 0}, {sfd, POLLIN, 0}};
      int rc = poll(fds, 3, child_done ? 100 : 1000);
      if (rc < 0 && errno != EINTR) break;
      for (int i = 0; i < 2; ++i) {
        int& fd = i == 0 ? stdout_r_ : stderr_r_;
        if (fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        ssize_t n = read(fd, buf.data(), buf.size());
        if (n > 0) {
          LogRotator& log = i == 0 ? *stdout_log_ : *stderr_log_;
          if (llvm::Error e = log.Write(std::string_view(buf.data(), static_cast<size_t>(n)))) {
            std::cerr << "executor: " << llvm::toString(std::move(e)) << "\n";
          }
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
          close(fd);
          fd = -1;
        }
      }
      if (fds[2].revents & POLLIN) {
        signalfd_siginfo info;
        while (read(sfd, &info, sizeof info) > 0) {
        }
      }
    }
    close(sfd);
    ReapLeftovers();
    return ResultFrom(child_status);
  }

  // As a subreaper the executor inherited whatever the task orphaned; the killed ones are reaped
  // here (bounded), so none is handed on to an init that might never reap it.
  void ReapLeftovers() {
    if (!spec_.isolate) kill(-child_, SIGKILL);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (std::chrono::steady_clock::now() < deadline) {
      pid_t pid = waitpid(-1, nullptr, WNOHANG);
      if (pid < 0) return;  // ECHILD: nothing left
      if (pid == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // The task's main process is gone: an isolated task reported its status through init; whatever
  // a raw_exec task left in its process group goes now, as the task is over.
  void OnChildExit() {
    if (spec_.isolate) {
      int task_status = 0;
      fcntl(status_r_, F_SETFL, O_NONBLOCK);
      if (read(status_r_, &task_status, sizeof task_status) == sizeof task_status) {
        reported_status_ = task_status;
      }
    } else {
      kill(-child_, SIGKILL);
    }
  }

  ExitResult ResultFrom(int init_status) {
    int status = reported_status_.value_or(init_status);
    ExitResult r;
    if (WIFEXITED(status)) {
      r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      r.signal = WTERMSIG(status);
      r.exit_code = 128 + r.signal;
    }
    if (cgroup_ && cgroup_->OomKills() > 0) r.oom_killed = true;
    return r;
  }

  void WriteStatus(const ExitResult& r) {
    json j = r.ToJson();
    j["finished_at_ns"] = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    std::string tmp = spec_.StatusPath() + ".tmp";
    {
      std::ofstream f(tmp, std::ios::trunc);
      f << j.dump() << "\n";
    }
    rename(tmp.c_str(), spec_.StatusPath().c_str());
  }

  void Cleanup() {
    if (cgroup_) {
      if (llvm::Error e = cgroup_->Destroy()) {
        std::cerr << "executor: " << llvm::toString(std::move(e)) << "\n";
      }
    }
    RemovePlanned(plan_.created);
  }

  ExecutorSpec spec_;
  int handshake_fd_;
  ChildContext ctx_;
  MountPlan plan_;
  std::unique_ptr<char[]> stack_;
  std::unique_ptr<LogRotator> stdout_log_;
  std::unique_ptr<LogRotator> stderr_log_;
  std::unique_ptr<TaskCgroup> cgroup_;
  pid_t child_ = -1;
  int stdout_r_ = -1;
  int stderr_r_ = -1;
  int status_r_ = -1;
  std::optional<int> reported_status_;
};

}  // namespace

json ExecutorSpec::ToJson() const {
  return {{"task_id", task_id},
          {"command", command},
          {"args", args},
          {"env", env},
          {"user", user},
          {"cwd", cwd},
          {"isolate", isolate},
          {"task_dir", task_dir},
          {"alloc_shared_dir", alloc_shared_dir},
          {"chroot_env", chroot_env},
          {"hostname", hostname},
          {"use_cgroups", use_cgroups},
          {"cgroup_parent", cgroup_parent},
          {"cgroup_name", cgroup_name},
          {"cpu_shares", limits.cpu_shares},
          {"memory_bytes", limits.memory_bytes},
          {"memory_soft_bytes", limits.memory_soft_bytes},
          {"log_dir", log_dir},
          {"stdout_base", stdout_base},
          {"stderr_base", stderr_base},
          {"max_files", max_files},
          {"max_file_size", max_file_size},
          {"state_dir", state_dir}};
}

llvm::Expected<ExecutorSpec> ExecutorSpec::FromJson(const json& j) {
  try {
    ExecutorSpec s;
    s.task_id = j.at("task_id").get<std::string>();
    s.command = j.at("command").get<std::string>();
    s.args = j.value("args", std::vector<std::string>{});
    s.env = j.value("env", std::map<std::string, std::string>{});
    s.user = j.value("user", "");
    s.cwd = j.value("cwd", "");
    s.isolate = j.value("isolate", false);
    s.task_dir = j.value("task_dir", "");
    s.alloc_shared_dir = j.value("alloc_shared_dir", "");
    s.chroot_env = j.value("chroot_env", std::vector<std::string>{});
    s.hostname = j.value("hostname", "");
    s.use_cgroups = j.value("use_cgroups", false);
    s.cgroup_parent = j.value("cgroup_parent", "");
    s.cgroup_name = j.value("cgroup_name", "");
    s.limits.cpu_shares = j.value("cpu_shares", uint64_t{0});
    s.limits.memory_bytes = j.value("memory_bytes", uint64_t{0});
    s.limits.memory_soft_bytes = j.value("memory_soft_bytes", uint64_t{0});
    s.log_dir = j.at("log_dir").get<std::string>();
    s.stdout_base = j.at("stdout_base").get<std::string>();
    s.stderr_base = j.at("stderr_base").get<std::string>();
    s.max_files = j.value("max_files", 10);
    s.max_file_size = j.value("max_file_size", uint64_t{10} << 20);
    s.state_dir = j.at("state_dir").get<std::string>();
    if (s.max_files < 1 || s.max_file_size < 1) {
      return llvm::createStringError(std::errc::invalid_argument,
                                     "invalid executor spec: log limits must be positive");
    }
    return s;
  } catch (const json::exception& e) {
    return llvm::createStringError(std::errc::invalid_argument, "invalid executor spec: %s",
                                   e.what());
  }
}

json ExecutorHandshake::ToJson() const {
  return {{"ok", ok},
          {"error", error},
          {"executor_pid", executor_pid},
          {"executor_start", executor_start},
          {"task_pid", task_pid},
          {"task_start", task_start},
          {"cgroup_mode", cgroup_mode},
          {"cgroups", cgroups}};
}

ExecutorHandshake ExecutorHandshake::FromJson(const json& j) {
  ExecutorHandshake h;
  h.ok = j.value("ok", false);
  h.error = j.value("error", "");
  h.executor_pid = j.value("executor_pid", 0);
  h.executor_start = j.value("executor_start", uint64_t{0});
  h.task_pid = j.value("task_pid", 0);
  h.task_start = j.value("task_start", uint64_t{0});
  h.cgroup_mode = j.value("cgroup_mode", "");
  h.cgroups = j.value("cgroups", std::vector<std::string>{});
  return h;
}

std::optional<ExitResult> ReadExitStatus(const std::string& status_path) {
  std::ifstream f(status_path);
  if (!f) return std::nullopt;
  json j = json::parse(f, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  return ExitResult::FromJson(j);
}

int RunExecutor(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::cerr << "usage: drover executor <spec.json>\n"
                 "(started by the exec and raw_exec drivers; not meant to be run by hand)\n";
    return 2;
  }
  // fd 3 is the handshake pipe when a driver started us.
  int handshake = fcntl(3, F_GETFD) >= 0 ? 3 : -1;
  if (handshake >= 0) fcntl(handshake, F_SETFD, FD_CLOEXEC);
  std::ifstream f(args[0]);
  json j = json::parse(f, nullptr, /*allow_exceptions=*/false);
  llvm::Expected<ExecutorSpec> spec =
      !f.is_open()     ? llvm::createStringError(std::errc::no_such_file_or_directory,
                                                 "cannot read the spec file")
      : !j.is_object() ? llvm::createStringError(std::errc::invalid_argument,
                                                 "the spec file is not a JSON object")
                       : ExecutorSpec::FromJson(j);
  if (!spec) {
    std::string message = llvm::toString(spec.takeError());
    std::cerr << "executor: " << args[0] << ": " << message << "\n";
    if (handshake >= 0) {
      ExecutorHandshake h;
      h.error = message;
      std::string line = h.ToJson().dump() + "\n";
      ssize_t ignored = write(handshake, line.data(), line.size());
      (void)ignored;
    }
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  // SIGCHLD is read from a signalfd; blocked before any child exists so none is missed.
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, nullptr);
  return Executor(std::move(*spec), handshake).Run();
}

}  // namespace drover::drivers
