// HCL native syntax (HashiCorp HCL2, hclsyntax/spec.md) as an ANTLR parser grammar.
//
// Tokens come from drover's hand-written lexer (compiler/syntax/lexer.cpp), not from an ANTLR
// lexer: heredocs and nested templates need context the lexer tracks anyway, and it is several
// times faster. The lexer does what hclsyntax's scanner does and a little more, so that every
// decision here is LL(1) or LL(2):
//   - newlines are dropped inside ( ) [ ] ${ } %{ } and `{ for ... }`, and runs of newlines
//     become one NEWLINE;
//   - a quoted string without template sequences is one STRING token;
//   - `for` right after `[` or an object's `{` is FOR; `%{ if` (with an optional strip marker `~`)
//     is one CTRL_IF token, and so on for else/endif/for/endfor;
//   - `${~`, `~}` are TEMPLATE_INTERP / TEMPLATE_END with a strip flag on the token.
// Operator precedence is applied when the parse tree becomes the AST (compiler/syntax), so the
// grammar sees a flat `operand (op operand)*` sequence.
parser grammar HCLParser;

tokens {
  NEWLINE, IDENT, NUMBER, STRING, OQUOTE, CQUOTE, TEMPLATE_LIT, TEMPLATE_INTERP, TEMPLATE_END,
  CTRL_IF, CTRL_ELSE, CTRL_ENDIF, CTRL_FOR, CTRL_ENDFOR, HEREDOC_BEGIN, HEREDOC_END, FOR,
  LBRACE, RBRACE, LBRACK, RBRACK, LPAREN, RPAREN, EQUAL, COLON, COMMA, DOT, ELLIPSIS, QUESTION,
  FAT_ARROW, STAR, SLASH, PERCENT, PLUS, MINUS, BANG, EQEQ, NOTEQ, LT, GT, LE, GE, AND, OR
}

configFile : body EOF ;

body : (attribute | block | NEWLINE)* ;

attribute : IDENT EQUAL expression NEWLINE ;

block : IDENT blockLabel* LBRACE (NEWLINE body | oneLineAttribute)? RBRACE NEWLINE ;

blockLabel : IDENT | STRING | OQUOTE templatePart* CQUOTE ;

oneLineAttribute : IDENT EQUAL expression ;

// ---- expressions ---------------------------------------------------------------------------

expression : operation (QUESTION expression COLON expression)? ;

operation : unary (binaryOp unary)* ;

binaryOp : OR | AND | EQEQ | NOTEQ | LT | GT | LE | GE | PLUS | MINUS | STAR | SLASH | PERCENT ;

unary : (MINUS | BANG)* postfix ;

postfix : primary postfixOp* ;

postfixOp
  : DOT IDENT
  | DOT NUMBER
  | DOT STAR
  | LBRACK STAR RBRACK
  | LBRACK expression RBRACK
  ;

primary
  : NUMBER
  | IDENT LPAREN arguments? RPAREN
  | IDENT
  | templateExpr
  | LBRACK FOR forIntro COLON expression forCondition? RBRACK
  | LBRACK (expression (COMMA expression)* COMMA?)? RBRACK
  | LBRACE FOR forIntro COLON expression FAT_ARROW expression ELLIPSIS? forCondition? RBRACE
  | LBRACE NEWLINE? (objectItem (objectSeparator objectItem)* objectSeparator?)? RBRACE
  | LPAREN expression RPAREN
  ;

arguments : expression (COMMA expression)* (COMMA | ELLIPSIS)? ;

// `for k, v in coll` — the lexer does not know `in`, so it is an IDENT checked by the AST builder.
forIntro : IDENT (COMMA IDENT)? IDENT expression ;

// `if cond` — `if` is an IDENT here, checked by the AST builder.
forCondition : IDENT expression ;

objectItem : expression (EQUAL | COLON) expression ;

objectSeparator : COMMA NEWLINE? | NEWLINE ;

// ---- templates -----------------------------------------------------------------------------

templateExpr
  : STRING
  | OQUOTE templatePart* CQUOTE
  | HEREDOC_BEGIN templatePart* HEREDOC_END
  ;

templatePart
  : TEMPLATE_LIT
  | TEMPLATE_INTERP expression TEMPLATE_END
  | templateIf
  | templateFor
  ;

templateIf
  : CTRL_IF expression TEMPLATE_END templatePart*
    (CTRL_ELSE TEMPLATE_END templatePart*)?
    CTRL_ENDIF TEMPLATE_END
  ;

templateFor
  : CTRL_FOR IDENT (COMMA IDENT)? IDENT expression TEMPLATE_END templatePart*
    CTRL_ENDFOR TEMPLATE_END
  ;
