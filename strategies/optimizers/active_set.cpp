#include "strategies/optimizers/active_set.hpp"

#include <cmath>

#include "framework/kernels/active_set.hpp"
#include "framework/kernels/argmin.hpp"
#include "framework/kernels/block_products.hpp"
#include "framework/kernels/workspace.hpp"
#include "strategies/common/config_checks.hpp"

namespace kaa::strategies {

template <class S>
auto ActiveSet<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("huber_delta", &Params::huber_delta)
      .non_negative()
      .doc(
          "0 = least squares; > 0 = the robust variant (IRLS weights 1 / max(||r_i||, delta)); "
          "must equal /loss/0/delta of the huber loss");
  s.number("reset_threshold", &Params::reset_threshold)
      .non_negative()
      .doc(
          "an archetype whose weight column has squared norm below this moves to the "
          "worst-fitted point (SPAMS: 1e-7); 0 = never");
  return s;
}

template <class S>
void ActiveSet<S>::check_config(const nlohmann::json& config, const std::string& path,
                                std::vector<std::string>& issues) {
  common::require_at_most_archetypes(config, path, kernels::kMaxSimplexAtoms, issues);
  const double delta = schema().bind(config.at("optimizer")).huber_delta;
  const auto& loss = config.at("loss");
  const bool single_huber = loss.size() == 1 && loss[0].at("type") == "huber";
  if (delta == 0 && single_huber) {
    const double loss_delta = loss[0].at("delta").get<double>();
    issues.push_back(path + "/huber_delta: is 0 (least squares) but /loss/0 is \"huber\"; set " +
                     path + "/huber_delta to its delta (" + nlohmann::json(loss_delta).dump() +
                     ") to run the robust variant");
    return;
  }
  if (delta == 0) {
    common::require_single_loss(config, path, {"reconstruction"},
                                "the squared reconstruction error", issues);
    return;
  }
  if (!common::require_single_loss(
          config, path, {"huber"},
          "the Huber loss of the residual norms (" + path + "/huber_delta > 0)", issues))
    return;
  const double loss_delta = loss[0].at("delta").get<double>();
  if (loss_delta != delta) {
    issues.push_back(path + "/huber_delta: " + nlohmann::json(delta).dump() +
                     " differs from /loss/0/delta " + nlohmann::json(loss_delta).dump() +
                     "; the IRLS weights must use the loss's delta");
  }
}

template <class S>
ActiveSet<S>::ActiveSet(const Params& p) : config_(p) {}

template <class S>
void ActiveSet<S>::init(const Matrix<S>& X, const Parameters<S>&) {
  hull_ = std::make_unique<kernels::HullLeastSquares<S>>(X);
  hull_->allow_rows(this->row_weights().w);
  resets_ = 0;
}

template <class S>
void ActiveSet<S>::prepare(const Matrix<S>& X, const Parameters<S>& params) {
  if (config_.huber_delta > 0) kernels::fit_extents(irls_, "kaa::active_set.irls", X.extent(0));
  kernels::fit_extents(Z_device_, "kaa::active_set.Z", params.archetypes.extent(0), X.extent(1));
}

template <class S>
void ActiveSet<S>::step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>&) {
  const std::size_t k = params.archetypes.extent(0), d = X.extent(1);
  kernels::simplex_least_squares_rows(ExecSpace(), X, params.archetypes, params.weights,
                                      hull_->center(), loop_.least_squares);

  // Row weights of the B-step's Gram products: the sample weights v (empty: all ones), times
  // the IRLS weights 1 / max(||r_i||, delta) in the robust variant. The A-step is per row and a
  // positive weight does not change a row's minimiser.
  Vector<double> irls = this->row_weights().w;
  if (config_.huber_delta > 0) {
    kernels::fit_extents(irls_, "kaa::active_set.irls", X.extent(0));
    irls = irls_;
    kernels::residual_norms2(ExecSpace(), X, params.weights, params.archetypes, loop_.norms);
    kernels::active_set_irls_weights(ExecSpace(), loop_.norms, config_.huber_delta, irls,
                                     this->row_weights().w);
  }
  kernels::weights_gram(ExecSpace(), params.weights, loop_.weights_gram, irls);
  kernels::weights_times_data(ExecSpace(), params.weights, X, loop_.weights_data, loop_.transposed,
                              irls);
  const auto H = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), loop_.weights_gram);
  const auto Q = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), loop_.weights_data);
  kernels::fit_extents(Z_device_, "kaa::active_set.Z", k, d);
  const Matrix<double> Z_device = Z_device_;
  kernels::convert(params.archetypes, Z_device);
  auto Z = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Z_device);
  auto B = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), params.mixing);

  std::vector<std::size_t> support;
  std::vector<double> weights, v(d);
  for (std::size_t l = 0; l < k; ++l) {
    if (H(l, l) < config_.reset_threshold) {
      // SPAMS's rule: an archetype nobody uses restarts at the point explained worst.
      Kokkos::deep_copy(Z_device, Z);
      kernels::residual_norms2(ExecSpace(), X, params.weights, Z_device, loop_.norms);
      if (this->weighted_rows())  // a row of weight zero is not data to restart at
        kernels::mask_rows(ExecSpace(), loop_.norms, this->row_weights().w, -1.0);
      const auto worst = kernels::first_max(ExecSpace(), loop_.norms).index;
      if (worst < X.extent(0)) {
        kernels::blend_row(B, l, {worst}, {1.0});
        for (std::size_t f = 0; f < d; ++f) Z(l, f) = hull_->data(worst, f);
        ++resets_;
      }
      continue;
    }
    if (!(H(l, l) > 0)) continue;  // unused and no reset: z_l does not enter the objective
    for (std::size_t f = 0; f < d; ++f) {
      double hz = 0;
      for (std::size_t m = 0; m < k; ++m) hz += H(l, m) * Z(m, f);
      v[f] = Z(l, f) + (Q(l, f) - hz) / H(l, l);
    }
    kernels::row_support(B, l, support, weights);
    hull_->solve(v, support, weights);
    kernels::blend_row(B, l, support, weights);
    const auto z = hull_->combine(support, weights);
    for (std::size_t f = 0; f < d; ++f) Z(l, f) = z[f];
  }
  Kokkos::deep_copy(params.mixing, B);
}

template class ActiveSet<float>;
template class ActiveSet<double>;

}  // namespace kaa::strategies
