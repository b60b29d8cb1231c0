// build_binned_dataset and bin_like: LightGBM's Dataset construction from a dense matrix
// (c_api.cpp LGBM_DatasetCreateFromMats -> DatasetLoader::ConstructFromSampleData, then
// PushOneRow for every row), and the `reference=` construction of validation data.
//
// Threads: mappers are built per feature and rows are binned per fixed block of rows, so the
// result does not depend on the number of threads.
//
// Memory: every working buffer of the mapper search is allocated by the calling thread, one
// set per worker, and freed before the binned rows are allocated. (Buffers a worker thread
// allocated would stay in that thread's malloc arena, out of reach of the training that
// follows on the calling thread.)
#include "engines/trees/gbdt/binned_dataset.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <thread>

#include "engines/trees/gbdt/bin_mapper_builder.h"
#include "engines/trees/gbdt/lcg_random.h"

namespace traind::engines::trees::detail {
namespace {

constexpr int64_t kRowsPerBlock = 16384;

int resolve_threads(int requested, int64_t work_items) {
  int threads = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  return static_cast<int>(std::min<int64_t>(threads, std::max<int64_t>(work_items, 1)));
}

// Runs task(i, worker) for i in [0, count) on `threads` threads (worker in [0, threads));
// items are claimed one by one, and each item's result goes to its own place, so the order
// of execution does not matter.
void parallel_for(int64_t count, int threads, const std::function<void(int64_t, int)>& task) {
  if (threads <= 1 || count <= 1) {
    for (int64_t i = 0; i < count; ++i) task(i, 0);
    return;
  }
  std::atomic<int64_t> next{0};
  auto worker = [&](int w) {
    for (int64_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) task(i, w);
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& thread : pool) thread.join();
}

// One worker's buffers for the mapper search, sized for the largest sample.
struct ColumnScratch {
  std::vector<double> sampled;
  BinningScratch find_bin;

  explicit ColumnScratch(size_t sample_count) {
    sampled.reserve(sample_count);
    find_bin.sort.reserve(sample_count);
    find_bin.distinct.reserve(sample_count + 1);  // + the zero find_bin may insert
    find_bin.counts.reserve(sample_count + 1);
  }
};

template <typename BinT>
void bin_rows(const FeatureMatrix& x, const BinnedDataset& layout, int threads,
              std::vector<BinT>* out) {
  const int num_used = layout.num_used();
  out->assign(static_cast<size_t>(x.num_rows) * num_used, 0);
  const int64_t num_blocks = (x.num_rows + kRowsPerBlock - 1) / kRowsPerBlock;
  BinT* bins = out->data();
  parallel_for(num_blocks, threads, [&](int64_t block, int) {
    const int64_t begin = block * kRowsPerBlock;
    const int64_t end = std::min(x.num_rows, begin + kRowsPerBlock);
    for (int j = 0; j < num_used; ++j) {
      const int column = layout.used_features[j];
      const BinMapper& mapper = layout.mappers[column];
      const double* values = x.values + static_cast<int64_t>(column) * x.num_rows;
      for (int64_t row = begin; row < end; ++row) {
        bins[row * num_used + j] = static_cast<BinT>(mapper.value_to_bin(values[row]));
      }
    }
  });
}

void fill_bins(const FeatureMatrix& x, int threads, BinnedDataset* dataset) {
  dataset->num_rows = x.num_rows;
  bool fits_in_byte = true;
  for (int column : dataset->used_features) {
    if (dataset->mappers[column].num_bins() > 256) fits_in_byte = false;
  }
  dataset->bins8.clear();
  dataset->bins16.clear();
  if (fits_in_byte) {
    bin_rows(x, *dataset, threads, &dataset->bins8);
  } else {
    bin_rows(x, *dataset, threads, &dataset->bins16);
  }
}

}  // namespace

Result<BinnedDataset> build_binned_dataset(const FeatureMatrix& x, const BinningOptions& options) {
  if (x.num_rows <= 0 || x.num_columns <= 0) {
    return Status(ErrorCode::kDataError, "cannot bin an empty data set (no rows or no columns)");
  }
  if (x.num_rows > INT32_MAX) {
    return Status(ErrorCode::kDataError, "too many rows to bin: at most 2147483647");
  }
  if (options.max_bin < 2 || options.min_data_in_bin < 1 || options.bin_construct_sample_cnt < 1) {
    return Status(ErrorCode::kInvalidConfig,
                  "max_bin must be > 1, min_data_in_bin > 0 and bin_construct_sample_cnt > 0");
  }
  std::vector<char> is_categorical(x.num_columns, 0);
  for (int column : options.categorical_features) {
    if (column < 0 || column >= x.num_columns) {
      return Status(ErrorCode::kInvalidConfig, "categorical_feature index " +
                                                   std::to_string(column) +
                                                   " is not a column of the data (0.." +
                                                   std::to_string(x.num_columns - 1) + ")");
    }
    is_categorical[column] = 1;
  }

  BinnedDataset dataset;
  dataset.mappers.resize(x.num_columns);
  {
    // The rows LightGBM samples for binning (all rows when there are few enough).
    const int num_rows = static_cast<int>(x.num_rows);
    const int sample_count = std::min(options.bin_construct_sample_cnt, num_rows);
    LcgRandom random(options.data_random_seed);
    const std::vector<int> sample_rows = random.sample(num_rows, sample_count);
    const int64_t total_sampled = static_cast<int64_t>(sample_rows.size());
    // min_data_in_leaf scaled to the sample; LightGBM computes the product as size_t.
    const int filter_count =
        static_cast<int>(static_cast<double>(static_cast<uint64_t>(options.min_data_in_leaf) *
                                             static_cast<uint64_t>(total_sampled)) /
                         static_cast<double>(num_rows));

    const int threads = resolve_threads(options.num_threads, x.num_columns);
    std::vector<ColumnScratch> scratch;
    scratch.reserve(threads);
    for (int t = 0; t < threads; ++t) scratch.emplace_back(sample_rows.size());
    parallel_for(x.num_columns, threads, [&](int64_t column, int worker) {
      const double* values = x.values + column * x.num_rows;
      std::vector<double>& sampled = scratch[worker].sampled;
      sampled.clear();
      for (int row : sample_rows) {
        const double v = values[row];
        // Only non-zero and NaN values are sampled; the zero count is implied.
        if (std::fabs(v) > kZeroThreshold || std::isnan(v)) sampled.push_back(v);
      }
      dataset.mappers[column] =
          BinMapperBuilder::find_bin(&sampled, total_sampled, options, filter_count,
                                     is_categorical[column], &scratch[worker].find_bin);
    });
  }  // the sample and the scratch are freed before the rows are binned
  for (int column = 0; column < x.num_columns; ++column) {
    if (!dataset.mappers[column].is_trivial()) dataset.used_features.push_back(column);
  }
  fill_bins(x,
            resolve_threads(options.num_threads, (x.num_rows + kRowsPerBlock - 1) / kRowsPerBlock),
            &dataset);
  return dataset;
}

BinnedDataset bin_like(const FeatureMatrix& x, const BinnedDataset& reference) {
  BinnedDataset dataset;
  dataset.mappers = reference.mappers;
  dataset.used_features = reference.used_features;
  fill_bins(x, resolve_threads(0, (x.num_rows + kRowsPerBlock - 1) / kRowsPerBlock), &dataset);
  return dataset;
}

}  // namespace traind::engines::trees::detail
