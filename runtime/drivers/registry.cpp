#include "runtime/drivers/registry.h"

#include <fmt/format.h>

#include "compiler/base/check.h"
#include "compiler/base/strings.h"
#include "runtime/drivers/docker/docker_driver.h"
#include "runtime/drivers/exec/exec_driver.h"
#include "runtime/drivers/raw_exec/raw_exec_driver.h"

namespace drover::drivers {

void DriverRegistry::Register(std::string name, Factory factory) {
  DROVER_CHECK(!factories_.count(name), "driver registered twice");
  factories_.emplace(std::move(name), std::move(factory));
}

bool DriverRegistry::Has(std::string_view name) const { return factories_.count(name) > 0; }

std::vector<std::string> DriverRegistry::Names() const {
  std::vector<std::string> out;
  for (const auto& [name, f] : factories_) out.push_back(name);
  return out;
}

llvm::Expected<std::unique_ptr<Driver>> DriverRegistry::Create(
    std::string_view name, const DriverContext& context,
    const nlohmann::json& plugin_config) const {
  auto it = factories_.find(name);
  if (it == factories_.end()) {
    std::vector<std::string> names = Names();
    std::vector<std::string_view> views(names.begin(), names.end());
    std::optional<std::string> hint = base::Suggest(name, views);
    return MakeDriverError(fmt::format("unknown driver `{}`{}", name,
                                       hint ? fmt::format("; did you mean `{}`?", *hint) : ""));
  }
  std::unique_ptr<Driver> driver = it->second(context);
  if (llvm::Error e = driver->SetConfig(plugin_config)) return e;
  return driver;
}

void RegisterBuiltinDrivers(DriverRegistry& registry) {
  registry.Register("docker",
                    [](const DriverContext& c) { return std::make_unique<DockerDriver>(c); });
  registry.Register("exec", [](const DriverContext& c) { return std::make_unique<ExecDriver>(c); });
  registry.Register("raw_exec",
                    [](const DriverContext& c) { return std::make_unique<RawExecDriver>(c); });
}

}  // namespace drover::drivers
