// The LightGBM v4 text model: header lines, tree blocks located by `tree_sizes`, the
// feature_importances section (recomputed on write), the parameters section (kept as text)
// and the Python package's trailing pandas_categorical line.
#include "engines/trees/gbdt/model_text.h"

#include <algorithm>
#include <map>
#include <utility>

#include "engines/trees/gbdt/text_numbers.h"
#include "engines/trees/gbdt/tree_text.h"

namespace traind::engines::trees::detail {
namespace {

constexpr std::string_view kParametersStart = "parameters:";
constexpr std::string_view kParametersEnd = "end of parameters";
constexpr std::string_view kPandasLine = "pandas_categorical:null";

Status model_error(const std::string& what) {
  return Status(ErrorCode::kDataError, "invalid LightGBM model: " + what);
}

// Line cursor over the text that accepts "\n" and "\r\n".
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  size_t position() const { return pos_; }
  void seek(size_t pos) { pos_ = std::min(pos, text_.size()); }
  std::string_view next() {
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view line = text_.substr(pos_, end - pos_);
    pos_ = end < text_.size() ? end + 1 : end;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }
  std::string_view peek() {
    const size_t saved = pos_;
    std::string_view line = next();
    pos_ = saved;
    return line;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

Status read_header_int(const std::map<std::string, std::string, std::less<>>& header,
                       const std::string& key, bool required, int fallback, int* out) {
  const auto it = header.find(key);
  if (it == header.end()) {
    if (required) return model_error("no " + key + "= line");
    *out = fallback;
    return Status::ok();
  }
  int64_t value = 0;
  if (!parse_int64(it->second, &value) || value < 0 || value > (1 << 30)) {
    return model_error(key + " is not a valid count");
  }
  *out = static_cast<int>(value);
  return Status::ok();
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  for (std::string_view token : split_spaces(text)) words.emplace_back(token);
  return words;
}

Status read_trees(std::string_view text, LineReader* reader,
                  const std::map<std::string, std::string, std::less<>>& header, int num_features,
                  std::vector<Tree>* trees) {
  const auto sizes_line = header.find("tree_sizes");
  if (sizes_line == header.end()) {
    // Older files: trees one after another, separated by blank lines.
    while (!reader->done()) {
      const std::string_view line = reader->peek();
      if (line.empty()) {
        reader->next();
        continue;
      }
      if (!starts_with(line, "Tree=")) break;
      reader->next();
      size_t consumed = 0;
      Result<Tree> tree = parse_tree(text.substr(reader->position()), num_features, &consumed);
      if (!tree.is_ok()) return tree.status();
      trees->push_back(std::move(tree).value());
      reader->seek(reader->position() + consumed);
    }
    return Status::ok();
  }
  // LightGBM seeks each tree by the byte sizes, starting right after the header's blank line.
  size_t start = reader->position();
  for (std::string_view token : split_spaces(sizes_line->second)) {
    int64_t size = 0;
    if (!parse_int64(token, &size) || size <= 0) return model_error("tree_sizes is invalid");
    if (start + static_cast<size_t>(size) > text.size()) {
      return model_error("tree_sizes points past the end of the file");
    }
    LineReader block(text.substr(start, static_cast<size_t>(size)));
    if (!starts_with(block.next(), "Tree=")) {
      return model_error("tree_sizes does not match the tree blocks (expected a Tree= line)");
    }
    size_t consumed = 0;
    Result<Tree> tree = parse_tree(
        text.substr(start + block.position(), static_cast<size_t>(size) - block.position()),
        num_features, &consumed);
    if (!tree.is_ok()) return tree.status();
    trees->push_back(std::move(tree).value());
    start += static_cast<size_t>(size);
  }
  reader->seek(start);
  return Status::ok();
}

}  // namespace

Result<GbdtModelData> parse_model_text(std::string_view text) {
  LineReader reader(text);
  std::map<std::string, std::string, std::less<>> header;
  // Header: key=value lines up to the first tree. A key without '=' (e.g. the first line
  // "tree" or "average_output") is recorded with an empty value.
  while (!reader.done()) {
    const std::string_view line = reader.peek();
    if (starts_with(line, "Tree=") || line == "end of trees") break;
    reader.next();
    if (line.empty()) continue;
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      header.emplace(std::string(line), "");
    } else {
      header.emplace(std::string(line.substr(0, equals)), std::string(line.substr(equals + 1)));
    }
  }
  if (header.count("average_output") > 0) {
    return model_error("random forest mode (average_output) is not supported");
  }
  GbdtModelData data;
  TRAIND_RETURN_IF_ERROR(read_header_int(header, "num_class", true, 1, &data.num_class));
  TRAIND_RETURN_IF_ERROR(read_header_int(header, "num_tree_per_iteration", false, data.num_class,
                                         &data.num_tree_per_iteration));
  TRAIND_RETURN_IF_ERROR(read_header_int(header, "label_index", true, 0, &data.label_index));
  TRAIND_RETURN_IF_ERROR(
      read_header_int(header, "max_feature_idx", true, 0, &data.max_feature_idx));
  if (data.num_class < 1 || data.num_tree_per_iteration < 1) {
    return model_error("num_class and num_tree_per_iteration must be at least 1");
  }
  const int num_features = data.max_feature_idx + 1;
  const auto names = header.find("feature_names");
  if (names == header.end()) return model_error("no feature_names= line");
  data.feature_names = split_words(names->second);
  if (static_cast<int>(data.feature_names.size()) != num_features) {
    return model_error("feature_names has " + std::to_string(data.feature_names.size()) +
                       " names for max_feature_idx=" + std::to_string(data.max_feature_idx));
  }
  const auto infos = header.find("feature_infos");
  if (infos == header.end()) return model_error("no feature_infos= line");
  data.feature_infos = split_words(infos->second);
  if (static_cast<int>(data.feature_infos.size()) != num_features) {
    return model_error("feature_infos does not have one entry per feature");
  }
  const auto objective = header.find("objective");
  if (objective != header.end()) data.objective = objective->second;

  TRAIND_RETURN_IF_ERROR(read_trees(text, &reader, header, num_features, &data.trees));
  if (data.trees.size() % static_cast<size_t>(data.num_tree_per_iteration) != 0) {
    return model_error("the number of trees is not a multiple of num_tree_per_iteration");
  }

  // After the trees: the parameters section kept verbatim, and the pandas line.
  while (!reader.done()) {
    const std::string_view line = reader.next();
    if (line == kParametersStart) {
      const size_t begin = reader.position();
      size_t end = begin;
      while (!reader.done()) {
        end = reader.position();
        if (reader.next() == kParametersEnd) break;
        end = reader.position();
      }
      data.parameters = std::string(text.substr(begin, end - begin));
    } else if (line == kPandasLine) {
      data.has_pandas_categorical_line = true;
    }
  }
  data.iterations_trained = static_cast<int>(data.trees.size()) / data.num_tree_per_iteration;
  return data;
}

std::vector<double> compute_feature_importance(const GbdtModelData& data, GbdtImportanceType type,
                                               int num_iterations) {
  size_t num_trees = data.trees.size();
  if (num_iterations > 0) {
    num_trees = std::min(num_trees, static_cast<size_t>(num_iterations) *
                                        static_cast<size_t>(data.num_tree_per_iteration));
  }
  std::vector<double> importance(static_cast<size_t>(data.max_feature_idx) + 1, 0.0);
  for (size_t t = 0; t < num_trees; ++t) {
    const Tree& tree = data.trees[t];
    for (int node = 0; node + 1 < tree.num_leaves; ++node) {
      const int feature = tree.split_feature[node];
      // Loaded trees were checked; the guard keeps a writer of bad data from corrupting memory.
      if (feature < 0 || feature >= static_cast<int>(importance.size())) continue;
      if (tree.split_gain[node] > 0) {
        importance[feature] +=
            type == GbdtImportanceType::kSplit ? 1.0 : static_cast<double>(tree.split_gain[node]);
      }
    }
  }
  return importance;
}

std::string write_model_text(const GbdtModelData& data) {
  std::string out;
  out += "tree\nversion=v4\n";
  out += "num_class=" + std::to_string(data.num_class) + '\n';
  out += "num_tree_per_iteration=" + std::to_string(data.num_tree_per_iteration) + '\n';
  out += "label_index=" + std::to_string(data.label_index) + '\n';
  out += "max_feature_idx=" + std::to_string(data.max_feature_idx) + '\n';
  if (!data.objective.empty()) out += "objective=" + data.objective + '\n';
  auto join = [](const std::vector<std::string>& words) {
    std::string joined;
    for (size_t i = 0; i < words.size(); ++i) {
      if (i > 0) joined += ' ';
      joined += words[i];
    }
    return joined;
  };
  out += "feature_names=" + join(data.feature_names) + '\n';
  out += "feature_infos=" + join(data.feature_infos) + '\n';

  std::vector<std::string> blocks;
  blocks.reserve(data.trees.size());
  std::string sizes;
  for (size_t i = 0; i < data.trees.size(); ++i) {
    blocks.push_back(format_tree_block(data.trees[i], static_cast<int>(i)));
    if (i > 0) sizes += ' ';
    sizes += std::to_string(blocks.back().size());
  }
  out += "tree_sizes=" + sizes + "\n\n";
  for (const std::string& block : blocks) out += block;
  out += "end of trees\n";

  // Split counts truncated to integers, largest first; ties keep feature order.
  const std::vector<double> importance =
      compute_feature_importance(data, GbdtImportanceType::kSplit, -1);
  std::vector<std::pair<size_t, size_t>> ranked;  // (count, feature)
  for (size_t f = 0; f < importance.size(); ++f) {
    const size_t count = static_cast<size_t>(importance[f]);
    if (count > 0) ranked.emplace_back(count, f);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  out += "\nfeature_importances:\n";
  for (const auto& [count, feature] : ranked) {
    out += data.feature_names[feature] + '=' + std::to_string(count) + '\n';
  }
  if (!data.parameters.empty()) {
    out += "\nparameters:\n";
    out += data.parameters;
    out += "end of parameters\n";
  }
  if (data.has_pandas_categorical_line) out += "\npandas_categorical:null\n";
  return out;
}

}  // namespace traind::engines::trees::detail
