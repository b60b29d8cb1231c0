// PredictorCache: loaded model bundles for /predict, least recently used evicted first.
//
// Loading a bundle reads and parses files, so a model is loaded once and reused across
// requests. Thread-safe; a predictor stays alive while a request still uses it even when
// evicted (shared ownership).
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/status.h"
#include "train/predictor.h"

namespace traind::api {

class PredictorCache {
 public:
  explicit PredictorCache(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // The cached predictor of `model_id`, or one loaded from `model_dir`.
  Result<std::shared_ptr<const train::Predictor>> get(const std::string& model_id,
                                                      const std::string& model_dir);
  size_t size();

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const train::Predictor>>;
  size_t capacity_;
  std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first
  std::map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace traind::api
