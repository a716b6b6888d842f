// A fit gives the same bits whatever the thread count (docs/ARCHITECTURE.md, "Shapes per
// backend"), checked end to end for the classic solvers and the base model on badly scaled data:
// columns from 1e3 to 1e-2, like the wine data set, where a reordered sum changes the step-size
// decisions of pcha and the difference grows over the fit.
#include "tests/cli/cli_fixture.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

namespace {

using kaa_test::Cli;
using kaa_test::Result;
namespace fs = std::filesystem;

/// n x d points near a simplex of 4 corners, column f scaled by 10^(3 - 5 f / (d - 1)); written
/// with 17 significant digits so the file holds exactly these doubles.
std::string badly_scaled_csv(std::size_t n, std::size_t d) {
  std::mt19937_64 rng(16);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 0.05);
  const std::size_t corners = 4;
  std::vector<double> corner(corners * d);
  for (double& v : corner) v = u(rng);
  std::string csv;
  char cell[40];
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> w(corners);
    double total = 0;
    for (double& v : w) total += v = -std::log(u(rng) + 1e-12);
    for (std::size_t f = 0; f < d; ++f) {
      double x = noise(rng);
      for (std::size_t c = 0; c < corners; ++c) x += w[c] / total * corner[c * d + f];
      const double scale = std::pow(10.0, 3.0 - 5.0 * static_cast<double>(f) / (d - 1.0));
      std::snprintf(cell, sizeof cell, "%.17g", x * scale);
      csv += (f ? "," : "") + std::string(cell);
    }
    csv += '\n';
  }
  return csv;
}

class SameBitsForAnyThreadCount : public Cli, public ::testing::WithParamInterface<const char*> {};

TEST_P(SameBitsForAnyThreadCount, OneAndTwoThreads) {
  const fs::path data = file("wine_like.csv", badly_scaled_csv(178, 13));
  nlohmann::json c =
      nlohmann::json::parse(slurp(KAA_SOURCE_DIR "/configs/" + std::string(GetParam()) + ".json"));
  c["model"]["n_archetypes"] = 4;
  for (auto& rule : c["stopping"])
    if (rule["type"] == "max_iter") rule["value"] = 60;
  const fs::path cfg = file("config.json", c.dump(2));

  std::string archetypes[2], weights[2], losses[2];
  for (int threads : {1, 2}) {
    const fs::path out = dir_ / ("threads" + std::to_string(threads));
    const Result r =
        run("fit " + cfg.string() + " --data " + data.string() + " --out " + out.string(), threads);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto metrics = nlohmann::json::parse(slurp(out / "metrics.json"));
    ASSERT_EQ(metrics["threads"], threads);
    archetypes[threads - 1] = slurp(out / "archetypes.csv");
    weights[threads - 1] = slurp(out / "weights.npy");
    losses[threads - 1] = slurp(out / "loss_history.csv");
  }
  EXPECT_EQ(archetypes[0], archetypes[1]);
  EXPECT_TRUE(weights[0] == weights[1]) << "weights.npy differs";
  EXPECT_EQ(losses[0], losses[1]);
}

INSTANTIATE_TEST_SUITE_P(Cli, SameBitsForAnyThreadCount,
                         ::testing::Values("pcha", "active_set", "als", "frank_wolfe", "base"));

}  // namespace
