// EventHub: fans a job's live events out to its subscribers (WebSocket/SSE streams).
//
// A subscriber owns a queue; publish() appends and calls the subscriber's notifier, which
// must only schedule work (it runs on the publisher's thread). Queues are bounded: a
// subscriber that does not keep up loses the oldest progress events, never a status event.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace traind::jobs {

class Subscription {
 public:
  // Moves every queued event into `out`; returns false once the stream has ended and
  // nothing is left.
  bool drain(std::vector<nlohmann::json>& out);
  void set_notifier(std::function<void()> notify);

 private:
  friend class EventHub;
  void push(const nlohmann::json& event, bool final_event);
  std::mutex mu_;
  std::deque<nlohmann::json> queue_;
  std::function<void()> notify_;
  bool ended_ = false;
};

class EventHub {
 public:
  std::shared_ptr<Subscription> subscribe(const std::string& job_id);
  void unsubscribe(const std::string& job_id, const std::shared_ptr<Subscription>& sub);
  // `final_event`: the terminal status event; subscribers end after it.
  void publish(const std::string& job_id, const nlohmann::json& event, bool final_event = false);
  size_t subscriber_count();

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<std::shared_ptr<Subscription>>> subs_;
};

}  // namespace traind::jobs
