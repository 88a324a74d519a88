// Diagnostics: what drover tells a person about their input. A Diagnostic has a stable code from
// diagnostic_kinds.def, a severity, a primary range, notes with their own ranges, an optional help
// text and an optional fix-it. Diagnostics are collected by a DiagnosticEngine, never thrown; the
// renderers in render.h turn them into text, gcc-style lines, JSON or SARIF.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "compiler/diag/source_manager.h"

namespace drover::diag {

enum class Severity : uint8_t { kError, kWarning, kNote };

enum class DiagKind : uint16_t {
#define DROVER_DIAG(code, name, severity, format) k##name,
#include "compiler/diag/diagnostic_kinds.def"
#undef DROVER_DIAG
};

struct DiagKindInfo {
  std::string_view code;    ///< "E0204"
  std::string_view name;    ///< "UnknownDriver"
  Severity severity;
  std::string_view format;  ///< fmt format string
};

const DiagKindInfo& Info(DiagKind kind);
/// Every registered kind, in registry order.
std::vector<DiagKind> AllDiagKinds();
std::string_view SeverityName(Severity s);

struct Note {
  SourceRange range;  ///< may be invalid for a note without a location
  std::string message;
};

struct FixIt {
  SourceRange range;
  std::string replacement;
};

struct Diagnostic {
  DiagKind kind;
  Severity severity;
  std::string message;
  SourceRange range;
  std::vector<Note> notes;
  std::string help;            ///< rendered as `= help: ...`; empty when none
  std::optional<FixIt> fixit;  ///< a machine-applicable replacement
};

class DiagnosticEngine;

/// Builds one diagnostic; Emit() (or destruction) hands it to the engine.
class DiagnosticBuilder {
 public:
  DiagnosticBuilder(DiagnosticEngine* engine, Diagnostic diag)
      : engine_(engine), diag_(std::move(diag)) {}
  DiagnosticBuilder(DiagnosticBuilder&& other) noexcept
      : engine_(std::exchange(other.engine_, nullptr)), diag_(std::move(other.diag_)) {}
  DiagnosticBuilder(const DiagnosticBuilder&) = delete;
  ~DiagnosticBuilder() { Emit(); }

  DiagnosticBuilder& Note(SourceRange range, std::string message) & {
    diag_.notes.push_back({range, std::move(message)});
    return *this;
  }
  DiagnosticBuilder&& Note(SourceRange range, std::string message) && {
    return std::move(Note(range, std::move(message)));
  }
  DiagnosticBuilder&& Help(std::string help) && {
    diag_.help = std::move(help);
    return std::move(*this);
  }
  DiagnosticBuilder&& Fix(SourceRange range, std::string replacement) && {
    diag_.fixit = FixIt{range, std::move(replacement)};
    return std::move(*this);
  }
  void Emit();

 private:
  DiagnosticEngine* engine_;
  Diagnostic diag_;
};

/// Collects diagnostics for one compilation. Not thread-safe.
class DiagnosticEngine {
 public:
  template <typename... Args>
  DiagnosticBuilder Build(DiagKind kind, SourceRange range, Args&&... args) {
    const DiagKindInfo& info = Info(kind);
    return DiagnosticBuilder(
        this, Diagnostic{kind, info.severity,
                         fmt::format(fmt::runtime(info.format), std::forward<Args>(args)...), range,
                         {}, {}, std::nullopt});
  }

  void Add(Diagnostic d);
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }
  std::vector<Diagnostic> Take() { return std::exchange(diags_, {}); }
  size_t error_count() const { return errors_; }
  bool HasErrors() const { return errors_ > 0; }
  /// Sorts diagnostics()[first..] by file, then position, keeping emission order for ties.
  void SortByLocation(size_t first = 0);

 private:
  std::vector<Diagnostic> diags_;
  size_t errors_ = 0;
};

}  // namespace drover::diag
