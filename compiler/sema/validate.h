// Validate: Nomad's job validation rules (nomad/structs Validate() and the job-register checks)
// as coded diagnostics on the IR. Each rule is one diagnostic kind in the E03xx range of
// diagnostic_kinds.def, reported at the source range of the attribute that breaks it
// (`origin.Field("count")`, falling back to the enclosing block), with notes pointing at the
// other half of a conflict (the first definition of a duplicate, the scaling block a count
// violates, ...). Warnings (W03xx) cover Nomad's job warnings and deprecations.
//
// Validate reads a canonicalized job (run Canonicalize first, as a Nomad server does); on a job
// that was not canonicalized it treats an unset value as Nomad's default.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/job.h"

namespace drover::sema {

/// Reports every rule `job` breaks to `diags`, in job, group, task order. Never stops at the
/// first error.
void Validate(const ir::Job& job, diag::DiagnosticEngine& diags);

}  // namespace drover::sema
