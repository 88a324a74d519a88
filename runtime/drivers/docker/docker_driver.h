// The `docker` driver: runs a task as a container through the Docker Engine API (v1.41) over the
// daemon's socket, with runtime/http's client: no docker CLI. The image is used when present and
// pulled otherwise; the container is named `<task>-<alloc_id>` and labelled with the allocation,
// job, group and task; ports are published `<host ip>:<host port> -> <container port>` for tcp and
// udp; cpu shares and memory limits come from the task's resources. Two threads per task watch it:
// one long-polls `containers/{id}/wait`, one follows `containers/{id}/logs` into the allocation's
// rotated log files, remembering the last timestamp written so that a re-attached driver resumes
// the stream without duplicating lines.
//
// Plugin config: `endpoint` (default $DOCKER_HOST, else unix:///var/run/docker.sock),
// `allow_privileged`, `volumes { enabled }`, `gc { container }` (remove the container on
// DestroyTask; default true).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "runtime/drivers/driver.h"
#include "runtime/drivers/task_table.h"
#include "runtime/http/http_client.h"

namespace drover::drivers {

class DockerDriver : public Driver {
 public:
  explicit DockerDriver(DriverContext context);
  ~DockerDriver() override;

  std::string_view Name() const override { return "docker"; }
  llvm::Error SetConfig(const nlohmann::json& plugin_config) override;
  Capabilities GetCapabilities() const override;
  DriverFingerprint Fingerprint() override;

  llvm::Expected<TaskHandle> StartTask(const TaskConfig& config) override;
  llvm::Error RecoverTask(const TaskHandle& handle) override;
  llvm::Expected<std::optional<ExitResult>> WaitTask(const std::string& task_id,
                                                     std::chrono::milliseconds timeout) override;
  llvm::Error StopTask(const std::string& task_id, std::chrono::milliseconds timeout,
                       const std::string& signal) override;
  llvm::Error DestroyTask(const std::string& task_id, bool force) override;
  llvm::Expected<TaskStatus> InspectTask(const std::string& task_id) override;
  llvm::Error SignalTask(const std::string& task_id, const std::string& signal) override;

  /// `<task>-<alloc_id>`, Nomad's container name.
  static std::string ContainerName(const TaskConfig& config);
  /// `repo[:tag]` with `:latest` added when neither a tag nor a digest is given.
  static std::string NormalizeImage(std::string_view image);
  /// $DOCKER_HOST when it is set (unix:// or tcp://), else unix:///var/run/docker.sock; the
  /// plugin option `endpoint` overrides it.
  static http::Endpoint DefaultEndpoint();

 private:
  struct Task;
  struct Api;

  DriverFingerprint Probe();
  llvm::Error EnsureImage(const TaskConfig& config, const std::string& image, bool force_pull);
  llvm::Expected<nlohmann::json> BuildCreateBody(const TaskConfig& config,
                                                 const std::string& image) const;
  llvm::Expected<std::string> CreateContainer(const TaskConfig& config, const nlohmann::json& body);
  void StartWatchers(const std::shared_ptr<Task>& task);
  void WaitLoop(const std::shared_ptr<Task>& task);
  void LogLoop(const std::shared_ptr<Task>& task);
  void Emit(const TaskConfig& config, std::string message,
            std::map<std::string, std::string> annotations = {});

  DriverContext context_;
  http::Endpoint endpoint_;
  bool allow_privileged_ = false;
  bool volumes_enabled_ = false;
  bool gc_container_ = true;
  TaskTable<Task> tasks_;
};

}  // namespace drover::drivers
