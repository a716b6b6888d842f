#include "strategies/losses/column_entropy.hpp"

#include "framework/config/config.hpp"
#include "framework/kernels/entropy.hpp"

namespace kaa::strategies {

template <class S>
auto ColumnEntropy<S>::schema() -> BoundSchema<Params> {
  BoundSchema<Params> s;
  s.number("weight", &Params::weight)
      .doc("multiplier of the mean column entropy; > 0 (archetypax: 0.01) favours sparse columns");
  s.number("eps", &Params::eps).non_negative().doc("added inside the logarithm");
  return s;
}

template <class S>
void ColumnEntropy<S>::check_config(const nlohmann::json& config, const std::string& path,
                                    std::vector<std::string>& issues) {
  if (model_settings(config).n_column_archetypes < 1) {
    issues.push_back("/model/n_column_archetypes: must be >= 1 for the loss term at " + path +
                     " (column_entropy), got " +
                     std::to_string(model_settings(config).n_column_archetypes));
  }
}

template <class S>
ColumnEntropy<S>::ColumnEntropy(const Params& p) : config_(p) {}

template <class S>
double ColumnEntropy<S>::value_and_grad(const Matrix<S>&, const Parameters<S>& params,
                                        Parameters<S>& grad) {
  const double c = config_.weight / static_cast<double>(params.column_weights.extent(1));
  return c * kernels::entropy_sum<true>("kaa::column_entropy", params.column_weights, config_.eps,
                                        c, grad.column_weights, sums_);
}

template <class S>
double ColumnEntropy<S>::value(const Matrix<S>&, const Parameters<S>& params) {
  const double c = config_.weight / static_cast<double>(params.column_weights.extent(1));
  return c * kernels::entropy_sum<true>("kaa::column_entropy", params.column_weights, config_.eps,
                                        0.0, Matrix<S>(), sums_);
}

template class ColumnEntropy<float>;
template class ColumnEntropy<double>;

}  // namespace kaa::strategies
