// format_gbdt_parameters: the `parameters:` section LightGBM 4.6 writes for a trained model
// (Config::ToString + config_auto.cpp SaveMembersToString): every parameter in LightGBM's
// declaration order, doubles as an iostream prints them (%g), bools as 0/1. Parameters that
// traind does not expose are written with LightGBM's defaults, so the section reads exactly
// like one LightGBM wrote for the same settings.
#include <string>

#include "engines/trees/gbdt/model_text.h"
#include "engines/trees/gbdt/text_numbers.h"

namespace traind::engines::trees::detail {
namespace {

// LightGBM's ParseMetricAlias applied to the objective: the default metric it records.
std::string default_metric(const std::string& objective) {
  if (objective == "regression") return "l2";
  if (objective == "regression_l1") return "l1";
  if (objective == "binary") return "binary_logloss";
  if (objective == "multiclass" || objective == "multiclassova") return "multi_logloss";
  return objective;  // huber and others keep their name
}

class SectionWriter {
 public:
  void add(const char* name, const std::string& value) {
    text_ += '[';
    text_ += name;
    text_ += ": ";
    text_ += value;
    text_ += "]\n";
  }
  void add(const char* name, int value) { add(name, std::to_string(value)); }
  void add(const char* name, bool value) { add(name, std::string(value ? "1" : "0")); }
  void add(const char* name, double value) { add(name, format_g(value)); }
  void add(const char* name, const char* value) { add(name, std::string(value)); }
  std::string finish() { return text_ + '\n'; }  // LightGBM leaves a blank line at the end

 private:
  std::string text_;
};

}  // namespace

std::string format_gbdt_parameters(const GbdtConfig& c) {
  std::string categorical;
  for (size_t i = 0; i < c.categorical_feature.size(); ++i) {
    if (i > 0) categorical += ',';
    categorical += std::to_string(c.categorical_feature[i]);
  }
  SectionWriter w;
  w.add("boosting", c.boosting);
  w.add("objective", c.objective);
  w.add("metric", default_metric(c.objective));
  w.add("tree_learner", "serial");
  w.add("device_type", "cpu");
  w.add("data_sample_strategy", c.data_sample_strategy);
  w.add("data", "");
  w.add("valid", "");
  w.add("num_iterations", c.num_iterations);
  w.add("learning_rate", c.learning_rate);
  w.add("num_leaves", c.num_leaves);
  w.add("num_threads", c.num_threads);
  w.add("seed", c.seed.value_or(0));
  w.add("deterministic", c.deterministic);
  w.add("force_col_wise", c.force_col_wise);
  w.add("force_row_wise", c.force_row_wise);
  w.add("histogram_pool_size", -1.0);
  w.add("max_depth", c.max_depth);
  w.add("min_data_in_leaf", c.min_data_in_leaf);
  w.add("min_sum_hessian_in_leaf", c.min_sum_hessian_in_leaf);
  w.add("bagging_fraction", c.bagging_fraction);
  w.add("pos_bagging_fraction", 1.0);
  w.add("neg_bagging_fraction", 1.0);
  w.add("bagging_freq", c.bagging_freq);
  w.add("bagging_seed", c.bagging_seed);
  w.add("bagging_by_query", false);
  w.add("feature_fraction", c.feature_fraction);
  w.add("feature_fraction_bynode", 1.0);
  w.add("feature_fraction_seed", c.feature_fraction_seed);
  w.add("extra_trees", false);
  w.add("extra_seed", c.extra_seed);
  w.add("early_stopping_round", c.early_stopping_round);
  w.add("early_stopping_min_delta", c.early_stopping_min_delta);
  w.add("first_metric_only", c.first_metric_only);
  w.add("max_delta_step", c.max_delta_step);
  w.add("lambda_l1", c.lambda_l1);
  w.add("lambda_l2", c.lambda_l2);
  w.add("linear_lambda", 0.0);
  w.add("min_gain_to_split", c.min_gain_to_split);
  w.add("drop_rate", 0.1);
  w.add("max_drop", 50);
  w.add("skip_drop", 0.5);
  w.add("xgboost_dart_mode", false);
  w.add("uniform_drop", false);
  w.add("drop_seed", c.drop_seed);
  w.add("top_rate", 0.2);
  w.add("other_rate", 0.1);
  w.add("min_data_per_group", c.min_data_per_group);
  w.add("max_cat_threshold", c.max_cat_threshold);
  w.add("cat_l2", c.cat_l2);
  w.add("cat_smooth", c.cat_smooth);
  w.add("max_cat_to_onehot", c.max_cat_to_onehot);
  w.add("top_k", 20);
  w.add("monotone_constraints", "");
  w.add("monotone_constraints_method", "basic");
  w.add("monotone_penalty", 0.0);
  w.add("feature_contri", "");
  w.add("forcedsplits_filename", "");
  w.add("refit_decay_rate", 0.9);
  w.add("cegb_tradeoff", 1.0);
  w.add("cegb_penalty_split", 0.0);
  w.add("cegb_penalty_feature_lazy", "");
  w.add("cegb_penalty_feature_coupled", "");
  w.add("path_smooth", 0.0);
  w.add("interaction_constraints", "");
  w.add("verbosity", c.verbosity);
  w.add("saved_feature_importance_type", 0);
  w.add("use_quantized_grad", false);
  w.add("num_grad_quant_bins", 4);
  w.add("quant_train_renew_leaf", false);
  w.add("stochastic_rounding", true);
  w.add("linear_tree", false);
  w.add("max_bin", c.max_bin);
  w.add("max_bin_by_feature", "");
  w.add("min_data_in_bin", c.min_data_in_bin);
  w.add("bin_construct_sample_cnt", c.bin_construct_sample_cnt);
  w.add("data_random_seed", c.data_random_seed);
  w.add("is_enable_sparse", true);
  w.add("enable_bundle", c.enable_bundle);
  w.add("use_missing", c.use_missing);
  w.add("zero_as_missing", c.zero_as_missing);
  w.add("feature_pre_filter", c.feature_pre_filter);
  w.add("pre_partition", false);
  w.add("two_round", false);
  w.add("header", false);
  w.add("label_column", "");
  w.add("weight_column", "");
  w.add("group_column", "");
  w.add("ignore_column", "");
  w.add("categorical_feature", categorical);
  w.add("forcedbins_filename", "");
  w.add("precise_float_parser", false);
  w.add("parser_config_file", "");
  w.add("objective_seed", c.objective_seed);
  w.add("num_class", c.num_class);
  w.add("is_unbalance", c.is_unbalance);
  w.add("scale_pos_weight", c.scale_pos_weight);
  w.add("sigmoid", c.sigmoid);
  w.add("boost_from_average", c.boost_from_average);
  w.add("reg_sqrt", false);
  w.add("alpha", c.alpha);
  w.add("fair_c", 1.0);
  w.add("poisson_max_delta_step", 0.7);
  w.add("tweedie_variance_power", 1.5);
  w.add("lambdarank_truncation_level", 30);
  w.add("lambdarank_norm", true);
  w.add("label_gain", "");
  w.add("lambdarank_position_bias_regularization", 0.0);
  w.add("eval_at", "");
  w.add("multi_error_top_k", 1);
  w.add("auc_mu_weights", "");
  w.add("num_machines", 1);
  w.add("local_listen_port", 12400);
  w.add("time_out", 120);
  w.add("machine_list_filename", "");
  w.add("machines", "");
  w.add("gpu_platform_id", -1);
  w.add("gpu_device_id", -1);
  w.add("gpu_device_id_list", "");
  w.add("gpu_use_dp", false);
  w.add("num_gpu", 1);
  return w.finish();
}

}  // namespace traind::engines::trees::detail
