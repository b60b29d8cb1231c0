// LightGBM's text model format (`version=v4`, boosting/gbdt_model_text.cpp): the reader and
// the byte-exact writer of a GbdtModelData, and the `parameters:` section of a trained model.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/gbdt_model_data.h"

namespace traind::engines::trees::detail {

// Reads a model file written by LightGBM or by write_model_text. Files without `tree_sizes`
// are read tree by tree. Errors name what is wrong (ErrorCode::kDataError).
Result<GbdtModelData> parse_model_text(std::string_view text);

// The file LightGBM's Booster.save_model writes for `data` (all trees; importance `split`),
// plus the Python package's `pandas_categorical:null` line when the data has one.
std::string write_model_text(const GbdtModelData& data);

// The lines between "parameters:" and "end of parameters" for a model trained with
// `config`, in LightGBM 4.6's order and format ("[name: value]\n" per parameter, then the
// blank line LightGBM leaves): the text to store in GbdtModelData::parameters.
std::string format_gbdt_parameters(const GbdtConfig& config);

// Per feature: the number of splits (kSplit) or the sum of their float gains in double
// (kGain), counting only splits with gain > 0, over the first `num_iterations` iterations
// (all when <= 0), as LightGBM's GBDT::FeatureImportance.
std::vector<double> compute_feature_importance(const GbdtModelData& data, GbdtImportanceType type,
                                               int num_iterations);

}  // namespace traind::engines::trees::detail
