// Table: a column-oriented, in-memory copy of a query result.
//
// Each column keeps the values exactly as the source returned them, in one of two
// physical forms: numbers (double, NaN = missing) or strings (with a separate missing
// mask). Logical types (numeric, boolean, categorical, datetime, text) are inferred
// later by the training pipeline, not here. Not thread-safe for writes; read freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace traind::data {

// What the source says a column holds, before any inference.
enum class StorageType { kNumber, kString };

struct Column {
  std::string name;
  // The type the source declared ("INTEGER", "REAL", "TEXT", "" when it declared none).
  std::string declared_type;
  StorageType storage = StorageType::kNumber;
  std::vector<double> numbers;       // storage == kNumber; NaN marks a missing value
  std::vector<std::string> strings;  // storage == kString
  std::vector<uint8_t> missing;      // storage == kString; 1 marks a missing value
  // True when every non-missing number was an integer in the source (INTEGER class).
  bool all_integers = true;

  size_t size() const { return storage == StorageType::kNumber ? numbers.size() : strings.size(); }
  bool is_missing(size_t row) const;
  // The value as text, the way a label or category is named ("1", "2.5", "Month-to-month").
  std::string text(size_t row) const;
};

class Table {
 public:
  std::vector<Column>& columns() { return columns_; }
  const std::vector<Column>& columns() const { return columns_; }
  size_t num_rows() const { return columns_.empty() ? 0 : columns_.front().size(); }
  size_t num_columns() const { return columns_.size(); }
  // Index of the column with this name, or -1.
  int find(const std::string& name) const;
  const Column& column(size_t i) const { return columns_[i]; }
  // Approximate bytes held, used against a tenant's dataset-size limit.
  size_t byte_size() const;

 private:
  std::vector<Column> columns_;
};

// SHA-256 of the table's contents (column names, then each column's values in row order,
// missing values marked), lowercase hex: the same rows give the same hash on any machine.
std::string table_sha256(const Table& table);

// Formats a number the way labels are shown: integers without a decimal point,
// others with the shortest representation that reads back the same.
std::string format_number(double v);

}  // namespace traind::data
