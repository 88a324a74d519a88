// Validate: networks, ports, services and checks (Nomad's TaskGroup.validateNetworks,
// TaskGroup.validateServices, the task-level validateServices, Service.Validate and
// ServiceCheck.validateConsul/validateNomad), and the validating half of the job-register Connect
// and expose-check hooks (groupConnectValidate, tgValidateUseOfBridgeMode/CheckExpose).
//
// Port references are checked where Nomad checks them: a task service's port and its checks'
// ports must name a port of the group or task networks (or be numeric with address_mode
// "driver"). A group service's port is not checked by Nomad at all (a Connect service names the
// port its task listens on inside the network namespace, often as a number), only that a check
// that needs a port has one; `drover lint` warns about group-service labels that name no port.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <tuple>
#include <vector>

#include "compiler/base/strings.h"
#include "compiler/ir/interpolate.h"
#include "compiler/sema/connect.h"
#include "compiler/sema/validate_internal.h"

namespace drover::sema::internal {
namespace {

using namespace std::chrono_literals;

constexpr Duration kMinCheckInterval = 1s;
constexpr Duration kMinCheckTimeout = 1s;
constexpr int kMaxPort = 65535;

bool IsNumeric(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool RequiresPort(ir::CheckType t) {
  return t == ir::CheckType::kHttp || t == ir::CheckType::kTcp || t == ir::CheckType::kGrpc;
}

/// Every port label a set of networks defines.
void CollectLabels(const std::vector<ir::NetworkResource>& networks, std::set<std::string>& out) {
  for (const ir::NetworkResource& n : networks) {
    for (const ir::Port& p : n.reserved_ports) out.insert(p.label);
    for (const ir::Port& p : n.dynamic_ports) out.insert(p.label);
  }
}

/// A service name with runtime references replaced the way Nomad does before its RFC 1123 check.
std::string StripReferences(std::string_view name) {
  std::string out;
  for (const ir::TemplateSegment& seg : ir::ParseRuntimeTemplate(name)) {
    out += seg.is_reference ? "ENV-VAR" : seg.text;
  }
  return out;
}

bool IsValidServiceName(std::string_view name) {
  static const std::regex re("^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])$");
  std::string stripped = StripReferences(name);
  // The length check first: std::regex matching recurses per character.
  return stripped.size() <= 63 && std::regex_match(stripped, re);
}

/// `connect.sidecar_service.proxy.upstreams`, or an empty array.
const nlohmann::json& Upstreams(const nlohmann::json& connect) {
  static const nlohmann::json kNone = nlohmann::json::array();
  const nlohmann::json* at = &connect;
  for (const char* key : {"SidecarService", "Proxy", "Upstreams"}) {
    if (!at->is_object()) return kNone;
    auto it = at->find(key);
    if (it == at->end()) return kNone;
    at = &*it;
  }
  return at->is_array() ? *at : kNone;
}

bool IsHttpMethod(std::string_view m) {
  static constexpr std::array<std::string_view, 9> kMethods = {
      "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"};
  return std::find(kMethods.begin(), kMethods.end(), m) != kMethods.end();
}

bool HasUrlScheme(std::string_view path) {
  // Go's url.Parse(path).IsAbs(): a scheme is letters, digits, + - . up to the first colon,
  // starting with a letter.
  size_t colon = path.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(path[0]))) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = path[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

/// Reports an undefined port label, with a "did you mean" when a defined label is close.
void ReportUndefinedPort(Validator& v, std::string_view label, std::string_view referrer,
                         diag::SourceRange where, const std::set<std::string>& labels) {
  std::vector<std::string_view> candidates(labels.begin(), labels.end());
  auto b = v.Report(DiagKind::kUndefinedPortLabel, where, label, referrer);
  if (auto s = base::Suggest(label, candidates)) {
    std::move(b).Help(fmt::format("did you mean `{}`?", *s));
  } else if (labels.empty()) {
    std::move(b).Help("define it with a `port` block in the group's `network` block");
  } else {
    std::string defined;
    for (std::string_view c : candidates)
      defined += (defined.empty() ? "`" : ", `") + std::string(c) + "`";
    std::move(b).Help(fmt::format("the ports defined are {}", defined));
  }
}

/// A check that needs a port (http, tcp, grpc) gets one from itself or its service (Nomad's
/// Service.validateCheckPort, for group and task services alike). Returns false when it has none.
bool CheckHasPort(Validator& v, const ir::Service& s, const ir::ServiceCheck& c) {
  if (!RequiresPort(c.type) || !c.port_label.empty() || !s.port_label.empty()) return true;
  v.Report(DiagKind::kCheckMissingPort, c.origin.range, c.name, s.name)
      .Help("set `port` on the service or on the check");
  return false;
}

/// The port references of a task service and its checks (Nomad's task-level validateServices):
/// labels must exist in the group or task networks; a number is a port only with address_mode
/// "driver" (on the service for the service's port, on the check for a check's).
void CheckTaskServicePorts(Validator& v, const ir::Service& s,
                           const std::set<std::string>& labels) {
  const ir::Origin& so = s.origin;
  ir::AddressMode service_mode = s.address_mode.value_or(ir::AddressMode::kAuto);
  bool service_numeric_ok =
      service_mode == ir::AddressMode::kDriver || service_mode == ir::AddressMode::kAlloc;
  if (!s.port_label.empty() && !ir::HasRuntimeReferences(s.port_label)) {
    if (!(service_numeric_ok && IsNumeric(s.port_label)) && !labels.count(s.port_label)) {
      ReportUndefinedPort(v, s.port_label, fmt::format("service `{}`", s.name), so.Field("port"),
                          labels);
    }
  }
  for (const ir::ServiceCheck& c : s.checks) {
    if (!RequiresPort(c.type)) continue;
    if (!CheckHasPort(v, s, c)) continue;
    const std::string& port = c.port_label.empty() ? s.port_label : c.port_label;
    diag::SourceRange where = c.port_label.empty() ? c.origin.range : c.origin.Field("port");
    if (ir::HasRuntimeReferences(port)) continue;
    if (IsNumeric(port)) {
      ir::AddressMode mode = c.address_mode.value_or(ir::AddressMode::kHost);
      if (mode == ir::AddressMode::kDriver || mode == ir::AddressMode::kAlloc) continue;
      if (!c.port_label.empty() || !service_numeric_ok) {
        v.Report(DiagKind::kNumericCheckPort, where, c.name, port);
      }
      continue;
    }
    if (!c.port_label.empty() && !labels.count(port)) {
      ReportUndefinedPort(v, port, fmt::format("check `{}`", c.name), where, labels);
    }
  }
}

}  // namespace

void Validator::ValidateNetworks(const ir::TaskGroup& g) {
  struct Seen {
    std::string owner;
    const ir::Port* port;
  };
  std::map<std::string, Seen> labels;
  std::map<int, Seen> statics;

  auto check_static = [&](const ir::Port& p, const std::string& owner) {
    if (p.value == 0) return;
    if (p.value < 0 || p.value > kMaxPort) {
      Report(DiagKind::kPortOutOfRange, p.origin.Field("static"), p.label, "static port", p.value,
             fmt::format("it must be between 0 and {}", kMaxPort));
      return;
    }
    std::string desc = fmt::format("port `{}` in {}", p.label, owner);
    if (auto [it, inserted] = statics.emplace(p.value, Seen{desc, &p}); !inserted) {
      Report(DiagKind::kDuplicateStaticPort, p.origin.Field("static"), p.value, it->second.owner)
          .Note(it->second.port->origin.Field("static"), "reserved here");
    }
  };

  for (const ir::NetworkResource& n : g.networks) {
    for (const auto* ports : {&n.reserved_ports, &n.dynamic_ports}) {
      for (const ir::Port& p : *ports) {
        if (auto [it, inserted] = labels.emplace(p.label, Seen{"the group network", &p});
            !inserted) {
          Report(DiagKind::kDuplicatePortLabel, p.origin.range, p.label, it->second.owner)
              .Note(it->second.port->origin.range, "first defined here");
        }
        check_static(p, "the group network");
        if (p.to < -1 || p.to > kMaxPort) {
          Report(DiagKind::kPortOutOfRange, p.origin.Field("to"), p.label, "`to` =", p.to,
                 fmt::format("it must be between -1 and {}", kMaxPort));
        }
      }
    }
    if (n.mbits != 0) Report(DiagKind::kDeprecatedMbits, n.origin.Field("mbits"));
  }
  for (const ir::Task& t : g.tasks) {
    std::string owner = fmt::format("task `{}`", t.name);
    for (const ir::NetworkResource& n : t.resources.networks) {
      for (const auto* ports : {&n.reserved_ports, &n.dynamic_ports}) {
        for (const ir::Port& p : *ports) {
          auto it = labels.find(p.label);
          if (it != labels.end()) {
            Report(DiagKind::kDuplicatePortLabel, p.origin.range, p.label, it->second.owner)
                .Note(it->second.port->origin.range, "first defined here");
          }
          check_static(p, owner);
        }
      }
    }
  }
}

void Validator::ValidateService(const ir::Service& s) {
  const ir::Origin& o = s.origin;
  if (!IsValidServiceName(s.name)) Report(DiagKind::kInvalidServiceName, o.Field("name"), s.name);
  ir::AddressMode mode = s.address_mode.value_or(ir::AddressMode::kAuto);
  if (mode != ir::AddressMode::kAuto && !s.address.empty()) {
    Report(DiagKind::kInvalidService, o.Field("address"), s.name,
           fmt::format("`address` can only be set with `address_mode = \"auto\"` (it is `{}`)",
                       ir::ToString(mode)));
  }
  ir::ServiceProvider provider = s.provider.value_or(ir::ServiceProvider::kConsul);
  if (provider == ir::ServiceProvider::kNomad && !s.connect.is_null()) {
    Report(DiagKind::kInvalidService, o.range, s.name,
           "services with `provider = \"nomad\"` cannot have a `connect` block");
  } else if (!s.connect.is_null()) {
    // ConsulConnect.Validate and ConsulGateway.Validate.
    int kinds = HasSidecar(s.connect) + IsNative(s.connect) + IsGateway(s.connect);
    if (kinds != 1) {
      Report(DiagKind::kInvalidService, o.Field("connect"), s.name,
             "`connect` must be exactly one of `native = true`, a `sidecar_service` or a "
             "`gateway`");
    } else if (IsGateway(s.connect) && GatewayKindCount(s.connect) != 1) {
      Report(DiagKind::kInvalidService, o.Field("connect"), s.name,
             "a `gateway` must have exactly one of `ingress`, `terminating` or `mesh`");
    }
  }
  std::map<std::string, const ir::ServiceCheck*> names;
  for (const ir::ServiceCheck& c : s.checks) {
    if (auto [it, inserted] = names.emplace(c.name, &c); !inserted) {
      Report(DiagKind::kDuplicateCheck, c.origin.Field("name"), c.name, s.name)
          .Note(it->second->origin.range, "first defined here");
    }
    ValidateCheck(s, c);
  }
}

void Validator::ValidateCheck(const ir::Service& s, const ir::ServiceCheck& c) {
  const ir::Origin& o = c.origin;
  ir::ServiceProvider provider = s.provider.value_or(ir::ServiceProvider::kConsul);
  std::string_view type = ir::ToString(c.type);
  auto bad = [&](diag::SourceRange r, std::string msg) {
    Report(DiagKind::kInvalidCheck, r, c.name, std::move(msg));
  };

  if (provider == ir::ServiceProvider::kNomad && c.type != ir::CheckType::kHttp &&
      c.type != ir::CheckType::kTcp) {
    bad(o.Field("type"), fmt::format("type `{}` is not supported by the nomad service provider; "
                                     "use `http` or `tcp`",
                                     type));
  }
  if (c.type == ir::CheckType::kHttp) {
    if (c.path.empty()) {
      Report(DiagKind::kHttpCheckPath, o.range, c.name, "must have a `path`");
    } else if (HasUrlScheme(c.path)) {
      Report(DiagKind::kHttpCheckPath, o.Field("path"), c.name,
             "must have a relative path, not a URL");
    }
  }
  if (c.type == ir::CheckType::kScript && c.command.empty()) {
    Report(DiagKind::kScriptCheckCommand, o.range, c.name);
  }
  if (c.interval == Duration(0)) {
    Report(
        DiagKind::kCheckInterval, o.Field("interval"), c.name,
        fmt::format("`interval` is required and cannot be less than {}", Dur(kMinCheckInterval)));
  } else if (c.interval < kMinCheckInterval) {
    Report(DiagKind::kCheckInterval, o.Field("interval"), c.name,
           fmt::format("interval ({}) cannot be lower than {}", Dur(c.interval),
                       Dur(kMinCheckInterval)));
  }
  if (c.timeout == Duration(0)) {
    Report(DiagKind::kCheckInterval, o.Field("timeout"), c.name,
           fmt::format("`timeout` is required and cannot be less than {}", Dur(kMinCheckTimeout)));
  } else if (c.timeout < kMinCheckTimeout) {
    Report(DiagKind::kCheckInterval, o.Field("timeout"), c.name,
           fmt::format("timeout ({}) is lower than the required minimum {}", Dur(c.timeout),
                       Dur(kMinCheckTimeout)));
  }
  const std::string& status = c.initial_status;
  if (!status.empty() && status != "passing" && status != "warning" && status != "critical") {
    bad(o.Field("initial_status"),
        fmt::format("invalid initial_status `{}`; use `passing`, `warning` or `critical`", status));
  }
  if (c.address_mode == ir::AddressMode::kAuto) {
    bad(o.Field("address_mode"), "address_mode `auto` is only valid for services");
  }
  ir::OnUpdate on_update = c.on_update.value_or(ir::OnUpdate::kRequireHealthy);
  if (c.check_restart) {
    if (on_update == ir::OnUpdate::kIgnore) {
      bad(o.Field("on_update"), "on_update `ignore` is not compatible with `check_restart`");
    } else if (on_update == ir::OnUpdate::kIgnoreWarnings && !c.check_restart->ignore_warnings) {
      bad(o.Field("on_update"),
          "on_update `ignore_warnings` requires `check_restart { ignore_warnings = true }`");
    }
    if (c.check_restart->limit < 0) {
      bad(c.check_restart->origin.Field("limit"),
          fmt::format("check_restart limit must be >= 0 (got {})", c.check_restart->limit));
    }
    if (c.check_restart->grace < Duration(0)) {
      bad(c.check_restart->origin.Field("grace"),
          fmt::format("check_restart grace must be >= 0 (got {})", Dur(c.check_restart->grace)));
    }
  }

  if (provider == ir::ServiceProvider::kConsul) {
    if (c.type == ir::CheckType::kTcp && HasSidecar(s.connect)) {
      bad(o.Field("type"), "tcp checks are not valid for Connect enabled services");
    }
    if (c.expose && c.type != ir::CheckType::kHttp && c.type != ir::CheckType::kGrpc) {
      bad(o.Field("expose"), "`expose` may only be set on http or grpc checks");
    }
    auto threshold = [&](int value, std::string_view field) {
      if (value < 0) {
        bad(o.Field(field), fmt::format("`{}` must be non-negative", field));
      } else if (value > 0 && c.type == ir::CheckType::kScript) {
        bad(o.Field(field), fmt::format("`{}` is not supported for checks of type script", field));
      }
    };
    threshold(c.success_before_passing, "success_before_passing");
    threshold(c.failures_before_critical, "failures_before_critical");
  } else {
    auto consul_only = [&](bool set, std::string_view field) {
      if (set)
        bad(o.Field(field), fmt::format("`{}` may only be set for Consul service checks", field));
    };
    consul_only(c.expose, "expose");
    consul_only(on_update == ir::OnUpdate::kIgnoreWarnings, "on_update");
    consul_only(c.check_restart && c.check_restart->ignore_warnings, "check_restart");
    consul_only(c.address_mode == ir::AddressMode::kDriver, "address_mode");
    consul_only(c.success_before_passing != 0, "success_before_passing");
    consul_only(c.failures_before_critical != 0, "failures_before_critical");
    consul_only(!c.tls_server_name.empty(), "tls_server_name");
    consul_only(c.tls_skip_verify, "tls_skip_verify");
    if (c.type == ir::CheckType::kHttp && !c.method.empty() && !IsHttpMethod(c.method)) {
      bad(o.Field("method"),
          fmt::format("method `{}` is not supported in a Nomad http check", c.method));
    }
  }
}

void Validator::ValidateGroupServices(const ir::TaskGroup& g) {
  std::set<std::string> tasks;
  for (const ir::Task& t : g.tasks) tasks.insert(t.name);

  // A service is identified by its name, its task (none for a group service, unless it is a
  // Connect native one) and its port: Nomad registers it under that ID, so two services with the
  // same three collide (TaskGroup.validateServices, "Services are not unique").
  std::map<std::tuple<std::string, std::string, std::string>, const ir::Service*> known;
  std::map<ir::ServiceProvider, const ir::Service*> providers;
  auto track = [&](const ir::Service& s, const std::string& task) {
    auto key = std::make_tuple(s.name, task, s.port_label);
    if (auto [it, inserted] = known.emplace(key, &s); !inserted) {
      Report(DiagKind::kDuplicateService, s.origin.Field("name"), s.name, s.port_label)
          .Note(it->second->origin.range, "first defined here");
    }
    providers.emplace(s.provider.value_or(ir::ServiceProvider::kConsul), &s);
  };
  for (const ir::Task& t : g.tasks) {
    for (const ir::Service& s : t.services) track(s, t.name);
  }

  for (const ir::Service& s : g.services) {
    ValidateService(s);
    track(s, s.task_name);
    if (s.address_mode == ir::AddressMode::kDriver) {
      Report(DiagKind::kInvalidService, s.origin.Field("address_mode"), s.name,
             "`address_mode = \"driver\"` is only for services in a `task` block");
    }
    if (IsNative(s.connect) && s.task_name.empty() && g.tasks.size() != 1) {
      Report(DiagKind::kInvalidService, s.origin.range, s.name,
             fmt::format("the task of a Connect native service is ambiguous: group `{}` has {} "
                         "tasks; set `task`",
                         g.name, g.tasks.size()));
    } else if (IsNative(s.connect) && s.task_name.empty()) {
      Report(DiagKind::kInvalidService, s.origin.range, s.name,
             "a Connect native service must name its task (`task = \"...\"`)")
          .Help("Nomad fills it in only in a group that has a `network` block and one task");
    }
    if (!s.task_name.empty() && !tasks.count(s.task_name)) {
      Report(DiagKind::kInvalidService, s.origin.Field("task"), s.name,
             fmt::format("task `{}` is not in group `{}`", s.task_name, g.name));
    }
    for (const ir::ServiceCheck& c : s.checks) {
      if (c.task_name.empty()) {
        if (c.type == ir::CheckType::kScript) {
          Report(DiagKind::kGroupScriptCheckTask, c.origin.range, c.name, s.name);
        }
        continue;
      }
      if (c.task_name != s.task_name && c.type != ir::CheckType::kScript &&
          c.type != ir::CheckType::kGrpc) {
        Report(DiagKind::kInvalidCheck, c.origin.Field("task"), c.name,
               "only script and grpc checks can name a task");
      }
      if (!tasks.count(c.task_name)) {
        Report(DiagKind::kCheckUnknownTask, c.origin.Field("task"), c.name, c.task_name, g.name);
      }
    }
    for (const ir::ServiceCheck& c : s.checks) {
      CheckHasPort(*this, s, c);
      if (c.address_mode == ir::AddressMode::kDriver && !c.task_name.empty()) {
        Report(DiagKind::kInvalidCheck, c.origin.Field("address_mode"), c.name,
               "`address_mode = \"driver\"` is only for checks of services in a `task` block");
      }
    }
  }
  ValidateConnect(g);

  if (providers.size() > 1) {
    auto b = Report(DiagKind::kMixedServiceProviders,
                    providers.at(ir::ServiceProvider::kNomad)->origin.Field("provider"), g.name);
    b.Note(providers.at(ir::ServiceProvider::kConsul)->origin.range,
           "this service uses the `consul` provider");
  }
}

void Validator::ValidateTaskServices(const ir::TaskGroup& g, const ir::Task& t) {
  std::set<std::string> labels;
  CollectLabels(t.resources.networks, labels);
  CollectLabels(g.networks, labels);
  for (const ir::Service& s : t.services) {
    ValidateService(s);
    CheckTaskServicePorts(*this, s, labels);
    if (!s.task_name.empty() && s.task_name != t.name) {
      Report(DiagKind::kInvalidService, s.origin.Field("task"), s.name,
             fmt::format("a service in task `{}` can only name that task, not `{}`", t.name,
                         s.task_name));
    }
    if (s.address_mode == ir::AddressMode::kAlloc) {
      Report(DiagKind::kInvalidService, s.origin.Field("address_mode"), s.name,
             "`address_mode = \"alloc\"` is only for services in a `group` block");
    }
    if (!s.connect.is_null()) {
      Report(DiagKind::kInvalidService, s.origin.Field("connect"), s.name,
             "only services in a `group` block can have a `connect` block");
    }
    for (const ir::ServiceCheck& c : s.checks) {
      if (c.address_mode == ir::AddressMode::kAlloc) {
        Report(DiagKind::kInvalidCheck, c.origin.Field("address_mode"), c.name,
               "`address_mode = \"alloc\"` is only for checks of services in a `group` block");
      }
      if (c.expose) {
        Report(DiagKind::kInvalidCheck, c.origin.Field("expose"), c.name,
               "`expose` is only for checks of services in a `group` block");
      }
      if (!c.task_name.empty() && c.task_name != t.name) {
        Report(DiagKind::kInvalidCheck, c.origin.Field("task"), c.name,
               "only checks of group services can name a task");
      }
    }
  }
}

void Validator::ValidateConnect(const ir::TaskGroup& g) {
  auto network_count = [&](const ir::Service& s, std::string_view what) {
    if (g.networks.size() == 1) return true;
    Report(DiagKind::kInvalidService, s.origin.Field("connect"), s.name,
           fmt::format("{} need exactly one `network` block in group `{}`, found {}", what, g.name,
                       g.networks.size()));
    return false;
  };
  auto has_upper = [](std::string_view n) {
    return std::any_of(n.begin(), n.end(), [](unsigned char c) { return std::isupper(c); });
  };
  // Upstream listeners (address:port) are shared by every sidecar in the group.
  std::map<std::string, const ir::Service*> listeners;
  for (const ir::Service& s : g.services) {
    if (HasSidecar(s.connect)) {
      if (network_count(s, "Connect sidecars") && g.networks[0].mode != "bridge") {
        Report(DiagKind::kInvalidService, g.networks[0].origin.Field("mode"), s.name,
               fmt::format("a Connect sidecar needs the group network in `bridge` mode, not `{}`",
                           g.networks[0].mode.empty() ? "host" : g.networks[0].mode));
      }
      if (has_upper(s.name)) {
        Report(DiagKind::kInvalidService, s.origin.Field("name"), s.name,
               "the name of a Connect service must not contain uppercase characters");
      }
      if (has_upper(g.name)) {
        Report(DiagKind::kInvalidService, g.origin.range, s.name,
               fmt::format("group `{}` of a Connect service must not contain uppercase characters",
                           g.name));
      }
      for (const nlohmann::json& up : Upstreams(s.connect)) {
        if (!up.is_object()) continue;
        auto address_it = up.find("LocalBindAddress");
        auto port_it = up.find("LocalBindPort");
        std::string address =
            address_it != up.end() && address_it->is_string() ? address_it->get<std::string>() : "";
        int64_t port =
            port_it != up.end() && port_it->is_number_integer() ? port_it->get<int64_t>() : 0;
        // Go's net.JoinHostPort brackets IPv6 addresses.
        std::string listener = address.find(':') != std::string::npos
                                   ? fmt::format("[{}]:{}", address, port)
                                   : fmt::format("{}:{}", address, port);
        auto [it, inserted] = listeners.emplace(listener, &s);
        if (!inserted) {
          Report(DiagKind::kInvalidService, s.origin.Field("connect"), s.name,
                 fmt::format("an upstream listens on {}, as one of service `{}` does", listener,
                             it->second->name))
              .Note(it->second->origin.Field("connect"), "the other upstream is here");
        }
      }
    } else if (IsGateway(s.connect)) {
      if (network_count(s, "Connect gateways") && g.networks[0].mode != "bridge" &&
          g.networks[0].mode != "host") {
        Report(DiagKind::kInvalidService, g.networks[0].origin.Field("mode"), s.name,
               fmt::format("a Connect gateway needs the group network in `bridge` or `host` "
                           "mode, not `{}`",
                           g.networks[0].mode));
      }
      if (IsMeshGateway(s.connect) && s.port_label.empty()) {
        Report(DiagKind::kInvalidService, s.origin.range, s.name,
               "a mesh gateway service must set `port` (its WAN port)");
      }
    }
    // The expose-check hook: exposing a check needs the Envoy sidecar on a bridge network.
    for (const ir::ServiceCheck& c : s.checks) {
      if (!c.expose) continue;
      if (!HasSidecar(s.connect)) {
        Report(DiagKind::kInvalidCheck, c.origin.Field("expose"), c.name,
               "`expose` needs the service to use a Connect sidecar (`sidecar_service`)");
      } else if (g.networks.size() != 1 || g.networks[0].mode != "bridge") {
        Report(
            DiagKind::kInvalidCheck, c.origin.Field("expose"), c.name,
            fmt::format("`expose` needs one group network in `bridge` mode in group `{}`", g.name));
      }
    }
  }
}

}  // namespace drover::sema::internal
