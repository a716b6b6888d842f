// Projectors against independent host computations: the clamp formula, a sort-based Euclidean
// simplex projection, and a brute-force full sort for the k nearest neighbours.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "framework/host_transfer.hpp"
#include "strategies/projectors/knn_hull.hpp"
#include "strategies/projectors/simplex_clamp.hpp"
#include "strategies/projectors/simplex_euclidean.hpp"

#include "tests/strategies/make_strategy.hpp"

namespace {

using nlohmann::json;

using kaa_test::make;

// ---------------------------------------------------------------------------------------------
// simplex_clamp

TEST(SimplexClamp, FloatRowsAreClampedAndRenormalised) {
  const double eps = 1e-3;  // large enough for the floor to be visible in float
  auto proj = make<kaa::strategies::SimplexClamp, float>({{"eps", eps}});
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-1.0, 2.0);
  const std::size_t n = 40, k = 5;
  kaa::HostMatrix W(n, k);
  for (auto& v : W.values) v = u(rng);
  for (std::size_t j = 0; j < k; ++j) W(0, j) = -1.0;  // every entry clamped: uniform result
  W(1, 0) = 0.2, W(1, 1) = -0.5, W(1, 2) = 0.3, W(1, 3) = 0.0, W(1, 4) = 1e-5;  // sum < 1
  auto block = kaa::to_device<float>(W, "W");
  const kaa::Matrix<float> none;
  proj.project(block, none);
  const kaa::HostMatrix out = kaa::to_host(block);

  for (std::size_t i = 0; i < n; ++i) {
    double clamped_sum = 0, sum = 0;
    for (std::size_t j = 0; j < k; ++j) clamped_sum += std::max(eps, W(i, j));
    for (std::size_t j = 0; j < k; ++j) {
      // Host formula max(eps, w) / sum; float rounding of a few operations: 1e-6 relative.
      const double expected = std::max(eps, W(i, j)) / std::max(eps, clamped_sum);
      EXPECT_NEAR(out(i, j), expected, 1e-6 * expected) << i << "," << j;
      // The floor: max(eps, w) >= eps, divided by the clamped row sum (so >= eps only when that
      // sum is <= 1; archetypax's formula has the same property).
      EXPECT_GE(out(i, j), (1 - 1e-6) * eps / clamped_sum) << i << "," << j;
      if (clamped_sum <= 1) {
        EXPECT_GE(out(i, j), (1 - 1e-6) * eps) << i << "," << j;
      }
      sum += out(i, j);
    }
    EXPECT_NEAR(sum, 1.0, 1e-6) << "row " << i;
  }
  for (std::size_t j = 0; j < k; ++j) EXPECT_NEAR(out(0, j), 1.0 / k, 1e-7);
  EXPECT_NEAR(out(1, 1), eps / (0.5 + 3 * eps), 1e-6 * out(1, 1));  // 3 entries floored
}

// ---------------------------------------------------------------------------------------------
// simplex_euclidean

/// Sort-based Euclidean projection onto the simplex (Held, Wolfe & Crowder 1974; Duchi et al.
/// 2008): u sorted descending, rho = max{j : u_j - (sum_{r<=j} u_r - 1) / j > 0},
/// tau = (sum_{r<=rho} u_r - 1) / rho, w = max(v - tau, 0).
std::vector<double> sort_projection(const std::vector<double>& v) {
  std::vector<double> u = v;
  std::sort(u.begin(), u.end(), std::greater<double>());
  double cumulative = 0, tau = 0;
  for (std::size_t j = 0; j < u.size(); ++j) {
    cumulative += u[j];
    const double t = (cumulative - 1.0) / static_cast<double>(j + 1);
    if (u[j] - t > 0) tau = t;
  }
  std::vector<double> w(v.size());
  for (std::size_t j = 0; j < v.size(); ++j) w[j] = std::max(v[j] - tau, 0.0);
  return w;
}

kaa::HostMatrix euclidean_rows(std::size_t k, std::uint64_t seed, std::size_t& first_feasible) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-2.0, 2.0), pos(0.0, 1.0);
  const std::size_t random_rows = 40, feasible_rows = 10;
  kaa::HostMatrix W(random_rows + feasible_rows + 2, k);
  for (std::size_t i = 0; i < random_rows; ++i)
    for (std::size_t j = 0; j < k; ++j) W(i, j) = (i % 4 == 0 ? 50.0 : 1.0) * u(rng);
  first_feasible = random_rows;
  for (std::size_t i = random_rows; i < random_rows + feasible_rows; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < k; ++j) s += W(i, j) = (j == i % k ? 0.0 : pos(rng));
    if (s == 0) W(i, 0) = s = 1;  // k == 1
    for (std::size_t j = 0; j < k; ++j) W(i, j) /= s;
  }
  W(random_rows + feasible_rows, 0) = 1.0;  // a vertex (feasible)
  for (std::size_t j = 0; j < k; ++j) W(random_rows + feasible_rows + 1, j) = 0.25;  // ties
  return W;
}

TEST(SimplexEuclidean, MatchesSortBasedProjectionAndKeepsFeasibleRows) {
  auto proj = make<kaa::strategies::SimplexEuclidean, double>();
  const kaa::Matrix<double> none;
  for (std::size_t k : {1u, 2u, 3u, 5u, 8u}) {
    SCOPED_TRACE("k = " + std::to_string(k));
    std::size_t first_feasible = 0;
    const kaa::HostMatrix W = euclidean_rows(k, 100 + k, first_feasible);
    auto block = kaa::to_device<double>(W, "W");
    proj.project(block, none);
    const kaa::HostMatrix out = kaa::to_host(block);
    for (std::size_t i = 0; i < W.rows; ++i) {
      const std::vector<double> row(W.values.begin() + i * k, W.values.begin() + (i + 1) * k);
      const std::vector<double> expected = sort_projection(row);
      double sum = 0;
      for (std::size_t j = 0; j < k; ++j) {
        // Entries up to 100 in magnitude, a few operations each: 1e-12 absolute.
        EXPECT_NEAR(out(i, j), expected[j], 1e-12) << i << "," << j;
        EXPECT_GE(out(i, j), 0.0);
        sum += out(i, j);
        // A feasible row is its own projection.
        if (i >= first_feasible && i != W.rows - 1) {
          EXPECT_NEAR(out(i, j), W(i, j), 1e-12);
        }
      }
      EXPECT_NEAR(sum, 1.0, 1e-12) << "row " << i;
    }
  }
}

TEST(SimplexEuclidean, IsIdempotent) {
  auto proj = make<kaa::strategies::SimplexEuclidean, double>();
  const kaa::Matrix<double> none;
  std::size_t first_feasible = 0;
  const kaa::HostMatrix W = euclidean_rows(6, 7, first_feasible);
  auto block = kaa::to_device<double>(W, "W");
  proj.project(block, none);
  const kaa::HostMatrix once = kaa::to_host(block);
  proj.project(block, none);
  const kaa::HostMatrix twice = kaa::to_host(block);
  for (std::size_t e = 0; e < once.values.size(); ++e)
    EXPECT_NEAR(twice.values[e], once.values[e], 1e-15) << e;  // only the rounding of tau ~ 0
}

// ---------------------------------------------------------------------------------------------
// knn_hull

/// Data of n points in 3-D where every 4th row duplicates an earlier row (exact distance ties),
/// and archetypes: two equal to data rows that have a duplicate, the rest random.
struct KnnProblem {
  kaa::HostMatrix X, Z;
};

KnnProblem knn_problem(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const std::size_t d = 3, k = 4;
  KnnProblem p{kaa::HostMatrix(n, d), kaa::HostMatrix(k, d)};
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t source = (i % 4 == 3) ? static_cast<std::size_t>(rng() % i) : i;
    for (std::size_t f = 0; f < d; ++f) p.X(i, f) = source == i ? u(rng) : p.X(source, f);
  }
  for (std::size_t f = 0; f < d; ++f) {
    p.Z(0, f) = p.X(3 % n, f);  // row 3 duplicates an earlier row (when n > 3)
    p.Z(1, f) = p.X(n - 1, f);  // a plain data row
    p.Z(2, f) = u(rng);         // random, inside the data's box
    p.Z(3, f) = 3.0 + u(rng);   // far outside the data
  }
  return p;
}

/// Squared distance, summed over features in order exactly as a straightforward loop would.
double squared_distance(const kaa::HostMatrix& X, std::size_t i, const kaa::HostMatrix& Z,
                        std::size_t j) {
  double s = 0;
  for (std::size_t f = 0; f < X.cols; ++f) {
    const double diff = X(i, f) - Z(j, f);
    s += diff * diff;
  }
  return s;
}

/// Brute force: all n indices sorted by (distance, index), the first min(m, n) kept.
std::vector<std::size_t> brute_nearest(const kaa::HostMatrix& X, const kaa::HostMatrix& Z,
                                       std::size_t j, std::size_t m) {
  std::vector<std::size_t> order(X.rows);
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> dist(X.rows);
  for (std::size_t i = 0; i < X.rows; ++i) dist[i] = squared_distance(X, i, Z, j);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return dist[a] < dist[b] || (dist[a] == dist[b] && a < b);
  });
  order.resize(std::min(m, X.rows));
  return order;
}

TEST(KnnHull, NearestMatchesBruteForceSortWithTies) {
  for (std::size_t n : {5u, 50u, 1000u}) {
    const KnnProblem p = knn_problem(n, 31 + n);
    const auto X = kaa::to_device<double>(p.X, "X");
    const auto Z = kaa::to_device<double>(p.Z, "Z");
    for (int m : {1, 3, 10}) {
      SCOPED_TRACE("n = " + std::to_string(n) + ", k = " + std::to_string(m));
      auto proj = make<kaa::strategies::KnnHull, double>({{"k", m}});
      const auto idx = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), proj.nearest(Z, X));
      const std::size_t expected_m = std::min<std::size_t>(m, n);
      ASSERT_EQ(idx.extent(0), p.Z.rows);
      ASSERT_EQ(idx.extent(1), expected_m);
      for (std::size_t j = 0; j < p.Z.rows; ++j) {
        const auto expected = brute_nearest(p.X, p.Z, j, expected_m);
        for (std::size_t q = 0; q < expected_m; ++q)
          EXPECT_EQ(static_cast<std::size_t>(idx(j, q)), expected[q])
              << "archetype " << j << ", neighbour " << q;
      }
    }
  }
}

TEST(KnnHull, DataHaveTiesAtTheTop) {
  // Guards the previous test: archetype 0 sits on a data row that has an exact duplicate, so
  // its two nearest neighbours tie at distance 0 and must come in index order.
  const KnnProblem p = knn_problem(50, 81);
  std::size_t at_zero = 0;
  for (std::size_t i = 0; i < p.X.rows; ++i) at_zero += squared_distance(p.X, i, p.Z, 0) == 0;
  EXPECT_GE(at_zero, 2u);
}

TEST(KnnHull, ProjectMatchesInverseDistanceMixAndStaysInHull) {
  for (std::size_t n : {5u, 50u, 1000u}) {
    const KnnProblem p = knn_problem(n, 57 + n);
    const auto X = kaa::to_device<double>(p.X, "X");
    for (int m : {1, 3, 10}) {
      SCOPED_TRACE("n = " + std::to_string(n) + ", k = " + std::to_string(m));
      const double eps = 1e-10;
      auto proj = make<kaa::strategies::KnnHull, double>({{"k", m}, {"eps", eps}});
      auto block = kaa::to_device<double>(p.Z, "Z");
      proj.project(block, X);
      const kaa::HostMatrix out = kaa::to_host(block);
      for (std::size_t j = 0; j < p.Z.rows; ++j) {
        const auto nb = brute_nearest(p.X, p.Z, j, static_cast<std::size_t>(m));
        double total = 0;
        for (std::size_t q : nb) total += 1.0 / (squared_distance(p.X, q, p.Z, j) + eps);
        for (std::size_t f = 0; f < p.X.cols; ++f) {
          double expected = 0, lo = p.X(nb[0], f), hi = lo;
          for (std::size_t q : nb) {
            expected += 1.0 / (squared_distance(p.X, q, p.Z, j) + eps) / total * p.X(q, f);
            lo = std::min(lo, p.X(q, f));
            hi = std::max(hi, p.X(q, f));
          }
          // Same formula, same order of terms: rounding only, 1e-10 relative (floor 1e-12).
          EXPECT_NEAR(out(j, f), expected, 1e-10 * std::abs(expected) + 1e-12)
              << "archetype " << j << ", feature " << f;
          // In the hull of the neighbours: each coordinate within their range.
          EXPECT_GE(out(j, f), lo - 1e-12) << "archetype " << j << ", feature " << f;
          EXPECT_LE(out(j, f), hi + 1e-12) << "archetype " << j << ", feature " << f;
        }
      }
      // Archetypes 0 and 1 sit on data rows: the weight 1/eps dominates, so they stay put to
      // within about eps * sum_p |x_p - z| / d_p^2 (< 1e-6 for these data).
      for (std::size_t j : {0u, 1u})
        for (std::size_t f = 0; f < p.X.cols; ++f)
          EXPECT_NEAR(out(j, f), p.Z(j, f), 1e-6) << "archetype " << j << ", feature " << f;
      // Archetype 3 lies far outside the data and must move (to the hull).
      double moved = 0;
      for (std::size_t f = 0; f < p.X.cols; ++f) moved += std::abs(out(3, f) - p.Z(3, f));
      EXPECT_GT(moved, 1.0);
    }
  }
}

}  // namespace
