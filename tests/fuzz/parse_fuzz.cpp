// Coverage-guided fuzz target for the HCL front end: lexer, ANTLR parser, AST builder, the
// hcl2json conversion and the four diagnostic renderers. Besides "no crash, no hang, no sanitizer
// report", every input must satisfy the front end's contracts, checked below; a broken contract
// aborts, which the fuzzer records as a crash:
//   - Parse() returns an AST exactly when it reported no error, and a failed parse has an error;
//   - every token, diagnostic (with its notes and fix-it) and AST node range lies inside the
//     buffer, in the parsed file, with begin <= end; tokens come in source order and end in EOF;
//   - a child's range lies inside its parent's (an expression inside its attribute, ...);
//   - every decoded string in the AST is valid UTF-8;
//   - ToHclJson never throws, always succeeds with merge_repeated, and its JSON serialises;
//   - the text, gcc, JSON and SARIF renderers never throw.
//
// One source, three drivers:
//   - AFL++ (afl-g++-fast / afl-clang-fast++): persistent mode, __AFL_LOOP over the shared buffer;
//   - libFuzzer (clang -fsanitize=fuzzer, DROVER_LIBFUZZER defined): LLVMFuzzerTestOneInput;
//   - neither (a plain build): `parse_fuzz FILE|DIR...` replays inputs, which is how ctest runs the
//     seeds and every crash the fuzzer found (tests/fuzz/regressions/) as regression tests.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/base/strings.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/hcl_json.h"
#include "compiler/syntax/parser.h"

namespace drover::syntax {
namespace {

[[noreturn]] void Violation(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "parse_fuzz: invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len = base::Utf8SequenceLength(s.substr(i));
    if (len == 0) return false;
    i += len;
  }
  return true;
}

class Checker {
 public:
  Checker(diag::FileId file, size_t size) : file_(file), size_(size) {}

  void Range(const diag::SourceRange& r, const char* what) const {
    if (r.file != file_ || r.begin > r.end || r.end > size_) {
      Violation(what, "range " + std::to_string(r.file) + ":" + std::to_string(r.begin) + "-" +
                          std::to_string(r.end) + " outside buffer of " + std::to_string(size_));
    }
  }
  void Inside(const diag::SourceRange& inner, const diag::SourceRange& outer,
              const char* what) const {
    Range(inner, what);
    if (inner.begin < outer.begin || inner.end > outer.end) {
      Violation(what, std::to_string(inner.begin) + "-" + std::to_string(inner.end) +
                          " not inside " + std::to_string(outer.begin) + "-" +
                          std::to_string(outer.end));
    }
  }
  void Text(std::string_view s, const char* what) const {
    if (!IsValidUtf8(s)) Violation(what, "is not valid UTF-8");
  }

  void Body(const syntax::Body& b) const {
    Range(b.range, "body");
    for (const BodyItem* item : b.items) {
      Inside(item->range, b.range, "body item");
      if (item->kind == ItemKind::kAttribute) {
        const auto& a = static_cast<const Attribute&>(*item);
        Inside(a.name_range, a.range, "attribute name");
        Inside(a.value->range, a.range, "attribute value");
        Expr(*a.value);
      } else {
        const auto& bl = static_cast<const Block&>(*item);
        Inside(bl.type_range, bl.range, "block type");
        for (const BlockLabel& l : bl.labels) {
          Inside(l.range, bl.range, "block label");
          Text(l.value, "block label");
        }
        Inside(bl.open_brace, bl.range, "block open brace");
        Inside(bl.close_brace, bl.range, "block close brace");
        Inside(bl.body->range, bl.range, "block body");
        Body(*bl.body);
      }
    }
  }

  void Child(const syntax::Expr* child, const syntax::Expr& parent) const {
    if (child == nullptr) Violation("expression", "has a null child");
    Inside(child->range, parent.range, "child expression");
    Expr(*child);
  }

  void Expr(const syntax::Expr& e) const {
    Range(e.range, "expression");
    switch (e.kind) {
      case ExprKind::kLiteral: {
        const auto& l = static_cast<const LiteralExpr&>(e);
        if (l.literal == LiteralKind::kString) Text(l.text, "string literal");
        return;
      }
      case ExprKind::kTemplate:
        for (const TemplatePart* p : static_cast<const TemplateExpr&>(e).parts) Part(*p, e.range);
        return;
      case ExprKind::kVariable:
      case ExprKind::kSplatItem:
        return;
      case ExprKind::kGetAttr: {
        const auto& g = static_cast<const GetAttrExpr&>(e);
        Inside(g.name_range, e.range, "attribute step name");
        return Child(g.object, e);
      }
      case ExprKind::kIndex: {
        const auto& i = static_cast<const IndexExpr&>(e);
        Child(i.collection, e);
        return Child(i.key, e);
      }
      case ExprKind::kSplat: {
        const auto& s = static_cast<const SplatExpr&>(e);
        Child(s.source, e);
        return Child(s.each, e);
      }
      case ExprKind::kCall: {
        const auto& c = static_cast<const CallExpr&>(e);
        Inside(c.name_range, e.range, "call name");
        for (const syntax::Expr* a : c.args) Child(a, e);
        return;
      }
      case ExprKind::kTuple:
        for (const syntax::Expr* el : static_cast<const TupleExpr&>(e).elements) Child(el, e);
        return;
      case ExprKind::kObject:
        for (const ObjectItem& item : static_cast<const ObjectExpr&>(e).items) {
          Child(item.key, e);
          Child(item.value, e);
        }
        return;
      case ExprKind::kFor: {
        const auto& f = static_cast<const ForExpr&>(e);
        Child(f.collection, e);
        if (f.is_object) Child(f.key, e);
        Child(f.value, e);
        if (f.condition != nullptr) Child(f.condition, e);
        return;
      }
      case ExprKind::kConditional: {
        const auto& c = static_cast<const ConditionalExpr&>(e);
        Child(c.condition, e);
        Child(c.true_result, e);
        return Child(c.false_result, e);
      }
      case ExprKind::kBinary: {
        const auto& b = static_cast<const BinaryExpr&>(e);
        Child(b.lhs, e);
        return Child(b.rhs, e);
      }
      case ExprKind::kUnary:
        return Child(static_cast<const UnaryExpr&>(e).operand, e);
      case ExprKind::kParens:
        return Child(static_cast<const ParensExpr&>(e).inner, e);
    }
    Violation("expression", "has an unknown kind");
  }

  void Part(const TemplatePart& p, const diag::SourceRange& outer) const {
    Inside(p.range, outer, "template part");
    switch (p.kind) {
      case PartKind::kLiteral: {
        const auto& l = static_cast<const LiteralPart&>(p);
        Text(l.text, "template literal");
        Text(l.raw, "template literal (raw)");
        return;
      }
      case PartKind::kInterp: {
        const auto* e = static_cast<const InterpPart&>(p).expr;
        Inside(e->range, p.range, "interpolated expression");
        return Expr(*e);
      }
      case PartKind::kIf: {
        const auto& i = static_cast<const IfPart&>(p);
        Inside(i.condition->range, p.range, "template if condition");
        Expr(*i.condition);
        for (const TemplatePart* c : i.then_parts) Part(*c, p.range);
        for (const TemplatePart* c : i.else_parts) Part(*c, p.range);
        return;
      }
      case PartKind::kFor: {
        const auto& f = static_cast<const ForPart&>(p);
        Inside(f.collection->range, p.range, "template for collection");
        Expr(*f.collection);
        for (const TemplatePart* c : f.body) Part(*c, p.range);
        return;
      }
    }
    Violation("template part", "has an unknown kind");
  }

 private:
  diag::FileId file_;
  size_t size_;
};

void FuzzOne(const uint8_t* data, size_t size) {
  diag::SourceManager sm;
  diag::DiagnosticEngine diags;
  diag::FileId id =
      sm.AddBuffer("fuzz.hcl", std::string(reinterpret_cast<const char*>(data), size));
  ParseResult result = Parse(sm, id, diags);
  Checker check(id, size);

  // Parse() returns an AST exactly when there is no error.
  if (result.file != nullptr && diags.HasErrors()) Violation("a file with an AST has errors");
  if (result.file == nullptr && !diags.HasErrors()) Violation("a failed parse reported no error");

  const std::vector<Token>& tokens = result.lex.tokens;
  if (tokens.empty() || tokens.back().kind != TokenKind::kEof)
    Violation("tokens do not end in EOF");
  uint32_t last = 0;
  for (const Token& t : tokens) {
    check.Range({id, t.begin, t.end}, "token");
    if (t.begin < last) Violation("tokens out of order");
    last = t.begin;
  }
  for (const Token& c : result.lex.comments) check.Range({id, c.begin, c.end}, "comment");

  for (const diag::Diagnostic& d : diags.diagnostics()) {
    check.Range(d.range, "diagnostic");
    for (const diag::Note& n : d.notes) check.Range(n.range, "diagnostic note");
    if (d.fixit) check.Range(d.fixit->range, "fix-it");
  }
  try {
    for (diag::DiagFormat f : {diag::DiagFormat::kText, diag::DiagFormat::kGcc,
                               diag::DiagFormat::kJson, diag::DiagFormat::kSarif}) {
      std::string out = diag::RenderAll(diags.diagnostics(), sm, f, "fuzz");
      if (!diags.diagnostics().empty() && out.empty()) Violation("a renderer printed nothing");
    }
  } catch (const std::exception& e) {
    Violation("a renderer threw", e.what());
  }

  if (result.file == nullptr) return;
  if (result.file->file != id) Violation("the AST names another file");
  check.Body(*result.file->body);
  try {
    for (bool merge : {false, true}) {
      llvm::Expected<nlohmann::json> json = ToHclJson(*result.file, sm.Text(id), merge);
      if (!json) {
        std::string why = llvm::toString(json.takeError());
        if (merge) Violation("ToHclJson failed with merge_repeated", why);
        continue;
      }
      (void)json->dump();
    }
  } catch (const std::exception& e) {
    Violation("ToHclJson threw", e.what());
  }
}

}  // namespace
}  // namespace drover::syntax

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  drover::syntax::FuzzOne(data, size);
  return 0;
}

#if defined(__AFL_FUZZ_TESTCASE_LEN)

__AFL_FUZZ_INIT();

int main() {
  __AFL_INIT();
  const unsigned char* buf = __AFL_FUZZ_TESTCASE_BUF;
  while (__AFL_LOOP(100000)) {
    drover::syntax::FuzzOne(buf, static_cast<size_t>(__AFL_FUZZ_TESTCASE_LEN));
  }
  return 0;
}

#elif !defined(DROVER_LIBFUZZER)

static std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Replays files (or every file under directories) through the same checks; stdin without
// arguments. Prints how many inputs ran; any violation aborts.
int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  size_t runs = 0;
  auto run = [&](const std::string& text) {
    drover::syntax::FuzzOne(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    ++runs;
  };
  if (argc < 2) {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    run(ss.str());
  }
  for (int i = 1; i < argc; ++i) {
    fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) run(ReadFile(f));
    } else if (fs::is_regular_file(p)) {
      run(ReadFile(p));
    } else {
      std::fprintf(stderr, "parse_fuzz: no such file or directory: %s\n", argv[i]);
      return 2;
    }
  }
  std::printf("parse_fuzz: %zu inputs, all invariants hold\n", runs);
  return 0;
}

#endif
