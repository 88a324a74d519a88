// Quoting and base64 for the evaluator, byte by byte.
#include "compiler/eval/string_codec.h"

#include <cstdint>

#include <fmt/format.h>

namespace drover::eval {

void AppendQuoted(std::string_view s, QuoteStyle style, std::string& out) {
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    auto ch = static_cast<unsigned char>(s[i]);
    switch (ch) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      default:
        break;
    }
    if (ch < 0x20) {
      out += style == QuoteStyle::kGo ? fmt::format("\\x{:02x}", ch) : fmt::format("\\u{:04x}", ch);
    } else if (style == QuoteStyle::kJson && (ch == '<' || ch == '>' || ch == '&')) {
      out += fmt::format("\\u{:04x}", ch);
    } else if (style == QuoteStyle::kJson && ch == 0xe2 && i + 2 < s.size() &&
               static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
                static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += static_cast<char>(ch);
    }
  }
  out += '"';
}

std::string Quoted(std::string_view s, QuoteStyle style) {
  std::string out;
  AppendQuoted(s, style, out);
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  const auto* d = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size(), i = 0;
  for (; i + 2 < n; i += 3) {
    uint32_t v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += kBase64Alphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = d[i] << 16;
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += "==";
  } else if (n - i == 2) {
    uint32_t v = (d[i] << 16) | (d[i + 1] << 8);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

}  // namespace drover::eval
