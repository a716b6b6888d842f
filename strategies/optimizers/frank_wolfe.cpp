#include "strategies/optimizers/frank_wolfe.hpp"

#include <algorithm>

#include "framework/kernels/argmin.hpp"
#include "framework/kernels/block_products.hpp"
#include "framework/kernels/frank_wolfe.hpp"
#include "framework/kernels/workspace.hpp"
#include "strategies/common/config_checks.hpp"

namespace kaa::strategies {

template <class S>
auto FrankWolfe<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.choice("line_search", &Params::line_search,
           {{"exact", LineSearch::exact}, {"schedule", LineSearch::schedule}})
      .doc(
          "exact: exact steps on the squared reconstruction error (the only loss term); "
          "schedule: gamma = 2/(t+2) along the model's gradient (any loss)");
  s.integer("inner", &Params::inner)
      .min(1)
      .doc("exact: FW steps on A, then on B, per step (Bauckhage et al.'s code: 10)");
  return s;
}

template <class S>
void FrankWolfe<S>::check_config(const nlohmann::json& config, const std::string& path,
                                 std::vector<std::string>& issues) {
  if (schema().bind(config.at("optimizer")).line_search == LineSearch::exact) {
    common::require_single_loss(config, path, {"reconstruction"},
                                "the squared reconstruction error by exact line search (set " +
                                    path + "/line_search to \"schedule\" for other losses)",
                                issues);
  }
}

template <class S>
FrankWolfe<S>::FrankWolfe(const Params& p)
    : exact_(p.line_search == LineSearch::exact), inner_(p.inner) {}

template <class S>
void FrankWolfe<S>::init(const Matrix<S>& X, const Parameters<S>&) {
  t_ = 0;
  center_ = kernels::column_means(X);
  X_host_ = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), X);
}

template <class S>
void FrankWolfe<S>::prepare(const Matrix<S>& X, const Parameters<S>& params) {
  fit_workspace(X.extent(0), params.weights.extent(1), X.extent(1), exact_);
}

template <class S>
void FrankWolfe<S>::fit_workspace(std::size_t n, std::size_t k, std::size_t d, bool exact) {
  kernels::FrankWolfeWorkspace& w = work_;
  kernels::fit_extents(w.row_vertex, "kaa::frank_wolfe.vertex", n);
  if (kernels::fit_extents(w.mixing_vertex, "kaa::frank_wolfe.vertex", k))
    vertex_host_ = Kokkos::create_mirror_view(w.mixing_vertex);
  if (!exact) return;  // the schedule needs the vertices only
  kernels::fit_extents(w.weights, "kaa::frank_wolfe.A", n, k);
  kernels::fit_extents(w.mixing, "kaa::frank_wolfe.B", k, n);
  if (kernels::fit_extents(w.Z, "kaa::frank_wolfe.Z", k, d))
    Z_host_ = Kokkos::create_mirror_view(w.Z);
  if (kernels::fit_extents(w.M, "kaa::frank_wolfe.M", k, d))
    M_host_ = Kokkos::create_mirror_view(w.M);
  kernels::fit_extents(w.score, "kaa::frank_wolfe.score", k, n);
  direction_.resize(k * d);
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
  fit_workspace(X.extent(0), params.weights.extent(1), X.extent(1), false);
  kernels::frank_wolfe_row_argmins(ExecSpace(), grad.weights, work_.row_vertex);
  kernels::frank_wolfe_move_to_vertices(ExecSpace(), params.weights, work_.row_vertex, gamma);
  // Sample weights: the A rows' argmins are unchanged by a positive row weight; a row of weight
  // zero is never a vertex of B.
  if (this->weighted_rows())
    kernels::frank_wolfe_mask_columns(ExecSpace(), grad.mixing, this->row_weights().w);
  kernels::frank_wolfe_row_argmins(ExecSpace(), grad.mixing, work_.mixing_vertex);
  kernels::frank_wolfe_move_to_vertices(ExecSpace(), params.mixing, work_.mixing_vertex, gamma);
}

template <class S>
void FrankWolfe<S>::update_weights(const Matrix<S>& X, Parameters<S>& params, int iterations) {
  if (center_.extent(0) != X.extent(1)) init(X, params);
  kernels::centered_products(ExecSpace(), X, params.archetypes, center_, loop_.products);
  kernels::centered_gram(ExecSpace(), params.archetypes, center_, loop_.gram);
  const Matrix<double> P = loop_.products;
  const Matrix<double> G = loop_.gram;
  fit_workspace(X.extent(0), params.weights.extent(1), X.extent(1), true);
  const Matrix<double> A = work_.weights;
  kernels::convert(params.weights, A);
  kernels::frank_wolfe_weight_steps(ExecSpace(), A, P, G, iterations);
  kernels::convert(A, params.weights);
}

template <class S>
void FrankWolfe<S>::update_mixing(const Matrix<S>& X, Parameters<S>& params, int iterations) {
  if (center_.extent(0) != X.extent(1)) init(X, params);
  const std::size_t n = X.extent(0), k = params.mixing.extent(0), d = X.extent(1);
  // Sample weights v: H = A^T V A, Q = A^T V X; rows of weight zero are never a vertex.
  const Vector<double> v = this->row_weights().w;
  kernels::weights_gram(ExecSpace(), params.weights, loop_.weights_gram, v);
  kernels::weights_times_data(ExecSpace(), params.weights, X, loop_.weights_data, loop_.transposed,
                              v);
  const auto H = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), loop_.weights_gram);
  const auto Q = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), loop_.weights_data);
  fit_workspace(n, k, d, true);
  const Matrix<double> B = work_.mixing, Z_dev = work_.Z, M_dev = work_.M, score = work_.score;
  kernels::convert(params.mixing, B);
  kernels::rows_times_data(ExecSpace(), B, X, Z_dev, loop_.transposed);
  const auto Z = Z_host_, M = M_host_;
  Kokkos::deep_copy(Z, Z_dev);
  const auto vertex = work_.mixing_vertex;
  const auto vertex_host = vertex_host_;
  std::vector<double>& D = direction_;

  for (int t = 0; t < iterations; ++t) {
    // Half gradient (H Z - Q) X^T; the vertex of row j minimises (x_i - m) . M_j.
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) {
        double s = -Q(j, f);
        for (std::size_t l = 0; l < k; ++l) s += H(j, l) * Z(l, f);
        M(j, f) = s;
      }
    Kokkos::deep_copy(M_dev, M);
    kernels::frank_wolfe_mixing_scores(ExecSpace(), X, center_, M_dev, score);
    if (this->weighted_rows()) kernels::frank_wolfe_mask_columns(ExecSpace(), score, v);
    kernels::frank_wolfe_row_argmins(ExecSpace(), score, vertex);
    Kokkos::deep_copy(vertex_host, vertex);
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
    kernels::frank_wolfe_move_to_vertices(ExecSpace(), B, vertex, gamma);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) Z(j, f) += gamma * D[j * d + f];
  }
  kernels::convert(B, params.mixing);
  kernels::rows_times_data(ExecSpace(), params.mixing, X, params.archetypes, loop_.transposed);
}

template class FrankWolfe<float>;
template class FrankWolfe<double>;

}  // namespace kaa::strategies
