// libFuzzer target: bytes -> the IDX reader. Plain inputs go to the parser in memory; inputs that
// start with the gzip magic go through read_idx from a temporary file, so that decompression is
// fuzzed too. InputError is the expected answer to bad input.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "framework/error.hpp"
#include "framework/io/idx.hpp"

namespace {

kaa::HostMatrix read_gzip(const std::string& bytes) {
  static const std::string path = "/tmp/kaa-fuzz-idx-" + std::to_string(::getpid()) + "-ubyte.gz";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  struct Remove {
    ~Remove() { std::remove(path.c_str()); }
  } remove;
  return kaa::read_idx(path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  try {
    const kaa::HostMatrix m = gzip ? read_gzip(bytes) : kaa::parse_idx(bytes, "fuzz.idx");
    if (m.rows == 0 || m.cols == 0 || m.values.size() != m.rows * m.cols) __builtin_trap();
    for (double v : m.values)
      if (!std::isfinite(v)) __builtin_trap();
  } catch (const kaa::InputError&) {
  }
  return 0;
}
