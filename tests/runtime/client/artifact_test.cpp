// Artifacts: http (from a server on 127.0.0.1) and local sources, checksums, destinations, modes,
// unpacking, and archives whose entries try to leave the destination.
#include "runtime/client/artifact.h"

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/SHA256.h>

#include "runtime/http/http_server.h"

namespace drover::client {
namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string path;
  std::string data;
  std::string symlink;  ///< non-empty: a symlink to this target
};

// An archive in memory; `format` "tar.gz", "zip" or "tar.xz".
std::string MakeArchive(const std::vector<Entry>& entries, const std::string& format = "tar.gz") {
  struct archive* a = archive_write_new();
  if (format == "zip") {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    if (format == "tar.gz") archive_write_add_filter_gzip(a);
    if (format == "tar.xz") archive_write_add_filter_xz(a);
  }
  std::vector<char> buf(1 << 20);
  size_t used = 0;
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const Entry& e : entries) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.path.c_str());
    if (!e.symlink.empty()) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, e.symlink.c_str());
      archive_entry_set_perm(entry, 0777);
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, 0644);
      archive_entry_set_size(entry, static_cast<la_int64_t>(e.data.size()));
    }
    archive_write_header(a, entry);
    if (e.symlink.empty()) archive_write_data(a, e.data.data(), e.data.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

std::string Sha256(const std::string& data) {
  return llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(data)), true);
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ArtifactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/drover-artifact-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    task_dir_ = dir_ + "/task";
    fs::create_directories(task_dir_ + "/local");
    fs::create_directories(task_dir_ + "/tmp");
    auto server = http::HttpServer::Start({}, [this](const http::ServerRequest& r) {
      ++requests_[r.path];
      if (r.path == "/redirect") {
        http::ServerResponse resp = http::ServerResponse::Text(302, "");
        resp.SetHeader("Location", "/files/hello.txt");
        return resp;
      }
      if (r.path == "/needs-header") {
        if (r.Header("X-Token") != "s3cret") return http::ServerResponse::Text(403, "no");
        return http::ServerResponse::Text(200, "authorized");
      }
      auto it = files_.find(r.path);
      if (it == files_.end()) return http::ServerResponse::Text(404, "not found");
      return http::ServerResponse::Text(200, it->second);
    });
    ASSERT_TRUE(static_cast<bool>(server)) << llvm::toString(server.takeError());
    server_ = std::move(*server);
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override {
    server_->Stop();
    fs::remove_all(dir_);
  }
  ir::Artifact Art(const std::string& source, const std::string& dest = "") {
    ir::Artifact a;
    a.source = source;
    a.destination = dest;
    return a;
  }
  std::string Fetch(const ir::Artifact& a) {
    llvm::Error err = FetchArtifact(a, task_dir_);
    return err ? llvm::toString(std::move(err)) : "";
  }

  std::string dir_, task_dir_, base_;
  std::map<std::string, std::string> files_;
  std::map<std::string, int> requests_;
  std::unique_ptr<http::HttpServer> server_;
};

TEST_F(ArtifactTest, DownloadsAFileIntoLocalByDefault) {
  files_["/files/hello.txt"] = "hello\n";
  EXPECT_EQ(Fetch(Art(base_ + "/files/hello.txt")), "");
  EXPECT_EQ(Read(task_dir_ + "/local/hello.txt"), "hello\n");
  EXPECT_EQ(Fetch(Art(base_ + "/redirect", "local/r")), "");
  // Named after the URL that was asked for, as go-getter does.
  EXPECT_EQ(Read(task_dir_ + "/local/r/redirect"), "hello\n");
  // The temporary download is gone.
  EXPECT_TRUE(fs::is_empty(task_dir_ + "/tmp"));
}

TEST_F(ArtifactTest, UnpacksArchives) {
  files_["/a.tar.gz"] = MakeArchive({{"bin/app", "#!/bin/sh\n", ""}, {"README", "read me", ""}});
  files_["/a.zip"] = MakeArchive({{"z/file", "zipped", ""}}, "zip");
  files_["/a.tar.xz"] = MakeArchive({{"x", "xz", ""}}, "tar.xz");
  EXPECT_EQ(Fetch(Art(base_ + "/a.tar.gz")), "");
  EXPECT_EQ(Read(task_dir_ + "/local/bin/app"), "#!/bin/sh\n");
  EXPECT_EQ(Read(task_dir_ + "/local/README"), "read me");
  EXPECT_EQ(Fetch(Art(base_ + "/a.zip", "local/zip")), "");
  EXPECT_EQ(Read(task_dir_ + "/local/zip/z/file"), "zipped");
  EXPECT_EQ(Fetch(Art(base_ + "/a.tar.xz", "/xz")), "");  // a leading '/' is the task dir
  EXPECT_EQ(Read(task_dir_ + "/xz/x"), "xz");
  // archive=false keeps the file as it is.
  ir::Artifact keep = Art(base_ + "/a.zip");
  keep.options["archive"] = "false";
  EXPECT_EQ(Fetch(keep), "");
  EXPECT_EQ(Read(task_dir_ + "/local/a.zip"), files_["/a.zip"]);
}

TEST_F(ArtifactTest, VerifiesChecksums) {
  files_["/f.bin"] = "payload";
  ir::Artifact ok = Art(base_ + "/f.bin");
  ok.options["checksum"] = "sha256:" + Sha256("payload");
  EXPECT_EQ(Fetch(ok), "");
  EXPECT_EQ(Fetch(Art(base_ + "/f.bin?checksum=sha256:" + Sha256("payload"), "local/q")), "");
  EXPECT_EQ(Read(task_dir_ + "/local/q/f.bin"), "payload");
  ir::Artifact bad = Art(base_ + "/f.bin", "local/bad");
  bad.options["checksum"] = "sha256:" + Sha256("other");
  std::string err = Fetch(bad);
  EXPECT_NE(err.find("checksums did not match: expected " + Sha256("other") + " got " +
                     Sha256("payload")),
            std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(task_dir_ + "/local/bad/f.bin"));
  ir::Artifact weird = Art(base_ + "/f.bin");
  weird.options["checksum"] = "crc32:00";
  EXPECT_NE(Fetch(weird).find("unsupported checksum type `crc32`"), std::string::npos);
}

TEST_F(ArtifactTest, ReportsHttpFailures) {
  EXPECT_EQ(Fetch(Art(base_ + "/missing.tgz")), "bad response code: 404");
  ir::Artifact h = Art(base_ + "/needs-header", "local/h");
  EXPECT_EQ(Fetch(h), "bad response code: 403");
  h.headers["X-Token"] = "s3cret";
  EXPECT_EQ(Fetch(h), "");
  EXPECT_EQ(Read(task_dir_ + "/local/h/needs-header"), "authorized");
  EXPECT_NE(Fetch(Art("http://127.0.0.1:1/x")).find("127.0.0.1:1"), std::string::npos);
  EXPECT_NE(Fetch(Art("s3::bucket/x")).find("unsupported artifact source scheme"),
            std::string::npos);
}

TEST_F(ArtifactTest, ModesAndLocalSources) {
  std::string src = dir_ + "/src.txt";
  std::ofstream(src) << "local file";
  ir::Artifact file = Art(src, "local/config/app.conf");
  file.mode = ir::ArtifactMode::kFile;
  EXPECT_EQ(Fetch(file), "");
  EXPECT_EQ(Read(task_dir_ + "/local/config/app.conf"), "local file");
  EXPECT_EQ(Fetch(Art("file://" + src, "local/f")), "");
  EXPECT_EQ(Read(task_dir_ + "/local/f/src.txt"), "local file");
  fs::create_directories(dir_ + "/tree/sub");
  std::ofstream(dir_ + "/tree/sub/x") << "x";
  EXPECT_EQ(Fetch(Art(dir_ + "/tree", "local/tree")), "");
  EXPECT_EQ(Read(task_dir_ + "/local/tree/sub/x"), "x");
  ir::Artifact dir_mode = Art(src, "local/d");
  dir_mode.mode = ir::ArtifactMode::kDir;
  EXPECT_NE(Fetch(dir_mode).find("mode is dir but `src.txt` is not an archive"), std::string::npos);
  EXPECT_NE(Fetch(Art(dir_ + "/nope.txt")).find("no such file"), std::string::npos);
}

TEST_F(ArtifactTest, RefusesEscapes) {
  files_["/f"] = "x";
  EXPECT_NE(Fetch(Art(base_ + "/f", "../../etc")).find("escapes the task directory"),
            std::string::npos);
  files_["/dotdot.tar.gz"] = MakeArchive({{"ok", "fine", ""}, {"../evil", "bad", ""}});
  std::string err = Fetch(Art(base_ + "/dotdot.tar.gz", "local/a"));
  EXPECT_NE(err.find("archive entry `../evil` escapes the destination"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(task_dir_ + "/local/evil"));
  files_["/abs.tar.gz"] = MakeArchive({{"/tmp/drover-artifact-abs", "bad", ""}});
  err = Fetch(Art(base_ + "/abs.tar.gz", "local/b"));
  EXPECT_NE(err.find("escapes the destination"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists("/tmp/drover-artifact-abs"));
  // A symlink that points out, then a file written through it.
  files_["/link.tar.gz"] = MakeArchive({{"out", "", dir_}, {"out/planted", "bad", ""}});
  err = Fetch(Art(base_ + "/link.tar.gz", "local/c"));
  EXPECT_NE(err, "");
  EXPECT_FALSE(fs::exists(dir_ + "/planted"));
}

}  // namespace
}  // namespace drover::client
