// Degenerate data, in float32 and float64: each case either fits (finite metrics, archetypes in the
// data's bounding box, weights on the simplex) or stops with one clear error (exit 2) and no run
// folder.
#include <algorithm>
#include <cmath>
#include <functional>

#include "framework/host_matrix.hpp"
#include "framework/io/matrix_io.hpp"
#include "tests/cli/cli_fixture.hpp"

namespace {

using kaa_test::Cli;
using kaa_test::Result;
namespace fs = std::filesystem;

class Degenerate : public Cli {
 protected:
  /// Rows of `cols` values from a fixed pseudo-random sequence, scaled.
  static std::string rows(int n, int cols, double scale = 1.0, int period = 0) {
    std::ostringstream os;
    os.precision(17);
    for (int i = 0; i < n; ++i) {
      const int r = period ? i % period : i;
      for (int c = 0; c < cols; ++c) {
        const double u =
            std::fmod(std::sin(12.9898 * (r + 1) + 78.233 * (c + 1)) * 43758.5453, 1.0);
        os << (c ? "," : "") << scale * std::abs(u);
      }
      os << "\n";
    }
    return os.str();
  }

  /// Fits `csv` with k archetypes in float32 and in float64; expects success with finite metrics,
  /// archetypes inside the data's bounding box (knn_hull makes them convex combinations of rows;
  /// tolerance 1e-5 of the column's magnitude, for float32), weight rows on the simplex both in
  /// weights.npy and from `kaa transform`; then runs `check` on each run's archetypes.
  void expect_fit(const std::string& csv, int k, bool normalize = false,
                  const std::function<void(const kaa::HostMatrix&)>& check = {}) {
    const fs::path data = file("x.csv", csv);
    const kaa::HostMatrix X = kaa::read_csv(data);
    bool constant = true;  // every row the same
    for (std::size_t e = 0; e < X.values.size(); ++e) constant &= X.values[e] == X(0, e % X.cols);
    for (const char* precision : {"float32", "float64"}) {
      SCOPED_TRACE(precision);
      const fs::path out = dir_ / (std::string("run-") + precision);
      const auto cfg = config(
          {{"model", {{"n_archetypes", k}, {"normalize", normalize}, {"precision", precision}}}});
      const Result r =
          run("fit " + cfg.string() + " --data " + data.string() + " --out " + out.string());
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const auto metrics = nlohmann::json::parse(slurp(out / "metrics.json"));
      for (const char* key : {"final_loss", "rss", "explained_variance"}) {
        // Constant data have no variance to explain: the metric says null, never NaN.
        if (key == std::string("explained_variance") && constant) {
          EXPECT_TRUE(metrics[key].is_null()) << metrics.dump();
          continue;
        }
        ASSERT_TRUE(metrics[key].is_number()) << key << " in " << metrics.dump();
        EXPECT_TRUE(std::isfinite(metrics[key].get<double>())) << key;
      }
      const kaa::HostMatrix Z = kaa::read_csv(out / "archetypes.csv");
      ASSERT_EQ(Z.rows, static_cast<std::size_t>(k));
      ASSERT_EQ(Z.cols, X.cols);
      for (std::size_t f = 0; f < X.cols; ++f) {
        double lo = X(0, f), hi = X(0, f);
        for (std::size_t i = 0; i < X.rows; ++i)
          lo = std::min(lo, X(i, f)), hi = std::max(hi, X(i, f));
        const double tol = 1e-5 * std::max(std::abs(lo), std::abs(hi));
        for (std::size_t j = 0; j < Z.rows; ++j) {
          EXPECT_GE(Z(j, f), lo - tol) << "archetype " << j << ", feature " << f;
          EXPECT_LE(Z(j, f), hi + tol) << "archetype " << j << ", feature " << f;
        }
      }
      expect_simplex_rows(kaa::read_npy(out / "weights.npy"), X.rows, k, 1e-5);
      const Result w = run("transform --run " + out.string() + " --data " + data.string());
      ASSERT_EQ(w.exit_code, 0) << w.err;
      std::istringstream lines(w.out);
      std::string header;
      std::getline(lines, header);
      std::ostringstream body;
      body << lines.rdbuf();
      expect_simplex_rows(kaa::parse_csv(body.str(), "transform output"), X.rows, k, 1e-6);
      if (check) check(Z);
    }
  }

  static void expect_simplex_rows(const kaa::HostMatrix& W, std::size_t n, int k, double tol) {
    ASSERT_EQ(W.rows, n);
    ASSERT_EQ(W.cols, static_cast<std::size_t>(k));
    for (std::size_t i = 0; i < W.rows; ++i) {
      double sum = 0;
      for (std::size_t j = 0; j < W.cols; ++j) {
        EXPECT_GE(W(i, j), 0.0) << "row " << i;
        sum += W(i, j);
      }
      EXPECT_NEAR(sum, 1.0, tol) << "row " << i;
    }
  }
};

TEST_F(Degenerate, DuplicateRows) { expect_fit(rows(60, 3, 1.0, 6), 3); }

TEST_F(Degenerate, ConstantColumnWithNormalisation) {
  std::string csv;
  std::istringstream in(rows(40, 2));
  for (std::string line; std::getline(in, line);) csv += line + ",7\n";
  // Zero variance is taken as 1, so the column passes through: every archetype keeps the 7.
  expect_fit(csv, 3, true, [](const kaa::HostMatrix& Z) {
    for (std::size_t j = 0; j < Z.rows; ++j) EXPECT_NEAR(Z(j, 2), 7.0, 1e-6);
  });
}

TEST_F(Degenerate, AsManyArchetypesAsRows) { expect_fit(rows(3, 4), 3); }

TEST_F(Degenerate, OneFeature) { expect_fit(rows(40, 1), 2); }

TEST_F(Degenerate, CollinearData) {
  std::string csv;
  std::istringstream in(rows(40, 1));
  for (std::string line; std::getline(in, line);) {
    const double t = std::stod(line);
    csv += std::to_string(t) + "," + std::to_string(2 * t) + "," + std::to_string(-3 * t) + "\n";
  }
  // Mixtures of points on the line x = t (1, 2, -3) stay on it.
  expect_fit(csv, 3, false, [](const kaa::HostMatrix& Z) {
    for (std::size_t j = 0; j < Z.rows; ++j) {
      EXPECT_NEAR(Z(j, 1), 2 * Z(j, 0), 1e-5);
      EXPECT_NEAR(Z(j, 2), -3 * Z(j, 0), 1e-5);
    }
  });
}

TEST_F(Degenerate, TinyMagnitudesWithNormalisation) { expect_fit(rows(40, 3, 1e-30), 3, true); }

TEST_F(Degenerate, HugeMagnitudesWithNormalisation) { expect_fit(rows(40, 3, 1e30), 3, true); }

TEST_F(Degenerate, IdenticalRowsGiveThatRowAsTheArchetype) {
  std::string csv;
  for (int i = 0; i < 8; ++i) csv += "2.5,-1,0.125\n";
  expect_fit(csv, 1, true, [](const kaa::HostMatrix& Z) {
    EXPECT_DOUBLE_EQ(Z(0, 0), 2.5);
    EXPECT_DOUBLE_EQ(Z(0, 1), -1.0);
    EXPECT_DOUBLE_EQ(Z(0, 2), 0.125);
  });
}

TEST_F(Degenerate, SquaresBeyondDoubleAreAClearErrorEvenNormalised) {
  // 1e200 squared overflows double: the standard deviation would be infinite, every standardised
  // row the same point, and kmeans_pp would blame "1 distinct row".
  const fs::path data = file("x.csv", rows(40, 3, 1e200));
  expect_fit_error(config({{"model", {{"normalize", true}}}}).string() + " --data " + data.string(),
                   "their squares overflow double precision");
}

TEST_F(Degenerate, HugeMagnitudesWithoutNormalisationIsAClearError) {
  const fs::path data = file("x.csv", rows(40, 3, 1e30));
  expect_fit_error(config().string() + " --data " + data.string(), "set /model/normalize=true");
}

TEST_F(Degenerate, MoreArchetypesThanDistinctRowsIsAClearError) {
  const fs::path data = file("x.csv", rows(40, 3, 1.0, 2));
  const fs::path out = dir_ / "run";
  const Result r =
      run("fit " + config().string() + " --data " + data.string() + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("kaa: error: kmeans_pp: only 2 distinct rows found, fewer than the 3"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
