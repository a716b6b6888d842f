// Strategies of archetypax's Improved and Sparse models: the boundary, sparsity and diversity
// losses (values against closed forms and brute-force host loops, gradients against central
// differences), the directional and qhull_style initializers, and the cbap and convex_hull
// projectors (hand-computed cases).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <set>
#include <vector>

#include "framework/host_transfer.hpp"
#include "strategies/initializers/directional.hpp"
#include "strategies/initializers/qhull_style.hpp"
#include "strategies/losses/archetype_sparsity.hpp"
#include "strategies/losses/boundary_incentive.hpp"
#include "strategies/losses/cosine_diversity.hpp"
#include "strategies/projectors/cbap.hpp"
#include "strategies/projectors/convex_hull.hpp"

#include "tests/strategies/make_strategy.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::random_matrix;
using kaa_test::rows_from;

using kaa::HostMatrix;
using kaa_test::make;
using nlohmann::json;
namespace ks = kaa::strategies;

kaa::Parameters<double> params_with(const HostMatrix& Z, std::size_t n) {
  kaa::Parameters<double> p;
  p.weights = kaa::Matrix<double>("W", n, Z.rows);
  Kokkos::deep_copy(p.weights, 1.0 / static_cast<double>(Z.rows));
  p.archetypes = kaa::to_device<double>(Z, "Z");
  return p;
}

/// Central differences of loss.value() over the archetypes against value_and_grad()'s gradient,
/// and the gradient ADDS into a non-zero start.
/// h = 1e-6: truncation O(h^2 f''') and rounding ~1e-16 |f| / h, so 1e-6 relative + `floor`.
template <class Loss>
void check_archetype_gradient(Loss& loss, const HostMatrix& Xh, const HostMatrix& Zh,
                              double floor) {
  const auto X = kaa::to_device<double>(Xh, "X");
  auto params = params_with(Zh, Xh.rows);
  auto grad = kaa::allocate_parameters<double>("g", Xh.rows, Zh.rows, Zh.cols);
  const double v0 = loss.value_and_grad(X, params, grad);
  EXPECT_NEAR(v0, loss.value(X, params), 1e-14 * std::max(1.0, std::abs(v0)));
  const HostMatrix g = kaa::to_host(grad.archetypes);
  const double h = 1e-6;
  double largest = 0;
  for (std::size_t e = 0; e < Zh.values.size(); ++e) {
    HostMatrix up = Zh, down = Zh;
    up.values[e] += h;
    down.values[e] -= h;
    const double fd =
        (loss.value(X, params_with(up, Xh.rows)) - loss.value(X, params_with(down, Xh.rows))) /
        (2 * h);
    largest = std::max(largest, std::abs(fd));
    EXPECT_NEAR(g.values[e], fd, 1e-6 * std::abs(fd) + floor) << "entry " << e;
  }
  EXPECT_GT(largest, 100 * floor) << "the gradient is not trivially zero";

  auto acc = kaa::allocate_parameters<double>("acc", Xh.rows, Zh.rows, Zh.cols);
  Kokkos::deep_copy(acc.archetypes, 1.5);
  loss.value_and_grad(X, params, acc);
  const HostMatrix a = kaa::to_host(acc.archetypes);
  for (std::size_t e = 0; e < a.values.size(); ++e)
    EXPECT_NEAR(a.values[e], 1.5 + g.values[e], 1e-14 * (1 + std::abs(a.values[e])));
}

// ---------------------------------------------------------------------------------------------
// boundary_incentive

/// Brute-force score of one archetype: every row's projection, no shared code with the strategy.
double brute_boundary_score(const HostMatrix& X, const std::vector<double>& z, double eps) {
  const std::size_t n = X.rows, d = X.cols;
  std::vector<double> c(d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f) c[f] += X(i, f) / n;
  double r = 0;
  for (std::size_t f = 0; f < d; ++f) r += (z[f] - c[f]) * (z[f] - c[f]);
  r = std::sqrt(r);
  if (r <= eps) return 0.0;
  double m = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i) {
    double p = 0;
    for (std::size_t f = 0; f < d; ++f) p += (X(i, f) - c[f]) * (z[f] - c[f]) / r;
    m = std::max(m, p);
  }
  const double p = r / std::max(m, eps);
  return std::pow(1 - std::abs(p - 1), 2) - (p > 1 ? std::exp(p - 1) - 1 : 0.0);
}

TEST(BoundaryIncentive, ClosedFormOnADiamond) {
  // Centroid 0; along +x the support is m = 1. z = (0.5, 0): p = 0.5, score (1 - 0.5)^2 = 0.25.
  // z = (2, 0): p = 2, score 0 - (e - 1). z = 0: the zero direction scores 0.
  const HostMatrix X = rows_from({{1, 0}, {-1, 0}, {0, 1}, {0, -1}});
  const HostMatrix Z = rows_from({{0.5, 0}, {2, 0}, {0, 0}});
  auto loss = make<ks::BoundaryIncentive, double>();
  const double value = loss.value(kaa::to_device<double>(X, "X"), params_with(Z, X.rows));
  EXPECT_NEAR(value, -0.001 * (0.25 - (std::exp(1.0) - 1.0) + 0.0) / 3.0, 1e-18);
}

TEST(BoundaryIncentive, AnArchetypeOnItsExtremeRowSitsOnTheKink) {
  // z = (1, 0) is the data row farthest along its own direction: p = 1 exactly, score 1, and the
  // gradient takes autodiff's side of |p - 1| (slope +1 at 0): ds/dp = -2, dp/dz = u / m = (1, 0)
  // (dm/dz = (q - m u)/|z - c| = 0 since q = z - c), so grad = weight x (-2, 0).
  const HostMatrix X = rows_from({{1, 0}, {-1, 0}, {0, 1}, {0, -1}});
  const HostMatrix Z = rows_from({{1, 0}});
  auto loss = make<ks::BoundaryIncentive, double>({{"weight", -0.001}});
  const auto Xd = kaa::to_device<double>(X, "X");
  auto grad = kaa::allocate_parameters<double>("g", 4, 1, 2);
  EXPECT_EQ(loss.value_and_grad(Xd, params_with(Z, 4), grad), -0.001);
  const HostMatrix g = kaa::to_host(grad.archetypes);
  EXPECT_EQ(g(0, 0), 0.002);
  EXPECT_EQ(g(0, 1), 0.0);
  // The same in float32, where the data's projections and the archetype's are computed alike.
  auto lf = make<ks::BoundaryIncentive, float>();
  kaa::Parameters<float> pf{kaa::Matrix<float>("W", 4, 1), kaa::to_device<float>(Z, "Z")};
  EXPECT_EQ(lf.value(kaa::to_device<float>(X, "X"), pf), -0.001);
}

TEST(BoundaryIncentive, MatchesBruteForceInsideAndOutside) {
  const HostMatrix X = random_matrix(40, 3, 5);
  HostMatrix Z = random_matrix(5, 3, 6, -0.3, 0.3);    // inside
  for (std::size_t f = 0; f < 3; ++f) Z(3, f) *= 8.0;  // well outside (p > 2)
  for (std::size_t f = 0; f < 3; ++f) Z(4, f) *= 3.0;  // near the boundary
  auto loss = make<ks::BoundaryIncentive, double>({{"weight", 0.7}});
  double expected = 0;
  for (std::size_t j = 0; j < Z.rows; ++j)
    expected += brute_boundary_score(X, {Z(j, 0), Z(j, 1), Z(j, 2)}, 1e-10);
  expected *= 0.7 / Z.rows;
  EXPECT_NEAR(loss.value(kaa::to_device<double>(X, "X"), params_with(Z, X.rows)), expected, 1e-13);
}

TEST(BoundaryIncentive, GradientMatchesFiniteDifferences) {
  const HostMatrix X = random_matrix(50, 4, 7);
  HostMatrix Z = random_matrix(4, 4, 8, -0.4, 0.4);
  for (std::size_t f = 0; f < 4; ++f) Z(2, f) *= 5.0;  // p > 1 branch
  auto loss = make<ks::BoundaryIncentive, double>({{"weight", 1.3}});
  check_archetype_gradient(loss, X, Z, 1e-8);
}

TEST(BoundaryIncentive, FloatAgreesWithDouble) {
  const HostMatrix X = random_matrix(60, 5, 9);
  const HostMatrix Z = random_matrix(3, 5, 10, -0.5, 0.5);
  auto ld = make<ks::BoundaryIncentive, double>();
  auto lf = make<ks::BoundaryIncentive, float>();
  kaa::Parameters<float> pf{kaa::Matrix<float>("W", X.rows, Z.rows), kaa::to_device<float>(Z, "Z")};
  const double vd = ld.value(kaa::to_device<double>(X, "X"), params_with(Z, X.rows));
  const double vf = lf.value(kaa::to_device<float>(X, "X"), pf);
  EXPECT_NEAR(vf, vd, 1e-5 * std::abs(vd));  // float32 inputs, double arithmetic
}

// ---------------------------------------------------------------------------------------------
// archetype_sparsity

double sparsity_closed_form(const std::string& method, const HostMatrix& Z, double weight,
                            double width, double eps) {
  double total = 0;
  for (double z : Z.values) {
    if (method == "l1") total += std::abs(z);
    if (method == "l0_approx") total += 1 - std::exp(-z * z / width);
    if (method == "feature_selection") total += -std::abs(z) * std::log(std::abs(z) + eps);
  }
  return weight * total / Z.rows;
}

TEST(ArchetypeSparsity, ValuesMatchClosedForms) {
  const HostMatrix Z = rows_from({{0.5, -0.25, 0.0, 2.0}, {-1.0, 1e-4, 0.3, -0.7}});
  const auto X = kaa::to_device<double>(random_matrix(5, 4, 1), "X");
  for (const std::string method : {"l1", "l0_approx", "feature_selection"}) {
    auto loss = make<ks::ArchetypeSparsity, double>({{"method", method}, {"weight", 0.3}});
    EXPECT_NEAR(loss.value(X, params_with(Z, 5)), sparsity_closed_form(method, Z, 0.3, 1e-6, 1e-10),
                1e-14)
        << method;
  }
  // Hand value: l1 = 0.3 * (2.75 + 2.0001) / 2.
  auto l1 = make<ks::ArchetypeSparsity, double>({{"method", "l1"}, {"weight", 0.3}});
  EXPECT_NEAR(l1.value(X, params_with(Z, 5)), 0.3 * 4.7501 / 2, 1e-14);
}

TEST(ArchetypeSparsity, FeatureSelectionNanOnlyWhenAskedFor) {
  const auto X = kaa::to_device<double>(random_matrix(5, 3, 2), "X");
  const HostMatrix negative = rows_from({{0.2, -0.1, 0.5}});
  const HostMatrix positive = rows_from({{0.2, 0.1, 0.5}});
  auto finite = make<ks::ArchetypeSparsity, double>({{"method", "feature_selection"}});
  auto archetypax = make<ks::ArchetypeSparsity, double>(
      {{"method", "feature_selection"}, {"negative_entries", "nan"}});
  EXPECT_TRUE(std::isfinite(finite.value(X, params_with(negative, 5))));
  EXPECT_TRUE(std::isnan(archetypax.value(X, params_with(negative, 5))));
  // On non-negative archetypes both forms are archetypax's -sum z log(z + eps).
  const double expected = 0.1 * -(0.2 * std::log(0.2 + 1e-10) + 0.1 * std::log(0.1 + 1e-10) +
                                  0.5 * std::log(0.5 + 1e-10));
  EXPECT_NEAR(finite.value(X, params_with(positive, 5)), expected, 1e-15);
  EXPECT_NEAR(archetypax.value(X, params_with(positive, 5)), expected, 1e-15);
}

TEST(ArchetypeSparsity, GradientsMatchFiniteDifferences) {
  const HostMatrix X = random_matrix(6, 4, 3);
  // Entries away from 0, where every measure is smooth.
  HostMatrix Z = random_matrix(3, 4, 4, 0.1, 1.0);
  for (std::size_t e = 0; e < Z.values.size(); e += 3) Z.values[e] = -Z.values[e];
  for (const std::string method : {"l1", "feature_selection"}) {
    SCOPED_TRACE(method);
    auto loss = make<ks::ArchetypeSparsity, double>({{"method", method}, {"weight", 0.4}});
    check_archetype_gradient(loss, X, Z, 1e-8);
  }
  {
    SCOPED_TRACE("l0_approx, width 0.5");
    auto loss = make<ks::ArchetypeSparsity, double>(
        {{"method", "l0_approx"}, {"weight", 0.4}, {"width", 0.5}});
    check_archetype_gradient(loss, X, Z, 1e-8);
  }
  {
    // archetypax's width 1e-6 on entries of size ~1e-3, where its gradient lives.
    SCOPED_TRACE("l0_approx, width 1e-6");
    HostMatrix small = Z;
    for (double& v : small.values) v *= 1.5e-3;
    auto loss = make<ks::ArchetypeSparsity, double>({{"method", "l0_approx"}, {"weight", 0.4}});
    const auto Xd = kaa::to_device<double>(X, "X");
    auto grad = kaa::allocate_parameters<double>("g", X.rows, Z.rows, Z.cols);
    loss.value_and_grad(Xd, params_with(small, X.rows), grad);
    const HostMatrix g = kaa::to_host(grad.archetypes);
    for (std::size_t e = 0; e < small.values.size(); ++e) {
      const double z = small.values[e];
      const double expected = 0.4 / 3 * 2 * z / 1e-6 * std::exp(-z * z / 1e-6);
      EXPECT_NEAR(g.values[e], expected, 1e-12 * std::abs(expected) + 1e-12);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// cosine_diversity

double brute_cosine_diversity(const HostMatrix& Z, double weight, double eps) {
  const std::size_t k = Z.rows, d = Z.cols;
  double total = 0;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k; ++j) {
      if (i == j) continue;
      double dot = 0, ni = 0, nj = 0;
      for (std::size_t f = 0; f < d; ++f) {
        dot += Z(i, f) * Z(j, f);
        ni += Z(i, f) * Z(i, f);
        nj += Z(j, f) * Z(j, f);
      }
      total += std::max(0.0, dot / (std::max(std::sqrt(ni), eps) * std::max(std::sqrt(nj), eps)));
    }
  return weight * total / (k * k);
}

TEST(CosineDiversity, ClosedFormAndBruteForce) {
  const auto X = kaa::to_device<double>(random_matrix(4, 2, 1), "X");
  // cos(z0, z1) = 1/sqrt(2), cos(z0, z2) = -1 (clipped), cos(z1, z2) = -1/sqrt(2) (clipped):
  // D = 2 (1/sqrt(2)) / 9.
  const HostMatrix Z = rows_from({{2, 0}, {1, 1}, {-3, 0}});
  auto loss = make<ks::CosineDiversity, double>();
  EXPECT_NEAR(loss.value(X, params_with(Z, 4)), 0.1 * 2 / std::sqrt(2.0) / 9, 1e-15);

  const HostMatrix R = random_matrix(5, 6, 2);
  const auto X6 = kaa::to_device<double>(random_matrix(4, 6, 3), "X");
  EXPECT_NEAR(loss.value(X6, params_with(R, 4)), brute_cosine_diversity(R, 0.1, 1e-10), 1e-15);
  // One archetype: no pairs.
  EXPECT_EQ(loss.value(X6, params_with(random_matrix(1, 6, 4), 4)), 0.0);
}

TEST(CosineDiversity, GradientMatchesFiniteDifferences) {
  const HostMatrix X = random_matrix(5, 5, 5);
  const HostMatrix Z = random_matrix(4, 5, 6, -0.2, 1.0);  // mostly positive cosines
  auto loss = make<ks::CosineDiversity, double>({{"weight", 0.9}});
  check_archetype_gradient(loss, X, Z, 1e-8);
}

// ---------------------------------------------------------------------------------------------
// directional

TEST(Directional, LatticesAreArchetypaxsClosedForms) {
  auto init = make<ks::Directional, double>();
  const HostMatrix U2 = init.directions(5, 2, 0);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(U2(i, 0), std::cos(2 * std::numbers::pi * i / 5), 1e-15);
    EXPECT_NEAR(U2(i, 1), std::sin(2 * std::numbers::pi * i / 5), 1e-15);
  }
  // Fibonacci sphere, k = 4, i = 1: theta = 2 pi / phi_golden, phi = arccos(1 - 3/4).
  const HostMatrix U3 = init.directions(4, 3, 0);
  const double theta = 2 * std::numbers::pi / ((1 + std::sqrt(5.0)) / 2), phi = std::acos(0.25);
  EXPECT_NEAR(U3(1, 0), std::sin(phi) * std::cos(theta), 1e-15);
  EXPECT_NEAR(U3(1, 1), std::sin(phi) * std::sin(theta), 1e-15);
  EXPECT_NEAR(U3(1, 2), 0.25, 1e-15);
}

TEST(Directional, RepulsionSpreadsRandomDirections) {
  auto none = make<ks::Directional, double>({{"repulsion_steps", 0}});
  auto spread = make<ks::Directional, double>();
  const std::size_t k = 8, d = 6;
  auto max_cos = [&](const HostMatrix& U) {
    double worst = -1;
    for (std::size_t i = 0; i < k; ++i) {
      double norm = 0;
      for (std::size_t f = 0; f < d; ++f) norm += U(i, f) * U(i, f);
      EXPECT_NEAR(norm, 1.0, 1e-9);
      for (std::size_t j = 0; j < i; ++j) {
        double dot = 0;
        for (std::size_t f = 0; f < d; ++f) dot += U(i, f) * U(j, f);
        worst = std::max(worst, dot);
      }
    }
    return worst;
  };
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const HostMatrix start = none.directions(k, d, seed), end = spread.directions(k, d, seed);
    EXPECT_LT(max_cos(end), max_cos(start)) << "seed " << seed;
    EXPECT_LT(max_cos(end), 0.5) << "seed " << seed;
    const HostMatrix again = spread.directions(k, d, seed);
    EXPECT_EQ(again.values, end.values);  // reproducible from the seed
  }
  EXPECT_NE(spread.directions(k, d, 1).values, spread.directions(k, d, 2).values);
}

TEST(Directional, PicksTheFarthestRowAlongEachDirection) {
  const std::size_t n = 80, d = 5, k = 6;
  const HostMatrix Xh = random_matrix(n, d, 11);
  auto init = make<ks::Directional, double>();
  auto params = kaa::allocate_parameters<double>("p", n, k, d);
  init.initialize(kaa::to_device<double>(Xh, "X"), params, 17);
  const HostMatrix U = init.directions(k, d, 17);
  const HostMatrix Z = kaa::to_host(params.archetypes);
  std::vector<double> c(d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f) c[f] += Xh(i, f) / n;
  for (std::size_t j = 0; j < k; ++j) {
    std::size_t best = 0;
    double top = -1e300;
    for (std::size_t i = 0; i < n; ++i) {
      double p = 0;
      for (std::size_t f = 0; f < d; ++f) p += (Xh(i, f) - c[f]) * U(j, f);
      if (p > top) top = p, best = i;
    }
    EXPECT_EQ(init.chosen()[j], static_cast<long>(best));
    for (std::size_t f = 0; f < d; ++f) EXPECT_EQ(Z(j, f), Xh(best, f));
  }
}

TEST(Directional, TiesGoToTheLowestRowForAnyThreadCount) {
  // Integer data: along (1, 0) rows 3, 7 and 12 tie at the top.
  HostMatrix Xh(20, 2);
  for (std::size_t i = 0; i < 20; ++i) {
    Xh(i, 0) = static_cast<double>(i % 3);
    Xh(i, 1) = static_cast<double>(i % 5) - 2.0;
  }
  for (std::size_t i : {3u, 7u, 12u}) Xh(i, 0) = 5.0;
  auto init = make<ks::Directional, double>();
  auto params = kaa::allocate_parameters<double>("p", 20, 4, 2);
  init.initialize(kaa::to_device<double>(Xh, "X"), params, 0);
  EXPECT_EQ(init.chosen()[0], 3);
}

// ---------------------------------------------------------------------------------------------
// qhull_style

TEST(QhullStyle, FindsEveryVertexOfA2dHullAndSamplesFarthestPoints) {
  // A regular octagon (the vertices) around 60 interior points.
  const std::size_t n = 68;
  HostMatrix Xh = random_matrix(n, 2, 21, -0.5, 0.5);
  std::set<long> octagon;
  for (std::size_t v = 0; v < 8; ++v) {
    const std::size_t row = 7 * v + 3;
    Xh(row, 0) = std::cos(2 * std::numbers::pi * v / 8 + 0.1);
    Xh(row, 1) = std::sin(2 * std::numbers::pi * v / 8 + 0.1);
    octagon.insert(static_cast<long>(row));
  }
  auto init = make<ks::QhullStyle, double>();
  auto params = kaa::allocate_parameters<double>("p", n, 3, 2);
  init.initialize(kaa::to_device<double>(Xh, "X"), params, 5);
  EXPECT_EQ(std::set<long>(init.vertices().begin(), init.vertices().end()), octagon);
  // Farthest-point sampling from the first vertex (row 3): the opposite vertex (row 31), then the
  // vertex farthest from both (a tie between rows 17 and 45 at the same distance: the first).
  const auto& chosen = init.chosen();
  ASSERT_EQ(chosen.size(), 3u);
  EXPECT_EQ(chosen[0], 3);
  EXPECT_EQ(chosen[1], 31);
  EXPECT_TRUE(chosen[2] == 17 || chosen[2] == 45) << chosen[2];
}

TEST(QhullStyle, FewerVerticesThanArchetypesFillsWithDistinctRows) {
  // A square: 4 vertices, 10 interior points, k = 7.
  HostMatrix Xh = random_matrix(14, 2, 22, -0.5, 0.5);
  const double corners[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
  for (std::size_t v = 0; v < 4; ++v) {
    Xh(v * 3, 0) = corners[v][0];
    Xh(v * 3, 1) = corners[v][1];
  }
  auto init = make<ks::QhullStyle, double>();
  auto params = kaa::allocate_parameters<double>("p", 14, 7, 2);
  init.initialize(kaa::to_device<double>(Xh, "X"), params, 9);
  EXPECT_EQ(init.vertices(), (std::vector<long>{0, 3, 6, 9}));
  const auto& chosen = init.chosen();
  ASSERT_EQ(chosen.size(), 7u);
  EXPECT_EQ(std::vector<long>(chosen.begin(), chosen.begin() + 4), init.vertices());
  EXPECT_EQ(std::set<long>(chosen.begin(), chosen.end()).size(), 7u);  // no repeats
  const HostMatrix Z = kaa::to_host(params.archetypes);
  for (std::size_t j = 0; j < 7; ++j)
    for (std::size_t f = 0; f < 2; ++f) EXPECT_EQ(Z(j, f), Xh(chosen[j], f));
}

// ---------------------------------------------------------------------------------------------
// cbap and convex_hull projectors

TEST(Cbap, InsideJumpsMostOfTheWayOutsideIsPulledBackALittle) {
  // Centroid (0, 0); along +x the extreme row is (2, 0.5), along +y it is (0.2, 3).
  const HostMatrix Xh = rows_from({{2, 0.5}, {-2, -0.5}, {0.2, 3}, {-0.2, -3}});
  HostMatrix Z = rows_from({{1, 0}, {0, 4}});
  auto proj = make<ks::Cbap, double>({{"alpha", 0.1}});
  auto block = kaa::to_device<double>(Z, "Z");
  proj.project(block, kaa::to_device<double>(Xh, "X"));
  const HostMatrix out = kaa::to_host(block);
  // (1, 0) is inside (1 < 2): 0.9 (2, 0.5) + 0.1 (1, 0).
  EXPECT_NEAR(out(0, 0), 0.9 * 2 + 0.1 * 1, 1e-15);
  EXPECT_NEAR(out(0, 1), 0.9 * 0.5, 1e-15);
  // (0, 4) is beyond (0.2, 3) along +y (4 > 3): 0.1 (0.2, 3) + 0.9 (0, 4).
  EXPECT_NEAR(out(1, 0), 0.1 * 0.2, 1e-15);
  EXPECT_NEAR(out(1, 1), 0.1 * 3 + 0.9 * 4, 1e-15);
}

TEST(ConvexHull, WithoutPerturbationThePointIsTheExtremeRow) {
  const HostMatrix Xh = random_matrix(30, 3, 31);
  const HostMatrix Z = random_matrix(4, 3, 32, -0.3, 0.3);
  auto proj = make<ks::ConvexHullProjection, double>({{"mix", 0.0}});
  auto zero = make<ks::ConvexHullProjection, double>({{"perturbations", 0}});
  auto cbap = make<ks::Cbap, double>({{"alpha", 0.0}});  // inside -> all the way to the extreme
  auto a = kaa::to_device<double>(Z, "a"), b = kaa::to_device<double>(Z, "b"),
       c = kaa::to_device<double>(Z, "c");
  const auto X = kaa::to_device<double>(Xh, "X");
  proj.project(a, X);
  zero.project(b, X);
  cbap.project(c, X);
  const HostMatrix ha = kaa::to_host(a), hb = kaa::to_host(b), hc = kaa::to_host(c);
  for (std::size_t e = 0; e < ha.values.size(); ++e) {
    EXPECT_NEAR(ha.values[e], hc.values[e], 1e-14);
    EXPECT_NEAR(hb.values[e], hc.values[e], 1e-14);
  }
}

TEST(ConvexHull, ResultIsTheTwoSeventhsMixOfExtremeRows) {
  const std::size_t n = 40, d = 3;
  const HostMatrix Xh = random_matrix(n, d, 33);
  const HostMatrix Z = random_matrix(3, d, 34, -0.3, 0.3);
  auto proj = make<ks::ConvexHullProjection, double>();
  auto block = kaa::to_device<double>(Z, "Z");
  proj.project(block, kaa::to_device<double>(Xh, "X"));
  const HostMatrix out = kaa::to_host(block);
  // (7 z - 2 e_main) / 5 is the mean of the 5 other extreme rows: a mean of data rows, so
  // inside their bounding box, and 5 x it minus any 4 rows is a data row. Check the first claim
  // and that z is within 1e-12 of the hull's bounding box.
  std::vector<double> c(d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f) c[f] += Xh(i, f) / n;
  for (std::size_t j = 0; j < 3; ++j) {
    std::vector<double> u(d);
    double norm = 0;
    for (std::size_t f = 0; f < d; ++f) norm += (Z(j, f) - c[f]) * (Z(j, f) - c[f]);
    for (std::size_t f = 0; f < d; ++f) u[f] = (Z(j, f) - c[f]) / std::sqrt(norm);
    std::size_t best = 0;
    double top = -1e300;
    for (std::size_t i = 0; i < n; ++i) {
      double p = 0;
      for (std::size_t f = 0; f < d; ++f) p += (Xh(i, f) - c[f]) * u[f];
      if (p > top) top = p, best = i;
    }
    for (std::size_t f = 0; f < d; ++f) {
      const double rest = (7 * out(j, f) - 2 * Xh(best, f)) / 5;
      double lo = 1e300, hi = -1e300;
      for (std::size_t i = 0; i < n; ++i) lo = std::min(lo, Xh(i, f)), hi = std::max(hi, Xh(i, f));
      EXPECT_GE(rest, lo - 1e-12);
      EXPECT_LE(rest, hi + 1e-12);
    }
  }
}

}  // namespace
