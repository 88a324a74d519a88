// Output conventions of Nomad's CLI, so that drover's tables, key = value blocks, ids and times
// look exactly like Nomad's and scripts written against Nomad keep working:
//
//  - tables are rows of `|`-separated cells laid out like github.com/ryanuber/columnize (cells
//    trimmed, columns padded to the widest cell in runes, glue of two spaces, no padding after the
//    last cell, empty cells shown as `<none>`);
//  - key/value blocks are the same with the glue ` = `;
//  - ids are cut to 8 characters unless -verbose;
//  - absolute times are RFC 3339 in the local zone (`2024-09-09T16:41:53-04:00`, `Z` for UTC);
//    relative times keep the two largest units (`5m3s ago`, `2d3h ago`, `0s ago`);
//  - `[bold]`-style color tags (mitchellh/colorstring) become ANSI codes or are stripped.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace drover::cli {

inline constexpr size_t kShortId = 8;
inline constexpr size_t kFullId = 36;

struct ColumnizeOptions {
  std::string glue = "  ";
  std::string empty;     ///< replaces an empty cell when set
  bool no_trim = false;  ///< keep the spaces around cells
};

/// Lays out `rows` (cells separated by `|`) like columnize.Format. No trailing newline.
std::string Columnize(const std::vector<std::string>& rows, const ColumnizeOptions& opts = {});

/// A table with `<none>` in empty cells (Nomad's formatList).
std::string FormatList(const std::vector<std::string>& rows);
/// A table that leaves empty cells blank (Nomad's formatListWithSpaces / columnize.SimpleFormat).
std::string FormatListWithSpaces(const std::vector<std::string>& rows);
/// `Key|Value` rows as an aligned `Key = Value` block, `<none>` for empty values (formatKV).
std::string FormatKV(const std::vector<std::string>& rows);

/// Joins cells with `|`.
std::string Row(std::initializer_list<std::string_view> cells);

/// The first `length` bytes of `id` (all of it when shorter).
std::string Limit(std::string_view id, size_t length);

/// RFC 3339 in the local time zone; "" for times before 1970-01-01T00:00:01Z (Go's zero time and
/// unset stamps), as Nomad's formatTime.
std::string FormatTime(int64_t unix_ns);
/// An RFC 3339 string from the API (`2021-06-09T22:20:27.123Z`), reformatted like FormatTime;
/// "" for Go's zero time; the input unchanged when it cannot be parsed.
std::string FormatApiTime(std::string_view rfc3339);
/// Parses an RFC 3339 timestamp to Unix nanoseconds; false when malformed.
bool ParseRfc3339(std::string_view text, int64_t* unix_ns);

/// `5m3s ago` / `1h from now`: the two largest non-zero units of |second - first| rounded to
/// seconds; "" when `first` is 0.
std::string PrettyTimeDiff(int64_t first_ns, int64_t second_ns);

/// Go's time.Duration.String(): `10s`, `1m30s`, `1h0m0s`, `1.5s`, `500ms`, `0s`.
std::string FormatGoDuration(int64_t ns);

/// go-humanize IBytes: `256 MiB`, `2.0 GiB`, `9 B`.
std::string HumanizeIBytes(uint64_t bytes);

/// Go's %q of a string (strconv.Quote); reconciler/diff's, shared with the plan renderer.
std::string GoQuote(std::string_view s);

/// Removes trailing spaces, tabs and newlines (Go's strings.TrimSpace on the right only).
std::string TrimRight(std::string_view s);
std::string TrimSpace(std::string_view s);

/// mitchellh/colorstring: replaces `[bold]`, `[reset]`, `[green]`, ... with ANSI codes, or strips
/// them when disabled. Unknown bracketed text is left alone. (reconciler/diff's Colorize.)
class Colorizer {
 public:
  explicit Colorizer(bool enabled) : enabled_(enabled) {}
  std::string Color(std::string_view text) const;
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
};

}  // namespace drover::cli
