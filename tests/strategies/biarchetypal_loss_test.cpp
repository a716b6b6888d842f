// Biarchetypal loss terms: the value against a dense host reconstruction alpha (beta X) theta
// gamma, every block's gradient against central finite differences (the mixing gradient through
// the framework's chain rule Z = B X), accumulation into a non-zero gradient, the effective
// archetypes Z theta gamma, and the column entropy of gamma.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "framework/host_transfer.hpp"
#include "framework/kernels/mixing.hpp"
#include "strategies/losses/biarchetypal_reconstruction.hpp"
#include "strategies/losses/column_entropy.hpp"

#include "tests/strategies/make_strategy.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::product;

using kaa::Block;
using kaa::HostMatrix;
using kaa_test::make;
using nlohmann::json;

constexpr std::size_t kRows = 7, kCols = 5, kRowArchetypes = 3, kColArchetypes = 2;

/// Random X in [-1, 1]; alpha rows, beta rows, theta columns and gamma columns strictly positive
/// on the simplex (entries >= 0.2 / size).
struct BiarchetypalProblem {
  HostMatrix X, alpha, beta, theta, gamma;
};

HostMatrix stochastic(std::size_t rows, std::size_t cols, bool by_rows, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> pos(0.2, 1.0);
  HostMatrix m(rows, cols);
  for (auto& v : m.values) v = pos(rng);
  if (by_rows) {
    for (std::size_t i = 0; i < rows; ++i) {
      double s = 0;
      for (std::size_t j = 0; j < cols; ++j) s += m(i, j);
      for (std::size_t j = 0; j < cols; ++j) m(i, j) /= s;
    }
  } else {
    for (std::size_t j = 0; j < cols; ++j) {
      double s = 0;
      for (std::size_t i = 0; i < rows; ++i) s += m(i, j);
      for (std::size_t i = 0; i < rows; ++i) m(i, j) /= s;
    }
  }
  return m;
}

BiarchetypalProblem random_biarchetypal_problem(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> sym(-1.0, 1.0);
  BiarchetypalProblem p;
  p.X = HostMatrix(kRows, kCols);
  for (auto& v : p.X.values) v = sym(rng);
  p.alpha = stochastic(kRows, kRowArchetypes, true, rng);
  p.beta = stochastic(kRowArchetypes, kRows, true, rng);
  p.theta = stochastic(kCols, kColArchetypes, false, rng);
  p.gamma = stochastic(kColArchetypes, kCols, false, rng);
  return p;
}

/// The dense n x d reconstruction alpha ((beta X) theta) gamma, brute force.
double brute_force_rss(const BiarchetypalProblem& p) {
  const HostMatrix R = product(product(product(p.alpha, product(p.beta, p.X)), p.theta), p.gamma);
  double rss = 0;
  for (std::size_t e = 0; e < R.values.size(); ++e) {
    const double r = p.X.values[e] - R.values[e];
    rss += r * r;
  }
  return rss;
}

template <class S>
kaa::Parameters<S> device_parameters(const BiarchetypalProblem& p) {
  kaa::Parameters<S> params;
  params.weights = kaa::to_device<S>(p.alpha, "alpha");
  params.mixing = kaa::to_device<S>(p.beta, "beta");
  params.archetypes = kaa::Matrix<S>("Z", kRowArchetypes, kCols);
  params.column_mixing = kaa::to_device<S>(p.theta, "theta");
  params.column_weights = kaa::to_device<S>(p.gamma, "gamma");
  return params;
}

TEST(BiarchetypalLoss, ValueMatchesDenseReconstruction) {
  for (const json& raw : {json{{"weight", 1.0}, {"reduction", "mean"}},
                          json{{"weight", 2.5}, {"reduction", "sum"}}}) {
    SCOPED_TRACE(raw.dump());
    const BiarchetypalProblem p = random_biarchetypal_problem(3);
    const auto X = kaa::to_device<double>(p.X, "X");
    auto params = device_parameters<double>(p);
    kaa::kernels::mixing_times_data(params.mixing, X, params.archetypes);
    auto loss = make<kaa::strategies::BiarchetypalReconstruction, double>(raw);
    const double rss = brute_force_rss(p);
    const double expected =
        raw["weight"].get<double>() * (raw["reduction"] == "mean" ? rss / kRows : rss);
    // Same sums in another order: 1e-12 relative.
    EXPECT_NEAR(loss.value(X, params), expected, 1e-12 * expected);
    auto grad = kaa::allocate_like<double>("grad", params);
    EXPECT_NEAR(loss.value_and_grad(X, params, grad), expected, 1e-12 * expected);

    // float: the value is accumulated in double, the products rounded to float (~1e-7 each).
    const auto Xf = kaa::to_device<float>(p.X, "Xf");
    auto pf = device_parameters<float>(p);
    kaa::kernels::mixing_times_data(pf.mixing, Xf, pf.archetypes);
    auto lf = make<kaa::strategies::BiarchetypalReconstruction, float>(raw);
    EXPECT_NEAR(lf.value(Xf, pf), expected, 1e-5 * expected);
  }
}

TEST(BiarchetypalLoss, EffectiveArchetypesAreZThetaGamma) {
  const BiarchetypalProblem p = random_biarchetypal_problem(4);
  const auto X = kaa::to_device<double>(p.X, "X");
  auto params = device_parameters<double>(p);
  kaa::kernels::mixing_times_data(params.mixing, X, params.archetypes);
  auto loss = make<kaa::strategies::BiarchetypalReconstruction, double>();
  kaa::Matrix<double> E("E", kRowArchetypes, kCols);
  ASSERT_TRUE(loss.effective_archetypes(params, E));
  const HostMatrix expected = product(product(product(p.beta, p.X), p.theta), p.gamma);
  const HostMatrix got = kaa::to_host(E);
  for (std::size_t e = 0; e < got.values.size(); ++e)
    EXPECT_NEAR(got.values[e], expected.values[e], 1e-14) << e;  // |entries| <= 1
  // And the value is the plain reconstruction of X from alpha E.
  double rss = 0;
  const HostMatrix R = product(p.alpha, expected);
  for (std::size_t e = 0; e < R.values.size(); ++e)
    rss += (p.X.values[e] - R.values[e]) * (p.X.values[e] - R.values[e]);
  EXPECT_NEAR(loss.value(X, params), rss / kRows, 1e-13);
}

/// Central differences of value() for each entry of a block; `rederive` recomputes Z = B X after
/// a change of B (the mixing block's gradient is the chained one).
template <class Loss>
void fd_check(Loss& loss, const kaa::Matrix<double>& X, kaa::Parameters<double>& params,
              Block block, const HostMatrix& analytic, bool rederive) {
  SCOPED_TRACE(kaa::to_string(block));
  const double h = 1e-6;
  const double f0 = loss.value(X, params);
  // Rounding of value() ~ 1e-16 |f| / h; the truncation error is O(h^2) (the loss is a polynomial
  // of degree 2 in each block, 4 in (Z, theta, gamma) jointly; the entropy is smooth on entries
  // >= 0.04). Tolerance 1e-6 relative plus a 1e-8 |f| floor.
  const double floor = 1e-8 * std::max(1.0, std::abs(f0));
  kaa::Matrix<double>& b = params.block(block);
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), b);
  double largest = 0;
  for (std::size_t r = 0; r < b.extent(0); ++r)
    for (std::size_t c = 0; c < b.extent(1); ++c) {
      const double x0 = host(r, c);
      auto eval = [&](double x) {
        host(r, c) = x;
        Kokkos::deep_copy(b, host);
        if (rederive) kaa::kernels::mixing_times_data(params.mixing, X, params.archetypes);
        return loss.value(X, params);
      };
      const double fd = (eval(x0 + h) - eval(x0 - h)) / (2 * h);
      eval(x0);
      largest = std::max(largest, std::abs(fd));
      EXPECT_NEAR(analytic(r, c), fd, 1e-6 * std::abs(fd) + floor) << "(" << r << ", " << c << ")";
    }
  EXPECT_GT(largest, 1e-3);  // the gradient is not trivially zero
}

TEST(BiarchetypalLoss, GradientsMatchFiniteDifferencesForEveryBlock) {
  for (const json& raw : {json{{"weight", 1.0}, {"reduction", "mean"}},
                          json{{"weight", 0.7}, {"reduction", "sum"}}}) {
    SCOPED_TRACE(raw.dump());
    const BiarchetypalProblem p = random_biarchetypal_problem(5);
    const auto X = kaa::to_device<double>(p.X, "X");
    auto params = device_parameters<double>(p);
    kaa::kernels::mixing_times_data(params.mixing, X, params.archetypes);
    auto loss = make<kaa::strategies::BiarchetypalReconstruction, double>(raw);
    auto grad = kaa::allocate_like<double>("grad", params);
    loss.value_and_grad(X, params, grad);
    EXPECT_EQ(kaa::to_host(grad.mixing).values, std::vector<double>(kRowArchetypes * kRows, 0.0));
    const HostMatrix gZ = kaa::to_host(grad.archetypes);
    // Z as a free block, then B through the chain the model applies (gB = gZ X^T).
    fd_check(loss, X, params, Block::archetypes, gZ, false);
    kaa::kernels::chain_to_mixing(grad.archetypes, X, grad.mixing);
    fd_check(loss, X, params, Block::mixing, kaa::to_host(grad.mixing), true);
    fd_check(loss, X, params, Block::weights, kaa::to_host(grad.weights), false);
    fd_check(loss, X, params, Block::column_mixing, kaa::to_host(grad.column_mixing), false);
    fd_check(loss, X, params, Block::column_weights, kaa::to_host(grad.column_weights), false);
  }
}

TEST(BiarchetypalLoss, ValueAndGradAddsIntoTheGradient) {
  const BiarchetypalProblem p = random_biarchetypal_problem(6);
  const auto X = kaa::to_device<double>(p.X, "X");
  auto params = device_parameters<double>(p);
  kaa::kernels::mixing_times_data(params.mixing, X, params.archetypes);
  auto loss = make<kaa::strategies::BiarchetypalReconstruction, double>();
  auto zero = kaa::allocate_like<double>("zero", params);
  loss.value_and_grad(X, params, zero);
  auto start = kaa::allocate_like<double>("start", params);
  std::mt19937_64 rng(60);
  std::uniform_real_distribution<double> u(-3.0, 3.0);
  std::vector<HostMatrix> initial;
  for (Block b : kaa::kBlocks) {
    HostMatrix m(start.block(b).extent(0), start.block(b).extent(1));
    for (auto& v : m.values) v = u(rng);
    start.block(b) = kaa::to_device<double>(m, "start");
    initial.push_back(m);
  }
  loss.value_and_grad(X, params, start);
  for (std::size_t bi = 0; bi < 5; ++bi) {
    const Block b = kaa::kBlocks[bi];
    const HostMatrix got = kaa::to_host(start.block(b)), g = kaa::to_host(zero.block(b));
    // One addition to values <= ~10: 1e-14 absolute.
    for (std::size_t e = 0; e < got.values.size(); ++e)
      EXPECT_NEAR(got.values[e], initial[bi].values[e] + g.values[e],
                  1e-14 * (1 + std::abs(got.values[e])))
          << kaa::to_string(b) << " entry " << e;
  }
}

TEST(BiarchetypalLoss, ConfigNeedsColumnArchetypes) {
  std::vector<std::string> issues;
  kaa::strategies::BiarchetypalReconstruction<double>::check_config(
      json{{"model", {{"n_archetypes", 3}, {"n_column_archetypes", 0}}}}, "/loss/0", issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].find("/model/n_column_archetypes"), std::string::npos) << issues[0];
  issues.clear();
  kaa::strategies::BiarchetypalReconstruction<double>::check_config(
      json{{"model", {{"n_archetypes", 3}, {"n_column_archetypes", 2}}}}, "/loss/0", issues);
  EXPECT_TRUE(issues.empty());
}

// ---------------------------------------------------------------------------------------------
// column_entropy

TEST(ColumnEntropy, ValueAndGradientOfTheColumnsOfGamma) {
  const BiarchetypalProblem p = random_biarchetypal_problem(7);
  const auto X = kaa::to_device<double>(p.X, "X");
  auto params = device_parameters<double>(p);
  for (double weight : {0.01, -0.3}) {
    SCOPED_TRACE(weight);
    auto loss = make<kaa::strategies::ColumnEntropy, double>({{"weight", weight}});
    // Host: weight / d * sum over columns of -sum_t g log(g + eps).
    double h = 0;
    for (std::size_t f = 0; f < kCols; ++f)
      for (std::size_t t = 0; t < kColArchetypes; ++t)
        h -= p.gamma(t, f) * std::log(p.gamma(t, f) + 1e-10);
    const double expected = weight * h / kCols;
    EXPECT_NEAR(loss.value(X, params), expected, 1e-13 * std::abs(expected));
    auto grad = kaa::allocate_like<double>("grad", params);
    EXPECT_NEAR(loss.value_and_grad(X, params, grad), expected, 1e-13 * std::abs(expected));
    // Only gamma has a gradient.
    for (Block b : {Block::weights, Block::archetypes, Block::mixing, Block::column_mixing})
      for (double v : kaa::to_host(grad.block(b)).values) EXPECT_EQ(v, 0.0) << kaa::to_string(b);
    const HostMatrix g = kaa::to_host(grad.column_weights);
    const double hstep = 1e-6;
    auto G = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), params.column_weights);
    for (std::size_t t = 0; t < kColArchetypes; ++t)
      for (std::size_t f = 0; f < kCols; ++f) {
        const double x0 = G(t, f);
        G(t, f) = x0 + hstep;
        Kokkos::deep_copy(params.column_weights, G);
        const double up = loss.value(X, params);
        G(t, f) = x0 - hstep;
        Kokkos::deep_copy(params.column_weights, G);
        const double down = loss.value(X, params);
        G(t, f) = x0;
        Kokkos::deep_copy(params.column_weights, G);
        const double fd = (up - down) / (2 * hstep);
        // Entries >= 0.04: truncation ~h^2 / g^2 ~ 1e-9 relative; rounding ~1e-10.
        EXPECT_NEAR(g(t, f), fd, 1e-6 * std::abs(fd) + 1e-9) << t << "," << f;
      }
  }
}

TEST(ColumnEntropy, PositiveWeightFavoursSparseColumns) {
  // Same loss on a one-hot-ish and on a uniform gamma: the sparse one is lower for weight > 0.
  auto loss = make<kaa::strategies::ColumnEntropy, double>();
  kaa::Parameters<double> params;
  HostMatrix sparse(kColArchetypes, kCols), uniform(kColArchetypes, kCols);
  for (std::size_t f = 0; f < kCols; ++f) {
    sparse(0, f) = 0.99, sparse(1, f) = 0.01;
    uniform(0, f) = uniform(1, f) = 0.5;
  }
  params.column_weights = kaa::to_device<double>(sparse, "sparse");
  const double low = loss.value({}, params);
  params.column_weights = kaa::to_device<double>(uniform, "uniform");
  const double high = loss.value({}, params);
  // H of (1/2, 1/2) is log 2 per column, up to the eps inside the logarithm.
  EXPECT_NEAR(high, -0.01 * std::log(0.5 + 1e-10), 1e-15);
  EXPECT_LT(low, high);
}

}  // namespace
