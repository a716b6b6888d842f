// Sample weights (issue 17): every weighted strategy against the unweighted computation on the
// data with each row repeated w_i times (integer weights, some zero), and the refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "framework/api.hpp"
#include "framework/config/weighted_config.hpp"
#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/model.hpp"
#include "strategies/initializers/furthest_sum.hpp"
#include "strategies/initializers/kmeans_pp.hpp"
#include "strategies/losses/entropy.hpp"
#include "strategies/losses/huber.hpp"
#include "strategies/losses/reconstruction.hpp"
#include "strategies/metrics/explained_variance.hpp"
#include "strategies/metrics/rss.hpp"
#include "strategies/metrics/weight_entropy.hpp"
#include "strategies/metrics/weight_sparsity.hpp"
#include "strategies/optimizers/active_set.hpp"
#include "strategies/optimizers/als_nnls.hpp"
#include "strategies/optimizers/frank_wolfe.hpp"
#include "strategies/optimizers/pcha.hpp"
#include "tests/strategies/make_strategy.hpp"
#include "tests/strategies/solver_fixtures.hpp"
#include "tests/support/host_matrices.hpp"

namespace sample_weights_test {

using kaa::HostMatrix;
using nlohmann::json;

/// X with integer weights 0..3 (row 0 has weight 0), and the same data with row i repeated w_i
/// times in order (`origin`: the row each repeated row copies).
struct WeightedData {
  HostMatrix X, repeated;
  std::vector<double> w;
  std::vector<std::size_t> origin;
};

WeightedData weighted_data(std::size_t n, std::size_t d, std::uint64_t seed) {
  WeightedData data;
  data.X = kaa_test::gaussian_matrix(n, d, seed);
  for (std::size_t i = 0; i < n; ++i) {
    data.w.push_back(static_cast<double>((i * 7 + 3) % 4 == 3 ? 0 : (i * 7 + 3) % 4 + 0));
    if (i == 0) data.w[0] = 0;
  }
  data.w[1] = 3;
  for (std::size_t i = 0; i < n; ++i)
    for (int c = 0; c < static_cast<int>(data.w[i]); ++c) data.origin.push_back(i);
  data.repeated = HostMatrix(data.origin.size(), d);
  for (std::size_t r = 0; r < data.origin.size(); ++r)
    for (std::size_t f = 0; f < d; ++f) data.repeated(r, f) = data.X(data.origin[r], f);
  return data;
}

kaa::RowWeights device_weights(const std::vector<double>& w) {
  kaa::RowWeights out;
  out.w = kaa::Vector<double>("w", w.size());
  auto host = Kokkos::create_mirror_view(out.w);
  for (std::size_t i = 0; i < w.size(); ++i) {
    host(i) = w[i];
    out.total += w[i];
  }
  Kokkos::deep_copy(out.w, host);
  return out;
}

/// Rows on the simplex, entries in (0, 1].
HostMatrix simplex_rows(std::size_t n, std::size_t k, std::uint64_t seed) {
  HostMatrix A = kaa_test::random_matrix(n, k, seed, 0.05, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < k; ++j) s += A(i, j);
    for (std::size_t j = 0; j < k; ++j) A(i, j) /= s;
  }
  return A;
}

HostMatrix repeat_rows(const HostMatrix& M, const std::vector<std::size_t>& origin) {
  HostMatrix out(origin.size(), M.cols);
  for (std::size_t r = 0; r < origin.size(); ++r)
    for (std::size_t c = 0; c < M.cols; ++c) out(r, c) = M(origin[r], c);
  return out;
}

void expect_close(double actual, double expected, double rtol, const std::string& what) {
  EXPECT_NEAR(actual, expected, rtol * std::max(1.0, std::abs(expected))) << what;
}

// ---------------------------------------------------------------------------------------------
// Loss terms: value and gradients on weighted rows equal those on repeated rows (the A gradient
// of a weighted row is the sum of its copies' gradients).

template <template <class> class Loss>
void expect_loss_matches_repeated(const json& params) {
  const std::size_t n = 40, d = 5, k = 3;
  const WeightedData data = weighted_data(n, d, 11);
  const HostMatrix A = simplex_rows(n, k, 12), Z = kaa_test::gaussian_matrix(k, d, 13);

  auto weighted = kaa_test::make<Loss, double>(params);
  weighted.set_row_weights(device_weights(data.w));
  weighted.prepare(kaa::to_device<double>(data.X, "X"),
                   kaa::allocate_parameters<double>("p", n, k, d));
  kaa::Parameters<double> p = kaa::allocate_parameters<double>("p", n, k, d);
  Kokkos::deep_copy(p.weights, kaa::to_device<double>(A, "A"));
  Kokkos::deep_copy(p.archetypes, kaa::to_device<double>(Z, "Z"));
  kaa::Parameters<double> g = kaa::allocate_like<double>("g", p);
  const auto X = kaa::to_device<double>(data.X, "X");
  const double value = weighted.value_and_grad(X, p, g);
  expect_close(weighted.value(X, p), value, 1e-14, "value() = value_and_grad()");

  auto plain = kaa_test::make<Loss, double>(params);
  const std::size_t m = data.origin.size();
  kaa::Parameters<double> pr = kaa::allocate_parameters<double>("pr", m, k, d);
  plain.prepare(kaa::to_device<double>(data.repeated, "Xr"), pr);
  Kokkos::deep_copy(pr.weights, kaa::to_device<double>(repeat_rows(A, data.origin), "Ar"));
  Kokkos::deep_copy(pr.archetypes, kaa::to_device<double>(Z, "Z"));
  kaa::Parameters<double> gr = kaa::allocate_like<double>("gr", pr);
  const double expected = plain.value_and_grad(kaa::to_device<double>(data.repeated, "Xr"), pr, gr);

  expect_close(value, expected, 1e-12, "value");
  const HostMatrix gZ = kaa::to_host(g.archetypes), gZr = kaa::to_host(gr.archetypes);
  for (std::size_t e = 0; e < gZ.values.size(); ++e)
    expect_close(gZ.values[e], gZr.values[e], 1e-12, "dZ entry " + std::to_string(e));
  const HostMatrix gA = kaa::to_host(g.weights), gAr = kaa::to_host(gr.weights);
  HostMatrix summed(n, k);
  for (std::size_t r = 0; r < m; ++r)
    for (std::size_t j = 0; j < k; ++j) summed(data.origin[r], j) += gAr(r, j);
  for (std::size_t e = 0; e < gA.values.size(); ++e)
    expect_close(gA.values[e], summed.values[e], 1e-12, "dA entry " + std::to_string(e));
}

TEST(SampleWeights, ReconstructionMeanEqualsRepeatedRows) {
  expect_loss_matches_repeated<kaa::strategies::Reconstruction>(json::object());
}

TEST(SampleWeights, ReconstructionSumEqualsRepeatedRows) {
  expect_loss_matches_repeated<kaa::strategies::Reconstruction>(
      {{"reduction", "sum"}, {"weight", 0.5}});
}

TEST(SampleWeights, EntropyEqualsRepeatedRows) {
  expect_loss_matches_repeated<kaa::strategies::Entropy>({{"weight", -0.3}});
}

TEST(SampleWeights, HuberEqualsRepeatedRows) {
  // delta between the residual norms, so both branches of h are taken.
  for (const json& params : {json::object(), json{{"reduction", "sum"}, {"delta", 1.5}}})
    expect_loss_matches_repeated<kaa::strategies::Huber>(params);
}

TEST(SampleWeights, EmptyWeightsLeaveTheReconstructionBitwiseUnchanged) {
  const WeightedData data = weighted_data(30, 4, 21);
  const HostMatrix A = simplex_rows(30, 3, 22), Z = kaa_test::gaussian_matrix(3, 4, 23);
  auto run = [&](bool set_empty) {
    auto term = kaa_test::make<kaa::strategies::Reconstruction, double>();
    if (set_empty) term.set_row_weights(kaa::RowWeights());
    kaa::Parameters<double> p = kaa::allocate_parameters<double>("p", 30, 3, 4);
    Kokkos::deep_copy(p.weights, kaa::to_device<double>(A, "A"));
    Kokkos::deep_copy(p.archetypes, kaa::to_device<double>(Z, "Z"));
    kaa::Parameters<double> g = kaa::allocate_like<double>("g", p);
    const double v = term.value_and_grad(kaa::to_device<double>(data.X, "X"), p, g);
    return std::make_pair(v, kaa::to_host(g.archetypes).values);
  };
  const auto a = run(false), b = run(true);
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.second, b.second);
}

// ---------------------------------------------------------------------------------------------
// Metrics.

TEST(SampleWeights, RowMetricsEqualRepeatedRows) {
  const std::size_t n = 40, d = 4, k = 3;
  const WeightedData data = weighted_data(n, d, 31);
  const HostMatrix A = simplex_rows(n, k, 32), Z = kaa_test::gaussian_matrix(k, d, 33);
  auto metrics_of = [&](const HostMatrix& X, const HostMatrix& W, const kaa::RowWeights& rw) {
    kaa::MetricInputs<double> in{kaa::to_device<double>(X, "X"),
                                 kaa::allocate_parameters<double>("p", X.rows, k, d),
                                 kaa::Vector<double>(), rw};
    Kokkos::deep_copy(in.params.weights, kaa::to_device<double>(W, "A"));
    Kokkos::deep_copy(in.params.archetypes, kaa::to_device<double>(Z, "Z"));
    json out;
    kaa_test::make<kaa::strategies::Rss, double>().compute(in, out);
    kaa_test::make<kaa::strategies::ExplainedVariance, double>().compute(in, out);
    kaa_test::make<kaa::strategies::WeightEntropy, double>().compute(in, out);
    kaa_test::make<kaa::strategies::WeightSparsity, double>({{"threshold", 0.2}}).compute(in, out);
    return out;
  };
  const json weighted = metrics_of(data.X, A, device_weights(data.w));
  const json repeated = metrics_of(data.repeated, repeat_rows(A, data.origin), kaa::RowWeights());
  for (const char* key : {"rss", "mse_per_row", "explained_variance", "weight_entropy",
                          "weight_entropy_std", "weight_entropy_min", "weight_entropy_max",
                          "weight_sparsity_fraction", "weight_sparsity_hoyer"})
    expect_close(weighted[key].get<double>(), repeated[key].get<double>(), 1e-12, key);
}

// ---------------------------------------------------------------------------------------------
// PCHA: one update from the same state, and a fit, equal those on repeated rows. The repeated
// state splits mixing weight B(j, i) evenly over row i's copies (same archetypes Z = B X).

struct PchaState {
  kaa::Parameters<double> p;
  kaa::Matrix<double> X;
};

PchaState pcha_state(const HostMatrix& X, const HostMatrix& A, const HostMatrix& B) {
  const std::size_t n = X.rows, d = X.cols, k = B.rows;
  PchaState s{
      kaa::allocate_parameters<double>(
          "p", kaa::BlockShape{n, d, k, 0, kaa::kBaseBlocks | kaa::bit(kaa::Block::mixing)}),
      kaa::to_device<double>(X, "X")};
  Kokkos::deep_copy(s.p.weights, kaa::to_device<double>(A, "A"));
  Kokkos::deep_copy(s.p.mixing, kaa::to_device<double>(B, "B"));
  kaa::kernels::rows_times_data(s.p.mixing, s.X, s.p.archetypes);
  return s;
}

/// B (k x n) on the simplex over the rows of positive weight; its split over repeated rows.
std::pair<HostMatrix, HostMatrix> mixing_pair(const WeightedData& data, std::size_t k) {
  const std::size_t n = data.X.rows, m = data.origin.size();
  HostMatrix B = kaa_test::random_matrix(k, n, 41, 0.1, 1.0);
  for (std::size_t j = 0; j < k; ++j) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += (B(j, i) *= data.w[i] > 0 ? 1.0 : 0.0);
    for (std::size_t i = 0; i < n; ++i) B(j, i) /= s;
  }
  HostMatrix Br(k, m);
  for (std::size_t j = 0; j < k; ++j)
    for (std::size_t r = 0; r < m; ++r) Br(j, r) = B(j, data.origin[r]) / data.w[data.origin[r]];
  return {B, Br};
}

void expect_states_match(const WeightedData& data, const kaa::Parameters<double>& p,
                         const kaa::Parameters<double>& pr, bool compare_mixing, double rtol) {
  const HostMatrix A = kaa::to_host(p.weights), Ar = kaa::to_host(pr.weights);
  for (std::size_t r = 0; r < data.origin.size(); ++r)
    for (std::size_t j = 0; j < A.cols; ++j)
      expect_close(A(data.origin[r], j), Ar(r, j), rtol,
                   "A row " + std::to_string(data.origin[r]) + " (copy " + std::to_string(r) + ")");
  const HostMatrix B = kaa::to_host(p.mixing), Br = kaa::to_host(pr.mixing);
  HostMatrix summed(B.rows, B.cols);
  for (std::size_t j = 0; j < B.rows; ++j)
    for (std::size_t r = 0; r < data.origin.size(); ++r) summed(j, data.origin[r]) += Br(j, r);
  for (std::size_t e = 0; compare_mixing && e < B.values.size(); ++e)
    expect_close(B.values[e], summed.values[e], rtol, "B entry " + std::to_string(e));
  for (std::size_t i = 0; i < data.X.rows; ++i)  // a row of weight zero is never used
    for (std::size_t j = 0; data.w[i] == 0 && j < B.rows; ++j)
      EXPECT_EQ(B(j, i), 0.0) << "B(" << j << ", " << i << ") on a row of weight zero";
  const HostMatrix Z = kaa::to_host(p.archetypes), Zr = kaa::to_host(pr.archetypes);
  for (std::size_t e = 0; e < Z.values.size(); ++e)
    expect_close(Z.values[e], Zr.values[e], rtol, "Z entry " + std::to_string(e));
}

/// One step of Solver from the same state (2 for the robust active set, whose IRLS weights then
/// come from a step's residuals) on weighted and on repeated rows.
template <template <class> class Solver>
void expect_step_matches_repeated(const json& params, bool compare_mixing, double rtol) {
  const std::size_t n = 40, d = 4, k = 3;
  const WeightedData data = weighted_data(n, d, 51);
  const HostMatrix A = simplex_rows(n, k, 52);
  const auto [B, Br] = mixing_pair(data, k);
  SCOPED_TRACE(std::string(Solver<double>::name) + " " + params.dump());
  PchaState w = pcha_state(data.X, A, B);
  auto weighted = kaa_test::make<Solver, double>(params);
  weighted.set_row_weights(device_weights(data.w));
  kaa::Parameters<double> g = kaa::allocate_like<double>("g", w.p);
  weighted.prepare(w.X, w.p);
  weighted.init(w.X, w.p);
  weighted.step(w.X, w.p, g);

  PchaState r = pcha_state(data.repeated, repeat_rows(A, data.origin), Br);
  auto plain = kaa_test::make<Solver, double>(params);
  kaa::Parameters<double> gr = kaa::allocate_like<double>("gr", r.p);
  plain.prepare(r.X, r.p);
  plain.init(r.X, r.p);
  plain.step(r.X, r.p, gr);

  expect_states_match(data, w.p, r.p, compare_mixing, rtol);
}

TEST(SampleWeights, PchaStepEqualsTheStepOnRepeatedRows) {
  expect_step_matches_repeated<kaa::strategies::Pcha>(json::object(), true, 1e-10);
  expect_step_matches_repeated<kaa::strategies::Pcha>({{"delta", 0.2}}, true, 1e-10);
}

TEST(SampleWeights, ActiveSetStepEqualsTheStepOnRepeatedRows) {
  // B itself is not unique where copies of a row tie, so A and Z = B X are compared.
  expect_step_matches_repeated<kaa::strategies::ActiveSet>(json::object(), false, 1e-9);
  expect_step_matches_repeated<kaa::strategies::ActiveSet>({{"huber_delta", 0.5}}, false, 1e-9);
}

TEST(SampleWeights, AlsNnlsStepEqualsTheStepOnRepeatedRows) {
  expect_step_matches_repeated<kaa::strategies::AlsNnls>(json::object(), false, 1e-9);
}

TEST(SampleWeights, FrankWolfeStepEqualsTheStepOnRepeatedRows) {
  expect_step_matches_repeated<kaa::strategies::FrankWolfe>({{"inner", 3}}, true, 1e-10);
}

TEST(SampleWeights, PchaFitEqualsTheFitOnRepeatedRows) {
  // 60 updates from the same start. The losses agree to rounding at every update (measured: 1e-15
  // up to update 50); once the loss changes by less than its rounding (converged, from update ~50)
  // the line search's accept/reject decisions can differ and move the parameters along the flat
  // valley of the optimum (measured 9e-6), hence 1e-9 on the losses and 1e-4 on the parameters.
  const std::size_t n = 40, d = 4, k = 3;
  const WeightedData data = weighted_data(n, d, 61);
  const HostMatrix A = simplex_rows(n, k, 62);
  const auto [B, Br] = mixing_pair(data, k);
  const json config = kaa_test::resolve(kaa_test::solver_config({{"type", "pcha"}}, k, 60));
  const auto registry = kaa_test::full_registry();

  PchaState w = pcha_state(data.X, A, B);
  kaa::Model<double> weighted(config, registry);
  weighted.set_row_weights(device_weights(data.w));
  const kaa::FitTrace trace = weighted.iterate(w.X, w.p);

  PchaState r = pcha_state(data.repeated, repeat_rows(A, data.origin), Br);
  kaa::Model<double> plain(config, registry);
  const kaa::FitTrace expected = plain.iterate(r.X, r.p);

  ASSERT_EQ(trace.losses.size(), expected.losses.size());
  for (std::size_t t = 0; t < trace.losses.size(); ++t)
    expect_close(trace.losses[t], expected.losses[t], 1e-9, "loss at update " + std::to_string(t));
  EXPECT_LT(trace.losses.back(), 0.5 * trace.losses.front());  // the fit moved
  expect_states_match(data, w.p, r.p, true, 1e-4);
}

// ---------------------------------------------------------------------------------------------
// Initializers that pick rows: zero-weight rows are never chosen, and integer weights draw as the
// repeated rows do.

TEST(SampleWeights, KmeansPPDrawsAsOnRepeatedRowsAndNeverAZeroWeightRow) {
  const std::size_t n = 40, d = 3, k = 5;
  const WeightedData data = weighted_data(n, d, 71);
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    auto weighted = kaa_test::make<kaa::strategies::KmeansPP, double>();
    weighted.set_row_weights(device_weights(data.w));
    kaa::Parameters<double> p = kaa::allocate_parameters<double>("p", n, k, d);
    weighted.initialize(kaa::to_device<double>(data.X, "X"), p, seed);
    auto plain = kaa_test::make<kaa::strategies::KmeansPP, double>();
    kaa::Parameters<double> pr = kaa::allocate_parameters<double>("pr", data.origin.size(), k, d);
    plain.initialize(kaa::to_device<double>(data.repeated, "Xr"), pr, seed);
    EXPECT_EQ(kaa::to_host(p.archetypes).values, kaa::to_host(pr.archetypes).values)
        << "seed " << seed;
    for (std::size_t row : weighted.chosen()) EXPECT_GT(data.w[row], 0) << "seed " << seed;
  }
}

TEST(SampleWeights, FurthestSumNeverChoosesAZeroWeightRow) {
  const std::size_t n = 30, d = 2, k = 4;
  WeightedData data = weighted_data(n, d, 81);
  for (std::size_t i = 0; i < n; i += 3) {  // the most extreme rows get weight zero
    for (std::size_t f = 0; f < d; ++f) data.X(i, f) *= 10;
    data.w[i] = 0;
  }
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    auto init = kaa_test::make<kaa::strategies::FurthestSum, double>();
    init.set_row_weights(device_weights(data.w));
    kaa::Parameters<double> p = kaa::allocate_parameters<double>("p", n, k, d);
    init.initialize(kaa::to_device<double>(data.X, "X"), p, seed);
    for (std::size_t row : init.chosen()) EXPECT_GT(data.w[row], 0) << "seed " << seed;
  }
}

// ---------------------------------------------------------------------------------------------
// The whole fit (kmeans_pp start, pcha, standardised data, metrics) and the refusals.

kaa::LoadedData loaded(const HostMatrix& X, std::vector<double> w) {
  kaa::LoadedData data;
  data.X = X;
  data.weights = std::move(w);
  data.description = "test data";
  return data;
}

TEST(SampleWeights, FitOnWeightedRowsEqualsTheFitOnRepeatedRows) {
  // uniform_weights draws each row's start by its index, so the starts differ; after 150 updates
  // both fits have converged (the loss changes by < 1e-12 over the last 30) to the same optimum.
  const WeightedData data = weighted_data(60, 4, 91);
  const json config = {
      {"model", {{"n_archetypes", 3}, {"precision", "float64"}, {"normalize", true}, {"seed", 3}}},
      {"initializers", json::array({"uniform_weights", "kmeans_pp"})},
      {"loss", json::array({"reconstruction"})},
      {"optimizer", "pcha"},
      {"stopping", json::array({{{"type", "max_iter"}, {"value", 150}}})},
      {"metrics", json::array({"rss", "explained_variance"})}};
  const auto& registry = kaa_test::full_registry();
  const json resolved = kaa_test::resolve(config, registry);
  const kaa::Result weighted =
      kaa::fit_data(resolved, registry, loaded(data.X, data.w), data.X.rows, {});
  const kaa::Result repeated =
      kaa::fit_data(resolved, registry, loaded(data.repeated, {}), data.repeated.rows, {});
  ASSERT_TRUE(weighted.ok && repeated.ok);
  for (const char* key : {"rss", "explained_variance", "final_loss", "rss_fitted"})
    expect_close(weighted.metrics[key].get<double>(), repeated.metrics[key].get<double>(), 1e-6,
                 key);
  EXPECT_EQ(weighted.metrics["sum_of_weights"].get<double>(),
            static_cast<double>(data.repeated.rows));
  // The optimum is flat: archetypes that agree in RSS to 1e-6 sit ~4e-6 apart in an FMA
  // (x86-64-v3) build, 1e-7 in a baseline one; another optimum would differ by ~0.1.
  for (std::size_t e = 0; e < weighted.archetypes.values.size(); ++e)
    expect_close(weighted.archetypes.values[e], repeated.archetypes.values[e], 1e-4, "Z");
}

TEST(SampleWeights, AStrategyThatCannotHonourWeightsIsRefused) {
  const WeightedData data = weighted_data(20, 3, 101);
  const auto& registry = kaa_test::full_registry();
  const json resolved = kaa_test::resolve(
      {{"model", {{"n_archetypes", 2}}},
       {"initializers", json::array({"uniform_weights", "kmeans_pp"})},
       {"loss", json::array({"reconstruction", {{"type", "boundary_incentive"}}})},
       {"optimizer", "adam"},
       {"stopping", json::array({{{"type", "max_iter"}, {"value", 5}}})}},
      registry);
  try {
    kaa::fit_data(resolved, registry, loaded(data.X, data.w), data.X.rows, {});
    FAIL() << "expected a ConfigError";
  } catch (const kaa::ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/loss/1: loss \"boundary_incentive\" does not honour sample weights"),
              std::string::npos)
        << what;
  }
}

TEST(SampleWeights, BadWeightsAreRefusedNamingTheProblem) {
  const std::string src = "w.npy";
  auto first = [&](const std::vector<double>& w, std::size_t rows) {
    const auto issues = kaa::row_weight_issues(w, rows, src);
    return issues.empty() ? std::string() : issues.front();
  };
  EXPECT_EQ(first({1, 2}, 3), "w.npy: 2 weights for 3 data rows; need one weight per row");
  EXPECT_NE(first({1, -1, 2}, 3).find("row 2: weight -1"), std::string::npos);
  EXPECT_NE(first({1, NAN, 2}, 3).find("row 2: weight is NaN or Inf"), std::string::npos);
  EXPECT_NE(first({1, 2, INFINITY}, 3).find("row 3"), std::string::npos);
  EXPECT_NE(first({0, 0, 0}, 3).find("every weight is zero"), std::string::npos);
  EXPECT_EQ(first({0, 0, 1}, 3), "");

  const WeightedData data = weighted_data(20, 3, 111);
  const auto& registry = kaa_test::full_registry();
  const json resolved =
      kaa_test::resolve(kaa_test::solver_config({{"type", "pcha"}}, 2, 5), registry);
  EXPECT_THROW(kaa::fit_data(resolved, registry, loaded(data.X, {1.0, 2.0}), data.X.rows, {}),
               kaa::ConfigError);
}

}  // namespace sample_weights_test
