// `drover executor <spec.json>`: the per-task executor process of the exec and raw_exec drivers
// (runtime/drivers/executor). Hidden from `drover -h`; the drivers start it, never a person.
#include "runtime/cli/command.h"
#include "runtime/drivers/executor/executor_spec.h"

namespace drover::cli {

int RunExecutorCommand(std::span<const std::string> args, Io&) {
  return drivers::RunExecutor(std::vector<std::string>(args.begin(), args.end()));
}

}  // namespace drover::cli
