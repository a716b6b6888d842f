#pragma once
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/math.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/simplex.hpp"
#include "framework/types.hpp"

// Weights of new points for fixed archetypes by projected gradient descent on
// ||x - w Z||^2 over the simplex, one data row per work item. Each row works in a per-thread
// scratch row (UniqueToken), so nothing of size n x k is allocated besides the result.
namespace kaa::kernels {

/// G = Zp Zp^T (k x k) from padded double rows Zp (k x padded(d)).
template <class Space>
void padded_gram(const Space& space, const Work& zp, const Work& G, const char* label) {
  const std::size_t k = zp.extent(0), dp = zp.extent(1);
  require_extent(G, 0, k, "padded_gram", "G");
  require_extent(G, 1, k, "padded_gram", "G");
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<Space>(space, 0, k * k), KOKKOS_LAMBDA(const std::size_t e) {
        G(e / k, e % k) = dot_padded(&zp(e / k, 0), &zp(e % k, 0), dp);
      });
}

/// The shapes both row solvers take: zp (k x padded(d)), G (k x k), W (n x k) for X (n x d).
template <class S>
void require_row_solver_extents(const Matrix<S>& X, const Work& zp, const Work& G,
                                const Matrix<S>& W, const char* entry) {
  const std::size_t n = X.extent(0), k = zp.extent(0);
  require_extent(zp, 1, padded(X.extent(1)), entry, "zp");
  require_extent(G, 0, k, entry, "G");
  require_extent(G, 1, k, entry, "G");
  require_extent(W, 0, n, entry, "W");
  require_extent(W, 1, k, entry, "W");
}

/// archetypax's transform: each row of W starts uniform and takes `steps` steps
/// w <- max(w - lr 2 (w G - x Z^T), eps), rescaled to sum 1 (uniform when the sum <= eps).
/// zp: the archetypes as padded double rows, G = Zp Zp^T.
template <class Space, class S>
void archetypax_pgd_weights(const Space& space, const Matrix<S>& X, const Work& zp, const Work& G,
                            long steps, double lr, double eps, const Matrix<S>& W) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = zp.extent(0);
  const std::size_t dp = padded(d);
  require_row_solver_extents(X, zp, G, W, "archetypax_pgd_weights");
  Kokkos::Experimental::UniqueToken<Space> token(space);
  Work scratch("kaa::archetypax_pgd.scratch", token.size(), dp + 2 * k);
  Kokkos::parallel_for(
      "kaa::archetypax_pgd", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        const int id = token.acquire();
        double* xd = &scratch(id, 0);
        double* C = xd + dp;
        double* grad = C + k;
        for (std::size_t f = 0; f < d; ++f) xd[f] = static_cast<double>(X(i, f));
        for (std::size_t j = 0; j < k; ++j) C[j] = dot_padded(xd, &zp(j, 0), dp);
        for (std::size_t j = 0; j < k; ++j) W(i, j) = static_cast<S>(1.0 / k);
        for (long t = 0; t < steps; ++t) {
          // gradient of ||x - wZ||^2 is 2 (w G - x Z^T)
          for (std::size_t a = 0; a < k; ++a) {
            double s = -C[a];
            for (std::size_t b = 0; b < k; ++b) s += static_cast<double>(W(i, b)) * G(b, a);
            grad[a] = 2.0 * s;
          }
          double sum = 0;
          for (std::size_t a = 0; a < k; ++a) {
            double w = static_cast<double>(W(i, a)) - lr * grad[a];
            w = w > eps ? w : eps;
            W(i, a) = static_cast<S>(w);
            sum += w;
          }
          for (std::size_t a = 0; a < k; ++a)
            W(i, a) = sum > eps ? static_cast<S>(W(i, a) / sum) : static_cast<S>(1.0 / k);
        }
        token.release(id);
      });
}

/// Accelerated projected gradient (FISTA, Beck & Teboulle 2009) per row of W with step `step`
/// (1 / Lipschitz constant), from the uniform point, until a projected-gradient step from w moves
/// no weight by more than tol (then that step is taken) or max_iter iterations.
/// zp: the archetypes as padded double rows, G = Zp Zp^T.
template <class Space, class S>
void projected_gradient_weights(const Space& space, const Matrix<S>& X, const Work& zp,
                                const Work& G, double step, double tol, long max_iter,
                                const Matrix<S>& W) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = zp.extent(0);
  const std::size_t dp = padded(d);
  require_row_solver_extents(X, zp, G, W, "projected_gradient_weights");
  // Scratch per thread: the row as double, x Z^T, w, w_prev, y, probe.
  Kokkos::Experimental::UniqueToken<Space> token(space);
  const std::size_t c_at = dp, w_at = c_at + k, wp_at = w_at + k, y_at = wp_at + k,
                    probe_at = y_at + k;
  Work scratch("kaa::pg.scratch", token.size(), probe_at + k);
  Kokkos::parallel_for(
      "kaa::projected_gradient", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        const int id = token.acquire();
        double* xd = &scratch(id, 0);
        double* C = xd + c_at;
        double* w = xd + w_at;
        double* w_prev = xd + wp_at;
        double* y = xd + y_at;
        double* probe = xd + probe_at;
        for (std::size_t f = 0; f < d; ++f) xd[f] = static_cast<double>(X(i, f));
        for (std::size_t j = 0; j < k; ++j) C[j] = dot_padded(xd, &zp(j, 0), dp);
        // out <- P(from - step * grad f(from)), grad f(v) = 2 (v G - x Z^T)
        auto gradient_step = [&](const double* from, double* out) {
          for (std::size_t a = 0; a < k; ++a) {
            double s = -C[a];
            for (std::size_t b = 0; b < k; ++b) s += from[b] * G(b, a);
            out[a] = from[a] - step * 2.0 * s;
          }
          euclidean_simplex(out, k);
        };
        for (std::size_t j = 0; j < k; ++j) w[j] = y[j] = 1.0 / k;
        double t = 1.0;
        for (long it = 0; it < max_iter && step > 0; ++it) {
          for (std::size_t a = 0; a < k; ++a) w_prev[a] = w[a];
          gradient_step(y, w);
          const double t_next = 0.5 * (1.0 + sqrt(1.0 + 4.0 * t * t));
          for (std::size_t a = 0; a < k; ++a) y[a] = w[a] + (t - 1.0) / t_next * (w[a] - w_prev[a]);
          t = t_next;
          // Optimality test at w itself (a plain projected-gradient step barely moves it); the
          // change between accelerated iterates can vanish away from the optimum.
          gradient_step(w, probe);
          double residual = 0;
          for (std::size_t a = 0; a < k; ++a) {
            const double r = fabs(probe[a] - w[a]);
            residual = r > residual ? r : residual;
          }
          if (residual <= tol) {
            for (std::size_t a = 0; a < k; ++a) w[a] = probe[a];
            break;
          }
        }
        for (std::size_t j = 0; j < k; ++j) W(i, j) = static_cast<S>(w[j]);
        token.release(id);
      });
}

}  // namespace kaa::kernels
