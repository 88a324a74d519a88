// The diagnostic renderers: text (snippet, caret and tildes, tabs, wide and invalid characters,
// long lines, notes, help), gcc, JSON and SARIF 2.1.0.
#include "compiler/diag/render.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace drover::diag {
namespace {

class RenderTest : public ::testing::Test {
 protected:
  FileId Add(std::string text, std::string name = "t.hcl") {
    return sm_.AddBuffer(std::move(name), std::move(text));
  }
  /// The range of the first occurrence of `what` in `file`.
  SourceRange Find(FileId file, std::string_view what, size_t from = 0) {
    size_t at = sm_.Text(file).find(what, from);
    EXPECT_NE(at, std::string_view::npos) << what;
    return {file, static_cast<uint32_t>(at), static_cast<uint32_t>(at + what.size())};
  }
  std::string Text() { return RenderAll(diags_.diagnostics(), sm_, DiagFormat::kText); }
  std::string Gcc() { return RenderAll(diags_.diagnostics(), sm_, DiagFormat::kGcc); }
  nlohmann::json Json() {
    return nlohmann::json::parse(RenderAll(diags_.diagnostics(), sm_, DiagFormat::kJson));
  }
  nlohmann::json Sarif() {
    return nlohmann::json::parse(RenderAll(diags_.diagnostics(), sm_, DiagFormat::kSarif, "1.2.3"));
  }

  SourceManager sm_;
  DiagnosticEngine diags_;
};

// ---- text -------------------------------------------------------------------------------------

TEST_F(RenderTest, TextUnderlinesTheRangeWithCaretAndTildes) {
  FileId f = Add("a = 1\nbob = 2\n");
  diags_.Build(DiagKind::kDuplicateAttribute, Find(f, "bob"), "bob");
  EXPECT_EQ(Text(),
            "t.hcl:2:1: error[E0111]: attribute `bob` is already defined\n"
            "    2 | bob = 2\n"
            "      | ^~~\n");
}

TEST_F(RenderTest, TextOneCharacterRangeIsACaret) {
  FileId f = Add("count = 3 @ 2\n");
  diags_.Build(DiagKind::kInvalidCharacter, Find(f, "@"), "`@`");
  EXPECT_EQ(Text(),
            "t.hcl:1:11: error[E0107]: invalid character `@`\n"
            "    1 | count = 3 @ 2\n"
            "      |           ^\n");
}

TEST_F(RenderTest, TextExpandsTabsToFourColumnsAndCountsATabAsOneInTheLocation) {
  FileId f = Add("job {\n\t\tx = @\n}\n");
  diags_.Build(DiagKind::kInvalidCharacter, Find(f, "@"), "`@`");
  EXPECT_EQ(Text(),
            "t.hcl:2:7: error[E0107]: invalid character `@`\n"
            "    2 |         x = @\n"
            "      |             ^\n");
}

TEST_F(RenderTest, TextAlignsUnderNonAsciiText) {
  // é is one column, 日 and 本 two each; the location counts code points.
  FileId f = Add("x = \"é日本\" @\n");
  diags_.Build(DiagKind::kInvalidCharacter, Find(f, "@"), "`@`");
  EXPECT_EQ(Text(),
            "t.hcl:1:11: error[E0107]: invalid character `@`\n"
            "    1 | x = \"é日本\" @\n"
            "      |             ^\n");
}

TEST_F(RenderTest, TextUnderlinesAWideCharacterWithTwoColumns) {
  FileId f = Add("x = 日\n");
  diags_.Build(DiagKind::kInvalidCharacter, Find(f, "日"), "`日`");
  EXPECT_EQ(Text(),
            "t.hcl:1:5: error[E0107]: invalid character `日`\n"
            "    1 | x = 日\n"
            "      |     ^~\n");
}

TEST_F(RenderTest, TextZeroWidthRangeAtTheEndOfALineIsACaretAfterIt) {
  FileId f = Add("region =\nx = 1\n");
  diags_.Build(DiagKind::kUnexpectedToken, SourceRange{f, 8, 8}, "newline", "an expression");
  EXPECT_EQ(Text(),
            "t.hcl:1:9: error[E0101]: unexpected newline; expected an expression\n"
            "    1 | region =\n"
            "      |         ^\n");
}

TEST_F(RenderTest, TextZeroWidthRangeAtTheEndOfAFileWithoutNewline) {
  FileId f = Add("region =");
  diags_.Build(DiagKind::kUnexpectedToken, SourceRange{f, 8, 8}, "end of file", "an expression");
  EXPECT_EQ(Text(),
            "t.hcl:1:9: error[E0101]: unexpected end of file; expected an expression\n"
            "    1 | region =\n"
            "      |         ^\n");
}

TEST_F(RenderTest, TextMultiLineRangeIsUnderlinedToTheEndOfItsFirstLine) {
  FileId f = Add("a = 1\nx = \"abc\n  def\"\n");
  SourceRange r{f, static_cast<uint32_t>(sm_.Text(f).find('"')),
                static_cast<uint32_t>(sm_.Text(f).rfind('"') + 1)};
  diags_.Build(DiagKind::kUnterminatedString, r);
  EXPECT_EQ(Text(),
            "t.hcl:2:5: error[E0102]: unterminated string; a quoted string must end on the line "
            "it starts\n"
            "    2 | x = \"abc\n"
            "      |     ^~~~\n");
}

TEST_F(RenderTest, TextPrintsHelpAndNotesWithTheirLocations) {
  FileId f = Add("a = 1\nb = 2\na = 3\n");
  diags_.Build(DiagKind::kDuplicateAttribute, Find(f, "a", 6), "a")
      .Note(Find(f, "a"), "first defined here")
      .Note(SourceRange{}, "attributes are unique within a body")
      .Help("rename one of them");
  EXPECT_EQ(Text(),
            "t.hcl:3:1: error[E0111]: attribute `a` is already defined\n"
            "    3 | a = 3\n"
            "      | ^\n"
            "      = help: rename one of them\n"
            "t.hcl:1:1: note: first defined here\n"
            "drover: note: attributes are unique within a body\n");
}

TEST_F(RenderTest, TextWithoutLocationHasNoSnippet) {
  diags_.Build(DiagKind::kCannotReadFile, SourceRange{}, "x.hcl", "No such file or directory");
  EXPECT_EQ(Text(), "drover: error[E0001]: cannot read `x.hcl`: No such file or directory\n");
}

TEST_F(RenderTest, TextReplacesControlCharactersAndInvalidUtf8ByQuestionMarks) {
  FileId f = Add(std::string("a = \x01 \xFF @\r\n", 11));
  diags_.Build(DiagKind::kInvalidCharacter, Find(f, "@"), "`@`");
  EXPECT_EQ(Text(),
            "t.hcl:1:9: error[E0107]: invalid character `@`\n"
            "    1 | a = ? ? @\n"
            "      |         ^\n");
}

TEST_F(RenderTest, TextCutsALongLineToAWindowAroundTheRange) {
  std::string line = "x = [" + std::string(300, 'a') + " @ " + std::string(300, 'b') + "]";
  FileId f = Add(line + "\n");
  diags_.Build(DiagKind::kInvalidCharacter, Find(f, "@"), "`@`");
  std::string text = Text();
  // 40 columns of context before the range, 120 columns in all, `...` on both sides.
  std::string shown = "..." + std::string(39, 'a') + " @ " + std::string(78, 'b') + "...";
  EXPECT_EQ(text,
            "t.hcl:1:307: error[E0107]: invalid character `@`\n"
            "    1 | " +
                shown + "\n" + "      | " + std::string(43, ' ') + "^\n");
}

TEST_F(RenderTest, TextCutsAVeryLongLineByBytesFirst) {
  // A 1 MiB line: rendering looks only at bytes around the range.
  std::string line(1 << 20, 'a');
  line[600000] = '@';
  FileId f = Add(line);
  diags_.Build(DiagKind::kInvalidCharacter, SourceRange{f, 600000, 600001}, "`@`");
  std::string text = Text();
  EXPECT_NE(text.find("    1 | ..." + std::string(40, 'a') + "@" + std::string(79, 'a') + "...\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("      | " + std::string(43, ' ') + "^\n"), std::string::npos) << text;
}

TEST_F(RenderTest, TextGutterWidensForLargeLineNumbersAndHelpFollows) {
  FileId f = Add(std::string(123455, '\n') + "@\n");
  diags_.Build(DiagKind::kInvalidCharacter, Find(f, "@"), "`@`").Help("remove it");
  EXPECT_EQ(Text(),
            "t.hcl:123456:1: error[E0107]: invalid character `@`\n"
            "123456 | @\n"
            "       | ^\n"
            "       = help: remove it\n");
}

// ---- gcc --------------------------------------------------------------------------------------

TEST_F(RenderTest, GccIsOneLinePerDiagnosticAndNoteWithTheCodeAtTheEnd) {
  FileId f = Add("a = 1\na = 2\n");
  diags_.Build(DiagKind::kDuplicateAttribute, Find(f, "a", 1), "a")
      .Note(Find(f, "a"), "first defined here")
      .Help("not printed in gcc form");
  diags_.Build(DiagKind::kPlaceholder, Find(f, "2"), "a warning");
  EXPECT_EQ(Gcc(),
            "t.hcl:2:1: error: attribute `a` is already defined [E0111]\n"
            "t.hcl:1:1: note: first defined here\n"
            "t.hcl:2:5: warning: a warning [W0001]\n");
}

// ---- JSON -------------------------------------------------------------------------------------

TEST_F(RenderTest, JsonHasEveryField) {
  FileId f = Add("a = 1\n\"b\" = 2\n");
  diags_.Build(DiagKind::kQuotedAttributeName, Find(f, "\"b\""))
      .Note(Find(f, "a"), "see also")
      .Help("write the name without quotes")
      .Fix(Find(f, "\"b\""), "b");
  nlohmann::json j = Json();
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 1u);
  const nlohmann::json& d = j[0];
  EXPECT_EQ(d["severity"], "error");
  EXPECT_EQ(d["code"], "E0113");
  EXPECT_EQ(d["name"], "QuotedAttributeName");
  EXPECT_EQ(d["message"], "attribute names must not be quoted");
  EXPECT_EQ(d["file"], "t.hcl");
  EXPECT_EQ(d["line"], 2);
  EXPECT_EQ(d["column"], 1);
  EXPECT_EQ(d["end_line"], 2);
  EXPECT_EQ(d["end_column"], 4);
  EXPECT_EQ(d["help"], "write the name without quotes");
  EXPECT_EQ(d["fixit"]["replacement"], "b");
  EXPECT_EQ(d["fixit"]["line"], 2);
  EXPECT_EQ(d["fixit"]["column"], 1);
  EXPECT_EQ(d["fixit"]["end_column"], 4);
  ASSERT_EQ(d["notes"].size(), 1u);
  EXPECT_EQ(d["notes"][0]["message"], "see also");
  EXPECT_EQ(d["notes"][0]["line"], 1);
  EXPECT_EQ(d["notes"][0]["file"], "t.hcl");
}

TEST_F(RenderTest, JsonOmitsTheLocationOfAnUnlocatedDiagnosticAndAnEmptyHelp) {
  diags_.Build(DiagKind::kCannotReadFile, SourceRange{}, "x.hcl", "is a directory");
  nlohmann::json d = Json()[0];
  EXPECT_FALSE(d.contains("file"));
  EXPECT_FALSE(d.contains("line"));
  EXPECT_FALSE(d.contains("help"));
  EXPECT_FALSE(d.contains("fixit"));
  EXPECT_EQ(d["notes"], nlohmann::json::array());
}

TEST_F(RenderTest, JsonOfNoDiagnosticsIsAnEmptyArray) {
  EXPECT_EQ(RenderAll(diags_.diagnostics(), sm_, DiagFormat::kJson), "[]\n");
}

// Messages and file names quote bytes that need not be UTF-8; the JSON and SARIF renderers must
// not throw on them (the fuzzer found that they did).
TEST_F(RenderTest, JsonAndSarifReplaceInvalidUtf8) {
  FileId f = Add("x = 1\n", "caf\xE9.hcl");
  diags_.Build(DiagKind::kPlaceholder, Find(f, "1"), "bad \xFF byte");
  std::string json;
  ASSERT_NO_THROW(json = RenderAll(diags_.diagnostics(), sm_, DiagFormat::kJson));
  EXPECT_NE(json.find("bad \xEF\xBF\xBD byte"), std::string::npos) << json;
  ASSERT_NO_THROW(RenderAll(diags_.diagnostics(), sm_, DiagFormat::kSarif));
}

// ---- SARIF ------------------------------------------------------------------------------------

TEST_F(RenderTest, SarifHasThe210Shape) {
  FileId f = Add("a = 1\na = 2\nb = @\n");
  diags_.Build(DiagKind::kDuplicateAttribute, Find(f, "a", 1), "a")
      .Note(Find(f, "a"), "first defined here");
  diags_.Build(DiagKind::kInvalidCharacter, Find(f, "@"), "`@`");
  diags_.Build(DiagKind::kDuplicateAttribute, Find(f, "b"), "b");
  diags_.Build(DiagKind::kPlaceholder, Find(f, "b"), "a warning");
  nlohmann::json log = Sarif();
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_NE(log["$schema"].get<std::string>().find("sarif-2.1.0"), std::string::npos);
  ASSERT_EQ(log["runs"].size(), 1u);
  const nlohmann::json& run = log["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "drover");
  EXPECT_EQ(run["tool"]["driver"]["version"], "1.2.3");
  EXPECT_EQ(run["columnKind"], "unicodeCodePoints");

  // One rule per code that occurs, in order of first occurrence.
  const nlohmann::json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0]["id"], "E0111");
  EXPECT_EQ(rules[0]["name"], "DuplicateAttribute");
  EXPECT_EQ(rules[0]["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(rules[1]["id"], "E0107");
  EXPECT_EQ(rules[2]["id"], "W0001");
  EXPECT_EQ(rules[2]["defaultConfiguration"]["level"], "warning");

  const nlohmann::json& results = run["results"];
  ASSERT_EQ(results.size(), 4u);
  const nlohmann::json& r0 = results[0];
  EXPECT_EQ(r0["ruleId"], "E0111");
  EXPECT_EQ(r0["ruleIndex"], 0);
  EXPECT_EQ(r0["level"], "error");
  EXPECT_EQ(r0["message"]["text"], "attribute `a` is already defined");
  ASSERT_EQ(r0["locations"].size(), 1u);
  const nlohmann::json& loc = r0["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "t.hcl");
  EXPECT_EQ(loc["region"]["startLine"], 2);
  EXPECT_EQ(loc["region"]["startColumn"], 1);
  EXPECT_EQ(loc["region"]["endLine"], 2);
  EXPECT_EQ(loc["region"]["endColumn"], 2);
  ASSERT_EQ(r0["relatedLocations"].size(), 1u);
  EXPECT_EQ(r0["relatedLocations"][0]["message"]["text"], "first defined here");
  EXPECT_EQ(r0["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 1);
  EXPECT_EQ(results[1]["ruleIndex"], 1);
  EXPECT_EQ(results[2]["ruleId"], "E0111");
  EXPECT_EQ(results[2]["ruleIndex"], 0);
  EXPECT_FALSE(results[2].contains("relatedLocations"));
  EXPECT_EQ(results[3]["level"], "warning");
  EXPECT_EQ(results[3]["ruleIndex"], 2);
}

TEST_F(RenderTest, SarifColumnsCountCodePoints) {
  FileId f = Add("x = \"😀\" @\n");
  diags_.Build(DiagKind::kInvalidCharacter, Find(f, "@"), "`@`");
  nlohmann::json log = Sarif();
  const nlohmann::json& region =
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(region["startColumn"], 9);
  EXPECT_EQ(region["endColumn"], 10);
}

TEST_F(RenderTest, SarifUrisArePercentEncoded) {
  FileId f = Add("@\n", "<stdin>");
  FileId g = Add("@\n", "my jobs/web.hcl");
  diags_.Build(DiagKind::kInvalidCharacter, SourceRange{f, 0, 1}, "`@`");
  diags_.Build(DiagKind::kInvalidCharacter, SourceRange{g, 0, 1}, "`@`");
  nlohmann::json log = Sarif();
  const nlohmann::json& results = log["runs"][0]["results"];
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "%3Cstdin%3E");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "my%20jobs/web.hcl");
}

TEST_F(RenderTest, SarifFixItIsAReplacement) {
  FileId f = Add("\"b\" = 2\n");
  diags_.Build(DiagKind::kQuotedAttributeName, Find(f, "\"b\""))
      .Help("write the name without quotes")
      .Fix(Find(f, "\"b\""), "b");
  nlohmann::json log = Sarif();
  const nlohmann::json& fix = log["runs"][0]["results"][0]["fixes"][0];
  EXPECT_EQ(fix["description"]["text"], "write the name without quotes");
  const nlohmann::json& change = fix["artifactChanges"][0];
  EXPECT_EQ(change["artifactLocation"]["uri"], "t.hcl");
  EXPECT_EQ(change["replacements"][0]["deletedRegion"]["startColumn"], 1);
  EXPECT_EQ(change["replacements"][0]["deletedRegion"]["endColumn"], 4);
  EXPECT_EQ(change["replacements"][0]["insertedContent"]["text"], "b");
}

TEST_F(RenderTest, SarifUnlocatedResultHasNoLocations) {
  diags_.Build(DiagKind::kCannotReadFile, SourceRange{}, "x.hcl", "is a directory");
  nlohmann::json log = Sarif();
  const nlohmann::json& result = log["runs"][0]["results"][0];
  EXPECT_EQ(result["ruleId"], "E0001");
  EXPECT_FALSE(result.contains("locations"));
}

TEST_F(RenderTest, SarifOfNoDiagnosticsHasEmptyResultsAndRules) {
  nlohmann::json run = Sarif()["runs"][0];
  EXPECT_EQ(run["results"], nlohmann::json::array());
  EXPECT_EQ(run["tool"]["driver"]["rules"], nlohmann::json::array());
}

TEST(ParseDiagFormatTest, KnowsTheFourFormats) {
  EXPECT_EQ(ParseDiagFormat("text"), DiagFormat::kText);
  EXPECT_EQ(ParseDiagFormat("gcc"), DiagFormat::kGcc);
  EXPECT_EQ(ParseDiagFormat("json"), DiagFormat::kJson);
  EXPECT_EQ(ParseDiagFormat("sarif"), DiagFormat::kSarif);
  EXPECT_EQ(ParseDiagFormat("xml"), std::nullopt);
}

}  // namespace
}  // namespace drover::diag
