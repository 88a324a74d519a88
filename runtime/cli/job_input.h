// Reading and compiling a job file for the commands that take one (`validate`, `lint`,
// `job run -output`, `job inspect -local`): the -var / -var-file / -json / -hcl2-strict flags,
// NOMAD_VAR_ environment variables, file() reads from the disk, the wall clock and a random seed
// for the evaluator.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/compile/compile.h"
#include "compiler/diag/diagnostic.h"
#include "runtime/cli/command.h"
#include "runtime/cli/flags.h"

namespace drover::cli {

/// The flags every job-reading command accepts, with Nomad's names.
struct JobInputFlags {
  std::vector<std::string> vars;
  std::vector<std::string> var_files;
  /// Directories outside the job file's own tree that file() and friends may read.
  std::vector<std::string> allowed_paths;
  bool json = false;
  bool hcl2_strict = true;

  void Register(FlagSet& flags);
};

/// Reads files for HCL's file() function from the disk.
class DiskFileReader : public eval::FileReader {
 public:
  bool Read(const std::string& path, std::string* content, std::string* error) override;
};

/// Everything a compilation owns; diagnostics render against `sm`.
struct JobCompilation {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  DiskFileReader reader;
  compile::CompileResult result;
};

/// Loads `path` ("-" = standard input) and its var files into `c.sm` and compiles it (HCL, or
/// API JSON with -json). Returns false, after printing to io.err, for a usage error (a -var
/// without `=`); read errors and compile errors are diagnostics in `c.diags`.
bool CompileJobFile(const std::string& path, const JobInputFlags& flags, bool analyze, Io& io,
                    JobCompilation& c);

/// Compiles `path` into `sm` and `diags` shared with other files (lint of several files).
bool CompileJobFileInto(const std::string& path, const JobInputFlags& flags, bool analyze, Io& io,
                        diag::SourceManager& sm, diag::DiagnosticEngine& diags,
                        DiskFileReader& reader, compile::CompileResult& result);

}  // namespace drover::cli
