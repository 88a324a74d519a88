// `drover lint`: warnings (W09xx) about jobs that Nomad accepts but that probably do not do what
// their author meant. Each rule reads the compiled IR and points at the attribute it is about
// (through the IR's origins):
//
//   W0901  a static port in a group with count > 1 and no distinct_hosts constraint
//   W0902  a service with `urlprefix-` tags (Fabio routes) but no check
//   W0903  canary_tags / canary_meta in a group whose update strategy deploys no canaries
//   W0904  a docker/podman image with no tag, or the `latest` tag
//   W0905  a task memory request below 32 MB (but at or above Nomad's 10 MB minimum)
//   W0906  a constraint no node can satisfy: an unknown kernel name, a non-Linux kernel for the
//          Linux-only exec drivers, two different required values for one attribute
//   W0907  a `${...}` runtime reference Nomad does not know (`${vars.x}`, `${node.uniqe.name}`,
//          `${NOMAD_PORT_htp}` for a port the group does not define), with "did you mean"
//
// Lint never reports errors; run it on a job that compiled (canonical, after sema) or on the
// partial job of one that did not.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/job.h"

namespace drover::lint {

/// Memory requests below this many MB get W0905.
inline constexpr int kLowMemoryMb = 32;

/// Reports every lint warning for `job`.
void Lint(const ir::Job& job, diag::DiagnosticEngine& diags);

}  // namespace drover::lint
