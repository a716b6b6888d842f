#pragma once
#include <cstddef>
#include <limits>

#include <Kokkos_Core.hpp>

#include "framework/types.hpp"

namespace kaa::kernels {

/// The extreme value of a 1-D view and the lowest index holding it.
struct Extremum {
  double value;
  std::size_t index;  // == extent when every entry is NaN
};

/// Smallest entry and the first index where it occurs. Two reductions (value, then index) rather
/// than MinLoc, whose tie-breaking depends on the order threads join: the index must not change
/// with the thread count.
template <class Space, class View1D>
Extremum first_min(const Space& space, const View1D& v) {
  const std::size_t n = v.extent(0);
  double best = std::numeric_limits<double>::infinity();
  Kokkos::parallel_reduce(
      "kaa::first_min.value", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        const double x = v(i);
        if (x < acc) acc = x;
      },
      Kokkos::Min<double>(best));
  long index = static_cast<long>(n);
  Kokkos::parallel_reduce(
      "kaa::first_min.index", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i, long& acc) {
        if (static_cast<double>(v(i)) == best && static_cast<long>(i) < acc)
          acc = static_cast<long>(i);
      },
      Kokkos::Min<long>(index));
  return {best, static_cast<std::size_t>(index)};
}

/// Largest entry and the first index where it occurs (see first_min).
template <class Space, class View1D>
Extremum first_max(const Space& space, const View1D& v) {
  const std::size_t n = v.extent(0);
  double best = -std::numeric_limits<double>::infinity();
  Kokkos::parallel_reduce(
      "kaa::first_max.value", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        const double x = v(i);
        if (x > acc) acc = x;
      },
      Kokkos::Max<double>(best));
  long index = static_cast<long>(n);
  Kokkos::parallel_reduce(
      "kaa::first_max.index", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i, long& acc) {
        if (static_cast<double>(v(i)) == best && static_cast<long>(i) < acc)
          acc = static_cast<long>(i);
      },
      Kokkos::Min<long>(index));
  return {best, static_cast<std::size_t>(index)};
}

template <class View1D>
Extremum first_min(const View1D& v) {
  return first_min(ExecSpace(), v);
}

template <class View1D>
Extremum first_max(const View1D& v) {
  return first_max(ExecSpace(), v);
}

}  // namespace kaa::kernels
