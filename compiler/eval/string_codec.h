// String escapes and byte encodings that several parts of the evaluator write: quoted strings
// (Value::ToString, format's %q, jsonencode, yamlencode) and base64 (base64encode, filebase64).
#pragma once

#include <string>
#include <string_view>

namespace drover::eval {

/// How a quoted string escapes what it cannot hold literally. All three escape `"`, `\`, and
/// newline, carriage return and tab as \n, \r, \t.
enum class QuoteStyle {
  kGo,    ///< other control characters as \xNN (Go's %q for ASCII; yamlencode's scalars)
  kHcl,   ///< other control characters as \uNNNN (how Value::ToString shows a string)
  kJson,  ///< kHcl plus Go's encoding/json escapes of `<`, `>`, `&`, U+2028 and U+2029
};

/// Appends `s` between double quotes, escaped in `style`. Other bytes, UTF-8 included, are
/// copied as they are.
void AppendQuoted(std::string_view s, QuoteStyle style, std::string& out);
/// `s` between double quotes, escaped in `style`.
std::string Quoted(std::string_view s, QuoteStyle style);

/// The standard base64 alphabet (RFC 4648 §4).
inline constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `bytes` in standard base64 with `=` padding.
std::string EncodeBase64(std::string_view bytes);

}  // namespace drover::eval
