// The schema of a drover agent configuration file (`drover agent -config FILE|DIR`), after
// Nomad's agent configuration: top-level settings, `ports`/`addresses`/`advertise`, `server`,
// `client` (with `reserved`, `host_network`, `host_volume`), `plugin "<name>"`, `consul`, and
// blocks drover accepts but does not act on yet (`telemetry`, `acl`, `tls`, `ui`, `vault`, ...),
// kept free-form so that existing configuration files load.
#pragma once

#include "compiler/schema/schema.h"

namespace drover::schema {

/// The body of one agent configuration file.
const BlockSpec& AgentConfigSchema();

}  // namespace drover::schema
