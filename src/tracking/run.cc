#include "tracking/run.h"

#include <algorithm>
#include <array>
#include <random>

namespace traind::tracking {
namespace {

template <typename T>
const T* find_key(const std::vector<T>& items, const std::string& key) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.key == key; });
  return it == items.end() ? nullptr : &*it;
}

constexpr std::array<const char*, 24> kAdjectives = {
    "amber", "bold",   "brisk", "calm",   "clever", "crisp", "daring", "eager",
    "fleet", "gentle", "glad",  "keen",   "lively", "lucid", "mellow", "nimble",
    "quiet", "rapid",  "sly",   "steady", "sunny",  "tidy",  "vivid",  "witty"};
constexpr std::array<const char*, 24> kNouns = {
    "badger", "bison",  "crane", "dolphin", "falcon", "ferret", "gecko", "heron",
    "ibis",   "jackal", "koala", "lemur",   "lynx",   "marten", "newt",  "otter",
    "owl",    "panda",  "quail", "raven",   "seal",   "stork",  "tapir", "wren"};

}  // namespace

std::string random_run_name() {
  thread_local std::mt19937 gen{std::random_device{}()};
  std::uniform_int_distribution<size_t> adjective(0, kAdjectives.size() - 1);
  std::uniform_int_distribution<size_t> noun(0, kNouns.size() - 1);
  std::uniform_int_distribution<int> number(0, 999);
  return std::string(kAdjectives[adjective(gen)]) + "-" + kNouns[noun(gen)] + "-" +
         std::to_string(number(gen));
}

const Param* Run::param(const std::string& key) const { return find_key(params, key); }
const Tag* Run::tag(const std::string& key) const { return find_key(tags, key); }
const Metric* Run::metric(const std::string& key) const { return find_key(metrics, key); }

}  // namespace traind::tracking
