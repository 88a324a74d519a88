#include "runtime/client/artifact.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/MD5.h>
#include <llvm/Support/SHA1.h>
#include <llvm/Support/SHA256.h>

#include "runtime/http/http_client.h"

namespace drover::client {
namespace fs = std::filesystem;
namespace {

llvm::Error Fail(std::string message) {
  return llvm::createStringError(std::errc::io_error, "%s", message.c_str());
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Source {
  enum class Kind { kHttp, kHttps, kFile } kind = Kind::kFile;
  std::string url;                                    ///< without the getter's own query parameters
  std::string path;                                   ///< kFile: the local path
  std::string name;                                   ///< the last path segment
  std::map<std::string, std::string> getter_options;  ///< checksum, archive from the query
};

std::string PercentDecodeSimple(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

llvm::Expected<Source> ParseSource(const std::string& text) {
  Source src;
  std::string rest = text;
  if (rest.starts_with("http::") || rest.starts_with("file::")) rest = rest.substr(6);
  if (rest.starts_with("https::")) rest = rest.substr(7);
  // The getter's own options travel in the query: checksum=..., archive=false.
  std::string query;
  if (size_t q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string kept;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t amp = query.find('&', start);
    std::string part =
        query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    size_t eq = part.find('=');
    std::string key = part.substr(0, eq);
    if (key == "checksum" || key == "archive") {
      src.getter_options[key] =
          eq == std::string::npos ? "" : PercentDecodeSimple(part.substr(eq + 1));
    } else if (!part.empty()) {
      kept += (kept.empty() ? "" : "&") + part;
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  std::string lower = Lower(rest);
  if (lower.starts_with("http://")) {
    src.kind = Source::Kind::kHttp;
  } else if (lower.starts_with("https://")) {
    src.kind = Source::Kind::kHttps;
  } else if (lower.starts_with("file://")) {
    src.kind = Source::Kind::kFile;
    src.path = PercentDecodeSimple(rest.substr(7));
  } else if (rest.starts_with("/")) {
    src.kind = Source::Kind::kFile;
    src.path = rest;
  } else if (rest.find("://") != std::string::npos || rest.find("::") != std::string::npos) {
    return Fail(
        fmt::format("unsupported artifact source scheme in `{}` (use http, https or a "
                    "local file)",
                    text));
  } else {
    return Fail(fmt::format("artifact source `{}` is not a URL or an absolute path", text));
  }
  if (src.kind != Source::Kind::kFile) {
    src.url = rest + (kept.empty() ? "" : "?" + kept);
    size_t scheme_end = rest.find("://") + 3;
    size_t slash = rest.find('/', scheme_end);
    std::string path = slash == std::string::npos ? "" : rest.substr(slash);
    src.name = PercentDecodeSimple(path.substr(path.rfind('/') + 1));
  } else {
    std::string p = src.path;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    src.name = p.substr(p.rfind('/') + 1);
  }
  return src;
}

// --- download -------------------------------------------------------------------------------

llvm::Error DownloadHttp(std::string url, const ir::StringMap& headers, const std::string& out) {
  for (int redirects = 0; redirects <= 10; ++redirects) {
    auto parsed = http::Url::Parse(url);
    if (!parsed) return parsed.takeError();
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    if (!file) return Fail("cannot write " + out);
    http::Request request;
    request.method = "GET";
    request.target = parsed->target;
    for (const auto& [k, v] : headers) request.headers.emplace_back(k, v);
    http::ClientOptions options;
    options.timeout = std::chrono::seconds(60);
    http::HttpClient client(parsed->endpoint, options);
    http::StreamOptions stream;
    stream.idle_timeout = std::chrono::seconds(60);
    auto resp = client.Stream(
        request, [&](std::string_view data) { file.write(data.data(), data.size()); }, stream);
    if (!resp) return resp.takeError();
    file.close();
    if (resp->status >= 300 && resp->status < 400) {
      std::string location = resp->Header("Location");
      if (location.empty()) return Fail(fmt::format("bad response code: {}", resp->status));
      if (location.starts_with("/")) {
        location = "http://" + parsed->endpoint.host + ":" + std::to_string(parsed->endpoint.port) +
                   location;
      }
      if (Lower(location).starts_with("https://")) {
        return Fail("redirect to https is not followed: " + location);
      }
      url = location;
      continue;
    }
    if (!resp->IsSuccess()) return Fail(fmt::format("bad response code: {}", resp->status));
    if (!file) return Fail("cannot write " + out);
    return llvm::Error::success();
  }
  return Fail("stopped after 10 redirects");
}

// https through curl(1): drover's HTTP client has no TLS.
llvm::Error DownloadHttps(const std::string& url, const ir::StringMap& headers,
                          const std::string& out) {
  std::vector<std::string> argv = {"curl", "-fsSL", "--max-redirs", "10", "-o", out};
  for (const auto& [k, v] : headers) {
    argv.push_back("-H");
    argv.push_back(k + ": " + v);
  }
  argv.push_back("--");
  argv.push_back(url);
  std::string err_file = out + ".stderr";
  pid_t pid = ::fork();
  if (pid < 0) return Fail("fork failed");
  if (pid == 0) {
    int fd = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) ::dup2(fd, 2);
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp("curl", args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::ifstream in(err_file);
  std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ::unlink(err_file.c_str());
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return llvm::Error::success();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return Fail("https needs curl, not found");
  return Fail(message.empty() ? "curl failed" : message);
}

// --- checksums ------------------------------------------------------------------------------

llvm::Error VerifyChecksum(const std::string& file, const std::string& spec) {
  size_t colon = spec.find(':');
  if (colon == std::string::npos) return Fail("invalid checksum `" + spec + "`; want type:hex");
  std::string type = Lower(spec.substr(0, colon));
  std::string want = Lower(spec.substr(colon + 1));
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail("cannot read " + file);
  std::vector<char> buf(1 << 16);
  llvm::SHA256 sha256;
  llvm::SHA1 sha1;
  llvm::MD5 md5;
  if (type != "sha256" && type != "sha1" && type != "md5") {
    return Fail("unsupported checksum type `" + type + "` (sha256, sha1 or md5)");
  }
  while (in) {
    in.read(buf.data(), buf.size());
    llvm::ArrayRef<uint8_t> chunk(reinterpret_cast<const uint8_t*>(buf.data()),
                                  static_cast<size_t>(in.gcount()));
    if (type == "sha256") sha256.update(chunk);
    if (type == "sha1") sha1.update(chunk);
    if (type == "md5") md5.update(chunk);
  }
  std::string got;
  if (type == "sha256") got = llvm::toHex(sha256.final(), /*LowerCase=*/true);
  if (type == "sha1") got = llvm::toHex(sha1.final(), true);
  if (type == "md5") {
    llvm::MD5::MD5Result r;
    md5.final(r);
    got = std::string(r.digest().str());
  }
  if (got != want) {
    return Fail(fmt::format("checksums did not match: expected {} got {}", want, got));
  }
  return llvm::Error::success();
}

// --- paths ----------------------------------------------------------------------------------

// `dest` (relative to the task dir; a leading '/' is relative too) resolved inside `task_dir`,
// or an error when it escapes.
llvm::Expected<std::string> ResolveDestination(const std::string& task_dir, std::string dest) {
  if (dest.empty()) dest = "local/";
  while (!dest.empty() && dest.front() == '/') dest.erase(0, 1);
  fs::path root = fs::path(task_dir).lexically_normal();
  fs::path full = (root / dest).lexically_normal();
  std::string r = root.string(), f = full.string();
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  while (f.size() > 1 && f.back() == '/') f.pop_back();
  if (f != r && !f.starts_with(r + "/")) {
    return Fail(fmt::format("artifact destination `{}` escapes the task directory", dest));
  }
  return f;
}

bool EntryEscapes(const std::string& path) {
  if (path.empty() || path.front() == '/') return true;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string part =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") return true;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return false;
}

llvm::Error CopyFile(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::create_directories(fs::path(to).parent_path(), ec);
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return Fail(fmt::format("cannot copy to {}: {}", to, ec.message()));
  return llvm::Error::success();
}

}  // namespace

bool IsArchiveName(const std::string& name) {
  std::string n = Lower(name);
  for (std::string_view ext :
       {".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2"}) {
    if (EndsWith(n, ext)) return true;
  }
  return false;
}

llvm::Error ExtractArchive(const std::string& file, const std::string& dest_dir) {
  std::error_code ec;
  fs::create_directories(dest_dir, ec);
  if (ec) return Fail(fmt::format("cannot create {}: {}", dest_dir, ec.message()));
  struct archive* in = archive_read_new();
  archive_read_support_format_all(in);
  archive_read_support_filter_all(in);
  struct archive* out = archive_write_disk_new();
  archive_write_disk_set_options(out, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                          ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                          ARCHIVE_EXTRACT_SECURE_SYMLINKS);
  archive_write_disk_set_standard_lookup(out);
  auto done = [&](llvm::Error err) {
    archive_read_free(in);
    archive_write_free(out);
    return err;
  };
  if (archive_read_open_filename(in, file.c_str(), 1 << 16) != ARCHIVE_OK) {
    return done(Fail(fmt::format("cannot open archive: {}", archive_error_string(in))));
  }
  // Entry paths are made absolute below the destination, with the destination's own symlinks
  // resolved first (SECURE_SYMLINKS checks every component of the final path).
  std::string base = fs::weakly_canonical(dest_dir, ec).string();
  if (ec) base = dest_dir;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  for (;;) {
    struct archive_entry* entry = nullptr;
    int r = archive_read_next_header(in, &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      return done(Fail(fmt::format("reading archive: {}", archive_error_string(in))));
    }
    std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    while (name.starts_with("./")) name.erase(0, 2);
    if (name.empty() || name == ".") continue;
    if (EntryEscapes(name)) {
      return done(Fail(fmt::format("archive entry `{}` escapes the destination", name)));
    }
    // Entries are written below dest_dir (the process's cwd is shared by all threads, so no
    // chdir); NODOTDOT was checked above, SECURE_SYMLINKS still refuses a path through a symlink.
    archive_entry_copy_pathname(entry, (base + "/" + name).c_str());
    if (const char* link = archive_entry_hardlink(entry)) {
      std::string target = link;
      while (target.starts_with("./")) target.erase(0, 2);
      if (EntryEscapes(target)) {
        return done(Fail(fmt::format("archive hard link `{}` escapes the destination", target)));
      }
      archive_entry_copy_hardlink(entry, (base + "/" + target).c_str());
    }
    if (archive_write_header(out, entry) < ARCHIVE_WARN) {
      return done(Fail(fmt::format("extracting `{}`: {}", name, archive_error_string(out))));
    }
    const void* buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    for (;;) {
      r = archive_read_data_block(in, &buf, &size, &offset);
      if (r == ARCHIVE_EOF) break;
      if (r < ARCHIVE_WARN) {
        return done(Fail(fmt::format("reading `{}`: {}", name, archive_error_string(in))));
      }
      if (archive_write_data_block(out, buf, size, offset) < ARCHIVE_WARN) {
        return done(Fail(fmt::format("writing `{}`: {}", name, archive_error_string(out))));
      }
    }
    if (archive_write_finish_entry(out) < ARCHIVE_WARN) {
      return done(Fail(fmt::format("extracting `{}`: {}", name, archive_error_string(out))));
    }
  }
  return done(llvm::Error::success());
}

llvm::Error FetchArtifact(const ir::Artifact& artifact, const std::string& task_dir) {
  auto src = ParseSource(artifact.source);
  if (!src) return src.takeError();
  auto dest = ResolveDestination(task_dir, artifact.destination);
  if (!dest) return dest.takeError();
  std::map<std::string, std::string> options = src->getter_options;
  for (const auto& [k, v] : artifact.options) options[k] = v;
  const ir::ArtifactMode mode = artifact.mode.value_or(ir::ArtifactMode::kAny);
  const bool unpack = options.count("archive") == 0 || Lower(options["archive"]) != "false";

  // A local directory is copied as it is.
  std::error_code ec;
  if (src->kind == Source::Kind::kFile && fs::is_directory(src->path, ec)) {
    if (mode == ir::ArtifactMode::kFile) return Fail("mode is file but the source is a directory");
    fs::create_directories(*dest, ec);
    fs::copy(src->path, *dest, fs::copy_options::recursive | fs::copy_options::overwrite_existing,
             ec);
    if (ec) return Fail(fmt::format("copying {}: {}", src->path, ec.message()));
    return llvm::Error::success();
  }

  // Download (or read) into a temporary file under the task's tmp/.
  fs::create_directories(task_dir + "/tmp", ec);
  std::string tmpl = task_dir + "/tmp/.artifact-XXXXXX";
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return Fail("cannot create a temporary file in " + task_dir + "/tmp");
  ::close(fd);
  const std::string tmp = tmpl;
  auto cleanup = [&](llvm::Error err) {
    ::unlink(tmp.c_str());
    return err;
  };
  llvm::Error got = llvm::Error::success();
  switch (src->kind) {
    case Source::Kind::kHttp:
      got = DownloadHttp(src->url, artifact.headers, tmp);
      break;
    case Source::Kind::kHttps:
      got = DownloadHttps(src->url, artifact.headers, tmp);
      break;
    case Source::Kind::kFile:
      if (!fs::exists(src->path, ec)) {
        got = Fail(fmt::format("stat {}: no such file or directory", src->path));
      } else {
        got = CopyFile(src->path, tmp);
      }
      break;
  }
  if (got) return cleanup(std::move(got));
  if (auto it = options.find("checksum"); it != options.end() && !it->second.empty()) {
    if (llvm::Error err = VerifyChecksum(tmp, it->second)) return cleanup(std::move(err));
  }
  const bool archive = unpack && IsArchiveName(src->name);
  if (mode == ir::ArtifactMode::kFile) {
    // The destination is the file itself.
    return cleanup(CopyFile(tmp, *dest));
  }
  if (archive) return cleanup(ExtractArchive(tmp, *dest));
  if (mode == ir::ArtifactMode::kDir) {
    return cleanup(Fail(fmt::format("mode is dir but `{}` is not an archive", src->name)));
  }
  std::string name = src->name.empty() ? "artifact" : src->name;
  return cleanup(CopyFile(tmp, *dest + "/" + name));
}

}  // namespace drover::client
