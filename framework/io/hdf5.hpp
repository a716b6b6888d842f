#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "framework/host_matrix.hpp"
#include "framework/io/row_selector.hpp"

// HDF5 through libhdf5's C API, kept inside hdf5.cpp: no other file sees <hdf5.h>.
namespace kaa {

/// The dataset read when none is named: AnnData's data matrix.
inline constexpr const char* kHdf5DefaultDataset = "/X";

/// .h5, .hdf5, .h5ad (any case).
bool is_hdf5_name(const std::filesystem::path& path);

/// The HDF5 signature at offset 0, 512, 1024, ... (after a user block); false for unreadable files.
bool has_hdf5_signature(const std::filesystem::path& path);

/// A 2-D numeric dataset (float or integer types, converted to double) in C order: rows are
/// points. Also AnnData's sparse X (a group encoded as csr_matrix), densified. InputError naming
/// the file and dataset for a file that is not HDF5, a missing dataset, another rank, a
/// non-numeric type, an empty dataset or a NaN/Inf value.
HostMatrix read_hdf5(const std::filesystem::path& path, const std::string& dataset);

/// Only the rows `select` picks (a hyperslab; for sparse X only their part of the CSR arrays);
/// `total_rows` gets the dataset's row count.
HostMatrix read_hdf5_rows(const std::filesystem::path& path, const std::string& dataset,
                          const RowSelector& select, std::size_t& total_rows);

/// AnnData's column names for `dataset` (/X and /layers/*: var's index; /raw/X: raw/var's),
/// the index column named by the var group's "_index" attribute; empty when there are none.
std::vector<std::string> read_anndata_var_names(const std::filesystem::path& path,
                                                const std::string& dataset);

}  // namespace kaa
