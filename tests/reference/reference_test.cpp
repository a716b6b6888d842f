// kaa's base config replays archetypax 0.1.2's recorded fits (tests/reference/<case>/, made by
// make_fixtures.py) from the same starting point, in float32 as archetypax runs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/model.hpp"
#include "framework/run.hpp"
#include "strategies/register_all.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kReference = fs::path(KAA_SOURCE_DIR) / "tests" / "reference";

std::vector<std::string> cases() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kReference))
    if (fs::exists(entry.path() / "meta.json")) out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Replay {
  json meta;
  kaa::FitTrace trace;
  kaa::HostMatrix archetypes, weights;
};

/// Fits configs/base.json from the case's recorded initial weights and archetypes. With
/// `updates` > 0 the fit runs exactly that many updates (no loss_delta rule).
Replay replay(const std::string& name, std::size_t updates = 0) {
  const fs::path dir = kReference / name;
  Replay r;
  r.meta = kaa::read_json_file(dir / "meta.json");
  kaa::HostMatrix X = kaa::read_matrix(dir / "X.csv");
  if (r.meta["normalize"].get<bool>()) kaa::standardize(X, kaa::standardization_of(X));

  kaa::Registry registry;
  kaa::register_all(registry);
  json raw = kaa::read_json_file(fs::path(KAA_SOURCE_DIR) / "configs" / "base.json");
  raw["model"]["n_archetypes"] = r.meta["k"];
  raw["model"]["normalize"] = r.meta["normalize"];
  raw["optimizer"]["learning_rate"] = r.meta["learning_rate"];
  raw["initializers"] = {{{"type", "from_file"},
                          {"weights", (dir / "initial_weights.csv").string()},
                          {"archetypes", (dir / "initial_archetypes.csv").string()}}};
  if (updates > 0) {
    raw["stopping"] = {{{"type", "max_iter"}, {"value", updates}}};
  } else {
    raw["stopping"] = {{{"type", "loss_delta"}, {"tol", r.meta["tol"]}},
                       {{"type", "max_iter"}, {"value", r.meta["max_iter"]}}};
  }
  const json resolved = kaa::resolve_config(raw, registry, name);

  kaa::Model<float> model(resolved, registry);
  const auto Xd = kaa::to_device<float>(X, "X");
  auto params = kaa::allocate_parameters<float>("p", X.rows, r.meta["k"], X.cols);
  r.trace = model.fit(Xd, params, 0);
  r.archetypes = kaa::to_host(params.archetypes);
  r.weights = kaa::to_host(params.weights);
  return r;
}

class Reference : public ::testing::TestWithParam<std::string> {};

TEST_P(Reference, LossHistoryMatchesOverTheFirst50Updates) {
  const Replay r = replay(GetParam());
  const kaa::HostMatrix expected = kaa::read_matrix(kReference / GetParam() / "loss_history.csv");

  const std::size_t compared = std::min<std::size_t>(50, expected.rows);
  ASSERT_GE(r.trace.losses.size(), compared);
  for (std::size_t t = 0; t < compared; ++t) {
    // 1e-4 relative: both sides are float32 computations of the same quantities in a different
    // order (archetypax: XLA; kaa: residual per row with double accumulation).
    EXPECT_NEAR(r.trace.losses[t], expected(t, 0), 1e-4 * std::abs(expected(t, 0)))
        << "update " << t;
  }
}

TEST_P(Reference, StopsWhereArchetypaxStops) {
  const Replay r = replay(GetParam());
  const std::size_t expected = r.meta["n_iterations"].get<std::size_t>();

  // The loss_delta rule compares changes of ~1e-6 against tol = 1e-6, so float32 rounding can
  // move the stop by a few updates; a different trajectory would move it by far more.
  EXPECT_LE(std::abs(static_cast<long>(r.trace.updates) - static_cast<long>(expected)), 5)
      << "kaa stopped after " << r.trace.updates << " updates, archetypax after " << expected;
}

TEST_P(Reference, FinalArchetypesAndWeightsMatchAfterTheSameUpdates) {
  const json meta = kaa::read_json_file(kReference / GetParam() / "meta.json");
  const Replay r = replay(GetParam(), meta["n_iterations"].get<std::size_t>());
  const kaa::HostMatrix Z =
      kaa::read_matrix(kReference / GetParam() / "final_archetypes_working.csv");
  const kaa::HostMatrix W = kaa::read_matrix(kReference / GetParam() / "final_weights.csv");

  ASSERT_EQ(r.archetypes.values.size(), Z.values.size());
  double scale = 0;
  for (double v : Z.values) scale = std::max(scale, std::abs(v));
  for (std::size_t e = 0; e < Z.values.size(); ++e) {
    // 1e-3 relative to the largest archetype coordinate (entries near 0 have no relative scale).
    EXPECT_NEAR(r.archetypes.values[e], Z.values[e], 1e-3 * scale) << "archetype entry " << e;
  }
  ASSERT_EQ(r.weights.values.size(), W.values.size());
  for (std::size_t e = 0; e < W.values.size(); ++e) {
    EXPECT_NEAR(r.weights.values[e], W.values[e], 1e-3) << "weight entry " << e;
  }
}

INSTANTIATE_TEST_SUITE_P(Archetypax, Reference, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param; });

TEST(ReferenceFixtures, AtLeastThreeCasesArePresent) { EXPECT_GE(cases().size(), 3u); }

}  // namespace
