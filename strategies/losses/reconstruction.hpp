#pragma once
#include <nlohmann/json.hpp>
#include "framework/kernels/block_solver_workspace.hpp"

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/loss_term.hpp"
#include "strategies/common/reduction.hpp"

namespace kaa::strategies {

/// weight * (1/n) sum_i ||x_i - a_i Z||^2 ("mean", archetypax's reconstruction_loss) or
/// weight * sum_i ||x_i - a_i Z||^2 ("sum").
template <class S>
class Reconstruction final : public LossTerm<S> {
 public:
  static constexpr const char* name = "reconstruction";
  // Sample weights: sum_i w_i ||x_i - a_i Z||^2, the mean over the total weight.
  static constexpr bool weighted = true;
  static constexpr bool distributed = true;
  static constexpr const char* summary =
      "squared reconstruction error ||X - A Z||^2, mean over rows or sum";
  struct Params {
    double weight = 1.0;
    common::Reduction reduction = common::Reduction::mean;
  };
  static BoundSchema<Params> schema();
  explicit Reconstruction(const Params& config);

  double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                        Parameters<S>& grad) override;
  double value(const Matrix<S>& X, const Parameters<S>& params) override;

 private:
  double scale(std::size_t n) const;
  Params config_;
  mutable kernels::LoopWorkspace loop_;
};

}  // namespace kaa::strategies
