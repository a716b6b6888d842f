#pragma once
#include <limits>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/types.hpp"

// The passes of the frank_wolfe optimizer (Bauckhage, Kersting, Hoppe & Thurau, "Archetypal
// analysis as an autoencoder", 2015): vertex selection and vertex steps on simplex rows.
namespace kaa::kernels {

using VertexIndex = Kokkos::View<long*, MemSpace>;

/// Scratch of the frank_wolfe optimizer (double work copies and per-row vertices), sized once per
/// fit by FrankWolfe::prepare.
struct FrankWolfeWorkspace {
  Matrix<double> weights;     // n x k: A
  Matrix<double> mixing;      // k x n: B
  Matrix<double> Z, M;        // k x d: B X and the half gradient (H Z - Q)
  Matrix<double> score;       // k x n: (x_i - m) . M_j
  VertexIndex row_vertex;     // n: vertices of the weight rows (schedule)
  VertexIndex mixing_vertex;  // k: vertices of the mixing rows
};

/// `iterations` exact FW steps on every row of A (double work copy) for fixed archetypes, with
/// P = (X - m)(Z - m)^T (n x k) and G = (Z - m)(Z - m)^T (k x k). With h = a G - p (half gradient)
/// and vertex j = argmin h, the objective along w + gamma (e_j - w) changes by
/// 2 gamma (h_j - a.h) + gamma^2 ||e_j - a||_G^2; a row stops when its FW gap is not > 0.
template <class Space>
void frank_wolfe_weight_steps(const Space& space, const Matrix<double>& A, const Matrix<double>& P,
                              const Matrix<double>& G, int iterations) {
  constexpr const char* entry = "frank_wolfe_weight_steps";
  const std::size_t k = A.extent(1);
  require_extent(P, 0, A.extent(0), entry, "P");
  require_extent(P, 1, k, entry, "P");
  require_extent(G, 0, k, entry, "G");
  require_extent(G, 1, k, entry, "G");
  Kokkos::parallel_for(
      "kaa::frank_wolfe.weights", Kokkos::RangePolicy<Space>(space, 0, A.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (int t = 0; t < iterations; ++t) {
          std::size_t vertex = 0;
          double h_min = 0, a_h = 0, a_g_a = 0;
          for (std::size_t j = 0; j < k; ++j) {
            double ag = 0;
            for (std::size_t l = 0; l < k; ++l) ag += A(i, l) * G(l, j);
            const double h = ag - P(i, j);
            if (j == 0 || h < h_min) {
              h_min = h;
              vertex = j;
            }
            a_h += A(i, j) * h;
            a_g_a += A(i, j) * ag;
          }
          const double gap = a_h - h_min;  // the FW duality gap (halved)
          if (!(gap > 0)) break;
          const double ag_vertex = h_min + P(i, vertex);
          const double curvature = G(vertex, vertex) - 2 * ag_vertex + a_g_a;
          const double gamma = curvature > gap ? gap / curvature : 1.0;
          for (std::size_t j = 0; j < k; ++j) A(i, j) *= 1 - gamma;
          A(i, vertex) += gamma;
        }
      });
}

/// W <- (1 - gamma) W + gamma E with E(r, vertex(r)) = 1 (W of any scalar type).
template <class Space, class V>
void frank_wolfe_move_to_vertices(const Space& space, const V& W, const VertexIndex& vertex,
                                  double gamma) {
  require_extent(vertex, 0, W.extent(0), "frank_wolfe_move_to_vertices", "vertex");
  const std::size_t cols = W.extent(1);
  using T = typename V::non_const_value_type;
  Kokkos::parallel_for(
      "kaa::frank_wolfe.move", Kokkos::RangePolicy<Space>(space, 0, W.extent(0)),
      KOKKOS_LAMBDA(const std::size_t r) {
        for (std::size_t c = 0; c < cols; ++c) W(r, c) = static_cast<T>((1 - gamma) * W(r, c));
        W(r, vertex(r)) += static_cast<T>(gamma);
      });
}

/// out(r) = index of the smallest entry of row r of `scores` (first on ties, so independent of
/// the thread count).
template <class Space, class V>
void frank_wolfe_row_argmins(const Space& space, const V& scores, const VertexIndex& out) {
  using Team = typename Kokkos::TeamPolicy<Space>::member_type;
  require_extent(out, 0, scores.extent(0), "frank_wolfe_row_argmins", "out");
  const std::size_t rows = scores.extent(0), cols = scores.extent(1);
  if (cols <= 64) {  // short rows (weights): one work item each
    Kokkos::parallel_for(
        "kaa::frank_wolfe.row_argmin", Kokkos::RangePolicy<Space>(space, 0, rows),
        KOKKOS_LAMBDA(const std::size_t r) {
          long best = 0;
          for (std::size_t c = 1; c < cols; ++c)
            if (scores(r, c) < scores(r, best)) best = static_cast<long>(c);
          out(r) = best;
        });
    return;
  }
  // Long rows (mixing): a team per row, the minimum first, then its first index.
  Kokkos::parallel_for(
      "kaa::frank_wolfe.row_argmin_team", Kokkos::TeamPolicy<Space>(space, rows, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const std::size_t r = team.league_rank();
        double best = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, cols),
            [&](const std::size_t c, double& acc) {
              const double v = scores(r, c);
              if (v < acc) acc = v;
            },
            Kokkos::Min<double>(best));
        long index = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, cols),
            [&](const std::size_t c, long& acc) {
              if (static_cast<double>(scores(r, c)) == best && static_cast<long>(c) < acc)
                acc = static_cast<long>(c);
            },
            Kokkos::Min<long>(index));
        Kokkos::single(Kokkos::PerTeam(team),
                       [&]() { out(r) = index < static_cast<long>(cols) ? index : 0; });
      });
}

/// scores(j, i) = (x_i - m) . M_j (k x n): the B half gradient (H Z - Q) X^T up to a constant per
/// row, whose argmin per row is the FW vertex.
template <class Space, class S>
void frank_wolfe_mixing_scores(const Space& space, const Matrix<S>& X, const Vector<double>& m,
                               const Matrix<double>& M, const Matrix<double>& scores) {
  constexpr const char* entry = "frank_wolfe_mixing_scores";
  const std::size_t n = X.extent(0), d = X.extent(1), k = M.extent(0);
  require_extent(m, 0, d, entry, "m");
  require_extent(M, 1, d, entry, "M");
  require_extent(scores, 0, k, entry, "scores");
  require_extent(scores, 1, n, entry, "scores");
  Kokkos::parallel_for(
      "kaa::frank_wolfe.mixing_scores", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f) s += (static_cast<double>(X(i, f)) - m(f)) * M(j, f);
          scores(j, i) = s;
        }
      });
}

/// scores(j, i) <- the largest value of its type for every column i whose `allowed` entry is not
/// positive (a row of sample weight zero), so that no row argmin picks it as a vertex.
template <class Space, class V>
void frank_wolfe_mask_columns(const Space& space, const V& scores, const Vector<double>& allowed) {
  using T = typename V::non_const_value_type;
  require_extent(allowed, 0, scores.extent(1), "frank_wolfe_mask_columns", "allowed");
  const std::size_t rows = scores.extent(0), cols = scores.extent(1);
  const T excluded = std::numeric_limits<T>::max();
  Kokkos::parallel_for(
      "kaa::frank_wolfe.mask_columns", Kokkos::RangePolicy<Space>(space, 0, rows * cols),
      KOKKOS_LAMBDA(const std::size_t e) {
        if (!(allowed(e % cols) > 0)) scores(e / cols, e % cols) = excluded;
      });
}

}  // namespace kaa::kernels
