#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/temp_path.hpp"

namespace kaa::test {

/// A fixture with a fresh folder of its own (dir_, removed after the test) and write(name, text),
/// which creates a file there and returns its path.
class TempFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = unique_temp_path("kaa_temp_folder");
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const std::filesystem::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::filesystem::path dir_;
};

}  // namespace kaa::test
