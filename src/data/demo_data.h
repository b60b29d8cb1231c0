// Demo data for the demo tenant: a synthetic, deterministic customer churn table, the
// forecasting tables daily_sales and monthly_passengers (data/demo_timeseries.h) and the
// support_tickets texts (data/demo_text.h).
#pragma once

#include <string>

#include "core/status.h"

namespace traind::data {

// Writes the demo tenant's "ml_features" database (tables customer_churn, daily_sales,
// monthly_passengers and support_tickets) to `path`. 6000 customers drawn from a fixed-seed
// generator of our own, so every call on every platform writes the same rows. The file appears
// atomically (written beside, renamed).
Status write_demo_features_db(const std::string& path);

// Adds to an existing demo database (written by an earlier version) the demo tables it
// lacks, leaving everything in it as it is. OK when nothing is missing.
Status add_missing_demo_tables(const std::string& path);

}  // namespace traind::data
