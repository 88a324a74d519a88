#include "runtime/store/job_codec.h"

#if __has_include("compiler/ir/ir_json.h")
#include "compiler/ir/ir_json.h"
#define DROVER_HAS_IR_JSON 1
#else
#define DROVER_HAS_IR_JSON 0
#include "runtime/store/json_read.h"
#endif

namespace drover::store {

#if DROVER_HAS_IR_JSON

nlohmann::json JobSpecToJson(const ir::Job& job) { return ir::JobToApiJson(job); }
llvm::Expected<ir::Job> JobSpecFromJson(const nlohmann::json& value) {
  return ir::JobFromApiJson(value);
}
bool HasFullJobCodec() { return true; }

#else  // stand-in until compiler/ir/ir_json.h lands

namespace {

using nlohmann::json;

template <typename T>
json Opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json ConstraintsToJson(const std::vector<ir::Constraint>& cs) {
  if (cs.empty()) return nullptr;
  json out = json::array();
  for (const auto& c : cs) {
    out.push_back(
        {{"LTarget", c.l_target}, {"RTarget", c.r_target}, {"Operand", ir::ToString(c.op)}});
  }
  return out;
}

json PortsToJson(const std::vector<ir::Port>& ports) {
  if (ports.empty()) return nullptr;
  json out = json::array();
  for (const auto& p : ports) {
    out.push_back({{"Label", p.label},
                   {"Value", p.value},
                   {"To", p.to},
                   {"HostNetwork", p.host_network.empty() ? "default" : p.host_network}});
  }
  return out;
}

json NetworksToJson(const std::vector<ir::NetworkResource>& nets) {
  if (nets.empty()) return nullptr;
  json out = json::array();
  for (const auto& n : nets) {
    out.push_back({{"Mode", n.mode},
                   {"MBits", n.mbits},
                   {"ReservedPorts", PortsToJson(n.reserved_ports)},
                   {"DynamicPorts", PortsToJson(n.dynamic_ports)}});
  }
  return out;
}

void ReadConstraints(JsonReader& r, std::string_view key, std::vector<ir::Constraint>& out) {
  for (JsonReader& c : r.Elements(key)) {
    ir::Constraint constraint;
    c.Get("LTarget", constraint.l_target).Get("RTarget", constraint.r_target);
    std::string op = "=";
    c.Get("Operand", op);
    if (auto parsed = ir::ParseConstraintOp(op)) {
      constraint.op = *parsed;
    } else {
      c.Fail("Operand", "unknown operator \"" + op + "\"");
    }
    out.push_back(std::move(constraint));
  }
}

void ReadPorts(JsonReader& r, std::string_view key, std::vector<ir::Port>& out) {
  for (JsonReader& p : r.Elements(key)) {
    ir::Port port;
    p.Get("Label", port.label).Get("Value", port.value).Get("To", port.to);
    p.Get("HostNetwork", port.host_network);
    if (port.host_network == "default") port.host_network.clear();
    out.push_back(std::move(port));
  }
}

void ReadNetworks(JsonReader& r, std::string_view key, std::vector<ir::NetworkResource>& out) {
  for (JsonReader& n : r.Elements(key)) {
    ir::NetworkResource net;
    n.Get("Mode", net.mode).Get("MBits", net.mbits);
    ReadPorts(n, "ReservedPorts", net.reserved_ports);
    ReadPorts(n, "DynamicPorts", net.dynamic_ports);
    out.push_back(std::move(net));
  }
}

template <typename T>
void GetOpt(JsonReader& r, std::string_view key, std::optional<T>& out) {
  if (r.Raw(key).is_null()) return;
  T v{};
  r.Get(key, v);
  if (r.ok()) out = v;
}

}  // namespace

nlohmann::json JobSpecToJson(const ir::Job& job) {
  json groups = json::array();
  for (const auto& g : job.task_groups) {
    json tasks = json::array();
    for (const auto& t : g.tasks) {
      tasks.push_back({{"Name", t.name},
                       {"Driver", t.driver},
                       {"User", t.user},
                       {"Config", t.config},
                       {"Env", t.env.empty() ? json(nullptr) : json(t.env)},
                       {"Meta", t.meta.empty() ? json(nullptr) : json(t.meta)},
                       {"Constraints", ConstraintsToJson(t.constraints)},
                       {"Resources",
                        {{"CPU", Opt(t.resources.cpu)},
                         {"Cores", Opt(t.resources.cores)},
                         {"MemoryMB", Opt(t.resources.memory_mb)},
                         {"MemoryMaxMB", Opt(t.resources.memory_max_mb)},
                         {"Networks", NetworksToJson(t.resources.networks)}}}});
    }
    json disk = nullptr;
    if (g.ephemeral_disk) disk = {{"SizeMB", Opt(g.ephemeral_disk->size_mb)}};
    groups.push_back({{"Name", g.name},
                      {"Count", Opt(g.count)},
                      {"Constraints", ConstraintsToJson(g.constraints)},
                      {"Networks", NetworksToJson(g.networks)},
                      {"EphemeralDisk", disk},
                      {"Meta", g.meta.empty() ? json(nullptr) : json(g.meta)},
                      {"Tasks", tasks}});
  }
  return {{"Region", job.region.empty() ? json(nullptr) : json(job.region)},
          {"Namespace", job.namespace_.empty() ? json(nullptr) : json(job.namespace_)},
          {"ID", job.id},
          {"Name", job.name},
          {"Type", job.type ? json(ir::ToString(*job.type)) : json(nullptr)},
          {"Priority", Opt(job.priority)},
          {"AllAtOnce", job.all_at_once},
          {"Datacenters", job.datacenters.empty() ? json(nullptr) : json(job.datacenters)},
          {"NodePool", job.node_pool.empty() ? json(nullptr) : json(job.node_pool)},
          {"Constraints", ConstraintsToJson(job.constraints)},
          {"TaskGroups", groups.empty() ? json(nullptr) : groups},
          {"Meta", job.meta.empty() ? json(nullptr) : json(job.meta)},
          {"ParentID", job.parent_id},
          {"Dispatched", job.dispatched}};
}

llvm::Expected<ir::Job> JobSpecFromJson(const nlohmann::json& value) {
  const json* body = &value;
  if (value.is_object() && value.contains("Job") && value["Job"].is_object()) body = &value["Job"];
  JsonReader r(*body, "Job");
  r.RequireObject();
  if (!r.ok()) return r.TakeError();
  ir::Job job;
  r.Get("Region", job.region).Get("Namespace", job.namespace_).Get("ID", job.id);
  r.Get("Name", job.name);
  r.GetEnum("Type", job.type, [](std::string_view s) -> std::optional<std::optional<ir::JobType> > {
    auto t = ir::ParseJobType(s);
    if (!t) return std::nullopt;
    return std::optional<ir::JobType>(*t);
  });
  GetOpt(r, "Priority", job.priority);
  r.Get("AllAtOnce", job.all_at_once).Get("Datacenters", job.datacenters);
  r.Get("NodePool", job.node_pool).Get("Meta", job.meta).Get("ParentID", job.parent_id);
  r.Get("Dispatched", job.dispatched);
  ReadConstraints(r, "Constraints", job.constraints);
  for (JsonReader& g : r.Elements("TaskGroups")) {
    ir::TaskGroup group;
    g.Get("Name", group.name).Get("Meta", group.meta);
    GetOpt(g, "Count", group.count);
    ReadConstraints(g, "Constraints", group.constraints);
    ReadNetworks(g, "Networks", group.networks);
    if (!g.Raw("EphemeralDisk").is_null()) {
      JsonReader d = g.Child("EphemeralDisk");
      group.ephemeral_disk.emplace();
      GetOpt(d, "SizeMB", group.ephemeral_disk->size_mb);
    }
    for (JsonReader& t : g.Elements("Tasks")) {
      ir::Task task;
      t.Get("Name", task.name).Get("Driver", task.driver).Get("User", task.user);
      t.Get("Env", task.env).Get("Meta", task.meta);
      const json& config = t.Raw("Config");
      if (config.is_object()) {
        task.config = config;
      } else if (!config.is_null()) {
        t.Fail("Config", "expected an object, got " + std::string(JsonTypeName(config)));
      }
      ReadConstraints(t, "Constraints", task.constraints);
      JsonReader res = t.Child("Resources");
      GetOpt(res, "CPU", task.resources.cpu);
      GetOpt(res, "Cores", task.resources.cores);
      GetOpt(res, "MemoryMB", task.resources.memory_mb);
      GetOpt(res, "MemoryMaxMB", task.resources.memory_max_mb);
      ReadNetworks(res, "Networks", task.resources.networks);
      group.tasks.push_back(std::move(task));
    }
    job.task_groups.push_back(std::move(group));
  }
  if (!r.ok()) return r.TakeError();
  return job;
}

bool HasFullJobCodec() { return false; }

#endif

}  // namespace drover::store
