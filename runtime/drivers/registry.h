// The drivers a client agent can use, by name. Explicit: RegisterBuiltinDrivers() adds docker,
// exec and raw_exec; nothing registers itself from a static constructor.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/drivers/driver.h"

namespace drover::drivers {

class DriverRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Driver>(const DriverContext&)>;

  /// REQUIRES: `name` is not registered yet.
  void Register(std::string name, Factory factory);
  bool Has(std::string_view name) const;
  /// Registered names, sorted.
  std::vector<std::string> Names() const;

  /// A new driver `name` with its plugin config applied (an empty object: the defaults). Errors
  /// name an unknown driver (with a suggestion) or a bad plugin option.
  llvm::Expected<std::unique_ptr<Driver>> Create(
      std::string_view name, const DriverContext& context,
      const nlohmann::json& plugin_config = nlohmann::json::object()) const;

 private:
  std::map<std::string, Factory, std::less<>> factories_;
};

/// Adds `docker`, `exec` and `raw_exec`.
void RegisterBuiltinDrivers(DriverRegistry& registry);

}  // namespace drover::drivers
