// Hooks and the patience rule of archetypax's Improved and Sparse models, on hand-computed cases:
// when each schedule fires, the direct least-squares step and its Sparse extras, the blend factor
// chosen by the loss ratio, best-parameter restores and optimizer resets; then the same hooks
// inside a real fit.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <random>
#include <vector>

#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/model.hpp"
#include "strategies/hooks/best_parameters/keep_best.hpp"
#include "strategies/hooks/best_parameters/restore_on_rise.hpp"
#include "strategies/hooks/projections/blended_projection.hpp"
#include "strategies/hooks/updates/direct_update.hpp"
#include "strategies/projectors/cbap.hpp"
#include "strategies/register_all.hpp"
#include "strategies/stopping/patience.hpp"

#include "tests/strategies/make_strategy.hpp"
#include "tests/support/host_matrices.hpp"
#include "tests/support/temp_path.hpp"

namespace {

using kaa_test::random_matrix;
using kaa_test::rows_from;

using kaa::HostMatrix;
using kaa_test::make;
using nlohmann::json;
namespace ks = kaa::strategies;

/// A hook context over fixed data with recorded calls; objective() is whatever the test says.
struct Harness {
  kaa::Matrix<double> X;
  kaa::Parameters<double> params;
  std::vector<double> losses;
  std::size_t resets = 0, restores = 0;
  std::function<double(const kaa::Parameters<double>&)> objective = [](const auto&) { return 0.0; };
  std::function<bool()> restore = [] { return true; };

  Harness(const HostMatrix& Xh, const HostMatrix& W, const HostMatrix& Z)
      : X(kaa::to_device<double>(Xh, "X")),
        params{kaa::to_device<double>(W, "W"), kaa::to_device<double>(Z, "Z")} {}

  kaa::HookContext<double> context(std::size_t updates) {
    return kaa::HookContext<double>{
        X,
        params,
        updates,
        losses,
        [this](const kaa::Parameters<double>& p) { return objective(p); },
        [this] { ++resets; },
        [this] {
          ++restores;
          return restore();
        }};
  }
  HostMatrix Z() const { return kaa::to_host(params.archetypes); }
};

double max_abs_diff(const HostMatrix& a, const HostMatrix& b) {
  double m = 0;
  for (std::size_t e = 0; e < a.values.size(); ++e)
    m = std::max(m, std::abs(a.values[e] - b.values[e]));
  return m;
}

// ---------------------------------------------------------------------------------------------
// Schedules

TEST(HookSchedule, DirectUpdateFiresAfterUpdates1_16_31) {
  // W one-hot, so the direct step recovers the rows' means; any firing changes Z.
  const HostMatrix X = rows_from({{0, 0}, {1, 0}, {0, 1}, {1, 1}});
  const HostMatrix W = rows_from({{1, 0}, {1, 0}, {0, 1}, {0, 1}});
  Harness h(X, W, rows_from({{0.5, 0.5}, {0.5, 0.5}}));
  auto hook = make<ks::DirectUpdate, double>();
  std::vector<std::size_t> fired;
  for (std::size_t u = 1; u <= 40; ++u) {
    Kokkos::deep_copy(h.params.archetypes, 0.5);
    auto ctx = h.context(u);
    hook.after_update(ctx);
    if (max_abs_diff(h.Z(), rows_from({{0.5, 0.5}, {0.5, 0.5}})) > 0) fired.push_back(u);
  }
  EXPECT_EQ(fired, (std::vector<std::size_t>{1, 16, 31}));
}

TEST(HookSchedule, StartAndEveryAreGeneric) {
  const HostMatrix X = rows_from({{0, 0}, {1, 0}, {0, 1}, {1, 1}});
  Harness h(X, rows_from({{1, 0}, {1, 0}, {0, 1}, {0, 1}}), rows_from({{0.5, 0.5}, {0.5, 0.5}}));
  std::size_t calls = 0;
  h.objective = [&](const auto&) {
    ++calls;
    return 1.0;
  };
  auto hook = make<ks::BlendedProjection, double>({{"every", 4}, {"start", 3}});
  std::vector<std::size_t> fired;
  for (std::size_t u = 1; u <= 12; ++u) {
    const std::size_t before = calls;
    auto ctx = h.context(u);
    hook.after_update(ctx);
    if (calls > before) fired.push_back(u);
  }
  EXPECT_EQ(fired, (std::vector<std::size_t>{3, 7, 11}));
}

// ---------------------------------------------------------------------------------------------
// direct_update

TEST(DirectUpdate, SolvesTheRidgeNormalEquationsAndBlends) {
  // W rows (1, 0), (0.5, 0.5), (0, 1) on X rows (0, 0), (1, 2), (2, 0), plus two rows of weight
  // 0 that only widen the data: W^T W = [[1.25, 0.25], [0.25, 1.25]], W^T X = [[0.5, 1],
  // [2.5, 1]], so Z_dir = (W^T W)^-1 W^T X = [[0, 2/3], [2, 2/3]] (ridge 0). Centroid (0.6, 0.4):
  // along their own directions both rows lie well inside the support (rows (3, 3), (-3, -3)),
  // so the hull scaling leaves them.
  const HostMatrix X = rows_from({{0, 0}, {1, 2}, {2, 0}, {3, 3}, {-3, -3}});
  const HostMatrix W = rows_from({{1, 0}, {0.5, 0.5}, {0, 1}, {0, 0}, {0, 0}});
  const HostMatrix Z0 = rows_from({{0.3, 0.3}, {0.6, 0.9}});
  Harness h(X, W, Z0);
  auto hook = make<ks::DirectUpdate, double>({{"ridge", 0.0}, {"blend", 0.25}});
  auto ctx = h.context(1);
  hook.after_update(ctx);
  const HostMatrix direct = rows_from({{0, 2.0 / 3}, {2, 2.0 / 3}});
  const HostMatrix Z = h.Z();
  for (std::size_t e = 0; e < 4; ++e)
    EXPECT_NEAR(Z.values[e], 0.25 * direct.values[e] + 0.75 * Z0.values[e], 1e-14) << e;

  // With archetypax's ridge 1e-6 the solution moves by O(1e-6).
  auto ridged = make<ks::DirectUpdate, double>();
  const HostMatrix r = ridged.direct_archetypes(h.X, h.params.weights);
  EXPECT_LT(max_abs_diff(r, direct), 1e-5);
  EXPECT_GT(max_abs_diff(r, direct), 1e-8);
}

TEST(DirectUpdate, PullsARowBeyondTheSupportBackToTheMargin) {
  // X on the x axis with centroid 0; W^T W = diag(0.25, 1), W^T X = [(1.5, 0), (-0.5, 0)], so
  // Z_dir = [(6, 0), (-0.5, 0)]. Along +x the support is 3: row 0 (p = 6) moves to
  // 0.99 * 3 / (6 + 1e-10) * (6, 0); along -x the support is 2.5 and row 1 (p = 0.5) stays.
  const HostMatrix X = rows_from({{3, 0}, {-0.5, 0}, {1, 0}, {-1, 0}, {-2.5, 0}});
  const HostMatrix W = rows_from({{0.5, 0}, {0, 1}, {0, 0}, {0, 0}, {0, 0}});
  Harness h(X, W, rows_from({{0, 0}, {0, 0}}));
  auto hook = make<ks::DirectUpdate, double>({{"ridge", 0.0}});
  const HostMatrix Z = hook.direct_archetypes(h.X, h.params.weights);
  EXPECT_NEAR(Z(0, 0), 0.99 * 3 / (6 + 1e-10) * 6, 1e-12);
  EXPECT_NEAR(Z(1, 0), -0.5, 1e-12);
  EXPECT_NEAR(Z(0, 1), 0.0, 1e-15);
}

TEST(DirectUpdate, SparseExtrasFollowArchetypaxsOrder) {
  // Z_dir = [[0.2, 0.1, 0.6, 0.1], [0.1, 0.5, 0.2, 0.2]] exactly (W = I on the first two rows of
  // X); the support is far away, so no hull scaling. Recorded noise u: every entry 0.75.
  const HostMatrix X = rows_from({{0.2, 0.1, 0.6, 0.1},
                                  {0.1, 0.5, 0.2, 0.2},
                                  {5, 5, 5, 5},
                                  {-5, -5, -5, -5},
                                  {5, -5, 5, -5},
                                  {-5, 5, -5, 5}});
  const HostMatrix W = rows_from({{1, 0}, {0, 1}, {0, 0}, {0, 0}, {0, 0}, {0, 0}});
  const auto dir = kaa::test::unique_temp_path("kaa_direct_update_noise");
  std::filesystem::create_directories(dir);
  const auto noise_path = dir / "noise.csv";
  HostMatrix u(2, 4);
  for (double& v : u.values) v = 0.75;
  kaa::write_csv(noise_path, u);

  Harness h(X, W, rows_from({{0, 0, 0, 0}, {0, 0, 0, 0}}));
  auto hook = make<ks::DirectUpdate, double>({{"ridge", 0.0},
                                              {"median_shrink", 0.7},
                                              {"noise_scale", 0.01},
                                              {"noise_file", noise_path.string()},
                                              {"normalize_rows", true},
                                              {"rescale_after", true}});
  const HostMatrix Z = hook.direct_archetypes(h.X, h.params.weights);

  // By hand: medians 0.15 and 0.2; shrink entries below them by 0.7, rows renormalised.
  HostMatrix e = rows_from({{0.2, 0.07, 0.6, 0.07}, {0.07, 0.5, 0.2, 0.2}});
  for (std::size_t j = 0; j < 2; ++j) {
    double s = 0;
    for (std::size_t f = 0; f < 4; ++f) s += e(j, f);
    for (std::size_t f = 0; f < 4; ++f) e(j, f) /= s;
  }
  // Noise (0.75 - 0.5) x 0.01 / (population std over the 2 rows + 1e-8), then rows to sum 1.
  for (std::size_t f = 0; f < 4; ++f) {
    const double sd = std::abs(e(0, f) - e(1, f)) / 2;
    for (std::size_t j = 0; j < 2; ++j) e(j, f) += 0.25 * 0.01 / (sd + 1e-8);
  }
  for (std::size_t j = 0; j < 2; ++j) {
    double s = 0;
    for (std::size_t f = 0; f < 4; ++f) s += e(j, f);
    for (std::size_t f = 0; f < 4; ++f) e(j, f) /= s;
  }
  EXPECT_LT(max_abs_diff(Z, e), 1e-12);

  // A noise file of the wrong shape is one clear error naming it.
  HostMatrix bad(3, 4);
  kaa::write_csv(noise_path, bad);
  auto fresh =
      make<ks::DirectUpdate, double>({{"noise_scale", 0.01}, {"noise_file", noise_path.string()}});
  try {
    fresh.direct_archetypes(h.X, h.params.weights);
    ADD_FAILURE() << "expected an error";
  } catch (const kaa::InputError& err) {
    EXPECT_NE(std::string(err.what()).find("3 x 4, expected 2 x 4"), std::string::npos)
        << err.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(DirectUpdate, NoiseIsOneDrawUnlessRedrawn) {
  const HostMatrix X = random_matrix(30, 4, 3, 0.1, 1.0);
  const HostMatrix W = random_matrix(30, 3, 4, 0.1, 1.0);
  Harness h(X, W, random_matrix(3, 4, 5));
  auto fixed = make<ks::DirectUpdate, double>({{"noise_scale", 0.01}});
  auto redraw = make<ks::DirectUpdate, double>({{"noise_scale", 0.01}, {"noise_redraw", true}});
  auto ctx = h.context(1);
  const HostMatrix a = fixed.direct_archetypes(h.X, h.params.weights);
  fixed.after_update(ctx);
  const HostMatrix b = fixed.direct_archetypes(h.X, h.params.weights);
  EXPECT_EQ(a.values, b.values);
  const HostMatrix c = redraw.direct_archetypes(h.X, h.params.weights);
  redraw.after_update(ctx);
  const HostMatrix d = redraw.direct_archetypes(h.X, h.params.weights);
  EXPECT_GT(max_abs_diff(c, d), 1e-6);
  EXPECT_EQ(a.values, c.values);  // the first call draws the same numbers
}

// ---------------------------------------------------------------------------------------------
// blended_projection

TEST(BlendedProjection, BlendFactorFollowsTheLossRatio) {
  auto hook = make<ks::BlendedProjection, double>();
  EXPECT_EQ(hook.blend_for(0.5), 0.5);
  EXPECT_EQ(hook.blend_for(1.01), 0.5);  // not above 1.01
  EXPECT_EQ(hook.blend_for(1.0101), 0.01);
  EXPECT_EQ(hook.blend_for(1.1), 0.01);
  EXPECT_EQ(hook.blend_for(1.1001), 0.005);
}

TEST(BlendedProjection, BlendsTheProjectorsResultByTheRatioOfObjectives) {
  const HostMatrix X = rows_from({{2, 0.5}, {-2, -0.5}, {0.2, 3}, {-0.2, -3}});
  const HostMatrix W = rows_from({{1, 0}, {0, 1}, {0.5, 0.5}, {0.5, 0.5}});
  const HostMatrix Z0 = rows_from({{1, 0}, {0, 4}});
  // The projector's own result, for comparison.
  auto cbap = make<ks::Cbap, double>();
  auto expected_p = kaa::to_device<double>(Z0, "P");
  cbap.project(expected_p, kaa::to_device<double>(X, "X"));
  const HostMatrix P = kaa::to_host(expected_p);

  for (const auto& [post, blend] :
       std::vector<std::pair<double, double>>{{1.0, 0.5}, {1.05, 0.01}, {2.0, 0.005}}) {
    Harness h(X, W, Z0);
    const double* original = h.params.archetypes.data();
    // Objective 1 at the current archetypes, `post` at any other (the projected trial).
    h.objective = [&, post = post](const kaa::Parameters<double>& p) {
      return p.archetypes.data() == original ? 1.0 : post;
    };
    auto hook = make<ks::BlendedProjection, double>();
    auto ctx = h.context(1);
    hook.after_update(ctx);
    EXPECT_NEAR(hook.last_ratio(), post / (1.0 + 1e-10), 1e-15);
    EXPECT_EQ(hook.last_blend(), blend);
    const HostMatrix Z = h.Z();
    for (std::size_t e = 0; e < 4; ++e)
      EXPECT_NEAR(Z.values[e], blend * P.values[e] + (1 - blend) * Z0.values[e], 1e-14);
  }
}

TEST(BlendedProjection, BuildsEachProjector) {
  const HostMatrix X = random_matrix(25, 3, 7);
  const HostMatrix W = random_matrix(25, 2, 8, 0.1, 1);
  for (const std::string method : {"cbap", "convex_hull", "knn_hull"}) {
    Harness h(X, W, random_matrix(2, 3, 9, -0.2, 0.2));
    h.objective = [](const auto&) { return 1.0; };
    auto hook = make<ks::BlendedProjection, double>({{"projector", method}, {"blend_good", 1.0}});
    auto ctx = h.context(1);
    hook.after_update(ctx);
    // blend 1: the archetypes are the projector's output, a mix of data rows, so inside the
    // data's bounding box.
    const HostMatrix Z = h.Z();
    for (std::size_t f = 0; f < 3; ++f) {
      double lo = 1e300, hi = -1e300;
      for (std::size_t i = 0; i < 25; ++i) lo = std::min(lo, X(i, f)), hi = std::max(hi, X(i, f));
      for (std::size_t j = 0; j < 2; ++j) {
        EXPECT_GE(Z(j, f), lo - 1e-12) << method;
        EXPECT_LE(Z(j, f), hi + 1e-12) << method;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// keep_best and restore_on_rise

TEST(KeepBest, EvaluatedModeRestoresThroughTheModelAtTheEnd) {
  Harness h(rows_from({{0}}), rows_from({{1}}), rows_from({{0}}));
  auto hook = make<ks::KeepBest, double>();
  auto ctx = h.context(1);
  hook.after_update(ctx);
  EXPECT_EQ(h.restores, 0u);
  hook.on_finish(ctx);
  EXPECT_EQ(h.restores, 1u);
}

TEST(KeepBest, AfterUpdateModeKeepsTheParametersOneUpdateLater) {
  // Losses before updates 1..4: 3, 1, 2, 5. archetypax's best is the state after update 2 (the
  // update that started from loss 1).
  Harness h(rows_from({{0}}), rows_from({{1}}), rows_from({{0}}));
  auto hook = make<ks::KeepBest, double>({{"best", "after_update"}});
  const std::vector<double> losses = {3, 1, 2, 5};
  for (std::size_t u = 1; u <= 4; ++u) {
    h.losses.push_back(losses[u - 1]);
    Kokkos::deep_copy(h.params.archetypes, 10.0 * u);  // the state after update u
    auto ctx = h.context(u);
    hook.after_update(ctx);
  }
  auto ctx = h.context(4);
  hook.on_finish(ctx);
  EXPECT_EQ(h.Z()(0, 0), 20.0);
  EXPECT_EQ(h.restores, 0u);  // it does not use the model's best
}

TEST(RestoreOnRise, RestoresAndResetsOnlyOnScheduleWhenTheLossRoseEnough) {
  Harness h(rows_from({{0}}), rows_from({{1}}), rows_from({{0}}));
  auto hook = make<ks::RestoreOnRise, double>();
  // Loss history with a 10 % rise before every update from 15 on.
  for (std::size_t u = 1; u <= 45; ++u) {
    h.losses.push_back(u < 15 ? 1.0 : std::pow(1.1, static_cast<double>(u - 14)));
    auto ctx = h.context(u);
    const std::size_t before = h.restores;
    hook.after_update(ctx);
    const bool expected = (u == 21 || u == 41);
    EXPECT_EQ(h.restores - before, expected ? 1u : 0u) << "update " << u;
  }
  EXPECT_EQ(h.resets, 2u);
  EXPECT_EQ(hook.restores(), 2u);

  // A 4 % rise at update 21 is below the factor.
  Harness quiet(rows_from({{0}}), rows_from({{1}}), rows_from({{0}}));
  auto hook2 = make<ks::RestoreOnRise, double>();
  for (std::size_t u = 1; u <= 21; ++u) {
    quiet.losses.push_back(u == 21 ? 1.04 : 1.0);
    auto ctx = quiet.context(u);
    hook2.after_update(ctx);
  }
  EXPECT_EQ(quiet.restores, 0u);
  EXPECT_EQ(quiet.resets, 0u);
}

// ---------------------------------------------------------------------------------------------
// patience

TEST(Patience, StopsAfterExactlyPatienceUpdatesWithoutAStrictlyLowerLoss) {
  auto rule = make<ks::Patience, double>({{"patience", 3}});
  // Best 1.0 at index 1; equal losses are not improvements. Stop when 3 losses follow it.
  const std::vector<double> series = {2.0, 1.0, 1.0, 1.5, 1.0, 0.5, 0.7};
  std::vector<double> losses;
  std::vector<std::size_t> stops;
  for (std::size_t t = 0; t < series.size(); ++t) {
    losses.push_back(series[t]);
    kaa::FitProgress p{t + 1, &losses, 0.0};
    if (rule.after_update(p)) stops.push_back(t);
  }
  EXPECT_EQ(stops, (std::vector<std::size_t>{4}));
  // A fresh rule on a longer history (e.g. after a resume) finds the same answer.
  auto again = make<ks::Patience, double>({{"patience", 3}});
  std::vector<double> five(series.begin(), series.begin() + 5);
  kaa::FitProgress p{5, &five, 0.0};
  EXPECT_TRUE(again.after_update(p).has_value());
}

// ---------------------------------------------------------------------------------------------
// Inside a fit

json improved_config(const std::string& name) {
  json raw = kaa::read_json_file(std::filesystem::path(KAA_SOURCE_DIR) / "configs" / name);
  raw["model"]["n_archetypes"] = 3;
  raw["model"]["precision"] = "float64";
  return raw;
}

kaa::HostMatrix small_data() {
  // Dirichlet-like mixtures of three corners in 4-D, positive and summing to 1.
  std::mt19937_64 rng(99);
  std::gamma_distribution<double> g(1.0);
  const double corners[3][4] = {{0.7, 0.1, 0.1, 0.1}, {0.1, 0.7, 0.1, 0.1}, {0.1, 0.1, 0.2, 0.6}};
  kaa::HostMatrix X(120, 4);
  for (std::size_t i = 0; i < X.rows; ++i) {
    double w[3], s = 0;
    for (double& v : w) s += v = g(rng);
    for (std::size_t f = 0; f < 4; ++f) {
      X(i, f) = 0;
      for (std::size_t j = 0; j < 3; ++j) X(i, f) += w[j] / s * corners[j][f];
    }
  }
  return X;
}

TEST(VariantFits, KeepBestEndsOnTheLowestRecordedLoss) {
  kaa::Registry registry;
  kaa::register_all(registry);
  for (const std::string name : {"improved.json", "sparse.json"}) {
    SCOPED_TRACE(name);
    json raw = improved_config(name);
    raw["stopping"] = {{{"type", "max_iter"}, {"value", 60}}};
    const json resolved = kaa::resolve_config(raw, registry, name);
    kaa::Model<double> model(resolved, registry);
    const kaa::HostMatrix Xh = small_data();
    const auto X = kaa::to_device<double>(Xh, "X");
    auto params = model.allocate(Xh.rows, Xh.cols);
    const auto trace = model.fit(X, params, 3);
    ASSERT_EQ(trace.losses.size(), 60u);
    const double best = *std::min_element(trace.losses.begin(), trace.losses.end());
    // The returned parameters are the ones the best loss was evaluated at: recomputing their
    // objective gives that loss (same code path, same order).
    EXPECT_NEAR(model.objective(X, params), best, 1e-12 * std::abs(best));
    EXPECT_LT(best, trace.losses.front());
  }
}

TEST(VariantFits, RestoreOnRiseRestoresTheBestAndResetsAdam) {
  // factor 1e-9: the rule fires after update 21 whatever the losses. While the loss falls, the
  // best is the state P20 the loss before update 21 was evaluated at, so after the restore the
  // loss before update 22 is that loss again, and update 22 is a fresh Adam's first step from
  // P20: the same as a new fit started at P20.
  kaa::Registry registry;
  kaa::register_all(registry);
  const kaa::HostMatrix Xh = small_data();
  const auto X = kaa::to_device<double>(Xh, "X");
  auto run = [&](bool with_hook, std::size_t updates, kaa::Parameters<double>* start) {
    json raw = improved_config("improved.json");
    raw["hooks"] = json::array();
    if (with_hook) raw["hooks"] = {{{"type", "restore_on_rise"}, {"factor", 1e-9}}};
    raw["stopping"] = {{{"type", "max_iter"}, {"value", updates}}};
    kaa::Model<double> model(kaa::resolve_config(raw, registry, "improved"), registry);
    auto params = model.allocate(Xh.rows, Xh.cols);
    if (start == nullptr) {
      model.initialize(X, params, 3);
    } else {
      kaa::copy_parameters(*start, params);
    }
    const auto trace = model.iterate(X, params);
    return std::make_pair(trace.losses, params);
  };
  const auto [restored, p_restored] = run(true, 23, nullptr);
  const auto [plain, p_plain] = run(false, 23, nullptr);
  auto [first20, p20] = run(false, 20, nullptr);
  const auto [fresh, p_fresh] = run(false, 2, &p20);

  ASSERT_EQ(restored.size(), 23u);
  EXPECT_LT(plain[21], plain[20]);        // without the rule the loss keeps falling
  EXPECT_EQ(restored[20], plain[20]);     // identical up to the restore
  EXPECT_EQ(restored[21], restored[20]);  // back at P20
  EXPECT_EQ(fresh[0], restored[20]);      // P20 is the state after 20 updates
  EXPECT_NEAR(restored[22], fresh[1], 1e-13 * std::abs(fresh[1]));  // Adam restarted
  EXPECT_GT(std::abs(restored[22] - plain[22]), 1e-9);              // and that mattered
}

TEST(VariantFits, ArchetypaxsFeatureSelectionNanStopsAsDivergedOnlyWhenAskedFor) {
  // Centred data: the directional start picks data rows, which have negative entries.
  kaa::Registry registry;
  kaa::register_all(registry);
  kaa::HostMatrix Xh = small_data();
  for (std::size_t f = 0; f < Xh.cols; ++f) {
    double mean = 0;
    for (std::size_t i = 0; i < Xh.rows; ++i) mean += Xh(i, f) / Xh.rows;
    for (std::size_t i = 0; i < Xh.rows; ++i) Xh(i, f) -= mean;
  }
  const auto X = kaa::to_device<double>(Xh, "X");
  for (const std::string mode : {"magnitude", "nan"}) {
    SCOPED_TRACE(mode);
    json raw = improved_config("sparse.json");
    raw["loss"][3]["method"] = "feature_selection";
    raw["loss"][3]["negative_entries"] = mode;
    raw["hooks"][0]["normalize_rows"] = false;  // rows of centred data do not sum to 1
    raw["stopping"] = {{{"type", "max_iter"}, {"value", 5}}};
    kaa::Model<double> model(kaa::resolve_config(raw, registry, "sparse"), registry);
    auto params = model.allocate(Xh.rows, Xh.cols);
    const auto trace = model.fit(X, params, 3);
    if (mode == "nan") {
      EXPECT_TRUE(trace.diverged);
      EXPECT_EQ(trace.losses.size(), 1u);
    } else {
      EXPECT_FALSE(trace.diverged);
      EXPECT_EQ(trace.losses.size(), 5u);
    }
  }
}

TEST(VariantFits, HooksThatRewriteArchetypesRefuseMixingModels) {
  std::vector<std::string> issues;
  const json config = {{"optimizer", {{"type", "some_b_solver"}}},
                       {"projectors", {{"mixing", {{"type", "none"}}}}}};
  ks::DirectUpdate<double>::check_config(config, "/hooks/0", issues);
  ks::BlendedProjection<double>::check_config(config, "/hooks/1", issues);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_NE(issues[0].find("/hooks/0/type"), std::string::npos);
  EXPECT_NE(issues[0].find("some_b_solver"), std::string::npos);
  issues.clear();
  ks::DirectUpdate<double>::check_config({{"projectors", json::object()}}, "/hooks/0", issues);
  EXPECT_TRUE(issues.empty());
}

}  // namespace
