#include "tracking/run.h"

#include <algorithm>

namespace traind::tracking {
namespace {

template <typename T>
const T* find_key(const std::vector<T>& items, const std::string& key) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.key == key; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const Param* Run::param(const std::string& key) const { return find_key(params, key); }
const Tag* Run::tag(const std::string& key) const { return find_key(tags, key); }
const Metric* Run::metric(const std::string& key) const { return find_key(metrics, key); }

}  // namespace traind::tracking
