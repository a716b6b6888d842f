// furthest_sum against a brute-force FurthestSum (sums of distances recomputed from scratch at
// every pass) and against geometry: on points in convex position plus interior points it picks
// extreme points only.
#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <random>
#include <set>
#include <vector>

#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "strategies/initializers/furthest_sum.hpp"

#include "tests/strategies/make_strategy.hpp"

namespace {

using kaa_test::make;

double distance(const kaa::HostMatrix& X, std::size_t a, std::size_t b) {
  double s = 0;
  for (std::size_t f = 0; f < X.cols; ++f) s += (X(a, f) - X(b, f)) * (X(a, f) - X(b, f));
  return std::sqrt(s);
}

/// Mørup & Hansen's loop, written out directly: k - 1 additions, then `replacements` passes that
/// drop the oldest choice and add the row with the largest sum of distances to the set.
std::vector<std::size_t> brute_force(const kaa::HostMatrix& X, std::size_t k, std::size_t start,
                                     std::size_t replacements) {
  std::deque<std::size_t> set{start};
  const std::size_t passes = k > 1 ? k - 1 + replacements : 0;
  for (std::size_t pass = 1; pass <= passes; ++pass) {
    if (pass >= k) set.pop_front();
    std::size_t best = X.rows;
    double best_sum = -1;
    for (std::size_t i = 0; i < X.rows; ++i) {
      bool chosen = false;
      for (std::size_t c : set) chosen = chosen || c == i;
      if (chosen) continue;
      double sum = 0;
      for (std::size_t c : set) sum += distance(X, i, c);
      if (sum > best_sum) {
        best_sum = sum;
        best = i;
      }
    }
    set.push_back(best);
  }
  return {set.begin(), set.end()};
}

TEST(FurthestSum, MatchesBruteForce) {
  std::mt19937_64 rng(17);
  std::normal_distribution<double> g(0.0, 1.0);
  for (std::size_t k : {1u, 2u, 3u, 5u, 8u}) {
    for (int replacements : {0, 11}) {
      SCOPED_TRACE("k = " + std::to_string(k) + ", replacements = " + std::to_string(replacements));
      kaa::HostMatrix X(120, 4);
      for (auto& v : X.values) v = g(rng);
      auto init = make<kaa::strategies::FurthestSum, double>({{"replacements", replacements}});
      kaa::Parameters<double> params = kaa::allocate_parameters<double>(
          "p",
          kaa::BlockShape{X.rows, X.cols, k, 0, kaa::kBaseBlocks | kaa::bit(kaa::Block::mixing)});
      const std::uint64_t seed = 99 + k;
      init.initialize(kaa::to_device<double>(X, "X"), params, seed);
      const std::size_t start =
          static_cast<std::size_t>(kaa::kernels::uniform01(seed, 1, 0) * X.rows);
      EXPECT_EQ(init.chosen(), brute_force(X, k, start, replacements));

      // Archetypes are the chosen rows; mixing weights are one-hot on them.
      const kaa::HostMatrix Z = kaa::to_host(params.archetypes), B = kaa::to_host(params.mixing);
      for (std::size_t j = 0; j < k; ++j) {
        for (std::size_t f = 0; f < X.cols; ++f) EXPECT_EQ(Z(j, f), X(init.chosen()[j], f));
        for (std::size_t i = 0; i < X.rows; ++i)
          EXPECT_EQ(B(j, i), i == init.chosen()[j] ? 1.0 : 0.0);
      }
    }
  }
}

TEST(FurthestSum, PicksExtremePointsOfConvexData) {
  // The vertices of a regular pentagon (rows 0-4) among 200 points inside it: a sum of distances
  // is convex, so its maximum over the points is at a vertex, whatever the start.
  const std::size_t n = 205, k = 5;
  kaa::HostMatrix X(n, 2);
  const double pi = std::acos(-1.0);
  for (std::size_t v = 0; v < 5; ++v) {
    X(v, 0) = std::cos(2 * pi * v / 5);
    X(v, 1) = std::sin(2 * pi * v / 5);
  }
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t i = 5; i < n; ++i) {  // random convex combinations of the vertices
    double w[5], s = 0;
    for (double& x : w) s += x = -std::log(u(rng) + 1e-300);
    X(i, 0) = X(i, 1) = 0;
    for (std::size_t v = 0; v < 5; ++v) {
      X(i, 0) += w[v] / s * X(v, 0);
      X(i, 1) += w[v] / s * X(v, 1);
    }
  }
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    auto init = make<kaa::strategies::FurthestSum, double>();
    auto params = kaa::allocate_parameters<double>("p", n, k, 2);
    init.initialize(kaa::to_device<double>(X, "X"), params, seed);
    const std::set<std::size_t> chosen(init.chosen().begin(), init.chosen().end());
    EXPECT_EQ(chosen, (std::set<std::size_t>{0, 1, 2, 3, 4})) << "seed " << seed;
  }
}

TEST(FurthestSum, TooManyArchetypesIsAnError) {
  auto init = make<kaa::strategies::FurthestSum, double>();
  auto params = kaa::allocate_parameters<double>("p", 3, 4, 2);
  EXPECT_THROW(init.initialize(kaa::to_device<double>(kaa::HostMatrix(3, 2), "X"), params, 1),
               kaa::Error);
}

}  // namespace
