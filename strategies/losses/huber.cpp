#include "strategies/losses/huber.hpp"

#include "framework/kernels/block_products.hpp"

namespace kaa::strategies {

template <class S>
auto Huber<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("weight", &Params::weight).non_negative().doc("multiplier of the term");
  s.number("delta", &Params::delta)
      .positive()
      .doc("residual norm below which h is quadratic (SPAMS's epsilon: 1e-3)");
  s.choice("reduction", &Params::reduction, common::reduction_choices())
      .doc("mean over rows or plain sum");
  return s;
}

template <class S>
Huber<S>::Huber(const Params& p) : config_(p) {}

template <class S>
double Huber<S>::scale(std::size_t n) const {
  // Sample weights: the weighted mean (over the total weight) or the weighted sum.
  return config_.reduction == common::Reduction::mean
             ? config_.weight /
                   (this->weighted_rows() ? this->row_weights().total : static_cast<double>(n))
             : config_.weight;
}

template <class S>
void Huber<S>::prepare(const Matrix<S>&, const Parameters<S>& params) {
  workspace_.fit(ExecSpace(), params.archetypes.extent(0), params.archetypes.extent(1));
}

template <class S>
double Huber<S>::value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                                Parameters<S>& grad) {
  const double c = scale(X.extent(0));
  kernels::residual_norms2(ExecSpace(), X, params.weights, params.archetypes, loop_.norms);
  const Vector<double> norms2 = loop_.norms;
  const Vector<double> v = this->row_weights().w;
  const double total = kernels::huber_sum(ExecSpace(), norms2, config_.delta, v);
  kernels::huber_gradient(ExecSpace(), X, params.weights, params.archetypes, norms2, config_.delta,
                          c, grad.weights, grad.archetypes, workspace_, v);
  return c * total;
}

template <class S>
double Huber<S>::value(const Matrix<S>& X, const Parameters<S>& params) {
  kernels::residual_norms2(ExecSpace(), X, params.weights, params.archetypes, loop_.norms);
  const Vector<double> norms2 = loop_.norms;
  return scale(X.extent(0)) *
         kernels::huber_sum(ExecSpace(), norms2, config_.delta, this->row_weights().w);
}

template class Huber<float>;
template class Huber<double>;

}  // namespace kaa::strategies
