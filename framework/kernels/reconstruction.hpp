#pragma once
#include <Kokkos_Core.hpp>
#include <Kokkos_ScatterView.hpp>

#include "framework/types.hpp"

namespace kaa::kernels {

/// One streaming pass over X: returns sum_i sum_f c_f r_if^2 with r_i = x_i - a_i Z, where
/// c_f = feature_weight(f) (all ones when the view is empty). When `grad_weights` /
/// `grad_archetypes` are non-empty, ADDS scale * d/dA and scale * d/dZ of sum_i ||r_i||^2 into
/// them:
///   dA_ij = -2 sum_f r_if z_jf,   dZ_jf = -2 sum_i a_ij r_if.
/// The residual is formed per row on the fly (accurate, no cancellation from expanding the square)
/// and never stored: memory traffic is one read of X and A, plus the gradient rows.
template <class S>
double reconstruction_pass(const Matrix<S>& X, const Matrix<S>& A, const Matrix<S>& Z, double scale,
                           const Matrix<S>& grad_weights, const Matrix<S>& grad_archetypes,
                           const Vector<double>& feature_weight = Vector<double>()) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = Z.extent(0);
  const bool want_ga = grad_weights.data() != nullptr;
  const bool want_gz = grad_archetypes.data() != nullptr;
  const bool weighted = feature_weight.data() != nullptr;
  const S minus_two_scale = static_cast<S>(-2.0 * scale);

  using Scatter = Kokkos::Experimental::ScatterView<S**, Kokkos::LayoutRight, ExecSpace>;
  Matrix<S> gz_local("kaa::reconstruction.gz", want_gz ? k : 0, want_gz ? d : 0);
  Scatter gz_scatter(gz_local);
  const Matrix<S> ga = grad_weights;
  const Vector<double> fw = feature_weight;

  // Features are processed in blocks held in a small local array, so the inner loops run over
  // contiguous features (vectorisable) without needing per-thread scratch of size d.
  constexpr std::size_t block = 32;
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::reconstruction_pass", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        auto gz = gz_scatter.access();
        S r[block];
        for (std::size_t f0 = 0; f0 < d; f0 += block) {
          const std::size_t width = d - f0 < block ? d - f0 : block;
          for (std::size_t b = 0; b < width; ++b) r[b] = X(i, f0 + b);
          for (std::size_t j = 0; j < k; ++j) {
            const S a = A(i, j);
            for (std::size_t b = 0; b < width; ++b) r[b] -= a * Z(j, f0 + b);
          }
          for (std::size_t b = 0; b < width; ++b) {
            const double rd = static_cast<double>(r[b]);
            acc += (weighted ? fw(f0 + b) : 1.0) * rd * rd;
          }
          if (want_ga) {
            for (std::size_t j = 0; j < k; ++j) {
              S dot = 0;
              for (std::size_t b = 0; b < width; ++b) dot += r[b] * Z(j, f0 + b);
              ga(i, j) += minus_two_scale * dot;
            }
          }
          if (want_gz) {
            for (std::size_t j = 0; j < k; ++j) {
              const S c = minus_two_scale * A(i, j);
              for (std::size_t b = 0; b < width; ++b) gz(j, f0 + b) += c * r[b];
            }
          }
        }
      },
      total);
  if (want_gz) {
    Kokkos::Experimental::contribute(gz_local, gz_scatter);
    const Matrix<S> gz_out = grad_archetypes;
    Kokkos::parallel_for(
        "kaa::reconstruction_pass.add_gz", Kokkos::RangePolicy<ExecSpace>(0, k * d),
        KOKKOS_LAMBDA(const std::size_t e) { gz_out(e / d, e % d) += gz_local(e / d, e % d); });
  }
  return total;
}

/// sum_i sum_f c_f (x_if - mean_f)^2: the total sum of squares that explained variance divides by.
template <class S>
double total_sum_of_squares(const Matrix<S>& X, const Vector<double>& feature_weight) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  Vector<double> mean("kaa::tss.mean", d);
  Kokkos::parallel_for(
      "kaa::tss.mean", Kokkos::RangePolicy<ExecSpace>(0, d), KOKKOS_LAMBDA(const std::size_t f) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += X(i, f);
        mean(f) = s / static_cast<double>(n);
      });
  const bool weighted = feature_weight.data() != nullptr;
  const Vector<double> fw = feature_weight;
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::tss", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        for (std::size_t f = 0; f < d; ++f) {
          const double c = static_cast<double>(X(i, f)) - mean(f);
          acc += (weighted ? fw(f) : 1.0) * c * c;
        }
      },
      total);
  return total;
}

}  // namespace kaa::kernels
