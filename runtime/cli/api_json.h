// Reading API JSON the way Nomad's Go client decodes it into structs: a missing or null field is
// the zero value ("" / 0 / false / empty), never an error. Each helper accepts any JSON value, so
// that a half-implemented endpoint degrades to empty cells instead of a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace drover::cli {

/// `j[key]`, or a null value when `j` is not an object or has no such key.
const nlohmann::json& Field(const nlohmann::json& j, std::string_view key);

std::string Str(const nlohmann::json& j, std::string_view key);
int64_t Int(const nlohmann::json& j, std::string_view key);
uint64_t Uint(const nlohmann::json& j, std::string_view key);
double Float(const nlohmann::json& j, std::string_view key);
bool Bool(const nlohmann::json& j, std::string_view key);

/// The elements of an array field (empty for anything else).
std::vector<nlohmann::json> Items(const nlohmann::json& j, std::string_view key);
/// The keys of an object field, sorted (empty for anything else).
std::vector<std::string> Keys(const nlohmann::json& j, std::string_view key);
std::vector<std::string> Keys(const nlohmann::json& object);

/// A Go-style `%v` of a scalar: strings as is, numbers, `true`/`false`, "" for null.
std::string Scalar(const nlohmann::json& v);

}  // namespace drover::cli
