// `drover lint`: warnings (W09xx) about jobs that Nomad accepts but that probably do not do what
// their author meant. Each rule reads the compiled IR and points at the attribute it is about
// (through the IR's origins):
//
//   W0901  a static port in a group with count > 1 and no distinct_hosts constraint
//   W0902  a service with `urlprefix-` tags (Fabio routes) but no check
//   W0903  canary_tags / canary_meta in a group whose update strategy deploys no canaries
//   W0904  a docker/podman image with no tag, or the `latest` tag
//   W0905  a task memory request below 16 MB (64 MB for the JVM of the `java` driver), at or above
//          Nomad's 10 MB minimum (below it, compiler/sema reports an error)
//   W0906  a constraint no node can satisfy: an unknown kernel name, a non-Linux kernel for the
//          Linux-only exec drivers, two different required values for one attribute
//   W0907  a `${...}` runtime reference Nomad does not know (`${vars.x}`, `${node.uniqe.name}`,
//          `${NOMAD_PORT_htp}` for a port the group does not define), with "did you mean"
//   W0908  a group service (or its check) whose port is a label no `network` block defines:
//          Nomad registers the job without checking it, and the service fails to register when
//          the allocation starts (task services are checked by compiler/sema, E0326)
//
// Lint never reports errors; run it on a job that compiled (canonical, after sema) or on the
// partial job of one that did not.
#pragma once

#include "compiler/diag/diagnostic.h"
#include "compiler/ir/job.h"

namespace drover::lint {

/// Memory requests below this many MB get W0905 (kLowMemoryJavaMb for the `java` driver, whose
/// JVM alone needs more).
inline constexpr int kLowMemoryMb = 16;
inline constexpr int kLowMemoryJavaMb = 64;

/// Reports every lint warning for `job`.
void Lint(const ir::Job& job, diag::DiagnosticEngine& diags);

}  // namespace drover::lint
