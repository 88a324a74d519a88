#include "compiler/diag/diagnostic.h"

#include <algorithm>

namespace drover::diag {
namespace {

constexpr DiagKindInfo kInfos[] = {
#define DROVER_DIAG(code, name, severity, format) {#code, #name, Severity::k##severity, format},
#include "compiler/diag/diagnostic_kinds.def"
#undef DROVER_DIAG
};

}  // namespace

const DiagKindInfo& Info(DiagKind kind) { return kInfos[static_cast<size_t>(kind)]; }

std::vector<DiagKind> AllDiagKinds() {
  std::vector<DiagKind> kinds;
  for (size_t i = 0; i < std::size(kInfos); ++i) kinds.push_back(static_cast<DiagKind>(i));
  return kinds;
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

void DiagnosticBuilder::Emit() {
  if (engine_ == nullptr) return;
  engine_->Add(std::move(diag_));
  engine_ = nullptr;
}

void DiagnosticEngine::Add(Diagnostic d) {
  if (d.severity == Severity::kError) ++errors_;
  diags_.push_back(std::move(d));
}

void DiagnosticEngine::SortByLocation(size_t first) {
  first = std::min(first, diags_.size());
  std::stable_sort(diags_.begin() + static_cast<ptrdiff_t>(first), diags_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.range.file != b.range.file) return a.range.file < b.range.file;
                     return a.range.begin < b.range.begin;
                   });
}

}  // namespace drover::diag
