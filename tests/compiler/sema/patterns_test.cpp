// The embedded languages Validate checks: cron specs, RE2 patterns, version constraints and
// alloc-relative paths.
#include "compiler/sema/patterns.h"

#include <gtest/gtest.h>

namespace drover::sema {
namespace {

TEST(PatternsTest, CronAccepts) {
  for (const char* spec :
       {"* * * * *", "*/5 * * * *", "0 9 * * MON-FRI", "0 0 1 JAN,jul *", "15 3 L * ?",
        "0 12 15W * *", "0 12 * * 5L", "0 12 * * 1#2", "0 0 * * 7", "0 30 9 * * * 2030",
        "0 0 12 * * 2025", "@daily", "@hourly", "@annually", "  0 1 * * *  ", "1-10/2 * * * *"}) {
    EXPECT_EQ(CheckCronSpec(spec), std::nullopt) << spec;
  }
}

TEST(PatternsTest, CronRejects) {
  struct Row {
    const char* spec;
    const char* error;
  };
  for (Row row : std::initializer_list<Row>{
           {"", "empty spec"},
           {"* * * *", "expected 5 to 7 fields, found 4"},
           {"* * * * * * * *", "expected 5 to 7 fields, found 8"},
           {"60 * * * *", "minute 60 is out of range [0, 59]"},
           {"* 24 * * *", "hour 24 is out of range [0, 23]"},
           {"* * 0 * *", "day of month 0 is out of range [1, 31]"},
           {"* * * 13 *", "month 13 is out of range [1, 12]"},
           {"* * * FOO *", "`FOO` is not a valid month"},
           {"* * * * 8", "day of week 8 is out of range [0, 7]"},
           {"*/0 * * * *", "`*/0`: the step after `/` must be a positive number"},
           {"1,,2 * * * *", "empty entry in the minute field"},
           {"* * * * 1#9", "`1#9`: the week after `#` must be 1 to 5"},
           {"@every 5m", "unknown predefined schedule `@every 5m`"},
           {"? * * * *", "`?` is not a valid minute"}}) {
    EXPECT_EQ(CheckCronSpec(row.spec), std::optional<std::string>(row.error)) << row.spec;
  }
}

TEST(PatternsTest, Regexp) {
  for (const char* ok : {"^linux$", "(?i)^Linux", "(?P<name>a+)", "a(?:b|c)", "[[:alpha:]]+",
                         "\\d+\\.\\d+", "\\Aabc\\z", "\\pL+", "a{2,3}", "\\Q.*\\E", "[\\]]"}) {
    EXPECT_EQ(CheckRegexp(ok), std::nullopt) << ok;
  }
  for (const char* bad : {"[a-", "(", "a)", "(a)\\1", "(?=x)", "(?<!x)y", "\\K", "*a", "a{2"}) {
    EXPECT_NE(CheckRegexp(bad), std::nullopt) << bad;
  }
}

TEST(PatternsTest, RegexpLimitsAndHostileInput) {
  EXPECT_EQ(CheckRegexp("a{1001}"), std::optional<std::string>("invalid repeat count `{1001}`"));
  EXPECT_EQ(CheckRegexp(std::string(2000, '(') + std::string(2000, ')')),
            std::optional<std::string>("expression nests too deeply"));
  // Large inputs are judged without crashing (std::regex recursion is never given them).
  EXPECT_EQ(CheckRegexp(std::string(200000, 'a')), std::nullopt);
  EXPECT_EQ(CheckRegexp(std::string(500, '(') + "a" + std::string(500, ')')), std::nullopt);
  EXPECT_EQ(CheckRegexp("(a{999}){999}"), std::nullopt);
  EXPECT_NE(CheckVersionConstraint(std::string(100000, '1')), std::nullopt);
  EXPECT_NE(CheckCronSpec(std::string(100000, '*')), std::nullopt);
}

TEST(PatternsTest, VersionConstraints) {
  for (const char* ok : {"1.0", ">= 1.2.3", "~> 1.2", ">1.0, <2.0", "= v1.2.3-beta.1+build.5",
                         "!= 4.0.0-rc1", "  <= 10  "}) {
    EXPECT_EQ(CheckVersionConstraint(ok), std::nullopt) << ok;
  }
  for (const char* bad : {"", ">= one", "1.0 ,", "=> 1.0", ">= 1..2", "latest"}) {
    EXPECT_NE(CheckVersionConstraint(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(CheckSemverConstraint(">= 1.2.3, < 2"), std::nullopt);
  EXPECT_NE(CheckSemverConstraint("~> 1.2"), std::nullopt);
  EXPECT_NE(CheckSemverConstraint("1.2.3.4"), std::nullopt);
}

TEST(PatternsTest, PathEscapesAllocDir) {
  struct Row {
    const char* prefix;
    const char* path;
    bool escapes;
  };
  for (Row row : std::initializer_list<Row>{{"task", "local/", false},
                                            {"task", "local/../secrets/x", false},
                                            {"task", "../alloc/data", false},
                                            {"task", "/etc/passwd", false},
                                            {"task", "../../x", true},
                                            {"task", "../../alloc-id/x", false},
                                            {"task", "../../../alloc-dir/alloc-id/x", false},
                                            {"task/local/", "../../../x", true},
                                            {"task/local/", "in/put.json", false}}) {
    EXPECT_EQ(PathEscapesAllocDir(row.prefix, row.path), row.escapes)
        << row.prefix << " + " << row.path;
  }
}

}  // namespace
}  // namespace drover::sema
