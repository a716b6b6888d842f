// The default metric list, and the metrics of a whole fit: recovery error recomputed from the run
// folder's files by brute force over permutations, hull distance ~0 for knn_hull archetypes.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "framework/config/config.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/run.hpp"
#include "strategies/register_all.hpp"

namespace {

using nlohmann::json;

json base_without_metrics() {
  json raw = kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json");
  raw.erase("metrics");
  return raw;
}

TEST(MetricDefaults, CheapMetricsByDefaultHullDistanceOptIn) {
  kaa::Registry registry;
  kaa::register_all(registry);
  const json resolved = kaa::resolve_config(base_without_metrics(), registry, "base.json");
  std::vector<std::string> names;
  for (const auto& node : resolved.at("metrics")) names.push_back(node.at("type"));
  EXPECT_EQ(names, (std::vector<std::string>{"rss", "explained_variance", "weight_entropy",
                                             "weight_sparsity", "archetype_separation",
                                             "recovery_error"}));
}

TEST(MetricDefaults, WholeFitOnSyntheticData) {
  kaa::Registry registry;
  kaa::register_all(registry);
  json raw = base_without_metrics();
  raw["data"] = {{"type", "synthetic"}, {"n", 200}, {"d", 3}, {"n_archetypes", 3}, {"seed", 4}};
  raw["model"]["n_archetypes"] = 3;
  raw["model"]["normalize"] = true;
  raw["model"]["precision"] = "float64";
  raw["stopping"] = json::array({{{"type", "max_iter"}, {"value", 30}}});
  const json defaults = kaa::resolve_config(raw, registry, "test.json").at("metrics");
  raw["metrics"] = defaults;
  raw["metrics"].push_back({{"type", "hull_distance"}, {"tolerance", 1e-6}});
  const json resolved = kaa::resolve_config(raw, registry, "test.json");

  const auto out = std::filesystem::temp_directory_path() /
                   ("kaa_metric_defaults_" + std::to_string(::getpid()));
  std::filesystem::remove_all(out);
  const kaa::FitSummary summary = kaa::run_fit(resolved, registry, {out, true, 0});
  ASSERT_TRUE(summary.ok);
  const json& m = summary.metrics;

  // Brute force over the 3! pairings of the written archetypes with the true ones.
  const kaa::HostMatrix Z = kaa::read_csv(out / "archetypes.csv");
  const kaa::HostMatrix T = kaa::read_csv(out / "true_archetypes.csv");
  std::vector<std::size_t> perm = {0, 1, 2};
  double best = 1e300;
  do {
    double total = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      double s = 0;
      for (std::size_t f = 0; f < 3; ++f) s += std::pow(Z(j, f) - T(perm[j], f), 2);
      total += std::sqrt(s);
    }
    best = std::min(best, total);
  } while (std::next_permutation(perm.begin(), perm.end()));
  // The CSV round-trips doubles exactly; 1e-12 relative allows summation order only.
  EXPECT_NEAR(m.at("recovery_error_mean").get<double>(), best / 3, 1e-12 * (1 + best));
  EXPECT_EQ(m.at("recovery_matched").get<int>(), 3);

  // knn_hull keeps each archetype a convex combination of data points: inside the hull.
  EXPECT_TRUE(m.at("hull_distance_converged").get<bool>());
  EXPECT_EQ(m.at("hull_distance_outside").get<int>(), 0);
  EXPECT_LT(m.at("hull_distance_max").get<double>(), 1e-5);

  for (const char* key : {"weight_entropy", "weight_sparsity_hoyer", "weight_sparsity_fraction",
                          "archetype_separation_ratio"}) {
    const double v = m.at(key).get<double>();
    EXPECT_GE(v, 0.0) << key;
    EXPECT_LE(v, 1.0) << key;
  }
  std::filesystem::remove_all(out);
}

}  // namespace
