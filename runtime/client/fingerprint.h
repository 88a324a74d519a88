// What the client tells the servers about its node: CPU (cores and total MHz from /proc/cpuinfo),
// memory (/proc/meminfo), the free disk of the data dir, kernel/OS attributes (`kernel.name`,
// `kernel.version`, `os.name`, `os.version`, `cpu.arch`, `unique.hostname`,
// `unique.network.ip-address`), the node's address and network, the reservations and dynamic port
// range of the `client` block, and the drivers (detected, healthy, their attributes; a healthy
// driver also sets `driver.<name> = "1"`, which constraints use).
//
// The node address is, in order: `advertise { http }` (without port), the IPv4 address of
// `client { network_interface }`, `bind_addr` unless it is a wildcard, 127.0.0.1. Ports are
// allocated on it, and docker publishes `<address>:<port>`.
#pragma once

#include <map>
#include <string>

#include <llvm/Support/Error.h>

#include "compiler/ir/agent_config.h"
#include "reconciler/model/types.h"

namespace drover::client {

struct NodeSettings {
  std::string name;
  std::string datacenter = "dc1";
  std::string region = "global";
  std::string node_class;
  std::string node_pool = "default";
  std::map<std::string, std::string> meta;
  std::string bind_addr = "127.0.0.1";
  std::string data_dir;   ///< for the disk fingerprint
  std::string http_addr;  ///< this agent's HTTP API, "ip:port"
  std::string version = "0.1.0";
  ir::AgentConfig config;  ///< advertise, client { network_interface, reserved, ... }
};

/// The IPv4 address of interface `name` ("lo", "eth0"), or an error naming what is missing.
llvm::Expected<std::string> InterfaceAddress(const std::string& name);

/// The node address (see the file comment).
llvm::Expected<std::string> NodeAddress(const NodeSettings& settings);

/// Fingerprints the host into a node (without id, secret and drivers). Fails only when
/// `network_interface` names an interface without an IPv4 address.
llvm::Expected<model::Node> FingerprintHost(const NodeSettings& settings);

/// Parses "22,80,8000-8100" into ports; an error for anything else.
llvm::Expected<std::vector<int>> ParsePortList(const std::string& text);

}  // namespace drover::client
