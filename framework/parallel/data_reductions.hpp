#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/reconstruction.hpp"
#include "framework/parallel/communicator.hpp"
#include "framework/parallel/row_block.hpp"
#include "framework/types.hpp"

namespace kaa::parallel {

/// kernels::total_sum_of_squares over all ranks' rows in a distributed fit (global column means:
/// d values and then one scalar cross), else over X.
/// With sample weights (non-empty `row_weights`) the means and the sum are weighted.
template <class S>
double total_sum_of_squares(const Matrix<S>& X, const Vector<double>& feature_weight,
                            const RowWeights& row_weights = RowWeights()) {
  if (!distributed())
    return kernels::total_sum_of_squares(X, feature_weight, Vector<double>(), row_weights);
  const std::size_t d = X.extent(1);
  const Vector<double> sums = kernels::column_sums(X, 1.0, row_weights.w);
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), sums);
  world().allreduce_sum(host.data(), d);
  const double n =
      row_weights.empty() ? static_cast<double>(global_rows(X.extent(0))) : row_weights.total;
  for (std::size_t f = 0; f < d; ++f) host(f) /= n;
  Kokkos::deep_copy(sums, host);
  double tss = kernels::total_sum_of_squares(X, feature_weight, sums, row_weights);
  world().allreduce_sum(&tss, 1);
  return tss;
}

}  // namespace kaa::parallel
