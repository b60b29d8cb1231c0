// Time-series engine benchmark (spec A.10 "Speed", B.8 "Speed"): times our engines on the same
// series that statsmodels_bench.py and r_bench.R time, and prints one JSON line per case with
// the median wall time of --repeats runs after one warm-up run, plus what the fit reached
// (log-likelihood, chosen order, yhat) so that run_timeseries_bench.py can check that the
// tools agree before it compares their speed.
//
//   ts_bench --root bench/timeseries [--sections arima,auto,prophet,predict] [--repeats 20]
//            [--budget-s 60] [--cases name,name]
//
// Sections (cases listed in run_timeseries_bench.py's docstring):
//   arima    fit_sarimax: start values -> L-BFGS optimum -> final filter -> OPG (the engine's
//            whole fit), statsmodels' cases #1-#6 of A.10 and the simulated SARIMA n = 5000;
//   auto     auto_arima with R's defaults on the twelve series of A.10's order-selection table
//            (selection plus the exact refit of the chosen model, as auto.arima returns it);
//   prophet  fit_prophet with the fixture's settings on the Prophet fixtures (B.8);
//   predict  ProphetModel::predict with 1000 uncertainty samples on history + future rows.
// One thread throughout: the engines are single-threaded. --budget-s stops repeating a case
// once its runs have taken that long (at least 3 runs are kept); the line says how many ran.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engines/timeseries/auto_arima.h"
#include "engines/timeseries/prophet.h"
#include "engines/timeseries/sarimax.h"

namespace traind::bench::timeseries {
namespace {

namespace ts = traind::engines::timeseries;
using nlohmann::json;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  std::exit(1);
}

struct Settings {
  std::string root = "bench/timeseries";
  std::set<std::string> sections = {"arima", "auto", "prophet", "predict"};
  std::set<std::string> cases;  // empty = all
  int repeats = 20;
  double budget_s = 1e300;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string cell;
  while (std::getline(ss, cell, separator)) out.push_back(cell);
  return out;
}

Settings parse_settings(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (i + 1 >= argc) die("missing value for " + key);
    const std::string value = argv[++i];
    if (key == "--root") {
      s.root = value;
    } else if (key == "--sections") {
      const auto names = split(value, ',');
      s.sections = {names.begin(), names.end()};
    } else if (key == "--cases") {
      const auto names = split(value, ',');
      s.cases = {names.begin(), names.end()};
    } else if (key == "--repeats") {
      s.repeats = std::stoi(value);
    } else if (key == "--budget-s") {
      s.budget_s = std::stod(value);
    } else {
      die("unknown argument " + key);
    }
  }
  return s;
}

// A CSV with a header row; quotes around cells are dropped; "", "NA" and "nan" read as NaN.
struct Csv {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> cells;  // per column

  const std::vector<std::string>& column(const std::string& name) const {
    for (size_t j = 0; j < names.size(); ++j) {
      if (names[j] == name) return cells[j];
    }
    die("no column " + name);
  }
};

std::string unquote(std::string cell) {
  if (cell.size() >= 2 && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
  return cell;
}

Csv read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("cannot read " + path);
  Csv csv;
  std::string line;
  if (!std::getline(in, line)) die("empty " + path);
  for (const auto& name : split(line, ',')) csv.names.push_back(unquote(name));
  csv.cells.resize(csv.names.size());
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto row = split(line, ',');
    for (size_t j = 0; j < csv.names.size(); ++j) {
      csv.cells[j].push_back(j < row.size() ? unquote(row[j]) : std::string());
    }
  }
  return csv;
}

std::vector<double> numbers(const std::vector<std::string>& cells) {
  std::vector<double> out;
  out.reserve(cells.size());
  for (const auto& c : cells) {
    out.push_back(c.empty() || c == "NA" || c == "nan" ? std::numeric_limits<double>::quiet_NaN()
                                                       : std::stod(c));
  }
  return out;
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("cannot read " + path);
  return json::parse(in);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

// One warm-up call, then up to `repeats` timed calls (fewer once the budget is spent, never
// fewer than 3). The warm-up's result is what the quality fields describe.
struct Timing {
  double median_s = 0.0;
  double min_s = 0.0;
  int runs = 0;
};

Timing time_runs(const Settings& settings, const std::function<void()>& work) {
  work();
  std::vector<double> seconds;
  double total = 0.0;
  for (int r = 0; r < settings.repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    work();
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    seconds.push_back(s);
    total += s;
    if (total > settings.budget_s && seconds.size() >= 3) break;
  }
  return {median(seconds), *std::min_element(seconds.begin(), seconds.end()),
          static_cast<int>(seconds.size())};
}

void emit(json line, const Timing& t) {
  line["tool"] = "traind";
  line["median_s"] = t.median_s;
  line["min_s"] = t.min_s;
  line["runs"] = t.runs;
  std::printf("%s\n", line.dump().c_str());
  std::fflush(stdout);
}

bool wanted(const Settings& settings, const std::string& name) {
  return settings.cases.empty() || settings.cases.count(name) > 0;
}

// --- ARIMA / SARIMA: A.10 estimation cases #1-#6 and the simulated SARIMA n = 5000 ----------

struct ArimaCase {
  std::string name;
  std::string file;  // relative to --root
  ts::SarimaxSpec spec;
  std::vector<std::string> exog;
};

ts::SarimaxSpec make_spec(int p, int d, int q, int sp, int sd, int sq, int period,
                          const std::string& trend) {
  ts::SarimaxSpec spec;
  spec.p = p;
  spec.d = d;
  spec.q = q;
  spec.seasonal_p = sp;
  spec.seasonal_d = sd;
  spec.seasonal_q = sq;
  spec.period = period;
  spec.trend = trend;
  return spec;
}

std::vector<ArimaCase> arima_cases() {
  const std::string s = "fixtures/sarimax/series/";
  return {
      {"1_log_air_airline", s + "log_air_passengers.csv", make_spec(0, 1, 1, 0, 1, 1, 12, "n"), {}},
      {"2_air_211_010", s + "air_passengers.csv", make_spec(2, 1, 1, 0, 1, 0, 12, "n"), {}},
      {"3_arma21_c", s + "simulated_arma21.csv", make_spec(2, 0, 1, 0, 0, 0, 0, "c"), {}},
      {"4_wwwusage_111", s + "wwwusage.csv", make_spec(1, 1, 1, 0, 0, 0, 0, "n"), {}},
      {"5_lake_huron_100_ct", s + "lake_huron.csv", make_spec(1, 0, 0, 0, 0, 0, 0, "ct"), {}},
      {"6_regression_sarma_c",
       s + "simulated_regression_sarma.csv",
       make_spec(1, 0, 1, 1, 0, 0, 4, "c"),
       {"x1", "x2"}},
      {"sim_sarima_111_101_24_n5000",
       "data/sarima_111_101_24_n5000.csv",
       make_spec(1, 1, 1, 1, 0, 1, 24, "n"),
       {}},
  };
}

void arima_section(const Settings& settings) {
  for (const auto& c : arima_cases()) {
    if (!wanted(settings, c.name)) continue;
    const Csv csv = read_csv(settings.root + "/" + c.file);
    ts::SarimaxData data;
    data.y = numbers(csv.column("y"));
    for (const auto& x : c.exog) data.exog.push_back(numbers(csv.column(x)));
    data.exog_names = c.exog;
    auto first = ts::fit_sarimax(c.spec, data);
    if (!first.is_ok()) die(c.name + ": " + first.status().message());
    const Timing t = time_runs(settings, [&] {
      auto fit = ts::fit_sarimax(c.spec, data);
      if (!fit.is_ok()) die(c.name + ": " + fit.status().message());
    });
    const ts::SarimaxModel& model = first.value();
    emit({{"section", "arima"},
          {"case", c.name},
          {"n", data.y.size()},
          {"llf", model.llf()},
          {"params", model.params()},
          {"param_names", model.param_names()},
          {"converged", model.converged()},
          {"evaluations", model.evaluations()}},
         t);
  }
}

// --- Order selection: the twelve series of A.10's auto.arima table ---------------------------

const std::vector<std::string>& auto_series() {
  static const std::vector<std::string> names = {"AirPassengers", "log_AirPassengers",
                                                 "USAccDeaths",   "UKgas",
                                                 "WWWusage",      "Nile",
                                                 "LakeHuron",     "lynx",
                                                 "nottem",        "co2",
                                                 "sunspot_year",  "Seatbelts_DriversKilled"};
  return names;
}

void auto_section(const Settings& settings) {
  const json reference = read_json(settings.root + "/fixtures/auto_arima/reference.json");
  for (const auto& name : auto_series()) {
    if (!wanted(settings, name)) continue;
    const json& ref = reference.at(name);
    const Csv csv =
        read_csv(settings.root + "/fixtures/auto_arima/" + ref.at("file").get<std::string>());
    const std::vector<double> y = numbers(csv.column("y"));
    std::vector<std::vector<double>> exog;
    for (const auto& x : ref.at("exog")) exog.push_back(numbers(csv.column(x.get<std::string>())));
    const int m = ref.at("frequency").get<int>();
    const ts::AutoArimaOptions options;
    auto first = ts::auto_arima(y, exog, m, options);
    if (!first.is_ok()) die(name + ": " + first.status().message());
    const Timing t = time_runs(settings, [&] {
      auto result = ts::auto_arima(y, exog, m, options);
      if (!result.is_ok()) die(name + ": " + result.status().message());
    });
    const ts::AutoArimaResult& r = first.value();
    emit({{"section", "auto"},
          {"case", name},
          {"n", y.size()},
          {"order", {r.p, r.d, r.q, r.P, r.D, r.Q, r.m}},
          {"constant", r.constant},
          {"aicc", r.aicc},
          {"models_fitted", r.models_fitted},
          {"approximation", r.approximation}},
         t);
  }
}

// --- Prophet: the B.8 fixtures ---------------------------------------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

double epoch_seconds(const std::string& date) {
  const int y = std::stoi(date.substr(0, 4));
  const auto m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
  const auto d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
  return static_cast<double>(days_from_civil(y, m, d)) * 86400.0;
}

const std::vector<std::string>& prophet_cases() {
  static const std::vector<std::string> names = {"daily",      "air_passengers", "logistic",
                                                 "regressors", "short",          "holidays"};
  return names;
}

struct ProphetCase {
  ts::ProphetFrame frame;  // history (y set) and future rows (y NaN)
  ts::ProphetOptions options;
};

// The rows and the settings R used (make_prophet_fixtures.R): defaults plus growth, mode,
// regressors and holidays as recorded in the reference JSON.
ProphetCase load_prophet_case(const Settings& settings, const std::string& name) {
  const std::string dir = settings.root + "/fixtures/prophet/";
  const Csv csv = read_csv(dir + name + ".csv");
  const json ref = read_json(dir + name + ".json");
  ProphetCase c;
  for (const auto& d : csv.column("ds")) c.frame.ds.push_back(epoch_seconds(d));
  for (const auto& column : csv.names) {
    if (column == "ds") continue;
    std::vector<double> values = numbers(csv.column(column));
    if (column == "y") {
      c.frame.y = std::move(values);
    } else if (column == "cap") {
      c.frame.cap = std::move(values);
    } else if (column == "floor") {
      c.frame.floor = std::move(values);
    } else {
      c.frame.regressors[column] = std::move(values);
    }
  }
  c.options.growth = ref.at("growth").get<std::string>();
  c.options.seasonality_mode = ref.at("seasonality_mode").get<std::string>();
  for (const auto& r : ref.at("extra_regressors")) {
    ts::ExtraRegressor regressor;
    regressor.name = r.at("name").get<std::string>();
    regressor.standardize = r.at("standardize").get<std::string>();
    c.options.extra_regressors.push_back(regressor);
  }
  for (const auto& h : ref.at("holidays")) {
    c.options.holidays.push_back({h.at("holiday").get<std::string>(), h.at("ds").get<double>(),
                                  h.at("lower_window").get<int>(), h.at("upper_window").get<int>(),
                                  h.at("prior_scale").get<double>()});
  }
  c.options.random_state = 7;
  return c;
}

void prophet_section(const Settings& settings, bool fit, bool predict) {
  for (const auto& name : prophet_cases()) {
    if (!wanted(settings, name)) continue;
    const ProphetCase c = load_prophet_case(settings, name);
    auto first = ts::fit_prophet(c.options, c.frame);
    if (!first.is_ok()) die(name + ": " + first.status().message());
    const ts::ProphetModel& model = first.value();
    auto forecast = model.predict(c.frame);
    if (!forecast.is_ok()) die(name + ": " + forecast.status().message());
    const ts::ProphetForecast& f = forecast.value();
    size_t history = 0;
    for (double y : c.frame.y) history += std::isfinite(y) ? 1 : 0;
    if (fit) {
      const Timing t = time_runs(settings, [&] {
        auto m = ts::fit_prophet(c.options, c.frame);
        if (!m.is_ok()) die(name + ": " + m.status().message());
      });
      emit({{"section", "prophet"},
            {"case", name},
            {"n", history},
            {"objective", model.objective()},
            {"fit_algorithm", model.fit_algorithm()},
            {"yhat", f.yhat}},
           t);
    }
    if (predict) {
      const Timing t = time_runs(settings, [&] {
        auto p = model.predict(c.frame);
        if (!p.is_ok()) die(name + ": " + p.status().message());
      });
      emit({{"section", "predict"},
            {"case", name},
            {"n", c.frame.ds.size()},
            {"samples", model.options().uncertainty_samples},
            {"yhat_lower", f.yhat_lower},
            {"yhat_upper", f.yhat_upper}},
           t);
    }
  }
}

}  // namespace
}  // namespace traind::bench::timeseries

int main(int argc, char** argv) {
  using namespace traind::bench::timeseries;
  const Settings settings = parse_settings(argc, argv);
  if (settings.sections.count("arima")) arima_section(settings);
  if (settings.sections.count("auto")) auto_section(settings);
  const bool fit = settings.sections.count("prophet") > 0;
  const bool predict = settings.sections.count("predict") > 0;
  if (fit || predict) prophet_section(settings, fit, predict);
  return 0;
}
