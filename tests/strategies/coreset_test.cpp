// The coreset dataset (Mair & Brefeld, NeurIPS 2019): its sampling distribution against the
// paper's formula and against empirical frequencies, unbiased weights, reproducible draws, its
// errors, and the weights and RSS of every row after a fit on it.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/api.hpp"
#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "strategies/datasets/coreset.hpp"
#include "tests/support/full_registry.hpp"

namespace coreset_test {

using nlohmann::json;
namespace coreset = kaa::strategies::coreset;

kaa::HostMatrix small_points() {
  kaa::HostMatrix X(8, 2);
  const double values[] = {0, 0, 1, 0, 0, 1, 3, 3, -2, 1, 0.5, 0.5, 4, -1, 1, 2};
  for (std::size_t e = 0; e < 16; ++e) X.values[e] = values[e];
  return X;
}

/// The paper's q, written out independently: u w_i / sum w + (1 - u) w_i d_i^2 / sum w d^2 with
/// d_i the distance to the weighted mean.
std::vector<double> expected_q(const kaa::HostMatrix& X, const std::vector<double>& w, double u) {
  const std::size_t n = X.rows;
  double W = 0, mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    W += w[i];
    mx += w[i] * X(i, 0);
    my += w[i] * X(i, 1);
  }
  mx /= W;
  my /= W;
  std::vector<double> d2(n);
  double D = 0;
  for (std::size_t i = 0; i < n; ++i) {
    d2[i] = (X(i, 0) - mx) * (X(i, 0) - mx) + (X(i, 1) - my) * (X(i, 1) - my);
    D += w[i] * d2[i];
  }
  std::vector<double> q(n);
  for (std::size_t i = 0; i < n; ++i) q[i] = u * w[i] / W + (1 - u) * w[i] * d2[i] / D;
  return q;
}

TEST(Coreset, ProbabilitiesArePapersMixOfUniformAndSquaredDistance) {
  const kaa::HostMatrix X = small_points();
  const std::vector<double> ones(8, 1.0), weights = {1, 2, 0.5, 1, 3, 0, 1, 2};
  for (double u : {0.5, 0.2, 1.0}) {
    const auto q = coreset::probabilities(X, {}, u);
    const auto qw = coreset::probabilities(X, weights, u);
    const auto want = expected_q(X, ones, u), want_w = expected_q(X, weights, u);
    double sum = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      EXPECT_NEAR(q[i], want[i], 1e-15) << "u " << u << " row " << i;
      EXPECT_NEAR(qw[i], want_w[i], 1e-15) << "weighted, u " << u << " row " << i;
      sum += q[i];
    }
    EXPECT_NEAR(sum, 1.0, 1e-14);
  }
}

TEST(Coreset, EmpiricalFrequenciesMatchQ) {
  // Pearson's chi-square of 200 000 draws over 8 rows (7 degrees of freedom): below 40.52, its
  // 1 - 1e-6 quantile. Drawing uniformly instead gives a statistic in the tens of thousands.
  const auto q = coreset::probabilities(small_points(), {}, 0.5);
  const std::size_t draws = 200000;
  const auto rows = coreset::draw_rows(q, draws, 11);
  std::vector<double> counts(q.size(), 0.0);
  for (std::size_t r : rows) counts.at(r) += 1;
  double chi2 = 0;
  for (std::size_t i = 0; i < q.size(); ++i) {
    const double expected = static_cast<double>(draws) * q[i];
    chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
  }
  EXPECT_LT(chi2, 40.52);
}

TEST(Coreset, RowsOfWeightZeroAreNeverDrawn) {
  const std::vector<double> weights = {1, 0, 1, 0, 1, 0, 1, 0};
  const auto q = coreset::probabilities(small_points(), weights, 0.5);
  for (std::size_t r : coreset::draw_rows(q, 10000, 3)) EXPECT_EQ(r % 2, 0u) << r;
}

json coreset_node(std::size_t m, std::size_t n = 2000) {
  return {
      {"type", "coreset"},
      {"m", m},
      {"source", {{"type", "synthetic"}, {"n", n}, {"d", 4}, {"n_archetypes", 3}, {"seed", 5}}}};
}

/// A resolved pcha config (float64) on `data`.
json pcha_config(const json& data, bool normalize = false) {
  std::ifstream in(KAA_SOURCE_DIR "/configs/pcha.json");
  json c = json::parse(in);
  c["data"] = data;
  c["model"]["n_archetypes"] = 3;
  c["model"]["normalize"] = normalize;
  return kaa::resolve_config(c, kaa_test::full_registry(), "test");
}

kaa::LoadedData load(const json& node, std::uint64_t seed) {
  const kaa::Registry registry = kaa_test::full_registry();
  std::vector<std::string> issues;
  const json resolved =
      kaa::resolve_strategy_node(node, kaa::Kind::dataset, registry, "/data", issues);
  EXPECT_TRUE(issues.empty()) << (issues.empty() ? "" : issues.front());
  return registry.make<kaa::Dataset, double>(resolved)->load(seed);
}

TEST(Coreset, WeightsSumToTheRowCountInExpectation) {
  // sum_j 1 / (m q(x_j)) has mean n; each term is at most 2n / m (q >= 1 / (2n)), so the mean of
  // 100 coresets of m = 100 has a standard deviation below n / 100: 3 % is three of them.
  double total = 0;
  const int coresets = 100;
  for (int seed = 0; seed < coresets; ++seed) {
    const kaa::LoadedData data = load(coreset_node(100), static_cast<std::uint64_t>(seed));
    ASSERT_EQ(data.weights.size(), 100u);
    for (double w : data.weights) total += w;
  }
  EXPECT_NEAR(total / coresets / 2000.0, 1.0, 0.03);
}

/// Squared residual of each row of X for archetypes Z and weights W, on the host.
std::vector<double> row_residuals(const kaa::HostMatrix& X, const kaa::HostMatrix& W,
                                  const kaa::HostMatrix& Z) {
  std::vector<double> r(X.rows, 0.0);
  for (std::size_t i = 0; i < X.rows; ++i)
    for (std::size_t f = 0; f < X.cols; ++f) {
      double e = X(i, f);
      for (std::size_t j = 0; j < Z.rows; ++j) e -= W(i, j) * Z(j, f);
      r[i] += e * e;
    }
  return r;
}

/// Squared residual of each row of X at archetypes Z, its weights by the exact transform.
std::vector<double> residuals_at(const json& resolved, const kaa::HostMatrix& Z,
                                 const kaa::HostMatrix& X) {
  return row_residuals(X, kaa::transform(resolved, Z, X, {}, kaa_test::full_registry()), Z);
}

TEST(Coreset, WeightedRssAtFixedArchetypesEstimatesTheFullRss) {
  // At the true archetypes shrunk towards their mean (so that every row has a residual), the
  // weighted RSS of 40 coresets of m = 200 averages within 3 % of the full RSS (one coreset's
  // estimate has a standard deviation of 6 % here, so the mean's is 1 %; measured: 0.988).
  // Unweighted coreset rows, scaled by n / m, overshoot it (measured: 1.15): the draws favour
  // rows far from the mean, which fit worst.
  const json resolved = pcha_config(coreset_node(200));
  const kaa::LoadedData full = load(resolved.at("data").at("source"), 0);
  kaa::HostMatrix Z = *full.true_archetypes;
  for (std::size_t f = 0; f < Z.cols; ++f) {
    double mean = 0;
    for (std::size_t j = 0; j < Z.rows; ++j) mean += Z(j, f) / static_cast<double>(Z.rows);
    for (std::size_t j = 0; j < Z.rows; ++j) Z(j, f) = mean + 0.8 * (Z(j, f) - mean);
  }
  double full_rss = 0;
  for (double r : residuals_at(resolved, Z, full.X)) full_rss += r;
  double weighted = 0, unweighted = 0;
  const int coresets = 40;
  for (int seed = 0; seed < coresets; ++seed) {
    const kaa::LoadedData c = load(resolved.at("data"), static_cast<std::uint64_t>(seed));
    const std::vector<double> r = residuals_at(resolved, Z, c.X);
    for (std::size_t j = 0; j < r.size(); ++j) {
      weighted += c.weights[j] * r[j] / coresets;
      unweighted += r[j] * 2000.0 / 200.0 / coresets;
    }
  }
  EXPECT_NEAR(weighted / full_rss, 1.0, 0.03);
  EXPECT_GT(unweighted / full_rss, 1.1);
}

TEST(Coreset, SameSeedSameCoresetOtherSeedAnother) {
  const kaa::LoadedData a = load(coreset_node(50), 7), b = load(coreset_node(50), 7),
                        c = load(coreset_node(50), 8);
  EXPECT_EQ(a.X.values, b.X.values);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_NE(a.X.values, c.X.values);
  ASSERT_TRUE(a.full.has_value());
  EXPECT_EQ(a.full->X.rows, 2000u);
  EXPECT_TRUE(a.true_archetypes.has_value());
  EXPECT_NE(a.description.find("coreset m=50 of synthetic"), std::string::npos) << a.description;
}

std::string config_error(const json& data) {
  json c = {{"model", {{"n_archetypes", 3}}}, {"data", data}};
  try {
    kaa::resolve_config(c, kaa_test::full_registry(), "c.json");
  } catch (const kaa::ConfigError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(Coreset, BadParametersAreConfigErrorsAtTheirPointer) {
  json zero = coreset_node(1);
  zero["m"] = 0;
  EXPECT_NE(config_error(zero).find("c.json: /data/m: "), std::string::npos) << config_error(zero);
  json unknown = coreset_node(10);
  unknown["source"] = {{"type", "no_such_data"}};
  EXPECT_NE(config_error(unknown).find("/data/source"), std::string::npos) << config_error(unknown);
  json bad_child = coreset_node(10);
  bad_child["source"]["n"] = 0;
  EXPECT_NE(config_error(bad_child).find("/data/source/n: "), std::string::npos)
      << config_error(bad_child);
  json share = coreset_node(10);
  share["uniform_share"] = 0.0;
  EXPECT_NE(config_error(share).find("/data/uniform_share: "), std::string::npos)
      << config_error(share);
}

TEST(Coreset, AsManyRowsAsTheSourceIsAnInputError) {
  try {
    load(coreset_node(100, 100), 0);
    ADD_FAILURE() << "accepted m = n";
  } catch (const kaa::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("m = 100 is not smaller than the 100 rows"),
              std::string::npos)
        << e.what();
  }
}

TEST(Coreset, FitGivesEveryRowsWeightsAndTheirRss) {
  for (bool normalize : {false, true}) {
    const json resolved = pcha_config(coreset_node(300), normalize);
    const kaa::Result result = kaa::fit(resolved, kaa_test::full_registry());
    ASSERT_TRUE(result.ok);
    EXPECT_EQ(result.metrics.at("coreset_rows"), 300);
    EXPECT_EQ(result.metrics.at("n"), 2000);
    // Independently: the exact transform of all rows at the fitted archetypes, residuals on the
    // host.
    const kaa::LoadedData full = load(resolved.at("data").at("source"), 0);
    const kaa::HostMatrix W = kaa::transform(resolved, result.archetypes, full.X,
                                             result.standardization, kaa_test::full_registry());
    ASSERT_EQ(result.weights.rows, 2000u);
    for (std::size_t e = 0; e < W.values.size(); ++e)
      ASSERT_NEAR(result.weights.values[e], W.values[e], 1e-12) << e;
    double rss = 0;
    for (double r : row_residuals(full.X, W, result.archetypes)) rss += r;
    EXPECT_NEAR(result.metrics.at("rss_full_data").get<double>() / rss, 1.0, 1e-10);
    EXPECT_GT(result.metrics.at("explained_variance_full_data").get<double>(), 0.5);
  }
}

TEST(Coreset, FitOnTheWeightedCoresetNearlyMatchesTheFullFit) {
  // pcha with k = 3 on 20 000 noisy points in 5-d: the fit on a coreset of 1 000 weighted rows
  // leaves an RSS on all rows within 5 % of the full fit's for 3 seeds (measured: +2.2, +1.6 and
  // +3.0 %; the coreset's hull is smaller than the data's, so the fit can only be worse).
  json source = {{"type", "synthetic"}, {"n", 20000},    {"d", 5},
                 {"n_archetypes", 3},   {"noise", 0.05}, {"seed", 2}};
  for (std::uint64_t seed : {1, 2, 3}) {
    json full_config = pcha_config(source);
    full_config["model"]["seed"] = seed;
    const kaa::Result full = kaa::fit(full_config, kaa_test::full_registry());
    json coreset_config = pcha_config({{"type", "coreset"}, {"m", 1000}, {"source", source}});
    coreset_config["model"]["seed"] = seed;
    const kaa::Result core = kaa::fit(coreset_config, kaa_test::full_registry());
    ASSERT_TRUE(full.ok && core.ok);
    const double ratio =
        core.metrics.at("rss_full_data").get<double>() / full.metrics.at("rss").get<double>();
    EXPECT_NEAR(ratio, 1.0, 0.05) << "seed " << seed;
  }
}

}  // namespace coreset_test
