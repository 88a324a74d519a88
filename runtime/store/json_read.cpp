#include "runtime/store/json_read.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace drover::store {
namespace {

const json kNull;

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool ParseDigits(std::string_view s, size_t pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::string FormatTime(model::Time unix_nanos) {
  if (unix_nanos == 0) return "0001-01-01T00:00:00Z";
  int64_t secs = unix_nanos / 1'000'000'000;
  int64_t nanos = unix_nanos % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    secs -= 1;
  }
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, rem / 3600,
                                (rem / 60) % 60, rem % 60);
  if (nanos != 0) {
    std::string frac = fmt::format("{:09}", nanos);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + "Z";
}

std::optional<model::Time> ParseTime(std::string_view s) {
  int64_t y, mo, d, h, mi, se;
  if (s.size() < 20 || !ParseDigits(s, 0, 4, y) || s[4] != '-' || !ParseDigits(s, 5, 2, mo) ||
      s[7] != '-' || !ParseDigits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') ||
      !ParseDigits(s, 11, 2, h) || s[13] != ':' || !ParseDigits(s, 14, 2, mi) || s[16] != ':' ||
      !ParseDigits(s, 17, 2, se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (size_t i = digits; i < 9; ++i) nanos *= 10;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int64_t oh, om;
    if (!ParseDigits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ParseDigits(s, pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  if (y == 1 && mo == 1 && d == 1 && h == 0 && mi == 0 && se == 0 && nanos == 0 && offset == 0) {
    return 0;  // Go's zero time
  }
  int64_t secs = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                 h * 3600 + mi * 60 + se - offset;
  // Keep within int64 nanoseconds (years 1678..2261).
  if (secs > std::numeric_limits<int64_t>::max() / 1'000'000'000 - 1 ||
      secs < std::numeric_limits<int64_t>::min() / 1'000'000'000 + 1) {
    return std::nullopt;
  }
  return secs * 1'000'000'000 + nanos;
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
