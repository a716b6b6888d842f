// Archetype matching against brute force over every injective assignment, plus exact cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "framework/analysis/hungarian.hpp"
#include "framework/error.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::gaussian_matrix;

using kaa::HostMatrix;
using kaa::analysis::match_archetypes;

double distance(const HostMatrix& a, std::size_t i, const HostMatrix& b, std::size_t j) {
  double s = 0;
  for (std::size_t f = 0; f < a.cols; ++f) s += (a(i, f) - b(j, f)) * (a(i, f) - b(j, f));
  return std::sqrt(s);
}

// Smallest total distance over all injective maps rows(a) -> rows(b): every permutation of b's
// rows, of which the first rows(a) entries are used.
double brute_force_total(const HostMatrix& a, const HostMatrix& b) {
  std::vector<std::size_t> perm(b.rows);
  std::iota(perm.begin(), perm.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do {
    double total = 0;
    for (std::size_t i = 0; i < a.rows; ++i) total += distance(a, i, b, perm[i]);
    best = std::min(best, total);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

// Checks the matching is injective, its distances and summaries are consistent, and returns its
// total.
double checked_total(const kaa::analysis::Matching& m, const HostMatrix& a, const HostMatrix& b) {
  EXPECT_EQ(m.assignment.size(), a.rows);
  EXPECT_EQ(m.distances.size(), a.rows);
  std::vector<char> used(b.rows, 0);
  double total = 0, largest = 0;
  for (std::size_t i = 0; i < a.rows; ++i) {
    EXPECT_LT(m.assignment[i], b.rows);
    EXPECT_FALSE(used[m.assignment[i]]) << "row " << m.assignment[i] << " of b used twice";
    used[m.assignment[i]] = 1;
    EXPECT_NEAR(m.distances[i], distance(a, i, b, m.assignment[i]), 1e-12);
    total += m.distances[i];
    largest = std::max(largest, m.distances[i]);
  }
  EXPECT_NEAR(m.mean_distance, total / static_cast<double>(a.rows), 1e-12);
  EXPECT_DOUBLE_EQ(m.max_distance, largest);
  return total;
}

// Random Gaussian rows: ties have probability zero, so the optimum is unique and the totals must
// agree to rounding (1e-10 absolute on totals of order 10).
TEST(HungarianMatching, SquareAgreesWithBruteForce) {
  std::mt19937_64 rng(7);
  for (std::size_t k = 1; k <= 7; ++k) {
    for (int trial = 0; trial < 6; ++trial) {
      const HostMatrix a = gaussian_matrix(k, 3, rng), b = gaussian_matrix(k, 3, rng);
      const auto m = match_archetypes(a, b);
      EXPECT_NEAR(checked_total(m, a, b), brute_force_total(a, b), 1e-10) << "k=" << k;
    }
  }
}

TEST(HungarianMatching, RectangularAgreesWithBruteForce) {
  std::mt19937_64 rng(11);
  for (std::size_t kb = 1; kb <= 7; ++kb) {
    for (std::size_t ka = 0; ka <= kb; ++ka) {
      for (int trial = 0; trial < 3; ++trial) {
        const HostMatrix a = gaussian_matrix(ka, 2, rng), b = gaussian_matrix(kb, 2, rng);
        const auto m = match_archetypes(a, b);
        if (ka == 0) {
          EXPECT_TRUE(m.assignment.empty());
          EXPECT_EQ(m.mean_distance, 0.0);
          EXPECT_EQ(m.max_distance, 0.0);
          continue;
        }
        EXPECT_NEAR(checked_total(m, a, b), brute_force_total(a, b), 1e-10)
            << "ka=" << ka << " kb=" << kb;
      }
    }
  }
}

// Greedy nearest-first matching fails here: a0 = 0 is nearest b1 = 1 (distance 1), leaving
// a1 = 2 for b0 = -1 (3): total 4. The optimum pairs a0-b0 (1) and a1-b1 (1): total 2.
TEST(HungarianMatching, BeatsGreedyOnAHandCase) {
  HostMatrix a(2, 1), b(2, 1);
  a.values = {0, 2};
  b.values = {-1, 1};
  const auto m = match_archetypes(a, b);
  EXPECT_EQ(m.assignment, (std::vector<std::size_t>{0, 1}));
  EXPECT_DOUBLE_EQ(m.mean_distance, 1.0);
  EXPECT_DOUBLE_EQ(m.max_distance, 1.0);
}

// A permuted, shifted copy: the permutation is recovered and every distance is the shift's norm.
TEST(HungarianMatching, RecoversAPermutation) {
  std::mt19937_64 rng(3);
  const HostMatrix b = gaussian_matrix(6, 4, rng);
  const std::vector<std::size_t> perm = {4, 0, 5, 2, 1, 3};
  HostMatrix a(6, 4);
  for (std::size_t i = 0; i < 6; ++i)
    for (std::size_t f = 0; f < 4; ++f) a(i, f) = b(perm[i], f) + (f == 1 ? 1e-3 : 0.0);
  const auto m = match_archetypes(a, b);
  EXPECT_EQ(m.assignment, perm);
  for (double dist : m.distances) EXPECT_NEAR(dist, 1e-3, 1e-12);
}

// Two of five rows of b: each row of a sits 0.5 from one row of b, far from the rest.
TEST(HungarianMatching, FewerRowsThanTargets) {
  HostMatrix a(2, 2), b(5, 2);
  a.values = {10.5, 0, 0, 20.5};
  b.values = {0, 0, 0, 20, 10, 0, 30, 30, -5, 5};
  const auto m = match_archetypes(a, b);
  EXPECT_EQ(m.assignment, (std::vector<std::size_t>{2, 1}));
  EXPECT_DOUBLE_EQ(m.mean_distance, 0.5);
  EXPECT_DOUBLE_EQ(m.max_distance, 0.5);
}

TEST(HungarianMatching, RejectsBadInput) {
  HostMatrix big(3, 2), small(2, 2), other(3, 4);
  EXPECT_THROW(match_archetypes(big, small), kaa::Error);
  EXPECT_THROW(match_archetypes(small, other), kaa::Error);
  small(1, 1) = std::nan("");
  EXPECT_THROW(match_archetypes(small, big), kaa::Error);
}

}  // namespace
