// Initializers: kmeans_pp picks distinct rows by D^2 sampling, uniform_weights draws simplex rows
// from U(low, high), from_file loads files and names both shapes on a mismatch.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "framework/error.hpp"
#include "framework/host_transfer.hpp"
#include "framework/io/matrix_io.hpp"
#include "strategies/initializers/from_file.hpp"
#include "strategies/initializers/kmeans_pp.hpp"
#include "strategies/initializers/uniform_weights.hpp"

#include "tests/strategies/make_strategy.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::random_matrix;

using kaa::strategies::FromFile;
using kaa::strategies::KmeansPP;
using kaa::strategies::UniformWeights;
using nlohmann::json;

using kaa_test::make;

// ---------------------------------------------------------------------------------------------
// kmeans_pp

TEST(KmeansPP, PicksDistinctRowsAndCopiesThem) {
  const std::size_t n = 30, d = 3, k = 6;
  const kaa::HostMatrix Xh = random_matrix(n, d, 1);
  const auto X = kaa::to_device<double>(Xh, "X");
  auto init = make<KmeansPP, double>();
  for (std::uint64_t seed : {0u, 1u, 2u, 3u, 4u}) {
    auto params = kaa::allocate_parameters<double>("p", n, k, d);
    init.initialize(X, params, seed);
    const auto& chosen = init.chosen();
    ASSERT_EQ(chosen.size(), k);
    EXPECT_EQ(std::set<std::size_t>(chosen.begin(), chosen.end()).size(), k) << "seed " << seed;
    const kaa::HostMatrix Z = kaa::to_host(params.archetypes);
    for (std::size_t c = 0; c < k; ++c) {
      ASSERT_LT(chosen[c], n);
      for (std::size_t f = 0; f < d; ++f) EXPECT_EQ(Z(c, f), Xh(chosen[c], f));  // exact copies
    }
  }
}

TEST(KmeansPP, SameSeedReproducesAnotherSeedDiffers) {
  const std::size_t n = 200, d = 2, k = 5;
  const auto X = kaa::to_device<double>(random_matrix(n, d, 2), "X");
  auto init = make<KmeansPP, double>();
  auto run = [&](std::uint64_t seed) {
    auto params = kaa::allocate_parameters<double>("p", n, k, d);
    init.initialize(X, params, seed);
    return std::make_pair(init.chosen(), kaa::to_host(params.archetypes).values);
  };
  const auto a = run(42), b = run(42), c = run(43);
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.second, b.second);
  // Two seeds agree on all 5 picks from 200 rows with probability far below 1e-6.
  EXPECT_NE(a.first, c.first);
}

TEST(KmeansPP, FewerDistinctRowsThanArchetypesThrows) {
  // 6 rows taking only 2 distinct values, 3 archetypes requested.
  kaa::HostMatrix Xh(6, 2);
  for (std::size_t i = 0; i < 6; ++i) Xh(i, 0) = Xh(i, 1) = (i % 2 == 0) ? 1.0 : -2.0;
  const auto X = kaa::to_device<double>(Xh, "X");
  auto init = make<KmeansPP, double>();
  auto params = kaa::allocate_parameters<double>("p", 6, 3, 2);
  try {
    init.initialize(X, params, 7);
    ADD_FAILURE() << "no exception";
  } catch (const kaa::Error& e) {
    EXPECT_NE(std::string(e.what()).find("distinct"), std::string::npos) << e.what();
  }
  // Two archetypes from the same data are fine.
  auto two = kaa::allocate_parameters<double>("p", 6, 2, 2);
  EXPECT_NO_THROW(init.initialize(X, two, 7));
}

TEST(KmeansPP, SecondPickFollowsSquaredDistances) {
  // Points 0, 1, 2, 10 in 1-D. Given the first pick f, the second is i with probability
  // p_i = (x_i - x_f)^2 / sum_r (x_r - x_f)^2. Over 20000 seeds each first pick occurs ~5000
  // times, so an empirical frequency has binomial sd <= sqrt(0.25 / 5000) ~ 0.0071: the
  // tolerance 0.03 is > 4 sd (2000 seeds would put it at ~1.3 sd for the pick 10 -> 0).
  const std::vector<double> x = {0.0, 1.0, 2.0, 10.0};
  kaa::HostMatrix Xh(4, 1);
  for (std::size_t i = 0; i < 4; ++i) Xh(i, 0) = x[i];
  const auto X = kaa::to_device<double>(Xh, "X");
  auto init = make<KmeansPP, double>();
  auto params = kaa::allocate_parameters<double>("p", 4, 2, 1);
  const int seeds = 20000;
  std::vector<std::vector<double>> counts(4, std::vector<double>(4, 0.0));
  std::vector<double> first(4, 0.0);
  for (int s = 0; s < seeds; ++s) {
    init.initialize(X, params, static_cast<std::uint64_t>(s));
    ASSERT_EQ(init.chosen().size(), 2u);
    first[init.chosen()[0]] += 1;
    counts[init.chosen()[0]][init.chosen()[1]] += 1;
  }
  for (std::size_t f = 0; f < 4; ++f) {
    EXPECT_NEAR(first[f] / seeds, 0.25, 0.03) << "first pick " << f;  // uniform first pick
    double total = 0;
    for (std::size_t i = 0; i < 4; ++i) total += (x[i] - x[f]) * (x[i] - x[f]);
    for (std::size_t i = 0; i < 4; ++i) {
      const double p = (x[i] - x[f]) * (x[i] - x[f]) / total;
      EXPECT_NEAR(counts[f][i] / first[f], p, 0.03) << "first " << f << ", second " << i;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// uniform_weights

kaa::HostMatrix uniform_weights(double low, double high, std::uint64_t seed, std::size_t n = 50,
                                std::size_t k = 4) {
  auto init = make<UniformWeights, double>({{"low", low}, {"high", high}});
  auto params = kaa::allocate_parameters<double>("p", n, k, 2);
  const kaa::Matrix<double> X("X", n, 2);
  init.initialize(X, params, seed);
  return kaa::to_host(params.weights);
}

TEST(UniformWeights, RowsOnSimplexWithRatiosBoundedByHighOverLow) {
  for (const auto& [low, high] : {std::pair{0.1, 0.9}, std::pair{2.0, 3.0}}) {
    SCOPED_TRACE("low " + std::to_string(low) + ", high " + std::to_string(high));
    const kaa::HostMatrix W = uniform_weights(low, high, 9);
    double widest = 1;
    for (std::size_t i = 0; i < W.rows; ++i) {
      double sum = 0, lo = W(i, 0), hi = W(i, 0);
      for (std::size_t j = 0; j < W.cols; ++j) {
        EXPECT_GT(W(i, j), 0.0);
        sum += W(i, j);
        lo = std::min(lo, W(i, j));
        hi = std::max(hi, W(i, j));
      }
      EXPECT_NEAR(sum, 1.0, 1e-12) << "row " << i;  // k divisions: rounding only
      // Every raw draw lies in [low, high) and normalising keeps ratios: max/min <= high/low.
      EXPECT_LE(hi / lo, high / low * (1 + 1e-12)) << "row " << i;
      widest = std::max(widest, hi / lo);
    }
    // The draws are not degenerate: with 200 draws some row spreads over most of the range.
    EXPECT_GT(widest, 1 + 0.5 * (high / low - 1));
  }
}

TEST(UniformWeights, SameSeedIdenticalOtherSeedDifferent) {
  const kaa::HostMatrix a = uniform_weights(0.1, 0.9, 3), b = uniform_weights(0.1, 0.9, 3),
                        c = uniform_weights(0.1, 0.9, 4);
  EXPECT_EQ(a.values, b.values);
  std::size_t differing = 0;
  for (std::size_t e = 0; e < a.values.size(); ++e) differing += a.values[e] != c.values[e];
  EXPECT_EQ(differing, a.values.size());  // continuous draws: every entry differs
}

TEST(UniformWeights, LowNotBelowHighIsAConfigError) {
  std::vector<std::string> issues;
  const json resolved =
      UniformWeights<double>::schema().resolve({{"low", 0.5}, {"high", 0.5}}, "/i", issues);
  ASSERT_TRUE(issues.empty());
  EXPECT_THROW((void)UniformWeights<double>(UniformWeights<double>::schema().bind(resolved)),
               kaa::ConfigError);
}

// ---------------------------------------------------------------------------------------------
// from_file

/// A fresh directory for one test's files, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("kaa_test_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Writes W (CSV, optionally with a header) and Z (.npy float64), loads both through from_file
/// and checks the blocks are exactly the written matrices.
void load_round_trip(const std::filesystem::path& dir, const std::vector<std::string>& header) {
  const std::size_t n = 5, k = 3, d = 2;
  const kaa::HostMatrix W = random_matrix(n, k, 11), Z = random_matrix(k, d, 12);
  kaa::write_csv(dir / "w.csv", W, header);
  kaa::write_npy(dir / "z.npy", Z, kaa::NpyType::float64);
  auto init = make<FromFile, double>(
      {{"weights", (dir / "w.csv").string()}, {"archetypes", (dir / "z.npy").string()}});
  EXPECT_EQ(init.blocks(), static_cast<unsigned>(kaa::Block::weights) |
                               static_cast<unsigned>(kaa::Block::archetypes));
  auto params = kaa::allocate_parameters<double>("p", n, k, d);
  const kaa::Matrix<double> X("X", n, d);
  init.initialize(X, params, 0);
  // The CSV writer's text reads back to the same double, and .npy float64 is exact.
  EXPECT_EQ(kaa::to_host(params.weights).values, W.values);
  EXPECT_EQ(kaa::to_host(params.archetypes).values, Z.values);
}

TEST(FromFile, LoadsCsvAndNpyBlocks) {
  TempDir dir;
  load_round_trip(dir.path(), {});
}

TEST(FromFile, LoadsCsvWrittenWithHeader) {
  TempDir dir;
  load_round_trip(dir.path(), {"w0", "w1", "w2"});  // the header line is skipped on reading
}

TEST(FromFile, OnlyTheNamedBlockIsWritten) {
  TempDir dir;
  const kaa::HostMatrix Z = random_matrix(3, 2, 13);
  kaa::write_csv(dir.path() / "z.csv", Z);
  auto init = make<FromFile, double>({{"archetypes", (dir.path() / "z.csv").string()}});
  EXPECT_EQ(init.blocks(), static_cast<unsigned>(kaa::Block::archetypes));
  auto params = kaa::allocate_parameters<double>("p", 4, 3, 2);
  Kokkos::deep_copy(params.weights, 0.5);
  init.initialize(kaa::Matrix<double>("X", 4, 2), params, 0);
  for (double v : kaa::to_host(params.weights).values) EXPECT_EQ(v, 0.5);
  EXPECT_EQ(kaa::to_host(params.archetypes).values, Z.values);
}

TEST(FromFile, ShapeMismatchNamesFileAndBothShapes) {
  TempDir dir;
  const auto file = dir.path() / "z.csv";
  kaa::write_csv(file, random_matrix(3, 2, 14));
  auto init = make<FromFile, double>({{"archetypes", file.string()}});
  auto params = kaa::allocate_parameters<double>("p", 6, 4, 2);  // expects 4 x 2
  try {
    init.initialize(kaa::Matrix<double>("X", 6, 2), params, 0);
    ADD_FAILURE() << "no exception";
  } catch (const kaa::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(file.string()), std::string::npos) << what;
    EXPECT_NE(what.find("3 x 2"), std::string::npos) << what;
    EXPECT_NE(what.find("4 x 2"), std::string::npos) << what;
  }
}

TEST(FromFile, NeitherPathIsAConfigError) {
  std::vector<std::string> issues;
  const json resolved = FromFile<double>::schema().resolve(json::object(), "/i", issues);
  ASSERT_TRUE(issues.empty());
  EXPECT_THROW((void)FromFile<double>(FromFile<double>::schema().bind(resolved)), kaa::ConfigError);
}

}  // namespace
