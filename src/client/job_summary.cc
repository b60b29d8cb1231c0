#include "client/job_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "client/progress_bar.h"
#include "client/table.h"
#include "client/terminal_style.h"

namespace traind::client {
namespace {

using nlohmann::json;

std::string text_of(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

std::string bar_of(double fraction, int width) {
  int n = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * width));
  std::string out;
  for (int i = 0; i < n; ++i) out += "\u2588";
  return out;
}

void add_metric_rows(const json& metrics, const std::string& prefix, Table& table) {
  for (const auto& [name, value] : metrics.items()) {
    if (value.is_number()) {
      table.rows.push_back({"  " + prefix + name, format_number(value)});
    } else if (value.is_object() && prefix.empty() && name != "confusion_matrix") {
      add_metric_rows(value, name + ".", table);
    }
  }
}

std::string render_confusion_matrix(const json& metrics) {
  const json& cm = metrics["confusion_matrix"];
  if (!cm.is_array() || cm.empty()) return "";
  std::vector<std::string> labels;
  if (metrics.contains("labels") && metrics["labels"].is_array()) {
    for (const auto& l : metrics["labels"])
      labels.push_back(l.is_string() ? l.get<std::string>() : l.dump());
  }
  Table table;
  table.headers.push_back("  actual \\ predicted");
  table.right_aligned.push_back(false);
  for (size_t i = 0; i < cm.size(); ++i) {
    table.headers.push_back(i < labels.size() ? labels[i] : std::to_string(i));
    table.right_aligned.push_back(true);
  }
  for (size_t r = 0; r < cm.size(); ++r) {
    std::vector<std::string> row{"  " + (r < labels.size() ? labels[r] : std::to_string(r))};
    if (cm[r].is_array()) {
      for (const auto& v : cm[r]) row.push_back(format_number(v));
    }
    table.rows.push_back(std::move(row));
  }
  return "confusion matrix\n" + render_table(table);
}

}  // namespace

std::string format_number(const json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) return value.dump();
  if (!value.is_number()) return value.is_string() ? value.get<std::string>() : value.dump();
  double v = value.get<double>();
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.0f}", v);
  if (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-3) return fmt::format("{:.4g}", v);
  return fmt::format("{:.4f}", v);
}

std::string render_job_summary(const json& job, bool color) {
  std::string out;
  std::string status = text_of(job, "status");
  Table head;
  head.rows.push_back({"job", text_of(job, "job_id")});
  std::string what = text_of(job, "name");
  std::string algorithm = text_of(job, "algorithm");
  std::string task = text_of(job, "task_type");
  if (!algorithm.empty()) what += " (" + algorithm + (task.empty() ? "" : " " + task) + ")";
  head.rows.push_back({"name", what});
  head.rows.push_back({"status", paint(status, status_color(status), color)});
  if (job.contains("training_duration_seconds") && job["training_duration_seconds"].is_number()) {
    std::string duration =
        format_duration(job["training_duration_seconds"].get<double>()) + " training";
    if (job.contains("timings") && job["timings"].is_object()) {
      double total = 0;
      for (const auto& [phase, seconds] : job["timings"].items()) {
        if (seconds.is_number()) total += seconds.get<double>();
      }
      duration += ", " + format_duration(total) + " in all";
    }
    head.rows.push_back({"duration", duration});
  }
  if (!(status == "completed" || status == "failed" || status == "cancelled") &&
      job.contains("progress") && job["progress"].is_object()) {
    ProgressState state;
    apply_event(state, job);
    head.rows.push_back({"progress", render_progress_line(state, ProgressStyle{.color = color})});
  }
  if (job.contains("model_artifact_id") && job["model_artifact_id"].is_string()) {
    head.rows.push_back({"model", job["model_artifact_id"].get<std::string>()});
  }
  if (job.contains("error") && job["error"].is_object()) {
    const json& e = job["error"];
    head.rows.push_back(
        {"error", paint(text_of(e, "code"), Color::kRed, color) + ": " + text_of(e, "message")});
  }
  out += render_table(head);

  if (job.contains("metrics") && job["metrics"].is_object() && !job["metrics"].empty()) {
    const json& metrics = job["metrics"];
    Table table;
    table.right_aligned = {false, true};
    add_metric_rows(metrics, "", table);
    if (!table.rows.empty()) out += "metrics\n" + render_table(table);
    if (metrics.contains("confusion_matrix")) out += render_confusion_matrix(metrics);
  }

  if (job.contains("feature_importance") && job["feature_importance"].is_object() &&
      !job["feature_importance"].empty()) {
    std::vector<std::pair<double, std::string>> features;
    for (const auto& [name, value] : job["feature_importance"].items()) {
      if (value.is_number()) features.emplace_back(value.get<double>(), name);
    }
    std::sort(features.begin(), features.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (features.size() > 10) features.resize(10);
    double top = features.empty() ? 0 : features.front().first;
    Table table;
    table.right_aligned = {false, true, false};
    for (const auto& [value, name] : features) {
      table.rows.push_back(
          {"  " + name, fmt::format("{:.4f}", value), bar_of(top > 0 ? value / top : 0, 20)});
    }
    std::string kind = text_of(job, "feature_importance_type");
    out += "top features" + (kind.empty() ? "" : " (" + kind + ")") + "\n" + render_table(table);
  }
  return out;
}

std::string render_job_list(const json& answer, bool color) {
  Table table;
  table.headers = {"JOB ID", "NAME", "ALGORITHM", "STATUS", "PROGRESS", "CREATED", "DURATION"};
  table.right_aligned = {false, false, false, false, false, false, true};
  if (answer.contains("jobs") && answer["jobs"].is_array()) {
    for (const auto& job : answer["jobs"]) {
      std::string status = text_of(job, "status");
      std::string progress;
      if (status == "running" && job.contains("progress") && job["progress"].is_object()) {
        const json& p = job["progress"];
        progress = p.value("phase", "");
        if (p.contains("percent") && p["percent"].is_number()) {
          progress += fmt::format(" {:.0f}%", p["percent"].get<double>());
        }
      }
      std::string duration;
      if (job.contains("training_duration_seconds") &&
          job["training_duration_seconds"].is_number()) {
        duration = format_duration(job["training_duration_seconds"].get<double>());
      }
      std::string created = text_of(job, "created_at");
      if (created.size() >= 19) created = created.substr(0, 10) + " " + created.substr(11, 8);
      table.rows.push_back({text_of(job, "job_id"), text_of(job, "name"), text_of(job, "algorithm"),
                            paint(status, status_color(status), color), progress, created,
                            duration});
    }
  }
  std::string out = render_table(table);
  if (table.rows.empty()) out += "(no jobs)\n";
  if (answer.contains("next_page_token") && answer["next_page_token"].is_string() &&
      !answer["next_page_token"].get<std::string>().empty()) {
    out += "(more jobs: raise --limit)\n";
  }
  return out;
}

std::string render_error(const Status& status, bool color) {
  std::string out = paint("error:", Color::kRed, color) + " " + status.message() + "\n";
  for (const ErrorDetail& d : status.details()) {
    out += "  " + (d.path.empty() ? std::string("(whole document)") : d.path) + ": " + d.message +
           "\n";
  }
  return out;
}

std::string render_predictions(const json& answer) {
  if (!answer.contains("predictions") || !answer["predictions"].is_array()) return answer.dump(2);
  const json& predictions = answer["predictions"];
  Table table;
  std::vector<std::string> prob_labels;
  bool has_label = false, has_value = false, has_forecast = false;
  for (const auto& p : predictions) {
    has_label |= p.contains("label");
    has_value |= p.contains("value");
    has_forecast |= p.contains("yhat");
    if (p.contains("probabilities") && p["probabilities"].is_object()) {
      for (const auto& [label, v] : p["probabilities"].items()) {
        if (std::find(prob_labels.begin(), prob_labels.end(), label) == prob_labels.end()) {
          prob_labels.push_back(label);
        }
      }
    }
  }
  table.headers.push_back("ROW");
  table.right_aligned.push_back(true);
  if (has_forecast) {
    for (const char* h : {"DS", "YHAT", "YHAT_LOWER", "YHAT_UPPER"}) table.headers.push_back(h);
    table.right_aligned.insert(table.right_aligned.end(), {false, true, true, true});
  }
  if (has_label) {
    table.headers.push_back("LABEL");
    table.right_aligned.push_back(false);
  }
  if (has_value) {
    table.headers.push_back("VALUE");
    table.right_aligned.push_back(true);
  }
  for (const auto& label : prob_labels) {
    table.headers.push_back("P(" + label + ")");
    table.right_aligned.push_back(true);
  }
  for (size_t i = 0; i < predictions.size(); ++i) {
    const json& p = predictions[i];
    std::vector<std::string> row{std::to_string(i)};
    if (has_forecast) {
      row.push_back(text_of(p, "ds"));
      for (const char* k : {"yhat", "yhat_lower", "yhat_upper"}) {
        row.push_back(p.contains(k) ? format_number(p[k]) : "");
      }
    }
    if (has_label) row.push_back(text_of(p, "label"));
    if (has_value) row.push_back(p.contains("value") ? format_number(p["value"]) : "");
    for (const auto& label : prob_labels) {
      bool has = p.contains("probabilities") && p["probabilities"].contains(label);
      row.push_back(has ? format_number(p["probabilities"][label]) : "");
    }
    table.rows.push_back(std::move(row));
  }
  return render_table(table);
}

}  // namespace traind::client
