// Private to compiler/sema: Consul Connect as the Nomad server sees it at job registration.
//
// A service's `connect` block stays in the IR as Nomad's API JSON (ir::Service::connect); these
// helpers read it. ApplyConnectHook() is the mutating half of Nomad's job-register Connect hook
// (nomad/job_endpoint_hook_connect.go, jobConnectHook.Mutate), which runs after canonicalization
// and before validation: it adds the Envoy sidecar task of each `sidecar_service` and the gateway
// task of each `gateway`, the ports those proxies listen on, the default gateway proxy settings,
// and the task a Connect native service runs in. Validation therefore sees a gateway-only group
// with its gateway task, as Nomad does. The validating half (one network, bridge mode, ...) is in
// validate_services.cpp.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/ir/job.h"

namespace drover::sema::internal {

/// `connect.sidecar_service` is set.
bool HasSidecar(const nlohmann::json& connect);
/// `connect.native = true`.
bool IsNative(const nlohmann::json& connect);
/// `connect.gateway` is set.
bool IsGateway(const nlohmann::json& connect);
/// `connect.gateway.mesh` is set.
bool IsMeshGateway(const nlohmann::json& connect);
/// `connect.gateway.terminating` is set.
bool IsTerminatingGateway(const nlohmann::json& connect);

/// How many of `ingress`, `terminating` and `mesh` a gateway sets (Nomad requires one).
int GatewayKindCount(const nlohmann::json& connect);

/// The task-name and task-kind prefix of a gateway: `connect-mesh`, `connect-ingress` or
/// `connect-terminating` (Nomad's ConsulGateway.Prefix()).
std::string GatewayPrefix(const nlohmann::json& connect);

/// Nomad's Connect hook on one group (see the file comment). Does nothing for a group without a
/// network, as Nomad skips those (validation then reports the missing network). New tasks are
/// passed to `canonicalize_task` (Nomad canonicalizes them, since the hook runs after the job's
/// canonicalization). Idempotent: a task already present for a service (found by its kind) is not
/// added again, nor a port whose label is taken.
void ApplyConnectHook(ir::TaskGroup& group,
                      const std::function<void(ir::Task&)>& canonicalize_task);

}  // namespace drover::sema::internal
