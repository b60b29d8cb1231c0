#include "client/progress_bar.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "client/terminal_style.h"

namespace traind::client {
namespace {

using nlohmann::json;

std::string pad_right(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string main_metric_name(const json& metrics) {
  if (!metrics.is_object() || metrics.empty()) return "";
  for (const char* prefix : {"valid_", "val_", "test_"}) {
    for (const auto& [name, value] : metrics.items()) {
      if (name.starts_with(prefix) && value.is_number()) return name;
    }
  }
  for (const auto& [name, value] : metrics.items()) {
    if (value.is_number()) return name;
  }
  return "";
}

void apply_event(ProgressState& state, const json& event) {
  if (!event.is_object()) return;
  if (event.contains("job_id") && event["job_id"].is_string()) {
    state.job_id = event["job_id"].get<std::string>();
  }
  std::string type = event.value("type", "status");
  const json* progress = &event;
  if (type == "status") {
    if (event.contains("status") && event["status"].is_string()) {
      state.status = event["status"].get<std::string>();
    }
    if (!event.contains("progress") || !event["progress"].is_object()) return;
    progress = &event["progress"];
  } else if (type == "progress") {
    if (state.status.empty() || state.status == "queued") state.status = "running";
  } else {
    return;
  }
  const json& p = *progress;
  std::string phase = p.value("phase", state.phase);
  if (phase != state.phase) {
    // Iterations belong to the training phase; a new phase starts from nothing.
    state.iteration = -1;
    state.total_iterations = -1;
    state.eta_seconds.reset();
    state.percent = 0;
  }
  state.phase = phase;
  if (p.contains("percent") && p["percent"].is_number()) state.percent = p["percent"].get<double>();
  if (p.contains("iteration") && p["iteration"].is_number()) {
    state.iteration = p["iteration"].get<long>();
  }
  if (p.contains("total_iterations") && p["total_iterations"].is_number()) {
    state.total_iterations = p["total_iterations"].get<long>();
  }
  if (p.contains("eta_seconds")) {
    if (p["eta_seconds"].is_number()) {
      state.eta_seconds = p["eta_seconds"].get<double>();
    } else {
      state.eta_seconds.reset();
    }
  }
  if (p.contains("metrics") && p["metrics"].is_object() && !p["metrics"].empty()) {
    const json& metrics = p["metrics"];
    if (state.metric_name.empty() || !metrics.contains(state.metric_name)) {
      state.metric_name = main_metric_name(metrics);
    }
    if (!state.metric_name.empty()) state.metric_value = metrics[state.metric_name].get<double>();
  }
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 10) return fmt::format("{:.1f}s", seconds);
  long s = std::lround(seconds);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m {:02}s", s / 60, s % 60);
  return fmt::format("{}h {:02}m", s / 3600, (s % 3600) / 60);
}

std::string render_progress_line(const ProgressState& state, const ProgressStyle& style) {
  std::string phase = state.phase.empty() ? state.status : state.phase;
  if (state.status == "queued" || phase.empty()) phase = "queued";
  std::string line = paint(pad_right(phase, 14), Color::kBold, style.color);

  double percent = std::clamp(state.percent, 0.0, 100.0);
  int width = std::max(style.bar_width, 1);
  int filled = static_cast<int>(std::floor(percent / 100.0 * width + 1e-9));
  std::string bar;
  for (int i = 0; i < width; ++i) {
    if (style.unicode) {
      bar += i < filled ? "\u2588" : "\u2591";
    } else {
      bar += i < filled ? '#' : '-';
    }
  }
  line += "[" + paint(bar, Color::kCyan, style.color) + "] ";
  line += fmt::format("{:3.0f}%", percent);
  if (state.iteration >= 0) {
    if (state.total_iterations > 0) {
      line += fmt::format("  iter {}/{}", state.iteration, state.total_iterations);
    } else {
      line += fmt::format("  iter {}", state.iteration);
    }
  }
  if (!state.metric_name.empty() && state.metric_value) {
    line += fmt::format("  {} {:.4f}", state.metric_name, *state.metric_value);
  }
  if (state.eta_seconds) line += "  ETA " + format_duration(*state.eta_seconds);
  return line;
}

bool ProgressThrottle::should_print(const ProgressState& state, double now_seconds) {
  int decile = static_cast<int>(std::floor(std::clamp(state.percent, 0.0, 100.0) / 10.0));
  bool changed = !printed_ || state.status != status_ || state.phase != phase_;
  bool print = changed || decile > decile_ || now_seconds - last_time_ >= interval_;
  if (!print) return false;
  if (changed) decile_ = -1;
  printed_ = true;
  status_ = state.status;
  phase_ = state.phase;
  decile_ = std::max(decile_, decile);
  last_time_ = now_seconds;
  return true;
}

}  // namespace traind::client
