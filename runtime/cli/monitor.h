// Nomad's evaluation monitor, used by `job run`, `job stop` and `eval status -monitor`: it polls
// the evaluation and its allocations, prints each change once (`Allocation "5e0b39f0" created:
// node "3e84d3d2", group "cache"`), follows the NextEval chain, then follows the evaluation's
// deployment until it ends, printing the deployment block each time it changes (Nomad's non-tty
// deployment monitor; drover has no in-place spinner).
//
//   ==> 2021-06-09T15:22:58-07:00: Monitoring evaluation "52dee78a"
//       2021-06-09T15:22:58-07:00: Evaluation triggered by job "example"
//       ...
//   ==> 2021-06-09T15:22:59-07:00: Evaluation "52dee78a" finished with status "complete"
//
// Exit code: 0; 2 when allocations could not be placed (unless the deployment then succeeds);
// 1 for API errors and for a deployment that does not succeed.
#pragma once

#include <string>

namespace drover::cli {

class ApiClient;
class Colorizer;
struct Io;

/// Monitors `eval_id` until it (and its deployment, if any) finishes. `id_length` is 8 or 36.
int MonitorEvaluation(const ApiClient& client, Io& io, const Colorizer& color,
                      const std::string& eval_id, size_t id_length);

/// `deployment status -monitor`: prints `<time>: Monitoring deployment "<id>"`, then follows
/// deployment `deployment_id` (full id) until it ends, printing the deployment block each time it
/// changes (with the allocations when `id_length` is 36) and the rollback deployment after an
/// auto-reverted failure, without the evaluation monitor's prefixes. Returns the final status,
/// "" after an API error.
std::string MonitorDeployment(const ApiClient& client, Io& io, const Colorizer& color,
                              const std::string& deployment_id, size_t id_length);

}  // namespace drover::cli
