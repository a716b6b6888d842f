#include "strategies/hooks/updates/direct_update.hpp"

#include <algorithm>
#include <cmath>

#include "framework/error.hpp"
#include "framework/io/matrix_io.hpp"
#include "framework/kernels/counter_rng.hpp"
#include "framework/kernels/normal_equations.hpp"
#include "framework/kernels/workspace.hpp"
#include "strategies/common/config_checks.hpp"

namespace kaa::strategies {

namespace {

/// Solves A Y = B in place of B by Gaussian elimination with partial pivoting (A is k x k).
/// Returns false when a pivot vanishes.
bool solve_in_place(HostMatrix A, HostMatrix& B) {
  const std::size_t k = A.rows, d = B.cols;
  double scale = 0;
  for (double v : A.values) scale = std::max(scale, std::abs(v));
  for (std::size_t col = 0; col < k; ++col) {
    std::size_t piv = col;
    for (std::size_t r = col + 1; r < k; ++r)
      if (std::abs(A(r, col)) > std::abs(A(piv, col))) piv = r;
    if (!(std::abs(A(piv, col)) > 1e-300 + 1e-15 * scale)) return false;
    if (piv != col) {
      for (std::size_t c = 0; c < k; ++c) std::swap(A(col, c), A(piv, c));
      for (std::size_t c = 0; c < d; ++c) std::swap(B(col, c), B(piv, c));
    }
    for (std::size_t r = col + 1; r < k; ++r) {
      const double factor = A(r, col) / A(col, col);
      if (factor == 0) continue;
      for (std::size_t c = col; c < k; ++c) A(r, c) -= factor * A(col, c);
      for (std::size_t c = 0; c < d; ++c) B(r, c) -= factor * B(col, c);
    }
  }
  for (std::size_t r = k; r-- > 0;) {
    for (std::size_t c = 0; c < d; ++c) {
      double v = B(r, c);
      for (std::size_t q = r + 1; q < k; ++q) v -= A(r, q) * B(q, c);
      B(r, c) = v / A(r, r);
    }
  }
  return true;
}

void normalize_row_sums(HostMatrix& Z, double eps) {
  for (std::size_t j = 0; j < Z.rows; ++j) {
    double sum = 0;
    for (std::size_t f = 0; f < Z.cols; ++f) sum += Z(j, f);
    const double divisor = std::max(eps, sum);
    for (std::size_t f = 0; f < Z.cols; ++f) Z(j, f) /= divisor;
  }
}

/// numpy's default (linear) 50th percentile of a row.
double row_median(const HostMatrix& Z, std::size_t j) {
  std::vector<double> v(Z.values.begin() + j * Z.cols, Z.values.begin() + (j + 1) * Z.cols);
  std::sort(v.begin(), v.end());
  const double pos = 0.5 * static_cast<double>(v.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = static_cast<std::size_t>(std::ceil(pos));
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

template <class S>
auto DirectUpdate<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  common::Schedule::declare(s);
  s.number("ridge", &Params::ridge)
      .non_negative()
      .doc("added to the diagonal of W^T W (archetypax: 1e-6)");
  s.number("blend", &Params::blend)
      .min(0)
      .max(1)
      .doc("share of the direct step in the new archetypes");
  s.number("hull_margin", &Params::hull_margin)
      .positive()
      .doc("a row beyond the support is pulled back to this fraction of it (archetypax: 0.99)");
  s.number("eps", &Params::eps).positive().doc("zero-direction threshold and denominator guard");
  s.number("median_shrink", &Params::median_shrink)
      .positive()
      .max(1)
      .doc(
          "factor on entries below their row's median, then row sums set to 1 (Sparse "
          "feature_selection: 0.7); 1 = off");
  s.number("noise_scale", &Params::noise_scale)
      .non_negative()
      .doc("scale of the variance-scaled noise (Sparse: 0.01); 0 = off");
  s.number("noise_threshold", &Params::noise_threshold)
      .doc("noise only on entries above this (Sparse: 1e-5)");
  s.number("noise_eps", &Params::noise_eps)
      .positive()
      .doc("added to the per-feature std under the noise");
  s.boolean("noise_redraw", &Params::noise_redraw)
      .doc(
          "fresh noise at every call; false = one draw reused (archetypax: its key never "
          "advances)");
  s.string("noise_file", &Params::noise_file)
      .doc(
          "CSV or .npy of k x d uniform [0, 1) draws used instead of the generator (replays a "
          "recorded run); \"\" = generator");
  s.integer("seed", &Params::seed).min(0).doc("seed of the noise");
  s.boolean("normalize_rows", &Params::normalize_rows)
      .doc("divide each row by max(row_sum_eps, row sum) after the noise (Sparse: true)");
  s.number("row_sum_eps", &Params::row_sum_eps).positive().doc("floor of the row sums divided by");
  s.boolean("rescale_after", &Params::rescale_after)
      .doc("hull scaling once more at the end (Sparse: true)");
  return s;
}

template <class S>
DirectUpdate<S>::DirectUpdate(const Params& p) : config_(p), schedule_(p.every, p.start) {}

template <class S>
void DirectUpdate<S>::check_config(const nlohmann::json& config, const std::string& path,
                                   std::vector<std::string>& issues) {
  common::require_free_archetypes(config, path, name, issues);
}

template <class S>
HostMatrix DirectUpdate<S>::noise(std::size_t k, std::size_t d) {
  if (!config_.noise_file.empty()) {
    if (recorded_noise_.values.empty()) recorded_noise_ = read_matrix(config_.noise_file);
    const HostMatrix& u = recorded_noise_;
    if (u.rows != k || u.cols != d) {
      throw InputError("direct_update: noise_file " + config_.noise_file + " is " +
                       std::to_string(u.rows) + " x " + std::to_string(u.cols) + ", expected " +
                       std::to_string(k) + " x " + std::to_string(d));
    }
    return u;
  }
  HostMatrix u(k, d);
  const std::uint64_t offset = (config_.noise_redraw ? calls_ : 0) * k * d;
  for (std::size_t e = 0; e < k * d; ++e)
    u.values[e] = kernels::uniform01(config_.seed, 7, offset + e);
  return u;
}

template <class S>
HostMatrix DirectUpdate<S>::direct_archetypes(const Matrix<S>& X, const Matrix<S>& weights) {
  support_.bind(X);
  const std::size_t k = weights.extent(1), d = X.extent(1);
  fit_workspace(k, d);
  kernels::normal_equations(ExecSpace(), weights, X, normal_);
  Kokkos::deep_copy(normal_host_, normal_);
  HostMatrix WtW(k, k), Z(k, d);
  for (std::size_t e = 0; e < k * k; ++e) WtW.values[e] = normal_host_(e);
  for (std::size_t e = 0; e < k * d; ++e) Z.values[e] = normal_host_(k * k + e);
  for (std::size_t j = 0; j < k; ++j) WtW(j, j) += config_.ridge;
  if (!solve_in_place(WtW, Z)) {
    throw Error("direct_update: W^T W + ridge I is singular (ridge " +
                std::to_string(config_.ridge) + "); raise the hook's \"ridge\"");
  }
  support_.scale_into_support(Z, config_.hull_margin, config_.eps);
  if (config_.median_shrink < 1.0) {
    for (std::size_t j = 0; j < k; ++j) {
      const double median = row_median(Z, j);
      for (std::size_t f = 0; f < d; ++f)
        if (Z(j, f) < median) Z(j, f) *= config_.median_shrink;
    }
    normalize_row_sums(Z, config_.row_sum_eps);
  }
  if (config_.noise_scale > 0) {
    const HostMatrix u = noise(k, d);
    for (std::size_t f = 0; f < d; ++f) {
      double mean = 0, var = 0;
      for (std::size_t j = 0; j < k; ++j) mean += Z(j, f);
      mean /= static_cast<double>(k);
      for (std::size_t j = 0; j < k; ++j) var += (Z(j, f) - mean) * (Z(j, f) - mean);
      const double amplitude =
          config_.noise_scale / (std::sqrt(var / static_cast<double>(k)) + config_.noise_eps);
      for (std::size_t j = 0; j < k; ++j)
        if (Z(j, f) > config_.noise_threshold) Z(j, f) += (u(j, f) - 0.5) * amplitude;
    }
  }
  if (config_.normalize_rows) normalize_row_sums(Z, config_.row_sum_eps);
  if (config_.rescale_after) support_.scale_into_support(Z, config_.hull_margin, config_.eps);
  return Z;
}

template <class S>
void DirectUpdate<S>::after_update(HookContext<S>& ctx) {
  if (!schedule_.fires(ctx.updates)) return;
  const HostMatrix direct = direct_archetypes(ctx.X, ctx.params.weights);
  ++calls_;
  // Blended on the host through a kept mirror: no allocation per call.
  const Matrix<S> Z = ctx.params.archetypes;
  fit_workspace(Z.extent(0), Z.extent(1));
  Kokkos::deep_copy(archetypes_host_, Z);
  for (std::size_t e = 0; e < direct.values.size(); ++e) {
    const std::size_t j = e / Z.extent(1), f = e % Z.extent(1);
    archetypes_host_(j, f) =
        static_cast<S>(config_.blend * direct.values[e] +
                       (1.0 - config_.blend) * static_cast<double>(archetypes_host_(j, f)));
  }
  Kokkos::deep_copy(Z, archetypes_host_);
}

template <class S>
void DirectUpdate<S>::prepare(const Matrix<S>&, const Parameters<S>& params) {
  fit_workspace(params.archetypes.extent(0), params.archetypes.extent(1));
}

template <class S>
void DirectUpdate<S>::fit_workspace(std::size_t k, std::size_t d) {
  if (kernels::fit_extents(normal_, "kaa::direct_update.normal", k * k + k * d))
    normal_host_ = Kokkos::create_mirror_view(normal_);
  if (archetypes_host_.extent(0) != k || archetypes_host_.extent(1) != d)
    archetypes_host_ = typename Matrix<S>::HostMirror("kaa::direct_update.archetypes_host", k, d);
}

template <class S>
void DirectUpdate<S>::save_state(SavedState& state, const std::string& prefix) const {
  state.scalars[prefix + ".calls"] = calls_;
}

template <class S>
void DirectUpdate<S>::load_state(const SavedState& state, const std::string& prefix) {
  calls_ = state.scalars.at(prefix + ".calls").get<std::size_t>();
}

template class DirectUpdate<float>;
template class DirectUpdate<double>;

}  // namespace kaa::strategies
