#include "runtime/drivers/exec/exec_driver.h"

#include <unistd.h>

#include <fmt/format.h>

namespace drover::drivers {

ExecDriver::ExecDriver(DriverContext context)
    : ExecutorDriver(std::move(context)),
      chroot_env_(DefaultChrootEnv()),
      layout_(DetectCgroups()) {}

std::vector<std::string> ExecDriver::DefaultChrootEnv() {
  return {"/bin", "/etc", "/lib", "/lib32", "/lib64", "/sbin", "/usr"};
}

llvm::Error ExecDriver::SetConfig(const nlohmann::json& plugin_config) {
  if (plugin_config.is_null()) return llvm::Error::success();
  if (!plugin_config.is_object()) return MakeDriverError("exec: plugin config must be a block");
  for (const auto& [key, value] : plugin_config.items()) {
    if (key == "cgroup_parent") {
      if (!value.is_string()) return MakeDriverError("exec: `cgroup_parent` must be a string");
      cgroup_parent_ = value.get<std::string>();
    } else if (key == "chroot_env") {
      if (!value.is_array()) return MakeDriverError("exec: `chroot_env` must be a list of paths");
      std::vector<std::string> paths;
      for (const auto& p : value) {
        if (!p.is_string() || p.get<std::string>().empty() || p.get<std::string>()[0] != '/') {
          return MakeDriverError("exec: `chroot_env` entries must be absolute paths");
        }
        paths.push_back(p.get<std::string>());
      }
      chroot_env_ = std::move(paths);
    } else {
      return MakeDriverError(fmt::format("exec: unknown plugin option `{}`", key));
    }
  }
  return llvm::Error::success();
}

Capabilities ExecDriver::GetCapabilities() const {
  return {.send_signals = true, .exec = false, .fs_isolation = FsIsolation::kChroot};
}

DriverFingerprint ExecDriver::Fingerprint() {
  DriverFingerprint fp;
  if (geteuid() != 0) {
    fp.health_description = "exec driver must run as root";
    return fp;
  }
  if (layout_.mode == CgroupMode::kNone) {
    fp.health_description = "exec driver needs cgroups: " + layout_.why_none;
    return fp;
  }
  fp.detected = true;
  fp.healthy = true;
  fp.health_description = "Healthy";
  fp.attributes["driver.exec"] = "1";
  fp.attributes["driver.exec.cgroup_version"] = std::string(CgroupModeName(layout_.mode));
  return fp;
}

llvm::Error ExecDriver::PrepareSpec(const TaskConfig& config, ExecutorSpec& spec) const {
  if (geteuid() != 0) return MakeDriverError("exec: the exec driver must run as root");
  if (layout_.mode == CgroupMode::kNone) {
    return MakeDriverError("exec: no usable cgroups: " + layout_.why_none);
  }
  spec.isolate = true;
  spec.user = config.user.empty() ? "nobody" : config.user;
  spec.cwd = "/";
  spec.chroot_env = chroot_env_;
  spec.hostname = config.task_name.substr(0, 63);
  spec.use_cgroups = true;
  spec.cgroup_parent = !cgroup_parent_.empty()           ? cgroup_parent_
                       : layout_.mode == CgroupMode::kV2 ? "/drover.slice"
                                                         : "drover";
  std::string name = config.alloc_id + "." + config.task_name;
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  spec.cgroup_name = name;
  const TaskResources& r = config.resources;
  spec.limits.cpu_shares = static_cast<uint64_t>(std::max(0, r.cpu_mhz));
  int hard_mb = r.memory_max_mb > 0 ? r.memory_max_mb : r.memory_mb;
  spec.limits.memory_bytes = static_cast<uint64_t>(std::max(0, hard_mb)) << 20;
  if (r.memory_max_mb > 0) {
    spec.limits.memory_soft_bytes = static_cast<uint64_t>(std::max(0, r.memory_mb)) << 20;
  }
  return llvm::Error::success();
}

}  // namespace drover::drivers
