// configs/archetypax/biarchetypal.json end to end: the config resolves and bad combinations are
// named; a fit writes every block and reports metrics, effective archetypes and transforms of the
// biarchetypal reconstruction alpha (beta X) theta gamma (checked by brute force from the written
// files, with and without standardisation); the loss decreases; the defect parameters do what they
// say.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/model.hpp"
#include "framework/run.hpp"
#include "strategies/register_all.hpp"
#include "tests/support/full_registry.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::full_registry;
using kaa_test::product;

namespace fs = std::filesystem;
using kaa::HostMatrix;
using nlohmann::json;

json biarchetypal_config() {
  // archetypax's faithful configuration (configs/biarchetypal.json is the variant that fits).
  return kaa::read_json_file(fs::path(KAA_SOURCE_DIR) / "configs" / "archetypax" /
                             "biarchetypal.json");
}

/// The issues of resolving `raw` (empty when it resolves).
std::vector<std::string> issues_of(const json& raw) {
  try {
    kaa::resolve_config(raw, full_registry(), "b.json");
  } catch (const kaa::ConfigError& e) {
    return e.issues();
  }
  return {};
}

bool mentions(const std::vector<std::string>& issues, const std::string& text) {
  for (const auto& issue : issues)
    if (issue.find(text) != std::string::npos) return true;
  return false;
}

TEST(BiarchetypalConfig, ResolvesAndNamesBadCombinations) {
  const auto reg = full_registry();
  const json resolved = kaa::resolve_config(biarchetypal_config(), reg, "biarchetypal.json");
  EXPECT_EQ(kaa::Model<double>(resolved, reg).blocks(), kaa::kAllBlocks);

  json raw = biarchetypal_config();
  raw["model"]["n_column_archetypes"] = 0;
  EXPECT_TRUE(mentions(issues_of(raw), "/model/n_column_archetypes: must be >= 1"));

  raw = biarchetypal_config();
  raw["projectors"]["weights"] = "column_simplex_clamp";
  EXPECT_TRUE(mentions(issues_of(raw),
                       "/projectors/weights/type: projector "
                       "\"column_simplex_clamp\" cannot be applied to weights"));

  raw = biarchetypal_config();  // the clamps every update instead of archetypax's pulls only
  raw["projectors"]["mixing"] = "simplex_clamp";
  raw["projectors"]["column_mixing"] = "column_simplex_clamp";
  EXPECT_TRUE(issues_of(raw).empty());

  raw = biarchetypal_config();  // the pull hook without the biarchetypal blocks
  raw["loss"] = json::array({"reconstruction"});
  raw["projectors"] = {{"weights", "simplex_clamp"}};
  raw["initializers"] = json::array({"uniform_weights", "kmeans_pp"});
  EXPECT_TRUE(mentions(issues_of(raw),
                       "/hooks/0/type: hook \"biarchetype_projection\" with columns = true needs"));

  // An uninitialised optional block is named with the initializer that would set it.
  raw = biarchetypal_config();
  raw["initializers"].erase(3);  // column_variance_cosine
  const json bad = kaa::resolve_config(raw, reg, "b.json");
  try {
    kaa::Model<double> model(bad, reg);
    FAIL() << "expected a ConfigError";
  } catch (const kaa::ConfigError& e) {
    EXPECT_TRUE(mentions(e.issues(), "column_mixing block (e.g. column_variance_cosine)"));
  }
}

// ---------------------------------------------------------------------------------------------

double rss(const HostMatrix& X, const HostMatrix& W, const HostMatrix& E) {
  const HostMatrix R = product(W, E);
  double s = 0;
  for (std::size_t e = 0; e < R.values.size(); ++e)
    s += (X.values[e] - R.values[e]) * (X.values[e] - R.values[e]);
  return s;
}

double row_objective(const std::vector<double>& x, const std::vector<double>& w,
                     const HostMatrix& E) {
  double s = 0;
  for (std::size_t f = 0; f < x.size(); ++f) {
    double r = x[f];
    for (std::size_t j = 0; j < w.size(); ++j) r -= w[j] * E(j, f);
    s += r * r;
  }
  return s;
}

/// min ||x - w E||^2 over the simplex by brute force: for every support, the equality-constrained
/// least squares from its KKT system (Gaussian elimination with partial pivoting); the best
/// feasible one. Exact for small k.
double simplex_least_squares_minimum(const std::vector<double>& x, const HostMatrix& E) {
  const std::size_t k = E.rows, d = E.cols;
  double best = std::numeric_limits<double>::infinity();
  for (unsigned mask = 1; mask < (1u << k); ++mask) {
    std::vector<std::size_t> S;
    for (std::size_t j = 0; j < k; ++j)
      if (mask & (1u << j)) S.push_back(j);
    const std::size_t m = S.size();
    std::vector<std::vector<double>> A(m + 1, std::vector<double>(m + 2, 0.0));
    for (std::size_t a = 0; a < m; ++a) {
      for (std::size_t b = 0; b < m; ++b)
        for (std::size_t f = 0; f < d; ++f) A[a][b] += 2 * E(S[a], f) * E(S[b], f);
      A[a][m] = 1.0;
      A[m][a] = 1.0;
      for (std::size_t f = 0; f < d; ++f) A[a][m + 1] += 2 * E(S[a], f) * x[f];
    }
    A[m][m + 1] = 1.0;
    bool singular = false;
    for (std::size_t c = 0; c <= m && !singular; ++c) {
      std::size_t p = c;
      for (std::size_t r = c + 1; r <= m; ++r)
        if (std::abs(A[r][c]) > std::abs(A[p][c])) p = r;
      if (std::abs(A[p][c]) < 1e-12) singular = true;
      std::swap(A[c], A[p]);
      for (std::size_t r = 0; r <= m && !singular; ++r) {
        if (r == c) continue;
        const double factor = A[r][c] / A[c][c];
        for (std::size_t q = c; q <= m + 1; ++q) A[r][q] -= factor * A[c][q];
      }
    }
    if (singular) continue;
    std::vector<double> w(k, 0.0);
    bool feasible = true;
    for (std::size_t a = 0; a < m; ++a) {
      w[S[a]] = A[a][m + 1] / A[a][a];
      feasible = feasible && w[S[a]] >= -1e-12;
    }
    if (feasible) best = std::min(best, row_objective(x, w, E));
  }
  return best;
}

void expect_near(const HostMatrix& got, const HostMatrix& want, double tol, const char* what) {
  ASSERT_EQ(got.rows, want.rows) << what;
  ASSERT_EQ(got.cols, want.cols) << what;
  for (std::size_t e = 0; e < got.values.size(); ++e)
    EXPECT_NEAR(got.values[e], want.values[e], tol) << what << " entry " << e;
}

/// Rows (or columns) on the simplex.
void expect_stochastic(const HostMatrix& m, bool by_rows, const char* what) {
  const std::size_t outer = by_rows ? m.rows : m.cols, inner = by_rows ? m.cols : m.rows;
  for (std::size_t a = 0; a < outer; ++a) {
    double s = 0;
    for (std::size_t b = 0; b < inner; ++b) {
      const double v = by_rows ? m(a, b) : m(b, a);
      EXPECT_GE(v, 0.0) << what;
      s += v;
    }
    EXPECT_NEAR(s, 1.0, 1e-12) << what << " " << a;
  }
}

class BiarchetypalRun : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kaa_biarchetypal_" + std::to_string(::getpid()) + (GetParam() ? "_norm" : "_raw"));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_P(BiarchetypalRun, FilesMetricsAndTransformDescribeTheBiarchetypalReconstruction) {
  const bool normalize = GetParam();
  // Mixtures of 3 points in 5-D with features on different scales and offsets.
  const std::size_t n = 60, d = 5;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  HostMatrix X(n, d);
  for (std::size_t i = 0; i < n; ++i) {
    double w[3], s = 0;
    for (double& v : w) s += v = -std::log(1.0 - u(rng));
    for (std::size_t f = 0; f < d; ++f)
      X(i, f) = (f + 1.0) * (w[0] * (f % 2) + w[1] * (f % 3 == 0) - w[2] * 0.5) / s + 3.0 * f +
                0.05 * (u(rng) - 0.5);
  }
  const fs::path data = dir_ / "X.csv";
  kaa::write_csv(data, X);

  json raw = biarchetypal_config();
  raw["data"] = {{"type", "file"}, {"path", data.string()}};
  raw["model"]["precision"] = "float64";
  raw["model"]["normalize"] = normalize;
  raw["optimizer"]["learning_rate"] = 0.5;  // let the fit move
  raw["stopping"][2]["value"] = 40;
  const auto reg = full_registry();
  const json resolved = kaa::resolve_config(raw, reg, "b.json");
  const fs::path out = dir_ / "run";
  const kaa::FitSummary summary = kaa::run_fit(resolved, reg, {out, false, 0});
  ASSERT_TRUE(summary.ok);

  const HostMatrix alpha = kaa::read_matrix(out / "weights.npy");
  const HostMatrix beta = kaa::read_matrix(out / "mixing.npy");
  const HostMatrix theta = kaa::read_matrix(out / "column_mixing.npy");
  const HostMatrix gamma = kaa::read_matrix(out / "column_weights.npy");
  ASSERT_EQ(beta.rows, 3u);
  ASSERT_EQ(beta.cols, n);
  ASSERT_EQ(theta.rows, d);
  ASSERT_EQ(theta.cols, 3u);
  ASSERT_EQ(gamma.rows, 3u);
  ASSERT_EQ(gamma.cols, d);
  expect_stochastic(alpha, true, "alpha");
  expect_stochastic(beta, true, "beta");  // the final pull projects beta and theta
  expect_stochastic(theta, false, "theta");
  expect_stochastic(gamma, false, "gamma");

  HostMatrix X_fit = X;
  kaa::Standardization s{std::vector<double>(d, 0.0), std::vector<double>(d, 1.0)};
  if (normalize) {
    s = kaa::standardization_of(X);
    kaa::standardize(X_fit, s);
  }
  auto original_units = [&](HostMatrix A) {
    for (std::size_t j = 0; j < A.rows; ++j)
      for (std::size_t f = 0; f < d; ++f) A(j, f) = A(j, f) * s.std[f] + s.mean[f];
    return A;
  };
  const HostMatrix Z_fit = product(beta, X_fit);
  const HostMatrix E_fit = product(product(Z_fit, theta), gamma);
  // Row archetypes beta X in original units (beta's rows sum to 1, so beta X_orig too).
  expect_near(kaa::read_matrix(out / "archetypes.csv"), product(beta, X), 1e-10, "archetypes");
  expect_near(kaa::read_matrix(out / "effective_archetypes.csv"), original_units(E_fit), 1e-10,
              "effective archetypes");
  expect_near(kaa::read_matrix(out / "column_archetypes.npy"), product(X_fit, theta), 1e-10,
              "column archetypes");
  expect_near(kaa::read_matrix(out / "biarchetypes.csv"), product(Z_fit, theta), 1e-10,
              "biarchetypes");

  // RSS and explained variance of alpha E in original units, by brute force from the files.
  const HostMatrix E = kaa::read_matrix(out / "effective_archetypes.csv");
  const double expected_rss = rss(X, alpha, E);
  double tss = 0;
  for (std::size_t f = 0; f < d; ++f) {
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i) mean += X(i, f) / n;
    for (std::size_t i = 0; i < n; ++i) tss += (X(i, f) - mean) * (X(i, f) - mean);
  }
  const json& m = summary.metrics;
  EXPECT_NEAR(m["rss"].get<double>(), expected_rss, 1e-9 * expected_rss);
  EXPECT_NEAR(m["explained_variance"].get<double>(), 1.0 - expected_rss / tss, 1e-9);
  // Not the plain alpha Z reconstruction.
  EXPECT_GT(std::abs(rss(X, alpha, kaa::read_matrix(out / "archetypes.csv")) - expected_rss),
            1e-3 * expected_rss);
  // The final objective: mean squared error in the fit space + 0.01 mean entropies.
  double h_alpha = 0, h_gamma = 0;
  for (double a : alpha.values) h_alpha -= a * std::log(a + 1e-10);
  for (double g : gamma.values) h_gamma -= g * std::log(g + 1e-10);
  const double objective = rss(X_fit, alpha, E_fit) / n + 0.01 * h_alpha / n + 0.01 * h_gamma / d;
  EXPECT_NEAR(m["final_loss"].get<double>(), objective, 1e-9 * objective);

  // kaa transform: simplex least squares against the effective archetypes in the fit space
  // (standardised only when the fit was): each row's objective equals the exact minimum found by
  // enumerating the supports.
  const HostMatrix W = kaa::transform_with_run(out, data, reg);
  expect_stochastic(W, true, "transform");
  HostMatrix E_space = E;
  if (normalize) kaa::standardize(E_space, s);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> x(d), w(3);
    for (std::size_t f = 0; f < d; ++f) x[f] = X_fit(i, f);
    for (std::size_t j = 0; j < 3; ++j) w[j] = W(i, j);
    const double best = simplex_least_squares_minimum(x, E_space);
    // projected_gradient stops at a fixed point to 1e-10: objective within 1e-9 relative.
    EXPECT_NEAR(row_objective(x, w, E_space), best, 1e-9 * (1 + best)) << "row " << i;
  }
  EXPECT_LE(rss(X, W, E), expected_rss * (1 + 1e-9));  // no worse than the fitted alpha
}

INSTANTIATE_TEST_SUITE_P(Normalize, BiarchetypalRun, ::testing::Bool());

// ---------------------------------------------------------------------------------------------

struct Fit {
  kaa::FitTrace trace;
  double final_objective;
};

/// configs/archetypax/biarchetypal.json on 150 built-in synthetic points in 6-D, float32: without
/// the pull hook unless `pull`, with archetypax's ascent and/or its convergence test when asked.
Fit fit(bool pull, bool ascent, bool accept_rising = false) {
  json raw = biarchetypal_config();
  raw["data"]["n"] = 150;
  raw["data"]["d"] = 6;
  raw["stopping"][2]["value"] = 120;
  if (!pull) raw["hooks"] = json::array();
  raw["optimizer"]["archetypax_ascent"] = ascent;
  raw["stopping"][1]["accept_rising"] = accept_rising;
  const auto reg = full_registry();
  const json resolved = kaa::resolve_config(raw, reg, "b.json");
  const kaa::LoadedData data =
      reg.make<kaa::Dataset, double>(resolved["data"])->load(resolved["model"]["seed"]);
  kaa::Model<float> model(resolved, reg);
  const auto X = kaa::to_device<float>(data.X, "X");
  auto params = model.allocate(data.X.rows, data.X.cols);
  Fit f;
  f.trace = model.fit(X, params, resolved["model"]["seed"]);
  f.final_objective = model.objective(X, params);
  return f;
}

TEST(BiarchetypalFit, LossDecreasesAndTheDefectParametersDoWhatTheySay) {
  // Without archetypax's pulls (which move beta and theta by 0.8 toward extreme points every 10
  // updates) the descending chain lowers the objective steadily; its ascending defect raises it.
  const Fit descent = fit(false, false);
  const Fit ascent = fit(false, true);
  ASSERT_FALSE(descent.trace.diverged);
  EXPECT_LT(descent.final_objective, 0.97 * descent.trace.losses.front());
  EXPECT_GT(ascent.final_objective, 1.5 * ascent.trace.losses.front());
  EXPECT_EQ(descent.trace.losses.front(), ascent.trace.losses.front());  // same start

  // The full archetypax configuration: descending ends lower than ascending.
  const Fit full = fit(true, false);
  const Fit full_ascent = fit(true, true);
  EXPECT_LT(full.final_objective, full_ascent.final_objective);

  // archetypax's convergence test stops the ascending fit early; the fixed one does not.
  const Fit defect = fit(false, true, true);
  EXPECT_EQ(ascent.trace.stop_reason, "max_iter");
  EXPECT_EQ(defect.trace.stop_reason, "relative_improvement");
  EXPECT_EQ(defect.trace.updates, 22u);  // the first update archetypax tests (it = 21)
}

}  // namespace
