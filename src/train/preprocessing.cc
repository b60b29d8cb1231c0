// Preprocessor: fitting on training rows, encoding, and the preprocess.json form.
#include "train/preprocessing.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <string_view>

namespace traind::train {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kDatetimeParts[] = {"days_since_epoch", "year", "month", "day_of_week"};

double parse_number_text(const std::string& s) {
  if (s.empty()) return kNaN;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() ? v : kNaN;
}

// The raw numeric value(s) of one cell, before imputation and scaling. Writes
// encoding.scalings.size() values to `out`.
void raw_values(const ColumnEncoding& encoding, const data::Column& column, size_t row,
                double* out) {
  const bool missing = column.is_missing(row);
  switch (encoding.type) {
    case ColumnType::kNumeric:
      out[0] = missing ? kNaN
               : column.storage == data::StorageType::kNumber
                   ? column.numbers[row]
                   : parse_number_text(column.strings[row]);
      return;
    case ColumnType::kBoolean:
      if (missing) {
        out[0] = kNaN;
      } else if (column.storage == data::StorageType::kNumber) {
        out[0] = column.numbers[row];
      } else {
        auto b = parse_boolean_text(column.strings[row]);
        out[0] = b ? *b : parse_number_text(column.strings[row]);
      }
      return;
    case ColumnType::kDatetime: {
      std::optional<DateTimeParts> p;
      if (!missing && column.storage == data::StorageType::kString) {
        p = parse_iso_datetime(column.strings[row]);
      }
      if (!p) {
        std::fill(out, out + 4, kNaN);
      } else {
        out[0] = p->days_since_epoch;
        out[1] = p->year;
        out[2] = p->month;
        out[3] = p->day_of_week;
      }
      return;
    }
    case ColumnType::kCategorical:
    case ColumnType::kText:
      return;
  }
}

// np.median of the non-NaN values (the mean of the two middle ones for an even count);
// 0 when there are none.
double median_of(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  if (values.empty()) return 0.0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2.0;
}

NumericScaling fit_scaling(std::vector<double> values, const PreprocessOptions& options) {
  NumericScaling s{kNaN};
  if (options.impute_missing) {
    s.fill = median_of(values);
    for (double& v : values) {
      if (std::isnan(v)) v = s.fill;
    }
  }
  if (options.standardize) {
    // As scikit-learn's StandardScaler: population std, NaN ignored, 0 std -> scale 1.
    double sum = 0;
    size_t n = 0;
    for (double v : values) {
      if (!std::isnan(v)) sum += v, ++n;
    }
    if (n > 0) {
      s.mean = sum / n;
      double sq = 0;
      for (double v : values) {
        if (!std::isnan(v)) sq += (v - s.mean) * (v - s.mean);
      }
      const double sd = std::sqrt(sq / n);
      s.scale = sd > 0 ? sd : 1.0;
    }
  }
  return s;
}

double apply_scaling(const NumericScaling& s, double v) {
  if (std::isnan(v)) {
    if (std::isnan(s.fill)) return kNaN;
    v = s.fill;
  }
  return (v - s.mean) / s.scale;
}

nlohmann::json number_or_null(double v) {
  return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

double number_from(const nlohmann::json& j) { return j.is_number() ? j.get<double>() : kNaN; }

size_t encoded_width(const ColumnEncoding& c, const PreprocessOptions& options) {
  if (c.type == ColumnType::kCategorical && options.categorical_codes) return 1;
  if (c.type == ColumnType::kCategorical) {
    return c.categories.size() + (c.has_other ? 1 : 0) + (c.has_missing_indicator ? 1 : 0);
  }
  return c.scalings.size();
}

using CategoryPositions = std::map<std::string, size_t, std::less<>>;

CategoryPositions::const_iterator find_category(const data::Column& column, size_t row,
                                                const CategoryPositions& position) {
  // Strings are looked up in place; numbers are named as Column::text names them.
  return column.storage == data::StorageType::kString
             ? position.find(std::string_view(column.strings[row]))
             : position.find(column.text(row));
}

// The code of a categorical cell: its category's index, the shared "other" code, or NaN
// for a missing or unseen value.
float category_code(const ColumnEncoding& c, const data::Column& column, size_t row,
                    const CategoryPositions& position) {
  constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
  if (column.is_missing(row)) return kMissing;
  auto it = find_category(column, row, position);
  if (it != position.end()) return static_cast<float>(it->second);
  return c.has_other ? static_cast<float>(c.categories.size()) : kMissing;
}

}  // namespace

std::vector<size_t> Preprocessor::text_columns() const {
  std::vector<size_t> texts;
  for (size_t ci = 0; ci < columns_.size(); ++ci) {
    if (columns_[ci].type == ColumnType::kText) texts.push_back(ci);
  }
  return texts;
}

std::vector<size_t> Preprocessor::importance_sources() const {
  std::vector<size_t> sources = feature_sources_;
  for (size_t ci : text_columns()) sources.push_back(ci);
  return sources;
}

std::vector<int> Preprocessor::categorical_code_features() const {
  std::vector<int> codes;
  if (!options_.categorical_codes) return codes;
  for (size_t f = 0; f < feature_sources_.size(); ++f) {
    if (columns_[feature_sources_[f]].type == ColumnType::kCategorical) {
      codes.push_back(static_cast<int>(f));
    }
  }
  return codes;
}

Result<Preprocessor> Preprocessor::fit(const data::Table& table,
                                       const std::vector<FeatureColumn>& columns,
                                       const std::vector<size_t>& rows,
                                       const PreprocessOptions& options) {
  Preprocessor p;
  p.options_ = options;
  for (const FeatureColumn& fc : columns) {
    const int idx = table.find(fc.name);
    if (idx < 0)
      return Status(ErrorCode::kDataError, "feature column '" + fc.name + "' is not in the data");
    if (fc.type == ColumnType::kText && !options.keep_text) continue;
    const data::Column& column = table.column(static_cast<size_t>(idx));
    ColumnEncoding enc;
    enc.name = fc.name;
    enc.type = fc.type;
    enc.storage = column.storage;
    if (fc.type == ColumnType::kText) {
      // Passed through as text: the algorithm learns its own tokenizer from it.
    } else if (fc.type == ColumnType::kCategorical) {
      std::map<std::string, size_t> counts;
      bool saw_missing = false;
      for (size_t r : rows) {
        if (column.is_missing(r)) {
          saw_missing = true;
        } else {
          ++counts[column.text(r)];
        }
      }
      std::vector<std::pair<std::string, size_t>> ordered(counts.begin(), counts.end());
      // Most frequent first; equal counts by name (the map already sorted them by name).
      std::stable_sort(ordered.begin(), ordered.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      const size_t kept = options.categorical_codes ? kMaxCategoryCodes : kMaxOneHotCategories;
      for (size_t i = 0; i < ordered.size() && i < kept; ++i) {
        enc.categories.push_back(ordered[i].first);
      }
      enc.has_other = ordered.size() > kept;
      // A code feature keeps missing values as NaN: only algorithms that route them
      // themselves ask for codes.
      enc.has_missing_indicator =
          options.impute_missing && !options.categorical_codes && saw_missing;
    } else {
      const size_t width = fc.type == ColumnType::kDatetime ? 4 : 1;
      enc.scalings.resize(width, NumericScaling{kNaN});
      std::vector<std::vector<double>> values(width, std::vector<double>(rows.size()));
      double cell[4];
      for (size_t i = 0; i < rows.size(); ++i) {
        raw_values(enc, column, rows[i], cell);
        for (size_t k = 0; k < width; ++k) values[k][i] = cell[k];
      }
      for (size_t k = 0; k < width; ++k)
        enc.scalings[k] = fit_scaling(std::move(values[k]), options);
    }
    p.columns_.push_back(std::move(enc));
  }
  p.index_features();
  if (p.feature_names_.empty() && p.text_columns().empty()) {
    return Status(ErrorCode::kDataError,
                  "no usable feature columns: every feature is free text or has no values");
  }
  return p;
}

void Preprocessor::index_features() {
  feature_names_.clear();
  feature_sources_.clear();
  for (size_t ci = 0; ci < columns_.size(); ++ci) {
    const ColumnEncoding& c = columns_[ci];
    auto add = [&](std::string name) {
      feature_names_.push_back(std::move(name));
      feature_sources_.push_back(ci);
    };
    switch (c.type) {
      case ColumnType::kCategorical:
        if (options_.categorical_codes) {
          add(c.name);
          break;
        }
        for (const auto& cat : c.categories) add(c.name + "=" + cat);
        if (c.has_other) add(c.name + "=" + kOtherCategory);
        if (c.has_missing_indicator) add(c.name + "=" + kMissingCategory);
        break;
      case ColumnType::kDatetime:
        for (const char* part : kDatetimeParts) add(c.name + "." + part);
        break;
      case ColumnType::kText:
        break;  // no numeric feature: Matrix::texts carries it
      default:
        add(c.name);
    }
  }
}

Result<algorithms::Matrix> Preprocessor::transform(const data::Table& table,
                                                   const std::vector<size_t>& rows) const {
  algorithms::Matrix m;
  m.rows = rows.size();
  m.cols = feature_names_.size();
  m.values.assign(m.rows * m.cols, 0.0f);
  size_t offset = 0;
  for (const ColumnEncoding& c : columns_) {
    const int idx = table.find(c.name);
    if (idx < 0)
      return Status(ErrorCode::kDataError, "feature column '" + c.name + "' is not in the data");
    const data::Column& column = table.column(static_cast<size_t>(idx));
    const size_t width = encoded_width(c, options_);
    if (c.type == ColumnType::kText) {
      algorithms::TextColumn text{c.name, {}};
      text.values.reserve(rows.size());
      for (size_t r : rows) text.values.push_back(column.is_missing(r) ? "" : column.text(r));
      m.texts.push_back(std::move(text));
    } else if (c.type == ColumnType::kCategorical) {
      CategoryPositions position;
      for (size_t k = 0; k < c.categories.size(); ++k) position.emplace(c.categories[k], k);
      for (size_t i = 0; i < rows.size(); ++i) {
        float* out = m.values.data() + i * m.cols + offset;
        if (options_.categorical_codes) {
          out[0] = category_code(c, column, rows[i], position);
          continue;
        }
        if (column.is_missing(rows[i])) {
          if (c.has_missing_indicator) {
            out[width - 1] = 1.0f;
          } else if (!options_.impute_missing) {
            std::fill(out, out + width, std::numeric_limits<float>::quiet_NaN());
          }
          continue;
        }
        auto it = find_category(column, rows[i], position);
        if (it != position.end()) {
          out[it->second] = 1.0f;
        } else if (c.has_other) {
          out[c.categories.size()] = 1.0f;
        }
      }
    } else {
      double cell[4];
      for (size_t i = 0; i < rows.size(); ++i) {
        raw_values(c, column, rows[i], cell);
        float* out = m.values.data() + i * m.cols + offset;
        for (size_t k = 0; k < width; ++k) {
          out[k] = static_cast<float>(apply_scaling(c.scalings[k], cell[k]));
        }
      }
    }
    offset += width;
  }
  return m;
}

Result<algorithms::Matrix> Preprocessor::transform(const data::Table& table) const {
  std::vector<size_t> rows(table.num_rows());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return transform(table, rows);
}

nlohmann::json Preprocessor::to_json() const {
  nlohmann::json cols = nlohmann::json::array();
  for (const ColumnEncoding& c : columns_) {
    nlohmann::json j = {{"name", c.name},
                        {"type", column_type_name(c.type)},
                        {"storage", c.storage == data::StorageType::kNumber ? "number" : "string"}};
    if (c.type == ColumnType::kCategorical) {
      j["categories"] = c.categories;
      j["has_other"] = c.has_other;
      j["has_missing_indicator"] = c.has_missing_indicator;
    } else if (c.type != ColumnType::kText) {
      nlohmann::json scalings = nlohmann::json::array();
      for (const NumericScaling& s : c.scalings) {
        scalings.push_back(
            {{"fill", number_or_null(s.fill)}, {"mean", s.mean}, {"scale", s.scale}});
      }
      j["scalings"] = std::move(scalings);
    }
    cols.push_back(std::move(j));
  }
  return {{"version", 1},
          {"impute_missing", options_.impute_missing},
          {"standardize", options_.standardize},
          {"categorical_codes", options_.categorical_codes},
          {"keep_text", options_.keep_text},
          {"columns", std::move(cols)},
          {"feature_names", feature_names_}};
}

Result<Preprocessor> Preprocessor::from_json(const nlohmann::json& j) {
  const Status bad(ErrorCode::kInternal, "preprocess.json is malformed");
  try {
    Preprocessor p;
    p.options_.impute_missing = j.at("impute_missing").get<bool>();
    p.options_.standardize = j.at("standardize").get<bool>();
    p.options_.categorical_codes = j.value("categorical_codes", false);
    p.options_.keep_text = j.value("keep_text", false);
    for (const auto& cj : j.at("columns")) {
      ColumnEncoding c;
      c.name = cj.at("name").get<std::string>();
      auto type = column_type_from_name(cj.at("type").get<std::string>());
      if (!type) return bad;
      c.type = *type;
      c.storage = cj.at("storage").get<std::string>() == "number" ? data::StorageType::kNumber
                                                                  : data::StorageType::kString;
      if (c.type == ColumnType::kCategorical) {
        c.categories = cj.at("categories").get<std::vector<std::string>>();
        c.has_other = cj.at("has_other").get<bool>();
        c.has_missing_indicator = cj.at("has_missing_indicator").get<bool>();
      } else if (c.type != ColumnType::kText) {
        for (const auto& sj : cj.at("scalings")) {
          c.scalings.push_back(NumericScaling{number_from(sj.at("fill")),
                                              sj.at("mean").get<double>(),
                                              sj.at("scale").get<double>()});
        }
        const size_t want = c.type == ColumnType::kDatetime ? 4 : 1;
        if (c.scalings.size() != want) return bad;
      }
      p.columns_.push_back(std::move(c));
    }
    p.index_features();
    if (j.contains("feature_names") &&
        j.at("feature_names").get<std::vector<std::string>>() != p.feature_names_) {
      return bad;
    }
    return p;
  } catch (const nlohmann::json::exception& e) {
    return Status(ErrorCode::kInternal, std::string("preprocess.json is malformed: ") + e.what());
  }
}

}  // namespace traind::train
