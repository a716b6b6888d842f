#pragma once
#include <filesystem>
#include <string>

#include "framework/host_matrix.hpp"
#include "framework/io/row_selector.hpp"

namespace kaa {

/// .npy (format 1.0-3.0): little-endian float32 or float64, C order, 1-D (as n x 1) or 2-D.
HostMatrix read_npy(const std::filesystem::path& path);

/// Only the rows `select` picks, for a rank of a distributed fit: `total_rows` gets the file's row
/// count. The header is read, then one seek to the block.
HostMatrix read_npy_rows(const std::filesystem::path& path, const RowSelector& select,
                         std::size_t& total_rows);

/// read_npy's parser on bytes already in memory (`name` is what errors cite). Used by the fuzzers.
HostMatrix parse_npy(const std::string& bytes, const std::string& name);

enum class NpyType { float32, float64 };

/// Through write_file_atomically.
void write_npy(const std::filesystem::path& path, const HostMatrix& m, NpyType type);

}  // namespace kaa
