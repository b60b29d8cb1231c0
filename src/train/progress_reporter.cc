// Progress and log events of a training job.
#include "train/progress_reporter.h"

#include <algorithm>
#include <cmath>

#include "core/clock.h"

namespace traind::train {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kIterationEventInterval = std::chrono::milliseconds(200);
// Iterations kept between two events (a bound, not a sampling: events come every 200 ms).
constexpr size_t kMaxHistory = 20000;

}  // namespace

void ProgressReporter::send(const nlohmann::json& event) const {
  if (env_.emit) env_.emit(event);
}

void ProgressReporter::phase(const std::string& name, nlohmann::json extra) const {
  extra["type"] = "progress";
  extra["phase"] = name;
  if (!extra.contains("percent")) extra["percent"] = 0.0;
  send(extra);
}

void ProgressReporter::log(const std::string& level, const std::string& message) const {
  send({{"type", "log"}, {"level", level}, {"message", message}});
}

bool ProgressReporter::stop_requested() const {
  return env_.stop_requested != nullptr && env_.stop_requested->load(std::memory_order_relaxed);
}

void ProgressReporter::begin_training() {
  training_start_ = SteadyClock::now();
  phase("training");
}

bool ProgressReporter::on_iteration(const algorithms::IterationReport& report) {
  const auto now = SteadyClock::now();
  const bool first = report.iteration <= 1;
  const bool last = report.iteration >= report.total_iterations;
  if (!report.metrics.empty() && history_.size() < kMaxHistory) {
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [name, value] : report.metrics) metrics[name] = value;
    history_.push_back({{"iteration", report.iteration},
                        {"timestamp", now_ms()},
                        {"metrics", std::move(metrics)}});
  }
  if (first || last || now - last_iteration_event_ >= kIterationEventInterval) {
    last_iteration_event_ = now;
    const double elapsed = std::chrono::duration<double>(now - training_start_).count();
    const int total = std::max(report.total_iterations, 1);
    const double done = report.fraction_done > 0
                            ? std::min(report.fraction_done, 1.0)
                            : std::clamp(static_cast<double>(report.iteration) / total, 0.0, 1.0);
    // Measured: the time so far per share of the work, times the share left.
    const double eta = done > 0 ? elapsed / done * (1.0 - done) : 0.0;
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [name, value] : report.metrics) metrics[name] = value;
    nlohmann::json event = {{"type", "progress"},
                            {"phase", "training"},
                            {"percent", std::round(1000.0 * done) / 10.0},
                            {"iteration", report.iteration},
                            {"total_iterations", report.total_iterations},
                            {"metrics", std::move(metrics)},
                            {"eta_seconds", std::round(eta * 10.0) / 10.0}};
    if (!history_.empty()) {
      event["history"] = std::move(history_);
      history_ = nlohmann::json::array();
    }
    send(event);
  }
  return !stop_requested();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::round(s * 1000.0) / 1000.0;
}

}  // namespace traind::train
