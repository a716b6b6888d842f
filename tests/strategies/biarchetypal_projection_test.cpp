// Biarchetypal projections: column_simplex_clamp against its host formula, and the
// biarchetype_projection hook against a host transcription of archetypax's
// project_row_archetypes / project_col_archetypes (stable argsort, softmax, 0.8 / 0.2 blend),
// including its schedule (updates 1, 11, 21, ...) and the final projection.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/kernels/mixing.hpp"
#include "strategies/hooks/projections/biarchetype_projection.hpp"
#include "strategies/projectors/column_simplex_clamp.hpp"

#include "tests/strategies/make_strategy.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::random_matrix;

using kaa::HostMatrix;
using kaa_test::make;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// column_simplex_clamp

TEST(ColumnSimplexClamp, ColumnsAreClampedAndRenormalised) {
  const double eps = 1e-3;
  auto proj = make<kaa::strategies::ColumnSimplexClamp, double>({{"eps", eps}});
  const std::size_t rows = 6, cols = 9;
  HostMatrix W = random_matrix(rows, cols, 1, -1.0, 2.0);
  for (std::size_t r = 0; r < rows; ++r) W(r, 0) = -1.0;  // all floored: uniform column
  auto block = kaa::to_device<double>(W, "W");
  proj.project(block, {});
  const HostMatrix out = kaa::to_host(block);
  for (std::size_t c = 0; c < cols; ++c) {
    double clamped = 0, sum = 0;
    for (std::size_t r = 0; r < rows; ++r) clamped += std::max(eps, W(r, c));
    for (std::size_t r = 0; r < rows; ++r) {
      // Host formula: same operations in the same order up to the sum: 1e-15 relative.
      EXPECT_NEAR(out(r, c), std::max(eps, W(r, c)) / std::max(eps, clamped),
                  1e-15 * std::max(eps, W(r, c)) / clamped)
          << r << "," << c;
      EXPECT_GE(out(r, c), 0.0);
      sum += out(r, c);
    }
    EXPECT_NEAR(sum, 1.0, 1e-14) << "column " << c;
  }
  for (std::size_t r = 0; r < rows; ++r) EXPECT_NEAR(out(r, 0), 1.0 / rows, 1e-15);
  // Rows are not normalised (this is the column variant).
  double row0 = 0;
  for (std::size_t c = 0; c < cols; ++c) row0 += out(0, c);
  EXPECT_GT(std::abs(row0 - 1.0), 1e-3);
}

TEST(ColumnSimplexClamp, FloatKeepsColumnsOnTheSimplex) {
  auto proj = make<kaa::strategies::ColumnSimplexClamp, float>();
  HostMatrix W = random_matrix(3, 40, 2, -0.5, 1.0);
  auto block = kaa::to_device<float>(W, "W");
  proj.project(block, {});
  const HostMatrix out = kaa::to_host(block);
  for (std::size_t c = 0; c < 40; ++c) {
    double sum = 0;
    for (std::size_t r = 0; r < 3; ++r) {
      EXPECT_GT(out(r, c), 0.0);
      sum += out(r, c);
    }
    EXPECT_NEAR(sum, 1.0, 1e-6);
  }
}

// ---------------------------------------------------------------------------------------------
// biarchetype_projection against archetypax's formulas

/// archetypax's _project_to_boundary for one coefficient vector `a` over candidates (rows of C,
/// each a point of length L), with the centre `centre` subtracted from the direction and, when
/// `centred`, from the candidates; top = the tail of a stable ascending argsort.
std::vector<double> archetypax_pull(const std::vector<double>& a, const HostMatrix& C,
                                    const std::vector<double>& centre, bool centred,
                                    std::size_t kp) {
  const std::size_t m = C.rows, L = C.cols;
  std::vector<double> dir(L, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t l = 0; l < L; ++l) dir[l] += a[i] * C(i, l);
  double norm = 0;
  for (std::size_t l = 0; l < L; ++l) {
    dir[l] -= centre[l];
    norm += dir[l] * dir[l];
  }
  norm = std::sqrt(norm);
  for (double& v : dir) v /= norm;
  std::vector<double> proj(m, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t l = 0; l < L; ++l) proj[i] += (C(i, l) - (centred ? centre[l] : 0.0)) * dir[l];
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return proj[x] < proj[y]; });
  const std::vector<std::size_t> top(order.end() - kp, order.end());
  double vmax = -1e300, total = 0;
  for (std::size_t i : top) vmax = std::max(vmax, proj[i]);
  for (std::size_t i : top) total += std::exp(proj[i] - vmax);
  std::vector<double> hot(m, 0.0);
  for (std::size_t i : top) hot[i] = std::exp(proj[i] - vmax) / total;
  std::vector<double> out(m);
  double sum = 0;
  for (std::size_t i = 0; i < m; ++i) {
    out[i] = std::max(1e-10, 0.8 * hot[i] + 0.2 * a[i]);
    sum += out[i];
  }
  for (double& v : out) v /= sum;
  return out;
}

struct ProjectionCase {
  HostMatrix X, beta, theta;
};

/// Random data and coefficients; rows i and i + n/2 of X identical, so every row projection value
/// appears twice and an odd top count always splits a tie (the higher index must win).
ProjectionCase random_case(std::size_t n, std::size_t d, std::size_t k, std::size_t kc,
                           std::uint64_t seed) {
  ProjectionCase c{random_matrix(n, d, seed, -1.0, 1.0), random_matrix(k, n, seed + 1, 0.0, 1.0),
                   random_matrix(d, kc, seed + 2, 0.0, 1.0)};
  for (std::size_t i = 0; i < n / 2; ++i)
    for (std::size_t f = 0; f < d; ++f) c.X(i + n / 2, f) = c.X(i, f);
  for (std::size_t j = 0; j < k; ++j) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += c.beta(j, i);
    for (std::size_t i = 0; i < n; ++i) c.beta(j, i) /= s;
  }
  for (std::size_t t = 0; t < kc; ++t) {
    double s = 0;
    for (std::size_t f = 0; f < d; ++f) s += c.theta(f, t);
    for (std::size_t f = 0; f < d; ++f) c.theta(f, t) /= s;
  }
  return c;
}

/// Expected beta and theta after one projection, by the host transcription.
std::pair<HostMatrix, HostMatrix> expected_pull(const ProjectionCase& c) {
  const std::size_t n = c.X.rows, d = c.X.cols, k = c.beta.rows, kc = c.theta.cols;
  std::vector<double> centre(d, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f) centre[f] += c.X(i, f) / n;
  HostMatrix beta(k, n), theta(d, kc);
  const std::size_t kr = std::min<std::size_t>(5, n / 10 + 2);
  for (std::size_t j = 0; j < k; ++j) {
    const std::vector<double> row(c.beta.values.begin() + j * n,
                                  c.beta.values.begin() + (j + 1) * n);
    const auto out = archetypax_pull(row, c.X, centre, true, kr);
    std::copy(out.begin(), out.end(), beta.values.begin() + j * n);
  }
  HostMatrix XT(d, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f) XT(f, i) = c.X(i, f);
  std::vector<double> row_mean(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f) row_mean[i] += c.X(i, f) / d;
  const std::size_t kcol = std::min<std::size_t>(5, d / 10 + 2);
  for (std::size_t t = 0; t < kc; ++t) {
    std::vector<double> col(d);
    for (std::size_t f = 0; f < d; ++f) col[f] = c.theta(f, t);
    const auto out = archetypax_pull(col, XT, row_mean, false, kcol);
    for (std::size_t f = 0; f < d; ++f) theta(f, t) = out[f];
  }
  return {beta, theta};
}

kaa::Parameters<double> device_parameters(const ProjectionCase& c, const kaa::Matrix<double>& X) {
  kaa::Parameters<double> p = kaa::allocate_parameters<double>(
      "p", kaa::BlockShape{c.X.rows, c.X.cols, c.beta.rows, c.theta.cols, kaa::kAllBlocks});
  p.mixing = kaa::to_device<double>(c.beta, "beta");
  p.column_mixing = kaa::to_device<double>(c.theta, "theta");
  kaa::kernels::mixing_times_data(p.mixing, X, p.archetypes);
  return p;
}

void expect_matrix_near(const HostMatrix& got, const HostMatrix& want, double tol,
                        const char* what) {
  ASSERT_EQ(got.values.size(), want.values.size());
  for (std::size_t e = 0; e < got.values.size(); ++e)
    EXPECT_NEAR(got.values[e], want.values[e], tol) << what << " entry " << e;
}

TEST(BiarchetypeProjection, MatchesArchetypaxRowAndColumnPulls) {
  // n = 30: 5 rows mixed; n = 12: 3 rows; d = 7: 2 features mixed; d = 25: 4 features.
  for (const auto& [n, d, seed] : {std::tuple{30, 7, 1}, std::tuple{12, 25, 2}}) {
    SCOPED_TRACE(n);
    const ProjectionCase c = random_case(n, d, 3, 2, seed);
    const auto X = kaa::to_device<double>(c.X, "X");
    auto params = device_parameters(c, X);
    auto hook = make<kaa::strategies::BiarchetypeProjection, double>();
    hook.apply(X, params);
    const auto [beta, theta] = expected_pull(c);
    // Same formulas, sums in another order: 1e-13 absolute on entries <= 1.
    expect_matrix_near(kaa::to_host(params.mixing), beta, 1e-13, "beta");
    expect_matrix_near(kaa::to_host(params.column_mixing), theta, 1e-13, "theta");
    // The archetypes are re-derived from the new beta.
    HostMatrix Z(3, d);
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i)
        for (std::size_t f = 0; f < static_cast<std::size_t>(d); ++f)
          Z(j, f) += beta(j, i) * c.X(i, f);
    expect_matrix_near(kaa::to_host(params.archetypes), Z, 1e-13, "archetypes");
    // The pull moved something (0.8 of the mass goes to the extreme points).
    double moved = 0;
    for (std::size_t e = 0; e < beta.values.size(); ++e)
      moved = std::max(moved, std::abs(beta.values[e] - c.beta.values[e]));
    EXPECT_GT(moved, 0.1);
  }
}

TEST(BiarchetypeProjection, FloatAgreesWithTheHostTranscription) {
  const ProjectionCase c = random_case(30, 7, 2, 3, 3);
  const auto X = kaa::to_device<float>(c.X, "X");
  kaa::Parameters<float> params =
      kaa::allocate_parameters<float>("p", kaa::BlockShape{30, 7, 2, 3, kaa::kAllBlocks});
  params.mixing = kaa::to_device<float>(c.beta, "beta");
  params.column_mixing = kaa::to_device<float>(c.theta, "theta");
  kaa::kernels::mixing_times_data(params.mixing, X, params.archetypes);
  auto hook = make<kaa::strategies::BiarchetypeProjection, float>();
  hook.apply(X, params);
  const auto [beta, theta] = expected_pull(c);
  // Float inputs and blends: 1e-6 absolute on entries <= 1 (no near-tie at the top boundary in
  // this case other than the exact duplicates, which float keeps exact too).
  expect_matrix_near(kaa::to_host(params.mixing), beta, 1e-6, "beta");
  expect_matrix_near(kaa::to_host(params.column_mixing), theta, 1e-6, "theta");
}

TEST(BiarchetypeProjection, RunsAfterUpdatesOneElevenTwentyOneAndAtTheEnd) {
  const ProjectionCase c = random_case(30, 7, 2, 2, 4);
  const auto X = kaa::to_device<double>(c.X, "X");
  std::vector<double> losses;
  for (bool final : {true, false}) {
    auto hook = make<kaa::strategies::BiarchetypeProjection, double>({{"final", final}});
    std::vector<std::size_t> applied;
    for (std::size_t update = 1; update <= 25; ++update) {
      auto params = device_parameters(c, X);
      kaa::HookContext<double> ctx{X, params, update, losses, {}, {}, {}};
      hook.after_update(ctx);
      if (kaa::to_host(params.mixing).values != c.beta.values) applied.push_back(update);
    }
    EXPECT_EQ(applied, (std::vector<std::size_t>{1, 11, 21}));
    auto params = device_parameters(c, X);
    kaa::HookContext<double> ctx{X, params, 25, losses, {}, {}, {}};
    hook.on_finish(ctx);
    EXPECT_EQ(kaa::to_host(params.mixing).values != c.beta.values, final);
  }
}

TEST(BiarchetypeProjection, RowsOnlyLeavesThetaAndEveryIsAParameter) {
  const ProjectionCase c = random_case(30, 7, 2, 2, 5);
  const auto X = kaa::to_device<double>(c.X, "X");
  auto hook = make<kaa::strategies::BiarchetypeProjection, double>(
      {{"columns", false}, {"every", 3}, {"mix", 1.0}});
  std::vector<double> losses;
  std::vector<std::size_t> applied;
  for (std::size_t update = 1; update <= 8; ++update) {
    auto params = device_parameters(c, X);
    kaa::HookContext<double> ctx{X, params, update, losses, {}, {}, {}};
    hook.after_update(ctx);
    EXPECT_EQ(kaa::to_host(params.column_mixing).values, c.theta.values);
    if (kaa::to_host(params.mixing).values != c.beta.values) applied.push_back(update);
    // mix = 1: beta rows are exactly the softmax weights on the 5 extreme rows (floored at eps).
    if (update == 1) {
      const HostMatrix b = kaa::to_host(params.mixing);
      for (std::size_t j = 0; j < 2; ++j) {
        std::size_t hot = 0;
        for (std::size_t i = 0; i < 30; ++i) hot += b(j, i) > 1e-9;
        EXPECT_EQ(hot, 5u);
      }
    }
  }
  EXPECT_EQ(applied, (std::vector<std::size_t>{1, 4, 7}));
}

TEST(BiarchetypeProjection, ConfigNeedsTheBiarchetypalLossForColumns) {
  auto config = [](const std::string& loss, bool columns) {
    return json{
        {"loss", json::array({json{{"type", loss}}})},
        {"hooks", json::array({json{{"type", "biarchetype_projection"}, {"columns", columns}}})}};
  };
  std::vector<std::string> issues;
  kaa::strategies::BiarchetypeProjection<double>::check_config(config("reconstruction", true),
                                                               "/hooks/0", issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].find("/hooks/0/type"), std::string::npos) << issues[0];
  EXPECT_NE(issues[0].find("biarchetypal_reconstruction"), std::string::npos) << issues[0];
  EXPECT_NE(issues[0].find("/hooks/0/columns"), std::string::npos) << issues[0];
  issues.clear();
  kaa::strategies::BiarchetypeProjection<double>::check_config(
      config("biarchetypal_reconstruction", true), "/hooks/0", issues);
  kaa::strategies::BiarchetypeProjection<double>::check_config(config("reconstruction", false),
                                                               "/hooks/0", issues);
  EXPECT_TRUE(issues.empty());
}

TEST(BiarchetypeProjection, RefusesAModelWithoutTheBlocksItPulls) {
  const ProjectionCase c = random_case(20, 4, 2, 2, 6);
  const auto X = kaa::to_device<double>(c.X, "X");
  auto params = kaa::allocate_parameters<double>("p", 20, 2, 4);  // weights and archetypes only
  auto rows = make<kaa::strategies::BiarchetypeProjection, double>({{"columns", false}});
  EXPECT_THROW(rows.apply(X, params), kaa::Error);
}

}  // namespace
