#pragma once
#include <filesystem>
#include <string>

#include "framework/host_matrix.hpp"

namespace kaa {

/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian header (two zero bytes,
/// a type code, the number of dimensions, then each dimension as a 32-bit count) followed by the
/// values. Returns the first dimension as rows and the product of the others as columns; element
/// types ubyte, byte, short, int, float and double. Throws InputError naming `name` and the byte
/// offset for a bad magic number, a truncated or oversized file, or sizes that overflow.
HostMatrix parse_idx(const std::string& bytes, const std::string& name);

/// Reads an IDX file; gzip-compressed files (as distributed, *.gz) are decompressed on the fly.
HostMatrix read_idx(const std::filesystem::path& path);

/// True for file names of the IDX family: *-ubyte, *.idx, *.idx1..*.idx3, and those plus .gz.
bool is_idx_name(const std::filesystem::path& path);

}  // namespace kaa
