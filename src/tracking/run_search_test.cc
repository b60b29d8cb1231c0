#include "tracking/run_search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "tracking/page_token.h"

namespace traind::tracking {
namespace {

tracking::Run make_run(const std::string& id, const std::string& name, const std::string& status,
                       int64_t start_time) {
  tracking::Run run;
  run.info.run_id = id;
  run.info.run_name = name;
  run.info.status = status;
  run.info.start_time = start_time;
  run.info.experiment_id = "1";
  run.info.artifact_uri = "mlflow-artifacts:/1/" + id + "/artifacts";
  run.tags.push_back({"mlflow.runName", name});
  return run;
}

// Three runs that differ in every way a filter can look at.
std::vector<tracking::Run> sample_runs() {
  tracking::Run a = make_run("train-aaa1", "gbdt-a", "FINISHED", 1000);
  a.info.user_id = "alice";
  a.info.end_time = 2000;
  a.metrics = {{"rmse", 0.5, 1, 0}, {"accuracy", 0.9, 1, 0}};
  a.params = {{"algorithm", "gbdt"}, {"lr", "0.1"}};
  a.tags.push_back({"mlflow.source.type", "JOB"});
  a.tags.push_back({"my tag", "Hello World"});

  tracking::Run b = make_run("train-bbb2", "forest-b", "RUNNING", 3000);
  b.info.user_id = "bob";
  b.metrics = {{"rmse", 0.7, 1, 0}};
  b.params = {{"algorithm", "random_forest"}};

  tracking::Run c = make_run("train-ccc3", "nan-c", "FAILED", 2000);
  c.info.user_id = "carol";
  c.info.end_time = 2500;
  c.info.artifact_uri = "mlflow-artifacts:/2/train-ccc3/artifacts";
  c.metrics = {{"rmse", std::numeric_limits<double>::quiet_NaN(), 1, 0}};
  return {a, b, c};
}

std::set<std::string> matching(const std::string& filter_string) {
  Result<RunFilter> filter = parse_run_filter(filter_string);
  EXPECT_TRUE(filter.is_ok()) << filter_string << ": " << filter.status().message();
  std::set<std::string> ids;
  if (!filter) return ids;
  for (const tracking::Run& run : sample_runs()) {
    if (matches(*filter, run)) ids.insert(run.info.run_id);
  }
  return ids;
}

struct FilterCase {
  std::string filter;
  std::set<std::string> expected;
};

TEST(RunSearchFilter, MatchesLikeMlflow) {
  const std::string a = "train-aaa1", b = "train-bbb2", c = "train-ccc3";
  const std::vector<FilterCase> cases = {
      {"", {a, b, c}},
      {"   ", {a, b, c}},
      {"metrics.rmse < 0.6", {a}},
      {"metric.rmse >= 0.5", {a, b}},   // NaN compares false
      {"metrics.rmse != 0.5", {b, c}},  // ... except with !=
      {"metrics.rmse > -1", {a, b}},
      {"metrics.rmse < 1e3", {a, b}},
      {"metrics.accuracy != 1", {a}},  // a missing metric never matches
      {"metrics.`accuracy` > .5", {a}},
      {"params.algorithm = 'gbdt'", {a}},
      {"param.algorithm LIKE '%forest'", {b}},
      {"params.algorithm like 'GBDT'", {}},  // LIKE is case-sensitive
      {"params.algorithm ILIKE 'GBDT'", {a}},
      {"params.algorithm LIKE 'g_dt'", {a}},
      {"params.algorithm LIKE 'gbd'", {}},  // LIKE matches the whole value
      {"params.algorithm != 'gbdt'", {b}},  // c has no such param
      {"parameters.lr = \"0.1\"", {a}},
      {"tags.`my tag` = 'Hello World'", {a}},
      {"tags.\"mlflow.runName\" = 'forest-b'", {b}},
      {"tags.mlflow.runName LIKE '%-_'", {a, b, c}},
      {"tags.mlflow.source.type = 'JOB'", {a}},
      {"attributes.run_name = 'gbdt-a'", {a}},
      {"attributes.`Run name` ILIKE 'FOREST%'", {b}},
      {"attributes.run_id IN ('train-aaa1', 'train-ccc3')", {a, c}},
      {"attributes.run_id NOT IN ('train-aaa1')", {b, c}},
      {"run_id in ('TRAIN-AAA1')", {}},  // upper-case ids are dropped, as MLflow does
      {"attributes.status = 'FINISHED' and metrics.rmse < 1", {a}},
      {"status = 'RUNNING'", {b}},
      {"attr.start_time >= 2000", {b, c}},
      {"attributes.created < 2000", {a}},
      {"attributes.end_time > 0", {a, c}},  // b has not ended
      {"run.user_id = 'bob'", {b}},
      {"attributes.artifact_uri LIKE 'mlflow-artifacts:/1/%'", {a, b}},
      {"datasets.name = 'x'", {}},
      {"metrics.rmse < 1 AND params.algorithm = 'gbdt' AND tags.mlflow.source.type = 'JOB'", {a}},
  };
  for (const FilterCase& fc : cases) EXPECT_EQ(matching(fc.filter), fc.expected) << fc.filter;
}

TEST(RunSearchFilter, RunNameFallsBackToTheRunsNameWithoutTheTag) {
  tracking::Run run = make_run("train-ddd4", "plain", "FINISHED", 1);
  run.tags.clear();
  Result<RunFilter> filter = parse_run_filter("attributes.run_name = 'plain'");
  ASSERT_TRUE(filter.is_ok());
  EXPECT_TRUE(matches(*filter, run));
}

TEST(RunSearchFilter, KeepsQuotedKeysAndAliases) {
  Result<RunFilter> filter =
      parse_run_filter("metrics.`my metric` > 1 AND tags.\"a.b\" = 'x' AND created > 5");
  ASSERT_TRUE(filter.is_ok()) << filter.status().message();
  ASSERT_EQ(filter->clauses.size(), 3u);
  EXPECT_EQ(filter->clauses[0].entity, SearchEntity::kMetric);
  EXPECT_EQ(filter->clauses[0].key, "my metric");
  EXPECT_EQ(filter->clauses[0].comparator, Comparator::kGt);
  EXPECT_EQ(filter->clauses[1].key, "a.b");
  EXPECT_EQ(filter->clauses[1].text, "x");
  EXPECT_EQ(filter->clauses[2].key, "start_time");
  EXPECT_EQ(filter->clauses[2].number, 5.0);
}

struct RefusalCase {
  std::string filter;
  std::string fragment;
};

TEST(RunSearchFilter, RefusesWhatMlflowRefuses) {
  const std::vector<RefusalCase> cases = {
      {"metrics.rmse < 1 OR metrics.rmse > 2", "Invalid clause(s) in filter string: 'OR'"},
      {"metrics.rmse < 1; metrics.rmse > 2",
       "Search filter contained multiple expression 'metrics.rmse < 1; metrics.rmse > 2'. "
       "Provide AND-ed expression list."},
      {"metrics.rmse >", "Invalid clause(s) in filter string: 'metrics.rmse', '>'"},
      {"(metrics.rmse > 1)", "Invalid clause(s) in filter string: '(metrics.rmse > 1)'"},
      {"1 = metrics.rmse", "Invalid comparison clause. Expected 'Identifier' found '1'"},
      {"foo.bar = 'x'",
       "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', "
       "'dataset']"},
      {"attributes.lifecycle_stage = 'active'",
       "Invalid attribute key 'lifecycle_stage' specified. Valid keys are '{"},
      {"datasets.foo = 'x'", "Invalid dataset key 'foo' specified."},
      {"metrics.rmse = 'x'", "Expected numeric value type for metric. Found 'x'"},
      {"params.lr = 0.1",
       "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 0.1"},
      {"tags.x IN ('a')",
       "Expected a quoted string value for tag (e.g. 'my-value'). Got value ('a')"},
      {"tags.x = abc",
       "Parameter value is either not quoted or unidentified quote types used for string value "
       "abc. Use either single or double quotes."},
      {"attributes.start_time = '5'",
       "Expected numeric value type for numeric attribute: start_time. Found '5'"},
      {"attributes.status = 5", "Expected a quoted string value for attributes. Got value 5"},
      {"attributes.status IN ('FINISHED')",
       "Only the 'run_id' attribute supports comparison with a list of quoted string values."},
      {"attributes.run_id IN ()", "expected a non-empty list of string values, but got empty list"},
      {"attributes.run_id IN ('a', 1)",
       "expected string value, punctuation, or whitespace, but got different type in list: "
       "('a', 1)"},
      {"attributes.run_id IN (1)", "but got ill-formed list."},
      {"attributes.run_id = ('a')", "IN and NOT IN take"},
      {"metrics.rmse LIKE 5",
       "Invalid comparator 'LIKE' not one of '{'>', '>=', '!=', '=', '<', '<='}"},
      {"metrics.rmse == 1", "Invalid comparator '==' not one of"},
      {"params.x > '1'", "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE'}'"},
      {"params.x NOT LIKE 'a'", "Invalid comparator 'NOT LIKE' not one of"},
      {"attributes.start_time LIKE 5", "Invalid comparator 'LIKE' not one of"},
      {"tags.x = 'a' 'b'", "Invalid clause(s) in filter string: ''b''"},
  };
  for (const RefusalCase& rc : cases) {
    Result<RunFilter> filter = parse_run_filter(rc.filter);
    ASSERT_FALSE(filter.is_ok()) << rc.filter;
    EXPECT_EQ(filter.status().code(), ErrorCode::kInvalidConfig) << rc.filter;
    EXPECT_NE(filter.status().message().find(rc.fragment), std::string::npos)
        << rc.filter << " -> " << filter.status().message();
  }
}

TEST(RunSearchFilter, MalformedInputIsRefusedNotCrashedOn) {
  // Unbalanced parentheses and quotes, stray operators: each either parses or is refused
  // with kInvalidConfig. A fixed-seed generator adds strings nobody thought to write down.
  std::vector<std::string> inputs = {"(",
                                     ")",
                                     "'",
                                     "\"",
                                     "`",
                                     "metrics.",
                                     "((",
                                     "tags.x = 'a",
                                     "tags.`x = 'a'",
                                     "run_id IN ('a'",
                                     "metrics.a = 1;",
                                     "-",
                                     ".",
                                     "AND",
                                     "NOT IN ()",
                                     "=="};
  const std::string alphabet = "metrics.a tags.`x\" '1 = < > ! ( ) , ; AND OR IN NOT LIKE % _ -.";
  uint32_t state = 12345;
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    int len = static_cast<int>(state % 24);
    for (int k = 0; k < len; ++k) {
      state = state * 1664525u + 1013904223u;
      s += alphabet[(state >> 8) % alphabet.size()];
    }
    state = state * 1664525u + 1013904223u;
    inputs.push_back(s);
  }
  int refused = 0;
  for (const std::string& s : inputs) {
    Result<RunFilter> filter = parse_run_filter(s);
    if (!filter.is_ok()) {
      ++refused;
      EXPECT_EQ(filter.status().code(), ErrorCode::kInvalidConfig) << s;
      EXPECT_FALSE(filter.status().message().empty()) << s;
    } else {
      for (const tracking::Run& run : sample_runs()) (void)matches(*filter, run);
    }
    Result<ExperimentFilter> experiments = parse_experiment_filter(s);
    if (!experiments.is_ok()) {
      EXPECT_EQ(experiments.status().code(), ErrorCode::kInvalidConfig);
    }
    Result<RunOrder> order = parse_run_order({s});
    if (!order.is_ok()) {
      EXPECT_EQ(order.status().code(), ErrorCode::kInvalidConfig);
    }
  }
  EXPECT_GT(refused, 16);
}

std::vector<std::string> ids_of(const std::vector<tracking::Run>& runs) {
  std::vector<std::string> ids;
  for (const tracking::Run& r : runs) ids.push_back(r.info.run_id);
  return ids;
}

std::vector<std::string> sorted_ids(std::vector<tracking::Run> runs,
                                    const std::vector<std::string>& by) {
  Result<RunOrder> order = parse_run_order(by);
  EXPECT_TRUE(order.is_ok()) << order.status().message();
  if (!order) return {};
  sort_runs(runs, *order);
  return ids_of(runs);
}

TEST(RunSearchOrder, MissingMetricsAndNanGoLastInBothDirections) {
  std::vector<tracking::Run> runs = sample_runs();  // rmse: a 0.5, b 0.7, c NaN
  runs.push_back(make_run("train-ddd4", "no-metrics", "FINISHED", 500));
  using V = std::vector<std::string>;
  EXPECT_EQ(sorted_ids(runs, {"metrics.rmse DESC"}),
            (V{"train-bbb2", "train-aaa1", "train-ccc3", "train-ddd4"}));
  EXPECT_EQ(sorted_ids(runs, {"metrics.rmse"}),
            (V{"train-aaa1", "train-bbb2", "train-ccc3", "train-ddd4"}));
  EXPECT_EQ(sorted_ids(runs, {"metrics.rmse asc"}),
            (V{"train-aaa1", "train-bbb2", "train-ccc3", "train-ddd4"}));
}

TEST(RunSearchOrder, DefaultIsStartTimeDescendingThenRunId) {
  std::vector<tracking::Run> runs = {make_run("r-b", "x", "FINISHED", 10),
                                     make_run("r-c", "x", "FINISHED", 30),
                                     make_run("r-a", "x", "FINISHED", 10)};
  EXPECT_EQ(sorted_ids(runs, {}), (std::vector<std::string>{"r-c", "r-a", "r-b"}));
}

TEST(RunSearchOrder, TiesFallBackToStartTimeThenRunId) {
  std::vector<tracking::Run> runs = {
      make_run("r-b", "x", "FINISHED", 10), make_run("r-c", "x", "FINISHED", 30),
      make_run("r-a", "x", "FINISHED", 10), make_run("r-d", "x", "FINISHED", 5)};
  for (tracking::Run& r : runs) r.metrics = {{"m", 1.0, 0, 0}};
  runs[3].metrics[0].value = 0.0;
  EXPECT_EQ(sorted_ids(runs, {"metrics.m DESC"}),
            (std::vector<std::string>{"r-c", "r-a", "r-b", "r-d"}));
  // Ordering by start_time itself leaves run_id as the only tie-breaker.
  EXPECT_EQ(sorted_ids(runs, {"attributes.start_time ASC"}),
            (std::vector<std::string>{"r-d", "r-a", "r-b", "r-c"}));
}

TEST(RunSearchOrder, ParamsTagsAndAttributes) {
  std::vector<tracking::Run> runs = sample_runs();
  using V = std::vector<std::string>;
  // Params compare as strings; c has none and comes last either way.
  EXPECT_EQ(sorted_ids(runs, {"params.algorithm DESC"}),
            (V{"train-bbb2", "train-aaa1", "train-ccc3"}));
  EXPECT_EQ(sorted_ids(runs, {"params.algorithm"}), (V{"train-aaa1", "train-bbb2", "train-ccc3"}));
  EXPECT_EQ(sorted_ids(runs, {"tags.`my tag` DESC"}),
            (V{"train-aaa1", "train-bbb2", "train-ccc3"}));
  EXPECT_EQ(sorted_ids(runs, {"attributes.end_time"}),
            (V{"train-aaa1", "train-ccc3", "train-bbb2"}));
  EXPECT_EQ(sorted_ids(runs, {"attributes.run_name"}),
            (V{"train-bbb2", "train-aaa1", "train-ccc3"}));
  EXPECT_EQ(sorted_ids(runs, {"attributes.created DESC"}),
            (V{"train-bbb2", "train-ccc3", "train-aaa1"}));
  EXPECT_EQ(sorted_ids(runs, {"status", "metrics.rmse"}),
            (V{"train-ccc3", "train-aaa1", "train-bbb2"}));
}

TEST(RunSearchOrder, ParsesQuotedKeys) {
  Result<RunOrder> order =
      parse_run_order({"tags.`a b` DESC", "tags.\"mlflow.runName\"", "metrics.`f1 score`"});
  ASSERT_TRUE(order.is_ok()) << order.status().message();
  ASSERT_EQ(order->keys.size(), 3u);
  EXPECT_EQ(order->keys[0].key, "a b");
  EXPECT_FALSE(order->keys[0].ascending);
  EXPECT_EQ(order->keys[1].key, "mlflow.runName");
  EXPECT_TRUE(order->keys[1].ascending);
  EXPECT_EQ(order->keys[2].entity, SearchEntity::kMetric);
  EXPECT_EQ(order->keys[2].key, "f1 score");
}

TEST(RunSearchOrder, RefusesWhatMlflowRefuses) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"metrics.rmse DESCENDING"},
       "Invalid ordering key in order_by clause 'metrics.rmse DESCENDING'."},
      {{"metrics.rmse DESC extra"},
       "Invalid order_by clause 'metrics.rmse DESC extra'. Could not be parsed."},
      {{""}, "Invalid order_by clause ''. Could not be parsed."},
      {{"metrics.rmse > 1"}, "Could not be parsed."},
      {{"attributes.foo"}, "Invalid attribute key 'foo' specified."},
      {{"bogus.x"}, "Invalid entity type 'bogus'."},
      {{"metrics.a", "metrics.a DESC"},
       "`order_by` contains duplicate fields: ['metrics.a', 'metrics.a DESC']"},
      {{"attributes.created", "start_time"}, "`order_by` contains duplicate fields"},
      {{"datasets.name"}, "Invalid identifier type 'dataset'"},
  };
  for (const auto& [order_by, fragment] : cases) {
    Result<RunOrder> order = parse_run_order(order_by);
    ASSERT_FALSE(order.is_ok()) << order_by[0];
    EXPECT_EQ(order.status().code(), ErrorCode::kInvalidConfig);
    EXPECT_NE(order.status().message().find(fragment), std::string::npos)
        << order_by[0] << " -> " << order.status().message();
  }
}

Experiment make_experiment(const std::string& id, const std::string& name, int64_t created) {
  Experiment e;
  e.experiment_id = id;
  e.name = name;
  e.creation_time = created;
  e.last_update_time = created + 1;
  return e;
}

TEST(RunSearchExperiments, FiltersLikeMlflow) {
  std::vector<Experiment> experiments = {make_experiment("0", "Default", 10),
                                         make_experiment("1", "exp-churn", 20),
                                         make_experiment("2", "EXP-sales", 30)};
  experiments[1].tags.push_back({"team", "ml"});
  auto names = [&](const std::string& f) {
    Result<ExperimentFilter> filter = parse_experiment_filter(f);
    EXPECT_TRUE(filter.is_ok()) << f << ": " << filter.status().message();
    std::set<std::string> out;
    if (!filter) return out;
    for (const Experiment& e : experiments) {
      if (matches(*filter, e)) out.insert(e.name);
    }
    return out;
  };
  using S = std::set<std::string>;
  EXPECT_EQ(names(""), (S{"Default", "exp-churn", "EXP-sales"}));
  EXPECT_EQ(names("name = 'Default'"), (S{"Default"}));
  EXPECT_EQ(names("attribute.name LIKE 'exp%'"), (S{"exp-churn"}));
  EXPECT_EQ(names("name ILIKE 'exp%'"), (S{"exp-churn", "EXP-sales"}));
  EXPECT_EQ(names("name != 'Default' AND creation_time >= 20"), (S{"exp-churn", "EXP-sales"}));
  EXPECT_EQ(names("last_update_time < 21"), (S{"Default"}));
  EXPECT_EQ(names("tags.team = 'ml'"), (S{"exp-churn"}));
  EXPECT_EQ(names("tags.`team` != 'other'"), (S{"exp-churn"}));  // the others lack the tag
}

TEST(RunSearchExperiments, RefusesWhatMlflowRefuses) {
  const std::vector<RefusalCase> cases = {
      {"attributes.name = 'x'",
       "Invalid entity type 'attributes'. Valid entity types are ('attribute', 'tag', 'tags')"},
      {"experiment_id = '1'", "Invalid attribute key 'experiment_id' specified."},
      {"name IN ('a')", "Only the 'run_id' attribute supports comparison"},
      {"creation_time LIKE 5", "Invalid comparator 'LIKE' not one of"},
      {"creation_time = 'x'", "Expected numeric value type for numeric attribute: creation_time"},
      {"name = 'a' OR name = 'b'", "Invalid clause(s) in filter string: OR"},
      {"tags.x > 'a'", "Invalid comparator '>' not one of"},
  };
  for (const RefusalCase& rc : cases) {
    Result<ExperimentFilter> filter = parse_experiment_filter(rc.filter);
    ASSERT_FALSE(filter.is_ok()) << rc.filter;
    EXPECT_EQ(filter.status().code(), ErrorCode::kInvalidConfig);
    EXPECT_NE(filter.status().message().find(rc.fragment), std::string::npos)
        << rc.filter << " -> " << filter.status().message();
  }
}

std::vector<std::string> experiment_ids(std::vector<Experiment> experiments,
                                        const std::vector<std::string>& by) {
  Result<ExperimentOrder> order = parse_experiment_order(by);
  EXPECT_TRUE(order.is_ok()) << order.status().message();
  if (!order) return {};
  sort_experiments(experiments, *order);
  std::vector<std::string> ids;
  for (const Experiment& e : experiments) ids.push_back(e.experiment_id);
  return ids;
}

TEST(RunSearchExperiments, OrdersLikeMlflow) {
  std::vector<Experiment> experiments = {
      make_experiment("0", "Default", 10), make_experiment("2", "b", 30),
      make_experiment("10", "b", 30), make_experiment("9", "a", 20)};
  using V = std::vector<std::string>;
  // Default: creation_time DESC, then experiment_id ASC (numerically).
  EXPECT_EQ(experiment_ids(experiments, {}), (V{"2", "10", "9", "0"}));
  // An explicit order gets experiment_id DESC as the tie-breaker.
  EXPECT_EQ(experiment_ids(experiments, {"name"}), (V{"0", "9", "10", "2"}));
  EXPECT_EQ(experiment_ids(experiments, {"attribute.experiment_id"}), (V{"0", "2", "9", "10"}));
  EXPECT_EQ(experiment_ids(experiments, {"last_update_time ASC"}), (V{"0", "9", "10", "2"}));

  Result<ExperimentOrder> by_tag = parse_experiment_order({"tags.x"});
  ASSERT_FALSE(by_tag.is_ok());
  EXPECT_EQ(by_tag.status().message(), "Invalid order_by entity: tag");
  Result<ExperimentOrder> unknown = parse_experiment_order({"lifecycle_stage"});
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.status().message().find("Invalid attribute key 'lifecycle_stage'"),
            std::string::npos);
}

TEST(PageToken, EncodesLikeMlflow) {
  // base64 of json.dumps({"offset": 1000}), as MLflow's SearchUtils.create_page_token.
  EXPECT_EQ(encode_offset_token(1000), "eyJvZmZzZXQiOiAxMDAwfQ==");
}

TEST(PageToken, RoundTrips) {
  for (int64_t offset :
       {int64_t{1}, int64_t{7}, int64_t{1000}, int64_t{50000}, int64_t{123456789012}}) {
    Result<int64_t> decoded = decode_offset_token(encode_offset_token(offset));
    ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
    EXPECT_EQ(*decoded, offset);
  }
  Result<int64_t> first_page = decode_offset_token("");
  ASSERT_TRUE(first_page.is_ok());
  EXPECT_EQ(*first_page, 0);
}

TEST(PageToken, ReadsTokensAsPythonDoes) {
  // Characters outside the alphabet are skipped, as base64.b64decode does by default.
  Result<int64_t> spaced = decode_offset_token("eyJvZmZz\nZXQiOiAxMDAwfQ==");
  ASSERT_TRUE(spaced.is_ok()) << spaced.status().message();
  EXPECT_EQ(*spaced, 1000);
  Result<int64_t> as_string = decode_offset_token("eyJvZmZzZXQiOiAiIDEyICJ9");  // " 12 "
  ASSERT_TRUE(as_string.is_ok()) << as_string.status().message();
  EXPECT_EQ(*as_string, 12);
  Result<int64_t> as_float = decode_offset_token("eyJvZmZzZXQiOiAyLjl9");  // 2.9
  ASSERT_TRUE(as_float.is_ok());
  EXPECT_EQ(*as_float, 2);
}

TEST(PageToken, RefusesGarbage) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"abc", "Invalid page token, could not base64-decode"},
      {"eyJvZmZzZXQiOiAxMDAwfQ=garbage", "Invalid page token, could not base64-decode"},
      {"!!!!", "Invalid page token, decoded value=b''"},
      {"aGVsbG8=", "Invalid page token, decoded value=b'hello'"},
      {"eyJvZmZzZXQiOiAwfQ==", "Invalid page token, parsed value={'offset': 0}"},
      {"eyJmb28iOiAxfQ==", "Invalid page token, parsed value={'foo': 1}"},
      {"WzEsIDJd", "Invalid page token, parsed value=[1, 2]"},
      {"eyJvZmZzZXQiOiAiYWJjIn0=", "Invalid page token, not stringable abc"},
      {"eyJvZmZzZXQiOiAtM30=", "Invalid page token, parsed value={'offset': -3}"},
  };
  for (const auto& [token, message] : cases) {
    Result<int64_t> decoded = decode_offset_token(token);
    ASSERT_FALSE(decoded.is_ok()) << token;
    EXPECT_EQ(decoded.status().code(), ErrorCode::kInvalidConfig);
    EXPECT_EQ(decoded.status().message(), message) << token;
  }
}

}  // namespace
}  // namespace traind::tracking
