#include "runtime/store/model_json.h"

#include <charconv>

#include "runtime/store/job_codec.h"
#include "runtime/store/json_read.h"

namespace drover::store {
namespace {

using model::Id;

json IdJson(const Id& id) { return id.ToString(); }

json MapOrNull(const std::map<std::string, std::string>& m) {
  return m.empty() ? json(nullptr) : json(m);
}
template <typename V>
json MapOrNull(const std::map<std::string, V>& m) {
  return m.empty() ? json(nullptr) : json(m);
}
json ListOrNull(const std::vector<std::string>& v) { return v.empty() ? json(nullptr) : json(v); }

/// "22,80,8000-8100" from sorted ports, ranges collapsed.
std::string PortsToString(std::vector<int> ports) {
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  std::string out;
  for (size_t i = 0; i < ports.size();) {
    size_t j = i;
    while (j + 1 < ports.size() && ports[j + 1] == ports[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(ports[i]);
    if (j > i) out += "-" + std::to_string(ports[j]);
    i = j + 1;
  }
  return out;
}

bool ParsePorts(std::string_view text, std::vector<int>& out) {
  out.clear();
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) continue;
    size_t dash = part.find('-');
    int lo = 0, hi = 0;
    std::string_view a = part.substr(0, dash);
    auto r1 = std::from_chars(a.data(), a.data() + a.size(), lo);
    if (r1.ec != std::errc() || r1.ptr != a.data() + a.size()) return false;
    hi = lo;
    if (dash != std::string_view::npos) {
      std::string_view b = part.substr(dash + 1);
      auto r2 = std::from_chars(b.data(), b.data() + b.size(), hi);
      if (r2.ec != std::errc() || r2.ptr != b.data() + b.size()) return false;
    }
    if (lo < 0 || hi > 65535 || lo > hi || hi - lo > 65535) return false;
    for (int p = lo; p <= hi; ++p) out.push_back(p);
  }
  return true;
}

template <typename T>
llvm::Expected<T> Finish(const JsonReader& r, T value) {
  if (!r.ok()) return r.TakeError();
  return value;
}

}  // namespace

// ---- nodes
// ---------------------------------------------------------------------------------------

json EncodeNode(const model::Node& n) {
  json drivers = json::object();
  for (const auto& [name, d] : n.drivers) {
    drivers[name] = {{"Attributes", MapOrNull(d.attributes)},
                     {"Detected", d.detected},
                     {"Healthy", d.healthy},
                     {"HealthDescription", d.health_description},
                     {"UpdateTime", FormatTime(d.update_time)}};
  }
  json networks = json::array();
  json node_networks = json::array();
  for (const auto& net : n.resources.networks) {
    networks.push_back({{"Mode", net.mode},
                        {"Device", net.device},
                        {"CIDR", net.cidr},
                        {"IP", net.ip},
                        {"MBits", net.mbits}});
    node_networks.push_back(
        {{"Mode", net.mode},
         {"Device", net.device},
         {"MacAddress", ""},
         {"Speed", net.mbits},
         {"Addresses",
          json::array({{{"Family", "ipv4"},
                        {"Alias", net.host_network.empty() ? "default" : net.host_network},
                        {"Address", net.ip},
                        {"ReservedPorts", ""},
                        {"Gateway", ""}}})}});
  }
  json events = json::array();
  for (const auto& e : n.events) {
    events.push_back({{"Message", e.message},
                      {"Subsystem", e.subsystem},
                      {"Details", MapOrNull(e.details)},
                      {"Timestamp", FormatTime(e.timestamp)},
                      {"CreateIndex", 0}});
  }
  return {
      {"ID", IdJson(n.id)},
      {"SecretID", n.secret_id},
      {"Datacenter", n.datacenter},
      {"Name", n.name},
      {"HTTPAddr", n.http_addr},
      {"RPCAddr", n.rpc_addr},
      {"TLSEnabled", false},
      {"Attributes", MapOrNull(n.attributes)},
      {"Meta", MapOrNull(n.meta)},
      {"NodeResources",
       {{"Cpu",
         {{"CpuShares", n.resources.cpu_mhz},
          {"TotalCpuCores", n.resources.cpu_cores},
          {"ReservableCpuCores", nullptr}}},
        {"Memory", {{"MemoryMB", n.resources.memory_mb}}},
        {"Disk", {{"DiskMB", n.resources.disk_mb}}},
        {"Networks", networks.empty() ? json(nullptr) : networks},
        {"NodeNetworks", node_networks.empty() ? json(nullptr) : node_networks},
        {"Devices", nullptr},
        {"MinDynamicPort", n.resources.min_dynamic_port},
        {"MaxDynamicPort", n.resources.max_dynamic_port}}},
      {"ReservedResources",
       {{"Cpu", {{"CpuShares", n.reserved.cpu_mhz}}},
        {"Memory", {{"MemoryMB", n.reserved.memory_mb}}},
        {"Disk", {{"DiskMB", n.reserved.disk_mb}}},
        {"Networks", {{"ReservedHostPorts", PortsToString(n.reserved.ports)}}}}},
      {"Links", nullptr},
      {"NodeClass", n.node_class},
      {"NodePool", n.node_pool},
      {"ComputedClass", n.computed_class},
      {"Drain", n.drain},
      {"DrainStrategy", nullptr},
      {"SchedulingEligibility", n.eligible ? "eligible" : "ineligible"},
      {"Status", model::ToString(n.status)},
      {"StatusDescription", n.status_description},
      {"StatusUpdatedAt", n.status_updated_at / 1'000'000'000},
      {"Events", events.empty() ? json(nullptr) : events},
      {"Drivers", drivers.empty() ? json(nullptr) : drivers},
      {"HostVolumes", nullptr},
      {"HostNetworks", nullptr},
      {"CreateIndex", n.create_index},
      {"ModifyIndex", n.modify_index},
  };
}

llvm::Expected<model::Node> DecodeNode(const json& value) {
  JsonReader r(value, "Node");
  r.RequireObject();
  model::Node n;
  r.Get("ID", n.id).Get("SecretID", n.secret_id).Get("Datacenter", n.datacenter);
  r.Get("Name", n.name).Get("HTTPAddr", n.http_addr).Get("RPCAddr", n.rpc_addr);
  r.Get("Attributes", n.attributes).Get("Meta", n.meta);
  JsonReader res = r.Child("NodeResources");
  res.Child("Cpu")
      .Get("CpuShares", n.resources.cpu_mhz)
      .Get("TotalCpuCores", n.resources.cpu_cores);
  res.Child("Memory").Get("MemoryMB", n.resources.memory_mb);
  res.Child("Disk").Get("DiskMB", n.resources.disk_mb);
  res.Get("MinDynamicPort", n.resources.min_dynamic_port);
  res.Get("MaxDynamicPort", n.resources.max_dynamic_port);
  std::vector<JsonReader> legacy = res.Elements("Networks");
  std::vector<JsonReader> nets = res.Elements("NodeNetworks");
  for (size_t i = 0; i < nets.size(); ++i) {
    model::NodeNetwork net;
    nets[i].Get("Mode", net.mode).Get("Device", net.device).Get("Speed", net.mbits);
    std::vector<JsonReader> addrs = nets[i].Elements("Addresses");
    if (!addrs.empty()) {
      addrs[0].Get("Address", net.ip);
      std::string alias;
      addrs[0].Get("Alias", alias);
      net.host_network = alias == "default" ? "" : alias;
    }
    if (i < legacy.size()) legacy[i].Get("CIDR", net.cidr);
    n.resources.networks.push_back(std::move(net));
  }
  if (nets.empty()) {
    // Only the legacy list (older clients): take what it has.
    for (JsonReader& l : legacy) {
      model::NodeNetwork net;
      l.Get("Mode", net.mode).Get("Device", net.device).Get("CIDR", net.cidr).Get("IP", net.ip);
      l.Get("MBits", net.mbits);
      n.resources.networks.push_back(std::move(net));
    }
  }
  JsonReader reserved = r.Child("ReservedResources");
  reserved.Child("Cpu").Get("CpuShares", n.reserved.cpu_mhz);
  reserved.Child("Memory").Get("MemoryMB", n.reserved.memory_mb);
  reserved.Child("Disk").Get("DiskMB", n.reserved.disk_mb);
  std::string ports;
  reserved.Child("Networks").Get("ReservedHostPorts", ports);
  if (r.ok() && !ParsePorts(ports, n.reserved.ports)) {
    r.Fail("ReservedResources.Networks.ReservedHostPorts", "invalid port list \"" + ports + "\"");
  }
  r.Get("NodeClass", n.node_class).Get("NodePool", n.node_pool);
  r.Get("ComputedClass", n.computed_class).Get("Drain", n.drain);
  std::string eligibility = "eligible";
  r.Get("SchedulingEligibility", eligibility);
  if (eligibility != "eligible" && eligibility != "ineligible") {
    r.Fail("SchedulingEligibility", "unknown value \"" + eligibility + "\"");
  }
  n.eligible = eligibility == "eligible";
  r.GetEnum("Status", n.status, model::ParseNodeStatus);
  r.Get("StatusDescription", n.status_description);
  int64_t updated = 0;
  r.Get("StatusUpdatedAt", updated);
  if (updated > 0 && updated < INT64_MAX / 1'000'000'000)
    n.status_updated_at = updated * 1'000'000'000;
  for (JsonReader& e : r.Elements("Events")) {
    model::NodeEvent event;
    e.Get("Message", event.message).Get("Subsystem", event.subsystem);
    e.Get("Details", event.details).GetTime("Timestamp", event.timestamp);
    n.events.push_back(std::move(event));
  }
  for (auto& [name, d] : r.Members("Drivers")) {
    model::DriverInfo info;
    d.Get("Attributes", info.attributes).Get("Detected", info.detected);
    d.Get("Healthy", info.healthy).Get("HealthDescription", info.health_description);
    d.GetTime("UpdateTime", info.update_time);
    n.drivers[name] = std::move(info);
  }
  r.Get("CreateIndex", n.create_index).Get("ModifyIndex", n.modify_index);
  return Finish(r, std::move(n));
}

// ---- jobs
// ----------------------------------------------------------------------------------------

json EncodeJobVersion(const model::JobVersion& job) {
  json j = JobSpecToJson(job.spec);
  j["Status"] = job.status;
  j["StatusDescription"] = job.status_description;
  j["Stop"] = job.stop;
  j["Stable"] = job.stable;
  j["Version"] = job.version;
  j["SubmitTime"] = job.submit_time;
  j["CreateIndex"] = job.create_index;
  j["ModifyIndex"] = job.modify_index;
  j["JobModifyIndex"] = job.job_modify_index;
  return j;
}

llvm::Expected<model::JobVersion> DecodeJobVersion(const json& value) {
  JsonReader r(value, "Job");
  r.RequireObject();
  if (!r.ok()) return r.TakeError();
  model::JobVersion job;
  r.Get("Status", job.status).Get("StatusDescription", job.status_description);
  r.Get("Stop", job.stop).Get("Stable", job.stable).Get("Version", job.version);
  r.Get("SubmitTime", job.submit_time).Get("CreateIndex", job.create_index);
  r.Get("ModifyIndex", job.modify_index).Get("JobModifyIndex", job.job_modify_index);
  if (!r.ok()) return r.TakeError();
  auto spec = JobSpecFromJson(value);
  if (!spec) return spec.takeError();
  job.spec = std::move(*spec);
  return job;
}

// ---- allocations
// ---------------------------------------------------------------------------------

json EncodeTaskState(const model::TaskState& s) {
  json events = json::array();
  for (const auto& e : s.events) {
    events.push_back({{"Type", e.type},
                      {"Time", e.time},
                      {"DisplayMessage", e.message},
                      {"Message", ""},
                      {"Details", MapOrNull(e.details)},
                      {"ExitCode", e.exit_code},
                      {"Signal", e.signal},
                      {"FailsTask", e.fails_task}});
  }
  return {{"State", s.state},
          {"Failed", s.failed},
          {"Restarts", s.restarts},
          {"LastRestart", FormatTime(s.last_restart)},
          {"StartedAt", FormatTime(s.started_at)},
          {"FinishedAt", FormatTime(s.finished_at)},
          {"Events", events.empty() ? json(nullptr) : events},
          {"TaskHandle", nullptr}};
}

namespace {

model::TaskState DecodeTaskState(JsonReader& r) {
  model::TaskState s;
  r.Get("State", s.state).Get("Failed", s.failed).Get("Restarts", s.restarts);
  r.GetTime("LastRestart", s.last_restart).GetTime("StartedAt", s.started_at);
  r.GetTime("FinishedAt", s.finished_at);
  for (JsonReader& e : r.Elements("Events")) {
    model::TaskEvent event;
    e.Get("Type", event.type).Get("Time", event.time).Get("DisplayMessage", event.message);
    e.Get("Details", event.details).Get("ExitCode", event.exit_code).Get("Signal", event.signal);
    e.Get("FailsTask", event.fails_task);
    if (event.message.empty()) e.Get("Message", event.message);
    s.events.push_back(std::move(event));
  }
  return s;
}

uint32_t IndexFromName(const std::string& name) {
  size_t open = name.rfind('[');
  if (open == std::string::npos || name.empty() || name.back() != ']') return 0;
  uint32_t index = 0;
  auto r = std::from_chars(name.data() + open + 1, name.data() + name.size() - 1, index);
  return r.ec == std::errc() ? index : 0;
}

}  // namespace

json EncodeAllocation(const model::Allocation& a, EmbedJob embed) {
  json tasks = json::object();
  for (const auto& t : a.resources.tasks) {
    tasks[t.task] = {{"Cpu", {{"CpuShares", t.cpu_mhz}, {"ReservedCores", nullptr}}},
                     {"Memory", {{"MemoryMB", t.memory_mb}, {"MemoryMaxMB", t.memory_max_mb}}},
                     {"Cores", t.cores},
                     {"Networks", nullptr},
                     {"Devices", nullptr}};
  }
  json ports = json::array();
  json dynamic = json::array();
  for (const auto& p : a.resources.ports) {
    ports.push_back({{"Label", p.label}, {"Value", p.value}, {"To", p.to}, {"HostIP", p.host_ip}});
    dynamic.push_back(
        {{"Label", p.label}, {"Value", p.value}, {"To", p.to}, {"HostNetwork", "default"}});
  }
  json shared_networks = nullptr;
  if (!a.resources.ports.empty() || !a.resources.network_mode.empty() || a.resources.mbits != 0) {
    shared_networks =
        json::array({{{"Mode", a.resources.network_mode},
                      {"IP", a.resources.ports.empty() ? "" : a.resources.ports.front().host_ip},
                      {"MBits", a.resources.mbits},
                      {"ReservedPorts", nullptr},
                      {"DynamicPorts", dynamic.empty() ? json(nullptr) : dynamic}}});
  }
  json task_states = json::object();
  for (const auto& [name, s] : a.task_states) task_states[name] = EncodeTaskState(s);
  json deployment_status = nullptr;
  if (a.deployment_status) {
    const auto& ds = *a.deployment_status;
    deployment_status = {{"Healthy", ds.healthy ? json(*ds.healthy) : json(nullptr)},
                         {"Timestamp", FormatTime(ds.timestamp)},
                         {"Canary", ds.canary},
                         {"ModifyIndex", ds.modify_index}};
  }
  json reschedule = nullptr;
  if (!a.reschedule_tracker.empty()) {
    json events = json::array();
    for (const auto& e : a.reschedule_tracker) {
      events.push_back({{"RescheduleTime", e.reschedule_time},
                        {"PrevAllocID", IdJson(e.prev_alloc_id)},
                        {"PrevNodeID", IdJson(e.prev_node_id)},
                        {"Delay", e.delay.count()}});
    }
    reschedule = {{"Events", events}};
  }
  auto opt_true = [](bool b) { return b ? json(true) : json(nullptr); };
  json job = nullptr;
  if (embed == EmbedJob::kYes && a.job) job = EncodeJobVersion(*a.job);
  return {
      {"ID", IdJson(a.id)},
      {"Namespace", a.namespace_},
      {"EvalID", IdJson(a.eval_id)},
      {"Name", a.Name()},
      {"NodeID", IdJson(a.node_id)},
      {"NodeName", a.node_name},
      {"JobID", a.job_id},
      {"JobVersion", a.job ? a.job->version : 0},
      {"Job", job},
      {"TaskGroup", a.task_group},
      {"AllocatedResources",
       {{"Tasks", tasks},
        {"TaskLifecycles", nullptr},
        {"Shared",
         {{"Networks", shared_networks},
          {"DiskMB", a.resources.disk_mb},
          {"Ports", ports.empty() ? json(nullptr) : ports}}}}},
      {"Metrics", a.metrics ? EncodeAllocMetric(*a.metrics) : json(nullptr)},
      {"DesiredStatus", model::ToString(a.desired_status)},
      {"DesiredDescription", a.desired_description},
      {"DesiredTransition",
       {{"Migrate", opt_true(a.migrate)},
        {"Reschedule", opt_true(a.reschedule)},
        {"ForceReschedule", opt_true(a.force_reschedule)}}},
      {"ClientStatus", model::ToString(a.client_status)},
      {"ClientDescription", a.client_description},
      {"TaskStates", task_states.empty() ? json(nullptr) : task_states},
      {"DeploymentID", IdJson(a.deployment_id)},
      {"DeploymentStatus", deployment_status},
      {"RescheduleTracker", reschedule},
      {"PreviousAllocation", IdJson(a.previous_allocation)},
      {"NextAllocation", IdJson(a.next_allocation)},
      {"FollowupEvalID", IdJson(a.followup_eval_id)},
      {"PreemptedAllocations", nullptr},
      {"PreemptedByAllocation", ""},
      {"CreateIndex", a.create_index},
      {"ModifyIndex", a.modify_index},
      {"AllocModifyIndex", a.alloc_modify_index},
      {"CreateTime", a.create_time},
      {"ModifyTime", a.modify_time},
  };
}

llvm::Expected<model::Allocation> DecodeAllocation(const json& value, const JobResolver& resolve,
                                                   bool require_job) {
  JsonReader r(value, "Allocation");
  r.RequireObject();
  model::Allocation a;
  std::string name;
  r.Get("ID", a.id).Get("Namespace", a.namespace_).Get("EvalID", a.eval_id).Get("Name", name);
  r.Get("NodeID", a.node_id).Get("NodeName", a.node_name).Get("JobID", a.job_id);
  r.Get("TaskGroup", a.task_group);
  a.index = IndexFromName(name);
  uint64_t job_version = 0;
  r.Get("JobVersion", job_version);
  JsonReader res = r.Child("AllocatedResources");
  for (auto& [task, t] : res.Members("Tasks")) {
    model::AllocatedTaskResources tr;
    tr.task = task;
    t.Child("Cpu").Get("CpuShares", tr.cpu_mhz);
    t.Child("Memory").Get("MemoryMB", tr.memory_mb).Get("MemoryMaxMB", tr.memory_max_mb);
    t.Get("Cores", tr.cores);
    a.resources.tasks.push_back(std::move(tr));
  }
  JsonReader shared = res.Child("Shared");
  shared.Get("DiskMB", a.resources.disk_mb);
  for (JsonReader& p : shared.Elements("Ports")) {
    model::AllocatedPort port;
    p.Get("Label", port.label).Get("Value", port.value).Get("To", port.to);
    p.Get("HostIP", port.host_ip);
    a.resources.ports.push_back(std::move(port));
  }
  std::vector<JsonReader> nets = shared.Elements("Networks");
  if (!nets.empty()) nets[0].Get("Mode", a.resources.network_mode).Get("MBits", a.resources.mbits);
  if (r.Has("Metrics") && !r.Raw("Metrics").is_null()) {
    auto metric = DecodeAllocMetric(r.Raw("Metrics"));
    if (!metric) {
      r.Fail("Metrics", llvm::toString(metric.takeError()));
    } else {
      a.metrics = std::make_shared<const model::AllocMetric>(std::move(*metric));
    }
  }
  r.GetEnum("DesiredStatus", a.desired_status, model::ParseDesiredStatus);
  r.Get("DesiredDescription", a.desired_description);
  JsonReader transition = r.Child("DesiredTransition");
  transition.Get("Migrate", a.migrate).Get("Reschedule", a.reschedule);
  transition.Get("ForceReschedule", a.force_reschedule);
  r.GetEnum("ClientStatus", a.client_status, model::ParseClientStatus);
  r.Get("ClientDescription", a.client_description);
  for (auto& [task, s] : r.Members("TaskStates")) a.task_states[task] = DecodeTaskState(s);
  r.Get("DeploymentID", a.deployment_id);
  if (r.Has("DeploymentStatus") && !r.Raw("DeploymentStatus").is_null()) {
    JsonReader ds = r.Child("DeploymentStatus");
    model::AllocDeploymentStatus status;
    ds.Get("Healthy", status.healthy).GetTime("Timestamp", status.timestamp);
    ds.Get("Canary", status.canary).Get("ModifyIndex", status.modify_index);
    a.deployment_status = status;
  }
  for (JsonReader& e : r.Child("RescheduleTracker").Elements("Events")) {
    model::RescheduleEvent event;
    e.Get("RescheduleTime", event.reschedule_time).Get("PrevAllocID", event.prev_alloc_id);
    e.Get("PrevNodeID", event.prev_node_id).GetDuration("Delay", event.delay);
    a.reschedule_tracker.push_back(event);
  }
  r.Get("PreviousAllocation", a.previous_allocation).Get("NextAllocation", a.next_allocation);
  r.Get("FollowupEvalID", a.followup_eval_id);
  r.Get("CreateIndex", a.create_index).Get("ModifyIndex", a.modify_index);
  r.Get("AllocModifyIndex", a.alloc_modify_index);
  r.Get("CreateTime", a.create_time).Get("ModifyTime", a.modify_time);
  if (!r.ok()) return r.TakeError();
  if (r.Has("Job") && !r.Raw("Job").is_null()) {
    auto job = DecodeJobVersion(r.Raw("Job"));
    if (!job) {
      return llvm::createStringError(std::errc::invalid_argument, "Allocation.Job: %s",
                                     llvm::toString(job.takeError()).c_str());
    }
    a.job = std::make_shared<const model::JobVersion>(std::move(*job));
  } else if (resolve) {
    a.job = resolve(a.Job(), job_version);
  }
  if (require_job && !a.job) {
    return llvm::createStringError(std::errc::invalid_argument,
                                   "allocation %s refers to job %s version %llu, which is missing",
                                   a.id.ToString().c_str(), a.job_id.c_str(),
                                   static_cast<unsigned long long>(job_version));
  }
  return a;
}

// ---- evaluations
// ---------------------------------------------------------------------------------

json EncodeAllocMetric(const model::AllocMetric& m) {
  json score_meta = json::array();
  for (const model::NodeScoreMeta& node : m.score_meta) {
    json s = json::object();
    for (size_t i = 0; i < model::kScorerCount; ++i) {
      auto scorer = static_cast<model::Scorer>(i);
      if (std::optional<double> v = node.Get(scorer)) s[std::string(model::ToString(scorer))] = *v;
    }
    score_meta.push_back(
        {{"NodeID", IdJson(node.node_id)}, {"Scores", s}, {"NormScore", node.norm_score}});
  }
  return {
      {"NodesEvaluated", m.nodes_evaluated},
      {"NodesFiltered", m.nodes_filtered},
      {"NodesInPool", m.nodes_in_pool},
      {"NodesAvailable", MapOrNull(m.nodes_available)},
      {"ClassFiltered", MapOrNull(m.class_filtered)},
      {"ConstraintFiltered", MapOrNull(m.constraint_filtered)},
      {"NodesExhausted", m.nodes_exhausted},
      {"ClassExhausted", MapOrNull(m.class_exhausted)},
      {"DimensionExhausted", MapOrNull(m.dimension_exhausted)},
      {"QuotaExhausted", ListOrNull(m.quota_exhausted)},
      {"ResourcesExhausted", nullptr},
      {"Scores", nullptr},
      {"ScoreMetaData", score_meta.empty() ? json(nullptr) : score_meta},
      {"AllocationTime", m.allocation_time.count()},
      {"CoalescedFailures", m.coalesced_failures},
  };
}

llvm::Expected<model::AllocMetric> DecodeAllocMetric(const json& value) {
  JsonReader r(value, "AllocMetric");
  r.RequireObject();
  model::AllocMetric m;
  r.Get("NodesEvaluated", m.nodes_evaluated).Get("NodesFiltered", m.nodes_filtered);
  r.Get("NodesInPool", m.nodes_in_pool).Get("NodesAvailable", m.nodes_available);
  r.Get("ClassFiltered", m.class_filtered).Get("ConstraintFiltered", m.constraint_filtered);
  r.Get("NodesExhausted", m.nodes_exhausted).Get("ClassExhausted", m.class_exhausted);
  r.Get("DimensionExhausted", m.dimension_exhausted).Get("QuotaExhausted", m.quota_exhausted);
  for (JsonReader& s : r.Elements("ScoreMetaData")) {
    model::NodeScoreMeta node;
    s.Get("NodeID", node.node_id);
    JsonReader score_reader = s.Child("Scores");
    const json& raw_scores = s.Raw("Scores");
    if (raw_scores.is_object()) {
      for (auto it = raw_scores.begin(); it != raw_scores.end(); ++it) {
        double d = 0;
        score_reader.Get(it.key(), d);
        // Scores of scorers drover does not run (Nomad's "devices", "preemption") are dropped.
        if (std::optional<model::Scorer> scorer = model::ParseScorer(it.key())) {
          node.Set(*scorer, d);
        }
      }
    }
    s.Get("NormScore", node.norm_score);
    m.score_meta.push_back(node);
  }
  r.GetDuration("AllocationTime", m.allocation_time);
  r.Get("CoalescedFailures", m.coalesced_failures);
  return Finish(r, std::move(m));
}

json EncodeEvaluation(const model::Evaluation& e) {
  json failed = json::object();
  for (const auto& [tg, m] : e.failed_tg_allocs) failed[tg] = EncodeAllocMetric(m);
  return {
      {"ID", IdJson(e.id)},
      {"Namespace", e.namespace_},
      {"Priority", e.priority},
      {"Type", e.type},
      {"TriggeredBy", e.triggered_by},
      {"JobID", e.job_id},
      {"JobModifyIndex", e.job_modify_index},
      {"NodeID", IdJson(e.node_id)},
      {"NodeModifyIndex", e.node_modify_index},
      {"DeploymentID", IdJson(e.deployment_id)},
      {"Status", model::ToString(e.status)},
      {"StatusDescription", e.status_description},
      {"Wait", e.wait.count()},
      {"WaitUntil", FormatTime(e.wait_until)},
      {"NextEval", IdJson(e.next_eval)},
      {"PreviousEval", IdJson(e.previous_eval)},
      {"BlockedEval", IdJson(e.blocked_eval)},
      {"RelatedEvals", nullptr},
      {"FailedTGAllocs", failed.empty() ? json(nullptr) : failed},
      {"ClassEligibility", MapOrNull(e.class_eligibility)},
      {"EscapedComputedClass", e.escaped_computed_class},
      {"QuotaLimitReached", ""},
      {"AnnotatePlan", e.annotate_plan},
      {"QueuedAllocations", MapOrNull(e.queued_allocations)},
      {"LeaderACL", ""},
      {"SnapshotIndex", e.snapshot_index},
      {"CreateIndex", e.create_index},
      {"ModifyIndex", e.modify_index},
      {"CreateTime", e.create_time},
      {"ModifyTime", e.modify_time},
  };
}

llvm::Expected<model::Evaluation> DecodeEvaluation(const json& value) {
  JsonReader r(value, "Evaluation");
  r.RequireObject();
  model::Evaluation e;
  r.Get("ID", e.id).Get("Namespace", e.namespace_).Get("Priority", e.priority);
  r.Get("Type", e.type).Get("TriggeredBy", e.triggered_by).Get("JobID", e.job_id);
  r.Get("JobModifyIndex", e.job_modify_index).Get("NodeID", e.node_id);
  r.Get("NodeModifyIndex", e.node_modify_index).Get("DeploymentID", e.deployment_id);
  r.GetEnum("Status", e.status, model::ParseEvalStatus);
  r.Get("StatusDescription", e.status_description).GetDuration("Wait", e.wait);
  r.GetTime("WaitUntil", e.wait_until).Get("NextEval", e.next_eval);
  r.Get("PreviousEval", e.previous_eval).Get("BlockedEval", e.blocked_eval);
  if (r.ok()) {
    JsonReader failed = r.Child("FailedTGAllocs");
    for (auto& [tg, m] : r.Members("FailedTGAllocs")) {
      (void)m;
      auto metric = DecodeAllocMetric(failed.Raw(tg));
      if (!metric) {
        r.Fail("FailedTGAllocs." + tg, llvm::toString(metric.takeError()));
        break;
      }
      e.failed_tg_allocs[tg] = std::move(*metric);
    }
  }
  r.Get("ClassEligibility", e.class_eligibility);
  r.Get("EscapedComputedClass", e.escaped_computed_class).Get("AnnotatePlan", e.annotate_plan);
  r.Get("QueuedAllocations", e.queued_allocations).Get("SnapshotIndex", e.snapshot_index);
  r.Get("CreateIndex", e.create_index).Get("ModifyIndex", e.modify_index);
  r.Get("CreateTime", e.create_time).Get("ModifyTime", e.modify_time);
  return Finish(r, std::move(e));
}

// ---- deployments
// ---------------------------------------------------------------------------------

json EncodeDeployment(const model::Deployment& d) {
  json groups = json::object();
  for (const auto& [name, s] : d.task_groups) {
    json canaries = json::array();
    for (const Id& id : s.placed_canaries) canaries.push_back(IdJson(id));
    groups[name] = {{"AutoRevert", s.auto_revert},
                    {"AutoPromote", s.auto_promote},
                    {"ProgressDeadline", s.progress_deadline.count()},
                    {"RequireProgressBy", FormatTime(s.require_progress_by)},
                    {"Promoted", s.promoted},
                    {"PlacedCanaries", canaries.empty() ? json(nullptr) : canaries},
                    {"DesiredCanaries", s.desired_canaries},
                    {"DesiredTotal", s.desired_total},
                    {"PlacedAllocs", s.placed_allocs},
                    {"HealthyAllocs", s.healthy_allocs},
                    {"UnhealthyAllocs", s.unhealthy_allocs}};
  }
  return {
      {"ID", IdJson(d.id)},
      {"Namespace", d.namespace_},
      {"JobID", d.job_id},
      {"JobVersion", d.job_version},
      {"JobModifyIndex", d.job_modify_index},
      {"JobSpecModifyIndex", d.job_spec_modify_index},
      {"JobCreateIndex", d.job_create_index},
      {"IsMultiregion", false},
      {"TaskGroups", groups.empty() ? json(nullptr) : groups},
      {"Status", d.status},
      {"StatusDescription", d.status_description},
      {"EvalPriority", 0},
      {"CreateIndex", d.create_index},
      {"ModifyIndex", d.modify_index},
  };
}

llvm::Expected<model::Deployment> DecodeDeployment(const json& value) {
  JsonReader r(value, "Deployment");
  r.RequireObject();
  model::Deployment d;
  r.Get("ID", d.id).Get("Namespace", d.namespace_).Get("JobID", d.job_id);
  r.Get("JobVersion", d.job_version).Get("JobModifyIndex", d.job_modify_index);
  r.Get("JobSpecModifyIndex", d.job_spec_modify_index).Get("JobCreateIndex", d.job_create_index);
  for (auto& [name, g] : r.Members("TaskGroups")) {
    model::DeploymentState s;
    g.Get("AutoRevert", s.auto_revert).Get("AutoPromote", s.auto_promote);
    g.GetDuration("ProgressDeadline", s.progress_deadline);
    g.GetTime("RequireProgressBy", s.require_progress_by).Get("Promoted", s.promoted);
    std::vector<std::string> canaries;
    g.Get("PlacedCanaries", canaries);
    for (const std::string& c : canaries) {
      if (auto id = model::Id::Parse(c)) {
        s.placed_canaries.push_back(*id);
      } else {
        g.Fail("PlacedCanaries", "\"" + c + "\" is not a UUID");
      }
    }
    g.Get("DesiredCanaries", s.desired_canaries).Get("DesiredTotal", s.desired_total);
    g.Get("PlacedAllocs", s.placed_allocs).Get("HealthyAllocs", s.healthy_allocs);
    g.Get("UnhealthyAllocs", s.unhealthy_allocs);
    d.task_groups[name] = std::move(s);
  }
  r.Get("Status", d.status).Get("StatusDescription", d.status_description);
  r.Get("CreateIndex", d.create_index).Get("ModifyIndex", d.modify_index);
  return Finish(r, std::move(d));
}

}  // namespace drover::store
