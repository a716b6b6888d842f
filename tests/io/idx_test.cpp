// The IDX reader on files the test writes: every element type, gzip, and each kind of damage.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_streambuf.hpp>

#include "framework/error.hpp"
#include "framework/io/idx.hpp"
#include "framework/io/matrix_io.hpp"
#include "tests/support/gzip.hpp"

namespace {

using kaa_test::gzip;

namespace fs = std::filesystem;

std::string header(unsigned char type, std::vector<std::uint32_t> dims) {
  std::string h{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (std::uint32_t d : dims)
    for (int s = 24; s >= 0; s -= 8) h.push_back(static_cast<char>((d >> s) & 0xff));
  return h;
}

std::string error_of(const std::string& bytes) {
  try {
    kaa::parse_idx(bytes, "f");
  } catch (const kaa::InputError& e) {
    return e.what();
  }
  return "no error";
}

// Two 2x3 "images" of unsigned bytes: rows are images, columns pixels.
TEST(Idx, UnsignedBytesImagesBecomeRowsOfPixels) {
  const std::string bytes =
      header(0x08, {2, 2, 3}) + std::string{0, 1, 2, 3, 4, '\xff', 6, 7, 8, 9, 10, 11};
  const kaa::HostMatrix m = kaa::parse_idx(bytes, "f");
  ASSERT_EQ(m.rows, 2u);
  ASSERT_EQ(m.cols, 6u);
  EXPECT_EQ(m(0, 5), 255.0);
  EXPECT_EQ(m(1, 0), 6.0);
}

TEST(Idx, SignedShortIntFloatAndDoubleAreBigEndian) {
  EXPECT_EQ(kaa::parse_idx(header(0x09, {1}) + std::string{'\xfe'}, "f")(0, 0), -2.0);
  EXPECT_EQ(kaa::parse_idx(header(0x0B, {1}) + std::string{'\xff', '\x38'}, "f")(0, 0), -200.0);
  EXPECT_EQ(kaa::parse_idx(header(0x0C, {1}) + std::string{0, 1, 0, 0}, "f")(0, 0), 65536.0);
  // 1.5f = 0x3FC00000; 0.25 (double) = 0x3FD0000000000000.
  EXPECT_EQ(kaa::parse_idx(header(0x0D, {1}) + std::string{'\x3f', '\xc0', 0, 0}, "f")(0, 0), 1.5);
  EXPECT_EQ(
      kaa::parse_idx(header(0x0E, {1}) + std::string{'\x3f', '\xd0', 0, 0, 0, 0, 0, 0}, "f")(0, 0),
      0.25);
}

TEST(Idx, LabelsFileIsOneColumn) {
  const kaa::HostMatrix m = kaa::parse_idx(header(0x08, {3}) + std::string{7, 0, 9}, "f");
  EXPECT_EQ(m.rows, 3u);
  EXPECT_EQ(m.cols, 1u);
  EXPECT_EQ(m(2, 0), 9.0);
}

TEST(Idx, GzippedFileIsReadThroughReadMatrix) {
  const fs::path p = fs::temp_directory_path() / "kaa_idx_test-images-idx3-ubyte.gz";
  std::ofstream(p, std::ios::binary) << gzip(header(0x08, {2, 1, 2}) + std::string{1, 2, 3, 4});
  const kaa::HostMatrix m = kaa::read_matrix(p);
  fs::remove(p);
  ASSERT_EQ(m.rows, 2u);
  EXPECT_EQ(m(1, 1), 4.0);
}

TEST(Idx, CorruptGzipIsAClearError) {
  const fs::path p = fs::temp_directory_path() / "kaa_idx_bad-idx1-ubyte.gz";
  std::ofstream(p, std::ios::binary) << std::string{'\x1f', '\x8b', 8, 0, 1, 2, 3};
  EXPECT_THROW(kaa::read_matrix(p), kaa::InputError);
  fs::remove(p);
}

TEST(Idx, TruncatedGzipAndMissingFilesNameTheFile) {
  const fs::path p = fs::temp_directory_path() /
                     ("kaa_idx_cut_" + std::to_string(::getpid()) + "-images-idx3-ubyte.gz");
  std::string whole = gzip(header(0x08, {50, 4, 4}) + std::string(800, '\x07'));
  std::ofstream(p, std::ios::binary) << whole.substr(0, whole.size() / 2);
  try {
    kaa::read_matrix(p);
    ADD_FAILURE() << "a gzip file cut in half was read";
  } catch (const kaa::InputError& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos) << e.what();
  }
  fs::remove(p);
  try {
    kaa::read_matrix(fs::temp_directory_path() / "kaa_no_such-idx1-ubyte");
    ADD_FAILURE() << "a missing file was read";
  } catch (const kaa::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("kaa_no_such-idx1-ubyte: cannot open: No such file"),
              std::string::npos)
        << e.what();
  }
}

TEST(Idx, DamagedFilesNameTheProblem) {
  EXPECT_NE(error_of("ab").find("not an IDX file"), std::string::npos);
  EXPECT_NE(error_of(std::string{1, 0, 8, 1, 0, 0, 0, 1, 5}).find("two zero bytes"),
            std::string::npos);
  EXPECT_NE(error_of(std::string{0, 0, 7, 1, 0, 0, 0, 1, 5}).find("unknown IDX element type 0x07"),
            std::string::npos);
  EXPECT_NE(error_of(std::string{0, 0, 8, 3, 0, 0}).find("truncated header"), std::string::npos);
  EXPECT_NE(error_of(header(0x08, {4, 2}) + std::string(5, 'x'))
                .find("truncated: header announces 4 x 2"),
            std::string::npos);
  EXPECT_NE(error_of(header(0x08, {1}) + std::string(3, 'x')).find("2 unexpected bytes"),
            std::string::npos);
  EXPECT_NE(error_of(header(0x08, {0})).find("dimension 0 is 0"), std::string::npos);
  EXPECT_NE(error_of(header(0x0E, {0xffffffff, 0xffffffff, 0xffffffff})).find("overflow"),
            std::string::npos);
  // NaN as a double: 0x7FF8000000000000.
  EXPECT_NE(error_of(header(0x0E, {1}) + std::string{'\x7f', '\xf8', 0, 0, 0, 0, 0, 0})
                .find("non-finite"),
            std::string::npos);
}

TEST(Idx, NamesOfTheFamilyAreRecognised) {
  EXPECT_TRUE(kaa::is_idx_name("train-images-idx3-ubyte"));
  EXPECT_TRUE(kaa::is_idx_name("dir/t10k-labels-idx1-ubyte.gz"));
  EXPECT_TRUE(kaa::is_idx_name("x.idx"));
  EXPECT_FALSE(kaa::is_idx_name("x.csv"));
  EXPECT_FALSE(kaa::is_idx_name("x.npy.gz"));
}

}  // namespace
