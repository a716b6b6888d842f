#include "framework/io/hdf5.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <utility>

#include "framework/error.hpp"
#include "framework/io/matrix_file_common.hpp"

namespace kaa {

namespace {

constexpr hid_t kInvalid = -1;

/// One HDF5 identifier, closed by its own close function when it goes out of scope.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, kInvalid)), close_(other.close_) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle& operator=(Handle&&) = delete;
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

/// libhdf5 prints its whole error stack to stderr by default; kaa reports one line instead. The
/// previous handler (an embedding program's) is restored afterwards.
class QuietErrors {
 public:
  QuietErrors() {
    H5Eget_auto2(H5E_DEFAULT, &handler_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;
  ~QuietErrors() {
    H5Eclear2(H5E_DEFAULT);
    H5Eset_auto2(H5E_DEFAULT, handler_, data_);
  }

 private:
  H5E_auto2_t handler_ = nullptr;
  void* data_ = nullptr;
};

/// The most specific description on libhdf5's error stack (then cleared), e.g. "file is locked".
std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
        if (n == 0 && e->desc) *static_cast<std::string*>(out) = e->desc;
        return 0;
      },
      &reason);
  H5Eclear2(H5E_DEFAULT);
  return reason.empty() ? "libhdf5 error" : reason;
}

/// The file and the dataset path inside it, as every error names them.
struct Source {
  std::string file, dataset;
  std::string where() const { return file + ", dataset " + dataset; }
};

std::string absolute_dataset(const std::string& dataset) {
  if (dataset.empty()) return kHdf5DefaultDataset;
  return dataset.front() == '/' ? dataset : "/" + dataset;
}

Handle open_file(const std::filesystem::path& path) {
  io_detail::open_for_reading(path);  // missing, unreadable, a directory: as CSV and .npy say it
  const std::string name = path.string();
  if (!has_hdf5_signature(path)) throw InputError(name + ": not an HDF5 file (no HDF5 signature)");
  Handle file(H5Fopen(name.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) throw InputError(name + ": cannot open as HDF5: " + hdf5_reason());
  return file;
}

/// "/X, /obs, /var" (at most 20), for the error about a missing dataset.
std::string top_level_names(hid_t file) {
  H5G_info_t info;
  if (H5Gget_info(file, &info) < 0 || info.nlinks == 0) return "the file holds nothing";
  std::string out = "top level: ";
  const hsize_t shown = std::min<hsize_t>(info.nlinks, 20);
  for (hsize_t i = 0; i < shown; ++i) {
    const ssize_t len =
        H5Lget_name_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) break;
    std::string name(static_cast<std::size_t>(len) + 1, '\0');
    H5Lget_name_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                       H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(len));
    out += (i ? ", /" : "/") + name;
  }
  return out + (info.nlinks > shown ? ", ..." : "");
}

std::vector<hsize_t> dims_of(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

std::string shape_text(const std::vector<hsize_t>& dims) {
  std::string s = "(";
  for (std::size_t d = 0; d < dims.size(); ++d) s += (d ? ", " : "") + std::to_string(dims[d]);
  return s + (dims.size() == 1 ? ",)" : ")");
}

std::string class_name(H5T_class_t c) {
  switch (c) {
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return "enum";
    case H5T_BITFIELD:
      return "bitfield";
    case H5T_OPAQUE:
      return "opaque";
    case H5T_REFERENCE:
      return "reference";
    case H5T_VLEN:
      return "variable-length";
    case H5T_ARRAY:
      return "array";
    case H5T_TIME:
      return "time";
    default:
      return "unknown";
  }
}

void require_numeric(hid_t dataset, const std::string& where) {
  Handle type(H5Dget_type(dataset), H5Tclose);
  const H5T_class_t c = H5Tget_class(type.get());
  if (c != H5T_FLOAT && c != H5T_INTEGER) {
    throw InputError(where + ": unsupported element type " + class_name(c) +
                     " (expected a float or integer type)");
  }
}

/// A scalar string attribute (variable or fixed length), or nothing when absent or not a string.
std::optional<std::string> string_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return std::nullopt;
  Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  if (!type.valid() || H5Tget_class(type.get()) != H5T_STRING ||
      H5Sget_simple_extent_npoints(space.get()) != 1)
    return std::nullopt;
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory.get(), H5T_VARIABLE);
    H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
    char* text = nullptr;
    if (H5Aread(attr.get(), memory.get(), &text) < 0 || !text) return std::nullopt;
    std::string out(text);
    H5free_memory(text);
    return out;
  }
  std::string out(H5Tget_size(type.get()), '\0');
  if (H5Aread(attr.get(), type.get(), out.data()) < 0) return std::nullopt;
  out.resize(strnlen(out.data(), out.size()));
  return out;
}

/// An integer attribute's values, or nothing when absent or not integers.
std::optional<std::vector<long long>> integer_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return std::nullopt;
  Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  if (!type.valid() || H5Tget_class(type.get()) != H5T_INTEGER) return std::nullopt;
  std::vector<long long> values(
      static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (H5Aread(attr.get(), H5T_NATIVE_LLONG, values.data()) < 0) return std::nullopt;
  return values;
}

/// A 1-D dataset of strings (variable or fixed length); empty for anything else.
std::vector<std::string> read_strings(hid_t dataset) {
  Handle type(H5Dget_type(dataset), H5Tclose);
  Handle space(H5Dget_space(dataset), H5Sclose);
  if (H5Tget_class(type.get()) != H5T_STRING || dims_of(space.get()).size() != 1) return {};
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  std::vector<std::string> out;
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory.get(), H5T_VARIABLE);
    H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
    std::vector<char*> texts(n, nullptr);
    if (H5Dread(dataset, memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()) < 0) return {};
    for (const char* t : texts) out.emplace_back(t ? t : "");
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memory.get(), space.get(), H5P_DEFAULT, texts.data());
#else
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, texts.data());
#endif
    return out;
  }
  const std::size_t size = H5Tget_size(type.get());
  std::string raw(n * size, '\0');
  if (H5Dread(dataset, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0) return {};
  for (std::size_t i = 0; i < n; ++i)
    out.emplace_back(raw.data() + i * size, strnlen(raw.data() + i * size, size));
  return out;
}

void check_finite(const HostMatrix& m, std::size_t first_row, const std::string& where) {
  for (std::size_t e = 0; e < m.values.size(); ++e)
    if (!std::isfinite(m.values[e]))
      throw InputError(io_detail::cell_error(where, first_row + e / m.cols, e % m.cols) +
                       "NaN or Inf value");
}

HostMatrix sized(const RowRange& block, std::size_t cols, const std::string& where) {
  HostMatrix m;
  m.rows = block.second - block.first;
  m.cols = cols;
  if (m.rows >
      std::numeric_limits<std::size_t>::max() / sizeof(double) / std::max<std::size_t>(cols, 1))
    throw InputError(where + ": " + std::to_string(m.rows) + " x " + std::to_string(cols) +
                     " values are too many");
  m.values.assign(m.rows * m.cols, 0.0);
  return m;
}

/// Values [first, first + count) of a 1-D dataset in the memory type `type`.
template <class T>
std::vector<T> read_range(hid_t dataset, hid_t type, hsize_t first, hsize_t count,
                          const std::string& where) {
  std::vector<T> out(static_cast<std::size_t>(count));
  if (count == 0) return out;
  Handle space(H5Dget_space(dataset), H5Sclose);
  Handle memory(H5Screate_simple(1, &count, nullptr), H5Sclose);
  if (H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr) < 0 ||
      H5Dread(dataset, type, memory.get(), space.get(), H5P_DEFAULT, out.data()) < 0)
    throw InputError(where + ": read error: " + hdf5_reason());
  return out;
}

HostMatrix read_dense(hid_t dataset, const Source& src, const RowSelector& select,
                      std::size_t& total_rows) {
  const std::string where = src.where();
  require_numeric(dataset, where);
  Handle space(H5Dget_space(dataset), H5Sclose);
  const std::vector<hsize_t> dims = dims_of(space.get());
  if (dims.size() != 2)
    throw InputError(where + ": expected a 2-D dataset, got shape " + shape_text(dims));
  if (dims[0] == 0 || dims[1] == 0)
    throw InputError(where + ": empty dataset (shape " + shape_text(dims) + ")");
  total_rows = dims[0];
  const RowRange block = select(total_rows);
  io_detail::check_block(block, total_rows, where);
  HostMatrix m = sized(block, dims[1], where);
  if (m.rows == 0) return m;
  // Only the block's rows leave the file: a hyperslab, converted to double by libhdf5.
  const hsize_t start[2] = {block.first, 0}, count[2] = {m.rows, m.cols};
  Handle memory(H5Screate_simple(2, count, nullptr), H5Sclose);
  if (H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr) < 0 ||
      H5Dread(dataset, H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT, m.values.data()) <
          0)
    throw InputError(where + ": read error: " + hdf5_reason());
  check_finite(m, block.first, where);
  return m;
}

Handle open_member(hid_t group, const char* name, const std::string& where) {
  if (H5Lexists(group, name, H5P_DEFAULT) <= 0)
    throw InputError(where + ": sparse matrix without its \"" + name + "\" array");
  Handle d(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose);
  if (!d.valid()) throw InputError(where + "/" + name + ": not a dataset: " + hdf5_reason());
  return d;
}

std::size_t length_of(hid_t dataset, const std::string& where, const char* name) {
  Handle space(H5Dget_space(dataset), H5Sclose);
  const std::vector<hsize_t> dims = dims_of(space.get());
  if (dims.size() != 1)
    throw InputError(where + "/" + name + ": expected a 1-D array, got shape " + shape_text(dims));
  return dims[0];
}

/// AnnData's CSR X (scipy's layout: data, indices, indptr; the shape as an attribute), densified
/// for the rows of the block only; duplicate column entries add up as in scipy.
HostMatrix read_csr(hid_t group, const Source& src, const RowSelector& select,
                    std::size_t& total_rows) {
  const std::string where = src.where();
  auto shape = integer_attribute(group, "shape");
  if (!shape) shape = integer_attribute(group, "h5sparse_shape");
  if (!shape || shape->size() != 2 || (*shape)[0] < 0 || (*shape)[1] < 0)
    throw InputError(where + ": sparse matrix without a 2-element integer \"shape\" attribute");
  const auto rows = static_cast<std::size_t>((*shape)[0]);
  const auto cols = static_cast<std::size_t>((*shape)[1]);
  if (rows == 0 || cols == 0)
    throw InputError(where + ": empty sparse matrix (shape (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + "))");
  const Handle data = open_member(group, "data", where);
  const Handle indices = open_member(group, "indices", where);
  const Handle indptr = open_member(group, "indptr", where);
  require_numeric(data.get(), where + "/data");
  require_numeric(indices.get(), where + "/indices");
  require_numeric(indptr.get(), where + "/indptr");
  const std::size_t nnz = length_of(data.get(), where, "data");
  if (length_of(indices.get(), where, "indices") != nnz)
    throw InputError(where + ": sparse \"indices\" and \"data\" differ in length");
  if (length_of(indptr.get(), where, "indptr") != rows + 1)
    throw InputError(where + "/indptr: expected " + std::to_string(rows + 1) +
                     " entries (rows + 1) for shape (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + ")");
  total_rows = rows;
  const RowRange block = select(rows);
  io_detail::check_block(block, rows, where);
  HostMatrix m = sized(block, cols, where);
  if (m.rows == 0) return m;
  const auto ptr = read_range<long long>(indptr.get(), H5T_NATIVE_LLONG, block.first, m.rows + 1,
                                         where + "/indptr");
  for (std::size_t i = 0; i <= m.rows; ++i)
    if (ptr[i] < 0 || static_cast<std::size_t>(ptr[i]) > nnz || (i > 0 && ptr[i] < ptr[i - 1]))
      throw InputError(where + "/indptr: entry " + std::to_string(block.first + i) + " (" +
                       std::to_string(ptr[i]) + ") is not a nondecreasing offset within 0.." +
                       std::to_string(nnz));
  const auto lo = static_cast<hsize_t>(ptr.front()), count = static_cast<hsize_t>(ptr.back()) - lo;
  const auto values = read_range<double>(data.get(), H5T_NATIVE_DOUBLE, lo, count, where + "/data");
  const auto columns =
      read_range<long long>(indices.get(), H5T_NATIVE_LLONG, lo, count, where + "/indices");
  for (std::size_t i = 0; i < m.rows; ++i)
    for (auto p = static_cast<std::size_t>(ptr[i] - ptr.front());
         p < static_cast<std::size_t>(ptr[i + 1] - ptr.front()); ++p) {
      if (columns[p] < 0 || static_cast<std::size_t>(columns[p]) >= cols)
        throw InputError(where + "/indices: entry " + std::to_string(lo + p) + " (" +
                         std::to_string(columns[p]) + ") is not a column of 0.." +
                         std::to_string(cols - 1));
      m(i, static_cast<std::size_t>(columns[p])) += values[p];
    }
  check_finite(m, block.first, where);
  return m;
}

HostMatrix read_block(const std::filesystem::path& path, const std::string& dataset,
                      const RowSelector& select, std::size_t& total_rows) {
  const QuietErrors quiet;
  const Handle file = open_file(path);
  const Source src{path.string(), absolute_dataset(dataset)};
  // H5Oopen fails alike for a missing name and a missing group on its way.
  const Handle object(H5Oopen(file.get(), src.dataset.c_str(), H5P_DEFAULT), H5Oclose);
  if (!object.valid()) {
    H5Eclear2(H5E_DEFAULT);
    throw InputError(src.file + ": no dataset \"" + src.dataset + "\" (" +
                     top_level_names(file.get()) + ")");
  }
  const H5I_type_t kind = H5Iget_type(object.get());
  if (kind == H5I_DATASET) return read_dense(object.get(), src, select, total_rows);
  if (kind != H5I_GROUP) throw InputError(src.where() + ": not a dataset");
  const auto encoding = string_attribute(object.get(), "encoding-type");  // AnnData >= 0.7
  const auto legacy = string_attribute(object.get(), "h5sparse_format");  // AnnData < 0.7
  if (encoding == "csr_matrix" || legacy == "csr")
    return read_csr(object.get(), src, select, total_rows);
  if (encoding == "csc_matrix" || legacy == "csc")
    throw InputError(src.where() +
                     ": a CSC sparse matrix; kaa reads dense or CSR matrices (in Python: "
                     "adata.X = adata.X.tocsr(); adata.write_h5ad(path))");
  throw InputError(src.where() + ": a group, not a dataset" +
                   (encoding ? " (encoding-type " + *encoding + ")" : ""));
}

}  // namespace

bool is_hdf5_name(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".h5" || ext == ".hdf5" || ext == ".h5ad";
}

bool has_hdf5_signature(const std::filesystem::path& path) {
  static constexpr char signature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  std::ifstream in(path, std::ios::binary);
  // The superblock sits at 0 or, after a user block, at 512, 1024, 2048, ...
  for (std::streamoff at = 0; in; at = at == 0 ? 512 : 2 * at) {
    char head[8];
    in.seekg(at);
    if (!in.read(head, sizeof head)) return false;
    if (std::memcmp(head, signature, sizeof head) == 0) return true;
  }
  return false;
}

HostMatrix read_hdf5(const std::filesystem::path& path, const std::string& dataset) {
  std::size_t total = 0;
  return read_block(
      path, dataset,
      [](std::size_t n) {
        return RowRange{0, n};
      },
      total);
}

HostMatrix read_hdf5_rows(const std::filesystem::path& path, const std::string& dataset,
                          const RowSelector& select, std::size_t& total_rows) {
  return read_block(path, dataset, select, total_rows);
}

std::vector<std::string> read_anndata_var_names(const std::filesystem::path& path,
                                                const std::string& dataset) {
  const std::string d = absolute_dataset(dataset);
  const char* var = d == "/X" || d.starts_with("/layers/") ? "/var"
                    : d == "/raw/X"                        ? "/raw/var"
                                                           : nullptr;
  if (!var) return {};
  const QuietErrors quiet;
  const Handle file = open_file(path);
  const Handle group(H5Oopen(file.get(), var, H5P_DEFAULT), H5Oclose);
  if (!group.valid() || H5Iget_type(group.get()) != H5I_GROUP) return {};
  // AnnData names the index column in the group's "_index" attribute; "_index" by default.
  const std::string column = string_attribute(group.get(), "_index").value_or("_index");
  if (H5Lexists(group.get(), column.c_str(), H5P_DEFAULT) <= 0) return {};
  const Handle index(H5Dopen2(group.get(), column.c_str(), H5P_DEFAULT), H5Dclose);
  return index.valid() ? read_strings(index.get()) : std::vector<std::string>{};
}

}  // namespace kaa
