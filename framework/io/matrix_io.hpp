#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "framework/host_matrix.hpp"

namespace kaa {

/// CSV: header row optional (a first line that is not all numbers), comma-separated or, when the
/// file has no comma, whitespace-separated; blank lines and CRLF ignored. Every cell must be a
/// finite number. Errors (kaa::InputError) name file:line and column.
HostMatrix read_csv(const std::filesystem::path& path);

/// .npy (format 1.0-3.0): little-endian float32 or float64, C order, 1-D (as n x 1) or 2-D.
HostMatrix read_npy(const std::filesystem::path& path);

/// A block of rows [first, second) chosen once the file's row count (the argument) is known.
using RowRange = std::pair<std::size_t, std::size_t>;
using RowSelector = std::function<RowRange(std::size_t total_rows)>;

/// Only the rows `select` picks, for a rank of a distributed fit: `total_rows` gets the file's row
/// count. .npy: the header is read, then one seek to the block. CSV: one pass counts the data
/// lines (and finds the header and separator as read_csv does) without parsing them and keeps a
/// sparse line-offset index, a second seeks near the block and parses its lines only; errors cite
/// file:line as read_csv's do, but only for the lines read.
HostMatrix read_npy_rows(const std::filesystem::path& path, const RowSelector& select,
                         std::size_t& total_rows);
HostMatrix read_csv_rows(const std::filesystem::path& path, const RowSelector& select,
                         std::size_t& total_rows);

/// By extension: .csv/.txt/.tsv/.dat as CSV, .npy as .npy.
HostMatrix read_matrix(const std::filesystem::path& path);

/// The parsers behind read_csv and read_npy, on bytes already in memory (`name` is what errors
/// cite). Used by the fuzzers.
HostMatrix parse_csv(std::string text, const std::string& name);
HostMatrix parse_npy(const std::string& bytes, const std::string& name);

enum class NpyType { float32, float64 };

/// Both writers go through write_file_atomically. CSV values are the shortest text that reads
/// back to the same double.
void write_npy(const std::filesystem::path& path, const HostMatrix& m, NpyType type);
void write_csv(const std::filesystem::path& path, const HostMatrix& m,
               const std::vector<std::string>& header = {});

}  // namespace kaa
