// Transformers: projected_gradient and active_set against an exact brute-force solver of simplex
// least squares, archetypax_pgd against a host re-implementation of archetypax's fixed-step loop.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "framework/host_transfer.hpp"
#include "strategies/transforms/active_set.hpp"
#include "strategies/transforms/archetypax_pgd.hpp"
#include "strategies/transforms/projected_gradient.hpp"

#include "tests/strategies/make_strategy.hpp"

namespace {

using nlohmann::json;

using kaa_test::make;

/// ||x_i - w Z||^2 on the host.
double objective(const kaa::HostMatrix& X, std::size_t i, const kaa::HostMatrix& Z,
                 const std::vector<double>& w) {
  double total = 0;
  for (std::size_t f = 0; f < Z.cols; ++f) {
    double r = X(i, f);
    for (std::size_t j = 0; j < Z.rows; ++j) r -= w[j] * Z(j, f);
    total += r * r;
  }
  return total;
}

/// Solves the m x m system M y = b by Gaussian elimination with partial pivoting; false when a
/// pivot is (numerically) zero.
bool gaussian_solve(std::vector<double> M, std::vector<double> b, std::size_t m,
                    std::vector<double>& y) {
  for (std::size_t c = 0; c < m; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < m; ++r)
      if (std::abs(M[r * m + c]) > std::abs(M[pivot * m + c])) pivot = r;
    if (std::abs(M[pivot * m + c]) < 1e-300) return false;
    for (std::size_t j = 0; j < m; ++j) std::swap(M[c * m + j], M[pivot * m + j]);
    std::swap(b[c], b[pivot]);
    for (std::size_t r = c + 1; r < m; ++r) {
      const double factor = M[r * m + c] / M[c * m + c];
      for (std::size_t j = c; j < m; ++j) M[r * m + j] -= factor * M[c * m + j];
      b[r] -= factor * b[c];
    }
  }
  y.assign(m, 0.0);
  for (std::size_t c = m; c-- > 0;) {
    double s = b[c];
    for (std::size_t j = c + 1; j < m; ++j) s -= M[c * m + j] * y[j];
    y[c] = s / M[c * m + c];
  }
  return true;
}

/// Exact minimiser of ||x_i - w Z||^2 over the simplex, by enumeration: for every non-empty support
/// S, the equality-constrained least squares min ||x - w_S Z_S||^2 s.t. sum w_S = 1 has the KKT
/// system [2 G_SS, 1; 1^T, 0] [w_S; lambda] = [2 (Z x)_S; 1]. The optimum's own support yields it
/// (the restricted problem is strictly convex for affinely independent Z), and every other
/// feasible (w >= 0) candidate is a simplex point, so the best feasible candidate is the optimum.
std::vector<double> brute_force(const kaa::HostMatrix& X, std::size_t i, const kaa::HostMatrix& Z) {
  const std::size_t k = Z.rows;
  std::vector<double> best;
  double best_value = std::numeric_limits<double>::infinity();
  for (unsigned mask = 1; mask < (1u << k); ++mask) {
    std::vector<std::size_t> support;
    for (std::size_t j = 0; j < k; ++j)
      if (mask & (1u << j)) support.push_back(j);
    const std::size_t s = support.size(), m = s + 1;
    std::vector<double> M(m * m, 0.0), b(m, 0.0), y;
    for (std::size_t a = 0; a < s; ++a) {
      for (std::size_t c = 0; c < s; ++c) {
        double g = 0;
        for (std::size_t f = 0; f < Z.cols; ++f) g += Z(support[a], f) * Z(support[c], f);
        M[a * m + c] = 2 * g;
      }
      M[a * m + s] = M[s * m + a] = 1.0;
      double xz = 0;
      for (std::size_t f = 0; f < Z.cols; ++f) xz += X(i, f) * Z(support[a], f);
      b[a] = 2 * xz;
    }
    b[s] = 1.0;
    if (!gaussian_solve(M, b, m, y)) continue;
    std::vector<double> w(k, 0.0);
    bool feasible = true;
    for (std::size_t a = 0; a < s; ++a) {
      if (y[a] < -1e-12) feasible = false;
      w[support[a]] = std::max(0.0, y[a]);
    }
    if (!feasible) continue;
    const double value = objective(X, i, Z, w);
    if (value < best_value) best_value = value, best = w;
  }
  return best;
}

struct TransformProblem {
  kaa::HostMatrix X, Z;
  std::size_t first_outside;
};

/// Z: k random archetypes in [-1, 1]^5. X: 8 points inside the hull (random interior weights),
/// then 12 outside: random points in [-3, 3]^5 (the hull is at most 3-dimensional, so they are
/// off it) and points pushed beyond a vertex or beyond the middle of an edge.
TransformProblem make_problem(std::size_t k, std::uint64_t seed) {
  const std::size_t d = 5, inside = 8, outside = 12;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0), pos(0.1, 1.0);
  TransformProblem p{kaa::HostMatrix(inside + outside, d), kaa::HostMatrix(k, d), inside};
  for (auto& v : p.Z.values) v = u(rng);
  std::vector<double> centroid(d, 0.0);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t f = 0; f < d; ++f) centroid[f] += p.Z(j, f) / k;
  for (std::size_t i = 0; i < inside; ++i) {
    std::vector<double> w(k);
    double s = 0;
    for (auto& v : w) s += v = pos(rng);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) p.X(i, f) += w[j] / s * p.Z(j, f);
  }
  for (std::size_t i = inside; i < inside + outside; ++i) {
    const std::size_t a = i % k, b = (i + 1) % k;
    for (std::size_t f = 0; f < d; ++f) {
      if (i % 3 == 0)
        p.X(i, f) = 3 * u(rng);
      else if (i % 3 == 1)
        p.X(i, f) = p.Z(a, f) + 1.5 * (p.Z(a, f) - centroid[f]);
      else
        p.X(i, f) =
            0.5 * (p.Z(a, f) + p.Z(b, f)) + 2 * (0.5 * (p.Z(a, f) + p.Z(b, f)) - centroid[f]);
    }
  }
  return p;
}

/// The solver's weights against the brute-force optimum on make_problem's rows.
template <class Solver>
void expect_brute_force_optimum(Solver& solver) {
  for (std::size_t k : {2u, 3u, 4u}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      SCOPED_TRACE("k = " + std::to_string(k) + ", seed " + std::to_string(seed));
      const TransformProblem p = make_problem(k, 10 * k + seed);
      const auto X = kaa::to_device<double>(p.X, "X");
      const auto Z = kaa::to_device<double>(p.Z, "Z");
      kaa::Matrix<double> W("W", p.X.rows, k);
      solver.solve(X, Z, W);
      const kaa::HostMatrix Wh = kaa::to_host(W);
      std::size_t on_boundary = 0;
      for (std::size_t i = 0; i < p.X.rows; ++i) {
        const std::vector<double> exact = brute_force(p.X, i, p.Z);
        ASSERT_EQ(exact.size(), k) << "row " << i;
        const std::vector<double> w(Wh.values.begin() + i * k, Wh.values.begin() + (i + 1) * k);
        double sum = 0;
        for (double v : w) {
          EXPECT_GE(v, 0.0);
          sum += v;
        }
        EXPECT_NEAR(sum, 1.0, 1e-12) << "row " << i;
        // Objective: 1e-9 relative to max(optimum, 1) (the optimum is 0 for inside points and
        // the data are of unit scale). Weights: 1e-6 (the optimum is unique here).
        const double f_exact = objective(p.X, i, p.Z, exact), f = objective(p.X, i, p.Z, w);
        EXPECT_NEAR(f, f_exact, 1e-9 * std::max(f_exact, 1.0)) << "row " << i;
        for (std::size_t j = 0; j < k; ++j)
          EXPECT_NEAR(w[j], exact[j], 1e-6) << "row " << i << ", archetype " << j;
        if (i < p.first_outside) {
          EXPECT_LT(f_exact, 1e-20) << "row " << i << " is inside";
        }
        on_boundary += *std::min_element(exact.begin(), exact.end()) == 0.0;
      }
      EXPECT_GT(on_boundary, 0u);  // some optima have an active constraint
    }
  }
}

TEST(ProjectedGradient, MatchesBruteForceSimplexLeastSquares) {
  auto solver = make<kaa::strategies::ProjectedGradient, double>();
  expect_brute_force_optimum(solver);
}

TEST(ActiveSetTransform, MatchesBruteForceSimplexLeastSquares) {
  auto solver = make<kaa::strategies::ActiveSetTransform, double>();
  expect_brute_force_optimum(solver);  // one solver for every k: its workspace is refitted
}

TEST(ProjectedGradient, ArchetypesSymmetricAboutTheOrigin) {
  // Z Z^T has its largest eigenvector orthogonal to (1, ..., 1): archetypes 0 and 1 are negatives
  // of each other (as can happen with standardised data). Z Z^T = [1 -1 0; -1 1 0; 0 0 0.01],
  // eigenvalues 2 (vector (1, -1, 0)), 0.01 and 0. Optima from the brute-force solver.
  kaa::HostMatrix Z(3, 2), X(4, 2);
  Z.values = {1, 0, -1, 0, 0, 0.1};
  X.values = {1, 0, 0.5, 0.05, -2, 1, 0.2, -0.3};
  auto solver = make<kaa::strategies::ProjectedGradient, double>();
  kaa::Matrix<double> W("W", X.rows, Z.rows);
  solver.solve(kaa::to_device<double>(X, "X"), kaa::to_device<double>(Z, "Z"), W);
  const kaa::HostMatrix Wh = kaa::to_host(W);
  for (std::size_t i = 0; i < X.rows; ++i) {
    const std::vector<double> exact = brute_force(X, i, Z);
    const std::vector<double> w(Wh.values.begin() + i * 3, Wh.values.begin() + (i + 1) * 3);
    const double f_exact = objective(X, i, Z, exact), f = objective(X, i, Z, w);
    EXPECT_NEAR(f, f_exact, 1e-9 * std::max(f_exact, 1.0)) << "row " << i;  // as above
    for (std::size_t j = 0; j < 3; ++j)
      EXPECT_NEAR(w[j], exact[j], 1e-6) << "row " << i << ", " << j;
  }
}

/// archetypax 0.1.2 transform, written from its description: uniform start, then `steps` times
/// w -= lr * (-2 (x - w Z) Z^T); w = max(eps, w); w /= sum (uniform if sum <= eps).
std::vector<double> archetypax_transform(const kaa::HostMatrix& X, std::size_t i,
                                         const kaa::HostMatrix& Z, int steps, double lr,
                                         double eps) {
  const std::size_t k = Z.rows, d = Z.cols;
  std::vector<double> w(k, 1.0 / k), r(d);
  for (int t = 0; t < steps; ++t) {
    for (std::size_t f = 0; f < d; ++f) {
      r[f] = X(i, f);
      for (std::size_t j = 0; j < k; ++j) r[f] -= w[j] * Z(j, f);
    }
    double sum = 0;
    for (std::size_t j = 0; j < k; ++j) {
      double g = 0;
      for (std::size_t f = 0; f < d; ++f) g += r[f] * Z(j, f);
      w[j] = std::max(eps, w[j] - lr * (-2.0 * g));
      sum += w[j];
    }
    for (std::size_t j = 0; j < k; ++j) w[j] = sum > eps ? w[j] / sum : 1.0 / k;
  }
  return w;
}

TEST(ArchetypaxPgd, MatchesHostReimplementation) {
  struct Case {
    json params;
    int steps;
    double lr;
  };
  const std::vector<Case> cases = {{json::object(), 100, 0.01},  // archetypax's defaults
                                   {{{"steps", 7}, {"learning_rate", 0.05}}, 7, 0.05}};
  for (const auto& c : cases) {
    for (std::size_t k : {3u, 4u}) {
      SCOPED_TRACE(c.params.dump() + ", k = " + std::to_string(k));
      const TransformProblem p = make_problem(k, 70 + k);
      auto solver = make<kaa::strategies::ArchetypaxPgd, double>(c.params);
      kaa::Matrix<double> W("W", p.X.rows, k);
      solver.solve(kaa::to_device<double>(p.X, "X"), kaa::to_device<double>(p.Z, "Z"), W);
      const kaa::HostMatrix Wh = kaa::to_host(W);
      for (std::size_t i = 0; i < p.X.rows; ++i) {
        const auto expected = archetypax_transform(p.X, i, p.Z, c.steps, c.lr, 1e-10);
        // Same iteration; the strategy forms the gradient as 2 (w Z Z^T - x Z^T), so only the
        // rounding differs: 1e-12 absolute on weights in [0, 1].
        for (std::size_t j = 0; j < k; ++j)
          EXPECT_NEAR(Wh(i, j), expected[j], 1e-12) << "row " << i << ", archetype " << j;
      }
    }
  }
}

}  // namespace
