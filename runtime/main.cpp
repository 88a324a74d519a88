// drover: one binary for the CLI, the server and client agents, the registry and the proxy.
// Everything lives in the libraries; this only hands the arguments to runtime/cli.
#include <iostream>

#include "runtime/cli/command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  drover::cli::Io io{std::cin, std::cout, std::cerr};
  return drover::cli::RunCommandLine(args, io);
}
