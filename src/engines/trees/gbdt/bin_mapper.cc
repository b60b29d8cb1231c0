// BinMapper: one feature's value -> bin mapping, and its construction from a value sample
// (LightGBM 4.6 io/bin.cpp BinMapper::FindBin and include/LightGBM/bin.h ValueToBin).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "engines/trees/gbdt/bin_mapper_builder.h"
#include "engines/trees/gbdt/double_sort.h"
#include "engines/trees/gbdt/numerical_bins.h"

namespace traind::engines::trees::detail {
namespace {

// LightGBM pushes the enum constant MissingType::NaN (= 2) as the NaN bin's upper bound.
constexpr double kNanBinStoredBound = 2.0;
// When the most frequent bin holds less than this share, LightGBM uses the zero bin instead.
constexpr double kSparseThreshold = 0.7;
// Categories below this are looked up in a dense table; larger ones by a scan of the bins.
constexpr int kDenseCategoryLimit = 1 << 20;

// LightGBM's NeedFilter: true when no cut leaves filter_count samples on both sides.
bool needs_filter(const std::vector<int>& count_in_bin, int64_t total_count, int filter_count,
                  BinType type) {
  if (type == BinType::kNumerical) {
    int64_t left = 0;
    for (size_t i = 0; i + 1 < count_in_bin.size(); ++i) {
      left += count_in_bin[i];
      if (left >= filter_count && total_count - left >= filter_count) return false;
    }
    return true;
  }
  if (count_in_bin.size() > 2) return false;
  for (size_t i = 0; i + 1 < count_in_bin.size(); ++i) {
    const int64_t left = count_in_bin[i];
    if (left >= filter_count && total_count - left >= filter_count) return false;
  }
  return true;
}

}  // namespace

uint32_t BinMapper::value_to_bin(double value) const {
  if (std::isnan(value)) {
    if (bin_type_ == BinType::kCategorical) return 0;
    if (missing_type_ == MissingType::kNaN) return static_cast<uint32_t>(num_bins_ - 1);
    value = 0.0;
  }
  if (bin_type_ == BinType::kNumerical) {
    // The first bound >= value among the real bins (the NaN bin is not searched). The bounds
    // increase strictly and the last real one is +inf, so this is the bin LightGBM's binary
    // search finds; the branch-free form avoids mispredictions in the row-binning loop.
    size_t count = static_cast<size_t>(num_bins_) - (missing_type_ == MissingType::kNaN ? 1 : 0);
    const double* first = bin_upper_bound_.data();
    const double* const bounds = first;
    while (count > 1) {
      const size_t half = count / 2;
      first += static_cast<size_t>(first[half - 1] < value) * half;
      count -= half;
    }
    return static_cast<uint32_t>(first - bounds);
  }
  const int category = truncate_to_category(value);
  if (category < 0) return 0;
  if (category < static_cast<int>(category_to_bin_.size())) {
    const int bin = category_to_bin_[category];
    return bin < 0 ? 0u : static_cast<uint32_t>(bin);
  }
  if (category < kDenseCategoryLimit) return 0;
  for (size_t bin = 1; bin < bin_to_category_.size(); ++bin) {
    if (bin_to_category_[bin] == category) return static_cast<uint32_t>(bin);
  }
  return 0;
}

std::string BinMapper::feature_info() const {
  if (is_trivial_) return "none";
  std::string out;
  if (bin_type_ == BinType::kCategorical) {
    for (size_t i = 0; i < bin_to_category_.size(); ++i) {
      if (i > 0) out += ':';
      out += std::to_string(bin_to_category_[i]);
    }
    return out;
  }
  // LightGBM streams with setprecision(17): the same text as %.17g.
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "[%.17g:%.17g]", min_value_, max_value_);
  return buffer;
}

BinMapper BinMapperBuilder::trivial() {
  BinMapper mapper;
  mapper.bin_upper_bound_.assign(1, std::numeric_limits<double>::infinity());
  return mapper;
}

BinMapper BinMapperBuilder::find_bin(std::vector<double>* sampled_values,
                                     int64_t total_sample_count, const BinningOptions& options,
                                     int filter_count, bool categorical, BinningScratch* scratch) {
  BinMapper mapper = trivial();
  std::vector<double>& values = *sampled_values;
  const int num_sampled = static_cast<int>(values.size());
  int num_present = 0;
  for (int i = 0; i < num_sampled; ++i) {
    if (!std::isnan(values[i])) values[num_present++] = values[i];
  }
  int na_count = 0;
  if (!options.use_missing) {
    mapper.missing_type_ = MissingType::kNone;
  } else if (options.zero_as_missing) {
    mapper.missing_type_ = MissingType::kZero;
  } else if (num_present == num_sampled) {
    mapper.missing_type_ = MissingType::kNone;
  } else {
    mapper.missing_type_ = MissingType::kNaN;
    na_count = num_sampled - num_present;
  }
  values.resize(num_present);
  mapper.bin_type_ = categorical ? BinType::kCategorical : BinType::kNumerical;
  // NaNs that are not "missing" count as zeros.
  const int zero_count = static_cast<int>(total_sample_count - num_present - na_count);

  // Distinct values (a value within one ulp above the previous merges into it and the larger
  // is kept), with zero inserted at its sorted place.
  sort_doubles(&values, &scratch->sort);
  std::vector<double>& distinct = scratch->distinct;
  std::vector<int>& counts = scratch->counts;
  distinct.clear();
  counts.clear();
  if (num_present == 0 || (values[0] > 0.0 && zero_count > 0)) {
    distinct.push_back(0.0);
    counts.push_back(zero_count);
  }
  if (num_present > 0) {
    distinct.push_back(values[0]);
    counts.push_back(1);
  }
  for (int i = 1; i < num_present; ++i) {
    if (values[i] > std::nextafter(values[i - 1], std::numeric_limits<double>::infinity())) {
      if (values[i - 1] < 0.0 && values[i] > 0.0) {
        distinct.push_back(0.0);
        counts.push_back(zero_count);
      }
      distinct.push_back(values[i]);
      counts.push_back(1);
    } else {
      distinct.back() = values[i];
      ++counts.back();
    }
  }
  if (num_present > 0 && values[num_present - 1] < 0.0 && zero_count > 0) {
    distinct.push_back(0.0);
    counts.push_back(zero_count);
  }
  mapper.min_value_ = distinct.front();
  mapper.max_value_ = distinct.back();

  std::vector<int> count_in_bin;
  if (categorical) {
    find_categorical_bins(distinct, counts, na_count, total_sample_count, options, &mapper,
                          &count_in_bin);
  } else {
    find_numerical_bins(distinct, counts, na_count, total_sample_count, options, &mapper,
                        &count_in_bin);
  }

  mapper.is_trivial_ = mapper.num_bins_ <= 1;
  if (!mapper.is_trivial_ && options.feature_pre_filter &&
      needs_filter(count_in_bin, total_sample_count, filter_count, mapper.bin_type_)) {
    mapper.is_trivial_ = true;
  }
  if (!mapper.is_trivial_) {
    mapper.default_bin_ = mapper.value_to_bin(0.0);
    uint32_t most_frequent = 0;
    for (size_t i = 1; i < count_in_bin.size(); ++i) {
      if (count_in_bin[i] > count_in_bin[most_frequent]) most_frequent = static_cast<uint32_t>(i);
    }
    const double share =
        static_cast<double>(count_in_bin[most_frequent]) / static_cast<double>(total_sample_count);
    if (most_frequent != mapper.default_bin_ && share < kSparseThreshold) {
      most_frequent = mapper.default_bin_;
    }
    mapper.most_freq_bin_ = most_frequent;
  }
  return mapper;
}

void BinMapperBuilder::find_numerical_bins(const std::vector<double>& distinct,
                                           const std::vector<int>& counts, int na_count,
                                           int64_t total_sample_count,
                                           const BinningOptions& options, BinMapper* mapper,
                                           std::vector<int>* count_in_bin) {
  const int num_distinct = static_cast<int>(distinct.size());
  if (mapper->missing_type_ == MissingType::kNaN) {
    // One bin is kept for NaN, so the others share max_bin - 1.
    mapper->bin_upper_bound_ =
        find_bins_with_zero_bin(distinct.data(), counts.data(), num_distinct, options.max_bin - 1,
                                total_sample_count - na_count, options.min_data_in_bin);
    mapper->bin_upper_bound_.push_back(kNanBinStoredBound);
  } else {
    mapper->bin_upper_bound_ =
        find_bins_with_zero_bin(distinct.data(), counts.data(), num_distinct, options.max_bin,
                                total_sample_count, options.min_data_in_bin);
    // Zero as missing needs a zero bin beside another; with only two bins LightGBM drops it.
    if (mapper->missing_type_ == MissingType::kZero && mapper->bin_upper_bound_.size() == 2) {
      mapper->missing_type_ = MissingType::kNone;
    }
  }
  mapper->num_bins_ = static_cast<int>(mapper->bin_upper_bound_.size());
  count_in_bin->assign(mapper->num_bins_, 0);
  int bin = 0;
  for (int i = 0; i < num_distinct; ++i) {
    while (distinct[i] > mapper->bin_upper_bound_[bin] && bin < mapper->num_bins_ - 1) ++bin;
    (*count_in_bin)[bin] += counts[i];
  }
  if (mapper->missing_type_ == MissingType::kNaN) count_in_bin->back() = na_count;
}

void BinMapperBuilder::find_categorical_bins(const std::vector<double>& distinct,
                                             const std::vector<int>& counts, int na_count,
                                             int64_t total_sample_count,
                                             const BinningOptions& options, BinMapper* mapper,
                                             std::vector<int>* count_in_bin) {
  // Truncate to int; negatives are missing. Equal truncations merge (values are sorted).
  std::vector<std::pair<int, int>> categories;  // (count, category)
  for (size_t i = 0; i < distinct.size(); ++i) {
    const int category = truncate_to_category(distinct[i]);
    if (category < 0) {
      na_count += counts[i];
    } else if (categories.empty() || categories.back().second != category) {
      categories.emplace_back(counts[i], category);
    } else {
      categories.back().first += counts[i];
    }
  }
  const int64_t rest_count = total_sample_count - na_count;
  if (rest_count <= 0) return;  // no category at all: one bin, trivial

  // Most frequent first; equal counts keep ascending category order (stable sort).
  std::stable_sort(categories.begin(), categories.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  // Categories after 99% of the samples are rare; LightGBM computes the cut in float.
  const float cut_float = static_cast<float>(total_sample_count - na_count) * 0.99f;
  const int cut_count = static_cast<int>(static_cast<double>(cut_float) + 0.5f);
  int distinct_count = static_cast<int>(categories.size());
  if (na_count > 0) ++distinct_count;
  const int max_bin = std::min(distinct_count, options.max_bin);

  mapper->bin_to_category_.assign(1, -1);  // bin 0: missing, negative or rare
  count_in_bin->assign(1, 0);
  mapper->num_bins_ = 1;
  int used_count = 0;
  size_t index = 0;
  while (index < categories.size() && (used_count < cut_count || mapper->num_bins_ < max_bin)) {
    if (categories[index].first < options.min_data_in_bin && index > 1) break;
    mapper->bin_to_category_.push_back(categories[index].second);
    used_count += categories[index].first;
    count_in_bin->push_back(categories[index].first);
    ++mapper->num_bins_;
    ++index;
  }
  // Type None means every category has a bin of its own; otherwise bin 0 collects the rest.
  mapper->missing_type_ =
      (index == categories.size() && na_count == 0) ? MissingType::kNone : MissingType::kNaN;
  (*count_in_bin)[0] = static_cast<int>(total_sample_count - used_count);

  int max_category = -1;
  for (size_t bin = 1; bin < mapper->bin_to_category_.size(); ++bin) {
    max_category = std::max(max_category, mapper->bin_to_category_[bin]);
  }
  mapper->category_to_bin_.assign(std::min(max_category + 1, kDenseCategoryLimit), -1);
  for (size_t bin = 1; bin < mapper->bin_to_category_.size(); ++bin) {
    const int category = mapper->bin_to_category_[bin];
    if (category < kDenseCategoryLimit) mapper->category_to_bin_[category] = static_cast<int>(bin);
  }
}

}  // namespace traind::engines::trees::detail
