#include "compiler/lint/lint.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "compiler/base/strings.h"
#include "compiler/ir/interpolate.h"

namespace drover::lint {
namespace {

using diag::DiagKind;
using diag::SourceRange;

constexpr int kNomadMinMemoryMb = 10;

constexpr std::array<std::string_view, 11> kKernels = {
    "linux", "windows", "darwin", "freebsd", "netbsd", "openbsd",
    "solaris", "illumos", "dragonfly", "aix", "plan9"};

constexpr std::array<std::string_view, 6> kNodeVariables = {
    "node.unique.id", "node.unique.name", "node.datacenter",
    "node.region",    "node.class",       "node.pool"};

constexpr std::array<std::string_view, 24> kNomadVariables = {
    "NOMAD_ALLOC_DIR",      "NOMAD_TASK_DIR",     "NOMAD_SECRETS_DIR",   "NOMAD_MEMORY_LIMIT",
    "NOMAD_MEMORY_MAX_LIMIT", "NOMAD_CPU_LIMIT",  "NOMAD_CPU_CORES",     "NOMAD_ALLOC_ID",
    "NOMAD_SHORT_ALLOC_ID", "NOMAD_ALLOC_NAME",   "NOMAD_ALLOC_INDEX",   "NOMAD_TASK_NAME",
    "NOMAD_GROUP_NAME",     "NOMAD_JOB_ID",       "NOMAD_JOB_NAME",      "NOMAD_JOB_PARENT_ID",
    "NOMAD_DC",             "NOMAD_NAMESPACE",    "NOMAD_REGION",        "NOMAD_PARENT_CGROUP",
    "NOMAD_TOKEN",          "NOMAD_UNIX_ADDR",    "NOMAD_ALLOC_PORT_RANGE", "NOMAD_META"};

// NOMAD_<prefix><label> variables that name a port.
constexpr std::array<std::string_view, 9> kPortPrefixes = {
    "NOMAD_PORT_",       "NOMAD_HOST_PORT_", "NOMAD_IP_",       "NOMAD_ADDR_",
    "NOMAD_ALLOC_PORT_", "NOMAD_ALLOC_IP_",  "NOMAD_ALLOC_ADDR_", "NOMAD_HOST_IP_",
    "NOMAD_HOST_ADDR_"};
// NOMAD_<prefix>... variables whose suffix is free.
constexpr std::array<std::string_view, 3> kFreePrefixes = {"NOMAD_META_", "NOMAD_UPSTREAM_",
                                                          "NOMAD_ENVOY_"};
constexpr std::array<std::string_view, 7> kRoots = {"var",  "local", "node",  "attr",
                                                   "meta", "env",   "device"};
// Names Nomad's server expands in service names.
constexpr std::array<std::string_view, 5> kServiceNameVariables = {"JOB", "TASK", "GROUP",
                                                                  "TASKGROUP", "BASE"};

bool Contains(std::span<const std::string_view> set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

std::string EnvName(std::string_view label) {
  std::string out(label);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

bool IsUpperName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
           c == '_';
  });
}

std::string_view OpSpelling(ir::ConstraintOp op) { return ir::ToString(op); }

class Linter {
 public:
  Linter(const ir::Job& job, diag::DiagnosticEngine& diags) : job_(job), diags_(diags) {}

  void Run() {
    for (const ir::TaskGroup& g : job_.task_groups) {
      StaticPorts(g);
      for (const ir::Service& s : g.services) Service(g, s);
      GroupReferences(g);
      for (const ir::Task& t : g.tasks) {
        for (const ir::Service& s : t.services) Service(g, s);
        Image(t);
        Memory(t);
        Constraints(g, t);
        TaskReferences(g, t);
      }
    }
  }

 private:
  // ---- W0901 --------------------------------------------------------------------------------------
  void StaticPorts(const ir::TaskGroup& g) {
    if (job_.type == ir::JobType::kSystem || job_.type == ir::JobType::kSysbatch) return;
    int count = g.count.value_or(1);
    if (count <= 1) return;
    auto distinct = [](const std::vector<ir::Constraint>& cs) {
      return std::any_of(cs.begin(), cs.end(), [](const ir::Constraint& c) {
        return c.op == ir::ConstraintOp::kDistinctHosts && c.r_target != "false";
      });
    };
    if (distinct(job_.constraints) || distinct(g.constraints)) return;
    auto check = [&](const std::vector<ir::NetworkResource>& networks) {
      for (const ir::NetworkResource& n : networks) {
        for (const ir::Port& p : n.reserved_ports) {
          if (p.value <= 0) continue;
          diags_.Build(DiagKind::kStaticPortWithCount, p.origin.Field("static"), p.label, p.value,
                       g.name, count)
              .Help("drop `static` to get a dynamic port, or add `constraint { distinct_hosts = "
                    "true }` to the group");
        }
      }
    };
    check(g.networks);
    for (const ir::Task& t : g.tasks) check(t.resources.networks);
  }

  // ---- W0902, W0903 -------------------------------------------------------------------------------
  int Canaries(const ir::TaskGroup& g) const {
    if (g.update && g.update->canary) return *g.update->canary;
    if (job_.update && job_.update->canary) return *job_.update->canary;
    return 0;
  }

  void Service(const ir::TaskGroup& g, const ir::Service& s) {
    bool urlprefix = std::any_of(s.tags.begin(), s.tags.end(),
                                 [](const std::string& t) { return t.starts_with("urlprefix-"); });
    if (urlprefix && s.checks.empty()) {
      diags_.Build(DiagKind::kUrlprefixWithoutCheck, s.origin.Field("tags"), s.name)
          .Help("add a `check` block (for example `type = \"http\"`, `path = \"/health\"`)");
    }
    if (Canaries(g) <= 0) {
      for (std::string_view field : {"canary_tags", "canary_meta"}) {
        bool set = field == "canary_tags" ? !s.canary_tags.empty() : !s.canary_meta.empty();
        if (!set) continue;
        diags_.Build(DiagKind::kCanaryTagsWithoutCanaries, s.origin.Field(field), s.name, field,
                     g.name)
            .Help("set `canary` in the group's (or the job's) `update` block");
      }
    }
  }

  // ---- W0904 --------------------------------------------------------------------------------------
  void Image(const ir::Task& t) {
    if (t.driver != "docker" && t.driver != "podman") return;
    if (!t.config.is_object() || !t.config.contains("image") || !t.config["image"].is_string()) {
      return;
    }
    std::string image = t.config["image"].get<std::string>();
    if (image.empty() || image.find("${") != std::string::npos) return;
    if (image.find('@') != std::string::npos) return;  // pinned by digest
    std::string_view last = image;
    if (size_t slash = last.rfind('/'); slash != std::string_view::npos) last.remove_prefix(slash + 1);
    size_t colon = last.find(':');
    if (colon == std::string_view::npos) {
      diags_.Build(DiagKind::kUnpinnedImage, t.origin.Field("config.image"), image,
                   "has no tag, so the `latest` tag is pulled");
    } else if (last.substr(colon + 1) == "latest") {
      diags_.Build(DiagKind::kUnpinnedImage, t.origin.Field("config.image"), image,
                   "uses the `latest` tag");
    }
  }

  // ---- W0905 --------------------------------------------------------------------------------------
  void Memory(const ir::Task& t) {
    if (!t.resources.memory_mb) return;
    int mb = *t.resources.memory_mb;
    if (mb < kNomadMinMemoryMb || mb >= kLowMemoryMb) return;
    diags_.Build(DiagKind::kLowMemory, t.resources.origin.Field("memory"), t.name, mb,
                 kLowMemoryMb);
  }

  // ---- W0906 --------------------------------------------------------------------------------------
  void Constraints(const ir::TaskGroup& g, const ir::Task& t) {
    std::vector<const ir::Constraint*> all;
    for (const auto* list : {&job_.constraints, &g.constraints, &t.constraints}) {
      for (const ir::Constraint& c : *list) all.push_back(&c);
    }
    for (const ir::Constraint* c : all) {
      if (c->l_target != "${attr.kernel.name}" || ir::HasRuntimeReferences(c->r_target)) continue;
      if (c->op == ir::ConstraintOp::kEqual && !Contains(kKernels, c->r_target)) {
        Never(*c, fmt::format("no client reports the kernel `{}`", c->r_target),
              base::Suggest(c->r_target, kKernels));
        continue;
      }
      bool linux_only = t.driver == "exec" || t.driver == "exec2";
      bool excludes_linux = (c->op == ir::ConstraintOp::kEqual && c->r_target != "linux") ||
                            (c->op == ir::ConstraintOp::kNotEqual && c->r_target == "linux");
      if (linux_only && excludes_linux) {
        Never(*c, fmt::format("task `{}` uses the `{}` driver, which runs only on Linux", t.name,
                              t.driver),
              std::nullopt);
      }
    }
    for (size_t i = 0; i < all.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        const ir::Constraint& a = *all[j];
        const ir::Constraint& b = *all[i];
        if (a.op != ir::ConstraintOp::kEqual || b.op != ir::ConstraintOp::kEqual) continue;
        if (a.l_target != b.l_target || a.r_target == b.r_target) continue;
        if (ir::HasRuntimeReferences(a.r_target) || ir::HasRuntimeReferences(b.r_target)) continue;
        if (!reported_.insert(&b).second) continue;
        diags_
            .Build(DiagKind::kConstraintNeverMatches, b.origin.range, b.l_target,
                   OpSpelling(b.op), b.r_target,
                   fmt::format("another constraint requires `{}` to be `{}`", a.l_target,
                               a.r_target))
            .Note(a.origin.range, "the other constraint is here");
      }
    }
  }

  void Never(const ir::Constraint& c, std::string why, std::optional<std::string> hint) {
    if (!reported_.insert(&c).second) return;
    auto d = diags_.Build(DiagKind::kConstraintNeverMatches, c.origin.range, c.l_target,
                          OpSpelling(c.op), c.r_target, why);
    if (hint) std::move(d).Help(fmt::format("did you mean `{}`?", *hint));
  }

  // ---- W0907 --------------------------------------------------------------------------------------
  struct Scope {
    std::set<std::string> port_labels;  // env-name form
    std::set<std::string> task_names;
    std::set<std::string> env;  // names the task's env block defines
    bool connect = false;
  };

  Scope GroupScope(const ir::TaskGroup& g) const {
    Scope s;
    auto add = [&](const std::vector<ir::NetworkResource>& ns) {
      for (const ir::NetworkResource& n : ns) {
        for (const ir::Port& p : n.reserved_ports) s.port_labels.insert(EnvName(p.label));
        for (const ir::Port& p : n.dynamic_ports) s.port_labels.insert(EnvName(p.label));
      }
    };
    add(g.networks);
    for (const ir::Task& t : g.tasks) {
      add(t.resources.networks);
      s.task_names.insert(EnvName(t.name));
    }
    for (const ir::Service& sv : g.services) s.connect = s.connect || !sv.connect.is_null();
    return s;
  }

  bool KnownPort(const Scope& scope, std::string_view raw_label) const {
    std::string normalized = EnvName(raw_label);
    std::string_view label = normalized;
    if (scope.port_labels.contains(normalized)) return true;
    if (scope.connect && label.starts_with("connect_proxy_")) return true;
    // NOMAD_PORT_<task>_<label>: another task's port.
    for (const std::string& task : scope.task_names) {
      if (label.starts_with(task + "_") &&
          scope.port_labels.contains(std::string(label.substr(task.size() + 1)))) {
        return true;
      }
    }
    return false;
  }

  /// Why `ref` (the text inside `${}`) is suspicious, and a better spelling; nothing when fine.
  std::optional<std::optional<std::string>> Check(std::string_view ref, const Scope& scope) const {
    size_t root_end = std::min(ref.find('.'), ref.find('['));
    std::string_view root = ref.substr(0, root_end);
    std::string_view rest = root_end == std::string_view::npos ? "" : ref.substr(root_end);
    if (root == "node") {
      if (Contains(kNodeVariables, ref)) return std::nullopt;
      return base::Suggest(ref, kNodeVariables);
    }
    if (root == "attr" || root == "meta" || root == "device" || root == "env") return std::nullopt;
    if (root.starts_with("NOMAD_")) {
      if (!rest.empty() || Contains(kNomadVariables, root)) return std::nullopt;
      for (std::string_view p : kFreePrefixes) {
        if (root.starts_with(p)) return std::nullopt;
      }
      for (std::string_view p : kPortPrefixes) {
        if (!root.starts_with(p)) continue;
        std::string_view label = root.substr(p.size());
        if (KnownPort(scope, label)) return std::nullopt;
        std::vector<std::string> candidates(scope.port_labels.begin(), scope.port_labels.end());
        std::vector<std::string_view> views(candidates.begin(), candidates.end());
        if (auto hint = base::Suggest(label, views)) return std::string(p) + *hint;
        return std::optional<std::string>();
      }
      return base::Suggest(root, kNomadVariables);
    }
    if (IsUpperName(root) || scope.env.contains(std::string(root))) return std::nullopt;
    if (Contains(kServiceNameVariables, root)) return std::nullopt;
    if (scope.env.contains(std::string(root))) return std::nullopt;
    if (std::all_of(root.begin(), root.end(), [](char c) {
          return std::isupper(static_cast<unsigned char>(c)) == 0;
        })) {
      if (auto hint = base::Suggest(root, kRoots)) return *hint + std::string(rest);
      return std::optional<std::string>();
    }
    return std::nullopt;  // mixed case: a task environment variable
  }

  void Scan(std::string_view text, SourceRange range, const Scope& scope) {
    if (text.find("${") == std::string_view::npos) return;
    for (const ir::TemplateSegment& seg : ir::ParseRuntimeTemplate(text)) {
      if (!seg.is_reference) continue;
      auto problem = Check(seg.text, scope);
      if (!problem) continue;
      if (!warned_.insert({seg.text, range.file, range.begin}).second) continue;
      auto d = diags_.Build(DiagKind::kUnknownRuntimeVariable, range, seg.text);
      if (*problem) std::move(d).Help(fmt::format("did you mean `${{{}}}`?", **problem));
    }
  }

  /// The range recorded for `path` or, failing that, for its nearest parent.
  static SourceRange Nearest(const ir::Origin& origin, std::string path) {
    while (!path.empty()) {
      if (origin.HasField(path)) return origin.Field(path);
      size_t cut = path.find_last_of(".[");
      if (cut == std::string::npos) break;
      path.resize(cut);
    }
    return origin.range;
  }

  void ScanJson(const nlohmann::json& j, const std::string& path, const ir::Origin& origin,
                const Scope& scope) {
    if (j.is_string()) {
      Scan(j.get_ref<const std::string&>(), Nearest(origin, path), scope);
    } else if (j.is_array()) {
      for (size_t i = 0; i < j.size(); ++i) {
        ScanJson(j[i], path + "[" + std::to_string(i) + "]", origin, scope);
      }
    } else if (j.is_object()) {
      for (const auto& [key, value] : j.items()) ScanJson(value, path + "." + key, origin, scope);
    }
  }

  void ScanService(const ir::Service& s, const Scope& scope) {
    Scan(s.name, s.origin.Field("name"), scope);
    for (const std::string& t : s.tags) Scan(t, s.origin.Field("tags"), scope);
    Scan(s.port_label, s.origin.Field("port"), scope);
    for (const auto& [k, v] : s.meta) Scan(v, s.origin.Field("meta"), scope);
    for (const ir::ServiceCheck& c : s.checks) {
      Scan(c.path, c.origin.Field("path"), scope);
      Scan(c.command, c.origin.Field("command"), scope);
      for (const std::string& a : c.args) Scan(a, c.origin.Field("args"), scope);
    }
  }

  void GroupReferences(const ir::TaskGroup& g) {
    Scope scope = GroupScope(g);
    for (const ir::Service& s : g.services) ScanService(s, scope);
  }

  void TaskReferences(const ir::TaskGroup& g, const ir::Task& t) {
    Scope scope = GroupScope(g);
    for (const auto& [k, v] : t.env) scope.env.insert(k);
    if (t.config.is_object()) {
      for (const auto& [key, value] : t.config.items()) {
        ScanJson(value, "config." + key, t.origin, scope);
      }
    }
    for (const auto& [k, v] : t.env) Scan(v, t.origin.Field("env"), scope);
    for (const auto& [k, v] : t.meta) Scan(v, t.origin.Field("meta"), scope);
    for (const ir::Service& s : t.services) ScanService(s, scope);
    for (const ir::Artifact& a : t.artifacts) {
      Scan(a.source, a.origin.Field("source"), scope);
      Scan(a.destination, a.origin.Field("destination"), scope);
    }
    for (const ir::Template& tm : t.templates) {
      Scan(tm.dest_path, tm.origin.Field("destination"), scope);
      Scan(tm.source_path, tm.origin.Field("source"), scope);
    }
  }

  const ir::Job& job_;
  diag::DiagnosticEngine& diags_;
  std::set<const ir::Constraint*> reported_;
  std::set<std::tuple<std::string, diag::FileId, uint32_t>> warned_;
};

}  // namespace

void Lint(const ir::Job& job, diag::DiagnosticEngine& diags) { Linter(job, diags).Run(); }

}  // namespace drover::lint
