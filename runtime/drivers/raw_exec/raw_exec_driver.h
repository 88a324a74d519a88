// The `raw_exec` driver: the task is a plain child of its executor (same executor as exec, no
// isolation), in its own process group, in the task directory, as the agent's user unless the task
// sets `user`. Disabled unless the agent enables it:
//
//   plugin "raw_exec" { config { enabled = true } }
#pragma once

#include "runtime/drivers/executor/executor_driver.h"

namespace drover::drivers {

class RawExecDriver : public ExecutorDriver {
 public:
  explicit RawExecDriver(DriverContext context) : ExecutorDriver(std::move(context)) {}

  std::string_view Name() const override { return "raw_exec"; }
  llvm::Error SetConfig(const nlohmann::json& plugin_config) override;
  Capabilities GetCapabilities() const override;
  DriverFingerprint Fingerprint() override;

  bool enabled() const { return enabled_; }

 protected:
  llvm::Error CheckCanStart() const override;
  llvm::Error PrepareSpec(const TaskConfig& config, ExecutorSpec& spec) const override;

 private:
  bool enabled_ = false;
};

}  // namespace drover::drivers
