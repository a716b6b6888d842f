#pragma once
#include <filesystem>

#include "framework/host_matrix.hpp"
#include "framework/io/csv.hpp"
#include "framework/io/idx.hpp"
#include "framework/io/npy.hpp"

namespace kaa {

/// Every matrix file format kaa reads, chosen by name: .csv/.txt/.tsv/.dat as CSV, .npy as .npy,
/// IDX names (is_idx_name) as IDX, .h5/.hdf5/.h5ad or the HDF5 signature as HDF5 (dataset /X).
HostMatrix read_matrix(const std::filesystem::path& path);

}  // namespace kaa
