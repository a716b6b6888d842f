#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

// The passes over X of the data's support function seen from its centroid (the geometry behind
// archetypax's Improved and Sparse models: strategies/common/geometry/support.hpp).
namespace kaa::kernels {

using SupportMatrix = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;
using SupportIndex = Kokkos::View<long**, Kokkos::LayoutRight, MemSpace>;

namespace support_detail {

/// (row i of M - c) . (row j of U), in double and in one fixed order: the projections of data
/// rows and of other points onto a direction come out bit-identical when the points are equal,
/// so "is this archetype the extreme row?" has an exact answer.
template <class M>
KOKKOS_INLINE_FUNCTION double centred_dot(const M& rows, long i, const Vector<double>& c,
                                          const SupportMatrix& U, long j, std::size_t d) {
  double p = 0;
  for (std::size_t f = 0; f < d; ++f) p += (static_cast<double>(rows(i, f)) - c(f)) * U(j, f);
  return p;
}

}  // namespace support_detail

/// c(f) = mean of column f of X, one sequential double sum per feature (the same bits for any
/// number of threads).
template <class Space, class S>
void support_centroid(const Space& space, const Matrix<S>& X, const Vector<double>& c) {
  require_extent(c, 0, X.extent(1), "support_centroid", "c");
  const std::size_t n = X.extent(0);
  Kokkos::parallel_for(
      "kaa::support.centroid", Kokkos::RangePolicy<Space>(space, 0, X.extent(1)),
      KOKKOS_LAMBDA(const std::size_t f) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(X(i, f));
        c(f) = s / static_cast<double>(n);
      });
}

/// For every direction j (row of U, m x d) and chunk ch of `chunk_size` consecutive rows of X:
/// best(j, ch) = max over the chunk of (x_i - c).u_j and best_index(j, ch) its first row index
/// (best and best_index are m x chunks). Merging the chunks in order then keeps the lowest index
/// among equal maxima, whatever the chunking.
template <class Space, class S>
void support_chunk_extremes(const Space& space, const Matrix<S>& X, const Vector<double>& c,
                            const SupportMatrix& U, long chunk_size, const SupportMatrix& best,
                            const SupportIndex& best_index) {
  constexpr const char* entry = "support_chunk_extremes";
  const long n = static_cast<long>(X.extent(0));
  const std::size_t d = X.extent(1);
  const long m = static_cast<long>(U.extent(0));
  require(chunk_size > 0, entry, "chunk_size must be > 0");
  const long chunks = (n + chunk_size - 1) / chunk_size;
  require_extent(U, 1, d, entry, "U");
  require_extent(c, 0, d, entry, "c");
  require_extent(best, 0, U.extent(0), entry, "best");
  require_extent(best, 1, static_cast<std::size_t>(chunks), entry, "best");
  require_extent(best_index, 0, U.extent(0), entry, "best_index");
  require_extent(best_index, 1, static_cast<std::size_t>(chunks), entry, "best_index");
  Kokkos::parallel_for(
      "kaa::support.extremes", Kokkos::RangePolicy<Space>(space, 0, m * chunks),
      KOKKOS_LAMBDA(const long e) {
        const long j = e / chunks, ch = e % chunks;
        const long begin = ch * chunk_size;
        const long end = begin + chunk_size < n ? begin + chunk_size : n;
        double top = 0;
        long top_i = begin;
        for (long i = begin; i < end; ++i) {
          const double p = support_detail::centred_dot(X, i, c, U, j, d);
          if (i == begin || p > top) {
            top = p;
            top_i = i;
          }
        }
        best(j, ch) = top;
        best_index(j, ch) = top_i;
      });
}

/// out(j) = (p_j - c).u_j for the rows p_j of P and u_j of U, computed exactly as
/// support_chunk_extremes computes the data's projections.
template <class Space>
void support_along(const Space& space, const SupportMatrix& P, const Vector<double>& c,
                   const SupportMatrix& U, const Vector<double>& out) {
  constexpr const char* entry = "support_along";
  const std::size_t d = U.extent(1);
  require_extent(P, 0, U.extent(0), entry, "P");
  require_extent(P, 1, d, entry, "P");
  require_extent(c, 0, d, entry, "c");
  require_extent(out, 0, U.extent(0), entry, "out");
  Kokkos::parallel_for(
      "kaa::support.along", Kokkos::RangePolicy<Space>(space, 0, static_cast<long>(U.extent(0))),
      KOKKOS_LAMBDA(const long j) { out(j) = support_detail::centred_dot(P, j, c, U, j, d); });
}

/// out(j, :) = X(index(j), :) in double.
template <class Space, class S>
void support_gather_rows(const Space& space, const Matrix<S>& X,
                         const Kokkos::View<long*, MemSpace>& index, const SupportMatrix& out) {
  constexpr const char* entry = "support_gather_rows";
  const std::size_t d = X.extent(1);
  require_extent(out, 0, index.extent(0), entry, "out");
  require_extent(out, 1, d, entry, "out");
  Kokkos::parallel_for(
      "kaa::support.rows", Kokkos::RangePolicy<Space>(space, 0, index.extent(0) * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        out(e / d, e % d) = static_cast<double>(X(index(e / d), e % d));
      });
}

}  // namespace kaa::kernels
