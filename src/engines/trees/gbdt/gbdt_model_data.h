// GbdtModelData: everything a GbdtModel holds, shared by training (which fills it), the text
// model reader/writer and prediction.
#pragma once

#include <string>
#include <vector>

#include "engines/trees/gbdt/tree.h"

namespace traind::engines::trees::detail {

struct GbdtModelData {
  int num_class = 1;
  int num_tree_per_iteration = 1;
  int label_index = 0;
  int max_feature_idx = 0;                 // number of input columns - 1
  std::string objective;                   // the file's objective= line, e.g. "binary sigmoid:1"
  std::vector<std::string> feature_names;  // one per input column
  std::vector<std::string> feature_infos;  // "[min:max]", "-1:c1:c2…" or "none", per column
  std::vector<Tree> trees;                 // iteration-major: tree i*K+k is class k of iter i
  // The parameters section between "parameters:" and "end of parameters", without those two
  // lines, exactly as written; empty = the file has no parameters section.
  std::string parameters;
  bool has_pandas_categorical_line = false;  // the Python package's trailing line
  // Not in the file: what training learnt about itself.
  int iterations_trained = 0;
  int best_iteration = 0;
};

}  // namespace traind::engines::trees::detail
