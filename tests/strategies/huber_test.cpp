// The huber loss: value against a host formula, gradients against central finite differences
// (rows on both sides of delta), the contract that gradients are added, and a fit with adam.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "framework/host_transfer.hpp"
#include "strategies/losses/huber.hpp"

#include "tests/strategies/make_strategy.hpp"
#include "tests/strategies/solver_fixtures.hpp"

namespace {

using nlohmann::json;

struct HuberProblem {
  kaa::HostMatrix X, A, Z;
};

/// Residual norms spread over [0.05, 1.5]: with delta = 0.4 about a third of the rows are in the
/// quadratic part.
HuberProblem problem(std::uint64_t seed) {
  const std::size_t n = 12, d = 3, k = 3;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> sym(-1.0, 1.0), pos(0.2, 1.0);
  HuberProblem p{kaa::HostMatrix(n, d), kaa::HostMatrix(n, k), kaa::HostMatrix(k, d)};
  for (auto& v : p.Z.values) v = sym(rng);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < k; ++j) s += p.A(i, j) = pos(rng);
    for (std::size_t j = 0; j < k; ++j) p.A(i, j) /= s;
    const double spread = 0.05 + 1.45 * static_cast<double>(i) / (n - 1);
    for (std::size_t f = 0; f < d; ++f) {
      double recon = 0;
      for (std::size_t j = 0; j < k; ++j) recon += p.A(i, j) * p.Z(j, f);
      p.X(i, f) = recon + spread * sym(rng) / std::sqrt(3.0);
    }
  }
  return p;
}

double host_huber(const HuberProblem& p, double delta) {
  double total = 0;
  for (std::size_t i = 0; i < p.X.rows; ++i) {
    const double t = std::sqrt(
        kaa_test::row_objective(p.Z, &p.X.values[i * p.X.cols], &p.A.values[i * p.A.cols]));
    total += t <= delta ? t * t / (2 * delta) + delta / 2 : t;
  }
  return total;
}

TEST(Huber, ValueMatchesHostFormula) {
  const HuberProblem p = problem(1);
  for (const char* reduction : {"sum", "mean"}) {
    auto loss = kaa_test::make<kaa::strategies::Huber, double>(
        {{"weight", 0.7}, {"delta", 0.4}, {"reduction", reduction}});
    kaa::Parameters<double> params{kaa::to_device<double>(p.A, "A"),
                                   kaa::to_device<double>(p.Z, "Z")};
    const double expected =
        0.7 * host_huber(p, 0.4) / (std::string(reduction) == "mean" ? p.X.rows : 1.0);
    EXPECT_NEAR(loss.value(kaa::to_device<double>(p.X, "X"), params), expected, 1e-14 * expected);
  }
}

TEST(Huber, GradientMatchesFiniteDifferencesAndIsAdded) {
  const double delta = 0.4, weight = 0.7, h = 1e-6;
  const HuberProblem p = problem(2);
  // Guard: rows on both sides of delta.
  std::size_t below = 0;
  for (std::size_t i = 0; i < p.X.rows; ++i)
    below += kaa_test::row_objective(p.Z, &p.X.values[i * 3], &p.A.values[i * 3]) < delta * delta;
  ASSERT_GT(below, 1u);
  ASSERT_LT(below, p.X.rows - 1);

  auto loss = kaa_test::make<kaa::strategies::Huber, double>(
      {{"weight", weight}, {"delta", delta}, {"reduction", "mean"}});
  const auto X = kaa::to_device<double>(p.X, "X");
  kaa::Parameters<double> params{kaa::to_device<double>(p.A, "A"),
                                 kaa::to_device<double>(p.Z, "Z")};
  auto grad = kaa::allocate_like<double>("g", params);
  Kokkos::deep_copy(grad.weights, 0.25);  // value_and_grad adds to what is there
  Kokkos::deep_copy(grad.archetypes, -0.5);
  const double value = loss.value_and_grad(X, params, grad);
  EXPECT_NEAR(value, loss.value(X, params), 1e-15);
  const kaa::HostMatrix gA = kaa::to_host(grad.weights), gZ = kaa::to_host(grad.archetypes);

  auto objective = [&](const kaa::HostMatrix& A, const kaa::HostMatrix& Z) {
    kaa::Parameters<double> q{kaa::to_device<double>(A, "A"), kaa::to_device<double>(Z, "Z")};
    return loss.value(X, q);
  };
  for (std::size_t e = 0; e < p.A.values.size(); ++e) {
    kaa::HostMatrix plus = p.A, minus = p.A;
    plus.values[e] += h;
    minus.values[e] -= h;
    const double fd = (objective(plus, p.Z) - objective(minus, p.Z)) / (2 * h);
    // Central differences of a C^1 function, h = 1e-6: error ~1e-9 (the kink at delta is only in
    // the second derivative).
    EXPECT_NEAR(gA.values[e] - 0.25, fd, 1e-7) << "weights entry " << e;
  }
  for (std::size_t e = 0; e < p.Z.values.size(); ++e) {
    kaa::HostMatrix plus = p.Z, minus = p.Z;
    plus.values[e] += h;
    minus.values[e] -= h;
    const double fd = (objective(p.A, plus) - objective(p.A, minus)) / (2 * h);
    EXPECT_NEAR(gZ.values[e] + 0.5, fd, 1e-7) << "archetypes entry " << e;
  }
}

TEST(Huber, FitsWithAdam) {
  json raw = {{"model", {{"n_archetypes", 3}, {"precision", "float32"}}},
              {"initializers", json::array({"uniform_weights", "kmeans_pp"})},
              {"loss", json::array({{{"type", "huber"}, {"delta", 0.05}}})},
              {"optimizer", {{"type", "adam"}, {"learning_rate", 0.01}}},
              {"projectors", {{"weights", "simplex_sort"}, {"archetypes", "none"}}},
              {"stopping", json::array({{{"type", "max_iter"}, {"value", 60}}})}};
  auto data = kaa_test::gaussian_matrix(200, 4, 5);
  const auto r = kaa_test::fit<float>(kaa_test::resolve(raw), data);
  for (double v : r.A.values) EXPECT_TRUE(std::isfinite(v));
  EXPECT_LT(r.losses.back(), 0.9 * r.losses.front());
}

}  // namespace
