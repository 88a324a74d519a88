// Parse(): drover's lexer feeds the ANTLR-generated parser through a TokenStream adapter (no
// per-token allocation), syntax errors are turned into drover diagnostics by an error listener,
// and a builder walks the parse tree once to make the AST. This is the only file that includes
// generated code.
#include "compiler/syntax/parser.h"

#include <algorithm>
#include <cctype>
#include <string>

#include <fmt/format.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringMap.h>

#include "antlr4-runtime.h"
#include "grammar/HCLParser.h"

#include "compiler/base/check.h"

namespace drover::syntax {
namespace {

using diag::DiagKind;
using G = grammar::HCLParser;

// The lexer's TokenKind values are the grammar's token types.
static_assert(static_cast<int>(TokenKind::kNewline) == G::NEWLINE);
static_assert(static_cast<int>(TokenKind::kFor) == G::FOR);
static_assert(static_cast<int>(TokenKind::kStar) == G::STAR);
static_assert(static_cast<int>(TokenKind::kOr) == G::OR);

size_t AntlrType(TokenKind k) {
  return k == TokenKind::kEof ? antlr4::Token::EOF : static_cast<size_t>(k);
}

constexpr int kMaxParseErrors = 50;
// Stack the parser and the builder may use before input is rejected as too deeply nested.
// Bracket nesting is capped by the lexer (kMaxNesting); this catches the rest (`a ? b ? c ...`).
constexpr size_t kStackBudget = 2 << 20;

class NestingTooDeep : public std::exception {};
// Thrown by the error listener when no later syntax error could be reported: the rest of the
// parse would only cost time (ANTLR builds a message and conjures a token for every error) and
// memory, and there is no AST after an error anyway.
class StopParsing : public std::exception {};
// Syntax errors the listener may see, reported or not, before it stops the parse.
constexpr int kMaxSyntaxErrorCalls = 10 * kMaxParseErrors;

// ---- the token stream ------------------------------------------------------------------------

class TokenStreamAdapter;

class AdaptedToken : public antlr4::Token {
 public:
  AdaptedToken(const TokenStreamAdapter* stream, size_t index, const syntax::Token& t)
      : stream_(stream), index_(index), type_(AntlrType(t.kind)), begin_(t.begin), end_(t.end) {}
  std::string getText() const override;
  size_t getType() const override { return type_; }
  size_t getLine() const override { return 0; }
  size_t getCharPositionInLine() const override { return 0; }
  size_t getChannel() const override { return DEFAULT_CHANNEL; }
  size_t getTokenIndex() const override { return index_; }
  size_t getStartIndex() const override { return begin_; }
  size_t getStopIndex() const override { return end_ == 0 ? 0 : end_ - 1; }
  antlr4::TokenSource* getTokenSource() const override;
  antlr4::CharStream* getInputStream() const override { return nullptr; }
  std::string toString() const override { return getText(); }

 private:
  const TokenStreamAdapter* stream_;
  size_t index_;
  size_t type_;
  uint32_t begin_;
  uint32_t end_;
};

// Parser::getTokenFactory() dereferences the stream's token source, which error recovery uses
// to make "missing" tokens; nothing else of it is used.
class NullTokenSource : public antlr4::TokenSource {
 public:
  std::unique_ptr<antlr4::Token> nextToken() override { return nullptr; }
  size_t getLine() const override { return 0; }
  size_t getCharPositionInLine() override { return 0; }
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return "hcl"; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }
};

class TokenStreamAdapter : public antlr4::TokenStream {
 public:
  TokenStreamAdapter(std::string_view source, const std::vector<syntax::Token>& tokens)
      : source_(source) {
    tokens_.reserve(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) tokens_.emplace_back(this, i, tokens[i]);
  }

  std::string_view source() const { return source_; }

  // antlr4::TokenStream
  antlr4::Token* LT(ssize_t k) override {
    if (k == 0) return nullptr;
    if (k < 0) {
      if (static_cast<ssize_t>(p_) + k < 0) return nullptr;
      return &tokens_[p_ + k];
    }
    size_t i = std::min(p_ + static_cast<size_t>(k) - 1, tokens_.size() - 1);
    return &tokens_[i];
  }
  antlr4::Token* get(size_t index) const override {
    return const_cast<AdaptedToken*>(&tokens_[std::min(index, tokens_.size() - 1)]);
  }
  antlr4::TokenSource* getTokenSource() const override {
    return const_cast<NullTokenSource*>(&source_token_source_);
  }
  std::string getText(const antlr4::misc::Interval& interval) override {
    if (interval.a < 0 || interval.b < interval.a) return "";
    size_t a = static_cast<size_t>(interval.a);
    size_t b = std::min(static_cast<size_t>(interval.b), tokens_.size() - 1);
    if (a > b) return "";
    size_t begin = tokens_[a].getStartIndex();
    size_t end = tokens_[b].getStopIndex() + 1;
    return std::string(source_.substr(begin, end > begin ? end - begin : 0));
  }
  std::string getText() override { return std::string(source_); }
  std::string getText(antlr4::RuleContext* ctx) override { return getText(ctx->getSourceInterval()); }
  std::string getText(antlr4::Token* start, antlr4::Token* stop) override {
    if (start == nullptr || stop == nullptr) return "";
    return getText(antlr4::misc::Interval(start->getTokenIndex(), stop->getTokenIndex()));
  }

  // antlr4::IntStream
  void consume() override {
    if (p_ + 1 < tokens_.size()) ++p_;
  }
  size_t LA(ssize_t i) override {
    antlr4::Token* t = LT(i);
    return t == nullptr ? 0 : t->getType();
  }
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  void seek(size_t index) override { p_ = std::min(index, tokens_.size() - 1); }
  size_t size() override { return tokens_.size(); }
  std::string getSourceName() const override { return "hcl"; }

 private:
  std::string_view source_;
  std::vector<AdaptedToken> tokens_;
  NullTokenSource source_token_source_;
  size_t p_ = 0;
};

antlr4::TokenSource* AdaptedToken::getTokenSource() const { return stream_->getTokenSource(); }

std::string AdaptedToken::getText() const {
  return std::string(stream_->source().substr(begin_, end_ - begin_));
}

// ---- the parser, with a stack budget ----------------------------------------------------------

class BoundedParser : public G {
 public:
  BoundedParser(antlr4::TokenStream* input, const char* stack_base)
      : G(input), stack_base_(stack_base) {}
  void enterRule(antlr4::ParserRuleContext* localctx, size_t state, size_t rule) override {
    char here;
    if (static_cast<size_t>(stack_base_ - &here) > kStackBudget) throw NestingTooDeep();
    G::enterRule(localctx, state, rule);
  }

 private:
  const char* stack_base_;
};

// ---- syntax errors ----------------------------------------------------------------------------

std::string DescribeExpected(const antlr4::misc::IntervalSet& set) {
  static constexpr TokenKind kExpressionStarts[] = {
      TokenKind::kNumber, TokenKind::kString, TokenKind::kOQuote, TokenKind::kLBrack,
      TokenKind::kLBrace, TokenKind::kLParen, TokenKind::kMinus,  TokenKind::kBang,
      TokenKind::kHeredocBegin};
  int expression_starts = 0;
  for (TokenKind k : kExpressionStarts) expression_starts += set.contains(AntlrType(k)) ? 1 : 0;
  bool expression = expression_starts >= 5;
  std::vector<std::string> names;
  if (expression) names.push_back("an expression");
  for (ssize_t t : set.toList()) {
    if (t < 0) {
      names.push_back("end of file");
      continue;
    }
    auto kind = static_cast<TokenKind>(t);
    if (expression) {
      bool starts = kind == TokenKind::kIdent;
      for (TokenKind k : kExpressionStarts) starts = starts || k == kind;
      if (starts) continue;
    }
    if (kind == TokenKind::kOQuote) continue;  // described by kString
    // Binary operators after an expression: say "an operator" once.
    if (kind >= TokenKind::kStar && kind <= TokenKind::kOr && kind != TokenKind::kBang) {
      if (std::find(names.begin(), names.end(), "an operator") == names.end()) {
        names.push_back("an operator");
      }
      continue;
    }
    names.push_back(std::string(DescribeTokenKind(kind)));
  }
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (names.empty()) return "something else";
  if (names.size() > 6) {
    names.resize(6);
    names.push_back("...");
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// ANTLR's recovery, except that a NEWLINE is never deleted as "extraneous input": it ends an
// attribute, and deleting it joins the next line to the broken one (`b =` + `c = 1` would become
// `b = c` and a second, spurious error at the `=` of `c = 1`).
class RecoveryStrategy : public antlr4::DefaultErrorStrategy {
 protected:
  antlr4::Token* singleTokenDeletion(antlr4::Parser* recognizer) override {
    if (recognizer->getInputStream()->LA(1) == AntlrType(TokenKind::kNewline)) return nullptr;
    return antlr4::DefaultErrorStrategy::singleTokenDeletion(recognizer);
  }
};

class ErrorListener : public antlr4::BaseErrorListener {
 public:
  ErrorListener(const LexResult& lex, diag::FileId file, diag::DiagnosticEngine& diags)
      : lex_(lex), file_(file), diags_(diags) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    if (++count_ > kMaxSyntaxErrorCalls) throw StopParsing();
    auto* parser = static_cast<antlr4::Parser*>(recognizer);
    size_t index = offending != nullptr ? offending->getTokenIndex() : lex_.tokens.size() - 1;
    if (index >= lex_.tokens.size()) index = lex_.tokens.size() - 1;
    const Token& tok = lex_.tokens[index];
    if (tok.begin == last_offset_ && reported_ > 0) return;
    last_offset_ = tok.begin;
    // After an unterminated string or an unclosed bracket the lexer reported, the parser's
    // complaints only repeat it; after any error, a stray `}` is the same error's echo.
    if (tok.begin >= lex_.structural_error_at) throw StopParsing();
    if (FollowsLexerErrorOnLine(tok.begin)) return;
    if (tok.kind == TokenKind::kRBrace && reported_ > 0) return;
    if (reported_++ >= kMaxParseErrors) throw StopParsing();

    antlr4::misc::IntervalSet expected = parser->getExpectedTokens();
    // A newline is reported as the zero-width end of its line, not as a range onto the next.
    uint32_t end = tok.kind == TokenKind::kNewline ? tok.begin : std::max(tok.end, tok.begin);
    diag::SourceRange range{file_, tok.begin, end};
    const Token* next = index + 1 < lex_.tokens.size() ? &lex_.tokens[index + 1] : nullptr;

    const Token* prev = index > 0 ? &lex_.tokens[index - 1] : nullptr;
    bool item_start = prev == nullptr || prev->kind == TokenKind::kNewline ||
                      (prev->kind == TokenKind::kLBrace && (prev->flags & kBlockBrace));
    if (tok.kind == TokenKind::kString && next != nullptr && next->kind == TokenKind::kEqual &&
        item_start) {
      diags_.Build(DiagKind::kQuotedAttributeName, range)
          .Help("write the name without quotes, or use a map assignment (`meta = { \"a.b\" = \"c\" }`)");
      return;
    }
    if (tok.kind == TokenKind::kNewline && parser->getContext() != nullptr &&
        parser->getContext()->getRuleIndex() == G::RuleBlock &&
        expected.contains(AntlrType(TokenKind::kRBrace))) {
      diags_.Build(DiagKind::kSingleLineBlock, range)
          .Help("put the attribute on its own line after the block's `{`");
      return;
    }
    std::string what(DescribeTokenKind(tok.kind));
    if (tok.kind == TokenKind::kIdent || tok.kind == TokenKind::kNumber) {
      what += fmt::format(" `{}`", SourceText(tok));
    }
    diags_.Build(DiagKind::kUnexpectedToken, range, what, DescribeExpected(expected));
  }

  void SetSource(std::string_view source) { source_ = source; }
  int count() const { return count_; }

 private:
  bool FollowsLexerErrorOnLine(uint32_t offset) const {
    auto it = std::upper_bound(lex_.error_offsets.begin(), lex_.error_offsets.end(), offset);
    if (it == lex_.error_offsets.begin()) return false;
    uint32_t at = *(it - 1);
    return source_.substr(at, offset - at).find('\n') == std::string_view::npos;
  }

  std::string_view SourceText(const Token& t) const {
    return source_.substr(t.begin, std::min<size_t>(t.end - t.begin, 40));
  }

  const LexResult& lex_;
  diag::FileId file_;
  diag::DiagnosticEngine& diags_;
  std::string_view source_;
  uint32_t last_offset_ = UINT32_MAX;
  int count_ = 0;
  int reported_ = 0;
};

// ---- parse tree -> AST ------------------------------------------------------------------------

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

class Builder {
 public:
  Builder(AstContext& ctx, const LexResult& lex, std::string_view src, diag::FileId file,
          diag::DiagnosticEngine& diags, const char* stack_base)
      : ctx_(ctx), lex_(lex), src_(src), file_(file), diags_(diags), stack_base_(stack_base) {}

  File* BuildFile(G::ConfigFileContext* c) {
    current_item_ = Range(0, 0);
    Body* body = BuildBody(c->body(), Range(0, static_cast<uint32_t>(src_.size())));
    return ctx_.New(File{body, file_});
  }

  bool failed() const { return failed_; }
  /// The name of the attribute or block being built (where E0119 points if the builder runs out
  /// of stack).
  diag::SourceRange current_item() const { return current_item_; }

 private:
  // -- tokens and ranges --
  const Token& Tok(antlr4::tree::TerminalNode* n) const {
    return lex_.tokens[n->getSymbol()->getTokenIndex()];
  }
  const Token& Tok(antlr4::Token* t) const { return lex_.tokens[t->getTokenIndex()]; }
  diag::SourceRange Range(uint32_t b, uint32_t e) const { return {file_, b, e}; }
  diag::SourceRange Range(const Token& t) const { return {file_, t.begin, t.end}; }
  diag::SourceRange Range(antlr4::tree::TerminalNode* n) const { return Range(Tok(n)); }
  diag::SourceRange Range(antlr4::ParserRuleContext* c) const {
    return Range(Tok(c->getStart()).begin, Tok(c->getStop()).end);
  }
  std::string_view Text(const Token& t) const { return src_.substr(t.begin, t.end - t.begin); }
  std::string_view Text(antlr4::tree::TerminalNode* n) const { return Text(Tok(n)); }

  // Marks the build failed; true while another error may be reported (at most
  // kMaxParseErrors, so that a generated file with a mistake repeated does not flood stderr).
  bool Fail() {
    failed_ = true;
    return errors_++ < kMaxParseErrors;
  }

  void CheckStack() {
    char here;
    if (static_cast<size_t>(stack_base_ - &here) > kStackBudget) throw NestingTooDeep();
  }

  // -- structure --
  Body* BuildBody(G::BodyContext* c, diag::SourceRange range) {
    llvm::SmallVector<BodyItem*, 16> items;
    llvm::StringMap<Attribute*> seen;
    for (antlr4::tree::ParseTree* child : c->children) {
      if (auto* a = dynamic_cast<G::AttributeContext*>(child)) {
        current_item_ = Range(a->IDENT());
        Attribute* attr = BuildAttribute(a->IDENT(), a->expression(), Range(a));
        CheckDuplicate(seen, attr);
        items.push_back(attr);
      } else if (auto* b = dynamic_cast<G::BlockContext*>(child)) {
        current_item_ = Range(b->IDENT());
        items.push_back(BuildBlock(b));
      }
    }
    return ctx_.New(Body{ctx_.Copy(llvm::ArrayRef<BodyItem*>(items)), range});
  }

  void CheckDuplicate(llvm::StringMap<Attribute*>& seen, Attribute* attr) {
    auto [it, inserted] = seen.try_emplace(attr->name, attr);
    if (inserted) return;
    if (!Fail()) return;
    diags_.Build(DiagKind::kDuplicateAttribute, attr->name_range, attr->name)
        .Note(it->second->name_range, "first defined here");
  }

  Attribute* BuildAttribute(antlr4::tree::TerminalNode* name, G::ExpressionContext* value,
                            diag::SourceRange range) {
    Expr* v = BuildExpression(value);
    range = range.Cover(v->range);
    range.begin = Tok(name).begin;
    range.end = v->range.end;
    return ctx_.New(Attribute{{ItemKind::kAttribute, range}, Text(name), Range(name), v});
  }

  Block* BuildBlock(G::BlockContext* c) {
    llvm::SmallVector<BlockLabel, 2> labels;
    for (G::BlockLabelContext* l : c->blockLabel()) {
      if (l->IDENT() != nullptr) {
        labels.push_back({Text(l->IDENT()), Range(l->IDENT()), false});
      } else if (l->STRING() != nullptr) {
        const Token& t = Tok(l->STRING());
        labels.push_back({DecodeString(t), Range(t), true});
      } else {
        if (Fail()) diags_.Build(DiagKind::kTemplateInLabel, Range(l));
        labels.push_back({"", Range(l), true});
      }
    }
    const Token& open = Tok(c->LBRACE());
    const Token& close = Tok(c->RBRACE());
    diag::SourceRange body_range = Range(open.begin, close.end);
    Body* body;
    if (c->body() != nullptr) {
      body = BuildBody(c->body(), body_range);
    } else if (G::OneLineAttributeContext* one = c->oneLineAttribute()) {
      Attribute* attr = BuildAttribute(one->IDENT(), one->expression(), Range(one));
      BodyItem* item = attr;
      body = ctx_.New(Body{ctx_.Copy(llvm::ArrayRef<BodyItem*>(&item, 1)), body_range});
    } else {
      body = ctx_.New(Body{{}, body_range});
    }
    const Token& type = Tok(c->IDENT());
    return ctx_.New(Block{{ItemKind::kBlock, Range(type.begin, close.end)},
                          Text(type),
                          Range(type),
                          ctx_.Copy(llvm::ArrayRef<BlockLabel>(labels)),
                          body,
                          Range(open),
                          Range(close)});
  }

  // -- expressions --
  Expr* BuildExpression(G::ExpressionContext* c) {
    CheckStack();
    Expr* cond = BuildOperation(c->operation());
    if (c->QUESTION() == nullptr) return cond;
    Expr* t = BuildExpression(c->expression(0));
    Expr* f = BuildExpression(c->expression(1));
    return ctx_.New(ConditionalExpr{{ExprKind::kConditional, cond->range.Cover(f->range)},
                                    cond, t, f});
  }

  static BinaryOp ToBinaryOp(TokenKind k) {
    switch (k) {
      case TokenKind::kOr:
        return BinaryOp::kOr;
      case TokenKind::kAnd:
        return BinaryOp::kAnd;
      case TokenKind::kEqEq:
        return BinaryOp::kEq;
      case TokenKind::kNotEq:
        return BinaryOp::kNotEq;
      case TokenKind::kLt:
        return BinaryOp::kLt;
      case TokenKind::kGt:
        return BinaryOp::kGt;
      case TokenKind::kLe:
        return BinaryOp::kLe;
      case TokenKind::kGe:
        return BinaryOp::kGe;
      case TokenKind::kPlus:
        return BinaryOp::kAdd;
      case TokenKind::kMinus:
        return BinaryOp::kSub;
      case TokenKind::kStar:
        return BinaryOp::kMul;
      case TokenKind::kSlash:
        return BinaryOp::kDiv;
      default:
        return BinaryOp::kMod;
    }
  }

  // Operator precedence: the grammar gives `u0 op1 u1 op2 u2 ...`; fold it with HCL's levels,
  // all left-associative.
  Expr* BuildOperation(G::OperationContext* c) {
    std::vector<G::UnaryContext*> operands = c->unary();
    if (operands.size() == 1) return BuildUnary(operands[0]);
    std::vector<G::BinaryOpContext*> ops = c->binaryOp();
    llvm::SmallVector<Expr*, 8> values;
    llvm::SmallVector<BinaryOp, 8> pending;
    auto reduce = [&]() {
      Expr* rhs = values.pop_back_val();
      Expr* lhs = values.pop_back_val();
      BinaryOp op = pending.pop_back_val();
      values.push_back(
          ctx_.New(BinaryExpr{{ExprKind::kBinary, lhs->range.Cover(rhs->range)}, op, lhs, rhs}));
    };
    values.push_back(BuildUnary(operands[0]));
    for (size_t i = 0; i < ops.size(); ++i) {
      BinaryOp op = ToBinaryOp(Tok(ops[i]->getStart()).kind);
      while (!pending.empty() && BinaryOpPrecedence(pending.back()) >= BinaryOpPrecedence(op)) {
        reduce();
      }
      pending.push_back(op);
      values.push_back(BuildUnary(operands[i + 1]));
    }
    while (!pending.empty()) reduce();
    return values.back();
  }

  Expr* BuildUnary(G::UnaryContext* c) {
    Expr* operand = BuildPostfix(c->postfix());
    // Prefix operators apply innermost-last: `-!x` is -(!x).
    for (size_t i = c->children.size() - 1; i-- > 0;) {
      auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(c->children[i]);
      if (term == nullptr) continue;
      const Token& t = Tok(term);
      UnaryOp op = t.kind == TokenKind::kMinus ? UnaryOp::kNegate : UnaryOp::kNot;
      operand = ctx_.New(
          UnaryExpr{{ExprKind::kUnary, Range(t.begin, operand->range.end)}, op, operand});
    }
    return operand;
  }

  // Applies one traversal step (attribute, legacy index, index) to `base`.
  Expr* ApplyStep(G::PostfixOpContext* op, Expr* base) {
    diag::SourceRange range = Range(base->range.begin, Tok(op->getStop()).end);
    if (op->IDENT() != nullptr) {
      return ctx_.New(
          GetAttrExpr{{ExprKind::kGetAttr, range}, base, Text(op->IDENT()), Range(op->IDENT())});
    }
    if (op->NUMBER() != nullptr) {
      const Token& t = Tok(op->NUMBER());
      Expr* key = ctx_.New(LiteralExpr{{ExprKind::kLiteral, Range(t)}, LiteralKind::kNumber,
                                       false, Text(t)});
      return ctx_.New(IndexExpr{{ExprKind::kIndex, range}, base, key, true});
    }
    return ctx_.New(
        IndexExpr{{ExprKind::kIndex, range}, base, BuildExpression(op->expression()), false});
  }

  Expr* BuildPostfix(G::PostfixContext* c) {
    Expr* cur = BuildPrimary(c->primary());
    std::vector<G::PostfixOpContext*> ops = c->postfixOp();
    if (ops.empty()) return cur;
    Expr* splat_source = nullptr;
    Expr* each = nullptr;
    bool full = false;
    auto close_splat = [&]() {
      cur = ctx_.New(SplatExpr{{ExprKind::kSplat, splat_source->range.Cover(each->range)},
                               splat_source, each, full});
      splat_source = nullptr;
    };
    for (G::PostfixOpContext* op : ops) {
      bool is_splat = op->STAR() != nullptr;
      if (is_splat) {
        if (splat_source != nullptr) close_splat();
        splat_source = cur;
        full = op->LBRACK() != nullptr;
        each = ctx_.New(Expr{ExprKind::kSplatItem, Range(op)});
        continue;
      }
      if (splat_source != nullptr) {
        bool attr_step = op->DOT() != nullptr;
        if (attr_step || full) {
          Expr* step = ApplyStep(op, each);
          step->range.begin = each->range.begin;
          each = step;
          continue;
        }
        close_splat();
      }
      cur = ApplyStep(op, cur);
    }
    if (splat_source != nullptr) close_splat();
    return cur;
  }

  Expr* Literal(LiteralKind kind, diag::SourceRange range, std::string_view text,
                bool value = false) {
    return ctx_.New(LiteralExpr{{ExprKind::kLiteral, range}, kind, value, text});
  }

  Expr* BuildPrimary(G::PrimaryContext* c) {
    const Token& first = Tok(c->getStart());
    diag::SourceRange range = Range(c);
    switch (first.kind) {
      case TokenKind::kNumber:
        return Literal(LiteralKind::kNumber, range, Text(first));
      case TokenKind::kIdent: {
        std::string_view name = Text(first);
        if (c->LPAREN() != nullptr) return BuildCall(c, name);
        if (name == "true" || name == "false") {
          return Literal(LiteralKind::kBool, range, name, name == "true");
        }
        if (name == "null") return Literal(LiteralKind::kNull, range, name);
        return ctx_.New(VariableExpr{{ExprKind::kVariable, range}, name});
      }
      case TokenKind::kString:
      case TokenKind::kOQuote:
      case TokenKind::kHeredocBegin:
        return BuildTemplate(c->templateExpr());
      case TokenKind::kLBrack:
        if (c->FOR() != nullptr) return BuildFor(c, false);
        return BuildTuple(c);
      case TokenKind::kLBrace:
        if (c->FOR() != nullptr) return BuildFor(c, true);
        return BuildObject(c);
      case TokenKind::kLParen:
        return ctx_.New(ParensExpr{{ExprKind::kParens, range}, BuildExpression(c->expression(0))});
      default:
        DROVER_UNREACHABLE("primary starts with an unexpected token");
    }
  }

  Expr* BuildCall(G::PrimaryContext* c, std::string_view name) {
    llvm::SmallVector<Expr*, 4> args;
    bool expand = false;
    if (G::ArgumentsContext* a = c->arguments()) {
      for (G::ExpressionContext* e : a->expression()) args.push_back(BuildExpression(e));
      expand = a->ELLIPSIS() != nullptr;
    }
    const Token& name_tok = Tok(c->getStart());
    return ctx_.New(CallExpr{{ExprKind::kCall, Range(c)},
                             name,
                             Range(name_tok),
                             ctx_.Copy(llvm::ArrayRef<Expr*>(args)),
                             expand});
  }

  Expr* BuildTuple(G::PrimaryContext* c) {
    llvm::SmallVector<Expr*, 8> elems;
    for (G::ExpressionContext* e : c->expression()) elems.push_back(BuildExpression(e));
    return ctx_.New(TupleExpr{{ExprKind::kTuple, Range(c)}, ctx_.Copy(llvm::ArrayRef<Expr*>(elems))});
  }

  Expr* BuildObject(G::PrimaryContext* c) {
    llvm::SmallVector<ObjectItem, 8> items;
    for (G::ObjectItemContext* item : c->objectItem()) {
      Expr* key = BuildExpression(item->expression(0));
      Expr* value = BuildExpression(item->expression(1));
      bool is_name = key->kind == ExprKind::kVariable;
      if (key->kind == ExprKind::kLiteral) {
        // `true = 1`, `null = 1`: a bare keyword is still a name.
        auto* lit = static_cast<LiteralExpr*>(key);
        is_name = lit->literal == LiteralKind::kBool || lit->literal == LiteralKind::kNull;
      }
      items.push_back({key, value, is_name, item->COLON() != nullptr});
    }
    return ctx_.New(
        ObjectExpr{{ExprKind::kObject, Range(c)}, ctx_.Copy(llvm::ArrayRef<ObjectItem>(items))});
  }

  void ExpectKeyword(antlr4::tree::TerminalNode* n, std::string_view keyword) {
    if (Text(n) == keyword) return;
    if (Fail()) diags_.Build(DiagKind::kExpectedKeyword, Range(n), keyword, Text(n));
  }

  Expr* BuildFor(G::PrimaryContext* c, bool is_object) {
    G::ForIntroContext* intro = c->forIntro();
    std::vector<antlr4::tree::TerminalNode*> names = intro->IDENT();
    std::string_view key_var, value_var;
    if (names.size() == 3) {
      key_var = Text(names[0]);
      value_var = Text(names[1]);
    } else {
      value_var = Text(names[0]);
    }
    ExpectKeyword(names.back(), "in");
    Expr* coll = BuildExpression(intro->expression());
    std::vector<G::ExpressionContext*> exprs = c->expression();
    Expr* key = nullptr;
    Expr* value;
    if (is_object) {
      key = BuildExpression(exprs[0]);
      value = BuildExpression(exprs[1]);
    } else {
      value = BuildExpression(exprs[0]);
    }
    Expr* cond = nullptr;
    if (G::ForConditionContext* fc = c->forCondition()) {
      ExpectKeyword(fc->IDENT(), "if");
      cond = BuildExpression(fc->expression());
    }
    return ctx_.New(ForExpr{{ExprKind::kFor, Range(c)},
                            key_var,
                            value_var,
                            coll,
                            key,
                            value,
                            cond,
                            is_object,
                            c->ELLIPSIS() != nullptr});
  }

  // -- templates --
  std::string_view DecodeString(const Token& t) {
    std::string_view raw = src_.substr(t.begin + 1, t.end - t.begin - 2);
    if (raw.find_first_of("\\$%") == std::string_view::npos) return raw;
    return ctx_.CopyString(DecodeQuoted(raw));
  }

  // Template parts are first collected into a flat list of literal pieces and markers (what
  // hclsyntax's scanner produces), so that strip markers and heredoc indentation apply across
  // directive boundaries exactly as HCL applies them.
  struct Flat {
    LiteralPart* literal;  // null for a non-literal token (interpolation, directive)
  };

  Expr* BuildTemplate(G::TemplateExprContext* c) {
    diag::SourceRange range = Range(c);
    if (c->STRING() != nullptr) {
      return Literal(LiteralKind::kString, range, DecodeString(Tok(c->STRING())));
    }
    bool heredoc = c->HEREDOC_BEGIN() != nullptr;
    std::vector<Flat> flat;
    bool strip_next = false;
    llvm::SmallVector<TemplatePart*, 8> parts;
    for (G::TemplatePartContext* p : c->templatePart()) {
      parts.push_back(BuildPart(p, heredoc, flat, strip_next));
    }
    if (heredoc && (Tok(c->HEREDOC_BEGIN()).flags & kHeredocFlush)) FlushHeredoc(flat);
    return ctx_.New(TemplateExpr{{ExprKind::kTemplate, range},
                                 ctx_.Copy(llvm::ArrayRef<TemplatePart*>(parts)),
                                 heredoc});
  }

  llvm::ArrayRef<TemplatePart*> BuildParts(const std::vector<G::TemplatePartContext*>& ps,
                                           bool heredoc, std::vector<Flat>& flat,
                                           bool& strip_next) {
    llvm::SmallVector<TemplatePart*, 8> parts;
    for (G::TemplatePartContext* p : ps) parts.push_back(BuildPart(p, heredoc, flat, strip_next));
    return ctx_.Copy(llvm::ArrayRef<TemplatePart*>(parts));
  }

  // A directive or interpolation token: applies its strip markers to the neighbouring literals.
  void MarkerToken(const Token& open, const Token& close, std::vector<Flat>& flat,
                   bool& strip_next) {
    if ((open.flags & kStripLeft) && !flat.empty() && flat.back().literal != nullptr) {
      for (std::string_view* t : {&flat.back().literal->text, &flat.back().literal->raw}) {
        while (!t->empty() && IsSpace(t->back())) t->remove_suffix(1);
      }
    }
    flat.push_back({nullptr});
    strip_next = (close.flags & kStripRight) != 0;
  }

  TemplatePart* BuildPart(G::TemplatePartContext* p, bool heredoc, std::vector<Flat>& flat,
                          bool& strip_next) {
    CheckStack();
    diag::SourceRange range = Range(p);
    if (p->TEMPLATE_LIT() != nullptr) {
      const Token& t = Tok(p->TEMPLATE_LIT());
      std::string_view raw = Text(t);
      std::string_view text = raw;
      if (raw.find_first_of(heredoc ? "$%" : "\\$%") != std::string_view::npos) {
        text = ctx_.CopyString(heredoc ? DecodeHeredoc(raw) : DecodeQuoted(raw));
      }
      if (!heredoc) raw = text;
      if (strip_next) {
        for (std::string_view* t : {&text, &raw}) {
          while (!t->empty() && IsSpace(t->front())) t->remove_prefix(1);
        }
        strip_next = false;
      }
      auto* lit = ctx_.New(LiteralPart{{PartKind::kLiteral, range}, text, raw});
      flat.push_back({lit});
      return lit;
    }
    if (p->TEMPLATE_INTERP() != nullptr) {
      const Token& open = Tok(p->TEMPLATE_INTERP());
      const Token& close = Tok(p->TEMPLATE_END());
      MarkerToken(open, close, flat, strip_next);
      Expr* e = BuildExpression(p->expression());
      return ctx_.New(InterpPart{{PartKind::kInterp, range},
                                 e,
                                 (open.flags & kStripLeft) != 0,
                                 (close.flags & kStripRight) != 0});
    }
    if (G::TemplateIfContext* ti = p->templateIf()) {
      std::vector<antlr4::tree::TerminalNode*> ends = ti->TEMPLATE_END();
      MarkerToken(Tok(ti->CTRL_IF()), Tok(ends[0]), flat, strip_next);
      Expr* cond = BuildExpression(ti->expression());
      // Parts before CTRL_ELSE belong to `then`, the rest to `else`.
      std::vector<G::TemplatePartContext*> then_ps, else_ps;
      size_t else_index = ti->CTRL_ELSE() != nullptr
                              ? ti->CTRL_ELSE()->getSymbol()->getTokenIndex()
                              : SIZE_MAX;
      for (G::TemplatePartContext* part : ti->templatePart()) {
        (part->getStart()->getTokenIndex() < else_index ? then_ps : else_ps).push_back(part);
      }
      llvm::ArrayRef<TemplatePart*> then_parts = BuildParts(then_ps, heredoc, flat, strip_next);
      size_t end_i = 1;
      if (ti->CTRL_ELSE() != nullptr) MarkerToken(Tok(ti->CTRL_ELSE()), Tok(ends[end_i++]), flat, strip_next);
      llvm::ArrayRef<TemplatePart*> else_parts = BuildParts(else_ps, heredoc, flat, strip_next);
      MarkerToken(Tok(ti->CTRL_ENDIF()), Tok(ends[end_i]), flat, strip_next);
      return ctx_.New(IfPart{{PartKind::kIf, range}, cond, then_parts, else_parts,
                             ti->CTRL_ELSE() != nullptr});
    }
    G::TemplateForContext* tf = p->templateFor();
    std::vector<antlr4::tree::TerminalNode*> ends = tf->TEMPLATE_END();
    MarkerToken(Tok(tf->CTRL_FOR()), Tok(ends[0]), flat, strip_next);
    std::vector<antlr4::tree::TerminalNode*> names = tf->IDENT();
    std::string_view key_var, value_var;
    if (names.size() == 3) {
      key_var = Text(names[0]);
      value_var = Text(names[1]);
    } else {
      value_var = Text(names[0]);
    }
    ExpectKeyword(names.back(), "in");
    Expr* coll = BuildExpression(tf->expression());
    llvm::ArrayRef<TemplatePart*> body = BuildParts(tf->templatePart(), heredoc, flat, strip_next);
    MarkerToken(Tok(tf->CTRL_ENDFOR()), Tok(ends[1]), flat, strip_next);
    return ctx_.New(ForPart{{PartKind::kFor, range}, key_var, value_var, coll, body});
  }

  // `<<-`: removes the indentation common to all lines, as hclsyntax does. A line that holds
  // only whitespace does not count; a line that starts with a template sequence has none.
  static void FlushHeredoc(std::vector<Flat>& flat) {
    constexpr size_t kNone = SIZE_MAX;
    size_t min_spaces = kNone;
    bool line_start = true;
    std::vector<LiteralPart*> adjust;
    for (const Flat& f : flat) {
      if (line_start) {
        line_start = false;
        size_t spaces;
        if (f.literal != nullptr) {
          std::string_view t = f.literal->text;
          size_t n = 0;
          while (n < t.size() && IsSpace(t[n])) ++n;
          if (n == t.size() && !t.empty() && t.back() == '\n') {
            spaces = kNone;
          } else {
            spaces = n;
            adjust.push_back(f.literal);
          }
        } else {
          spaces = 0;
        }
        min_spaces = std::min(min_spaces, spaces);
      }
      if (f.literal != nullptr && !f.literal->text.empty() && f.literal->text.back() == '\n') {
        line_start = true;
      }
    }
    if (min_spaces == kNone || min_spaces == 0) return;
    for (LiteralPart* lit : adjust) {
      size_t n = std::min(min_spaces, lit->text.size());
      lit->text.remove_prefix(n);
      lit->raw.remove_prefix(std::min(n, lit->raw.size()));
      lit->range.begin += static_cast<uint32_t>(n);
    }
  }

  AstContext& ctx_;
  const LexResult& lex_;
  std::string_view src_;
  diag::FileId file_;
  diag::DiagnosticEngine& diags_;
  const char* stack_base_;
  bool failed_ = false;
  int errors_ = 0;
  diag::SourceRange current_item_;
};

ParseResult ParseUnsorted(const diag::SourceManager& sm, diag::FileId file,
                          diag::DiagnosticEngine& diags) {
  char stack_base;
  ParseResult result;
  result.context = std::make_unique<AstContext>();
  std::string_view src = sm.Text(file);
  size_t errors_before = diags.error_count();
  result.lex = Lex(src, file, diags);

  TokenStreamAdapter stream(src, result.lex.tokens);
  BoundedParser parser(&stream, &stack_base);
  parser.setErrorHandler(std::make_shared<RecoveryStrategy>());
  parser.removeErrorListeners();
  ErrorListener listener(result.lex, file, diags);
  listener.SetSource(src);
  parser.addErrorListener(&listener);
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);

  G::ConfigFileContext* tree = nullptr;
  try {
    tree = parser.configFile();
  } catch (const StopParsing&) {
    return result;
  } catch (const NestingTooDeep&) {
    // Where the stack ran out depends on frame sizes, so on the compiler and the build type;
    // report the start of the body item that holds the expression, which does not.
    size_t i = std::min(stream.index(), result.lex.tokens.size() - 1);
    while (i > 0 && result.lex.tokens[i - 1].kind != TokenKind::kNewline) --i;
    const Token& at = result.lex.tokens[i];
    diags.Build(DiagKind::kTooDeeplyNested, {file, at.begin, at.end});
    return result;
  }
  if (diags.error_count() > errors_before || listener.count() > 0) return result;

  Builder builder(*result.context, result.lex, src, file, diags, &stack_base);
  try {
    File* f = builder.BuildFile(tree);
    if (!builder.failed()) result.file = f;
  } catch (const NestingTooDeep&) {
    diags.Build(DiagKind::kTooDeeplyNested, builder.current_item());
  }
  return result;
}

}  // namespace

ParseResult Parse(const diag::SourceManager& sm, diag::FileId file, diag::DiagnosticEngine& diags) {
  size_t first = diags.diagnostics().size();
  ParseResult result = ParseUnsorted(sm, file, diags);
  // The lexer reports before the parser; people read errors in source order.
  diags.SortByLocation(first);
  return result;
}

}  // namespace drover::syntax
