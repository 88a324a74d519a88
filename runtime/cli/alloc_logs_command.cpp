// `drover alloc logs [options] <allocation> [<task>]` (alias `drover logs`): a task's stdout (or
// -stderr) as `nomad alloc logs` prints it, raw bytes without prefixes. Like Nomad's CLI it asks
// the servers where the allocation runs (the node's HTTPAddr) and reads
// `GET /v1/client/fs/logs/<alloc>` from that client agent directly; on a -dev agent that is the
// same address. -tail starts from the end (-n lines, default 10, or -c bytes); -f follows: each
// request is a long-poll that the client answers as soon as new output exists, continuing at the
// Position of the previous frame so that file rotation neither repeats nor skips output.
//
// Differences from Nomad: -f follows the one stream chosen (stdout unless -stderr), not both.
#include <algorithm>
#include <ostream>

#include "runtime/cli/api_client.h"
#include "runtime/cli/api_json.h"
#include "runtime/cli/command.h"
#include "runtime/cli/command_util.h"
#include "runtime/cli/context.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

using nlohmann::json;

struct Frame {
  std::string data;
  std::string position;
};

// Standard base64 (LLVM 14 has an encoder only); false on a character outside the alphabet.
bool DecodeBase64(std::string_view in, std::string& out) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    int v = value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return true;
}

llvm::Expected<Frame> FetchFrame(const ApiClient& node, const std::string& alloc_id,
                                 ApiClient::Query query) {
  auto resp = node.Get("/v1/client/fs/logs/" + ApiClient::Escape(alloc_id), query);
  if (!resp) return resp.takeError();
  Frame f;
  f.position = Str(resp->body, "Position");
  std::string data = Str(resp->body, "Data");
  if (!data.empty()) {
    if (!DecodeBase64(data, f.data)) return llvm::make_error<ApiError>(0, "invalid log frame");
  }
  return f;
}

// The last `n` lines of `data` (a final line without newline counts).
std::string LastLines(const std::string& data, int64_t n) {
  if (n <= 0) return "";
  size_t end = data.size();
  if (end > 0 && data[end - 1] == '\n') --end;
  size_t pos = end;
  for (int64_t lines = 0; pos > 0; --pos) {
    if (data[pos - 1] == '\n' && ++lines == n) break;
  }
  return data.substr(pos);
}

}  // namespace

int RunAllocLogs(std::span<const std::string> args, Io& io) {
  ApiFlags api;
  bool stderr_flag = false, follow = false, tail = false, verbose = false;
  int64_t lines = -1, bytes = -1;
  std::string task_flag;
  FlagSet flags("drover alloc logs [options] <allocation> [<task>]",
                "Streams the stdout/stderr of the given allocation and task.");
  AddApiFlags(flags, &api);
  flags.Bool("stderr", &stderr_flag, "Display stderr logs.");
  flags.Bool("f", &follow, "Causes the output to not stop when the end of the logs are reached.");
  flags.Bool("tail", &tail, "Show the logs contents with offsets relative to the end of the logs.");
  flags.Int("n", &lines, "Sets the tail location in best-efforted number of lines.");
  flags.Int("c", &bytes, "Sets the tail location in number of bytes relative to the end.");
  flags.String("task", &task_flag, "Sets the task to view the logs.");
  flags.Bool("verbose", &verbose, "Show full information.");
  if (!flags.Parse(args, io.err)) return flags.FailureExitCode();
  if (flags.args().empty() || flags.args().size() > 2) {
    PrintCommandError(io, flags, "This command takes one or two arguments: <allocation> [<task>]");
    return 1;
  }
  std::string alloc_id = flags.args()[0];
  if (alloc_id.size() == 1) {
    io.err << "Alloc ID must contain at least two characters.\n";
    return 1;
  }
  ApiClient client = ApiClient::ForCommand(api, io);
  std::optional<std::vector<json>> allocs =
      ListAllocsByPrefix(client, io, SanitizeUuidPrefix(alloc_id), alloc_id);
  if (!allocs) return 1;
  if (allocs->size() > 1) {
    io.err << "Prefix matched multiple allocations\n";
    return 1;
  }
  std::optional<json> found = GetAlloc(client, io, Str((*allocs)[0], "ID"));
  if (!found) return 1;
  const json& alloc = *found;
  const std::string full_id = Str(alloc, "ID");

  // The task: -task, the second argument, or the group's only task.
  std::vector<std::string> tasks;
  for (const json& g : Items(Field(alloc, "Job"), "TaskGroups")) {
    if (Str(g, "Name") != Str(alloc, "TaskGroup")) continue;
    for (const json& t : Items(g, "Tasks")) tasks.push_back(Str(t, "Name"));
  }
  std::string task = !task_flag.empty()         ? task_flag
                     : flags.args().size() == 2 ? flags.args()[1]
                                                : "";
  if (task.empty()) {
    if (tasks.size() != 1) {
      io.err << "Allocation " << GoQuote(Limit(full_id, verbose ? kFullId : kShortId))
             << " is running the following tasks:\n";
      for (const std::string& t : tasks) io.err << "  * " << t << "\n";
      io.err << "\nPlease specify the task.\n";
      return 1;
    }
    task = tasks[0];
  } else if (std::find(tasks.begin(), tasks.end(), task) == tasks.end()) {
    io.err << "Could not find task named: " << task << "\n";
    return 1;
  }

  // Read from the client agent that runs the allocation; the -dev agent serves both.
  ApiConfig node_config = client.config();
  if (auto node = client.Get("/v1/node/" + ApiClient::Escape(Str(alloc, "NodeID")))) {
    std::string addr = Str(node->body, "HTTPAddr");
    if (!addr.empty() && addr.find(":0") == std::string::npos)
      node_config.address = "http://" + addr;
  } else {
    llvm::consumeError(node.takeError());
  }
  const CliContext& ctx = ContextOf(io);
  ApiClient node_client(node_config, ctx.transport ? ctx.transport : MakeHttpTransport());
  const std::string type = stderr_flag ? "stderr" : "stdout";
  ApiClient::Query base = {{"task", task}, {"type", type}};

  auto fail = [&](llvm::Error err) {
    io.err << "Error reading file: " << ErrorText(std::move(err)) << "\n";
    return 1;
  };
  std::string position;
  if (tail) {
    if (bytes < 0 && lines < 0) lines = 10;
    if (bytes >= 0) {
      ApiClient::Query q = base;
      q.emplace_back("origin", "end");
      q.emplace_back("offset", std::to_string(bytes));
      std::string data;
      for (;;) {
        auto f = FetchFrame(
            node_client, full_id, position.empty() ? q : [&] {
              ApiClient::Query c = base;
              c.emplace_back("position", position);
              return c;
            }());
        if (!f) return fail(f.takeError());
        position = f->position;
        if (f->data.empty()) break;
        data += f->data;
      }
      io.out << data.substr(data.size() > static_cast<size_t>(bytes) ? data.size() - bytes : 0);
    } else {
      // Read back from the end until `lines` lines are in hand (or the start is reached).
      uint64_t window = 64 * 1024;
      std::string data;
      for (;;) {
        ApiClient::Query q = base;
        q.emplace_back("origin", "end");
        q.emplace_back("offset", std::to_string(window));
        data.clear();
        std::string pos;
        for (;;) {
          auto f = FetchFrame(
              node_client, full_id, pos.empty() ? q : [&] {
                ApiClient::Query c = base;
                c.emplace_back("position", pos);
                return c;
              }());
          if (!f) return fail(f.takeError());
          pos = f->position;
          if (f->data.empty()) break;
          data += f->data;
        }
        position = pos;
        size_t newlines = static_cast<size_t>(std::count(data.begin(), data.end(), '\n'));
        if (data.size() < window || newlines > static_cast<size_t>(lines) || window >= (1u << 30)) {
          break;
        }
        window *= 4;
      }
      io.out << LastLines(data, lines);
    }
  } else {
    ApiClient::Query q = base;
    q.emplace_back("origin", "start");
    q.emplace_back("offset", "0");
    for (;;) {
      ApiClient::Query c = base;
      if (position.empty()) {
        c = q;
      } else {
        c.emplace_back("position", position);
      }
      auto f = FetchFrame(node_client, full_id, c);
      if (!f) return fail(f.takeError());
      position = f->position;
      if (f->data.empty()) break;
      io.out << f->data;
    }
  }
  io.out << std::flush;
  while (follow) {
    ApiClient::Query c = base;
    c.emplace_back("follow", "true");
    c.emplace_back("position", position);
    auto f = FetchFrame(node_client, full_id, c);
    if (!f) {
      ApiFailure failure = TakeFailure(f.takeError());
      if (failure.status == 404) return 0;  // the allocation is gone
      io.err << "Error reading file: " << failure.message << "\n";
      return 1;
    }
    position = f->position;
    io.out << f->data << std::flush;
  }
  return 0;
}

}  // namespace drover::cli
