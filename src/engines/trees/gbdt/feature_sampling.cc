// FeatureSampling: ColSampler::ResetByTree with feature_fraction_bynode = 1.
#include "engines/trees/gbdt/feature_sampling.h"

#include <algorithm>

namespace traind::engines::trees::detail {

FeatureSampling::FeatureSampling(const GbdtConfig& config, int num_usable)
    : active_(config.feature_fraction < 1.0),
      num_usable_(num_usable),
      count_(num_usable),
      random_(config.feature_fraction_seed),
      used_(num_usable, 1) {
  if (active_) {
    const int minimum = std::min(1, num_usable);
    count_ = std::max(static_cast<int>(num_usable * config.feature_fraction + 0.5f), minimum);
    draw();  // SetTrainingData's ResetByTree
  }
}

void FeatureSampling::draw() {
  std::fill(used_.begin(), used_.end(), 0);
  for (int i : random_.sample(num_usable_, count_)) used_[i] = 1;
}

const std::vector<char>& FeatureSampling::next_tree() {
  if (active_) draw();
  return used_;
}

}  // namespace traind::engines::trees::detail
