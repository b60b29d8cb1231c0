// Test-only helpers: reading the scikit-learn fixtures in tests/fixtures/forest/.
#pragma once

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engines/trees/feature_matrix.h"

namespace traind::engines::trees::testing {

inline std::string forest_fixture_path(const std::string& name) {
  return std::string(TRAIND_FIXTURE_DIR) + "/forest/" + name;
}

inline nlohmann::json read_fixture_json(const std::string& name) {
  std::ifstream in(forest_fixture_path(name));
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// A fixture CSV (features f0..f{p-1}, then y) held column-major, as FeatureMatrix wants.
struct Table {
  int64_t rows = 0;
  int columns = 0;
  std::vector<double> values;  // column-major
  std::vector<double> y;

  FeatureMatrix matrix() const { return FeatureMatrix{values.data(), rows, columns}; }

  Table select(const std::vector<int64_t>& row_ids) const {
    Table out;
    out.rows = static_cast<int64_t>(row_ids.size());
    out.columns = columns;
    out.values.resize(out.rows * columns);
    for (int c = 0; c < columns; ++c) {
      for (int64_t i = 0; i < out.rows; ++i)
        out.values[c * out.rows + i] = values[c * rows + row_ids[i]];
    }
    for (int64_t id : row_ids) out.y.push_back(y[id]);
    return out;
  }
};

inline Table read_fixture_csv(const std::string& file) {
  std::ifstream in(forest_fixture_path("data/" + file));
  std::string line;
  std::getline(in, line);
  int fields = 1;
  for (char ch : line) fields += ch == ',';
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) row.push_back(std::stod(cell));
    rows.push_back(row);
  }
  Table t;
  t.rows = static_cast<int64_t>(rows.size());
  t.columns = fields - 1;
  t.values.resize(t.rows * t.columns);
  for (int64_t r = 0; r < t.rows; ++r) {
    for (int c = 0; c < t.columns; ++c) t.values[c * t.rows + r] = rows[r][c];
    t.y.push_back(rows[r][t.columns]);
  }
  return t;
}

}  // namespace traind::engines::trees::testing
