#pragma once
#include <vector>

#include <Kokkos_Core.hpp>

#include "framework/kernels/block_products.hpp"
#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// Z = B X (k x d) for mixing weights B (k x n), accumulated in double.
template <class Space, class S>
void mixing_times_data(const Space& space, const Matrix<S>& B, const Matrix<S>& X,
                       const Matrix<S>& Z, TransposedProductsWorkspace& ws) {
  require_extent(B, 1, X.extent(0), "kaa::kernels::mixing_times_data", "B");
  rows_times_data(space, B, X, Z, ws);
}

template <class S>
void mixing_times_data(const Matrix<S>& B, const Matrix<S>& X, const Matrix<S>& Z) {
  TransposedProductsWorkspace ws;
  mixing_times_data(ExecSpace(), B, X, Z, ws);
}

/// gB += gZ X^T (k x n): the chain rule through Z = B X, in one pass over X.
template <class Space, class S>
void chain_to_mixing(const Space& space, const Matrix<S>& gZ, const Matrix<S>& X,
                     const Matrix<S>& gB) {
  const std::size_t k = gZ.extent(0), n = X.extent(0), d = X.extent(1);
  const char* entry = "kaa::kernels::chain_to_mixing";
  require_extent(gZ, 1, d, entry, "gZ");
  require_extent(gB, 0, k, entry, "gB");
  require_extent(gB, 1, n, entry, "gB");
  Kokkos::parallel_for(
      "kaa::chain_to_mixing", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f) s += static_cast<double>(gZ(j, f)) * X(i, f);
          gB(j, i) += static_cast<S>(s);
        }
      });
}

template <class S>
void chain_to_mixing(const Matrix<S>& gZ, const Matrix<S>& X, const Matrix<S>& gB) {
  chain_to_mixing(ExecSpace(), gZ, X, gB);
}

/// B(j, :) = e_{rows[j]}: mixing weights that select data rows (for initializers that pick
/// points).
template <class S>
void set_mixing_one_hot(const Matrix<S>& B, const std::vector<std::size_t>& rows) {
  auto host = Kokkos::create_mirror_view(B);
  Kokkos::deep_copy(host, S(0));
  for (std::size_t j = 0; j < rows.size() && j < B.extent(0); ++j) host(j, rows[j]) = S(1);
  Kokkos::deep_copy(B, host);
}

}  // namespace kaa::kernels
