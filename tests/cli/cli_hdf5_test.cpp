// `kaa fit --data cells.h5ad` end to end: AnnData's X is fitted, its var index heads the outputs,
// and a bad file is one error line (none of libhdf5's error stack) with exit code 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_fixture.hpp"
#include "tests/support/hdf5_writer.hpp"

namespace cli_hdf5_test {

using kaa_test::Cli;
using kaa_test::Result;
namespace fs = std::filesystem;

TEST_F(Cli, AnnDataFileIsFittedWithItsGeneNames) {
  std::vector<float> x;
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 3; ++j) x.push_back(static_cast<float>((i * (7 + j)) % 23));
  const fs::path data = dir_ / "cells.h5ad";
  {
    kaa::test::Hdf5Writer w(data);
    w.dataset("X", {40, 3}, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, x);
    w.strings("/var/_index", {"CD3E", "MS4A1", "LYZ"});
    w.attribute("/var", "_index", "_index");
  }
  const fs::path out = dir_ / "run";

  const Result fit =
      run("fit " + config().string() + " --data " + data.string() + " --out " + out.string());

  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  std::istringstream lines(slurp(out / "archetypes.csv"));
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header, "CD3E,MS4A1,LYZ");
  EXPECT_EQ(nlohmann::json::parse(slurp(out / "metrics.json"))["n"], 40);
}

TEST_F(Cli, AnHdf5FileWithoutTheDatasetIsOneErrorLine) {
  const fs::path data = dir_ / "cells.h5";
  kaa::test::Hdf5Writer(data).group("obs");
  const fs::path out = dir_ / "run";

  const Result r =
      run("fit " + config().string() + " --data " + data.string() + " --out " + out.string());

  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(data.string() + ": no dataset \"/X\" (top level: /obs)"), std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace cli_hdf5_test
