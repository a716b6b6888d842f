#include "strategies/optimizers/als_nnls.hpp"

#include <algorithm>

#include "framework/kernels/block_products.hpp"
#include "strategies/common/config_checks.hpp"

namespace kaa::strategies {

namespace {

/// Relative Tikhonov term of the target solve (A^T A + lambda I) T = A^T X + lambda Z: it only
/// matters when an archetype has (almost) no weight, and then keeps that archetype where it is
/// instead of failing on a singular A^T A.
constexpr double kTargetRidge = 1e-10;

}  // namespace

template <class S>
auto AlsNnls<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.boolean("safeguard", &Params::safeguard)
      .doc(
          "if the classic B update would raise the RSS, blend old and new B at the exact "
          "minimiser between them (RSS never increases); false = the update as published");
  return s;
}

template <class S>
void AlsNnls<S>::check_config(const nlohmann::json& config, const std::string& path,
                              std::vector<std::string>& issues) {
  common::require_single_loss(config, path, {"reconstruction"}, "the squared reconstruction error",
                              issues);
  common::require_at_most_archetypes(config, path, kernels::kMaxSimplexAtoms, issues);
}

template <class S>
AlsNnls<S>::AlsNnls(const Params& p) : config_(p) {}

template <class S>
void AlsNnls<S>::init(const Matrix<S>& X, const Parameters<S>&) {
  hull_ = std::make_unique<kernels::HullLeastSquares<S>>(X);
  hull_->allow_rows(this->row_weights().w);
  safeguarded_ = 0;
}

template <class S>
void AlsNnls<S>::step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>&) {
  const std::size_t k = params.archetypes.extent(0), d = X.extent(1);
  kernels::simplex_least_squares_rows(ExecSpace(), X, params.archetypes, params.weights,
                                      hull_->center(), loop_.least_squares);
  // Sample weights v: H = A^T V A, Q = A^T V X (the A-step is per row, unchanged by them).
  kernels::weights_gram(ExecSpace(), params.weights, loop_.weights_gram, this->row_weights().w);
  kernels::weights_times_data(ExecSpace(), params.weights, X, loop_.weights_data, loop_.transposed,
                              this->row_weights().w);

  const auto H = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), loop_.weights_gram);
  const auto Q = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), loop_.weights_data);
  const auto Z = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), params.archetypes);
  auto B = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), params.mixing);

  // Targets T = (H + lambda I)^-1 (Q + lambda Z), H = A^T A.
  double trace = 0;
  for (std::size_t j = 0; j < k; ++j) trace += H(j, j);
  const double lambda = kTargetRidge * std::max(trace / static_cast<double>(k), 1e-300);
  std::vector<double> L(k * (k + 1) / 2);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b <= a; ++b)
      L[kernels::simplex_qp::tri(static_cast<int>(a), static_cast<int>(b))] =
          H(a, b) + (a == b ? lambda : 0.0);
  if (!kernels::simplex_qp::cholesky(static_cast<int>(k), L.data()))
    throw NumericalError("als_nnls: A^T A is not positive definite (non-finite weights?)");
  std::vector<std::vector<double>> targets(k, std::vector<double>(d));
  std::vector<double> column(k);
  for (std::size_t f = 0; f < d; ++f) {
    for (std::size_t j = 0; j < k; ++j) column[j] = Q(j, f) + lambda * static_cast<double>(Z(j, f));
    kernels::simplex_qp::cholesky_solve(static_cast<int>(k), L.data(), column.data());
    for (std::size_t j = 0; j < k; ++j) targets[j][f] = column[j];
  }

  std::vector<std::vector<std::size_t>> supports(k);
  std::vector<std::vector<double>> weights(k);
  std::vector<std::vector<double>> Z_new(k);
  for (std::size_t j = 0; j < k; ++j) {
    kernels::row_support(B, j, supports[j], weights[j]);
    hull_->solve(targets[j], supports[j], weights[j]);
    Z_new[j] = hull_->combine(supports[j], weights[j]);
  }

  // RSS(Z + t D) - RSS(Z) = 2 t <H Z - Q, D> + t^2 <H D, D>, D = Z_new - Z.
  double t = 1.0;
  if (config_.safeguard) {
    double slope = 0, curvature = 0;
    for (std::size_t j = 0; j < k; ++j) {
      for (std::size_t f = 0; f < d; ++f) {
        double hz = -Q(j, f), hd = 0;
        for (std::size_t m = 0; m < k; ++m) {
          hz += H(j, m) * static_cast<double>(Z(m, f));
          hd += H(j, m) * (Z_new[m][f] - static_cast<double>(Z(m, f)));
        }
        const double dj = Z_new[j][f] - static_cast<double>(Z(j, f));
        slope += hz * dj;
        curvature += hd * dj;
      }
    }
    if (2 * slope + curvature > 0) {
      t = curvature > 0 ? std::clamp(-slope / curvature, 0.0, 1.0) : 0.0;
      ++safeguarded_;
    }
  }
  if (t > 0) {
    for (std::size_t j = 0; j < k; ++j) kernels::blend_row(B, j, supports[j], weights[j], t);
    Kokkos::deep_copy(params.mixing, B);
  }
}

template class AlsNnls<float>;
template class AlsNnls<double>;

}  // namespace kaa::strategies
