// parse_gbdt_config: LightGBM's parameter names, aliases, defaults and ranges (io/config.cpp,
// config_auto.cpp), declared once in a table, plus the derived defaults LightGBM applies
// after parsing (seed derivation, max_depth -> num_leaves, min-constraint fallback).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engines/trees/gbdt.h"
#include "engines/trees/gbdt/lcg_random.h"

namespace traind::engines::trees {
namespace {

Status invalid(const std::string& name, const std::string& what) {
  return Status(ErrorCode::kInvalidConfig, "parameter '" + name + "': " + what);
}

std::string trim(const std::string& s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return s.substr(begin, end - begin);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Result<double> parse_double(const std::string& name, const std::string& text) {
  const std::string t = trim(text);
  if (t.empty()) return invalid(name, "expected a number, got an empty value");
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || errno == ERANGE || std::isnan(v)) {
    return invalid(name, "expected a number, got '" + text + "'");
  }
  return v;
}

Result<int> parse_int(const std::string& name, const std::string& text) {
  const std::string t = trim(text);
  char* end = nullptr;
  errno = 0;
  const long long v = t.empty() ? 0 : std::strtoll(t.c_str(), &end, 10);
  if (t.empty() || end != t.c_str() + t.size() || errno == ERANGE || v > INT32_MAX ||
      v < INT32_MIN) {
    return invalid(name, "expected an integer, got '" + text + "'");
  }
  return static_cast<int>(v);
}

Result<bool> parse_bool(const std::string& name, const std::string& text) {
  const std::string t = lower(trim(text));
  if (t == "true" || t == "1" || t == "+") return true;
  if (t == "false" || t == "0" || t == "-") return false;
  return invalid(name, "expected true or false, got '" + text + "'");
}

// Range checks, named the way LightGBM's documentation states them.
Status check(bool ok, const std::string& name, const std::string& range) {
  return ok ? Status::ok() : invalid(name, "must be " + range);
}

using Setter =
    std::function<Status(const std::string& name, const std::string& value, GbdtConfig* config)>;

Setter int_param(int GbdtConfig::*field, std::function<bool(int)> valid, std::string range) {
  return [=](const std::string& name, const std::string& value, GbdtConfig* c) -> Status {
    auto v = parse_int(name, value);
    if (!v) return v.status();
    TRAIND_RETURN_IF_ERROR(check(valid(*v), name, range));
    c->*field = *v;
    return Status::ok();
  };
}

Setter double_param(double GbdtConfig::*field, std::function<bool(double)> valid,
                    std::string range) {
  return [=](const std::string& name, const std::string& value, GbdtConfig* c) -> Status {
    auto v = parse_double(name, value);
    if (!v) return v.status();
    TRAIND_RETURN_IF_ERROR(check(valid(*v), name, range));
    c->*field = *v;
    return Status::ok();
  };
}

Setter bool_param(bool GbdtConfig::*field) {
  return [=](const std::string& name, const std::string& value, GbdtConfig* c) -> Status {
    auto v = parse_bool(name, value);
    if (!v) return v.status();
    c->*field = *v;
    return Status::ok();
  };
}

Setter any_int(int GbdtConfig::*field) {
  return int_param(
      field, [](int) { return true; }, "an integer");
}

// Objective names and their aliases (LightGBM's ParseObjectiveAlias).
Status set_objective(const std::string& name, const std::string& value, GbdtConfig* c) {
  static const std::map<std::string, std::string> kAliases = {
      {"regression", "regression"},
      {"regression_l2", "regression"},
      {"l2", "regression"},
      {"mse", "regression"},
      {"mean_squared_error", "regression"},
      {"rmse", "regression"},
      {"root_mean_squared_error", "regression"},
      {"l2_root", "regression"},
      {"regression_l1", "regression_l1"},
      {"l1", "regression_l1"},
      {"mae", "regression_l1"},
      {"mean_absolute_error", "regression_l1"},
      {"huber", "huber"},
      {"binary", "binary"},
      {"multiclass", "multiclass"},
      {"softmax", "multiclass"},
  };
  const auto it = kAliases.find(lower(trim(value)));
  if (it == kAliases.end()) {
    return invalid(name, "unsupported objective '" + value +
                             "'; use regression, regression_l1, huber, binary or multiclass");
  }
  c->objective = it->second;
  return Status::ok();
}

Status set_categorical(const std::string& name, const std::string& value, GbdtConfig* c) {
  c->categorical_feature.clear();
  std::string t = trim(value);
  if (t.empty()) return Status::ok();
  size_t start = 0;
  while (start <= t.size()) {
    size_t comma = t.find(',', start);
    if (comma == std::string::npos) comma = t.size();
    auto v = parse_int(name, t.substr(start, comma - start));
    if (!v) return invalid(name, "expected comma-separated column indices, got '" + value + "'");
    if (*v < 0) return invalid(name, "column indices must be >= 0");
    c->categorical_feature.push_back(*v);
    start = comma + 1;
  }
  return Status::ok();
}

struct ParameterSpec {
  const char* canonical;
  std::vector<const char*> aliases;  // in the order used to pick one when several are given
  Setter set;
};

const std::vector<ParameterSpec>& parameter_table() {
  auto pos = [](double v) { return v > 0; };
  auto nonneg = [](double v) { return v >= 0; };
  auto ipos = [](int v) { return v > 0; };
  auto inonneg = [](int v) { return v >= 0; };
  auto fraction = [](double v) { return v > 0 && v <= 1; };
  static const std::vector<ParameterSpec> kTable = {
      {"objective", {"objective_type", "app", "application", "loss"}, set_objective},
      {"boosting",
       {"boosting_type", "boost"},
       [](const std::string& name, const std::string& value, GbdtConfig* c) -> Status {
         const std::string v = lower(trim(value));
         if (v == "gbdt" || v == "gbrt") {
           c->boosting = "gbdt";
         } else if (v == "goss") {
           // Legacy spelling: LightGBM 4 maps it to gbdt + data_sample_strategy=goss.
           c->boosting = "gbdt";
           c->data_sample_strategy = "goss";
         } else {
           return invalid(name, "unsupported boosting '" + value + "'; use gbdt");
         }
         return Status::ok();
       }},
      {"data_sample_strategy",
       {},
       [](const std::string& name, const std::string& value, GbdtConfig* c) -> Status {
         const std::string v = lower(trim(value));
         if (v != "bagging" && v != "goss") {
           return invalid(name, "must be bagging or goss, got '" + value + "'");
         }
         c->data_sample_strategy = v;
         return Status::ok();
       }},
      {"num_iterations",
       {"num_iteration", "n_iter", "num_tree", "num_trees", "num_round", "num_rounds", "nrounds",
        "num_boost_round", "n_estimators", "max_iter"},
       int_param(&GbdtConfig::num_iterations, inonneg, ">= 0")},
      {"learning_rate",
       {"shrinkage_rate", "eta"},
       double_param(&GbdtConfig::learning_rate, pos, "> 0")},
      {"num_leaves",
       {"num_leaf", "max_leaves", "max_leaf", "max_leaf_nodes"},
       int_param(
           &GbdtConfig::num_leaves, [](int v) { return v >= 2 && v <= 131072; },
           "between 2 and 131072")},
      {"max_depth", {}, any_int(&GbdtConfig::max_depth)},
      {"min_data_in_leaf",
       {"min_data_per_leaf", "min_data", "min_child_samples", "min_samples_leaf"},
       int_param(&GbdtConfig::min_data_in_leaf, inonneg, ">= 0")},
      {"min_sum_hessian_in_leaf",
       {"min_sum_hessian_per_leaf", "min_sum_hessian", "min_hessian", "min_child_weight"},
       double_param(&GbdtConfig::min_sum_hessian_in_leaf, nonneg, ">= 0")},
      {"lambda_l1",
       {"reg_alpha", "l1_regularization"},
       double_param(&GbdtConfig::lambda_l1, nonneg, ">= 0")},
      {"lambda_l2",
       {"reg_lambda", "lambda", "l2_regularization"},
       double_param(&GbdtConfig::lambda_l2, nonneg, ">= 0")},
      {"min_gain_to_split",
       {"min_split_gain"},
       double_param(&GbdtConfig::min_gain_to_split, nonneg, ">= 0")},
      {"max_delta_step",
       {"max_tree_output", "max_leaf_output"},
       double_param(
           &GbdtConfig::max_delta_step, [](double) { return true; }, "a number")},
      {"feature_fraction",
       {"sub_feature", "colsample_bytree"},
       double_param(&GbdtConfig::feature_fraction, fraction, "in (0, 1]")},
      {"bagging_fraction",
       {"sub_row", "subsample", "bagging"},
       double_param(&GbdtConfig::bagging_fraction, fraction, "in (0, 1]")},
      {"bagging_freq", {"subsample_freq"}, int_param(&GbdtConfig::bagging_freq, inonneg, ">= 0")},
      {"max_bin",
       {"max_bins"},
       int_param(
           &GbdtConfig::max_bin, [](int v) { return v > 1 && v <= 65535; }, "between 2 and 65535")},
      {"min_data_in_bin", {}, int_param(&GbdtConfig::min_data_in_bin, ipos, "> 0")},
      {"bin_construct_sample_cnt",
       {"subsample_for_bin"},
       int_param(&GbdtConfig::bin_construct_sample_cnt, ipos, "> 0")},
      {"feature_pre_filter", {}, bool_param(&GbdtConfig::feature_pre_filter)},
      {"early_stopping_round",
       {"early_stopping_rounds", "early_stopping", "n_iter_no_change"},
       any_int(&GbdtConfig::early_stopping_round)},
      {"early_stopping_min_delta",
       {},
       double_param(&GbdtConfig::early_stopping_min_delta, nonneg, ">= 0")},
      {"first_metric_only", {}, bool_param(&GbdtConfig::first_metric_only)},
      {"seed",
       {"random_seed", "random_state"},
       [](const std::string& name, const std::string& value, GbdtConfig* c) -> Status {
         auto v = parse_int(name, value);
         if (!v) return v.status();
         c->seed = *v;
         return Status::ok();
       }},
      {"data_random_seed", {"data_seed"}, any_int(&GbdtConfig::data_random_seed)},
      {"bagging_seed", {"bagging_fraction_seed"}, any_int(&GbdtConfig::bagging_seed)},
      {"drop_seed", {}, any_int(&GbdtConfig::drop_seed)},
      {"feature_fraction_seed", {}, any_int(&GbdtConfig::feature_fraction_seed)},
      {"objective_seed", {}, any_int(&GbdtConfig::objective_seed)},
      {"extra_seed", {}, any_int(&GbdtConfig::extra_seed)},
      {"num_threads",
       {"num_thread", "nthread", "nthreads", "n_jobs"},
       any_int(&GbdtConfig::num_threads)},
      {"num_class", {"num_classes"}, int_param(&GbdtConfig::num_class, ipos, "> 0")},
      {"is_unbalance", {"unbalance", "unbalanced_sets"}, bool_param(&GbdtConfig::is_unbalance)},
      {"scale_pos_weight", {}, double_param(&GbdtConfig::scale_pos_weight, pos, "> 0")},
      {"sigmoid", {}, double_param(&GbdtConfig::sigmoid, pos, "> 0")},
      {"alpha", {}, double_param(&GbdtConfig::alpha, pos, "> 0")},
      {"boost_from_average", {}, bool_param(&GbdtConfig::boost_from_average)},
      {"categorical_feature",
       {"cat_feature", "categorical_column", "cat_column", "categorical_features"},
       set_categorical},
      {"max_cat_to_onehot", {}, int_param(&GbdtConfig::max_cat_to_onehot, ipos, "> 0")},
      {"max_cat_threshold", {}, int_param(&GbdtConfig::max_cat_threshold, ipos, "> 0")},
      {"cat_smooth", {}, double_param(&GbdtConfig::cat_smooth, nonneg, ">= 0")},
      {"cat_l2", {}, double_param(&GbdtConfig::cat_l2, nonneg, ">= 0")},
      {"min_data_per_group", {}, int_param(&GbdtConfig::min_data_per_group, ipos, "> 0")},
      {"use_missing", {}, bool_param(&GbdtConfig::use_missing)},
      {"zero_as_missing", {}, bool_param(&GbdtConfig::zero_as_missing)},
      {"deterministic", {}, bool_param(&GbdtConfig::deterministic)},
      {"force_col_wise", {}, bool_param(&GbdtConfig::force_col_wise)},
      {"force_row_wise", {}, bool_param(&GbdtConfig::force_row_wise)},
      {"enable_bundle", {"is_enable_bundle", "bundle"}, bool_param(&GbdtConfig::enable_bundle)},
      {"verbosity", {"verbose"}, any_int(&GbdtConfig::verbosity)},
  };
  return kTable;
}

}  // namespace

Result<GbdtConfig> parse_gbdt_config(const GbdtParameterList& parameters,
                                     std::vector<std::string>* warnings) {
  auto warn = [&](std::string message) {
    if (warnings != nullptr) warnings->push_back(std::move(message));
  };
  const auto& table = parameter_table();
  // name -> (spec index, is canonical)
  std::map<std::string, std::pair<size_t, bool>> by_name;
  for (size_t i = 0; i < table.size(); ++i) {
    by_name[table[i].canonical] = {i, true};
    for (const char* alias : table[i].aliases) by_name[alias] = {i, false};
  }
  // Last value wins when the very same key is repeated (as in a LightGBM dict).
  std::map<std::string, std::string> given;
  for (const auto& [raw_name, value] : parameters) {
    const std::string name = trim(raw_name);
    if (!by_name.count(name)) {
      warn("unknown parameter '" + name + "' ignored");
      continue;
    }
    if (given.count(name)) warn("parameter '" + name + "' given twice; the last value is used");
    given[name] = value;
  }

  GbdtConfig config;
  std::set<std::string> explicitly_set;  // canonical names
  for (const ParameterSpec& spec : table) {
    const std::string canonical = spec.canonical;
    std::vector<std::string> present_aliases;
    for (const char* alias : spec.aliases) {
      if (given.count(alias)) present_aliases.push_back(alias);
    }
    std::string chosen;
    if (given.count(canonical)) {
      chosen = canonical;
      for (const auto& alias : present_aliases) {
        warn("parameter '" + alias + "' ignored: '" + canonical + "' is also given");
      }
    } else if (!present_aliases.empty()) {
      chosen = present_aliases.front();  // first in the alias list: deterministic
      for (size_t i = 1; i < present_aliases.size(); ++i) {
        warn("parameter '" + present_aliases[i] + "' ignored: '" + chosen +
             "' (another alias of '" + canonical + "') is also given");
      }
    } else {
      continue;
    }
    TRAIND_RETURN_IF_ERROR(spec.set(chosen, given[chosen], &config));
    explicitly_set.insert(canonical);
  }

  // Seeds (LightGBM Config::Set): derive all six from `seed`, then explicit seeds win.
  if (config.seed.has_value()) {
    const detail::DerivedSeeds d = detail::derive_seeds(*config.seed);
    auto assign = [&](const char* name, int* field, int value) {
      if (!explicitly_set.count(name)) *field = value;
    };
    assign("data_random_seed", &config.data_random_seed, d.data_random_seed);
    assign("bagging_seed", &config.bagging_seed, d.bagging_seed);
    assign("drop_seed", &config.drop_seed, d.drop_seed);
    assign("feature_fraction_seed", &config.feature_fraction_seed, d.feature_fraction_seed);
    assign("objective_seed", &config.objective_seed, d.objective_seed);
    assign("extra_seed", &config.extra_seed, d.extra_seed);
  }
  // LightGBM: a depth limit without an explicit leaf count implies a full tree of that
  // depth, capped at the default 31 leaves.
  if (config.max_depth > 0 && !explicitly_set.count("num_leaves")) {
    const double full = std::pow(2.0, config.max_depth);
    config.num_leaves = static_cast<int>(std::min(31.0, full));
  }
  if (config.min_data_in_leaf == 0 && config.min_sum_hessian_in_leaf <= 0.0) {
    config.min_data_in_leaf = 1;  // LightGBM: at least one constraint must hold a leaf
  }
  if (config.objective == "multiclass") {
    if (config.num_class <= 1) {
      return invalid("num_class", "must be > 1 for objective multiclass");
    }
  } else if (config.num_class != 1) {
    return invalid("num_class", "must be 1 unless objective is multiclass");
  }
  if (config.is_unbalance && std::fabs(config.scale_pos_weight - 1.0) > 1e-6) {
    return invalid("is_unbalance", "cannot be combined with scale_pos_weight != 1");
  }
  if (config.data_sample_strategy == "goss" && explicitly_set.count("boosting") &&
      !explicitly_set.count("data_sample_strategy")) {
    warn("boosting=goss is deprecated: use boosting=gbdt with data_sample_strategy=goss");
  }
  return config;
}

}  // namespace traind::engines::trees
