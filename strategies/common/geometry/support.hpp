#pragma once
#include <vector>

#include "framework/host_matrix.hpp"
#include "framework/types.hpp"

namespace kaa::strategies::common {

/// The data's support function seen from its centroid c: for a direction u, the row of X that
/// maximises (x - c).u. archetypax's Improved and Sparse models build their initializers, boundary
/// loss, projections and "hull scaling" on it. The centroid is computed once per data matrix.
/// Directions and archetypes are small (m x d, k x d) and live on the host; the passes over X run
/// on the device.
template <class S>
class Support {
 public:
  /// Uses X from now on; recomputes the centroid only when X is another view.
  void bind(const Matrix<S>& X);
  const Matrix<S>& data() const { return X_; }
  /// Column means of X, accumulated in double (archetypax: jnp.mean(X, axis=0)).
  const std::vector<double>& centroid() const { return centroid_; }

  /// For each row u of U (m x d): the lowest row index i maximising (x_i - c).u, and that
  /// maximum. Ties go to the lower index, as jnp.argmax does; the result does not depend on the
  /// number of threads.
  void extremes(const HostMatrix& U, std::vector<long>& index, std::vector<double>& value) const;

  /// (p_j - c).u_j for the rows p_j of P and u_j of U, computed exactly as extremes() computes
  /// the data's projections: a row of P equal to its extreme data row gets the same value.
  std::vector<double> along(const HostMatrix& P, const HostMatrix& U) const;

  /// Copies of the rows `index` of X (in double).
  HostMatrix rows(const std::vector<long>& index) const;

  /// archetypax's "hull constraint" on every row a of Z: with u = (a - c)/|a - c| (u = 0 when
  /// |a - c| <= eps), m = max_i (x_i - c).u and p = (a - c).u, a row with p > m is moved to
  /// c + margin m / (p + eps) (a - c). This tests one support direction only (a necessary
  /// condition for hull membership, not a sufficient one).
  void scale_into_support(HostMatrix& Z, double margin, double eps) const;

 private:
  using DMatrix = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;
  DMatrix upload(const HostMatrix& M, DMatrix& buffer, const char* label) const;
  using IMatrix = Kokkos::View<long**, Kokkos::LayoutRight, MemSpace>;
  Matrix<S> X_;
  std::vector<double> centroid_;
  Kokkos::View<double*, MemSpace> centroid_device_;
  // Scratch reused between calls of the same shape (called every update by losses and hooks).
  mutable DMatrix directions_, points_, best_;
  mutable IMatrix best_index_;
  mutable Kokkos::View<long*, MemSpace> row_index_;
  mutable DMatrix rows_;
  mutable Kokkos::View<double*, MemSpace> along_;
};

/// Unit rows (a - c)/|a - c| of Z; rows with |a - c| <= eps become `fallback` (or 0 when empty).
HostMatrix directions_from(const HostMatrix& Z, const std::vector<double>& c, double eps,
                           const std::vector<double>& fallback = {});

/// n standard normal numbers from the counter-based generator (Box-Muller), stream `stream`.
std::vector<double> normal_draws(std::uint64_t seed, std::uint64_t stream, std::size_t count);

extern template class Support<float>;
extern template class Support<double>;

}  // namespace kaa::strategies::common
