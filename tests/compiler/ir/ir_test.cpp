#include <gtest/gtest.h>

#include "compiler/ir/enums.h"
#include "compiler/ir/interpolate.h"
#include "compiler/ir/job.h"

namespace drover::ir {
namespace {

using namespace std::chrono_literals;

TEST(DurationTest, ParsesGoDurations) {
  EXPECT_EQ(ParseDuration("10s"), Duration(10s));
  EXPECT_EQ(ParseDuration("1h30m"), Duration(90min));
  EXPECT_EQ(ParseDuration("300ms"), Duration(300ms));
  EXPECT_EQ(ParseDuration("1.5h"), Duration(90min));
  EXPECT_EQ(ParseDuration("-2m"), Duration(-2min));
  EXPECT_EQ(ParseDuration("0"), Duration(0));
  EXPECT_EQ(ParseDuration("2us"), Duration(2us));
  EXPECT_EQ(ParseDuration(""), std::nullopt);
  EXPECT_EQ(ParseDuration("10"), std::nullopt);
  EXPECT_EQ(ParseDuration("5d"), std::nullopt);
  EXPECT_EQ(ParseDuration("s"), std::nullopt);
  EXPECT_EQ(ParseDuration("9999999999h"), std::nullopt);
}

TEST(DurationTest, FormatsLikeGo) {
  EXPECT_EQ(FormatDuration(Duration(0)), "0s");
  EXPECT_EQ(FormatDuration(10s), "10s");
  EXPECT_EQ(FormatDuration(90s), "1m30s");
  EXPECT_EQ(FormatDuration(1h), "1h0m0s");
  EXPECT_EQ(FormatDuration(1500ms), "1.5s");
  EXPECT_EQ(FormatDuration(250ms), "250ms");
  EXPECT_EQ(FormatDuration(-5s), "-5s");
}

TEST(EnumsTest, RoundTripSpellings) {
  for (std::string_view s : Spellings(JobType{})) EXPECT_EQ(ToString(*ParseJobType(s)), s);
  for (std::string_view s : Spellings(ConstraintOp{})) EXPECT_EQ(ToString(*ParseConstraintOp(s)), s);
  EXPECT_EQ(ParseConstraintOp("=="), ConstraintOp::kEqual);
  EXPECT_EQ(ParseConstraintOp("set_contains_all"), ConstraintOp::kSetContains);
  EXPECT_EQ(ParseJobType("daemon"), std::nullopt);
}

TEST(InterpolateTest, SplitsAndRenders) {
  auto segs = ParseRuntimeTemplate("http://${attr.unique.hostname}:${ NOMAD_PORT_http }/x");
  ASSERT_EQ(segs.size(), 5u);
  EXPECT_EQ(segs[1], (TemplateSegment{true, "attr.unique.hostname"}));
  EXPECT_EQ(segs[3], (TemplateSegment{true, "NOMAD_PORT_http"}));
  EXPECT_TRUE(HasRuntimeReferences("a${b}"));
  EXPECT_FALSE(HasRuntimeReferences("a${b"));
  std::string out = RenderRuntimeTemplate("${NOMAD_PORT_http}-${unknown}-${env[\"X}\"]}", [](std::string_view r) -> std::optional<std::string> {
    if (r == "NOMAD_PORT_http") return "8080";
    if (r == "env[\"X}\"]") return "x";
    return std::nullopt;
  });
  EXPECT_EQ(out, "8080-${unknown}-x");
}

TEST(OriginTest, NeverAffectsEquality) {
  Job a;
  a.id = "web";
  Job b = a;
  b.origin.range = {1, 10, 20};
  b.origin.Set("id", {1, 12, 17});
  EXPECT_EQ(a, b);
  b.priority = 70;
  EXPECT_NE(a, b);
  EXPECT_EQ(b.origin.Field("id").begin, 12u);
  EXPECT_EQ(b.origin.Field("type").begin, 10u);
}

}  // namespace
}  // namespace drover::ir
