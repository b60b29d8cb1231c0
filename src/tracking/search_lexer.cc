#include "tracking/search_lexer.h"

#include <cctype>
#include <set>

namespace traind::tracking::search_detail {
namespace {

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidConfig, std::move(message));
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool is_word_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || c == '#' || u >= 0x80;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  std::vector<Token> lex_all() {
    std::vector<Token> out;
    while (next(out, /*in_parenthesis=*/false) != Step::kEnd) {
    }
    return out;
  }

 private:
  enum class Step { kToken, kClose, kEnd };

  // Appends the next token to `out`; reports a ')' that closes the current parenthesis.
  Step next(std::vector<Token>& out, bool in_parenthesis) {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    if (pos_ >= s_.size()) return Step::kEnd;
    const size_t start = pos_;
    const char c = s_[pos_];
    if (c == ')' && in_parenthesis) {
      ++pos_;
      return Step::kClose;
    }
    if (c == '(') {
      ++pos_;
      Token group{TokenKind::kParenthesis, "", {}};
      for (;;) {
        Step step = next(group.inside, /*in_parenthesis=*/true);
        if (step == Step::kClose) break;
        if (step == Step::kEnd) {  // unbalanced: the '(' stands alone, the rest lexes again
          pos_ = start + 1;
          out.push_back({TokenKind::kOther, "(", {}});
          return Step::kToken;
        }
      }
      group.text = std::string(s_.substr(start, pos_ - start));
      out.push_back(std::move(group));
      return Step::kToken;
    }
    if (c == '\'') {
      if (!skip_quoted('\'')) return other(out, start);
      out.push_back({TokenKind::kString, std::string(s_.substr(start, pos_ - start)), {}});
      return Step::kToken;
    }
    if (std::string_view("<>=~!").find(c) != std::string_view::npos) {
      while (pos_ < s_.size() && std::string_view("<>=~!").find(s_[pos_]) != std::string_view::npos)
        ++pos_;
      out.push_back({TokenKind::kComparison, std::string(s_.substr(start, pos_ - start)), {}});
      return Step::kToken;
    }
    if (size_t end = number_end(pos_); end != 0) {
      pos_ = end;
      out.push_back({TokenKind::kNumber, std::string(s_.substr(start, pos_ - start)), {}});
      return Step::kToken;
    }
    if (c == '"' || c == '`' || is_word_char(c)) return word_or_identifier(out, start);
    return other(out, start);
  }

  Step other(std::vector<Token>& out, size_t start) {
    pos_ = start + 1;
    out.push_back({TokenKind::kOther, std::string(s_.substr(start, 1)), {}});
    return Step::kToken;
  }

  // Moves past a quoted run that starts at pos_; a doubled quote or a backslash escapes.
  bool skip_quoted(char quote) {
    size_t i = pos_ + 1;
    while (i < s_.size()) {
      if (s_[i] == '\\' && quote != '`' && i + 1 < s_.size()) {
        i += 2;
      } else if (s_[i] == quote) {
        if (i + 1 < s_.size() && s_[i + 1] == quote) {
          i += 2;
        } else {
          pos_ = i + 1;
          return true;
        }
      } else {
        ++i;
      }
    }
    return false;
  }

  // The end of a number starting at i (sqlparse's integer and float forms), or 0.
  size_t number_end(size_t i) const {
    size_t j = i;
    if (j < s_.size() && s_[j] == '-') ++j;
    size_t digits = j;
    while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) ++j;
    bool have_int = j > digits;
    if (j < s_.size() && s_[j] == '.') {
      size_t frac = j + 1;
      size_t k = frac;
      while (k < s_.size() && std::isdigit(static_cast<unsigned char>(s_[k]))) ++k;
      if (have_int || k > frac) j = k;
    }
    if (j == digits || (!have_int && j == digits + 1)) return 0;
    if (j < s_.size() && (s_[j] == 'e' || s_[j] == 'E')) {
      size_t k = j + 1;
      if (k < s_.size() && s_[k] == '-') ++k;
      size_t exp = k;
      while (k < s_.size() && std::isdigit(static_cast<unsigned char>(s_[k]))) ++k;
      if (k > exp) j = k;
    }
    if (j < s_.size() && (is_word_char(s_[j]) || s_[j] == '.')) return 0;  // e.g. "1abc"
    return j;
  }

  Step word_or_identifier(std::vector<Token>& out, size_t start) {
    if (s_[pos_] != '"' && s_[pos_] != '`') {
      size_t end = pos_;
      while (end < s_.size() && is_word_char(s_[end])) ++end;
      std::string word = upper(std::string(s_.substr(pos_, end - pos_)));
      const bool before_dot = end < s_.size() && s_[end] == '.';
      if (!before_dot && is_keyword(word)) {
        pos_ = end;
        if (word == "LIKE" || word == "ILIKE" || word == "RLIKE" || word == "REGEXP") {
          out.push_back({TokenKind::kComparison, std::string(s_.substr(start, end - start)), {}});
        } else if (word == "NOT" && followed_by_like(end)) {
          out.push_back({TokenKind::kComparison, std::string(s_.substr(start, pos_ - start)), {}});
        } else {
          out.push_back({TokenKind::kKeyword, std::string(s_.substr(start, end - start)), {}});
        }
        return Step::kToken;
      }
    }
    // Parts joined by dots.
    for (;;) {
      const char c = s_[pos_];
      if (c == '"' || c == '`') {
        if (!skip_quoted(c)) {
          if (pos_ == start) return other(out, start);
          break;
        }
      } else if (is_word_char(c)) {
        while (pos_ < s_.size() && is_word_char(s_[pos_])) ++pos_;
      } else {
        break;
      }
      if (pos_ >= s_.size() || s_[pos_] != '.') break;
      ++pos_;
      if (pos_ >= s_.size()) break;
    }
    out.push_back({TokenKind::kIdentifier, std::string(s_.substr(start, pos_ - start)), {}});
    return Step::kToken;
  }

  // After NOT: LIKE / ILIKE / RLIKE / REGEXP make one comparison ("NOT LIKE"), as in sqlparse.
  bool followed_by_like(size_t i) {
    size_t j = i;
    while (j < s_.size() && std::isspace(static_cast<unsigned char>(s_[j]))) ++j;
    if (j == i) return false;
    size_t end = j;
    while (end < s_.size() && is_word_char(s_[end])) ++end;
    std::string word = upper(std::string(s_.substr(j, end - j)));
    if (word != "LIKE" && word != "ILIKE" && word != "RLIKE" && word != "REGEXP") return false;
    pos_ = end;
    return true;
  }

  static bool is_keyword(const std::string& w) {
    static const std::set<std::string> kKeywords = {
        "AND",    "OR",  "NOT",  "IN",   "IS",    "NULL",    "LIKE",   "ILIKE", "RLIKE",
        "REGEXP", "ASC", "DESC", "TRUE", "FALSE", "BETWEEN", "EXISTS", "AS",    "ON"};
    return kKeywords.count(w) > 0;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

bool Token::is_keyword(std::string_view word) const {
  return kind == TokenKind::kKeyword && upper(text) == word;
}

std::vector<Token> lex(std::string_view text) { return Lexer(text).lex_all(); }

Result<std::vector<RawClause>> split_clauses(const std::string& filter, bool quote_invalid) {
  std::vector<Token> tokens = lex(filter);
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].kind == TokenKind::kOther && tokens[i].text == ";") {
      return invalid("Search filter contained multiple expression '" + filter +
                     "'. Provide AND-ed expression list.");
    }
  }
  auto operand = [](const Token& t) {
    return t.kind == TokenKind::kIdentifier || t.kind == TokenKind::kNumber ||
           t.kind == TokenKind::kString || t.kind == TokenKind::kParenthesis;
  };
  std::vector<RawClause> clauses;
  std::vector<std::string> invalids;
  const size_t n = tokens.size();
  for (size_t i = 0; i < n;) {
    const Token& t = tokens[i];
    if (i + 2 < n && operand(t) && tokens[i + 1].kind == TokenKind::kComparison &&
        operand(tokens[i + 2])) {
      clauses.push_back({t, upper(tokens[i + 1].text), tokens[i + 2]});
      i += 3;
    } else if (i + 2 < n && t.kind == TokenKind::kIdentifier && tokens[i + 1].is_keyword("IN") &&
               tokens[i + 2].kind == TokenKind::kParenthesis) {
      clauses.push_back({t, "IN", tokens[i + 2]});
      i += 3;
    } else if (i + 3 < n && t.kind == TokenKind::kIdentifier && tokens[i + 1].is_keyword("NOT") &&
               tokens[i + 2].is_keyword("IN") && tokens[i + 3].kind == TokenKind::kParenthesis) {
      clauses.push_back({t, "NOT IN", tokens[i + 3]});
      i += 4;
    } else if (t.is_keyword("AND")) {
      ++i;
    } else {
      invalids.push_back(quote_invalid ? "'" + t.text + "'" : t.text);
      ++i;
    }
  }
  if (!invalids.empty()) {
    std::string joined;
    for (size_t i = 0; i < invalids.size(); ++i) joined += (i ? ", " : "") + invalids[i];
    return invalid("Invalid clause(s) in filter string: " + joined);
  }
  for (const RawClause& c : clauses) {
    if (c.left.kind != TokenKind::kIdentifier) {
      return invalid("Invalid comparison clause. Expected 'Identifier' found '" + c.left.text +
                     "'");
    }
  }
  return clauses;
}

}  // namespace traind::tracking::search_detail
