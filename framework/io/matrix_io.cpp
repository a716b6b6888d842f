#include "framework/io/matrix_io.hpp"

#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"

namespace kaa {

namespace {

std::string read_all(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path.string() + ": cannot open: is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open: " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path.string() + ": read error: " + std::strerror(errno));
  return buffer.str();
}

std::vector<std::string_view> split_cells(std::string_view line, bool comma) {
  std::vector<std::string_view> cells;
  if (comma) {
    std::size_t start = 0;
    for (;;) {
      const auto pos = line.find(',', start);
      std::string_view cell = line.substr(start, pos == std::string_view::npos ? pos : pos - start);
      while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
      while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
      cells.push_back(cell);
      if (pos == std::string_view::npos) break;
      start = pos + 1;
    }
  } else {
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      const std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
      if (i > start) cells.push_back(line.substr(start, i - start));
    }
  }
  return cells;
}

bool parse_number(std::string_view cell, double& value) {
  if (!cell.empty() && cell.front() == '+') cell.remove_prefix(1);
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  return ec == std::errc() && end == cell.data() + cell.size() && !cell.empty();
}

}  // namespace

HostMatrix read_csv(const std::filesystem::path& path) {
  const std::string text = read_all(path);
  const std::string name = path.string();
  const bool comma = text.find(',') != std::string::npos;
  HostMatrix m;
  std::size_t line_number = 0, start = 0;
  bool first_content_line = true;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    ++line_number;
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      if (end == text.size()) break;
      continue;
    }
    const auto cells = split_cells(line, comma);
    double value = 0;
    if (first_content_line) {
      first_content_line = false;
      bool all_numbers = true;
      for (auto c : cells) all_numbers = all_numbers && parse_number(c, value);
      if (!all_numbers) continue;  // a header
    }
    if (m.rows == 0) m.cols = cells.size();
    if (cells.size() != m.cols) {
      throw InputError(name + ":" + std::to_string(line_number) + ": " +
                       std::to_string(cells.size()) + " columns, expected " +
                       std::to_string(m.cols));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (!parse_number(cells[c], value)) {
        throw InputError(name + ":" + std::to_string(line_number) + ": column " +
                         std::to_string(c + 1) + ": not a number: \"" + std::string(cells[c]) +
                         "\"");
      }
      if (!std::isfinite(value)) {
        throw InputError(name + ":" + std::to_string(line_number) + ": column " +
                         std::to_string(c + 1) + ": NaN or Inf value");
      }
      m.values.push_back(value);
    }
    ++m.rows;
    if (end == text.size()) break;
  }
  if (m.rows == 0) throw InputError(name + ": no data rows");
  if (m.cols == 0) throw InputError(name + ": zero columns");
  return m;
}

HostMatrix read_npy(const std::filesystem::path& path) {
  const std::string bytes = read_all(path);
  const std::string name = path.string();
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    throw InputError(name + ": not a .npy file (bad magic)");
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw InputError(name + ": truncated header");
    for (int b = 3; b >= 0; --b)
      header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + b]);
    header_start = 12;
  } else {
    throw InputError(name + ": unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < header_start + header_len) throw InputError(name + ": truncated header");
  const std::string header = bytes.substr(header_start, header_len);

  auto field = [&](const std::string& key) {
    const auto k = header.find("'" + key + "'");
    if (k == std::string::npos) throw InputError(name + ": header lacks '" + key + "'");
    const auto colon = header.find(':', k);
    return header.substr(colon + 1);
  };
  std::string descr = field("descr");
  const auto q1 = descr.find('\''), q2 = descr.find('\'', q1 + 1);
  descr = descr.substr(q1 + 1, q2 - q1 - 1);
  std::size_t item = 0;
  if (descr == "<f8" || (std::endian::native == std::endian::little && descr == "=f8")) item = 8;
  if (descr == "<f4" || (std::endian::native == std::endian::little && descr == "=f4")) item = 4;
  if (item == 0) {
    throw InputError(name + ": unsupported dtype '" + descr + "' (expected '<f4' or '<f8')");
  }
  const std::string fortran = field("fortran_order");
  if (fortran.find("True") < fortran.find(',')) {
    throw InputError(name +
                     ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
  }
  std::string shape_text = field("shape");
  shape_text = shape_text.substr(shape_text.find('(') + 1);
  shape_text = shape_text.substr(0, shape_text.find(')'));
  std::vector<std::size_t> shape;
  for (auto cell : split_cells(shape_text, true)) {
    if (cell.empty()) continue;
    std::size_t v = 0;
    std::from_chars(cell.data(), cell.data() + cell.size(), v);
    shape.push_back(v);
  }
  if (shape.empty() || shape.size() > 2) {
    throw InputError(name + ": expected a 1-D or 2-D array, got shape (" + shape_text + ")");
  }
  HostMatrix m;
  m.rows = shape[0];
  m.cols = shape.size() == 2 ? shape[1] : 1;
  if (m.rows == 0 || m.cols == 0) {
    throw InputError(name + ": empty array (shape (" + shape_text + "))");
  }
  const std::size_t data_start = header_start + header_len;
  const std::size_t expected = m.rows * m.cols * item;
  if (bytes.size() - data_start < expected) {
    throw InputError(name + ": truncated: expected " + std::to_string(expected) +
                     " bytes of data, found " + std::to_string(bytes.size() - data_start));
  }
  m.values.resize(m.rows * m.cols);
  for (std::size_t e = 0; e < m.values.size(); ++e) {
    double v;
    if (item == 8) {
      std::memcpy(&v, bytes.data() + data_start + e * 8, 8);
    } else {
      float f;
      std::memcpy(&f, bytes.data() + data_start + e * 4, 4);
      v = f;
    }
    if (!std::isfinite(v)) {
      throw InputError(name + ": row " + std::to_string(e / m.cols + 1) + ", column " +
                       std::to_string(e % m.cols + 1) + ": NaN or Inf value");
    }
    m.values[e] = v;
  }
  return m;
}

HostMatrix read_matrix(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".npy") return read_npy(path);
  if (ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".dat") return read_csv(path);
  throw InputError(path.string() + ": unknown data format \"" + ext +
                   "\" (expected .csv, .txt, .tsv, .dat or .npy)");
}

void write_npy(const std::filesystem::path& path, const HostMatrix& m, NpyType type) {
  const bool f32 = type == NpyType::float32;
  std::string header = std::string("{'descr': '") + (f32 ? "<f4" : "<f8") +
                       "', 'fortran_order': False, 'shape': (" + std::to_string(m.rows) + ", " +
                       std::to_string(m.cols) + "), }";
  // Pad so the data start is 64-byte aligned, header ending in '\n' (format spec 1.0).
  const std::size_t total = ((10 + header.size() + 1 + 63) / 64) * 64;
  header.append(total - 10 - header.size() - 1, ' ');
  header += '\n';
  write_file_atomically(path, [&](std::ostream& os) {
    const std::size_t len = header.size();
    const char preamble[10] = {'\x93',
                               'N',
                               'U',
                               'M',
                               'P',
                               'Y',
                               1,
                               0,
                               static_cast<char>(len & 0xff),
                               static_cast<char>(len >> 8)};
    os.write(preamble, 10);
    os.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (double v : m.values) {
      if (f32) {
        const float f = static_cast<float>(v);
        os.write(reinterpret_cast<const char*>(&f), 4);
      } else {
        os.write(reinterpret_cast<const char*>(&v), 8);
      }
    }
  });
}

void write_csv(const std::filesystem::path& path, const HostMatrix& m,
               const std::vector<std::string>& header) {
  write_file_atomically(path, [&](std::ostream& os) {
    for (std::size_t c = 0; c < header.size(); ++c) os << (c ? "," : "") << header[c];
    if (!header.empty()) os << '\n';
    char buffer[64];
    for (std::size_t i = 0; i < m.rows; ++i) {
      for (std::size_t j = 0; j < m.cols; ++j) {
        const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), m(i, j));
        if (j) os << ',';
        os.write(buffer, end - buffer);
      }
      os << '\n';
    }
  });
}

}  // namespace kaa
