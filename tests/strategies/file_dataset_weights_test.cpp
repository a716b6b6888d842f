// The file dataset's sample weights (issue 17): a column of the data file (by index or header
// name) or a separate file, their row blocks, and one clear error per kind of bad weights.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "framework/config/config.hpp"
#include "framework/error.hpp"
#include "framework/io/npy.hpp"
#include "strategies/datasets/file.hpp"
#include "tests/strategies/make_strategy.hpp"
#include "tests/strategies/solver_fixtures.hpp"
#include "tests/support/full_registry.hpp"
#include "tests/support/temp_folder.hpp"

namespace file_dataset_weights_test {

namespace fs = std::filesystem;
using kaa::strategies::File;
using kaa_test::make;

class FileWeights : public kaa::test::TempFolder {
 protected:
  /// The InputError message of loading with `params`, or "" when it loads.
  std::string error_of(const nlohmann::json& params) {
    try {
      make<File, double>(params).load(0);
    } catch (const kaa::InputError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(FileWeights, AHeaderColumnByNameIsTheWeightsAndNotAFeature) {
  const auto path = write("x.csv", "a,w,b\n1,2,3\n4,0.5,6\n7,0,9\n");

  const auto data = make<File, double>({{"path", path}, {"weights_column", "w"}}).load(0);

  EXPECT_EQ(data.weights, (std::vector<double>{2, 0.5, 0}));
  EXPECT_EQ(data.feature_names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(data.X.cols, 2u);
  EXPECT_EQ(data.X.values, (std::vector<double>{1, 3, 4, 6, 7, 9}));
}

TEST_F(FileWeights, AColumnByIndexWorksWithoutAHeader) {
  const auto path = write("x.csv", "1,2,3\n4,5,6\n");

  const auto data = make<File, double>({{"path", path}, {"weights_column", "2"}}).load(0);

  EXPECT_EQ(data.weights, (std::vector<double>{3, 6}));
  EXPECT_EQ(data.X.values, (std::vector<double>{1, 2, 4, 5}));
}

TEST_F(FileWeights, ASeparateFileGivesOneWeightPerRowAndItsBlock) {
  const auto path = write("x.csv", "0,1\n2,3\n4,5\n6,7\n");
  kaa::HostMatrix w(1, 4);  // one row is accepted as well as one column
  w.values = {1, 2, 3, 4};
  const fs::path weights = dir_ / "w.npy";
  kaa::write_npy(weights, w, kaa::NpyType::float64);
  auto dataset = make<File, double>({{"path", path}, {"weights", weights.string()}});

  EXPECT_EQ(dataset.load(0).weights, (std::vector<double>{1, 2, 3, 4}));
  std::size_t total = 0;
  const auto block = dataset.load_rows(0, 1, 2, total);
  EXPECT_EQ(total, 4u);
  EXPECT_EQ(block.weights, (std::vector<double>{3, 4}));
  EXPECT_EQ(block.X.rows, 2u);
}

TEST_F(FileWeights, AWeightsFileOfTheWrongLengthNamesBothLengths) {
  const auto path = write("x.csv", "1,2\n3,4\n5,6\n");
  const auto weights = write("w.csv", "1\n2\n");

  EXPECT_EQ(error_of({{"path", path}, {"weights", weights}}),
            weights + ": 2 sample weights, but " + path + " has 3 rows; need one weight per row");
}

TEST_F(FileWeights, BadValuesAreNamedWithTheirRow) {
  const auto path = write("x.csv", "1,2\n3,4\n5,6\n");
  EXPECT_EQ(
      error_of({{"path", path}, {"weights", write("neg.csv", "1\n-2\n3\n")}}),
      (dir_ / "neg.csv").string() + ": row 2: weight -2.000000 is negative; weights must be >= 0");
  EXPECT_EQ(error_of({{"path", path}, {"weights", write("nan.csv", "1\n2\nnan\n")}}),
            (dir_ / "nan.csv").string() + ":3: column 1: NaN or Inf value");  // the reader's
  EXPECT_EQ(error_of({{"path", path}, {"weights", write("zero.csv", "0\n0\n0\n")}}),
            (dir_ / "zero.csv").string() + ": every weight is zero; at least one row must count");
}

TEST_F(FileWeights, AColumnOutOfRangeOrUnknownIsAnError) {
  const auto path = write("x.csv", "a,b\n1,2\n3,4\n");
  EXPECT_EQ(error_of({{"path", path}, {"weights_column", "2"}}),
            path + ": weights_column 2 is out of range (the file has 2 columns, numbered from 0)");
  EXPECT_EQ(error_of({{"path", path}, {"weights_column", "w"}}),
            path + ": weights_column \"w\" is not in the header");
  const auto bare = write("y.csv", "1,2\n3,4\n");
  EXPECT_NE(error_of({{"path", bare}, {"weights_column", "w"}}).find("the file has no header"),
            std::string::npos);
  const auto single = write("z.csv", "1\n3\n");
  EXPECT_NE(error_of({{"path", single}, {"weights_column", "0"}}).find("leaves no feature"),
            std::string::npos);
}

TEST_F(FileWeights, BothSourcesAtOnceAreAConfigError) {
  const auto path = write("x.csv", "1,2\n3,4\n");
  nlohmann::json raw = kaa_test::solver_config({{"type", "pcha"}}, 2, 5);
  raw["data"] = {{"type", "file"}, {"path", path}, {"weights", "w.npy"}, {"weights_column", "1"}};
  try {
    kaa::resolve_config(raw, kaa_test::full_registry(), "c.json");
    FAIL() << "accepted weights and weights_column together";
  } catch (const kaa::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "c.json: /data: both weights and weights_column are set; give the weights once"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(FileWeights, AConfigWithAStrategyThatCannotHonourThemIsRefusedWhenLoaded) {
  nlohmann::json raw = kaa_test::solver_config({{"type", "pcha"}}, 2, 5);
  raw["data"] = {{"type", "file"}, {"path", "x.csv"}, {"weights_column", "w"}};
  raw["initializers"] = {"uniform_weights", "directional"};
  try {
    kaa::resolve_config(raw, kaa_test::full_registry(), "c.json");
    FAIL() << "accepted an initializer that ignores sample weights";
  } catch (const kaa::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("c.json: /initializers/1: initializer \"directional\" "
                                         "does not honour sample weights, but the data have them "
                                         "(/data names them); use one of: "),
              std::string::npos)
        << e.what();
  }
  raw["initializers"] = {"uniform_weights", "furthest_sum"};
  EXPECT_NO_THROW(kaa::resolve_config(raw, kaa_test::full_registry(), "c.json"));
}

}  // namespace file_dataset_weights_test
