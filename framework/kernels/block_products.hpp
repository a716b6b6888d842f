#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/row_tiles.hpp"
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

/// sum_i c_i x_i (k x padded(d), in row 0 of the result) with c_ij = C(i, j) (C n x k) or C(j, i)
/// (C k x n, `by_rows`), times w(i) when w is non-empty. One streaming pass over the rows of X in
/// fixed chunks, each adding its tiles into its own k x padded(d) partial, partials added in chunk
/// order: the same bits for any thread count. (One output entry per work item walking a column
/// of X instead reads X once per archetype, with a stride of d: that was half of an active-set
/// update at n = 1e5, d = 50, k = 10.)
template <class VC, class VX>
Work transposed_products(const VC& C, bool by_rows, const VX& X, const Vector<double>& w) {
  const std::size_t n = X.extent(0), d = X.extent(1), dp = padded(d);
  const std::size_t k = by_rows ? C.extent(0) : C.extent(1);
  const bool weighted = w.data() != nullptr;
  const RowChunks chunks = row_chunks(n, k * dp);
  Work partials("kaa::transposed_products.partials", chunks.count, k * dp);
  Work scratch("kaa::transposed_products.scratch", chunks.count, kTileRows * (dp + k));
  Kokkos::parallel_for(
      "kaa::transposed_products", Kokkos::RangePolicy<ExecSpace>(0, chunks.count),
      KOKKOS_LAMBDA(const std::size_t chunk) {
        double* xd = &scratch(chunk, 0);
        double* c = xd + kTileRows * dp;
        double* part = &partials(chunk, 0);
        const std::size_t end = chunks.end(chunk, n);
        for (std::size_t i0 = chunks.begin(chunk); i0 < end; i0 += kTileRows) {
          const std::size_t count = end - i0 < kTileRows ? end - i0 : kTileRows;
          for (std::size_t r = 0; r < kTileRows; ++r) {
            double* row = xd + r * dp;
            const std::size_t i = i0 + r;
            for (std::size_t f = 0; f < d; ++f)
              row[f] = r < count ? static_cast<double>(X(i, f)) : 0.0;
            const double wi = r < count && weighted ? w(i) : 1.0;
            for (std::size_t j = 0; j < k; ++j)
              c[r * k + j] =
                  r < count ? wi * static_cast<double>(by_rows ? C(j, i) : C(i, j)) : 0.0;
          }
          tile_accumulate_transposed(c, xd, k, dp, part);
        }
      });
  Work totals("kaa::transposed_products.totals", 1, k * dp);
  sum_partials(partials, totals);
  return totals;
}

/// Q = A^T diag(w) X (k x d); w empty = all ones.
template <class VA, class VX>
Matrix<double> weights_times_data(const VA& A, const VX& X,
                                  const Vector<double>& w = Vector<double>()) {
  const std::size_t k = A.extent(1), d = X.extent(1), dp = padded(d);
  const Work sums = transposed_products(A, false, X, w);
  Matrix<double> Q("kaa::weights_times_data", k, d);
  Kokkos::parallel_for(
      "kaa::weights_times_data", Kokkos::RangePolicy<ExecSpace>(0, k * d),
      KOKKOS_LAMBDA(const std::size_t e) { Q(e / d, e % d) = sums(0, e / d * dp + e % d); });
  return Q;
}

/// Z = B X into an existing k x d view (any scalar types).
template <class VB, class VX, class VZ>
void rows_times_data(const VB& B, const VX& X, const VZ& Z) {
  const std::size_t d = X.extent(1), dp = padded(d);
  using Out = typename VZ::non_const_value_type;
  const Work sums = transposed_products(B, true, X, Vector<double>());
  Kokkos::parallel_for(
      "kaa::rows_times_data", Kokkos::RangePolicy<ExecSpace>(0, Z.extent(0) * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        Z(e / d, e % d) = static_cast<Out>(sums(0, e / d * dp + e % d));
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
