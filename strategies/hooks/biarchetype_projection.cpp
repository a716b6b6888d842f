#include "strategies/hooks/biarchetype_projection.hpp"

#include <cmath>

#include "framework/error.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/math.hpp"
#include "framework/kernels/mixing.hpp"

namespace kaa::strategies {

namespace {

using DMatrix = Kokkos::View<double**, Kokkos::LayoutRight, MemSpace>;
constexpr long long kMaxTopK = 64;

/// Scales each row of D to unit norm; a row of norm <= eps becomes the fixed fallback g / sqrt(m),
/// g standard normal (Box-Muller on a counter stream), the same for every row as in archetypax.
void normalize_directions(const DMatrix& D, double eps) {
  const std::size_t r = D.extent(0), m = D.extent(1);
  Kokkos::View<double*, MemSpace> scale("kaa::biarchetype_projection.scale", r);
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.norms", Kokkos::RangePolicy<ExecSpace>(0, r),
      KOKKOS_LAMBDA(const std::size_t j) {
        double s = 0;
        for (std::size_t i = 0; i < m; ++i) s += D(j, i) * D(j, i);
        scale(j) = kernels::sqrt(s);
      });
  auto scale_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), scale);
  bool degenerate = false;
  for (std::size_t j = 0; j < r; ++j) {
    degenerate = degenerate || !(scale_host(j) > eps);
    scale_host(j) = scale_host(j) > eps ? 1.0 / scale_host(j) : 0.0;
  }
  Kokkos::deep_copy(scale, scale_host);
  Kokkos::View<double*, MemSpace> fallback("kaa::biarchetype_projection.fallback",
                                           degenerate ? m : 0);
  if (degenerate) {
    auto host = Kokkos::create_mirror_view(fallback);
    const double two_pi = 6.283185307179586;
    for (std::size_t i = 0; i < m; ++i) {
      const double u1 = 1.0 - kernels::uniform01(0, 7, 2 * i);
      const double u2 = kernels::uniform01(0, 7, 2 * i + 1);
      host(i) = std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2) /
                std::sqrt(static_cast<double>(m));
    }
    Kokkos::deep_copy(fallback, host);
  }
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.normalize",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>({0, 0}, {r, m}),
      KOKKOS_LAMBDA(const std::size_t j, const std::size_t i) {
        D(j, i) = scale(j) > 0 ? D(j, i) * scale(j) : fallback(i);
      });
}

/// For each archetype j (column of P, m candidates x r archetypes): the kp candidates with the
/// largest P(i, j) (ties: the higher index, as the tail of a stable ascending sort), softmax
/// weights of their values, then coefficient row j of C (C(j, i); C(i, j) when `transposed`)
/// <- max(eps, mix * multihot + (1 - mix) * C), renormalised (uniform when the sum <= eps).
template <class S>
void softmax_top_pull(const DMatrix& P, const Matrix<S>& C, bool transposed, std::size_t kp,
                      double mix, double eps) {
  const std::size_t m = P.extent(0), r = P.extent(1);
  Kokkos::View<std::size_t**, Kokkos::LayoutRight, MemSpace> top("kaa::biarchetype_projection.top",
                                                                 r, kp);
  DMatrix weight("kaa::biarchetype_projection.weight", r, kp);
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.select", Kokkos::RangePolicy<ExecSpace>(0, r),
      KOKKOS_LAMBDA(const std::size_t j) {
        double vals[kMaxTopK];
        std::size_t ids[kMaxTopK];
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
        for (std::size_t s = 0; s < kp; ++s) total += kernels::exp(vals[s] - vals[0]);
        for (std::size_t s = 0; s < kp; ++s) {
          top(j, s) = ids[s];
          weight(j, s) = kernels::exp(vals[s] - vals[0]) / total;
        }
      });

  using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;
  const S mix_s = static_cast<S>(mix), keep_s = static_cast<S>(1.0 - mix);
  const S eps_s = static_cast<S>(eps);
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.blend", Kokkos::TeamPolicy<ExecSpace>(r, Kokkos::AUTO),
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

std::size_t top_count(long long top_k, long long divisor, long long offset, std::size_t m) {
  long long kp = static_cast<long long>(m) / divisor + offset;
  if (kp > top_k) kp = top_k;
  if (kp > static_cast<long long>(m)) kp = static_cast<long long>(m);
  return static_cast<std::size_t>(kp < 1 ? 1 : kp);
}

/// beta rows: directions from the mean row to each z_j = beta_j X, rows of X projected centred.
template <class S>
void pull_rows(const Matrix<S>& X, Parameters<S>& params, std::size_t kp, double mix, double eps) {
  const std::size_t n = X.extent(0), d = X.extent(1), k = params.mixing.extent(0);
  Kokkos::View<double*, MemSpace> centre("kaa::biarchetype_projection.centre", d);
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.centre", Kokkos::RangePolicy<ExecSpace>(0, d),
      KOKKOS_LAMBDA(const std::size_t f) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += X(i, f);
        centre(f) = s / static_cast<double>(n);
      });
  const Matrix<S> Z = params.archetypes;
  DMatrix D("kaa::biarchetype_projection.row_dirs", k, d);
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.row_dirs",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>({0, 0}, {k, d}),
      KOKKOS_LAMBDA(const std::size_t j, const std::size_t f) {
        D(j, f) = static_cast<double>(Z(j, f)) - centre(f);
      });
  normalize_directions(D, eps);
  DMatrix P("kaa::biarchetype_projection.row_proj", n, k);
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.row_proj", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = 0;
          for (std::size_t f = 0; f < d; ++f) s += (X(i, f) - centre(f)) * D(j, f);
          P(i, j) = s;
        }
      });
  softmax_top_pull(P, params.mixing, false, kp, mix, eps);
  kernels::mixing_times_data(params.mixing, X, params.archetypes);
}

/// theta columns: directions X theta_t - r in sample space, features projected uncentred.
template <class S>
void pull_columns(const Matrix<S>& X, Parameters<S>& params, std::size_t kp, double mix,
                  double eps) {
  const std::size_t n = X.extent(0), d = X.extent(1), kc = params.column_mixing.extent(1);
  const Matrix<S> theta = params.column_mixing;
  DMatrix V("kaa::biarchetype_projection.col_dirs", kc, n);
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.col_dirs", Kokkos::RangePolicy<ExecSpace>(0, n),
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
  normalize_directions(V, eps);
  DMatrix Q("kaa::biarchetype_projection.col_proj", d, kc);
  Kokkos::parallel_for(
      "kaa::biarchetype_projection.col_proj",
      Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>({0, 0}, {d, kc}),
      KOKKOS_LAMBDA(const std::size_t f, const std::size_t t) {
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) s += X(i, f) * V(t, i);
        Q(f, t) = s;
      });
  softmax_top_pull(Q, params.column_mixing, true, kp, mix, eps);
}

}  // namespace

template <class S>
Schema BiarchetypeProjection<S>::schema() {
  Schema s;
  s.integer("every", 10)
      .min(1)
      .doc("project after updates 1, 1 + every, 1 + 2 every, ... (archetypax: 10)");
  s.number("mix", 0.8)
      .min(0.0)
      .max(1.0)
      .doc("weight of the extreme-point mix against the current coefficients (archetypax: 0.8)");
  s.integer("top_k", 5)
      .min(1)
      .max(static_cast<double>(kMaxTopK))
      .doc("most extreme points mixed (archetypax: 5)");
  s.integer("top_k_divisor", 10)
      .min(1)
      .doc("points mixed = min(top_k, size / top_k_divisor + top_k_offset) (archetypax: 10)");
  s.integer("top_k_offset", 2).non_negative().doc("see top_k_divisor (archetypax: 2)");
  s.number("eps", 1e-10)
      .positive()
      .doc("entry floor, smallest sum and smallest direction norm (archetypax: 1e-10)");
  s.boolean("rows", true).doc("project the mixing rows beta");
  s.boolean("columns", true).doc("project the column mixing columns theta");
  s.boolean("final", true).doc("project once more when the fit ends (archetypax: yes)");
  return s;
}

template <class S>
void BiarchetypeProjection<S>::check_config(const nlohmann::json& config, const std::string& path,
                                            std::vector<std::string>& issues) {
  // Only the biarchetypal loss brings column_mixing; a rows-only pull can serve any model with
  // mixing weights (checked when it runs).
  if (!config.at(nlohmann::json::json_pointer(path)).at("columns").get<bool>()) return;
  bool biarchetypal = false;
  for (const auto& term : config.at("loss"))
    biarchetypal = biarchetypal || term.at("type") == "biarchetypal_reconstruction";
  if (!biarchetypal) {
    issues.push_back(path + "/type: hook \"biarchetype_projection\" with columns = true needs " +
                     "the column_mixing block; add a \"biarchetypal_reconstruction\" term to " +
                     "/loss or set " + path + "/columns to false");
  }
}

template <class S>
BiarchetypeProjection<S>::BiarchetypeProjection(const nlohmann::json& p)
    : every_(p.at("every").get<long long>()),
      top_k_(p.at("top_k").get<long long>()),
      top_k_divisor_(p.at("top_k_divisor").get<long long>()),
      top_k_offset_(p.at("top_k_offset").get<long long>()),
      mix_(p.at("mix").get<double>()),
      eps_(p.at("eps").get<double>()),
      rows_(p.at("rows").get<bool>()),
      columns_(p.at("columns").get<bool>()),
      final_(p.at("final").get<bool>()) {}

template <class S>
void BiarchetypeProjection<S>::apply(const Matrix<S>& X, Parameters<S>& params) const {
  if ((rows_ && !params.has(Block::mixing)) || (columns_ && !params.has(Block::column_mixing))) {
    throw Error("biarchetype_projection: the model has no " +
                std::string(rows_ && !params.has(Block::mixing) ? "mixing" : "column_mixing") +
                " block to project");
  }
  if (rows_)
    pull_rows(X, params, top_count(top_k_, top_k_divisor_, top_k_offset_, X.extent(0)), mix_, eps_);
  if (columns_)
    pull_columns(X, params, top_count(top_k_, top_k_divisor_, top_k_offset_, X.extent(1)), mix_,
                 eps_);
}

template <class S>
void BiarchetypeProjection<S>::after_update(HookContext<S>& ctx) {
  if ((ctx.updates - 1) % static_cast<std::size_t>(every_) == 0) apply(ctx.X, ctx.params);
}

template <class S>
void BiarchetypeProjection<S>::on_finish(HookContext<S>& ctx) {
  if (final_) apply(ctx.X, ctx.params);
}

template class BiarchetypeProjection<float>;
template class BiarchetypeProjection<double>;

}  // namespace kaa::strategies
