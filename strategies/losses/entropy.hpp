#pragma once
#include <nlohmann/json.hpp>

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/loss_term.hpp"
#include "framework/kernels/ordered_sum.hpp"

namespace kaa::strategies {

/// weight * (1/n) sum_i H(a_i), H(a) = -sum_j a_j log(a_j + eps). A negative weight (archetypax's
/// base model: -0.01) rewards entropy and pushes weights toward uniform; a positive one (Improved
/// AA: +0.01) pushes them toward sparse.
template <class S>
class Entropy final : public LossTerm<S> {
 public:
  static constexpr const char* name = "entropy";
  // Sample weights: the weighted mean of the rows' entropies.
  static constexpr bool weighted = true;
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "weight x mean row entropy of the weights, -sum a log(a + eps)";
  struct Params {
    double weight = -0.01;
    double eps = 1e-10;
  };
  static BoundSchema<Params> schema();
  explicit Entropy(const Params& config);

  double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                        Parameters<S>& grad) override;
  double value(const Matrix<S>& X, const Parameters<S>& params) override;

 private:
  Params config_;
  kernels::OrderedSumWorkspace sums_;
};

}  // namespace kaa::strategies
