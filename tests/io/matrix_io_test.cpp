// CSV and .npy readers and writers: formats, round trips, and one clear error per bad file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "framework/error.hpp"
#include "framework/io/matrix_io.hpp"

namespace {

namespace fs = std::filesystem;

class MatrixIo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        ("kaa_io_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path file(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return dir_ / name;
  }
  /// A .npy file as numpy writes it (format 1.0), with the given header dict and payload.
  fs::path npy(const std::string& name, const std::string& dict, const std::string& payload) {
    std::string header = dict;
    header.append(128 - 10 - header.size() - 1, ' ');
    header += '\n';
    return file(name, std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) +
                          std::string(1, '\0') + header + payload);
  }
  std::string error_of(const fs::path& p) {
    try {
      kaa::read_matrix(p);
    } catch (const kaa::InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "accepted " << p;
    return "";
  }
  fs::path dir_;
};

TEST_F(MatrixIo, CsvWithHeaderCommaAndCrlf) {
  const auto m = kaa::read_csv(file("a.csv", "x,y\r\n1, 2.5\r\n\r\n-3e2,+4\r\n"));

  ASSERT_EQ(m.rows, 2u);
  ASSERT_EQ(m.cols, 2u);
  EXPECT_EQ(m.values, (std::vector<double>{1, 2.5, -300, 4}));
}

TEST_F(MatrixIo, CsvWhitespaceDelimitedWithoutHeader) {
  const auto m = kaa::read_csv(file("a.txt", "1 2\t3\n  4 5 6  \n"));

  EXPECT_EQ(m.rows, 2u);
  EXPECT_EQ(m.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST_F(MatrixIo, CsvRoundTripIsBitExact) {
  kaa::HostMatrix m(2, 3);
  m.values = {0.1, 1.0 / 3.0, -2.5e-300, 6.02214076e23, std::nextafter(1.0, 2.0), 0};

  kaa::write_csv(dir_ / "r.csv", m, {"a", "b", "c"});
  const auto back = kaa::read_csv(dir_ / "r.csv");

  EXPECT_EQ(back.values, m.values);
}

TEST_F(MatrixIo, NpyRoundTripFloat64AndFloat32) {
  kaa::HostMatrix m(3, 2);
  m.values = {0.1, -1.5, 1e-8, 3.0, 1.0 / 7.0, 42};

  kaa::write_npy(dir_ / "d.npy", m, kaa::NpyType::float64);
  kaa::write_npy(dir_ / "f.npy", m, kaa::NpyType::float32);
  const auto d = kaa::read_npy(dir_ / "d.npy");
  const auto f = kaa::read_npy(dir_ / "f.npy");

  EXPECT_EQ(d.values, m.values);
  ASSERT_EQ(f.values.size(), m.values.size());
  for (std::size_t e = 0; e < m.values.size(); ++e)
    EXPECT_EQ(f.values[e], static_cast<double>(static_cast<float>(m.values[e])));
  // Data start 64-byte aligned, as the format recommends.
  EXPECT_EQ((fs::file_size(dir_ / "d.npy") - 6 * 8) % 64, 0u);
}

TEST_F(MatrixIo, NpyAsNumpyWritesIt) {
  const double values[6] = {1, 2, 3, 4, 5, 6.5};
  std::string payload(reinterpret_cast<const char*>(values), sizeof(values));
  const auto p =
      npy("n.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", payload);

  const auto m = kaa::read_npy(p);

  EXPECT_EQ(m.rows, 2u);
  EXPECT_EQ(m.cols, 3u);
  EXPECT_EQ(m(1, 2), 6.5);
}

TEST_F(MatrixIo, OneDimensionalNpyIsAColumn) {
  const float values[3] = {1, 2, 3};
  const auto p = npy("v.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                     std::string(reinterpret_cast<const char*>(values), sizeof(values)));

  const auto m = kaa::read_npy(p);

  EXPECT_EQ(m.rows, 3u);
  EXPECT_EQ(m.cols, 1u);
}

TEST_F(MatrixIo, CsvErrorsNameFileLineAndColumn) {
  EXPECT_NE(error_of(file("r.csv", "1,2,3\n4,5\n")).find("r.csv:2: 2 columns, expected 3"),
            std::string::npos);
  EXPECT_NE(
      error_of(file("t.csv", "h1,h2\n1,2\n3,x\n")).find("t.csv:3: column 2: not a number: \"x\""),
      std::string::npos);
  EXPECT_NE(error_of(file("n.csv", "1,NaN\n")).find("n.csv:1: column 2: NaN or Inf value"),
            std::string::npos);
  EXPECT_NE(error_of(file("e.csv", "")).find("e.csv: no data rows"), std::string::npos);
  EXPECT_NE(error_of(dir_ / "missing.csv").find("missing.csv: cannot open: No such file"),
            std::string::npos);
  EXPECT_NE(error_of(file("x.parquet", "")).find("unknown data format \".parquet\""),
            std::string::npos);
}

TEST_F(MatrixIo, NpyErrorsNameTheProblem) {
  const double one = 1, nan = std::numeric_limits<double>::quiet_NaN();
  const std::string two(reinterpret_cast<const char*>(&one), 8);
  EXPECT_NE(error_of(file("m.npy", "not numpy at all")).find("m.npy: not a .npy file (bad magic)"),
            std::string::npos);
  EXPECT_NE(
      error_of(npy("i.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }", two))
          .find("unsupported dtype '<i8'"),
      std::string::npos);
  EXPECT_NE(
      error_of(npy("f.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }", two))
          .find("Fortran-ordered arrays are not supported"),
      std::string::npos);
  EXPECT_NE(
      error_of(npy("t.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }", two))
          .find("truncated: expected 16 bytes of data, found 8"),
      std::string::npos);
  const std::string with_nan = two + std::string(reinterpret_cast<const char*>(&nan), 8);
  EXPECT_NE(error_of(npy("n.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }",
                         with_nan))
                .find("n.npy: row 1, column 2: NaN or Inf value"),
            std::string::npos);
}

TEST_F(MatrixIo, FailedWriteLeavesNothingBehind) {
  kaa::HostMatrix m(1, 1);
  const fs::path target = dir_ / "no_such_folder" / "w.csv";

  EXPECT_THROW(kaa::write_csv(target, m), kaa::Error);
  EXPECT_FALSE(fs::exists(dir_ / "no_such_folder"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 0);
}

}  // namespace
