#include "runtime/store/json_read.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "compiler/base/time.h"

namespace drover::store {
namespace {

const json kNull;

// 0001-01-01T00:00:00Z, Go's zero time.Time, which stands for "not set" (0 in the model).
constexpr int64_t kGoZeroTime = -62'135'596'800;

}  // namespace

std::string FormatTime(model::Time unix_nanos) {
  if (unix_nanos == 0) return "0001-01-01T00:00:00Z";
  return base::FormatRfc3339(base::Rfc3339FromUnixNanos(unix_nanos));
}

std::optional<model::Time> ParseTime(std::string_view s) {
  std::optional<base::Rfc3339Time> t = base::ParseRfc3339(s);
  if (!t) return std::nullopt;
  // Go's zero time as written (a leap second just before it, `0000-12-31T23:59:60Z`, is not it).
  if (t->unix_seconds == kGoZeroTime && t->nanos == 0 && t->offset_seconds == 0 &&
      s.starts_with("0001")) {
    return 0;
  }
  return base::UnixNanos(*t);  // nothing outside int64 nanoseconds (years 1678..2261)
}

std::string_view JsonTypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "bool";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number";
    default:
      return "value";
  }
}

// ---- JsonReader --------------------------------------------------------------------------------

JsonReader::JsonReader(const json& value, std::string path)
    : JsonReader(value, std::move(path), std::make_shared<std::string>()) {}

JsonReader::JsonReader(const json& value, std::string path, std::shared_ptr<std::string> error)
    : value_(&value), path_(std::move(path)), error_(std::move(error)) {}

llvm::Error JsonReader::TakeError() const {
  if (ok()) return llvm::Error::success();
  return llvm::createStringError(std::errc::invalid_argument, "%s", error_->c_str());
}

std::string JsonReader::PathOf(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (key.empty()) return path_;
  if (key.front() == '[') return path_ + std::string(key);
  return path_ + "." + std::string(key);
}

void JsonReader::Fail(std::string_view key, std::string_view message) {
  if (!error_->empty()) return;
  std::string where = PathOf(key);
  *error_ = where.empty() ? std::string(message) : where + ": " + std::string(message);
}

JsonReader& JsonReader::RequireObject(bool allow_null) {
  if (value_->is_object() || (allow_null && value_->is_null())) return *this;
  Fail("", "expected an object, got " + std::string(JsonTypeName(*value_)));
  return *this;
}

const json* JsonReader::Field(std::string_view key) const {
  if (!value_->is_object()) return nullptr;
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonReader::Has(std::string_view key) const {
  return value_->is_object() && value_->find(key) != value_->end();
}

const json& JsonReader::Raw(std::string_view key) const {
  if (!value_->is_object()) return kNull;
  auto it = value_->find(key);
  return it == value_->end() ? kNull : *it;
}

JsonReader& JsonReader::Get(std::string_view key, std::string& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  if (!v->is_string()) {
    Fail(key, "expected a string, got " + std::string(JsonTypeName(*v)));
    return *this;
  }
  out = v->get_ref<const std::string&>();
  return *this;
}

JsonReader& JsonReader::Get(std::string_view key, bool& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  if (!v->is_boolean()) {
    Fail(key, "expected a bool, got " + std::string(JsonTypeName(*v)));
    return *this;
  }
  out = v->get<bool>();
  return *this;
}

JsonReader& JsonReader::Get(std::string_view key, std::optional<bool>& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  bool b = false;
  Get(key, b);
  if (ok()) out = b;
  return *this;
}

template <typename T>
JsonReader& JsonReader::GetInteger(std::string_view key, T& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
      Fail(key, "number " + std::to_string(u) + " is out of range");
      return *this;
    }
    out = static_cast<T>(u);
  } else if (v->is_number_integer()) {
    int64_t i = v->get<int64_t>();
    if ((std::is_unsigned_v<T> && i < 0) ||
        (!std::is_unsigned_v<T> && (i < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
                                    i > static_cast<int64_t>(std::numeric_limits<T>::max())))) {
      Fail(key, "number " + std::to_string(i) + " is out of range");
      return *this;
    }
    out = static_cast<T>(i);
  } else if (v->is_number_float()) {
    double d = v->get<double>();
    if (!std::isfinite(d) || std::floor(d) != d ||
        d < static_cast<double>(std::numeric_limits<T>::min()) ||
        d > static_cast<double>(std::numeric_limits<T>::max())) {
      Fail(key, "expected an integer, got " + v->dump());
      return *this;
    }
    out = static_cast<T>(d);
  } else {
    Fail(key, "expected an integer, got " + std::string(JsonTypeName(*v)));
  }
  return *this;
}

JsonReader& JsonReader::Get(std::string_view key, int& out) { return GetInteger(key, out); }
JsonReader& JsonReader::Get(std::string_view key, uint32_t& out) { return GetInteger(key, out); }
JsonReader& JsonReader::Get(std::string_view key, int64_t& out) { return GetInteger(key, out); }
JsonReader& JsonReader::Get(std::string_view key, uint64_t& out) { return GetInteger(key, out); }

JsonReader& JsonReader::Get(std::string_view key, double& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  if (!v->is_number()) {
    Fail(key, "expected a number, got " + std::string(JsonTypeName(*v)));
    return *this;
  }
  out = v->get<double>();
  return *this;
}

JsonReader& JsonReader::Get(std::string_view key, model::Id& out) {
  std::string text;
  Get(key, text);
  if (!ok() || Field(key) == nullptr) return *this;
  if (auto id = model::Id::Parse(text)) {
    out = *id;
  } else {
    Fail(key, "\"" + text + "\" is not a UUID");
  }
  return *this;
}

JsonReader& JsonReader::Get(std::string_view key, std::map<std::string, std::string>& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  if (!v->is_object()) {
    Fail(key, "expected an object of strings, got " + std::string(JsonTypeName(*v)));
    return *this;
  }
  std::map<std::string, std::string> result;
  for (auto it = v->begin(); it != v->end(); ++it) {
    if (!it.value().is_string()) {
      Fail(std::string(key) + "." + it.key(),
           "expected a string, got " + std::string(JsonTypeName(it.value())));
      return *this;
    }
    result[it.key()] = it.value().get<std::string>();
  }
  out = std::move(result);
  return *this;
}

JsonReader& JsonReader::Get(std::string_view key, std::map<std::string, int>& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  if (!v->is_object()) {
    Fail(key, "expected an object of numbers, got " + std::string(JsonTypeName(*v)));
    return *this;
  }
  std::map<std::string, int> result;
  JsonReader inner(*v, PathOf(key), error_);
  for (auto it = v->begin(); it != v->end(); ++it) {
    int n = 0;
    inner.Get(it.key(), n);
    if (!ok()) return *this;
    result[it.key()] = n;
  }
  out = std::move(result);
  return *this;
}

JsonReader& JsonReader::Get(std::string_view key, std::map<std::string, bool>& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  if (!v->is_object()) {
    Fail(key, "expected an object of bools, got " + std::string(JsonTypeName(*v)));
    return *this;
  }
  std::map<std::string, bool> result;
  JsonReader inner(*v, PathOf(key), error_);
  for (auto it = v->begin(); it != v->end(); ++it) {
    bool b = false;
    inner.Get(it.key(), b);
    if (!ok()) return *this;
    result[it.key()] = b;
  }
  out = std::move(result);
  return *this;
}

JsonReader& JsonReader::Get(std::string_view key, std::vector<std::string>& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  if (!v->is_array()) {
    Fail(key, "expected an array of strings, got " + std::string(JsonTypeName(*v)));
    return *this;
  }
  std::vector<std::string> result;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      Fail(std::string(key) + "[" + std::to_string(i) + "]",
           "expected a string, got " + std::string(JsonTypeName((*v)[i])));
      return *this;
    }
    result.push_back((*v)[i].get<std::string>());
  }
  out = std::move(result);
  return *this;
}

JsonReader& JsonReader::GetDuration(std::string_view key, model::Duration& out) {
  int64_t ns = out.count();
  Get(key, ns);
  out = model::Duration(ns);
  return *this;
}

JsonReader& JsonReader::GetTime(std::string_view key, model::Time& out) {
  const json* v = Field(key);
  if (v == nullptr) return *this;
  if (!v->is_string()) {
    Fail(key, "expected an RFC 3339 time string, got " + std::string(JsonTypeName(*v)));
    return *this;
  }
  if (auto t = ParseTime(v->get_ref<const std::string&>())) {
    out = *t;
  } else {
    Fail(key, "\"" + v->get<std::string>() + "\" is not an RFC 3339 time");
  }
  return *this;
}

JsonReader JsonReader::Child(std::string_view key) const {
  const json* v = Field(key);
  JsonReader child(v == nullptr ? kNull : *v, PathOf(key), error_);
  if (v != nullptr && !v->is_object()) {
    child.Fail("", "expected an object, got " + std::string(JsonTypeName(*v)));
  }
  return child;
}

std::vector<JsonReader> JsonReader::Elements(std::string_view key) {
  std::vector<JsonReader> out;
  const json* v = Field(key);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    Fail(key, "expected an array, got " + std::string(JsonTypeName(*v)));
    return out;
  }
  for (size_t i = 0; i < v->size(); ++i) {
    JsonReader element((*v)[i], PathOf(key) + "[" + std::to_string(i) + "]", error_);
    element.RequireObject();
    out.push_back(std::move(element));
  }
  return out;
}

std::vector<std::pair<std::string, JsonReader>> JsonReader::Members(std::string_view key) {
  std::vector<std::pair<std::string, JsonReader>> out;
  const json* v = Field(key);
  if (v == nullptr) return out;
  if (!v->is_object()) {
    Fail(key, "expected an object, got " + std::string(JsonTypeName(*v)));
    return out;
  }
  for (auto it = v->begin(); it != v->end(); ++it) {
    JsonReader member(it.value(), PathOf(key) + "." + it.key(), error_);
    member.RequireObject(/*allow_null=*/true);
    out.emplace_back(it.key(), std::move(member));
  }
  return out;
}

}  // namespace drover::store
