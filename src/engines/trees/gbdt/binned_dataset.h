// BinMapper and BinnedDataset: LightGBM's feature binning (io/bin.cpp) and the binned
// training matrix the tree learner reads.
//
// Binning is built once from a row sample of the training data; validation and test data are
// binned with the training set's mappers (LightGBM's `reference=`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "engines/trees/feature_matrix.h"
#include "engines/trees/gbdt/tree.h"

namespace traind::engines::trees::detail {

enum class BinType { kNumerical, kCategorical };

class BinMapper {
 public:
  int num_bins() const { return num_bins_; }
  BinType bin_type() const { return bin_type_; }
  MissingType missing_type() const { return missing_type_; }
  // One bin, or pre-filtered as unsplittable: the feature is not used ("none").
  bool is_trivial() const { return is_trivial_; }
  uint32_t default_bin() const { return default_bin_; }  // the bin of the value 0
  uint32_t most_freq_bin() const { return most_freq_bin_; }
  double min_value() const { return min_value_; }
  double max_value() const { return max_value_; }

  uint32_t value_to_bin(double value) const;
  // Numerical: the upper bound of a bin, which becomes a split's threshold.
  double bin_upper_bound(uint32_t bin) const { return bin_upper_bound_[bin]; }
  const std::vector<double>& bin_upper_bounds() const { return bin_upper_bound_; }
  // Categorical: the category a bin holds (bin 0 holds -1, "missing or rare").
  int bin_to_category(uint32_t bin) const { return bin_to_category_[bin]; }
  const std::vector<int>& bin_categories() const { return bin_to_category_; }
  // The model file's feature_infos entry: "[min:max]", "-1:c1:c2…" or "none".
  std::string feature_info() const;

  // Built by BinMapperBuilder (bin_mapper.cc), which follows LightGBM's BinMapper::FindBin.
  friend class BinMapperBuilder;

 private:
  int num_bins_ = 1;
  BinType bin_type_ = BinType::kNumerical;
  MissingType missing_type_ = MissingType::kNone;
  bool is_trivial_ = true;
  uint32_t default_bin_ = 0;
  uint32_t most_freq_bin_ = 0;
  double min_value_ = 0.0;
  double max_value_ = 0.0;
  std::vector<double> bin_upper_bound_;
  std::vector<int> bin_to_category_;
  std::vector<int> category_to_bin_;  // indexed by category; -1 = falls in bin 0
};

struct BinningOptions {
  int max_bin = 255;
  int min_data_in_bin = 3;
  int bin_construct_sample_cnt = 200000;
  int data_random_seed = 1;
  bool use_missing = true;
  bool zero_as_missing = false;
  bool feature_pre_filter = true;
  int min_data_in_leaf = 20;              // for the pre-filter
  std::vector<int> categorical_features;  // column indices
  int num_threads = 0;                    // 0 = all cores; never changes the result
};

// The binned matrix: row-major, one entry per used feature. Entries are uint8_t when every
// used feature has at most 256 bins, uint16_t otherwise (exactly one of the two is filled).
struct BinnedDataset {
  int64_t num_rows = 0;
  std::vector<BinMapper> mappers;  // one per input column
  std::vector<int> used_features;  // input columns that are not trivial, ascending
  std::vector<uint8_t> bins8;      // [row * used_features.size() + j]
  std::vector<uint16_t> bins16;

  int num_used() const { return static_cast<int>(used_features.size()); }
  uint32_t bin(int64_t row, int used_index) const {
    const int64_t i = row * num_used() + used_index;
    return bins8.empty() ? bins16[i] : bins8[i];
  }
};

// Builds the mappers from a row sample of `x` and bins every row (LightGBM's
// DatasetLoader::ConstructFromSampleData + PushData).
Result<BinnedDataset> build_binned_dataset(const FeatureMatrix& x, const BinningOptions& options);
// Bins `x` with the mappers of `reference` (LightGBM's Dataset(..., reference=train)).
BinnedDataset bin_like(const FeatureMatrix& x, const BinnedDataset& reference);

}  // namespace traind::engines::trees::detail
