// Constraint and affinity operators evaluated against one node, as Nomad's ConstraintChecker does:
// targets `${attr.*}`, `${meta.*}`, `${node.unique.id}`, `${node.unique.name}`,
// `${node.datacenter}`, `${node.class}`, `${node.pool}` or a literal; operators =, !=, <, <=, >,
// >=, regexp, set_contains(_all), set_contains_any, version, semver, is_set, is_not_set.
// distinct_hosts and distinct_property always pass here (the stack checks them against the plan).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/job.h"
#include "reconciler/model/types.h"

namespace drover::scheduler {

/// The value a constraint target names on `node`; nullopt when the node lacks it (a missing
/// attribute, or an unknown `${...}` reference). A target without `${` is a literal. `scratch`
/// holds text the node does not store (the id's printed form) and must outlive the result.
std::optional<std::string_view> ResolveTarget(std::string_view target, const model::Node& node,
                                              std::string& scratch);

/// True when a target reads something unique to one node (`${node.unique.*}`, `${attr.unique.*}`,
/// `${meta.unique.*}`): such constraints cannot be cached per computed class.
bool TargetEscapesClass(std::string_view target);

/// Nomad's `Constraint.String()`: "<ltarget> <operand> <rtarget>", the key of ConstraintFiltered.
std::string ConstraintString(const ir::Constraint& c);

/// Caches compiled regular expressions and version constraints for one evaluation.
class ConstraintCache {
 public:
  /// Null when `pattern` does not compile.
  const std::regex* Regex(const std::string& pattern);

 private:
  std::map<std::string, std::unique_ptr<std::regex>> regex_;
  std::map<std::string, bool> bad_regex_;
};

/// Evaluates `op` on resolved values (lfound/rfound: whether each target resolved).
bool CheckOperator(ir::ConstraintOp op, std::optional<std::string_view> l,
                   std::optional<std::string_view> r, ConstraintCache& cache);

/// Resolves both targets of `c` on `node` and checks the operator.
bool MeetsConstraint(const ir::Constraint& c, const model::Node& node, ConstraintCache& cache);
bool MatchesAffinity(const ir::Affinity& a, const model::Node& node, ConstraintCache& cache);

// ---- versions ------------------------------------------------------------------------------------

/// A parsed version: numeric segments (at least three, zero-padded), pre-release and build
/// metadata, following hashicorp/go-version's grammar (a leading "v" is allowed).
struct Version {
  std::vector<int64_t> segments;
  int written_segments = 0;  ///< how many segments the text had (for "~>")
  std::string prerelease;
  std::string metadata;

  static std::optional<Version> Parse(std::string_view text);
  /// -1, 0, 1; metadata is ignored, a pre-release sorts before its release.
  int Compare(const Version& other) const;
};

/// True when `version` satisfies every comma-separated clause of `constraint`
/// ("= 1.2", ">= 1.0, < 2", "~> 1.4"). `semver` selects Nomad's strict semver rules: no "~>",
/// pre-releases compare by precedence without go-version's pre-release gate. False when either
/// side does not parse.
bool CheckVersionConstraint(std::string_view version, std::string_view constraint, bool semver);

}  // namespace drover::scheduler
