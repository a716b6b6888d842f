#include "strategies/metrics/weight_sparsity.hpp"

#include <cmath>

#include "framework/host_transfer.hpp"

namespace kaa::strategies {

template <class S>
Schema WeightSparsity<S>::schema() {
  Schema s;
  s.number("threshold", 1e-3).min(0.0).max(1.0).doc("a weight below this counts as zero");
  return s;
}

template <class S>
WeightSparsity<S>::WeightSparsity(const nlohmann::json& p)
    : threshold_(p.at("threshold").get<double>()) {}

template <class S>
void WeightSparsity<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  const HostMatrix W = to_host(in.params.weights);
  const double k = static_cast<double>(W.cols);
  double zeros = 0, hoyer = 0;
  for (std::size_t i = 0; i < W.rows; ++i) {
    double l1 = 0, l2 = 0;
    std::size_t below = 0;
    for (std::size_t j = 0; j < W.cols; ++j) {
      l1 += std::abs(W(i, j));
      l2 += W(i, j) * W(i, j);
      below += W(i, j) < threshold_ ? 1 : 0;
    }
    zeros += static_cast<double>(below) / k;
    if (W.cols > 1 && l2 > 0) hoyer += (std::sqrt(k) - l1 / std::sqrt(l2)) / (std::sqrt(k) - 1);
  }
  const double n = static_cast<double>(W.rows);
  out["weight_sparsity"] = {{"fraction_below_threshold", zeros / n}, {"hoyer", hoyer / n}};
}

template class WeightSparsity<float>;
template class WeightSparsity<double>;

}  // namespace kaa::strategies
