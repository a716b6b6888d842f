// One fit's state lives and dies with the fit (framework/fit_state.hpp): a Model fitted a second
// time gives, bit for bit, what a fresh Model gives, and a checkpoint taken mid-fit resumes to the
// uninterrupted fit on a fresh Model and on one that has fitted before.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/model.hpp"
#include "framework/run.hpp"
#include "strategies/register_all.hpp"

namespace {

using nlohmann::json;

json shipped(const std::string& name) {
  return kaa::read_json_file(std::filesystem::path(KAA_SOURCE_DIR) / "configs" / name);
}

/// The config on a small synthetic set (n = 300, d = 5, 3 true archetypes) with 3 archetypes
/// and at most `updates` updates.
json small_version(json raw, long long updates) {
  raw["data"] = {{"type", "synthetic"}, {"n", 300},      {"d", 5},
                 {"n_archetypes", 3},   {"noise", 0.05}, {"seed", 1}};
  raw["model"]["n_archetypes"] = 3;
  bool capped = false;
  for (auto& rule : raw["stopping"]) {
    if (rule.is_object() && rule.value("type", "") == "max_iter") {
      rule["value"] = std::min(rule.value("value", updates), updates);
      capped = true;
    }
  }
  if (!capped) raw["stopping"].push_back({{"type", "max_iter"}, {"value", updates}});
  return raw;
}

/// What a fit leaves that a second fit could inherit: the loss history, how it stopped, and every
/// parameter block (in double: float values convert exactly, so equality stays bitwise).
struct Outcome {
  std::vector<double> losses;
  std::string stop_reason;
  std::size_t updates = 0, best_update = 0;
  std::vector<std::vector<double>> blocks;
  bool operator==(const Outcome&) const = default;
};

template <class S>
Outcome outcome_of(const kaa::FitTrace& trace, const kaa::Parameters<S>& params) {
  Outcome out{trace.losses, trace.stop_reason, trace.updates, trace.best_update, {}};
  for (kaa::Block b : kaa::kBlocks)
    if (params.has(b)) out.blocks.push_back(kaa::to_host(params.block(b)).values);
  return out;
}

/// The data of a resolved config, in the fit's precision (standardised when the model asks).
template <class S>
kaa::Matrix<S> data_of(const json& resolved, const kaa::Registry& registry) {
  auto dataset = registry.make<kaa::Dataset, S>(resolved.at("data"));
  kaa::LoadedData data = dataset->load(resolved["model"]["seed"].get<std::uint64_t>());
  if (resolved["model"]["normalize"].get<bool>())
    kaa::standardize(data.X, kaa::standardization_of(data.X));
  return kaa::to_device<S>(data.X, "X");
}

template <class S>
Outcome fit(kaa::Model<S>& model, const kaa::Matrix<S>& X, std::uint64_t seed) {
  auto params = model.allocate(X.extent(0), X.extent(1));
  const kaa::FitTrace trace = model.fit(X, params, seed);
  return outcome_of(trace, params);
}

/// Fits one Model twice on the same data and seed and a fresh Model once; the second fit must
/// equal the fresh one.
template <class S>
void expect_second_fit_is_fresh(const json& resolved, const kaa::Registry& registry) {
  const auto X = data_of<S>(resolved, registry);
  const auto seed = resolved["model"]["seed"].get<std::uint64_t>();
  kaa::Model<S> reused(resolved, registry);
  const Outcome first = fit(reused, X, seed);
  const Outcome second = fit(reused, X, seed);
  kaa::Model<S> fresh_model(resolved, registry);
  const Outcome fresh = fit(fresh_model, X, seed);
  EXPECT_EQ(first, fresh) << "a fresh Model's fit is not reproducible";
  EXPECT_TRUE(second == fresh) << "the second fit of a reused Model differs from a fresh fit";
  if (!(second == fresh) && second.losses.size() == fresh.losses.size()) {
    for (std::size_t t = 0; t < fresh.losses.size(); ++t) {
      if (second.losses[t] != fresh.losses[t]) {
        ADD_FAILURE() << "first difference in the loss before update " << t + 1 << ": "
                      << second.losses[t] << " vs " << fresh.losses[t];
        break;
      }
    }
  }
}

class FitStateTest : public ::testing::Test {
 protected:
  FitStateTest() { kaa::register_all(registry_); }
  json resolve(const json& raw) const { return kaa::resolve_config(raw, registry_, "test"); }
  kaa::Registry registry_;
};

TEST_F(FitStateTest, ReusedModelForgetsLateBestSnapshots) {
  // restore_on_rise with archetypax's late best fires after update 21 (factor 1e-9: whatever the
  // losses); it must restore this fit's snapshot, not the previous fit's.
  json raw = small_version(shipped("improved.json"), 30);
  raw["model"]["precision"] = "float64";
  raw["hooks"] = {{{"type", "keep_best"}, {"best", "after_update"}},
                  {{"type", "restore_on_rise"}, {"factor", 1e-9}, {"best", "after_update"}}};
  expect_second_fit_is_fresh<double>(resolve(raw), registry_);
}

TEST_F(FitStateTest, ReusedModelRestartsHookCounters) {
  // direct_update's redrawn noise is indexed by its call count.
  json raw = small_version(shipped("sparse.json"), 35);
  raw["hooks"][0]["noise_redraw"] = true;
  const json resolved = resolve(raw);
  ASSERT_EQ(resolved["model"]["precision"], "float32");
  expect_second_fit_is_fresh<float>(resolved, registry_);
}

TEST_F(FitStateTest, ReusedModelOfEveryShippedConfigFitsAsAFreshOne) {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(KAA_SOURCE_DIR "/configs"))
    if (e.path().extension() == ".json") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  ASSERT_GE(paths.size(), 6u);
  for (const auto& path : paths) {
    SCOPED_TRACE(path.filename().string());
    const json resolved = resolve(small_version(kaa::read_json_file(path), 30));
    if (resolved["model"]["precision"] == "float64")
      expect_second_fit_is_fresh<double>(resolved, registry_);
    else
      expect_second_fit_is_fresh<float>(resolved, registry_);
  }
}

TEST_F(FitStateTest, CheckpointResumesToTheUninterruptedFitOnAFreshOrAReusedModel) {
  // Every kind of state a checkpoint carries: Adam's moments, the model's best, late-best
  // snapshots, a restore count (restores after updates 21 and 41) and direct_update's call count.
  json raw = small_version(shipped("improved.json"), 50);
  raw["model"]["precision"] = "float64";
  raw["hooks"] = {{{"type", "direct_update"}, {"noise_scale", 0.01}, {"noise_redraw", true}},
                  {{"type", "keep_best"}, {"best", "after_update"}},
                  {{"type", "restore_on_rise"}, {"factor", 1e-9}, {"best", "after_update"}}};
  const json resolved = resolve(raw);
  const auto X = data_of<double>(resolved, registry_);
  const auto seed = resolved["model"]["seed"].get<std::uint64_t>();

  kaa::Model<double> model(resolved, registry_);
  std::vector<kaa::SavedState> saved;
  kaa::CheckpointPolicy policy;
  policy.every_updates = 30;
  policy.write = [&saved](const kaa::SavedState& s) { saved.push_back(s); };
  auto params = model.allocate(X.extent(0), X.extent(1));
  model.initialize(X, params, seed);
  const Outcome full = outcome_of(model.iterate(X, params, {}, 0, &policy), params);
  ASSERT_EQ(full.updates, 50u);
  ASSERT_EQ(saved.size(), 1u);
  ASSERT_EQ(saved[0].scalars.at("updates"), 30);

  auto resume_on = [&](kaa::Model<double>& m) {
    auto p = m.allocate(X.extent(0), X.extent(1));
    return outcome_of(m.iterate(X, p, {}, 0, nullptr, &saved[0]), p);
  };
  kaa::Model<double> fresh(resolved, registry_);
  EXPECT_TRUE(resume_on(fresh) == full) << "resumed on a fresh Model";
  EXPECT_TRUE(resume_on(model) == full) << "resumed on the Model that made the checkpoint";
  kaa::SavedState damaged = saved[0];
  damaged.scalars.erase("best_update");
  try {
    auto p = fresh.allocate(X.extent(0), X.extent(1));
    fresh.iterate(X, p, {}, 0, nullptr, &damaged);
    ADD_FAILURE() << "a checkpoint without best_update was accepted";
  } catch (const kaa::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("\"best_update\" missing"), std::string::npos) << e.what();
  }
  // And the reused Model still fits from scratch as a fresh one does.
  kaa::Model<double> other(resolved, registry_);
  EXPECT_TRUE(fit(model, X, seed) == fit(other, X, seed)) << "fit after a resume";
}

}  // namespace
