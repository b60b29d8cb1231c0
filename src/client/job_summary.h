// Human renderings of what the API returns: a job's result summary (status, duration,
// metrics, model, top features, or the error of a failed job), a job list as a table, a
// validation error with its paths, and predictions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace traind::client {

// Numbers as a person reads them: integers plain, others with 4 significant decimals.
std::string format_number(const nlohmann::json& value);

// The summary of one job record (multi-line, ends with a newline).
std::string render_job_summary(const nlohmann::json& job, bool color);

// GET /api/v1/ml/train's answer as a table.
std::string render_job_list(const nlohmann::json& answer, bool color);

// A Status for a person: "error: <message>" then one "  <path>: <message>" per detail.
std::string render_error(const Status& status, bool color);

// POST .../predict's answer as a table, one row per input row.
std::string render_predictions(const nlohmann::json& answer);

}  // namespace traind::client
