#pragma once
#include <cstddef>
#include <cstdint>

#include <Kokkos_Core.hpp>

#include "framework/kernels/check.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/simplex.hpp"
#include "framework/types.hpp"

// Starting values of weight blocks drawn from the counter-based generator: every entry is a
// function of (seed, stream, index), so the draws do not depend on the thread count.
namespace kaa::kernels {

/// W(i, j) = low + width U(seed, stream, (row_offset + i) k + j), then each row clamped to >= eps
/// and rescaled to sum 1 (archetypax's uniform weight start).
template <class Space, class S>
void uniform_simplex_rows(const Space& space, const Matrix<S>& W, double low, double width, S eps,
                          std::uint64_t seed, std::uint64_t stream, std::size_t row_offset) {
  const std::size_t k = W.extent(1);
  require(k > 0, "uniform_simplex_rows", "W has no columns");
  Kokkos::parallel_for(
      "kaa::uniform_weights", Kokkos::RangePolicy<Space>(space, 0, W.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j)
          W(i, j) = static_cast<S>(low + width * uniform01(seed, stream, (row_offset + i) * k + j));
        clamp_renormalize_row(W, i, eps);
      });
}

/// G(t, f) = low + width U(seed, stream, t d + f) for every entry of G (t rows, d columns).
template <class Space, class S>
void uniform_fill(const Space& space, const Matrix<S>& G, double low, double width,
                  std::uint64_t seed, std::uint64_t stream) {
  const std::size_t rows = G.extent(0), d = G.extent(1);
  Kokkos::parallel_for(
      "kaa::uniform_column_weights",
      Kokkos::MDRangePolicy<Space, Kokkos::Rank<2>>(space, {0, 0}, {rows, d}),
      KOKKOS_LAMBDA(const std::size_t t, const std::size_t f) {
        G(t, f) = static_cast<S>(low + width * uniform01(seed, stream, t * d + f));
      });
}

/// Row j of B (k x n) <- v / sum(v), v_i = B(j, i) + noise U(seed, stream, j n + i): one-hot rows
/// softened by noise (archetypax's k-means++ start of the mixing weights). One team per row; the
/// draws are made twice (sum, then write), so each entry is v / sum in double.
template <class Space, class S>
void add_noise_renormalize_rows(const Space& space, const Matrix<S>& B, double noise,
                                std::uint64_t seed, std::uint64_t stream) {
  const std::size_t n = B.extent(1);
  using Team = typename Kokkos::TeamPolicy<Space>::member_type;
  Kokkos::parallel_for(
      "kaa::noisy_rows", Kokkos::TeamPolicy<Space>(space, B.extent(0), Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const std::size_t j = team.league_rank();
        double sum = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, n),
            [&](const std::size_t i, double& acc) {
              acc += static_cast<double>(B(j, i)) + noise * uniform01(seed, stream, j * n + i);
            },
            sum);
        team.team_barrier();  // every entry of the row read before any is written
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, n), [&](const std::size_t i) {
          const double v =
              static_cast<double>(B(j, i)) + noise * uniform01(seed, stream, j * n + i);
          B(j, i) = static_cast<S>(v / sum);
        });
      });
}

/// Column t of theta (d x kc) <- v / sum(v), v_f = [f == pick(t)] + noise U(seed, stream, t d + f):
/// the column form of add_noise_renormalize_rows on a one-hot pick, one sequential sum per column.
template <class Space, class S>
void noisy_one_hot_columns(const Space& space, const Matrix<S>& theta,
                           const Vector<std::size_t>& pick, double noise, std::uint64_t seed,
                           std::uint64_t stream) {
  const std::size_t d = theta.extent(0), kc = theta.extent(1);
  require_extent(pick, 0, kc, "noisy_one_hot_columns", "pick");
  Kokkos::parallel_for(
      "kaa::column_variance_cosine.theta", Kokkos::RangePolicy<Space>(space, 0, kc),
      KOKKOS_LAMBDA(const std::size_t t) {
        double sum = 0;
        for (std::size_t f = 0; f < d; ++f)
          sum += (f == pick(t) ? 1.0 : 0.0) + noise * uniform01(seed, stream, t * d + f);
        for (std::size_t f = 0; f < d; ++f) {
          const double v = (f == pick(t) ? 1.0 : 0.0) + noise * uniform01(seed, stream, t * d + f);
          theta(f, t) = static_cast<S>(v / sum);
        }
      });
}

}  // namespace kaa::kernels
