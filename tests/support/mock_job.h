// IR job builders for tests: a small valid job to mutate (one rule per test), and seeded random
// jobs that touch every IR field (for the JSON round-trip property).
#pragma once

#include <cstdint>

#include "compiler/ir/job.h"

namespace drover::testing {

/// A valid, canonical-looking service job "web": region/namespace/datacenters set, one group "web"
/// (count 2, network with dynamic port "http" mapped to 8080 and static port "admin" 9000, service
/// "web" on "http" with an http check, restart/reschedule/update/migrate/disk filled with Nomad's
/// defaults) and one docker task "server" (cpu 100, memory 300, logs 10 x 10 MB). Validate()
/// reports nothing on it; tests change one thing and assert the one diagnostic that follows.
ir::Job MockJob();

/// A random IR job from `seed`. Every optional is sometimes set and sometimes not, lists have 0..3
/// items, strings include quotes, escapes and non-ASCII (always valid UTF-8), durations and
/// numbers cover negative and large values. Origins stay empty. The job is not meant to be valid;
/// it keeps the one IR invariant the JSON form needs (tls_server_name_set == !tls_server_name
/// .empty()).
ir::Job RandomJob(uint64_t seed);

}  // namespace drover::testing
