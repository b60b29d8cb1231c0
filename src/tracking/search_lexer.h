// The tokenizer under MLflow's search filters and order_by clauses, private to run_search.cc:
// MLflow tokenises them with sqlparse, and this lexer produces the token classes MLflow's
// checks look at, so the same strings parse and the same ones are refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace traind::tracking::search_detail {

enum class TokenKind {
  kIdentifier,  // name parts joined by dots; a part may be "quoted" or `quoted`
  kString,      // 'single quoted'
  kNumber,
  kComparison,  // = != < <= > >= (any run of <>=~!), LIKE, ILIKE, NOT LIKE, ...
  kKeyword,     // AND, OR, NOT, IN, ...
  kParenthesis,
  kOther,  // punctuation and anything unrecognised
};

struct Token {
  TokenKind kind;
  std::string text;           // as written
  std::vector<Token> inside;  // a parenthesis' tokens

  // A keyword spelled `word` (given in upper case) in any case, as sqlparse matches them.
  bool is_keyword(std::string_view word) const;
};

// The whole text as tokens; a '(' without its ')' stands alone as kOther.
std::vector<Token> lex(std::string_view text);

// One `operand comparator operand` or `identifier [NOT] IN (list)` clause of a filter.
struct RawClause {
  Token left;
  std::string comparator;  // upper-cased, as MLflow compares it
  Token right;
};

// Splits a filter into its AND-ed clauses with MLflow's refusals (kInvalidConfig). The
// experiment search quotes no invalid token in its message, the run search does.
Result<std::vector<RawClause>> split_clauses(const std::string& filter, bool quote_invalid);

}  // namespace traind::tracking::search_detail
