#include "framework/io/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <string_view>

#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"
#include "framework/io/matrix_file_common.hpp"

namespace kaa {

namespace {

using io_detail::trim;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// A line of nothing but commas (an empty spreadsheet row) has no cells at all.
std::vector<std::string_view> split_cells(std::string_view line, bool comma) {
  std::vector<std::string_view> cells;
  if (comma) {
    bool any = false;
    std::size_t start = 0;
    for (;;) {
      const auto pos = line.find(',', start);
      cells.push_back(trim(line.substr(start, pos == std::string_view::npos ? pos : pos - start)));
      any = any || !cells.back().empty();
      if (pos == std::string_view::npos) break;
      start = pos + 1;
    }
    if (!any) cells.clear();
  } else {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && is_blank(line[i])) ++i;
      const std::size_t start = i;
      while (i < line.size() && !is_blank(line[i])) ++i;
      if (i > start) cells.push_back(line.substr(start, i - start));
    }
  }
  return cells;
}

enum class CellKind { number, out_of_range, text };

CellKind parse_number(std::string_view cell, double& value) {
  // from_chars rejects the leading '+' that spreadsheets and printf("%+g") write.
  if (cell.size() > 1 && cell.front() == '+' && cell[1] != '-') cell.remove_prefix(1);
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || end != cell.data() + cell.size()) return CellKind::text;
  if (ec == std::errc::result_out_of_range) return CellKind::out_of_range;
  return ec == std::errc() ? CellKind::number : CellKind::text;
}

// A header has a cell that is not written as a number: "1e400,2" is a data row whose first value
// does not fit a double, not a header.
bool is_header(const std::vector<std::string_view>& cells) {
  double value = 0;
  return !std::all_of(cells.begin(), cells.end(),
                      [&](std::string_view c) { return parse_number(c, value) != CellKind::text; });
}

std::string at_line(const std::string& name, std::size_t line) {
  return name + ":" + std::to_string(line) + ": ";
}

// One data line into `m` (m.cols already set), with every CSV reader's checks and messages.
void append_row(const std::vector<std::string_view>& cells, const std::string& name,
                std::size_t line_number, HostMatrix& m) {
  if (cells.size() != m.cols) {
    throw InputError(at_line(name, line_number) + std::to_string(cells.size()) +
                     " columns, expected " + std::to_string(m.cols));
  }
  double value = 0;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::string where = at_line(name, line_number) + "column " + std::to_string(c + 1);
    const CellKind kind = parse_number(cells[c], value);
    if (kind == CellKind::out_of_range) {
      throw InputError(where + ": \"" + std::string(cells[c]) + "\" is out of a double's range");
    }
    if (kind == CellKind::text) {
      throw InputError(where + ": not a number: \"" + std::string(cells[c]) + "\"");
    }
    if (!std::isfinite(value)) throw InputError(where + ": NaN or Inf value");
    m.values.push_back(value);
  }
  ++m.rows;
}

}  // namespace

HostMatrix read_csv(const std::filesystem::path& path) {
  return parse_csv(io_detail::read_all(path), path.string());
}

HostMatrix parse_csv(std::string text, const std::string& name) {
  // Spreadsheets often start UTF-8 files with a byte-order mark; it would hide a first data row.
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  const bool comma = text.find(',') != std::string::npos;

  HostMatrix m;
  bool seen_content = false;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty()) continue;

    const auto cells = split_cells(line, comma);
    if (!seen_content) {
      seen_content = true;
      if (is_header(cells)) continue;
    }
    if (m.rows == 0) {
      m.cols = cells.size();
      if (m.cols == 0) throw InputError(name + ": zero columns");
    }
    append_row(cells, name, line_number, m);
  }
  if (m.rows == 0) throw InputError(name + ": no data rows");
  return m;
}

// Non-blank lines between marks of read_csv_rows' line-offset index (16 bytes per mark).
constexpr std::size_t kCsvIndexStride = 1024;

HostMatrix read_csv_rows(const std::filesystem::path& path, const RowSelector& select,
                         std::size_t& total_rows) {
  const std::string name = path.string();
  // Pass 1 (no parsing): the separator (comma anywhere, as in parse_csv), the non-blank lines,
  // the first two of them (the first may be a header), and a sparse line-offset index: where
  // every kCsvIndexStride-th non-blank line starts (byte offset, line number), so that pass 2 seeks
  // near its block instead of reading the lines before it again.
  bool comma = false;
  std::size_t content_lines = 0;
  std::string first, second;
  struct Mark {
    std::size_t offset, line_number;
  };
  std::vector<Mark> index;
  {
    std::ifstream in = io_detail::open_for_reading(path);
    std::string line;
    std::size_t offset = 0, line_number = 0;
    while (std::getline(in, line)) {
      const std::size_t start = offset;
      offset += line.size() + 1;  // the newline (one past the end on a last line without one)
      ++line_number;
      if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
      if (line.find(',') != std::string::npos) comma = true;
      if (trim(line).empty()) continue;
      if (content_lines % kCsvIndexStride == 0) index.push_back({start, line_number});
      if (content_lines == 0) first = std::string(trim(line));
      if (content_lines == 1) second = std::string(trim(line));
      ++content_lines;
    }
    if (in.bad()) throw InputError(name + ": read error: " + std::strerror(errno));
  }
  const bool header = content_lines > 0 && is_header(split_cells(first, comma));
  total_rows = content_lines - (header ? 1 : 0);
  if (total_rows == 0) throw InputError(name + ": no data rows");
  const std::size_t cols = split_cells(header ? second : first, comma).size();
  if (cols == 0) throw InputError(name + ": zero columns");
  const RowRange block = select(total_rows);
  io_detail::check_block(block, total_rows, name);

  // Pass 2: parse only the block's lines, with parse_csv's checks and messages.
  HostMatrix m;
  m.cols = cols;
  if (block.first == block.second) return m;
  m.values.reserve((block.second - block.first) * cols);
  std::ifstream in = io_detail::open_for_reading(path);
  // The last indexed non-blank line at or before the block's first (content line first + header).
  const Mark& mark = index[(block.first + (header ? 1 : 0)) / kCsvIndexStride];
  const std::size_t mark_content =
      (block.first + (header ? 1 : 0)) / kCsvIndexStride * kCsvIndexStride;
  in.seekg(static_cast<std::streamoff>(mark.offset));
  std::string text;
  std::size_t line_number = mark.line_number - 1;
  std::size_t row = mark_content - (header && mark_content > 0 ? 1 : 0);
  bool skip_header = header && mark_content == 0;
  while (row < block.second && std::getline(in, text)) {
    ++line_number;
    if (line_number == 1 && text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    const std::string_view line = trim(text);
    if (line.empty()) continue;
    if (skip_header) {
      skip_header = false;
      continue;
    }
    if (row++ < block.first) continue;
    const auto cells = split_cells(line, comma);
    append_row(cells, name, line_number, m);
  }
  if (m.rows != block.second - block.first) {
    throw InputError(name + ": changed while being read (expected " + std::to_string(total_rows) +
                     " data rows)");
  }
  return m;
}

std::vector<std::string> read_csv_header(const std::filesystem::path& path) {
  std::ifstream in = io_detail::open_for_reading(path);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (first && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    first = false;
    const std::string_view content = trim(line);
    if (content.empty()) continue;
    const auto cells = split_cells(content, content.find(',') != std::string_view::npos);
    if (!is_header(cells)) return {};
    std::vector<std::string> names;
    for (std::string_view cell : cells) {
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
        cell = cell.substr(1, cell.size() - 2);
      names.emplace_back(cell);
    }
    return names;
  }
  return {};
}

void write_csv(const std::filesystem::path& path, const HostMatrix& m,
               const std::vector<std::string>& header) {
  io_detail::check_shape(path, m);
  write_file_atomically(path, [&](std::ostream& os) {
    for (std::size_t c = 0; c < header.size(); ++c) os << (c ? "," : "") << header[c];
    if (!header.empty()) os << '\n';
    std::string line;
    for (std::size_t i = 0; i < m.rows; ++i) {
      line.clear();
      for (std::size_t j = 0; j < m.cols; ++j) {
        if (j) line += ',';
        io_detail::append_shortest(line, m(i, j));
      }
      line += '\n';
      os << line;
    }
  });
}

}  // namespace kaa
