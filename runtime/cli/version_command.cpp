#include <ostream>

#include "drover_version.h"
#include "runtime/cli/command.h"

namespace drover::cli {

int RunVersion(std::span<const std::string>, Io& io) {
  io.out << "drover v" << DROVER_VERSION << " (" << DROVER_GIT_SHA << ")\n";
  return 0;
}

}  // namespace drover::cli
