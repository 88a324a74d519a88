#include "reconciler/model/id.h"

#include <gtest/gtest.h>

namespace drover::model {
namespace {

TEST(IdTest, PrintsAndParsesUuids) {
  Id id = Id::FromRandom(0x0123456789abcdefULL, 0xfedcba9876543210ULL);
  std::string s = id.ToString();
  ASSERT_EQ(s.size(), 36u);
  EXPECT_EQ(s[14], '4');  // version 4
  EXPECT_EQ(Id::Parse(s), id);
  EXPECT_EQ(Id::Parse(s).value().Short(), s.substr(0, 8));
  EXPECT_EQ(Id::Parse("not-a-uuid"), std::nullopt);
  EXPECT_EQ(Id::Parse("0123456789abcdef0123456789abcdef0123"), std::nullopt);
  EXPECT_EQ(Id::Parse(""), Id{});
  EXPECT_EQ(Id{}.ToString(), "");
  EXPECT_EQ(Id::Parse("ABCDEF01-2345-4789-8bcd-ef0123456789").value().ToString(),
            "abcdef01-2345-4789-8bcd-ef0123456789");
}

}  // namespace
}  // namespace drover::model
