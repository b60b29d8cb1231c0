// Test support: loads a Prophet fixture written by
// bench/timeseries/fixtures/prophet/make_prophet_fixtures.R (CSV rows + R's reference JSON).
#pragma once

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engines/timeseries/prophet.h"

namespace traind::engines::timeseries::detail {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
inline int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// "YYYY-MM-DD" (quotes allowed) as epoch seconds at UTC midnight.
inline double parse_date(std::string text) {
  if (!text.empty() && text.front() == '"') text = text.substr(1, text.size() - 2);
  const int y = std::stoi(text.substr(0, 4));
  const auto m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
  const auto d = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
  return static_cast<double>(days_from_civil(y, m, d)) * 86400.0;
}

struct ProphetFixture {
  ProphetFrame frame;                // every CSV row: history (y set) and future (y NaN)
  nlohmann::ordered_json reference;  // key order kept (components come in R's order)
};

inline std::string fixture_path(const std::string& file) {
  return std::string(TRAIND_TS_FIXTURE_DIR) + "/prophet/" + file;
}

inline ProphetFixture load_prophet_fixture(const std::string& name) {
  ProphetFixture fixture;
  std::ifstream csv(fixture_path(name + ".csv"));
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
      if (!cell.empty() && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
      header.push_back(cell);
    }
  }
  while (std::getline(csv, line)) {
    std::stringstream ss(line);
    std::string cell;
    for (size_t c = 0; c < header.size(); ++c) {
      if (!std::getline(ss, cell, ',')) cell.clear();
      const std::string& column = header[c];
      if (column == "ds") {
        fixture.frame.ds.push_back(parse_date(cell));
        continue;
      }
      const double value =
          cell.empty() ? std::numeric_limits<double>::quiet_NaN() : std::stod(cell);
      if (column == "y") {
        fixture.frame.y.push_back(value);
      } else if (column == "cap") {
        fixture.frame.cap.push_back(value);
      } else if (column == "floor") {
        fixture.frame.floor.push_back(value);
      } else {
        fixture.frame.regressors[column].push_back(value);
      }
    }
  }
  std::ifstream json(fixture_path(name + ".json"));
  fixture.reference = nlohmann::ordered_json::parse(json);
  return fixture;
}

// The options R used for the fixture (defaults plus growth, mode, regressors, holidays).
inline ProphetOptions fixture_options(const nlohmann::ordered_json& reference) {
  ProphetOptions options;
  options.growth = reference.at("growth").get<std::string>();
  options.seasonality_mode = reference.at("seasonality_mode").get<std::string>();
  for (const auto& r : reference.at("extra_regressors")) {
    ExtraRegressor regressor;
    regressor.name = r.at("name").get<std::string>();
    regressor.standardize = r.at("standardize").get<std::string>();
    options.extra_regressors.push_back(regressor);
  }
  if (reference.contains("holidays")) {
    for (const auto& h : reference.at("holidays")) {
      options.holidays.push_back({h.at("holiday").get<std::string>(), h.at("ds").get<double>(),
                                  h.at("lower_window").get<int>(), h.at("upper_window").get<int>(),
                                  h.at("prior_scale").get<double>()});
    }
  }
  options.random_state = 7;
  return options;
}

}  // namespace traind::engines::timeseries::detail
