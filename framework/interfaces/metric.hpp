#pragma once
#include <optional>

#include <nlohmann/json.hpp>

#include "framework/host_matrix.hpp"
#include "framework/types.hpp"

namespace kaa {

/// What a metric sees after a fit: the data and parameters in the space the model was fitted in,
/// and per feature the factor std_f^2 that turns a squared error there into original units
/// (empty when the data were not standardised), and the rows' sample weights (empty: unweighted).
/// Archetypes in original units and the data set's known true archetypes (if any) serve metrics
/// that compare against ground truth.
template <class S>
struct MetricInputs {
  Matrix<S> X;
  Parameters<S> params;
  Vector<double> squared_error_scale;
  RowWeights row_weights{};
  HostMatrix archetypes_original{};
  std::optional<HostMatrix> true_archetypes{};
};

/// Adds one or more named values to the run's metrics.
template <class S>
class Metric {
 public:
  virtual ~Metric() = default;
  virtual void compute(const MetricInputs<S>& in, nlohmann::json& out) = 0;
};

}  // namespace kaa
