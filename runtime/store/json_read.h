// Reading typed values out of untrusted JSON without exceptions: the store decodes what it wrote
// (which a damaged disk may have changed) and the API decodes what clients send. A JsonReader
// walks one object; every accessor checks the type, leaves the output untouched when the field is
// absent or null (Go's zero value), and remembers the first mismatch with its JSON path
// ("Job.TaskGroups[0].Count: expected an integer, got string").
//
// Also the RFC 3339 time format Nomad's API uses for time.Time fields.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include "reconciler/model/id.h"
#include "reconciler/model/types.h"

namespace drover::store {

using nlohmann::json;

/// Unix nanoseconds as Go's RFC3339Nano ("2024-09-09T20:41:53.123456789Z", trailing zeros of the
/// fraction dropped). 0 is Go's zero time, "0001-01-01T00:00:00Z".
std::string FormatTime(model::Time unix_nanos);
/// Parses RFC 3339 (fraction optional, "Z" or "+hh:mm"); Go's zero time parses to 0.
std::optional<model::Time> ParseTime(std::string_view text);

/// The JSON type name for messages: "string", "number", "object", ...
std::string_view JsonTypeName(const json& value);

class JsonReader {
 public:
  /// Reads `value`, which should be an object; `path` prefixes error messages ("Job").
  explicit JsonReader(const json& value, std::string path = "");

  /// False once any accessor failed (or the value was not an object: see RequireObject()).
  bool ok() const { return error_->empty(); }
  const std::string& error() const { return *error_; }
  /// The first error as an llvm::Error (success when ok()).
  llvm::Error TakeError() const;
  /// Records an error at `key` (used by callers for checks of their own).
  void Fail(std::string_view key, std::string_view message);
  /// Fails unless the value is an object; a null value passes when `allow_null`.
  JsonReader& RequireObject(bool allow_null = false);

  bool Has(std::string_view key) const;
  /// The raw value at `key` (null when absent).
  const json& Raw(std::string_view key) const;
  const std::string& path() const { return path_; }

  JsonReader& Get(std::string_view key, std::string& out);
  JsonReader& Get(std::string_view key, bool& out);
  JsonReader& Get(std::string_view key, int& out);
  JsonReader& Get(std::string_view key, uint32_t& out);
  JsonReader& Get(std::string_view key, int64_t& out);
  JsonReader& Get(std::string_view key, uint64_t& out);
  JsonReader& Get(std::string_view key, double& out);
  JsonReader& Get(std::string_view key, model::Id& out);
  JsonReader& Get(std::string_view key, std::map<std::string, std::string>& out);
  JsonReader& Get(std::string_view key, std::map<std::string, int>& out);
  JsonReader& Get(std::string_view key, std::map<std::string, bool>& out);
  JsonReader& Get(std::string_view key, std::vector<std::string>& out);
  JsonReader& Get(std::string_view key, std::optional<bool>& out);
  /// Integer nanoseconds (Nomad's time.Duration).
  JsonReader& GetDuration(std::string_view key, model::Duration& out);
  /// An RFC 3339 string (Nomad's time.Time) into unix nanoseconds.
  JsonReader& GetTime(std::string_view key, model::Time& out);
  /// One of `spellings`, turned into an enum by `parse`.
  template <typename Enum, typename ParseFn>
  JsonReader& GetEnum(std::string_view key, Enum& out, ParseFn parse) {
    std::string text;
    Get(key, text);
    if (!Has(key) || Raw(key).is_null() || !ok()) return *this;
    if (auto v = parse(text)) {
      out = *v;
    } else {
      Fail(key, "unknown value \"" + text + "\"");
    }
    return *this;
  }

  /// A reader for the object at `key` sharing this reader's error (null when absent).
  JsonReader Child(std::string_view key) const;
  /// The array at `key` (empty when absent or null; an error when not an array).
  std::vector<JsonReader> Elements(std::string_view key);
  /// The object at `key` as (name, reader) pairs (empty when absent or null).
  std::vector<std::pair<std::string, JsonReader>> Members(std::string_view key);

 private:
  JsonReader(const json& value, std::string path, std::shared_ptr<std::string> error);
  std::string PathOf(std::string_view key) const;
  /// The value at `key` when present and not null; otherwise null.
  const json* Field(std::string_view key) const;
  template <typename T>
  JsonReader& GetInteger(std::string_view key, T& out);

  const json* value_;
  std::string path_;
  std::shared_ptr<std::string> error_;
};

}  // namespace drover::store
