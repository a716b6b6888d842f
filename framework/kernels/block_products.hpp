#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

// The small products block solvers are built from (notation of Cutler & Breiman: X n x d, A n x k,
// B k x n, Z = B X k x d). Each is one pass over its largest operand, accumulated in double;
// views of any scalar type are accepted so solvers can keep double work copies of A and B.
namespace kaa::kernels {

/// Column means of X into m (d, sized here).
template <class Space, class VX>
void column_means(const Space& space, const VX& X, Vector<double>& m) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  fit_extents(m, "kaa::column_means", d);
  const Vector<double> out = m;
  Kokkos::parallel_for(
      "kaa::column_means", Kokkos::RangePolicy<Space>(space, 0, d),
      KOKKOS_LAMBDA(const std::size_t f) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(X(i, f));
        out(f) = s / static_cast<double>(n);
      });
}

/// G = (Z - 1 m^T)(Z - 1 m^T)^T (k x k, sized here): the Gram of archetypes translated by m. On
/// the simplex the reconstruction error does not change when X and Z are translated together, and
/// translating by the data mean keeps the Gram form free of cancellation for data far from the
/// origin.
template <class Space, class VZ>
void centered_gram(const Space& space, const VZ& Z, const Vector<double>& m, Matrix<double>& G) {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  require_extent(m, 0, d, "kaa::kernels::centered_gram", "m");
  fit_extents(G, "kaa::centered_gram", k, k);
  const Matrix<double> out = G;
  Kokkos::parallel_for(
      "kaa::centered_gram", Kokkos::RangePolicy<Space>(space, 0, k * k),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t a = e / k, b = e % k;
        double s = 0;
        for (std::size_t f = 0; f < d; ++f)
          s += (static_cast<double>(Z(a, f)) - m(f)) * (static_cast<double>(Z(b, f)) - m(f));
        out(a, b) = s;
      });
}

/// C = (X - 1 m^T)(Z - 1 m^T)^T (n x k, sized here).
template <class Space, class VX, class VZ>
void centered_products(const Space& space, const VX& X, const VZ& Z, const Vector<double>& m,
                       Matrix<double>& C) {
  const std::size_t n = X.extent(0), k = Z.extent(0), d = X.extent(1);
  const char* entry = "kaa::kernels::centered_products";
  require_extent(Z, 1, d, entry, "Z");
  require_extent(m, 0, d, entry, "m");
  fit_extents(C, "kaa::centered_products", n, k);
  const Matrix<double> out = C;
  Kokkos::parallel_for(
      "kaa::centered_products", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f)
            s += (static_cast<double>(X(i, f)) - m(f)) * (static_cast<double>(Z(j, f)) - m(f));
          out(i, j) = s;
        }
      });
}

/// H = A^T diag(w) A (k x k, sized here); w empty = all ones.
template <class Space, class VA>
void weights_gram(const Space& space, const VA& A, Matrix<double>& H,
                  const Vector<double>& w = Vector<double>()) {
  const std::size_t n = A.extent(0), k = A.extent(1);
  const bool weighted = w.data() != nullptr;
  if (weighted) require_extent(w, 0, n, "kaa::kernels::weights_gram", "w");
  fit_extents(H, "kaa::weights_gram", k, k);
  const Matrix<double> out = H;
  Kokkos::parallel_for(
      "kaa::weights_gram", Kokkos::RangePolicy<Space>(space, 0, k * k),
      KOKKOS_LAMBDA(const std::size_t e) {
        const std::size_t a = e / k, b = e % k;
        double s = 0;
        for (std::size_t i = 0; i < n; ++i)
          s +=
              (weighted ? w(i) : 1.0) * static_cast<double>(A(i, a)) * static_cast<double>(A(i, b));
        out(a, b) = s;
      });
}

/// Scratch of transposed_products; `totals` (1 x k padded(d)) holds its result.
struct TransposedProductsWorkspace {
  Work partials, scratch, totals;
};

/// sum_i c_i x_i (k x padded(d), into row 0 of ws.totals) with c_ij = C(i, j) (C n x k) or C(j, i)
/// (C k x n, `by_rows`), times w(i) when w is non-empty. One streaming pass over the rows of X in
/// fixed chunks, each adding its tiles into its own k x padded(d) partial, partials added in chunk
/// order: the same bits for any thread count. (One output entry per work item walking a column
/// of X instead reads X once per archetype, with a stride of d: that was half of an active-set
/// update at n = 1e5, d = 50, k = 10.)
template <class Space, class VC, class VX>
void transposed_products(const Space& space, const VC& C, bool by_rows, const VX& X,
                         const Vector<double>& w, TransposedProductsWorkspace& ws) {
  const std::size_t n = X.extent(0), d = X.extent(1), dp = padded(d);
  const std::size_t k = by_rows ? C.extent(0) : C.extent(1);
  const char* entry = "kaa::kernels::transposed_products";
  require_extent(C, by_rows ? 1 : 0, n, entry, "C");
  const bool weighted = w.data() != nullptr;
  if (weighted) require_extent(w, 0, n, entry, "w");
  const RowChunks chunks = row_chunks<Space>(n, k * dp);
  fit_extents(ws.partials, "kaa::transposed_products.partials", chunks.count, k * dp);
  fit_extents(ws.scratch, "kaa::transposed_products.scratch", chunks.count, kTileRows * (dp + k));
  const Work partials = ws.partials, scratch = ws.scratch;
  Kokkos::parallel_for(
      "kaa::transposed_products", Kokkos::RangePolicy<Space>(space, 0, chunks.count),
      KOKKOS_LAMBDA(const std::size_t chunk) {
        double* xd = &scratch(chunk, 0);
        double* c = xd + kTileRows * dp;
        double* part = &partials(chunk, 0);
        for (std::size_t e = 0; e < k * dp; ++e) part[e] = 0;  // reused scratch
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
  fit_extents(ws.totals, "kaa::transposed_products.totals", 1, k * dp);
  sum_partials(space, partials, ws.totals);
}

/// Q = A^T diag(w) X (k x d, sized here); w empty = all ones.
template <class Space, class VA, class VX>
void weights_times_data(const Space& space, const VA& A, const VX& X, Matrix<double>& Q,
                        TransposedProductsWorkspace& ws,
                        const Vector<double>& w = Vector<double>()) {
  const std::size_t k = A.extent(1), d = X.extent(1), dp = padded(d);
  transposed_products(space, A, false, X, w, ws);
  fit_extents(Q, "kaa::weights_times_data", k, d);
  const Work sums = ws.totals;
  const Matrix<double> out = Q;
  Kokkos::parallel_for(
      "kaa::weights_times_data", Kokkos::RangePolicy<Space>(space, 0, k * d),
      KOKKOS_LAMBDA(const std::size_t e) { out(e / d, e % d) = sums(0, e / d * dp + e % d); });
}

/// Z = B X into an existing k x d view (any scalar types).
template <class Space, class VB, class VX, class VZ>
void rows_times_data(const Space& space, const VB& B, const VX& X, const VZ& Z,
                     TransposedProductsWorkspace& ws) {
  const std::size_t d = X.extent(1), dp = padded(d);
  const char* entry = "kaa::kernels::rows_times_data";
  require_extent(Z, 0, B.extent(0), entry, "Z");
  require_extent(Z, 1, d, entry, "Z");
  using Out = typename VZ::non_const_value_type;
  transposed_products(space, B, true, X, Vector<double>(), ws);
  const Work sums = ws.totals;
  Kokkos::parallel_for(
      "kaa::rows_times_data", Kokkos::RangePolicy<Space>(space, 0, Z.extent(0) * d),
      KOKKOS_LAMBDA(const std::size_t e) {
        Z(e / d, e % d) = static_cast<Out>(sums(0, e / d * dp + e % d));
      });
}

/// ||x_i - a_i Z||^2 for every row into out (n, sized here).
template <class Space, class VX, class VA, class VZ>
void residual_norms2(const Space& space, const VX& X, const VA& A, const VZ& Z,
                     Vector<double>& out) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = Z.extent(0);
  const char* entry = "kaa::kernels::residual_norms2";
  require_extent(A, 0, n, entry, "A");
  require_extent(A, 1, k, entry, "A");
  require_extent(Z, 1, d, entry, "Z");
  fit_extents(out, "kaa::residual_norms2", n);
  const Vector<double> o = out;
  Kokkos::parallel_for(
      "kaa::residual_norms2", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) {
          double r = static_cast<double>(X(i, f));
          for (std::size_t j = 0; j < k; ++j)
            r -= static_cast<double>(A(i, j)) * static_cast<double>(Z(j, f));
          s += r * r;
        }
        o(i) = s;
      });
}

/// Copies between views of the same shape and different scalar types (deep_copy needs equal
/// types).
template <class Space, class VFrom, class VTo>
void convert(const Space& space, const VFrom& from, const VTo& to) {
  const std::size_t cols = from.extent(1);
  const char* entry = "kaa::kernels::convert";
  require_extent(to, 0, from.extent(0), entry, "to");
  require_extent(to, 1, cols, entry, "to");
  using Out = typename VTo::non_const_value_type;
  Kokkos::parallel_for(
      "kaa::convert", Kokkos::RangePolicy<Space>(space, 0, from.extent(0) * cols),
      KOKKOS_LAMBDA(const std::size_t e) {
        to(e / cols, e % cols) = static_cast<Out>(from(e / cols, e % cols));
      });
}

// One-off forms that allocate their results (outside update loops).

template <class VX>
Vector<double> column_means(const VX& X) {
  Vector<double> m;
  column_means(ExecSpace(), X, m);
  return m;
}

template <class VZ>
Matrix<double> centered_gram(const VZ& Z, const Vector<double>& m) {
  Matrix<double> G;
  centered_gram(ExecSpace(), Z, m, G);
  return G;
}

template <class VX, class VZ>
Matrix<double> centered_products(const VX& X, const VZ& Z, const Vector<double>& m) {
  Matrix<double> C;
  centered_products(ExecSpace(), X, Z, m, C);
  return C;
}

template <class VA>
Matrix<double> weights_gram(const VA& A, const Vector<double>& w = Vector<double>()) {
  Matrix<double> H;
  weights_gram(ExecSpace(), A, H, w);
  return H;
}

template <class VA, class VX>
Matrix<double> weights_times_data(const VA& A, const VX& X,
                                  const Vector<double>& w = Vector<double>()) {
  Matrix<double> Q;
  TransposedProductsWorkspace ws;
  weights_times_data(ExecSpace(), A, X, Q, ws, w);
  return Q;
}

template <class VB, class VX, class VZ>
void rows_times_data(const VB& B, const VX& X, const VZ& Z) {
  TransposedProductsWorkspace ws;
  rows_times_data(ExecSpace(), B, X, Z, ws);
}

template <class VX, class VA, class VZ>
Vector<double> residual_norms2(const VX& X, const VA& A, const VZ& Z) {
  Vector<double> out;
  residual_norms2(ExecSpace(), X, A, Z, out);
  return out;
}

template <class VFrom, class VTo>
void convert(const VFrom& from, const VTo& to) {
  convert(ExecSpace(), from, to);
}

}  // namespace kaa::kernels
