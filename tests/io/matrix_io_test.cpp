// CSV and .npy readers and writers: formats, round trips, and one clear error per bad file.
#include <unistd.h>

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <typeinfo>
#include <vector>

#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"
#include "framework/io/matrix_io.hpp"

namespace {

namespace fs = std::filesystem;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

class MatrixIo : public ::testing::Test {
 protected:
  void SetUp() override {
    // The pid keeps concurrent runs of the same test binary apart.
    dir_ = fs::temp_directory_path() /
           ("kaa_io_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path file(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return dir_ / name;
  }
  /// A format 1.0 .npy file padded the way numpy pads it (data start 64-byte aligned).
  fs::path npy(const std::string& name, const std::string& dict, const std::string& payload) {
    std::string header = dict;
    header.append(63 - (10 + header.size()) % 64, ' ');
    header += '\n';
    const char len[2] = {static_cast<char>(header.size() & 0xff),
                         static_cast<char>(header.size() >> 8)};
    return file(name, std::string("\x93NUMPY\x01\x00", 8) + std::string(len, 2) + header + payload);
  }
  static std::string f8_dict(const std::string& shape) {
    return "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
  }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    return names;
  }

  fs::path dir_;
};

template <typename T>
std::string bytes_of(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

std::vector<std::uint64_t> bits_of(const std::vector<double>& values) {
  std::vector<std::uint64_t> bits;
  for (double v : values) bits.push_back(std::bit_cast<std::uint64_t>(v));
  return bits;
}

/// what() of the exception `f` throws, failing the test unless it is exactly of type E (not a
/// subclass, so a reader error is never mistaken for a writer one) and one line.
template <typename E>
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    EXPECT_EQ(typeid(e), typeid(E)) << e.what();
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    return what;
  }
  ADD_FAILURE() << "nothing thrown";
  return "";
}

std::string read_error(const fs::path& p) {
  return message_of<kaa::InputError>([&] { kaa::read_matrix(p); });
}

// ---- CSV ----------------------------------------------------------------------------------

TEST_F(MatrixIo, CsvWithHeader) {
  const auto m = kaa::read_csv(file("a.csv", "x,y,z\n1,2.5,-3e2\n+4,0.125,7\n"));

  ASSERT_EQ(m.rows, 2u);
  ASSERT_EQ(m.cols, 3u);
  EXPECT_EQ(m.values, (std::vector<double>{1, 2.5, -300, 4, 0.125, 7}));
}

TEST_F(MatrixIo, CsvHeaderNamesWithoutQuotesAndNoneWithoutAHeader) {
  EXPECT_EQ(kaa::read_csv_header(file("h.csv", "\xEF\xBB\xBF\n\"a b\", c ,\"d\"\n1,2,3\n")),
            (std::vector<std::string>{"a b", "c", "d"}));
  EXPECT_EQ(kaa::read_csv_header(file("w.txt", "x y\n1 2\n")),
            (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(kaa::read_csv_header(file("n.csv", "1,2\n3,4\n")).empty());
  EXPECT_TRUE(kaa::read_csv_header(file("o.csv", "1e400,2\n3,4\n")).empty());
}

TEST_F(MatrixIo, CsvWithoutHeader) {
  const auto m = kaa::read_csv(file("a.csv", "1, 2\n3 ,4\n"));

  ASSERT_EQ(m.rows, 2u);
  ASSERT_EQ(m.cols, 2u);
  EXPECT_EQ(m.values, (std::vector<double>{1, 2, 3, 4}));
}

TEST_F(MatrixIo, CsvWhitespaceDelimited) {
  const auto m = kaa::read_csv(file("a.txt", "a\tb c\n1 2\t3\n  4   5 6  \t\n"));

  ASSERT_EQ(m.rows, 2u);
  ASSERT_EQ(m.cols, 3u);
  EXPECT_EQ(m.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST_F(MatrixIo, CsvCrlfBlankLinesAndTrailingWhitespace) {
  const auto m = kaa::read_csv(file("a.csv", "\r\nx,y\r\n1,2  \r\n\r\n   \r\n3,4\r\n\r\n"));

  ASSERT_EQ(m.rows, 2u);
  EXPECT_EQ(m.values, (std::vector<double>{1, 2, 3, 4}));
}

TEST_F(MatrixIo, CsvLineNumbersCountBlankLinesAndCrlf) {
  EXPECT_EQ(read_error(file("a.csv", "x,y\r\n\r\n1,2\r\n\r\n3\r\n")),
            (dir_ / "a.csv").string() + ":5: 1 columns, expected 2");
}

TEST_F(MatrixIo, CsvByteOrderMarkDoesNotHideTheFirstRow) {
  const auto m = kaa::read_csv(file("a.csv",
                                    "\xEF\xBB\xBF"
                                    "1,2\n3,4\n"));

  EXPECT_EQ(m.rows, 2u);
}

TEST_F(MatrixIo, CsvRoundTripIsBitExact) {
  kaa::HostMatrix m(3, 3);
  m.values = {0.1,
              1.0 / 3.0,
              -2.5e-300,
              6.02214076e23,
              std::nextafter(1.0, 2.0),
              -0.0,
              5e-324,
              std::numeric_limits<double>::max(),
              -123456789.0};

  kaa::write_csv(dir_ / "r.csv", m, {"a", "b", "c"});
  const auto back = kaa::read_csv(dir_ / "r.csv");

  ASSERT_EQ(back.rows, 3u);
  ASSERT_EQ(back.cols, 3u);
  EXPECT_EQ(bits_of(back.values), bits_of(m.values));
}

TEST_F(MatrixIo, CsvWriterWritesHeaderAndCommas) {
  kaa::HostMatrix m(2, 2);
  m.values = {1, 0.5, -2, 1e-7};

  kaa::write_csv(dir_ / "w.csv", m, {"p", "q"});
  std::ifstream in(dir_ / "w.csv");
  const std::string text((std::istreambuf_iterator<char>(in)), {});

  EXPECT_EQ(text, "p,q\n1,0.5\n-2,1e-07\n");
}

// ---- .npy ---------------------------------------------------------------------------------

TEST_F(MatrixIo, NpyFloat64RoundTripIsBitExact) {
  kaa::HostMatrix m(3, 2);
  m.values = {0.1, -1.5, 1e-300, 3.0, 1.0 / 7.0, -0.0};

  kaa::write_npy(dir_ / "d.npy", m, kaa::NpyType::float64);
  const auto back = kaa::read_npy(dir_ / "d.npy");

  ASSERT_EQ(back.rows, 3u);
  ASSERT_EQ(back.cols, 2u);
  EXPECT_EQ(bits_of(back.values), bits_of(m.values));
}

TEST_F(MatrixIo, NpyFloat32RoundTripRoundsToFloat) {
  kaa::HostMatrix m(2, 3);
  m.values = {0.1, -1.5, 1e-8, 3.0, 1.0 / 7.0, 42};

  kaa::write_npy(dir_ / "f.npy", m, kaa::NpyType::float32);
  const auto back = kaa::read_npy(dir_ / "f.npy");

  ASSERT_EQ(back.values.size(), m.values.size());
  for (std::size_t e = 0; e < m.values.size(); ++e) {
    EXPECT_EQ(back.values[e], static_cast<double>(static_cast<float>(m.values[e])));
  }
}

TEST_F(MatrixIo, NpyWriterHeaderIsVersion1AndDataIs64ByteAligned) {
  kaa::HostMatrix m(2, 3);
  kaa::write_npy(dir_ / "d.npy", m, kaa::NpyType::float64);
  kaa::write_npy(dir_ / "f.npy", m, kaa::NpyType::float32);

  for (const auto& [name, descr, item] : {std::tuple{"d.npy", "'<f8'", 8}, {"f.npy", "'<f4'", 4}}) {
    std::ifstream in(dir_ / name, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    ASSERT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const std::size_t header_len =
        static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
    EXPECT_EQ((10 + header_len) % 64, 0u);
    EXPECT_EQ(bytes.size(), 10 + header_len + 6 * item);
    const std::string header = bytes.substr(10, header_len);
    EXPECT_EQ(header.back(), '\n');
    EXPECT_NE(header.find("'descr': " + std::string(descr)), std::string::npos) << header;
    EXPECT_NE(header.find("'fortran_order': False"), std::string::npos) << header;
    EXPECT_NE(header.find("'shape': (2, 3)"), std::string::npos) << header;
  }
}

TEST_F(MatrixIo, NpyWrittenByNumpy) {
  // np.save("n.npy", np.array([[1, -2.5, 0.1], [1e300, 5e-324, 6]])), byte for byte.
  std::string bytes = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                      "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }" +
                      std::string(58, ' ') + "\n";
  const unsigned char payload[48] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x04, 0xc0, 0x9a, 0x99, 0x99, 0x99,
                                     0x99, 0x99, 0xb9, 0x3f, 0x9c, 0x75, 0x00, 0x88, 0x3c, 0xe4,
                                     0x37, 0x7e, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x18, 0x40};
  bytes.append(reinterpret_cast<const char*>(payload), sizeof(payload));
  ASSERT_EQ(bytes.size(), 128u + 48u);

  const auto m = kaa::read_npy(file("n.npy", bytes));

  ASSERT_EQ(m.rows, 2u);
  ASSERT_EQ(m.cols, 3u);
  EXPECT_EQ(m.values, (std::vector<double>{1, -2.5, 0.1, 1e300, 5e-324, 6}));
}

TEST_F(MatrixIo, NpyOneDimensionalIsAColumn) {
  const auto p = npy("v.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                     bytes_of(std::vector<float>{1, 2, 3.5}));

  const auto m = kaa::read_npy(p);

  ASSERT_EQ(m.rows, 3u);
  ASSERT_EQ(m.cols, 1u);
  EXPECT_EQ(m.values, (std::vector<double>{1, 2, 3.5}));
}

TEST_F(MatrixIo, NpyVersion2HeaderWithOldAlignmentAndOtherSpellings) {
  // Format 2.0 (4-byte header length), 16-byte padding as in old numpy, keys in another order,
  // '|' byte order and Python 2 long dimensions.
  std::string header = "{'shape': (1L, 2L), 'fortran_order': False, 'descr': '|f8'}";
  header.append(15 - (12 + header.size()) % 16, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x02\x00", 8);
  for (int b = 0; b < 4; ++b) bytes += static_cast<char>(header.size() >> (8 * b) & 0xff);
  bytes += header + bytes_of(std::vector<double>{0.25, -8});

  const auto m = kaa::read_npy(file("v2.npy", bytes));

  ASSERT_EQ(m.rows, 1u);
  ASSERT_EQ(m.cols, 2u);
  EXPECT_EQ(m.values, (std::vector<double>{0.25, -8}));
}

TEST_F(MatrixIo, ReadMatrixDispatchesOnExtension) {
  kaa::HostMatrix m(1, 2);
  m.values = {1.5, 2};
  kaa::write_npy(dir_ / "m.npy", m, kaa::NpyType::float64);
  for (const char* name : {"m.csv", "m.txt", "m.tsv", "m.dat", "M.CSV"}) file(name, "1.5 2\n");

  for (const char* name : {"m.npy", "m.csv", "m.txt", "m.tsv", "m.dat", "M.CSV"}) {
    EXPECT_EQ(kaa::read_matrix(dir_ / name).values, m.values) << name;
  }
}

// ---- Reader errors: one each, naming the culprit ------------------------------------------

TEST_F(MatrixIo, ErrorCannotOpen) {
  const fs::path p = dir_ / "missing.csv";
  EXPECT_EQ(read_error(p), p.string() + ": cannot open: No such file or directory");
  EXPECT_EQ(message_of<kaa::InputError>([&] { kaa::read_npy(dir_ / "missing.npy"); }),
            (dir_ / "missing.npy").string() + ": cannot open: No such file or directory");
}

TEST_F(MatrixIo, ErrorPathIsShownAsGiven) {
  const fs::path relative = fs::relative(dir_ / "missing.csv", fs::current_path());
  EXPECT_EQ(read_error(relative), relative.string() + ": cannot open: No such file or directory");
}

TEST_F(MatrixIo, ErrorRaggedRow) {
  const auto p = file("r.csv", "a,b,c,d\n1,2,3,4\n5,6,7\n");
  EXPECT_EQ(read_error(p), p.string() + ":3: 3 columns, expected 4");
}

TEST_F(MatrixIo, ErrorNotANumber) {
  const auto p = file("t.csv", "h1,h2\n1,2\n3,abc\n");
  EXPECT_EQ(read_error(p), p.string() + ":3: column 2: not a number: \"abc\"");
}

TEST_F(MatrixIo, ErrorIncompleteNumber) {
  const auto p = file("t.txt", "1 2\n3 1.5e\n");
  EXPECT_EQ(read_error(p), p.string() + ":2: column 2: not a number: \"1.5e\"");
  const auto q = file("u.csv", "1,2\n,4\n");
  EXPECT_EQ(read_error(q), q.string() + ":2: column 1: not a number: \"\"");
}

TEST_F(MatrixIo, AFirstRowOfNumbersOneOfThemTooLargeIsAnErrorNotAHeader) {
  const auto p = file("o.csv", "1e400,2\n3,4\n");
  const std::string expected = p.string() + ":1: column 1: \"1e400\" is out of a double's range";

  EXPECT_EQ(read_error(p), expected);
  std::size_t total = 0;
  EXPECT_EQ(message_of<kaa::InputError>([&] {
              kaa::read_csv_rows(
                  p,
                  [](std::size_t n) {
                    return kaa::RowRange{0, n};
                  },
                  total);
            }),
            expected);
}

TEST_F(MatrixIo, ErrorCsvNanOrInf) {
  const auto p = file("n.csv", "1,2,3\n4,5,NaN\n");
  EXPECT_EQ(read_error(p), p.string() + ":2: column 3: NaN or Inf value");
  const auto q = file("i.csv", "x\n-inf\n");
  EXPECT_EQ(read_error(q), q.string() + ":2: column 1: NaN or Inf value");
}

TEST_F(MatrixIo, ErrorNpyNanOrInf) {
  const auto p =
      npy("n.npy", f8_dict("(2, 3)"), bytes_of(std::vector<double>{1, 2, 3, 4, 5, kNan}));
  EXPECT_EQ(read_error(p), p.string() + ": row 2, column 3: NaN or Inf value");
  const auto q = npy("i.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                     bytes_of(std::vector<float>{static_cast<float>(kInf), 0}));
  EXPECT_EQ(read_error(q), q.string() + ": row 1, column 1: NaN or Inf value");
}

TEST_F(MatrixIo, NpyLargerThanOneReadPieceIsReadWholeAndByBlock) {
  // 1.2 million float64 values: more than the reader's 8 MiB pieces (2^20 values).
  const std::size_t rows = 400000, cols = 3;
  std::vector<double> values(rows * cols);
  for (std::size_t e = 0; e < values.size(); ++e) values[e] = static_cast<double>(e) / 3.0;
  const auto p = npy("big.npy", f8_dict("(400000, 3)"), bytes_of(values));

  EXPECT_EQ(kaa::read_npy(p).values, values);
  std::size_t total = 0;
  const kaa::HostMatrix block = kaa::read_npy_rows(
      p,
      [](std::size_t) {
        return kaa::RowRange{100000, 390000};
      },
      total);
  EXPECT_EQ(total, rows);
  EXPECT_EQ(block.values,
            std::vector<double>(values.begin() + 100000 * cols, values.begin() + 390000 * cols));

  values[380000 * cols + 2] = kNan;  // in the second piece
  const auto q = npy("nan.npy", f8_dict("(400000, 3)"), bytes_of(values));
  EXPECT_EQ(read_error(q), q.string() + ": row 380001, column 3: NaN or Inf value");
}

TEST_F(MatrixIo, ErrorNoDataRows) {
  const auto empty = file("e.csv", "");
  EXPECT_EQ(read_error(empty), empty.string() + ": no data rows");
  const auto header_only = file("h.csv", "x,y\r\n\r\n");
  EXPECT_EQ(read_error(header_only), header_only.string() + ": no data rows");
}

TEST_F(MatrixIo, ErrorZeroColumns) {
  // Rows of nothing but delimiters, as spreadsheets export empty rows.
  const auto p = file("z.csv", ",,\n,,\n");
  EXPECT_EQ(read_error(p), p.string() + ": zero columns");
}

TEST_F(MatrixIo, ErrorEmptyNpy) {
  const auto p = npy("e.npy", f8_dict("(0, 4)"), "");
  EXPECT_EQ(read_error(p), p.string() + ": empty array (shape (0, 4))");
  const auto q = npy("v.npy", f8_dict("(0,)"), "");
  EXPECT_EQ(read_error(q), q.string() + ": empty array (shape (0,))");
}

TEST_F(MatrixIo, ErrorTruncatedNpy) {
  const auto p = npy("t.npy", f8_dict("(250, 4)"), std::string(4000, '\0'));
  EXPECT_EQ(read_error(p), p.string() + ": truncated: expected 8000 bytes of data, found 4000");
}

TEST_F(MatrixIo, ErrorBadMagic) {
  const auto p = file("m.npy", "x,y\n1,2\n");
  EXPECT_EQ(read_error(p), p.string() + ": not a .npy file (bad magic)");
}

TEST_F(MatrixIo, ErrorUnsupportedDtype) {
  const std::string eight(8, '\0');
  const auto p = npy("i.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }", eight);
  EXPECT_EQ(read_error(p), p.string() + ": unsupported dtype '<i8' (expected '<f4' or '<f8')");
  const auto q = npy("b.npy", "{'descr': '>f8', 'fortran_order': False, 'shape': (1, 1), }", eight);
  EXPECT_EQ(read_error(q), q.string() + ": unsupported dtype '>f8' (expected '<f4' or '<f8')");
  const auto s =
      npy("s.npy", "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", eight);
  EXPECT_NE(read_error(s).find("unsupported dtype '[('a', '<f8')]'"), std::string::npos);
}

TEST_F(MatrixIo, ErrorFortranOrder) {
  const auto p = npy("f.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }",
                     std::string(8, '\0'));
  EXPECT_EQ(
      read_error(p),
      p.string() + ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
}

TEST_F(MatrixIo, ErrorMalformedOrThreeDimensionalNpy) {
  const auto p = npy("m.npy", "{'descr': '<f8', 'shape': (1, 1), }", std::string(8, '\0'));
  EXPECT_NE(read_error(p).find(p.string() + ": malformed .npy header"), std::string::npos);
  const auto q = npy("c.npy", f8_dict("(1, 1, 1)"), std::string(8, '\0'));
  EXPECT_EQ(read_error(q), q.string() + ": expected a 1-D or 2-D array, got shape (1, 1, 1)");
}

TEST_F(MatrixIo, ErrorUnknownExtension) {
  const auto p = file("x.parquet", "");
  const std::string what = read_error(p);
  EXPECT_NE(what.find(p.string()), std::string::npos) << what;
  EXPECT_NE(what.find(".csv, .txt, .tsv, .dat, .npy, HDF5: .h5, .hdf5, .h5ad, or IDX"),
            std::string::npos)
      << what;
}

// ---- Writer failures ----------------------------------------------------------------------

TEST_F(MatrixIo, WriteIntoMissingDirectoryThrowsAndLeavesNothing) {
  kaa::HostMatrix m(1, 1);
  const fs::path target = dir_ / "no_such_folder" / "w.csv";

  EXPECT_EQ(message_of<kaa::Error>([&] { kaa::write_csv(target, m); }),
            target.string() + ": cannot write: No such file or directory");
  EXPECT_EQ(message_of<kaa::Error>([&] { kaa::write_npy(target, m, kaa::NpyType::float64); }),
            target.string() + ": cannot write: No such file or directory");
  EXPECT_TRUE(listing().empty());
}

TEST_F(MatrixIo, FailedRenameLeavesNoTempFile) {
  fs::create_directory(dir_ / "taken.csv");  // a directory where the file should go

  EXPECT_NE(message_of<kaa::Error>([&] {
              kaa::write_csv(dir_ / "taken.csv", kaa::HostMatrix(1, 1));
            }).find((dir_ / "taken.csv").string() + ": cannot write: "),
            std::string::npos);
  EXPECT_EQ(listing(), std::vector<std::string>{"taken.csv"});
}

TEST_F(MatrixIo, WriterExceptionKeepsTheOldFileAndLeavesNoTempFile) {
  const auto p = file("keep.json", "old");

  EXPECT_THROW(kaa::write_file_atomically(p,
                                          [](std::ostream& os) {
                                            os << "half written";
                                            throw std::runtime_error("interrupted");
                                          }),
               std::runtime_error);
  std::ifstream in(p);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), {}), "old");
  EXPECT_EQ(listing(), std::vector<std::string>{"keep.json"});
}

TEST_F(MatrixIo, AtomicWriteReplacesAnExistingFile) {
  const auto p = file("out.json", "old contents, longer than the new");

  kaa::write_file_atomically(p, [](std::ostream& os) { os << "{}\n"; });

  std::ifstream in(p);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), {}), "{}\n");
  EXPECT_EQ(listing(), std::vector<std::string>{"out.json"});
}

TEST_F(MatrixIo, Float32OverflowIsRefusedRatherThanWrittenAsInf) {
  kaa::HostMatrix m(1, 2);
  m.values = {1, 1e300};
  const fs::path p = dir_ / "f.npy";

  EXPECT_EQ(message_of<kaa::Error>([&] { kaa::write_npy(p, m, kaa::NpyType::float32); }),
            p.string() + ": row 1, column 2: value 1e+300 is out of float32 range");
  EXPECT_TRUE(listing().empty());
}

}  // namespace
