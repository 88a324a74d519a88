// Every corpus job file with expectation `valid` or `unknown` that parses evaluates without
// error-level diagnostics, given the -var values its MANIFEST note asks for (values made up here;
// x.hcl, y.hcl and z.hcl are the var files of xyz.hcl, not jobs).
//
// file() reads the real file when the corpus has it; job files that read files their repository
// had but the corpus does not get a placeholder text, counted and printed (the corpus keeps only
// job files).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/compiler/eval/eval_helpers.h"
#include "tests/support/test_paths.h"

namespace drover::eval {
namespace {

struct Row {
  std::string file;
  std::string expectation;
  std::string note;
};

std::vector<Row> ReadManifest() {
  std::ifstream in(testing::CorpusDir() + "/MANIFEST.tsv");
  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 8) continue;
    rows.push_back({cols[0], cols[5], cols[6]});
  }
  return rows;
}

/// Reads real files; a missing one yields a placeholder and is counted.
class CorpusFiles : public FileReader {
 public:
  int placeholders = 0;
  bool Read(const std::string& path, std::string* content, std::string* error) override {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      ++placeholders;
      *content = "(placeholder for " + path + ")";
      return true;
    }
    (void)error;
    std::stringstream ss;
    ss << in.rdbuf();
    *content = ss.str();
    return true;
  }
};

/// -var values for the variables a MANIFEST note says have no default.
std::vector<CliVariable> VarsFromNote(const std::string& note) {
  std::vector<CliVariable> out;
  std::smatch m;
  static const std::regex kNeeds("needs -var for ([A-Za-z0-9_, ]+)");
  if (!std::regex_search(note, m, kNeeds)) return out;
  std::stringstream ss(m[1].str());
  std::string name;
  while (std::getline(ss, name, ',')) {
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (name.empty()) continue;
    bool is_list = name == "subnets" || name == "security_groups";
    out.push_back({name, is_list ? "[\"" + name + "-1\"]" : name + "-value"});
  }
  return out;
}

/// Made-up -var values for declared variables that have no default and were not given yet,
/// chosen by their declared type (files without a MANIFEST note do not say what they need).
std::vector<CliVariable> VarsForUnsetVariables(const syntax::File& file,
                                               const diag::SourceManager& sm,
                                               const std::vector<CliVariable>& given) {
  std::vector<CliVariable> out;
  for (const syntax::BodyItem* item : file.body->items) {
    if (item->kind != syntax::ItemKind::kBlock) continue;
    const auto* b = static_cast<const syntax::Block*>(item);
    if (b->type != "variable" || b->labels.size() != 1) continue;
    std::string name(b->labels[0].value);
    if (std::any_of(given.begin(), given.end(),
                    [&](const CliVariable& v) { return v.name == name; })) {
      continue;
    }
    bool has_default = false;
    std::string type = "string";
    for (const syntax::BodyItem* a : b->body->items) {
      if (a->kind != syntax::ItemKind::kAttribute) continue;
      const auto* attr = static_cast<const syntax::Attribute*>(a);
      if (attr->name == "default") has_default = true;
      if (attr->name == "type") type = std::string(sm.Text(attr->value->range));
    }
    if (has_default) continue;
    std::string value = name + "-value";
    if (type == "number") value = "1";
    if (type == "bool") value = "true";
    if (type == "list(string)" || type == "set(string)") value = "[\"" + name + "-1\"]";
    if (type == "list(number)") value = "[1]";
    if (type.rfind("map(", 0) == 0 || type.rfind("object(", 0) == 0) value = "{}";
    if (value == name + "-value" && (type.rfind("list(", 0) == 0 || type.rfind("set(", 0) == 0)) {
      value = "[]";
    }
    out.push_back({name, value});
  }
  return out;
}

TEST(EvalCorpusTest, EveryParsingJobEvaluatesWithoutErrors) {
  std::vector<Row> rows = ReadManifest();
  ASSERT_EQ(rows.size(), 400u) << "corpus manifest not found under " << testing::CorpusDir();
  int passed = 0, failed = 0, skipped = 0, runtime_strings = 0, placeholders = 0, made_up = 0;
  for (const Row& row : rows) {
    if (row.expectation != "valid" && row.expectation != "unknown") continue;
    if (row.note.find("variable-values file") != std::string::npos) continue;
    std::string path = testing::CorpusDir() + "/" + row.file;
    EvalFixture f;
    CorpusFiles files;
    f.options.file_reader = &files;
    f.options.base_dir = std::filesystem::path(path).parent_path().string();
    f.options.cli_variables = VarsFromNote(row.note);
    if (row.note.find("-var-file x.hcl y.hcl z.hcl") != std::string::npos) {
      for (const char* v : {"x.hcl", "y.hcl", "z.hcl"}) {
        std::string vp = f.options.base_dir + "/" + v;
        f.AddVarFile(vp, testing::ReadFileOrDie(vp));
      }
    }
    diag::FileId fid = f.sm.AddBuffer(row.file, testing::ReadFileOrDie(path));
    diag::DiagnosticEngine parse_diags;
    syntax::ParseResult pr = syntax::Parse(f.sm, fid, parse_diags);
    if (pr.file == nullptr) {
      ++skipped;  // the HCL2 parser rejects it; the syntax tests cover that
      continue;
    }
    auto extra = VarsForUnsetVariables(*pr.file, f.sm, f.options.cli_variables);
    made_up += static_cast<int>(extra.size());
    f.options.cli_variables.insert(f.options.cli_variables.end(), extra.begin(), extra.end());
    f.options.env["HOME"] = "/home/drover";      // for pathexpand(), as the CLI would pass it
    f.options.allowed_paths = {"/home/drover"};  // as if the user allowed their home directory
    auto body = EvaluateFile(*pr.file, f.sm, f.options, f.diags);
    placeholders += files.placeholders;
    if (f.diags.HasErrors() || !body) {
      ++failed;
      ADD_FAILURE() << row.file << ":\n" << f.Errors();
      continue;
    }
    std::function<void(const EvalBody&)> count = [&](const EvalBody& b) {
      for (const auto& a : b.attributes) runtime_strings += a.value.ContainsRuntime() ? 1 : 0;
      for (const auto& blk : b.blocks) count(blk.body);
    };
    count(*body);
    ++passed;
  }
  std::printf(
      "eval corpus: %d passed, %d failed (%d skipped: HCL2 syntax errors; %d attributes "
      "with runtime references; %d file() placeholders; %d made-up values for variables "
      "without a default that no note names)\n",
      passed, failed, skipped, runtime_strings, placeholders, made_up);
  std::printf("%d passed, %d failed\n", passed, failed);
  EXPECT_EQ(failed, 0);
  EXPECT_GT(passed, 350);
}

}  // namespace
}  // namespace drover::eval
