#pragma once
#include <cstdint>

#include <Kokkos_Core.hpp>

namespace kaa::kernels {

/// Counter-based random numbers: the value for (seed, stream, index) does not depend on which
/// thread asks or in what order, so results are the same for any thread count and on any backend.
/// Mixing function: SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014).
KOKKOS_INLINE_FUNCTION std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

KOKKOS_INLINE_FUNCTION std::uint64_t random_bits(std::uint64_t seed, std::uint64_t stream,
                                                 std::uint64_t index) {
  return mix64(mix64(seed ^ mix64(stream)) + index);
}

/// Uniform double in [0, 1) with 53 random bits.
KOKKOS_INLINE_FUNCTION double uniform01(std::uint64_t seed, std::uint64_t stream,
                                        std::uint64_t index) {
  return static_cast<double>(random_bits(seed, stream, index) >> 11) * 0x1.0p-53;
}

}  // namespace kaa::kernels
