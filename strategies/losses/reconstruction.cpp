#include "strategies/losses/reconstruction.hpp"

#include "framework/kernels/reconstruction.hpp"

namespace kaa::strategies {

template <class S>
auto Reconstruction<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("weight", &Params::weight).non_negative().doc("multiplier of the term");
  s.choice("reduction", &Params::reduction, common::reduction_choices())
      .doc("mean over rows (archetypax) or plain sum");
  return s;
}

template <class S>
Reconstruction<S>::Reconstruction(const Params& p) : config_(p) {}

template <class S>
double Reconstruction<S>::scale(std::size_t n) const {
  // The mean is over all the data's rows, also when this rank holds only some (distributed fit);
  // with sample weights it is the weighted mean (row_count is then the total weight).
  return config_.reduction == common::Reduction::mean ? config_.weight / this->row_count(n)
                                                      : config_.weight;
}

template <class S>
double Reconstruction<S>::value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                                         Parameters<S>& grad) {
  const double c = scale(X.extent(0));
  return c * kernels::reconstruction_pass(ExecSpace(), X, params.weights, params.archetypes, c,
                                          grad.weights, grad.archetypes, Vector<double>(),
                                          loop_.reconstruction, this->row_weights().w);
}

template <class S>
double Reconstruction<S>::value(const Matrix<S>& X, const Parameters<S>& params) {
  return scale(X.extent(0)) *
         kernels::reconstruction_pass(ExecSpace(), X, params.weights, params.archetypes, 0.0,
                                      Matrix<S>(), Matrix<S>(), Vector<double>(),
                                      loop_.reconstruction_value, this->row_weights().w);
}

template class Reconstruction<float>;
template class Reconstruction<double>;

}  // namespace kaa::strategies
