// Column types: the logical type of each feature column, inferred from a loaded Table.
//
// The source only says "numbers" or "strings"; the pipeline needs to know which columns
// are numeric, boolean, categorical, datetime or free text to encode them. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "data/table.h"

namespace traind::train {

enum class ColumnType { kNumeric, kBoolean, kCategorical, kDatetime, kText };

// "numeric", "boolean", "categorical", "datetime", "text".
const char* column_type_name(ColumnType type);
std::optional<ColumnType> column_type_from_name(const std::string& name);

// A string column is categorical up to this many distinct values (or at most half of its
// non-missing values distinct); beyond both it is free text.
constexpr size_t kMaxCategoricalDistinct = 100;

// numeric: number storage; boolean: numbers only 0/1, or strings only true/false/yes/no
// (any case); datetime: strings that all parse as ISO dates; categorical: few distinct
// strings; text: other strings. Missing values are ignored.
ColumnType infer_column_type(const data::Column& column);

// true/yes -> 1, false/no -> 0 (any case), otherwise nullopt.
std::optional<double> parse_boolean_text(std::string_view text);

// A date or date-time as the parts the pipeline encodes.
struct DateTimeParts {
  double days_since_epoch = 0;  // fractional when a time of day is given
  int year = 0;
  int month = 0;        // 1..12
  int day_of_week = 0;  // 0 = Monday .. 6 = Sunday (pandas' dayofweek)
};

// Parses 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DDTHH:MM:SS' (optional
// fractional seconds and a trailing 'Z'); nullopt for anything else or an invalid date.
std::optional<DateTimeParts> parse_iso_datetime(std::string_view text);

}  // namespace traind::train
