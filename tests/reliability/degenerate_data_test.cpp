// Degenerate data: each case either fits (finite archetypes, weights on the simplex) or stops with
// one clear error (exit 2) and no run folder.
#include <cmath>

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

  /// Fits `csv` with k archetypes; expects success with finite results on the simplex.
  void expect_fit(const std::string& csv, int k, bool normalize = false) {
    const fs::path data = file("x.csv", csv);
    const fs::path out = dir_ / "run";
    const auto cfg = config({{"model", {{"n_archetypes", k}, {"normalize", normalize}}}});
    const Result r =
        run("fit " + cfg.string() + " --data " + data.string() + " --out " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string archetypes = slurp(out / "archetypes.csv");
    EXPECT_EQ(archetypes.find("nan"), std::string::npos) << archetypes;
    EXPECT_EQ(archetypes.find("inf"), std::string::npos) << archetypes;
    const auto metrics = nlohmann::json::parse(slurp(out / "metrics.json"));
    EXPECT_TRUE(std::isfinite(metrics["rss"].get<double>()));
    // Weights: transform the data back and check every row is on the simplex.
    const Result w = run("transform --run " + out.string() + " --data " + data.string());
    ASSERT_EQ(w.exit_code, 0) << w.err;
    std::istringstream lines(w.out);
    std::string line;
    std::getline(lines, line);  // header
    int checked = 0;
    while (std::getline(lines, line)) {
      double sum = 0, v;
      std::istringstream cells(line);
      for (std::string cell; std::getline(cells, cell, ',');) {
        v = std::stod(cell);
        EXPECT_GE(v, 0.0);
        sum += v;
      }
      EXPECT_NEAR(sum, 1.0, 1e-6);
      ++checked;
    }
    EXPECT_GT(checked, 0);
  }
};

TEST_F(Degenerate, DuplicateRows) { expect_fit(rows(60, 3, 1.0, 6), 3); }

TEST_F(Degenerate, ConstantColumnWithNormalisation) {
  std::string csv;
  std::istringstream in(rows(40, 2));
  for (std::string line; std::getline(in, line);) csv += line + ",7\n";
  expect_fit(csv, 3, true);
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
  expect_fit(csv, 3);
}

TEST_F(Degenerate, TinyMagnitudesWithNormalisation) { expect_fit(rows(40, 3, 1e-30), 3, true); }

TEST_F(Degenerate, HugeMagnitudesWithNormalisation) { expect_fit(rows(40, 3, 1e30), 3, true); }

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
