#include "runtime/server/rpc.h"

#include "runtime/server/server_error.h"
#include "runtime/store/json_read.h"
#include "runtime/store/model_json.h"

namespace drover::server {
namespace {

using http::RouteParams;
using http::ServerRequest;
using http::ServerResponse;
using store::json;
using store::JsonReader;

ServerResponse Fail(llvm::Error err) {
  ErrorStatus s = ToStatus(std::move(err));
  return http::ErrorResponse(s.status, s.message);
}

ServerResponse BadRequest(const std::string& message) { return http::ErrorResponse(400, message); }

/// Parses the body and requires an object; on failure `error` holds the response.
bool ParseBody(const ServerRequest& request, json& body, ServerResponse& error) {
  auto parsed = http::ParseJsonBody(request.body);
  if (!parsed) {
    error = BadRequest(llvm::toString(parsed.takeError()));
    return false;
  }
  if (!parsed->is_object()) {
    error = BadRequest("request body must be a JSON object");
    return false;
  }
  body = std::move(*parsed);
  return true;
}

struct NodeAuth {
  model::Id node_id;
  std::string secret;
};

bool ReadAuth(JsonReader& r, NodeAuth& auth, ServerResponse& error) {
  r.Get("NodeID", auth.node_id).Get("SecretID", auth.secret);
  if (!r.ok()) {
    error = BadRequest(r.error());
    return false;
  }
  if (auth.node_id.IsZero()) {
    error = BadRequest("missing node ID");
    return false;
  }
  return true;
}

json NodeUpdateJson(const NodeUpdateResult& r, const Server& server) {
  json evals = json::array();
  for (const model::Id& id : r.eval_ids) evals.push_back(id.ToString());
  return {{"HeartbeatTTL", r.heartbeat_ttl.count()},
          {"EvalIDs", evals},
          {"Index", r.index},
          {"NodeModifyIndex", r.node_modify_index},
          {"Region", server.config().region}};
}

ServerResponse NodeRegister(Server& server, const ServerRequest& request) {
  json body;
  ServerResponse error;
  if (!ParseBody(request, body, error)) return error;
  if (!body.contains("Node") || !body["Node"].is_object()) {
    return BadRequest("missing node for client registration");
  }
  auto node = store::DecodeNode(body["Node"]);
  if (!node) return BadRequest(llvm::toString(node.takeError()));
  auto result = server.RegisterNode(std::move(*node));
  if (!result) return Fail(result.takeError());
  return http::JsonResponse(request, NodeUpdateJson(*result, server));
}

ServerResponse NodeUpdateStatus(Server& server, const ServerRequest& request) {
  json body;
  ServerResponse error;
  if (!ParseBody(request, body, error)) return error;
  JsonReader r(body);
  NodeAuth auth;
  if (!ReadAuth(r, auth, error)) return error;
  model::NodeStatus status = model::NodeStatus::kReady;
  r.GetEnum("Status", status, model::ParseNodeStatus);
  if (!r.ok()) return BadRequest(r.error());
  auto result = server.UpdateNodeStatus(auth.node_id, auth.secret, status);
  if (!result) return Fail(result.takeError());
  return http::JsonResponse(request, NodeUpdateJson(*result, server));
}

ServerResponse NodeGetClientAllocs(Server& server, const ServerRequest& request) {
  json body;
  ServerResponse error;
  if (!ParseBody(request, body, error)) return error;
  JsonReader r(body);
  NodeAuth auth;
  if (!ReadAuth(r, auth, error)) return error;
  model::Index min_index = 0;
  int64_t max_wait_ns = 0;
  r.Get("MinQueryIndex", min_index).Get("MaxQueryTime", max_wait_ns);
  if (!r.ok()) return BadRequest(r.error());
  if (max_wait_ns < 0) return BadRequest("MaxQueryTime: must not be negative");
  auto wait =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(max_wait_ns));
  if (wait.count() == 0) wait = std::chrono::milliseconds(300'000);
  wait = std::min(wait, kMaxRpcWait);
  auto result = server.GetClientAllocs(auth.node_id, auth.secret, min_index, wait);
  if (!result) return Fail(result.takeError());
  json allocs = json::object();
  for (const auto& [id, index] : result->allocs) allocs[id.ToString()] = index;
  return http::JsonResponse(request, {{"Allocs", allocs}, {"Index", result->index}});
}

ServerResponse AllocGetAllocs(Server& server, const ServerRequest& request) {
  json body;
  ServerResponse error;
  if (!ParseBody(request, body, error)) return error;
  JsonReader r(body);
  std::vector<std::string> ids;
  r.Get("AllocIDs", ids);
  if (!r.ok()) return BadRequest(r.error());
  json allocs = json::array();
  store::ReadView view = server.store().Read();
  for (const std::string& text : ids) {
    auto id = model::Id::Parse(text);
    if (!id) return BadRequest("AllocIDs: \"" + text + "\" is not a UUID");
    if (const model::Allocation* a = view->GetAlloc(*id)) {
      allocs.push_back(store::EncodeAllocation(*a, store::EmbedJob::kYes));
    }
  }
  return http::JsonResponse(
      request, {{"Allocs", allocs},
                {"Index", std::max<model::Index>(1, view->TableIndex(model::Table::kAllocs))}});
}

ServerResponse NodeUpdateAlloc(Server& server, const ServerRequest& request) {
  json body;
  ServerResponse error;
  if (!ParseBody(request, body, error)) return error;
  JsonReader r(body);
  NodeAuth auth;
  if (!ReadAuth(r, auth, error)) return error;
  std::vector<AllocClientUpdate> updates;
  for (JsonReader& a : r.Elements("Alloc")) {
    AllocClientUpdate u;
    a.Get("ID", u.id);
    a.GetEnum("ClientStatus", u.client_status, model::ParseClientStatus);
    a.Get("ClientDescription", u.client_description);
    // Reuse the allocation decoder for task states and deployment health.
    if (a.Has("TaskStates") || a.Has("DeploymentStatus")) {
      json partial = json::object();
      if (a.Has("TaskStates")) partial["TaskStates"] = a.Raw("TaskStates");
      if (a.Has("DeploymentStatus")) partial["DeploymentStatus"] = a.Raw("DeploymentStatus");
      auto decoded = store::DecodeAllocation(partial);
      if (!decoded) {
        a.Fail("", llvm::toString(decoded.takeError()));
      } else {
        u.task_states = std::move(decoded->task_states);
        u.deployment_status = decoded->deployment_status;
      }
    }
    if (a.ok() && u.id.IsZero()) a.Fail("ID", "missing allocation ID");
    updates.push_back(std::move(u));
  }
  if (!r.ok()) return BadRequest(r.error());
  if (updates.empty()) return BadRequest("must update at least one allocation");
  auto index = server.UpdateAllocs(auth.node_id, auth.secret, std::move(updates));
  if (!index) return Fail(index.takeError());
  return http::JsonResponse(request, {{"Index", *index}});
}

ServerResponse StatusPing(Server& server, const ServerRequest& request) {
  return http::JsonResponse(
      request, {{"Region", server.config().region}, {"Index", server.store().LatestIndex()}});
}

}  // namespace

void AddRpcRoutes(http::Router& router, Server& server) {
  auto route = [&](std::string_view name, ServerResponse (*fn)(Server&, const ServerRequest&)) {
    router.Add("POST", "/rpc/" + std::string(name),
               [&server, fn](const ServerRequest& r, const RouteParams&) { return fn(server, r); });
  };
  route("Node.Register", NodeRegister);
  route("Node.UpdateStatus", NodeUpdateStatus);
  route("Node.GetClientAllocs", NodeGetClientAllocs);
  route("Node.UpdateAlloc", NodeUpdateAlloc);
  route("Alloc.GetAllocs", AllocGetAllocs);
  route("Status.Ping", StatusPing);
}

}  // namespace drover::server
