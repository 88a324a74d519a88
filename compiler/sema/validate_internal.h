// Private to compiler/sema: the Validator that validate*.cpp implement. One method per jobspec
// block; each reports through Report(), which builds a diagnostic at an IR origin range.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/job.h"

namespace drover::sema::internal {

using diag::DiagKind;
using ir::Duration;

/// Go's time.Duration.String(), for messages.
std::string Dur(Duration d);

class Validator {
 public:
  Validator(const ir::Job& job, diag::DiagnosticEngine& diags);

  void Run();

  // validate.cpp
  void ValidateJob();
  void ValidateGroup(const ir::TaskGroup& g);
  void ValidateTask(const ir::TaskGroup& g, const ir::Task& t);
  void ValidateResources(const ir::Task& t);
  void ValidateUpdate(const ir::UpdateStrategy& u);
  void ValidateMigrate(const ir::MigrateStrategy& m);
  void ValidateRestart(const ir::RestartPolicy& r);
  void ValidateReschedule(const ir::ReschedulePolicy& r);
  void ValidateScaling(const ir::TaskGroup& g);
  void ValidateArtifact(const ir::Artifact& a);
  void ValidateTemplates(const ir::Task& t);
  void ValidatePeriodic(const ir::PeriodicConfig& p);
  void ValidateMultiregion(const ir::Multiregion& m);

  // validate_placement.cpp
  void ValidateConstraints(const std::vector<ir::Constraint>& constraints, bool task_level);
  void ValidateAffinities(const std::vector<ir::Affinity>& affinities);
  void ValidateSpreads(const std::vector<ir::Spread>& spreads);

  // validate_services.cpp
  void ValidateNetworks(const ir::TaskGroup& g);
  void ValidateGroupServices(const ir::TaskGroup& g);
  void ValidateTaskServices(const ir::TaskGroup& g, const ir::Task& t);
  void ValidateConnect(const ir::TaskGroup& g);

  template <typename... Args>
  diag::DiagnosticBuilder Report(DiagKind kind, diag::SourceRange range, Args&&... args) {
    return diags_.Build(kind, range, std::forward<Args>(args)...);
  }

  /// `block` is not allowed in this job's type: E0317 at `range`.
  void NotAllowed(std::string_view block, diag::SourceRange range);

  const ir::Job& job() const { return job_; }
  ir::JobType type() const { return type_; }
  std::string_view type_name() const { return ir::ToString(type_); }

 private:
  void ValidateService(const ir::Service& s);
  void ValidateCheck(const ir::Service& s, const ir::ServiceCheck& c);

  const ir::Job& job_;
  diag::DiagnosticEngine& diags_;
  ir::JobType type_;
};

}  // namespace drover::sema::internal
