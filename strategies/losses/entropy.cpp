#include "strategies/losses/entropy.hpp"

#include "framework/kernels/entropy.hpp"
#include "framework/parallel/row_block.hpp"

namespace kaa::strategies {

template <class S>
Schema Entropy<S>::schema() {
  Schema s;
  s.number("weight", -0.01)
      .doc("multiplier of the mean row entropy; < 0 favours uniform weights, > 0 sparse ones");
  s.number("eps", 1e-10).non_negative().doc("added inside the logarithm");
  return s;
}

template <class S>
Entropy<S>::Entropy(const nlohmann::json& p)
    : weight_(p.at("weight").get<double>()), eps_(p.at("eps").get<double>()) {}

template <class S>
double Entropy<S>::value_and_grad(const Matrix<S>&, const Parameters<S>& params,
                                  Parameters<S>& grad) {
  const double c = weight_ / static_cast<double>(parallel::global_rows(params.weights.extent(0)));
  return c * kernels::entropy_sum<false>("kaa::entropy", params.weights, eps_, c, grad.weights);
}

template <class S>
double Entropy<S>::value(const Matrix<S>&, const Parameters<S>& params) {
  const double c = weight_ / static_cast<double>(parallel::global_rows(params.weights.extent(0)));
  return c * kernels::entropy_sum<false>("kaa::entropy", params.weights, eps_, 0.0, Matrix<S>());
}

template class Entropy<float>;
template class Entropy<double>;

}  // namespace kaa::strategies
