// Permutation importance: a column the model reads loses score when shuffled, one it
// ignores does not; grouped columns are shuffled together; text columns count too.
#include "algorithms/permutation_importance.h"

#include <gtest/gtest.h>

namespace traind::algorithms {
namespace {

// Class 1 when x[0] > 0, or, with `use_text`, when the row's first text is "yes".
class ThresholdModel final : public Model {
 public:
  explicit ThresholdModel(bool use_text) : use_text_(use_text) {}
  Result<std::vector<double>> predict(const Matrix& x) const override {
    std::vector<double> p;
    for (size_t r = 0; r < x.rows; ++r) {
      const bool one = use_text_ ? x.texts[0].values[r] == "yes" : x.row(r)[0] > 0;
      p.push_back(one ? 0.0 : 1.0);
      p.push_back(one ? 1.0 : 0.0);
    }
    return p;
  }
  std::vector<double> feature_importance() const override { return {}; }
  std::string importance_type() const override { return "permutation"; }
  Status save(const std::string&) const override { return Status::ok(); }
  std::string artifact_file() const override { return ""; }
  nlohmann::json metadata() const override { return nlohmann::json::object(); }

 private:
  bool use_text_;
};

Dataset alternating(size_t n) {
  Dataset d;
  d.x.rows = n;
  d.x.cols = 2;
  d.x.texts.push_back({"note", {}});
  for (size_t r = 0; r < n; ++r) {
    const bool one = r % 2 == 1;
    d.x.values.push_back(one ? 1.0f : -1.0f);     // read by the model
    d.x.values.push_back(static_cast<float>(r));  // ignored
    d.x.texts[0].values.push_back(one ? "yes" : "no");
    d.y.push_back(one ? 1.0f : 0.0f);
  }
  return d;
}

TEST(PermutationImportance, ScoresTheColumnTheModelReads) {
  const Dataset d = alternating(200);
  auto imp = permutation_importance(ThresholdModel(false), d, {.seed = 1});
  ASSERT_TRUE(imp.is_ok()) << imp.status().to_string();
  ASSERT_EQ(imp->size(), 3u);  // two columns, one text column
  EXPECT_GT((*imp)[0], 0.3);
  EXPECT_EQ((*imp)[1], 0.0);
  EXPECT_EQ((*imp)[2], 0.0);
}

TEST(PermutationImportance, ShufflesTextColumnsAndGroups) {
  const Dataset d = alternating(200);
  auto text = permutation_importance(ThresholdModel(true), d, {.seed = 1});
  ASSERT_TRUE(text.is_ok());
  EXPECT_EQ((*text)[0], 0.0);
  EXPECT_GT((*text)[2], 0.3);

  // Columns 0 and 1 as one group: the group's importance goes to its first member.
  auto grouped = permutation_importance(ThresholdModel(false), d, {.seed = 1, .groups = {5, 5, 7}});
  ASSERT_TRUE(grouped.is_ok());
  EXPECT_GT((*grouped)[0], 0.3);
  EXPECT_EQ((*grouped)[1], 0.0);

  auto wrong = permutation_importance(ThresholdModel(false), d, {.groups = {0, 1}});
  EXPECT_FALSE(wrong.is_ok());
}

}  // namespace
}  // namespace traind::algorithms
