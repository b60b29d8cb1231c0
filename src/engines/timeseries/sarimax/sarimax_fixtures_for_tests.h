// Test-only: reads the statsmodels fixtures under bench/timeseries/fixtures/sarimax
// (written by make_sarimax_fixtures.py) into specs, data and reference values.
#pragma once

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines/timeseries/sarimax.h"

namespace traind::engines::timeseries::testing {

inline std::string sarimax_fixture_path(const std::string& name) {
  return std::string(TRAIND_TS_FIXTURE_DIR) + "/sarimax/" + name;
}

inline nlohmann::json load_sarimax_reference() {
  std::ifstream in(sarimax_fixture_path("reference.json"));
  if (!in) throw std::runtime_error("cannot open the SARIMAX reference fixture");
  return nlohmann::json::parse(in);
}

inline std::vector<double> json_numbers(const nlohmann::json& j) {
  std::vector<double> out;
  for (const auto& v : j) out.push_back(v.is_null() ? std::nan("") : v.get<double>());
  return out;
}

inline SarimaxSpec spec_from_json(const nlohmann::json& j) {
  SarimaxSpec spec;
  const auto order = j.at("order").get<std::vector<int>>();
  const auto seasonal = j.at("seasonal_order").get<std::vector<int>>();
  spec.p = order[0];
  spec.d = order[1];
  spec.q = order[2];
  spec.seasonal_p = seasonal[0];
  spec.seasonal_d = seasonal[1];
  spec.seasonal_q = seasonal[2];
  spec.period = seasonal[3];
  spec.trend = j.at("trend").get<std::string>();
  spec.enforce_stationarity = j.at("enforce_stationarity").get<bool>();
  spec.enforce_invertibility = j.at("enforce_invertibility").get<bool>();
  spec.concentrate_scale = j.at("concentrate_scale").get<bool>();
  return spec;
}

// The series CSV: header "y[,x1,...]", empty cells are missing values.
inline SarimaxData data_from_case(const nlohmann::json& c) {
  std::ifstream in(sarimax_fixture_path("series/" + c.at("series").get<std::string>()));
  if (!in) throw std::runtime_error("cannot open the series of " + c.at("name").get<std::string>());
  std::string line;
  std::getline(in, line);
  SarimaxData data;
  data.exog_names = c.at("exog_names").get<std::vector<std::string>>();
  data.exog.resize(data.exog_names.size());
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    std::string cell;
    while (std::getline(row, cell, ',')) cells.push_back(cell);
    while (cells.size() < 1 + data.exog.size()) cells.emplace_back();
    data.y.push_back(cells[0].empty() ? std::nan("") : std::stod(cells[0]));
    for (size_t j = 0; j < data.exog.size(); ++j) data.exog[j].push_back(std::stod(cells[j + 1]));
  }
  return data;
}

inline std::vector<std::vector<double>> future_exog_from_case(const nlohmann::json& c) {
  std::vector<std::vector<double>> out;
  for (const auto& column : c.at("future_exog")) out.push_back(json_numbers(column));
  return out;
}

inline double relative_error(double actual, double expected) {
  return std::fabs(actual - expected) / std::max(std::fabs(expected), 1e-300);
}

}  // namespace traind::engines::timeseries::testing
