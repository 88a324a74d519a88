// Router matching and the JSON helpers. No Beast here: this file compiles in a second.
#include "runtime/http/router.h"

#include <algorithm>

#include "compiler/base/check.h"

namespace drover::http {
namespace {

std::vector<std::string> SplitMethods(std::string_view methods) {
  std::vector<std::string> out;
  while (!methods.empty()) {
    size_t bar = methods.find('|');
    out.emplace_back(methods.substr(0, bar));
    if (bar == std::string_view::npos) break;
    methods.remove_prefix(bar + 1);
  }
  return out;
}

/// The deepest nesting of arrays and objects in `text`, outside strings; stops counting once
/// over `limit`. Invalid JSON is left to the parser.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

const std::string& RouteParams::Get(std::string_view name) const {
  static const std::string kEmpty;
  auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

std::vector<std::string> SplitPath(std::string_view raw_path) {
  std::vector<std::string> out;
  while (!raw_path.empty()) {
    if (raw_path.front() == '/') {
      raw_path.remove_prefix(1);
      continue;
    }
    size_t slash = raw_path.find('/');
    out.push_back(PercentDecode(raw_path.substr(0, slash)));
    if (slash == std::string_view::npos) break;
    raw_path.remove_prefix(slash);
  }
  return out;
}

void Router::Add(std::string_view methods, std::string_view pattern, RouteHandler handler) {
  DROVER_CHECK(!pattern.empty() && pattern.front() == '/', "route patterns start with '/'");
  Route route;
  route.methods = SplitMethods(methods);
  while (!pattern.empty()) {
    if (pattern.front() == '/') {
      pattern.remove_prefix(1);
      continue;
    }
    size_t slash = pattern.find('/');
    route.segments.emplace_back(pattern.substr(0, slash));
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash);
  }
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

ServerResponse Router::Handle(const ServerRequest& request) const {
  std::vector<std::string> segments = SplitPath(request.path);
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    RouteParams params;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& want = route.segments[i];
      if (!want.empty() && want.front() == ':') {
        if (segments[i].empty()) match = false;
        params.Set(want.substr(1), segments[i]);
      } else if (want != segments[i]) {
        match = false;
      }
    }
    if (!match) continue;
    if (std::find(route.methods.begin(), route.methods.end(), request.method) ==
        route.methods.end()) {
      allowed.insert(allowed.end(), route.methods.begin(), route.methods.end());
      continue;
    }
    return route.handler(request, params);
  }
  if (!allowed.empty()) {
    std::string allow;
    for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    ServerResponse r = ErrorResponse(405, "Invalid method");
    r.SetHeader("Allow", allow);
    return r;
  }
  return ErrorResponse(404, "Invalid URL path: " + request.path);
}

Handler Router::AsHandler() const {
  return [this](const ServerRequest& request) { return Handle(request); };
}

llvm::Expected<nlohmann::json> ParseJsonBody(std::string_view body, int max_depth) {
  auto fail = [](const std::string& message) {
    return llvm::createStringError(std::errc::invalid_argument, "%s", message.c_str());
  };
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fail("request body is empty (expected a JSON object)");
  }
  if (NestingDepth(body, max_depth) > max_depth) {
    return fail("request body nests deeper than " + std::to_string(max_depth) + " levels");
  }
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return fail("request body is not valid JSON");
  return parsed;
}

ServerResponse JsonResponse(const ServerRequest& request, const nlohmann::json& body, int status) {
  bool pretty = request.HasQuery("pretty");
  // Invalid UTF-8 in stored strings must not make dump() throw.
  std::string text =
      body.dump(pretty ? 4 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (pretty) text += "\n";
  return ServerResponse::Json(status, std::move(text));
}

ServerResponse ErrorResponse(int status, std::string_view message) {
  std::string text(message);
  if (text.empty() || text.back() != '\n') text += "\n";
  return ServerResponse::Text(status, std::move(text));
}

}  // namespace drover::http
