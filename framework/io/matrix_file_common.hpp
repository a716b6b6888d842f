#pragma once
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "framework/host_matrix.hpp"
#include "framework/io/row_selector.hpp"

/// What the CSV and .npy readers and writers share: opening files, checks and error text.
namespace kaa::io_detail {

/// An open binary stream, or InputError naming the file and why (a directory included, which an
/// ifstream would open and only fail on reading).
std::ifstream open_for_reading(const std::filesystem::path& path);

/// The whole file's bytes, with open_for_reading's errors.
std::string read_all(const std::filesystem::path& path);

/// Without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view s);

/// The shortest text that reads back to the same double.
void append_shortest(std::string& out, double v);
std::string shortest(double v);

/// "name: row R, column C: " (1-based), the start of an error about one value.
std::string cell_error(const std::string& name, std::size_t row, std::size_t col);

/// InputError unless `block` is a valid row range of a file with `total` rows.
void check_block(const RowRange& block, std::size_t total, const std::string& name);

/// Error unless `m` holds rows x cols values (before writing it to `path`).
void check_shape(const std::filesystem::path& path, const HostMatrix& m);

}  // namespace kaa::io_detail
