#pragma once
// Writes the HDF5 files the reader tests read, with libhdf5's C API (no h5py): datasets of any
// native type, string arrays and attributes, laid out as AnnData lays out .h5ad files.
#include <hdf5.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace kaa::test {

class Hdf5Writer {
 public:
  /// A new file (replacing one of the same name); `userblock` bytes of user block before the
  /// superblock (0, or a power of two >= 512).
  explicit Hdf5Writer(const std::filesystem::path& path, hsize_t userblock = 0) {
    const hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (userblock) H5Pset_userblock(fcpl, userblock);
    file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (file_ < 0) throw std::runtime_error("Hdf5Writer: cannot create " + path.string());
    links_ = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(links_, 1);
  }
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;
  ~Hdf5Writer() {
    H5Pclose(links_);
    H5Fclose(file_);
  }

  /// A dataset of shape `dims` stored as `file_type`, from `values` in their native type
  /// `memory_type`; missing groups on the way are created.
  template <class T>
  void dataset(const std::string& name, const std::vector<hsize_t>& dims, hid_t file_type,
               hid_t memory_type, const std::vector<T>& values) {
    const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    const hid_t d =
        H5Dcreate2(file_, name.c_str(), file_type, space, links_, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0) throw std::runtime_error("Hdf5Writer: cannot create dataset " + name);
    if (!values.empty()) H5Dwrite(d, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
    H5Dclose(d);
    H5Sclose(space);
  }

  /// A 1-D array of variable-length UTF-8 strings (what h5py and AnnData write).
  void strings(const std::string& name, const std::vector<std::string>& values) {
    std::vector<const char*> texts;
    for (const auto& v : values) texts.push_back(v.c_str());
    const hid_t type = vlen_string();
    dataset(name, {values.size()}, type, type, texts);
    H5Tclose(type);
  }

  /// A 1-D array of fixed-length strings, `size` bytes each, null-padded.
  void fixed_strings(const std::string& name, const std::vector<std::string>& values,
                     std::size_t size) {
    std::string raw(values.size() * size, '\0');
    for (std::size_t i = 0; i < values.size(); ++i)
      raw.replace(i * size, values[i].size(), values[i]);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, size);
    const std::vector<char> bytes(raw.begin(), raw.end());
    dataset(name, {values.size()}, type, type, bytes);
    H5Tclose(type);
  }

  void group(const std::string& name) {
    H5Gclose(H5Gcreate2(file_, name.c_str(), links_, H5P_DEFAULT, H5P_DEFAULT));
  }

  /// A scalar variable-length string attribute of an existing group or dataset.
  void attribute(const std::string& object, const std::string& name, const std::string& value) {
    const hid_t type = vlen_string();
    const hid_t space = H5Screate(H5S_SCALAR);
    const char* text = value.c_str();
    write_attribute(object, name, type, space, type, &text);
    H5Sclose(space);
    H5Tclose(type);
  }

  /// A 1-D int64 attribute (AnnData's sparse "shape").
  void attribute(const std::string& object, const std::string& name,
                 const std::vector<long long>& values) {
    const hsize_t n = values.size();
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    write_attribute(object, name, H5T_STD_I64LE, space, H5T_NATIVE_LLONG, values.data());
    H5Sclose(space);
  }

 private:
  static hid_t vlen_string() {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    return type;
  }
  void write_attribute(const std::string& object, const std::string& name, hid_t file_type,
                       hid_t space, hid_t memory_type, const void* data) {
    const hid_t o = H5Oopen(file_, object.c_str(), H5P_DEFAULT);
    const hid_t a = H5Acreate2(o, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) throw std::runtime_error("Hdf5Writer: cannot create attribute " + name);
    H5Awrite(a, memory_type, data);
    H5Aclose(a);
    H5Oclose(o);
  }

  hid_t file_ = -1;
  hid_t links_ = -1;
};

}  // namespace kaa::test
