#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

// Argument checks of the kernel entry points, on the host before any launch: a wrong extent is a
// programming error in a strategy, reported with the entry point's name instead of an
// out-of-bounds read on the device.
namespace kaa::kernels {

/// Throws std::invalid_argument("<entry>: <what>") unless `ok`.
inline void require(bool ok, const char* entry, const std::string& what) {
  if (!ok) throw std::invalid_argument(std::string(entry) + ": " + what);
}

/// Requires view.extent(dim) == expected, naming the argument.
template <class V>
void require_extent(const V& view, unsigned dim, std::size_t expected, const char* entry,
                    const char* name) {
  const std::size_t got = view.extent(dim);
  require(got == expected, entry,
          std::string(name) + " extent(" + std::to_string(dim) + ") is " + std::to_string(got) +
              ", expected " + std::to_string(expected));
}

}  // namespace kaa::kernels
