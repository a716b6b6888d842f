// libFuzzer target: bytes -> the .npy parser. InputError is the expected answer to bad input.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "framework/error.hpp"
#include "framework/io/matrix_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const kaa::HostMatrix m =
        kaa::parse_npy(std::string(reinterpret_cast<const char*>(data), size), "fuzz.npy");
    if (m.rows == 0 || m.cols == 0 || m.values.size() != m.rows * m.cols) __builtin_trap();
    for (double v : m.values)
      if (!std::isfinite(v)) __builtin_trap();
  } catch (const kaa::InputError&) {
  }
  return 0;
}
