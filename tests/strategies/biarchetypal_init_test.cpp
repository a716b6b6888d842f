// Biarchetypal initializers: beta from k-means++ (the same rows as the kmeans_pp initializer)
// plus noise, theta's feature choice against a brute force of archetypax's greedy rule and its
// first draw against the variance weights, gamma's columns on the simplex.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "strategies/initializers/column_variance_cosine.hpp"
#include "strategies/initializers/kmeans_pp.hpp"
#include "strategies/initializers/kmeans_pp_mixing.hpp"
#include "strategies/initializers/uniform_column_weights.hpp"

#include "tests/strategies/make_strategy.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::random_matrix;

using kaa::Block;
using kaa::HostMatrix;
using kaa_test::make;
using nlohmann::json;

kaa::Parameters<double> biarchetypal_parameters(std::size_t n, std::size_t d, std::size_t k,
                                                std::size_t kc) {
  return kaa::allocate_parameters<double>("p", kaa::BlockShape{n, d, k, kc, kaa::kAllBlocks});
}

// ---------------------------------------------------------------------------------------------
// kmeans_pp_mixing

TEST(KmeansPPMixing, OneHotOnTheKmeansPPRowsPlusNoiseRenormalised) {
  const std::size_t n = 40, d = 3, k = 4;
  const auto X = kaa::to_device<double>(random_matrix(n, d, 1), "X");
  for (std::uint64_t seed : {0u, 7u}) {
    auto params = biarchetypal_parameters(n, d, k, 2);
    auto init = make<kaa::strategies::KmeansPPMixing, double>();
    init.initialize(X, params, seed);
    // Composition: the rows are exactly those kmeans_pp picks from the same seed.
    auto reference = make<kaa::strategies::KmeansPP, double>();
    auto other = biarchetypal_parameters(n, d, k, 2);
    reference.initialize(X, other, seed);
    const HostMatrix B = kaa::to_host(params.mixing);
    EXPECT_EQ(kaa::to_host(params.archetypes).values, kaa::to_host(other.archetypes).values);
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t hot = reference.chosen()[j];
      double sum = 0, min_other = 1, max_other = 0;
      for (std::size_t i = 0; i < n; ++i) {
        sum += B(j, i);
        EXPECT_GE(B(j, i), 0.0);
        if (i != hot)
          min_other = std::min(min_other, B(j, i)), max_other = std::max(max_other, B(j, i));
      }
      EXPECT_NEAR(sum, 1.0, 1e-14);
      // Row = (e_hot + 0.05 u) / s with u in [0, 1) and s in [1, 1 + 0.05 n]: the hot entry is
      // >= 1 / s >= 1 / (1 + 0.05 n), every other entry <= 0.05 / s <= 0.05 x the hot entry.
      EXPECT_GE(B(j, hot), 1.0 / (1.0 + 0.05 * n));
      EXPECT_LE(max_other, 0.05 * B(j, hot));
      EXPECT_GT(max_other - min_other, 0.01 / (1.0 + 0.05 * n));
    }
  }
}

TEST(KmeansPPMixing, ZeroNoiseIsExactlyOneHot) {
  const std::size_t n = 25, d = 2, k = 3;
  const auto X = kaa::to_device<double>(random_matrix(n, d, 2), "X");
  auto params = biarchetypal_parameters(n, d, k, 1);
  auto init = make<kaa::strategies::KmeansPPMixing, double>({{"noise", 0.0}});
  init.initialize(X, params, 3);
  auto reference = make<kaa::strategies::KmeansPP, double>();
  auto other = biarchetypal_parameters(n, d, k, 1);
  reference.initialize(X, other, 3);
  const HostMatrix B = kaa::to_host(params.mixing);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t i = 0; i < n; ++i)
      EXPECT_EQ(B(j, i), i == reference.chosen()[j] ? 1.0 : 0.0) << j << "," << i;
}

TEST(KmeansPPMixing, RefusesAModelWithoutMixing) {
  const auto X = kaa::to_device<double>(random_matrix(10, 2, 3), "X");
  auto params = kaa::allocate_parameters<double>("p", 10, 2, 2);
  auto init = make<kaa::strategies::KmeansPPMixing, double>();
  EXPECT_THROW(init.initialize(X, params, 0), kaa::Error);
}

// ---------------------------------------------------------------------------------------------
// column_variance_cosine

/// archetypax's greedy rule written out: after `first`, each next feature maximises
/// min over the chosen ones of 1 - |x_f . x_c| / sqrt(|x_f|^2 |x_c|^2 + 1e-10), the chosen ones
/// set to 0 (first index on ties), recomputing every minimum from scratch.
std::vector<std::size_t> brute_force_greedy(const HostMatrix& X, std::size_t first,
                                            std::size_t kc) {
  std::vector<std::size_t> chosen{first};
  auto dot = [&](std::size_t a, std::size_t b) {
    double s = 0;
    for (std::size_t i = 0; i < X.rows; ++i) s += X(i, a) * X(i, b);
    return s;
  };
  while (chosen.size() < kc) {
    std::vector<double> score(X.cols);
    for (std::size_t f = 0; f < X.cols; ++f) {
      double m = std::numeric_limits<double>::infinity();
      for (std::size_t c : chosen)
        m = std::min(m, 1.0 - std::abs(dot(f, c)) / std::sqrt(dot(f, f) * dot(c, c) + 1e-10));
      score[f] = m;
    }
    for (std::size_t c : chosen) score[c] = 0.0;
    chosen.push_back(
        static_cast<std::size_t>(std::max_element(score.begin(), score.end()) - score.begin()));
  }
  return chosen;
}

TEST(ColumnVarianceCosine, GreedyChoiceMatchesBruteForce) {
  const std::size_t n = 30, d = 9, kc = 5;
  HostMatrix Xh = random_matrix(n, d, 4);
  // Make the choice non-trivial: two near-duplicate features and one anti-correlated copy.
  for (std::size_t i = 0; i < n; ++i) {
    Xh(i, 3) = Xh(i, 1) + 0.01 * Xh(i, 2);
    Xh(i, 5) = -Xh(i, 1);
  }
  const auto X = kaa::to_device<double>(Xh, "X");
  std::set<std::size_t> firsts;
  for (std::uint64_t seed = 0; seed < 12; ++seed) {
    auto params = biarchetypal_parameters(n, d, 2, kc);
    auto init = make<kaa::strategies::ColumnVarianceCosine, double>();
    init.initialize(X, params, seed);
    ASSERT_EQ(init.chosen().size(), kc);
    firsts.insert(init.chosen()[0]);
    EXPECT_EQ(init.chosen(), brute_force_greedy(Xh, init.chosen()[0], kc)) << "seed " << seed;
    // Distinct features: the duplicates of feature 1 are never both taken with it.
    const std::set<std::size_t> distinct(init.chosen().begin(), init.chosen().end());
    EXPECT_EQ(distinct.size(), kc);
    // Columns: one-hot + U(0, 0.05) renormalised, so each sums to 1 and peaks at its feature.
    const HostMatrix theta = kaa::to_host(params.column_mixing);
    for (std::size_t t = 0; t < kc; ++t) {
      double sum = 0;
      for (std::size_t f = 0; f < d; ++f) {
        sum += theta(f, t);
        if (f != init.chosen()[t]) {
          EXPECT_LE(theta(f, t), 0.05 * theta(init.chosen()[t], t));
        }
      }
      EXPECT_NEAR(sum, 1.0, 1e-14);
      EXPECT_GE(theta(init.chosen()[t], t), 1.0 / (1.0 + 0.05 * d));
    }
  }
  EXPECT_GT(firsts.size(), 2u);  // the first feature is drawn, not fixed
}

TEST(ColumnVarianceCosine, FirstFeatureIsDrawnByVariance) {
  // Feature variances 0 : 1 : 4 : 0 (scaled copies of one centred column, plus constants): the
  // constant features are never drawn first; the others with frequencies 1/5 and 4/5.
  const std::size_t n = 8, d = 4;
  HostMatrix Xh(n, d);
  for (std::size_t i = 0; i < n; ++i) {
    const double z = (i % 2 == 0) ? 1.0 : -1.0;
    Xh(i, 0) = 3.0, Xh(i, 1) = z, Xh(i, 2) = 2.0 * z, Xh(i, 3) = -1.0;
  }
  const auto X = kaa::to_device<double>(Xh, "X");
  std::size_t count[d] = {0, 0, 0, 0};
  const std::size_t draws = 400;
  auto init = make<kaa::strategies::ColumnVarianceCosine, double>();
  for (std::uint64_t seed = 0; seed < draws; ++seed) {
    auto params = biarchetypal_parameters(n, d, 1, 1);
    init.initialize(X, params, seed);
    ++count[init.chosen()[0]];
  }
  EXPECT_EQ(count[0], 0u);
  EXPECT_EQ(count[3], 0u);
  // Binomial(400, 0.8): sd = 8; 4 sd = 32 (a false failure has probability < 1e-4).
  EXPECT_NEAR(static_cast<double>(count[2]), 320.0, 32.0);
}

TEST(ColumnVarianceCosine, ConstantDataFallBackToAUniformDraw) {
  HostMatrix Xh(5, 3);
  for (auto& v : Xh.values) v = 2.0;
  const auto X = kaa::to_device<double>(Xh, "X");
  std::set<std::size_t> firsts;
  auto init = make<kaa::strategies::ColumnVarianceCosine, double>();
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    auto params = biarchetypal_parameters(5, 3, 1, 2);
    init.initialize(X, params, seed);
    firsts.insert(init.chosen()[0]);
    for (double v : kaa::to_host(params.column_mixing).values) EXPECT_TRUE(std::isfinite(v));
  }
  EXPECT_EQ(firsts.size(), 3u);
}

TEST(ColumnVarianceCosine, MoreColumnArchetypesThanFeaturesIsAnError) {
  const auto X = kaa::to_device<double>(random_matrix(10, 3, 5), "X");
  auto params = biarchetypal_parameters(10, 3, 2, 4);
  auto init = make<kaa::strategies::ColumnVarianceCosine, double>();
  try {
    init.initialize(X, params, 0);
    FAIL() << "expected an error";
  } catch (const kaa::Error& e) {
    EXPECT_NE(std::string(e.what()).find("n_column_archetypes"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// uniform_column_weights

TEST(UniformColumnWeights, ColumnsOnTheSimplexFromUniformDraws) {
  const std::size_t d = 50, kc = 3;
  auto params = biarchetypal_parameters(4, d, 2, kc);
  auto init = make<kaa::strategies::UniformColumnWeights, double>();
  init.initialize({}, params, 11);
  const HostMatrix G = kaa::to_host(params.column_weights);
  std::set<double> values;
  for (std::size_t f = 0; f < d; ++f) {
    double sum = 0;
    for (std::size_t t = 0; t < kc; ++t) sum += G(t, f);
    EXPECT_NEAR(sum, 1.0, 1e-14);
    // u / sum of kc draws in [0.1, 0.9]: within [0.1 / (0.1 + 0.9 (kc - 1)), 0.9 / (0.9 + 0.1 (kc -
    // 1))].
    for (std::size_t t = 0; t < kc; ++t) {
      EXPECT_GE(G(t, f), 0.1 / (0.1 + 0.9 * (kc - 1)) - 1e-15);
      EXPECT_LE(G(t, f), 0.9 / (0.9 + 0.1 * (kc - 1)) + 1e-15);
      values.insert(G(t, f));
    }
  }
  EXPECT_EQ(values.size(), d * kc);  // no repeated draws
  // Deterministic in the seed; another seed gives another start.
  auto again = biarchetypal_parameters(4, d, 2, kc);
  init.initialize({}, again, 11);
  EXPECT_EQ(kaa::to_host(again.column_weights).values, G.values);
  init.initialize({}, again, 12);
  EXPECT_NE(kaa::to_host(again.column_weights).values, G.values);
}

}  // namespace
