// FeatureSampling: LightGBM's per-tree column sampling (treelearner/col_sampler.hpp): each tree
// uses max(1, (int)(n_usable·feature_fraction + 0.5)) of the usable features, drawn with
// LcgRandom::sample from one generator seeded feature_fraction_seed whose state is kept across
// trees. LightGBM draws once more when the learner is set up, before the first tree.
#pragma once

#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/lcg_random.h"

namespace traind::engines::trees::detail {

class FeatureSampling {
 public:
  FeatureSampling(const GbdtConfig& config, int num_usable);
  // The features of the next tree: one flag per usable feature.
  const std::vector<char>& next_tree();

 private:
  void draw();

  bool active_;
  int num_usable_;
  int count_;
  LcgRandom random_;
  std::vector<char> used_;
};

}  // namespace traind::engines::trees::detail
