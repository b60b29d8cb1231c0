// MLflow's search language for runs and experiments: filter strings ("metrics.rmse < 0.5 AND
// tags.`mlflow.runName` LIKE 'gbdt%'") and order_by lists ("metrics.rmse DESC"), parsed,
// matched and sorted the way MLflow 2.x does it: mlflow/utils/search_utils.py (SearchUtils,
// SearchExperimentsUtils; read at commit 01a226fbe7a6, a 2.14+ tree with trace search) and the
// SQL store's filter and ordering rules (store/tracking/sqlalchemy_store.py).
//
// What a filter accepts, and the text of its refusals, follow MLflow so MLflow clients see the
// same answers; every refusal is ErrorCode::kInvalidConfig, which the MLflow routes report as
// INVALID_PARAMETER_VALUE. Parsed filters and orders are plain values: share them freely.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "tracking/run.h"

namespace traind::tracking {

// What an identifier names: its prefix ("metrics.", "params.", "tags.", "attributes.",
// "datasets." and their aliases) or none (a bare name is an attribute).
enum class SearchEntity { kMetric, kParam, kTag, kAttribute, kDataset };

enum class Comparator { kEq, kNe, kLt, kLe, kGt, kGe, kLike, kILike, kIn, kNotIn };

// One `identifier comparator value` clause of a filter.
struct SearchClause {
  SearchEntity entity = SearchEntity::kAttribute;
  // The key without quotes; attribute aliases already translated ("created" -> "start_time",
  // "Run name" -> "run_name").
  std::string key;
  Comparator comparator = Comparator::kEq;
  std::string text;                 // a string value (params, tags, string attributes)
  double number = 0.0;              // a numeric value (metrics, numeric attributes)
  std::vector<std::string> values;  // the list of IN / NOT IN
};

// Clauses that must all hold (MLflow filters only AND; OR is refused).
struct RunFilter {
  std::vector<SearchClause> clauses;
};
struct ExperimentFilter {
  std::vector<SearchClause> clauses;
};

struct OrderKey {
  SearchEntity entity = SearchEntity::kAttribute;
  std::string key;  // aliases translated, as in SearchClause
  bool ascending = true;
};

// The order_by keys in priority order; sort_runs adds MLflow's tie-breakers after them.
struct RunOrder {
  std::vector<OrderKey> keys;
};
// Experiments: the keys including the experiment_id tie-breaker (or MLflow's default,
// creation_time DESC then experiment_id ASC, for an empty order_by).
struct ExperimentOrder {
  std::vector<OrderKey> keys;
};

// search_runs' filter. "" (or only whitespace) matches every run. Searchable attributes are
// MLflow's: run_id, run_name, status, user_id, artifact_uri, start_time, end_time (+ aliases
// created, "run name"); lifecycle_stage is not one (search_runs' run_view_type covers it).
Result<RunFilter> parse_run_filter(const std::string& filter_string);
// A metric, param or tag the run does not have never matches, not even with "!=".
// attributes.run_name reads the run's mlflow.runName tag, as MLflow's SQL store does.
bool matches(const RunFilter& filter, const Run& run);

// search_runs' order_by, e.g. {"metrics.rmse DESC", "attributes.start_time"}.
Result<RunOrder> parse_run_order(const std::vector<std::string>& order_by);
// Sorts by each key in turn (missing values last, then for metrics NaN just before them,
// whatever the direction), then start_time DESC, then run_id ASC. Stable for equal runs.
void sort_runs(std::vector<Run>& runs, const RunOrder& order);

// search_experiments' filter: name (= != LIKE ILIKE), creation_time and last_update_time
// (numeric comparators) and tags.<key>. As in MLflow, the prefixes here are only "attribute.",
// "tag." and "tags." ("attributes.name" is refused; a bare "name" is an attribute).
Result<ExperimentFilter> parse_experiment_filter(const std::string& filter_string);
bool matches(const ExperimentFilter& filter, const Experiment& experiment);

// search_experiments' order_by over name, experiment_id, creation_time, last_update_time.
Result<ExperimentOrder> parse_experiment_order(const std::vector<std::string>& order_by);
void sort_experiments(std::vector<Experiment>& experiments, const ExperimentOrder& order);

}  // namespace traind::tracking
