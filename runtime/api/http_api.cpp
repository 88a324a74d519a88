#include "runtime/api/http_api.h"

#include <algorithm>
#include <charconv>
#include <random>
#include <variant>

#include <fmt/format.h>

#include "compiler/compile/compile.h"
#include "compiler/diag/render.h"
#include "compiler/ir/ir_json.h"
#include "runtime/api/api_json.h"
#include "runtime/server/server_error.h"
#include "runtime/store/json_read.h"
#include "runtime/store/model_json.h"

#if __has_include("reconciler/diff/diff.h")
#include "reconciler/diff/annotate.h"
#include "reconciler/diff/diff.h"
#define DROVER_API_HAS_DIFF 1
#else
#define DROVER_API_HAS_DIFF 0
#endif

namespace drover::api {
namespace {

using http::RouteParams;
using http::ServerRequest;
using http::ServerResponse;
using model::Table;
using store::JsonReader;

// ---- request helpers
// -------------------------------------------------------------------------------

/// `allocs` in id order, the order the API lists allocations in.
std::vector<const model::Allocation*> ById(std::vector<const model::Allocation*> allocs) {
  std::sort(allocs.begin(), allocs.end(),
            [](const auto* a, const auto* b) { return a->id < b->id; });
  return allocs;
}

ServerResponse Error(int status, std::string_view message) {
  return http::ErrorResponse(status, message);
}

ServerResponse Fail(llvm::Error err) {
  server::ErrorStatus s = server::ToStatus(std::move(err));
  return Error(s.status, s.message);
}

ServerResponse WithIndex(ServerResponse r, model::Index index) {
  r.SetHeader("X-Nomad-Index", std::to_string(std::max<model::Index>(1, index)));
  r.SetHeader("X-Nomad-KnownLeader", "true");
  r.SetHeader("X-Nomad-LastContact", "0");
  return r;
}

std::optional<bool> ParseBool(const std::string& text) {
  if (text.empty() || text == "true" || text == "1" || text == "t" || text == "T" ||
      text == "TRUE" || text == "True") {
    return true;
  }
  if (text == "false" || text == "0" || text == "f" || text == "F" || text == "FALSE" ||
      text == "False") {
    return false;
  }
  return std::nullopt;
}

struct Query {
  model::Index index = 0;
  std::chrono::milliseconds wait = HttpApi::kDefaultWait;
  std::string ns = "default";
  bool all_namespaces = false;
  std::string prefix;

  bool InNamespace(const std::string& object_ns) const { return all_namespaces || object_ns == ns; }
  bool Matches(const std::string& id) const { return id.compare(0, prefix.size(), prefix) == 0; }
};

/// Reads the common query parameters; an invalid one is a 400 answer.
std::optional<ServerResponse> ReadQuery(const ServerRequest& r, Query& q) {
  if (auto index = r.Query("index")) {
    uint64_t v = 0;
    auto res = std::from_chars(index->data(), index->data() + index->size(), v);
    if (index->empty() || res.ec != std::errc() || res.ptr != index->data() + index->size()) {
      return Error(400, "Invalid index: \"" + *index + "\" is not an unsigned integer");
    }
    q.index = v;
  }
  if (auto wait = r.Query("wait")) {
    std::optional<ir::Duration> d = ir::ParseDuration(*wait);
    if (!d) {
      // Nomad also takes a bare number of milliseconds? No: a Go duration only.
      return Error(400, "Invalid wait time: \"" + *wait + "\"");
    }
    if (d->count() < 0) return Error(400, "Invalid wait time: \"" + *wait + "\" is negative");
    q.wait = std::min(std::chrono::duration_cast<std::chrono::milliseconds>(*d), HttpApi::kMaxWait);
  }
  if (auto ns = r.Query("namespace")) {
    if (*ns == "*") {
      q.all_namespaces = true;
    } else if (!ns->empty()) {
      q.ns = *ns;
    }
  }
  if (auto prefix = r.Query("prefix")) q.prefix = *prefix;
  return std::nullopt;
}

std::optional<ServerResponse> ReadBoolParam(const ServerRequest& r, std::string_view name,
                                            bool& out) {
  if (auto v = r.Query(name)) {
    std::optional<bool> b = ParseBool(*v);
    if (!b) return Error(400, fmt::format("Failed to parse value of {:?}: {:?}", name, *v));
    out = *b;
  }
  return std::nullopt;
}

std::chrono::milliseconds Jitter(std::chrono::milliseconds wait) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  int64_t range = wait.count() / 16;
  if (range <= 0) return wait;
  return wait +
         std::chrono::milliseconds(static_cast<int64_t>(rng() % static_cast<uint64_t>(range)));
}

/// Parses a JSON object body; on failure `error` is the 400 answer.
bool ReadBody(const ServerRequest& r, store::json& body, ServerResponse& error) {
  auto parsed = http::ParseJsonBody(r.body);
  if (!parsed) {
    error = Error(400, llvm::toString(parsed.takeError()));
    return false;
  }
  if (!parsed->is_object()) {
    error = Error(400, "request body must be a JSON object, got " +
                           std::string(store::JsonTypeName(*parsed)));
    return false;
  }
  body = std::move(*parsed);
  return true;
}

std::string ErrorList(const std::vector<std::string>& errors) {
  std::string out = fmt::format("{} error(s) occurred:\n", errors.size());
  for (const std::string& e : errors) out += "\n* " + e;
  return out;
}

std::string WarningList(const std::vector<std::string>& warnings) {
  if (warnings.empty()) return "";
  std::string out = fmt::format("{} warning(s):\n", warnings.size());
  for (const std::string& w : warnings) out += "\n* " + w;
  return out;
}

/// A job from an API body, canonicalized and validated.
struct CompiledJob {
  ir::Job job;
  std::vector<std::string> errors;  ///< set when the job is invalid
  std::vector<std::string> warnings;
  bool decode_error = false;  ///< the JSON did not even decode (type mismatch)
};

CompiledJob CompileJob(const store::json& job_json) {
  CompiledJob out;
  diag::DiagnosticEngine diags;
  compile::CompileOptions options;
  options.eval.allow_fs = false;
  compile::CompileResult result =
      compile::CompileApiJob(job_json, diag::SourceRange{}, options, diags);
  for (const diag::Diagnostic& d : diags.diagnostics()) {
    std::string text = d.message;
    if (d.severity == diag::Severity::kError) {
      if (d.kind == diag::DiagKind::kInvalidJobJson) out.decode_error = true;
      out.errors.push_back(std::move(text));
    } else if (d.severity == diag::Severity::kWarning) {
      out.warnings.push_back(std::move(text));
    }
  }
  if (result.job) {
    out.job = std::move(*result.job);
  } else if (out.errors.empty()) {
    out.errors.push_back("job is invalid");
  }
  return out;
}

std::string IdOf(const model::Id& id) { return id.ToString(); }

// ---- handlers
// --------------------------------------------------------------------------------------

class Handlers {
 public:
  Handlers(server::Server& server, const AgentInfo& info) : server_(server), info_(info) {}

  /// A blocking read: waits on `tables` when ?index= is given, then answers fn(state, query).
  template <typename Fn>
  ServerResponse Read(const ServerRequest& r, std::vector<Table> tables, Fn fn) {
    Query q;
    if (auto bad = ReadQuery(r, q)) return *bad;
    if (q.index > 0 && !server_.store().WaitsAborted()) {
      server_.store().WaitForIndex(tables, q.index + 1, Jitter(q.wait));
    }
    store::ReadView view = server_.store().Read();
    model::Index index = 0;
    for (Table t : tables) index = std::max(index, view->TableIndex(t));
    ServerResponse response = fn(*view, q);
    return WithIndex(std::move(response), index);
  }

  // ---- jobs ----

  ServerResponse ListJobs(const ServerRequest& r) {
    return Read(r, {Table::kJobs, Table::kAllocs, Table::kEvals},
                [&](const model::State& s, const Query& q) {
                  store::json out = store::json::array();
                  for (const model::JobVersion* j : s.Jobs()) {
                    if (!q.InNamespace(j->Key().namespace_) || !q.Matches(j->spec.id)) continue;
                    out.push_back(JobListStubJson(s, *j));
                  }
                  return http::JsonResponse(r, out);
                });
  }

  ServerResponse Register(const ServerRequest& r, const std::string& url_id) {
    store::json body;
    ServerResponse error;
    if (!ReadBody(r, body, error)) return error;
    if (!body.contains("Job") || body["Job"].is_null()) return Error(400, "Job must be specified");
    if (!body["Job"].is_object()) {
      return Error(400,
                   "Job: expected an object, got " + std::string(store::JsonTypeName(body["Job"])));
    }
    JsonReader reader(body);
    server::RegisterOptions options;
    reader.Get("EnforceIndex", options.enforce_index)
        .Get("JobModifyIndex", options.job_modify_index)
        .Get("EvalPriority", options.eval_priority)
        .Get("PreserveCounts", options.preserve_counts);
    bool policy_override = false;
    reader.Get("PolicyOverride", policy_override);
    if (!reader.ok()) return Error(400, reader.error());
    if (options.eval_priority != 0 && (options.eval_priority < 1 || options.eval_priority > 100)) {
      return Error(400, "Eval priority must be between 1 and 100");
    }
    CompiledJob compiled = CompileJob(body["Job"]);
    if (!compiled.errors.empty()) return Error(400, ErrorList(compiled.errors));
    if (!url_id.empty() && compiled.job.id != url_id) {
      return Error(400, "Job ID does not match name");
    }
    auto result = server_.RegisterJob(std::move(compiled.job), options);
    if (!result) return Fail(result.takeError());
    store::json out = {{"EvalID", result->eval_id.ToString()},
                       {"EvalCreateIndex", result->eval_create_index},
                       {"JobModifyIndex", result->job_modify_index},
                       {"Warnings", WarningList(compiled.warnings)},
                       {"Index", result->index},
                       {"LastContact", 0},
                       {"KnownLeader", true}};
    return WithIndex(http::JsonResponse(r, out), result->index);
  }

  ServerResponse GetJob(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kJobs}, [&](const model::State& s, const Query& q) {
      const model::JobVersion* job = s.GetJob({q.ns, id});
      if (job == nullptr) return Error(404, "job not found");
      return http::JsonResponse(r, store::EncodeJobVersion(*job));
    });
  }

  ServerResponse DeregisterJob(const ServerRequest& r, const std::string& id) {
    Query q;
    if (auto bad = ReadQuery(r, q)) return *bad;
    bool purge = false;
    if (auto bad = ReadBoolParam(r, "purge", purge)) return *bad;
    bool global = false;
    if (auto bad = ReadBoolParam(r, "global", global)) return *bad;
    auto result = server_.DeregisterJob({q.ns, id}, purge);
    if (!result) return Fail(result.takeError());
    store::json out = {{"EvalID", result->eval_id.ToString()},
                       {"EvalCreateIndex", result->eval_create_index},
                       {"JobModifyIndex", result->job_modify_index},
                       {"VolumeEvalID", ""},
                       {"VolumeEvalIndex", 0},
                       {"Index", result->index},
                       {"LastContact", 0},
                       {"KnownLeader", true}};
    return WithIndex(http::JsonResponse(r, out), result->index);
  }

  ServerResponse JobVersions(const ServerRequest& r, const std::string& id) {
    bool diffs = false;
    if (auto bad = ReadBoolParam(r, "diffs", diffs)) return *bad;
    return Read(r, {Table::kJobs}, [&](const model::State& s, const Query& q) {
      std::vector<model::JobVersionPtr> versions = s.GetJobVersions({q.ns, id});
      if (versions.empty()) return Error(404, "job versions not found");
      store::json list = store::json::array();
      for (const auto& v : versions) list.push_back(store::EncodeJobVersion(*v));
      store::json out = {{"Versions", list}, {"Diffs", nullptr}};
#if DROVER_API_HAS_DIFF
      if (diffs) {
        store::json d = store::json::array();
        for (size_t i = 0; i + 1 < versions.size(); ++i) {
          diff::DiffOptions options;
          options.old_stopped = versions[i + 1]->stop;
          options.new_stopped = versions[i]->stop;
          d.push_back(diff::ToJson(diff::Diff(&versions[i + 1]->spec, versions[i]->spec, options)));
        }
        out["Diffs"] = d;
      }
#endif
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse JobAllocations(const ServerRequest& r, const std::string& id) {
    bool all = false;
    if (auto bad = ReadBoolParam(r, "all", all)) return *bad;
    return Read(r, {Table::kAllocs, Table::kJobs}, [&](const model::State& s, const Query& q) {
      const model::JobVersion* current = s.GetJob({q.ns, id});
      std::vector<const model::Allocation*> allocs = s.AllocsByJob({q.ns, id});
      std::sort(allocs.begin(), allocs.end(), [](const auto* a, const auto* b) {
        return a->create_index != b->create_index ? a->create_index > b->create_index
                                                  : a->id < b->id;
      });
      store::json out = store::json::array();
      for (const model::Allocation* a : allocs) {
        if (!all && current != nullptr && a->job != nullptr &&
            a->job->create_index != current->create_index) {
          continue;  // an earlier job with the same id
        }
        out.push_back(AllocListStubJson(*a));
      }
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse JobEvaluations(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kEvals}, [&](const model::State& s, const Query& q) {
      std::vector<const model::Evaluation*> evals = s.EvalsByJob({q.ns, id});
      store::json out = store::json::array();
      for (auto it = evals.rbegin(); it != evals.rend(); ++it) {
        out.push_back(store::EncodeEvaluation(**it));
      }
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse JobSummary(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kJobs, Table::kAllocs, Table::kEvals},
                [&](const model::State& s, const Query& q) {
                  const model::JobVersion* job = s.GetJob({q.ns, id});
                  if (job == nullptr) return Error(404, "job not found");
                  return http::JsonResponse(r, JobSummaryJson(s, *job));
                });
  }

  ServerResponse JobDeployments(const ServerRequest& r, const std::string& id, bool latest) {
    return Read(r, {Table::kDeployments}, [&](const model::State& s, const Query& q) {
      if (latest) {
        const model::Deployment* d = s.LatestDeployment({q.ns, id});
        return http::JsonResponse(r, d ? store::EncodeDeployment(*d) : store::json(nullptr));
      }
      store::json out = store::json::array();
      std::vector<const model::Deployment*> list = s.DeploymentsByJob({q.ns, id});
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        out.push_back(store::EncodeDeployment(**it));
      }
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse PlanJob(const ServerRequest& r, const std::string& id) {
    store::json body;
    ServerResponse error;
    if (!ReadBody(r, body, error)) return error;
    if (!body.contains("Job") || body["Job"].is_null()) return Error(400, "Job must be specified");
    if (!body["Job"].is_object()) {
      return Error(400,
                   "Job: expected an object, got " + std::string(store::JsonTypeName(body["Job"])));
    }
    JsonReader reader(body);
    bool want_diff = false;
    bool policy_override = false;
    reader.Get("Diff", want_diff).Get("PolicyOverride", policy_override);
    if (!reader.ok()) return Error(400, reader.error());
    CompiledJob compiled = CompileJob(body["Job"]);
    if (!compiled.errors.empty()) return Error(400, ErrorList(compiled.errors));
    if (compiled.job.id != id) return Error(400, "Job ID does not match");
    server::Server::PlanResponse plan = server_.PlanJob(compiled.job);
    store::json out = PlanResponseJson(plan.dry_run, plan.index);
    out["Warnings"] = WarningList(compiled.warnings);
#if DROVER_API_HAS_DIFF
    if (want_diff) {
      diff::DiffOptions options;
      const model::JobVersionPtr& old = plan.dry_run.old_version;
      options.old_stopped = old != nullptr && old->stop;
      diff::JobDiff d = diff::Diff(old != nullptr ? &old->spec : nullptr, compiled.job, options);
      diff::Annotate(d, plan.dry_run.result.plan.desired_tg_updates);
      out["Diff"] = diff::ToJson(d);
    }
#else
    if (want_diff) {
      const model::JobVersionPtr& old = plan.dry_run.old_version;
      std::string type = old == nullptr                              ? "Added"
                         : (old->spec == compiled.job && !old->stop) ? "None"
                                                                     : "Edited";
      out["Diff"] = {{"Type", type},
                     {"ID", compiled.job.id},
                     {"Fields", nullptr},
                     {"Objects", nullptr},
                     {"TaskGroups", nullptr}};
    }
#endif
    return WithIndex(http::JsonResponse(r, out), plan.index);
  }

  ServerResponse EvaluateJob(const ServerRequest& r, const std::string& id) {
    Query q;
    if (auto bad = ReadQuery(r, q)) return *bad;
    if (!r.body.empty()) {
      store::json body;
      ServerResponse error;
      if (!ReadBody(r, body, error)) return error;
      JsonReader reader(body);
      std::string job_id;
      reader.Get("JobID", job_id);
      JsonReader options = reader.Child("EvalOptions");
      bool force = false;
      options.Get("ForceReschedule", force);
      if (!reader.ok()) return Error(400, reader.error());
      if (!job_id.empty() && job_id != id) return Error(400, "Job ID does not match");
    }
    auto result = server_.EvaluateJob({q.ns, id});
    if (!result) return Fail(result.takeError());
    store::json out = {{"EvalID", result->eval_id.ToString()},
                       {"EvalCreateIndex", result->eval_create_index},
                       {"JobModifyIndex", result->job_modify_index},
                       {"Index", result->index}};
    return WithIndex(http::JsonResponse(r, out), result->index);
  }

  ServerResponse ParseJob(const ServerRequest& r) {
    store::json body;
    ServerResponse error;
    if (!ReadBody(r, body, error)) return error;
    JsonReader reader(body);
    std::string hcl;
    bool canonicalize = false;
    bool hcl_v1 = false;
    std::string variables;
    std::map<std::string, std::string> flags;
    reader.Get("JobHCL", hcl).Get("Canonicalize", canonicalize).Get("HCLv1", hcl_v1);
    reader.Get("Variables", variables).Get("VariableFlags", flags);
    if (!reader.ok()) return Error(400, reader.error());
    if (hcl.empty()) return Error(400, "Job HCL must be specified");
    if (hcl_v1) return Error(400, "HCLv1 jobspecs are not supported");
    diag::SourceManager sm;
    diag::FileId file = sm.AddBuffer("input.hcl", hcl);
    compile::CompileOptions options;
    options.analyze = canonicalize;
    options.eval.allow_fs = false;
    options.eval.now_unix_nanos = server_.clock().Now();
    for (const auto& [name, value] : flags) options.eval.cli_variables.push_back({name, value});
    if (!variables.empty())
      options.eval.var_files.push_back(sm.AddBuffer("input.vars.hcl", variables));
    diag::DiagnosticEngine diags;
    compile::CompileResult result = compile::Compile(sm, file, options, diags);
    if (!result.ok()) {
      return Error(400, diag::RenderAll(diags.diagnostics(), sm, diag::DiagFormat::kText));
    }
    return http::JsonResponse(r, ir::JobToApiJson(*result.job));
  }

  ServerResponse ValidateJob(const ServerRequest& r) {
    store::json body;
    ServerResponse error;
    if (!ReadBody(r, body, error)) return error;
    if (!body.contains("Job") || body["Job"].is_null()) return Error(400, "Job must be specified");
    if (!body["Job"].is_object()) {
      return Error(400,
                   "Job: expected an object, got " + std::string(store::JsonTypeName(body["Job"])));
    }
    CompiledJob compiled = CompileJob(body["Job"]);
    if (compiled.decode_error) return Error(400, ErrorList(compiled.errors));
    store::json out = {{"DriverConfigValidated", false},
                       {"ValidationErrors", compiled.errors.empty() ? store::json(nullptr)
                                                                    : store::json(compiled.errors)},
                       {"Error", compiled.errors.empty() ? "" : ErrorList(compiled.errors)},
                       {"Warnings", WarningList(compiled.warnings)}};
    return http::JsonResponse(r, out);
  }

  // ---- allocations, evaluations, deployments, nodes ----

  ServerResponse ListAllocations(const ServerRequest& r) {
    bool resources = false;
    bool task_states = true;
    if (auto bad = ReadBoolParam(r, "resources", resources)) return *bad;
    if (auto bad = ReadBoolParam(r, "task_states", task_states)) return *bad;
    return Read(r, {Table::kAllocs}, [&](const model::State& s, const Query& q) {
      store::json out = store::json::array();
      for (const model::Allocation* a : ById(s.Allocs())) {
        if (!q.InNamespace(a->namespace_) || !q.Matches(IdOf(a->id))) continue;
        out.push_back(AllocListStubJson(*a, resources, task_states));
      }
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse GetAllocation(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kAllocs}, [&](const model::State& s, const Query&) {
      std::optional<model::Id> parsed = model::Id::Parse(id);
      const model::Allocation* a = parsed ? s.GetAlloc(*parsed) : nullptr;
      if (a == nullptr) return Error(404, "alloc not found");
      return http::JsonResponse(r, store::EncodeAllocation(*a, store::EmbedJob::kYes));
    });
  }

  ServerResponse ListEvaluations(const ServerRequest& r) {
    std::string job = r.Query("job").value_or("");
    std::string status = r.Query("status").value_or("");
    return Read(r, {Table::kEvals}, [&](const model::State& s, const Query& q) {
      std::vector<const model::Evaluation*> evals = s.Evals();
      store::json out = store::json::array();
      for (auto it = evals.rbegin(); it != evals.rend(); ++it) {
        const model::Evaluation* e = *it;
        if (!q.InNamespace(e->namespace_) || !q.Matches(IdOf(e->id))) continue;
        if (!job.empty() && e->job_id != job) continue;
        if (!status.empty() && model::ToString(e->status) != status) continue;
        out.push_back(store::EncodeEvaluation(*e));
      }
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse GetEvaluation(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kEvals}, [&](const model::State& s, const Query&) {
      std::optional<model::Id> parsed = model::Id::Parse(id);
      const model::Evaluation* e = parsed ? s.GetEval(*parsed) : nullptr;
      if (e == nullptr) return Error(404, "eval not found");
      return http::JsonResponse(r, store::EncodeEvaluation(*e));
    });
  }

  ServerResponse EvaluationAllocations(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kAllocs}, [&](const model::State& s, const Query&) {
      std::optional<model::Id> parsed = model::Id::Parse(id);
      store::json out = store::json::array();
      if (!parsed) return http::JsonResponse(r, out);
      for (const model::Allocation* a : ById(s.Allocs())) {
        if (a->eval_id == *parsed) out.push_back(AllocListStubJson(*a));
      }
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse ListDeployments(const ServerRequest& r) {
    return Read(r, {Table::kDeployments}, [&](const model::State& s, const Query& q) {
      store::json out = store::json::array();
      for (const model::Deployment* d : s.Deployments()) {
        if (!q.InNamespace(d->namespace_) || !q.Matches(IdOf(d->id))) continue;
        out.push_back(store::EncodeDeployment(*d));
      }
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse GetDeployment(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kDeployments}, [&](const model::State& s, const Query&) {
      std::optional<model::Id> parsed = model::Id::Parse(id);
      const model::Deployment* d = parsed ? s.GetDeployment(*parsed) : nullptr;
      if (d == nullptr) return Error(404, "deployment not found");
      return http::JsonResponse(r, store::EncodeDeployment(*d));
    });
  }

  ServerResponse DeploymentAllocations(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kAllocs, Table::kDeployments}, [&](const model::State& s, const Query&) {
      std::optional<model::Id> parsed = model::Id::Parse(id);
      const model::Deployment* d = parsed ? s.GetDeployment(*parsed) : nullptr;
      if (d == nullptr) return Error(404, "deployment not found");
      store::json out = store::json::array();
      for (const model::Allocation* a : ById(s.AllocsByJob(d->Job()))) {
        if (a->deployment_id == d->id) out.push_back(AllocListStubJson(*a));
      }
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse ListNodes(const ServerRequest& r) {
    bool resources = false;
    if (auto bad = ReadBoolParam(r, "resources", resources)) return *bad;
    return Read(r, {Table::kNodes}, [&](const model::State& s, const Query& q) {
      store::json out = store::json::array();
      for (const model::Node* n : s.Nodes()) {
        if (!q.Matches(IdOf(n->id))) continue;
        out.push_back(NodeListStubJson(*n, resources));
      }
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse GetNode(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kNodes}, [&](const model::State& s, const Query&) {
      std::optional<model::Id> parsed = model::Id::Parse(id);
      const model::Node* n = parsed ? s.GetNode(*parsed) : nullptr;
      if (n == nullptr) return Error(404, "node not found");
      store::json out = store::EncodeNode(*n);
      out["SecretID"] = "";  // never served over the API
      return http::JsonResponse(r, out);
    });
  }

  ServerResponse NodeAllocations(const ServerRequest& r, const std::string& id) {
    return Read(r, {Table::kAllocs}, [&](const model::State& s, const Query&) {
      std::optional<model::Id> parsed = model::Id::Parse(id);
      if (!parsed || s.GetNode(*parsed) == nullptr) return Error(404, "node not found");
      store::json out = store::json::array();
      for (const model::Allocation* a : ById(s.AllocsByNode(*parsed))) {
        out.push_back(store::EncodeAllocation(*a, store::EmbedJob::kYes));
      }
      return http::JsonResponse(r, out);
    });
  }

  // ---- status and agent ----

  store::json Member() const {
    std::string addr = info_.serf_addr.substr(0, info_.serf_addr.rfind(':'));
    int port = 4648;
    if (auto colon = info_.serf_addr.rfind(':'); colon != std::string::npos) {
      port = std::atoi(info_.serf_addr.c_str() + colon + 1);
    }
    std::string rpc_port = info_.rpc_addr.substr(info_.rpc_addr.rfind(':') + 1);
    return {{"Name", info_.name + "." + info_.region},
            {"Addr", addr},
            {"Port", port},
            {"Tags",
             {{"role", "nomad"},
              {"region", info_.region},
              {"dc", info_.datacenter},
              {"port", rpc_port},
              {"rpc_addr", addr},
              {"build", info_.version},
              {"bootstrap", "1"},
              {"expect", "1"},
              {"raft_vsn", "3"},
              {"id", info_.name}}},
            {"Status", "alive"},
            {"ProtocolMin", 1},
            {"ProtocolMax", 5},
            {"ProtocolCur", 2},
            {"DelegateMin", 2},
            {"DelegateMax", 5},
            {"DelegateCur", 4}};
  }

  ServerResponse Leader(const ServerRequest& r) {
    return WithIndex(http::JsonResponse(r, info_.rpc_addr), server_.store().LatestIndex());
  }
  ServerResponse Peers(const ServerRequest& r) {
    return WithIndex(http::JsonResponse(r, store::json::array({info_.rpc_addr})),
                     server_.store().LatestIndex());
  }
  ServerResponse Regions(const ServerRequest& r) {
    return http::JsonResponse(r, store::json::array({info_.region}));
  }

  ServerResponse AgentSelf(const ServerRequest& r) {
    store::json config = info_.config;
    config["Region"] = info_.region;
    config["Datacenter"] = info_.datacenter;
    config["NodeName"] = info_.name;
    config["Version"] = {{"Version", info_.version}, {"VersionPrerelease", ""}};
    if (!config.contains("Server")) config["Server"] = {{"Enabled", info_.server}};
    if (!config.contains("Client")) config["Client"] = {{"Enabled", info_.client}};
    server::EvalBroker::Stats broker = server_.broker().stats();
    server::Server::Stats stats = server_.stats();
    store::json out = {
        {"config", config},
        {"member", Member()},
        {"stats",
         {{"nomad",
           {{"server", info_.server ? "true" : "false"},
            {"leader", "true"},
            {"leader_addr", info_.rpc_addr},
            {"bootstrap", "true"},
            {"known_regions", "1"}}},
          {"broker",
           {{"total_ready", std::to_string(broker.ready)},
            {"total_unacked", std::to_string(broker.unacked)},
            {"total_waiting", std::to_string(broker.waiting)},
            {"total_blocked", std::to_string(server_.blocked().size())}}},
          {"raft",
           {{"applied_index", std::to_string(server_.store().LatestIndex())}, {"state", "Leader"}}},
          {"scheduler",
           {{"evals_processed", std::to_string(stats.evals_processed)},
            {"plans_submitted", std::to_string(stats.plans_submitted)},
            {"plans_partial", std::to_string(stats.plans_partial)}}}}}};
    return http::JsonResponse(r, out);
  }

  ServerResponse AgentMembers(const ServerRequest& r) {
    store::json out = {{"ServerName", info_.name},
                       {"ServerRegion", info_.region},
                       {"ServerDC", info_.datacenter},
                       {"Members", store::json::array({Member()})}};
    return http::JsonResponse(r, out);
  }

  ServerResponse AgentHealth(const ServerRequest& r) {
    store::json out = {{"server", {{"ok", true}, {"message", "ok"}}}};
    if (info_.client) out["client"] = {{"ok", true}, {"message", "ok"}};
    return http::JsonResponse(r, out);
  }

 private:
  server::Server& server_;
  const AgentInfo& info_;
};

}  // namespace

HttpApi::HttpApi(server::Server& server, AgentInfo info)
    : server_(server), info_(std::move(info)) {}

void HttpApi::CancelWaits() { server_.store().AbortWaits(); }

void HttpApi::AddRoutes(http::Router& router) {
  // The handler object lives as long as the routes: shared by every closure.
  auto h = std::make_shared<Handlers>(server_, info_);
  using P = const RouteParams&;
  using R = const ServerRequest&;
  router.Add("GET", "/v1/jobs", [h](R r, P) { return h->ListJobs(r); });
  router.Add("PUT|POST", "/v1/jobs", [h](R r, P) { return h->Register(r, ""); });
  router.Add("PUT|POST", "/v1/jobs/parse", [h](R r, P) { return h->ParseJob(r); });
  router.Add("GET", "/v1/job/:id", [h](R r, P p) { return h->GetJob(r, p.Get("id")); });
  router.Add("PUT|POST", "/v1/job/:id", [h](R r, P p) { return h->Register(r, p.Get("id")); });
  router.Add("DELETE", "/v1/job/:id", [h](R r, P p) { return h->DeregisterJob(r, p.Get("id")); });
  router.Add("GET", "/v1/job/:id/versions",
             [h](R r, P p) { return h->JobVersions(r, p.Get("id")); });
  router.Add("GET", "/v1/job/:id/allocations",
             [h](R r, P p) { return h->JobAllocations(r, p.Get("id")); });
  router.Add("GET", "/v1/job/:id/evaluations",
             [h](R r, P p) { return h->JobEvaluations(r, p.Get("id")); });
  router.Add("GET", "/v1/job/:id/summary", [h](R r, P p) { return h->JobSummary(r, p.Get("id")); });
  router.Add("GET", "/v1/job/:id/deployments",
             [h](R r, P p) { return h->JobDeployments(r, p.Get("id"), false); });
  router.Add("GET", "/v1/job/:id/deployment",
             [h](R r, P p) { return h->JobDeployments(r, p.Get("id"), true); });
  router.Add("PUT|POST", "/v1/job/:id/plan", [h](R r, P p) { return h->PlanJob(r, p.Get("id")); });
  router.Add("PUT|POST", "/v1/job/:id/evaluate",
             [h](R r, P p) { return h->EvaluateJob(r, p.Get("id")); });
  router.Add("PUT|POST", "/v1/validate/job", [h](R r, P) { return h->ValidateJob(r); });

  router.Add("GET", "/v1/allocations", [h](R r, P) { return h->ListAllocations(r); });
  router.Add("GET", "/v1/allocation/:id",
             [h](R r, P p) { return h->GetAllocation(r, p.Get("id")); });
  router.Add("GET", "/v1/evaluations", [h](R r, P) { return h->ListEvaluations(r); });
  router.Add("GET", "/v1/evaluation/:id",
             [h](R r, P p) { return h->GetEvaluation(r, p.Get("id")); });
  router.Add("GET", "/v1/evaluation/:id/allocations",
             [h](R r, P p) { return h->EvaluationAllocations(r, p.Get("id")); });
  router.Add("GET", "/v1/deployments", [h](R r, P) { return h->ListDeployments(r); });
  router.Add("GET", "/v1/deployment/:id",
             [h](R r, P p) { return h->GetDeployment(r, p.Get("id")); });
  router.Add("GET", "/v1/deployment/allocations/:id",
             [h](R r, P p) { return h->DeploymentAllocations(r, p.Get("id")); });
  router.Add("GET", "/v1/nodes", [h](R r, P) { return h->ListNodes(r); });
  router.Add("GET", "/v1/node/:id", [h](R r, P p) { return h->GetNode(r, p.Get("id")); });
  router.Add("GET", "/v1/node/:id/allocations",
             [h](R r, P p) { return h->NodeAllocations(r, p.Get("id")); });

  router.Add("GET", "/v1/status/leader", [h](R r, P) { return h->Leader(r); });
  router.Add("GET", "/v1/status/peers", [h](R r, P) { return h->Peers(r); });
  router.Add("GET", "/v1/regions", [h](R r, P) { return h->Regions(r); });
  router.Add("GET", "/v1/agent/self", [h](R r, P) { return h->AgentSelf(r); });
  router.Add("GET", "/v1/agent/members", [h](R r, P) { return h->AgentMembers(r); });
  router.Add("GET", "/v1/agent/health", [h](R r, P) { return h->AgentHealth(r); });
}

}  // namespace drover::api
