#include "runtime/cli/api_client.h"

#include <cctype>

#include "runtime/cli/command.h"
#include "runtime/cli/context.h"
#include "runtime/cli/flags.h"
#include "runtime/cli/output.h"

namespace drover::cli {
namespace {

// Long enough for a blocking query (Nomad's default wait is 5 minutes) plus its jitter.
constexpr std::chrono::milliseconds kRequestTimeout{6 * 60 * 1000};

std::string FirstSet(const std::string& flag, const Io& io,
                     std::initializer_list<const char*> env_names, std::string fallback) {
  if (!flag.empty()) return flag;
  const CliContext& ctx = ContextOf(io);
  for (const char* name : env_names) {
    if (auto v = ctx.GetEnv(name); v && !v->empty()) return *v;
  }
  return fallback;
}

class HttpTransport : public ApiTransport {
 public:
  llvm::Expected<http::Response> Do(const std::string& base,
                                    const http::Request& request) override {
    llvm::Expected<http::Url> url = http::Url::Parse(base);
    if (!url) return url.takeError();
    http::HttpClient client(url->endpoint, {.timeout = kRequestTimeout});
    return client.Do(request);
  }
};

// Go's url.Error operation: "Get", "Put", ...
std::string GoOp(const std::string& method) {
  std::string op;
  for (size_t i = 0; i < method.size(); ++i) {
    op +=
        static_cast<char>(i == 0 ? method[i] : std::tolower(static_cast<unsigned char>(method[i])));
  }
  return op;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The transport's text in the form Go's net/http gives it. "cannot connect to tcp://h:p: X"
// becomes "dial tcp h:p: connect: x".
std::string GoTransportError(const std::string& method, const std::string& url,
                             const std::string& message) {
  std::string detail = message;
  const std::string kPrefix = "cannot connect to tcp://";
  if (message.starts_with(kPrefix)) {
    std::string rest = message.substr(kPrefix.size());
    size_t colon = rest.find(": ");
    if (colon != std::string::npos) {
      detail = "dial tcp " + rest.substr(0, colon) + ": connect: " + Lower(rest.substr(colon + 2));
    }
  }
  return GoOp(method) + " \"" + url + "\": " + detail;
}

}  // namespace

char ApiError::ID = 0;

void ApiError::log(llvm::raw_ostream& os) const { os << message_; }

std::error_code ApiError::convertToErrorCode() const {
  return std::make_error_code(std::errc::io_error);
}

ApiFailure TakeFailure(llvm::Error err) {
  ApiFailure out;
  llvm::handleAllErrors(
      std::move(err),
      [&](const ApiError& e) {
        out = {e.status(), e.text()};
      },
      [&](const llvm::ErrorInfoBase& e) {
        out = {0, e.message()};
      });
  return out;
}

std::string ErrorText(llvm::Error err) { return TakeFailure(std::move(err)).message; }

void AddApiFlags(FlagSet& flags, ApiFlags* target) {
  flags.String("address", &target->address,
               "The address of the agent. Overrides DROVER_ADDR and NOMAD_ADDR. Default: " +
                   std::string(kDefaultAddress) + ".");
  flags.String("region", &target->region,
               "The region of the servers to forward commands to. Overrides NOMAD_REGION.");
  flags.String("namespace", &target->ns,
               "The target namespace for queries and actions. Overrides NOMAD_NAMESPACE.");
  flags.String("token", &target->token, "The SecretID of an ACL token. Overrides NOMAD_TOKEN.");
  flags.Bool("no-color", &target->no_color, "Disables colored command output.");
  flags.Bool("force-color", &target->force_color, "Forces colored command output.");
}

ApiConfig ResolveApiConfig(const ApiFlags& flags, const Io& io) {
  ApiConfig c;
  c.address = FirstSet(flags.address, io, {"DROVER_ADDR", "NOMAD_ADDR"}, kDefaultAddress);
  c.region = FirstSet(flags.region, io, {"DROVER_REGION", "NOMAD_REGION"}, "");
  c.ns = FirstSet(flags.ns, io, {"DROVER_NAMESPACE", "NOMAD_NAMESPACE"}, "");
  c.token = FirstSet(flags.token, io, {"DROVER_TOKEN", "NOMAD_TOKEN"}, "");
  while (c.address.size() > 1 && c.address.back() == '/') c.address.pop_back();
  return c;
}

bool UseColor(const ApiFlags& flags, const Io& io) {
  if (flags.force_color) return true;
  if (flags.no_color) return false;
  if (auto v = ContextOf(io).GetEnv("NOMAD_CLI_NO_COLOR"); v && !v->empty()) return false;
  return StdoutIsTerminal(io);
}

std::shared_ptr<ApiTransport> MakeHttpTransport() { return std::make_shared<HttpTransport>(); }

ApiClient::ApiClient(ApiConfig config, std::shared_ptr<ApiTransport> transport)
    : config_(std::move(config)), transport_(std::move(transport)) {
  if (!transport_) transport_ = MakeHttpTransport();
}

ApiClient ApiClient::ForCommand(const ApiFlags& flags, const Io& io) {
  return ApiClient(ResolveApiConfig(flags, io), ContextOf(io).transport);
}

std::string ApiClient::Escape(std::string_view segment) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : segment) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

llvm::Expected<ApiClient::Response> ApiClient::Do(const std::string& method,
                                                  const std::string& path, const Query& query,
                                                  const std::string* body) const {
  Query q = query;
  if (!config_.region.empty()) q.emplace_back("region", config_.region);
  if (!config_.ns.empty()) q.emplace_back("namespace", config_.ns);
  std::string target = path;
  for (size_t i = 0; i < q.size(); ++i) {
    target += i == 0 ? '?' : '&';
    target += Escape(q[i].first);
    if (!q[i].second.empty() || q[i].first != "pretty") target += "=" + Escape(q[i].second);
  }
  http::Request req;
  req.method = method;
  req.target = target;
  if (!config_.token.empty()) req.headers.emplace_back("X-Nomad-Token", config_.token);
  if (body != nullptr) {
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = *body;
  }
  std::string url = config_.address + target;
  llvm::Expected<http::Response> resp = transport_->Do(config_.address, req);
  if (!resp) {
    return llvm::make_error<ApiError>(0,
                                      GoTransportError(method, url, ErrorText(resp.takeError())));
  }
  if (resp->status != 200) {
    // The body's trailing newline (Go's http.Error adds one) would split Nomad's one-line text.
    return llvm::make_error<ApiError>(
        resp->status,
        "Unexpected response code: " + std::to_string(resp->status) + " (" + TrimRight(resp->body) + ")");
  }
  Response out;
  std::string index = resp->Header("X-Nomad-Index");
  if (!index.empty()) out.index = std::strtoull(index.c_str(), nullptr, 10);
  if (!TrimSpace(resp->body).empty()) {
    out.body = nlohmann::json::parse(resp->body, nullptr, /*allow_exceptions=*/false);
    if (out.body.is_discarded()) {
      return llvm::make_error<ApiError>(
          0, GoOp(method) + " \"" + url + "\": invalid JSON in the response body");
    }
  }
  return out;
}

llvm::Expected<ApiClient::Response> ApiClient::Get(const std::string& path,
                                                   const Query& query) const {
  return Do("GET", path, query, nullptr);
}

llvm::Expected<ApiClient::Response> ApiClient::Put(const std::string& path,
                                                   const nlohmann::json& body,
                                                   const Query& query) const {
  std::string text = body.dump();
  return Do("PUT", path, query, &text);
}

llvm::Expected<ApiClient::Response> ApiClient::Post(const std::string& path,
                                                    const nlohmann::json& body,
                                                    const Query& query) const {
  std::string text = body.dump();
  return Do("POST", path, query, &text);
}

llvm::Expected<ApiClient::Response> ApiClient::Delete(const std::string& path,
                                                      const Query& query) const {
  return Do("DELETE", path, query, nullptr);
}

}  // namespace drover::cli
