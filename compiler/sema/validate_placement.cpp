// Validate: constraint, affinity and spread rules (Nomad's Constraint/Affinity/Spread.Validate).
#include <cstdlib>
#include <map>

#include "compiler/ir/interpolate.h"
#include "compiler/sema/patterns.h"
#include "compiler/sema/validate_internal.h"

namespace drover::sema::internal {
namespace {

bool IsComparison(ir::ConstraintOp op) {
  switch (op) {
    case ir::ConstraintOp::kEqual:
    case ir::ConstraintOp::kNotEqual:
    case ir::ConstraintOp::kLess:
    case ir::ConstraintOp::kLessEqual:
    case ir::ConstraintOp::kGreater:
    case ir::ConstraintOp::kGreaterEqual:
      return true;
    default:
      return false;
  }
}

/// The operand checks constraints and affinities share (regexp compiles, version constraint
/// parses, set operators and comparisons have a value). `what` is "constraint" or "affinity".
void CheckOperand(Validator& v, std::string_view what, ir::ConstraintOp op,
                  const std::string& r_target, const ir::Origin& o) {
  std::string_view op_name = ir::ToString(op);
  bool dynamic = ir::HasRuntimeReferences(r_target);
  switch (op) {
    case ir::ConstraintOp::kSetContains:
    case ir::ConstraintOp::kSetContainsAny:
      if (r_target.empty()) {
        v.Report(DiagKind::kConstraintMissingOperand, o.Field("operator"), what, op_name,
                 "a `value`");
      }
      break;
    case ir::ConstraintOp::kRegexp:
      if (!dynamic) {
        if (auto err = CheckRegexp(r_target)) {
          v.Report(DiagKind::kInvalidRegexp, o.Field("value"), r_target, *err);
        }
      }
      break;
    case ir::ConstraintOp::kVersion:
      if (!dynamic && CheckVersionConstraint(r_target)) {
        v.Report(DiagKind::kInvalidVersionConstraint, o.Field("value"), "version", r_target)
            .Help("use comma-separated `<op> <version>` pairs, e.g. `>= 1.2, < 2.0`");
      }
      break;
    case ir::ConstraintOp::kSemver:
      if (!dynamic && CheckSemverConstraint(r_target)) {
        v.Report(DiagKind::kInvalidVersionConstraint, o.Field("value"), "semver", r_target)
            .Help("use comma-separated `<op> <major.minor.patch>` pairs, e.g. `>= 1.2.0`");
      }
      break;
    default:
      if (IsComparison(op) && r_target.empty()) {
        v.Report(DiagKind::kConstraintMissingOperand, o.Field("operator"), what, op_name,
                 "a `value`");
      }
      break;
  }
}

}  // namespace

void Validator::ValidateConstraints(const std::vector<ir::Constraint>& constraints,
                                    bool task_level) {
  for (const ir::Constraint& c : constraints) {
    const ir::Origin& o = c.origin;
    std::string_view op = ir::ToString(c.op);
    bool needs_attribute = c.op != ir::ConstraintOp::kDistinctHosts;
    switch (c.op) {
      case ir::ConstraintOp::kDistinctProperty:
        if (!c.r_target.empty() && !ir::HasRuntimeReferences(c.r_target)) {
          char* end = nullptr;
          unsigned long long n = std::strtoull(c.r_target.c_str(), &end, 10);
          if (*end != '\0' || c.r_target[0] == '-' || c.r_target[0] == '+' || n < 1) {
            Report(DiagKind::kInvalidDistinctCount, o.Field("value"), c.r_target);
          }
        }
        break;
      case ir::ConstraintOp::kIsSet:
      case ir::ConstraintOp::kIsNotSet:
        if (!c.r_target.empty()) {
          Report(DiagKind::kConstraintUnexpectedValue, o.Field("value"), "constraint", op,
                 c.r_target);
        }
        break;
      case ir::ConstraintOp::kDistinctHosts:
        break;
      default:
        CheckOperand(*this, "constraint", c.op, c.r_target, o);
        break;
    }
    if (needs_attribute && c.l_target.empty()) {
      Report(DiagKind::kConstraintMissingOperand, o.Field("operator"), "constraint", op,
             "an `attribute`");
    }
    if (task_level &&
        (c.op == ir::ConstraintOp::kDistinctHosts || c.op == ir::ConstraintOp::kDistinctProperty)) {
      Report(DiagKind::kDistinctAtTaskLevel, o.Field("operator"), op)
          .Help("move the constraint to the group or the job");
    }
  }
}

void Validator::ValidateAffinities(const std::vector<ir::Affinity>& affinities) {
  for (const ir::Affinity& a : affinities) {
    const ir::Origin& o = a.origin;
    switch (a.op) {
      case ir::ConstraintOp::kDistinctHosts:
      case ir::ConstraintOp::kDistinctProperty:
      case ir::ConstraintOp::kIsSet:
      case ir::ConstraintOp::kIsNotSet:
        Report(DiagKind::kAffinityOperator, o.Field("operator"), ir::ToString(a.op));
        break;
      default:
        CheckOperand(*this, "affinity", a.op, a.r_target, o);
        break;
    }
    if (a.l_target.empty()) {
      Report(DiagKind::kConstraintMissingOperand, o.Field("operator"), "affinity",
             ir::ToString(a.op), "an `attribute`");
    }
    if (a.weight > 100 || a.weight < -100) {
      Report(DiagKind::kAffinityWeight, o.Field("weight"), static_cast<int>(a.weight),
             "must be within the range [-100, 100]");
    } else if (a.weight == 0) {
      Report(DiagKind::kAffinityWeight, o.Field("weight"), static_cast<int>(a.weight),
             "has no effect; use a weight from -100 to 100 other than 0");
    }
  }
}

void Validator::ValidateSpreads(const std::vector<ir::Spread>& spreads) {
  for (const ir::Spread& s : spreads) {
    const ir::Origin& o = s.origin;
    if (s.attribute.empty()) {
      Report(DiagKind::kInvalidSpread, o.Field("attribute"), "missing spread `attribute`");
    }
    if (s.weight <= 0 || s.weight > 100) {
      Report(DiagKind::kInvalidSpread, o.Field("weight"),
             fmt::format("weight {} must be between 1 and 100", static_cast<int>(s.weight)));
    }
    std::map<std::string, const ir::SpreadTarget*> seen;
    unsigned sum = 0;
    for (const ir::SpreadTarget& t : s.targets) {
      if (auto [it, inserted] = seen.emplace(t.value, &t); !inserted) {
        Report(DiagKind::kInvalidSpread, t.origin.range,
               fmt::format("target `{}` is already defined", t.value))
            .Note(it->second->origin.range, "first defined here");
      }
      if (t.percent > 100) {
        Report(DiagKind::kInvalidSpread, t.origin.Field("percent"),
               fmt::format("target percentage for `{}` must be between 0 and 100 (got {})", t.value,
                           static_cast<int>(t.percent)));
      }
      sum += t.percent;
    }
    if (sum > 100) {
      Report(DiagKind::kInvalidSpread, o.range,
             fmt::format("the target percentages add up to {}%; the sum must not be greater "
                         "than 100%",
                         sum));
    }
  }
}

}  // namespace drover::sema::internal
