#include "runtime/client/fingerprint.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <thread>

#include <fmt/format.h>

namespace drover::client {
namespace {

llvm::Error Fail(std::string message) {
  return llvm::createStringError(std::errc::invalid_argument, "%s", message.c_str());
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\"");
  size_t e = s.find_last_not_of(" \t\"\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

void FingerprintCpu(model::Node& n, const ir::ClientConfig* cfg) {
  int cores = 0;
  double mhz = 0;
  std::string model;
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = Trim(line.substr(0, colon));
    std::string value = Trim(line.substr(colon + 1));
    if (key == "processor") ++cores;
    if (key == "cpu MHz" && mhz == 0) mhz = std::atof(value.c_str());
    if (key == "model name" && model.empty()) model = value;
  }
  if (cores == 0) cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (mhz <= 0) mhz = 1000;
  int total = static_cast<int>(cores * mhz);
  if (cfg && cfg->cpu_total_compute && *cfg->cpu_total_compute > 0) total = *cfg->cpu_total_compute;
  n.resources.cpu_cores = cores;
  n.resources.cpu_mhz = total;
  n.attributes["cpu.numcores"] = std::to_string(cores);
  n.attributes["cpu.frequency"] = std::to_string(static_cast<int>(mhz));
  n.attributes["cpu.totalcompute"] = std::to_string(total);
  if (!model.empty()) n.attributes["cpu.modelname"] = model;
}

void FingerprintMemory(model::Node& n, const ir::ClientConfig* cfg) {
  std::ifstream in("/proc/meminfo");
  std::string key, unit;
  long long kb = 0;
  n.resources.memory_mb = 1024;
  while (in >> key >> kb >> unit) {
    if (key == "MemTotal:") {
      n.resources.memory_mb = static_cast<int>(kb / 1024);
      n.attributes["memory.totalbytes"] = std::to_string(kb * 1024);
      break;
    }
  }
  if (cfg && cfg->memory_total_mb && *cfg->memory_total_mb > 0) {
    n.resources.memory_mb = *cfg->memory_total_mb;
    n.attributes["memory.totalbytes"] = std::to_string(int64_t{*cfg->memory_total_mb} << 20);
  }
}

void FingerprintDisk(model::Node& n, const std::string& dir) {
  struct statvfs st {};
  n.resources.disk_mb = 1024;
  if (dir.empty() || ::statvfs(dir.c_str(), &st) != 0) return;
  uint64_t free_bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  uint64_t total_bytes = static_cast<uint64_t>(st.f_blocks) * st.f_frsize;
  n.resources.disk_mb = static_cast<int>(free_bytes >> 20);
  n.attributes["unique.storage.volume"] = dir;
  n.attributes["unique.storage.bytesfree"] = std::to_string(free_bytes);
  n.attributes["unique.storage.bytestotal"] = std::to_string(total_bytes);
}

void FingerprintOs(model::Node& n) {
  struct utsname u {};
  if (::uname(&u) == 0) {
    std::string sys = u.sysname;
    n.attributes["kernel.name"] = sys == "Linux" ? "linux" : sys;
    n.attributes["kernel.version"] = u.release;
    std::string arch = u.machine;
    n.attributes["cpu.arch"] = arch == "x86_64" ? "amd64" : arch == "aarch64" ? "arm64" : arch;
    n.attributes["unique.hostname"] = u.nodename;
  }
  std::ifstream in("/etc/os-release");
  std::string line;
  n.attributes["os.name"] = "linux";
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = Trim(line.substr(eq + 1));
    if (key == "ID") n.attributes["os.name"] = value;
    if (key == "VERSION_ID") n.attributes["os.version"] = value;
  }
}

std::string HostOnly(const std::string& addr) {
  if (addr.starts_with("[")) {
    size_t close = addr.find(']');
    return close == std::string::npos ? addr : addr.substr(1, close - 1);
  }
  size_t colon = addr.find(':');
  if (colon != std::string::npos && addr.find(':', colon + 1) == std::string::npos) {
    return addr.substr(0, colon);
  }
  return addr;
}

bool IsWildcard(const std::string& ip) { return ip.empty() || ip == "0.0.0.0" || ip == "::"; }

}  // namespace

llvm::Expected<std::string> InterfaceAddress(const std::string& name) {
  struct ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return Fail("cannot list network interfaces");
  std::string found;
  bool exists = false;
  for (struct ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_name == nullptr || name != a->ifa_name) continue;
    exists = true;
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    char buf[INET_ADDRSTRLEN] = {};
    auto* sin = reinterpret_cast<struct sockaddr_in*>(a->ifa_addr);
    if (::inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf) != nullptr) {
      found = buf;
      break;
    }
  }
  ::freeifaddrs(list);
  if (!exists) return Fail(fmt::format("network_interface `{}` does not exist", name));
  if (found.empty()) return Fail(fmt::format("network_interface `{}` has no IPv4 address", name));
  return found;
}

llvm::Expected<std::string> NodeAddress(const NodeSettings& settings) {
  const ir::AgentConfig& c = settings.config;
  if (!c.advertise.http.empty()) {
    std::string host = HostOnly(c.advertise.http);
    if (!IsWildcard(host)) return host;
  }
  if (c.client && !c.client->network_interface.empty()) {
    return InterfaceAddress(c.client->network_interface);
  }
  if (!IsWildcard(settings.bind_addr)) return settings.bind_addr;
  return std::string("127.0.0.1");
}

llvm::Expected<std::vector<int>> ParsePortList(const std::string& text) {
  std::vector<int> ports;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    std::string part =
        Trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    start = comma == std::string::npos ? text.size() : comma + 1;
    if (part.empty()) continue;
    int lo = 0, hi = 0;
    size_t dash = part.find('-');
    auto parse = [&](std::string_view s, int& out) {
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      return ec == std::errc() && p == s.data() + s.size() && out >= 0 && out <= 65535;
    };
    if (dash == std::string::npos) {
      if (!parse(part, lo)) return Fail(fmt::format("invalid port `{}` in `{}`", part, text));
      hi = lo;
    } else if (!parse(std::string_view(part).substr(0, dash), lo) ||
               !parse(std::string_view(part).substr(dash + 1), hi) || hi < lo) {
      return Fail(fmt::format("invalid port range `{}` in `{}`", part, text));
    }
    for (int p = lo; p <= hi; ++p) ports.push_back(p);
  }
  return ports;
}

llvm::Expected<model::Node> FingerprintHost(const NodeSettings& settings) {
  const ir::ClientConfig* cfg = settings.config.client ? &*settings.config.client : nullptr;
  auto address = NodeAddress(settings);
  if (!address) return address.takeError();
  model::Node n;
  n.name = settings.name;
  n.datacenter = settings.datacenter;
  n.node_class = settings.node_class;
  n.node_pool = settings.node_pool.empty() ? "default" : settings.node_pool;
  n.meta = settings.meta;
  n.http_addr = settings.http_addr;
  FingerprintOs(n);
  FingerprintCpu(n, cfg);
  FingerprintMemory(n, cfg);
  FingerprintDisk(n, settings.data_dir);
  n.attributes["unique.network.ip-address"] = *address;
  n.attributes["nomad.version"] = settings.version;
  n.attributes["drover.version"] = settings.version;
  std::string device = cfg ? cfg->network_interface : "";
  if (device.empty() && address->starts_with("127.")) device = "lo";
  int speed = cfg && cfg->network_speed ? *cfg->network_speed : 1000;
  // Alias "default": the host network ports ask for unless they name another.
  n.resources.networks.push_back({"host", device, *address + "/32", *address, "default", speed});
  if (cfg) {
    if (cfg->min_dynamic_port) n.resources.min_dynamic_port = *cfg->min_dynamic_port;
    if (cfg->max_dynamic_port) n.resources.max_dynamic_port = *cfg->max_dynamic_port;
    if (cfg->reserved) {
      n.reserved.cpu_mhz = cfg->reserved->cpu.value_or(0);
      n.reserved.memory_mb = cfg->reserved->memory_mb.value_or(0);
      n.reserved.disk_mb = cfg->reserved->disk_mb.value_or(0);
      auto ports = ParsePortList(cfg->reserved->reserved_ports);
      if (!ports) return ports.takeError();
      n.reserved.ports = std::move(*ports);
    }
  }
  n.status = model::NodeStatus::kReady;
  return n;
}

}  // namespace drover::client
