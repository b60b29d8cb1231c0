// EventHub: fans a job's live events out to its subscribers (WebSocket/SSE streams).
//
// A subscriber owns a queue; publish() appends and calls the subscriber's notifier, which
// must only schedule work (it runs on the publisher's thread). Queues are bounded: a
// subscriber that does not keep up loses the oldest progress and log events, never a
// status or result event.
//
// A tenant subscription sees the status and progress events of every job of one tenant
// (progress without its `history`, status without the job's config and curves): the live
// jobs list. It never ends. A job's tenant is learned from its status events, which carry
// the job record; every job publishes one when it is submitted.
//
// Publishers change the state an event describes before they publish it. A snapshot taken
// by subscribe()'s `snapshot` callback therefore already reflects every event that the new
// subscriber does not receive, and comes first in its queue.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

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
  // The current state as an event, and whether it is terminal (the stream ends after it).
  using Snapshot = std::function<std::pair<nlohmann::json, bool>()>;

  // Subscribes to the job's events. With `snapshot`, its event is queued first; it is called
  // under the hub's lock (keep it short: a read of the job's record).
  std::shared_ptr<Subscription> subscribe(const std::string& job_id, const Snapshot& snapshot = {});
  void unsubscribe(const std::string& job_id, const std::shared_ptr<Subscription>& sub);
  std::shared_ptr<Subscription> subscribe_tenant(const std::string& tenant_id);
  void unsubscribe_tenant(const std::string& tenant_id, const std::shared_ptr<Subscription>& sub);
  // `final_event`: the terminal status event; subscribers end after it.
  void publish(const std::string& job_id, const nlohmann::json& event, bool final_event = false);
  // Also sees every published event, after the subscribers, on the publisher's thread
  // (the run recorder: each job is an MLflow run). Set once, before events flow.
  using Listener =
      std::function<void(const std::string& job_id, const nlohmann::json& event, bool final_event)>;
  void set_listener(Listener listener);
  size_t subscriber_count();

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<std::shared_ptr<Subscription>>> subs_;
  std::map<std::string, std::vector<std::shared_ptr<Subscription>>> tenant_subs_;
  std::map<std::string, std::string> job_tenant_;  // jobs not yet ended -> tenant
  Listener listener_;
};

}  // namespace traind::jobs
