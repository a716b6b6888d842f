#pragma once
#include <cmath>
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// Mean, population standard deviation, min and max of the entries of a vector that are >= 0;
/// negative entries mark rows without a defined value and are left out. All zero when count == 0.
struct RowSummary {
  std::size_t count = 0;
  double mean = 0, std = 0, min = 0, max = 0;
};

/// The RowSummary of v, in order-independent reductions plus a second pass about the mean (no
/// cancellation from a sum of squares minus a squared sum). With sample weights `w` (non-empty)
/// row i counts w_i times: weighted mean and std, min and max over rows of positive weight;
/// `count` is then the number of such rows.
template <class Space>
RowSummary summarize_nonnegative(const Space& space, const Vector<double>& v,
                                 const Vector<double>& w = Vector<double>()) {
  const std::size_t n = v.extent(0);
  const auto range = Kokkos::RangePolicy<Space>(space, 0, n);
  const bool weighted = w.data() != nullptr;
  if (weighted) require_extent(w, 0, n, "kaa::kernels::summarize_nonnegative", "w");
  // A row counts when its value is defined and, with sample weights, its weight is positive.
  const auto counts = KOKKOS_LAMBDA(const std::size_t i) {
    return v(i) >= 0 && (!weighted || w(i) > 0);
  };
  const auto mass = KOKKOS_LAMBDA(const std::size_t i) { return weighted ? w(i) : 1.0; };
  RowSummary s;
  double count = 0, sum = 0, rows = 0;
  Kokkos::parallel_reduce(
      "kaa::row_summary.count", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) { acc += counts(i) ? mass(i) : 0.0; }, count);
  if (count == 0) return s;
  Kokkos::parallel_reduce(
      "kaa::row_summary.sum", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        acc += counts(i) ? (weighted ? w(i) * v(i) : v(i)) : 0.0;
      },
      sum);
  if (weighted)
    Kokkos::parallel_reduce(
        "kaa::row_summary.rows", range,
        KOKKOS_LAMBDA(const std::size_t i, double& acc) { acc += counts(i) ? 1.0 : 0.0; }, rows);
  s.count = static_cast<std::size_t>(weighted ? rows : count);
  s.mean = sum / count;
  const double mean = s.mean;
  double squares = 0;
  Kokkos::parallel_reduce(
      "kaa::row_summary.var", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        acc += counts(i) ? mass(i) * ((v(i) - mean) * (v(i) - mean)) : 0.0;
      },
      squares);
  s.std = std::sqrt(squares / count);
  Kokkos::parallel_reduce(
      "kaa::row_summary.min", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        if (counts(i) && v(i) < acc) acc = v(i);
      },
      Kokkos::Min<double>(s.min));
  Kokkos::parallel_reduce(
      "kaa::row_summary.max", range,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        if (counts(i) && v(i) > acc) acc = v(i);
      },
      Kokkos::Max<double>(s.max));
  return s;
}

}  // namespace kaa::kernels
