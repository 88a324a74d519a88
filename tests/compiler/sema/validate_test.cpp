// Validate: one test per rule. Each starts from MockJob() (which is valid), changes one thing, and
// asserts the diagnostic code and the source range it points at. Ranges are synthetic: a test sets
// the origin of the attribute it changes (`Mark(origin, "count")`) and expects the diagnostic
// there.
#include "compiler/sema/validate.h"

#include <gtest/gtest.h>

#include "compiler/sema/canonicalize.h"
#include "tests/support/mock_job.h"

namespace drover::sema {
namespace {

using namespace std::chrono_literals;
using diag::DiagKind;
using diag::SourceRange;
using ir::Duration;

/// A distinct, recognisable range for each call.
SourceRange NextRange() {
  static uint32_t next = 100;
  next += 10;
  return SourceRange{1, next, next + 5};
}

/// Gives `origin` a range for attribute `field` (or for the block itself when field is empty) and
/// returns it.
SourceRange Mark(ir::Origin& origin, std::string_view field = "") {
  SourceRange r = NextRange();
  if (field.empty()) {
    origin.range = r;
  } else {
    origin.Set(std::string(field), r);
  }
  return r;
}

std::vector<diag::Diagnostic> Check(const ir::Job& job) {
  diag::DiagnosticEngine engine;
  Validate(job, engine);
  return engine.Take();
}

std::string Describe(const std::vector<diag::Diagnostic>& diags) {
  std::string out;
  for (const diag::Diagnostic& d : diags) {
    out += fmt::format("  {} [{}..{}] {}\n", diag::Info(d.kind).code, d.range.begin, d.range.end,
                       d.message);
  }
  return out.empty() ? "  (none)\n" : out;
}

/// Exactly one diagnostic, of `kind`, at `range`.
const diag::Diagnostic* ExpectOnly(const ir::Job& job, DiagKind kind, SourceRange range) {
  static std::vector<diag::Diagnostic> last;
  last = Check(job);
  EXPECT_EQ(last.size(), 1u) << "expected only " << diag::Info(kind).code << ", got:\n"
                             << Describe(last);
  for (const diag::Diagnostic& d : last) {
    if (d.kind == kind) {
      EXPECT_EQ(d.range, range) << Describe(last);
      return &d;
    }
  }
  ADD_FAILURE() << "no " << diag::Info(kind).code << " in:\n" << Describe(last);
  return nullptr;
}

/// At least one diagnostic of `kind` at `range` (others may accompany it: used where one mistake
/// breaks several rules at once).
void ExpectHas(const ir::Job& job, DiagKind kind, SourceRange range) {
  std::vector<diag::Diagnostic> diags = Check(job);
  bool found = false;
  for (const diag::Diagnostic& d : diags) {
    if (d.kind == kind && d.range == range) found = true;
  }
  EXPECT_TRUE(found) << "no " << diag::Info(kind).code << " at the expected range in:\n"
                     << Describe(diags);
}

ir::TaskGroup& Group(ir::Job& job) { return job.task_groups[0]; }
ir::Task& Task(ir::Job& job) { return job.task_groups[0].tasks[0]; }
ir::Service& Svc(ir::Job& job) { return job.task_groups[0].services[0]; }
ir::ServiceCheck& Chk(ir::Job& job) { return job.task_groups[0].services[0].checks[0]; }

/// MockJob() turned into a job of another type, with the blocks that type forbids removed.
ir::Job MockOfType(ir::JobType type) {
  ir::Job job = testing::MockJob();
  job.type = type;
  if (type != ir::JobType::kService) Group(job).migrate.reset();
  if (type == ir::JobType::kBatch || type == ir::JobType::kSysbatch) Group(job).update.reset();
  if (type == ir::JobType::kSystem || type == ir::JobType::kSysbatch) {
    Group(job).reschedule_policy.reset();
    Group(job).count = 1;
  }
  return job;
}

TEST(ValidateTest, MockJobIsValid) {
  EXPECT_TRUE(Check(testing::MockJob()).empty()) << Describe(Check(testing::MockJob()));
  for (ir::JobType t : {ir::JobType::kBatch, ir::JobType::kSystem, ir::JobType::kSysbatch}) {
    EXPECT_TRUE(Check(MockOfType(t)).empty()) << ir::ToString(t) << Describe(Check(MockOfType(t)));
  }
}

TEST(ValidateTest, CanonicalizedMinimalJobsAreValid) {
  for (ir::JobType t :
       {ir::JobType::kService, ir::JobType::kBatch, ir::JobType::kSystem, ir::JobType::kSysbatch}) {
    ir::Job job;
    job.id = "min";
    job.type = t;
    ir::TaskGroup g;
    g.name = "g";
    ir::Task task;
    task.name = "t";
    task.driver = "exec";
    g.tasks.push_back(task);
    job.task_groups.push_back(g);
    Canonicalize(job);
    EXPECT_TRUE(Check(job).empty()) << ir::ToString(t) << Describe(Check(job));
  }
}

// ---- job ----------------------------------------------------------------------------------------

TEST(ValidateTest, JobId) {
  ir::Job job = testing::MockJob();
  job.id = "";
  ExpectOnly(job, DiagKind::kMissingJobId, Mark(job.origin, "id"));

  job = testing::MockJob();
  job.id = "my job";
  const diag::Diagnostic* d = ExpectOnly(job, DiagKind::kInvalidJobId, Mark(job.origin, "id"));
  if (d) {
    EXPECT_EQ(d->message, "job ID `my job` contains a space");
  }

  job = testing::MockJob();
  job.id = std::string("a\0b", 3);
  ExpectOnly(job, DiagKind::kInvalidJobId, Mark(job.origin, "id"));
}

TEST(ValidateTest, JobName) {
  ir::Job job = testing::MockJob();
  job.name = std::string("x\0", 2);
  ExpectOnly(job, DiagKind::kInvalidJobName, Mark(job.origin, "name"));
}

TEST(ValidateTest, Datacenters) {
  ir::Job job = testing::MockJob();
  job.datacenters.clear();
  ExpectOnly(job, DiagKind::kMissingDatacenters, Mark(job.origin, "datacenters"));

  job = testing::MockJob();
  job.datacenters = {"dc1", ""};
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kEmptyDatacenter, Mark(job.origin, "datacenters"));
  if (d) {
    EXPECT_EQ(d->message, "datacenter #2 is an empty string");
  }
}

TEST(ValidateTest, Priority) {
  for (int p : {0, -5, 101, 1000}) {
    ir::Job job = testing::MockJob();
    job.priority = p;
    ExpectOnly(job, DiagKind::kPriorityOutOfRange, Mark(job.origin, "priority"));
  }
  for (int p : {1, 100}) {
    ir::Job job = testing::MockJob();
    job.priority = p;
    EXPECT_TRUE(Check(job).empty());
  }
}

TEST(ValidateTest, MissingTaskGroups) {
  ir::Job job = testing::MockJob();
  job.task_groups.clear();
  ExpectOnly(job, DiagKind::kMissingTaskGroups, Mark(job.origin));
}

TEST(ValidateTest, GroupNames) {
  ir::Job job = testing::MockJob();
  Group(job).name = "";
  ExpectHas(job, DiagKind::kInvalidGroupName, Mark(Group(job).origin));

  job = testing::MockJob();
  job.task_groups.push_back(job.task_groups[0]);
  SourceRange first = Mark(job.task_groups[0].origin);
  // The copy repeats the group's ports and services; only the duplicate group matters here.
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kDuplicateGroup, Mark(job.task_groups[1].origin));
  if (d) {
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, first);
  }
}

// ---- group --------------------------------------------------------------------------------------

TEST(ValidateTest, Count) {
  ir::Job job = testing::MockJob();
  Group(job).count = -1;
  ExpectHas(job, DiagKind::kNegativeCount, Mark(Group(job).origin, "count"));

  job = MockOfType(ir::JobType::kSystem);
  Group(job).count = 2;
  ExpectOnly(job, DiagKind::kSystemCountAboveOne, Mark(Group(job).origin, "count"));
}

TEST(ValidateTest, MissingTasks) {
  ir::Job job = testing::MockJob();
  Group(job).tasks.clear();
  ExpectOnly(job, DiagKind::kMissingTasks, Mark(Group(job).origin));
}

TEST(ValidateTest, TaskNames) {
  ir::Job job = testing::MockJob();
  Task(job).name = "a/b";
  ExpectOnly(job, DiagKind::kInvalidTaskName, Mark(Task(job).origin));

  job = testing::MockJob();
  Group(job).tasks.push_back(Task(job));
  SourceRange first = Mark(Group(job).tasks[0].origin);
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kDuplicateTask, Mark(Group(job).tasks[1].origin));
  if (d) {
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, first);
  }
}

TEST(ValidateTest, MissingDriver) {
  ir::Job job = testing::MockJob();
  Task(job).driver = "";
  ExpectOnly(job, DiagKind::kMissingDriver, Mark(Task(job).origin, "driver"));
}

TEST(ValidateTest, MultipleLeaders) {
  ir::Job job = testing::MockJob();
  ir::Task second = Task(job);
  second.name = "sidecar";
  Group(job).tasks.push_back(second);
  Group(job).tasks[0].leader = true;
  Group(job).tasks[1].leader = true;
  SourceRange a = Mark(Group(job).tasks[0].origin, "leader");
  SourceRange b = Mark(Group(job).tasks[1].origin, "leader");
  const diag::Diagnostic* d = ExpectOnly(job, DiagKind::kMultipleLeaders, Mark(Group(job).origin));
  if (d) {
    ASSERT_EQ(d->notes.size(), 2u);
    EXPECT_EQ(d->notes[0].range, a);
    EXPECT_EQ(d->notes[1].range, b);
  }
}

TEST(ValidateTest, BlocksNotAllowedForJobType) {
  {
    ir::Job job = MockOfType(ir::JobType::kBatch);
    Group(job).update = testing::MockJob().task_groups[0].update;
    ExpectOnly(job, DiagKind::kNotAllowedForJobType, Mark(Group(job).update->origin));
  }
  {
    ir::Job job = MockOfType(ir::JobType::kBatch);
    Group(job).migrate = testing::MockJob().task_groups[0].migrate;
    const diag::Diagnostic* d =
        ExpectOnly(job, DiagKind::kNotAllowedForJobType, Mark(Group(job).migrate->origin));
    if (d) {
      EXPECT_EQ(d->message, "`migrate` is not allowed in a `batch` job");
    }
  }
  {
    ir::Job job = MockOfType(ir::JobType::kSystem);
    Group(job).reschedule_policy = testing::MockJob().task_groups[0].reschedule_policy;
    ExpectOnly(job, DiagKind::kNotAllowedForJobType, Mark(Group(job).reschedule_policy->origin));
  }
  {
    ir::Job job = MockOfType(ir::JobType::kSystem);
    job.affinities.push_back(
        ir::Affinity{"${node.class}", "large", ir::ConstraintOp::kEqual, 50, {}});
    ExpectOnly(job, DiagKind::kNotAllowedForJobType, Mark(job.affinities[0].origin));
  }
  {
    ir::Job job = MockOfType(ir::JobType::kSystem);
    Group(job).spreads.push_back(ir::Spread{"${node.datacenter}", 50, {}, {}});
    ExpectOnly(job, DiagKind::kNotAllowedForJobType, Mark(Group(job).spreads[0].origin));
  }
  {
    ir::Job job = MockOfType(ir::JobType::kSystem);
    Group(job).update->canary = 1;
    ExpectOnly(job, DiagKind::kNotAllowedForJobType, Mark(Group(job).update->origin, "canary"));
  }
  {
    ir::Job job = MockOfType(ir::JobType::kSystem);
    Group(job).scaling = ir::ScalingPolicy{};
    Group(job).scaling->min = 0;
    Group(job).scaling->max = 1;
    ExpectOnly(job, DiagKind::kNotAllowedForJobType, Mark(Group(job).scaling->origin));
  }
  {
    ir::Job job = MockOfType(ir::JobType::kSystem);
    Group(job).stop_after_client_disconnect = Duration(1min);
    ExpectOnly(job, DiagKind::kNotAllowedForJobType,
               Mark(Group(job).origin, "stop_after_client_disconnect"));
  }
  {
    ir::Job job = testing::MockJob();
    job.periodic = ir::PeriodicConfig{};
    job.periodic->specs = {"@daily"};
    ExpectOnly(job, DiagKind::kNotAllowedForJobType, Mark(job.periodic->origin));
  }
  {
    ir::Job job = testing::MockJob();
    job.parameterized = ir::ParameterizedJobConfig{};
    ExpectOnly(job, DiagKind::kNotAllowedForJobType, Mark(job.parameterized->origin));
  }
}

TEST(ValidateTest, Scaling) {
  auto with_scaling = [](std::optional<int64_t> min, std::optional<int64_t> max, int count) {
    ir::Job job = testing::MockJob();
    Group(job).count = count;
    Group(job).update->max_parallel = 0;
    Group(job).scaling = ir::ScalingPolicy{};
    Group(job).scaling->min = min;
    Group(job).scaling->max = max;
    return job;
  };
  {
    ir::Job job = with_scaling(0, std::nullopt, 2);
    ExpectOnly(job, DiagKind::kScalingMaxMissing, Mark(Group(job).scaling->origin, "max"));
  }
  {
    ir::Job job = with_scaling(-1, 5, 2);
    ExpectOnly(job, DiagKind::kScalingMinNegative, Mark(Group(job).scaling->origin, "min"));
  }
  {
    ir::Job job = with_scaling(5, 3, 4);
    ExpectHas(job, DiagKind::kScalingMaxBelowMin, Mark(Group(job).scaling->origin, "max"));
  }
  {
    ir::Job job = with_scaling(1, 3, 5);
    SourceRange max = Mark(Group(job).scaling->origin, "max");
    const diag::Diagnostic* d =
        ExpectOnly(job, DiagKind::kCountOutsideScaling, Mark(Group(job).origin, "count"));
    if (d) {
      EXPECT_EQ(d->message,
                "task group count 5 must not be greater than the maximum count in the scaling "
                "policy (3)");
      ASSERT_EQ(d->notes.size(), 1u);
      EXPECT_EQ(d->notes[0].range, max);
    }
  }
  {
    ir::Job job = with_scaling(3, 10, 2);
    ExpectOnly(job, DiagKind::kCountOutsideScaling, Mark(Group(job).origin, "count"));
  }
  EXPECT_TRUE(Check(with_scaling(0, 10, 2)).empty());
}

// ---- networks and ports -------------------------------------------------------------------------

TEST(ValidateTest, MultipleGroupNetworks) {
  ir::Job job = testing::MockJob();
  Group(job).networks.push_back(ir::NetworkResource{});
  ExpectOnly(job, DiagKind::kMultipleGroupNetworks, Mark(Group(job).networks[1].origin));
}

TEST(ValidateTest, DuplicatePortLabel) {
  ir::Job job = testing::MockJob();
  ir::NetworkResource& net = Group(job).networks[0];
  net.dynamic_ports.push_back(ir::Port{"http", 0, 9090, "default", {}});
  SourceRange first = Mark(net.dynamic_ports[0].origin);
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kDuplicatePortLabel, Mark(net.dynamic_ports[1].origin));
  if (d) {
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, first);
  }

  // A task network reusing a group label (plus the deprecation warning for task networks).
  job = testing::MockJob();
  ir::NetworkResource task_net;
  task_net.dynamic_ports.push_back(ir::Port{"admin", 0, 0, "default", {}});
  Task(job).resources.networks.push_back(task_net);
  ExpectHas(job, DiagKind::kDuplicatePortLabel,
            Mark(Task(job).resources.networks[0].dynamic_ports[0].origin));
}

TEST(ValidateTest, DuplicateStaticPort) {
  ir::Job job = testing::MockJob();
  ir::NetworkResource& net = Group(job).networks[0];
  net.reserved_ports.push_back(ir::Port{"admin2", 9000, 0, "default", {}});
  SourceRange first = Mark(net.reserved_ports[0].origin, "static");
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kDuplicateStaticPort, Mark(net.reserved_ports[1].origin, "static"));
  if (d) {
    EXPECT_EQ(d->message,
              "static port 9000 is already reserved by port `admin` in the group network");
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, first);
  }
}

TEST(ValidateTest, PortRanges) {
  ir::Job job = testing::MockJob();
  Group(job).networks[0].reserved_ports[0].value = 70000;
  ExpectOnly(job, DiagKind::kPortOutOfRange,
             Mark(Group(job).networks[0].reserved_ports[0].origin, "static"));

  for (int to : {-2, 65536}) {
    job = testing::MockJob();
    Group(job).networks[0].dynamic_ports[0].to = to;
    ExpectOnly(job, DiagKind::kPortOutOfRange,
               Mark(Group(job).networks[0].dynamic_ports[0].origin, "to"));
  }
  job = testing::MockJob();
  Group(job).networks[0].dynamic_ports[0].to = -1;
  EXPECT_TRUE(Check(job).empty());
}

/// MockJob() with its group service moved into the task (where Nomad checks port references).
ir::Job MockWithTaskService() {
  ir::Job job = testing::MockJob();
  ir::Service s = Svc(job);
  s.task_name = Task(job).name;
  for (ir::ServiceCheck& c : s.checks) c.task_name = s.task_name;
  Task(job).services.push_back(s);
  Group(job).services.clear();
  return job;
}

ir::Service& TaskSvc(ir::Job& job) { return Task(job).services[0]; }
ir::ServiceCheck& TaskChk(ir::Job& job) { return Task(job).services[0].checks[0]; }

TEST(ValidateTest, UndefinedPortLabel) {
  ir::Job job = MockWithTaskService();
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));
  TaskSvc(job).port_label = "htp";
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kUndefinedPortLabel, Mark(TaskSvc(job).origin, "port"));
  if (d) {
    EXPECT_EQ(d->help, "did you mean `http`?");
  }

  job = MockWithTaskService();
  TaskChk(job).port_label = "metrics";
  d = ExpectOnly(job, DiagKind::kUndefinedPortLabel, Mark(TaskChk(job).origin, "port"));
  if (d) {
    EXPECT_EQ(d->help, "the ports defined are `admin`, `http`");
  }

  // A task service may also use a port of its task's (deprecated) network.
  job = MockWithTaskService();
  ir::NetworkResource task_net;
  task_net.dynamic_ports.push_back(ir::Port{"metrics", 0, 0, "default", {}});
  Task(job).resources.networks.push_back(task_net);
  TaskSvc(job).port_label = "metrics";
  ExpectOnly(job, DiagKind::kDeprecatedTaskNetwork, Mark(Task(job).resources.networks[0].origin));
}

// Nomad does not check the port of a group service against the group network (TaskGroup
// .validateServices): a Connect service names the port its task listens on inside the network
// namespace, often as a number, and checks may too. The e2e jobs register such services.
TEST(ValidateTest, GroupServicePortsAreNotCheckedAgainstTheNetwork) {
  for (std::string port : {"9001", "not-a-label", "${NOMAD_PORT_http}"}) {
    ir::Job job = testing::MockJob();
    Svc(job).port_label = port;
    EXPECT_TRUE(Check(job).empty()) << port << Describe(Check(job));
    Chk(job).port_label = port;
    EXPECT_TRUE(Check(job).empty()) << port << Describe(Check(job));
  }
}

TEST(ValidateTest, CheckPorts) {
  // A check that needs a port must get one, in group and task services alike.
  ir::Job job = testing::MockJob();
  Svc(job).port_label = "";
  ExpectOnly(job, DiagKind::kCheckMissingPort, Mark(Chk(job).origin));
  job = MockWithTaskService();
  TaskSvc(job).port_label = "";
  ExpectOnly(job, DiagKind::kCheckMissingPort, Mark(TaskChk(job).origin));

  // In a task service a number is a port only with address_mode "driver".
  job = MockWithTaskService();
  TaskChk(job).port_label = "8080";
  ExpectOnly(job, DiagKind::kNumericCheckPort, Mark(TaskChk(job).origin, "port"));

  job = MockWithTaskService();
  TaskChk(job).port_label = "8080";
  TaskChk(job).address_mode = ir::AddressMode::kDriver;
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));

  // A numeric service port: its checks inherit the number, so both are reported...
  job = MockWithTaskService();
  TaskSvc(job).port_label = "8080";
  ExpectHas(job, DiagKind::kUndefinedPortLabel, Mark(TaskSvc(job).origin, "port"));
  ExpectHas(job, DiagKind::kNumericCheckPort, Mark(TaskChk(job).origin));
  // ...unless the service uses address_mode "driver", where Nomad skips the service's checks.
  TaskSvc(job).address_mode = ir::AddressMode::kDriver;
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));
}

// Where a service is defined decides which address modes, `connect` and `expose` it may use
// (TaskGroup.validateServices, the task-level validateServices, the expose-check hook).
TEST(ValidateTest, GroupAndTaskServiceRestrictions) {
  ir::Job job = testing::MockJob();
  Svc(job).address_mode = ir::AddressMode::kDriver;
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin, "address_mode"));

  job = MockWithTaskService();
  TaskSvc(job).address_mode = ir::AddressMode::kAlloc;
  ExpectOnly(job, DiagKind::kInvalidService, Mark(TaskSvc(job).origin, "address_mode"));

  job = MockWithTaskService();
  TaskChk(job).address_mode = ir::AddressMode::kAlloc;
  ExpectOnly(job, DiagKind::kInvalidCheck, Mark(TaskChk(job).origin, "address_mode"));

  job = MockWithTaskService();
  TaskSvc(job).connect = nlohmann::json{{"Native", true}};
  ExpectOnly(job, DiagKind::kInvalidService, Mark(TaskSvc(job).origin, "connect"));

  job = MockWithTaskService();
  TaskSvc(job).task_name = "other";
  ExpectHas(job, DiagKind::kInvalidService, Mark(TaskSvc(job).origin, "task"));

  job = MockWithTaskService();
  TaskChk(job).expose = true;
  ExpectOnly(job, DiagKind::kInvalidCheck, Mark(TaskChk(job).origin, "expose"));

  // A group check may expose itself only through the service's Envoy sidecar.
  job = testing::MockJob();
  Chk(job).expose = true;
  SourceRange expose = Mark(Chk(job).origin, "expose");
  ExpectOnly(job, DiagKind::kInvalidCheck, expose);
  Svc(job).connect = nlohmann::json{{"SidecarService", nlohmann::json::object()}};
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));
  Group(job).networks[0].mode = "host";
  ExpectHas(job, DiagKind::kInvalidCheck, expose);
}

// ---- update, migrate, restart, reschedule -------------------------------------------------------

TEST(ValidateTest, UpdateRules) {
  struct Row {
    std::function<void(ir::UpdateStrategy&)> mutate;
    std::string field;
  };
  std::vector<Row> rows = {
      {[](ir::UpdateStrategy& u) { u.max_parallel = -1; }, "max_parallel"},
      {[](ir::UpdateStrategy& u) { u.canary = -1; }, "canary"},
      {[](ir::UpdateStrategy& u) { u.auto_promote = true; }, "auto_promote"},
      {[](ir::UpdateStrategy& u) { u.min_healthy_time = Duration(-1s); }, "min_healthy_time"},
      {[](ir::UpdateStrategy& u) { u.min_healthy_time = Duration(5min); }, "min_healthy_time"},
      {[](ir::UpdateStrategy& u) { u.healthy_deadline = Duration(10min); }, "healthy_deadline"},
      {[](ir::UpdateStrategy& u) { u.progress_deadline = Duration(-1s); }, "progress_deadline"},
      {[](ir::UpdateStrategy& u) { u.stagger = Duration(0); }, "stagger"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.field);
    ir::Job job = testing::MockJob();
    row.mutate(*Group(job).update);
    if (row.field == "progress_deadline") {
      // A negative progress deadline also breaks "healthy_deadline < progress_deadline", as in
      // Nomad.
      ExpectHas(job, DiagKind::kInvalidUpdate, Mark(Group(job).update->origin, row.field));
    } else {
      ExpectOnly(job, DiagKind::kInvalidUpdate, Mark(Group(job).update->origin, row.field));
    }
  }
  // progress_deadline = 0 disables the progress check.
  ir::Job job = testing::MockJob();
  Group(job).update->progress_deadline = Duration(0);
  EXPECT_TRUE(Check(job).empty());
}

TEST(ValidateTest, MigrateRules) {
  ir::Job job = testing::MockJob();
  Group(job).migrate->max_parallel = -1;
  ExpectOnly(job, DiagKind::kInvalidMigrate, Mark(Group(job).migrate->origin, "max_parallel"));

  job = testing::MockJob();
  Group(job).migrate->min_healthy_time = Duration(10min);
  ExpectOnly(job, DiagKind::kInvalidMigrate, Mark(Group(job).migrate->origin, "min_healthy_time"));
}

TEST(ValidateTest, RestartRules) {
  ir::Job job = testing::MockJob();
  Group(job).restart_policy->attempts = 0;
  Group(job).restart_policy->mode = ir::RestartMode::kDelay;
  Task(job).restart_policy = Group(job).restart_policy;
  // Reported for the group's policy and again for the task's (which repeats it).
  ExpectHas(job, DiagKind::kInvalidRestart, Mark(Group(job).restart_policy->origin, "attempts"));

  job = testing::MockJob();
  Group(job).restart_policy->interval = Duration(2s);
  Group(job).restart_policy->delay = Duration(0);
  ExpectOnly(job, DiagKind::kInvalidRestart, Mark(Group(job).restart_policy->origin, "interval"));

  job = testing::MockJob();
  Group(job).restart_policy->attempts = 10;
  Group(job).restart_policy->delay = Duration(5min);
  const diag::Diagnostic* d = ExpectOnly(job, DiagKind::kInvalidRestart,
                                         Mark(Group(job).restart_policy->origin, "attempts"));
  if (d) {
    EXPECT_EQ(d->message,
              "restart: Nomad can't restart the task group 10 times in an interval of 30m0s with a "
              "delay of 5m0s");
  }
}

TEST(ValidateTest, RescheduleRules) {
  auto batch = [] {
    ir::Job job = MockOfType(ir::JobType::kBatch);
    Group(job).reschedule_policy = DefaultReschedulePolicy(ir::JobType::kBatch);
    return job;
  };
  EXPECT_TRUE(Check(batch()).empty()) << Describe(Check(batch()));
  {
    ir::Job job = batch();
    Group(job).reschedule_policy->unlimited = true;
    ExpectOnly(job, DiagKind::kInvalidReschedule,
               Mark(Group(job).reschedule_policy->origin, "unlimited"));
  }
  {
    ir::Job job = batch();
    Group(job).reschedule_policy->delay = Duration(1s);
    ExpectOnly(job, DiagKind::kInvalidReschedule,
               Mark(Group(job).reschedule_policy->origin, "delay"));
  }
  {
    ir::Job job = testing::MockJob();
    Group(job).reschedule_policy->max_delay = Duration(10s);
    ExpectOnly(job, DiagKind::kInvalidReschedule,
               Mark(Group(job).reschedule_policy->origin, "max_delay"));
  }
  {
    ir::Job job = batch();
    Group(job).reschedule_policy->interval = Duration(10s);
    Group(job).reschedule_policy->delay = Duration(5s);
    ExpectOnly(job, DiagKind::kInvalidReschedule,
               Mark(Group(job).reschedule_policy->origin, "interval"));
  }
  {
    ir::Job job = batch();
    Group(job).reschedule_policy->attempts = 10;
    Group(job).reschedule_policy->delay = Duration(1h);
    Group(job).reschedule_policy->interval = Duration(2h);
    const diag::Diagnostic* d = ExpectOnly(job, DiagKind::kInvalidReschedule,
                                           Mark(Group(job).reschedule_policy->origin, "attempts"));
    if (d) {
      EXPECT_EQ(d->message,
                "reschedule: Nomad can only make 2 attempts in 2h0m0s with initial delay 1h0m0s "
                "and delay function `constant`");
      EXPECT_EQ(d->help, "set the interval to at least 10h0m0s to accommodate 10 attempts");
    }
  }
  {
    // Exponential: 30s, 1m, 2m, 4m, 8m... capped at 5m; 6 attempts need 30s+1m+2m+4m... > 10m.
    ir::Job job = testing::MockJob();
    ir::ReschedulePolicy& r = *Group(job).reschedule_policy;
    r.unlimited = false;
    r.attempts = 6;
    r.interval = Duration(3min);
    r.max_delay = Duration(5min);
    ExpectOnly(job, DiagKind::kInvalidReschedule, Mark(r.origin, "attempts"));
  }
  {
    // A huge attempt count stays cheap to check.
    ir::Job job = testing::MockJob();
    ir::ReschedulePolicy& r = *Group(job).reschedule_policy;
    r.unlimited = false;
    r.attempts = 2000000000;
    r.interval = Duration(24h);
    r.delay_function = ir::DelayFunction::kFibonacci;
    ExpectOnly(job, DiagKind::kInvalidReschedule, Mark(r.origin, "attempts"));
  }
}

// ---- services and checks ------------------------------------------------------------------------

TEST(ValidateTest, ServiceNames) {
  for (const std::string& name :
       std::vector<std::string>{"web_api", "-web", "web-", std::string(64, 'a'), "web.api"}) {
    SCOPED_TRACE(name);
    ir::Job job = testing::MockJob();
    Svc(job).name = name;
    ExpectOnly(job, DiagKind::kInvalidServiceName, Mark(Svc(job).origin, "name"));
  }
  for (const std::string& name :
       std::vector<std::string>{"a", "web-1", "${NOMAD_META_team}-api", std::string(63, 'a')}) {
    ir::Job job = testing::MockJob();
    Svc(job).name = name;
    EXPECT_TRUE(Check(job).empty()) << name << Describe(Check(job));
  }
}

TEST(ValidateTest, HugeNamesDoNotCrash) {
  ir::Job job = testing::MockJob();
  Svc(job).name = std::string(1 << 20, 'a');
  ExpectOnly(job, DiagKind::kInvalidServiceName, Mark(Svc(job).origin, "name"));
}

TEST(ValidateTest, DuplicateServiceAndCheck) {
  ir::Job job = testing::MockJob();
  Group(job).services.push_back(Svc(job));
  SourceRange first = Mark(Group(job).services[0].origin);
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kDuplicateService, Mark(Group(job).services[1].origin, "name"));
  if (d) {
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, first);
  }

  job = testing::MockJob();
  Svc(job).checks.push_back(Chk(job));
  ExpectOnly(job, DiagKind::kDuplicateCheck, Mark(Svc(job).checks[1].origin, "name"));

  // Nomad identifies a service by name, task and port: the same name and port in the group and
  // in a task, or in two tasks, are different services.
  job = MockWithTaskService();
  ir::Task second = Task(job);
  second.name = "sidecar";
  TaskSvc(job).name = "shared";
  second.services[0].name = "shared";
  second.services[0].task_name = "sidecar";
  second.services[0].checks[0].task_name = "sidecar";
  Group(job).tasks.push_back(second);
  ir::Service group_service = TaskSvc(job);
  group_service.task_name = "";
  for (ir::ServiceCheck& c : group_service.checks) c.task_name = "";
  Group(job).services.push_back(group_service);
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));
  Group(job).tasks[1].services.push_back(Group(job).tasks[1].services[0]);
  ExpectOnly(job, DiagKind::kDuplicateService,
             Mark(Group(job).tasks[1].services[1].origin, "name"));
}

TEST(ValidateTest, ServiceAddress) {
  ir::Job job = testing::MockJob();
  Svc(job).address = "10.0.0.1";
  Svc(job).address_mode = ir::AddressMode::kHost;
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin, "address"));
}

TEST(ValidateTest, CheckIntervalAndTimeout) {
  for (Duration d : {Duration(0), Duration(500ms)}) {
    ir::Job job = testing::MockJob();
    Chk(job).interval = d;
    ExpectOnly(job, DiagKind::kCheckInterval, Mark(Chk(job).origin, "interval"));
    job = testing::MockJob();
    Chk(job).timeout = d;
    ExpectOnly(job, DiagKind::kCheckInterval, Mark(Chk(job).origin, "timeout"));
  }
}

TEST(ValidateTest, HttpCheckPath) {
  ir::Job job = testing::MockJob();
  Chk(job).path = "";
  ExpectOnly(job, DiagKind::kHttpCheckPath, Mark(Chk(job).origin));

  job = testing::MockJob();
  Chk(job).path = "http://localhost/health";
  ExpectOnly(job, DiagKind::kHttpCheckPath, Mark(Chk(job).origin, "path"));
}

TEST(ValidateTest, ScriptChecks) {
  // In a task service: needs a command.
  ir::Job job = testing::MockJob();
  ir::Service s;
  s.name = "worker";
  s.provider = ir::ServiceProvider::kConsul;
  ir::ServiceCheck c;
  c.name = "script";
  c.type = ir::CheckType::kScript;
  c.interval = Duration(10s);
  c.timeout = Duration(2s);
  s.checks.push_back(c);
  Task(job).services.push_back(s);
  ExpectOnly(job, DiagKind::kScriptCheckCommand, Mark(Task(job).services[0].checks[0].origin));

  // In a group service: needs a task to run in, which must exist.
  job = testing::MockJob();
  c.command = "/bin/check";
  s.checks = {c};
  Group(job).services.push_back(s);
  ExpectOnly(job, DiagKind::kGroupScriptCheckTask, Mark(Group(job).services[1].checks[0].origin));
  Group(job).services[1].checks[0].task_name = "nope";
  ExpectOnly(job, DiagKind::kCheckUnknownTask,
             Mark(Group(job).services[1].checks[0].origin, "task"));
  Group(job).services[1].checks[0].task_name = "server";
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));
}

TEST(ValidateTest, CheckSettings) {
  ir::Job job = testing::MockJob();
  Chk(job).initial_status = "bogus";
  ExpectOnly(job, DiagKind::kInvalidCheck, Mark(Chk(job).origin, "initial_status"));

  job = testing::MockJob();
  Chk(job).address_mode = ir::AddressMode::kAuto;
  ExpectOnly(job, DiagKind::kInvalidCheck, Mark(Chk(job).origin, "address_mode"));

  job = testing::MockJob();
  Chk(job).on_update = ir::OnUpdate::kIgnore;
  Chk(job).check_restart = ir::CheckRestart{3, Duration(1s), false, {}};
  ExpectOnly(job, DiagKind::kInvalidCheck, Mark(Chk(job).origin, "on_update"));

  job = testing::MockJob();
  Chk(job).type = ir::CheckType::kGrpc;
  Svc(job).provider = ir::ServiceProvider::kNomad;
  ExpectOnly(job, DiagKind::kInvalidCheck, Mark(Chk(job).origin, "type"));

  job = testing::MockJob();
  Svc(job).provider = ir::ServiceProvider::kNomad;
  Chk(job).tls_skip_verify = true;
  ExpectOnly(job, DiagKind::kInvalidCheck, Mark(Chk(job).origin, "tls_skip_verify"));
}

TEST(ValidateTest, MixedServiceProviders) {
  ir::Job job = testing::MockJob();
  ir::Service s = Svc(job);
  s.name = "other";
  s.provider = ir::ServiceProvider::kNomad;
  Group(job).services.push_back(s);
  SourceRange consul = Mark(Group(job).services[0].origin);
  const diag::Diagnostic* d = ExpectOnly(job, DiagKind::kMixedServiceProviders,
                                         Mark(Group(job).services[1].origin, "provider"));
  if (d) {
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, consul);
  }
}

// ---- Consul Connect
// ------------------------------------------------------------------------------

using json = nlohmann::json;

/// MockJob() whose group service runs behind an Envoy sidecar (the group network is bridge).
ir::Job MockWithSidecar() {
  ir::Job job = testing::MockJob();
  Svc(job).connect = json{{"SidecarService", json::object()}};
  return job;
}

/// MockJob() turned into a gateway-only group (Nomad adds the gateway task), canonicalized.
ir::Job MockGateway(json gateway, std::string mode = "bridge") {
  ir::Job job = testing::MockJob();
  Group(job).tasks.clear();
  Group(job).networks[0].mode = std::move(mode);
  Svc(job).checks.clear();
  Svc(job).connect = json{{"Gateway", std::move(gateway)}};
  return job;
}

TEST(ValidateTest, ConnectSidecarNeedsOneBridgeNetwork) {
  ir::Job job = MockWithSidecar();
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));

  Group(job).networks.clear();
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin, "connect"));

  job = MockWithSidecar();
  Group(job).networks[0].mode = "host";
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Group(job).networks[0].origin, "mode"));

  // Consul assumes lowercase names for Connect services and their groups.
  job = MockWithSidecar();
  Svc(job).name = "Web";
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin, "name"));
  job = MockWithSidecar();
  Group(job).name = "Web";
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Group(job).origin));
}

TEST(ValidateTest, ConnectUpstreamsListenOnDistinctAddresses) {
  ir::Job job = MockWithSidecar();
  json upstream = {{"DestinationName", "db"}, {"LocalBindPort", 5432}};
  Svc(job).connect["SidecarService"]["Proxy"]["Upstreams"] = json::array({upstream});
  ir::Service other = Svc(job);
  other.name = "api";
  other.checks.clear();
  Group(job).services.push_back(other);
  SourceRange first = Mark(Group(job).services[0].origin, "connect");
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kInvalidService, Mark(Group(job).services[1].origin, "connect"));
  if (d) {
    EXPECT_EQ(d->message,
              "service `api`: an upstream listens on :5432, as one of service `web` does");
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, first);
  }
  Group(job).services[1].connect["SidecarService"]["Proxy"]["Upstreams"][0]["LocalBindPort"] = 5433;
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));
}

TEST(ValidateTest, ConnectIsExactlyOneThing) {
  ir::Job job = testing::MockJob();
  Svc(job).connect = json::object();
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin, "connect"));

  job = MockWithSidecar();
  Svc(job).connect["Native"] = true;
  ExpectHas(job, DiagKind::kInvalidService, Mark(Svc(job).origin, "connect"));

  job = MockGateway({{"Ingress", json::object()}, {"Mesh", json::object()}});
  Canonicalize(job);
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin, "connect"));
}

// Nomad's Connect hook adds a gateway's task before validating, so a group holding only a
// gateway is valid, given the one network the gateway needs (bridge or host).
TEST(ValidateTest, ConnectGatewayGroupsGetTheirTask) {
  for (std::string mode : {"bridge", "host"}) {
    ir::Job job = MockGateway({{"Ingress", json::object()}}, mode);
    Canonicalize(job);
    EXPECT_TRUE(Check(job).empty()) << mode << Describe(Check(job));
  }

  ir::Job job = MockGateway({{"Terminating", json::object()}});
  Group(job).networks.clear();
  Canonicalize(job);
  SourceRange group = Mark(Group(job).origin);
  SourceRange connect = Mark(Svc(job).origin, "connect");
  std::vector<diag::Diagnostic> diags = Check(job);
  ASSERT_EQ(diags.size(), 2u) << Describe(diags);
  EXPECT_EQ(diags[0].kind, DiagKind::kMissingTasks);
  EXPECT_EQ(diags[0].range, group);
  EXPECT_EQ(diags[1].kind, DiagKind::kInvalidService);
  EXPECT_EQ(diags[1].range, connect);

  job = MockGateway({{"Ingress", json::object()}}, "");
  Canonicalize(job);
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Group(job).networks[0].origin, "mode"));

  // A mesh gateway registers its WAN address on the service's port.
  job = MockGateway({{"Mesh", json::object()}});
  Canonicalize(job);
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));
  Svc(job).port_label = "";
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin));
}

TEST(ValidateTest, ConnectNativeServiceTask) {
  // The Connect hook picks the only task of a group that has a network.
  ir::Job job = testing::MockJob();
  Svc(job).connect = json{{"Native", true}};
  ir::Job canonical = job;
  Canonicalize(canonical);
  EXPECT_TRUE(Check(canonical).empty()) << Describe(Check(canonical));

  // Otherwise the service must name it.
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin));
  Group(job).tasks.push_back(Task(job));
  Group(job).tasks[1].name = "second";
  Canonicalize(job);
  const diag::Diagnostic* d = ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin));
  if (d) {
    EXPECT_EQ(d->message,
              "service `web`: the task of a Connect native service is ambiguous: group `web` has 2 "
              "tasks; set `task`");
  }
  Svc(job).task_name = "nope";
  ExpectOnly(job, DiagKind::kInvalidService, Mark(Svc(job).origin, "task"));
  Svc(job).task_name = "second";
  EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));
}

// ---- constraints, affinities, spreads -----------------------------------------------------------

TEST(ValidateTest, Constraints) {
  struct Row {
    ir::ConstraintOp op;
    std::string l;
    std::string r;
    DiagKind kind;
    std::string field;
  };
  using Op = ir::ConstraintOp;
  std::vector<Row> rows = {
      {Op::kRegexp, "${attr.os.name}", "[a-", DiagKind::kInvalidRegexp, "value"},
      {Op::kRegexp, "${attr.os.name}", "(a)\\1", DiagKind::kInvalidRegexp, "value"},
      {Op::kRegexp, "${attr.os.name}", "\\K2.0", DiagKind::kInvalidRegexp, "value"},
      {Op::kVersion, "${attr.kernel.version}", ">= one", DiagKind::kInvalidVersionConstraint,
       "value"},
      {Op::kSemver, "${attr.kernel.version}", "~> 1.2", DiagKind::kInvalidVersionConstraint,
       "value"},
      {Op::kSetContains, "${meta.tags}", "", DiagKind::kConstraintMissingOperand, "operator"},
      {Op::kEqual, "${attr.os.name}", "", DiagKind::kConstraintMissingOperand, "operator"},
      {Op::kEqual, "", "linux", DiagKind::kConstraintMissingOperand, "operator"},
      {Op::kIsSet, "${meta.rack}", "yes", DiagKind::kConstraintUnexpectedValue, "value"},
      {Op::kDistinctProperty, "${meta.rack}", "0", DiagKind::kInvalidDistinctCount, "value"},
      {Op::kDistinctProperty, "${meta.rack}", "two", DiagKind::kInvalidDistinctCount, "value"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(ir::ToString(row.op)) + " " + row.r);
    ir::Job job = testing::MockJob();
    Group(job).constraints.push_back(ir::Constraint{row.l, row.r, row.op, {}});
    ExpectOnly(job, row.kind, Mark(Group(job).constraints[0].origin, row.field));
  }
  for (const Row& ok :
       std::vector<Row>{{Op::kRegexp, "${attr.os.name}", "(?i)^(linux|darwin)$", {}, ""},
                        {Op::kRegexp, "${attr.os.name}", "(?P<os>\\w+)\\z", {}, ""},
                        {Op::kVersion, "${attr.kernel.version}", ">= 4.0, < 6.1-rc1", {}, ""},
                        {Op::kVersion, "${attr.kernel.version}", "~> 1.2", {}, ""},
                        {Op::kSemver, "${attr.vault.version}", ">= 1.2.3-beta, != 1.3.0", {}, ""},
                        {Op::kDistinctProperty, "${meta.rack}", "2", {}, ""},
                        {Op::kDistinctHosts, "", "", {}, ""},
                        {Op::kIsNotSet, "${meta.gpu}", "", {}, ""}}) {
    ir::Job job = testing::MockJob();
    Group(job).constraints.push_back(ir::Constraint{ok.l, ok.r, ok.op, {}});
    EXPECT_TRUE(Check(job).empty()) << ok.r << Describe(Check(job));
  }
}

TEST(ValidateTest, DistinctConstraintsNotAtTaskLevel) {
  ir::Job job = testing::MockJob();
  Task(job).constraints.push_back(ir::Constraint{"", "", ir::ConstraintOp::kDistinctHosts, {}});
  ExpectOnly(job, DiagKind::kDistinctAtTaskLevel,
             Mark(Task(job).constraints[0].origin, "operator"));
}

TEST(ValidateTest, Affinities) {
  ir::Job job = testing::MockJob();
  job.affinities.push_back(
      ir::Affinity{"${node.class}", "", ir::ConstraintOp::kDistinctHosts, 50, {}});
  ExpectOnly(job, DiagKind::kAffinityOperator, Mark(job.affinities[0].origin, "operator"));

  job = testing::MockJob();
  job.affinities.push_back(ir::Affinity{"${node.class}", "big", ir::ConstraintOp::kEqual, 0, {}});
  ExpectOnly(job, DiagKind::kAffinityWeight, Mark(job.affinities[0].origin, "weight"));

  job = testing::MockJob();
  job.affinities.push_back(
      ir::Affinity{"${node.class}", "big", ir::ConstraintOp::kEqual, -120, {}});
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kAffinityWeight, Mark(job.affinities[0].origin, "weight"));
  if (d) {
    EXPECT_EQ(d->message, "affinity weight -120 must be within the range [-100, 100]");
  }

  job = testing::MockJob();
  job.affinities.push_back(
      ir::Affinity{"${node.class}", "big", ir::ConstraintOp::kEqual, -100, {}});
  EXPECT_TRUE(Check(job).empty());
}

TEST(ValidateTest, Spreads) {
  auto with = [](ir::Spread s) {
    ir::Job job = testing::MockJob();
    Group(job).spreads.push_back(std::move(s));
    return job;
  };
  {
    ir::Job job = with(ir::Spread{"", 50, {}, {}});
    ExpectOnly(job, DiagKind::kInvalidSpread, Mark(Group(job).spreads[0].origin, "attribute"));
  }
  {
    ir::Job job = with(ir::Spread{"${node.datacenter}", 0, {}, {}});
    ExpectOnly(job, DiagKind::kInvalidSpread, Mark(Group(job).spreads[0].origin, "weight"));
  }
  {
    ir::Job job =
        with(ir::Spread{"${node.datacenter}", 50, {{"dc1", 70, {}}, {"dc2", 40, {}}}, {}});
    const diag::Diagnostic* d =
        ExpectOnly(job, DiagKind::kInvalidSpread, Mark(Group(job).spreads[0].origin));
    if (d) {
      EXPECT_EQ(d->message,
                "spread: the target percentages add up to 110%; the sum must not be greater than "
                "100%");
    }
  }
  {
    ir::Job job =
        with(ir::Spread{"${node.datacenter}", 50, {{"dc1", 30, {}}, {"dc1", 20, {}}}, {}});
    ExpectOnly(job, DiagKind::kInvalidSpread, Mark(Group(job).spreads[0].targets[1].origin));
  }
  {
    ir::Job job = with(ir::Spread{"${node.datacenter}", 50, {{"dc1", 150, {}}}, {}});
    ExpectHas(job, DiagKind::kInvalidSpread,
              Mark(Group(job).spreads[0].targets[0].origin, "percent"));
  }
}

// ---- resources and task pieces ------------------------------------------------------------------

TEST(ValidateTest, Resources) {
  ir::Job job = testing::MockJob();
  Task(job).resources.cores = 2;
  SourceRange cpu = Mark(Task(job).resources.origin, "cpu");
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kCpuAndCores, Mark(Task(job).resources.origin, "cores"));
  if (d) {
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, cpu);
  }

  job = testing::MockJob();
  Task(job).resources.memory_mb = 5;
  ExpectOnly(job, DiagKind::kResourceTooSmall, Mark(Task(job).resources.origin, "memory"));

  job = testing::MockJob();
  Task(job).resources.cpu = 0;
  ExpectOnly(job, DiagKind::kResourceTooSmall, Mark(Task(job).resources.origin, "cpu"));

  job = testing::MockJob();
  Task(job).resources.memory_max_mb = 200;
  ExpectOnly(job, DiagKind::kMemoryMaxBelowMemory, Mark(Task(job).resources.origin, "memory_max"));

  job = testing::MockJob();
  Task(job).resources.devices.push_back(ir::RequestedDevice{});
  ExpectOnly(job, DiagKind::kInvalidDevice, Mark(Task(job).resources.devices[0].origin));
}

TEST(ValidateTest, DiskAndLogs) {
  ir::Job job = testing::MockJob();
  Group(job).ephemeral_disk->size_mb = 100;
  SourceRange disk = Mark(Group(job).ephemeral_disk->origin, "size");
  const diag::Diagnostic* d =
      ExpectOnly(job, DiagKind::kLogsExceedDisk, Mark(Task(job).log_config->origin));
  if (d) {
    EXPECT_EQ(d->message,
              "log storage of task `server` (100 MB = 10 files x 10 MB) must be less than the "
              "group's ephemeral disk (100 MB)");
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, disk);
  }

  job = testing::MockJob();
  Group(job).ephemeral_disk->size_mb = 5;
  Task(job).log_config->max_files = 1;
  Task(job).log_config->max_file_size_mb = 1;
  ExpectOnly(job, DiagKind::kResourceTooSmall, Mark(Group(job).ephemeral_disk->origin, "size"));

  job = testing::MockJob();
  Task(job).log_config->max_files = 0;
  ExpectOnly(job, DiagKind::kInvalidLogConfig, Mark(Task(job).log_config->origin, "max_files"));
}

TEST(ValidateTest, NegativeDurations) {
  ir::Job job = testing::MockJob();
  Task(job).kill_timeout = Duration(-1s);
  ExpectOnly(job, DiagKind::kNegativeDuration, Mark(Task(job).origin, "kill_timeout"));

  job = testing::MockJob();
  Group(job).shutdown_delay = Duration(-1s);
  ExpectOnly(job, DiagKind::kNegativeDuration, Mark(Group(job).origin, "shutdown_delay"));
}

TEST(ValidateTest, Artifacts) {
  auto with = [](ir::Artifact a) {
    ir::Job job = testing::MockJob();
    Task(job).artifacts.push_back(std::move(a));
    return job;
  };
  {
    ir::Job job = with(ir::Artifact{"", "local/", ir::ArtifactMode::kAny, {}, {}, {}});
    ExpectOnly(job, DiagKind::kInvalidArtifact, Mark(Task(job).artifacts[0].origin, "source"));
  }
  {
    ir::Job job =
        with(ir::Artifact{"https://x/a", "../../../etc", ir::ArtifactMode::kAny, {}, {}, {}});
    ExpectOnly(job, DiagKind::kEscapesAllocDir, Mark(Task(job).artifacts[0].origin, "destination"));
  }
  {
    ir::Job job = with(ir::Artifact{
        "https://x/a", "local/", ir::ArtifactMode::kAny, {{"checksum", "md5:xyz"}}, {}, {}});
    ExpectOnly(job, DiagKind::kInvalidArtifact, Mark(Task(job).artifacts[0].origin, "options"));
  }
  {
    ir::Job job = with(ir::Artifact{"https://x/a",
                                    "../alloc/data",
                                    ir::ArtifactMode::kAny,
                                    {{"checksum", "sha256:" + std::string(64, 'a')}},
                                    {},
                                    {}});
    EXPECT_TRUE(Check(job).empty()) << Describe(Check(job));
  }
}

TEST(ValidateTest, Templates) {
  auto with = [](ir::Template t) {
    ir::Job job = testing::MockJob();
    Task(job).templates.push_back(std::move(t));
    return job;
  };
  ir::Template ok;
  ok.embedded_tmpl = "x={{ env \"NOMAD_TASK_NAME\" }}";
  ok.dest_path = "local/x.env";
  ok.change_mode = ir::ChangeMode::kRestart;
  ok.perms = "0644";
  EXPECT_TRUE(Check(with(ok)).empty());
  {
    ir::Template t = ok;
    t.embedded_tmpl = "";
    ir::Job job = with(t);
    ExpectOnly(job, DiagKind::kInvalidTemplate, Mark(Task(job).templates[0].origin));
  }
  {
    ir::Template t = ok;
    t.dest_path = "../../secret";
    ir::Job job = with(t);
    ExpectOnly(job, DiagKind::kEscapesAllocDir, Mark(Task(job).templates[0].origin, "destination"));
  }
  {
    ir::Template t = ok;
    t.change_mode = ir::ChangeMode::kSignal;
    ir::Job job = with(t);
    ExpectOnly(job, DiagKind::kInvalidTemplate, Mark(Task(job).templates[0].origin, "change_mode"));
  }
  {
    ir::Template t = ok;
    t.perms = "0999";
    ir::Job job = with(t);
    ExpectOnly(job, DiagKind::kInvalidTemplate, Mark(Task(job).templates[0].origin, "perms"));
  }
  {
    ir::Job job = with(ok);
    Task(job).templates.push_back(ok);
    SourceRange first = Mark(Task(job).templates[0].origin, "destination");
    const diag::Diagnostic* d = ExpectOnly(job, DiagKind::kDuplicateTemplateDestination,
                                           Mark(Task(job).templates[1].origin, "destination"));
    if (d) {
      ASSERT_EQ(d->notes.size(), 1u);
      EXPECT_EQ(d->notes[0].range, first);
    }
  }
}

TEST(ValidateTest, Vault) {
  ir::Job job = testing::MockJob();
  Task(job).vault = ir::Vault{};
  ExpectOnly(job, DiagKind::kInvalidVault, Mark(Task(job).vault->origin, "policies"));

  job = testing::MockJob();
  Task(job).vault = ir::Vault{};
  Task(job).vault->policies = {"app", "root"};
  ExpectOnly(job, DiagKind::kInvalidVault, Mark(Task(job).vault->origin, "policies"));
}

TEST(ValidateTest, PeriodicCron) {
  auto periodic = [](std::vector<std::string> specs) {
    ir::Job job = MockOfType(ir::JobType::kBatch);
    job.periodic = ir::PeriodicConfig{};
    job.periodic->specs = std::move(specs);
    return job;
  };
  EXPECT_TRUE(Check(periodic({"*/15 * * * *", "0 9 * * MON-FRI"})).empty());
  {
    ir::Job job = periodic({"61 * * * *"});
    const diag::Diagnostic* d =
        ExpectOnly(job, DiagKind::kInvalidCron, Mark(job.periodic->origin, "cron"));
    if (d) {
      EXPECT_EQ(d->message,
                "invalid cron expression `61 * * * *`: minute 61 is out of range [0, 59]");
    }
  }
  {
    ir::Job job = periodic({});
    ExpectOnly(job, DiagKind::kInvalidPeriodic, Mark(job.periodic->origin));
  }
}

TEST(ValidateTest, Parameterized) {
  ir::Job job = MockOfType(ir::JobType::kBatch);
  job.parameterized = ir::ParameterizedJobConfig{};
  job.parameterized->payload = "sometimes";
  ExpectOnly(job, DiagKind::kInvalidParameterized, Mark(job.parameterized->origin, "payload"));

  job = MockOfType(ir::JobType::kBatch);
  job.parameterized = ir::ParameterizedJobConfig{};
  job.parameterized->meta_required = {"a", "b"};
  job.parameterized->meta_optional = {"b"};
  const diag::Diagnostic* d = ExpectOnly(job, DiagKind::kInvalidParameterized,
                                         Mark(job.parameterized->origin, "meta_optional"));
  if (d) {
    EXPECT_EQ(d->message,
              "parameterized: meta keys must be either required or optional; `b` is both");
  }
}

TEST(ValidateTest, Multiregion) {
  ir::Job job = testing::MockJob();
  job.multiregion = ir::Multiregion{};
  job.multiregion->regions = {ir::MultiregionRegion{"east", 1, {"dc1"}, "", {}, {}},
                              ir::MultiregionRegion{"east", 1, {"dc1"}, "", {}, {}}};
  ExpectOnly(job, DiagKind::kInvalidMultiregion, Mark(job.multiregion->regions[1].origin));

  job = MockOfType(ir::JobType::kBatch);
  job.multiregion = ir::Multiregion{};
  job.multiregion->max_parallel = 1;
  job.multiregion->regions = {ir::MultiregionRegion{"east", 1, {"dc1"}, "", {}, {}}};
  ExpectOnly(job, DiagKind::kInvalidMultiregion, Mark(job.multiregion->origin));
}

TEST(ValidateTest, VolumesAndMounts) {
  ir::Job job = testing::MockJob();
  Group(job).volumes["data"] = ir::VolumeRequest{};
  Group(job).volumes["data"].name = "data";
  ExpectOnly(job, DiagKind::kInvalidVolume, Mark(Group(job).volumes["data"].origin, "source"));

  job = testing::MockJob();
  Task(job).volume_mounts.push_back(ir::VolumeMount{"cache", "/cache", false, "private", "", {}});
  ExpectOnly(job, DiagKind::kInvalidVolumeMount, Mark(Task(job).volume_mounts[0].origin, "volume"));

  job = testing::MockJob();
  Group(job).volumes["cache"] =
      ir::VolumeRequest{"cache", ir::VolumeType::kHost, "cache", false, false, "", "", "", {}, {}};
  Task(job).volume_mounts.push_back(ir::VolumeMount{"cache", "/cache", false, "shared", "", {}});
  ExpectOnly(job, DiagKind::kInvalidVolumeMount,
             Mark(Task(job).volume_mounts[0].origin, "propagation_mode"));
}

TEST(ValidateTest, CsiPluginAndDispatchPayload) {
  ir::Job job = testing::MockJob();
  Task(job).csi_plugin = ir::CsiPluginConfig{"", "node", "/csi", "/local/csi", Duration(30s), {}};
  ExpectOnly(job, DiagKind::kInvalidCsiPlugin, Mark(Task(job).csi_plugin->origin, "id"));

  job = testing::MockJob();
  Task(job).csi_plugin =
      ir::CsiPluginConfig{"ebs", "both", "/csi", "/local/csi", Duration(30s), {}};
  ExpectOnly(job, DiagKind::kInvalidCsiPlugin, Mark(Task(job).csi_plugin->origin, "type"));

  job = MockOfType(ir::JobType::kBatch);
  Task(job).dispatch_payload = ir::DispatchPayload{"../../../x", {}};
  ExpectOnly(job, DiagKind::kEscapesAllocDir, Mark(Task(job).dispatch_payload->origin, "file"));
}

// ---- warnings -----------------------------------------------------------------------------------

TEST(ValidateTest, MaxParallelAboveCountWarns) {
  ir::Job job = testing::MockJob();
  Group(job).update->max_parallel = 3;
  SourceRange count = Mark(Group(job).origin, "count");
  const diag::Diagnostic* d = ExpectOnly(job, DiagKind::kMaxParallelAboveCount,
                                         Mark(Group(job).update->origin, "max_parallel"));
  if (d) {
    EXPECT_EQ(d->severity, diag::Severity::kWarning);
    ASSERT_EQ(d->notes.size(), 1u);
    EXPECT_EQ(d->notes[0].range, count);
  }
}

TEST(ValidateTest, DeprecationWarnings) {
  ir::Job job = testing::MockJob();
  Task(job).resources.iops = 100;
  ExpectOnly(job, DiagKind::kDeprecatedIops, Mark(Task(job).resources.origin, "iops"));

  job = testing::MockJob();
  Task(job).resources.networks.push_back(ir::NetworkResource{});
  ExpectOnly(job, DiagKind::kDeprecatedTaskNetwork, Mark(Task(job).resources.networks[0].origin));

  job = testing::MockJob();
  Group(job).networks[0].mbits = 10;
  ExpectOnly(job, DiagKind::kDeprecatedMbits, Mark(Group(job).networks[0].origin, "mbits"));

  job = testing::MockJob();
  ir::Template t;
  t.embedded_tmpl = "x";
  t.dest_path = "local/x";
  t.vault_grace = Duration(15s);
  Task(job).templates.push_back(t);
  ExpectOnly(job, DiagKind::kDeprecatedVaultGrace,
             Mark(Task(job).templates[0].origin, "vault_grace"));
}

TEST(ValidateTest, LifecycleWarnings) {
  ir::Job job = testing::MockJob();
  ir::Task hook = Task(job);
  hook.name = "cleanup";
  hook.lifecycle = ir::Lifecycle{ir::LifecycleHook::kPoststop, true, {}};
  Group(job).tasks.push_back(hook);
  ExpectOnly(job, DiagKind::kPoststopSidecar,
             Mark(Group(job).tasks[1].lifecycle->origin, "sidecar"));

  job = testing::MockJob();
  Task(job).lifecycle = ir::Lifecycle{ir::LifecycleHook::kPrestart, false, {}};
  ExpectOnly(job, DiagKind::kNoMainTask, Mark(Group(job).origin));
}

TEST(ValidateTest, ReportsEveryProblemNotJustTheFirst) {
  ir::Job job = testing::MockJob();
  job.priority = 0;
  Group(job).count = -2;
  Task(job).driver = "";
  Chk(job).interval = Duration(0);
  std::vector<diag::Diagnostic> diags = Check(job);
  std::set<DiagKind> kinds;
  for (const auto& d : diags) kinds.insert(d.kind);
  EXPECT_TRUE(kinds.count(DiagKind::kPriorityOutOfRange));
  EXPECT_TRUE(kinds.count(DiagKind::kNegativeCount));
  EXPECT_TRUE(kinds.count(DiagKind::kMissingDriver));
  EXPECT_TRUE(kinds.count(DiagKind::kCheckInterval));
}

}  // namespace
}  // namespace drover::sema
