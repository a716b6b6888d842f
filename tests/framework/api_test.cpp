// The embedding API (framework/api.hpp) against the run-folder path of `kaa fit`, and its errors.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "framework/api.hpp"
#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/run.hpp"
#include "tests/support/full_registry.hpp"

namespace {

namespace fs = std::filesystem;

/// configs/base.json on small built-in data, 30 updates at most.
nlohmann::json api_small_config() {
  std::ifstream in(KAA_SOURCE_DIR "/configs/base.json");
  nlohmann::json c = nlohmann::json::parse(in);
  c["data"] = {{"type", "synthetic"}, {"n", 80}, {"d", 4}, {"n_archetypes", 3}};
  c["model"]["n_archetypes"] = 3;
  c["stopping"][2]["value"] = 30;
  return c;
}

void expect_same_matrix(const kaa::HostMatrix& a, const kaa::HostMatrix& b) {
  ASSERT_EQ(a.rows, b.rows);
  ASSERT_EQ(a.cols, b.cols);
  for (std::size_t e = 0; e < a.values.size(); ++e) ASSERT_EQ(a.values[e], b.values[e]) << e;
}

template <class F>
std::string api_error_of(F&& f) {
  try {
    f();
  } catch (const kaa::Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Api, SameResultAsTheRunFolderOfKaaFit) {
  const kaa::Registry registry = kaa_test::full_registry();
  const nlohmann::json resolved = kaa::resolve_config(api_small_config(), registry, "test");
  const fs::path out = fs::temp_directory_path() / ("kaa_api_run_" + std::to_string(::getpid()));
  fs::remove_all(out);
  kaa::FitOptions options;
  options.out_dir = out;
  options.progress_every = 0;
  const kaa::FitSummary summary = kaa::run_fit(resolved, registry, options);
  ASSERT_TRUE(summary.ok);
  const kaa::Result r = kaa::fit(resolved, registry);
  ASSERT_TRUE(r.ok);
  expect_same_matrix(r.archetypes, kaa::read_matrix(out / "archetypes.csv"));
  expect_same_matrix(r.weights, kaa::read_matrix(out / "weights.npy"));
  const kaa::HostMatrix losses = kaa::read_matrix(out / "loss_history.csv");
  ASSERT_EQ(losses.rows, r.loss_history.size());
  for (std::size_t t = 0; t < losses.rows; ++t) EXPECT_EQ(losses(t, 1), r.loss_history[t]) << t;
  EXPECT_EQ(r.metrics.at("final_loss"), summary.metrics.at("final_loss"));
  EXPECT_EQ(r.metrics.at("iterations"), summary.metrics.at("iterations"));
  fs::remove_all(out);
}

TEST(Api, AnArrayGivesTheResultOfTheSameDataFromTheConfig) {
  const kaa::Registry registry = kaa_test::full_registry();
  const nlohmann::json resolved = kaa::resolve_config(api_small_config(), registry, "test");
  const kaa::LoadedData data = registry.make<kaa::Dataset, double>(resolved.at("data"))->load(42);
  const kaa::Result from_config = kaa::fit(resolved, registry);
  const kaa::Result from_array =
      kaa::fit(resolved, kaa::MatrixRef{data.X.values.data(), data.X.rows, data.X.cols}, registry);
  ASSERT_TRUE(from_array.ok);
  expect_same_matrix(from_config.archetypes, from_array.archetypes);
  expect_same_matrix(from_config.weights, from_array.weights);
  EXPECT_EQ(from_array.metrics.at("n"), data.X.rows);
}

TEST(Api, Float32InputIsReadAsTheSameValues) {
  // Multiples of 1/64 are exact in float32, so both inputs are the same data.
  const std::size_t n = 40, d = 3;
  std::vector<double> x64(n * d);
  std::vector<float> x32(n * d);
  for (std::size_t e = 0; e < n * d; ++e) {
    x64[e] = static_cast<double>((e * 37) % 128) / 64.0;
    x32[e] = static_cast<float>(x64[e]);
  }
  const kaa::Result a = kaa::fit(api_small_config(), kaa::MatrixRef{x64.data(), n, d});
  const kaa::Result b =
      kaa::fit(api_small_config(), kaa::MatrixRef{x32.data(), n, d, kaa::MatrixRef::Type::float32});
  ASSERT_TRUE(a.ok);
  expect_same_matrix(a.archetypes, b.archetypes);
}

TEST(Api, BadInputsAreNamed) {
  std::vector<double> x(20 * 3, 1.0);
  for (std::size_t e = 0; e < x.size(); ++e) x[e] = static_cast<double>(e % 7);
  x[2 * 3 + 1] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(api_error_of([&] {
              kaa::fit(api_small_config(), kaa::MatrixRef{x.data(), 20, 3});
            }),
            "X: row 3, column 2: NaN or Inf value");
  EXPECT_NE(api_error_of([&] {
              kaa::fit(api_small_config(), kaa::MatrixRef{x.data(), 0, 3});
            }).find("X: empty data"),
            std::string::npos);
  x[2 * 3 + 1] = 0.5;
  EXPECT_NE(api_error_of([&] {
              kaa::fit(api_small_config(), kaa::MatrixRef{x.data(), 2, 3});
            })
                .find("/model/n_archetypes: 3 archetypes but the data (X (2 x 3, float64)) have "
                      "only 2 rows"),
            std::string::npos);
  nlohmann::json bad = api_small_config();
  bad["optimizer"]["learning_rate"] = "fast";
  EXPECT_NE(api_error_of([&] {
              kaa::fit(bad, kaa::MatrixRef{x.data(), 20, 3});
            }).find("config: /optimizer/learning_rate"),
            std::string::npos);
}

TEST(Api, AnInterruptAbandonsTheFitAfterTheUpdateItIsCheckedAt) {
  struct Interrupted {};
  std::vector<double> x(50 * 3);
  for (std::size_t e = 0; e < x.size(); ++e) x[e] = static_cast<double>((e * 13) % 17);
  int checks = 0;
  kaa::FitControl control;
  // Checked once before the initializers, once after them, then after every update.
  control.check_interrupt = [&] {
    if (++checks == 5) throw Interrupted{};
  };
  EXPECT_THROW(kaa::fit(api_small_config(), kaa::MatrixRef{x.data(), 50, 3}, control), Interrupted);
  EXPECT_EQ(checks, 5);
  checks = -1000;  // never reached: the fit runs to its end
  const kaa::Result r = kaa::fit(api_small_config(), kaa::MatrixRef{x.data(), 50, 3}, control);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(checks, -1000 + 2 + r.metrics.at("iterations").get<int>());
}

}  // namespace
