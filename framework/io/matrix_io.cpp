#include "framework/io/matrix_io.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "framework/error.hpp"
#include "framework/io/hdf5.hpp"

namespace kaa {

HostMatrix read_matrix(const std::filesystem::path& path) {
  if (is_idx_name(path)) return read_idx(path);
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".npy") return read_npy(path);
  if (ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".dat") return read_csv(path);
  if (is_hdf5_name(path) || has_hdf5_signature(path)) return read_hdf5(path, kHdf5DefaultDataset);
  throw InputError(path.string() + ": unknown data format \"" + path.extension().string() +
                   "\" (expected .csv, .txt, .tsv, .dat, .npy, HDF5: .h5, .hdf5, .h5ad, or IDX: "
                   "*-ubyte[.gz], *.idx)");
}

}  // namespace kaa
