#include "client/job_watcher.h"

#include <chrono>
#include <thread>
#include <vector>

#include "client/sse_parser.h"
#include "tracking/http_client.h"

namespace traind::client {
namespace {

using nlohmann::json;

bool is_terminal_event(const json& event) {
  return event.is_object() && event.value("type", "") == "status" &&
         is_terminal_status(event.value("status", ""));
}

// One connection to the event stream. Returns the terminal record when the job ended, an
// empty object when the stream ended or dropped first (*dropped says which of the two
// matters: a transport failure), or the error.
Result<json> follow_stream(const ApiClient& client, const std::string& path,
                           const OnJobEvent& on_event, const WatchOptions& options, bool* dropped) {
  *dropped = false;
  ApiResponse error_answer;
  SseParser parser;
  std::vector<std::string> events;
  json terminal;
  Status status = client.stream_get(
      path, {{"Accept", "text/event-stream"}}, options.idle_timeout_ms,
      [&](const StreamHead& head) {
        error_answer.status = head.status;
        error_answer.headers = head.headers;
        return true;
      },
      [&](std::string_view bytes) {
        if (error_answer.status < 200 || error_answer.status >= 300) {
          error_answer.body.append(bytes);
          return error_answer.body.size() < (1 << 20);
        }
        events.clear();
        parser.feed(bytes, events);
        for (const std::string& raw : events) {
          json event = json::parse(raw, nullptr, /*allow_exceptions=*/false);
          if (event.is_discarded()) continue;
          on_event(event, raw);
          if (is_terminal_event(event)) {
            terminal = std::move(event);
            return false;
          }
        }
        return true;
      },
      dropped);
  if (!terminal.is_null()) return terminal;
  if (!status) {
    // A drop after the head arrived is worth a reconnect; failing to connect at all is not.
    if (*dropped) return json::object();
    return status;
  }
  if (error_answer.status < 200 || error_answer.status >= 300) {
    return status_from_error_answer(error_answer);
  }
  *dropped = true;  // the stream ended without the job ending
  return json::object();
}

Result<json> poll_job(const ApiClient& client, const std::string& path, const OnJobEvent& on_event,
                      const WatchOptions& options) {
  for (;;) {
    Result<ApiResponse> answer = client.send("GET", path);
    if (!answer) return answer.status();
    if (!answer->ok()) return status_from_error_answer(*answer);
    json record = answer->json();
    if (!record.is_object()) {
      return Status(ErrorCode::kInternal, "GET " + path + " answered something other than JSON");
    }
    record["type"] = "status";
    on_event(record, answer->body);
    if (is_terminal_status(record.value("status", ""))) return record;
    std::this_thread::sleep_for(std::chrono::milliseconds(options.poll_interval_ms));
  }
}

}  // namespace

bool is_terminal_status(const std::string& status) {
  return status == "completed" || status == "failed" || status == "cancelled";
}

Result<json> watch_job(const ApiClient& client, const std::string& job_id,
                       const OnJobEvent& on_event, const WatchOptions& options) {
  std::string job_path = "/api/v1/ml/train/" + tracking::url_encode(job_id);
  auto notice = [&](const std::string& text) {
    if (options.on_notice) options.on_notice(text);
  };
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool dropped = false;
    Result<json> result = follow_stream(client, job_path + "/events", on_event, options, &dropped);
    if (!result) return result;
    if (!result->empty()) return result;
    notice(attempt == 0 ? "event stream dropped; reconnecting"
                        : "event stream dropped again; polling the job instead");
  }
  return poll_job(client, job_path, on_event, options);
}

}  // namespace traind::client
