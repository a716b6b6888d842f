// The HDF5 reader: numeric types, row blocks by hyperslab, AnnData's sparse X and var names, and
// one clear error per bad file. The files are written here with libhdf5's C API.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "framework/error.hpp"
#include "framework/io/hdf5.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/parallel/row_block.hpp"
#include "tests/support/hdf5_writer.hpp"
#include "tests/support/temp_path.hpp"

namespace hdf5_test {

namespace fs = std::filesystem;
using kaa::test::Hdf5Writer;

class Hdf5Read : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = kaa::test::unique_temp_path("kaa_hdf5");
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path path(const std::string& name) const { return dir_ / name; }
  fs::path dir_;
};

/// rows x cols distinct values: i * cols + j + (i * 7 + j) / 64 in cell (i, j).
std::vector<double> grid(std::size_t rows, std::size_t cols) {
  std::vector<double> v;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j)
      v.push_back(static_cast<double>(i * cols + j) + static_cast<double>(i * 7 + j) / 64.0);
  return v;
}

/// what() of the InputError `f` throws (failing unless it throws one, on one line), with no
/// output from libhdf5 on stderr.
std::string input_error(const std::function<void()>& f) {
  ::testing::internal::CaptureStderr();
  std::string what;
  try {
    f();
    ADD_FAILURE() << "nothing thrown";
  } catch (const kaa::InputError& e) {
    what = e.what();
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  return what;
}

std::string read_error(const fs::path& p, const std::string& dataset = "/X") {
  return input_error([&] { kaa::read_hdf5(p, dataset); });
}

TEST_F(Hdf5Read, Float64RoundTripIsBitExact) {
  std::vector<double> v = grid(4, 3);
  v[1] = std::numeric_limits<double>::denorm_min();
  v[2] = -std::numeric_limits<double>::max();
  v[5] = 0.1;
  Hdf5Writer(path("x.h5")).dataset("X", {4, 3}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v);

  const kaa::HostMatrix m = kaa::read_hdf5(path("x.h5"), "/X");

  EXPECT_EQ(m.rows, 4u);
  EXPECT_EQ(m.cols, 3u);
  EXPECT_EQ(m.values, v);
}

TEST_F(Hdf5Read, Float32BigEndianAndIntegerTypesConvertExactly) {
  const std::vector<float> f = {0.1f, -2.5f, 3e38f, 1e-40f, 7.0f, -0.0f};
  const std::vector<std::int64_t> i64 = {-(std::int64_t{1} << 53), 0, 1, -1, 42, 1 << 30};
  const std::vector<std::uint8_t> u8 = {0, 1, 2, 127, 128, 255};
  const std::vector<std::int16_t> i16 = {-32768, -1, 0, 1, 2, 32767};
  {
    Hdf5Writer w(path("t.h5"));
    w.dataset("f32", {2, 3}, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, f);
    w.dataset("f32be", {2, 3}, H5T_IEEE_F32BE, H5T_NATIVE_FLOAT, f);
    w.dataset("i64", {3, 2}, H5T_STD_I64LE, H5T_NATIVE_INT64, i64);
    w.dataset("u8", {6, 1}, H5T_STD_U8LE, H5T_NATIVE_UINT8, u8);
    w.dataset("i16be", {1, 6}, H5T_STD_I16BE, H5T_NATIVE_INT16, i16);
  }
  auto as_double = [](const auto& values) {
    return std::vector<double>(values.begin(), values.end());
  };

  EXPECT_EQ(kaa::read_hdf5(path("t.h5"), "f32").values, as_double(f));
  EXPECT_EQ(kaa::read_hdf5(path("t.h5"), "/f32be").values, as_double(f));
  EXPECT_EQ(kaa::read_hdf5(path("t.h5"), "/i64").values, as_double(i64));
  const kaa::HostMatrix u = kaa::read_hdf5(path("t.h5"), "/u8");
  EXPECT_EQ(u.rows, 6u);
  EXPECT_EQ(u.values, as_double(u8));
  EXPECT_EQ(kaa::read_hdf5(path("t.h5"), "/i16be").values, as_double(i16));
}

/// For every rank of each split, read_hdf5_rows gives exactly that rank's rows of `expected`
/// (rows x cols, as written) and the dataset's row count.
void expect_every_block(const fs::path& file, const std::string& dataset,
                        const std::vector<double>& expected, std::size_t rows,
                        std::initializer_list<int> splits) {
  const std::size_t cols = expected.size() / rows;
  for (int ranks : splits)
    for (int r = 0; r < ranks; ++r) {
      SCOPED_TRACE(dataset + ": rank " + std::to_string(r) + " of " + std::to_string(ranks));
      const kaa::parallel::RowBlock b = kaa::parallel::block_of(rows, r, ranks);
      std::size_t total = 0;
      const kaa::HostMatrix part = kaa::read_hdf5_rows(
          file, dataset,
          [&](std::size_t) {
            return kaa::RowRange{b.begin, b.end};
          },
          total);
      EXPECT_EQ(total, rows);
      EXPECT_EQ(part.rows, b.size());
      EXPECT_EQ(part.values, std::vector<double>(expected.begin() + b.begin * cols,
                                                 expected.begin() + b.end * cols));
    }
}

TEST_F(Hdf5Read, HyperslabBlocksEqualTheRowsWrittenForEveryRank) {
  const std::vector<double> v = grid(23, 3);
  Hdf5Writer(path("x.h5")).dataset("/data/X", {23, 3}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v);
  expect_every_block(path("x.h5"), "/data/X", v, 23, {1, 2, 3, 4, 5, 30});
}

TEST_F(Hdf5Read, ABlockOutsideTheDatasetIsAnError) {
  Hdf5Writer(path("x.h5")).dataset("X", {2, 2}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, grid(2, 2));
  std::size_t total = 0;
  const std::string what = input_error([&] {
    kaa::read_hdf5_rows(
        path("x.h5"), "/X",
        [](std::size_t) {
          return kaa::RowRange{1, 3};
        },
        total);
  });
  EXPECT_EQ(what, path("x.h5").string() + ", dataset /X: rows [1, 3) requested of 2");
}

/// `dense` (rows x cols) as scipy's CSR arrays, with every zero left out.
struct Csr {
  std::vector<float> data;
  std::vector<std::int32_t> indices;
  std::vector<std::int64_t> indptr{0};
};
Csr to_csr(const std::vector<double>& dense, std::size_t rows, std::size_t cols) {
  Csr c;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j)
      if (dense[i * cols + j] != 0.0) {
        c.data.push_back(static_cast<float>(dense[i * cols + j]));
        c.indices.push_back(static_cast<std::int32_t>(j));
      }
    c.indptr.push_back(static_cast<std::int64_t>(c.data.size()));
  }
  return c;
}

void write_csr(Hdf5Writer& w, const std::string& group, const Csr& c, long long rows,
               long long cols, const std::string& encoding = "csr_matrix") {
  w.dataset(group + "/data", {c.data.size()}, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, c.data);
  w.dataset(group + "/indices", {c.indices.size()}, H5T_STD_I32LE, H5T_NATIVE_INT32, c.indices);
  w.dataset(group + "/indptr", {c.indptr.size()}, H5T_STD_I64LE, H5T_NATIVE_INT64, c.indptr);
  w.attribute(group, "encoding-type", encoding);
  w.attribute(group, "encoding-version", "0.1.0");
  w.attribute(group, "shape", std::vector<long long>{rows, cols});
}

TEST_F(Hdf5Read, SparseCsrXIsDensifiedWholeAndByRowBlock) {
  const std::size_t n = 11, d = 5;
  std::vector<double> dense(n * d, 0.0);
  for (std::size_t e = 0; e < dense.size(); e += 3) dense[e] = static_cast<double>(e) - 10.5;
  for (std::size_t j = 0; j < d; ++j) dense[4 * d + j] = 0.0;  // an empty row
  {
    Hdf5Writer w(path("s.h5ad"));
    write_csr(w, "/X", to_csr(dense, n, d), n, d);
  }

  const kaa::HostMatrix whole = kaa::read_hdf5(path("s.h5ad"), "/X");
  EXPECT_EQ(whole.rows, n);
  EXPECT_EQ(whole.cols, d);
  EXPECT_EQ(whole.values, dense);
  expect_every_block(path("s.h5ad"), "X", dense, n, {2, 3, 4});
}

TEST_F(Hdf5Read, SparseDuplicateEntriesAddUpAsInScipy) {
  Csr c;
  c.data = {1.0f, 2.5f, 4.0f};
  c.indices = {1, 1, 0};
  c.indptr = {0, 2, 3};
  {
    Hdf5Writer w(path("s.h5ad"));
    write_csr(w, "/X", c, 2, 2);
  }
  EXPECT_EQ(kaa::read_hdf5(path("s.h5ad"), "/X").values, (std::vector<double>{0, 3.5, 4, 0}));
}

TEST_F(Hdf5Read, SparseErrorsNameTheArray) {
  const std::string x = path("s.h5ad").string() + ", dataset /X";
  Csr c;
  c.data = {1.0f, 2.0f};
  c.indices = {0, 3};
  c.indptr = {0, 1, 2};
  {
    Hdf5Writer w(path("s.h5ad"));
    write_csr(w, "/X", c, 2, 3);
  }
  EXPECT_EQ(read_error(path("s.h5ad")), x + "/indices: entry 1 (3) is not a column of 0..2");
  {
    Hdf5Writer w(path("s.h5ad"));
    write_csr(w, "/X", c, 3, 4);
  }
  EXPECT_EQ(read_error(path("s.h5ad")),
            x + "/indptr: expected 4 entries (rows + 1) for shape (3, 4)");
  c.indptr = {0, 2, 1};
  {
    Hdf5Writer w(path("s.h5ad"));
    write_csr(w, "/X", c, 2, 4);
  }
  EXPECT_EQ(read_error(path("s.h5ad")),
            x + "/indptr: entry 2 (1) is not a nondecreasing offset within 0..2");
  c.indptr = {0, 1, 2};
  c.data = {1.0f, std::numeric_limits<float>::quiet_NaN()};
  {
    Hdf5Writer w(path("s.h5ad"));
    write_csr(w, "/X", c, 2, 4);
  }
  EXPECT_EQ(read_error(path("s.h5ad")), x + ": row 2, column 4: NaN or Inf value");
  {
    Hdf5Writer w(path("s.h5ad"));
    write_csr(w, "/X", c, 2, 4, "csc_matrix");
  }
  EXPECT_EQ(read_error(path("s.h5ad")),
            x + ": a CSC sparse matrix; kaa reads dense or CSR matrices (in Python: "
                "adata.X = adata.X.tocsr(); adata.write_h5ad(path))");
  {
    Hdf5Writer w(path("s.h5ad"));
    w.dataset("/X/data", {2}, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, c.data);
    w.attribute("/X", "encoding-type", "csr_matrix");
    w.attribute("/X", "shape", std::vector<long long>{2, 4});
  }
  EXPECT_EQ(read_error(path("s.h5ad")), x + ": sparse matrix without its \"indices\" array");
}

TEST_F(Hdf5Read, AnnDataVarIndexNamesTheColumnsOfXAndItsLayers) {
  {
    Hdf5Writer w(path("a.h5ad"));
    w.dataset("X", {2, 3}, H5T_IEEE_F32LE, H5T_NATIVE_DOUBLE, grid(2, 3));
    w.strings("/var/gene_ids", {"CD3E", "MS4A1", "ÄGene"});
    w.strings("/var/_index", {"not", "the", "index"});
    w.attribute("/var", "_index", "gene_ids");
    w.fixed_strings("/raw/var/_index", {"r1", "r22", "r333", "r4"}, 8);
    w.dataset("/obsm/X_pca", {2, 2}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, grid(2, 2));
  }
  const std::vector<std::string> genes = {"CD3E", "MS4A1", "ÄGene"};
  EXPECT_EQ(kaa::read_anndata_var_names(path("a.h5ad"), "/X"), genes);
  EXPECT_EQ(kaa::read_anndata_var_names(path("a.h5ad"), "X"), genes);
  EXPECT_EQ(kaa::read_anndata_var_names(path("a.h5ad"), "/layers/counts"), genes);
  EXPECT_EQ(kaa::read_anndata_var_names(path("a.h5ad"), "/raw/X"),
            (std::vector<std::string>{"r1", "r22", "r333", "r4"}));
  EXPECT_TRUE(kaa::read_anndata_var_names(path("a.h5ad"), "/obsm/X_pca").empty());
}

TEST_F(Hdf5Read, WithoutAVarAttributeTheIndexColumnIsCalledIndexAndNoVarMeansNoNames) {
  {
    Hdf5Writer w(path("a.h5ad"));
    w.dataset("X", {1, 2}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, grid(1, 2));
    w.strings("/var/_index", {"a", "b"});
  }
  Hdf5Writer(path("plain.h5")).dataset("X", {1, 2}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, grid(1, 2));
  EXPECT_EQ(kaa::read_anndata_var_names(path("a.h5ad"), ""), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(kaa::read_anndata_var_names(path("plain.h5"), "/X").empty());
}

TEST_F(Hdf5Read, FoundByExtensionOrSignatureAfterAUserBlock) {
  const std::vector<double> v = grid(3, 2);
  Hdf5Writer(path("x.h5"), 0).dataset("X", {3, 2}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v);
  Hdf5Writer(path("x.bin"), 1024).dataset("X", {3, 2}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v);
  std::ofstream(path("text.bin")) << "1,2\n";

  EXPECT_TRUE(kaa::is_hdf5_name("a/B.H5AD"));
  EXPECT_TRUE(kaa::is_hdf5_name("b.hdf5"));
  EXPECT_FALSE(kaa::is_hdf5_name("b.h5.csv"));
  EXPECT_TRUE(kaa::has_hdf5_signature(path("x.bin")));
  EXPECT_FALSE(kaa::has_hdf5_signature(path("text.bin")));
  EXPECT_FALSE(kaa::has_hdf5_signature(path("missing.h5")));
  EXPECT_EQ(kaa::read_matrix(path("x.h5")).values, v);
  EXPECT_EQ(kaa::read_matrix(path("x.bin")).values, v);
}

TEST_F(Hdf5Read, NotAnHdf5FileOrNoFile) {
  std::ofstream(path("x.h5")) << "1,2\n3,4\n";
  EXPECT_EQ(read_error(path("x.h5")),
            path("x.h5").string() + ": not an HDF5 file (no HDF5 signature)");
  EXPECT_EQ(read_error(path("none.h5")),
            path("none.h5").string() + ": cannot open: No such file or directory");
  // The signature, then garbage: libhdf5's own reason, on one line.
  std::ofstream(path("junk.h5"), std::ios::binary) << std::string("\x89HDF\r\n\x1a\n", 8) << "junk";
  EXPECT_EQ(
      read_error(path("junk.h5")).rfind(path("junk.h5").string() + ": cannot open as HDF5: ", 0),
      0u);
  // A file cut short (an interrupted copy): libhdf5 knows the length it should have.
  Hdf5Writer(path("cut.h5"))
      .dataset("X", {500, 4}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, grid(500, 4));
  fs::resize_file(path("cut.h5"), fs::file_size(path("cut.h5")) / 2);
  const std::string cut = read_error(path("cut.h5"));
  EXPECT_EQ(cut.rfind(path("cut.h5").string() + ": cannot open as HDF5: truncated file", 0), 0u)
      << cut;
}

TEST_F(Hdf5Read, MissingDatasetListsTheTopLevel) {
  {
    Hdf5Writer w(path("x.h5"));
    w.dataset("counts", {1, 1}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, grid(1, 1));
    w.group("obs");
  }
  Hdf5Writer{path("empty.h5")};
  const std::string x = path("x.h5").string();

  EXPECT_EQ(read_error(path("x.h5")), x + ": no dataset \"/X\" (top level: /counts, /obs)");
  EXPECT_EQ(read_error(path("x.h5"), "/a/b"),
            x + ": no dataset \"/a/b\" (top level: /counts, /obs)");
  EXPECT_EQ(read_error(path("empty.h5"), ""),
            path("empty.h5").string() + ": no dataset \"/X\" (the file holds nothing)");
  EXPECT_EQ(read_error(path("x.h5"), "obs"), x + ", dataset /obs: a group, not a dataset");
}

TEST_F(Hdf5Read, ShapeTypeAndValueErrorsNameFileAndDataset) {
  const std::vector<double> v = grid(2, 3);
  std::vector<double> bad = v;
  bad[5] = std::numeric_limits<double>::infinity();
  {
    Hdf5Writer w(path("x.h5"));
    w.dataset("vector", {6}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v);
    w.dataset("cube", {1, 2, 3}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v);
    w.dataset("empty", {0, 3}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, std::vector<double>{});
    w.strings("names", {"a", "b"});
    w.dataset("inf", {2, 3}, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, bad);
  }
  const std::string x = path("x.h5").string() + ", dataset ";

  EXPECT_EQ(read_error(path("x.h5"), "vector"),
            x + "/vector: expected a 2-D dataset, got shape (6,)");
  EXPECT_EQ(read_error(path("x.h5"), "/cube"),
            x + "/cube: expected a 2-D dataset, got shape (1, 2, 3)");
  EXPECT_EQ(read_error(path("x.h5"), "/empty"), x + "/empty: empty dataset (shape (0, 3))");
  EXPECT_EQ(read_error(path("x.h5"), "/names"),
            x + "/names: unsupported element type string (expected a float or integer type)");
  EXPECT_EQ(read_error(path("x.h5"), "/inf"), x + "/inf: row 2, column 3: NaN or Inf value");
  // In a block the row number is still the file's.
  std::size_t total = 0;
  EXPECT_EQ(input_error([&] {
              kaa::read_hdf5_rows(
                  path("x.h5"), "/inf",
                  [](std::size_t) {
                    return kaa::RowRange{1, 2};
                  },
                  total);
            }),
            x + "/inf: row 2, column 3: NaN or Inf value");
}

}  // namespace hdf5_test
