#pragma once
#include <cstdint>

#include <Kokkos_Core.hpp>

namespace kaa {

using ExecSpace = Kokkos::DefaultExecutionSpace;
using MemSpace = ExecSpace::memory_space;

/// Row-major on every backend: rows of X, A and Z are the unit of parallel work.
template <class S>
using Matrix = Kokkos::View<S**, Kokkos::LayoutRight, MemSpace>;
template <class S>
using Vector = Kokkos::View<S*, MemSpace>;

/// The two blocks every model optimises: weights A (n x k, rows on the simplex) and
/// archetypes Z (k x d). Gradients and optimizer moments share the shape.
template <class S>
struct Parameters {
  Matrix<S> weights;
  Matrix<S> archetypes;
};

template <class S>
Parameters<S> allocate_parameters(const char* label, std::size_t n, std::size_t k, std::size_t d) {
  return {Matrix<S>(std::string(label) + ".weights", n, k),
          Matrix<S>(std::string(label) + ".archetypes", k, d)};
}

enum class Block : unsigned { weights = 1u, archetypes = 2u };

}  // namespace kaa
