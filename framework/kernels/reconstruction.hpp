#pragma once
#include <Kokkos_Core.hpp>

#include <optional>

#include "framework/kernels/check.hpp"
#include "framework/kernels/launch.hpp"
#include "framework/kernels/math.hpp"
#include "framework/kernels/ordered_sum.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

namespace kaa::kernels {

/// A row's expanded loss ||x||^2 - 2 a.(Z x) + a^T G a is trusted when it is at least this
/// fraction of ||x||^2 + a^T G a. Its rounding error is a few (d + k) ulps of that sum, so a kept
/// row is accurate to ~1e-16 (d + k) / kCancellationGuard relative (1e-9 for d = 1000). Rows
/// below it (a near-exact fit) are handled from their explicit residual r instead: loss, weights
/// gradient Z W r and their share a^T r of the archetype gradient, which would otherwise be the
/// difference of two nearly equal sums a^T x - a^T a Z.
inline constexpr double kCancellationGuard = 1e-4;

/// Scratch of reconstruction_pass, kept by a loss term for the whole fit.
struct ReconstructionWorkspace {
  Work zw, zp, fw, gram, partials, scratch, totals;
  /// The row split; empty = the execution space's own (tests force the other backend's).
  std::optional<ChunkShape> shape;
};

/// One streaming pass over X: returns sum_i v_i sum_f c_f r_if^2 with r_i = x_i - a_i Z, where
/// c_f = feature_weight(f) and v_i = row_weight(i) (all ones when a view is empty). When
/// `grad_weights` / `grad_archetypes` are non-empty, ADDS scale * d/dA and scale * d/dZ of that
/// sum into them:
///   dA = -2 V (X W Z^T - A G),   dZ = -2 (A^T V X - (A^T V A) Z) W,
///   W = diag(c), V = diag(v), G = Z W Z^T.
/// Per row only x.z_j (k dot products) and, for dZ, the row's share of A^T X and A^T A are
/// formed, in double: no residual matrix, no n x k x d temporary, about 2 n d k multiply-adds
/// with both gradients and n d k without dZ. The loss of a row is expanded from those products
/// (see kCancellationGuard for when it is recomputed from the residual instead).
template <class Space, class S>
double reconstruction_pass(const Space& space, const Matrix<S>& X, const Matrix<S>& A,
                           const Matrix<S>& Z, double scale, const Matrix<S>& grad_weights,
                           const Matrix<S>& grad_archetypes, const Vector<double>& feature_weight,
                           ReconstructionWorkspace& ws,
                           const Vector<double>& row_weight = Vector<double>()) {
  const char* entry = "kaa::kernels::reconstruction_pass";
  const std::size_t n = X.extent(0), d = X.extent(1), k = Z.extent(0), dp = padded(d);
  require_extent(A, 0, n, entry, "A");
  require_extent(A, 1, k, entry, "A");
  require_extent(Z, 1, d, entry, "Z");
  const bool want_ga = grad_weights.data() != nullptr;
  const bool want_gz = grad_archetypes.data() != nullptr;
  const bool weighted = feature_weight.data() != nullptr;
  if (want_ga)
    require(grad_weights.extent(0) == n && grad_weights.extent(1) == k, entry,
            "grad_weights must be n x k");
  if (want_gz)
    require(grad_archetypes.extent(0) == k && grad_archetypes.extent(1) == d, entry,
            "grad_archetypes must be k x d");
  if (weighted) require_extent(feature_weight, 0, d, entry, "feature_weight");
  const bool rows_weighted = row_weight.data() != nullptr;
  if (rows_weighted) require_extent(row_weight, 0, n, entry, "row_weight");
  const Vector<double> rw = row_weight;
  const double m2s = -2.0 * scale;

  // zw: rows of Z times the feature weights; zp: rows of Z (the same view when unweighted).
  padded_rows(space, Z, ws.zw, feature_weight);
  if (weighted) padded_rows(space, Z, ws.zp);
  const Work zw = ws.zw;
  const Work zp = weighted ? ws.zp : ws.zw;
  const Vector<double> fw_in = feature_weight;
  fit_extents(ws.fw, "kaa::reconstruction.fw", 1, dp);
  const Work fw = ws.fw;
  launch_for(
      space, "kaa::reconstruction.fw", d, d,
      KOKKOS_LAMBDA(const std::size_t f) { fw(0, f) = weighted ? fw_in(f) : 1.0; });
  fit_extents(ws.gram, "kaa::reconstruction.gram", k, k);
  const Work G = ws.gram;
  launch_for(
      space, "kaa::reconstruction.gram", k * k, k * k * dp, KOKKOS_LAMBDA(const std::size_t e) {
        G(e / k, e % k) = dot_padded(&zw(e / k, 0), &zp(e % k, 0), dp);
      });

  // Partial of a chunk: [loss | A^T X (k x dp) | A^T A (k x k) | A^T R of guarded rows (k x dp)].
  const std::size_t atx = 1, ata = atx + k * dp, atr = ata + k * k;
  const std::size_t width = want_gz ? atr + k * dp : 1;
  const RowChunks chunks = row_chunks(n, width, ws.shape ? *ws.shape : chunk_shape_of<Space>);
  fit_extents(ws.partials, "kaa::reconstruction.partials", chunks.count, width);
  const Work partials = ws.partials;
  // Scratch of a chunk: [rows as double | x.z_j per row | weights per row | G a | a residual].
  const std::size_t c_at = kTileRows * dp, a_at = c_at + kTileRows * k, g_at = a_at + kTileRows * k,
                    r_at = g_at + k;
  fit_extents(ws.scratch, "kaa::reconstruction.scratch", chunks.count, r_at + dp);
  const Work scratch = ws.scratch;
  const Matrix<S> ga = grad_weights;

  launch_for(
      space, "kaa::reconstruction_pass", chunks.count, n * dp * k,
      KOKKOS_LAMBDA(const std::size_t chunk) {
        double* xd = &scratch(chunk, 0);
        double* c = xd + c_at;
        double* a = xd + a_at;
        double* gr = xd + g_at;
        double* res = xd + r_at;
        double* part = &partials(chunk, 0);
        for (std::size_t e = 1; e < width; ++e) part[e] = 0;  // reused scratch
        const double* w = &fw(0, 0);
        double loss = 0;
        const std::size_t end = chunks.end(chunk, n);
        for (std::size_t i0 = chunks.begin(chunk); i0 < end; i0 += kTileRows) {
          const std::size_t count = end - i0 < kTileRows ? end - i0 : kTileRows;
          load_tile(X, i0, count, xd, dp);
          for (std::size_t r = 0; r < kTileRows; ++r)
            for (std::size_t j = 0; j < k; ++j)
              a[r * k + j] = r < count ? static_cast<double>(A(i0 + r, j)) : 0.0;
          for (std::size_t r = 0; r < count; ++r) {
            double* x = xd + r * dp;
            double* ar = a + r * k;
            double* cr = c + r * k;
            for (std::size_t j = 0; j < k; ++j) cr[j] = dot_padded(x, &zw(j, 0), dp);
            const double xx = weighted_norm_padded(x, w, dp);
            // G a as a sum of rows of G (G is symmetric): independent lanes over j.
            for (std::size_t j = 0; j < k; ++j) gr[j] = 0;
            for (std::size_t l = 0; l < k; ++l) {
              const double al = ar[l];
              const double* gl = &G(l, 0);
              for (std::size_t j = 0; j < k; ++j) gr[j] += al * gl[j];
            }
            double ac = 0, aga = 0;
            for (std::size_t j = 0; j < k; ++j) {
              ac += ar[j] * cr[j];
              aga += ar[j] * gr[j];
              // cr[j] becomes (Z W x - G a)_j, the weights gradient over -2.
              cr[j] -= gr[j];
            }
            double row = xx - 2.0 * ac + aga;
            if (!(row >= kCancellationGuard * (xx + aga))) {
              row = 0;
              for (std::size_t f = 0; f < d; ++f) {
                double v = x[f];
                for (std::size_t j = 0; j < k; ++j) v -= ar[j] * zp(j, f);
                res[f] = v;
                row += w[f] * (v * v);
              }
              for (std::size_t j = 0; j < k; ++j) {
                double g = 0;
                for (std::size_t f = 0; f < d; ++f) g += w[f] * res[f] * zp(j, f);
                cr[j] = g;
              }
              if (want_gz) {
                const double v = rows_weighted ? rw(i0 + r) : 1.0;
                for (std::size_t j = 0; j < k; ++j)
                  for (std::size_t f = 0; f < d; ++f) part[atr + j * dp + f] += v * ar[j] * res[f];
                for (std::size_t j = 0; j < k; ++j) ar[j] = 0;  // not in A^T X, A^T A
              }
            }
            if (rows_weighted) {
              // Row i counts v_i times: its loss and A-gradient scale by v_i, and its shares of
              // A^T X, A^T A (and A^T R above) by v_i through sqrt(v_i) on both a_i and x_i.
              const double v = rw(i0 + r);
              loss += v * row;
              if (want_ga)
                for (std::size_t j = 0; j < k; ++j)
                  ga(i0 + r, j) += static_cast<S>(m2s * v * cr[j]);
              if (want_gz) {
                const double sv = kernels::sqrt(v);
                for (std::size_t j = 0; j < k; ++j) ar[j] *= sv;
                for (std::size_t f = 0; f < d; ++f) x[f] *= sv;
              }
            } else {
              loss += row;
              if (want_ga)
                for (std::size_t j = 0; j < k; ++j) ga(i0 + r, j) += static_cast<S>(m2s * cr[j]);
            }
          }
          if (want_gz) {
            tile_accumulate_transposed(a, xd, k, dp, part + atx);
            for (std::size_t j = 0; j < k; ++j) {
              double* out = part + ata + j * k;
              for (std::size_t r = 0; r < kTileRows; ++r) {
                const double arj = a[r * k + j];
                const double* row = a + r * k;
                for (std::size_t l = 0; l < k; ++l) out[l] += arj * row[l];
              }
            }
          }
        }
        part[0] = loss;
      });

  fit_extents(ws.totals, "kaa::reconstruction.totals", 1, width);
  const Work totals = ws.totals;
  sum_partials(space, partials, totals);
  if (want_gz) {
    const Matrix<S> gz = grad_archetypes;
    launch_for(
        space, "kaa::reconstruction_pass.gz", k * d, k * d * k, KOKKOS_LAMBDA(const std::size_t e) {
          const std::size_t j = e / d, f = e % d;
          double s = totals(0, atx + j * dp + f) + totals(0, atr + j * dp + f);
          for (std::size_t l = 0; l < k; ++l) s -= totals(0, ata + j * k + l) * zp(l, f);
          gz(j, f) += static_cast<S>(m2s * fw(0, f) * s);
        });
  }
  double loss = 0;
  Kokkos::deep_copy(loss, Kokkos::subview(totals, 0, 0));
  return loss;
}

/// reconstruction_pass with scratch of its own (for callers outside an update loop).
template <class Space, class S>
double reconstruction_pass(const Space& space, const Matrix<S>& X, const Matrix<S>& A,
                           const Matrix<S>& Z, double scale, const Matrix<S>& grad_weights,
                           const Matrix<S>& grad_archetypes,
                           const Vector<double>& feature_weight = Vector<double>(),
                           const Vector<double>& row_weight = Vector<double>()) {
  ReconstructionWorkspace ws;
  return reconstruction_pass(space, X, A, Z, scale, grad_weights, grad_archetypes, feature_weight,
                             ws, row_weight);
}

template <class S>
double reconstruction_pass(const Matrix<S>& X, const Matrix<S>& A, const Matrix<S>& Z, double scale,
                           const Matrix<S>& grad_weights, const Matrix<S>& grad_archetypes,
                           const Vector<double>& feature_weight = Vector<double>(),
                           const Vector<double>& row_weight = Vector<double>()) {
  return reconstruction_pass(ExecSpace(), X, A, Z, scale, grad_weights, grad_archetypes,
                             feature_weight, row_weight);
}

/// Per feature sum_i v_i x_if / divisor (the mean when divisor = n or sum_i v_i), v_i =
/// row_weight(i) or 1 when that view is empty.
template <class Space, class S>
Vector<double> column_sums(const Space& space, const Matrix<S>& X, double divisor,
                           const Vector<double>& row_weight = Vector<double>()) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  const bool rows_weighted = row_weight.data() != nullptr;
  if (rows_weighted) require_extent(row_weight, 0, n, "kaa::kernels::column_sums", "row_weight");
  const Vector<double> rw = row_weight;
  Vector<double> mean("kaa::tss.mean", d);
  Kokkos::parallel_for(
      "kaa::tss.mean", Kokkos::RangePolicy<Space>(space, 0, d), KOKKOS_LAMBDA(const std::size_t f) {
        double s = 0;
        if (rows_weighted)
          for (std::size_t i = 0; i < n; ++i) s += rw(i) * static_cast<double>(X(i, f));
        else
          for (std::size_t i = 0; i < n; ++i) s += X(i, f);
        mean(f) = s / divisor;
      });
  return mean;
}

/// sum_i v_i sum_f c_f (x_if - mean_f)^2: the total sum of squares that explained variance
/// divides by (mean: the (v-weighted) column means of X unless given, e.g. those of all ranks'
/// rows; v: `row_weights`, all ones when empty). Summed in a fixed order (ordered_sum.hpp).
template <class Space, class S>
double total_sum_of_squares(const Space& space, const Matrix<S>& X,
                            const Vector<double>& feature_weight,
                            Vector<double> mean = Vector<double>(),
                            const RowWeights& row_weights = RowWeights()) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  const char* entry = "kaa::kernels::total_sum_of_squares";
  if (feature_weight.data() != nullptr)
    require_extent(feature_weight, 0, d, entry, "feature_weight");
  const bool rows_weighted = !row_weights.empty();
  if (rows_weighted) require_extent(row_weights.w, 0, n, entry, "row_weights");
  if (mean.data() == nullptr)
    mean = rows_weighted ? column_sums(space, X, row_weights.total, row_weights.w)
                         : column_sums(space, X, static_cast<double>(n));
  require_extent(mean, 0, d, entry, "mean");
  const bool weighted = feature_weight.data() != nullptr;
  const Vector<double> fw = feature_weight;
  const Vector<double> rw = row_weights.w;
  OrderedSumWorkspace ws;  // once per fit (a metric), so the scratch is local
  return ordered_sum(
      space, "kaa::tss", n, n * d,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        if (rows_weighted) {
          double row = 0;
          for (std::size_t f = 0; f < d; ++f) {
            const double c = static_cast<double>(X(i, f)) - mean(f);
            row += (weighted ? fw(f) : 1.0) * c * c;
          }
          acc += rw(i) * row;
          return;
        }
        for (std::size_t f = 0; f < d; ++f) {
          const double c = static_cast<double>(X(i, f)) - mean(f);
          acc += (weighted ? fw(f) : 1.0) * c * c;
        }
      },
      ws);
}

template <class S>
Vector<double> column_sums(const Matrix<S>& X, double divisor,
                           const Vector<double>& row_weight = Vector<double>()) {
  return column_sums(ExecSpace(), X, divisor, row_weight);
}

template <class S>
double total_sum_of_squares(const Matrix<S>& X, const Vector<double>& feature_weight,
                            Vector<double> mean = Vector<double>(),
                            const RowWeights& row_weights = RowWeights()) {
  return total_sum_of_squares(ExecSpace(), X, feature_weight, mean, row_weights);
}

}  // namespace kaa::kernels
