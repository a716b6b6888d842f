// The file dataset on HDF5 input: the `dataset` key, AnnData's var names as feature names, row
// blocks, and the dispatch by extension, format or signature.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "framework/error.hpp"
#include "strategies/datasets/file.hpp"
#include "tests/strategies/make_strategy.hpp"
#include "tests/support/hdf5_writer.hpp"
#include "tests/support/temp_path.hpp"

namespace file_dataset_hdf5_test {

namespace fs = std::filesystem;
using kaa::strategies::File;
using kaa::test::Hdf5Writer;
using kaa_test::make;

class FileDatasetHdf5 : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = kaa::test::unique_temp_path("kaa_file_dataset_hdf5");
    fs::create_directories(dir_);
    // An AnnData-like file: X (4 x 3), a layer, var's index named by its attribute.
    Hdf5Writer w(h5ad());
    w.dataset("X", {4, 3}, H5T_IEEE_F32LE, H5T_NATIVE_DOUBLE, x_);
    w.dataset("/layers/counts", {4, 3}, H5T_STD_I32LE, H5T_NATIVE_DOUBLE, counts_);
    w.strings("/var/gene", {"CD3E", "MS4A1", "LYZ"});
    w.attribute("/var", "_index", "gene");
    w.strings("/obs/_index", {"c1", "c2", "c3", "c4"});
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string h5ad() const { return (dir_ / "cells.h5ad").string(); }

  fs::path dir_;
  const std::vector<double> x_ = {0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11.25};
  const std::vector<double> counts_ = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0};
  const std::vector<std::string> genes_ = {"CD3E", "MS4A1", "LYZ"};
};

TEST_F(FileDatasetHdf5, AnnDataXWithTheVarIndexAsFeatureNames) {
  const auto data = make<File, double>({{"path", h5ad()}}).load(0);

  EXPECT_EQ(data.X.rows, 4u);
  EXPECT_EQ(data.X.values, x_);
  EXPECT_EQ(data.feature_names, genes_);
  EXPECT_EQ(data.description, h5ad());
}

TEST_F(FileDatasetHdf5, ARankReadsItsRowsOfTheNamedDataset) {
  auto dataset = make<File, float>({{"path", h5ad()}, {"dataset", "/layers/counts"}});
  std::size_t total = 0;

  const auto block = dataset.load_rows(0, 1, 2, total);

  EXPECT_EQ(total, 4u);
  EXPECT_EQ(block.X.values, std::vector<double>(counts_.begin() + 6, counts_.end()));
  EXPECT_EQ(block.feature_names, genes_);
}

TEST_F(FileDatasetHdf5, ANamesFileOverridesTheVarIndex) {
  const fs::path names = dir_ / "names.txt";
  std::ofstream(names) << "a\nb\nc\n";
  const auto data =
      make<File, double>({{"path", h5ad()}, {"feature_names", names.string()}}).load(0);
  EXPECT_EQ(data.feature_names, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(FileDatasetHdf5, AVarIndexOfTheWrongLengthIsAnError) {
  const std::string path = (dir_ / "odd.h5ad").string();
  {
    Hdf5Writer w(path);
    w.dataset("X", {1, 3}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, std::vector<double>{1, 2, 3});
    w.strings("/var/_index", {"a", "b"});
  }
  try {
    make<File, double>({{"path", path}}).load(0);
    FAIL() << "accepted 2 names for 3 columns";
  } catch (const kaa::InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + "'s var index: 2 feature names for 3 columns of " + path);
  }
}

TEST_F(FileDatasetHdf5, FormatKeyOrSignatureFindsHdf5UnderAnyName) {
  const std::string odd = (dir_ / "cells.data").string();
  fs::copy_file(h5ad(), odd);

  const auto by_signature = make<File, double>({{"path", odd}}).load(0);
  const auto by_format = make<File, double>({{"path", odd}, {"format", "hdf5"}}).load(0);
  EXPECT_EQ(by_signature.X.values, x_);
  EXPECT_EQ(by_format.X.values, x_);
}

TEST_F(FileDatasetHdf5, TheDatasetKeyOnANonHdf5FileIsAnError) {
  const std::string csv = (dir_ / "x.csv").string();
  std::ofstream(csv) << "1,2\n3,4\n";
  for (bool rows : {false, true}) {
    try {
      auto dataset = make<File, double>({{"path", csv}, {"dataset", "/X"}});
      std::size_t total = 0;
      if (rows) {
        dataset.load_rows(0, 0, 2, total);
      } else {
        dataset.load(0);
      }
      FAIL() << "accepted a dataset path for a CSV file";
    } catch (const kaa::InputError& e) {
      EXPECT_EQ(std::string(e.what()),
                csv + ": \"dataset\" (/X) applies only to HDF5 files (.h5, .hdf5, .h5ad)");
    }
  }
}

TEST_F(FileDatasetHdf5, AMissingDatasetIsNamed) {
  try {
    make<File, double>({{"path", h5ad()}, {"dataset", "/obsm/X_umap"}}).load(0);
    FAIL() << "accepted a missing dataset";
  } catch (const kaa::InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              h5ad() + ": no dataset \"/obsm/X_umap\" (top level: /X, /layers, /obs, /var)");
  }
}

}  // namespace file_dataset_hdf5_test
