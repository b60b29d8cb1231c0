// load_predictor: a model bundle read back, and /predict's row checks and answers.
#include "train/predictor.h"

#include <cmath>
#include <limits>

#include "algorithms/registry.h"
#include "algorithms/trainer.h"
#include "train/column_types.h"
#include "train/forecast_predictor.h"
#include "train/json_pointer.h"
#include "train/model_bundle.h"
#include "train/preprocessing.h"

namespace traind::train {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxPredictRows = 10000;
constexpr size_t kMaxReportedProblems = 100;

// The raw value of one cell, checked against the column's type and stored in the form
// the Preprocessor reads. Returns an error message, or "" when the value is fine.
std::string store_cell(const ColumnEncoding& encoding, const json& v, data::Column& column) {
  const bool numeric_storage = column.storage == data::StorageType::kNumber;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto push_number = [&](double d) { column.numbers.push_back(d); };
  auto push_text = [&](std::string s, bool missing) {
    column.strings.push_back(std::move(s));
    column.missing.push_back(missing ? 1 : 0);
  };
  if (v.is_null()) {
    numeric_storage ? push_number(nan) : push_text("", true);
    return "";
  }
  switch (encoding.type) {
    case ColumnType::kNumeric:
      if (!v.is_number()) return "must be a number or null";
      push_number(v.get<double>());
      return "";
    case ColumnType::kBoolean:
      if (v.is_boolean()) {
        push_number(v.get<bool>() ? 1.0 : 0.0);
        return "";
      }
      if (v.is_number()) {
        push_number(v.get<double>());
        return "";
      }
      if (v.is_string()) {
        if (auto b = parse_boolean_text(v.get<std::string>())) {
          push_number(*b);
          return "";
        }
      }
      return "must be a boolean (true/false, 0/1, \"yes\"/\"no\") or null";
    case ColumnType::kDatetime:
      if (v.is_string() && parse_iso_datetime(v.get<std::string>())) {
        push_text(v.get<std::string>(), false);
        return "";
      }
      return "must be a date \"YYYY-MM-DD\" or \"YYYY-MM-DD HH:MM:SS\", or null";
    case ColumnType::kCategorical:
      if (v.is_string()) {
        push_text(v.get<std::string>(), false);
        return "";
      }
      if (v.is_number()) {
        push_text(data::format_number(v.get<double>()), false);
        return "";
      }
      return "must be a string or null";
    case ColumnType::kText:
      if (v.is_string()) {
        push_text(v.get<std::string>(), false);
        return "";
      }
      return "must be a string (text) or null";
  }
  return "is not a feature this model takes";
}

class BundlePredictor : public Predictor {
 public:
  BundlePredictor(Preprocessor preprocessor, std::unique_ptr<algorithms::Model> model,
                  bool classification, std::vector<std::string> labels, json feature_schema)
      : preprocessor_(std::move(preprocessor)),
        model_(std::move(model)),
        classification_(classification),
        labels_(std::move(labels)),
        feature_schema_(std::move(feature_schema)) {}

  Result<json> predict(const json& request) const override {
    auto rows_body = text_request_as_rows(request);
    if (!rows_body) return rows_body.status();
    const json& body = rows_body.value();
    if (!body.is_object() || !body.contains("rows") || !body["rows"].is_array()) {
      return Status(ErrorCode::kInvalidConfig, "the body must be {\"rows\": [{...}, ...]}",
                    {{"/rows", "must be an array of row objects"}});
    }
    const json& rows = body["rows"];
    if (rows.empty() || rows.size() > kMaxPredictRows) {
      return Status(
          ErrorCode::kInvalidConfig,
          "rows must hold between 1 and " + std::to_string(kMaxPredictRows) + " rows",
          {{"/rows", "must hold between 1 and " + std::to_string(kMaxPredictRows) + " rows"}});
    }
    auto table = rows_to_table(rows);
    if (!table) return table.status();
    auto x = preprocessor_.transform(table.value());
    if (!x) return x.status();
    auto out = model_->predict(x.value());
    if (!out) return Status(ErrorCode::kInternal, "prediction failed: " + out.status().message());
    json predictions = json::array();
    const size_t n = rows.size();
    if (classification_) {
      const size_t k = labels_.size();
      if (out->size() != n * k)
        return Status(ErrorCode::kInternal, "the model returned the wrong number of probabilities");
      for (size_t r = 0; r < n; ++r) {
        const double* p = out->data() + r * k;
        size_t best = 0;
        json probabilities = json::object();
        for (size_t c = 0; c < k; ++c) {
          probabilities[labels_[c]] = p[c];
          if (p[c] > p[best]) best = c;
        }
        predictions.push_back(
            {{"label", labels_[best]}, {"probabilities", std::move(probabilities)}});
      }
    } else {
      if (out->size() != n)
        return Status(ErrorCode::kInternal, "the model returned the wrong number of predictions");
      for (size_t r = 0; r < n; ++r) predictions.push_back({{"value", (*out)[r]}});
    }
    return json{{"predictions", std::move(predictions)}};
  }

  const json& feature_schema() const override { return feature_schema_; }

 private:
  // {"texts": ["...", ...]} (or {"text": "..."}) for a model with one text column: each
  // text becomes a row whose other features are null (imputed as missing values). Any
  // other body passes through unchanged.
  Result<json> text_request_as_rows(const json& body) const {
    if (!body.is_object() || body.contains("rows")) return body;
    const bool many = body.contains("texts");
    if (!many && !body.contains("text")) return body;
    const char* path = many ? "/texts" : "/text";
    const std::vector<size_t> texts = preprocessor_.text_columns();
    if (texts.size() != 1) {
      return Status(ErrorCode::kInvalidConfig,
                    std::string(path) + " is for models with one text column; this one has " +
                        std::to_string(texts.size()) + "; send rows",
                    {{path, "this model takes rows"}});
    }
    const json values = many ? body["texts"] : json::array({body["text"]});
    if (!values.is_array()) {
      return Status(ErrorCode::kInvalidConfig, "texts must be an array of strings",
                    {{path, "must be an array of strings"}});
    }
    json row_template = json::object();
    for (const ColumnEncoding& c : preprocessor_.columns()) row_template[c.name] = nullptr;
    json rows = json::array();
    for (const json& text : values) {
      json row = row_template;
      row[preprocessor_.columns()[texts.front()].name] = text;
      rows.push_back(std::move(row));
    }
    return json{{"rows", std::move(rows)}};
  }

  // Rows as a Table in the form the Preprocessor reads, every problem reported at once.
  Result<data::Table> rows_to_table(const json& rows) const {
    data::Table table;
    for (const ColumnEncoding& c : preprocessor_.columns()) {
      data::Column column;
      column.name = c.name;
      column.storage = c.type == ColumnType::kNumeric || c.type == ColumnType::kBoolean
                           ? data::StorageType::kNumber
                           : data::StorageType::kString;
      table.columns().push_back(std::move(column));
    }
    std::vector<ErrorDetail> problems;
    for (size_t i = 0; i < rows.size() && problems.size() < kMaxReportedProblems; ++i) {
      const json& row = rows[i];
      const std::string row_path = "/rows/" + std::to_string(i);
      if (!row.is_object()) {
        problems.push_back({row_path, "must be an object of column values"});
        continue;
      }
      for (size_t ci = 0; ci < preprocessor_.columns().size(); ++ci) {
        const ColumnEncoding& c = preprocessor_.columns()[ci];
        data::Column& column = table.columns()[ci];
        const std::string path = append_pointer(row_path, c.name);
        auto it = row.find(c.name);
        std::string problem;
        if (it == row.end()) {
          problem = "is missing: every row needs every feature column (null for a missing value)";
        } else {
          problem = store_cell(c, *it, column);
        }
        if (!problem.empty()) {
          problems.push_back({path, problem});
          // Keep the columns the same length so later rows still line up.
          store_cell(c, nullptr, column);
        }
      }
    }
    if (!problems.empty()) {
      const std::string first = problems.front().path + " " + problems.front().message;
      return Status(ErrorCode::kInvalidConfig,
                    problems.size() == 1
                        ? first
                        : first + " (and " + std::to_string(problems.size() - 1) + " more)",
                    std::move(problems));
    }
    return table;
  }

  Preprocessor preprocessor_;
  std::unique_ptr<algorithms::Model> model_;
  bool classification_;
  std::vector<std::string> labels_;
  json feature_schema_;
};

}  // namespace

Result<std::unique_ptr<Predictor>> load_predictor(const std::string& model_dir) {
  auto meta = read_json_file(model_dir + "/" + kModelMetaFile);
  if (!meta) return meta.status();
  if (meta->is_object() && meta->value("task", "") == "forecasting") {
    return load_forecast_predictor(model_dir);
  }
  auto pre_json = read_json_file(model_dir + "/" + kPreprocessFile);
  if (!pre_json) return pre_json.status();
  auto preprocessor = Preprocessor::from_json(pre_json.value());
  if (!preprocessor) return preprocessor.status();
  try {
    const json& m = meta.value();
    const std::string algorithm = m.at("algorithm").get<std::string>();
    const algorithms::AlgorithmSpec* spec = algorithms::find_algorithm(algorithm);
    if (spec == nullptr || !spec->load_model) {
      return Status(ErrorCode::kInternal,
                    "the model's algorithm '" + algorithm + "' is not available");
    }
    auto model = spec->load_model(model_dir, m.at("metadata"));
    if (!model) return model.status();
    const bool classification = m.at("task").get<std::string>() == "classification";
    std::unique_ptr<Predictor> p = std::make_unique<BundlePredictor>(
        std::move(preprocessor.value()), std::move(model.value()), classification,
        m.at("labels").get<std::vector<std::string>>(), m.at("feature_schema"));
    return p;
  } catch (const json::exception& e) {
    return Status(ErrorCode::kInternal, std::string(kModelMetaFile) + " is malformed: " + e.what());
  }
}

}  // namespace traind::train
