// The job-file corpus (../shared/corpus) for compiler tests: its manifest, the -var values and
// var files that some files need (as their MANIFEST notes say), and a compile helper.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/compile/compile.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"

namespace drover::testing {

struct CorpusEntry {
  std::string file;         ///< relative to CorpusDir()
  std::string expectation;  ///< valid | invalid-semantic | unknown
  std::string note;
  std::string hcl2json;
};

std::vector<CorpusEntry> LoadCorpusManifest();

/// The three var files of e2e/jobsubmissions (x.hcl, y.hcl, z.hcl) are not job files.
bool IsVarFile(const std::string& file);

/// Reads files for `file()` from the disk (tests only).
class DiskFileReader : public eval::FileReader {
 public:
  bool Read(const std::string& path, std::string* content, std::string* error) override;
};

struct CompiledFile {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  compile::CompileResult result;
  DiskFileReader reader;

  std::string Errors() const {
    return diag::RenderAll(diags.diagnostics(), sm, diag::DiagFormat::kGcc);
  }
  /// True when an error is reported on 1-based `line` of the job file itself.
  bool HasErrorOnLine(uint32_t line, std::string_view code) const;
};

/// Compiles corpus file `file` with the -var values / var files its MANIFEST note names, a fixed
/// clock and seed.
std::unique_ptr<CompiledFile> CompileCorpusFile(const std::string& file, bool analyze = true);

/// Compiles job text (not a corpus file) with a fixed clock and seed.
std::unique_ptr<CompiledFile> CompileText(std::string text, bool analyze = true,
                                          std::string name = "job.hcl");

}  // namespace drover::testing
