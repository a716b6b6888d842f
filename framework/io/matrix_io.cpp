#include "framework/io/matrix_io.hpp"

#include "framework/io/idx.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>

#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"

namespace kaa {

// .npy payloads are copied to and from memory as is, which is only right on a little-endian host.
static_assert(std::endian::native == std::endian::little);

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::error_code ec;
  // An ifstream opens a directory happily and only fails on reading; say what is wrong instead.
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path.string() + ": cannot open: is a directory");
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open: " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path.string() + ": read error: " + std::strerror(errno));
  return std::move(buffer).str();
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

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

bool parse_number(std::string_view cell, double& value) {
  // from_chars rejects the leading '+' that spreadsheets and printf("%+g") write.
  if (cell.size() > 1 && cell.front() == '+' && cell[1] != '-') cell.remove_prefix(1);
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  return !cell.empty() && ec == std::errc() && end == cell.data() + cell.size();
}

std::string at_line(const std::string& name, std::size_t line) {
  return name + ":" + std::to_string(line) + ": ";
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

struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<std::size_t> shape;
};

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string s = "(";
  for (std::size_t d = 0; d < shape.size(); ++d) s += (d ? ", " : "") + std::to_string(shape[d]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

// The header is a Python dict literal written by repr(), e.g.
// {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }
NpyHeader parse_npy_header(std::string_view h, const std::string& name) {
  auto malformed = [&] {
    return InputError(name + ": malformed .npy header: " + std::string(trim(h)));
  };
  std::size_t i = 0;
  auto peek = [&] {
    while (i < h.size() && std::isspace(static_cast<unsigned char>(h[i]))) ++i;
    return i < h.size() ? h[i] : '\0';
  };
  auto expect = [&](char c) {
    if (peek() != c) throw malformed();
    ++i;
  };
  auto quoted = [&] {
    const char q = peek();
    if (q != '\'' && q != '"') throw malformed();
    const auto end = h.find(q, ++i);
    if (end == std::string_view::npos) throw malformed();
    std::string s(h.substr(i, end - i));
    i = end + 1;
    return s;
  };
  auto word = [&](std::string_view w) {
    if (h.substr(i, w.size()) != w) return false;
    i += w.size();
    return true;
  };

  NpyHeader out;
  bool has_descr = false, has_order = false, has_shape = false;
  expect('{');
  while (peek() != '}') {
    const std::string key = quoted();
    expect(':');
    if (key == "descr") {
      has_descr = true;
      if (peek() == '[') {  // a structured dtype: kept whole, only to be named in the error
        int depth = 0;
        const std::size_t start = i;
        do {
          if (i >= h.size()) throw malformed();
          depth += h[i] == '[' ? 1 : h[i] == ']' ? -1 : 0;
          ++i;
        } while (depth > 0);
        out.descr = h.substr(start, i - start);
      } else {
        out.descr = quoted();
      }
    } else if (key == "fortran_order") {
      has_order = true;
      peek();
      if (word("True")) {
        out.fortran_order = true;
      } else if (!word("False")) {
        throw malformed();
      }
    } else if (key == "shape") {
      has_shape = true;
      expect('(');
      while (peek() != ')') {
        std::size_t v = 0;
        const auto [end, ec] = std::from_chars(h.data() + i, h.data() + h.size(), v);
        if (ec != std::errc()) throw malformed();
        i = end - h.data();
        word("L");  // Python 2 wrote dimensions as longs: (2L, 3L)
        out.shape.push_back(v);
        if (peek() == ',') {
          ++i;
        } else if (peek() != ')') {
          throw malformed();
        }
      }
      ++i;
    } else {
      throw malformed();
    }
    if (peek() == ',') ++i;
  }
  if (!has_descr || !has_order || !has_shape) throw malformed();
  return out;
}

}  // namespace

HostMatrix read_csv(const std::filesystem::path& path) {
  return parse_csv(read_all(path), path.string());
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
    double value = 0;
    if (!seen_content) {
      seen_content = true;
      if (!std::all_of(cells.begin(), cells.end(),
                       [&](std::string_view c) { return parse_number(c, value); })) {
        continue;  // a header
      }
    }
    if (m.rows == 0) {
      m.cols = cells.size();
      if (m.cols == 0) throw InputError(name + ": zero columns");
    }
    if (cells.size() != m.cols) {
      throw InputError(at_line(name, line_number) + std::to_string(cells.size()) +
                       " columns, expected " + std::to_string(m.cols));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string where = at_line(name, line_number) + "column " + std::to_string(c + 1);
      if (!parse_number(cells[c], value)) {
        throw InputError(where + ": not a number: \"" + std::string(cells[c]) + "\"");
      }
      if (!std::isfinite(value)) throw InputError(where + ": NaN or Inf value");
      m.values.push_back(value);
    }
    ++m.rows;
  }
  if (m.rows == 0) throw InputError(name + ": no data rows");
  return m;
}

HostMatrix read_npy(const std::filesystem::path& path) {
  return parse_npy(read_all(path), path.string());
}

namespace {

/// Where a .npy file's values start and what they are; every check of the header is done here.
struct NpyLayout {
  std::size_t data_start = 0, item = 8, rows = 0, cols = 0;
};

/// `bytes` holds at least the file's first bytes up to the end of its header; `file_size` is the
/// whole file's size (for the truncation check).
NpyLayout npy_layout(const std::string& bytes, std::size_t file_size, const std::string& name) {
  if (!bytes.starts_with("\x93NUMPY")) throw InputError(name + ": not a .npy file (bad magic)");
  if (bytes.size() < 10) throw InputError(name + ": truncated header");
  auto byte = [&](std::size_t k) -> std::size_t { return static_cast<unsigned char>(bytes[k]); };
  const std::size_t major = byte(6);
  std::size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = byte(8) | byte(9) << 8;
    header_start = 10;
  } else if (major == 2 || major == 3) {  // 3.0 only allows a UTF-8 header
    if (bytes.size() < 12) throw InputError(name + ": truncated header");
    header_len = byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24;
    header_start = 12;
  } else {
    throw InputError(name + ": unsupported .npy format version " + std::to_string(major) + "." +
                     std::to_string(byte(7)));
  }
  if (bytes.size() - header_start < header_len) throw InputError(name + ": truncated header");
  const NpyHeader header =
      parse_npy_header(std::string_view(bytes).substr(header_start, header_len), name);

  const std::string& d = header.descr;
  // '|' (no byte order) and '=' (native, little-endian here) describe the same bytes as '<'.
  const bool float_descr = d.size() == 3 && (d[0] == '<' || d[0] == '|' || d[0] == '=') &&
                           d[1] == 'f' && (d[2] == '4' || d[2] == '8');
  if (!float_descr) {
    throw InputError(name + ": unsupported dtype '" + d + "' (expected '<f4' or '<f8')");
  }
  NpyLayout out;
  out.item = d[2] == '8' ? 8 : 4;
  if (header.fortran_order) {
    throw InputError(name +
                     ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
  }
  if (header.shape.empty() || header.shape.size() > 2) {
    throw InputError(name + ": expected a 1-D or 2-D array, got shape " + shape_text(header.shape));
  }
  out.rows = header.shape[0];
  out.cols = header.shape.size() == 2 ? header.shape[1] : 1;
  if (out.rows == 0 || out.cols == 0) {
    throw InputError(name + ": empty array (shape " + shape_text(header.shape) + ")");
  }
  out.data_start = header_start + header_len;
  const std::size_t found = file_size - out.data_start;
  if (out.rows > std::numeric_limits<std::size_t>::max() / out.cols / out.item) {
    throw InputError(name + ": shape " + shape_text(header.shape) + " is too large");
  }
  const std::size_t expected = out.rows * out.cols * out.item;
  if (found < expected) {
    throw InputError(name + ": truncated: expected " + std::to_string(expected) +
                     " bytes of data, found " + std::to_string(found));
  }
  return out;
}

/// Values of `m` (already sized) from raw little-endian items; `first_row` is the global row of
/// the first one (for error messages).
void convert_npy_values(const char* data, std::size_t item, std::size_t first_row, HostMatrix& m,
                        const std::string& name) {
  for (std::size_t e = 0; e < m.values.size(); ++e) {
    double v;
    if (item == 8) {
      std::memcpy(&v, data + e * 8, 8);
    } else {
      float f;
      std::memcpy(&f, data + e * 4, 4);
      v = f;
    }
    if (!std::isfinite(v))
      throw InputError(cell_error(name, first_row + e / m.cols, e % m.cols) + "NaN or Inf value");
    m.values[e] = v;
  }
}

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

void check_block(const RowRange& block, std::size_t total, const std::string& name) {
  if (block.first > block.second || block.second > total) {
    throw InputError(name + ": rows [" + std::to_string(block.first) + ", " +
                     std::to_string(block.second) + ") requested of " + std::to_string(total));
  }
}

}  // namespace

HostMatrix parse_npy(const std::string& bytes, const std::string& name) {
  const NpyLayout layout = npy_layout(bytes, bytes.size(), name);
  HostMatrix m;
  m.rows = layout.rows;
  m.cols = layout.cols;
  m.values.resize(m.rows * m.cols);
  convert_npy_values(bytes.data() + layout.data_start, layout.item, 0, m, name);
  return m;
}

HostMatrix read_npy_rows(const std::filesystem::path& path, const RowSelector& select,
                         std::size_t& total_rows) {
  const std::string name = path.string();
  std::ifstream in = open_for_reading(path);
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  // The fixed part (magic, version, header length), then exactly the header.
  std::string prefix(std::min<std::size_t>(12, file_size), '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  std::size_t header_end = prefix.size();
  if (prefix.size() >= 10 && prefix.starts_with("\x93NUMPY")) {
    const auto byte = [&](std::size_t k) -> std::size_t {
      return static_cast<unsigned char>(prefix[k]);
    };
    header_end = byte(6) == 1 ? 10 + (byte(8) | byte(9) << 8)
                 : prefix.size() >= 12
                     ? 12 + (byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24)
                     : prefix.size();
  }
  header_end = std::min(header_end, file_size);
  if (header_end > prefix.size()) {
    const std::size_t have = prefix.size();
    prefix.resize(header_end);
    in.read(prefix.data() + have, static_cast<std::streamsize>(header_end - have));
  }
  if (!in) throw InputError(name + ": read error: " + std::strerror(errno));
  const NpyLayout layout = npy_layout(prefix, file_size, name);
  total_rows = layout.rows;
  const RowRange block = select(layout.rows);
  check_block(block, layout.rows, name);
  HostMatrix m;
  m.rows = block.second - block.first;
  m.cols = layout.cols;
  m.values.resize(m.rows * m.cols);
  const std::size_t row_bytes = layout.cols * layout.item;
  std::string raw(m.rows * row_bytes, '\0');
  in.seekg(static_cast<std::streamoff>(layout.data_start + block.first * row_bytes));
  in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
  if (!in) throw InputError(name + ": read error: " + std::strerror(errno));
  convert_npy_values(raw.data(), layout.item, block.first, m, name);
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
    std::ifstream in = open_for_reading(path);
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
  double value = 0;
  bool header = false;
  if (content_lines > 0) {
    const auto cells = split_cells(first, comma);
    header = !std::all_of(cells.begin(), cells.end(),
                          [&](std::string_view c) { return parse_number(c, value); });
  }
  total_rows = content_lines - (header ? 1 : 0);
  if (total_rows == 0) throw InputError(name + ": no data rows");
  const std::size_t cols = split_cells(header ? second : first, comma).size();
  if (cols == 0) throw InputError(name + ": zero columns");
  const RowRange block = select(total_rows);
  check_block(block, total_rows, name);

  // Pass 2: parse only the block's lines, with parse_csv's checks and messages.
  HostMatrix m;
  m.cols = cols;
  if (block.first == block.second) return m;
  m.values.reserve((block.second - block.first) * cols);
  std::ifstream in = open_for_reading(path);
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
    if (cells.size() != cols) {
      throw InputError(at_line(name, line_number) + std::to_string(cells.size()) +
                       " columns, expected " + std::to_string(cols));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string where = at_line(name, line_number) + "column " + std::to_string(c + 1);
      if (!parse_number(cells[c], value)) {
        throw InputError(where + ": not a number: \"" + std::string(cells[c]) + "\"");
      }
      if (!std::isfinite(value)) throw InputError(where + ": NaN or Inf value");
      m.values.push_back(value);
    }
    ++m.rows;
  }
  if (m.rows != block.second - block.first) {
    throw InputError(name + ": changed while being read (expected " + std::to_string(total_rows) +
                     " data rows)");
  }
  return m;
}

HostMatrix read_matrix(const std::filesystem::path& path) {
  if (is_idx_name(path)) return read_idx(path);
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".npy") return read_npy(path);
  if (ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".dat") return read_csv(path);
  throw InputError(path.string() + ": unknown data format \"" + path.extension().string() +
                   "\" (expected .csv, .txt, .tsv, .dat, .npy or IDX: *-ubyte[.gz], *.idx)");
}

namespace {

void check_shape(const std::filesystem::path& path, const HostMatrix& m) {
  if (m.values.size() != m.rows * m.cols) {
    throw Error(path.string() + ": cannot write: matrix holds " + std::to_string(m.values.size()) +
                " values for shape (" + std::to_string(m.rows) + ", " + std::to_string(m.cols) +
                ")");
  }
}

}  // namespace

void write_npy(const std::filesystem::path& path, const HostMatrix& m, NpyType type) {
  check_shape(path, m);
  const bool f32 = type == NpyType::float32;
  std::string header = std::string("{'descr': '") + (f32 ? "<f4" : "<f8") +
                       "', 'fortran_order': False, 'shape': (" + std::to_string(m.rows) + ", " +
                       std::to_string(m.cols) + "), }";
  // Spaces then '\n' up to a 64-byte boundary, so readers can map the data aligned.
  const std::size_t preamble_size = 10;
  const std::size_t total = (preamble_size + header.size() + 1 + 63) / 64 * 64;
  header.append(total - preamble_size - header.size() - 1, ' ');
  header += '\n';
  const std::size_t len = header.size();
  const char preamble[preamble_size] = {'\x93',
                                        'N',
                                        'U',
                                        'M',
                                        'P',
                                        'Y',
                                        1,
                                        0,
                                        static_cast<char>(len & 0xff),
                                        static_cast<char>(len >> 8)};

  write_file_atomically(path, [&](std::ostream& os) {
    os.write(preamble, preamble_size);
    os.write(header.data(), static_cast<std::streamsize>(header.size()));
    if (!f32) {
      os.write(reinterpret_cast<const char*>(m.values.data()),
               static_cast<std::streamsize>(m.values.size() * sizeof(double)));
      return;
    }
    std::vector<float> chunk;
    const std::size_t chunk_size = 1 << 16;
    for (std::size_t begin = 0; begin < m.values.size(); begin += chunk_size) {
      const std::size_t end = std::min(m.values.size(), begin + chunk_size);
      chunk.clear();
      for (std::size_t e = begin; e < end; ++e) {
        const float f = static_cast<float>(m.values[e]);
        // Infinity would be written silently and then refused by every reader.
        if (std::isfinite(m.values[e]) && !std::isfinite(f)) {
          throw Error(cell_error(path.string(), e / m.cols, e % m.cols) + "value " +
                      shortest(m.values[e]) + " is out of float32 range");
        }
        chunk.push_back(f);
      }
      os.write(reinterpret_cast<const char*>(chunk.data()),
               static_cast<std::streamsize>(chunk.size() * sizeof(float)));
    }
  });
}

void write_csv(const std::filesystem::path& path, const HostMatrix& m,
               const std::vector<std::string>& header) {
  check_shape(path, m);
  write_file_atomically(path, [&](std::ostream& os) {
    for (std::size_t c = 0; c < header.size(); ++c) os << (c ? "," : "") << header[c];
    if (!header.empty()) os << '\n';
    std::string line;
    for (std::size_t i = 0; i < m.rows; ++i) {
      line.clear();
      for (std::size_t j = 0; j < m.cols; ++j) {
        if (j) line += ',';
        append_shortest(line, m(i, j));
      }
      line += '\n';
      os << line;
    }
  });
}

}  // namespace kaa
