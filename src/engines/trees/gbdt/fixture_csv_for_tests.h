// Test-only readers for the LightGBM reference fixtures (tests/fixtures/lightgbm, see its
// README.md): CSV tables written with %.17g ("nan", "-0", "inf" included), the train/test
// data sets (label first, then f0..fN) and params.json. Header-only; tests only.
#pragma once

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engines/trees/feature_matrix.h"
#include "engines/trees/gbdt.h"

namespace traind::engines::trees::testing {

// Absolute path of a file under tests/fixtures/lightgbm/.
inline std::string lightgbm_fixture_path(const std::string& relative) {
  return std::string(TRAIND_FIXTURE_DIR) + "/lightgbm/" + relative;
}

// The whole file; throws std::runtime_error when it cannot be read (a test setup error).
inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    cells.push_back(
        line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

// A CSV file as text cells: header plus rows.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  int column(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    throw std::runtime_error("no column " + name);
  }
  double number(size_t row, int column) const {
    return std::strtod(rows[row][column].c_str(), nullptr);
  }
};

inline CsvTable read_csv(const std::string& path) {
  std::istringstream in(read_text_file(path));
  CsvTable table;
  std::string line;
  if (std::getline(in, line)) table.header = split_csv_line(line);
  while (std::getline(in, line)) {
    if (!line.empty()) table.rows.push_back(split_csv_line(line));
  }
  return table;
}

// A fixture data set (train.csv / test.csv): the `label` column and the features, stored
// column-major as FeatureMatrix expects.
struct FixtureData {
  std::vector<std::string> feature_names;
  std::vector<double> labels;
  std::vector<double> values;  // column c, row r at values[c * num_rows + r]
  int64_t num_rows = 0;

  FeatureMatrix matrix() const {
    return FeatureMatrix{values.data(), num_rows, static_cast<int>(feature_names.size())};
  }
  std::vector<float> float_labels() const { return {labels.begin(), labels.end()}; }
};

inline FixtureData read_fixture_data(const std::string& path) {
  const CsvTable table = read_csv(path);
  FixtureData data;
  const int label_column = table.column("label");
  std::vector<int> feature_columns;
  for (size_t i = 0; i < table.header.size(); ++i) {
    if (static_cast<int>(i) == label_column) continue;
    feature_columns.push_back(static_cast<int>(i));
    data.feature_names.push_back(table.header[i]);
  }
  data.num_rows = static_cast<int64_t>(table.rows.size());
  data.values.resize(feature_columns.size() * table.rows.size());
  data.labels.resize(table.rows.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    data.labels[r] = table.number(r, label_column);
    for (size_t j = 0; j < feature_columns.size(); ++j) {
      data.values[j * table.rows.size() + r] = table.number(r, feature_columns[j]);
    }
  }
  return data;
}

// A numeric CSV (pred_raw.csv, bins_train.csv, ...) as row-major doubles.
inline std::vector<double> read_numeric_csv(const std::string& path, int* num_columns) {
  const CsvTable table = read_csv(path);
  *num_columns = static_cast<int>(table.header.size());
  std::vector<double> out;
  out.reserve(table.rows.size() * table.header.size());
  for (size_t r = 0; r < table.rows.size(); ++r) {
    for (size_t c = 0; c < table.header.size(); ++c) out.push_back(table.number(r, c));
  }
  return out;
}

inline nlohmann::ordered_json read_params_json(const std::string& path) {
  return nlohmann::ordered_json::parse(read_text_file(path));
}

// params.json's "params" as LightGBM-style (name, value text) pairs: booleans as
// "true"/"false", numbers as JSON prints them, strings unquoted, arrays comma-joined.
inline GbdtParameterList gbdt_parameters_from_json(const nlohmann::ordered_json& params_file) {
  GbdtParameterList list;
  const nlohmann::ordered_json& params =
      params_file.contains("params") ? params_file["params"] : params_file;
  for (auto it = params.begin(); it != params.end(); ++it) {
    const nlohmann::ordered_json& value = it.value();
    std::string text;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) text += ',';
        text += value[i].is_string() ? value[i].get<std::string>() : value[i].dump();
      }
    } else {
      text = value.dump();
    }
    list.emplace_back(it.key(), text);
  }
  return list;
}

// params.json's dataset_args.categorical_feature (empty when absent).
inline std::vector<int> categorical_features_from_json(const nlohmann::ordered_json& params_file) {
  std::vector<int> out;
  if (params_file.contains("dataset_args") &&
      params_file["dataset_args"].contains("categorical_feature")) {
    for (const auto& v : params_file["dataset_args"]["categorical_feature"]) {
      out.push_back(v.get<int>());
    }
  }
  return out;
}

}  // namespace traind::engines::trees::testing
