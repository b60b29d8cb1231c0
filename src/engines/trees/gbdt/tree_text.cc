// Tree blocks of the LightGBM v4 text model (io/tree.cpp Tree::ToString and the string
// constructor). Formats: threshold, leaf_value, leaf_weight %.17g; split_gain and
// internal_value/internal_weight %g; shrinkage as an iostream prints a double (%g).
#include "engines/trees/gbdt/tree_text.h"

#include <map>
#include <string>

#include "engines/trees/gbdt/text_numbers.h"

namespace traind::engines::trees::detail {

std::string format_tree_block(const Tree& tree, int index) {
  std::string out;
  out.reserve(64 * tree.num_leaves + 256);
  out += "Tree=" + std::to_string(index) + '\n';
  out += "num_leaves=" + std::to_string(tree.num_leaves) + '\n';
  out += "num_cat=" + std::to_string(tree.num_cat) + '\n';
  out += "split_feature=" + join_ints(tree.split_feature) + '\n';
  out += "split_gain=" + join_g(tree.split_gain) + '\n';
  out += "threshold=" + join_g17(tree.threshold) + '\n';
  out += "decision_type=" + join_ints(tree.decision_type) + '\n';
  out += "left_child=" + join_ints(tree.left_child) + '\n';
  out += "right_child=" + join_ints(tree.right_child) + '\n';
  out += "leaf_value=" + join_g17(tree.leaf_value) + '\n';
  out += "leaf_weight=" + join_g17(tree.leaf_weight) + '\n';
  out += "leaf_count=" + join_ints(tree.leaf_count) + '\n';
  out += "internal_value=" + join_g(tree.internal_value) + '\n';
  out += "internal_weight=" + join_g(tree.internal_weight) + '\n';
  out += "internal_count=" + join_ints(tree.internal_count) + '\n';
  if (tree.num_cat > 0) {
    out += "cat_boundaries=" + join_ints(tree.cat_boundaries) + '\n';
    out += "cat_threshold=" + join_ints(tree.cat_threshold) + '\n';
  }
  out += "is_linear=0\n";
  out += "shrinkage=" + format_g(tree.shrinkage) + '\n';
  out += "\n\n";
  return out;
}

namespace {

Status tree_error(const std::string& what) {
  return Status(ErrorCode::kDataError, "invalid LightGBM model: tree " + what);
}

// Reads `key` as exactly `count` numbers into `out`. A missing key is an error when
// `required`, otherwise `out` is `count` zeros (LightGBM's defaults).
template <typename T>
Status read_array(const std::map<std::string, std::string_view, std::less<>>& keys,
                  const std::string& key, size_t count, bool required, std::vector<T>* out) {
  const auto it = keys.find(key);
  if (it == keys.end()) {
    if (required && count > 0) return tree_error("has no " + key + " line");
    out->assign(count, T{});
    return Status::ok();
  }
  const std::vector<std::string_view> tokens = split_spaces(it->second);
  if (tokens.size() != count) {
    return tree_error(key + " has " + std::to_string(tokens.size()) + " values, expected " +
                      std::to_string(count));
  }
  out->resize(count);
  for (size_t i = 0; i < count; ++i) {
    if constexpr (std::is_floating_point_v<T>) {
      double value = 0.0;
      if (!parse_double(tokens[i], &value)) return tree_error(key + " holds a non-number");
      (*out)[i] = static_cast<T>(value);
    } else {
      int64_t value = 0;
      if (!parse_int64(tokens[i], &value)) return tree_error(key + " holds a non-integer");
      (*out)[i] = static_cast<T>(value);
    }
  }
  return Status::ok();
}

Status read_int(const std::map<std::string, std::string_view, std::less<>>& keys,
                const std::string& key, int* out) {
  const auto it = keys.find(key);
  int64_t value = 0;
  if (it == keys.end() || !parse_int64(it->second, &value) || value < 0 || value > (1 << 30)) {
    return tree_error("has no valid " + key);
  }
  *out = static_cast<int>(value);
  return Status::ok();
}

// Every node must be reached from its parent only and children must come after their
// parent (LightGBM numbers nodes in split order), so that prediction always terminates.
Status check_structure(const Tree& tree, int num_features) {
  const int num_internal = tree.num_leaves - 1;
  std::vector<char> leaf_seen(tree.num_leaves, 0);
  std::vector<char> node_seen(num_internal, 0);
  for (int node = 0; node < num_internal; ++node) {
    if (tree.split_feature[node] < 0 || tree.split_feature[node] >= num_features) {
      return tree_error("splits on feature " + std::to_string(tree.split_feature[node]) +
                        ", which the model does not have");
    }
    for (int child : {tree.left_child[node], tree.right_child[node]}) {
      if (child >= 0) {
        if (child <= node || child >= num_internal || node_seen[child]) {
          return tree_error("has an invalid child index");
        }
        node_seen[child] = 1;
      } else {
        const int leaf = ~child;
        if (leaf >= tree.num_leaves || leaf_seen[leaf]) {
          return tree_error("has an invalid leaf index");
        }
        leaf_seen[leaf] = 1;
      }
    }
    if (tree.decision_type[node] & kCategoricalMask) {
      const double index = tree.threshold[node];
      if (!(index >= 0 && index < tree.num_cat)) {
        return tree_error("has a categorical split without a category set");
      }
    }
  }
  if (tree.num_cat > 0) {
    if (tree.cat_boundaries.front() != 0) return tree_error("cat_boundaries must start at 0");
    for (int i = 0; i < tree.num_cat; ++i) {
      if (tree.cat_boundaries[i + 1] < tree.cat_boundaries[i]) {
        return tree_error("cat_boundaries must not decrease");
      }
    }
  }
  return Status::ok();
}

}  // namespace

Result<Tree> parse_tree(std::string_view text, int num_features, size_t* consumed) {
  std::map<std::string, std::string_view, std::less<>> keys;
  size_t pos = 0;
  while (pos < text.size() && text[pos] != '\n' && text[pos] != '\r') {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end < text.size() ? end + 1 : end;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) return tree_error("line without '=' in a tree");
    keys.emplace(std::string(line.substr(0, equals)), line.substr(equals + 1));
  }
  *consumed = pos;

  Tree tree;
  TRAIND_RETURN_IF_ERROR(read_int(keys, "num_leaves", &tree.num_leaves));
  TRAIND_RETURN_IF_ERROR(read_int(keys, "num_cat", &tree.num_cat));
  if (tree.num_leaves < 1) return tree_error("has no leaves");
  const auto linear = keys.find("is_linear");
  if (linear != keys.end() && linear->second != "0") {
    return tree_error("is a linear tree (linear_tree=true), which traind does not support");
  }
  const size_t leaves = static_cast<size_t>(tree.num_leaves);
  TRAIND_RETURN_IF_ERROR(read_array(keys, "leaf_value", leaves, true, &tree.leaf_value));
  TRAIND_RETURN_IF_ERROR(read_array(keys, "leaf_weight", leaves, false, &tree.leaf_weight));
  TRAIND_RETURN_IF_ERROR(read_array(keys, "leaf_count", leaves, false, &tree.leaf_count));
  const auto shrinkage = keys.find("shrinkage");
  if (shrinkage == keys.end()) {
    tree.shrinkage = 1.0;
  } else if (!parse_double(shrinkage->second, &tree.shrinkage)) {
    return tree_error("has an invalid shrinkage");
  }
  const size_t internal = leaves - 1;
  TRAIND_RETURN_IF_ERROR(read_array(keys, "split_feature", internal, true, &tree.split_feature));
  TRAIND_RETURN_IF_ERROR(read_array(keys, "split_gain", internal, false, &tree.split_gain));
  TRAIND_RETURN_IF_ERROR(read_array(keys, "threshold", internal, true, &tree.threshold));
  TRAIND_RETURN_IF_ERROR(read_array(keys, "decision_type", internal, false, &tree.decision_type));
  TRAIND_RETURN_IF_ERROR(read_array(keys, "left_child", internal, true, &tree.left_child));
  TRAIND_RETURN_IF_ERROR(read_array(keys, "right_child", internal, true, &tree.right_child));
  TRAIND_RETURN_IF_ERROR(read_array(keys, "internal_value", internal, false, &tree.internal_value));
  TRAIND_RETURN_IF_ERROR(
      read_array(keys, "internal_weight", internal, false, &tree.internal_weight));
  TRAIND_RETURN_IF_ERROR(read_array(keys, "internal_count", internal, false, &tree.internal_count));
  if (tree.num_cat > 0) {
    TRAIND_RETURN_IF_ERROR(read_array(keys, "cat_boundaries", static_cast<size_t>(tree.num_cat) + 1,
                                      true, &tree.cat_boundaries));
    const int words = tree.cat_boundaries.back();
    if (words < 0 || words > (1 << 26)) return tree_error("has an invalid cat_boundaries");
    TRAIND_RETURN_IF_ERROR(
        read_array(keys, "cat_threshold", static_cast<size_t>(words), true, &tree.cat_threshold));
  }
  TRAIND_RETURN_IF_ERROR(check_structure(tree, num_features));
  return tree;
}

}  // namespace traind::engines::trees::detail
