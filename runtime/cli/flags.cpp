#include "runtime/cli/flags.h"

#include <charconv>
#include <ostream>

namespace drover::cli {

FlagSet::FlagSet(std::string usage, std::string description)
    : usage_(std::move(usage)), description_(std::move(description)) {}

void FlagSet::Bool(const std::string& name, bool* target, std::string help) {
  flags_.push_back({name, Kind::kBool, target, std::move(help)});
}
void FlagSet::String(const std::string& name, std::string* target, std::string help) {
  flags_.push_back({name, Kind::kString, target, std::move(help)});
}
void FlagSet::Int(const std::string& name, int64_t* target, std::string help) {
  flags_.push_back({name, Kind::kInt, target, std::move(help)});
}
void FlagSet::StringList(const std::string& name, std::vector<std::string>* target,
                         std::string help) {
  flags_.push_back({name, Kind::kList, target, std::move(help)});
}

const FlagSet::Flag* FlagSet::Find(const std::string& name) const {
  for (const Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool FlagSet::Set(const Flag& f, const std::string& value, std::ostream& err) {
  switch (f.kind) {
    case Kind::kBool:
      if (value == "true" || value == "1" || value == "t" || value == "TRUE" || value == "True") {
        *static_cast<bool*>(f.target) = true;
      } else if (value == "false" || value == "0" || value == "f" || value == "FALSE" ||
                 value == "False") {
        *static_cast<bool*>(f.target) = false;
      } else {
        err << "invalid boolean value \"" << value << "\" for -" << f.name << "\n";
        return false;
      }
      return true;
    case Kind::kString:
      *static_cast<std::string*>(f.target) = value;
      return true;
    case Kind::kInt: {
      int64_t v;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || p != value.data() + value.size()) {
        err << "invalid value \"" << value << "\" for -" << f.name << ": not an integer\n";
        return false;
      }
      *static_cast<int64_t*>(f.target) = v;
      return true;
    }
    case Kind::kList:
      static_cast<std::vector<std::string>*>(f.target)->push_back(value);
      return true;
  }
  return false;
}

bool FlagSet::Parse(std::span<const std::string> args, std::ostream& err) {
  args_.clear();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      args_.insert(args_.end(), args.begin() + i + 1, args.end());
      return true;
    }
    if (a.size() < 2 || a[0] != '-') {
      args_.push_back(a);
      continue;
    }
    std::string body = a.substr(a[1] == '-' ? 2 : 1);
    std::string name = body;
    std::string value;
    bool has_value = false;
    if (size_t eq = body.find('='); eq != std::string::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
      has_value = true;
    }
    if (name == "h" || name == "help") {
      help_ = true;
      PrintUsage(err);
      return false;
    }
    const Flag* f = Find(name);
    if (f == nullptr) {
      err << "flag provided but not defined: -" << name << "\n";
      PrintUsage(err);
      return false;
    }
    if (f->kind == Kind::kBool) {
      if (!Set(*f, has_value ? value : "true", err)) return false;
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        err << "flag needs an argument: -" << name << "\n";
        PrintUsage(err);
        return false;
      }
      value = args[++i];
    }
    if (!Set(*f, value, err)) return false;
  }
  return true;
}

void FlagSet::PrintUsage(std::ostream& os) const {
  os << "Usage: " << usage_ << "\n";
  if (!description_.empty()) os << "\n" << description_ << "\n";
  if (flags_.empty()) return;
  os << "\nOptions:\n";
  for (const Flag& f : flags_) {
    os << "\n  -" << f.name;
    if (f.kind == Kind::kString || f.kind == Kind::kList) os << " <value>";
    if (f.kind == Kind::kInt) os << " <n>";
    os << "\n    " << f.help << "\n";
  }
}

}  // namespace drover::cli
