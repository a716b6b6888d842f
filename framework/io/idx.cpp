#include "framework/io/idx.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_streambuf.hpp>

#include "framework/error.hpp"

namespace kaa {

namespace {

std::uint64_t big_endian(const std::string& b, std::size_t at, std::size_t bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

double element(const std::string& b, std::size_t at, unsigned char type) {
  switch (type) {
    case 0x08:
      return static_cast<unsigned char>(b[at]);
    case 0x09:
      return static_cast<signed char>(b[at]);
    case 0x0B:
      return static_cast<std::int16_t>(big_endian(b, at, 2));
    case 0x0C:
      return static_cast<std::int32_t>(big_endian(b, at, 4));
    case 0x0D: {
      const auto bits = static_cast<std::uint32_t>(big_endian(b, at, 4));
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    }
    default: {
      const std::uint64_t bits = big_endian(b, at, 8);
      double d;
      std::memcpy(&d, &bits, 8);
      return d;
    }
  }
}

}  // namespace

HostMatrix parse_idx(const std::string& b, const std::string& name) {
  if (b.size() < 4)
    throw InputError(name + ": not an IDX file (" + std::to_string(b.size()) + " bytes)");
  if (b[0] != 0 || b[1] != 0)
    throw InputError(name + ": not an IDX file (magic number must start with two zero bytes)");
  const auto type = static_cast<unsigned char>(b[2]);
  std::size_t width = 0;
  switch (type) {
    case 0x08:
    case 0x09:
      width = 1;
      break;
    case 0x0B:
      width = 2;
      break;
    case 0x0C:
    case 0x0D:
      width = 4;
      break;
    case 0x0E:
      width = 8;
      break;
    default: {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", type);
      throw InputError(name + ": byte 2: unknown IDX element type " + hex);
    }
  }
  const std::size_t dims = static_cast<unsigned char>(b[3]);
  if (dims == 0) throw InputError(name + ": byte 3: an IDX file needs at least one dimension");
  if (b.size() < 4 + 4 * dims)
    throw InputError(name + ": truncated header (" + std::to_string(dims) + " dimensions need " +
                     std::to_string(4 + 4 * dims) + " bytes, file has " + std::to_string(b.size()) +
                     ")");
  std::size_t rows = 0, cols = 1;
  const std::size_t limit = std::numeric_limits<std::size_t>::max() / 8;
  for (std::size_t i = 0; i < dims; ++i) {
    const std::size_t extent = big_endian(b, 4 + 4 * i, 4);
    if (extent == 0)
      throw InputError(name + ": byte " + std::to_string(4 + 4 * i) + ": dimension " +
                       std::to_string(i) + " is 0");
    if (i == 0) {
      rows = extent;
    } else {
      if (cols > limit / extent) throw InputError(name + ": dimensions overflow");
      cols *= extent;
    }
  }
  if (rows > limit / cols || rows * cols > limit / width)
    throw InputError(name + ": dimensions overflow");
  const std::size_t header = 4 + 4 * dims;
  const std::size_t need = header + rows * cols * width;
  if (b.size() < need)
    throw InputError(name + ": truncated: header announces " + std::to_string(rows) + " x " +
                     std::to_string(cols) + " values (" + std::to_string(need) +
                     " bytes), file has " + std::to_string(b.size()) + " bytes");
  if (b.size() > need)
    throw InputError(name + ": " + std::to_string(b.size() - need) +
                     " unexpected bytes after the data at offset " + std::to_string(need));
  HostMatrix m(rows, cols);
  for (std::size_t e = 0; e < rows * cols; ++e) {
    const double v = element(b, header + e * width, type);
    if (!std::isfinite(v))
      throw InputError(name + ": offset " + std::to_string(header + e * width) +
                       ": non-finite value");
    m.values[e] = v;
  }
  return m;
}

bool is_idx_name(const std::filesystem::path& path) {
  std::string s = path.filename().string();
  if (s.size() > 3 && s.compare(s.size() - 3, 3, ".gz") == 0) s.resize(s.size() - 3);
  auto ends = [&](const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  return ends("-ubyte") || ends(".idx") || ends(".idx1") || ends(".idx2") || ends(".idx3");
}

HostMatrix read_idx(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path.string() + ": cannot open: is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open: " + std::strerror(errno));
  std::ostringstream raw;
  raw << in.rdbuf();
  std::string bytes = raw.str();
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
      static_cast<unsigned char>(bytes[1]) == 0x8b) {
    try {
      std::istringstream compressed(bytes);
      boost::iostreams::filtering_streambuf<boost::iostreams::input> gz;
      gz.push(boost::iostreams::gzip_decompressor());
      gz.push(compressed);
      std::ostringstream plain;
      boost::iostreams::copy(gz, plain);
      bytes = plain.str();
    } catch (const std::exception& e) {
      throw InputError(path.string() + ": corrupt gzip data: " + e.what());
    }
  }
  return parse_idx(bytes, path.string());
}

}  // namespace kaa
