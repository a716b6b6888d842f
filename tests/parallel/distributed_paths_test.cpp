// The distributed code paths run on one rank (a DistributedScope with trivial collectives): they
// must reproduce the single-process results exactly, and the per-rank pieces (weights of a row
// block, a file's row block) must equal the matching rows of the whole.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/model.hpp"
#include "framework/parallel/row_block.hpp"
#include "strategies/datasets/synthetic.hpp"
#include "strategies/initializers/kmeans_pp.hpp"
#include "strategies/initializers/uniform_weights.hpp"
#include "strategies/projectors/knn_hull.hpp"
#include "strategies/register_all.hpp"
#include "tests/strategies/make_strategy.hpp"
#include "tests/support/host_matrices.hpp"

namespace {

using kaa_test::gaussian_matrix;

namespace fs = std::filesystem;
namespace par = kaa::parallel;
using kaa_test::make;
using nlohmann::json;

kaa::HostMatrix rows_of(const kaa::HostMatrix& m, std::size_t begin, std::size_t end) {
  kaa::HostMatrix out(end - begin, m.cols);
  for (std::size_t i = begin; i < end; ++i)
    for (std::size_t f = 0; f < m.cols; ++f) out(i - begin, f) = m(i, f);
  return out;
}

void expect_equal(const kaa::HostMatrix& a, const kaa::HostMatrix& b) {
  ASSERT_EQ(a.rows, b.rows);
  ASSERT_EQ(a.cols, b.cols);
  for (std::size_t e = 0; e < a.values.size(); ++e)
    ASSERT_EQ(a.values[e], b.values[e]) << "entry " << e;
}

TEST(DistributedPaths, UniformWeightsOfARowBlockAreThoseRowsOfTheWhole) {
  const std::size_t n = 37, k = 4;
  auto init = make<kaa::strategies::UniformWeights, double>();
  auto whole = kaa::allocate_parameters<double>("whole", n, k, 2);
  init.initialize(kaa::Matrix<double>(), whole, 11);
  const par::RowBlock block = par::block_of(n, 2, 3);
  auto part = kaa::allocate_parameters<double>("part", block.size(), k, 2);
  {
    par::DistributedScope scope(block);
    init.initialize(kaa::Matrix<double>(), part, 11);
  }
  expect_equal(kaa::to_host(part.weights),
               rows_of(kaa::to_host(whole.weights), block.begin, block.end));
}

TEST(DistributedPaths, KmeansPPGlobalSamplingOnOneRankPicksTheSameRows) {
  const std::size_t n = 300, d = 5, k = 6;
  const auto X = kaa::to_device<double>(gaussian_matrix(n, d, 3), "X");
  auto plain = make<kaa::strategies::KmeansPP, double>();
  auto spread = make<kaa::strategies::KmeansPP, double>();
  auto p1 = kaa::allocate_parameters<double>("p1", n, k, d);
  auto p2 = kaa::allocate_parameters<double>("p2", n, k, d);
  plain.initialize(X, p1, 99);
  {
    par::DistributedScope scope(par::block_of(n, 0, 1));
    spread.initialize(X, p2, 99);
  }
  EXPECT_EQ(plain.chosen(), spread.chosen());
  expect_equal(kaa::to_host(p1.archetypes), kaa::to_host(p2.archetypes));
}

TEST(DistributedPaths, KnnHullMergeOfOffersOnOneRankEqualsTheDirectProjection) {
  const std::size_t n = 200, d = 4, k = 5;
  const auto X = kaa::to_device<float>(gaussian_matrix(n, d, 5), "X");
  const kaa::HostMatrix Z0 = gaussian_matrix(k, d, 6);
  auto direct = make<kaa::strategies::KnnHull, float>({{"k", 7}});
  auto merged = make<kaa::strategies::KnnHull, float>({{"k", 7}});
  auto Z1 = kaa::to_device<float>(Z0, "Z1");
  auto Z2 = kaa::to_device<float>(Z0, "Z2");
  direct.project(Z1, X);
  {
    par::DistributedScope scope(par::block_of(n, 0, 1));
    merged.project(Z2, X);
  }
  expect_equal(kaa::to_host(Z1), kaa::to_host(Z2));
}

TEST(DistributedPaths, BaseModelFitInADistributedScopeOnOneRankIsBitwiseTheSame) {
  kaa::Registry registry;
  kaa::register_all(registry);
  json raw = kaa::read_json_file(KAA_SOURCE_DIR "/configs/base.json");
  raw["stopping"][2]["value"] = 30;
  const json resolved = kaa::resolve_config(raw, registry, "base.json");
  const std::size_t n = 150, d = 6;
  const auto X = kaa::to_device<float>(gaussian_matrix(n, d, 8), "X");
  auto fit = [&](bool scoped) {
    kaa::Model<float> model(resolved, registry);
    auto params = model.allocate(n, d);
    std::optional<par::DistributedScope> scope;
    if (scoped) scope.emplace(par::block_of(n, 0, 1));
    const auto trace = model.fit(X, params, 42);
    return std::make_pair(trace.losses, kaa::to_host(params.archetypes));
  };
  const auto [losses1, Z1] = fit(false);
  const auto [losses2, Z2] = fit(true);
  EXPECT_EQ(losses1, losses2);
  expect_equal(Z1, Z2);
}

TEST(DistributedPaths, DefaultLoadRowsKeepsTheBlockOfTheWholeData) {
  auto data = make<kaa::strategies::Synthetic, double>({{"n", 50}, {"d", 3}});
  const kaa::HostMatrix whole = data.load(1).X;
  std::size_t total = 0;
  const kaa::LoadedData part = data.load_rows(1, 1, 3, total);
  EXPECT_EQ(total, 50u);
  const par::RowBlock b = par::block_of(50, 1, 3);
  expect_equal(part.X, rows_of(whole, b.begin, b.end));
  EXPECT_TRUE(part.true_archetypes.has_value());
}

class RowReaders : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kaa_rows_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

kaa::RowSelector block(int rank, int ranks) {
  return [=](std::size_t total) {
    const par::RowBlock b = par::block_of(total, rank, ranks);
    return kaa::RowRange{b.begin, b.end};
  };
}

/// For every rank of each split, read_rows(path, block, total) reads exactly that rank's rows of
/// `whole` and reports the file's row count.
template <class ReadRows>
void expect_blocks_of_whole(const fs::path& path, const kaa::HostMatrix& whole,
                            std::initializer_list<int> splits, ReadRows read_rows) {
  for (int ranks : splits)
    for (int r = 0; r < ranks; ++r) {
      SCOPED_TRACE(path.string() + ": rank " + std::to_string(r) + " of " + std::to_string(ranks));
      std::size_t total = 0;
      const kaa::HostMatrix part = read_rows(path, block(r, ranks), total);
      EXPECT_EQ(total, whole.rows);
      const par::RowBlock b = par::block_of(whole.rows, r, ranks);
      expect_equal(part, rows_of(whole, b.begin, b.end));
    }
}

TEST_F(RowReaders, NpyBlocksEqualTheRowsOfTheWholeFile) {
  const kaa::HostMatrix m = gaussian_matrix(23, 3, 4);
  for (auto type : {kaa::NpyType::float64, kaa::NpyType::float32}) {
    const fs::path path = dir_ / "m.npy";
    kaa::write_npy(path, m, type);
    const kaa::HostMatrix whole = kaa::read_npy(path);
    ASSERT_EQ(whole.rows, 23u);
    expect_blocks_of_whole(path, whole, {1, 2, 4}, kaa::read_npy_rows);
  }
}

TEST_F(RowReaders, CsvBlocksEqualTheRowsOfTheWholeFileWithHeaderAndBlankLines) {
  const fs::path comma = dir_ / "c.csv", blank = dir_ / "w.txt";
  std::ofstream(comma) << "a,b\n1,2\n\n3,4\r\n5,6\n7,8\n9,10";
  std::ofstream(blank) << "\n1 2\n3\t4\n\n5 6\n7 8\n";
  for (const fs::path& path : {comma, blank}) {
    expect_blocks_of_whole(path, kaa::read_csv(path), {1, 2, 3}, kaa::read_csv_rows);
  }
}

TEST_F(RowReaders, CsvBlocksPastTheLineIndexMarksEqualTheWholeFile) {
  // More than two marks of the line-offset index (every 1024 non-blank lines), with a header,
  // blank lines, CRLF and a byte-order mark shifting the offsets.
  const fs::path path = dir_ / "long.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "\xEF\xBB\xBFx,y\r\n";
    for (int i = 0; i < 2600; ++i) {
      out << i << "," << (i * 7) % 13 << (i % 3 == 0 ? "\r\n" : "\n");
      if (i % 500 == 0) out << "\n  \n";
    }
  }
  const kaa::HostMatrix whole = kaa::read_csv(path);
  ASSERT_EQ(whole.rows, 2600u);
  expect_blocks_of_whole(path, whole, {1, 2, 3, 5}, kaa::read_csv_rows);
  std::size_t total = 0;
  const auto one = [](std::size_t) { return kaa::RowRange{1024, 1025}; };
  EXPECT_EQ(kaa::read_csv_rows(path, one, total).values,
            (std::vector<double>{1024, 1024 * 7 % 13}));
}

TEST_F(RowReaders, CsvBadCellIsReportedByTheBlockThatHoldsIt) {
  const fs::path path = dir_ / "bad.csv";
  std::ofstream(path) << "x,y\n1,2\n3,4\n5,6\n7,oops\n";
  std::size_t total = 0;
  // Rows 0-1 are fine: that block does not parse the bad line (documented).
  EXPECT_EQ(kaa::read_csv_rows(path, block(0, 2), total).rows, 2u);
  try {
    kaa::read_csv_rows(path, block(1, 2), total);
    FAIL() << "bad cell accepted";
  } catch (const kaa::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:5: column 2: not a number: \"oops\""),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
