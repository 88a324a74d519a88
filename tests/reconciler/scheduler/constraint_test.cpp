// Constraint operators, targets and versions, table-driven.
#include "reconciler/scheduler/constraint.h"

#include <gtest/gtest.h>

#include "tests/support/builders.h"

namespace drover::scheduler {
namespace {

using Op = ir::ConstraintOp;

struct Case {
  std::string l;
  Op op;
  std::string r;
  bool want;
};

class ConstraintTest : public ::testing::TestWithParam<Case> {};

model::Node TestNode() {
  model::Node n = testing::MockNode();
  n.id = *model::Id::Parse("12345678-abcd-4f00-8000-000000000001");
  n.name = "worker-1";
  n.attributes["cpu.numcores"] = "8";
  n.attributes["cpu.frequency"] = "2.5";
  n.attributes["os.version"] = "22.04";
  n.attributes["nomad.version"] = "1.6.2";
  n.attributes["docker.version"] = "24.0.5-beta.1";
  n.meta["tags"] = "a, b,c";
  return n;
}

TEST_P(ConstraintTest, Evaluates) {
  const Case& c = GetParam();
  ConstraintCache cache;
  model::Node node = TestNode();
  EXPECT_EQ(MeetsConstraint(testing::MakeConstraint(c.l, c.op, c.r), node, cache), c.want)
      << c.l << " " << ir::ToString(c.op) << " " << c.r;
}

INSTANTIATE_TEST_SUITE_P(
    Operators, ConstraintTest,
    ::testing::Values(
        Case{"${attr.kernel.name}", Op::kEqual, "linux", true},
        Case{"${attr.kernel.name}", Op::kEqual, "darwin", false},
        Case{"${attr.missing}", Op::kEqual, "", false},
        Case{"${attr.kernel.name}", Op::kNotEqual, "darwin", true},
        Case{"${attr.missing}", Op::kNotEqual, "x", true},  // missing attributes match !=
        Case{"${node.datacenter}", Op::kEqual, "dc1", true},
        Case{"${node.unique.name}", Op::kEqual, "worker-1", true},
        Case{"${node.unique.id}", Op::kEqual, "12345678-abcd-4f00-8000-000000000001", true},
        Case{"${node.class}", Op::kEqual, "linux-medium-pci", true},
        Case{"${node.pool}", Op::kEqual, "default", true},
        Case{"${meta.database}", Op::kEqual, "mysql", true},
        Case{"${node.bogus}", Op::kIsSet, "", false},
        Case{"${attr.cpu.numcores}", Op::kGreater, "4", true},     // integers
        Case{"${attr.cpu.numcores}", Op::kLess, "10", true},       // not lexical
        Case{"${attr.cpu.frequency}", Op::kGreaterEqual, "2.5", true},  // floats
        Case{"${attr.kernel.name}", Op::kLess, "mac", true},            // lexical
        Case{"${attr.cpu.numcores}", Op::kLessEqual, "7", false},
        Case{"${attr.missing}", Op::kLess, "10", false},
        Case{"${attr.kernel.name}", Op::kRegexp, "^lin", true},
        Case{"${attr.kernel.name}", Op::kRegexp, "nux", true},  // unanchored, as Go's MatchString
        Case{"${attr.kernel.name}", Op::kRegexp, "[", false},   // does not compile
        Case{"${meta.tags}", Op::kSetContains, "a,c", true},
        Case{"${meta.tags}", Op::kSetContains, "a,d", false},
        Case{"${meta.tags}", Op::kSetContainsAny, "d, b", true},
        Case{"${meta.tags}", Op::kSetContainsAny, "d,e", false},
        Case{"${attr.nomad.version}", Op::kVersion, ">= 1.5, < 2.0", true},
        Case{"${attr.nomad.version}", Op::kVersion, "~> 1.6.0", true},
        Case{"${attr.nomad.version}", Op::kVersion, "~> 1.5.0", false},
        Case{"${attr.nomad.version}", Op::kVersion, "= 1.6.2", true},
        Case{"${attr.docker.version}", Op::kVersion, ">= 24.0", false},  // pre-release gate
        Case{"${attr.docker.version}", Op::kSemver, ">= 24.0.0-alpha", true},
        Case{"${attr.docker.version}", Op::kSemver, "< 24.0.5", true},
        Case{"${attr.nomad.version}", Op::kSemver, "~> 1.6", false},  // no pessimistic
        Case{"${attr.os.version}", Op::kVersion, "> 20.04", true},
        Case{"${attr.kernel.name}", Op::kVersion, "> 1", false},
        Case{"${attr.consul.version}", Op::kIsSet, "", true},
        Case{"${attr.consul.version}", Op::kIsNotSet, "", false},
        Case{"${attr.nope}", Op::kIsNotSet, "", true},
        Case{"${attr.nope}", Op::kDistinctHosts, "", true}));

TEST(ConstraintStringTest, MatchesNomadsFormat) {
  EXPECT_EQ(ConstraintString(testing::MakeConstraint("${attr.kernel.name}", Op::kEqual, "linux")),
            "${attr.kernel.name} = linux");
  EXPECT_EQ(ConstraintString(testing::MakeConstraint("${meta.v}", Op::kSemver, ">= 1.0")),
            "${meta.v} semver >= 1.0");
}

TEST(ConstraintEscapeTest, UniqueTargetsEscapeTheClassCache) {
  EXPECT_TRUE(TargetEscapesClass("${node.unique.id}"));
  EXPECT_TRUE(TargetEscapesClass("${attr.unique.hostname}"));
  EXPECT_TRUE(TargetEscapesClass("${meta.unique.rack}"));
  EXPECT_FALSE(TargetEscapesClass("${attr.kernel.name}"));
}

TEST(VersionTest, ParsesAndOrders) {
  auto v = Version::Parse("v1.2.3-beta.1+build5");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->segments, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(v->prerelease, "beta.1");
  EXPECT_EQ(v->metadata, "build5");
  EXPECT_FALSE(Version::Parse("one.two").has_value());
  EXPECT_LT(Version::Parse("1.2.3-alpha")->Compare(*Version::Parse("1.2.3")), 0);
  EXPECT_LT(Version::Parse("1.2.3-alpha.2")->Compare(*Version::Parse("1.2.3-alpha.10")), 0);
  EXPECT_LT(Version::Parse("1.2.3-1")->Compare(*Version::Parse("1.2.3-alpha")), 0);
  EXPECT_EQ(Version::Parse("1.2")->Compare(*Version::Parse("1.2.0")), 0);
}

}  // namespace
}  // namespace drover::scheduler
