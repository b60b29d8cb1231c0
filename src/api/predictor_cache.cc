// LRU cache of loaded predictors.
#include "api/predictor_cache.h"

namespace traind::api {

Result<std::shared_ptr<const train::Predictor>> PredictorCache::get(const std::string& model_id,
                                                                    const std::string& model_dir) {
  {
    std::lock_guard lock(mu_);
    auto it = index_.find(model_id);
    if (it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->second;
    }
  }
  // Loaded outside the lock: two first requests may both load; the second insert wins
  // harmlessly and no request waits behind another model's load.
  auto loaded = train::load_predictor(model_dir);
  if (!loaded.is_ok()) return loaded.status();
  std::shared_ptr<const train::Predictor> predictor(std::move(loaded).value());
  std::lock_guard lock(mu_);
  auto it = index_.find(model_id);
  if (it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second;
  }
  lru_.emplace_front(model_id, predictor);
  index_[model_id] = lru_.begin();
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
  return predictor;
}

size_t PredictorCache::size() {
  std::lock_guard lock(mu_);
  return lru_.size();
}

}  // namespace traind::api
