// Encoding functions: base64encode, base64decode, csvdecode, jsonencode, jsondecode, urlencode,
// yamlencode, yamldecode (a documented subset, see README), and the hashes md5, sha1, sha256.
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/MD5.h>
#include <llvm/Support/SHA1.h>
#include <llvm/Support/SHA256.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/base/strings.h"
#include "compiler/eval/functions.h"
#include "compiler/eval/string_codec.h"

namespace drover::eval {

namespace {

std::optional<Value> Base64Encode(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  return Value::String(EncodeBase64(*s));
}

std::optional<Value> Base64Decode(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  auto val = [](char ch) -> int {
    const char* p = std::strchr(kBase64Alphabet, ch);
    return (ch != 0 && p != nullptr) ? static_cast<int>(p - kBase64Alphabet) : -1;
  };
  if (s->size() % 4 != 0)
    return c.ArgError(0, "invalid base64 data: the length is not a multiple of 4");
  std::string out;
  for (size_t i = 0; i < s->size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char ch = (*s)[i + static_cast<size_t>(k)];
      if (ch == '=' && i + 4 == s->size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0 || (v[k] = val(ch)) < 0) {
        return c.ArgError(
            0, fmt::format("invalid base64 data at offset {}", i + static_cast<size_t>(k)));
      }
    }
    uint32_t w = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out += static_cast<char>((w >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((w >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(w & 0xff);
  }
  if (!base::IsValidUtf8(out)) return c.ArgError(0, "the decoded data is not valid UTF-8");
  return Value::String(out);
}

std::optional<Value> CsvDecode(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool in_quotes = false, field_started = false;
  const std::string& t = *s;
  for (size_t i = 0; i <= t.size(); ++i) {
    char ch = i < t.size() ? t[i] : '\n';
    if (in_quotes) {
      if (i == t.size()) return c.ArgError(0, "unterminated quoted field in CSV data");
      if (ch == '"') {
        if (i + 1 < t.size() && t[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        field += ch;
      }
      continue;
    }
    if (ch == '"' && field.empty()) {
      in_quotes = true;
      field_started = true;
    } else if (ch == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = true;
    } else if (ch == '\r' && i + 1 < t.size() && t[i + 1] == '\n') {
      continue;
    } else if (ch == '\n') {
      if (field_started || !field.empty() || !row.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
      }
      row.clear();
      field.clear();
      field_started = false;
    } else {
      field += ch;
      field_started = true;
    }
  }
  if (rows.empty()) return c.ArgError(0, "missing header line in CSV data");
  const auto& header = rows[0];
  std::vector<Value> out;
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() != header.size()) {
      return c.ArgError(0, fmt::format("CSV line {} has {} fields; the header has {}", r + 1,
                                       rows[r].size(), header.size()));
    }
    std::vector<Value::Member> members;
    for (size_t k = 0; k < header.size(); ++k)
      members.emplace_back(header[k], Value::String(rows[r][k]));
    out.push_back(Value::Object(std::move(members)));
  }
  if (out.empty()) {
    std::vector<ObjectAttribute> attrs;
    for (const auto& h : header) attrs.push_back(ObjectAttribute{h, Type::String(), false, {}});
    return Value::List({}, Type::Object(std::move(attrs)));
  }
  return Value::List(std::move(out), out.empty() ? Type::Dynamic() : out[0].type());
}

/// A null, bool, number or string as jsonencode and yamlencode both write it, the string quoted in
/// `style`; false (nothing written) for a collection.
bool AppendScalar(const Value& v, QuoteStyle style, std::string& out) {
  switch (v.kind()) {
    case ValueKind::kNull:
    case ValueKind::kUnknown:
      out += "null";
      return true;
    case ValueKind::kBool:
      out += v.AsBool() ? "true" : "false";
      return true;
    case ValueKind::kNumber:
      out += v.AsNumber().ToString();
      return true;
    case ValueKind::kString:
      AppendQuoted(v.AsString(), style, out);
      return true;
    default:
      return false;
  }
}

// ---- JSON ----

/// cty's jsonencode: compact, object keys sorted, HTML-significant characters escaped.
void JsonEncode(const Value& v, std::string& out) {
  if (AppendScalar(v, QuoteStyle::kJson, out)) return;
  switch (v.kind()) {
    case ValueKind::kList:
    case ValueKind::kSet:
    case ValueKind::kTuple: {
      out += '[';
      bool first = true;
      for (const auto& e : v.elements()) {
        if (!first) out += ',';
        first = false;
        JsonEncode(e, out);
      }
      out += ']';
      return;
    }
    case ValueKind::kMap:
    case ValueKind::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : v.members()) {
        if (!first) out += ',';
        first = false;
        AppendQuoted(k, QuoteStyle::kJson, out);
        out += ':';
        JsonEncode(e, out);
      }
      out += '}';
      return;
    }
    default:
      return;  // the scalars, written above
  }
}

std::optional<Value> JsonEncodeFn(FunctionCall& c) {
  std::string out;
  JsonEncode(c.arg(0), out);
  return Value::String(out);
}

/// Values are built recursively; refuse inputs nested deeper than this.
constexpr int kMaxDecodeDepth = 256;

std::optional<Value> JsonDecodeFn(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s->size(); ++i) {
    char ch = (*s)[i];
    if (in_string) {
      if (ch == '\\') ++i;
      if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  if (max_depth > kMaxDecodeDepth) {
    return c.ArgError(
        0, fmt::format("JSON nested deeper than {} levels is not supported", kMaxDecodeDepth));
  }
  try {
    return Value::FromJson(nlohmann::json::parse(*s));
  } catch (const nlohmann::json::exception& e) {
    return c.ArgError(0, fmt::format("invalid JSON: {}", e.what()));
  }
}

std::optional<Value> UrlEncode(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  std::string out;
  for (unsigned char ch : *s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else if (ch == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  return Value::String(out);
}

// ---- YAML (subset) ----

/// Scalars are always double-quoted strings (unambiguous for every YAML reader); a collection
/// writes nothing here.
void YamlScalar(const Value& v, std::string& out) { AppendScalar(v, QuoteStyle::kGo, out); }

void YamlEncode(const Value& v, int indent, std::string& out) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (v.IsSequence()) {
    if (v.size() == 0) {
      out += "[]\n";
      return;
    }
    for (const auto& e : v.elements()) {
      out += pad + "-";
      if ((e.IsSequence() || e.IsMapping()) && e.size() > 0) {
        // A nested block starts on the dash's line, as go-yaml writes it: `- "a": 1`.
        std::string inner;
        YamlEncode(e, indent + 2, inner);
        out += " " + inner.substr(static_cast<size_t>(indent) + 2);
      } else {
        out += " ";
        YamlEncode(e, 0, out);
      }
    }
    return;
  }
  if (v.IsMapping()) {
    if (v.size() == 0) {
      out += "{}\n";
      return;
    }
    for (const auto& [k, e] : v.members()) {
      out += pad;
      YamlScalar(Value::String(k), out);
      out += ":";
      if ((e.IsSequence() || e.IsMapping()) && e.size() > 0) {
        out += "\n";
        YamlEncode(e, e.IsSequence() ? indent : indent + 2, out);
      } else {
        out += " ";
        YamlEncode(e, 0, out);
      }
    }
    return;
  }
  YamlScalar(v, out);
  out += "\n";
}

std::optional<Value> YamlEncodeFn(FunctionCall& c) {
  std::string out;
  YamlEncode(c.arg(0), 0, out);
  return Value::String(out);
}

/// A small YAML reader: block mappings and sequences by indentation, flow collections in JSON
/// form, quoted and plain scalars, comments. No anchors, tags, multi-documents or block scalars.
class YamlReader {
 public:
  explicit YamlReader(std::string_view text) {
    size_t start = 0;
    while (start <= text.size()) {
      size_t nl = text.find('\n', start);
      std::string_view line =
          text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      std::string_view stripped = StripComment(line);
      size_t ind = stripped.find_first_not_of(' ');
      if (ind != std::string_view::npos && stripped.substr(ind) != "---") {
        lines_.push_back({static_cast<int>(ind), std::string(TrimRight(stripped.substr(ind)))});
      }
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
  }

  std::optional<Value> Parse(std::string* error) {
    if (lines_.empty()) return Value::Null();
    auto v = Node(lines_[0].indent, error);
    if (v && pos_ < lines_.size()) {
      *error = fmt::format("unexpected content: {}", lines_[pos_].text);
      return std::nullopt;
    }
    return v;
  }

 private:
  struct Line {
    int indent;
    std::string text;
  };

  static std::string_view TrimRight(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  }

  static std::string_view StripComment(std::string_view line) {
    bool sq = false, dq = false;
    for (size_t i = 0; i < line.size(); ++i) {
      char ch = line[i];
      if (ch == '\'' && !dq) sq = !sq;
      if (ch == '"' && !sq && (i == 0 || line[i - 1] != '\\')) dq = !dq;
      if (ch == '#' && !sq && !dq && (i == 0 || line[i - 1] == ' ')) return line.substr(0, i);
    }
    return line;
  }

  static size_t MappingColon(std::string_view s) {
    bool sq = false, dq = false;
    for (size_t i = 0; i < s.size(); ++i) {
      char ch = s[i];
      if (ch == '\'' && !dq) sq = !sq;
      if (ch == '"' && !sq && (i == 0 || s[i - 1] != '\\')) dq = !dq;
      if (ch == ':' && !sq && !dq && (i + 1 == s.size() || s[i + 1] == ' ')) return i;
      if ((ch == '[' || ch == '{') && i == 0) return std::string_view::npos;
    }
    return std::string_view::npos;
  }

  std::optional<Value> Node(int indent, std::string* error) {
    if (++depth_ > kMaxDecodeDepth) {
      *error = fmt::format("nested deeper than {} levels", kMaxDecodeDepth);
      return std::nullopt;
    }
    auto v = NodeAt(indent, error);
    --depth_;
    return v;
  }

  std::optional<Value> NodeAt(int indent, std::string* error) {
    const Line& l = lines_[pos_];
    if (l.text.rfind("- ", 0) == 0 || l.text == "-") return Sequence(indent, error);
    if (MappingColon(l.text) != std::string_view::npos) return Mapping(indent, error);
    ++pos_;
    return Scalar(l.text, error);
  }

  std::optional<Value> Sequence(int indent, std::string* error) {
    std::vector<Value> out;
    while (pos_ < lines_.size() && lines_[pos_].indent == indent &&
           (lines_[pos_].text.rfind("- ", 0) == 0 || lines_[pos_].text == "-")) {
      Line& l = lines_[pos_];
      if (l.text == "-") {
        ++pos_;
        if (pos_ < lines_.size() && lines_[pos_].indent > indent) {
          auto v = Node(lines_[pos_].indent, error);
          if (!v) return std::nullopt;
          out.push_back(*v);
        } else {
          out.push_back(Value::Null());
        }
        continue;
      }
      // "- item": re-read the rest as a node indented past the dash.
      size_t skip = 2;
      while (skip < l.text.size() && l.text[skip] == ' ') ++skip;
      l.indent += static_cast<int>(skip);
      l.text = l.text.substr(skip);
      auto v = Node(l.indent, error);
      if (!v) return std::nullopt;
      out.push_back(*v);
    }
    return Value::Tuple(std::move(out));
  }

  std::optional<Value> Mapping(int indent, std::string* error) {
    std::vector<Value::Member> out;
    while (pos_ < lines_.size() && lines_[pos_].indent == indent) {
      const Line l = lines_[pos_];
      size_t colon = MappingColon(l.text);
      if (colon == std::string_view::npos) {
        *error = fmt::format("expected `key: value`, found {}", l.text);
        return std::nullopt;
      }
      auto key = Scalar(std::string(TrimRight(std::string_view(l.text).substr(0, colon))), error);
      if (!key) return std::nullopt;
      auto ks = Convert(*key, Type::String());
      if (!ks) {
        *error = "mapping keys must be scalars";
        return std::nullopt;
      }
      std::string rest(std::string_view(l.text).substr(colon + 1));
      size_t b = rest.find_first_not_of(' ');
      rest = b == std::string::npos ? "" : rest.substr(b);
      ++pos_;
      if (!rest.empty()) {
        auto v = Scalar(rest, error);
        if (!v) return std::nullopt;
        out.emplace_back(ks->AsString(), *v);
      } else if (pos_ < lines_.size() &&
                 (lines_[pos_].indent > indent ||
                  (lines_[pos_].indent == indent && lines_[pos_].text.rfind("- ", 0) == 0))) {
        auto v = Node(lines_[pos_].indent, error);
        if (!v) return std::nullopt;
        out.emplace_back(ks->AsString(), *v);
      } else {
        out.emplace_back(ks->AsString(), Value::Null());
      }
    }
    return Value::Object(std::move(out));
  }

  static std::optional<Value> Scalar(const std::string& s, std::string* error) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value::Null();
    if (s == "true" || s == "True" || s == "TRUE") return Value::Bool(true);
    if (s == "false" || s == "False" || s == "FALSE") return Value::Bool(false);
    if (s[0] == '"' || s[0] == '[' || s[0] == '{') {
      try {
        return Value::FromJson(nlohmann::json::parse(s));
      } catch (const nlohmann::json::exception& e) {
        if (s[0] == '"') {
          *error = fmt::format("invalid double-quoted scalar {}", s);
          return std::nullopt;
        }
        *error =
            fmt::format("unsupported flow collection {} (only JSON-compatible flow syntax)", s);
        return std::nullopt;
      }
    }
    if (s[0] == '\'') {
      if (s.size() < 2 || s.back() != '\'') {
        *error = fmt::format("unterminated single-quoted scalar {}", s);
        return std::nullopt;
      }
      std::string out;
      for (size_t i = 1; i + 1 < s.size(); ++i) {
        out += s[i];
        if (s[i] == '\'' && s[i + 1] == '\'') ++i;
      }
      return Value::String(out);
    }
    if (s[0] == '|' || s[0] == '>' || s[0] == '&' || s[0] == '*' || s[0] == '!') {
      *error = fmt::format("unsupported YAML feature at {}", s);
      return std::nullopt;
    }
    if (auto n = Number::Parse(s)) return Value::Num(*n);
    return Value::String(s);
  }

  std::vector<Line> lines_;
  size_t pos_ = 0;
  int depth_ = 0;
};

std::optional<Value> YamlDecodeFn(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  std::string error;
  YamlReader r(*s);
  auto v = r.Parse(&error);
  if (!v) return c.ArgError(0, fmt::format("cannot decode YAML: {}", error));
  return v;
}

// ---- hashes ----

std::string Hex(llvm::ArrayRef<uint8_t> bytes) {
  std::string out;
  for (uint8_t b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

std::optional<Value> Md5(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  llvm::MD5 h;
  h.update(*s);
  llvm::MD5::MD5Result r;
  h.final(r);
  return Value::String(std::string(r.digest().str()));
}

std::optional<Value> Sha1(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  auto bytes = llvm::SHA1::hash(llvm::arrayRefFromStringRef(*s));
  return Value::String(Hex(bytes));
}

std::optional<Value> Sha256(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  auto bytes = llvm::SHA256::hash(llvm::arrayRefFromStringRef(*s));
  return Value::String(Hex(bytes));
}

/// SHA-512 (FIPS 180-4); LLVM's Support library has no SHA-512.
std::string Sha512Hex(std::string_view msg) {
  static constexpr uint64_t k[80] = {
      0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
      0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
      0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
      0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
      0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
      0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
      0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
      0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
      0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
      0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
      0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
      0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
      0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
      0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
      0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
      0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
      0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
      0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
      0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
      0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};
  uint64_t h[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                   0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
  std::string data(msg);
  uint64_t bit_len = static_cast<uint64_t>(msg.size()) * 8;
  data += static_cast<char>(0x80);
  while (data.size() % 128 != 112) data += '\0';
  data.append(8, '\0');  // high 64 bits of the 128-bit length
  for (int i = 7; i >= 0; --i) data += static_cast<char>((bit_len >> (8 * i)) & 0xff);
  auto rotr = [](uint64_t x, int n) { return (x >> n) | (x << (64 - n)); };
  for (size_t off = 0; off < data.size(); off += 128) {
    uint64_t w[80];
    for (int t = 0; t < 16; ++t) {
      w[t] = 0;
      for (int b = 0; b < 8; ++b) {
        w[t] = (w[t] << 8) | static_cast<unsigned char>(data[off + static_cast<size_t>(t * 8 + b)]);
      }
    }
    for (int t = 16; t < 80; ++t) {
      uint64_t s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ (w[t - 15] >> 7);
      uint64_t s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ (w[t - 2] >> 6);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 80; ++t) {
      uint64_t t1 =
          hh + (rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41)) + ((e & f) ^ (~e & g)) + k[t] + w[t];
      uint64_t t2 = (rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  std::string out;
  for (uint64_t x : h) out += fmt::format("{:016x}", x);
  return out;
}

std::optional<Value> Sha512(FunctionCall& c) {
  auto s = c.String(0);
  if (!s) return std::nullopt;
  return Value::String(Sha512Hex(*s));
}

constexpr FunctionDef kEncoding[] = {
    {"base64decode", 1, 1, Base64Decode},
    {"base64encode", 1, 1, Base64Encode},
    {"csvdecode", 1, 1, CsvDecode},
    {"jsondecode", 1, 1, JsonDecodeFn},
    {"jsonencode", 1, 1, JsonEncodeFn},
    {"md5", 1, 1, Md5},
    {"sha1", 1, 1, Sha1},
    {"sha256", 1, 1, Sha256},
    {"sha512", 1, 1, Sha512},
    {"urlencode", 1, 1, UrlEncode},
    {"yamldecode", 1, 1, YamlDecodeFn},
    {"yamlencode", 1, 1, YamlEncodeFn},
};

}  // namespace

std::span<const FunctionDef> EncodingFunctions() { return kEncoding; }

}  // namespace drover::eval
