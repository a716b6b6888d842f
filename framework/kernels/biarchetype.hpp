#pragma once
#include <cmath>
#include <cstddef>

#include <Kokkos_Core.hpp>

#include "framework/kernels/block_products.hpp"
#include "framework/kernels/check.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/math.hpp"
#include "framework/kernels/row_tiles.hpp"
#include "framework/kernels/workspace.hpp"
#include "framework/types.hpp"

// The passes of archetypax's biarchetypal archetype projection (project_row_archetypes,
// project_col_archetypes): directions from a centre, projections of the candidates on them, and a
// pull of each coefficient vector toward softmax-weighted extreme candidates.
namespace kaa::kernels {

/// Most candidates softmax_top_pull mixes per coefficient vector (its selection lives on the
/// stack).
inline constexpr std::size_t kMaxTopCandidates = 64;

/// Scratch of normalize_directions for r directions of length m.
struct DirectionWorkspace {
  Vector<double> scale;
  Vector<double>::HostMirror scale_host;
  Vector<double> fallback;
  Vector<double>::HostMirror fallback_host;

  void fit(std::size_t r, std::size_t m) {
    if (fit_extents(scale, "kaa::biarchetype_projection.scale", r))
      scale_host = Kokkos::create_mirror_view(scale);
    if (fit_extents(fallback, "kaa::biarchetype_projection.fallback", m))
      fallback_host = Kokkos::create_mirror_view(fallback);
  }
};

/// Scratch of softmax_top_pull: per coefficient vector its kp candidates and their weights.
struct TopPullWorkspace {
  Kokkos::View<std::size_t**, Kokkos::LayoutRight, MemSpace> top;
  Work weight;

  void fit(std::size_t r, std::size_t kp) {
    fit_extents(top, "kaa::biarchetype_projection.top", r, kp);
    fit_extents(weight, "kaa::biarchetype_projection.weight", r, kp);
  }
};

/// centre(f) = mean over the rows of X of X(i, f), one sequential sum per feature.
template <class Space, class S>
void centre_of_rows(const Space& space, const Matrix<S>& X, const Vector<double>& centre) {
  const std::size_t n = X.extent(0), d = X.extent(1);
  require_extent(centre, 0, d, "centre_of_rows", "centre");
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.centre", Kokkos::RangePolicy<Space>(space, 0, d),
      KOKKOS_LAMBDA(const std::size_t f) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += X(i, f);
        centre(f) = s / static_cast<double>(n);
      });
}

/// D(j, f) = Z(j, f) - centre(f).
template <class Space, class S>
void directions_from_centre(const Space& space, const Matrix<S>& Z, const Vector<double>& centre,
                            const Work& D) {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  const char* entry = "directions_from_centre";
  require_extent(centre, 0, d, entry, "centre");
  require_extent(D, 0, k, entry, "D");
  require_extent(D, 1, d, entry, "D");
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.row_dirs",
      Kokkos::MDRangePolicy<Space, Kokkos::Rank<2>>(space, {0, 0}, {k, d}),
      KOKKOS_LAMBDA(const std::size_t j, const std::size_t f) {
        D(j, f) = static_cast<double>(Z(j, f)) - centre(f);
      });
}

/// P(i, j) = (X(i, :) - centre) . D(j, :): each row of X, centred, projected on each direction.
template <class Space, class S>
void centred_projections(const Space& space, const Matrix<S>& X, const Vector<double>& centre,
                         const Work& D, const Work& P) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = D.extent(0);
  const char* entry = "centred_projections";
  require_extent(centre, 0, d, entry, "centre");
  require_extent(D, 1, d, entry, "D");
  require_extent(P, 0, n, entry, "P");
  require_extent(P, 1, k, entry, "P");
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.row_proj", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f) s += (X(i, f) - centre(f)) * D(j, f);
          P(i, j) = s;
        }
      });
}

/// V(t, i) = X(i, :) . theta(:, t) - mean_f X(i, f): the column archetypes in sample space, each
/// row shifted by its mean over the features.
template <class Space, class S>
void column_directions(const Space& space, const Matrix<S>& X, const Matrix<S>& theta,
                       const Work& V) {
  const std::size_t n = X.extent(0), d = X.extent(1), kc = theta.extent(1);
  const char* entry = "column_directions";
  require_extent(theta, 0, d, entry, "theta");
  require_extent(V, 0, kc, entry, "V");
  require_extent(V, 1, n, entry, "V");
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.col_dirs", Kokkos::RangePolicy<Space>(space, 0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        double mean = 0;
        for (std::size_t f = 0; f < d; ++f) mean += X(i, f);
        mean /= static_cast<double>(d);
        for (std::size_t t = 0; t < kc; ++t) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f) s += static_cast<double>(X(i, f)) * theta(f, t);
          V(t, i) = s - mean;
        }
      });
}

/// Q(f, t) = X(:, f) . V(t, :): each feature (uncentred) projected on each sample-space direction.
template <class Space, class S>
void feature_projections(const Space& space, const Matrix<S>& X, const Work& V, const Work& Q) {
  const std::size_t n = X.extent(0), d = X.extent(1), kc = V.extent(0);
  const char* entry = "feature_projections";
  require_extent(V, 1, n, entry, "V");
  require_extent(Q, 0, d, entry, "Q");
  require_extent(Q, 1, kc, entry, "Q");
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.col_proj",
      Kokkos::MDRangePolicy<Space, Kokkos::Rank<2>>(space, {0, 0}, {d, kc}),
      KOKKOS_LAMBDA(const std::size_t f, const std::size_t t) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += X(i, f) * V(t, i);
        Q(f, t) = s;
      });
}

/// Scales each row of D (r x m) to unit norm; a row of norm <= eps becomes the fixed fallback
/// g / sqrt(m), g standard normal (Box-Muller on counter stream 7, seed 0), the same for every
/// row as in archetypax.
template <class Space>
void normalize_directions(const Space& space, const Work& D, double eps, DirectionWorkspace& ws) {
  const std::size_t r = D.extent(0), m = D.extent(1);
  ws.fit(r, m);
  const Vector<double> scale = ws.scale, fallback = ws.fallback;
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.norms", Kokkos::RangePolicy<Space>(space, 0, r),
      KOKKOS_LAMBDA(const std::size_t j) {
        double s = 0;
        for (std::size_t i = 0; i < m; ++i) s += D(j, i) * D(j, i);
        scale(j) = sqrt(s);
      });
  const auto scale_host = ws.scale_host;
  Kokkos::deep_copy(scale_host, scale);
  bool degenerate = false;
  for (std::size_t j = 0; j < r; ++j) {
    degenerate = degenerate || !(scale_host(j) > eps);
    scale_host(j) = scale_host(j) > eps ? 1.0 / scale_host(j) : 0.0;
  }
  Kokkos::deep_copy(scale, scale_host);
  if (degenerate) {
    const auto host = ws.fallback_host;
    const double two_pi = 6.283185307179586;
    for (std::size_t i = 0; i < m; ++i) {
      const double u1 = 1.0 - uniform01(0, 7, 2 * i);
      const double u2 = uniform01(0, 7, 2 * i + 1);
      host(i) = std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2) /
                std::sqrt(static_cast<double>(m));
    }
    Kokkos::deep_copy(fallback, host);
  }
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.normalize",
      Kokkos::MDRangePolicy<Space, Kokkos::Rank<2>>(space, {0, 0}, {r, m}),
      KOKKOS_LAMBDA(const std::size_t j, const std::size_t i) {
        D(j, i) = scale(j) > 0 ? D(j, i) * scale(j) : fallback(i);
      });
}

/// For each coefficient vector j (column j of P, m candidates x r vectors): the kp candidates with
/// the largest P(i, j) (ties: the higher index, as the tail of a stable ascending sort), softmax
/// weights of their values, then vector j of C (C(j, :); C(:, j) when `transposed`)
/// <- max(eps, mix * multihot + (1 - mix) * C), renormalised (uniform when the sum <= eps).
template <class Space, class S>
void softmax_top_pull(const Space& space, const Work& P, const Matrix<S>& C, bool transposed,
                      std::size_t kp, double mix, double eps, TopPullWorkspace& ws) {
  const std::size_t m = P.extent(0), r = P.extent(1);
  const char* entry = "softmax_top_pull";
  require(kp >= 1 && kp <= kMaxTopCandidates && kp <= m, entry,
          "kp must be in [1, min(64, candidates)]");
  require_extent(C, transposed ? 0 : 1, m, entry, "C");
  require_extent(C, transposed ? 1 : 0, r, entry, "C");
  ws.fit(r, kp);
  const auto top = ws.top;
  const Work weight = ws.weight;
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.select", Kokkos::RangePolicy<Space>(space, 0, r),
      KOKKOS_LAMBDA(const std::size_t j) {
        // Every slot below count is written before it is read; the zeros only keep compilers
        // from warning.
        double vals[kMaxTopCandidates] = {};
        std::size_t ids[kMaxTopCandidates] = {};
        std::size_t count = 0;
        for (std::size_t i = 0; i < m; ++i) {
          const double v = P(i, j);
          std::size_t pos;
          if (count < kp) {
            pos = count++;
          } else {
            if (v < vals[kp - 1]) continue;
            pos = kp - 1;  // evicts the smallest (the lowest index among equals)
          }
          while (pos > 0 && vals[pos - 1] <= v) {
            vals[pos] = vals[pos - 1];
            ids[pos] = ids[pos - 1];
            --pos;
          }
          vals[pos] = v;
          ids[pos] = i;
        }
        double total = 0;
        for (std::size_t s = 0; s < kp; ++s) total += exp(vals[s] - vals[0]);
        for (std::size_t s = 0; s < kp; ++s) {
          top(j, s) = ids[s];
          weight(j, s) = exp(vals[s] - vals[0]) / total;
        }
      });

  using Team = typename Kokkos::TeamPolicy<Space>::member_type;
  const S mix_s = static_cast<S>(mix), keep_s = static_cast<S>(1.0 - mix);
  const S eps_s = static_cast<S>(eps);
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.blend", Kokkos::TeamPolicy<Space>(space, r, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const std::size_t j = team.league_rank();
        double sum = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, m),
            [&](const std::size_t i, double& acc) {
              S hot = 0;
              for (std::size_t s = 0; s < kp; ++s)
                if (top(j, s) == i) hot = static_cast<S>(weight(j, s));
              S& c = transposed ? C(i, j) : C(j, i);
              const S v = mix_s * hot + keep_s * c;
              c = v > eps_s ? v : eps_s;
              acc += static_cast<double>(c);
            },
            sum);
        team.team_barrier();
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, m), [&](const std::size_t i) {
          S& c = transposed ? C(i, j) : C(j, i);
          c = sum > eps ? static_cast<S>(c / sum) : static_cast<S>(1.0 / static_cast<double>(m));
        });
      });
}

/// Scratch of one biarchetypal projection: the row pull (centre, directions k x d, projections
/// n x k) and the column pull (directions kc x n, projections d x kc).
struct BiarchetypeWorkspace {
  Vector<double> centre;
  Work row_dirs, row_proj, col_dirs, col_proj;
  DirectionWorkspace row_norms, col_norms;
  TopPullWorkspace row_top, col_top;
  TransposedProductsWorkspace mixing;  // Z = B X after the pull

  void fit_rows(std::size_t n, std::size_t d, std::size_t k, std::size_t kp) {
    fit_extents(centre, "kaa::biarchetype_projection.centre", d);
    fit_extents(row_dirs, "kaa::biarchetype_projection.row_dirs", k, d);
    fit_extents(row_proj, "kaa::biarchetype_projection.row_proj", n, k);
    row_norms.fit(k, d);
    row_top.fit(k, kp);
  }
  void fit_columns(std::size_t n, std::size_t d, std::size_t kc, std::size_t kp) {
    fit_extents(col_dirs, "kaa::biarchetype_projection.col_dirs", kc, n);
    fit_extents(col_proj, "kaa::biarchetype_projection.col_proj", d, kc);
    col_norms.fit(kc, n);
    col_top.fit(kc, kp);
  }
};

}  // namespace kaa::kernels
