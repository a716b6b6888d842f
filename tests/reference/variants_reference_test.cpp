// kaa's Improved and Sparse configs replay archetypax 0.1.2's recorded fits
// (tests/reference/variants/<case>/, made by make_variant_fixtures.py) from the same starting
// point, in float32 as archetypax runs; and the directional and qhull_style initializers
// reproduce archetypax's deterministic initializer outputs. See tests/reference/README.md for
// what can and cannot match exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <tuple>

#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/model.hpp"
#include "framework/run.hpp"
#include "strategies/initializers/directional.hpp"
#include "strategies/initializers/qhull_style.hpp"
#include "strategies/register_all.hpp"

#include "tests/strategies/make_strategy.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kVariants = fs::path(KAA_SOURCE_DIR) / "tests" / "reference" / "variants";

std::vector<std::string> fit_cases() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kVariants))
    if (fs::exists(entry.path() / "meta.json") && fs::exists(entry.path() / "loss_history.csv"))
      out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct VariantReplay {
  json meta;
  kaa::FitTrace trace;
  kaa::HostMatrix archetypes, weights;
  double final_objective = 0;
};

/// Working-space data of a case: float32 of X, standardised first when the case normalises.
kaa::HostMatrix working_data(const fs::path& dir, const json& meta) {
  kaa::HostMatrix X = kaa::read_matrix(dir / "X.csv");
  if (meta["normalize"].get<bool>()) kaa::standardize(X, kaa::standardization_of(X));
  return X;
}

/// Fits configs/<model>.json from the case's recorded initial weights and archetypes.
/// `best` is the keep_best / restore_on_rise mode; with `updates` > 0 exactly that many updates
/// run (max_iter only).
VariantReplay run_replay(const std::string& name, const std::string& best, std::size_t updates) {
  const fs::path dir = kVariants / name;
  VariantReplay r;
  r.meta = kaa::read_json_file(dir / "meta.json");
  const kaa::HostMatrix X = working_data(dir, r.meta);

  kaa::Registry registry;
  kaa::register_all(registry);
  const std::string model = r.meta["model"];
  json raw = kaa::read_json_file(fs::path(KAA_SOURCE_DIR) / "configs" / (model + ".json"));
  raw["model"]["n_archetypes"] = r.meta["k"];
  raw["model"]["normalize"] = r.meta["normalize"];
  raw["optimizer"]["learning_rate"] = r.meta["learning_rate"];
  raw["initializers"] = {{{"type", "from_file"},
                          {"weights", (dir / "initial_weights.csv").string()},
                          {"archetypes", (dir / "initial_archetypes.csv").string()}}};
  for (auto& hook : raw["hooks"]) {
    if (hook["type"] == "keep_best" || hook["type"] == "restore_on_rise") hook["best"] = best;
    // archetypax's Sparse noise is one fixed draw from its JAX key; the fixture records it.
    if (hook["type"] == "direct_update" && model == "sparse")
      hook["noise_file"] = (dir / "sparse_noise_uniform.csv").string();
  }
  if (updates > 0) {
    raw["stopping"] = {{{"type", "max_iter"}, {"value", updates}}};
  } else {
    raw["stopping"] = {{{"type", "patience"}, {"patience", 100}},
                       {{"type", "loss_delta"}, {"tol", r.meta["tol"]}},
                       {{"type", "max_iter"}, {"value", r.meta["max_iter"]}}};
  }
  const json resolved = kaa::resolve_config(raw, registry, name);
  kaa::Model<float> m(resolved, registry);
  const auto Xd = kaa::to_device<float>(X, "X");
  auto params = m.allocate(X.rows, X.cols);
  r.trace = m.fit(Xd, params, 0);
  r.archetypes = kaa::to_host(params.archetypes);
  r.weights = kaa::to_host(params.weights);
  r.final_objective = m.objective(Xd, params);
  return r;
}

/// run_replay, once per argument set in this process (several tests share a replay).
const VariantReplay& replay(const std::string& name, const std::string& best,
                            std::size_t updates = 0) {
  static std::map<std::tuple<std::string, std::string, std::size_t>, VariantReplay> done;
  const auto key = std::make_tuple(name, best, updates);
  auto it = done.find(key);
  if (it == done.end()) it = done.emplace(key, run_replay(name, best, updates)).first;
  return it->second;
}

class VariantReference : public ::testing::TestWithParam<std::string> {};

TEST_P(VariantReference, LossHistoryMatches) {
  const VariantReplay& r = replay(GetParam(), "after_update");
  const kaa::HostMatrix expected = kaa::read_matrix(kVariants / GetParam() / "loss_history.csv");
  const std::size_t compared = std::min<std::size_t>(r.trace.losses.size(), expected.rows);
  ASSERT_GE(compared, std::min<std::size_t>(expected.rows, 50));
  for (std::size_t t = 0; t < compared; ++t) {
    // 1e-4 relative, as for the base model: float32 on both sides in a different order.
    EXPECT_NEAR(r.trace.losses[t], expected(t, 0), 1e-4 * std::abs(expected(t, 0)))
        << "update " << t;
  }
}

TEST_P(VariantReference, StopsWhereArchetypaxStops) {
  const VariantReplay& r = replay(GetParam(), "after_update");
  const long expected = r.meta["n_iterations"].get<long>();
  EXPECT_LE(std::abs(static_cast<long>(r.trace.losses.size()) - expected), 5)
      << "kaa recorded " << r.trace.losses.size() << " losses (" << r.trace.stop_reason
      << "), archetypax " << expected << " (" << r.meta["stopped_by"] << ")";
}

TEST_P(VariantReference, FinalParametersMatchInArchetypaxsBestMode) {
  const json meta = kaa::read_json_file(kVariants / GetParam() / "meta.json");
  // archetypax returns the parameters after the update that started from its lowest loss.
  const VariantReplay& r =
      replay(GetParam(), "after_update", meta["n_iterations"].get<std::size_t>());
  const kaa::HostMatrix Z =
      kaa::read_matrix(kVariants / GetParam() / "final_archetypes_working.csv");
  const kaa::HostMatrix W = kaa::read_matrix(kVariants / GetParam() / "final_weights.csv");
  ASSERT_EQ(r.archetypes.values.size(), Z.values.size());
  double scale = 0;
  for (double v : Z.values) scale = std::max(scale, std::abs(v));
  for (std::size_t e = 0; e < Z.values.size(); ++e)
    EXPECT_NEAR(r.archetypes.values[e], Z.values[e], 1e-3 * scale) << "archetype entry " << e;
  ASSERT_EQ(r.weights.values.size(), W.values.size());
  for (std::size_t e = 0; e < W.values.size(); ++e)
    EXPECT_NEAR(r.weights.values[e], W.values[e], 1e-3) << "weight entry " << e;
}

TEST_P(VariantReference, DefaultModeEndsOnTheBestEvaluatedParameters) {
  const VariantReplay& r = replay(GetParam(), "evaluated");
  const double best = *std::min_element(r.trace.losses.begin(), r.trace.losses.end());
  EXPECT_NEAR(r.final_objective, best, 1e-6 * std::abs(best));
  EXPECT_NEAR(best, r.meta["best_loss"].get<double>(), 1e-4 * std::abs(best));
}

INSTANTIATE_TEST_SUITE_P(Archetypax, VariantReference, ::testing::ValuesIn(fit_cases()),
                         [](const auto& info) { return info.param; });

TEST(VariantReferenceFixtures, ImprovedWithEachInitializerAndSparseArePresent) {
  const auto cases = fit_cases();
  for (const char* name :
       {"improved_directional_3d", "improved_qhull_4d", "improved_kmeans_6d", "sparse_l1_6d"})
    EXPECT_NE(std::find(cases.begin(), cases.end(), name), cases.end()) << name;
}

// ---------------------------------------------------------------------------------------------
// Initializers against archetypax's deterministic outputs

struct InitCase {
  kaa::HostMatrix X, Z;
  json meta;
};

InitCase init_case(const std::string& name) {
  const fs::path dir = kVariants / "init";
  return {kaa::read_matrix(dir / (name + "_X.csv")), kaa::read_matrix(dir / (name + "_Z.csv")),
          kaa::read_json_file(dir / "meta.json")["cases"][name]};
}

void expect_rows(const std::vector<long>& chosen, const kaa::HostMatrix& Z_ours,
                 const InitCase& c) {
  const auto rows = c.meta["rows"].get<std::vector<long>>();
  EXPECT_EQ(chosen, rows);
  ASSERT_EQ(Z_ours.values.size(), c.Z.values.size());
  for (std::size_t e = 0; e < c.Z.values.size(); ++e)
    EXPECT_EQ(static_cast<float>(Z_ours.values[e]), static_cast<float>(c.Z.values[e]));
}

TEST(DirectionalReference, MatchesArchetypaxIn2dAnd3d) {
  for (const std::string name : {"directional_2d", "directional_3d"}) {
    SCOPED_TRACE(name);
    const InitCase c = init_case(name);
    auto init = kaa_test::make<kaa::strategies::Directional, float>();
    const std::size_t k = c.meta["k"];
    auto params = kaa::allocate_parameters<float>("p", c.X.rows, k, c.X.cols);
    init.initialize(kaa::to_device<float>(c.X, "X"), params, 0);
    expect_rows(init.chosen(), kaa::to_host(params.archetypes), c);
  }
}

TEST(DirectionalReference, PicksArchetypaxsStartOfTheDirectionalFit) {
  const fs::path dir = kVariants / "improved_directional_3d";
  const json meta = kaa::read_json_file(dir / "meta.json");
  const kaa::HostMatrix X = working_data(dir, meta);
  auto init = kaa_test::make<kaa::strategies::Directional, float>();
  auto params = kaa::allocate_parameters<float>("p", X.rows, meta["k"], X.cols);
  init.initialize(kaa::to_device<float>(X, "X"), params, 0);
  EXPECT_EQ(init.chosen(), meta["initial_archetype_row_indices"].get<std::vector<long>>());
}

TEST(QhullStyleReference, FindsScipysVerticesAndArchetypaxsSelectionIn3d) {
  const InitCase c = init_case("qhull_3d");
  auto init = kaa_test::make<kaa::strategies::QhullStyle, float>({{"directions", 20000}});
  const std::size_t k = c.meta["k"];
  auto params = kaa::allocate_parameters<float>("p", c.X.rows, k, c.X.cols);
  init.initialize(kaa::to_device<float>(c.X, "X"), params, 1);
  EXPECT_EQ(init.vertices(), c.meta["hull_vertices"].get<std::vector<long>>());
  expect_rows(init.chosen(), kaa::to_host(params.archetypes), c);
}

TEST(QhullStyleReference, PicksArchetypaxsStartOfTheQhullFit) {
  // 4-D, standardised: with enough directions every hull vertex is found, and the selection is
  // archetypax's.
  const fs::path dir = kVariants / "improved_qhull_4d";
  const json meta = kaa::read_json_file(dir / "meta.json");
  const kaa::HostMatrix X = working_data(dir, meta);
  auto init = kaa_test::make<kaa::strategies::QhullStyle, float>({{"directions", 20000}});
  auto params = kaa::allocate_parameters<float>("p", X.rows, meta["k"], X.cols);
  init.initialize(kaa::to_device<float>(X, "X"), params, 0);
  EXPECT_EQ(init.chosen(), meta["initial_archetype_row_indices"].get<std::vector<long>>());
}

}  // namespace
