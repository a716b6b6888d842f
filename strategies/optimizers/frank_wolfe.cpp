#include "strategies/optimizers/frank_wolfe.hpp"

#include <algorithm>

#include "framework/kernels/argmin.hpp"
#include "framework/kernels/block_products.hpp"
#include "strategies/solver_checks.hpp"

namespace kaa::strategies {

namespace {

/// Exact FW steps on each row of A (double work copy) for fixed archetypes: P = (X - m)(Z - m)^T,
/// G = (Z - m)(Z - m)^T. With h = a G - p (half gradient) and vertex j = argmin h, the objective
/// along w + gamma (e_j - w) changes by 2 gamma (h_j - a.h) + gamma^2 ||e_j - a||_G^2.
void weights_steps(const Matrix<double>& A, const Matrix<double>& P, const Matrix<double>& G,
                   int iterations) {
  const std::size_t k = A.extent(1);
  Kokkos::parallel_for(
      "kaa::frank_wolfe.weights", Kokkos::RangePolicy<ExecSpace>(0, A.extent(0)),
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

/// W <- (1 - gamma) W + gamma E, E(r, vertex(r)) = 1.
template <class V>
void move_rows_to_vertices(const V& W, const Kokkos::View<long*, MemSpace>& vertex, double gamma) {
  const std::size_t cols = W.extent(1);
  using T = typename V::non_const_value_type;
  Kokkos::parallel_for(
      "kaa::frank_wolfe.move", Kokkos::RangePolicy<ExecSpace>(0, W.extent(0)),
      KOKKOS_LAMBDA(const std::size_t r) {
        for (std::size_t c = 0; c < cols; ++c) W(r, c) = static_cast<T>((1 - gamma) * W(r, c));
        W(r, vertex(r)) += static_cast<T>(gamma);
      });
}

/// Index of the smallest entry of every row (first on ties, so independent of the thread count).
template <class V>
Kokkos::View<long*, MemSpace> row_argmins(const V& scores) {
  using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;
  const std::size_t rows = scores.extent(0), cols = scores.extent(1);
  Kokkos::View<long*, MemSpace> out("kaa::frank_wolfe.vertex", rows);
  if (cols <= 64) {  // short rows (weights): one work item each
    Kokkos::parallel_for(
        "kaa::frank_wolfe.row_argmin", Kokkos::RangePolicy<ExecSpace>(0, rows),
        KOKKOS_LAMBDA(const std::size_t r) {
          long best = 0;
          for (std::size_t c = 1; c < cols; ++c)
            if (scores(r, c) < scores(r, best)) best = static_cast<long>(c);
          out(r) = best;
        });
    return out;
  }
  // Long rows (mixing): a team per row, the minimum first, then its first index.
  Kokkos::parallel_for(
      "kaa::frank_wolfe.row_argmin_team", Kokkos::TeamPolicy<ExecSpace>(rows, Kokkos::AUTO),
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
  return out;
}

}  // namespace

template <class S>
Schema FrankWolfe<S>::schema() {
  Schema s;
  s.choice("line_search", "exact", {"exact", "schedule"})
      .doc(
          "exact: exact steps on the squared reconstruction error (the only loss term); "
          "schedule: gamma = 2/(t+2) along the model's gradient (any loss)");
  s.integer("inner", 10)
      .min(1)
      .doc("exact: FW steps on A, then on B, per step (Bauckhage et al.'s code: 10)");
  return s;
}

template <class S>
void FrankWolfe<S>::check_config(const nlohmann::json& config, const std::string& path,
                                 std::vector<std::string>& issues) {
  if (config.at("optimizer").at("line_search") == "exact") {
    require_single_loss(config, path, {"reconstruction"},
                        "the squared reconstruction error by exact line search (set " + path +
                            "/line_search to \"schedule\" for other losses)",
                        issues);
  }
}

template <class S>
FrankWolfe<S>::FrankWolfe(const nlohmann::json& p)
    : exact_(p.at("line_search") == "exact"), inner_(p.at("inner").get<int>()) {}

template <class S>
void FrankWolfe<S>::init(const Matrix<S>& X, const Parameters<S>&) {
  t_ = 0;
  center_ = kernels::column_means(X);
  X_host_ = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), X);
}

template <class S>
void FrankWolfe<S>::step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>& grad) {
  if (exact_) {
    update_weights(X, params, inner_);
    update_mixing(X, params, inner_);
    return;
  }
  // The standard open-loop step; the rows of both blocks move along the same gradient.
  const double gamma = 2.0 / (static_cast<double>(t_) + 2.0);
  ++t_;
  move_rows_to_vertices(params.weights, row_argmins(grad.weights), gamma);
  move_rows_to_vertices(params.mixing, row_argmins(grad.mixing), gamma);
}

template <class S>
void FrankWolfe<S>::update_weights(const Matrix<S>& X, Parameters<S>& params, int iterations) {
  if (center_.extent(0) != X.extent(1)) init(X, params);
  const Matrix<double> P = kernels::centered_products(X, params.archetypes, center_);
  const Matrix<double> G = kernels::centered_gram(params.archetypes, center_);
  Matrix<double> A("kaa::frank_wolfe.A", params.weights.extent(0), params.weights.extent(1));
  kernels::convert(params.weights, A);
  weights_steps(A, P, G, iterations);
  kernels::convert(A, params.weights);
}

template <class S>
void FrankWolfe<S>::update_mixing(const Matrix<S>& X, Parameters<S>& params, int iterations) {
  if (center_.extent(0) != X.extent(1)) init(X, params);
  const std::size_t n = X.extent(0), k = params.mixing.extent(0), d = X.extent(1);
  const auto H = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(),
                                                     kernels::weights_gram(params.weights));
  const auto Q = Kokkos::create_mirror_view_and_copy(
      Kokkos::HostSpace(), kernels::weights_times_data(params.weights, X));
  Matrix<double> B("kaa::frank_wolfe.B", k, n), Z_dev("kaa::frank_wolfe.Z", k, d),
      M_dev("kaa::frank_wolfe.M", k, d), score("kaa::frank_wolfe.score", k, n);
  kernels::convert(params.mixing, B);
  kernels::rows_times_data(B, X, Z_dev);
  auto Z = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Z_dev);
  auto M = Kokkos::create_mirror_view(M_dev);
  const Vector<double> m = center_;
  std::vector<double> D(k * d);

  for (int t = 0; t < iterations; ++t) {
    // Half gradient (H Z - Q) X^T; the vertex of row j minimises (x_i - m) . M_j.
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) {
        double s = -Q(j, f);
        for (std::size_t l = 0; l < k; ++l) s += H(j, l) * Z(l, f);
        M(j, f) = s;
      }
    Kokkos::deep_copy(M_dev, M);
    const Matrix<double> M_in = M_dev, scores = score;
    const Matrix<S> X_in = X;
    Kokkos::parallel_for(
        "kaa::frank_wolfe.mixing_scores", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const std::size_t i) {
          for (std::size_t j = 0; j < k; ++j) {
            double s = 0;
            for (std::size_t f = 0; f < d; ++f)
              s += (static_cast<double>(X_in(i, f)) - m(f)) * M_in(j, f);
            scores(j, i) = s;
          }
        });
    const auto vertex = row_argmins(score);
    const auto vertex_host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), vertex);
    double slope = 0, curvature = 0;
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) {
        D[j * d + f] = static_cast<double>(X_host_(vertex_host(j), f)) - Z(j, f);
        slope += M(j, f) * D[j * d + f];
      }
    if (!(slope < 0)) break;  // FW gap -slope: B is optimal for these weights
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t l = 0; l < k; ++l) {
        double dd = 0;
        for (std::size_t f = 0; f < d; ++f) dd += D[j * d + f] * D[l * d + f];
        curvature += H(j, l) * dd;
      }
    const double gamma = curvature > -slope ? -slope / curvature : 1.0;
    move_rows_to_vertices(B, vertex, gamma);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) Z(j, f) += gamma * D[j * d + f];
  }
  kernels::convert(B, params.mixing);
  kernels::rows_times_data(params.mixing, X, params.archetypes);
}

template class FrankWolfe<float>;
template class FrankWolfe<double>;

}  // namespace kaa::strategies
