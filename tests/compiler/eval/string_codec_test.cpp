// compiler/eval/string_codec: the three quoting styles (what each escapes and what it copies as
// is) and base64 at every padding length.
#include "compiler/eval/string_codec.h"

#include <gtest/gtest.h>

#include "compiler/base/strings.h"

namespace drover::eval {
namespace {

TEST(StringCodecTest, AllStylesEscapeQuotesBackslashesAndWhitespace) {
  for (QuoteStyle style : {QuoteStyle::kGo, QuoteStyle::kHcl, QuoteStyle::kJson}) {
    EXPECT_EQ(Quoted("a\"b\\c\nd\re\tf", style), R"("a\"b\\c\nd\re\tf")");
    EXPECT_EQ(Quoted("", style), R"("")");
  }
}

TEST(StringCodecTest, ControlCharactersPerStyle) {
  std::string s = std::string("x\x01y", 3) + '\x1f' + '\0';
  EXPECT_EQ(Quoted(s, QuoteStyle::kGo), R"("x\x01y\x1f\x00")");
  EXPECT_EQ(Quoted(s, QuoteStyle::kHcl), R"("x\u0001y\u001f\u0000")");
  EXPECT_EQ(Quoted(s, QuoteStyle::kJson), R"("x\u0001y\u001f\u0000")");
}

TEST(StringCodecTest, OnlyJsonEscapesHtmlAndLineSeparators) {
  std::string s = "<a&b>\u2028\u2029\u2027";
  EXPECT_EQ(Quoted(s, QuoteStyle::kJson), "\"\\u003ca\\u0026b\\u003e\\u2028\\u2029\u2027\"");
  EXPECT_EQ(Quoted(s, QuoteStyle::kGo), "\"" + s + "\"");
  EXPECT_EQ(Quoted(s, QuoteStyle::kHcl), "\"" + s + "\"");
  // A truncated U+2028 at the end is copied as it is.
  EXPECT_EQ(Quoted("\xe2\x80", QuoteStyle::kJson), "\"\xe2\x80\"");
}

TEST(StringCodecTest, AppendQuotedAppends) {
  std::string out = "key: ";
  AppendQuoted("v", QuoteStyle::kGo, out);
  EXPECT_EQ(out, "key: \"v\"");
}

TEST(StringCodecTest, Base64AtEveryPaddingLength) {
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo"), "Zm9v");
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(EncodeBase64(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(IsValidUtf8Test, AcceptsWholeSequencesOnly) {
  EXPECT_TRUE(base::IsValidUtf8(""));
  EXPECT_TRUE(base::IsValidUtf8("plain"));
  EXPECT_TRUE(base::IsValidUtf8("h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(base::IsValidUtf8("\xff"));
  EXPECT_FALSE(base::IsValidUtf8("ok\xe2\x82"));  // truncated
  EXPECT_FALSE(base::IsValidUtf8("\xc0\xaf"));    // overlong
}

}  // namespace
}  // namespace drover::eval
