#include "framework/io/npy.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <string_view>
#include <vector>

#include "framework/error.hpp"
#include "framework/io/atomic_file.hpp"
#include "framework/io/matrix_file_common.hpp"

namespace kaa {

// .npy payloads are copied to and from memory as is, which is only right on a little-endian host.
static_assert(std::endian::native == std::endian::little);

namespace {

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
    return InputError(name + ": malformed .npy header: " + std::string(io_detail::trim(h)));
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

/// Values [begin, begin + count) of `m` (already sized) from raw little-endian items at `data`;
/// `first_row` is the global row of m's first row (for error messages).
void convert_npy_values(const char* data, std::size_t item, std::size_t begin, std::size_t count,
                        std::size_t first_row, HostMatrix& m, const std::string& name) {
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t e = begin + k;
    double v;
    if (item == 8) {
      std::memcpy(&v, data + k * 8, 8);
    } else {
      float f;
      std::memcpy(&f, data + k * 4, 4);
      v = f;
    }
    if (!std::isfinite(v))
      throw InputError(io_detail::cell_error(name, first_row + e / m.cols, e % m.cols) +
                       "NaN or Inf value");
    m.values[e] = v;
  }
}

}  // namespace

HostMatrix read_npy(const std::filesystem::path& path) {
  std::size_t total = 0;
  return read_npy_rows(
      path,
      [](std::size_t rows) {
        return RowRange{0, rows};
      },
      total);
}

HostMatrix parse_npy(const std::string& bytes, const std::string& name) {
  const NpyLayout layout = npy_layout(bytes, bytes.size(), name);
  HostMatrix m;
  m.rows = layout.rows;
  m.cols = layout.cols;
  m.values.resize(m.rows * m.cols);
  convert_npy_values(bytes.data() + layout.data_start, layout.item, 0, m.values.size(), 0, m, name);
  return m;
}

HostMatrix read_npy_rows(const std::filesystem::path& path, const RowSelector& select,
                         std::size_t& total_rows) {
  const std::string name = path.string();
  std::ifstream in = io_detail::open_for_reading(path);
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
  io_detail::check_block(block, layout.rows, name);
  HostMatrix m;
  m.rows = block.second - block.first;
  m.cols = layout.cols;
  m.values.resize(m.rows * m.cols);
  const std::size_t row_bytes = layout.cols * layout.item;
  in.seekg(static_cast<std::streamoff>(layout.data_start + block.first * row_bytes));
  // In pieces of at most 8 MiB: the raw bytes never exist beside the whole matrix in double.
  const std::size_t piece = std::max<std::size_t>(1, (std::size_t{8} << 20) / layout.item);
  std::string raw(std::min(piece, m.values.size()) * layout.item, '\0');
  for (std::size_t begin = 0; begin < m.values.size(); begin += piece) {
    const std::size_t count = std::min(piece, m.values.size() - begin);
    in.read(raw.data(), static_cast<std::streamsize>(count * layout.item));
    if (!in) throw InputError(name + ": read error: " + std::strerror(errno));
    convert_npy_values(raw.data(), layout.item, begin, count, block.first, m, name);
  }
  return m;
}

void write_npy(const std::filesystem::path& path, const HostMatrix& m, NpyType type) {
  io_detail::check_shape(path, m);
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
          throw Error(io_detail::cell_error(path.string(), e / m.cols, e % m.cols) + "value " +
                      io_detail::shortest(m.values[e]) + " is out of float32 range");
        }
        chunk.push_back(f);
      }
      os.write(reinterpret_cast<const char*>(chunk.data()),
               static_cast<std::streamsize>(chunk.size() * sizeof(float)));
    }
  });
}

}  // namespace kaa
