#pragma once
#include <Kokkos_Core.hpp>

#include "framework/types.hpp"

// The small products block solvers are built from (notation of Cutler & Breiman: X n x d, A n x k,
// B k x n, Z = B X k x d). Each is one pass over its largest operand, accumulated in double;
// views of any scalar type are accepted so solvers can keep double work copies of A and B.
namespace kaa::kernels {

/// Column means of X (d).
template <class VX>
Vector<double> column_means(const VX& X) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  Vector<double> m("kaa::column_means", d);
  Kokkos::parallel_for(
      "kaa::column_means", Kokkos::RangePolicy<ExecSpace>(0, d),
      KOKKOS_LAMBDA(const std::size_t f) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(X(i, f));
        m(f) = s / static_cast<double>(n);
      });
  return m;
}

/// sum_if X_if^2.
template <class VX>
double sum_of_squares(const VX& X) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::sum_of_squares", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        for (std::size_t f = 0; f < d; ++f) {
          const double x = static_cast<double>(X(i, f));
          acc += x * x;
        }
      },
      total);
  return total;
}

/// (Z - 1 m^T)(Z - 1 m^T)^T (k x k): the Gram of archetypes translated by m. On the simplex the
/// reconstruction error does not change when X and Z are translated together, and translating by
/// the data mean keeps the Gram form free of cancellation for data far from the origin.
template <class VZ>
Matrix<double> centered_gram(const VZ& Z, const Vector<double>& m) {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  Matrix<double> G("kaa::centered_gram", k, k);
  Kokkos::parallel_for(
      "kaa::centered_gram", Kokkos::RangePolicy<ExecSpace>(0, k * k),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t a = e / k, b = e % k;
        double s = 0;
        for (std::size_t f = 0; f < d; ++f)
          s += (static_cast<double>(Z(a, f)) - m(f)) * (static_cast<double>(Z(b, f)) - m(f));
        G(a, b) = s;
      });
  return G;
}

/// (X - 1 m^T)(Z - 1 m^T)^T (n x k).
template <class VX, class VZ>
Matrix<double> centered_products(const VX& X, const VZ& Z, const Vector<double>& m) {
  const std::size_t n = X.extent(0), k = Z.extent(0), d = X.extent(1);
  Matrix<double> C("kaa::centered_products", n, k);
  Kokkos::parallel_for(
      "kaa::centered_products", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f)
            s += (static_cast<double>(X(i, f)) - m(f)) * (static_cast<double>(Z(j, f)) - m(f));
          C(i, j) = s;
        }
      });
  return C;
}

/// H = A^T diag(w) A (k x k); w empty = all ones.
template <class VA>
Matrix<double> weights_gram(const VA& A, const Vector<double>& w = Vector<double>()) {
  const std::size_t n = A.extent(0), k = A.extent(1);
  const bool weighted = w.data() != nullptr;
  Matrix<double> H("kaa::weights_gram", k, k);
  Kokkos::parallel_for(
      "kaa::weights_gram", Kokkos::RangePolicy<ExecSpace>(0, k * k),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t a = e / k, b = e % k;
        double s = 0;
        for (std::size_t i = 0; i < n; ++i)
          s +=
              (weighted ? w(i) : 1.0) * static_cast<double>(A(i, a)) * static_cast<double>(A(i, b));
        H(a, b) = s;
      });
  return H;
}

/// Q = A^T diag(w) X (k x d); w empty = all ones.
template <class VA, class VX>
Matrix<double> weights_times_data(const VA& A, const VX& X,
                                  const Vector<double>& w = Vector<double>()) {
  const std::size_t n = A.extent(0), k = A.extent(1), d = X.extent(1);
  const bool weighted = w.data() != nullptr;
  Matrix<double> Q("kaa::weights_times_data", k, d);
  Kokkos::parallel_for(
      "kaa::weights_times_data", Kokkos::RangePolicy<ExecSpace>(0, k * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t j = e / d, f = e % d;
        double s = 0;
        for (std::size_t i = 0; i < n; ++i)
          s +=
              (weighted ? w(i) : 1.0) * static_cast<double>(A(i, j)) * static_cast<double>(X(i, f));
        Q(j, f) = s;
      });
  return Q;
}

/// Z = B X into an existing k x d view (any scalar types).
template <class VB, class VX, class VZ>
void rows_times_data(const VB& B, const VX& X, const VZ& Z) {
  const std::size_t k = B.extent(0), n = B.extent(1), d = X.extent(1);
  using Out = typename VZ::non_const_value_type;
  Kokkos::parallel_for(
      "kaa::rows_times_data", Kokkos::RangePolicy<ExecSpace>(0, k * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t j = e / d, f = e % d;
        double s = 0;
        for (std::size_t i = 0; i < n; ++i)
          s += static_cast<double>(B(j, i)) * static_cast<double>(X(i, f));
        Z(j, f) = static_cast<Out>(s);
      });
}

/// ||x_i - a_i Z||^2 for every row (n).
template <class VX, class VA, class VZ>
Vector<double> residual_norms2(const VX& X, const VA& A, const VZ& Z) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = Z.extent(0);
  Vector<double> out("kaa::residual_norms2", n);
  Kokkos::parallel_for(
      "kaa::residual_norms2", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) {
          double r = static_cast<double>(X(i, f));
          for (std::size_t j = 0; j < k; ++j)
            r -= static_cast<double>(A(i, j)) * static_cast<double>(Z(j, f));
          s += r * r;
        }
        out(i) = s;
      });
  return out;
}

/// Copies between views of the same shape and different scalar types (deep_copy needs equal
/// types).
template <class VFrom, class VTo>
void convert(const VFrom& from, const VTo& to) {
  const std::size_t cols = from.extent(1);
  using Out = typename VTo::non_const_value_type;
  Kokkos::parallel_for(
      "kaa::convert", Kokkos::RangePolicy<ExecSpace>(0, from.extent(0) * cols),
      KOKKOS_LAMBDA(const std::size_t e) {
        to(e / cols, e % cols) = static_cast<Out>(from(e / cols, e % cols));
      });
}

}  // namespace kaa::kernels
