#pragma once
#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/ordered_sum.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

// The device passes of the pcha optimizer (Mørup & Hansen, "Archetypal analysis for machine
// learning and data mining", Neurocomputing 80, 2012): projected gradient steps on simplex rows
// of A (n x k) and B (k x n) in double, SSE in Gram form. The SSE decides which trial steps are
// accepted, so its sums go over fixed row chunks, never in an order set by the thread count.
namespace kaa::kernels {

/// Scratch of the pcha optimizer, sized once per fit by Pcha::prepare.
struct PchaWorkspace {
  OrderedSumWorkspace sums;
  Vector<double> origin;                              // d: zeros (products are not centred)
  Matrix<double> weights, weights_old, weights_grad;  // n x k: A, the last accepted A, gradient
  Matrix<double> mixing, mixing_old, mixing_grad;     // k x n: B, the last accepted B, gradient
  Vector<double> scale;                               // k: alpha_j / SST
  Matrix<double> Z, M;                                // k x d: B X and H Z
};

/// g_r <- g_r - (g_r . W_r) 1 for every row r: the gradient direction of PCHA's normalisation-
/// invariant parameterisation.
template <class Space>
void pcha_subtract_row_inner_products(const Space& space, const Matrix<double>& g,
                                      const Matrix<double>& W) {
  using Team = typename Kokkos::TeamPolicy<Space>::member_type;
  constexpr const char* entry = "pcha_subtract_row_inner_products";
  require_extent(g, 0, W.extent(0), entry, "g");
  require_extent(g, 1, W.extent(1), entry, "g");
  const std::size_t cols = W.extent(1);
  Kokkos::parallel_for(
      "kaa::pcha.adjust", Kokkos::TeamPolicy<Space>(space, W.extent(0), Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const std::size_t r = team.league_rank();
        double dot = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, cols),
            [&](const std::size_t c, double& acc) { acc += g(r, c) * W(r, c); }, dot);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, cols),
                             [&](const std::size_t c) { g(r, c) -= dot; });
      });
}

/// W_r <- max(W_old_r - mu g_r, 0) / its sum, row by row (W_old_r where that sum is not > 0,
/// which cannot happen in exact arithmetic: some entry of the support has g <= 0).
template <class Space>
void pcha_trial_rows(const Space& space, const Matrix<double>& W_old, const Matrix<double>& g,
                     double mu, const Matrix<double>& W) {
  using Team = typename Kokkos::TeamPolicy<Space>::member_type;
  constexpr const char* entry = "pcha_trial_rows";
  for (unsigned dim = 0; dim < 2; ++dim) {
    require_extent(W_old, dim, W.extent(dim), entry, "W_old");
    require_extent(g, dim, W.extent(dim), entry, "g");
  }
  const std::size_t cols = W.extent(1);
  Kokkos::parallel_for(
      "kaa::pcha.trial", Kokkos::TeamPolicy<Space>(space, W.extent(0), Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const std::size_t r = team.league_rank();
        double sum = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, cols),
            [&](const std::size_t c, double& acc) {
              const double v = W_old(r, c) - mu * g(r, c);
              acc += v > 0 ? v : 0.0;
            },
            sum);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, cols), [&](const std::size_t c) {
          const double v = W_old(r, c) - mu * g(r, c);
          W(r, c) = sum > 0 ? (v > 0 ? v : 0.0) / sum : W_old(r, c);
        });
      });
}

/// sum_{i < n} value(i) in an order the thread count does not change (ordered_sum.hpp).
template <class Space, class RowValue>
double pcha_row_sum(const Space& space, std::size_t n, const RowValue& value,
                    OrderedSumWorkspace& ws) {
  return ordered_sum(
      space, "kaa::pcha.row_sum", n, n,
      KOKKOS_LAMBDA(const std::size_t i, double& acc) { acc += value(i); }, ws);
}

/// sum_i v_i sum_f X_if^2: the SST (v = row weights `v`, all ones when empty).
template <class Space, class S>
double pcha_sum_of_squares(const Space& space, const Matrix<S>& X, OrderedSumWorkspace& ws,
                           const Vector<double>& v = Vector<double>()) {
  const std::size_t d = X.extent(1);
  const bool weighted = v.data() != nullptr;
  if (weighted) require_extent(v, 0, X.extent(0), "pcha_sum_of_squares", "v");
  return pcha_row_sum(
      space, X.extent(0),
      KOKKOS_LAMBDA(const std::size_t i) {
        double s = 0;
        for (std::size_t f = 0; f < d; ++f) {
          const double x = static_cast<double>(X(i, f));
          s += x * x;
        }
        return weighted ? v(i) * s : s;
      },
      ws);
}

/// sum_i v_i (a_i G a_i^T - 2 a_i . p_i): the SSE minus SST for weights A (n x k), P = X Z^T
/// (n x k), G = Z Z^T (k x k), row weights v (all ones when empty).
template <class Space>
double pcha_weights_sse_part(const Space& space, const Matrix<double>& A, const Matrix<double>& P,
                             const Matrix<double>& G, OrderedSumWorkspace& ws,
                             const Vector<double>& v = Vector<double>()) {
  constexpr const char* entry = "pcha_weights_sse_part";
  const std::size_t k = A.extent(1);
  require_extent(P, 0, A.extent(0), entry, "P");
  require_extent(P, 1, k, entry, "P");
  require_extent(G, 0, k, entry, "G");
  require_extent(G, 1, k, entry, "G");
  const bool weighted = v.data() != nullptr;
  if (weighted) require_extent(v, 0, A.extent(0), entry, "v");
  return pcha_row_sum(
      space, A.extent(0),
      KOKKOS_LAMBDA(const std::size_t i) {
        double s = 0;
        for (std::size_t a = 0; a < k; ++a) {
          double ga = -2 * P(i, a);
          for (std::size_t b = 0; b < k; ++b) ga += G(a, b) * A(i, b);
          s += A(i, a) * ga;
        }
        return weighted ? v(i) * s : s;
      },
      ws);
}

/// g(j, i) *= v(i): a B direction computed per data row, made that of row i counted v_i times
/// (a column of B stands for all v_i copies of its row).
template <class Space>
void pcha_scale_columns(const Space& space, const Matrix<double>& g, const Vector<double>& v) {
  require_extent(v, 0, g.extent(1), "pcha_scale_columns", "v");
  const std::size_t cols = g.extent(1);
  Kokkos::parallel_for(
      "kaa::pcha.scale_columns", Kokkos::RangePolicy<Space>(space, 0, g.extent(0) * cols),
      KOKKOS_LAMBDA(const std::size_t e) { g(e / cols, e % cols) *= v(e % cols); });
}

/// g(i, :) = (a_i G - p_i) * scale: the A gradient of the SSE, halved and scaled.
template <class Space>
void pcha_weights_gradient(const Space& space, const Matrix<double>& A, const Matrix<double>& P,
                           const Matrix<double>& G, double scale, const Matrix<double>& g) {
  constexpr const char* entry = "pcha_weights_gradient";
  const std::size_t k = A.extent(1);
  for (unsigned dim = 0; dim < 2; ++dim) {
    require_extent(P, dim, A.extent(dim), entry, "P");
    require_extent(g, dim, A.extent(dim), entry, "g");
  }
  require_extent(G, 0, k, entry, "G");
  require_extent(G, 1, k, entry, "G");
  Kokkos::parallel_for(
      "kaa::pcha.grad_a", Kokkos::RangePolicy<Space>(space, 0, A.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t a = 0; a < k; ++a) {
          double s = -P(i, a);
          for (std::size_t b = 0; b < k; ++b) s += A(i, b) * G(b, a);
          g(i, a) = s * scale;
        }
      });
}

/// g(j, i) = (x_i . M_j - XQ(i, j)) * scale_j (k x n): the B gradient (H Z - Q) X^T, M = H Z
/// (k x d), XQ = X Q^T (n x k), halved and scaled per archetype.
template <class Space, class S>
void pcha_mixing_gradient(const Space& space, const Matrix<S>& X, const Matrix<double>& M,
                          const Matrix<double>& XQ, const Vector<double>& scale,
                          const Matrix<double>& g) {
  constexpr const char* entry = "pcha_mixing_gradient";
  const std::size_t n = X.extent(0), k = M.extent(0), d = X.extent(1);
  require_extent(M, 1, d, entry, "M");
  require_extent(XQ, 0, n, entry, "XQ");
  require_extent(XQ, 1, k, entry, "XQ");
  require_extent(scale, 0, k, entry, "scale");
  require_extent(g, 0, k, entry, "g");
  require_extent(g, 1, n, entry, "g");
  Kokkos::parallel_for(
      "kaa::pcha.grad_b", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = -XQ(i, j);
          for (std::size_t f = 0; f < d; ++f) s += static_cast<double>(X(i, f)) * M(j, f);
          g(j, i) = s * scale(j);
        }
      });
}

}  // namespace kaa::kernels
