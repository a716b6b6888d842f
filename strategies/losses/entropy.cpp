#include "strategies/losses/entropy.hpp"

#include "framework/kernels/entropy.hpp"

namespace kaa::strategies {

template <class S>
auto Entropy<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("weight", &Params::weight)
      .doc("multiplier of the mean row entropy; < 0 favours uniform weights, > 0 sparse ones");
  s.number("eps", &Params::eps).non_negative().doc("added inside the logarithm");
  return s;
}

template <class S>
Entropy<S>::Entropy(const Params& p) : config_(p) {}

template <class S>
double Entropy<S>::value_and_grad(const Matrix<S>&, const Parameters<S>& params,
                                  Parameters<S>& grad) {
  // Sample weights: the weighted mean of the rows' entropies.
  const double c = config_.weight / this->row_count(params.weights.extent(0));
  return c * kernels::entropy_sum<false>("kaa::entropy", params.weights, config_.eps, c,
                                         grad.weights, sums_, this->row_weights().w);
}

template <class S>
double Entropy<S>::value(const Matrix<S>&, const Parameters<S>& params) {
  const double c = config_.weight / this->row_count(params.weights.extent(0));
  return c * kernels::entropy_sum<false>("kaa::entropy", params.weights, config_.eps, 0.0,
                                         Matrix<S>(), sums_, this->row_weights().w);
}

template class Entropy<float>;
template class Entropy<double>;

}  // namespace kaa::strategies
