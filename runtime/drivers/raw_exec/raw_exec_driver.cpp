#include "runtime/drivers/raw_exec/raw_exec_driver.h"

#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

namespace drover::drivers {

llvm::Error RawExecDriver::SetConfig(const nlohmann::json& plugin_config) {
  if (plugin_config.is_null()) return llvm::Error::success();
  if (!plugin_config.is_object()) return MakeDriverError("raw_exec: plugin config must be a block");
  for (const auto& [key, value] : plugin_config.items()) {
    if (key == "enabled") {
      if (!value.is_boolean()) return MakeDriverError("raw_exec: `enabled` must be a bool");
      enabled_ = value.get<bool>();
    } else if (key == "no_cgroups") {
      // Nomad's option; raw_exec tasks here never get a cgroup, so it is accepted as is.
      if (!value.is_boolean()) return MakeDriverError("raw_exec: `no_cgroups` must be a bool");
    } else {
      return MakeDriverError(fmt::format("raw_exec: unknown plugin option `{}`", key));
    }
  }
  return llvm::Error::success();
}

Capabilities RawExecDriver::GetCapabilities() const {
  return {.send_signals = true, .exec = false, .fs_isolation = FsIsolation::kNone};
}

DriverFingerprint RawExecDriver::Fingerprint() {
  DriverFingerprint fp;
  if (!enabled_) {
    fp.health_description = "disabled";
    return fp;
  }
  fp.detected = true;
  fp.healthy = true;
  fp.health_description = "Healthy";
  fp.attributes["driver.raw_exec"] = "1";
  return fp;
}

llvm::Error RawExecDriver::CheckCanStart() const {
  if (enabled_) return llvm::Error::success();
  return MakeDriverError(
      "raw_exec is disabled on this node; enable it in the agent config with "
      "plugin \"raw_exec\" { config { enabled = true } }");
}

llvm::Error RawExecDriver::PrepareSpec(const TaskConfig& config, ExecutorSpec& spec) const {
  spec.isolate = false;
  if (!config.user.empty() && geteuid() != 0) {
    return MakeDriverError(fmt::format(
        "raw_exec: cannot run as user `{}`: the agent is not running as root", config.user));
  }
  spec.user = config.user;
  std::error_code ec;
  std::filesystem::create_directories(config.task_dir, ec);
  spec.cwd = config.task_dir;
  return llvm::Error::success();
}

}  // namespace drover::drivers
