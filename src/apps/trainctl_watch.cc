// `trainctl watch` and `submit --watch`: the live progress line, then the result summary.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "apps/trainctl_commands.h"
#include "client/job_summary.h"
#include "client/job_watcher.h"
#include "client/progress_bar.h"
#include "client/terminal_style.h"

namespace traind::trainctl {
namespace {

using nlohmann::json;

bool locale_is_utf8() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') continue;
    std::string value(v);
    return value.find("UTF-8") != std::string::npos || value.find("utf8") != std::string::npos ||
           value.find("utf-8") != std::string::npos;
  }
  return false;
}

// Draws the progress: on a terminal one line redrawn in place, elsewhere a line now and
// then (see ProgressThrottle).
class ProgressDisplay {
 public:
  explicit ProgressDisplay(const Session& session)
      : session_(session), start_(std::chrono::steady_clock::now()) {
    style_.color = session.color();
    style_.unicode = session.tty() && locale_is_utf8();
  }

  void on_event(const json& event, const std::string& raw) {
    if (session_.json()) {
      std::cout << raw << '\n' << std::flush;
      return;
    }
    client::apply_event(state_, event);
    if (client::is_terminal_status(state_.status)) {
      // A log gets the summary that follows; a terminal's line ends on the outcome rather
      // than on the last phase the job went through.
      if (!session_.tty()) return;
      client::ProgressState last = state_;
      last.phase = state_.status;
      if (state_.status == "completed") last.percent = 100;
      last.iteration = -1;
      last.eta_seconds.reset();
      std::cout << '\r' << fit_to_terminal(last, client::render_progress_line(last, style_))
                << "\x1b[K" << std::flush;
      drawn_ = true;
      return;
    }
    std::string line = client::render_progress_line(state_, style_);
    if (session_.tty()) {
      line = fit_to_terminal(line);
      std::cout << '\r' << line << "\x1b[K" << std::flush;
      drawn_ = true;
      return;
    }
    double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (throttle_.should_print(state_, now)) std::cout << line << '\n' << std::flush;
  }

  void notice(const std::string& text) {
    end_line();
    std::cerr << "note: " << text << '\n';
  }

  void end_line() {
    if (drawn_) std::cout << '\n' << std::flush;
    drawn_ = false;
  }

 private:
  // A line wider than the terminal wraps, and '\r' would then redraw only its last part:
  // narrow the bar first, then leave out the tail.
  std::string fit_to_terminal(std::string line) { return fit_to_terminal(state_, std::move(line)); }
  std::string fit_to_terminal(const client::ProgressState& state, std::string line) {
    struct winsize ws {};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) return line;
    size_t columns = ws.ws_col - 1;
    size_t width = client::display_width(line);
    if (width <= columns) return line;
    client::ProgressStyle narrow = style_;
    narrow.bar_width = std::max(8, style_.bar_width - static_cast<int>(width - columns));
    line = client::render_progress_line(state, narrow);
    if (client::display_width(line) <= columns) return line;
    narrow.color = false;  // cut plain text, never inside an escape sequence
    line = client::render_progress_line(state, narrow);
    std::string cut;
    size_t seen = 0;
    for (char c : line) {
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++seen > columns) break;
      cut += c;
    }
    return cut;
  }

  const Session& session_;
  std::chrono::steady_clock::time_point start_;
  client::ProgressStyle style_;
  client::ProgressState state_;
  client::ProgressThrottle throttle_;
  bool drawn_ = false;
};

}  // namespace

int run_watch(const Session& session, const std::string& job_id) {
  ProgressDisplay display(session);
  client::WatchOptions options;
  options.on_notice = [&](const std::string& text) { display.notice(text); };
  Result<json> final_record = client::watch_job(
      session.client(), job_id,
      [&](const json& event, const std::string& raw) { display.on_event(event, raw); }, options);
  display.end_line();
  if (!final_record) return session.fail(final_record.status());
  const json& job = *final_record;
  if (!session.json()) std::cout << '\n' << client::render_job_summary(job, session.color());
  return job.value("status", "") == "completed" ? client::kExitOk : client::kExitJobFailed;
}

}  // namespace traind::trainctl
