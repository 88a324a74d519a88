// Task artifacts (`artifact { source, destination, mode, options, headers }`), the part of
// go-getter that Nomad jobs use: http:// and https:// URLs, local files (absolute paths and
// file:// URLs), `options { checksum = "sha256:<hex>" }` (also md5, sha1; or `?checksum=` in the
// URL), and unpacking of .zip, .tar, .tar.gz/.tgz, .tar.xz/.txz and .tar.bz2/.tbz2 archives with
// libarchive (`options { archive = "false" }` keeps the file as it is).
//
// Safety: the destination must stay inside the task directory, and archive entries that are
// absolute, contain `..` or pass through a symlink are refused (the whole artifact fails).
//
// http:// goes through runtime/http's client (redirects followed); https:// is fetched with the
// `curl` program, because drover's HTTP client speaks no TLS.
#pragma once

#include <string>

#include <llvm/Support/Error.h>

#include "compiler/ir/job.h"

namespace drover::client {

/// Fetches one artifact (already rendered: no `${...}` left) into `task_dir`. The error text is
/// what the "Failed Artifact Download" task event shows.
llvm::Error FetchArtifact(const ir::Artifact& artifact, const std::string& task_dir);

/// Unpacks the archive `file` into `dest_dir` (created). Exposed for tests.
llvm::Error ExtractArchive(const std::string& file, const std::string& dest_dir);

/// True for the names FetchArtifact unpacks (.zip, .tar.gz, ...).
bool IsArchiveName(const std::string& name);

}  // namespace drover::client
