// Filesystem, time, UUID and network functions: file, fileexists, formatdate, timeadd, timestamp,
// uuidv4, uuidv5, cidrhost, cidrnetmask, cidrsubnet, cidrsubnets.
//
// file() resolves relative paths against EvalOptions::base_dir and refuses paths outside that
// tree unless they lie below one of EvalOptions::allowed_paths; it reads through the injected
// FileReader. timestamp() returns EvalOptions::now_unix_nanos; uuidv4() draws from the seeded
// generator. Nothing here touches the real clock, disk or entropy.
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA1.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "compiler/base/strings.h"
#include "compiler/base/time.h"
#include "compiler/eval/evaluator.h"
#include "compiler/eval/functions.h"
#include "compiler/eval/string_codec.h"

namespace drover::eval {

namespace {

// ---- paths ----

/// Lexically normalizes an absolute or relative path: collapses `.`, `..` and repeated slashes.
std::string CleanPath(std::string_view p) {
  bool abs = !p.empty() && p[0] == '/';
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view part = p.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!abs) {
        parts.emplace_back("..");
      }
    } else if (!part.empty() && part != ".") {
      parts.emplace_back(part);
    }
    i = j + 1;
  }
  std::string out = abs ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) out += '/';
    out += parts[k];
  }
  if (out.empty()) out = ".";
  return out;
}

bool IsWithin(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         path[dir.size()] == '/');
}

/// Resolves `arg` for file()/fileexists(), or reports why it may not be read.
std::optional<std::string> ResolvePath(FunctionCall& c, const std::string& arg) {
  Evaluator& ev = c.evaluator();
  if (!ev.allow_fs()) return c.Error("filesystem functions are disabled here");
  std::string base = ev.options().base_dir.empty() ? "." : ev.options().base_dir;
  std::string p = arg;
  if (!p.empty() && p[0] == '~')
    return c.ArgError(0, "`~` paths are not expanded; use a path relative to the job file");
  std::string full = CleanPath(!p.empty() && p[0] == '/' ? p : base + "/" + p);
  std::string clean_base = CleanPath(base);
  bool ok = IsWithin(full, clean_base) ||
            (clean_base == "." && full.rfind("..", 0) != 0 && full[0] != '/');
  for (const auto& allowed : ev.options().allowed_paths) ok |= IsWithin(full, CleanPath(allowed));
  if (!ok) {
    return c.ArgError(0, fmt::format("\"{}\" is outside the job file's directory; allow it "
                                     "explicitly to read it (`-allow-file-path DIR`)",
                                     arg));
  }
  return full;
}

/// The content of the file `path` (argument 0) names, through the evaluator's FileReader; nothing,
/// after an error, when the path is refused or the file cannot be read.
std::optional<std::string> ReadFileArgument(FunctionCall& c, const std::string& path) {
  auto full = ResolvePath(c, path);
  if (!full) return std::nullopt;
  FileReader* reader = c.evaluator().options().file_reader;
  if (reader == nullptr) return c.Error("no file reader is available to read files");
  std::string content, error;
  if (!reader->Read(*full, &content, &error)) {
    return c.ArgError(0, fmt::format("cannot read \"{}\": {}", path, error));
  }
  return content;
}

std::optional<Value> File(FunctionCall& c) {
  auto p = c.String(0);
  if (!p) return std::nullopt;
  std::optional<std::string> content = ReadFileArgument(c, *p);
  if (!content) return std::nullopt;
  if (!base::IsValidUtf8(*content)) {
    return c.ArgError(0, fmt::format("\"{}\" is not valid UTF-8 text", *p));
  }
  return Value::String(*content);
}

std::optional<Value> FileBase64(FunctionCall& c) {
  auto p = c.String(0);
  if (!p) return std::nullopt;
  std::optional<std::string> content = ReadFileArgument(c, *p);
  if (!content) return std::nullopt;
  return Value::String(EncodeBase64(*content));
}
std::optional<Value> FileExists(FunctionCall& c) {
  auto p = c.String(0);
  if (!p) return std::nullopt;
  auto full = ResolvePath(c, *p);
  if (!full) return std::nullopt;
  FileReader* reader = c.evaluator().options().file_reader;
  if (reader == nullptr) return Value::Bool(false);
  std::string content, error;
  return Value::Bool(reader->Read(*full, &content, &error));
}

// ---- time ----

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};

std::optional<Value> FormatDate(FunctionCall& c) {
  auto spec = c.String(0);
  auto ts = spec ? c.String(1) : std::nullopt;
  if (!spec || !ts) return std::nullopt;
  auto t = base::ParseRfc3339(*ts);
  if (!t) return c.ArgError(1, fmt::format("\"{}\" is not a valid RFC 3339 timestamp", *ts));
  base::CivilTime f = t->Local();
  std::string out;
  const std::string& s = *spec;
  for (size_t i = 0; i < s.size();) {
    char ch = s[i];
    if (ch == '\'') {
      size_t j = i + 1;
      std::string lit;
      bool closed = false;
      while (j < s.size()) {
        if (s[j] == '\'') {
          if (j + 1 < s.size() && s[j + 1] == '\'') {
            lit += '\'';
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        lit += s[j++];
      }
      if (!closed) return c.ArgError(0, "unterminated literal '");
      out += (j == i + 1) ? "'" : lit;
      i = j + 1;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(ch))) {
      out += ch;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && s[j] == ch) ++j;
    std::string tok = s.substr(i, j - i);
    i = j;
    int h12 = f.hour % 12 == 0 ? 12 : f.hour % 12;
    if (tok == "YYYY") {
      out += fmt::format("{:04}", f.year);
    } else if (tok == "YY") {
      out += fmt::format("{:02}", f.year % 100);
    } else if (tok == "MMMM") {
      out += kMonths[f.month - 1];
    } else if (tok == "MMM") {
      out += std::string(kMonths[f.month - 1]).substr(0, 3);
    } else if (tok == "MM") {
      out += fmt::format("{:02}", f.month);
    } else if (tok == "M") {
      out += std::to_string(f.month);
    } else if (tok == "DD") {
      out += fmt::format("{:02}", f.day);
    } else if (tok == "D") {
      out += std::to_string(f.day);
    } else if (tok == "EEEE") {
      out += kDays[f.weekday];
    } else if (tok == "EEE") {
      out += std::string(kDays[f.weekday]).substr(0, 3);
    } else if (tok == "hh") {
      out += fmt::format("{:02}", f.hour);
    } else if (tok == "h") {
      out += std::to_string(f.hour);
    } else if (tok == "HH") {
      out += fmt::format("{:02}", h12);
    } else if (tok == "H") {
      out += std::to_string(h12);
    } else if (tok == "AA") {
      out += f.hour < 12 ? "AM" : "PM";
    } else if (tok == "aa") {
      out += f.hour < 12 ? "am" : "pm";
    } else if (tok == "mm") {
      out += fmt::format("{:02}", f.minute);
    } else if (tok == "m") {
      out += std::to_string(f.minute);
    } else if (tok == "ss") {
      out += fmt::format("{:02}", f.second);
    } else if (tok == "s") {
      out += std::to_string(f.second);
    } else if (tok == "ZZZZZ") {
      out += base::FormatUtcOffset(t->offset_seconds, true);
    } else if (tok == "ZZZZ") {
      out += base::FormatUtcOffset(t->offset_seconds, false);
    } else if (tok == "ZZZ") {
      out += t->offset_seconds == 0 ? "UTC" : base::FormatUtcOffset(t->offset_seconds, false);
    } else if (tok == "Z") {
      out += t->offset_seconds == 0 ? "Z" : base::FormatUtcOffset(t->offset_seconds, true);
    } else {
      return c.ArgError(
          0, fmt::format("invalid date format verb \"{}\"; use quotes for literal text", tok));
    }
  }
  return Value::String(out);
}

/// Go's time.ParseDuration, in nanoseconds.
std::optional<__int128> ParseGoDuration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == 0) return std::nullopt;
    long double num = std::stold(std::string(s.substr(0, i)));
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !std::isdigit(static_cast<unsigned char>(s[u])) && s[u] != '.') ++u;
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    long double mult;
    if (unit == "ns") {
      mult = 1;
    } else if (unit == "us" || unit == "µs" || unit == "μs") {
      mult = 1e3;
    } else if (unit == "ms") {
      mult = 1e6;
    } else if (unit == "s") {
      mult = 1e9;
    } else if (unit == "m") {
      mult = 60e9;
    } else if (unit == "h") {
      mult = 3600e9;
    } else {
      return std::nullopt;
    }
    total += num * mult;
  }
  auto r = static_cast<__int128>(total);
  return neg ? -r : r;
}

std::optional<Value> TimeAdd(FunctionCall& c) {
  auto ts = c.String(0);
  auto dur = ts ? c.String(1) : std::nullopt;
  if (!ts || !dur) return std::nullopt;
  auto t = base::ParseRfc3339(*ts);
  if (!t) return c.ArgError(0, fmt::format("\"{}\" is not a valid RFC 3339 timestamp", *ts));
  auto d = ParseGoDuration(*dur);
  if (!d)
    return c.ArgError(1, fmt::format("\"{}\" is not a valid duration (e.g. \"1h30m\")", *dur));
  __int128 total = static_cast<__int128>(t->unix_seconds) * 1000000000 + t->nanos + *d;
  __int128 secs = total >= 0 ? total / 1000000000 : -((-total + 999999999) / 1000000000);
  t->unix_seconds = static_cast<int64_t>(secs);
  t->nanos = static_cast<int64_t>(total - secs * 1000000000);
  return Value::String(base::FormatRfc3339(*t));
}

std::optional<Value> Timestamp(FunctionCall& c) {
  base::Rfc3339Time t = base::Rfc3339FromUnixNanos(c.evaluator().options().now_unix_nanos);
  t.nanos = 0;  // cty's timestamp() has second precision
  return Value::String(base::FormatRfc3339(t));
}

// ---- UUIDs ----

std::string UuidText(const uint8_t b[16]) {
  return fmt::format(
      "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:"
      "02x}{:02x}",
      b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
      b[15]);
}

std::optional<Value> UuidV4(FunctionCall& c) {
  uint8_t b[16];
  uint64_t r1 = c.evaluator().NextRandom(), r2 = c.evaluator().NextRandom();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(r1 >> (8 * i));
    b[8 + i] = static_cast<uint8_t>(r2 >> (8 * i));
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return Value::String(UuidText(b));
}

std::optional<std::array<uint8_t, 16>> ParseUuid(std::string_view s) {
  std::array<uint8_t, 16> out{};
  std::string hex;
  for (char ch : s) {
    if (ch != '-') hex += ch;
  }
  if (hex.size() != 32) return std::nullopt;
  for (size_t i = 0; i < 16; ++i) {
    unsigned v = 0;
    for (size_t k = 0; k < 2; ++k) {
      char ch = static_cast<char>(std::tolower(static_cast<unsigned char>(hex[2 * i + k])));
      v <<= 4;
      if (ch >= '0' && ch <= '9') {
        v |= static_cast<unsigned>(ch - '0');
      } else if (ch >= 'a' && ch <= 'f') {
        v |= static_cast<unsigned>(ch - 'a' + 10);
      } else {
        return std::nullopt;
      }
    }
    out[i] = static_cast<uint8_t>(v);
  }
  return out;
}

std::optional<Value> UuidV5(FunctionCall& c) {
  auto ns = c.String(0);
  auto name = ns ? c.String(1) : std::nullopt;
  if (!ns || !name) return std::nullopt;
  std::string ns_text = *ns;
  if (ns_text == "dns") ns_text = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
  if (ns_text == "url") ns_text = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
  if (ns_text == "oid") ns_text = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";
  if (ns_text == "x500") ns_text = "6ba7b814-9dad-11d1-80b4-00c04fd430c8";
  auto nsb = ParseUuid(ns_text);
  if (!nsb)
    return c.ArgError(0, "the namespace must be \"dns\", \"url\", \"oid\", \"x500\" or a UUID");
  llvm::SHA1 h;
  h.update(llvm::ArrayRef<uint8_t>(nsb->data(), nsb->size()));
  h.update(llvm::StringRef(*name));
  auto digest = h.final();
  uint8_t b[16];
  for (int i = 0; i < 16; ++i) b[i] = static_cast<uint8_t>(digest[static_cast<size_t>(i)]);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  return Value::String(UuidText(b));
}

// ---- CIDR ----

using U128 = unsigned __int128;

struct Prefix {
  U128 addr = 0;
  int bits = 0;  // prefix length
  bool v6 = false;
  int width() const { return v6 ? 128 : 32; }
};

std::optional<U128> ParseIPv4(std::string_view s) {
  U128 v = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    size_t j = i;
    unsigned n = 0;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && j - i < 3) {
      n = n * 10 + static_cast<unsigned>(s[j] - '0');
      ++j;
    }
    if (j == i || n > 255) return std::nullopt;
    v = (v << 8) | n;
    ++parts;
    i = j;
    if (parts < 4) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  return v;
}

std::optional<U128> ParseIPv6(std::string_view s) {
  std::vector<uint16_t> head, tail;
  bool dbl = false;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    dbl = true;
    i = 2;
  }
  while (i < s.size()) {
    size_t j = i;
    unsigned v = 0;
    while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j])) && j - i < 4) {
      char ch = static_cast<char>(std::tolower(static_cast<unsigned char>(s[j])));
      v = v * 16 + static_cast<unsigned>(
                       std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0' : ch - 'a' + 10);
      ++j;
    }
    if (j == i) return std::nullopt;
    (dbl ? tail : head).push_back(static_cast<uint16_t>(v));
    i = j;
    if (i == s.size()) break;
    if (s[i] != ':') return std::nullopt;
    if (i + 1 < s.size() && s[i + 1] == ':') {
      if (dbl) return std::nullopt;
      dbl = true;
      i += 2;
    } else {
      ++i;
    }
  }
  size_t total = head.size() + tail.size();
  if (total > 8 || (!dbl && total != 8)) return std::nullopt;
  U128 v = 0;
  for (auto g : head) v = (v << 16) | g;
  for (size_t k = 0; k < 8 - total; ++k) v <<= 16;
  for (auto g : tail) v = (v << 16) | g;
  return v;
}

std::optional<Prefix> ParseCidr(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view ip = s.substr(0, slash), len = s.substr(slash + 1);
  Prefix p;
  if (ip.find(':') != std::string_view::npos) {
    auto a = ParseIPv6(ip);
    if (!a) return std::nullopt;
    p.addr = *a;
    p.v6 = true;
  } else {
    auto a = ParseIPv4(ip);
    if (!a) return std::nullopt;
    p.addr = *a;
  }
  if (len.empty() || len.size() > 3) return std::nullopt;
  int n = 0;
  for (char ch : len) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return std::nullopt;
    n = n * 10 + (ch - '0');
  }
  if (n > p.width()) return std::nullopt;
  p.bits = n;
  // Go's ParseCIDR returns the network address.
  U128 host_mask = p.width() - n == 128 ? ~U128(0) : ((U128(1) << (p.width() - n)) - 1);
  p.addr &= ~host_mask;
  if (!p.v6) p.addr &= 0xffffffff;
  return p;
}

std::string IpText(U128 a, bool v6) {
  if (!v6) {
    return fmt::format("{}.{}.{}.{}", static_cast<unsigned>((a >> 24) & 255),
                       static_cast<unsigned>((a >> 16) & 255),
                       static_cast<unsigned>((a >> 8) & 255), static_cast<unsigned>(a & 255));
  }
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>(a >> (16 * (7 - i)));
  // Longest run of zero groups (length >= 2) becomes "::".
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += fmt::format("{:x}", g[i]);
  }
  return out;
}

std::optional<Prefix> CidrArg(FunctionCall& c, size_t i) {
  auto s = c.String(i);
  if (!s) return std::nullopt;
  auto p = ParseCidr(*s);
  if (!p) {
    c.ArgError(i, fmt::format("\"{}\" is not a valid CIDR prefix (e.g. \"10.0.0.0/16\")", *s));
    return std::nullopt;
  }
  return p;
}

std::optional<Value> CidrHost(FunctionCall& c) {
  auto p = CidrArg(c, 0);
  auto n = p ? c.Int(1) : std::nullopt;
  if (!p || !n) return std::nullopt;
  int host_bits = p->width() - p->bits;
  U128 size = host_bits >= 128 ? ~U128(0) : (U128(1) << host_bits);
  U128 idx;
  if (*n >= 0) {
    idx = static_cast<U128>(*n);
    if (host_bits < 128 && idx >= size) {
      return c.ArgError(1, fmt::format("prefix of {} bits has no host number {}", p->bits, *n));
    }
  } else {
    U128 neg = static_cast<U128>(-static_cast<__int128>(*n));
    if (host_bits < 128 && neg > size) {
      return c.ArgError(1, fmt::format("prefix of {} bits has no host number {}", p->bits, *n));
    }
    idx = size - neg;
  }
  return Value::String(IpText(p->addr + idx, p->v6));
}

std::optional<Value> CidrNetmask(FunctionCall& c) {
  auto p = CidrArg(c, 0);
  if (!p) return std::nullopt;
  if (p->v6) return c.ArgError(0, "cidrnetmask works only with IPv4 prefixes");
  U128 mask = p->bits == 0 ? 0 : ((~U128(0)) << (32 - p->bits)) & 0xffffffff;
  return Value::String(IpText(mask, false));
}

std::optional<Value> Subnet(FunctionCall& c, const Prefix& p, int64_t newbits, int64_t num,
                            size_t newbits_arg, size_t num_arg) {
  if (newbits < 0 || p.bits + newbits > p.width()) {
    return c.ArgError(newbits_arg, fmt::format("{} new bits would extend the prefix past {} bits",
                                               newbits, p.width()));
  }
  int nb = static_cast<int>(newbits);
  if (num < 0 || (nb < 63 && static_cast<uint64_t>(num) >= (uint64_t(1) << nb))) {
    return c.ArgError(num_arg,
                      fmt::format("prefix extension of {} bits has no network number {}", nb, num));
  }
  int shift = p.width() - p.bits - nb;
  U128 addr = p.addr | (static_cast<U128>(num) << shift);
  return Value::String(IpText(addr, p.v6) + "/" + std::to_string(p.bits + nb));
}

std::optional<Value> CidrSubnet(FunctionCall& c) {
  auto p = CidrArg(c, 0);
  auto nb = p ? c.Int(1) : std::nullopt;
  auto num = nb ? c.Int(2) : std::nullopt;
  if (!p || !nb || !num) return std::nullopt;
  return Subnet(c, *p, *nb, *num, 1, 2);
}

std::optional<Value> CidrSubnets(FunctionCall& c) {
  auto p = CidrArg(c, 0);
  if (!p) return std::nullopt;
  std::vector<Value> out;
  U128 next = p->addr;  // first free address
  for (size_t i = 1; i < c.size(); ++i) {
    auto nb = c.Int(i);
    if (!nb) return std::nullopt;
    if (*nb < 1 || p->bits + *nb > p->width()) {
      return c.ArgError(
          i, fmt::format("{} new bits would extend the prefix past {} bits", *nb, p->width()));
    }
    int len = p->bits + static_cast<int>(*nb);
    int host = p->width() - len;
    U128 block = U128(1) << host;
    // Align up to the subnet size.
    U128 aligned = (next + block - 1) & ~(block - 1);
    U128 end_of_parent =
        p->addr + ((p->width() - p->bits) >= 128 ? ~U128(0) : (U128(1) << (p->width() - p->bits)));
    if (aligned + block > end_of_parent || aligned < next) {
      return c.ArgError(i, "not enough remaining address space for a subnet of this size");
    }
    out.push_back(Value::String(IpText(aligned, p->v6) + "/" + std::to_string(len)));
    next = aligned + block;
  }
  return Value::List(std::move(out), Type::String());
}

std::optional<Value> PathExpand(FunctionCall& c) {
  auto p = c.String(0);
  if (!p) return std::nullopt;
  if (p->empty() || (*p)[0] != '~') return Value::String(*p);
  if (p->size() > 1 && (*p)[1] != '/') {
    return c.ArgError(0, "only `~` and `~/...` can be expanded (not another user's home)");
  }
  const auto& env = c.evaluator().options().env;
  auto home = env.find("HOME");
  if (home == env.end() || home->second.empty()) {
    return c.Error("cannot expand `~`: no HOME was given to the compiler");
  }
  return Value::String(home->second + p->substr(1));
}

std::optional<Value> BaseName(FunctionCall& c) {
  auto p = c.String(0);
  if (!p) return std::nullopt;
  std::string s = *p;
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  if (s.empty()) return Value::String(".");
  if (s == "/") return Value::String("/");
  size_t slash = s.rfind('/');
  return Value::String(slash == std::string::npos ? s : s.substr(slash + 1));
}

std::optional<Value> DirName(FunctionCall& c) {
  auto p = c.String(0);
  if (!p) return std::nullopt;
  size_t slash = p->rfind('/');
  if (slash == std::string::npos) return Value::String(".");
  return Value::String(CleanPath(p->substr(0, slash + 1)));
}

std::optional<Value> AbsPath(FunctionCall& c) {
  auto p = c.String(0);
  if (!p) return std::nullopt;
  if (!p->empty() && (*p)[0] == '/') return Value::String(CleanPath(*p));
  std::string base = c.evaluator().options().base_dir;
  return Value::String(CleanPath((base.empty() ? "." : base) + "/" + *p));
}

constexpr FunctionDef kMisc[] = {
    {"abspath", 1, 1, AbsPath},
    {"basename", 1, 1, BaseName},
    {"dirname", 1, 1, DirName},
    {"pathexpand", 1, 1, PathExpand},
    {"cidrhost", 2, 2, CidrHost},
    {"cidrnetmask", 1, 1, CidrNetmask},
    {"cidrsubnet", 3, 3, CidrSubnet},
    {"cidrsubnets", 1, -1, CidrSubnets},
    {"file", 1, 1, File},
    {"filebase64", 1, 1, FileBase64},
    {"fileexists", 1, 1, FileExists},
    {"formatdate", 2, 2, FormatDate},
    {"timeadd", 2, 2, TimeAdd},
    {"timestamp", 0, 0, Timestamp},
    {"uuidv4", 0, 0, UuidV4},
    {"uuidv5", 2, 2, UuidV5},
};

}  // namespace

std::span<const FunctionDef> MiscFunctions() { return kMisc; }

}  // namespace drover::eval
