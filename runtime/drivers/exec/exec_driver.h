// The `exec` driver: the task runs isolated by the executor (executor/executor.cpp) in new mount,
// pid, uts and ipc namespaces, with the task directory as its root holding read-only bind mounts
// of the host's /bin, /lib, /lib64, /usr, /etc (Nomad's chroot_env), a private /proc and a
// minimal /dev, inside a cgroup with cpu shares and a memory limit, as `nobody` unless the task
// sets `user`. Needs root.
//
// Plugin config: `cgroup_parent` (see executor/cgroup.h), `chroot_env` (list of host paths).
#pragma once

#include <memory>

#include "runtime/drivers/executor/cgroup.h"
#include "runtime/drivers/executor/executor_driver.h"

namespace drover::drivers {

class ExecDriver : public ExecutorDriver {
 public:
  explicit ExecDriver(DriverContext context);

  std::string_view Name() const override { return "exec"; }
  llvm::Error SetConfig(const nlohmann::json& plugin_config) override;
  Capabilities GetCapabilities() const override;
  DriverFingerprint Fingerprint() override;

  /// The default chroot_env: the host paths a task sees read-only.
  static std::vector<std::string> DefaultChrootEnv();

 protected:
  llvm::Error PrepareSpec(const TaskConfig& config, ExecutorSpec& spec) const override;

 private:
  std::string cgroup_parent_;  ///< "" = the default for the detected mode
  std::vector<std::string> chroot_env_;
  CgroupLayout layout_;
};

}  // namespace drover::drivers
