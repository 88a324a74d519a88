#include "runtime/client/task_env.h"

#include <algorithm>
#include <cctype>

#include "compiler/ir/interpolate.h"

namespace drover::client {
namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string JoinHostPort(const std::string& host, int port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

// `env["X"]` / `env.X` -> X; nullopt for anything else.
std::optional<std::string> EnvReferenceName(std::string_view ref) {
  if (ref.starts_with("env[") && ref.ends_with("]")) {
    std::string_view inner = ref.substr(4, ref.size() - 5);
    if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"') {
      return std::string(inner.substr(1, inner.size() - 2));
    }
    return std::nullopt;
  }
  if (ref.starts_with("env.")) return std::string(ref.substr(4));
  return std::nullopt;
}

}  // namespace

TaskEnv TaskEnv::Build(const model::Allocation& alloc, const ir::TaskGroup& group,
                       const ir::Task& task, const model::Node& node, const std::string& region,
                       const TaskPaths& paths, const std::map<std::string, std::string>& host_env) {
  TaskEnv env;
  // Node references first: the job's env values may use them.
  env.node_refs_["node.unique.id"] = node.id.ToString();
  env.node_refs_["node.unique.name"] = node.name;
  env.node_refs_["node.datacenter"] = node.datacenter;
  env.node_refs_["node.region"] = region;
  env.node_refs_["node.class"] = node.node_class;
  env.node_refs_["node.pool"] = node.node_pool;
  for (const auto& [k, v] : node.attributes) env.node_refs_["attr." + k] = v;
  for (const auto& [k, v] : node.meta) env.node_refs_["meta." + k] = v;

  auto& vars = env.vars_;
  vars = host_env;
  const ir::Job* job = alloc.job ? &alloc.job->spec : nullptr;
  const std::string alloc_id = alloc.id.ToString();
  vars["NOMAD_ALLOC_ID"] = alloc_id;
  vars["NOMAD_SHORT_ALLOC_ID"] = alloc_id.substr(0, 8);
  vars["NOMAD_ALLOC_NAME"] = alloc.Name();
  vars["NOMAD_ALLOC_INDEX"] = std::to_string(alloc.index);
  vars["NOMAD_JOB_ID"] = alloc.job_id;
  vars["NOMAD_JOB_NAME"] = job && !job->name.empty() ? job->name : alloc.job_id;
  if (job && !job->parent_id.empty()) vars["NOMAD_JOB_PARENT_ID"] = job->parent_id;
  vars["NOMAD_GROUP_NAME"] = group.name;
  vars["NOMAD_TASK_NAME"] = task.name;
  vars["NOMAD_DC"] = node.datacenter;
  vars["NOMAD_REGION"] = region;
  vars["NOMAD_NAMESPACE"] = alloc.namespace_;
  vars["NOMAD_ALLOC_DIR"] = paths.isolated ? "/alloc" : paths.alloc_dir + "/alloc";
  vars["NOMAD_TASK_DIR"] = paths.isolated ? "/local" : paths.task_dir + "/local";
  vars["NOMAD_SECRETS_DIR"] = paths.isolated ? "/secrets" : paths.task_dir + "/secrets";

  // Resources: what the scheduler allocated for this task, else what the task asked for.
  int cpu = task.resources.cpu.value_or(100), memory = task.resources.memory_mb.value_or(300);
  int memory_max = task.resources.memory_max_mb.value_or(0),
      cores = task.resources.cores.value_or(0);
  for (const model::AllocatedTaskResources& r : alloc.resources.tasks) {
    if (r.task != task.name) continue;
    cpu = r.cpu_mhz;
    memory = r.memory_mb;
    memory_max = r.memory_max_mb;
    cores = r.cores;
  }
  vars["NOMAD_CPU_LIMIT"] = std::to_string(cpu);
  vars["NOMAD_MEMORY_LIMIT"] = std::to_string(memory);
  if (memory_max > 0) vars["NOMAD_MEMORY_MAX_LIMIT"] = std::to_string(memory_max);
  if (cores > 0) vars["NOMAD_CPU_CORES"] = std::to_string(cores);

  // Ports: the group's network (and the deprecated task network, which the scheduler allocates
  // into the same list). NOMAD_PORT_ is the port inside the task (`to` when mapped).
  for (const model::AllocatedPort& p : alloc.resources.ports) {
    int inside = p.to > 0 ? p.to : p.value;
    std::string host = std::to_string(p.value);
    vars["NOMAD_PORT_" + p.label] = std::to_string(inside);
    vars["NOMAD_HOST_PORT_" + p.label] = host;
    vars["NOMAD_IP_" + p.label] = p.host_ip;
    vars["NOMAD_HOST_IP_" + p.label] = p.host_ip;
    vars["NOMAD_ADDR_" + p.label] = JoinHostPort(p.host_ip, p.value);
    vars["NOMAD_HOST_ADDR_" + p.label] = JoinHostPort(p.host_ip, p.value);
    env.ports_.push_back({p.label, p.host_ip, p.value, p.to > 0 ? p.to : 0});
  }

  // Meta: job, then group, then task (the more specific wins), under the key as written and
  // upper-cased, as Nomad sets both.
  std::map<std::string, std::string> meta;
  if (job) meta = job->meta;
  for (const auto& [k, v] : group.meta) meta[k] = v;
  for (const auto& [k, v] : task.meta) meta[k] = v;
  for (const auto& [k, v] : meta) {
    vars["NOMAD_META_" + k] = v;
    vars["NOMAD_META_" + Upper(k)] = v;
  }

  // The job's env: interpolated against what is there so far (not against each other).
  std::map<std::string, std::string> rendered;
  for (const auto& [k, v] : task.env) rendered[k] = env.Render(v);
  for (auto& [k, v] : rendered) vars[k] = std::move(v);
  return env;
}

std::optional<std::string> TaskEnv::Resolve(std::string_view reference) const {
  if (auto name = EnvReferenceName(reference)) {
    auto it = vars_.find(*name);
    if (it != vars_.end()) return it->second;
    return std::nullopt;
  }
  if (auto it = node_refs_.find(reference); it != node_refs_.end()) return it->second;
  auto it = vars_.find(std::string(reference));
  if (it != vars_.end()) return it->second;
  return std::nullopt;
}

std::string TaskEnv::Render(std::string_view s) const {
  if (s.find("${") == std::string_view::npos) return std::string(s);
  return ir::RenderRuntimeTemplate(s, [this](std::string_view ref) { return Resolve(ref); });
}

nlohmann::json TaskEnv::RenderJson(const nlohmann::json& value) const {
  if (value.is_string()) return Render(value.get_ref<const std::string&>());
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : value) out.push_back(RenderJson(v));
    return out;
  }
  if (value.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = value.begin(); it != value.end(); ++it) out[it.key()] = RenderJson(it.value());
    return out;
  }
  return value;
}

ir::Service RenderService(const ir::Service& service, const TaskEnv& env, const std::string& job,
                          const std::string& group, const std::string& task) {
  auto names = [&](const std::string& s) {
    std::string base = job + "-" + group + (task.empty() ? "" : "-" + task);
    std::string out =
        ir::RenderRuntimeTemplate(s, [&](std::string_view ref) -> std::optional<std::string> {
          if (ref == "JOB") return job;
          if (ref == "GROUP") return group;
          if (ref == "TASK") return task;
          if (ref == "BASE") return base;
          return env.Resolve(ref);
        });
    return out;
  };
  ir::Service out = service;
  out.name = names(service.name);
  for (std::string& t : out.tags) t = names(t);
  for (std::string& t : out.canary_tags) t = names(t);
  return out;
}

}  // namespace drover::client
