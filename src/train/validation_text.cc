// Wording of configuration problems.
#include "train/validation_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace traind::train {
namespace {

constexpr size_t kMaxPreviewChars = 80;

std::string lowercase(const std::string& s) {
  std::string out = s;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Optimal string alignment distance: a swap of two neighbours ("max_detph") counts once.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string value_preview(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > kMaxPreviewChars) text = text.substr(0, kMaxPreviewChars - 3) + "...";
  return text;
}

std::string format_bound(double value) {
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<int64_t>(value));
  }
  return fmt::format("{}", value);
}

std::optional<std::string> closest_name(const std::string& wrong,
                                        const std::vector<std::string>& candidates) {
  const std::string needle = lowercase(wrong);
  // Up to a third of the name, 2..3 edits ("churn" -> "churned", "max_dept" -> "max_depth"),
  // only 1 for very short names so that "foo" suggests nothing rather than an unrelated field.
  const size_t limit = needle.size() <= 3 ? 1 : std::clamp<size_t>(needle.size() / 3, 2, 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    size_t distance = edit_distance(needle, lowercase(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  if (best || needle.size() < 4) return best;
  // A truncated name ("contract" for "contract_type"): the shortest candidate it starts.
  for (const std::string& candidate : candidates) {
    if (lowercase(candidate).rfind(needle, 0) == 0 && (!best || candidate.size() < best->size())) {
      best = candidate;
    }
  }
  return best;
}

std::string join_names(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

Status invalid_config(std::vector<ErrorDetail> problems) {
  // The same problem can be found twice (e.g. by the schema and by a later check).
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<ErrorDetail> unique;
  for (ErrorDetail& d : problems) {
    if (seen.insert({d.path, d.message}).second) unique.push_back(std::move(d));
  }
  std::string message;
  if (unique.size() == 1) {
    const ErrorDetail& only = unique.front();
    message = only.path.empty() ? "invalid training configuration: " + only.message
                                : fmt::format("invalid training configuration at {}: {}", only.path,
                                              only.message);
  } else {
    message = fmt::format("the training configuration has {} problems; see details", unique.size());
  }
  return Status(ErrorCode::kInvalidConfig, std::move(message), std::move(unique));
}

}  // namespace traind::train
