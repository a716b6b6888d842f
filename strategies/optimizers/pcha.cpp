#include "strategies/optimizers/pcha.hpp"

#include <algorithm>
#include <cmath>

#include "framework/kernels/block_products.hpp"
#include "strategies/solver_checks.hpp"

namespace kaa::strategies {

namespace {

using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;

/// After this many halvings without a decrease the block is taken to be stationary.
constexpr int kMaxHalvings = 60;

/// g_r <- g_r - (g_r . W_r) 1 for every row r: the gradient direction of PCHA's normalisation-
/// invariant parameterisation.
void subtract_row_inner_products(const Matrix<double>& g, const Matrix<double>& W) {
  const std::size_t cols = W.extent(1);
  Kokkos::parallel_for(
      "kaa::pcha.adjust", Kokkos::TeamPolicy<ExecSpace>(W.extent(0), Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const std::size_t r = team.league_rank();
        double dot = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, cols),
            [&](const std::size_t c, double& acc) { acc += g(r, c) * W(r, c); }, dot);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, cols),
                             [&](const std::size_t c) { g(r, c) -= dot; });
      });
}

/// W_r <- max(W_old_r - mu g_r, 0) / its sum, row by row (W_old_r where that sum is not > 0,
/// which cannot happen in exact arithmetic: some entry of the support has g <= 0).
void trial_rows(const Matrix<double>& W_old, const Matrix<double>& g, double mu,
                const Matrix<double>& W) {
  const std::size_t cols = W.extent(1);
  Kokkos::parallel_for(
      "kaa::pcha.trial", Kokkos::TeamPolicy<ExecSpace>(W.extent(0), Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team& team) {
        const std::size_t r = team.league_rank();
        double sum = 0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, cols),
            [&](const std::size_t c, double& acc) {
              const double v = W_old(r, c) - mu * g(r, c);
              acc += v > 0 ? v : 0.0;
            },
            sum);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, cols), [&](const std::size_t c) {
          const double v = W_old(r, c) - mu * g(r, c);
          W(r, c) = sum > 0 ? (v > 0 ? v : 0.0) / sum : W_old(r, c);
        });
      });
}

/// sum_i (a_i G a_i^T - 2 a_i . p_i): the SSE minus SST for weights A, P = X Z^T, G = Z Z^T.
double weights_sse_part(const Matrix<double>& A, const Matrix<double>& P, const Matrix<double>& G) {
  const std::size_t k = A.extent(1);
  double total = 0;
  Kokkos::parallel_reduce(
      "kaa::pcha.sse_a", Kokkos::RangePolicy<ExecSpace>(0, A.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i, double& acc) {
        for (std::size_t a = 0; a < k; ++a) {
          double ga = -2 * P(i, a);
          for (std::size_t b = 0; b < k; ++b) ga += G(a, b) * A(i, b);
          acc += A(i, a) * ga;
        }
      },
      total);
  return total;
}

/// g(i, :) = (a_i G - p_i) * scale.
void weights_gradient(const Matrix<double>& A, const Matrix<double>& P, const Matrix<double>& G,
                      double scale, const Matrix<double>& g) {
  const std::size_t k = A.extent(1);
  Kokkos::parallel_for(
      "kaa::pcha.grad_a", Kokkos::RangePolicy<ExecSpace>(0, A.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t a = 0; a < k; ++a) {
          double s = -P(i, a);
          for (std::size_t b = 0; b < k; ++b) s += A(i, b) * G(b, a);
          g(i, a) = s * scale;
        }
      });
}

/// g(j, i) = (x_i . M_j - XQ(i, j)) * scale_j: the B gradient (H Z - Q) X^T, M = H Z.
template <class S>
void mixing_gradient(const Matrix<S>& X, const Matrix<double>& M, const Matrix<double>& XQ,
                     const Vector<double>& scale, const Matrix<double>& g) {
  const std::size_t k = M.extent(0), d = X.extent(1);
  Kokkos::parallel_for(
      "kaa::pcha.grad_b", Kokkos::RangePolicy<ExecSpace>(0, X.extent(0)),
      KOKKOS_LAMBDA(const std::size_t i) {
        for (std::size_t j = 0; j < k; ++j) {
          double s = -XQ(i, j);
          for (std::size_t f = 0; f < d; ++f) s += static_cast<double>(X(i, f)) * M(j, f);
          g(j, i) = s * scale(j);
        }
      });
}

using HostMatrixView = Kokkos::View<double**, Kokkos::LayoutRight, Kokkos::HostSpace>;

/// SSE - SST = -2 <Q, Z> + <H, Z Z^T> for archetypes Z (host, k x d).
double mixing_sse_part(const HostMatrixView& H, const HostMatrixView& Q, const HostMatrixView& Z) {
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
Schema Pcha<S>::schema() {
  Schema s;
  s.integer("inner_weights", 10).min(1).doc("A updates per step (py_pcha: 10)");
  s.integer("inner_mixing", 10).min(1).doc("B updates per step (py_pcha: 10)");
  s.integer("warmup", 25)
      .non_negative()
      .doc("A updates before the first step's B update (py_pcha initialises S by 25)");
  s.number("delta", 0.0)
      .min(0.0)
      .max(1.0, true)
      .doc(
          "alpha relaxation: archetype j is alpha_j b_j X, alpha_j in [1 - delta, 1 + delta]; 0 = "
          "off");
  s.number("initial_step", 1.0).positive().doc("starting step size mu of every block (py_pcha: 1)");
  s.number("grow", 1.2).min(1.0).doc("step-size factor after an accepted trial (py_pcha: 1.2)");
  s.number("shrink", 0.5)
      .positive()
      .max(1.0, true)
      .doc("step-size factor after a rejected trial (py_pcha: 0.5)");
  s.number("accept_rtol", 0.0)
      .non_negative()
      .doc(
          "a trial is accepted if SSE <= SSE_old (1 + accept_rtol); py_pcha: 1e-9; 0 keeps the SSE "
          "monotone");
  return s;
}

template <class S>
void Pcha<S>::check_config(const nlohmann::json& config, const std::string& path,
                           std::vector<std::string>& issues) {
  require_single_loss(config, path, {"reconstruction"}, "the squared reconstruction error", issues);
  const double delta = config.at("optimizer").at("delta").get<double>();
  const auto& projectors = config.at("projectors");
  if (delta > 0 && projectors.contains("mixing") && projectors["mixing"].at("type") != "none") {
    issues.push_back("/projectors/mixing/type: \"" +
                     projectors["mixing"]["type"].get<std::string>() + "\" would undo " + path +
                     "/delta > 0 (mixing rows then sum to alpha_j in [1 - delta, 1 + delta]); use "
                     "\"none\"");
  }
}

template <class S>
Pcha<S>::Pcha(const nlohmann::json& p)
    : inner_weights_(p.at("inner_weights").get<int>()),
      inner_mixing_(p.at("inner_mixing").get<int>()),
      warmup_(p.at("warmup").get<int>()),
      delta_(p.at("delta").get<double>()),
      grow_(p.at("grow").get<double>()),
      shrink_(p.at("shrink").get<double>()),
      accept_rtol_(p.at("accept_rtol").get<double>()),
      initial_step_(p.at("initial_step").get<double>()) {}

template <class S>
void Pcha<S>::init(const Matrix<S>& X, const Parameters<S>&) {
  sst_ = kernels::sum_of_squares(X);
  mu_weights_ = mu_mixing_ = mu_alpha_ = initial_step_;
  first_step_ = true;
}

template <class S>
void Pcha<S>::step(const Matrix<S>& X, Parameters<S>& params, Parameters<S>&) {
  if (first_step_ && warmup_ > 0) update_weights(X, params, warmup_);
  first_step_ = false;
  update_mixing(X, params, inner_mixing_);
  update_weights(X, params, inner_weights_);
}

template <class S>
double Pcha<S>::update_weights(const Matrix<S>& X, Parameters<S>& params, int iterations) {
  if (sst_ == 0) sst_ = kernels::sum_of_squares(X);
  const std::size_t n = X.extent(0), k = params.weights.extent(1), d = X.extent(1);
  const Vector<double> origin("kaa::pcha.origin", d);
  const Matrix<double> P = kernels::centered_products(X, params.archetypes, origin);
  const Matrix<double> G = kernels::centered_gram(params.archetypes, origin);
  Matrix<double> A("kaa::pcha.A", n, k), A_old("kaa::pcha.A_old", n, k), g("kaa::pcha.gA", n, k);
  kernels::convert(params.weights, A);

  double sse = sst_ + weights_sse_part(A, P, G);
  const double scale = sst_ > 0 ? static_cast<double>(n) / sst_ : 1.0;
  for (int it = 0; it < iterations; ++it) {
    weights_gradient(A, P, G, scale, g);
    subtract_row_inner_products(g, A);
    Kokkos::deep_copy(A_old, A);
    const double mu_before = mu_weights_;
    bool accepted = false;
    for (int halving = 0; halving < kMaxHalvings; ++halving) {
      trial_rows(A_old, g, mu_weights_, A);
      const double trial = sst_ + weights_sse_part(A, P, G);
      if (trial <= sse * (1 + accept_rtol_)) {
        sse = trial;
        mu_weights_ *= grow_;
        accepted = true;
        break;
      }
      mu_weights_ *= shrink_;
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
  if (sst_ == 0) sst_ = kernels::sum_of_squares(X);
  const std::size_t n = X.extent(0), k = params.mixing.extent(0), d = X.extent(1);
  const Vector<double> origin("kaa::pcha.origin", d);
  Matrix<double> A("kaa::pcha.A", n, k);
  kernels::convert(params.weights, A);
  const Matrix<double> H_dev = kernels::weights_gram(A);
  const Matrix<double> Q_dev = kernels::weights_times_data(A, X);
  const auto H = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), H_dev);
  const auto Q = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Q_dev);
  const Matrix<double> XQ = kernels::centered_products(X, Q_dev, origin);  // n x k: x_i . Q_j

  Matrix<double> B("kaa::pcha.B", k, n), B_old("kaa::pcha.B_old", k, n), g("kaa::pcha.gB", k, n);
  kernels::convert(params.mixing, B);
  auto B_host = Kokkos::create_mirror_view(B);
  std::vector<double> alpha(k, 1.0);
  if (delta_ > 0) {  // mixing rows hold alpha_j b_j
    Kokkos::deep_copy(B_host, B);
    for (std::size_t j = 0; j < k; ++j) {
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += B_host(j, i);
      alpha[j] = sum > 0 ? sum : 1.0;
      for (std::size_t i = 0; i < n; ++i) B_host(j, i) /= alpha[j];
    }
    Kokkos::deep_copy(B, B_host);
  }
  Vector<double> scale("kaa::pcha.scale", k);
  auto scale_host = Kokkos::create_mirror_view(scale);
  for (std::size_t j = 0; j < k; ++j) scale_host(j) = alpha[j] / (sst_ > 0 ? sst_ : 1.0);
  Kokkos::deep_copy(scale, scale_host);

  Matrix<double> Z_dev("kaa::pcha.Z", k, d), M_dev("kaa::pcha.M", k, d);
  HostMatrixView Z("kaa::pcha.Z_host", k, d), trial_Z("kaa::pcha.trial_Z", k, d);
  auto M = Kokkos::create_mirror_view(M_dev);
  auto archetypes_of = [&](const HostMatrixView& out) {  // diag(alpha) B X
    kernels::rows_times_data(B, X, Z_dev);
    Kokkos::deep_copy(out, Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), Z_dev));
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
    mixing_gradient(X, M_dev, XQ, scale, g);
    subtract_row_inner_products(g, B);
    Kokkos::deep_copy(B_old, B);
    const double mu_before = mu_mixing_;
    bool accepted = false;
    for (int halving = 0; halving < kMaxHalvings; ++halving) {
      trial_rows(B_old, g, mu_mixing_, B);
      archetypes_of(trial_Z);
      const double trial = sst_ + mixing_sse_part(H, Q, trial_Z);
      if (trial <= sse * (1 + accept_rtol_)) {
        sse = trial;
        Kokkos::deep_copy(Z, trial_Z);
        mu_mixing_ *= grow_;
        accepted = true;
        break;
      }
      mu_mixing_ *= shrink_;
    }
    if (!accepted) {
      Kokkos::deep_copy(B, B_old);
      mu_mixing_ = mu_before;
    }
    bool alpha_accepted = false;
    if (delta_ > 0) {
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
        grad[j] = (hz - qz) / alpha[j] / (sst_ * static_cast<double>(n));
      }
      const double mu_alpha_before = mu_alpha_;
      for (int halving = 0; halving < kMaxHalvings; ++halving) {
        for (std::size_t j = 0; j < k; ++j) {
          alpha[j] = std::clamp(alpha_old[j] - mu_alpha_ * grad[j], 1 - delta_, 1 + delta_);
          for (std::size_t f = 0; f < d; ++f) trial_Z(j, f) = Z(j, f) * alpha[j] / alpha_old[j];
        }
        const double trial = sst_ + mixing_sse_part(H, Q, trial_Z);
        if (trial <= sse * (1 + accept_rtol_)) {
          sse = trial;
          Kokkos::deep_copy(Z, trial_Z);
          mu_alpha_ *= grow_;
          alpha_accepted = true;
          break;
        }
        mu_alpha_ *= shrink_;
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
  if (delta_ > 0) {
    Kokkos::deep_copy(B_host, B);
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t i = 0; i < n; ++i) B_host(j, i) *= alpha[j];
    Kokkos::deep_copy(B, B_host);
  }
  kernels::convert(B, params.mixing);
  // The A update that follows needs Z = B X now, not after the step.
  kernels::rows_times_data(params.mixing, X, params.archetypes);
  return sse;
}

template class Pcha<float>;
template class Pcha<double>;

}  // namespace kaa::strategies
