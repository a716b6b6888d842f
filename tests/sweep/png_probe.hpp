#pragma once
// A minimal PNG reader for tests: checks the signature, every chunk's CRC and the header,
// inflates the image data (zlib via Boost.Iostreams), undoes the row filters and counts the
// distinct pixel values. Enough to tell a real figure from an empty or broken file.
#include <boost/crc.hpp>
#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/filter/zlib.hpp>
#include <boost/iostreams/filtering_streambuf.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace kaa_test {

struct PngInfo {
  std::uint32_t width = 0, height = 0;
  std::size_t colours = 0;  // distinct pixel values
};

inline std::uint32_t be32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

/// Throws std::runtime_error describing what is wrong with the file.
inline PngInfo probe_png(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();
  if (data.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) != 0)
    throw std::runtime_error("no PNG signature");
  PngInfo info;
  unsigned depth = 0, type = 0, interlace = 0;
  std::string idat;
  std::size_t pos = 8;
  bool ended = false;
  while (pos + 12 <= data.size() && !ended) {
    const std::uint32_t length = be32(data, pos);
    if (pos + 12 + length > data.size()) throw std::runtime_error("truncated chunk");
    const std::string kind = data.substr(pos + 4, 4);
    boost::crc_32_type crc;
    crc.process_bytes(data.data() + pos + 4, 4 + length);
    if (crc.checksum() != be32(data, pos + 8 + length))
      throw std::runtime_error("bad CRC in chunk " + kind);
    if (kind == "IHDR") {
      info.width = be32(data, pos + 8);
      info.height = be32(data, pos + 12);
      depth = static_cast<unsigned char>(data[pos + 16]);
      type = static_cast<unsigned char>(data[pos + 17]);
      interlace = static_cast<unsigned char>(data[pos + 20]);
    } else if (kind == "IDAT") {
      idat += data.substr(pos + 8, length);
    } else if (kind == "IEND") {
      ended = true;
    }
    pos += 12 + length;
  }
  if (!ended || info.width == 0) throw std::runtime_error("no IHDR or IEND");
  const unsigned channels[] = {1, 0, 3, 1, 2, 0, 4};
  if (depth != 8 || interlace != 0 || type > 6 || channels[type] == 0)
    throw std::runtime_error("not an 8-bit non-interlaced image");
  const std::size_t bpp = channels[type], stride = info.width * bpp;
  std::istringstream compressed(idat);
  boost::iostreams::filtering_streambuf<boost::iostreams::input> z;
  z.push(boost::iostreams::zlib_decompressor());
  z.push(compressed);
  std::ostringstream plain;
  boost::iostreams::copy(z, plain);
  const std::string raw = plain.str();
  if (raw.size() != info.height * (stride + 1))
    throw std::runtime_error("image data do not match the header");
  std::vector<int> prev(stride, 0), line(stride);
  std::set<std::vector<int>> seen;
  for (std::size_t y = 0; y < info.height; ++y) {
    const unsigned filter = static_cast<unsigned char>(raw[y * (stride + 1)]);
    for (std::size_t i = 0; i < stride; ++i) {
      const int x = static_cast<unsigned char>(raw[y * (stride + 1) + 1 + i]);
      const int a = i >= bpp ? line[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      int p = 0;
      switch (filter) {
        case 0:
          p = 0;
          break;
        case 1:
          p = a;
          break;
        case 2:
          p = b;
          break;
        case 3:
          p = (a + b) / 2;
          break;
        case 4: {
          const int e = a + b - c, pa = std::abs(e - a), pb = std::abs(e - b), pc = std::abs(e - c);
          p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw std::runtime_error("unknown row filter");
      }
      line[i] = (x + p) & 0xff;
    }
    for (std::size_t x = 0; x < stride; x += bpp)
      seen.insert(std::vector<int>(line.begin() + x, line.begin() + x + bpp));
    prev = line;
  }
  info.colours = seen.size();
  return info;
}

}  // namespace kaa_test
