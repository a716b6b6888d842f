#pragma once
#include <nlohmann/json.hpp>
#include "framework/kernels/block_solver_workspace.hpp"

#include "framework/config/bound_schema.hpp"
#include "framework/interfaces/loss_term.hpp"
#include "framework/kernels/huber.hpp"
#include "strategies/common/reduction.hpp"

namespace kaa::strategies {

/// Robust reconstruction loss of Chen, Mairal & Harchaoui (CVPR 2014; SPAMS robust archetypal
/// analysis): weight * sum_i h(||x_i - a_i Z||) (or the mean over rows), with the Huber function
///   h(t) = t^2 / (2 delta) + delta / 2 for t <= delta,   h(t) = t otherwise,
/// i.e. the sum of residual norms, smoothed near zero. Its gradient in the residual r_i is
/// r_i / max(||r_i||, delta), the IRLS weight active_set's robust variant uses.
template <class S>
class Huber final : public LossTerm<S> {
 public:
  static constexpr const char* name = "huber";
  // Sample weights: sum_i w_i h(||r_i||), the mean over the total weight.
  static constexpr bool weighted = true;
  static constexpr const char* summary =
      "Huber loss of the row residual norms, sum h(||x_i - a_i Z||) (Chen et al. 2014)";
  struct Params {
    double weight = 1.0;
    double delta = 1e-3;
    common::Reduction reduction = common::Reduction::mean;
  };
  static BoundSchema<Params> schema();
  explicit Huber(const Params& config);

  void prepare(const Matrix<S>& X, const Parameters<S>& params) override;
  double value_and_grad(const Matrix<S>& X, const Parameters<S>& params,
                        Parameters<S>& grad) override;
  double value(const Matrix<S>& X, const Parameters<S>& params) override;

 private:
  double scale(std::size_t n) const;
  Params config_;
  kernels::HuberWorkspace<S> workspace_;
  mutable kernels::LoopWorkspace loop_;
};

}  // namespace kaa::strategies
