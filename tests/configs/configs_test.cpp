// Every shipped config (configs/*.json, found at test time so configs added later are covered)
// runs end to end on a small synthetic set: finite parameters, weight rows on the simplex, and an
// RSS below the RSS at initialisation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/kernels/reconstruction.hpp"
#include "framework/model.hpp"
#include "framework/run.hpp"
#include "strategies/register_all.hpp"

namespace {

using nlohmann::json;

std::vector<std::filesystem::path> shipped_configs() {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(KAA_SOURCE_DIR "/configs"))
    if (entry.path().extension() == ".json") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// The config with its data replaced by a small synthetic set (n = 300, d = 5, 3 true
/// archetypes), 3 archetypes, and at most `max_iter` updates.
json small_version(json raw, long long max_iter) {
  raw["data"] = {{"type", "synthetic"}, {"n", 300},      {"d", 5},
                 {"n_archetypes", 3},   {"noise", 0.05}, {"seed", 1}};
  raw["model"]["n_archetypes"] = 3;
  for (auto& rule : raw["stopping"]) {
    if (rule.is_object() && rule.value("type", "") == "max_iter")
      rule["value"] = std::min(rule.value("value", max_iter), max_iter);
  }
  return raw;
}

template <class S>
void fit_and_check(const json& resolved, const kaa::Registry& registry) {
  auto dataset = registry.make<kaa::Dataset, S>(resolved.at("data"));
  kaa::LoadedData data = dataset->load(resolved["model"]["seed"].get<std::uint64_t>());
  if (resolved["model"]["normalize"].get<bool>())
    kaa::standardize(data.X, kaa::standardization_of(data.X));
  kaa::Model<S> model(resolved, registry);
  const auto X = kaa::to_device<S>(data.X, "X");
  auto params = model.allocate(data.X.rows, data.X.cols);
  auto rss = [&] {
    // The archetypes the weights combine (biarchetypal: beta X theta gamma, not beta X).
    return kaa::kernels::reconstruction_pass(X, params.weights, model.effective_archetypes(params),
                                             0.0, kaa::Matrix<S>(), kaa::Matrix<S>());
  };
  model.initialize(X, params, resolved["model"]["seed"].get<std::uint64_t>());
  const double rss_start = rss();
  const kaa::FitTrace trace = model.iterate(X, params);
  EXPECT_FALSE(trace.diverged) << trace.stop_reason;
  EXPECT_GE(trace.updates, 1u);

  const kaa::HostMatrix A = kaa::to_host(params.weights), Z = kaa::to_host(params.archetypes);
  for (double v : Z.values) ASSERT_TRUE(std::isfinite(v)) << "archetypes";
  for (std::size_t i = 0; i < A.rows; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < A.cols; ++j) {
      ASSERT_TRUE(std::isfinite(A(i, j))) << "weights row " << i;
      EXPECT_GE(A(i, j), -1e-5) << "weights row " << i;
      sum += A(i, j);
    }
    EXPECT_NEAR(sum, 1.0, 1e-5) << "weights row " << i;
  }
  EXPECT_LT(rss(), rss_start);
}

TEST(Configs, EveryShippedConfigFitsASmallSyntheticSet) {
  kaa::Registry registry;
  kaa::register_all(registry);
  const auto paths = shipped_configs();
  ASSERT_GE(paths.size(), 6u);  // base and the five classic-solver configs at least
  for (const auto& path : paths) {
    SCOPED_TRACE(path.filename().string());
    const json resolved =
        kaa::resolve_config(small_version(kaa::read_json_file(path), 30), registry, path.string());
    if (resolved["model"]["precision"] == "float64") {
      fit_and_check<double>(resolved, registry);
    } else {
      fit_and_check<float>(resolved, registry);
    }
  }
}

}  // namespace
