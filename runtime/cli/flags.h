// Command-line flags in the style of Go's flag package, which Nomad's CLI uses: `-name`,
// `--name`, `-name=value`, `-name value`, booleans as `-name` or `-name=false`, repeatable list
// flags (`-var a=1 -var b=2`), `--` ends the flags and `-` alone is an argument (stdin). Flags
// may also follow arguments.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <vector>

namespace drover::cli {

class FlagSet {
 public:
  /// `usage` is the first line of the command's help, e.g. "drover parse [options] FILE...".
  explicit FlagSet(std::string usage, std::string description = "");

  void Bool(const std::string& name, bool* target, std::string help);
  void String(const std::string& name, std::string* target, std::string help);
  void Int(const std::string& name, int64_t* target, std::string help);
  void StringList(const std::string& name, std::vector<std::string>* target, std::string help);

  /// Parses `args`. On a bad flag prints the error and the usage to `err` and returns false;
  /// on -h/-help prints the usage to `err`, sets help_requested() and returns false.
  bool Parse(std::span<const std::string> args, std::ostream& err);
  const std::vector<std::string>& args() const { return args_; }
  bool help_requested() const { return help_; }
  void PrintUsage(std::ostream& os) const;
  /// The exit code for a Parse() failure: 0 after -help, 1 otherwise.
  int FailureExitCode() const { return help_ ? 0 : 1; }

 private:
  enum class Kind { kBool, kString, kInt, kList };
  struct Flag {
    std::string name;
    Kind kind;
    void* target;
    std::string help;
  };
  const Flag* Find(const std::string& name) const;
  bool Set(const Flag& f, const std::string& value, std::ostream& err);

  std::string usage_;
  std::string description_;
  std::vector<Flag> flags_;
  std::vector<std::string> args_;
  bool help_ = false;
};

}  // namespace drover::cli
