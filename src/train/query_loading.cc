// load_query: describe, then load (all columns or the wanted ones), reporting rows read.
#include "train/query_loading.h"

#include <chrono>

#include "data/sql_source.h"

namespace traind::train {
namespace {

using SteadyClock = std::chrono::steady_clock;

Status as_load_error(const Status& st) {
  switch (st.code()) {
    case ErrorCode::kTimeout:
    case ErrorCode::kDatasetTooLarge:
    case ErrorCode::kOutOfMemory:
    case ErrorCode::kCancelled:
      return st;
    default:
      return Status(ErrorCode::kDataError, "loading the dataset failed: " + st.message(),
                    st.details());
  }
}

}  // namespace

Result<data::Table> load_query(const std::string& query,
                               const std::optional<std::vector<std::string>>& columns,
                               const PipelineEnv& env, const ProgressReporter& reporter,
                               std::vector<std::string>& query_columns) {
  reporter.phase("loading_data");
  auto source = data::open_sql_source(env.databases);
  if (!source) return as_load_error(source.status());
  auto described = source.value()->describe(query);
  if (!described) return as_load_error(described.status());
  for (const auto& c : *described) query_columns.push_back(c.name);
  auto last_event = SteadyClock::now();
  auto on_rows = [&](int64_t rows) {
    if (SteadyClock::now() - last_event >= std::chrono::milliseconds(200)) {
      last_event = SteadyClock::now();
      reporter.phase("loading_data", {{"rows_read", rows}});
    }
  };
  Result<data::Table> loaded =
      columns ? source.value()->load_columns(query, *columns, env.limits, on_rows)
              : source.value()->load(query, env.limits, on_rows);
  if (!loaded) return as_load_error(loaded.status());
  reporter.log("info", "loaded " + std::to_string(loaded->num_rows()) + " rows, " +
                           std::to_string(loaded->num_columns()) + " of the query's " +
                           std::to_string(query_columns.size()) + " columns");
  return loaded;
}

}  // namespace traind::train
