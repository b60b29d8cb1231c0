#include "jobs/event_hub.h"

#include <algorithm>

namespace traind::jobs {
namespace {
constexpr size_t kMaxQueued = 1000;

std::string string_member(const nlohmann::json& event, const char* name) {
  auto it = event.find(name);
  return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What a tenant subscription gets of a job's event, or null: status and progress only,
// without what a list does not show.
nlohmann::json tenant_view(const nlohmann::json& event) {
  const std::string type = string_member(event, "type");
  if (type != "status" && type != "progress") return nullptr;
  nlohmann::json view = event;
  for (const char* heavy : {"history", "config", "curves", "training_bom", "feature_importance"})
    view.erase(heavy);
  return view;
}

}  // namespace

bool Subscription::drain(std::vector<nlohmann::json>& out) {
  std::lock_guard lock(mu_);
  bool moved = !queue_.empty();
  while (!queue_.empty()) {
    out.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return moved || !ended_;
}

void Subscription::set_notifier(std::function<void()> notify) {
  std::function<void()> now;
  {
    std::lock_guard lock(mu_);
    notify_ = std::move(notify);
    if (!queue_.empty() || ended_) now = notify_;
  }
  if (now) now();
}

void Subscription::push(const nlohmann::json& event, bool final_event) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mu_);
    if (ended_) return;
    if (queue_.size() >= kMaxQueued) {
      // Drop the oldest progress or log event; status and result events are kept.
      auto it = std::find_if(queue_.begin(), queue_.end(), [](const nlohmann::json& e) {
        std::string type = e.is_object() && e.contains("type") && e["type"].is_string()
                               ? e["type"].get<std::string>()
                               : "";
        return type == "progress" || type == "log";
      });
      if (it != queue_.end()) queue_.erase(it);
    }
    queue_.push_back(event);
    if (final_event) ended_ = true;
    notify = notify_;
  }
  if (notify) notify();
}

std::shared_ptr<Subscription> EventHub::subscribe(const std::string& job_id,
                                                  const Snapshot& snapshot) {
  auto sub = std::make_shared<Subscription>();
  std::lock_guard lock(mu_);
  if (snapshot) {
    auto [event, final_event] = snapshot();
    sub->push(event, final_event);
    // A terminal snapshot ends the stream: nothing more will be published for this job.
    if (final_event) return sub;
  }
  subs_[job_id].push_back(sub);
  return sub;
}

void EventHub::unsubscribe(const std::string& job_id, const std::shared_ptr<Subscription>& sub) {
  std::lock_guard lock(mu_);
  auto it = subs_.find(job_id);
  if (it == subs_.end()) return;
  auto& v = it->second;
  v.erase(std::remove(v.begin(), v.end(), sub), v.end());
  if (v.empty()) subs_.erase(it);
}

std::shared_ptr<Subscription> EventHub::subscribe_tenant(const std::string& tenant_id) {
  auto sub = std::make_shared<Subscription>();
  std::lock_guard lock(mu_);
  tenant_subs_[tenant_id].push_back(sub);
  return sub;
}

void EventHub::unsubscribe_tenant(const std::string& tenant_id,
                                  const std::shared_ptr<Subscription>& sub) {
  std::lock_guard lock(mu_);
  auto it = tenant_subs_.find(tenant_id);
  if (it == tenant_subs_.end()) return;
  auto& v = it->second;
  v.erase(std::remove(v.begin(), v.end(), sub), v.end());
  if (v.empty()) tenant_subs_.erase(it);
}

void EventHub::publish(const std::string& job_id, const nlohmann::json& event, bool final_event) {
  std::vector<std::shared_ptr<Subscription>> targets;
  std::vector<std::shared_ptr<Subscription>> tenant_targets;
  Listener listener;
  {
    std::lock_guard lock(mu_);
    listener = listener_;
    auto it = subs_.find(job_id);
    if (it != subs_.end()) {
      targets = it->second;
      if (final_event) subs_.erase(it);
    }
    if (string_member(event, "type") == "status") {
      std::string tenant = string_member(event, "tenant_id");
      if (!tenant.empty()) job_tenant_[job_id] = std::move(tenant);
    }
    if (auto t = job_tenant_.find(job_id); t != job_tenant_.end()) {
      if (auto subs = tenant_subs_.find(t->second); subs != tenant_subs_.end())
        tenant_targets = subs->second;
      if (final_event) job_tenant_.erase(t);
    }
  }
  for (auto& s : targets) s->push(event, final_event);
  if (!tenant_targets.empty()) {
    nlohmann::json view = tenant_view(event);
    if (!view.is_null()) {
      for (auto& s : tenant_targets) s->push(view, false);
    }
  }
  if (listener) listener(job_id, event, final_event);
}

void EventHub::set_listener(Listener listener) {
  std::lock_guard lock(mu_);
  listener_ = std::move(listener);
}

size_t EventHub::subscriber_count() {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (auto& [_, v] : subs_) n += v.size();
  for (auto& [_, v] : tenant_subs_) n += v.size();
  return n;
}

}  // namespace traind::jobs
