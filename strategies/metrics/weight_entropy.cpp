#include "strategies/metrics/weight_entropy.hpp"

#include <algorithm>
#include <cmath>

#include "framework/host_transfer.hpp"

namespace kaa::strategies {

template <class S>
Schema WeightEntropy<S>::schema() {
  return Schema();
}

template <class S>
WeightEntropy<S>::WeightEntropy(const nlohmann::json&) {}

template <class S>
void WeightEntropy<S>::compute(const MetricInputs<S>& in, nlohmann::json& out) {
  const HostMatrix W = to_host(in.params.weights);
  const double norm = W.cols > 1 ? std::log(static_cast<double>(W.cols)) : 1.0;
  double sum = 0, sum_sq = 0, lo = 1e300, hi = -1e300;
  for (std::size_t i = 0; i < W.rows; ++i) {
    double h = 0;
    for (std::size_t j = 0; j < W.cols; ++j)
      if (W(i, j) > 0) h -= W(i, j) * std::log(W(i, j));
    h = W.cols > 1 ? h / norm : 0.0;
    sum += h;
    sum_sq += h * h;
    lo = std::min(lo, h);
    hi = std::max(hi, h);
  }
  const double n = static_cast<double>(W.rows);
  const double mean = sum / n;
  out["weight_entropy"] = {{"mean", mean},
                           {"std", std::sqrt(std::max(0.0, sum_sq / n - mean * mean))},
                           {"min", lo},
                           {"max", hi}};
}

template class WeightEntropy<float>;
template class WeightEntropy<double>;

}  // namespace kaa::strategies
