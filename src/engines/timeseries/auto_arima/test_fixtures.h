// Test-only helpers: read the auto.arima fixtures written by
// bench/timeseries/fixtures/auto_arima/make_fixtures.R (CSV series and JSON references).
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace traind::engines::timeseries::detail::testing {

inline std::string fixture_path(const std::string& relative) {
  return std::string(TRAIND_TS_FIXTURE_DIR) + "/auto_arima/" + relative;
}

inline nlohmann::json read_json_fixture(const std::string& relative) {
  std::ifstream in(fixture_path(relative));
  return nlohmann::json::parse(in);
}

// Columns of a CSV with a header row; "NA" reads as NaN.
struct CsvColumns {
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;
};

inline CsvColumns read_csv_fixture(const std::string& relative) {
  std::ifstream in(fixture_path(relative));
  CsvColumns out;
  std::string line;
  auto split = [](const std::string& s) {
    std::vector<std::string> cells;
    std::stringstream ss(s);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
      if (cell.size() >= 2 && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
      cells.push_back(cell);
    }
    return cells;
  };
  if (!std::getline(in, line)) return out;
  out.names = split(line);
  out.columns.resize(out.names.size());
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto cells = split(line);
    for (size_t j = 0; j < out.names.size(); ++j) {
      const std::string& c = j < cells.size() ? cells[j] : std::string("NA");
      out.columns[j].push_back(c == "NA" ? std::nan("") : std::stod(c));
    }
  }
  return out;
}

}  // namespace traind::engines::timeseries::detail::testing
