#include "runtime/cli/api_json.h"

#include <cmath>

namespace drover::cli {

const nlohmann::json& Field(const nlohmann::json& j, std::string_view key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string Str(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json& v = Field(j, key);
  return v.is_string() ? v.get<std::string>() : "";
}

int64_t Int(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json& v = Field(j, key);
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) return static_cast<int64_t>(v.get<double>());
  return 0;
}

uint64_t Uint(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json& v = Field(j, key);
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) return static_cast<uint64_t>(std::max<int64_t>(0, v.get<int64_t>()));
  if (v.is_number_float()) return static_cast<uint64_t>(std::max(0.0, v.get<double>()));
  return 0;
}

double Float(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json& v = Field(j, key);
  return v.is_number() ? v.get<double>() : 0.0;
}

bool Bool(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json& v = Field(j, key);
  return v.is_boolean() && v.get<bool>();
}

std::vector<nlohmann::json> Items(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json& v = Field(j, key);
  if (!v.is_array()) return {};
  return std::vector<nlohmann::json>(v.begin(), v.end());
}

std::vector<std::string> Keys(const nlohmann::json& object) {
  std::vector<std::string> out;
  if (!object.is_object()) return out;
  for (auto it = object.begin(); it != object.end(); ++it) out.push_back(it.key());
  return out;  // nlohmann::json objects iterate in key order
}

std::vector<std::string> Keys(const nlohmann::json& j, std::string_view key) {
  return Keys(Field(j, key));
}

std::string Scalar(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
    return v.dump();
  }
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace drover::cli
