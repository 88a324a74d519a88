// A task's environment and the renderer of the IR's runtime templates (compiler/ir/interpolate.h)
// on the client. Nomad's client builds the task environment from the allocation, the node and the
// task (NOMAD_ALLOC_ID, NOMAD_PORT_<label>, NOMAD_META_<key>, ...), interpolates the job's `env`
// values against it, and then renders `${...}` in the driver config, artifact sources and service
// names/tags with the same resolver: NOMAD_* and env names, `env["X"]`, `node.unique.id`,
// `node.unique.name`, `node.datacenter`, `node.region`, `node.class`, `node.pool`, `attr.<k>`
// and `meta.<k>` (the node's). Unknown references stay as written, as Nomad leaves them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/ir/job.h"
#include "reconciler/model/types.h"
#include "runtime/drivers/driver.h"

namespace drover::client {

/// Where the task's directories are, on the host and as the task sees them.
struct TaskPaths {
  std::string alloc_dir;  ///< host: <data>/alloc/<alloc id>
  std::string task_dir;   ///< host: <alloc_dir>/<task>
  /// The driver isolates the file system (docker: image, exec: chroot): the task sees /alloc,
  /// /local and /secrets; otherwise (raw_exec) it sees the host paths.
  bool isolated = false;
};

class TaskEnv {
 public:
  /// Builds the environment of `task` in `alloc` (whose job must be set) on `node`. `host_env`
  /// is added underneath (raw_exec passes the agent's environment, as Nomad does).
  static TaskEnv Build(const model::Allocation& alloc, const ir::TaskGroup& group,
                       const ir::Task& task, const model::Node& node, const std::string& region,
                       const TaskPaths& paths,
                       const std::map<std::string, std::string>& host_env = {});

  /// The complete environment: host env, NOMAD_* variables, then the job's rendered `env`.
  const std::map<std::string, std::string>& vars() const { return vars_; }

  /// The value of one reference (`NOMAD_PORT_http`, `env["X"]`, `attr.kernel.name`, ...).
  std::optional<std::string> Resolve(std::string_view reference) const;
  /// `s` with every known reference replaced.
  std::string Render(std::string_view s) const;
  /// Every string in `value` (recursively, not keys) rendered.
  nlohmann::json RenderJson(const nlohmann::json& value) const;
  /// The allocation's ports as the driver publishes them.
  const std::vector<drivers::PortMapping>& ports() const { return ports_; }

 private:
  std::map<std::string, std::string> vars_;
  std::vector<drivers::PortMapping> ports_;
  /// `node.*`, `attr.*` and `meta.*` references with their values.
  std::map<std::string, std::string, std::less<>> node_refs_;
};

/// A service with its name and tags rendered (`${NOMAD_PORT_http}`, `${node.unique.name}`) and
/// Nomad's name variables (`${JOB}`, `${GROUP}`, `${TASK}`, `${BASE}` = job-group-task) replaced.
ir::Service RenderService(const ir::Service& service, const TaskEnv& env, const std::string& job,
                          const std::string& group, const std::string& task);

}  // namespace drover::client
