// The file dataset's column names: from a CSV header or a names file, checked against the data.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "framework/error.hpp"
#include "framework/io/npy.hpp"
#include "strategies/datasets/file.hpp"
#include "tests/strategies/make_strategy.hpp"
#include "tests/support/temp_folder.hpp"

namespace {

namespace fs = std::filesystem;
using kaa::strategies::File;
using kaa_test::make;

class FileDataset : public kaa::test::TempFolder {};

TEST_F(FileDataset, CsvHeaderGivesTheFeatureNames) {
  const auto path = write("x.csv", "height, \"weight\" ,age\n1,2,3\n4,5,6\n");

  const auto data = make<File, double>({{"path", path}}).load(0);

  EXPECT_EQ(data.feature_names, (std::vector<std::string>{"height", "weight", "age"}));
  EXPECT_EQ(data.X.rows, 2u);
}

TEST_F(FileDataset, CsvWithoutHeaderHasNoNames) {
  const auto path = write("x.csv", "1,2\n3,4\n");

  const auto data = make<File, double>({{"path", path}}).load(0);

  EXPECT_TRUE(data.feature_names.empty());
}

TEST_F(FileDataset, NamesFileLabelsAnNpyAndSurvivesARowBlock) {
  kaa::HostMatrix X(3, 2);
  for (std::size_t e = 0; e < X.values.size(); ++e) X.values[e] = static_cast<double>(e);
  const fs::path npy = dir_ / "x.npy";
  kaa::write_npy(npy, X, kaa::NpyType::float64);
  const auto names = write("names.txt", "first column\n\n  second \n");
  auto dataset = make<File, float>({{"path", npy.string()}, {"feature_names", names}});

  std::size_t total = 0;
  const auto block = dataset.load_rows(0, 1, 2, total);

  EXPECT_EQ(block.feature_names, (std::vector<std::string>{"first column", "second"}));
  EXPECT_EQ(total, 3u);
}

TEST_F(FileDataset, NamesThatDoNotMatchTheColumnsAreAnError) {
  const auto path = write("x.csv", "1,2,3\n4,5,6\n");
  const auto names = write("names.txt", "a\nb\n");

  try {
    make<File, double>({{"path", path}, {"feature_names", names}}).load(0);
    FAIL() << "accepted 2 names for 3 columns";
  } catch (const kaa::InputError& e) {
    EXPECT_EQ(std::string(e.what()), names + ": 2 feature names for 3 columns of " + path);
  }
}

TEST_F(FileDataset, AMissingNamesFileIsNamed) {
  const auto path = write("x.csv", "1,2\n");
  const std::string missing = (dir_ / "nope.txt").string();

  try {
    make<File, double>({{"path", path}, {"feature_names", missing}}).load(0);
    FAIL() << "accepted a missing names file";
  } catch (const kaa::InputError& e) {
    EXPECT_EQ(std::string(e.what()), missing + ": cannot open the feature names file");
  }
}

}  // namespace
