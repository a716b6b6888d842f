// Hungarian matching against brute force over every permutation.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "framework/analysis/hungarian.hpp"
#include "framework/error.hpp"

namespace {

double brute_force(const kaa::HostMatrix& cost) {
  std::vector<std::size_t> cols(cost.cols);
  std::iota(cols.begin(), cols.end(), 0);
  double best = 1e300;
  // Every ordered choice of distinct columns for the rows: permutations of all columns, taking
  // the first `rows` of each.
  do {
    double s = 0;
    for (std::size_t i = 0; i < cost.rows; ++i) s += cost(i, cols[i]);
    best = std::min(best, s);
  } while (std::next_permutation(cols.begin(), cols.end()));
  return best;
}

TEST(Hungarian, MatchesBruteForceOnRandomSquareAndRectangularCosts) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.0, 10.0);
  for (std::size_t rows = 1; rows <= 7; ++rows) {
    for (std::size_t extra : {0u, 1u, 2u}) {
      if (rows + extra > 8) continue;
      kaa::HostMatrix cost(rows, rows + extra);
      for (double& v : cost.values) v = u(rng);
      const auto a = kaa::analysis::min_cost_assignment(cost);
      double s = 0;
      std::vector<bool> used(cost.cols, false);
      for (std::size_t i = 0; i < rows; ++i) {
        ASSERT_LT(a[i], cost.cols);
        EXPECT_FALSE(used[a[i]]) << "column used twice";
        used[a[i]] = true;
        s += cost(i, a[i]);
      }
      EXPECT_NEAR(s, brute_force(cost), 1e-9) << rows << " x " << rows + extra;
    }
  }
}

TEST(Hungarian, MatchArchetypesUndoesAPermutation) {
  kaa::HostMatrix a(3, 2), b(3, 2);
  a.values = {0, 0, 1, 0, 0, 1};
  b.values = {0, 1, 0, 0, 1, 0};
  const auto m = kaa::analysis::match_archetypes(a, b);
  EXPECT_EQ(m.assignment, (std::vector<std::size_t>{1, 2, 0}));
  EXPECT_DOUBLE_EQ(m.mean_distance, 0.0);
}

TEST(Hungarian, MoreRowsThanColumnsIsAnError) {
  kaa::HostMatrix cost(3, 2);
  EXPECT_THROW(kaa::analysis::min_cost_assignment(cost), kaa::InputError);
}

}  // namespace
