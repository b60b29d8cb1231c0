// One `Tree=<i>` block of LightGBM's text model format: writing (Tree::ToString) and reading
// (the Tree(const char*) constructor), with the checks a loader needs on untrusted files.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "engines/trees/gbdt/tree.h"

namespace traind::engines::trees::detail {

// "Tree=<index>\n" + the key lines + two blank lines: exactly the bytes LightGBM writes and
// counts in `tree_sizes`.
std::string format_tree_block(const Tree& tree, int index);

// Parses the key lines of one tree (starting after the "Tree=<i>" line) up to the first
// blank line or the end of `text`; `*consumed` receives the bytes read. `num_features`
// bounds split_feature.
Result<Tree> parse_tree(std::string_view text, int num_features, size_t* consumed);

}  // namespace traind::engines::trees::detail
