#include "tracking/run_search.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <set>
#include <string_view>
#include <variant>

#include "tracking/logged_values.h"
#include "tracking/search_lexer.h"

namespace traind::tracking {
namespace {

using search_detail::lex;
using search_detail::RawClause;
using search_detail::split_clauses;
using search_detail::Token;
using search_detail::TokenKind;

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidConfig, std::move(message));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Python's repr() of a set of str ("{'a', 'b'}"), as MLflow's messages print its sets; listed
// in the order given, where Python's would follow hashing.
std::string python_set_repr(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + python_repr(items[i]);
  return out + "}";
}

bool is_quoted(const std::string& s, char q) {
  return s.size() >= 2 && s.front() == q && s.back() == q;
}
std::string trim_backticks(const std::string& s) {
  return is_quoted(s, '`') ? s.substr(1, s.size() - 2) : s;
}
std::string strip_quotes(const std::string& s) {
  return is_quoted(s, '\'') || is_quoted(s, '"') ? s.substr(1, s.size() - 2) : s;
}

// ---------------------------------------------------------------------------------------
// Identifiers.

const char* entity_name(SearchEntity e) {
  switch (e) {
    case SearchEntity::kMetric:
      return "metric";
    case SearchEntity::kParam:
      return "parameter";
    case SearchEntity::kTag:
      return "tag";
    case SearchEntity::kAttribute:
      return "attribute";
    case SearchEntity::kDataset:
      return "dataset";
  }
  return "";
}

// The run attributes MLflow searches (RunInfo's searchable attributes plus its aliases) and
// orders by; kept sorted so the refusal lists them in a stable order.
const std::vector<std::string> kRunSearchAttributes = {
    "Created",  "Run Name", "Run name", "artifact_uri", "created", "end_time",
    "run name", "run_id",   "run_name", "start_time",   "status",  "user_id"};
const std::vector<std::string> kRunOrderAttributes = {"Created",    "artifact_uri", "created",
                                                      "end_time",   "run_id",       "run_name",
                                                      "start_time", "status",       "user_id"};
const std::set<std::string> kRunNumericAttributes = {"start_time", "end_time", "created",
                                                     "Created"};
const std::vector<std::string> kDatasetAttributes = {"context", "digest", "name"};

const std::vector<std::string> kExperimentSearchAttributes = {"creation_time", "last_update_time",
                                                              "name"};
const std::vector<std::string> kExperimentOrderAttributes = {"creation_time", "experiment_id",
                                                             "last_update_time", "name"};
const std::set<std::string> kExperimentNumericAttributes = {"creation_time", "last_update_time"};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string translate_key_alias(const std::string& key) {
  if (key == "created" || key == "Created") return "start_time";
  if (key == "run name" || key == "Run name" || key == "Run Name") return "run_name";
  return key;
}

struct Identifier {
  SearchEntity entity;
  std::string key;
};

Result<Identifier> run_identifier(const std::string& text,
                                  const std::vector<std::string>& attributes) {
  size_t dot = text.find('.');
  std::string type = dot == std::string::npos ? "attribute" : trim_backticks(text.substr(0, dot));
  std::string key = dot == std::string::npos ? text : text.substr(dot + 1);
  Identifier id;
  if (type == "metric" || type == "metrics") {
    id.entity = SearchEntity::kMetric;
  } else if (type == "parameter" || type == "parameters" || type == "param" || type == "params") {
    id.entity = SearchEntity::kParam;
  } else if (type == "tag" || type == "tags") {
    id.entity = SearchEntity::kTag;
  } else if (type == "attribute" || type == "attributes" || type == "attr" || type == "run") {
    id.entity = SearchEntity::kAttribute;
  } else if (type == "dataset" || type == "datasets") {
    id.entity = SearchEntity::kDataset;
  } else {
    return invalid("Invalid entity type '" + type +
                   "'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']");
  }
  id.key = trim_backticks(strip_quotes(key));
  if (id.entity == SearchEntity::kAttribute && !contains(attributes, id.key)) {
    return invalid("Invalid attribute key '" + id.key + "' specified. Valid keys are '" +
                   python_set_repr(attributes) + "'");
  }
  if (id.entity == SearchEntity::kDataset && !contains(kDatasetAttributes, id.key)) {
    return invalid("Invalid dataset key '" + id.key + "' specified. Valid keys are '" +
                   python_set_repr(kDatasetAttributes) + "'");
  }
  return id;
}

Result<Identifier> experiment_identifier(const std::string& text,
                                         const std::vector<std::string>& attributes) {
  size_t dot = text.find('.');
  Identifier id{SearchEntity::kAttribute, text};
  if (dot != std::string::npos) {
    std::string type = text.substr(0, dot);
    if (type != "attribute" && type != "tag" && type != "tags") {
      return invalid("Invalid entity type '" + type +
                     "'. Valid entity types are ('attribute', 'tag', 'tags')");
    }
    id.entity = type == "attribute" ? SearchEntity::kAttribute : SearchEntity::kTag;
    id.key = text.substr(dot + 1);
  }
  id.key = trim_backticks(strip_quotes(id.key));
  if (id.entity == SearchEntity::kAttribute && !contains(attributes, id.key)) {
    return invalid("Invalid attribute key '" + id.key + "' specified. Valid keys are '" +
                   python_set_repr(attributes) + "'");
  }
  return id;
}

// ---------------------------------------------------------------------------------------
// Values.

Result<std::string> quoted_string(const Token& t) {
  if (is_quoted(t.text, '\'') || is_quoted(t.text, '"')) return t.text.substr(1, t.text.size() - 2);
  return invalid(
      "Parameter value is either not quoted or unidentified quote types used for string "
      "value " +
      t.text + ". Use either single or double quotes.");
}

// A list literal's string, read as Python's ast.literal_eval reads it.
std::string string_literal(const std::string& quoted) {
  std::string out;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 2 < quoted.size()) {
      out += quoted[++i];
    } else if (quoted[i] == '\'' && quoted[i + 1] == '\'') {
      ++i;  // 'a''b' is two adjacent literals: "ab"
    } else {
      out += quoted[i];
    }
  }
  return out;
}

// MLflow's _parse_run_ids: a non-empty parenthesised list of single-quoted strings. Ids with
// upper-case letters (or none at all) are dropped because MLflow's ids are lower case.
Result<std::vector<std::string>> string_list(const Token& list) {
  const std::vector<Token>& items = list.inside;
  const std::string ill_formed =
      "While parsing a list in the query, expected a non-empty list of string values, but got "
      "ill-formed list.";
  if (items.empty()) {
    return invalid(
        "While parsing a list in the query, expected a non-empty list of string values, but got "
        "empty list");
  }
  bool has_comma = false, only_strings = true;
  for (const Token& t : items) {
    bool comma = t.kind == TokenKind::kOther && t.text == ",";
    has_comma |= comma;
    only_strings &= comma || t.kind == TokenKind::kString;
  }
  if (items.size() > 1 && !has_comma) return invalid(ill_formed);
  if (!only_strings) {
    if (!has_comma) return invalid(ill_formed);
    return invalid(
        "While parsing a list in the query, expected string value, punctuation, or whitespace, "
        "but got different type in list: " +
        list.text);
  }
  std::vector<std::string> values;
  for (size_t i = 0; i < items.size(); ++i) {
    bool want_string = i % 2 == 0;
    bool is_string = items[i].kind == TokenKind::kString;
    if (want_string != is_string) return invalid(ill_formed);
    if (!is_string) continue;
    std::string v = string_literal(items[i].text);
    bool has_lower =
        std::any_of(v.begin(), v.end(), [](unsigned char c) { return std::islower(c); });
    bool has_upper =
        std::any_of(v.begin(), v.end(), [](unsigned char c) { return std::isupper(c); });
    if (has_lower && !has_upper) values.push_back(std::move(v));
  }
  return values;
}

// MLflow's _get_value: checks the value's kind against what the identifier holds.
Status read_value(const Token& t, const std::set<std::string>& numeric_attributes,
                  const std::string& raw_key, SearchClause& clause, bool* is_list) {
  *is_list = false;
  auto number = [&](const Token& tok) {
    clause.number = std::strtod(tok.text.c_str(), nullptr);
    return Status::ok();
  };
  const bool stringish = t.kind == TokenKind::kString || t.kind == TokenKind::kIdentifier;
  switch (clause.entity) {
    case SearchEntity::kMetric:
      if (t.kind != TokenKind::kNumber) {
        return invalid("Expected numeric value type for metric. Found " + t.text);
      }
      return number(t);
    case SearchEntity::kParam:
    case SearchEntity::kTag: {
      if (!stringish) {
        return invalid(std::string("Expected a quoted string value for ") +
                       entity_name(clause.entity) + " (e.g. 'my-value'). Got value " + t.text);
      }
      Result<std::string> s = quoted_string(t);
      if (!s) return s.status();
      clause.text = *s;
      return Status::ok();
    }
    case SearchEntity::kAttribute:
    case SearchEntity::kDataset: {
      const bool attribute = clause.entity == SearchEntity::kAttribute;
      if (attribute && numeric_attributes.count(raw_key)) {
        if (t.kind != TokenKind::kNumber) {
          return invalid("Expected numeric value type for numeric attribute: " + raw_key +
                         ". Found " + t.text);
        }
        return number(t);
      }
      if (stringish) {
        Result<std::string> s = quoted_string(t);
        if (!s) return s.status();
        clause.text = *s;
        return Status::ok();
      }
      if (t.kind == TokenKind::kParenthesis) {
        if (attribute && raw_key != "run_id") {
          return invalid(
              "Only the 'run_id' attribute supports comparison with a list of quoted string "
              "values.");
        }
        Result<std::vector<std::string>> values = string_list(t);
        if (!values) return values.status();
        clause.values = std::move(*values);
        *is_list = true;
        return Status::ok();
      }
      return invalid(std::string("Expected a quoted string value for ") +
                     (attribute ? "attributes" : "dataset attributes") + ". Got value " + t.text);
    }
  }
  return Status::ok();
}

// ---------------------------------------------------------------------------------------
// Comparators.

const std::vector<std::string> kNumericComparators = {">", ">=", "!=", "=", "<", "<="};
const std::vector<std::string> kTextComparators = {"!=", "=", "LIKE", "ILIKE"};
const std::vector<std::string> kListComparators = {"!=", "=", "LIKE", "ILIKE", "IN", "NOT IN"};

Comparator comparator_of(const std::string& c) {
  if (c == "!=") return Comparator::kNe;
  if (c == "<") return Comparator::kLt;
  if (c == "<=") return Comparator::kLe;
  if (c == ">") return Comparator::kGt;
  if (c == ">=") return Comparator::kGe;
  if (c == "LIKE") return Comparator::kLike;
  if (c == "ILIKE") return Comparator::kILike;
  if (c == "IN") return Comparator::kIn;
  if (c == "NOT IN") return Comparator::kNotIn;
  return Comparator::kEq;
}

// MLflow's is_metric / is_param / is_tag / is_*_attribute / is_dataset checks, with their
// messages (some of which, as in MLflow, lack the closing quote).
Status check_comparator(SearchEntity entity, bool numeric_attribute, const std::string& c) {
  const std::vector<std::string>* allowed = nullptr;
  bool closing_quote = true;
  switch (entity) {
    case SearchEntity::kMetric:
      allowed = &kNumericComparators;
      closing_quote = false;
      break;
    case SearchEntity::kParam:
      allowed = &kTextComparators;
      break;
    case SearchEntity::kTag:
      allowed = &kTextComparators;
      closing_quote = false;
      break;
    case SearchEntity::kAttribute:
      allowed = numeric_attribute ? &kNumericComparators : &kListComparators;
      closing_quote = !numeric_attribute;
      break;
    case SearchEntity::kDataset:
      allowed = &kListComparators;
      closing_quote = false;
      break;
  }
  if (contains(*allowed, c)) return Status::ok();
  return invalid("Invalid comparator '" + c + "' not one of '" + python_set_repr(*allowed) +
                 (closing_quote ? "'" : ""));
}

struct FilterRules {
  bool experiments;
  const std::set<std::string>& numeric_attributes;
};

Result<std::vector<SearchClause>> parse_filter(const std::string& filter,
                                               const FilterRules& rules) {
  Result<std::vector<RawClause>> raw = split_clauses(filter, /*quote_invalid=*/!rules.experiments);
  if (!raw) return raw.status();
  std::vector<SearchClause> clauses;
  for (const RawClause& rc : *raw) {
    Result<Identifier> id = rules.experiments
                                ? experiment_identifier(rc.left.text, kExperimentSearchAttributes)
                                : run_identifier(rc.left.text, kRunSearchAttributes);
    if (!id) return id.status();
    SearchClause clause;
    clause.entity = id->entity;
    clause.comparator = comparator_of(rc.comparator);
    bool is_list = false;
    TRAIND_RETURN_IF_ERROR(
        read_value(rc.right, rules.numeric_attributes, id->key, clause, &is_list));
    clause.key = clause.entity == SearchEntity::kAttribute ? translate_key_alias(id->key) : id->key;
    const bool numeric =
        clause.entity == SearchEntity::kAttribute && rules.numeric_attributes.count(id->key) > 0;
    TRAIND_RETURN_IF_ERROR(check_comparator(clause.entity, numeric, rc.comparator));
    if (rules.experiments && clause.entity == SearchEntity::kAttribute && !numeric &&
        !contains(kTextComparators, rc.comparator)) {
      return invalid("Invalid comparator for string attribute: " + rc.comparator);
    }
    // MLflow would compare a string with a list here (never equal, or a server error).
    const bool list_comparator =
        clause.comparator == Comparator::kIn || clause.comparator == Comparator::kNotIn;
    if (is_list != list_comparator) {
      return invalid("Invalid comparator '" + rc.comparator + "' for the value " + rc.right.text +
                     ": IN and NOT IN take a parenthesised list of quoted strings");
    }
    clauses.push_back(std::move(clause));
  }
  return clauses;
}

// ---------------------------------------------------------------------------------------
// Matching.

size_t utf8_length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

// SQL LIKE: % is any run of characters, _ exactly one character, all else literal.
bool like(std::string_view text, std::string_view pattern, bool ignore_case) {
  auto same = [&](char a, char b) {
    return ignore_case ? std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b))
                       : a == b;
  };
  size_t t = 0, p = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = p++;
      star_t = t;
    } else if (p < pattern.size() && pattern[p] == '_') {
      ++p;
      t += utf8_length(static_cast<unsigned char>(text[t]));
    } else if (p < pattern.size() && same(pattern[p], text[t])) {
      ++p;
      ++t;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      star_t += utf8_length(static_cast<unsigned char>(text[star_t]));
      t = star_t;
    } else {
      return false;
    }
  }
  if (t > text.size()) return false;
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

bool compare_text(const std::string& lhs, const SearchClause& c) {
  switch (c.comparator) {
    case Comparator::kEq:
      return lhs == c.text;
    case Comparator::kNe:
      return lhs != c.text;
    case Comparator::kLike:
      return like(lhs, c.text, false);
    case Comparator::kILike:
      return like(lhs, c.text, true);
    case Comparator::kIn:
      return contains(c.values, lhs);
    case Comparator::kNotIn:
      return !contains(c.values, lhs);
    default:
      return false;
  }
}

bool compare_number(double lhs, const SearchClause& c) {
  switch (c.comparator) {
    case Comparator::kEq:
      return lhs == c.number;
    case Comparator::kNe:
      return lhs != c.number;
    case Comparator::kLt:
      return lhs < c.number;
    case Comparator::kLe:
      return lhs <= c.number;
    case Comparator::kGt:
      return lhs > c.number;
    case Comparator::kGe:
      return lhs >= c.number;
    default:
      return false;
  }
}

constexpr const char* kRunNameTag = "mlflow.runName";

// The run's name as MLflow searches it: the mlflow.runName tag, which MLflow keeps equal to
// the name (the runs' own name column is empty for runs logged by MLflow <= 1.29).
const std::string& run_name_of(const Run& run) {
  const Tag* tag = run.tag(kRunNameTag);
  return tag != nullptr ? tag->value : run.info.run_name;
}

bool clause_matches(const SearchClause& c, const Run& run) {
  switch (c.entity) {
    case SearchEntity::kMetric: {
      const Metric* m = run.metric(c.key);
      return m != nullptr && compare_number(m->value, c);
    }
    case SearchEntity::kParam: {
      const Param* p = run.param(c.key);
      return p != nullptr && compare_text(p->value, c);
    }
    case SearchEntity::kTag: {
      const Tag* t = run.tag(c.key);
      return t != nullptr && compare_text(t->value, c);
    }
    case SearchEntity::kAttribute: {
      const RunInfo& info = run.info;
      if (c.key == "start_time") return compare_number(static_cast<double>(info.start_time), c);
      if (c.key == "end_time") {
        return info.end_time.has_value() && compare_number(static_cast<double>(*info.end_time), c);
      }
      if (c.key == "run_id") return compare_text(info.run_id, c);
      if (c.key == "run_name") return compare_text(run_name_of(run), c);
      if (c.key == "user_id") return compare_text(info.user_id, c);
      if (c.key == "status") return compare_text(info.status, c);
      if (c.key == "artifact_uri") return compare_text(info.artifact_uri, c);
      return false;
    }
    case SearchEntity::kDataset:
      return false;  // traind's runs log no dataset inputs
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// order_by.

// MLflow splits "<identifier> [ASC|DESC]" with shlex after turning backticks into double
// quotes; quotes group words and disappear.
std::optional<std::vector<std::string>> shell_split(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        word += c;
      }
    } else if (quote == '"') {
      if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
        word += text[++i];
      } else if (c == '"') {
        quote = 0;
      } else {
        word += c;
      }
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      in_word = true;
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < text.size()) {
        word += text[++i];
      } else {
        word += c;
      }
    }
  }
  if (quote != 0) return std::nullopt;
  if (in_word) words.push_back(word);
  return words;
}

struct OrderTerm {
  std::string identifier;
  bool ascending = true;
};

Result<OrderTerm> parse_order_term(const std::string& order_by) {
  const Status unparsable =
      invalid("Invalid order_by clause '" + order_by + "'. Could not be parsed.");
  // sqlparse must see one identifier, optionally followed by ASC/DESC or an alias word.
  std::vector<Token> tokens = lex(order_by);
  if (tokens.empty() || tokens.size() > 2 || tokens[0].kind != TokenKind::kIdentifier) {
    return unparsable;
  }
  std::string text = tokens[0].text;
  if (tokens.size() == 2) {
    const Token& second = tokens[1];
    if (second.kind != TokenKind::kIdentifier && !second.is_keyword("ASC") &&
        !second.is_keyword("DESC")) {
      return unparsable;
    }
    text += " " + second.text;
  }
  std::replace(text.begin(), text.end(), '`', '"');
  std::optional<std::vector<std::string>> words = shell_split(text);
  if (!words || words->empty() || words->size() > 2) return unparsable;
  OrderTerm term{(*words)[0], true};
  if (words->size() == 2) {
    std::string direction = lower((*words)[1]);
    if (direction != "asc" && direction != "desc") {
      return invalid("Invalid ordering key in order_by clause '" + order_by + "'.");
    }
    term.ascending = direction == "asc";
  }
  size_t b = term.identifier.find_first_not_of(" \t\n\r");
  size_t e = term.identifier.find_last_not_of(" \t\n\r");
  term.identifier = b == std::string::npos ? "" : term.identifier.substr(b, e - b + 1);
  return term;
}

// One run's value for one order key: missing values sort after present ones (and a NaN
// metric between them) whatever the direction, as the SQL store's CASE column does.
struct SortValue {
  int rank = 0;  // 0 present, 1 NaN, 2 missing
  std::variant<double, std::string> value;
};

SortValue sort_value(const Run& run, const OrderKey& key) {
  SortValue v;
  auto text = [&](const std::string& s) {
    v.value = s;
    return v;
  };
  switch (key.entity) {
    case SearchEntity::kMetric: {
      const Metric* m = run.metric(key.key);
      if (m == nullptr) {
        v.rank = 2;
      } else if (std::isnan(m->value)) {
        v.rank = 1;
      } else {
        v.value = m->value;
      }
      return v;
    }
    case SearchEntity::kParam: {
      const Param* p = run.param(key.key);
      if (p == nullptr) v.rank = 2;
      return p == nullptr ? v : text(p->value);
    }
    case SearchEntity::kTag: {
      const Tag* t = run.tag(key.key);
      if (t == nullptr) v.rank = 2;
      return t == nullptr ? v : text(t->value);
    }
    case SearchEntity::kAttribute: {
      const RunInfo& info = run.info;
      if (key.key == "start_time") {
        v.value = static_cast<double>(info.start_time);
      } else if (key.key == "end_time") {
        if (info.end_time) {
          v.value = static_cast<double>(*info.end_time);
        } else {
          v.rank = 2;
        }
      } else if (key.key == "run_id") {
        return text(info.run_id);
      } else if (key.key == "run_name") {
        return text(info.run_name);
      } else if (key.key == "user_id") {
        return text(info.user_id);
      } else if (key.key == "status") {
        return text(info.status);
      } else if (key.key == "artifact_uri") {
        return text(info.artifact_uri);
      }
      return v;
    }
    case SearchEntity::kDataset:
      v.rank = 2;
      return v;
  }
  return v;
}

// <0, 0, >0 as a sorts before, with or after b under one key.
int compare_sort_values(const SortValue& a, const SortValue& b, bool ascending) {
  if (a.rank != b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.rank != 0) return 0;
  int c = 0;
  if (a.value < b.value) {
    c = -1;
  } else if (b.value < a.value) {
    c = 1;
  }
  return ascending ? c : -c;
}

// Experiment ids are integers in MLflow's SQL store, so "10" sorts after "9".
int compare_experiment_ids(const std::string& a, const std::string& b) {
  char* end_a = nullptr;
  char* end_b = nullptr;
  long long ia = std::strtoll(a.c_str(), &end_a, 10);
  long long ib = std::strtoll(b.c_str(), &end_b, 10);
  if (!a.empty() && !b.empty() && *end_a == '\0' && *end_b == '\0') {
    return ia < ib ? -1 : (ia > ib ? 1 : 0);
  }
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

int compare_experiments(const Experiment& a, const Experiment& b, const OrderKey& key) {
  int c = 0;
  if (key.key == "name") {
    c = a.name.compare(b.name);
  } else if (key.key == "experiment_id") {
    c = compare_experiment_ids(a.experiment_id, b.experiment_id);
  } else if (key.key == "creation_time") {
    c = (a.creation_time > b.creation_time) - (a.creation_time < b.creation_time);
  } else if (key.key == "last_update_time") {
    c = (a.last_update_time > b.last_update_time) - (a.last_update_time < b.last_update_time);
  }
  c = (c > 0) - (c < 0);
  return key.ascending ? c : -c;
}

}  // namespace

Result<RunFilter> parse_run_filter(const std::string& filter_string) {
  Result<std::vector<SearchClause>> clauses =
      parse_filter(filter_string, {/*experiments=*/false, kRunNumericAttributes});
  if (!clauses) return clauses.status();
  return RunFilter{std::move(*clauses)};
}

bool matches(const RunFilter& filter, const Run& run) {
  return std::all_of(filter.clauses.begin(), filter.clauses.end(),
                     [&](const SearchClause& c) { return clause_matches(c, run); });
}

Result<RunOrder> parse_run_order(const std::vector<std::string>& order_by) {
  RunOrder order;
  std::set<std::pair<SearchEntity, std::string>> seen;
  for (const std::string& clause : order_by) {
    Result<OrderTerm> term = parse_order_term(clause);
    if (!term) return term.status();
    Result<Identifier> id = run_identifier(term->identifier, kRunOrderAttributes);
    if (!id) return id.status();
    if (id->entity == SearchEntity::kDataset) return invalid("Invalid identifier type 'dataset'");
    OrderKey key{id->entity,
                 id->entity == SearchEntity::kAttribute ? translate_key_alias(id->key) : id->key,
                 term->ascending};
    if (!seen.insert({key.entity, key.key}).second) {
      return invalid("`order_by` contains duplicate fields: " + python_repr(order_by));
    }
    order.keys.push_back(std::move(key));
  }
  return order;
}

void sort_runs(std::vector<Run>& runs, const RunOrder& order) {
  std::vector<OrderKey> keys = order.keys;
  const bool has_start_time = std::any_of(keys.begin(), keys.end(), [](const OrderKey& k) {
    return k.entity == SearchEntity::kAttribute && k.key == "start_time";
  });
  if (!has_start_time) keys.push_back({SearchEntity::kAttribute, "start_time", false});
  keys.push_back({SearchEntity::kAttribute, "run_id", true});

  // Each run's sort values once, then sort indices (runs are large to move around).
  std::vector<std::vector<SortValue>> values(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    values[i].reserve(keys.size());
    for (const OrderKey& k : keys) values[i].push_back(sort_value(runs[i], k));
  }
  std::vector<size_t> index(runs.size());
  std::iota(index.begin(), index.end(), 0);
  std::stable_sort(index.begin(), index.end(), [&](size_t a, size_t b) {
    for (size_t k = 0; k < keys.size(); ++k) {
      int c = compare_sort_values(values[a][k], values[b][k], keys[k].ascending);
      if (c != 0) return c < 0;
    }
    return false;
  });
  std::vector<Run> sorted;
  sorted.reserve(runs.size());
  for (size_t i : index) sorted.push_back(std::move(runs[i]));
  runs = std::move(sorted);
}

Result<ExperimentFilter> parse_experiment_filter(const std::string& filter_string) {
  Result<std::vector<SearchClause>> clauses =
      parse_filter(filter_string, {/*experiments=*/true, kExperimentNumericAttributes});
  if (!clauses) return clauses.status();
  return ExperimentFilter{std::move(*clauses)};
}

bool matches(const ExperimentFilter& filter, const Experiment& experiment) {
  for (const SearchClause& c : filter.clauses) {
    bool ok = false;
    if (c.entity == SearchEntity::kTag) {
      auto it = std::find_if(experiment.tags.begin(), experiment.tags.end(),
                             [&](const Tag& t) { return t.key == c.key; });
      ok = it != experiment.tags.end() && compare_text(it->value, c);
    } else if (c.key == "name") {
      ok = compare_text(experiment.name, c);
    } else if (c.key == "creation_time") {
      ok = compare_number(static_cast<double>(experiment.creation_time), c);
    } else if (c.key == "last_update_time") {
      ok = compare_number(static_cast<double>(experiment.last_update_time), c);
    }
    if (!ok) return false;
  }
  return true;
}

Result<ExperimentOrder> parse_experiment_order(const std::vector<std::string>& order_by) {
  static const std::vector<std::string> kDefault = {"creation_time DESC", "experiment_id ASC"};
  ExperimentOrder order;
  for (const std::string& clause : order_by.empty() ? kDefault : order_by) {
    Result<OrderTerm> term = parse_order_term(clause);
    if (!term) return term.status();
    Result<Identifier> id = experiment_identifier(term->identifier, kExperimentOrderAttributes);
    if (!id) return id.status();
    if (id->entity != SearchEntity::kAttribute) {
      return invalid(std::string("Invalid order_by entity: ") + entity_name(id->entity));
    }
    order.keys.push_back({id->entity, id->key, term->ascending});
  }
  const bool has_id = std::any_of(order.keys.begin(), order.keys.end(),
                                  [](const OrderKey& k) { return k.key == "experiment_id"; });
  if (!has_id) order.keys.push_back({SearchEntity::kAttribute, "experiment_id", false});
  return order;
}

void sort_experiments(std::vector<Experiment>& experiments, const ExperimentOrder& order) {
  std::stable_sort(experiments.begin(), experiments.end(),
                   [&](const Experiment& a, const Experiment& b) {
                     for (const OrderKey& k : order.keys) {
                       int c = compare_experiments(a, b, k);
                       if (c != 0) return c < 0;
                     }
                     return false;
                   });
}

}  // namespace traind::tracking
