// Restarts (model.n_init): the kept restart is the one with the lowest recorded final loss, each
// restart equals a separate fit from its recorded seed, n_init = 1 is the single fit, diverging
// restarts are skipped, and a fit whose restarts all diverge fails without a run folder.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/api.hpp"
#include "framework/checkpoint/checkpoint_store.hpp"
#include "framework/config/bound_schema.hpp"
#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/interfaces/initializer.hpp"
#include "framework/model.hpp"
#include "framework/restarts.hpp"
#include "framework/run.hpp"
#include "tests/support/full_registry.hpp"

namespace restarts_test {

namespace fs = std::filesystem;

/// Test-only: makes the fit from one model seed (or from every seed) diverge by writing NaN into
/// the weights, so the loss at update 0 is not finite.
template <class S>
class PoisonSeed final : public kaa::Initializer<S> {
 public:
  static constexpr const char* name = "test_poison_seed";
  static constexpr const char* summary = "test only: NaN weights for one model seed";
  struct Params {
    std::uint64_t model_seed = 0;
    std::size_t position = 0;  // this initializer's place in the config's list
    bool every_seed = false;
  };
  static kaa::BoundSchema<Params> schema() {
    kaa::BoundSchema<Params> s;
    s.integer("model_seed", &Params::model_seed).non_negative().doc("the model seed to poison");
    s.integer("position", &Params::position).non_negative().doc("index in /initializers");
    s.boolean("every_seed", &Params::every_seed).doc("poison every seed");
    return s;
  }
  explicit PoisonSeed(const Params& config) : config_(config) {}
  unsigned blocks() const override { return static_cast<unsigned>(kaa::Block::weights); }
  void initialize(const kaa::Matrix<S>&, kaa::Parameters<S>& params, std::uint64_t seed) override {
    if (!config_.every_seed && seed != kaa::initializer_seed(config_.model_seed, config_.position))
      return;
    auto host = Kokkos::create_mirror_view(params.weights);
    Kokkos::deep_copy(host, params.weights);
    host(0, 0) = std::numeric_limits<S>::quiet_NaN();
    Kokkos::deep_copy(params.weights, host);
  }

 private:
  Params config_;
};

kaa::Registry registry_with_poison() {
  kaa::Registry r = kaa_test::full_registry();
  r.add<kaa::Initializer, PoisonSeed>();
  return r;
}

/// configs/base.json, 40 updates at most, with n_init restarts.
nlohmann::json restart_config(std::size_t n_init) {
  std::ifstream in(KAA_SOURCE_DIR "/configs/base.json");
  nlohmann::json c = nlohmann::json::parse(in);
  c["model"]["n_archetypes"] = 3;
  c["model"]["n_init"] = n_init;
  c["stopping"][2]["value"] = 40;
  c["optimizer"]["learning_rate"] = 0.05;  // so that the restarts end apart
  return c;
}

/// Data with more structure than k = 3 archetypes can hold, so seeds end on different losses.
std::vector<double> restart_data(std::size_t n, std::size_t d) {
  std::vector<double> x(n * d);
  for (std::size_t e = 0; e < x.size(); ++e)
    x[e] = std::sin(0.37 * static_cast<double>(e * e % 101)) + 0.1 * static_cast<double>(e % 7);
  return x;
}

constexpr std::size_t kRows = 60, kCols = 4;

kaa::Result fit_on_data(const nlohmann::json& config, const kaa::Registry& registry,
                        const kaa::FitControl& control = {}) {
  static const std::vector<double> x = restart_data(kRows, kCols);
  return kaa::fit(config, kaa::MatrixRef{x.data(), kRows, kCols}, registry, control);
}

void expect_same(const kaa::HostMatrix& a, const kaa::HostMatrix& b) {
  ASSERT_EQ(a.rows, b.rows);
  ASSERT_EQ(a.cols, b.cols);
  for (std::size_t e = 0; e < a.values.size(); ++e) ASSERT_EQ(a.values[e], b.values[e]) << e;
}

std::size_t index_of_lowest(const nlohmann::json& losses) {
  std::size_t best = losses.size();
  for (std::size_t r = 0; r < losses.size(); ++r) {
    if (losses[r].is_null()) continue;
    if (best == losses.size() || losses[r].get<double>() < losses[best].get<double>()) best = r;
  }
  return best;
}

TEST(Restarts, SeedOfRestartZeroIsTheModelSeedAndTheOthersDifferAndFitJson) {
  EXPECT_EQ(kaa::restart_seed(42, 0), 42U);
  std::vector<std::uint64_t> seen{42};
  for (std::size_t r = 1; r < 50; ++r) {
    const std::uint64_t s = kaa::restart_seed(42, r);
    EXPECT_LT(s, std::uint64_t{1} << 53);
    for (std::uint64_t t : seen) EXPECT_NE(s, t) << r;
    seen.push_back(s);
  }
  EXPECT_NE(kaa::restart_seed(43, 1), kaa::restart_seed(42, 1));
}

TEST(Restarts, KeepsTheLowestLossAndEachRestartIsTheSeparateFitOfItsSeed) {
  const kaa::Registry registry = kaa_test::full_registry();
  const kaa::Result three = fit_on_data(restart_config(3), registry);
  ASSERT_TRUE(three.ok);
  const nlohmann::json& summary = three.metrics.at("restarts");
  ASSERT_EQ(summary.at("n_init"), 3);
  ASSERT_EQ(three.restarts.size(), 3U);
  const nlohmann::json& losses = summary.at("final_losses");
  ASSERT_EQ(losses.size(), 3U);
  EXPECT_NE(losses[0], losses[1]);  // else the test could not tell restarts apart
  EXPECT_NE(losses[1], losses[2]);
  const std::size_t chosen = summary.at("chosen").get<std::size_t>();
  EXPECT_EQ(chosen, index_of_lowest(losses));
  EXPECT_EQ(three.metrics.at("final_loss"), losses[chosen]);
  for (std::size_t r = 0; r < 3; ++r) {
    // The independent computation: one plain fit with the recorded seed.
    nlohmann::json single = restart_config(1);
    single["model"]["seed"] = summary.at("seeds")[r];
    const kaa::Result alone = fit_on_data(single, registry);
    ASSERT_TRUE(alone.ok);
    EXPECT_EQ(alone.metrics.at("final_loss").get<double>(), losses[r].get<double>()) << r;
    EXPECT_EQ(alone.metrics.at("iterations"), summary.at("updates")[r]) << r;
    if (r != chosen) continue;
    expect_same(alone.archetypes, three.archetypes);
    expect_same(alone.weights, three.weights);
    EXPECT_EQ(alone.loss_history, three.loss_history);
    EXPECT_EQ(alone.metrics.at("rss"), three.metrics.at("rss"));
  }
  EXPECT_EQ(summary.at("seeds")[0], 42);
}

TEST(Restarts, OneRestartIsTheModelsOwnFitBitForBit) {
  const kaa::Registry registry = kaa_test::full_registry();
  const nlohmann::json resolved = kaa::resolve_config(restart_config(1), registry, "test");
  const kaa::Result viaApi = fit_on_data(resolved, registry);
  ASSERT_TRUE(viaApi.ok);
  EXPECT_FALSE(viaApi.metrics.contains("restarts"));
  EXPECT_TRUE(viaApi.restarts.empty());
  // Independently: the model's own initialise-and-iterate from model.seed.
  const std::vector<double> x = restart_data(kRows, kCols);
  kaa::HostMatrix host(kRows, kCols);
  host.values = x;
  kaa::Model<float> model(resolved, registry);
  const kaa::Matrix<float> X = kaa::to_device<float>(host, "X");
  kaa::Parameters<float> params = model.allocate(kRows, kCols);
  const kaa::FitTrace trace = model.fit(X, params, 42);
  EXPECT_EQ(trace.losses, viaApi.loss_history);
  expect_same(kaa::to_host(params.archetypes), viaApi.archetypes);
  expect_same(kaa::to_host(params.weights), viaApi.weights);
}

/// restart_config(n_init) with the poisoning initializer appended.
nlohmann::json poisoned_config(std::size_t n_init, const nlohmann::json& poison) {
  nlohmann::json c = restart_config(n_init);
  nlohmann::json node = poison;
  node["type"] = "test_poison_seed";
  node["position"] = c["initializers"].size();
  c["initializers"].push_back(node);
  return c;
}

TEST(Restarts, ADivergingRestartIsRecordedAndNeverChosen) {
  const kaa::Registry registry = registry_with_poison();
  const std::uint64_t bad = kaa::restart_seed(42, 1);
  const kaa::Result r = fit_on_data(poisoned_config(3, {{"model_seed", bad}}), registry);
  ASSERT_TRUE(r.ok);
  const nlohmann::json& summary = r.metrics.at("restarts");
  EXPECT_EQ(summary.at("status"), nlohmann::json({"ok", "diverged", "ok"}));
  EXPECT_TRUE(summary.at("final_losses")[1].is_null());
  EXPECT_EQ(summary.at("diverged"), 1);
  EXPECT_TRUE(r.restarts[1].diverged);
  EXPECT_NE(r.restarts[1].stop_reason.find("non-finite loss at update 0"), std::string::npos)
      << r.restarts[1].stop_reason;
  const std::size_t chosen = summary.at("chosen").get<std::size_t>();
  EXPECT_NE(chosen, 1U);
  EXPECT_EQ(chosen, index_of_lowest(summary.at("final_losses")));
  // The poison hits only its seed: the other restarts are the unpoisoned config's.
  const kaa::Result clean = fit_on_data(restart_config(3), kaa_test::full_registry());
  for (std::size_t i : {0U, 2U})
    EXPECT_EQ(summary.at("final_losses")[i], clean.metrics.at("restarts").at("final_losses")[i]);
}

TEST(Restarts, EveryRestartDivergingIsOneErrorAndNoRunFolder) {
  const kaa::Registry registry = registry_with_poison();
  const nlohmann::json config = poisoned_config(2, {{"every_seed", true}});
  try {
    fit_on_data(config, registry);
    FAIL() << "no error";
  } catch (const kaa::DivergedError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("every one of the 2 restarts (model.n_init) diverged"), std::string::npos)
        << what;
    EXPECT_NE(what.find("restart 1 (seed " + std::to_string(kaa::restart_seed(42, 1))),
              std::string::npos)
        << what;
  }
  // The same through kaa fit's path: no run folder, no staging folder, no checkpoint.
  const fs::path parent =
      fs::temp_directory_path() / ("kaa_restarts_" + std::to_string(::getpid()));
  fs::remove_all(parent);
  fs::create_directories(parent);
  nlohmann::json with_data = config;
  with_data["data"] = {{"type", "synthetic"}, {"n", 50}, {"d", 3}, {"n_archetypes", 3}};
  with_data["checkpoint"] = {{"every", 1}};
  kaa::FitOptions options;
  options.out_dir = parent / "run";
  options.progress_every = 0;
  EXPECT_THROW(kaa::run_fit(kaa::resolve_config(with_data, registry, "test"), registry, options),
               kaa::DivergedError);
  EXPECT_TRUE(fs::is_empty(parent)) << fs::directory_iterator(parent)->path();
  fs::remove_all(parent);
}

TEST(Restarts, ARunFolderRecordsEveryRestart) {
  const kaa::Registry registry = registry_with_poison();
  nlohmann::json config = poisoned_config(3, {{"model_seed", kaa::restart_seed(42, 2)}});
  config["data"] = {{"type", "synthetic"}, {"n", 60}, {"d", 4}, {"n_archetypes", 3}};
  const fs::path out =
      fs::temp_directory_path() / ("kaa_restarts_run_" + std::to_string(::getpid()));
  fs::remove_all(out);
  kaa::FitOptions options;
  options.out_dir = out;
  options.progress_every = 0;
  const kaa::FitSummary s =
      kaa::run_fit(kaa::resolve_config(config, registry, "test"), registry, options);
  ASSERT_TRUE(s.ok);
  std::ifstream csv(out / "restarts.csv");
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(csv, line)) lines.push_back(line);
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[0], "restart,seed,final_loss,updates,seconds,status,chosen,stop_reason");
  EXPECT_EQ(lines[1].rfind("0,42,", 0), 0U) << lines[1];
  EXPECT_NE(lines[3].find(",diverged,0,\"diverged: non-finite loss at update 0\""),
            std::string::npos)
      << lines[3];
  const std::size_t chosen = s.metrics.at("restarts").at("chosen").get<std::size_t>();
  EXPECT_NE(lines[chosen + 1].find(",ok,1,"), std::string::npos) << lines[chosen + 1];
  std::ifstream metrics_file(out / "metrics.json");
  const nlohmann::json metrics = nlohmann::json::parse(metrics_file);
  EXPECT_EQ(metrics.at("restarts").at("seeds")[2], kaa::restart_seed(42, 2));
  fs::remove_all(out);
}

TEST(Restarts, AResumedFitEqualsTheUninterruptedOne) {
  struct Interrupted {};
  const kaa::Registry registry = kaa_test::full_registry();
  nlohmann::json config = restart_config(3);
  config["checkpoint"] = {{"every", 5}};
  const kaa::Result whole = fit_on_data(config, registry);
  ASSERT_TRUE(whole.ok);
  const std::size_t first_updates = whole.restarts[0].updates;
  // Interrupt in restart 1 (checks: one before the loop, one after each restart's initializers,
  // one after every update) and in restart 0, then resume each.
  for (const std::size_t stop_at : {first_updates + 14, std::size_t{12}}) {
    const fs::path folder =
        fs::temp_directory_path() / ("kaa_restarts_ckpt_" + std::to_string(::getpid()));
    fs::remove_all(folder);
    kaa::FitControl control;
    control.checkpoint_folder = folder;
    std::size_t checks = 0;
    control.check_interrupt = [&] {
      if (++checks == stop_at) throw Interrupted{};
    };
    EXPECT_THROW(fit_on_data(config, registry, control), Interrupted);
    const kaa::SavedState saved = kaa::CheckpointStore(folder).load();
    EXPECT_EQ(saved.scalars.at("restart"), stop_at > first_updates ? 1 : 0);
    kaa::FitControl resume;
    resume.checkpoint_folder = folder;
    resume.resume = true;
    const kaa::Result resumed = fit_on_data(config, registry, resume);
    ASSERT_TRUE(resumed.ok);
    EXPECT_EQ(resumed.metrics.at("restarts").at("final_losses"),
              whole.metrics.at("restarts").at("final_losses"));
    expect_same(resumed.archetypes, whole.archetypes);
    EXPECT_EQ(resumed.loss_history, whole.loss_history);
    fs::remove_all(folder);
  }
}

}  // namespace restarts_test
