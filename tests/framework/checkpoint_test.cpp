// The checkpoint folder: exact round trip, one generation of files kept, clear errors on damage.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "framework/checkpoint/checkpoint_store.hpp"
#include "framework/error.hpp"
#include "tests/support/temp_path.hpp"

namespace {

namespace fs = std::filesystem;

class Checkpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = kaa::test::unique_temp_path("kaa_checkpoint_test");
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

kaa::SavedState example(double scale) {
  kaa::SavedState s;
  s.scalars["updates"] = 7;
  s.scalars["losses"] = {0.1 * scale, 1.0 / 3.0};
  kaa::HostMatrix m(2, 3);
  for (std::size_t i = 0; i < 6; ++i) m.values[i] = scale * (0.1 + i) / 7.0;
  s.arrays["params.weights"] = m;
  return s;
}

TEST_F(Checkpoint, RoundTripIsExactAndOldGenerationsAreRemoved) {
  kaa::CheckpointStore store(dir_);
  store.save(example(1.0));
  store.save(example(3.0));

  const kaa::SavedState back = store.load();

  const kaa::SavedState want = example(3.0);
  EXPECT_EQ(back.scalars, want.scalars);
  ASSERT_EQ(back.arrays.count("params.weights"), 1u);
  EXPECT_EQ(back.arrays.at("params.weights").values, want.arrays.at("params.weights").values);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 2u) << "expected state.json and one array file";
}

TEST_F(Checkpoint, MissingArrayFileIsAClearError) {
  kaa::CheckpointStore store(dir_);
  store.save(example(1.0));
  for (const auto& entry : fs::directory_iterator(dir_))
    if (entry.path().extension() == ".npy") fs::remove(entry.path());

  try {
    store.load();
    FAIL() << "no error";
  } catch (const kaa::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("params.weights"), std::string::npos) << e.what();
  }
}

TEST_F(Checkpoint, TruncatedManifestIsAClearError) {
  kaa::CheckpointStore store(dir_);
  store.save(example(1.0));
  std::ofstream(dir_ / "state.json") << "{\"generation\": 1, \"scal";
  EXPECT_THROW(store.load(), kaa::InputError);
}

TEST_F(Checkpoint, ShapeMismatchOnRestoreNamesTheArray) {
  const kaa::SavedState s = example(1.0);
  kaa::Matrix<double> wrong("w", 3, 3);
  try {
    s.get("params.weights", wrong);
    FAIL() << "no error";
  } catch (const kaa::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("expected 3 x 3"), std::string::npos) << e.what();
  }
}

}  // namespace
