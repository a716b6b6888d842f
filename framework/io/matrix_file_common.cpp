#include "framework/io/matrix_file_common.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>

#include "framework/error.hpp"

namespace kaa::io_detail {

std::ifstream open_for_reading(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path.string() + ": cannot open: is a directory");
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open: " + std::strerror(errno));
  return in;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in = open_for_reading(path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path.string() + ": read error: " + std::strerror(errno));
  return std::move(buffer).str();
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

void append_shortest(std::string& out, double v) {
  char buffer[32];  // the longest shortest form of a double is 24 characters
  out.append(buffer, std::to_chars(buffer, buffer + sizeof(buffer), v).ptr);
}

std::string shortest(double v) {
  std::string s;
  append_shortest(s, v);
  return s;
}

std::string cell_error(const std::string& name, std::size_t row, std::size_t col) {
  return name + ": row " + std::to_string(row + 1) + ", column " + std::to_string(col + 1) + ": ";
}

void check_block(const RowRange& block, std::size_t total, const std::string& name) {
  if (block.first > block.second || block.second > total) {
    throw InputError(name + ": rows [" + std::to_string(block.first) + ", " +
                     std::to_string(block.second) + ") requested of " + std::to_string(total));
  }
}

void check_shape(const std::filesystem::path& path, const HostMatrix& m) {
  if (m.values.size() != m.rows * m.cols) {
    throw Error(path.string() + ": cannot write: matrix holds " + std::to_string(m.values.size()) +
                " values for shape (" + std::to_string(m.rows) + ", " + std::to_string(m.cols) +
                ")");
  }
}

}  // namespace kaa::io_detail
