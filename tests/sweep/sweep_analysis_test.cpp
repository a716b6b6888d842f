// The cross-run analyses of a report, against hand computations: information gain over k with
// its elbow, and seed stability by matched archetype distance.
#include <gtest/gtest.h>

#include <cmath>

#include "framework/sweep/analysis.hpp"

namespace {

TEST(InformationGain, GainsAndElbowByHand) {
  // Unsorted input; errors 100, 60, 30, 28.5 for k = 2..5.
  const auto g = kaa::sweep::information_gain({{4, 30.0}, {2, 100.0}, {5, 28.5}, {3, 60.0}});
  ASSERT_EQ(g.ks, (std::vector<long long>{2, 3, 4, 5}));
  EXPECT_TRUE(std::isnan(g.gains[0]));
  EXPECT_DOUBLE_EQ(g.gains[1], 0.4);   // (100 - 60) / 100
  EXPECT_DOUBLE_EQ(g.gains[2], 0.5);   // (60 - 30) / 60
  EXPECT_DOUBLE_EQ(g.gains[3], 0.05);  // (30 - 28.5) / 30
  // Gain differences: 0.5 - 0.4 = 0.1 (after k=3), 0.05 - 0.5 = -0.45 (after k=4): the gain
  // collapses after k = 4, the elbow. archetypax's rule names the next k.
  ASSERT_TRUE(g.elbow_k.has_value());
  EXPECT_EQ(*g.elbow_k, 4);
  EXPECT_EQ(*g.elbow_k_archetypax, 5);
}

TEST(InformationGain, TiesTakeTheFirstAndTooFewKsHaveNoElbow) {
  // Gains 0.5, 0.25, 0 (drops -0.25, -0.25): the first drop wins, as numpy's argmin.
  const auto g = kaa::sweep::information_gain({{1, 8.0}, {2, 4.0}, {3, 3.0}, {4, 3.0}});
  EXPECT_DOUBLE_EQ(g.gains[3], 0.0);
  EXPECT_EQ(*g.elbow_k, 2);
  EXPECT_EQ(*g.elbow_k_archetypax, 3);
  EXPECT_FALSE(kaa::sweep::information_gain({{2, 5.0}, {3, 4.0}}).elbow_k.has_value());
  // A zero error cannot be divided by: the gain after it is 0, not NaN.
  EXPECT_EQ(kaa::sweep::information_gain({{2, 0.0}, {3, 0.0}}).gains[1], 0.0);
}

kaa::HostMatrix rows(std::vector<std::vector<double>> r) {
  kaa::HostMatrix m(r.size(), r[0].size());
  for (std::size_t i = 0; i < r.size(); ++i)
    for (std::size_t j = 0; j < r[i].size(); ++j) m(i, j) = r[i][j];
  return m;
}

TEST(SeedStability, MatchedDistanceIgnoresTheOrderOfArchetypes) {
  const auto a = rows({{0, 0}, {10, 0}, {0, 10}});
  const auto b = rows({{0, 10.5}, {0, 0.5}, {10, 0.5}});  // a permuted, shifted by 0.5
  const auto c = rows({{0, 0}, {10, 0}, {3, 14}});        // one archetype 5 away
  const auto d = kaa::sweep::pairwise_matched_distances({a, b, c});
  ASSERT_EQ(d.size(), 3u);  // pairs (a,b), (a,c), (b,c)
  EXPECT_NEAR(d[0], 0.5, 1e-12);
  EXPECT_NEAR(d[1], 5.0 / 3.0, 1e-12);
  // b to c: 0.5, 0.5 and |(0,10.5) - (3,14)| = sqrt(9 + 12.25).
  EXPECT_NEAR(d[2], (1.0 + std::sqrt(21.25)) / 3.0, 1e-12);
  EXPECT_TRUE(kaa::sweep::pairwise_matched_distances({a}).empty());
  EXPECT_TRUE(kaa::sweep::pairwise_matched_distances({a, rows({{1, 1}})}).empty())
      << "different k: not comparable";
}

}  // namespace
