#include "strategies/optimizers/pcha.hpp"

#include <algorithm>
#include <cmath>

#include "framework/kernels/block_products.hpp"
#include "framework/kernels/pcha.hpp"
#include "framework/kernels/workspace.hpp"
#include "strategies/common/config_checks.hpp"

namespace kaa::strategies {

namespace {

/// After this many halvings without a decrease the block is taken to be stationary.
constexpr int kMaxHalvings = 60;

/// SSE - SST = -2 <Q, Z> + <H, Z Z^T> for archetypes Z (host, k x d).
template <class HM, class HQ, class HZ>
double mixing_sse_part(const HM& H, const HQ& Q, const HZ& Z) {
  const std::size_t k = Z.extent(0), d = Z.extent(1);
  double total = 0;
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t f = 0; f < d; ++f) total -= 2 * Q(j, f) * Z(j, f);
    for (std::size_t l = 0; l < k; ++l) {
      double zz = 0;
      for (std::size_t f = 0; f < d; ++f) zz += Z(j, f) * Z(l, f);
      total += H(j, l) * zz;
    }
  }
  return total;
}

}  // namespace

template <class S>
auto Pcha<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.integer("inner_weights", &Params::inner_weights).min(1).doc("A updates per step (py_pcha: 10)");
  s.integer("inner_mixing", &Params::inner_mixing).min(1).doc("B updates per step (py_pcha: 10)");
  s.integer("warmup", &Params::warmup)
      .non_negative()
      .doc("A updates before the first step's B update (py_pcha initialises S by 25)");
  s.number("delta", &Params::delta)
      .min(0.0)
      .max(1.0, true)
      .doc(
          "alpha relaxation: archetype j is alpha_j b_j X, alpha_j in [1 - delta, 1 + delta]; 0 = "
          "off");
  s.number("initial_step", &Params::initial_step)
      .positive()
      .doc("starting step size mu of every block (py_pcha: 1)");
  s.number("grow", &Params::grow)
      .min(1.0)
      .doc("step-size factor after an accepted trial (py_pcha: 1.2)");
  s.number("shrink", &Params::shrink)
      .positive()
      .max(1.0, true)
      .doc("step-size factor after a rejected trial (py_pcha: 0.5)");
  s.number("accept_rtol", &Params::accept_rtol)
      .non_negative()
      .doc(
          "a trial is accepted if SSE <= SSE_old (1 + accept_rtol); py_pcha: 1e-9; 0 keeps the SSE "
          "monotone");
  return s;
}

template <class S>
void Pcha<S>::check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues) {
  common::require_single_loss(config, path, {"reconstruction"}, "the squared reconstruction error",
                              issues);
  const double delta = schema().bind(config.at("optimizer")).delta;
  const auto& projectors = config.at("projectors");
  if (delta > 0 && projectors.contains("mixing") && projectors["mixing"].at("type") != "none") {
    issues.push_back("/projectors/mixing/type: \"" +
                     projectors["mixing"]["type"].get<std::string>() + "\" would undo " + path +
                     "/delta > 0 (mixing rows then sum to alpha_j in [1 - delta, 1 + delta]); use "
                     "\"none\"");
  }
}

template <class S>
Pcha<S>::Pcha(const Params& p) : config_(p) {}

template <class S>
void Pcha<S>::init(const Matrix<S>& X, const Parameters<S>&) {
  sst_ = kernels::pcha_sum_of_squares(ExecSpace(), X, work_.sums, this->row_weights().w);
  mu_weights_ = mu_mixing_ = mu_alpha_ = config_.initial_step;
  first_step_ = true;
}

template <class S>
void Pcha<S>::prepare(const Matrix<S>& X, const Parameters<S>& params) {
  fit_workspace(X.extent(0), params.weights.extent(1), X.extent(1));
}

template <class S>
void Pcha<S>::fit_workspace(std::size_t n, std::size_t k, std::size_t d) {
  kernels::PchaWorkspace& w = work_;
  kernels::fit_extents(w.origin, "kaa::pcha.origin", d);
  kernels::fit_extents(w.weights, "kaa::pcha.A", n, k);
  kernels::fit_extents(w.weights_old, "kaa::pcha.A_old", n, k);
  kernels::fit_extents(w.weights_grad, "kaa::pcha.gA", n, k);
  if (kernels::fit_extents(w.mixing, "kaa::pcha.B", k, n))
    mixing_host_ = Kokkos::create_mirror_view(w.mixing);
  kernels::fit_extents(w.mixing_old, "kaa::pcha.B_old", k, n);
  kernels::fit_extents(w.mixing_grad, "kaa::pcha.gB", k, n);
  if (kernels::fit_extents(w.scale, "kaa::pcha.scale", k))
    scale_host_ = Kokkos::create_mirror_view(w.scale);
  kernels::fit_extents(w.Z, "kaa::pcha.Z", k, d);
  if (kernels::fit_extents(w.M, "kaa::pcha.M", k, d)) M_host_ = Kokkos::create_mirror_view(w.M);
  kernels::fit_extents(Z_host_, "kaa::pcha.Z_host", k, d);
  kernels::fit_extents(trial_Z_host_, "kaa::pcha.trial_Z", k, d);
}

template <class S>
void Pcha<S>::step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>&) {
  if (first_step_ && config_.warmup > 0) update_weights(X, params, config_.warmup);
  first_step_ = false;
  update_mixing(X, params, config_.inner_mixing);
  update_weights(X, params, config_.inner_weights);
}

template <class S>
double Pcha<S>::update_weights(const Matrix<S>& X, Parameters<S>& params, int iterations) {
  if (sst_ == 0)
    sst_ = kernels::pcha_sum_of_squares(ExecSpace(), X, work_.sums, this->row_weights().w);
  const std::size_t n = X.extent(0), k = params.weights.extent(1), d = X.extent(1);
  fit_workspace(n, k, d);
  const ExecSpace space;
  const Vector<double> origin = work_.origin;
  kernels::centered_products(ExecSpace(), X, params.archetypes, origin, loop_.products);
  kernels::centered_gram(ExecSpace(), params.archetypes, origin, loop_.gram);
  const Matrix<double> P = loop_.products;
  const Matrix<double> G = loop_.gram;
  const Matrix<double> A = work_.weights, A_old = work_.weights_old, g = work_.weights_grad;
  kernels::convert(params.weights, A);
  // Sample weights v: the SSE sums v_i times row i's error; each row's step is the one its
  // copies would take (the unweighted row gradient, scaled by the total weight over SST).
  const Vector<double> v = this->row_weights().w;

  double sse = sst_ + kernels::pcha_weights_sse_part(space, A, P, G, work_.sums, v);
  const double scale = sst_ > 0 ? this->row_count(n) / sst_ : 1.0;
  for (int it = 0; it < iterations; ++it) {
    kernels::pcha_weights_gradient(space, A, P, G, scale, g);
    kernels::pcha_subtract_row_inner_products(space, g, A);
    Kokkos::deep_copy(A_old, A);
    const double mu_before = mu_weights_;
    bool accepted = false;
    for (int halving = 0; halving < kMaxHalvings; ++halving) {
      kernels::pcha_trial_rows(space, A_old, g, mu_weights_, A);
      const double trial = sst_ + kernels::pcha_weights_sse_part(space, A, P, G, work_.sums, v);
      if (trial <= sse * (1 + config_.accept_rtol)) {
        sse = trial;
        mu_weights_ *= config_.grow;
        accepted = true;
        break;
      }
      mu_weights_ *= config_.shrink;
    }
    if (!accepted) {  // stationary to rounding: keep A and the step size it had
      Kokkos::deep_copy(A, A_old);
      mu_weights_ = mu_before;
      break;
    }
  }
  kernels::convert(A, params.weights);
  return sse;
}

template <class S>
double Pcha<S>::update_mixing(const Matrix<S>& X, Parameters<S>& params, int iterations) {
  if (sst_ == 0)
    sst_ = kernels::pcha_sum_of_squares(ExecSpace(), X, work_.sums, this->row_weights().w);
  const std::size_t n = X.extent(0), k = params.mixing.extent(0), d = X.extent(1);
  fit_workspace(n, k, d);
  const ExecSpace space;
  const Vector<double> origin = work_.origin;
  const Matrix<double> A = work_.weights;
  kernels::convert(params.weights, A);
  // Sample weights v: H = A^T V A and Q = A^T V X; the B direction of column i is scaled by v_i
  // (the summed directions of its copies) after the per-row inner products are removed.
  const Vector<double> v = this->row_weights().w;
  kernels::weights_gram(ExecSpace(), A, loop_.weights_gram, v);
  kernels::weights_times_data(ExecSpace(), A, X, loop_.weights_data, loop_.transposed, v);
  const Matrix<double> H_dev = loop_.weights_gram;
  const Matrix<double> Q_dev = loop_.weights_data;
  const auto H = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), H_dev);
  const auto Q = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Q_dev);
  kernels::centered_products(ExecSpace(), X, Q_dev, origin, loop_.data_products);
  const Matrix<double> XQ = loop_.data_products;  // n x k: x_i . Q_j

  const Matrix<double> B = work_.mixing, B_old = work_.mixing_old, g = work_.mixing_grad;
  kernels::convert(params.mixing, B);
  const auto B_host = mixing_host_;
  std::vector<double> alpha(k, 1.0);
  if (config_.delta > 0) {  // mixing rows hold alpha_j b_j
    Kokkos::deep_copy(B_host, B);
    for (std::size_t j = 0; j < k; ++j) {
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += B_host(j, i);
      alpha[j] = sum > 0 ? sum : 1.0;
      for (std::size_t i = 0; i < n; ++i) B_host(j, i) /= alpha[j];
    }
    Kokkos::deep_copy(B, B_host);
  }
  const Vector<double> scale = work_.scale;
  const auto scale_host = scale_host_;
  for (std::size_t j = 0; j < k; ++j) scale_host(j) = alpha[j] / (sst_ > 0 ? sst_ : 1.0);
  Kokkos::deep_copy(scale, scale_host);

  const Matrix<double> Z_dev = work_.Z, M_dev = work_.M;
  const HostMatrixView Z = Z_host_, trial_Z = trial_Z_host_;
  const auto M = M_host_;
  auto archetypes_of = [&](const HostMatrixView& out) {  // diag(alpha) B X
    kernels::rows_times_data(ExecSpace(), B, X, Z_dev, loop_.transposed);
    Kokkos::deep_copy(out, Z_dev);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) out(j, f) *= alpha[j];
  };
  archetypes_of(Z);
  double sse = sst_ + mixing_sse_part(H, Q, Z);

  for (int it = 0; it < iterations; ++it) {
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t f = 0; f < d; ++f) {
        double s = 0;
        for (std::size_t l = 0; l < k; ++l) s += H(j, l) * Z(l, f);
        M(j, f) = s;
      }
    Kokkos::deep_copy(M_dev, M);
    kernels::pcha_mixing_gradient(space, X, M_dev, XQ, scale, g);
    kernels::pcha_subtract_row_inner_products(space, g, B);
    if (this->weighted_rows()) kernels::pcha_scale_columns(space, g, v);
    Kokkos::deep_copy(B_old, B);
    const double mu_before = mu_mixing_;
    bool accepted = false;
    for (int halving = 0; halving < kMaxHalvings; ++halving) {
      kernels::pcha_trial_rows(space, B_old, g, mu_mixing_, B);
      archetypes_of(trial_Z);
      const double trial = sst_ + mixing_sse_part(H, Q, trial_Z);
      if (trial <= sse * (1 + config_.accept_rtol)) {
        sse = trial;
        Kokkos::deep_copy(Z, trial_Z);
        mu_mixing_ *= config_.grow;
        accepted = true;
        break;
      }
      mu_mixing_ *= config_.shrink;
    }
    if (!accepted) {
      Kokkos::deep_copy(B, B_old);
      mu_mixing_ = mu_before;
    }
    bool alpha_accepted = false;
    if (config_.delta > 0) {
      // d SSE / d alpha_j (scaled as py_pcha): ((H Z)_j . z_j - Q_j . z_j) / alpha_j / (SST n).
      std::vector<double> grad(k), alpha_old = alpha;
      for (std::size_t j = 0; j < k; ++j) {
        double hz = 0, qz = 0;
        for (std::size_t f = 0; f < d; ++f) {
          double s = 0;
          for (std::size_t l = 0; l < k; ++l) s += H(j, l) * Z(l, f);
          hz += s * Z(j, f);
          qz += Q(j, f) * Z(j, f);
        }
        grad[j] = (hz - qz) / alpha[j] / (sst_ * this->row_count(n));
      }
      const double mu_alpha_before = mu_alpha_;
      for (int halving = 0; halving < kMaxHalvings; ++halving) {
        for (std::size_t j = 0; j < k; ++j) {
          alpha[j] =
              std::clamp(alpha_old[j] - mu_alpha_ * grad[j], 1 - config_.delta, 1 + config_.delta);
          for (std::size_t f = 0; f < d; ++f) trial_Z(j, f) = Z(j, f) * alpha[j] / alpha_old[j];
        }
        const double trial = sst_ + mixing_sse_part(H, Q, trial_Z);
        if (trial <= sse * (1 + config_.accept_rtol)) {
          sse = trial;
          Kokkos::deep_copy(Z, trial_Z);
          mu_alpha_ *= config_.grow;
          alpha_accepted = true;
          break;
        }
        mu_alpha_ *= config_.shrink;
      }
      if (!alpha_accepted) {
        alpha = alpha_old;
        mu_alpha_ = mu_alpha_before;
      }
      for (std::size_t j = 0; j < k; ++j) scale_host(j) = alpha[j] / sst_;
      Kokkos::deep_copy(scale, scale_host);
    }
    if (!accepted && !alpha_accepted) break;  // stationary to rounding
  }
  if (config_.delta > 0) {
    Kokkos::deep_copy(B_host, B);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t i = 0; i < n; ++i) B_host(j, i) *= alpha[j];
    Kokkos::deep_copy(B, B_host);
  }
  kernels::convert(B, params.mixing);
  // The A update that follows needs Z = B X now, not after the step.
  kernels::rows_times_data(ExecSpace(), params.mixing, X, params.archetypes, loop_.transposed);
  return sse;
}

template class Pcha<float>;
template class Pcha<double>;

}  // namespace kaa::strategies
