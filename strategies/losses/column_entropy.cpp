#include "strategies/losses/column_entropy.hpp"

#include "framework/kernels/entropy.hpp"

namespace kaa::strategies {

template <class S>
Schema ColumnEntropy<S>::schema() {
  Schema s;
  s.number("weight", 0.01)
      .doc("multiplier of the mean column entropy; > 0 (archetypax: 0.01) favours sparse columns");
  s.number("eps", 1e-10).non_negative().doc("added inside the logarithm");
  return s;
}

template <class S>
void ColumnEntropy<S>::check_config(const nlohmann::json& config, const std::string& path,
                                    std::vector<std::string>& issues) {
  if (config.at("model").at("n_column_archetypes").get<long long>() < 1) {
    issues.push_back("/model/n_column_archetypes: must be >= 1 for the loss term at " + path +
                     " (column_entropy), got " +
                     config.at("model").at("n_column_archetypes").dump());
  }
}

template <class S>
ColumnEntropy<S>::ColumnEntropy(const nlohmann::json& p)
    : weight_(p.at("weight").get<double>()), eps_(p.at("eps").get<double>()) {}

template <class S>
double ColumnEntropy<S>::value_and_grad(const Matrix<S>&, const Parameters<S>& params,
                                        Parameters<S>& grad) {
  const double c = weight_ / static_cast<double>(params.column_weights.extent(1));
  return c * kernels::entropy_sum<true>("kaa::column_entropy", params.column_weights, eps_, c,
                                        grad.column_weights);
}

template <class S>
double ColumnEntropy<S>::value(const Matrix<S>&, const Parameters<S>& params) {
  const double c = weight_ / static_cast<double>(params.column_weights.extent(1));
  return c * kernels::entropy_sum<true>("kaa::column_entropy", params.column_weights, eps_, 0.0,
                                        Matrix<S>());
}

template class ColumnEntropy<float>;
template class ColumnEntropy<double>;

}  // namespace kaa::strategies
