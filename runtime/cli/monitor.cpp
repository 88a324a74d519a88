#include "runtime/cli/monitor.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <ostream>
#include <vector>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/context.h"
#include "runtime/cli/nomad_format.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

// Nomad polls evaluations once a second; deployments use blocking queries and fall back to the
// same pace when the agent answers at once.
constexpr std::chrono::milliseconds kUpdateWait{1000};
constexpr char kDeploymentWait[] = "5s";

struct AllocState {
  std::string id, group, node, desired, client, client_desc;
  uint64_t index = 0;
};

struct EvalState {
  std::string status = "pending";
  std::string node, deployment, job;
  std::vector<AllocState> allocs;  // sorted by (create index, id)
  int64_t wait = 0;
  uint64_t index = 0;

  const AllocState* Find(const std::string& id) const {
    for (const AllocState& a : allocs) {
      if (a.id == id) return &a;
    }
    return nullptr;
  }
};

class Monitor {
 public:
  // `prefixed`: Nomad's PrefixedUi of the evaluation monitor ("==> " for info and errors, four
  // spaces for output); `deployment status -monitor` prints without prefixes.
  Monitor(const ApiClient& client, Io& io, const Colorizer& color, size_t length,
          bool prefixed = true)
      : client_(client),
        io_(io),
        ctx_(ContextOf(io)),
        color_(color),
        length_(length),
        prefixed_(prefixed) {}

  int Run(const std::string& eval_id);
  // Follows a deployment; returns its final status ("" after an error).
  std::string MonitorDeployment(const std::string& id);
  void Info(const std::string& msg) {
    io_.out << (prefixed_ ? "==> " : "") << msg << "\n" << std::flush;
  }

 private:
  std::string Now() const { return FormatTime(ctx_.NowNs()); }
  void Output(const std::string& msg) {
    if (!msg.empty()) io_.out << (prefixed_ ? "    " : "") << msg;
    io_.out << "\n" << std::flush;
  }
  void Error(const std::string& msg) {
    io_.err << (prefixed_ ? "==> " : "") << msg << "\n" << std::flush;
  }
  void Update(EvalState next);

  const ApiClient& client_;
  Io& io_;
  const CliContext& ctx_;
  const Colorizer& color_;
  size_t length_;
  bool prefixed_;
  EvalState state_;
};

void Monitor::Update(EvalState next) {
  const EvalState& prev = state_;
  if (prev.node.empty() && !next.node.empty()) {
    Output(Now() + ": Evaluation triggered by node " + GoQuote(Limit(next.node, length_)));
  }
  if (prev.job.empty() && !next.job.empty()) {
    Output(Now() + ": Evaluation triggered by job " + GoQuote(next.job));
  }
  if (prev.deployment.empty() && !next.deployment.empty()) {
    Output(Now() + ": Evaluation within deployment: " + GoQuote(Limit(next.deployment, length_)));
  }
  for (const AllocState& a : next.allocs) {
    const AllocState* old = prev.Find(a.id);
    if (old == nullptr) {
      if (a.index < next.index) {
        // Created before this evaluation: an existing allocation updated in place.
        Output(Now() + ": Allocation " + GoQuote(Limit(a.id, length_)) + " modified: node " +
               GoQuote(Limit(a.node, length_)) + ", group " + GoQuote(a.group));
      } else if (a.desired == "run") {
        Output(Now() + ": Allocation " + GoQuote(Limit(a.id, length_)) + " created: node " +
               GoQuote(Limit(a.node, length_)) + ", group " + GoQuote(a.group));
      }
    } else if (old->client != a.client) {
      std::string desc = a.client_desc.empty() ? "" : " (" + a.client_desc + ")";
      Output(Now() + ": Allocation " + GoQuote(Limit(a.id, length_)) +
             " status changed: " + GoQuote(old->client) + " -> " + GoQuote(a.client) + desc);
    }
  }
  if (!prev.status.empty() && next.status != "pending" && prev.status != next.status) {
    Output(Now() + ": Evaluation status changed: " + GoQuote(prev.status) + " -> " +
           GoQuote(next.status));
  }
  state_ = std::move(next);
}

int Monitor::Run(const std::string& eval_id) {
  bool sched_failure = false;
  state_ = EvalState();
  Info(Now() + ": Monitoring evaluation " + GoQuote(Limit(eval_id, length_)));
  json eval;
  while (true) {
    auto resp = client_.Get("/v1/evaluation/" + ApiClient::Escape(eval_id));
    if (!resp) {
      llvm::consumeError(resp.takeError());
      Error("No evaluation with id " + GoQuote(eval_id) + " found");
      return 1;
    }
    eval = std::move(resp->body);
    EvalState next;
    next.status = Str(eval, "Status");
    next.node = Str(eval, "NodeID");
    next.job = Str(eval, "JobID");
    next.deployment = Str(eval, "DeploymentID");
    next.wait = Int(eval, "Wait");
    next.index = Uint(eval, "CreateIndex");
    auto allocs =
        client_.Get("/v1/evaluation/" + ApiClient::Escape(Str(eval, "ID")) + "/allocations");
    if (!allocs) {
      Error(Now() + ": Error reading allocations: " + ErrorText(allocs.takeError()));
      return 1;
    }
    if (allocs->body.is_array()) {
      for (const json& a : allocs->body) {
        next.allocs.push_back({Str(a, "ID"), Str(a, "TaskGroup"), Str(a, "NodeID"),
                               Str(a, "DesiredStatus"), Str(a, "ClientStatus"),
                               Str(a, "ClientDescription"), Uint(a, "CreateIndex")});
      }
    }
    std::sort(next.allocs.begin(), next.allocs.end(), [](const AllocState& a, const AllocState& b) {
      return std::tie(a.index, a.id) < std::tie(b.index, b.id);
    });
    Update(std::move(next));

    const std::string status = Str(eval, "Status");
    if (status != "complete" && status != "failed" && status != "canceled") {
      ctx_.Sleep(kUpdateWait);
      continue;
    }
    const json& failed = Field(eval, "FailedTGAllocs");
    if (Keys(failed).empty()) {
      Info(Now() + ": Evaluation " + GoQuote(Limit(Str(eval, "ID"), length_)) +
           " finished with status " + GoQuote(status));
    } else {
      sched_failure = true;
      Info(Now() + ": Evaluation " + GoQuote(Limit(Str(eval, "ID"), length_)) +
           " finished with status " + GoQuote(status) + " but failed to place all allocations:");
      for (const std::string& tg : Keys(failed)) {
        const json& metrics = Field(failed, tg);
        int64_t coalesced = Int(metrics, "CoalescedFailures");
        Output(Now() + ": Task Group " + GoQuote(tg) + " (failed to place " +
               std::to_string(coalesced + 1) + (coalesced > 0 ? " allocations" : " allocation") +
               "):");
        std::string lines = FormatAllocMetrics(metrics, false, "  ");
        size_t start = 0;
        while (true) {
          size_t nl = lines.find('\n', start);
          Output(lines.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
          if (nl == std::string::npos) break;
          start = nl + 1;
        }
      }
      if (!Str(eval, "BlockedEval").empty()) {
        Output(Now() + ": Evaluation " + GoQuote(Limit(Str(eval, "BlockedEval"), length_)) +
               " waiting for additional capacity to place remainder");
      }
    }
    std::string next_eval = Str(eval, "NextEval");
    if (next_eval.empty()) break;
    if (int64_t wait = Int(eval, "Wait"); wait != 0) {
      Info(Now() + ": Monitoring next evaluation " + GoQuote(Limit(next_eval, length_)) + " in " +
           FormatGoDuration(wait));
      ctx_.Sleep(
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(wait)));
    }
    return Run(next_eval);
  }

  if (!state_.deployment.empty()) {
    Info(Now() + ": Monitoring deployment " + GoQuote(Limit(state_.deployment, length_)));
    if (MonitorDeployment(state_.deployment) != "successful") return 1;
    sched_failure = false;
  }
  return sched_failure ? 2 : 0;
}

std::string Monitor::MonitorDeployment(const std::string& id) {
  uint64_t index = 0;
  uint64_t printed_modify_index = 0;
  bool printed = false;
  while (true) {
    ApiClient::Query q = {{"stale", ""}};
    if (index > 0) {
      q.emplace_back("index", std::to_string(index));
      q.emplace_back("wait", kDeploymentWait);
    }
    auto resp = client_.Get("/v1/deployment/" + ApiClient::Escape(id), q);
    if (!resp) {
      Error(color_.Color(Now() + ": Error fetching deployment: " + ErrorText(resp.takeError())));
      return "";
    }
    const json& d = resp->body;
    std::string status = Str(d, "Status");
    uint64_t modify = Uint(d, "ModifyIndex");
    bool changed = !printed || modify != printed_modify_index;
    if (changed) {
      std::string info = Now() + "\n" + FormatDeployment(d, length_);
      if (length_ == kFullId) {
        info += "\n\n[bold]Allocations[reset]\n";
        auto allocs = client_.Get("/v1/deployment/allocations/" + ApiClient::Escape(id));
        if (!allocs) {
          info += "Error fetching allocations: " + ErrorText(allocs.takeError());
        } else {
          std::vector<json> stubs;
          if (allocs->body.is_array()) stubs.assign(allocs->body.begin(), allocs->body.end());
          info += FormatAllocListStubs(stubs, true, length_, ctx_.NowNs());
        }
      }
      Output(color_.Color("\n" + info));
      printed = true;
      printed_modify_index = modify;
    }
    if (status == "failed") {
      bool auto_revert = false;
      const json& groups = Field(d, "TaskGroups");
      for (const std::string& g : Keys(groups)) auto_revert |= Bool(Field(groups, g), "AutoRevert");
      if (auto_revert) {
        ctx_.Sleep(std::chrono::seconds(1));
        auto rollback =
            client_.Get("/v1/job/" + ApiClient::Escape(Str(d, "JobID")) + "/deployment");
        Output("");
        if (!rollback) {
          Error(color_.Color(Now() + ": Error fetching deployment of previous job version: " +
                             ErrorText(rollback.takeError())));
          return status;
        }
        std::string rid = Str(rollback->body, "ID");
        if (rid.empty() || rid == Str(d, "ID")) return status;
        MonitorDeployment(rid);
      }
      return status;
    }
    if (status == "successful" || status == "cancelled" || status == "blocked") return status;
    uint64_t new_index = resp->index;
    if (new_index == 0 || new_index <= index || !changed) ctx_.Sleep(kUpdateWait);
    index = std::max(index, new_index);
  }
}

}  // namespace

int MonitorEvaluation(const ApiClient& client, Io& io, const Colorizer& color,
                      const std::string& eval_id, size_t id_length) {
  Monitor m(client, io, color, id_length);
  return m.Run(eval_id);
}

std::string MonitorDeployment(const ApiClient& client, Io& io, const Colorizer& color,
                              const std::string& deployment_id, size_t id_length) {
  Monitor m(client, io, color, id_length, /*prefixed=*/false);
  m.Info(FormatTime(ContextOf(io).NowNs()) + ": Monitoring deployment " +
         GoQuote(Limit(deployment_id, id_length)));
  return m.MonitorDeployment(deployment_id);
}

}  // namespace drover::cli
