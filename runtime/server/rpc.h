// drover's client RPC: how client agents talk to servers, on the RPC port (default 4647), as
// HTTP/1.1 + JSON. Every call is `POST /rpc/<Endpoint>` with a JSON object; answers are JSON
// objects, errors a status code (400/403/404) with a plain-text message. The protocol is
// documented in runtime/server/README.md; JSON shapes of nodes and allocations are Nomad's API
// shapes (runtime/store/model_json.h).
#pragma once

#include "runtime/http/router.h"
#include "runtime/server/server.h"

namespace drover::server {

/// Adds the /rpc/... routes to `router`. `server` must outlive the router.
void AddRpcRoutes(http::Router& router, Server& server);

/// The longest a Node.GetClientAllocs long-poll may wait (longer requests are capped).
inline constexpr std::chrono::milliseconds kMaxRpcWait{5 * 60 * 1000};

}  // namespace drover::server
