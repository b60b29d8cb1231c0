// How configuration problems are worded: offending values, name suggestions, lists, and
// the kInvalidConfig Status that carries every problem at once.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace traind::train {

// A value as a message shows it: compact JSON, cut short when long ("abc" keeps quotes).
std::string value_preview(const nlohmann::json& value);

// A number without a trailing ".0" for whole values (0.2 -> "0.2", 1.0 -> "1").
std::string format_bound(double value);

// The candidate closest to `wrong` by edit distance (case-insensitive), when it is close
// enough to be a likely typo; nullopt otherwise.
std::optional<std::string> closest_name(const std::string& wrong,
                                        const std::vector<std::string>& candidates);

// "a, b, c".
std::string join_names(const std::vector<std::string>& names);

// kInvalidConfig with every problem as a detail. The message is the single problem's
// sentence, or "the training configuration has N problems" when there are several.
Status invalid_config(std::vector<ErrorDetail> problems);

}  // namespace traind::train
