#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "framework/host_matrix.hpp"
#include "framework/io/row_selector.hpp"

namespace kaa {

/// CSV: header row optional (a first line that is not all numbers), comma-separated or, when the
/// file has no comma, whitespace-separated; blank lines and CRLF ignored. Every cell must be a
/// finite number. Errors (kaa::InputError) name file:line and column.
HostMatrix read_csv(const std::filesystem::path& path);

/// Only the rows `select` picks, for a rank of a distributed fit: `total_rows` gets the file's row
/// count. One pass counts the data lines (and finds the header and separator as read_csv does)
/// without parsing them and keeps a sparse line-offset index, a second seeks near the block and
/// parses its lines only; errors cite file:line as read_csv's do, but only for the lines read.
HostMatrix read_csv_rows(const std::filesystem::path& path, const RowSelector& select,
                         std::size_t& total_rows);

/// The names in a CSV file's header (its first non-blank line when that is not all numbers),
/// surrounding double quotes removed; empty when the file has no header.
std::vector<std::string> read_csv_header(const std::filesystem::path& path);

/// read_csv's parser on text already in memory (`name` is what errors cite). Used by the fuzzers.
HostMatrix parse_csv(std::string text, const std::string& name);

/// Through write_file_atomically; values are the shortest text that reads back to the same double.
void write_csv(const std::filesystem::path& path, const HostMatrix& m,
               const std::vector<std::string>& header = {});

}  // namespace kaa
