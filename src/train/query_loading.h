// Loading a job's query result, shared by the tabular and the forecasting pipelines:
// the loading_data phase with its row-count progress, and load errors mapped to job codes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "data/table.h"
#include "train/pipeline.h"
#include "train/progress_reporter.h"

namespace traind::train {

// Runs `query` against the tenant's databases under env.limits. With `columns`, only those
// are loaded (the query becomes a subquery), so a wide table costs what the job uses;
// `query_columns` receives every column of the query's result either way. A query the
// source refuses is the data's fault at this point (validation passed before the job was
// accepted): kDataError; timeouts, size and memory limits keep their own codes.
Result<data::Table> load_query(const std::string& query,
                               const std::optional<std::vector<std::string>>& columns,
                               const PipelineEnv& env, const ProgressReporter& reporter,
                               std::vector<std::string>& query_columns);

}  // namespace traind::train
