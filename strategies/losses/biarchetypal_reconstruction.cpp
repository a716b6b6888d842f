#include "strategies/losses/biarchetypal_reconstruction.hpp"

#include "framework/config/config.hpp"
#include "framework/host_transfer.hpp"
#include "framework/kernels/reconstruction.hpp"
#include "framework/kernels/small_product.hpp"
#include "framework/kernels/workspace.hpp"

namespace kaa::strategies {

namespace {

/// A B on the host, in double (the artifacts are written once per fit, not in the loop).
HostMatrix host_product(const HostMatrix& A, const HostMatrix& B) {
  HostMatrix out(A.rows, B.cols);
  for (std::size_t i = 0; i < A.rows; ++i)
    for (std::size_t f = 0; f < A.cols; ++f)
      for (std::size_t t = 0; t < B.cols; ++t) out(i, t) += A(i, f) * B(f, t);
  return out;
}

}  // namespace

template <class S>
auto BiarchetypalReconstruction<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("weight", &Params::weight).non_negative().doc("multiplier of the term");
  s.choice("reduction", &Params::reduction, common::reduction_choices())
      .doc("mean over rows (archetypax) or plain sum");
  return s;
}

template <class S>
void BiarchetypalReconstruction<S>::check_config(const nlohmann::json& config,
                                                 const std::string& path,
                                                 std::vector<std::string>& issues) {
  if (model_settings(config).n_column_archetypes < 1) {
    issues.push_back("/model/n_column_archetypes: must be >= 1 for the loss term at " + path +
                     " (biarchetypal_reconstruction), got " +
                     std::to_string(model_settings(config).n_column_archetypes));
  }
}

template <class S>
BiarchetypalReconstruction<S>::BiarchetypalReconstruction(const Params& p) : config_(p) {}

template <class S>
double BiarchetypalReconstruction<S>::scale(std::size_t n) const {
  return config_.reduction == common::Reduction::mean ? config_.weight / static_cast<double>(n)
                                                      : config_.weight;
}

template <class S>
void BiarchetypalReconstruction<S>::prepare(const Matrix<S>&, const Parameters<S>& params) {
  const std::size_t k = params.archetypes.extent(0), d = params.archetypes.extent(1);
  const std::size_t kc = params.column_mixing.extent(1);
  kernels::fit_extents(M_, "kaa::biarchetypal.M", k, kc);
  kernels::fit_extents(E_, "kaa::biarchetypal.E", k, d);
  kernels::fit_extents(GE_, "kaa::biarchetypal.GE", k, d);
  kernels::fit_extents(GM_, "kaa::biarchetypal.GM", k, kc);
}

template <class S>
void BiarchetypalReconstruction<S>::products(const Parameters<S>& params) {
  const std::size_t k = params.archetypes.extent(0), d = params.archetypes.extent(1);
  const std::size_t kc = params.column_mixing.extent(1);
  kernels::fit_extents(M_, "kaa::biarchetypal.M", k, kc);
  kernels::fit_extents(E_, "kaa::biarchetypal.E", k, d);
  kernels::small_product(ExecSpace(), params.archetypes, false, params.column_mixing, false, M_,
                         false);
  kernels::small_product(ExecSpace(), M_, false, params.column_weights, false, E_, false);
}

template <class S>
double BiarchetypalReconstruction<S>::value_and_grad(const Matrix<S>& X,
                                                     const Parameters<S>& params,
                                                     Parameters<S>& grad) {
  products(params);
  const std::size_t k = E_.extent(0), d = E_.extent(1), kc = M_.extent(1);
  kernels::fit_extents(GE_, "kaa::biarchetypal.GE", k, d);
  kernels::fit_extents(GM_, "kaa::biarchetypal.GM", k, kc);
  Kokkos::deep_copy(GE_, S(0));
  const double c = scale(X.extent(0));
  // GE = c d/dE of the sum of squares; the weights' gradient goes straight into grad.
  const double value =
      c * kernels::reconstruction_pass(ExecSpace(), X, params.weights, E_, c, grad.weights, GE_,
                                       Vector<double>(), loop_.reconstruction);
  const ExecSpace space;
  // GM = G gamma^T; dZ += GM theta^T; dtheta += Z^T GM; dgamma += M^T G.
  kernels::small_product(space, GE_, false, params.column_weights, true, GM_, false);
  kernels::small_product(space, GM_, false, params.column_mixing, true, grad.archetypes, true);
  kernels::small_product(space, params.archetypes, true, GM_, false, grad.column_mixing, true);
  kernels::small_product(space, M_, true, GE_, false, grad.column_weights, true);
  return value;
}

template <class S>
double BiarchetypalReconstruction<S>::value(const Matrix<S>& X, const Parameters<S>& params) {
  products(params);
  return scale(X.extent(0)) *
         kernels::reconstruction_pass(ExecSpace(), X, params.weights, E_, 0.0, Matrix<S>(),
                                      Matrix<S>(), Vector<double>(), loop_.reconstruction_value);
}

template <class S>
bool BiarchetypalReconstruction<S>::effective_archetypes(const Parameters<S>& params,
                                                         const Matrix<S>& out) {
  products(params);
  Kokkos::deep_copy(out, E_);
  return true;
}

template <class S>
void BiarchetypalReconstruction<S>::artifacts(const Matrix<S>& X, const Parameters<S>& params,
                                              std::vector<Artifact>& out) {
  // In the space of the fit (z-scores when normalize is on: a mixture of differently scaled
  // features has no unit).
  const HostMatrix theta = to_host(params.column_mixing);
  out.push_back({"column_archetypes", host_product(to_host(X), theta), Artifact::Format::npy, ""});
  out.push_back({"biarchetypes", host_product(to_host(params.archetypes), theta),
                 Artifact::Format::csv, "c"});
}

template class BiarchetypalReconstruction<float>;
template class BiarchetypalReconstruction<double>;

}  // namespace kaa::strategies
