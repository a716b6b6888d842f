// The classic block solvers (als_nnls, pcha, frank_wolfe, active_set) against independent
// references: an enumerated KKT solve of each row's simplex least squares, monotone objectives,
// KKT conditions at convergence, bitwise reproducibility, and the config checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "framework/kernels/simplex_qp.hpp"
#include "strategies/datasets/synthetic.hpp"
#include "strategies/optimizers/frank_wolfe.hpp"
#include "strategies/optimizers/pcha.hpp"

#include "tests/strategies/make_strategy.hpp"
#include "tests/strategies/solver_fixtures.hpp"

namespace {

using kaa_test::fit;
using kaa_test::FitResult;
using kaa_test::resolve;
using kaa_test::solver_config;
using nlohmann::json;

kaa::HostMatrix synthetic_data(std::size_t n, std::size_t d, std::size_t k, std::uint64_t seed,
                               double noise = 0.05) {
  auto data = kaa_test::make<kaa::strategies::Synthetic, double>(
      {{"n", n}, {"d", d}, {"n_archetypes", k}, {"noise", noise}, {"seed", seed}});
  return data.load(0).X;
}

/// Rows of X that need every kind of solution for archetypes spread around the origin: inside the
/// hull (interior), beyond an edge or face, and far outside (a vertex).
kaa::HostMatrix mixed_rows(std::size_t n, std::size_t d, std::uint64_t seed) {
  kaa::HostMatrix X = kaa_test::gaussian_matrix(n, d, seed);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < d; ++f) X(i, f) *= (i % 3 == 0) ? 0.2 : (i % 3 == 1 ? 1.0 : 3.0);
  return X;
}

const std::vector<std::string> kExactSolvers = {"als_nnls", "active_set"};

// ---------------------------------------------------------------------------------------------
// A-step: the shared per-row QP against the enumerated KKT solve.

TEST(SimplexQp, RowsMatchEnumeratedKktSolve) {
  std::map<std::size_t, std::size_t> support_sizes;
  for (std::size_t k : {1u, 2u, 3u, 4u}) {
    for (std::size_t d : {3u, 5u}) {
      SCOPED_TRACE("k = " + std::to_string(k) + ", d = " + std::to_string(d));
      const std::size_t n = 60;
      const kaa::HostMatrix Z = kaa_test::gaussian_matrix(k, d, 10 * k + d);
      kaa::HostMatrix X = mixed_rows(n, d, 100 * k + d);
      kaa::HostMatrix start(n, k);
      for (std::size_t i = 0; i < n; ++i)  // uniform, a vertex, and an infeasible start
        for (std::size_t j = 0; j < k; ++j)
          start(i, j) = i % 3 == 0 ? 1.0 / k : (i % 3 == 1 ? (j == i % k) : -1.0 + 2.0 * j);
      // The last rows sit on an edge just off a vertex, x = (1 - e) z_a + e z_b, started at that
      // vertex: the entering atom's KKT violation is only ~e, which a loose pricing tolerance
      // would accept (weights off by e).
      for (std::size_t q = 0; k > 1 && q < 8; ++q) {
        const std::size_t i = n - 1 - q, a = q % k, b = (q + 1) % k;
        const double e = q < 4 ? 1e-4 : 1e-6;
        for (std::size_t f = 0; f < d; ++f) X(i, f) = (1 - e) * Z(a, f) + e * Z(b, f);
        for (std::size_t j = 0; j < k; ++j) start(i, j) = j == a ? 1.0 : 0.0;
      }
      const auto Xd = kaa::to_device<double>(X, "X");
      const auto Zd = kaa::to_device<double>(Z, "Z");
      auto Ad = kaa::to_device<double>(start, "A");
      kaa::kernels::simplex_least_squares_rows(Xd, Zd, Ad, kaa::kernels::column_means(Xd));
      const kaa::HostMatrix A = kaa::to_host(Ad);
      for (std::size_t i = 0; i < n; ++i) {
        const auto expected = kaa_test::enumerated_simplex_ls(Z, &X.values[i * d]);
        std::size_t support = 0;
        for (std::size_t j = 0; j < k; ++j) {
          EXPECT_NEAR(A(i, j), expected[j], 1e-8) << "row " << i << ", archetype " << j;
          support += A(i, j) > 0;
        }
        ++support_sizes[support];
      }
    }
  }
  // Guard: the rows exercised vertices, edges, faces and interiors.
  for (std::size_t s : {1u, 2u, 3u, 4u}) EXPECT_GT(support_sizes[s], 0u) << "support size " << s;
}

TEST(SimplexQp, DegenerateArchetypesStillGiveAnOptimalFeasibleRow) {
  // k = 5 > d + 1 and a duplicated archetype: the weights are not unique, the reconstruction is.
  const std::size_t d = 2, k = 5, n = 40;
  kaa::HostMatrix Z = kaa_test::gaussian_matrix(k, d, 3);
  for (std::size_t f = 0; f < d; ++f) Z(4, f) = Z(1, f);
  const kaa::HostMatrix X = mixed_rows(n, d, 4);
  kaa::HostMatrix start(n, k);
  for (auto& v : start.values) v = 1.0 / k;
  const auto Xd = kaa::to_device<double>(X, "X");
  auto Ad = kaa::to_device<double>(start, "A");
  kaa::kernels::simplex_least_squares_rows(Xd, kaa::to_device<double>(Z, "Z"), Ad,
                                           kaa::kernels::column_means(Xd));
  const kaa::HostMatrix A = kaa::to_host(Ad);
  // Reference: the enumeration over the four distinct archetypes (duplicate removed).
  kaa::HostMatrix Z4(4, d);
  std::copy(Z.values.begin(), Z.values.begin() + 4 * d, Z4.values.begin());
  for (std::size_t i = 0; i < n; ++i) {
    const auto ref = kaa_test::enumerated_simplex_ls(Z4, &X.values[i * d]);
    double sum = 0;
    for (std::size_t j = 0; j < k; ++j) {
      EXPECT_GE(A(i, j), 0.0);
      sum += A(i, j);
    }
    EXPECT_NEAR(sum, 1.0, 1e-12);
    // Objective within 1e-9 relative (the ridge and ill-conditioned supports cost some digits).
    const double got = kaa_test::row_objective(Z, &X.values[i * d], &A.values[i * k]);
    const double want = kaa_test::row_objective(Z4, &X.values[i * d], ref.data());
    EXPECT_LE(got, want * (1 + 1e-9) + 1e-12) << "row " << i;
  }
}

TEST(Solvers, FirstWeightUpdateIsTheExactRowSolution) {
  // One step of each exact solver: its A-step solves every row for the archetypes the step
  // started from (the B-step that follows leaves A alone).
  for (const auto& solver : kExactSolvers) {
    for (std::size_t k : {2u, 3u, 4u}) {
      SCOPED_TRACE(solver + ", k = " + std::to_string(k));
      const std::size_t n = 80, d = 4;
      const kaa::HostMatrix X = mixed_rows(n, d, 20 + k);
      const auto registry = kaa_test::full_registry();
      kaa::Model<double> model(resolve(solver_config({{"type", solver}}, k, 1)), registry);
      const auto Xd = kaa::to_device<double>(X, "X");
      auto params = model.allocate(n, d);
      model.initialize(Xd, params, 11);
      const kaa::HostMatrix Z0 = kaa::to_host(params.archetypes);
      model.iterate(Xd, params);
      const kaa::HostMatrix A = kaa::to_host(params.weights);
      for (std::size_t i = 0; i < n; ++i) {
        const auto expected = kaa_test::enumerated_simplex_ls(Z0, &X.values[i * d]);
        for (std::size_t j = 0; j < k; ++j)
          EXPECT_NEAR(A(i, j), expected[j], 1e-8) << "row " << i << ", archetype " << j;
      }
    }
  }
}

/// The largest objective gap (f(a) - f(a*)) / (f(a*) + max_j ||z_j||^2) over rows, and the
/// largest weight difference.
struct RowGap {
  double objective = 0, weights = 0;
};

RowGap gap_to_enumerated(const kaa::HostMatrix& X, const kaa::HostMatrix& Z,
                         const kaa::HostMatrix& A) {
  double z2 = 0;
  for (std::size_t j = 0; j < Z.rows; ++j) {
    double s = 0;
    for (std::size_t f = 0; f < Z.cols; ++f) s += Z(j, f) * Z(j, f);
    z2 = std::max(z2, s);
  }
  RowGap gap;
  for (std::size_t i = 0; i < X.rows; ++i) {
    const auto best = kaa_test::enumerated_simplex_ls(Z, &X.values[i * X.cols]);
    const double f = kaa_test::row_objective(Z, &X.values[i * X.cols], &A.values[i * Z.rows]);
    const double f_star = kaa_test::row_objective(Z, &X.values[i * X.cols], best.data());
    gap.objective = std::max(gap.objective, (f - f_star) / (f_star + z2));
    for (std::size_t j = 0; j < Z.rows; ++j)
      gap.weights = std::max(gap.weights, std::abs(A(i, j) - best[j]));
  }
  return gap;
}

TEST(Solvers, PchaAndFrankWolfeWeightUpdatesConvergeToTheExactRowSolution) {
  const std::size_t n = 60, d = 4, k = 3;
  const kaa::HostMatrix X = mixed_rows(n, d, 5);
  const kaa::HostMatrix Z = kaa_test::gaussian_matrix(k, d, 6);
  auto run = [&](auto& solver, int iterations) {
    kaa::HostMatrix start(n, k);
    for (auto& v : start.values) v = 1.0 / k;
    kaa::Parameters<double> p{kaa::to_device<double>(start, "A"), kaa::to_device<double>(Z, "Z")};
    solver.update_weights(kaa::to_device<double>(X, "X"), p, iterations);
    return gap_to_enumerated(X, Z, kaa::to_host(p.weights));
  };
  // PCHA: projected gradient with a line search on strongly convex rows: linear convergence.
  auto pcha = kaa_test::make<kaa::strategies::Pcha, double>();
  const RowGap pcha_gap = run(pcha, 3000);
  EXPECT_LT(pcha_gap.objective, 1e-10);
  EXPECT_LT(pcha_gap.weights, 1e-5);
  // Frank-Wolfe without away steps converges sublinearly (gap ~ C / t) when the optimum lies on a
  // face: within 5e-4 after 3000 steps, and ten times the steps shrink the gap at least fivefold.
  auto fw = kaa_test::make<kaa::strategies::FrankWolfe, double>();
  const RowGap fw_early = run(fw, 300);
  const RowGap fw_gap = run(fw, 3000);
  EXPECT_LT(fw_gap.objective, 5e-4);
  EXPECT_LT(fw_gap.weights, 1e-2);
  EXPECT_LT(fw_gap.objective, fw_early.objective / 5);
}

// ---------------------------------------------------------------------------------------------
// Monotone objectives.

struct SolverCase {
  std::size_t n, d, k;
  bool gaussian;
};

const std::vector<SolverCase> kCases = {{60, 3, 3, true}, {200, 5, 4, false}, {400, 8, 6, false}};

kaa::HostMatrix case_data(const SolverCase& c, std::uint64_t seed) {
  return c.gaussian ? kaa_test::gaussian_matrix(c.n, c.d, seed)
                    : synthetic_data(c.n, c.d, c.k, seed);
}

void expect_non_increasing(const std::vector<double>& losses) {
  ASSERT_GE(losses.size(), 2u);
  for (std::size_t t = 1; t < losses.size(); ++t) {
    // The objective is evaluated by the loss term, the solvers decide in Gram form or exactly:
    // 1e-12 relative leaves room for rounding only.
    EXPECT_LE(losses[t], losses[t - 1] * (1 + 1e-12)) << "update " << t;
  }
  EXPECT_LT(losses.back(), losses.front());
}

TEST(Solvers, ObjectiveNeverIncreases) {
  const std::vector<json> optimizers = {
      {{"type", "als_nnls"}},    {{"type", "active_set"}},
      {{"type", "pcha"}},        {{"type", "pcha"}, {"delta", 0.1}},
      {{"type", "frank_wolfe"}},
  };
  for (const auto& optimizer : optimizers) {
    for (const auto& c : kCases) {
      SCOPED_TRACE(optimizer.dump() + ", n = " + std::to_string(c.n) +
                   ", k = " + std::to_string(c.k));
      const FitResult r = fit<double>(resolve(solver_config(optimizer, c.k, 15)), case_data(c, 1));
      expect_non_increasing(r.losses);
    }
  }
}

TEST(Solvers, AlsSafeguardStopsTheClassicBStepFromRaisingTheRss) {
  // Noisy data and more archetypes than d + 1: the classic B-step (each target projected on its
  // own, ignoring the coupling through A^T A) raises the RSS here; the safeguard never lets it.
  const kaa::HostMatrix X = synthetic_data(100, 3, 5, 0, 0.3);
  const auto classic = fit<double>(
      resolve(solver_config({{"type", "als_nnls"}, {"safeguard", false}}, 8, 30)), X, 1);
  std::size_t increases = 0;
  for (std::size_t t = 1; t < classic.losses.size(); ++t)
    increases += classic.losses[t] > classic.losses[t - 1] * (1 + 1e-12);
  EXPECT_GT(increases, 0u);
  const auto guarded = fit<double>(resolve(solver_config({{"type", "als_nnls"}}, 8, 30)), X, 1);
  expect_non_increasing(guarded.losses);
}

TEST(Solvers, RobustActiveSetNeverIncreasesTheHuberLoss) {
  for (const auto& c : kCases) {
    SCOPED_TRACE("n = " + std::to_string(c.n));
    kaa::HostMatrix X = case_data(c, 2);
    for (std::size_t i = 0; i < X.rows; i += 10)  // outliers
      for (std::size_t f = 0; f < X.cols; ++f) X(i, f) += 5.0;
    const json optimizer = {{"type", "active_set"}, {"huber_delta", 0.05}};
    const json loss = {{"type", "huber"}, {"delta", 0.05}, {"reduction", "sum"}};
    const FitResult r = fit<double>(resolve(solver_config(optimizer, c.k, 15, loss)), X);
    expect_non_increasing(r.losses);
  }
}

TEST(Solvers, PchaRelaxationKeepsScalesWithinDelta) {
  const double delta = 0.1;
  const FitResult r =
      fit<double>(resolve(solver_config({{"type", "pcha"}, {"delta", delta}}, 4, 20)),
                  synthetic_data(300, 5, 4, 3));
  double widest = 0;
  for (std::size_t j = 0; j < r.B.rows; ++j) {
    double sum = 0;
    for (std::size_t i = 0; i < r.B.cols; ++i) {
      EXPECT_GE(r.B(j, i), 0.0);
      sum += r.B(j, i);
    }
    EXPECT_GE(sum, 1 - delta - 1e-12) << "archetype " << j;
    EXPECT_LE(sum, 1 + delta + 1e-12) << "archetype " << j;
    widest = std::max(widest, std::abs(sum - 1));
  }
  EXPECT_GT(widest, 1e-3);  // the relaxation was used
}

// ---------------------------------------------------------------------------------------------
// KKT conditions at convergence.

/// Largest scaled KKT violation of the rows of B for min_B ||X - A B X||^2: half gradient
/// (H Z - Q)_j . x_i, H = A^T A, Q = A^T X.
double mixing_kkt(const kaa::HostMatrix& X, const FitResult& r) {
  const std::size_t n = X.rows, d = X.cols, k = r.Z.rows;
  double worst = 0;
  for (std::size_t j = 0; j < k; ++j) {
    std::vector<double> M(d, 0.0);  // (H Z - Q)_j = sum_i a_ij (a_i Z - x_i)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t f = 0; f < d; ++f) {
        double recon = 0;
        for (std::size_t l = 0; l < k; ++l) recon += r.A(i, l) * r.Z(l, f);
        M[f] += r.A(i, j) * (recon - X(i, f));
      }
    double m_norm = 0, x_max = 0;
    for (double v : M) m_norm += v * v;
    std::vector<double> h(n), w(n);
    for (std::size_t i = 0; i < n; ++i) {
      double xx = 0;
      h[i] = 0;
      for (std::size_t f = 0; f < d; ++f) {
        h[i] += M[f] * X(i, f);
        xx += X(i, f) * X(i, f);
      }
      x_max = std::max(x_max, std::sqrt(xx));
      w[i] = r.B(j, i);
    }
    worst = std::max(worst, kaa_test::kkt_violation(h, w) / (x_max * (std::sqrt(m_norm) + 1)));
  }
  return worst;
}

double worst_weights_kkt(const kaa::HostMatrix& X, const FitResult& r) {
  double worst = 0;
  for (std::size_t i = 0; i < X.rows; ++i)
    worst = std::max(worst, kaa_test::weights_kkt(X, r.A, r.Z, i));
  return worst;
}

TEST(Solvers, KktConditionsHoldAtConvergence) {
  const kaa::HostMatrix X = synthetic_data(200, 5, 4, 8);
  // Exact block steps: after 100 alternations both blocks are KKT points to rounding (measured
  // ~1e-12; the weights were solved for the archetypes before the last B-step, which moved them
  // by almost nothing).
  const FitResult as = fit<double>(resolve(solver_config({{"type", "active_set"}}, 4, 100)), X);
  EXPECT_LT(worst_weights_kkt(X, as), 1e-9);
  EXPECT_LT(mixing_kkt(X, as), 1e-9);
  // PCHA's projected gradient converges more slowly: 1e-5 after 150 outer iterations (measured
  // 2e-7 and 4e-8).
  const FitResult pcha = fit<double>(resolve(solver_config({{"type", "pcha"}}, 4, 150)), X);
  EXPECT_LT(worst_weights_kkt(X, pcha), 1e-5);
  EXPECT_LT(mixing_kkt(X, pcha), 1e-5);
  // Guard: the measure sees an unconverged fit.
  const FitResult early = fit<double>(resolve(solver_config({{"type", "active_set"}}, 4, 1)), X);
  EXPECT_GT(std::max(worst_weights_kkt(X, early), mixing_kkt(X, early)), 1e-4);
}

TEST(Solvers, AlsBStepProjectsTheLeastSquaresTargets) {
  // Cutler & Breiman's B-step: every row of B is the exact simplex least squares of the target
  // t_j = ((A^T A)^-1 A^T X)_j, for the A of the same step (checked after the last step; the
  // safeguard did not act on these data).
  const kaa::HostMatrix X = synthetic_data(200, 4, 3, 9);
  const std::size_t n = X.rows, d = X.cols, k = 3;
  const auto registry = kaa_test::full_registry();
  const FitResult r = fit<double>(resolve(solver_config({{"type", "als_nnls"}}, k, 10)), X);
  std::vector<std::vector<double>> H(k, std::vector<double>(k, 0.0));
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b)
      for (std::size_t i = 0; i < n; ++i) H[a][b] += r.A(i, a) * r.A(i, b);
  for (std::size_t j = 0; j < k; ++j) {
    std::vector<double> t(d);
    for (std::size_t f = 0; f < d; ++f) {
      std::vector<double> rhs(k, 0.0);
      for (std::size_t l = 0; l < k; ++l)
        for (std::size_t i = 0; i < n; ++i) rhs[l] += r.A(i, l) * X(i, f);
      ASSERT_TRUE(kaa_test::gauss_solve(H, rhs));
      t[f] = rhs[j];
    }
    // KKT of min ||t - b X||^2: h_i = x_i . (b X - t).
    std::vector<double> h(n), w(n), residual(d);
    double r_norm = 0, x_max = 0;
    for (std::size_t f = 0; f < d; ++f) {
      residual[f] = r.Z(j, f) - t[f];
      r_norm += residual[f] * residual[f];
    }
    for (std::size_t i = 0; i < n; ++i) {
      double xx = 0;
      h[i] = 0;
      for (std::size_t f = 0; f < d; ++f) {
        h[i] += X(i, f) * residual[f];
        xx += X(i, f) * X(i, f);
      }
      x_max = std::max(x_max, std::sqrt(xx));
      w[i] = r.B(j, i);
    }
    EXPECT_LT(kaa_test::kkt_violation(h, w) / (x_max * (std::sqrt(r_norm) + 1)), 1e-8)
        << "archetype " << j;
  }
}

// ---------------------------------------------------------------------------------------------
// Reproducibility and precision.

TEST(Solvers, SameSeedGivesBitwiseEqualResults) {
  const kaa::HostMatrix X = synthetic_data(150, 4, 3, 12);
  const std::vector<std::pair<json, json>> setups = {
      {{{"type", "als_nnls"}}, {{"type", "reconstruction"}}},
      {{{"type", "pcha"}, {"delta", 0.05}}, {{"type", "reconstruction"}}},
      {{{"type", "frank_wolfe"}}, {{"type", "reconstruction"}}},
      {{{"type", "frank_wolfe"}, {"line_search", "schedule"}}, {{"type", "reconstruction"}}},
      {{{"type", "active_set"}}, {{"type", "reconstruction"}}},
      {{{"type", "active_set"}, {"huber_delta", 0.01}}, {{"type", "huber"}, {"delta", 0.01}}},
  };
  for (const auto& [optimizer, loss] : setups) {
    SCOPED_TRACE(optimizer.dump());
    const json cfg = resolve(solver_config(optimizer, 3, 8, loss));
    const FitResult a = fit<double>(cfg, X, 5), b = fit<double>(cfg, X, 5);
    EXPECT_EQ(a.A.values, b.A.values);
    EXPECT_EQ(a.B.values, b.B.values);
    EXPECT_EQ(a.Z.values, b.Z.values);
    EXPECT_EQ(a.losses, b.losses);
    const FitResult other = fit<double>(cfg, X, 6);  // guard: the seed matters
    EXPECT_NE(a.Z.values, other.Z.values);
  }
}

TEST(Solvers, FloatFitsStayFeasibleAndImprove) {
  const kaa::HostMatrix X = synthetic_data(300, 6, 4, 13);
  for (const char* solver : {"als_nnls", "pcha", "frank_wolfe", "active_set"}) {
    SCOPED_TRACE(solver);
    const FitResult r = fit<float>(
        resolve(solver_config({{"type", solver}}, 4, 10,
                              {{"type", "reconstruction"}, {"reduction", "sum"}}, "float32")),
        X);
    for (std::size_t i = 0; i < r.A.rows; ++i) {
      double sum = 0;
      for (std::size_t j = 0; j < r.A.cols; ++j) {
        EXPECT_GE(r.A(i, j), 0.0);
        sum += r.A(i, j);
      }
      EXPECT_NEAR(sum, 1.0, 1e-5) << "row " << i;
    }
    for (double z : r.Z.values) EXPECT_TRUE(std::isfinite(z));
    EXPECT_LT(r.losses.back(), 0.5 * r.losses.front());
  }
}

// ---------------------------------------------------------------------------------------------
// Config checks: one message naming the keys, before any computation.

std::string single_solver_issue(const json& raw) {
  try {
    resolve(raw);
  } catch (const kaa::ConfigError& e) {
    EXPECT_EQ(e.issues().size(), 1u) << e.what();
    return e.issues().front();
  }
  ADD_FAILURE() << "accepted: " << raw.dump();
  return "";
}

TEST(SolverConfig, KnnHullOnArchetypesIsRejectedForEverySolver) {
  for (const char* solver : {"als_nnls", "pcha", "frank_wolfe", "active_set"}) {
    json raw = solver_config({{"type", solver}}, 3, 5);
    raw["projectors"]["archetypes"] = "knn_hull";
    const std::string issue = single_solver_issue(raw);
    EXPECT_NE(issue.find("/projectors/archetypes/type: projector \"knn_hull\" on archetypes cannot "
                         "be combined with /optimizer/type \"" +
                         std::string(solver) + "\""),
              std::string::npos)
        << issue;
  }
}

TEST(SolverConfig, LossListMustMatchTheSolver) {
  const json entropy = {{"type", "entropy"}};
  for (const char* solver : {"als_nnls", "pcha", "frank_wolfe", "active_set"}) {
    SCOPED_TRACE(solver);
    json two = solver_config({{"type", solver}}, 3, 5);
    two["loss"].push_back(entropy);
    const std::string issue = single_solver_issue(two);
    EXPECT_NE(issue.find("/loss: optimizer \"" + std::string(solver) + "\" (/optimizer/type)"),
              std::string::npos)
        << issue;
    EXPECT_NE(issue.find("remove /loss/1"), std::string::npos) << issue;

    json wrong = solver_config({{"type", solver}}, 3, 5, entropy);
    const std::string one = single_solver_issue(wrong);
    EXPECT_NE(one.find("/loss/0/type:"), std::string::npos) << one;
    EXPECT_NE(one.find("got \"entropy\""), std::string::npos) << one;
  }
  // Frank-Wolfe's schedule takes any loss.
  json schedule = solver_config({{"type", "frank_wolfe"}, {"line_search", "schedule"}}, 3, 5);
  schedule["loss"].push_back(entropy);
  EXPECT_NO_THROW(resolve(schedule));
}

TEST(SolverConfig, RobustActiveSetNeedsTheMatchingHuberDelta) {
  const json huber = {{"type", "huber"}, {"delta", 0.01}};
  std::string issue = single_solver_issue(solver_config({{"type", "active_set"}}, 3, 5, huber));
  EXPECT_NE(issue.find("/optimizer/huber_delta: is 0 (least squares) but /loss/0 is \"huber\""),
            std::string::npos)
      << issue;
  issue = single_solver_issue(
      solver_config({{"type", "active_set"}, {"huber_delta", 0.02}}, 3, 5, huber));
  EXPECT_NE(issue.find("/optimizer/huber_delta: 0.02 differs from /loss/0/delta 0.01"),
            std::string::npos)
      << issue;
  issue = single_solver_issue(solver_config({{"type", "active_set"}, {"huber_delta", 0.02}}, 3, 5));
  EXPECT_NE(issue.find("/loss/0/type:"), std::string::npos) << issue;
  EXPECT_NO_THROW(
      resolve(solver_config({{"type", "active_set"}, {"huber_delta", 0.01}}, 3, 5, huber)));
}

TEST(SolverConfig, TooManyArchetypesForTheRowSolver) {
  const std::string issue = single_solver_issue(solver_config({{"type", "als_nnls"}}, 65, 5));
  EXPECT_NE(issue.find("/model/n_archetypes: optimizer \"als_nnls\""), std::string::npos) << issue;
  EXPECT_NE(issue.find("at most 64 archetypes; got 65"), std::string::npos) << issue;
}

TEST(SolverConfig, PchaRelaxationRejectsASimplexProjectorOnMixing) {
  json raw = solver_config({{"type", "pcha"}, {"delta", 0.1}}, 3, 5);
  raw["projectors"]["mixing"] = "simplex_sort";
  const std::string issue = single_solver_issue(raw);
  EXPECT_NE(issue.find("/projectors/mixing/type: \"simplex_sort\" would undo /optimizer/delta"),
            std::string::npos)
      << issue;
  raw["optimizer"]["delta"] = 0.0;
  EXPECT_NO_THROW(resolve(raw));
}

TEST(SolverConfig, SolversAllocateMixing) {
  const auto registry = kaa_test::full_registry();
  for (const char* solver : {"als_nnls", "pcha", "frank_wolfe", "active_set"}) {
    kaa::Model<double> model(resolve(solver_config({{"type", solver}}, 3, 5)), registry);
    EXPECT_TRUE(model.blocks() & kaa::bit(kaa::Block::mixing)) << solver;
  }
}

}  // namespace
